/*
 * rlm_phonecert: FreeRADIUS glue for the phone-certificate core.
 *
 * At instantiate the module loads the configured anchors into a trust set
 * (core/trust.c), reads the policy options (core/policy.c) and installs a
 * certificate-verify callback on the SSL_CTX of the eap module's tls-config
 * section. In every EAP-TLS handshake the callback asks the core about the
 * client certificate (core/verify.c, then the policy) and only transports the
 * answer: Phonecert-* attributes and, on reject, Module-Failure-Message.
 * Certificates that are not phones' go to OpenSSL's and FreeRADIUS' ordinary
 * verification untouched.
 *
 * In post-auth the module re-applies the policy to every phone
 * authentication, which matters for resumed TLS sessions (no certificate is
 * verified then), and writes one log line per phone, accept or reject.
 */
RCSID("$Id$")

#include <freeradius/radiusd.h>
#include <freeradius/modules.h>

#include <openssl/ssl.h>

#include "core/policy.h"
#include "core/timeutil.h"
#include "core/trust.h"
#include "core/verify.h"

/* What the verify callback needs; lives as long as the instance. */
typedef struct {
	pc_trust	*trust;
	pc_policy	policy;
} phonecert_hook_t;

typedef struct {
	char const		*name;
	char const		*eap_name;
	char const		*tls_config_name;
	char const		*mic;
	char const		*mic_expired;
	char const		*mic_legacy_signatures;
	bool			bind_mac;
	bool			bind_identity;
	phonecert_hook_t	*hook;
} rlm_phonecert_t;

static const CONF_PARSER module_config[] = {
	{ "eap", FR_CONF_OFFSET(PW_TYPE_STRING, rlm_phonecert_t, eap_name), "eap" },
	{ "tls_config", FR_CONF_OFFSET(PW_TYPE_STRING, rlm_phonecert_t, tls_config_name), "tls-common" },
	{ "mic", FR_CONF_OFFSET(PW_TYPE_STRING, rlm_phonecert_t, mic), "allow" },
	{ "mic_expired", FR_CONF_OFFSET(PW_TYPE_STRING, rlm_phonecert_t, mic_expired), "reject" },
	{ "mic_legacy_signatures", FR_CONF_OFFSET(PW_TYPE_STRING, rlm_phonecert_t, mic_legacy_signatures), "reject" },
	{ "bind_mac", FR_CONF_OFFSET(PW_TYPE_BOOLEAN, rlm_phonecert_t, bind_mac), "yes" },
	{ "bind_identity", FR_CONF_OFFSET(PW_TYPE_BOOLEAN, rlm_phonecert_t, bind_identity), "yes" },
	CONF_PARSER_TERMINATOR
};

/* One capf / lsc_ca / manufacturing section. */
typedef struct {
	char const	*ca_file;
	char const	*accept_from;
	char const	*accept_until;
} anchor_section_t;

static const CONF_PARSER anchor_config[] = {
	{ "ca_file", FR_CONF_OFFSET(PW_TYPE_FILE_INPUT | PW_TYPE_REQUIRED, anchor_section_t, ca_file), NULL },
	{ "accept_from", FR_CONF_OFFSET(PW_TYPE_STRING, anchor_section_t, accept_from), NULL },
	{ "accept_until", FR_CONF_OFFSET(PW_TYPE_STRING, anchor_section_t, accept_until), NULL },
	CONF_PARSER_TERMINATOR
};

/* The attributes of dictionary.phonecert, resolved at start-up so no lookup can fail later. */
enum {
	ATTR_CERTIFICATE_TYPE, ATTR_ANCHOR, ATTR_ANCHOR_ACCEPT_UNTIL, ATTR_DEVICE_NAME, ATTR_MAC,
	ATTR_MODEL, ATTR_PID, ATTR_SERIAL_NUMBER, ATTR_REASON, ATTR_COMMON_NAME, ATTR_CERTIFICATE_SERIAL,
	ATTR_CERTIFICATE_NOT_AFTER, ATTR_EXPIRED, ATTR_LEGACY_SIGNATURE, ATTR_ADVICE, ATTR_COUNT
};

