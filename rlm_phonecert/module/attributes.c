/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <freeradius/radiusd.h>

#include "../core/text.h"
#include "../core/timeutil.h"
#include "attributes.h"


/* The dictionary is global to the server: so is this table, filled at start-up before any request runs. */
static DICT_ATTR const *attributes[ATTR_COUNT];

/* The numbers ours span: most attributes of a list are told apart by two comparisons. */
static unsigned int lowest, highest;

void attributes_resolve(void)
{
	lowest = UINT_MAX;
	highest = 0;
	for (int i = 0; i < ATTR_COUNT; i++) {
		attributes[i] = dict_attrbyname(phonecert_attribute_names[i]);
		if (attributes[i]->attr < lowest) lowest = attributes[i]->attr;
		if (attributes[i]->attr > highest) highest = attributes[i]->attr;
	}
}

/* Which of ours da is, or -1. */
static int attribute_index(DICT_ATTR const *da)
{
	if (da->attr < lowest || da->attr > highest) return -1;
	for (int i = 0; i < ATTR_COUNT; i++) {
		if (da == attributes[i]) return i;
	}
	return -1;
}

DICT_ATTR const *attribute_da(phonecert_attr_t attr)
{
	return attributes[attr];
}

bool attribute_is(VALUE_PAIR const *vp, phonecert_attr_t attr)
{
	return vp->da == attributes[attr];
}

VALUE_PAIR *attributes_take_ours(VALUE_PAIR **list)
{
	vp_cursor_t cursor, out;
	VALUE_PAIR *taken = NULL;
	VALUE_PAIR *vp = fr_cursor_init(&cursor, list);

	fr_cursor_init(&out, &taken);
	while (vp) {
		if (attribute_index(vp->da) < 0) {
			vp = fr_cursor_next(&cursor);
			continue;
		}
		fr_cursor_insert(&out, fr_cursor_remove(&cursor));
		vp = fr_cursor_current(&cursor);
	}
	return taken;
}

void attributes_steal(TALLOC_CTX *ctx, VALUE_PAIR *list)
{
	for (VALUE_PAIR *vp = list; vp; vp = vp->next) fr_pair_steal(ctx, vp);
}

void phone_attributes_find(VALUE_PAIR *list, phone_attributes *found)
{
	vp_cursor_t cursor;

	*found = (phone_attributes) { { 0 } };
	for (VALUE_PAIR *vp = fr_cursor_init(&cursor, &list); vp; vp = fr_cursor_next(&cursor)) {
		int i = attribute_index(vp->da);

		if (i >= 0 && !found->vp[i]) found->vp[i] = vp;
	}
}

void attribute_add(TALLOC_CTX *ctx, VALUE_PAIR **list, phonecert_attr_t attr, char const *value)
{
	VALUE_PAIR *vp;

	if (!value || !*value) return;
	vp = fr_pair_afrom_da(ctx, attributes[attr]);
	if (!vp) return;
	/* A string as it is: fr_pair_value_from_str would turn a certificate's "\\n" into a line break. */
	if (vp->da->type == PW_TYPE_STRING) {
		fr_pair_value_strcpy(vp, value);
	} else if (fr_pair_value_from_str(vp, value, -1) < 0) {
		talloc_free(vp);
		return;
	}
	vp->op = T_OP_SET;
	fr_pair_replace(list, vp);
}

