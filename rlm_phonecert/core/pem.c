/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "pem.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "text.h"

bool pc_bundle_contains(STACK_OF(X509) *certs, X509 *cert)
{
	for (int i = 0; i < sk_X509_num(certs); i++) {
		if (X509_cmp(sk_X509_value(certs, i), cert) == 0) return true;
	}
	return false;
}

/* Open the PEM file of option (ca_file, crl_file) for reading, or NULL with the error set. */
static BIO *open_pem(char const *label, char const *option, char const *path, char *err, size_t len)
{
	struct stat st;
	BIO *bio;

	if (!path || !*path) {
		pc_fail(err, len, "%s: %s is not set", label, option);
		return NULL;
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		pc_fail(err, len, "%s: %s %s is a directory, not a PEM file", label, option, path);
		return NULL;
	}
	errno = 0;
	bio = BIO_new_file(path, "r");
	if (!bio) {
		pc_fail(err, len, "%s: cannot read %s %s: %s", label, option, path, errno ? strerror(errno) : "open failed");
		ERR_clear_error();
	}
	return bio;
}

/* PEM_read stops at end of file with "no start line"; anything else is a damaged file. */
static bool pem_damaged(unsigned long *err)
{
	*err = ERR_peek_last_error();
	return *err && !(ERR_GET_LIB(*err) == ERR_LIB_PEM && ERR_GET_REASON(*err) == PEM_R_NO_START_LINE);
}

/* Read every certificate of a PEM file; each must be a CA. Duplicates inside one bundle are harmless and dropped. */
int pc_pem_read_cas(char const *label, char const *path, STACK_OF(X509) **out, char *err, size_t len)
{
	BIO *bio;
	STACK_OF(X509) *certs;
	X509 *cert;
	char subject[512];
	unsigned long damage;

	if (!(bio = open_pem(label, "ca_file", path, err, len))) return -1;

	certs = sk_X509_new_null();
	while ((cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (X509_check_ca(cert) == 0) {
			X509_NAME_oneline(X509_get_subject_name(cert), subject, sizeof(subject));
			pc_fail(err, len, "%s: ca_file %s: certificate %d (%s) is not a CA certificate "
				  "(it needs basicConstraints CA:TRUE and, if keyUsage is present, keyCertSign)",
				  label, path, sk_X509_num(certs) + 1, subject);
			X509_free(cert);
			goto fail;
		}
		if (pc_bundle_contains(certs, cert) || !sk_X509_push(certs, cert)) X509_free(cert);
	}

	if (pem_damaged(&damage)) {
		pc_fail(err, len, "%s: ca_file %s: damaged PEM after certificate %d: %s",
			  label, path, sk_X509_num(certs), ERR_reason_error_string(damage));
		goto fail;
	}
	ERR_clear_error();
	if (sk_X509_num(certs) == 0) {
		pc_fail(err, len, "%s: ca_file %s contains no PEM certificate", label, path);
		goto fail;
	}
	BIO_free(bio);
	*out = certs;
	return 0;

fail:
	ERR_clear_error();
	BIO_free(bio);
	sk_X509_pop_free(certs, X509_free);
	return -1;
}

/* The certificate of certs that signed crl (name and signature), or NULL. */
static X509 *crl_signer(STACK_OF(X509) *certs, X509_CRL *crl)
{
	for (int i = 0; i < sk_X509_num(certs); i++) {
		X509 *cert = sk_X509_value(certs, i);

		if (X509_NAME_cmp(X509_get_subject_name(cert), X509_CRL_get_issuer(crl)) == 0 &&
		    X509_CRL_verify(crl, X509_get0_pubkey(cert)) == 1) return cert;
	}
	ERR_clear_error();
	return NULL;
}

/*
 * Read every CRL of crl_file; each must be signed by a certificate of the
 * anchor's own bundle, with cRLSign if it has a keyUsage, or OpenSSL would
 * ignore or refuse it while phones wait.
 */
int pc_pem_read_crls(char const *label, char const *path, STACK_OF(X509) *certs, STACK_OF(X509_CRL) **out,
		     char *err, size_t len)
{
	STACK_OF(X509_CRL) *crls;
	X509_CRL *crl;
	BIO *bio;
	char issuer[512];
	unsigned long damage;

	if (!(bio = open_pem(label, "crl_file", path, err, len))) return -1;
	crls = sk_X509_CRL_new_null();
	while (crls && (crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL)) != NULL) {
		X509 *signer = crl_signer(certs, crl);

		X509_NAME_oneline(X509_CRL_get_issuer(crl), issuer, sizeof(issuer));
		if (!signer || !(X509_get_key_usage(signer) & KU_CRL_SIGN)) {
			pc_fail(err, len, "%s: crl_file %s: CRL %d (issuer %s) is %s", label, path, sk_X509_CRL_num(crls) + 1,
				  issuer, signer ? "signed by a certificate without cRLSign in its keyUsage" :
				  "not signed by any certificate of the anchor's ca_file");
			X509_CRL_free(crl);
			goto fail;
		}
		if (!sk_X509_CRL_push(crls, crl)) {
			X509_CRL_free(crl);
			goto oom;
		}
	}
	if (!crls) goto oom;
	if (pem_damaged(&damage)) {
		pc_fail(err, len, "%s: crl_file %s: damaged PEM after CRL %d: %s", label, path, sk_X509_CRL_num(crls),
			  ERR_reason_error_string(damage));
		goto fail;
	}
	if (sk_X509_CRL_num(crls) == 0) {
		pc_fail(err, len, "%s: crl_file %s contains no PEM CRL", label, path);
		goto fail;
	}
	ERR_clear_error();
	BIO_free(bio);
	*out = crls;
	return 0;

oom:
	pc_fail(err, len, "%s: out of memory", label);
fail:
	ERR_clear_error();
	BIO_free(bio);
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	return -1;
}

