/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "extract.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>

static int write_pem(char const *path, X509 *cert)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (!f) {
		fprintf(stderr, "phonecert: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	ok = PEM_write_X509(f, cert);
	if (fclose(f) != 0 || !ok) {
		fprintf(stderr, "phonecert: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

int extract_certificates(char const *dir, capture_entry const *entry, char *files[EXTRACT_MAX_FILES])
{
	int count = 0, depths = entry->cert ? 1 + (entry->chain ? sk_X509_num(entry->chain) : 0) : 0;
	/* The device name is SEP + 12 hex digits when set: safe in a file name, unlike anything else in the certificate. */
	char const *name = entry->result.identity.has_device ? entry->result.identity.device_name : "cert";

	for (int depth = 0; depth < depths && count < EXTRACT_MAX_FILES; depth++) {
		X509 *cert = depth == 0 ? entry->cert : sk_X509_value(entry->chain, depth - 1);
		char *path;

		if (asprintf(&path, "%s/%u-%d-%s.pem", dir, entry->number, depth, depth == 0 ? name : "chain") < 0) {
			fprintf(stderr, "phonecert: out of memory\n");
			break;
		}
		if (write_pem(path, cert) < 0) {
			free(path);
			extract_free(files, count);
			return -1;
		}
		files[count++] = path;
	}
	return count;
}

void extract_free(char *files[EXTRACT_MAX_FILES], int count)
{
	for (int i = 0; i < count; i++) free(files[i]);
}