static char const *const attribute_names[ATTR_COUNT] = {
	[ATTR_CERTIFICATE_TYPE] = "Phonecert-Certificate-Type",
	[ATTR_ANCHOR] = "Phonecert-Anchor",
	[ATTR_ANCHOR_ACCEPT_UNTIL] = "Phonecert-Anchor-Accept-Until",
	[ATTR_DEVICE_NAME] = "Phonecert-Device-Name",
	[ATTR_MAC] = "Phonecert-MAC",
	[ATTR_MODEL] = "Phonecert-Model",
	[ATTR_PID] = "Phonecert-PID",
	[ATTR_SERIAL_NUMBER] = "Phonecert-Serial-Number",
	[ATTR_REASON] = "Phonecert-Reason",
	[ATTR_COMMON_NAME] = "Phonecert-Common-Name",
	[ATTR_CERTIFICATE_SERIAL] = "Phonecert-Certificate-Serial",
	[ATTR_CERTIFICATE_NOT_AFTER] = "Phonecert-Certificate-Not-After",
	[ATTR_EXPIRED] = "Phonecert-Expired",
	[ATTR_LEGACY_SIGNATURE] = "Phonecert-Legacy-Signature",
	[ATTR_ADVICE] = "Phonecert-Advice",
};

/* The dictionary is global to the server: so is this table, filled before any request runs. */
static DICT_ATTR const *attributes[ATTR_COUNT];

/* Marks a request whose phone line is already logged (post-auth runs again in Post-Auth-Type REJECT). */
static int logged_marker;

/*
 *	Configuration → trust set and policy
 */
static int section_kind(char const *name, pc_anchor_kind *kind)
{
	if (strcmp(name, "capf") == 0) *kind = PC_ANCHOR_CAPF;
	else if (strcmp(name, "lsc_ca") == 0) *kind = PC_ANCHOR_LSC_CA;
	else if (strcmp(name, "manufacturing") == 0) *kind = PC_ANCHOR_MANUFACTURING;
	else return -1;
	return 0;
}

static int add_anchor(pc_trust *trust, CONF_SECTION *cs, pc_anchor_kind kind)
{
	anchor_section_t section = { 0 };
	pc_anchor_config config;

	if (kind != PC_ANCHOR_MANUFACTURING && !cf_section_name2(cs)) {
		cf_log_err_cs(cs, "A %s section needs a name, e.g. %s cluster-2024 { ca_file = ... }",
			      cf_section_name1(cs), cf_section_name1(cs));
		return -1;
	}
	if (kind == PC_ANCHOR_MANUFACTURING && cf_section_name2(cs)) {
		cf_log_err_cs(cs, "There is one manufacturing section and it takes no name");
		return -1;
	}
	if (cf_section_parse(cs, &section, anchor_config) < 0) return -1;

	config = (pc_anchor_config) {
		.kind = kind,
		.name = kind == PC_ANCHOR_MANUFACTURING ? "manufacturing" : cf_section_name2(cs),
		.ca_file = section.ca_file,
		.accept_from = section.accept_from,
		.accept_until = section.accept_until,
	};
	if (pc_trust_add(trust, &config) < 0) {
		cf_log_err_cs(cs, "%s", pc_trust_error(trust));
		return -1;
	}
	return 0;
}

static pc_trust *load_trust(CONF_SECTION *conf)
{
	pc_trust *trust = pc_trust_new();
	CONF_ITEM *ci;

	if (!trust) {
		cf_log_err_cs(conf, "Out of memory");
		return NULL;
	}
	for (ci = cf_item_find_next(conf, NULL); ci; ci = cf_item_find_next(conf, ci)) {
		CONF_SECTION *cs;
		pc_anchor_kind kind;

		if (!cf_item_is_section(ci)) continue;
		cs = cf_item_to_section(ci);
		if (section_kind(cf_section_name1(cs), &kind) < 0) {
			cf_log_err_cs(cs, "Unknown section '%s': expected capf, lsc_ca or manufacturing",
				      cf_section_name1(cs));
			goto fail;
		}
		if (add_anchor(trust, cs, kind) < 0) goto fail;
	}
	if (pc_trust_seal(trust) < 0) {
		cf_log_err_cs(conf, "%s", pc_trust_error(trust));
		goto fail;
	}
	return trust;

fail:
	pc_trust_free(trust);
	return NULL;
}

