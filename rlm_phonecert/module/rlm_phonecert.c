/*
 * rlm_phonecert: FreeRADIUS glue for the phone-certificate core.
 *
 * This file turns the module's configuration into a trust set (core/trust.c)
 * and a policy (core/policy.c) and hooks the SSL_CTX of an eap module's
 * tls-config section (hook.c). In each EAP-TLS handshake the callback asks the
 * core about the client certificate (handshake.c); in post-auth the policy is
 * re-applied and one line per phone is logged (post_auth.c).
 *
 * HUP (SIGHUP after a configuration change, or radmin "hup phonecert")
 * instantiates the module again: the new trust set and policy replace the old
 * ones on the existing hook; a configuration that fails to load leaves the old
 * ones in force.
 */
RCSID("$Id$")

#include <freeradius/radiusd.h>
#include <freeradius/modules.h>

#include "attributes.h"
#include "phonecert.h"

typedef struct {
	char const		*name;
	char const		*eap_name;
	char const		*tls_config_name;
	char const		*mic;
	char const		*mic_expired;
	char const		*mic_legacy_signatures;
	char const		*bind_mac;
	char const		*bind_identity;
	phonecert_hook_t	*hook;
} rlm_phonecert_t;

static const CONF_PARSER module_config[] = {
	{ "eap", FR_CONF_OFFSET(PW_TYPE_STRING, rlm_phonecert_t, eap_name), "eap" },
	{ "tls_config", FR_CONF_OFFSET(PW_TYPE_STRING, rlm_phonecert_t, tls_config_name), "tls-common" },
	{ "mic", FR_CONF_OFFSET(PW_TYPE_STRING, rlm_phonecert_t, mic), "allow" },
	{ "mic_expired", FR_CONF_OFFSET(PW_TYPE_STRING, rlm_phonecert_t, mic_expired), "reject" },
	{ "mic_legacy_signatures", FR_CONF_OFFSET(PW_TYPE_STRING, rlm_phonecert_t, mic_legacy_signatures), "reject" },
	{ "bind_mac", FR_CONF_OFFSET(PW_TYPE_STRING, rlm_phonecert_t, bind_mac), "yes" },
	{ "bind_identity", FR_CONF_OFFSET(PW_TYPE_STRING, rlm_phonecert_t, bind_identity), "yes" },
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

/*
 *	Configuration → trust set and policy
 */
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
		if (!pc_anchor_kind_parse(cf_section_name1(cs), &kind)) {
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
		{ "bind_mac", inst->bind_mac },
		{ "bind_identity", inst->bind_identity },
	};
	char err[256];

	pc_policy_defaults(policy);
	for (size_t i = 0; i < sizeof(choices) / sizeof(choices[0]); i++) {
		if (pc_policy_set(policy, choices[i].option, choices[i].value, err, sizeof(err)) < 0) {
			cf_log_err_cs(conf, "%s", err);
			return -1;
		}
	}
	return 0;
}

static phonecert_generation_t *load_generation(rlm_phonecert_t const *inst, CONF_SECTION *conf)
{
	phonecert_generation_t *generation = calloc(1, sizeof(*generation));

	if (!generation) {
		cf_log_err_cs(conf, "Out of memory");
		return NULL;
	}
	if (load_policy(inst, conf, &generation->policy) < 0 || !(generation->trust = load_trust(conf))) {
		generation_free(generation);
		return NULL;
	}
	return generation;
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

/* policy { NAME { ... } }: a policy called by name from a site, as policy.d/phonecert's phonecert_post_auth. */
static CONF_SECTION *find_policy(CONF_SECTION const *cs, char const *name)
{
	CONF_SECTION *policies = cf_section_sub_find(cf_top_section((CONF_SECTION *)cs), "policy");

	return policies ? cf_section_sub_find(policies, name) : NULL;
}

/*
 *	Is the module called by this name anywhere inside cs (if-blocks,
 *	Post-Auth-Type subsections, policies it calls)? depth counts policies
 *	calling policies (radiusd refuses loops, but this runs before it checks).
 */
static bool section_calls(CONF_SECTION const *cs, char const *name, int depth)
{
	CONF_ITEM *ci;

	if (depth > 8) return false;
	for (ci = cf_item_find_next(cs, NULL); ci; ci = cf_item_find_next(cs, ci)) {
		if (cf_item_is_pair(ci)) {
			char const *called = cf_pair_attr(cf_item_to_pair(ci));
			CONF_SECTION *policy;

			if (strcmp(called, name) == 0) return true;
			policy = find_policy(cs, called);
			if (policy && section_calls(policy, name, depth + 1)) return true;
		}
		if (cf_item_is_section(ci) && section_calls(cf_item_to_section(ci), name, depth)) return true;
	}
	return false;
}

static bool called_in_post_auth(CONF_SECTION *conf, char const *name)
{
	CONF_SECTION *top = cf_top_section(conf), *server;

	for (server = cf_subsection_find_next(top, NULL, "server"); server;
	     server = cf_subsection_find_next(top, server, "server")) {
		CONF_SECTION *post_auth = cf_section_sub_find(server, "post-auth");

		if (post_auth && section_calls(post_auth, name, 0)) return true;
	}
	return false;
}

/* No certificate is verified on resumption: only post-auth can re-apply the policy then. */
static int check_post_auth(rlm_phonecert_t const *inst, CONF_SECTION *conf, bool resumes_sessions)
{
	if (!resumes_sessions || called_in_post_auth(conf, inst->name)) return 0;
	cf_log_err_cs(conf, "tls-config %s resumes TLS sessions (cache { enable = yes }), but %s is not called "
		      "in any post-auth section: resumed phone sessions would skip its policy. Add phonecert_post_auth "
		      "(policy.d/phonecert) or '%s' to post-auth, or disable the session cache",
		      inst->tls_config_name, inst->name, inst->name);
	return -1;
}

static fr_tls_server_conf_t *find_eap_tls_conf(rlm_phonecert_t const *inst, CONF_SECTION *conf)
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
	return tls_conf;
}

