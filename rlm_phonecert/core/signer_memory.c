/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "signer_memory.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

/*
 * Which signer verified a certificate before, by the certificate's SHA-1
 * fingerprint (OpenSSL computes it once per certificate with its extensions,
 * see slot_of, so it costs nothing more). A hint only: pc_verify still has
 * X509_verify_cert check the signature with the remembered signer's key, so a
 * wrong hint can reject a certificate but never accept one. Fixed size (a
 * newer certificate replaces an older one in its slot), so memory stays flat
 * however many phones.
 */
#define SIGNER_MEMO_BITS 12
#define SIGNER_MEMO_SLOTS (1u << SIGNER_MEMO_BITS)

typedef struct {
	unsigned char fingerprint[SHA_DIGEST_LENGTH];
	pc_signer const *signer;
} memo_slot;

struct pc_signer_memory {
	CRYPTO_RWLOCK *lock;
	memo_slot slots[SIGNER_MEMO_SLOTS];
};


pc_signer_memory *pc_signer_memory_new(void)
{
	pc_signer_memory *memory = calloc(1, sizeof(*memory));

	if (memory && !(memory->lock = CRYPTO_THREAD_lock_new())) {
		free(memory);
		return NULL;
	}
	return memory;
}

void pc_signer_memory_free(pc_signer_memory *memory)
{
	if (!memory) return;
	CRYPTO_THREAD_lock_free(memory->lock);
	free(memory);
}

/* cert's fingerprint and its slot; false when OpenSSL cannot give one. */
static bool slot_of(X509 *cert, unsigned char fingerprint[SHA_DIGEST_LENGTH], size_t *slot)
{
	unsigned int len = 0;

	/*
	 * OpenSSL computes the fingerprint when it caches the extensions, which
	 * X509_verify_cert does anyway: have it cached now, or X509_digest hashes
	 * the whole certificate a second time.
	 */
	if (X509_check_purpose(cert, -1, 0) != 1 || !X509_digest(cert, EVP_sha1(), fingerprint, &len) ||
	    len != SHA_DIGEST_LENGTH) {
		ERR_clear_error();
		return false;
	}
	*slot = ((size_t)fingerprint[0] << 8 | fingerprint[1]) & (SIGNER_MEMO_SLOTS - 1);
	return true;
}

pc_signer const *pc_signer_memory_recall(pc_signer_memory *memory, X509 *cert)
{
	unsigned char fingerprint[SHA_DIGEST_LENGTH];
	pc_signer const *signer = NULL;
	size_t slot;

	if (!slot_of(cert, fingerprint, &slot) || !CRYPTO_THREAD_read_lock(memory->lock)) return NULL;
	if (memcmp(memory->slots[slot].fingerprint, fingerprint, sizeof(fingerprint)) == 0) {
		signer = memory->slots[slot].signer;
	}
	CRYPTO_THREAD_unlock(memory->lock);
	return signer;
}

void pc_signer_memory_remember(pc_signer_memory *memory, X509 *cert, pc_signer const *signer)
{
	unsigned char fingerprint[SHA_DIGEST_LENGTH];
	size_t slot;

	if (!slot_of(cert, fingerprint, &slot) || !CRYPTO_THREAD_write_lock(memory->lock)) return;
	memcpy(memory->slots[slot].fingerprint, fingerprint, sizeof(fingerprint));
	memory->slots[slot].signer = signer;
	CRYPTO_THREAD_unlock(memory->lock);
}