static int load_policy(rlm_phonecert_t const *inst, CONF_SECTION *conf, pc_policy *policy)
{
	struct { char const *option, *value; } const choices[] = {
		{ "mic", inst->mic },
		{ "mic_expired", inst->mic_expired },
		{ "mic_legacy_signatures", inst->mic_legacy_signatures },
	};
	char err[256];

	pc_policy_defaults(policy);
	for (size_t i = 0; i < sizeof(choices) / sizeof(choices[0]); i++) {
		if (pc_policy_set(policy, choices[i].option, choices[i].value, err, sizeof(err)) < 0) {
			cf_log_err_cs(conf, "%s", err);
			return -1;
		}
	}
	policy->bind_mac = inst->bind_mac;
	policy->bind_identity = inst->bind_identity;
	return 0;
}

/*
 *	Finding eap's SSL_CTX
 */

/* modules { eap { ... } } for instance "eap", modules { eap inner { ... } } for instance "inner". */
static CONF_SECTION *find_eap_section(CONF_SECTION *modules, char const *instance)
{
	CONF_SECTION *cs;

	for (cs = cf_subsection_find_next(modules, NULL, "eap"); cs; cs = cf_subsection_find_next(modules, cs, "eap")) {
		char const *name = cf_section_name2(cs) ? cf_section_name2(cs) : cf_section_name1(cs);

		if (strcmp(name, instance) == 0) return cs;
	}
	return NULL;
}

/* Is the module called by this name anywhere inside cs (if-blocks, Post-Auth-Type subsections...)? */
static bool section_calls(CONF_SECTION const *cs, char const *name)
{
	CONF_ITEM *ci;

	for (ci = cf_item_find_next(cs, NULL); ci; ci = cf_item_find_next(cs, ci)) {
		if (cf_item_is_pair(ci) && strcmp(cf_pair_attr(cf_item_to_pair(ci)), name) == 0) return true;
		if (cf_item_is_section(ci) && section_calls(cf_item_to_section(ci), name)) return true;
	}
	return false;
}

static bool called_in_post_auth(CONF_SECTION *conf, char const *name)
{
	CONF_SECTION *top = cf_top_section(conf), *server;

	for (server = cf_subsection_find_next(top, NULL, "server"); server;
	     server = cf_subsection_find_next(top, server, "server")) {
		CONF_SECTION *post_auth = cf_section_sub_find(server, "post-auth");

		if (post_auth && section_calls(post_auth, name)) return true;
	}
	return false;
}

static SSL_CTX *find_eap_ssl_ctx(rlm_phonecert_t const *inst, CONF_SECTION *conf)
{
	CONF_SECTION *modules = cf_item_parent(cf_section_to_item(conf));
	CONF_SECTION *eap, *tls_cs;
	fr_tls_server_conf_t *tls_conf;

	eap = modules ? find_eap_section(modules, inst->eap_name) : NULL;
	if (!eap) {
		cf_log_err_cs(conf, "eap = %s: no eap module of that name in the modules section", inst->eap_name);
		return NULL;
	}
	tls_cs = cf_section_sub_find_name2(eap, "tls-config", inst->tls_config_name);
	if (!tls_cs) {
		cf_log_err_cs(conf, "tls_config = %s: the eap module '%s' (%s) has no tls-config %s section",
			      inst->tls_config_name, inst->eap_name, cf_section_filename(eap), inst->tls_config_name);
		return NULL;
	}

	/* eap caches its parsed TLS configuration on the section; if eap is not up yet, parse it now and eap reuses it. */
	tls_conf = cf_data_find(tls_cs, "tls-conf");
	if (!tls_conf) tls_conf = tls_server_conf_parse(tls_cs);
	if (!tls_conf || !tls_conf->ctx) {
		cf_log_err_cs(tls_cs, "Cannot set up TLS for tls-config %s", inst->tls_config_name);
		return NULL;
	}
	/* No certificate is verified on resumption: only post-auth can re-apply the policy then. */
	if (tls_conf->session_cache_enable && !called_in_post_auth(conf, inst->name)) {
		cf_log_err_cs(conf, "tls-config %s resumes TLS sessions (cache { enable = yes }), but %s is not called "
			      "in any post-auth section: resumed phone sessions would skip its policy. Add '%s' to post-auth, "
			      "or disable the session cache", inst->tls_config_name, inst->name, inst->name);
		return NULL;
	}
	return tls_conf->ctx;
}

/*
 *	Attributes
 */
