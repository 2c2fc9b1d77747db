/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An anchor's PEM files, read and checked: its ca_file's CA certificates and
 * its crl_file's CRLs. For the trust set (trust.c); errors in an (err, len)
 * buffer, naming the anchor (label), the option and the file.
 */
#ifndef PHONECERT_PEM_H
#define PHONECERT_PEM_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/x509.h>

/* Every certificate of path; each must be a CA, duplicates are dropped. 0, or -1 with err. */
int pc_pem_read_cas(char const *label, char const *path, STACK_OF(X509) **out, char *err, size_t len);

/*
 * Every CRL of path; each must be signed by one of certs with cRLSign in its
 * keyUsage, or OpenSSL would ignore or refuse it while phones wait. 0, or -1
 * with err.
 */
int pc_pem_read_crls(char const *label, char const *path, STACK_OF(X509) *certs, STACK_OF(X509_CRL) **out,
		     char *err, size_t len);

/* Whether certs holds cert (X509_cmp). */
bool pc_bundle_contains(STACK_OF(X509) *certs, X509 *cert);

#endif
