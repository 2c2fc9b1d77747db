/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A TLS session in parts, for a tls-cache virtual server that stores it with
 * rlm_cache (sites-available/phonecert-tls-cache). rlm_cache (FreeRADIUS
 * 3.2.1 and 3.2.7, every driver) reads an entry back one "attribute = value"
 * line at a time into a 1024-byte buffer: a value longer than 1023
 * characters fails the whole entry. A session with a phone's certificate is
 * 0.9 to 1.6 KB, twice that in hex. So in "cache save", before rlm_cache,
 * phonecert cuts &session-state:TLS-Session-Data into
 * Phonecert-TLS-Session-Part attributes of PART_MAX bytes at most (1002
 * characters in hex); in "cache load", after rlm_cache, it joins them back.
 * Nothing here is trusted more for it: the session that comes back is
 * checked by its seal (session_seal.c) before it may resume.
 */
#include <freeradius/radiusd.h>

#include "attributes.h"
#include "session_parts.h"

#define PART_MAX 500

static rlm_rcode_t split(REQUEST *request, VALUE_PAIR const *data)
{
	DICT_ATTR const *da = attribute_da(ATTR_TLS_SESSION_PART);

	fr_pair_delete_by_num(&request->state, da->attr, da->vendor, TAG_ANY);
	for (size_t done = 0; done < data->vp_length; done += PART_MAX) {
		size_t len = data->vp_length - done < PART_MAX ? data->vp_length - done : PART_MAX;
		VALUE_PAIR *part = fr_pair_afrom_da(request->state_ctx, da);

		if (!part) {
			fr_pair_delete_by_num(&request->state, da->attr, da->vendor, TAG_ANY);
			RERROR("phonecert: out of memory: the TLS session is not cached");
			return RLM_MODULE_FAIL;
		}
		fr_pair_value_memcpy(part, data->vp_octets + done, len);
		fr_pair_add(&request->state, part);	/* at the end: the parts keep their order */
	}
	RDEBUG2("phonecert: TLS-Session-Data (%zu bytes) in parts of %d bytes at most", data->vp_length, PART_MAX);
	return RLM_MODULE_UPDATED;
}

static rlm_rcode_t join(REQUEST *request)
{
	DICT_ATTR const *da = attribute_da(ATTR_TLS_SESSION_PART);
	VALUE_PAIR *data, *vp;
	vp_cursor_t cursor;
	uint8_t *joined;
	size_t len = 0;

	for (vp = fr_cursor_init(&cursor, &request->state); vp; vp = fr_cursor_next(&cursor)) {
		if (vp->da == da) len += vp->vp_length;
	}
	if (len == 0) return RLM_MODULE_NOOP;
	data = fr_pair_afrom_num(request->state_ctx, PW_TLS_SESSION_DATA, 0);
	joined = talloc_array(request, uint8_t, len);
	if (!data || !joined) {
		talloc_free(data);
		talloc_free(joined);
		RERROR("phonecert: out of memory: the TLS session is not loaded");
		return RLM_MODULE_FAIL;
	}
	len = 0;
	for (vp = fr_cursor_init(&cursor, &request->state); vp; vp = fr_cursor_next(&cursor)) {
		if (vp->da != da) continue;
		memcpy(joined + len, vp->vp_octets, vp->vp_length);
		len += vp->vp_length;
	}
	fr_pair_value_memsteal(data, joined);
	fr_pair_add(&request->state, data);
	RDEBUG2("phonecert: TLS-Session-Data (%zu bytes) joined from its parts", len);
	return RLM_MODULE_UPDATED;
}

rlm_rcode_t session_parts(REQUEST *request)
{
	VALUE_PAIR *data = fr_pair_find_by_num(request->state, PW_TLS_SESSION_DATA, 0, TAG_ANY);

	return data ? split(request, data) : join(request);
}
