/* SPDX-License-Identifier: GPL-2.0-or-later */
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

#include "../config/phonecert_conf.h"
#include "attributes.h"
#include "fleet_blocklist.h"
#include "phonecert.h"
#include "session_parts.h"

/* FreeRADIUS parses phonecert_options_config into the instance: the options come first. */
typedef struct {
	phonecert_options_t	options;
	char const		*name;
	phonecert_hook_t	*hook;
} rlm_phonecert_t;

/*
 *	Configuration → trust set and policy (config/phonecert_conf.c)
 */

/* A problem that refuses start-up (or the reload), logged as cf_log_err_cs logs: "file[line]: message". */
static void log_problem(UNUSED void *ctx, pc_problem const *problem)
{
	ERROR("%s[%d]: %s", problem->file, problem->line, problem->message);
}

/* unsafe_permissions = warn: what would refuse start-up is logged as a warning, at every start and reload. */
static void log_warning(UNUSED void *ctx, pc_problem const *problem)
{
	WARN("%s[%d]: %s", problem->file, problem->line, problem->message);
}

/*
 *	Read at start-up and on every HUP: a broken configuration or block_file,
 *	or files others than root and radiusd's user can change, refuse either,
 *	and a HUP keeps the old generation.
 */
static phonecert_generation_t *load_generation(rlm_phonecert_t const *inst, CONF_SECTION *conf)
{
	phonecert_generation_t *generation = calloc(1, sizeof(*generation));
	phonecert_anchors_t anchors;
	pc_expected_config expected;	/* phonecert report's: only checked here */
	bool refused;

	if (!generation) {
		cf_log_err_cs(conf, "Out of memory");
		return NULL;
	}
	if (phonecert_conf_policy(conf, &inst->options, &generation->policy, log_problem, NULL) == 0 &&
	    phonecert_conf_blocklist(conf, &inst->options, &generation->blocklist, log_problem, NULL) == 0 &&
	    phonecert_conf_keyring(conf, &inst->options, &generation->keyring, log_problem, NULL) == 0 &&
	    phonecert_conf_anchors(conf, &anchors, log_problem, NULL) == 0 &&
	    phonecert_conf_expected(conf, &expected, log_problem, NULL) == 0) {
		generation->policy.blocklist = generation->blocklist;
		/* Every anchor's problem is logged, so that all are fixed at once. */
		generation->trust = pc_trust_build(anchors.configs, anchors.count, cf_section_filename(conf),
						   cf_section_lineno(conf), log_problem, NULL, &refused);
		/* After the files loaded: a missing one is told as such, not as one whose writers cannot be known. */
		if (refused ||
		    phonecert_conf_file_writers(conf, &inst->options, &anchors, log_problem, log_warning, NULL) < 0) {
			pc_trust_free(generation->trust);
			generation->trust = NULL;
		}
		talloc_free(anchors.configs);
		talloc_free(anchors.sections);
		talloc_free(expected.lists);
	}
	if (!generation->trust) {
		generation_free(generation);
		return NULL;
	}
	return generation;
}

/*
 *	Finding eap's SSL_CTX
 */

/* No certificate is verified on resumption: only post-auth can re-apply the policy then. */
static int check_post_auth(rlm_phonecert_t const *inst, CONF_SECTION *conf, bool resumes_sessions)
{
	if (!resumes_sessions || phonecert_conf_in_post_auth(conf, inst->name)) return 0;
	phonecert_conf_tell_section(log_problem, NULL, conf, "tls-config %s resumes TLS sessions (cache { enable = yes }), "
				    "but %s is not called in any post-auth section: resumed phone sessions would skip its policy. Add "
				    "phonecert_post_auth (policy.d/phonecert) or '%s' to post-auth, or disable the session cache",
				    inst->options.tls_config_name, inst->name, inst->name);
	return -1;
}

static fr_tls_server_conf_t *find_eap_tls_conf(rlm_phonecert_t const *inst, CONF_SECTION *conf)
{
	CONF_SECTION *tls_cs = phonecert_conf_tls_section(conf, &inst->options, log_problem, NULL);
	fr_tls_server_conf_t *tls_conf;

	if (!tls_cs) return NULL;
	/* eap caches its parsed TLS configuration on the section; if eap is not up yet, parse it now and eap reuses it. */
	tls_conf = cf_data_find(tls_cs, "tls-conf");
	if (!tls_conf) tls_conf = tls_server_conf_parse(tls_cs);
	if (!tls_conf || !tls_conf->ctx) {
		cf_log_err_cs(tls_cs, "Cannot set up TLS for tls-config %s", inst->options.tls_config_name);
		return NULL;
	}
	return tls_conf;
}

/*
 *	Module life cycle
 */

