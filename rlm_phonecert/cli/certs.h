/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Certificates as admins have them in files, and the facts about one that
 * the tool prints: reading PEM or DER files, times and names as text.
 */
#ifndef PHONECERT_CLI_CERTS_H
#define PHONECERT_CLI_CERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

/*
 * Every certificate of a file, in order: PEM (one or more CERTIFICATE blocks;
 * other blocks such as keys are skipped) or DER (one or more certificates
 * back to back). Returns NULL with a message naming the file in err when the
 * file cannot be read, is damaged or holds no certificate.
 */
STACK_OF(X509) *certs_read(char const *path, char *err, size_t len);

/* An ASN.1 time as a time_t; false if unreadable. */
bool certs_time(ASN1_TIME const *when, time_t *out);

/* An ASN.1 time as RFC 3339 UTC text ("(unreadable)" if it is not a time). */
void certs_time_text(ASN1_TIME const *when, char *buf, size_t len);

/* The subject in the one-line form the server's log lines use: /C=MX/O=Cisco/CN=CAPF-0992727f. */
void certs_subject_text(X509 *cert, char *buf, size_t len);

/* The certificate's own signature is its issuer's signature over it: true for a root. */
bool certs_self_signed(X509 *cert);

#endif