static void add_result(TALLOC_CTX *ctx, VALUE_PAIR **list, pc_result const *result)
{
	char until[PC_TIME_STRLEN] = "";
	time_t when;

	if (result->anchor) {
		attribute_add(ctx, list, ATTR_ANCHOR, pc_anchor_name(result->anchor));
		attribute_add(ctx, list, ATTR_ANCHOR_FINGERPRINT, result->anchor_fingerprint);
		if (pc_anchor_accept_until(result->anchor, &when)) pc_time_format(when, until, sizeof(until));
		attribute_add(ctx, list, ATTR_ANCHOR_ACCEPT_UNTIL, until);
	}
	if (result->cert_type != PC_CERT_UNKNOWN) {
		attribute_add(ctx, list, ATTR_CERTIFICATE_TYPE, pc_cert_type_name(result->cert_type));
	}
	if (result->identity.has_device) {
		attribute_add(ctx, list, ATTR_DEVICE_NAME, result->identity.device_name);
		attribute_add(ctx, list, ATTR_MAC, result->identity.mac);
		attribute_add(ctx, list, ATTR_MODEL, result->identity.model);
	}
	attribute_add(ctx, list, ATTR_COMMON_NAME, result->identity.cn);
	attribute_add(ctx, list, ATTR_PID, result->identity.pid);
	attribute_add(ctx, list, ATTR_SERIAL_NUMBER, result->identity.sn);
	attribute_add(ctx, list, ATTR_CERTIFICATE_SERIAL, result->serial);
	attribute_add(ctx, list, ATTR_CERTIFICATE_NOT_BEFORE, result->not_before);
	attribute_add(ctx, list, ATTR_CERTIFICATE_NOT_AFTER, result->not_after);
	if (result->expired) attribute_add(ctx, list, ATTR_EXPIRED, "yes");
	if (result->legacy) attribute_add(ctx, list, ATTR_LEGACY_SIGNATURE, "yes");
	if (result->verdict == PC_VERDICT_REJECT) {
		attribute_add(ctx, list, ATTR_REASON, result->reason);
		attribute_add(ctx, list, ATTR_ADVICE, result->hint);
	}
}

/*
 * A certificate's attributes and their values come from one talloc pool, one
 * malloc instead of two per attribute: every phone's handshake makes them, and
 * glibc's malloc and free were the largest part of what the module adds to
 * radiusd's CPU time (bench/RESULTS.md, section 4). They fit with room to
 * spare; more would be taken from malloc as usual.
 */
#define RESULT_POOL_SIZE 8192

/*
 * Built apart and added at once: each attribute_add replaces along the whole
 * list it is given. What a certificate verified before left in list goes
 * first: it must not mix with this one's. decided, if not NULL, is the
 * Phonecert-Decided marker to add.
 */
static void replace_ours(TALLOC_CTX *ctx, VALUE_PAIR **list, pc_result const *result, char const *decided)
{
	VALUE_PAIR *ours = NULL;
	VALUE_PAIR *earlier = attributes_take_ours(list);
	TALLOC_CTX *pool = talloc_pool(ctx, RESULT_POOL_SIZE);

	fr_pair_list_free(&earlier);
	if (result->verdict != PC_VERDICT_NOT_PHONE) add_result(pool ? pool : ctx, &ours, result);
	if (decided) attribute_add(pool ? pool : ctx, &ours, ATTR_DECIDED, decided);
	/* Owned by ctx, as before; the pool's memory goes back to malloc when the last of them is freed. */
	attributes_steal(ctx, ours);
	talloc_free(pool);
	fr_pair_add(list, ours);
}

void attributes_add_result(TALLOC_CTX *ctx, VALUE_PAIR **list, pc_result const *result)
{
	replace_ours(ctx, list, result, NULL);
}

void attributes_add_session(TALLOC_CTX *ctx, VALUE_PAIR **list, pc_result const *result)
{
	replace_ours(ctx, list, result, result->verdict == PC_VERDICT_ACCEPT ? "phone" : "not-phone");
}

/* Whether an integer attribute holds the dictionary's value of that name (dictionary.phonecert defines them). */
static bool has_value(VALUE_PAIR const *vp, char const *name)
{
	char const *value = vp ? dict_valnamebyattr(vp->da->attr, vp->da->vendor, vp->vp_integer) : NULL;

	return value && strcmp(value, name) == 0;
}

char const *attributes_unresumable(VALUE_PAIR *cached)
{
	phone_attributes found;

	phone_attributes_find(cached, &found);
	if (!found.vp[ATTR_DECIDED]) return "it carries no Phonecert-Decided: phonecert did not decide its client certificate";
	if (!has_value(found.vp[ATTR_DECIDED], "phone")) return NULL;	/* not a phone: eap's own checks */
	if (!phone_attribute_value(&found, ATTR_CERTIFICATE_TYPE) || !phone_attribute_value(&found, ATTR_ANCHOR) ||
	    !phone_attribute_value(&found, ATTR_ANCHOR_FINGERPRINT)) {
		return "it lacks the phone facts that post-auth re-checks (Phonecert-Certificate-Type, -Anchor, "
		       "-Anchor-Fingerprint)";
	}
	return NULL;
}