/*
 *	Module life cycle
 */

/* First start: hook eap's SSL_CTX. */
static int hook_eap(rlm_phonecert_t *inst, CONF_SECTION *conf, phonecert_generation_t *generation)
{
	fr_tls_server_conf_t *tls_conf = find_eap_tls_conf(inst, conf);
	char err[256];

	if (!tls_conf || check_post_auth(inst, conf, tls_conf->session_cache_enable) < 0) return -1;
	inst->hook = hook_install(tls_conf->ctx, inst->name, inst->eap_name, inst->tls_config_name,
				  tls_conf->session_cache_enable, generation, err, sizeof(err));
	if (!inst->hook) {
		cf_log_err_cs(conf, "%s", err);
		return -1;
	}
	return 0;
}

/*
 *	HUP: eap kept its SSL_CTX and our hook on it. Its tls-config section in
 *	the new configuration tree is not the one eap uses, so it is not looked
 *	at; only the hook's trust set and policy are replaced.
 */
static int rehook(rlm_phonecert_t *inst, CONF_SECTION *conf, phonecert_hook_t *hook,
		  phonecert_generation_t *generation)
{
	if (!hook_same_eap(hook, inst->eap_name, inst->tls_config_name)) {
		cf_log_err_cs(conf, "eap and tls_config cannot change on HUP: restart the server to hook eap %s "
			      "tls-config %s", inst->eap_name, inst->tls_config_name);
		return -1;
	}
	if (check_post_auth(inst, conf, hook_resumes_sessions(hook)) < 0) return -1;
	hook_replace(hook, generation);
	inst->hook = hook;
	return 0;
}

static int mod_instantiate(CONF_SECTION *conf, void *instance)
{
	rlm_phonecert_t *inst = instance;
	phonecert_generation_t *generation;
	phonecert_hook_t *hook;
	char const *missing;
	int rcode;

	inst->name = cf_section_name2(conf) ? cf_section_name2(conf) : cf_section_name1(conf);

	/* On HUP FreeRADIUS parsed our options from the old section: read them from the one we are given. */
	if (cf_section_parse(conf, inst, module_config) < 0) return -1;

	missing = attributes_resolve();
	if (missing) {
		cf_log_err_cs(conf, "Attribute %s is not in the dictionary: add "
			      "'$INCLUDE dictionary.phonecert' to the raddb dictionary file", missing);
		return -1;
	}

	generation = load_generation(inst, conf);
	if (!generation) return -1;

	hook = hook_find(inst->name);
	rcode = hook ? rehook(inst, conf, hook, generation) : hook_eap(inst, conf, generation);
	if (rcode < 0) {
		generation_free(generation);
		return -1;
	}

	INFO("rlm_phonecert (%s): %s phone certificates in eap %s tls-config %s with %zu anchor(s)",
	     inst->name, hook ? "reloaded: deciding" : "deciding", inst->eap_name, inst->tls_config_name,
	     pc_trust_anchor_count(generation->trust));
	return 0;
}

static rlm_rcode_t CC_HINT(nonnull) mod_post_auth(void *instance, REQUEST *request)
{
	rlm_phonecert_t *inst = instance;

	return post_auth_phone(inst->hook, request);
}

extern module_t rlm_phonecert;
module_t rlm_phonecert = {
	.magic		= RLM_MODULE_INIT,
	.name		= "phonecert",
	.type		= RLM_TYPE_THREAD_SAFE | RLM_TYPE_HUP_SAFE,
	.inst_size	= sizeof(rlm_phonecert_t),
	.config		= module_config,
	.instantiate	= mod_instantiate,
	.methods = {
		[MOD_POST_AUTH]		= mod_post_auth,
	},
};
