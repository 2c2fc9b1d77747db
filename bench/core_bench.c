/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * core_bench: what one phone certificate verification costs in phonecert's
 * core, compared with a bare OpenSSL verification of the same certificate.
 *
 *   phonecert: pc_verify_chain() on a sealed trust set (as the module's
 *              handshake callback calls pc_verify(): phone detection, signer
 *              by signature, X.509 validation against that signer's path,
 *              window, identity);
 *   OpenSSL:   X509_verify_cert() against an X509_STORE holding the anchor,
 *              with X509_V_FLAG_PARTIAL_CHAIN (as FreeRADIUS sets on its
 *              store), purpose SSL client and security level 2 (Debian's
 *              default, which TLS applies to the chain); a fresh
 *              X509_STORE_CTX per verification, as OpenSSL's TLS stack does.
 *
 * Both sides receive the leaf alone (what eapol_test, like a phone, sends).
 * Every verification is checked: a failure aborts the benchmark.
 *
 * Time is this process's CPU time (CLOCK_PROCESS_CPUTIME_ID), so other load
 * on a shared machine does not count. Each repetition runs K verifications of
 * one side; the sides alternate; the result is the median over repetitions.
 *
 * Usage: core_bench PKI_DIR [K [REPS]]
 * Output: one tab-separated line per case:
 *   name  certificate  phonecert-anchors  openssl-store  phonecert-us  openssl-us  ratio
 * then one line for a bare signature check (X509_verify of lsc-new-rsa with
 * capf-new's key), for reference:
 *   signature  lsc-new-rsa  capf-new  (empty)  us  (empty)  (empty)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "trust.h"
#include "verify.h"

#define MAX_ITEMS 4
#define MAX_REPS 101

typedef struct {
	pc_anchor_kind kind;
	char const *name;
	char const *file;	/* in the PKI directory */
} bench_anchor;

typedef struct {
	char const *name;
	char const *cert;			/* PKI file name without .pem */
	bench_anchor anchors[MAX_ITEMS];	/* phonecert's trust set, in configuration order */
	char const *store[MAX_ITEMS];		/* OpenSSL's store */
	char const *anchors_text;
	char const *store_text;
} bench_case;

static bench_case const cases[] = {
	{
		.name = "lsc-rsa", .cert = "lsc-new-rsa",
		.anchors = { { PC_ANCHOR_CAPF, "capf-new", "capf-new.pem" } },
		.store = { "capf-new.pem" },
		.anchors_text = "capf capf-new", .store_text = "capf-new",
	},
	{
		.name = "lsc-ec", .cert = "lsc-new-ec",
		.anchors = { { PC_ANCHOR_CAPF, "capf-new", "capf-new.pem" } },
		.store = { "capf-new.pem" },
		.anchors_text = "capf capf-new", .store_text = "capf-new",
	},
	{
		.name = "mic", .cert = "mic",
		.anchors = { { PC_ANCHOR_MANUFACTURING, "manufacturing", "mfg-bundle.pem" } },
		.store = { "mfg-bundle.pem" },
		.anchors_text = "manufacturing mfg-bundle (root + CA)", .store_text = "mfg-bundle (root + CA)",
	},
	{
		/* The rotation case: the wrong CAPF (same DN) is tried first. */
		.name = "same-dn-wrong-first", .cert = "lsc-old-rsa",
		.anchors = { { PC_ANCHOR_CAPF, "capf-new", "capf-new.pem" },
			     { PC_ANCHOR_CAPF, "capf-old", "capf-old.pem" } },
		.store = { "capf-old.pem" },
		.anchors_text = "capf capf-new, then capf capf-old (same DN)", .store_text = "capf-old only",
	},
	{
		/* For reference: the same two anchors, the right one first. */
		.name = "same-dn-right-first", .cert = "lsc-old-rsa",
		.anchors = { { PC_ANCHOR_CAPF, "capf-old", "capf-old.pem" },
			     { PC_ANCHOR_CAPF, "capf-new", "capf-new.pem" } },
		.store = { "capf-old.pem" },
		.anchors_text = "capf capf-old, then capf capf-new (same DN)", .store_text = "capf-old only",
	},
};

static char const *pki_dir;

static void die(char const *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(char const *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "core_bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void pki_path(char *buf, size_t len, char const *file)
{
	if ((size_t)snprintf(buf, len, "%s/%s", pki_dir, file) >= len) die("path too long: %s/%s", pki_dir, file);
}

static X509 *load_cert(char const *name)
{
	char file[256], path[4096];
	FILE *fp;
	X509 *cert;

	snprintf(file, sizeof(file), "%s.pem", name);
	pki_path(path, sizeof(path), file);
	fp = fopen(path, "r");
	if (!fp) die("cannot open %s: %s", path, strerror(errno));
	cert = PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	if (!cert) die("no certificate in %s", path);
	return cert;
}

/* Every certificate of each PEM bundle into one store, with FreeRADIUS' PARTIAL_CHAIN. */
static X509_STORE *load_store(char const *const files[MAX_ITEMS])
{
	X509_STORE *store = X509_STORE_new();

	if (!store) die("out of memory");
	for (int i = 0; i < MAX_ITEMS && files[i]; i++) {
		char path[4096];
		FILE *fp;
		X509 *cert;
		int count = 0;

		pki_path(path, sizeof(path), files[i]);
		fp = fopen(path, "r");
		if (!fp) die("cannot open %s: %s", path, strerror(errno));
		while ((cert = PEM_read_X509(fp, NULL, NULL, NULL)) != NULL) {
			if (X509_STORE_add_cert(store, cert) != 1) die("cannot add a certificate of %s to the store", path);
			X509_free(cert);
			count++;
		}
		fclose(fp);
		ERR_clear_error();	/* end of file */
		if (count == 0) die("no certificate in %s", path);
	}
	X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
	return store;
}

static pc_trust *load_trust(bench_anchor const anchors[MAX_ITEMS])
{
	pc_trust *trust = pc_trust_new();
	char paths[MAX_ITEMS][4096];

	if (!trust) die("out of memory");
	for (int i = 0; i < MAX_ITEMS && anchors[i].name; i++) {
		pc_anchor_config config = { .kind = anchors[i].kind, .name = anchors[i].name };

		pki_path(paths[i], sizeof(paths[i]), anchors[i].file);
		config.ca_file = paths[i];
		if (pc_trust_add(trust, &config) != 0) die("trust set: %s", pc_trust_error(trust));
	}
	if (pc_trust_seal(trust) != 0) die("trust set: %s", pc_trust_error(trust));
	return trust;
}

static int verify_phonecert(pc_trust const *trust, X509 *cert, char const *name)
{
	pc_result result;

	if (pc_verify_chain(trust, NULL, cert, NULL, time(NULL), &result) != PC_VERDICT_ACCEPT) {
		die("phonecert rejected %s: %s", name, result.reason);
	}
	return 1;
}

static int verify_openssl(X509_STORE *store, X509 *cert, char const *name)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int ok;

	if (!ctx || !X509_STORE_CTX_init(ctx, store, cert, NULL)) die("cannot set up verification of %s", name);
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_CLIENT);
	X509_VERIFY_PARAM_set_auth_level(X509_STORE_CTX_get0_param(ctx), 2);
	ok = X509_verify_cert(ctx);
	if (ok != 1) die("OpenSSL rejected %s: %s", name, X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
	X509_STORE_CTX_free(ctx);
	return ok;
}

static double cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int compare_double(void const *a, void const *b)
{
	double x = *(double const *)a, y = *(double const *)b;

	return (x > y) - (x < y);
}

static double median(double *values, int count)
{
	qsort(values, (size_t)count, sizeof(double), compare_double);
	return count % 2 ? values[count / 2] : (values[count / 2 - 1] + values[count / 2]) / 2;
}

/* CPU microseconds per verification over k verifications of one side. */
static double time_side(bool phonecert, pc_trust const *trust, X509_STORE *store, X509 *cert, char const *name, long k)
{
	double start = cpu_seconds();

	for (long i = 0; i < k; i++) {
		if (phonecert) verify_phonecert(trust, cert, name);
		else verify_openssl(store, cert, name);
	}
	return (cpu_seconds() - start) * 1e6 / (double)k;
}

/* CPU microseconds per X509_verify() of cert with issuer's key: one signature check alone. */
static double time_signature(X509 *cert, X509 *issuer, long k)
{
	EVP_PKEY *key = X509_get0_pubkey(issuer);
	double start = cpu_seconds();

	for (long i = 0; i < k; i++) {
		if (X509_verify(cert, key) != 1) die("X509_verify failed");
	}
	return (cpu_seconds() - start) * 1e6 / (double)k;
}

int main(int argc, char **argv)
{
	long k = 2000;
	int reps = 9;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: %s PKI_DIR [K [REPS]]\n", argv[0]);
		return 2;
	}
	pki_dir = argv[1];
	if (argc > 2) k = strtol(argv[2], NULL, 10);
	if (argc > 3) reps = (int)strtol(argv[3], NULL, 10);
	if (k < 1 || reps < 1 || reps > MAX_REPS) {
		fprintf(stderr, "core_bench: K must be >= 1 and REPS between 1 and %d\n", MAX_REPS);
		return 2;
	}

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		bench_case const *bc = &cases[c];
		X509 *cert = load_cert(bc->cert);
		X509_STORE *store = load_store(bc->store);
		pc_trust *trust = load_trust(bc->anchors);
		double pc_us[MAX_REPS], ossl_us[MAX_REPS], pc_median, ossl_median;
		long warmup = k / 10 > 0 ? k / 10 : 1;

		/* Warm-up (and a first check of both sides). */
		time_side(true, trust, store, cert, bc->cert, warmup);
		time_side(false, trust, store, cert, bc->cert, warmup);

		for (int r = 0; r < reps; r++) {
			/* Alternate which side goes first, so drift hits both alike. */
			if (r % 2 == 0) {
				pc_us[r] = time_side(true, trust, store, cert, bc->cert, k);
				ossl_us[r] = time_side(false, trust, store, cert, bc->cert, k);
			} else {
				ossl_us[r] = time_side(false, trust, store, cert, bc->cert, k);
				pc_us[r] = time_side(true, trust, store, cert, bc->cert, k);
			}
		}
		pc_median = median(pc_us, reps);
		ossl_median = median(ossl_us, reps);
		printf("%s\t%s\t%s\t%s\t%.1f\t%.1f\t%.2f\n", bc->name, bc->cert, bc->anchors_text, bc->store_text,
		       pc_median, ossl_median, pc_median / ossl_median);
		fflush(stdout);

		pc_trust_free(trust);
		X509_STORE_free(store);
		X509_free(cert);
	}

	/* What one signature verification costs on its own (RSA-2048, SHA-256). */
	{
		X509 *cert = load_cert("lsc-new-rsa"), *issuer = load_cert("capf-new");
		double sig_us[MAX_REPS];

		time_signature(cert, issuer, k / 10 > 0 ? k / 10 : 1);
		for (int r = 0; r < reps; r++) sig_us[r] = time_signature(cert, issuer, k);
		printf("signature\tlsc-new-rsa\tcapf-new\t\t%.1f\t\t\n", median(sig_us, reps));
		X509_free(issuer);
		X509_free(cert);
	}
	return 0;
}