static void add_pair(TALLOC_CTX *ctx, VALUE_PAIR **list, int attr, char const *value)
{
	if (value && *value) fr_pair_make(ctx, list, attribute_names[attr], value, T_OP_SET);
}

/* The Phonecert-* attributes describing result, added to one list. */
static void add_result_pairs(TALLOC_CTX *ctx, VALUE_PAIR **list, pc_result const *result)
{
	char until[PC_TIME_STRLEN] = "";
	time_t when;

	if (result->anchor) {
		add_pair(ctx, list, ATTR_ANCHOR, pc_anchor_name(result->anchor));
		if (pc_anchor_accept_until(result->anchor, &when)) pc_time_format(when, until, sizeof(until));
		add_pair(ctx, list, ATTR_ANCHOR_ACCEPT_UNTIL, until);
	}
	if (result->cert_type != PC_CERT_UNKNOWN) add_pair(ctx, list, ATTR_CERTIFICATE_TYPE, pc_cert_type_name(result->cert_type));
	if (result->identity.has_device) {
		add_pair(ctx, list, ATTR_DEVICE_NAME, result->identity.device_name);
		add_pair(ctx, list, ATTR_MAC, result->identity.mac);
		add_pair(ctx, list, ATTR_MODEL, result->identity.model);
	}
	add_pair(ctx, list, ATTR_COMMON_NAME, result->identity.cn);
	add_pair(ctx, list, ATTR_PID, result->identity.pid);
	add_pair(ctx, list, ATTR_SERIAL_NUMBER, result->identity.sn);
	add_pair(ctx, list, ATTR_CERTIFICATE_SERIAL, result->serial);
	add_pair(ctx, list, ATTR_CERTIFICATE_NOT_AFTER, result->not_after);
	if (result->expired) add_pair(ctx, list, ATTR_EXPIRED, "yes");
	if (result->legacy) add_pair(ctx, list, ATTR_LEGACY_SIGNATURE, "yes");
	if (result->verdict == PC_VERDICT_REJECT) {
		add_pair(ctx, list, ATTR_REASON, result->reason);
		add_pair(ctx, list, ATTR_ADVICE, result->hint);
	}
}

static char const *find_value(VALUE_PAIR *list, int attr)
{
	VALUE_PAIR *vp = fr_pair_find_by_da(list, attributes[attr], TAG_ANY);

	return vp ? vp->vp_strvalue : NULL;
}

static char const *request_string(REQUEST *request, unsigned int attr)
{
	VALUE_PAIR *vp = fr_pair_find_by_num(request->packet->vps, attr, 0, TAG_ANY);

	return vp && vp->da->type == PW_TYPE_STRING ? vp->vp_strvalue : NULL;
}

/*
 *	"Login incorrect" shows the first Module-Failure-Message. OpenSSL's
 *	generic one ("certificate has expired") may already be there: put
 *	phonecert's, which says which phone and anchor, in front of it.
 */
static void prepend_failure_message(REQUEST *request, char const *reason)
{
	char message[PC_REASON_LEN + 16];
	VALUE_PAIR *vp;

	snprintf(message, sizeof(message), "phonecert: %s", reason);
	vp = fr_pair_make(request->packet, NULL, "Module-Failure-Message", message, T_OP_ADD);
	if (!vp) return;
	vp->next = request->packet->vps;
	request->packet->vps = vp;
}

/*
 *	In the handshake
 */
static void facts_from_handshake(REQUEST *request, pc_result const *result, pc_facts *facts)
{
	*facts = (pc_facts) {
		.cert_type = result->cert_type,
		.anchor_name = result->anchor ? pc_anchor_name(result->anchor) : NULL,
		.common_name = result->identity.cn,
		.mac = result->identity.has_device ? result->identity.mac : NULL,
		.calling_station_id = request_string(request, PW_CALLING_STATION_ID),
		.user_name = request_string(request, PW_USER_NAME),
	};
}

/* Trust first (pc_verify), then the policy with what the switch sent in this request. */
static pc_verdict decide_handshake(phonecert_hook_t const *hook, REQUEST *request, X509_STORE_CTX *ctx,
				   pc_result *result)
{
	time_t now = time(NULL);
	pc_facts facts;

	if (pc_verify(hook->trust, &hook->policy.verify, ctx, now, result) != PC_VERDICT_ACCEPT) return result->verdict;

	facts_from_handshake(request, result, &facts);
	if (!pc_policy_check(&hook->policy, hook->trust, &facts, now, result->reason, sizeof(result->reason),
			     &result->hint)) {
		X509_STORE_CTX_set_error(ctx, X509_V_ERR_APPLICATION_VERIFICATION);
		result->verdict = PC_VERDICT_REJECT;
	}
	return result->verdict;
}

