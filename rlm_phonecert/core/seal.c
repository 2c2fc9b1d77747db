/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "seal.h"
#include "text.h"
#include "textfile.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

/* A key ring is a few lines an admin wrote: more is not one. */
#define KEYRING_FILE_MAX	(64 * 1024)
#define KEYRING_LINE_MAX	256

/* Names the encoding: a change of what is sealed is a new version, never a collision with the old. */
#define SEAL_DOMAIN		"phonecert TLS session seal 1"
#define SEAL_HEX_LEN		(2 * SHA256_LEN)
#define SHA256_LEN		32

typedef struct {
	char		id[PC_SEAL_ID_MAX + 1];
	unsigned char	secret[PC_SEAL_SECRET_MAX];
	size_t		len;
} seal_key;

struct pc_keyring {
	seal_key	keys[PC_SEAL_KEYS_MAX];
	size_t		count;
};

static bool id_char(int c)
{
	return isalnum(c) || c == '.' || c == '_' || c == '-';
}

/* Whether len bytes of text are a KEY-ID. */
static bool valid_id(char const *text, size_t len)
{
	if (len == 0 || len > PC_SEAL_ID_MAX) return false;
	for (size_t i = 0; i < len; i++) {
		if (!id_char((unsigned char)text[i])) return false;
	}
	return true;
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* hex (len digits) into out (len / 2 bytes); false unless len is even and every digit is hex. */
static bool hex_decode(char const *hex, size_t len, unsigned char *out)
{
	if (len % 2) return false;
	for (size_t i = 0; i < len; i += 2) {
		int high = hex_value((unsigned char)hex[i]), low = hex_value((unsigned char)hex[i + 1]);

		if (high < 0 || low < 0) return false;
		out[i / 2] = (unsigned char)(high << 4 | low);
	}
	return true;
}

static seal_key const *find_key(pc_keyring const *ring, char const *id, size_t len)
{
	for (size_t i = 0; i < ring->count; i++) {
		if (strlen(ring->keys[i].id) == len && memcmp(ring->keys[i].id, id, len) == 0) return &ring->keys[i];
	}
	return NULL;
}

/* The words of a line, up to a '#' (KEY-IDs and hex hold none). No message quotes a word: it may be a secret. */
static int parse_key(pc_keyring *ring, char *line, char *err, size_t len)
{
	char *hash = strchr(line, '#'), *save = NULL, *id, *secret;
	seal_key *key = &ring->keys[ring->count];
	size_t digits;

	if (hash) *hash = '\0';
	if (!(id = strtok_r(line, " \t", &save))) return 0;	/* blank or comment line */
	secret = strtok_r(NULL, " \t", &save);
	if (!secret || strtok_r(NULL, " \t", &save)) {
		pc_fail(err, len, "a key is two words, KEY-ID SECRET (the secret in hex)");
		return -1;
	}
	if (!valid_id(id, strlen(id))) {
		pc_fail(err, len, "the KEY-ID is not 1 to %d letters, digits, '.', '_' or '-'", PC_SEAL_ID_MAX);
		return -1;
	}
	if (find_key(ring, id, strlen(id))) {
		pc_fail(err, len, "KEY-ID %s is on an earlier line too", id);
		return -1;
	}
	if (ring->count == PC_SEAL_KEYS_MAX) {
		pc_fail(err, len, "more than %d keys", PC_SEAL_KEYS_MAX);
		return -1;
	}
	digits = strlen(secret);
	if (digits < 2 * PC_SEAL_SECRET_MIN || digits > 2 * PC_SEAL_SECRET_MAX || !hex_decode(secret, digits, key->secret)) {
		pc_fail(err, len, "the secret is not %d to %d bytes in hex (make one with: openssl rand -hex %d)",
			 PC_SEAL_SECRET_MIN, PC_SEAL_SECRET_MAX, PC_SEAL_SECRET_MIN);
		return -1;
	}
	key->len = digits / 2;
	snprintf(key->id, sizeof(key->id), "%s", id);
	ring->count++;
	return 0;
}

pc_keyring *pc_keyring_parse(char const *text, size_t len, char *err, size_t err_len)
{
	pc_keyring *ring = calloc(1, sizeof(*ring));
	char line[KEYRING_LINE_MAX], why[256];
	pc_lines lines;
	int more;

	if (!ring) {
		pc_fail(err, err_len, "out of memory");
		return NULL;
	}
	pc_lines_init(&lines, text, len);
	while ((more = pc_lines_next(&lines, line, sizeof(line), err, err_len)) > 0) {
		if (parse_key(ring, line, why, sizeof(why)) == 0) continue;
		pc_fail(err, err_len, "line %d: %s", lines.number, why);
		more = -1;
		break;
	}
	OPENSSL_cleanse(line, sizeof(line));
	if (more == 0 && ring->count == 0) {
		pc_fail(err, err_len, "no key: a line is KEY-ID SECRET, e.g. fleet-1 followed by the output of "
			 "openssl rand -hex %d", PC_SEAL_SECRET_MIN);
		more = -1;
	}
	if (more == 0) return ring;
	pc_keyring_free(ring);
	return NULL;
}

pc_keyring *pc_keyring_load(char const *path, char *err, size_t err_len)
{
	char *text, why[512];
	size_t len;
	pc_keyring *ring;

	if (pc_file_read(path, KEYRING_FILE_MAX, &text, &len, err, err_len) < 0) return NULL;
	ring = pc_keyring_parse(text, len, why, sizeof(why));
	OPENSSL_cleanse(text, len);
	free(text);
	if (!ring) pc_lines_name_error(path, why, err, err_len);
	return ring;
}

void pc_keyring_free(pc_keyring *ring)
{
	if (!ring) return;
	OPENSSL_cleanse(ring, sizeof(*ring));
	free(ring);
}

size_t pc_keyring_count(pc_keyring const *ring)
{
	return ring->count;
}

char const *pc_keyring_sealing_id(pc_keyring const *ring)
{
	return ring->keys[0].id;
}

/*
 *	The canonical encoding: every field length-prefixed or fixed-size, in
 *	a fixed order, so that no two inputs encode alike.
 */

typedef struct {
	unsigned char	*data;
	size_t		len;
	size_t		size;
	bool		failed;
} encoding;

static void put(encoding *e, void const *bytes, size_t n)
{
	if (e->failed) return;
	if (e->len + n > e->size) {
		size_t size = (e->len + n) * 2;
		unsigned char *grown = realloc(e->data, size);

		if (!grown) {
			e->failed = true;
			return;
		}
		e->data = grown;
		e->size = size;
	}
	memcpy(e->data + e->len, bytes, n);
	e->len += n;
}

static void put_u64(encoding *e, uint64_t value)
{
	unsigned char bytes[8];

	for (int i = 7; i >= 0; i--, value >>= 8) bytes[i] = (unsigned char)(value & 0xff);
	put(e, bytes, sizeof(bytes));
}

static void put_bytes(encoding *e, void const *bytes, size_t n)
{
	put_u64(e, n);
	if (n) put(e, bytes, n);
}

static int compare_values(void const *a, void const *b)
{
	pc_sealed_value const *x = *(pc_sealed_value const *const *)a, *y = *(pc_sealed_value const *const *)b;
	size_t common = x->len < y->len ? x->len : y->len;
	int by_name = strcmp(x->name, y->name);
	int by_value = common ? memcmp(x->value, y->value, common) : 0;

	if (by_name) return by_name;
	if (by_value) return by_value;
	return (x->len > y->len) - (x->len < y->len);
}

/* The values, sorted (their order in a list is not what is sealed). */
static void put_values(encoding *e, pc_sealed_value const *values, size_t count)
{
	pc_sealed_value const **sorted = count ? malloc(count * sizeof(*sorted)) : NULL;

	if (count && !sorted) {
		e->failed = true;
		return;
	}
	for (size_t i = 0; i < count; i++) sorted[i] = &values[i];
	if (count) qsort(sorted, count, sizeof(*sorted), compare_values);
	put_u64(e, count);
	for (size_t i = 0; i < count; i++) {
		put_bytes(e, sorted[i]->name, strlen(sorted[i]->name));
		put_bytes(e, sorted[i]->value, sorted[i]->len);
	}
	free(sorted);
}

static bool encode(pc_seal_input const *in, encoding *e)
{
	*e = (encoding) { 0 };
	put_bytes(e, SEAL_DOMAIN, strlen(SEAL_DOMAIN));
	put_bytes(e, in->session_id, in->session_id_len);
	put_bytes(e, in->master_key, in->master_key_len);
	put_u64(e, in->protocol_version);
	put_u64(e, in->cipher_id);
	put_bytes(e, in->peer_sha256, in->peer_sha256 ? PC_SEAL_SHA256_LEN : 0);
	put_u64(e, (uint64_t)in->start_time);
	put_u64(e, (uint64_t)in->timeout);
	put_values(e, in->values, in->value_count);
	if (e->failed) free(e->data);
	return !e->failed;
}

static bool mac(seal_key const *key, pc_seal_input const *in, unsigned char out[SHA256_LEN])
{
	encoding e;
	unsigned int len = 0;
	bool done;

	if (!encode(in, &e)) return false;
	done = HMAC(EVP_sha256(), key->secret, (int)key->len, e.data, e.len, out, &len) && len == SHA256_LEN;
	OPENSSL_cleanse(e.data, e.len);	/* it holds the master key */
	free(e.data);
	return done;
}

bool pc_seal_make(pc_keyring const *ring, pc_seal_input const *in, char *out, size_t len)
{
	unsigned char digest[SHA256_LEN];
	size_t used;

	if (!mac(&ring->keys[0], in, digest)) return false;
	used = (size_t)snprintf(out, len, "%s:", ring->keys[0].id);
	if (used + SEAL_HEX_LEN >= len) return false;
	pc_hex(out + used, len - used, digest, sizeof(digest));
	return true;
}

char const *pc_seal_problem(pc_keyring const *ring, pc_seal_input const *in, char const *seal, char *why, size_t len)
{
	char const *colon = seal ? strchr(seal, ':') : NULL;
	unsigned char claimed[SHA256_LEN], digest[SHA256_LEN];
	seal_key const *key;

	if (!seal) {
		pc_fail(why, len, "it carries no seal (cached without fleet_secret_file, or its seal was removed)");
		return why;
	}
	if (!colon || !valid_id(seal, (size_t)(colon - seal)) || strlen(colon + 1) != SEAL_HEX_LEN ||
	    !hex_decode(colon + 1, SEAL_HEX_LEN, claimed)) {
		pc_fail(why, len, "its seal is not KEY-ID:HMAC");
		return why;
	}
	key = find_key(ring, seal, (size_t)(colon - seal));
	if (!key) {
		pc_fail(why, len, "its seal names key %.*s, which fleet_secret_file does not hold (removed before the "
			 "sessions it sealed expired, or not on this server)", (int)(colon - seal), seal);
		return why;
	}
	if (!mac(key, in, digest)) {
		pc_fail(why, len, "its seal cannot be checked: out of memory");
		return why;
	}
	if (CRYPTO_memcmp(claimed, digest, sizeof(digest)) != 0) {
		pc_fail(why, len, "its seal (key %s) does not match it: the session, its id or the values cached with it "
			 "changed in the store, or the servers' secrets for %s differ", key->id, key->id);
		return why;
	}
	return NULL;
}
