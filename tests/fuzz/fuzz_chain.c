/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: arbitrary anchor bundles and the certificates a client
 * sends, to exercise anchor selection by signature (same-DN anchors, anchors
 * that are not roots, paths inside bundles, windows) with any certificates.
 *
 * Input:
 *   byte 0      flags (see below)
 *   then        records: 2-byte big-endian length, then that many bytes of DER
 *               certificate; parsing stops at the first record that is
 *               truncated or is not a certificate (at most MAX_CERTS)
 *
 * flags bits 0-1: k - 1, the number of anchor certificates (1..4): the first
 *                 k records; the rest are the client's certificate, then the
 *                 chain it sends
 *       bit  2:   split the k anchor certificates into two anchors, "a"
 *                 (the first half, rounded up) and "b" (the rest)
 *       bits 3-4: kind of anchor "a" (0, 3: capf, 1: lsc_ca, 2: manufacturing);
 *                 "b" is always a capf
 *       bit  5:   anchor "b" has a closed window (accept_until in the past)
 *       bit  6:   allow_expired_mic
 *       bit  7:   allow_legacy_mic
 *
 * The core loads anchors from PEM files only (pc_trust_add takes a ca_file),
 * so the anchor certificates are written to two tmpfs files: memfds, read as
 * /proc/self/fd/N, or else files in a per-process directory made with
 * mkdtemp() (in /dev/shm when there is one), removed at exit.
 *
 * Besides sanitizer reports, it aborts when a decision breaks the contract of
 * verify.h (an anchor in the result that did not sign the certificate, an
 * accept without a phone identity or in a closed window, a reject without a
 * reason, strings not terminated...).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/trust_internal.h"
#include "core/decide.h"

#define FUZZ_TARGET "fuzz_chain"
#include "fuzz_result.h"


#define NOW ((time_t)1780272000)	/* 2026-06-01T00:00:00Z */
#define PAST_UNTIL "2026-03-01T00:00:00Z"
#define MAX_CERTS 8

static char work_dir[4096];	/* only when there is no memfd (see LLVMFuzzerInitialize) */
static char file_a[4200], file_b[4200];

static void remove_work_dir(void)
{
	if (!work_dir[0]) return;
	unlink(file_a);
	unlink(file_b);
	rmdir(work_dir);
	work_dir[0] = '\0';
}

/* An anonymous tmpfs file, opened by the core through /proc/self/fd/N; false if that is not possible. */
static bool memfd_path(char const *name, char *path, size_t len)
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	if (fd < 0) return false;
	snprintf(path, len, "/proc/self/fd/%d", fd);
	if (access(path, R_OK | W_OK) == 0) return true;
	close(fd);
	return false;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct stat st;
	char const *tmp = getenv("TMPDIR");
	char const *base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0 ?
			   "/dev/shm" : (tmp && *tmp ? tmp : "/tmp");

	(void)argc;
	(void)argv;
	read_verbose();

	/*
	 * memfds leave nothing behind, even when the fuzzer stops on a crash
	 * (libFuzzer then exits without running atexit handlers).
	 */
	if (memfd_path("phonecert-fuzz-a.pem", file_a, sizeof(file_a)) &&
	    memfd_path("phonecert-fuzz-b.pem", file_b, sizeof(file_b))) return 0;

	snprintf(work_dir, sizeof(work_dir), "%s/phonecert-fuzz-chain.XXXXXX", base);
	if (!mkdtemp(work_dir)) {
		fprintf(stderr, "fuzz_chain: cannot create a directory %s: %s\n", work_dir, strerror(errno));
		exit(1);
	}
	snprintf(file_a, sizeof(file_a), "%s/a.pem", work_dir);
	snprintf(file_b, sizeof(file_b), "%s/b.pem", work_dir);
	atexit(remove_work_dir);
	return 0;
}


typedef struct {
	X509 *cert;
	unsigned char const *der;	/* the bytes d2i_X509 read, as they were in the input */
	size_t len;
} record;

/* Write the DER of records [from, to) as one PEM bundle. */
static bool write_bundle(char const *path, record const *records, int from, int to)
{
	BIO *bio = BIO_new_file(path, "w");
	bool ok = bio != NULL;

	for (int i = from; ok && i < to; i++) {
		ok = PEM_write_bio(bio, "CERTIFICATE", "", records[i].der, (long)records[i].len) > 0;
	}
	if (bio && BIO_free(bio) != 1) ok = false;
	if (!ok) {
		fprintf(stderr, "fuzz_chain: cannot write %s\n", path);
		abort();
	}
	return ok;
}

