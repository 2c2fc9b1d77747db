/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fleet's seal on cached TLS sessions (fleet_secret_file): what the
 * core's seal (core/seal.h) covers, gathered from OpenSSL's session and
 * the attributes FreeRADIUS caches with it.
 *
 * Sealed when OpenSSL announces the new session (the end of a full
 * handshake), into the session's certificate list, which eap's tls_success
 * then caches whole (persist_dir, or a tls-cache virtual server: a shared
 * store). Checked on what eap's lookup brought back, before the session may
 * resume (hook.c).
 */
#include <freeradius/radiusd.h>

#include <openssl/x509.h>

#include "attributes.h"
#include "session_seal.h"

/* More than phonecert ever caches of one certificate (attributes.c adds about 20). */
#define MAX_SEALED_VALUES 64

/* A value that is not a string, as text (integers in decimal, never by their VALUE names). */
#define TEXT_LEN 64

typedef struct {
	pc_seal_input		in;
	unsigned char		master_key[EVP_MAX_MD_SIZE];
	unsigned char		peer_sha256[PC_SEAL_SHA256_LEN];
	pc_sealed_value		values[MAX_SEALED_VALUES];
	char			texts[MAX_SEALED_VALUES][TEXT_LEN];
} gathered;

static bool sealed_attribute(VALUE_PAIR const *vp)
{
	return strncmp(vp->da->name, "Phonecert-", 10) == 0 && !attribute_is(vp, ATTR_SESSION_SEAL);
}

/* Every Phonecert-* value of list but the seal: false when there are more than a seal covers. */
static bool gather_values(VALUE_PAIR *list, gathered *g)
{
	vp_cursor_t cursor;
	size_t n = 0;

	for (VALUE_PAIR *vp = fr_cursor_init(&cursor, &list); vp; vp = fr_cursor_next(&cursor)) {
		pc_sealed_value *value;

		if (!sealed_attribute(vp)) continue;
		if (n == MAX_SEALED_VALUES) return false;
		value = &g->values[n];
		value->name = vp->da->name;
		if (vp->da->type == PW_TYPE_STRING) {
			value->value = (unsigned char const *)vp->vp_strvalue;
			value->len = vp->vp_length;
			n++;
			continue;
		}
		if (vp->da->type == PW_TYPE_INTEGER) snprintf(g->texts[n], TEXT_LEN, "%u", vp->vp_integer);
		else vp_prints_value(g->texts[n], TEXT_LEN, vp, 0);
		value->value = (unsigned char const *)g->texts[n];
		value->len = strlen(g->texts[n]);
		n++;
	}
	g->in.values = g->values;
	g->in.value_count = n;
	return true;
}

/* What the seal covers of session, looked up (or made) under id, with the attributes cached with it. */
static bool gather(SSL_SESSION *session, unsigned char const *id, size_t id_len, VALUE_PAIR *cached, gathered *g)
{
	X509 *peer = SSL_SESSION_get0_peer(session);
	SSL_CIPHER const *cipher = SSL_SESSION_get0_cipher(session);
	unsigned int digest_len = 0;

	*g = (gathered) {
		.in = {
			.session_id = id,
			.session_id_len = id_len,
			.protocol_version = (unsigned int)SSL_SESSION_get_protocol_version(session),
			.cipher_id = cipher ? SSL_CIPHER_get_id(cipher) : 0,
			.start_time = SSL_SESSION_get_time(session),
			.timeout = SSL_SESSION_get_timeout(session),
		},
	};
	g->in.master_key_len = SSL_SESSION_get_master_key(session, g->master_key, sizeof(g->master_key));
	g->in.master_key = g->master_key;
	if (peer) {
		if (!X509_digest(peer, EVP_sha256(), g->peer_sha256, &digest_len) || digest_len != PC_SEAL_SHA256_LEN) return false;
		g->in.peer_sha256 = g->peer_sha256;
	}
	return gather_values(cached, g);
}

static void forget(gathered *g)
{
	OPENSSL_cleanse(g->master_key, sizeof(g->master_key));
}

bool session_seal_add(pc_keyring const *ring, SSL *ssl, SSL_SESSION *session, char *err, size_t len)
{
	VALUE_PAIR **certs = SSL_get_ex_data(ssl, fr_tls_ex_index_certs);
	TALLOC_CTX *session_ctx = SSL_get_ex_data(ssl, FR_TLS_EX_INDEX_TALLOC);
	unsigned int id_len = 0;
	unsigned char const *id = SSL_SESSION_get_id(session, &id_len);
	char seal[PC_SEAL_STRLEN];
	gathered g;
	bool sealed;

	if (!certs || !session_ctx) {
		snprintf(err, len, "the TLS session has no certificate list to cache the seal in");
		return false;
	}
	sealed = gather(session, id, id_len, *certs, &g) && pc_seal_make(ring, &g.in, seal, sizeof(seal));
	forget(&g);
	if (!sealed) {
		snprintf(err, len, "out of memory, or more than %d Phonecert-* attributes", MAX_SEALED_VALUES);
		return false;
	}
	attribute_add(session_ctx, certs, ATTR_SESSION_SEAL, seal);
	return true;
}

char const *session_seal_problem(pc_keyring const *ring, SSL_SESSION *session, unsigned char const *id, int id_len,
				 char *why, size_t len)
{
	VALUE_PAIR *cached = SSL_SESSION_get_ex_data(session, fr_tls_ex_index_vps);
	phone_attributes found;
	char const *problem;
	gathered g;

	phone_attributes_find(cached, &found);
	if (!gather(session, id, id_len > 0 ? (size_t)id_len : 0, cached, &g)) {
		snprintf(why, len, "it caches more than %d Phonecert-* attributes", MAX_SEALED_VALUES);
		problem = why;
	} else {
		problem = pc_seal_problem(ring, &g.in, phone_attribute_value(&found, ATTR_SESSION_SEAL), why, len);
	}
	forget(&g);
	return problem;
}