/* FreeRADIUS 3.2 loses a resumed TLS 1.3 session's cached attributes: hook.c resumes none with a client certificate. */
static void tell_tls13_not_resumed(rlm_phonecert_t const *inst, fr_tls_server_conf_t const *tls_conf)
{
	int max = SSL_CTX_get_max_proto_version(tls_conf->ctx);

	if (!tls_conf->session_cache_enable || (SSL_CTX_get_options(tls_conf->ctx) & SSL_OP_NO_TLSv1_3) ||
	    (max != 0 && max < TLS1_3_VERSION)) return;
	INFO("rlm_phonecert (%s): tls-config %s allows TLS 1.3: its sessions with a client certificate are not "
	     "resumed (FreeRADIUS 3.2 does not restore their cached attributes), TLS 1.2 sessions are",
	     inst->name, inst->options.tls_config_name);
}

/* A session store through a virtual server may be shared by several servers: unsealed, its writers decide who resumes. */
static void tell_unsealed_store(rlm_phonecert_t const *inst, fr_tls_server_conf_t const *tls_conf,
				phonecert_generation_t const *generation)
{
	if (!tls_conf->session_cache_enable || !tls_conf->session_cache_server || generation->keyring) return;
	WARN("rlm_phonecert (%s): tls-config %s caches TLS sessions through virtual server %s without fleet_secret_file: "
	     "whoever can write that store can get a phone in or keep one out. Set fleet_secret_file (doc/fleet.md)",
	     inst->name, inst->options.tls_config_name, tls_conf->session_cache_server);
}

/* First start: hook eap's SSL_CTX. */
static int hook_eap(rlm_phonecert_t *inst, CONF_SECTION *conf, phonecert_generation_t *generation)
{
	fr_tls_server_conf_t *tls_conf = find_eap_tls_conf(inst, conf);
	char err[1024];	/* the CertificateRequest message is long */

	if (!tls_conf || check_post_auth(inst, conf, tls_conf->session_cache_enable) < 0) return -1;
	tell_tls13_not_resumed(inst, tls_conf);
	tell_unsealed_store(inst, tls_conf, generation);
	inst->hook = hook_install(tls_conf->ctx, inst->name, inst->options.eap_name, inst->options.tls_config_name,
				  tls_conf, generation, err, sizeof(err));
	if (!inst->hook) {
		phonecert_conf_tell_section(log_problem, NULL, conf, "%s", err);	/* whole: cf_log_err_cs cuts at 255 bytes */
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
	if (!hook_same_eap(hook, inst->options.eap_name, inst->options.tls_config_name)) {
		cf_log_err_cs(conf, "eap and tls_config cannot change on HUP: restart the server to hook eap %s "
			      "tls-config %s", inst->options.eap_name, inst->options.tls_config_name);
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
	char problem[1024];
	int rcode;

	inst->name = phonecert_conf_instance_name(conf);

	/* On HUP FreeRADIUS parsed our options from the old section: read them from the one we are given. */
	if (phonecert_conf_options(conf, &inst->options, log_problem, NULL) < 0) return -1;

	if (phonecert_dictionary_problem(problem, sizeof(problem))) {
		phonecert_conf_tell_section(log_problem, NULL, conf, "%s", problem);
		return -1;
	}
	attributes_resolve();

	generation = load_generation(inst, conf);
	if (!generation) return -1;
	if (fleet_blocklist_prepare(inst->name, &inst->options.fleet_block_list, &generation->policy.fleet_blocklist) < 0) {
		generation_free(generation);
		return -1;
	}

	hook = hook_find(inst->name);
	rcode = hook ? rehook(inst, conf, hook, generation) : hook_eap(inst, conf, generation);
	if (rcode == 0) fleet_blocklist_run(inst->name, &inst->options.fleet_block_list);
	if (rcode < 0) {
		generation_free(generation);
		return -1;
	}

	INFO("rlm_phonecert (%s): %s phone certificates in eap %s tls-config %s with %zu anchor(s), %zu blocked%s%s (rlm_phonecert " PHONECERT_VERSION ")",
	     inst->name, hook ? "reloaded: deciding" : "deciding", inst->options.eap_name, inst->options.tls_config_name,
	     pc_trust_anchor_count(generation->trust),
	     generation->blocklist ? pc_blocklist_count(generation->blocklist) : 0,
	     generation->keyring ? ", TLS sessions sealed with key " : "",
	     generation->keyring ? pc_keyring_sealing_id(generation->keyring) : "");
	return 0;
}

static rlm_rcode_t CC_HINT(nonnull) mod_post_auth(void *instance, REQUEST *request)
{
	rlm_phonecert_t *inst = instance;

	/* Called in the sections of eap's tls-cache server (sites-available/phonecert-tls-cache). */
	if (hook_in_cache_server(inst->hook, request)) return session_parts(request);
	return post_auth_phone(inst->hook, request, inst->options.log_accepts);
}

extern module_t rlm_phonecert;
module_t rlm_phonecert = {
	.magic		= RLM_MODULE_INIT,
	.name		= "phonecert",
	.type		= RLM_TYPE_THREAD_SAFE | RLM_TYPE_HUP_SAFE,
	.inst_size	= sizeof(rlm_phonecert_t),
	.config		= phonecert_options_config,
	.instantiate	= mod_instantiate,
	.methods = {
		[MOD_POST_AUTH]		= mod_post_auth,
	},
};
