/*
 * The trust set: the phone anchors an admin configured, loaded and checked.
 *
 * An anchor is one configured section (capf <name>, lsc_ca <name>,
 * manufacturing) with its PEM bundle and an optional acceptance window.
 * Every CA certificate of every anchor may sign phone certificates; for each
 * one the trust set keeps the path to its root inside the same bundle, so a
 * chain is later verified against exactly the anchor that signed it, however
 * many other anchors share its name.
 *
 * Build with pc_trust_new / pc_trust_add (once per section) / pc_trust_seal;
 * after sealing the trust set is read-only and may be shared between threads.
 */
#ifndef PHONECERT_TRUST_H
#define PHONECERT_TRUST_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

typedef enum {
	PC_ANCHOR_CAPF,			/* CUCM CAPF CA: issues LSCs */
	PC_ANCHOR_LSC_CA,		/* external CA issuing LSCs (CAPF online/offline CA mode) */
	PC_ANCHOR_MANUFACTURING		/* Cisco manufacturing CAs: issue MICs */
} pc_anchor_kind;

typedef struct {
	pc_anchor_kind kind;
	char const *name;		/* section name; "manufacturing" for that section */
	char const *ca_file;		/* PEM file, one or more CA certificates */
	char const *accept_from;	/* RFC 3339 UTC, or NULL for "always" */
	char const *accept_until;	/* RFC 3339 UTC, or NULL for "no end" */
} pc_anchor_config;

typedef struct pc_trust pc_trust;
typedef struct pc_anchor pc_anchor;

pc_trust *pc_trust_new(void);
void pc_trust_free(pc_trust *trust);

/* Load one anchor. Returns 0, or -1 with pc_trust_error() naming the section, file and problem. */
int pc_trust_add(pc_trust *trust, pc_anchor_config const *config);

/* Final checks across anchors and preparation for verification. Returns 0 or -1 (see pc_trust_error). */
int pc_trust_seal(pc_trust *trust);

/* The last error, in words for an admin. */
char const *pc_trust_error(pc_trust const *trust);

size_t pc_trust_anchor_count(pc_trust const *trust);
pc_anchor const *pc_trust_anchor(pc_trust const *trust, size_t index);

char const *pc_anchor_name(pc_anchor const *anchor);
pc_anchor_kind pc_anchor_get_kind(pc_anchor const *anchor);
char const *pc_anchor_kind_name(pc_anchor_kind kind);	/* "capf", "lsc_ca", "manufacturing" */
bool pc_anchor_kind_parse(char const *name, pc_anchor_kind *kind);	/* the reverse; false if unknown */
bool pc_anchor_accept_from(pc_anchor const *anchor, time_t *out);
bool pc_anchor_accept_until(pc_anchor const *anchor, time_t *out);
STACK_OF(X509) const *pc_anchor_certs(pc_anchor const *anchor);

/* True when now lies in [accept_from, accept_until). */
bool pc_anchor_window_open(pc_anchor const *anchor, time_t now);

/*
 * When the window is closed at now, write why into reason (naming the anchor
 * and the bound) and return what the admin can do; return NULL when open.
 */
char const *pc_anchor_window_reason(pc_anchor const *anchor, time_t now, char *reason, size_t len);

/* "capf 'harbour-2024'", or "manufacturing": how messages name an anchor. */
char const *pc_anchor_label(pc_anchor const *anchor, char *buf, size_t len);

/* The anchor with that section name, or NULL. */
pc_anchor const *pc_trust_find_anchor(pc_trust const *trust, char const *name);

/* A CA certificate of an anchor that can sign phone certificates, with its path to the root. */
typedef struct {
	pc_anchor const *anchor;
	X509 *cert;
	STACK_OF(X509) *path;	/* cert, then its issuers inside the same bundle */
} pc_signer;

size_t pc_trust_signer_count(pc_trust const *trust);
pc_signer const *pc_trust_signer(pc_trust const *trust, size_t index);

/*
 * The signers whose certificate's subject is name (X509_NAME_cmp), in
 * configuration order: *count of them, or NULL and 0. A binary search in an
 * index built by pc_trust_seal, so the cost grows with log(signers), not with
 * the signers; NULL before sealing.
 */
pc_signer const *const *pc_trust_signers_named(pc_trust const *trust, X509_NAME const *name, size_t *count);

/*
 * A memory of which signer verified a certificate (the same bytes), so that
 * the signature of a returning phone is checked once, by X509_verify_cert,
 * instead of once more to choose between same-DN anchors. Remember only a
 * signer whose key verified cert; what is recalled is a hint, to be verified
 * again. Bounded, thread-safe; NULL when nothing is remembered.
 */
void pc_trust_remember_signer(pc_trust const *trust, X509 *cert, pc_signer const *signer);
pc_signer const *pc_trust_recall_signer(pc_trust const *trust, X509 *cert);

#endif