/*
 *	Installed with SSL_CTX_set_cert_verify_callback(): OpenSSL calls it
 *	instead of X509_verify_cert() for every client certificate.
 */
static int phonecert_verify_cert(X509_STORE_CTX *ctx, void *arg)
{
	phonecert_hook_t const *hook = arg;
	SSL *ssl = X509_STORE_CTX_get_ex_data(ctx, SSL_get_ex_data_X509_STORE_CTX_idx());
	REQUEST *request = ssl ? SSL_get_ex_data(ssl, FR_TLS_EX_INDEX_REQUEST) : NULL;
	VALUE_PAIR **session_certs;
	TALLOC_CTX *session_ctx;
	pc_result result;

	if (!request) {
		ERROR("phonecert: TLS handshake without a request, rejecting the certificate");
		X509_STORE_CTX_set_error(ctx, X509_V_ERR_UNSPECIFIED);
		return 0;
	}
	session_certs = SSL_get_ex_data(ssl, fr_tls_ex_index_certs);
	session_ctx = SSL_get_ex_data(ssl, FR_TLS_EX_INDEX_TALLOC);

	switch (decide_handshake(hook, request, ctx, &result)) {
	case PC_VERDICT_NOT_PHONE:
		RDEBUG2("phonecert: %s is not a phone certificate, leaving it to eap's own checks", result.subject);
		return X509_verify_cert(ctx);

	case PC_VERDICT_ACCEPT:
		if (session_certs && session_ctx) {
			RDEBUG2("phonecert: %s %s verified by %s", pc_cert_type_name(result.cert_type),
				result.identity.device_name, pc_anchor_name(result.anchor));
			/* eap copies this list into every later round's request (check-eap-tls, post-auth) and caches it with the session. */
			add_result_pairs(session_ctx, session_certs, &result);
			return 1;
		}
		snprintf(result.reason, sizeof(result.reason), "internal error: the TLS session has no certificate list");
		result.hint = NULL;
		result.verdict = PC_VERDICT_REJECT;
		break;

	case PC_VERDICT_REJECT:
		break;
	}

	/* The handshake fails in this round: this round's request is the one rejected and logged in post-auth. */
	RDEBUG("phonecert: reject %s (issuer %s): %s%s%s", result.subject, result.issuer, result.reason,
		result.hint ? "; " : "", result.hint ? result.hint : "");
	add_result_pairs(request->packet, &request->packet->vps, &result);
	prepend_failure_message(request, result.reason);
	if (X509_STORE_CTX_get_error(ctx) == X509_V_OK) X509_STORE_CTX_set_error(ctx, X509_V_ERR_UNSPECIFIED);
	return 0;
}

/*
 *	Post-auth: re-check, and one log line per phone
 */

/* A resumed session brings its cached attributes in the reply list: move ours to the request, where policy reads them. */
static void move_cached_pairs(REQUEST *request)
{
	vp_cursor_t cursor;
	VALUE_PAIR *vp;

	for (vp = fr_cursor_init(&cursor, &request->reply->vps); vp; ) {
		bool ours = false;

		for (int i = 0; i < ATTR_COUNT; i++) ours |= vp->da == attributes[i];
		if (!ours) {
			vp = fr_cursor_next(&cursor);
			continue;
		}
		vp = fr_cursor_remove(&cursor);
		talloc_steal(request->packet, vp);
		fr_pair_add(&request->packet->vps, vp);
		vp = fr_cursor_current(&cursor);
	}
}

static bool session_resumed(REQUEST *request)
{
	VALUE_PAIR *vp = fr_pair_find_by_num(request->packet->vps, PW_EAP_SESSION_RESUMED, 0, TAG_ANY);

	return vp && vp->vp_integer;
}

