/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The TLS CertificateRequest: the CA names a server advertises to clients.
 *
 * Clients that pick their certificate by those names only offer one issued
 * by an advertised CA, so phone anchors are added to the list (unless
 * configured with advertise = no). The
 * server's first flight (its certificates and the CertificateRequest with
 * every name) must fit in one TLS record buffer of the FreeRADIUS in use
 * (its MAX_RECORD_SIZE: 16384 bytes in 3.2.1, 65536 in 3.2.7), or every
 * EAP-TLS handshake fails half-way ("peer is misbehaving"). The server
 * (module) and `phonecert lint` check it with the same function.
 */
#ifndef PHONECERT_CERTREQ_H
#define PHONECERT_CERTREQ_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/ssl.h>

#include "trust.h"

/*
 * Add the name of every CA certificate of every advertised anchor to ctx's CA
 * list. An anchor configured with advertise = no adds none: its phones must
 * send their certificate whatever names they are offered (as RFC 5246 lets
 * them), and in return a site with many anchors keeps its first flight, and
 * the RADIUS round trips of every handshake, the size of a small one.
 */
void pc_certreq_advertise(SSL_CTX *ctx, pc_trust const *trust);

/* The size of ctx's first flight in bytes (an estimate on the safe side), and how many CA names it has. */
int pc_certreq_size(SSL_CTX *ctx, int *names);

/*
 * Whether ctx's first flight fits in max_record bytes. If not, err says so,
 * naming tls_config (eap's tls-config section) and what to do.
 */
bool pc_certreq_fits(SSL_CTX *ctx, int max_record, char const *tls_config, char *err, size_t len);

#endif