char const *phone_attribute_value(phone_attributes const *found, phonecert_attr_t attr)
{
	VALUE_PAIR const *vp = found->vp[attr];

	return vp && vp->da->type == PW_TYPE_STRING ? vp->vp_strvalue : NULL;
}

bool phone_attribute_is_yes(phone_attributes const *found, phonecert_attr_t attr)
{
	VALUE_PAIR const *vp = found->vp[attr];

	return vp && vp->da->type == PW_TYPE_INTEGER && vp->vp_integer == 1;
}

/* value with its unsafe characters as \xHH, talloc'd under ctx; NULL when it has none (or out of memory). */
static char *escaped(TALLOC_CTX *ctx, char const *value)
{
	size_t needed = pc_escape(NULL, 0, value, PC_ESCAPE_TEXT);
	char *out;

	if (needed == strlen(value)) return NULL;
	out = talloc_array(ctx, char, needed + 1);
	if (out) pc_escape(out, needed + 1, value, PC_ESCAPE_TEXT);
	return out;
}

/* A string the switch sent (attr of the request), copied escaped into ours (copy), for the inventory. */
static void copy_safe(REQUEST *request, unsigned int attr, phonecert_attr_t copy)
{
	char const *value = request_string(request, attr);
	char *safe;

	if (!value) return;
	safe = escaped(request, value);
	attribute_add(request->packet, &request->packet->vps, copy, safe ? safe : value);
	talloc_free(safe);
}

/* Where the switch's packet came from: what "phonecert block --now" looks up in clients.conf. */
static void add_switch_address(REQUEST *request)
{
	char address[INET6_ADDRSTRLEN];

	if (!inet_ntop(request->packet->src_ipaddr.af, &request->packet->src_ipaddr.ipaddr, address, sizeof(address))) return;
	attribute_add(request->packet, &request->packet->vps, ATTR_SWITCH_ADDRESS, address);
}

void attributes_make_safe(REQUEST *request)
{
	vp_cursor_t cursor;
	char *safe;

	for (VALUE_PAIR *vp = fr_cursor_init(&cursor, &request->packet->vps); vp; vp = fr_cursor_next(&cursor)) {
		if (attribute_index(vp->da) < 0 || vp->da->type != PW_TYPE_STRING) continue;
		safe = escaped(vp, vp->vp_strvalue);
		if (safe) fr_pair_value_strsteal(vp, safe);
	}
	copy_safe(request, PW_NAS_PORT_ID, ATTR_NAS_PORT_ID);
	copy_safe(request, PW_CALLING_STATION_ID, ATTR_CALLING_STATION_ID);
	add_switch_address(request);
}

char const *request_string(REQUEST *request, unsigned int attr)
{
	VALUE_PAIR *vp = fr_pair_find_by_num(request->packet->vps, attr, 0, TAG_ANY);

	return vp && vp->da->type == PW_TYPE_STRING ? vp->vp_strvalue : NULL;
}

void prepend_failure_message(REQUEST *request, char const *reason)
{
	char escaped[PC_REASON_LEN * 4];
	char message[sizeof(escaped) + 16];
	VALUE_PAIR *vp;

	/* The reason may quote a stranger's text: FreeRADIUS' "Login incorrect (...)" line shows this as it is. */
	pc_escape(escaped, sizeof(escaped), reason, PC_ESCAPE_LOG);
	snprintf(message, sizeof(message), "phonecert: %s", escaped);
	vp = fr_pair_make(request->packet, NULL, "Module-Failure-Message", NULL, T_OP_ADD);
	if (!vp) return;
	fr_pair_value_strcpy(vp, message);	/* as it is: fr_pair_make would undo the escaping */
	/* OpenSSL's generic message ("certificate has expired") may be there already: ours says which phone and anchor. */
	vp->next = request->packet->vps;
	request->packet->vps = vp;
}
