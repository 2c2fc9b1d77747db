/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A TLS session in parts for rlm_cache (session_parts.c). Include after
 * <freeradius/radiusd.h>.
 */
#ifndef PHONECERT_SESSION_PARTS_H
#define PHONECERT_SESSION_PARTS_H

/*
 * In a section of eap's tls-cache virtual server: with
 * &session-state:TLS-Session-Data ("cache save"), cut it into
 * Phonecert-TLS-Session-Part attributes; without ("cache load", after
 * rlm_cache), join those back into it. NOOP when there is neither.
 */
rlm_rcode_t session_parts(REQUEST *request);

#endif
