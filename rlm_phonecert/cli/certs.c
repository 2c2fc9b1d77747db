/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "certs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

/* Certificate files are small; a bound keeps a wrong argument (a disk image...) from filling memory. */
#define MAX_FILE_SIZE (64L * 1024 * 1024)

static unsigned char *read_whole_file(char const *path, long *size, char *err, size_t len)
{
	FILE *in = fopen(path, "rb");
	unsigned char *data = NULL;
	struct stat st;

	if (!in) {
		snprintf(err, len, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(in), &st) != 0) {
		snprintf(err, len, "cannot read %s: %s", path, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		snprintf(err, len, "cannot read %s: %s", path, S_ISDIR(st.st_mode) ? "it is a directory" : "not a regular file");
	} else if (st.st_size > MAX_FILE_SIZE) {
		snprintf(err, len, "%s: larger than %ld bytes, not a certificate file", path, MAX_FILE_SIZE);
	} else if (!(data = malloc((size_t)st.st_size + 1))) {
		snprintf(err, len, "%s: out of memory", path);
	} else if (fread(data, 1, (size_t)st.st_size, in) != (size_t)st.st_size) {
		snprintf(err, len, "cannot read %s: %s", path, ferror(in) ? strerror(errno) : "the file shrank while reading");
		free(data);
		data = NULL;
	} else {
		data[st.st_size] = '\0';
		*size = (long)st.st_size;
	}
	fclose(in);
	return data;
}

static bool looks_like_pem(unsigned char const *data, long size)
{
	static char const marker[] = "-----BEGIN ";

	for (long i = 0; i + (long)sizeof(marker) - 1 <= size; i++) {
		if (memcmp(data + i, marker, sizeof(marker) - 1) == 0) return true;
	}
	return false;
}

static int read_pem(char const *path, unsigned char const *data, long size, STACK_OF(X509) *certs,
		    char *err, size_t len)
{
	BIO *bio = BIO_new_mem_buf(data, (int)size);
	X509 *cert;
	unsigned long error;

	if (!bio) {
		snprintf(err, len, "%s: out of memory", path);
		return -1;
	}
	while ((cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (!sk_X509_push(certs, cert)) X509_free(cert);
	}
	BIO_free(bio);
	/* PEM_read stops at the end with "no start line"; anything else is a damaged block. */
	error = ERR_peek_last_error();
	ERR_clear_error();
	if (error && !(ERR_GET_LIB(error) == ERR_LIB_PEM && ERR_GET_REASON(error) == PEM_R_NO_START_LINE)) {
		snprintf(err, len, "%s: damaged PEM after certificate %d: %s", path, sk_X509_num(certs),
			 ERR_reason_error_string(error));
		return -1;
	}
	return 0;
}

static int read_der(char const *path, unsigned char const *data, long size, STACK_OF(X509) *certs,
		    char *err, size_t len)
{
	unsigned char const *p = data, *end = data + size;

	while (p < end) {
		X509 *cert = d2i_X509(NULL, &p, end - p);

		if (!cert) {
			ERR_clear_error();
			if (sk_X509_num(certs) == 0) snprintf(err, len, "%s: neither a PEM nor a DER certificate", path);
			else snprintf(err, len, "%s: damaged DER after certificate %d", path, sk_X509_num(certs));
			return -1;
		}
		if (!sk_X509_push(certs, cert)) X509_free(cert);
	}
	return 0;
}

STACK_OF(X509) *certs_read(char const *path, char *err, size_t len)
{
	long size = 0;
	unsigned char *data = read_whole_file(path, &size, err, len);
	STACK_OF(X509) *certs;
	int rc;

	if (!data) return NULL;
	certs = sk_X509_new_null();
	if (!certs) {
		snprintf(err, len, "%s: out of memory", path);
		free(data);
		return NULL;
	}
	if (looks_like_pem(data, size)) rc = read_pem(path, data, size, certs, err, len);
	else rc = read_der(path, data, size, certs, err, len);
	free(data);
	if (rc == 0 && sk_X509_num(certs) == 0) {
		snprintf(err, len, "%s: no certificate in the file", path);
		rc = -1;
	}
	if (rc < 0) {
		sk_X509_pop_free(certs, X509_free);
		return NULL;
	}
	return certs;
}

bool certs_time(ASN1_TIME const *when, time_t *out)
{
	struct tm tm;

	if (!when || !ASN1_TIME_to_tm(when, &tm)) return false;
	*out = timegm(&tm);
	return true;
}

void certs_time_text(ASN1_TIME const *when, char *buf, size_t len)
{
	struct tm tm;

	if (when && ASN1_TIME_to_tm(when, &tm)) strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	else snprintf(buf, len, "(unreadable)");
}

void certs_subject_text(X509 *cert, char *buf, size_t len)
{
	X509_NAME_oneline(X509_get_subject_name(cert), buf, (int)len);
}

bool certs_self_signed(X509 *cert)
{
	bool self = X509_check_issued(cert, cert) == X509_V_OK;

	ERR_clear_error();
	return self;
}
