/*
 * The phonecert section → the core's trust set and policy (phonecert_conf.h).
 */
RCSID("$Id$")

#include <freeradius/radiusd.h>

#include <stdarg.h>

#include "phonecert_conf.h"

const CONF_PARSER phonecert_options_config[] = {
	{ "eap", FR_CONF_OFFSET(PW_TYPE_STRING, phonecert_options_t, eap_name), "eap" },
	{ "tls_config", FR_CONF_OFFSET(PW_TYPE_STRING, phonecert_options_t, tls_config_name), "tls-common" },
	{ "mic", FR_CONF_OFFSET(PW_TYPE_STRING, phonecert_options_t, mic), "allow" },
	{ "mic_expired", FR_CONF_OFFSET(PW_TYPE_STRING, phonecert_options_t, mic_expired), "reject" },
	{ "mic_legacy_signatures", FR_CONF_OFFSET(PW_TYPE_STRING, phonecert_options_t, mic_legacy_signatures), "reject" },
	{ "bind_mac", FR_CONF_OFFSET(PW_TYPE_BOOLEAN, phonecert_options_t, bind_mac), "yes" },
	{ "bind_identity", FR_CONF_OFFSET(PW_TYPE_BOOLEAN, phonecert_options_t, bind_identity), "yes" },
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

static void tell(phonecert_conf_sink_t *sink, void *ctx, CONF_SECTION *where, phonecert_anchor_t const *anchor,
		 char const *fmt, ...) CC_HINT(format (printf, 5, 6));
static void tell(phonecert_conf_sink_t *sink, void *ctx, CONF_SECTION *where, phonecert_anchor_t const *anchor,
		 char const *fmt, ...)
{
	char message[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	sink(ctx, where, anchor, message);
}

char const *phonecert_conf_instance_name(CONF_SECTION *cs)
{
	return cf_section_name2(cs) ? cf_section_name2(cs) : cf_section_name1(cs);
}

int phonecert_conf_options(CONF_SECTION *cs, phonecert_options_t *options)
{
	return cf_section_parse(cs, options, phonecert_options_config) < 0 ? -1 : 0;
}

int phonecert_conf_policy(CONF_SECTION *cs, phonecert_options_t const *options, pc_policy *policy,
			  phonecert_conf_sink_t *sink, void *ctx)
{
	struct { char const *option, *value; } const choices[] = {
		{ "mic", options->mic },
		{ "mic_expired", options->mic_expired },
		{ "mic_legacy_signatures", options->mic_legacy_signatures },
	};
	char err[256];

	pc_policy_defaults(policy);
	for (size_t i = 0; i < sizeof(choices) / sizeof(choices[0]); i++) {
		if (pc_policy_set(policy, choices[i].option, choices[i].value, err, sizeof(err)) < 0) {
			tell(sink, ctx, cs, NULL, "%s", err);
			return -1;
		}
	}
	policy->bind_mac = options->bind_mac;
	policy->bind_identity = options->bind_identity;
	return 0;
}

static int parse_anchor(CONF_SECTION *cs, pc_anchor_kind kind, phonecert_anchor_t *anchor,
			phonecert_conf_sink_t *sink, void *ctx)
{
	anchor_section_t section = { 0 };

	if (kind != PC_ANCHOR_MANUFACTURING && !cf_section_name2(cs)) {
		tell(sink, ctx, cs, NULL, "A %s section needs a name, e.g. %s cluster-2024 { ca_file = ... }",
		     cf_section_name1(cs), cf_section_name1(cs));
		return -1;
	}
	if (kind == PC_ANCHOR_MANUFACTURING && cf_section_name2(cs)) {
		tell(sink, ctx, cs, NULL, "There is one manufacturing section and it takes no name");
		return -1;
	}
	if (cf_section_parse(cs, &section, anchor_config) < 0) return -1;

	*anchor = (phonecert_anchor_t) {
		.config = {
			.kind = kind,
			.name = kind == PC_ANCHOR_MANUFACTURING ? "manufacturing" : cf_section_name2(cs),
			.ca_file = section.ca_file,
			.accept_from = section.accept_from,
			.accept_until = section.accept_until,
		},
		.cs = cs,
	};
	return 0;
}

int phonecert_conf_anchors(CONF_SECTION *cs, phonecert_anchor_t **anchors, size_t *count,
			   phonecert_conf_sink_t *sink, void *ctx)
{
	CONF_ITEM *ci;
	size_t n = 0;

	*count = 0;
	for (ci = cf_item_find_next(cs, NULL); ci; ci = cf_item_find_next(cs, ci)) n += cf_item_is_section(ci);
	*anchors = talloc_zero_array(cs, phonecert_anchor_t, n ? n : 1);
	if (!*anchors) {
		tell(sink, ctx, cs, NULL, "Out of memory");
		return -1;
	}
	for (ci = cf_item_find_next(cs, NULL); ci; ci = cf_item_find_next(cs, ci)) {
		CONF_SECTION *sub;
		pc_anchor_kind kind;

		if (!cf_item_is_section(ci)) continue;
		sub = cf_item_to_section(ci);
		if (!pc_anchor_kind_parse(cf_section_name1(sub), &kind)) {
			tell(sink, ctx, sub, NULL, "Unknown section '%s': expected capf, lsc_ca or manufacturing",
			     cf_section_name1(sub));
			return -1;
		}
		if (parse_anchor(sub, kind, &(*anchors)[*count], sink, ctx) < 0) return -1;
		(*count)++;
	}
	return 0;
}

/* pc_trust_build's refusals, told with the section they are about. */
typedef struct {
	CONF_SECTION			*cs;
	phonecert_anchor_t const	*anchors;
	size_t				count;
	phonecert_conf_sink_t		*sink;
	void				*ctx;
} trust_refusals_t;

static void tell_refusal(void *ctx, size_t index, char const *message)
{
	trust_refusals_t const *r = ctx;

	if (index < r->count) r->sink(r->ctx, r->anchors[index].cs, &r->anchors[index], message);
	else r->sink(r->ctx, r->cs, NULL, message);
}

pc_trust *phonecert_conf_trust(CONF_SECTION *cs, phonecert_anchor_t const *anchors, size_t count,
			       bool every_problem, phonecert_conf_sink_t *sink, void *ctx, bool *refused)
{
	trust_refusals_t refusals = { .cs = cs, .anchors = anchors, .count = count, .sink = sink, .ctx = ctx };
	pc_anchor_config const **configs = talloc_array(cs, pc_anchor_config const *, count ? count : 1);
	pc_trust *trust;

	if (!configs) {
		*refused = true;
		tell(sink, ctx, cs, NULL, "Out of memory");
		return NULL;
	}
	for (size_t i = 0; i < count; i++) configs[i] = &anchors[i].config;
	trust = pc_trust_build(configs, count, every_problem, tell_refusal, &refusals, refused);
	talloc_free(configs);
	return trust;
}

/* modules { eap { ... } } is instance "eap", modules { eap inner { ... } } instance "inner". */
static CONF_SECTION *find_eap_section(CONF_SECTION *modules, char const *instance)
{
	CONF_SECTION *cs;

	for (cs = cf_subsection_find_next(modules, NULL, "eap"); cs; cs = cf_subsection_find_next(modules, cs, "eap")) {
		if (strcmp(phonecert_conf_instance_name(cs), instance) == 0) return cs;
	}
	return NULL;
}

CONF_SECTION *phonecert_conf_tls_section(CONF_SECTION *cs, phonecert_options_t const *options,
					 phonecert_conf_sink_t *sink, void *ctx)
{
	CONF_SECTION *modules = cf_item_parent(cf_section_to_item(cs));
	CONF_SECTION *eap, *tls_cs;

	eap = modules ? find_eap_section(modules, options->eap_name) : NULL;
	if (!eap) {
		tell(sink, ctx, cs, NULL, "eap = %s: no eap module of that name in the modules section", options->eap_name);
		return NULL;
	}
	tls_cs = cf_section_sub_find_name2(eap, "tls-config", options->tls_config_name);
	if (!tls_cs) {
		tell(sink, ctx, cs, NULL, "tls_config = %s: the eap module '%s' (%s) has no tls-config %s section",
		     options->tls_config_name, options->eap_name, cf_section_filename(eap), options->tls_config_name);
		return NULL;
	}
	return tls_cs;
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

bool phonecert_conf_in_post_auth(CONF_SECTION *cs, char const *instance_name)
{
	CONF_SECTION *top = cf_top_section(cs), *server;

	for (server = cf_subsection_find_next(top, NULL, "server"); server;
	     server = cf_subsection_find_next(top, server, "server")) {
		CONF_SECTION *post_auth = cf_section_sub_find(server, "post-auth");

		if (post_auth && section_calls(post_auth, instance_name)) return true;
	}
	return false;
}
