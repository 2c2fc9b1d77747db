/* SPDX-License-Identifier: GPL-2.0-or-later */
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

#include "problem.h"

typedef enum {
	PC_ANCHOR_CAPF,			/* CUCM CAPF CA: issues LSCs */
	PC_ANCHOR_LSC_CA,		/* external CA issuing LSCs (CAPF online/offline CA mode) */
	PC_ANCHOR_MANUFACTURING		/* Cisco manufacturing CAs: issue MICs */
} pc_anchor_kind;

typedef struct pc_anchor_config {
	pc_anchor_kind kind;
	char const *name;		/* section name; "manufacturing" for that section */
	char const *ca_file;		/* PEM file, one or more CA certificates */
	char const *accept_from;	/* RFC 3339 UTC, or NULL for "always" */
	char const *accept_until;	/* RFC 3339 UTC, or NULL for "no end" */
	char const *crl_file;		/* PEM file of CRLs by this anchor's CAs, or NULL: no revocation check */
	bool unadvertised;		/* true: its CA names stay out of the TLS CertificateRequest (certreq.h) */
	char const *file;		/* where the section is configured (NULL: given elsewhere, such as a command line) */
	int line;
} pc_anchor_config;

typedef struct pc_trust pc_trust;
typedef struct pc_anchor pc_anchor;

pc_trust *pc_trust_new(void);
void pc_trust_free(pc_trust *trust);

/* Load one anchor. Returns 0, or -1 with pc_trust_error() naming the section, file and problem. */
int pc_trust_add(pc_trust *trust, pc_anchor_config const *config);

/* Final checks across anchors and preparation for verification. Returns 0 or -1 (see pc_trust_error). */
int pc_trust_seal(pc_trust *trust);

/*
 * The trust set a configuration describes: pc_trust_add for each of configs
 * in order, then pc_trust_seal; the module and the phonecert tool both build
 * theirs with it. Every problem is reported, an anchor's at its section's
 * file and line, the set's (pc_trust_seal's, none loaded) at file and line,
 * so that an admin sees them all at once. With any, *refused is set and the
 * trust set holds the anchors that loaded: a check goes on with them, radiusd
 * refuses to start. NULL when out of memory (reported).
 */
pc_trust *pc_trust_build(pc_anchor_config const *configs, size_t count, char const *file, int line,
			 pc_problem_fn *report, void *ctx, bool *refused);

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
/* The anchor's CA certificates, in the order of its ca_file. */
size_t pc_anchor_cert_count(pc_anchor const *anchor);
X509 *pc_anchor_cert(pc_anchor const *anchor, size_t index);

/*
 * The anchor's crl_file, NULL when it has none. Certificates it verifies are
 * then checked against its CRLs (each signed by one of its certificates), and
 * only they are.
 */
char const *pc_anchor_crl_file(pc_anchor const *anchor);

/* Whether the anchor's CA names go into the TLS CertificateRequest (pc_anchor_config.unadvertised false). */
bool pc_anchor_advertised(pc_anchor const *anchor);

/*
 * When the certificate serial (hex, as pc_result.serial) is revoked by one
 * of the anchor's CRLs, or cannot be checked against them, write why into
 * reason and return what to do; NULL when it is not revoked (or the anchor
 * has no crl_file). For resumed sessions, whose certificate is not sent again.
 */
char const *pc_anchor_revocation_reason(pc_anchor const *anchor, char const *serial, char *reason, size_t len);

/* True when now lies in [accept_from, accept_until). */
bool pc_anchor_window_open(pc_anchor const *anchor, time_t now);

/*
 * When the window is closed at now, write why into reason (naming the anchor
 * and the bound) and return what the admin can do; return NULL when open.
 */
char const *pc_anchor_window_reason(pc_anchor const *anchor, time_t now, char *reason, size_t len);

/* "capf 'harbour-2024'", or "manufacturing": how messages name an anchor, loaded or configured. */
char const *pc_anchor_label(pc_anchor const *anchor, char *buf, size_t len);
char const *pc_anchor_config_label(pc_anchor_config const *config, char *buf, size_t len);

/* The anchor with that section name, or NULL. */
pc_anchor const *pc_trust_find_anchor(pc_trust const *trust, char const *name);

/* A SHA-256 certificate fingerprint: 64 lowercase hex digits. */
#define PC_FINGERPRINT_LEN 65

/* The SHA-256 fingerprint of cert (of its DER encoding). false if it cannot be computed. */
bool pc_cert_fingerprint(X509 *cert, char out[PC_FINGERPRINT_LEN]);

/* True when anchor holds, right now, the CA certificate with this fingerprint. */
bool pc_anchor_has_signer(pc_trust const *trust, pc_anchor const *anchor, char const *fingerprint);

#endif