static bool anchor_of(pc_trust const *trust, pc_anchor const *anchor)
{
	for (size_t i = 0; i < pc_trust_anchor_count(trust); i++) {
		if (pc_trust_anchor(trust, i) == anchor) return true;
	}
	return false;
}



static void check_result(pc_trust const *trust, X509 *cert, pc_result const *r, pc_verdict verdict)
{
	check_contract(cert, r, verdict);
	CHECK(r->anchor == NULL || anchor_of(trust, r->anchor));
	if (verdict == PC_VERDICT_ACCEPT) CHECK(pc_anchor_window_open(r->anchor, NOW));
}

static void decide(uint8_t flags, record const *records, int count)
{
	int k = (flags & 3) + 1;
	bool split = (flags & 4) && k >= 2;
	int in_a = split ? (k + 1) / 2 : k;
	static pc_anchor_kind const kinds[] = { PC_ANCHOR_CAPF, PC_ANCHOR_LSC_CA, PC_ANCHOR_MANUFACTURING, PC_ANCHOR_CAPF };
	pc_anchor_kind kind_a = kinds[(flags >> 3) & 3];
	pc_anchor_config a = { .kind = kind_a, .name = kind_a == PC_ANCHOR_MANUFACTURING ? "manufacturing" : "a",
			       .ca_file = file_a };
	pc_anchor_config b = { .kind = PC_ANCHOR_CAPF, .name = "b", .ca_file = file_b,
			       .accept_until = (flags & 32) ? PAST_UNTIL : NULL };
	pc_verify_options options = { .allow_expired_mic = (flags & 64) != 0, .allow_legacy_mic = (flags & 128) != 0 };
	pc_policy policy;
	pc_trust *trust;
	STACK_OF(X509) *chain = NULL;
	pc_result result;
	pc_verdict verdict;

	if (count < k + 1) return;	/* anchors and at least the client's certificate */

	write_bundle(file_a, records, 0, in_a);
	if (split) write_bundle(file_b, records, in_a, k);

	trust = pc_trust_new();
	CHECK(trust != NULL);
	if (pc_trust_add(trust, &a) != 0 || (split && pc_trust_add(trust, &b) != 0) || pc_trust_seal(trust) != 0) {
		/* Not CA certificates, the same certificate in both anchors...: refused, and said why. */
		if (verbose) fprintf(stderr, "fuzz_chain: trust set refused: %s\n", pc_trust_error(trust));
		CHECK(strcmp(pc_trust_error(trust), "no error") != 0);
		pc_trust_free(trust);
		ERR_clear_error();
		return;
	}
	for (size_t i = 0; i < pc_trust_signer_count(trust); i++) {
		pc_signer const *signer = pc_trust_signer(trust, i);

		CHECK(sk_X509_num(signer->path) >= 1 && sk_X509_value(signer->path, 0) == signer->cert);
		CHECK(anchor_of(trust, signer->anchor));
	}

	for (int i = k + 1; i < count; i++) {
		if (!chain) chain = sk_X509_new_null();
		CHECK(chain != NULL && sk_X509_push(chain, records[i].cert));
	}
	pc_policy_defaults(&policy);
	policy.verify = options;
	verdict = pc_decide_chain(trust, &policy, records[k].cert, chain, NULL, NOW, &result);
	check_result(trust, records[k].cert, &result, verdict);
	if (!options.allow_expired_mic && !options.allow_legacy_mic) CHECK(!result.expired && !result.legacy);

	sk_X509_free(chain);	/* the certificates belong to records */
	pc_trust_free(trust);
	ERR_clear_error();
}

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	record records[MAX_CERTS];
	int count = 0;
	size_t pos = 1;

	if (size < 1) return 0;
	while (count < MAX_CERTS && pos + 2 <= size) {
		size_t len = (size_t)data[pos] << 8 | data[pos + 1];
		unsigned char const *p = data + pos + 2;
		X509 *cert;

		if (len > size - pos - 2) break;
		cert = d2i_X509(NULL, &p, (long)len);
		if (!cert) break;
		records[count++] = (record) { .cert = cert, .der = data + pos + 2, .len = (size_t)(p - (data + pos + 2)) };
		pos += 2 + len;
	}
	ERR_clear_error();

	decide(data[0], records, count);

	for (int i = 0; i < count; i++) X509_free(records[i].cert);
	return 0;
}
