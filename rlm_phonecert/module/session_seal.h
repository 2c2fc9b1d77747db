/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fleet's seal on cached TLS sessions (session_seal.c). Include after
 * <freeradius/radiusd.h>.
 */
#ifndef PHONECERT_SESSION_SEAL_H
#define PHONECERT_SESSION_SEAL_H

#include <openssl/ssl.h>

#include "../core/seal.h"

/*
 * Seal the new session of ssl with the ring's first key: Phonecert-Session-Seal
 * in its certificate list, which eap caches with it. False with err when it
 * cannot (then the session is cached unsealed, and no server resumes it).
 */
bool session_seal_add(pc_keyring const *ring, SSL *ssl, SSL_SESSION *session, char *err, size_t len);

/*
 * NULL when session, as eap's cache lookup for id brought it back with its
 * cached attributes, carries a seal one of the ring's keys made over it;
 * else why not (written into why).
 */
char const *session_seal_problem(pc_keyring const *ring, SSL_SESSION *session, unsigned char const *id, int id_len,
				 char *why, size_t len);

#endif
