/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The signer memory: which anchor certificate verified a certificate (the
 * same bytes) before, so that the signature of a returning phone is checked
 * once, by X509_verify_cert, instead of once more to choose between same-DN
 * anchors. What is recalled is a hint, verified again: it can cost a reject,
 * never an accept. Bounded, thread-safe (its own lock). For the trust set
 * (trust.c), which owns one once sealed.
 */
#ifndef PHONECERT_SIGNER_MEMORY_H
#define PHONECERT_SIGNER_MEMORY_H

#include <openssl/x509.h>

#include "trust_internal.h"

typedef struct pc_signer_memory pc_signer_memory;

pc_signer_memory *pc_signer_memory_new(void);		/* NULL when out of memory */
void pc_signer_memory_free(pc_signer_memory *memory);

/* The signer remembered for cert, or NULL. */
pc_signer const *pc_signer_memory_recall(pc_signer_memory *memory, X509 *cert);

/* Remember only a signer whose key verified cert. */
void pc_signer_memory_remember(pc_signer_memory *memory, X509 *cert, pc_signer const *signer);

#endif