static void facts_from_request(REQUEST *request, pc_facts *facts)
{
	VALUE_PAIR *vps = request->packet->vps;
	char const *type = find_value(vps, ATTR_CERTIFICATE_TYPE);

	*facts = (pc_facts) {
		.cert_type = !type ? PC_CERT_UNKNOWN : strcmp(type, "MIC") == 0 ? PC_CERT_MIC :
			     strcmp(type, "LSC") == 0 ? PC_CERT_LSC : PC_CERT_UNKNOWN,
		.anchor_name = find_value(vps, ATTR_ANCHOR),
		.common_name = find_value(vps, ATTR_COMMON_NAME),
		.mac = find_value(vps, ATTR_MAC),
		.calling_station_id = request_string(request, PW_CALLING_STATION_ID),
		.user_name = request_string(request, PW_USER_NAME),
	};
}

/* One greppable line per phone authentication: which certificate, from where, and why. */
static void log_phone(REQUEST *request, char const *verdict, char const *reason, char const *hint)
{
	VALUE_PAIR *vps = request->packet->vps;
	char nas_ip[INET6_ADDRSTRLEN] = "-";
	VALUE_PAIR *nas;

	if (request_data_reference(request, &logged_marker, 0)) return;
	request_data_add(request, &logged_marker, 0, NULL, false);

	nas = fr_pair_find_by_num(vps, PW_NAS_IP_ADDRESS, 0, TAG_ANY);
	if (!nas) nas = fr_pair_find_by_num(vps, PW_NAS_IPV6_ADDRESS, 0, TAG_ANY);
	if (nas) vp_prints_value(nas_ip, sizeof(nas_ip), nas, 0);

#define OR_DASH(_x) ((_x) ? (_x) : "-")
	RAUTH("%s device=%s mac=%s calling-station-id=%s nas-ip=%s nas-port-id=%s type=%s anchor=%s "
	      "serial=%s not-after=%s session=%s%s%s reason=\"%s%s%s\"",
	      verdict, OR_DASH(find_value(vps, ATTR_DEVICE_NAME)), OR_DASH(find_value(vps, ATTR_MAC)),
	      OR_DASH(request_string(request, PW_CALLING_STATION_ID)), nas_ip,
	      OR_DASH(request_string(request, PW_NAS_PORT_ID)), OR_DASH(find_value(vps, ATTR_CERTIFICATE_TYPE)),
	      OR_DASH(find_value(vps, ATTR_ANCHOR)), OR_DASH(find_value(vps, ATTR_CERTIFICATE_SERIAL)),
	      OR_DASH(find_value(vps, ATTR_CERTIFICATE_NOT_AFTER)), session_resumed(request) ? "resumed" : "full",
	      find_value(vps, ATTR_EXPIRED) ? " expired-mic=allowed" : "",
	      find_value(vps, ATTR_LEGACY_SIGNATURE) ? " legacy-signature=allowed" : "",
	      OR_DASH(reason), hint ? "; " : "", hint ? hint : "");
#undef OR_DASH
}

static rlm_rcode_t CC_HINT(nonnull) mod_post_auth(void *instance, REQUEST *request)
{
	rlm_phonecert_t const *inst = instance;
	char reason[PC_REASON_LEN];
	char const *hint, *failed;
	pc_facts facts;

	if (session_resumed(request)) move_cached_pairs(request);
	if (!find_value(request->packet->vps, ATTR_CERTIFICATE_TYPE) &&
	    !find_value(request->packet->vps, ATTR_REASON)) return RLM_MODULE_NOOP;	/* no phone certificate here */

	/* Rejected already: in the handshake, or by other policy (Post-Auth-Type REJECT). */
	failed = find_value(request->packet->vps, ATTR_REASON);
	if (failed || request->reply->code == PW_CODE_ACCESS_REJECT) {
		VALUE_PAIR *msg = fr_pair_find_by_num(request->packet->vps, PW_MODULE_FAILURE_MESSAGE, 0, TAG_ANY);

		log_phone(request, "reject", failed ? failed : msg ? msg->vp_strvalue : "rejected by policy",
			  find_value(request->packet->vps, ATTR_ADVICE));
		return RLM_MODULE_NOOP;
	}

	facts_from_request(request, &facts);
	if (!pc_policy_check(&inst->hook->policy, inst->hook->trust, &facts, time(NULL), reason, sizeof(reason), &hint)) {
		add_pair(request->packet, &request->packet->vps, ATTR_REASON, reason);
		add_pair(request->packet, &request->packet->vps, ATTR_ADVICE, hint);
		prepend_failure_message(request, reason);
		log_phone(request, "reject", reason, hint);
		return RLM_MODULE_REJECT;
	}
	if (find_value(request->packet->vps, ATTR_EXPIRED)) {
		RWARN("Accepting an expired MIC (mic_expired = allow): %s", find_value(request->packet->vps, ATTR_COMMON_NAME));
	}
	log_phone(request, "accept", NULL, NULL);
	return RLM_MODULE_OK;
}

