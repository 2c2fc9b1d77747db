/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fleet's seal on a cached TLS session (fleet_secret_file): servers that
 * share a session store seal what they cache with a secret they share, and
 * resume only what carries a seal they can check. Whoever can write the
 * store can then neither get a phone in (a session blob whose master secret
 * they know, forged Phonecert-* facts, an entry put under another session
 * id) nor keep one out: an entry that fails is a cache miss.
 *
 * The key ring, one key a line, blank and # lines ignored:
 *
 *   # KEY-ID  SECRET (hex, 32 to 64 bytes)
 *   fleet-2027  6f1c...e2   <- the first key seals
 *   fleet-2026  a94b...07   <- every key checks
 *
 * A KEY-ID is 1 to 32 letters, digits, '.', '_' or '-'. A secret rotates by
 * putting the new key first, waiting one session lifetime, then removing
 * the old one.
 *
 * The seal is "KEY-ID:HMAC" (HMAC-SHA256 in lower-case hex) over a
 * canonical encoding of what a resumed session rests on: the session id,
 * the master key, the protocol version, the cipher, the SHA-256 of the peer
 * certificate's DER, the session's start time and timeout (so a store cannot
 * prolong it), and the named values cached with it (sorted by name, then
 * value: their order in a list does not matter, each one does). Plain bytes
 * in: the glue gathers them from OpenSSL's session and FreeRADIUS' list.
 */
#ifndef PHONECERT_SEAL_H
#define PHONECERT_SEAL_H

#include <stdbool.h>
#include <stddef.h>

#define PC_SEAL_ID_MAX		32			/* characters of a KEY-ID */
#define PC_SEAL_SECRET_MIN	32			/* bytes of a secret */
#define PC_SEAL_SECRET_MAX	64
#define PC_SEAL_KEYS_MAX	16
#define PC_SEAL_STRLEN		(PC_SEAL_ID_MAX + 1 + 64 + 1)	/* "KEY-ID:" + 64 hex digits + NUL */
#define PC_SEAL_SHA256_LEN	32

typedef struct pc_keyring pc_keyring;

/*
 * Parse a key ring (len bytes; need not be NUL-terminated). NULL with
 * "line N: problem" in err, which never quotes a secret.
 */
pc_keyring *pc_keyring_parse(char const *text, size_t len, char *err, size_t err_len);

/* Read and parse a file: NULL with "PATH[N]: problem" (or "PATH: problem") in err. */
pc_keyring *pc_keyring_load(char const *path, char *err, size_t err_len);

/* Wipes the secrets. */
void pc_keyring_free(pc_keyring *ring);

size_t pc_keyring_count(pc_keyring const *ring);

/* The KEY-ID that seals (the first line's). */
char const *pc_keyring_sealing_id(pc_keyring const *ring);

/* A named value cached with the session (value: len bytes, any). */
typedef struct {
	char const		*name;
	unsigned char const	*value;
	size_t			len;
} pc_sealed_value;

/* What a seal covers. */
typedef struct {
	unsigned char const	*session_id;
	size_t			session_id_len;
	unsigned char const	*master_key;
	size_t			master_key_len;
	unsigned int		protocol_version;	/* 0x0303 for TLS 1.2 */
	unsigned long		cipher_id;
	unsigned char const	*peer_sha256;		/* PC_SEAL_SHA256_LEN bytes, NULL without a peer certificate */
	long long		start_time;		/* seconds since the epoch */
	long long		timeout;		/* seconds */
	pc_sealed_value const	*values;		/* in any order */
	size_t			value_count;
} pc_seal_input;

/* The seal of in with the ring's first key into out (PC_SEAL_STRLEN fits). False only when out of memory or space. */
bool pc_seal_make(pc_keyring const *ring, pc_seal_input const *in, char *out, size_t len);

/*
 * NULL when seal (NULL: the session carries none) was made over in by one
 * of the ring's keys; else why not, in words for an admin, in why (what a
 * seal says is escaped: it came from the store).
 */
char const *pc_seal_problem(pc_keyring const *ring, pc_seal_input const *in, char const *seal, char *why, size_t len);

#endif
