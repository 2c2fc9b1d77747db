/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The CA names of the TLS CertificateRequest and the size of the first flight.
 */
#include "certreq.h"

#include <stdio.h>

#include <openssl/x509.h>

#include "trust_internal.h"

/* A client picks its certificate by name: a name already in the list (same-DN CAPFs, eap's ca_file) adds nothing but bytes. */
static bool listed(SSL_CTX *ctx, X509 *cert)
{
	STACK_OF(X509_NAME) *names = SSL_CTX_get_client_CA_list(ctx);

	for (int i = 0; i < sk_X509_NAME_num(names); i++) {
		if (X509_NAME_cmp(sk_X509_NAME_value(names, i), X509_get_subject_name(cert)) == 0) return true;
	}
	return false;
}

void pc_certreq_advertise(SSL_CTX *ctx, pc_trust const *trust)
{
	for (size_t i = 0; i < pc_trust_anchor_count(trust); i++) {
		pc_anchor const *anchor = pc_trust_anchor(trust, i);
		STACK_OF(X509) const *certs = pc_anchor_certs(anchor);

		if (!pc_anchor_advertised(anchor)) continue;
		for (int c = 0; c < sk_X509_num(certs); c++) {
			if (!listed(ctx, sk_X509_value(certs, c))) SSL_CTX_add_client_CA(ctx, sk_X509_value(certs, c));
		}
	}
}

/* Handshake headers, ServerHello and ServerKeyExchange: an estimate on the safe side. */
#define FLIGHT_OVERHEAD 1024

int pc_certreq_size(SSL_CTX *ctx, int *names)
{
	STACK_OF(X509_NAME) *ca_names = SSL_CTX_get_client_CA_list(ctx);
	STACK_OF(X509) *chain = NULL;
	X509 *own = SSL_CTX_get0_certificate(ctx);
	int size = FLIGHT_OVERHEAD + (own ? i2d_X509(own, NULL) : 0);

	*names = sk_X509_NAME_num(ca_names);
	for (int i = 0; i < *names; i++) size += 2 + i2d_X509_NAME(sk_X509_NAME_value(ca_names, i), NULL);
	if (SSL_CTX_get0_chain_certs(ctx, &chain) && chain) {
		for (int i = 0; i < sk_X509_num(chain); i++) size += 3 + i2d_X509(sk_X509_value(chain, i), NULL);
	}
	return size;
}

bool pc_certreq_fits(SSL_CTX *ctx, int max_record, char const *tls_config, char *err, size_t len)
{
	int names, size = pc_certreq_size(ctx, &names);

	if (size <= max_record) return true;
	snprintf(err, len, "eap tls-config %s would send %d CA names (eap's ca_file and phonecert's anchors) in "
		 "its CertificateRequest: about %d bytes with its certificates, more than the %d FreeRADIUS can "
		 "send, so every EAP-TLS handshake would fail. Keep only the CAs of your non-phone clients in "
		 "eap's ca_file (not a whole public bundle), or set advertise = no in anchor sections whose "
		 "phones do not choose their certificate by CA name", tls_config, names, size, max_record);
	return false;
}
