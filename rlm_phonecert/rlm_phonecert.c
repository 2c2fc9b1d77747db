/*
 * rlm_phonecert: FreeRADIUS glue for the phone-certificate core.
 *
 * At instantiate the module loads the configured anchors into a trust set
 * (core/trust.c) and installs a certificate-verify callback on the SSL_CTX of
 * the eap module's tls-config section. In every EAP-TLS handshake the callback
 * asks the core (core/verify.c) about the client certificate and only
 * transports the answer: Phonecert-* attributes, a log line and, on reject,
 * Module-Failure-Message. Certificates that are not phones' go to OpenSSL's
 * and FreeRADIUS' ordinary verification untouched.
 */
RCSID("$Id$")

#include <freeradius/radiusd.h>
#include <freeradius/modules.h>

#include <openssl/ssl.h>

#include "core/timeutil.h"
#include "core/trust.h"
#include "core/verify.h"

/* What the verify callback needs; lives as long as the instance. */
typedef struct {
	pc_trust	*trust;
	SSL_CTX		*ssl_ctx;		/* eap's, hooked */
} phonecert_hook_t;

typedef struct {
	char const		*eap_name;
	char const		*tls_config_name;
	phonecert_hook_t	*hook;
} rlm_phonecert_t;

static const CONF_PARSER module_config[] = {
	{ "eap", FR_CONF_OFFSET(PW_TYPE_STRING, rlm_phonecert_t, eap_name), "eap" },
	{ "tls_config", FR_CONF_OFFSET(PW_TYPE_STRING, rlm_phonecert_t, tls_config_name), "tls-common" },
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

/* The attributes of dictionary.phonecert, checked at start-up so the callback cannot miss one. */
static char const *const phonecert_attributes[] = {
	"Phonecert-Certificate-Type", "Phonecert-Anchor", "Phonecert-Anchor-Accept-Until",
	"Phonecert-Device-Name", "Phonecert-MAC", "Phonecert-Model", "Phonecert-PID",
	"Phonecert-Serial-Number", "Phonecert-Reason", NULL
};

static char const *request_value(REQUEST *request, char const *attribute)
{
	DICT_ATTR const *da = dict_attrbyname(attribute);
	VALUE_PAIR *vp = da ? fr_pair_find_by_da(request->packet->vps, da, TAG_ANY) : NULL;

	return vp ? vp->vp_strvalue : NULL;
}

/*
 *	Configuration → trust set
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
	return tls_conf->ctx;
}

/*
 *	In the handshake
 */
static void add_pair(TALLOC_CTX *ctx, VALUE_PAIR **list, char const *attribute, char const *value)
{
	if (value && *value) fr_pair_make(ctx, list, attribute, value, T_OP_SET);
}

/* The Phonecert-* attributes describing result, added to one list. */
static void add_result_pairs(TALLOC_CTX *ctx, VALUE_PAIR **list, pc_result const *result)
{
	char until[PC_TIME_STRLEN] = "";
	time_t when;

	if (result->anchor) {
		add_pair(ctx, list, "Phonecert-Anchor", pc_anchor_name(result->anchor));
		if (pc_anchor_accept_until(result->anchor, &when)) pc_time_format(when, until, sizeof(until));
		add_pair(ctx, list, "Phonecert-Anchor-Accept-Until", until);
	}
	if (result->cert_type != PC_CERT_UNKNOWN) {
		add_pair(ctx, list, "Phonecert-Certificate-Type", pc_cert_type_name(result->cert_type));
	}
	if (result->identity.has_device) {
		add_pair(ctx, list, "Phonecert-Device-Name", result->identity.device_name);
		add_pair(ctx, list, "Phonecert-MAC", result->identity.mac);
		add_pair(ctx, list, "Phonecert-Model", result->identity.model);
	}
	add_pair(ctx, list, "Phonecert-PID", result->identity.pid);
	add_pair(ctx, list, "Phonecert-Serial-Number", result->identity.sn);
	if (result->verdict == PC_VERDICT_REJECT) add_pair(ctx, list, "Phonecert-Reason", result->reason);
}

static void record_reject(REQUEST *request, pc_result const *result)
{
	char message[PC_REASON_LEN + 16];
	VALUE_PAIR *vp;

	RAUTH("phonecert: reject %s %s (issuer %s, serial %s, anchor %s): %s%s%s",
	      result->cert_type == PC_CERT_UNKNOWN ? "phone certificate" : pc_cert_type_name(result->cert_type),
	      result->subject, result->issuer, result->serial,
	      result->anchor ? pc_anchor_name(result->anchor) : "none",
	      result->reason, result->hint ? "; " : "", result->hint ? result->hint : "");

	/* The handshake fails in this round, and this round's request is the one rejected. */
	add_result_pairs(request->packet, &request->packet->vps, result);

	/*
	 *	"Login incorrect" shows the first Module-Failure-Message. OpenSSL's
	 *	generic one ("certificate has expired") may already be there: put
	 *	phonecert's, which says which phone and anchor, in front of it.
	 */
	snprintf(message, sizeof(message), "phonecert: %s", result->reason);
	vp = fr_pair_make(request->packet, NULL, "Module-Failure-Message", message, T_OP_ADD);
	if (vp) {
		vp->next = request->packet->vps;
		request->packet->vps = vp;
	}
}

static void record_accept(REQUEST *request, TALLOC_CTX *session_ctx, VALUE_PAIR **session_certs,
			  pc_result const *result)
{
	RDEBUG2("phonecert: %s %s verified by %s %s", pc_cert_type_name(result->cert_type),
		result->identity.device_name, pc_anchor_kind_name(pc_anchor_get_kind(result->anchor)),
		pc_anchor_name(result->anchor));
	/* Copied into every later round's request by eap, so check-eap-tls and post-auth see them. */
	add_result_pairs(session_ctx, session_certs, result);
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

	switch (pc_verify(hook->trust, ctx, time(NULL), &result)) {
	case PC_VERDICT_NOT_PHONE:
		RDEBUG2("phonecert: %s is not a phone certificate, leaving it to eap's own checks", result.subject);
		return X509_verify_cert(ctx);

	case PC_VERDICT_ACCEPT:
		if (!session_certs || !session_ctx) {
			snprintf(result.reason, sizeof(result.reason), "internal error: the TLS session has no certificate list");
			break;
		}
		record_accept(request, session_ctx, session_certs, &result);
		return 1;

	case PC_VERDICT_REJECT:
		break;
	}
	record_reject(request, &result);
	if (X509_STORE_CTX_get_error(ctx) == X509_V_OK) X509_STORE_CTX_set_error(ctx, X509_V_ERR_UNSPECIFIED);
	return 0;
}

/*
 *	Post-auth: the handshake's verdict, as the rest of the server saw it.
 */
static rlm_rcode_t CC_HINT(nonnull) mod_post_auth(UNUSED void *instance, REQUEST *request)
{
	char const *type = request_value(request, "Phonecert-Certificate-Type");

	if (!type) return RLM_MODULE_NOOP;	/* not a phone certificate handshake */

	RAUTH("accept %s %s model %s anchor %s",
	      type, request_value(request, "Phonecert-Device-Name") ?: "-",
	      request_value(request, "Phonecert-Model") ?: "-", request_value(request, "Phonecert-Anchor") ?: "-");
	return RLM_MODULE_OK;
}

/*
 *	Module life cycle
 */
static int check_dictionary(CONF_SECTION *conf)
{
	for (char const *const *name = phonecert_attributes; *name; name++) {
		if (!dict_attrbyname(*name)) {
			cf_log_err_cs(conf, "Attribute %s is not in the dictionary: add "
				      "'$INCLUDE dictionary.phonecert' to the raddb dictionary file", *name);
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

static int mod_instantiate(CONF_SECTION *conf, void *instance)
{
	rlm_phonecert_t *inst = instance;
	SSL_CTX *ssl_ctx;
	pc_trust *trust;

	if (check_dictionary(conf) < 0) return -1;
	trust = load_trust(conf);
	if (!trust) return -1;

	inst->hook = talloc_zero(inst, phonecert_hook_t);
	inst->hook->trust = trust;
	talloc_set_destructor(inst->hook, hook_destructor);

	ssl_ctx = find_eap_ssl_ctx(inst, conf);
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
	inst->hook->ssl_ctx = ssl_ctx;
	SSL_CTX_set_cert_verify_callback(ssl_ctx, phonecert_verify_cert, inst->hook);
	advertise_anchors(ssl_ctx, trust);

	INFO("rlm_phonecert (%s): deciding phone certificates in eap %s tls-config %s with %zu anchor(s)",
	     cf_section_name2(conf) ? cf_section_name2(conf) : cf_section_name1(conf),
	     inst->eap_name, inst->tls_config_name, pc_trust_anchor_count(trust));
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