/*
 *	Module life cycle
 */
static int resolve_attributes(CONF_SECTION *conf)
{
	for (int i = 0; i < ATTR_COUNT; i++) {
		attributes[i] = dict_attrbyname(attribute_names[i]);
		if (!attributes[i]) {
			cf_log_err_cs(conf, "Attribute %s is not in the dictionary: add "
				      "'$INCLUDE dictionary.phonecert' to the raddb dictionary file", attribute_names[i]);
			return -1;
		}
	}
	return 0;
}

/* Let clients that choose their certificate by the CA names in the CertificateRequest see the phone anchors. */
static void advertise_anchors(SSL_CTX *ssl_ctx, pc_trust const *trust)
{
	for (size_t i = 0; i < pc_trust_anchor_count(trust); i++) {
		STACK_OF(X509) const *certs = pc_anchor_certs(pc_trust_anchor(trust, i));

		for (int c = 0; c < sk_X509_num(certs); c++) SSL_CTX_add_client_CA(ssl_ctx, sk_X509_value(certs, c));
	}
}

static int hook_destructor(phonecert_hook_t *hook)
{
	pc_trust_free(hook->trust);
	return 0;
}

/* Instantiation is single-threaded: a plain static is safe here. */
static int hooked_index = -1;

static int hook_ssl_ctx(rlm_phonecert_t *inst, CONF_SECTION *conf)
{
	SSL_CTX *ssl_ctx = find_eap_ssl_ctx(inst, conf);

	if (!ssl_ctx) return -1;
	/* FreeRADIUS owns the SSL_CTX's app data; our own ex-data slot marks a hooked SSL_CTX. */
	if (hooked_index < 0) hooked_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
	if (hooked_index < 0) {
		cf_log_err_cs(conf, "Cannot allocate OpenSSL ex-data for the SSL_CTX");
		return -1;
	}
	if (SSL_CTX_get_ex_data(ssl_ctx, hooked_index)) {
		cf_log_err_cs(conf, "Another phonecert instance already decides the handshakes of eap %s tls-config %s",
			      inst->eap_name, inst->tls_config_name);
		return -1;
	}
	SSL_CTX_set_ex_data(ssl_ctx, hooked_index, inst->hook);
	SSL_CTX_set_cert_verify_callback(ssl_ctx, phonecert_verify_cert, inst->hook);
	advertise_anchors(ssl_ctx, inst->hook->trust);
	return 0;
}

static int mod_instantiate(CONF_SECTION *conf, void *instance)
{
	rlm_phonecert_t *inst = instance;

	inst->name = cf_section_name2(conf) ? cf_section_name2(conf) : cf_section_name1(conf);
	if (resolve_attributes(conf) < 0) return -1;

	inst->hook = talloc_zero(inst, phonecert_hook_t);
	if (!inst->hook || load_policy(inst, conf, &inst->hook->policy) < 0) return -1;
	inst->hook->trust = load_trust(conf);
	if (!inst->hook->trust) return -1;
	talloc_set_destructor(inst->hook, hook_destructor);

	if (hook_ssl_ctx(inst, conf) < 0) return -1;

	INFO("rlm_phonecert (%s): deciding phone certificates in eap %s tls-config %s with %zu anchor(s)",
	     inst->name, inst->eap_name, inst->tls_config_name, pc_trust_anchor_count(inst->hook->trust));
	return 0;
}

extern module_t rlm_phonecert;
module_t rlm_phonecert = {
	.magic		= RLM_MODULE_INIT,
	.name		= "phonecert",
	.type		= RLM_TYPE_THREAD_SAFE,
	.inst_size	= sizeof(rlm_phonecert_t),
	.config		= module_config,
	.instantiate	= mod_instantiate,
	.methods = {
		[MOD_POST_AUTH]		= mod_post_auth,
	},
};
