/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for core/trust: loading anchors, refusing bad configuration
 * with an error an admin can act on, acceptance windows and signer paths.
 *
 * Each test gets a fresh, empty trust set in *state (see trust_fixture_*).
 * Configuration errors are checked twice: the call fails, and the message
 * names both the problem and the section/file, since that message is all an
 * admin sees when radiusd refuses to start.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/trust_internal.h"
#include "pki_support.h"

/* The real Cisco manufacturing bundle shipped in raddb; paths are relative to the repository root. */
#define CISCO_MANUFACTURING_BUNDLE "raddb/certs/phonecert/manufacturing.pem"

/* 2026-01-01T00:00:00Z and 2027-01-01T00:00:00Z (GNU date -u +%s). */
#define WINDOW_FROM_TEXT "2026-01-01T00:00:00Z"
#define WINDOW_FROM 1767225600
#define WINDOW_UNTIL_TEXT "2027-01-01T00:00:00Z"
#define WINDOW_UNTIL 1798761600

/* Fail with both strings shown when needle is in haystack. */
#define assert_not_contains(haystack, needle) do { \
		char const *h_ = (haystack), *n_ = (needle); \
		if (h_ && strstr(h_, n_)) fail_msg("did not expect \"%s\" in \"%s\"", n_, h_); \
	} while (0)

/* Room for any window reason (verify.h allows 224 bytes for a reason). */
#define PC_REASON_TEST_LEN 224

static pc_anchor_config anchor_config(pc_anchor_kind kind, char const *name, char const *ca_file)
{
	return (pc_anchor_config) { .kind = kind, .name = name, .ca_file = ca_file };
}

static pc_anchor_config capf_config(char const *name, char const *ca_file)
{
	return anchor_config(PC_ANCHOR_CAPF, name, ca_file);
}

static void add_ok(pc_trust *trust, pc_anchor_config const *config)
{
	if (pc_trust_add(trust, config) != 0) fail_msg("pc_trust_add failed: %s", pc_trust_error(trust));
}

static void seal_ok(pc_trust *trust)
{
	if (pc_trust_seal(trust) != 0) fail_msg("pc_trust_seal failed: %s", pc_trust_error(trust));
}

/* pc_trust_add must fail, leave no anchor behind, and return the error text for further checks. */
static char const *add_fails(pc_trust *trust, pc_anchor_config const *config)
{
	size_t before = pc_trust_anchor_count(trust);

	assert_int_equal(pc_trust_add(trust, config), -1);
	assert_int_equal(pc_trust_anchor_count(trust), before);
	return pc_trust_error(trust);
}

/* The subject CN of a signer's certificate, to find signers without relying on bundle order. */
static void signer_cn(pc_signer const *signer, char *buf, int len)
{
	X509_NAME_get_text_by_NID(X509_get_subject_name(signer->cert), NID_commonName, buf, len);
}

static pc_signer const *signer_named(pc_trust const *trust, char const *cn)
{
	char buf[128];

	for (size_t i = 0; i < pc_trust_signer_count(trust); i++) {
		signer_cn(pc_trust_signer(trust, i), buf, sizeof(buf));
		if (strcmp(buf, cn) == 0) return pc_trust_signer(trust, i);
	}
	fail_msg("no signer with CN=%s", cn);
	return NULL;
}

/* The CN of the certificate at index in a signer's path. */
static void assert_path_cn(pc_signer const *signer, int index, char const *cn)
{
	char buf[128];

	X509_NAME_get_text_by_NID(X509_get_subject_name(sk_X509_value(signer->path, index)), NID_commonName,
				  buf, sizeof(buf));
	assert_string_equal(buf, cn);
}

/* A PEM file whose text is capf-new.pem cut to its first `keep` bytes. */
static char const *truncated_capf(char const *name, size_t keep)
{
	char *text = read_text(pki_file("capf-new.pem"));
	char const *path;

	assert_true(strlen(text) > keep);
	text[keep] = '\0';
	path = write_scratch(name, text);
	free(text);
	return path;
}

/* --- fixtures ------------------------------------------------------------- */

static int trust_fixture_new(void **state)
{
	*state = pc_trust_new();
	return *state ? 0 : -1;
}

static int trust_fixture_free(void **state)
{
	pc_trust_free(*state);
	return 0;
}

/* --- loading each kind of anchor ------------------------------------------ */

static void test_load_capf_anchor(void **state)
{
	pc_trust *trust = *state;
	pc_anchor_config config = capf_config("harbour-2024", pki_file("capf-new.pem"));
	pc_anchor const *anchor;
	time_t ignored;

	add_ok(trust, &config);
	seal_ok(trust);
	assert_int_equal(pc_trust_anchor_count(trust), 1);
	anchor = pc_trust_anchor(trust, 0);
	assert_string_equal(pc_anchor_name(anchor), "harbour-2024");
	assert_int_equal(pc_anchor_get_kind(anchor), PC_ANCHOR_CAPF);
	assert_int_equal(sk_X509_num(pc_anchor_certs(anchor)), 1);
	/* No window configured: both ends report "absent". */
	assert_false(pc_anchor_accept_from(anchor, &ignored));
	assert_false(pc_anchor_accept_until(anchor, &ignored));
	assert_int_equal(pc_trust_signer_count(trust), 1);
	assert_ptr_equal(pc_trust_signer(trust, 0)->anchor, anchor);
}

static void test_load_lsc_ca_anchor(void **state)
{
	pc_trust *trust = *state;
	pc_anchor_config config = anchor_config(PC_ANCHOR_LSC_CA, "example", pki_file("ext-ca.pem"));

	add_ok(trust, &config);
	seal_ok(trust);
	assert_int_equal(pc_anchor_get_kind(pc_trust_anchor(trust, 0)), PC_ANCHOR_LSC_CA);
	assert_string_equal(pc_anchor_name(pc_trust_anchor(trust, 0)), "example");
	assert_int_equal(pc_trust_signer_count(trust), 1);
}

static void test_load_manufacturing_anchor(void **state)
{
	pc_trust *trust = *state;
	pc_anchor_config config = anchor_config(PC_ANCHOR_MANUFACTURING, "manufacturing", pki_file("mfg-bundle.pem"));

	add_ok(trust, &config);
	seal_ok(trust);
	assert_int_equal(pc_anchor_get_kind(pc_trust_anchor(trust, 0)), PC_ANCHOR_MANUFACTURING);
	assert_int_equal(sk_X509_num(pc_anchor_certs(pc_trust_anchor(trust, 0))), 2);
	/* Every CA of the bundle may sign: the root as well as the intermediate. */
	assert_int_equal(pc_trust_signer_count(trust), 2);
}

static void test_load_real_cisco_manufacturing_bundle(void **state)
{
	pc_trust *trust = *state;
	pc_anchor_config config = anchor_config(PC_ANCHOR_MANUFACTURING, "manufacturing", CISCO_MANUFACTURING_BUNDLE);

	if (access(CISCO_MANUFACTURING_BUNDLE, R_OK) != 0) {
		fail_msg("%s not found: run the unit tests from the repository root (make unit does)",
			 CISCO_MANUFACTURING_BUNDLE);
	}
	add_ok(trust, &config);
	seal_ok(trust);
	assert_int_equal(sk_X509_num(pc_anchor_certs(pc_trust_anchor(trust, 0))), 4);
	assert_int_equal(pc_trust_signer_count(trust), 4);
	/* Both Cisco issuing CAs chain to their own root inside the bundle. */
	assert_int_equal(sk_X509_num(signer_named(trust, "Cisco Manufacturing CA SHA2")->path), 2);
	assert_path_cn(signer_named(trust, "Cisco Manufacturing CA SHA2"), 1, "Cisco Root CA M2");
	assert_int_equal(sk_X509_num(signer_named(trust, "Cisco Manufacturing CA")->path), 2);
	assert_path_cn(signer_named(trust, "Cisco Manufacturing CA"), 1, "Cisco Root CA 2048");
}

static void test_load_several_anchors(void **state)
{
	pc_trust *trust = *state;
	pc_anchor_config const configs[] = {
		capf_config("old", pki_file("capf-old.pem")),
		capf_config("new", pki_file("capf-new.pem")),
		anchor_config(PC_ANCHOR_LSC_CA, "example", pki_file("ext-ca.pem")),
		anchor_config(PC_ANCHOR_MANUFACTURING, "manufacturing", pki_file("mfg-bundle.pem")),
	};

	for (size_t i = 0; i < sizeof(configs) / sizeof(configs[0]); i++) add_ok(trust, &configs[i]);
	seal_ok(trust);
	assert_int_equal(pc_trust_anchor_count(trust), 4);
	assert_int_equal(pc_trust_signer_count(trust), 5);
	/* Anchors keep the order of configuration. */
	assert_string_equal(pc_anchor_name(pc_trust_anchor(trust, 0)), "old");
	assert_string_equal(pc_anchor_name(pc_trust_anchor(trust, 3)), "manufacturing");
}

static void test_duplicate_in_one_bundle_is_dropped(void **state)
{
	pc_trust *trust = *state;
	pc_anchor_config config = capf_config("a", bundle_scratch("capf-twice.pem", "capf-new.pem", "capf-new.pem", NULL));

	/* The same certificate twice in one file is harmless, and must not count as "shared" at seal time. */
	add_ok(trust, &config);
	seal_ok(trust);
	assert_int_equal(sk_X509_num(pc_anchor_certs(pc_trust_anchor(trust, 0))), 1);
}

static void test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(pc_anchor_kind_name(PC_ANCHOR_CAPF), "capf");
	assert_string_equal(pc_anchor_kind_name(PC_ANCHOR_LSC_CA), "lsc_ca");
	assert_string_equal(pc_anchor_kind_name(PC_ANCHOR_MANUFACTURING), "manufacturing");
}

/* --- configuration errors: ca_file ------------------------------------------ */

static void test_error_ca_file_not_set(void **state)
{
	pc_anchor_config config = capf_config("a", NULL);
	char const *error = add_fails(*state, &config);

	assert_contains(error, "capf 'a'");
	assert_contains(error, "ca_file is not set");
}

static void test_error_ca_file_empty(void **state)
{
	pc_anchor_config config = capf_config("a", "");
	char const *error = add_fails(*state, &config);

	assert_contains(error, "ca_file is not set");
}

static void test_error_ca_file_missing(void **state)
{
	char const *path = scratch_file("does-not-exist.pem");
	pc_anchor_config config = capf_config("a", path);
	char const *error = add_fails(*state, &config);

	assert_contains(error, "capf 'a'");
	assert_contains(error, "cannot read ca_file");
	assert_contains(error, path);
	assert_contains(error, "No such file or directory");
}

static pc_anchor_config with_crl_file(pc_anchor_config config, char const *crl_file)
{
	config.crl_file = crl_file;
	return config;
}

static void test_load_crl_file(void **state)
{
	pc_anchor_config config = with_crl_file(anchor_config(PC_ANCHOR_LSC_CA, "ext", pki_file("ext-ca.pem")),
						pki_file("ext-ca.crl.pem"));
	pc_anchor const *anchor;

	add_ok(*state, &config);
	anchor = pc_trust_anchor(*state, 0);
	assert_non_null(pc_anchor_crls(anchor));
	assert_int_equal(sk_X509_CRL_num(pc_anchor_crls(anchor)), 1);
	assert_string_equal(pc_anchor_crl_file(anchor), pki_file("ext-ca.crl.pem"));
}

static void test_no_crl_file_no_crls(void **state)
{
	pc_anchor_config config = capf_config("a", pki_file("capf-new.pem"));

	add_ok(*state, &config);
	assert_null(pc_anchor_crls(pc_trust_anchor(*state, 0)));
	assert_null(pc_anchor_crl_file(pc_trust_anchor(*state, 0)));
}

static void test_error_crl_file_missing(void **state)
{
	char const *path = scratch_file("missing.crl.pem");
	pc_anchor_config config = with_crl_file(anchor_config(PC_ANCHOR_LSC_CA, "ext", pki_file("ext-ca.pem")), path);
	char const *error = add_fails(*state, &config);

	assert_contains(error, "lsc_ca 'ext': cannot read crl_file");
	assert_contains(error, "No such file or directory");
}

static void test_error_crl_file_without_crl(void **state)
{
	pc_anchor_config config = with_crl_file(anchor_config(PC_ANCHOR_LSC_CA, "ext", pki_file("ext-ca.pem")),
						pki_file("ext-ca.pem"));
	char const *error = add_fails(*state, &config);

	assert_contains(error, "contains no PEM CRL");
}

static void test_error_crl_of_another_ca(void **state)
{
	pc_anchor_config config = with_crl_file(capf_config("a", pki_file("capf-old.pem")), pki_file("ext-ca.crl.pem"));
	char const *error = add_fails(*state, &config);

	assert_contains(error, "CRL 1 (issuer ");
	assert_contains(error, "not signed by any certificate of the anchor's ca_file");
}

/* capf-old has capf-new's DN: a CRL signed by capf-new names capf-old too, but its signature decides. */
static void test_error_crl_same_dn_other_key(void **state)
{
	pc_anchor_config config = with_crl_file(capf_config("a", pki_file("capf-old.pem")), pki_file("capf-new.crl.pem"));
	char const *error = add_fails(*state, &config);

	assert_contains(error, "not signed by any certificate of the anchor's ca_file");
}

/* CUCM's CAPF certificates have no cRLSign: OpenSSL would refuse their CRL in every handshake. */
static void test_error_crl_signer_without_crl_sign(void **state)
{
	pc_anchor_config config = with_crl_file(capf_config("a", pki_file("capf-new.pem")), pki_file("capf-new.crl.pem"));
	char const *error = add_fails(*state, &config);

	assert_contains(error, "signed by a certificate without cRLSign");
}

static void test_error_ca_file_is_a_directory(void **state)
{
	char const *path = scratch_file("a-directory.pem");
	pc_anchor_config config;
	char const *error;

	/* Tests may run as root, so a directory is the dependable way to get a path that cannot be read as a file. */
	if (mkdir(path, 0700) != 0 && errno != EEXIST) fail_msg("mkdir %s: %s", path, strerror(errno));
	config = capf_config("a", path);
	error = add_fails(*state, &config);
	assert_contains(error, "capf 'a'");
	assert_contains(error, path);
	assert_contains(error, "ca_file");
	/* Said as it is, not as "contains no PEM certificate", which would send the admin looking inside a file. */
	assert_contains(error, "is a directory");
	assert_not_contains(error, "no PEM certificate");
}

static void test_error_ca_file_without_certificate(void **state)
{
	char const *path = write_scratch("plain.txt", "These are not the certificates you are looking for.\n");
	pc_anchor_config config = capf_config("a", path);
	char const *error = add_fails(*state, &config);

	assert_contains(error, path);
	assert_contains(error, "no PEM certificate");
}

static void test_error_ca_file_empty_file(void **state)
{
	char const *path = write_scratch("empty.pem", "");
	pc_anchor_config config = capf_config("a", path);
	char const *error = add_fails(*state, &config);

	assert_contains(error, path);
	assert_contains(error, "no PEM certificate");
}

static void test_error_ca_file_truncated_pem(void **state)
{
	/* Cut inside the base64 body: a BEGIN line with no END line. */
	char const *path = truncated_capf("truncated.pem", 600);
	pc_anchor_config config = capf_config("a", path);
	char const *error = add_fails(*state, &config);

	assert_contains(error, path);
	assert_contains(error, "damaged PEM");
}

static void test_error_ca_file_bad_base64(void **state)
{
	char *text = read_text(pki_file("capf-new.pem"));
	char *body = strchr(text, '\n');
	char const *path;
	pc_anchor_config config;
	char const *error;

	/* Overwrite the start of the first base64 line with characters base64 does not have. */
	assert_non_null(body);
	memcpy(body + 1, "!!!!", 4);
	path = write_scratch("bad-base64.pem", text);
	free(text);
	config = capf_config("a", path);
	error = add_fails(*state, &config);
	assert_contains(error, path);
	assert_contains(error, "damaged PEM");
}

static void test_error_damaged_second_certificate(void **state)
{
	char *good = read_text(pki_file("capf-old.pem"));
	char *damaged = read_text(truncated_capf("half.pem", 600));
	char *both = calloc(1, strlen(good) + strlen(damaged) + 1);
	char const *path;
	pc_anchor_config config;
	char const *error;

	/* A good certificate before the damage must not make the file acceptable. */
	assert_non_null(both);
	strcat(strcat(both, good), damaged);
	path = write_scratch("good-then-damaged.pem", both);
	free(good);
	free(damaged);
	free(both);
	config = capf_config("a", path);
	error = add_fails(*state, &config);
	assert_contains(error, path);
	assert_contains(error, "damaged PEM after certificate 1");
}

static void test_error_capf_noca_is_not_a_ca(void **state)
{
	char const *path = pki_file("capf-noca.pem");
	pc_anchor_config config = capf_config("a", path);
	char const *error = add_fails(*state, &config);

	assert_contains(error, path);
	assert_contains(error, "not a CA certificate");
	/* The subject tells the admin which certificate of the bundle is wrong. */
	assert_contains(error, "CAPF-0000bad0");
}

static void test_error_lsc_is_not_a_ca(void **state)
{
	char const *path = pki_file("lsc-new-rsa.pem");
	pc_anchor_config config = capf_config("a", path);
	char const *error = add_fails(*state, &config);

	assert_contains(error, path);
	assert_contains(error, "not a CA certificate");
	assert_contains(error, "CP-8861-SEP2C3124C9F8E1");
}

static void test_error_non_ca_after_a_ca_in_bundle(void **state)
{
	char const *path = bundle_scratch("ca-then-lsc.pem", "capf-new.pem", "lsc-new-rsa.pem", NULL);
	pc_anchor_config config = capf_config("a", path);
	char const *error = add_fails(*state, &config);

	/* One bad certificate spoils the whole bundle, and its position is named. */
	assert_contains(error, path);
	assert_contains(error, "certificate 2");
	assert_contains(error, "not a CA certificate");
}

/* --- configuration errors: windows, names ------------------------------------ */

static void test_error_accept_until_unparseable(void **state)
{
	pc_anchor_config config = capf_config("a", pki_file("capf-new.pem"));
	char const *error;

	config.accept_until = "2026-12-31 23:59";
	error = add_fails(*state, &config);
	assert_contains(error, "capf 'a'");
	assert_contains(error, "accept_until");
	assert_contains(error, "2026-12-31 23:59");
	assert_contains(error, "RFC 3339");
}

static void test_error_accept_from_with_offset(void **state)
{
	pc_anchor_config config = capf_config("a", pki_file("capf-new.pem"));
	char const *error;

	config.accept_from = "2026-01-01T00:00:00+01:00";
	error = add_fails(*state, &config);
	assert_contains(error, "accept_from");
	assert_contains(error, "2026-01-01T00:00:00+01:00");
}

static void test_error_accept_from_equals_until(void **state)
{
	pc_anchor_config config = capf_config("a", pki_file("capf-new.pem"));
	char const *error;

	/* until is exclusive, so from == until would be a window that never opens. */
	config.accept_from = WINDOW_FROM_TEXT;
	config.accept_until = WINDOW_FROM_TEXT;
	error = add_fails(*state, &config);
	assert_contains(error, "capf 'a'");
	assert_contains(error, "accept_from");
	assert_contains(error, "must be before accept_until");
}

static void test_error_accept_from_after_until(void **state)
{
	pc_anchor_config config = capf_config("a", pki_file("capf-new.pem"));
	char const *error;

	config.accept_from = WINDOW_UNTIL_TEXT;
	config.accept_until = WINDOW_FROM_TEXT;
	error = add_fails(*state, &config);
	assert_contains(error, "must be before accept_until");
	assert_contains(error, WINDOW_UNTIL_TEXT);
}

static void test_error_capf_without_name(void **state)
{
	pc_anchor_config config = capf_config(NULL, pki_file("capf-new.pem"));
	char const *error = add_fails(*state, &config);

	assert_contains(error, "capf section without a name");
}

static void test_error_capf_with_empty_name(void **state)
{
	pc_anchor_config config = capf_config("", pki_file("capf-new.pem"));
	char const *error = add_fails(*state, &config);

	assert_contains(error, "without a name");
}

static void test_error_lsc_ca_without_name(void **state)
{
	pc_anchor_config config = anchor_config(PC_ANCHOR_LSC_CA, NULL, pki_file("ext-ca.pem"));
	char const *error = add_fails(*state, &config);

	assert_contains(error, "lsc_ca section without a name");
}

static void test_error_same_section_twice(void **state)
{
	pc_trust *trust = *state;
	pc_anchor_config first = capf_config("cluster1", pki_file("capf-old.pem"));
	pc_anchor_config second = capf_config("cluster1", pki_file("capf-new.pem"));
	char const *error;

	add_ok(trust, &first);
	error = add_fails(trust, &second);
	assert_contains(error, "capf 'cluster1'");
	assert_contains(error, "defined twice");
}

static void test_error_same_name_in_another_kind(void **state)
{
	pc_trust *trust = *state;
	pc_anchor_config capf = capf_config("cluster1", pki_file("capf-new.pem"));
	pc_anchor_config lsc_ca = anchor_config(PC_ANCHOR_LSC_CA, "cluster1", pki_file("ext-ca.pem"));
	char const *error;

	/* Logs and attributes name an anchor by its section name alone, so it must be unique across kinds. */
	add_ok(trust, &capf);
	error = add_fails(trust, &lsc_ca);
	assert_contains(error, "lsc_ca 'cluster1'");
	assert_contains(error, "already used by a capf section");
}

static void test_failed_add_leaves_name_free(void **state)
{
	pc_trust *trust = *state;
	pc_anchor_config broken = capf_config("cluster1", pki_file("capf-noca.pem"));
	pc_anchor_config fixed = capf_config("cluster1", pki_file("capf-new.pem"));

	/* A refused section must not be half-registered (else the retry would be "defined twice"). */
	add_fails(trust, &broken);
	add_ok(trust, &fixed);
	assert_int_equal(pc_trust_anchor_count(trust), 1);
}

static void test_error_seal_without_anchors(void **state)
{
	pc_trust *trust = *state;

	assert_int_equal(pc_trust_seal(trust), -1);
	assert_contains(pc_trust_error(trust), "no phone anchors");
}

static void test_error_same_certificate_in_two_anchors(void **state)
{
	pc_trust *trust = *state;
	char const *path = pki_file("capf-new.pem");
	pc_anchor_config a = capf_config("a", path);
	pc_anchor_config b = capf_config("b", path);
	char const *error;

	/* Each add is fine on its own: the conflict is only visible across anchors. */
	add_ok(trust, &a);
	add_ok(trust, &b);
	assert_int_equal(pc_trust_seal(trust), -1);
	error = pc_trust_error(trust);
	assert_contains(error, "CAPF-0992727f");
	assert_contains(error, "capf 'a'");
	assert_contains(error, "capf 'b'");
	assert_contains(error, path);
	assert_contains(error, "one anchor only");
}

static void test_seal_again_after_failure(void **state)
{
	pc_trust *trust = *state;
	char const *path = pki_file("capf-new.pem");
	pc_anchor_config a = capf_config("a", path);
	pc_anchor_config b = capf_config("b", path);
	char first[1024];

	add_ok(trust, &a);
	add_ok(trust, &b);
	assert_int_equal(pc_trust_seal(trust), -1);
	assert_int_equal(pc_trust_signer_count(trust), 0);
	snprintf(first, sizeof(first), "%s", pc_trust_error(trust));
	/*
	 * A failed seal leaves nothing half-built: sealing again (a caller
	 * retrying, or a second code path) fails the same way, frees what it
	 * built, and does not report the set as usable.
	 */
	assert_int_equal(pc_trust_seal(trust), -1);
	assert_int_equal(pc_trust_signer_count(trust), 0);
	assert_string_equal(pc_trust_error(trust), first);
	assert_contains(pc_trust_error(trust), "one anchor only");
	assert_contains(pc_trust_error(trust), "capf 'a'");
	assert_contains(pc_trust_error(trust), "capf 'b'");
	assert_int_equal(pc_trust_seal(trust), -1);
	assert_int_equal(pc_trust_signer_count(trust), 0);
}

static void test_error_same_certificate_across_kinds(void **state)
{
	pc_trust *trust = *state;
	pc_anchor_config capf = capf_config("a", pki_file("ext-ca.pem"));
	pc_anchor_config lsc_ca = anchor_config(PC_ANCHOR_LSC_CA, "b", pki_file("ext-ca.pem"));

	add_ok(trust, &capf);
	add_ok(trust, &lsc_ca);
	assert_int_equal(pc_trust_seal(trust), -1);
	assert_contains(pc_trust_error(trust), "lsc_ca 'b'");
}

static void test_error_add_after_seal(void **state)
{
	pc_trust *trust = *state;
	pc_anchor_config first = capf_config("a", pki_file("capf-new.pem"));
	pc_anchor_config late = capf_config("b", pki_file("capf-old.pem"));

	add_ok(trust, &first);
	seal_ok(trust);
	/* A sealed set is shared between threads: it must not change. */
	assert_int_equal(pc_trust_add(trust, &late), -1);
	assert_contains(pc_trust_error(trust), "sealed");
	assert_int_equal(pc_trust_anchor_count(trust), 1);
}

static void test_seal_twice_is_harmless(void **state)
{
	pc_trust *trust = *state;
	pc_anchor_config config = capf_config("a", pki_file("capf-new.pem"));

	add_ok(trust, &config);
	seal_ok(trust);
	seal_ok(trust);
	assert_int_equal(pc_trust_signer_count(trust), 1);
}

static void test_no_error_before_any_failure(void **state)
{
	assert_string_equal(pc_trust_error(*state), "no error");
}

/* --- windows ------------------------------------------------------------ */

static pc_anchor const *anchor_with_window(pc_trust *trust, char const *from, char const *until)
{
	pc_anchor_config config = capf_config("windowed", pki_file("capf-new.pem"));

	config.accept_from = from;
	config.accept_until = until;
	add_ok(trust, &config);
	seal_ok(trust);
	return pc_trust_anchor(trust, 0);
}

static void test_window_bounds_are_parsed(void **state)
{
	pc_anchor const *anchor = anchor_with_window(*state, WINDOW_FROM_TEXT, WINDOW_UNTIL_TEXT);
	time_t from = 0, until = 0;

	assert_true(pc_anchor_accept_from(anchor, &from));
	assert_true(pc_anchor_accept_until(anchor, &until));
	assert_int_equal(from, WINDOW_FROM);
	assert_int_equal(until, WINDOW_UNTIL);
}

static void test_window_from_is_inclusive(void **state)
{
	pc_anchor const *anchor = anchor_with_window(*state, WINDOW_FROM_TEXT, WINDOW_UNTIL_TEXT);

	assert_false(pc_anchor_window_open(anchor, WINDOW_FROM - 1));
	assert_true(pc_anchor_window_open(anchor, WINDOW_FROM));
}

static void test_window_until_is_exclusive(void **state)
{
	pc_anchor const *anchor = anchor_with_window(*state, WINDOW_FROM_TEXT, WINDOW_UNTIL_TEXT);

	assert_true(pc_anchor_window_open(anchor, WINDOW_UNTIL - 1));
	assert_false(pc_anchor_window_open(anchor, WINDOW_UNTIL));
}

static void test_window_only_from(void **state)
{
	pc_anchor const *anchor = anchor_with_window(*state, WINDOW_FROM_TEXT, NULL);
	time_t ignored;

	assert_false(pc_anchor_accept_until(anchor, &ignored));
	assert_false(pc_anchor_window_open(anchor, WINDOW_FROM - 1));
	/* No end: still open far in the future. */
	assert_true(pc_anchor_window_open(anchor, WINDOW_UNTIL + 100LL * 365 * 86400));
}

static void test_window_only_until(void **state)
{
	pc_anchor const *anchor = anchor_with_window(*state, NULL, WINDOW_UNTIL_TEXT);
	time_t ignored;

	assert_false(pc_anchor_accept_from(anchor, &ignored));
	assert_true(pc_anchor_window_open(anchor, 0));
	assert_false(pc_anchor_window_open(anchor, WINDOW_UNTIL));
}

static void test_window_absent_is_always_open(void **state)
{
	pc_anchor const *anchor = anchor_with_window(*state, NULL, NULL);

	assert_true(pc_anchor_window_open(anchor, 0));
	assert_true(pc_anchor_window_open(anchor, WINDOW_UNTIL));
}

static void test_window_reason_when_open(void **state)
{
	pc_anchor const *anchor = anchor_with_window(*state, WINDOW_FROM_TEXT, WINDOW_UNTIL_TEXT);
	char reason[PC_REASON_TEST_LEN];

	assert_null(pc_anchor_window_reason(anchor, WINDOW_FROM, reason, sizeof(reason)));
	assert_null(pc_anchor_window_reason(anchor, WINDOW_UNTIL - 1, reason, sizeof(reason)));
}

static void test_window_reason_before_from(void **state)
{
	pc_anchor const *anchor = anchor_with_window(*state, WINDOW_FROM_TEXT, WINDOW_UNTIL_TEXT);
	char reason[PC_REASON_TEST_LEN] = "";
	char const *hint = pc_anchor_window_reason(anchor, WINDOW_FROM - 1, reason, sizeof(reason));

	assert_non_null(hint);
	assert_contains(hint, "accept_from");
	assert_contains(reason, "capf 'windowed'");
	assert_contains(reason, "from " WINDOW_FROM_TEXT);
}

static void test_window_reason_at_until(void **state)
{
	pc_anchor const *anchor = anchor_with_window(*state, WINDOW_FROM_TEXT, WINDOW_UNTIL_TEXT);
	char reason[PC_REASON_TEST_LEN] = "";

	/* until is exclusive here too: the reason must agree with pc_anchor_window_open. */
	assert_non_null(pc_anchor_window_reason(anchor, WINDOW_UNTIL, reason, sizeof(reason)));
	assert_contains(reason, "capf 'windowed'");
	assert_contains(reason, "until " WINDOW_UNTIL_TEXT);
}

static void test_window_reason_fits_small_buffer(void **state)
{
	pc_anchor const *anchor = anchor_with_window(*state, WINDOW_FROM_TEXT, WINDOW_UNTIL_TEXT);
	char reason[16 + 1];

	/* The reason is cut, never written past len. */
	memset(reason, 'x', sizeof(reason));
	assert_non_null(pc_anchor_window_reason(anchor, WINDOW_UNTIL, reason, sizeof(reason) - 1));
	assert_int_equal(strlen(reason), sizeof(reason) - 2);
	assert_int_equal(reason[sizeof(reason) - 1], 'x');
}

/* --- names and labels ----------------------------------------------------------- */

static void test_find_anchor_by_name(void **state)
{
	pc_trust *trust = *state;
	pc_anchor_config const configs[] = {
		capf_config("old", pki_file("capf-old.pem")),
		anchor_config(PC_ANCHOR_LSC_CA, "example", pki_file("ext-ca.pem")),
		anchor_config(PC_ANCHOR_MANUFACTURING, "manufacturing", pki_file("mfg-bundle.pem")),
	};

	for (size_t i = 0; i < sizeof(configs) / sizeof(configs[0]); i++) add_ok(trust, &configs[i]);
	seal_ok(trust);
	assert_ptr_equal(pc_trust_find_anchor(trust, "old"), pc_trust_anchor(trust, 0));
	assert_ptr_equal(pc_trust_find_anchor(trust, "example"), pc_trust_anchor(trust, 1));
	assert_ptr_equal(pc_trust_find_anchor(trust, "manufacturing"), pc_trust_anchor(trust, 2));
	assert_null(pc_trust_find_anchor(trust, "new"));
	/* Names are compared exactly, as FreeRADIUS section names are. */
	assert_null(pc_trust_find_anchor(trust, "OLD"));
}

static void test_anchor_labels(void **state)
{
	pc_trust *trust = *state;
	pc_anchor_config capf = capf_config("harbour-2024", pki_file("capf-new.pem"));
	pc_anchor_config lsc_ca = anchor_config(PC_ANCHOR_LSC_CA, "example", pki_file("ext-ca.pem"));
	pc_anchor_config mfg = anchor_config(PC_ANCHOR_MANUFACTURING, "manufacturing", pki_file("mfg-bundle.pem"));
	char buf[64];

	add_ok(trust, &capf);
	add_ok(trust, &lsc_ca);
	add_ok(trust, &mfg);
	assert_ptr_equal(pc_anchor_label(pc_trust_anchor(trust, 0), buf, sizeof(buf)), buf);
	assert_string_equal(buf, "capf 'harbour-2024'");
	assert_string_equal(pc_anchor_label(pc_trust_anchor(trust, 1), buf, sizeof(buf)), "lsc_ca 'example'");
	/* There is only one manufacturing section, so its label carries no name. */
	assert_string_equal(pc_anchor_label(pc_trust_anchor(trust, 2), buf, sizeof(buf)), "manufacturing");
}

/* --- signer paths ---------------------------------------------------------- */

static void test_signer_path_of_intermediate_reaches_root(void **state)
{
	pc_trust *trust = *state;
	pc_anchor_config config = anchor_config(PC_ANCHOR_MANUFACTURING, "manufacturing", pki_file("mfg-bundle.pem"));
	pc_signer const *mfg_ca;

	add_ok(trust, &config);
	seal_ok(trust);
	mfg_ca = signer_named(trust, "Phonecert Test Manufacturing CA SHA2");
	assert_int_equal(sk_X509_num(mfg_ca->path), 2);
	/* The path starts with the signer itself, then its issuer. */
	assert_ptr_equal(sk_X509_value(mfg_ca->path, 0), mfg_ca->cert);
	assert_path_cn(mfg_ca, 1, "Phonecert Test Root CA M2");
}

static void test_signer_path_of_root_is_itself(void **state)
{
	pc_trust *trust = *state;
	pc_anchor_config config = anchor_config(PC_ANCHOR_MANUFACTURING, "manufacturing", pki_file("mfg-bundle.pem"));
	pc_signer const *root;

	add_ok(trust, &config);
	seal_ok(trust);
	root = signer_named(trust, "Phonecert Test Root CA M2");
	assert_int_equal(sk_X509_num(root->path), 1);
	assert_ptr_equal(sk_X509_value(root->path, 0), root->cert);
}

static void test_signer_path_independent_of_bundle_order(void **state)
{
	pc_trust *trust = *state;
	char const *path = bundle_scratch("mfg-ca-first.pem", "mfg-ca.pem", "mfg-root.pem", NULL);
	pc_anchor_config config = anchor_config(PC_ANCHOR_MANUFACTURING, "manufacturing", path);
	pc_signer const *mfg_ca;

	add_ok(trust, &config);
	seal_ok(trust);
	mfg_ca = signer_named(trust, "Phonecert Test Manufacturing CA SHA2");
	assert_int_equal(sk_X509_num(mfg_ca->path), 2);
	assert_path_cn(mfg_ca, 1, "Phonecert Test Root CA M2");
}

static void test_signer_path_without_root_in_bundle(void **state)
{
	pc_trust *trust = *state;
	pc_anchor_config config = anchor_config(PC_ANCHOR_MANUFACTURING, "manufacturing", pki_file("mfg-ca.pem"));

	/* An intermediate alone is a valid anchor; its path just ends at itself. */
	add_ok(trust, &config);
	seal_ok(trust);
	assert_int_equal(pc_trust_signer_count(trust), 1);
	assert_int_equal(sk_X509_num(pc_trust_signer(trust, 0)->path), 1);
}

static void test_same_dn_capfs_do_not_chain_to_each_other(void **state)
{
	pc_trust *trust = *state;
	char const *path = bundle_scratch("capf-old-new.pem", "capf-old.pem", "capf-new.pem", NULL);
	pc_anchor_config config = capf_config("both", path);

	/*
	 * capf-old and capf-new have the same DN, so by name each looks like
	 * the other's issuer; only the signature shows that each is its own root.
	 */
	add_ok(trust, &config);
	seal_ok(trust);
	assert_int_equal(pc_trust_signer_count(trust), 2);
	for (size_t i = 0; i < 2; i++) {
		pc_signer const *signer = pc_trust_signer(trust, i);

		assert_int_equal(sk_X509_num(signer->path), 1);
		assert_ptr_equal(sk_X509_value(signer->path, 0), signer->cert);
	}
}

/* --- issuer index ---------------------------------------------------------- */

/* The names of the anchors pc_trust_signers_named finds for the subject of PKI certificate cert_name, joined by spaces. */
static void signers_named_text(pc_trust const *trust, char const *cert_name, char *buf, size_t len)
{
	X509 *cert = load_pki_cert(cert_name);
	size_t count, pos = 0;
	pc_signer const *const *found = pc_trust_signers_named(trust, X509_get_subject_name(cert), &count);

	buf[0] = '\0';
	for (size_t i = 0; i < count; i++) {
		assert_int_equal(X509_NAME_cmp(X509_get_subject_name(found[i]->cert), X509_get_subject_name(cert)), 0);
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%s", i ? " " : "", pc_anchor_name(found[i]->anchor));
	}
	X509_free(cert);
}

static void add_all(pc_trust *trust, pc_anchor_config const *configs, size_t n)
{
	for (size_t i = 0; i < n; i++) add_ok(trust, &configs[i]);
	seal_ok(trust);
}

static void test_index_finds_every_same_dn_anchor_in_configuration_order(void **state)
{
	pc_trust *trust = *state, *reversed = pc_trust_new();
	pc_anchor_config const configs[] = {
		capf_config("new", pki_file("capf-new.pem")),
		anchor_config(PC_ANCHOR_MANUFACTURING, "manufacturing", pki_file("mfg-bundle.pem")),
		capf_config("old", pki_file("capf-old.pem")),
		capf_config("other", pki_file("capf-other.pem")),
	};
	pc_anchor_config const backwards[] = { configs[3], configs[2], configs[1], configs[0] };
	char names[128];

	add_all(trust, configs, 4);
	add_all(reversed, backwards, 4);
	/* capf-new and capf-old share one DN: both found, whichever was configured first. */
	signers_named_text(trust, "capf-old.pem", names, sizeof(names));
	assert_string_equal(names, "new old");
	signers_named_text(reversed, "capf-new.pem", names, sizeof(names));
	assert_string_equal(names, "old new");
	signers_named_text(trust, "capf-other.pem", names, sizeof(names));
	assert_string_equal(names, "other");
	signers_named_text(reversed, "mfg-root.pem", names, sizeof(names));
	assert_string_equal(names, "manufacturing");
	pc_trust_free(reversed);
}

static void test_index_unknown_name_finds_nothing(void **state)
{
	pc_trust *trust = *state;
	pc_anchor_config config = capf_config("new", pki_file("capf-new.pem"));
	X509 *laptop = load_pki_cert("laptop.pem");
	size_t count = 99;

	add_ok(trust, &config);
	assert_null(pc_trust_signers_named(trust, X509_get_subject_name(laptop), &count));	/* not sealed yet */
	assert_int_equal(count, 0);
	seal_ok(trust);
	count = 99;
	assert_null(pc_trust_signers_named(trust, X509_get_subject_name(laptop), &count));
	assert_int_equal(count, 0);
	assert_null(pc_trust_signers_named(trust, NULL, &count));
	X509_free(laptop);
}

/* Every signer of a larger set is found by its own subject, with exactly the signers a linear scan finds. */
static void test_index_agrees_with_a_linear_scan(void **state)
{
	pc_trust *trust = *state;
	pc_anchor_config const configs[] = {
		capf_config("new", pki_file("capf-new.pem")),
		capf_config("old", pki_file("capf-old.pem")),
		capf_config("other", pki_file("capf-other.pem")),
		anchor_config(PC_ANCHOR_LSC_CA, "example", pki_file("ext-ca.pem")),
		capf_config("corp", pki_file("corp-ca.pem")),
		anchor_config(PC_ANCHOR_MANUFACTURING, "manufacturing", CISCO_MANUFACTURING_BUNDLE),
	};

	add_all(trust, configs, sizeof(configs) / sizeof(configs[0]));
	for (size_t i = 0; i < pc_trust_signer_count(trust); i++) {
		X509_NAME const *name = X509_get_subject_name(pc_trust_signer(trust, i)->cert);
		size_t count, expected = 0, last = 0;
		pc_signer const *const *found = pc_trust_signers_named(trust, name, &count);

		for (size_t j = 0; j < pc_trust_signer_count(trust); j++) {
			expected += X509_NAME_cmp(X509_get_subject_name(pc_trust_signer(trust, j)->cert), name) == 0;
		}
		assert_int_equal(count, expected);
		for (size_t k = 0; k < count; k++) {
			size_t at = (size_t)(found[k] - pc_trust_signer(trust, 0));

			assert_true(k == 0 || at > last);	/* configuration order */
			last = at;
		}
	}
}

/* --- pc_trust_build: every problem, each where it is ------------------------------- */

#define MAX_TOLD 8

typedef struct {
	pc_problem problems[MAX_TOLD];
	char messages[MAX_TOLD][512];
	size_t count;
} told;

static void tell(void *ctx, pc_problem const *problem)
{
	told *t = ctx;

	assert_true(t->count < MAX_TOLD);
	t->problems[t->count] = *problem;
	snprintf(t->messages[t->count], sizeof(t->messages[0]), "%s", problem->message);
	t->problems[t->count].message = t->messages[t->count];
	t->count++;
}

static void test_build_tells_every_anchor_problem_where_it_is(void **state)
{
	pc_anchor_config configs[] = {
		{ .kind = PC_ANCHOR_CAPF, .name = "missing", .ca_file = "/nonexistent/capf.pem", .file = "a.conf", .line = 3 },
		{ .kind = PC_ANCHOR_CAPF, .name = "good", .ca_file = pki_file("capf-new.pem"), .file = "a.conf", .line = 7 },
		{ .kind = PC_ANCHOR_CAPF, .name = "window", .ca_file = pki_file("capf-old.pem"), .accept_until = "soon",
		  .file = "b.conf", .line = 11 },
	};
	told t = { 0 };
	bool refused;
	pc_trust *trust = pc_trust_build(configs, 3, "phonecert.conf", 1, tell, &t, &refused);

	(void)state;
	assert_non_null(trust);
	assert_true(refused);
	assert_int_equal(t.count, 2);
	assert_string_equal(t.problems[0].file, "a.conf");
	assert_int_equal(t.problems[0].line, 3);
	assert_ptr_equal(t.problems[0].anchor, &configs[0]);
	assert_contains(t.problems[0].message, "capf 'missing'");
	assert_string_equal(t.problems[1].file, "b.conf");
	assert_int_equal(t.problems[1].line, 11);
	assert_ptr_equal(t.problems[1].anchor, &configs[2]);
	assert_contains(t.problems[1].message, "accept_until");
	/* The anchors that loaded, for a check that goes on. */
	assert_int_equal(pc_trust_anchor_count(trust), 1);
	assert_non_null(pc_trust_find_anchor(trust, "good"));
	pc_trust_free(trust);
}

static void test_build_tells_the_set_at_its_section(void **state)
{
	told t = { 0 };
	bool refused;
	pc_trust *trust = pc_trust_build(NULL, 0, "phonecert.conf", 42, tell, &t, &refused);

	(void)state;
	assert_true(refused);
	assert_int_equal(t.count, 1);
	assert_string_equal(t.problems[0].file, "phonecert.conf");
	assert_int_equal(t.problems[0].line, 42);
	assert_null(t.problems[0].anchor);
	pc_trust_free(trust);
}

static void test_build_every_anchor_refused_says_only_that(void **state)
{
	pc_anchor_config const configs[] = {
		{ .kind = PC_ANCHOR_CAPF, .name = "missing", .ca_file = "/nonexistent/capf.pem", .file = "a.conf", .line = 3 },
	};
	told t = { 0 };
	bool refused;
	pc_trust *trust = pc_trust_build(configs, 1, "phonecert.conf", 1, tell, &t, &refused);

	(void)state;
	assert_true(refused);
	assert_int_equal(t.count, 1);
	assert_ptr_equal(t.problems[0].anchor, &configs[0]);
	pc_trust_free(trust);
}

static void test_build_accepts_a_good_configuration(void **state)
{
	pc_anchor_config const configs[] = {
		{ .kind = PC_ANCHOR_CAPF, .name = "new", .ca_file = pki_file("capf-new.pem"), .file = "a.conf", .line = 3 },
		{ .kind = PC_ANCHOR_CAPF, .name = "old", .ca_file = pki_file("capf-old.pem"), .file = "a.conf", .line = 6 },
	};
	told t = { 0 };
	bool refused;
	pc_trust *trust = pc_trust_build(configs, 2, "phonecert.conf", 1, tell, &t, &refused);

	(void)state;
	assert_false(refused);
	assert_int_equal(t.count, 0);
	assert_int_equal(pc_trust_anchor_count(trust), 2);
	pc_trust_free(trust);
}

#define TRUST_TEST(f) cmocka_unit_test_setup_teardown(f, trust_fixture_new, trust_fixture_free)

int main(void)
{
	struct CMUnitTest const tests[] = {
		TRUST_TEST(test_load_capf_anchor),
		TRUST_TEST(test_load_lsc_ca_anchor),
		TRUST_TEST(test_load_manufacturing_anchor),
		TRUST_TEST(test_load_real_cisco_manufacturing_bundle),
		TRUST_TEST(test_load_several_anchors),
		TRUST_TEST(test_duplicate_in_one_bundle_is_dropped),
		TRUST_TEST(test_kind_names),
		TRUST_TEST(test_error_ca_file_not_set),
		TRUST_TEST(test_error_ca_file_empty),
		TRUST_TEST(test_error_ca_file_missing),
		TRUST_TEST(test_load_crl_file),
		TRUST_TEST(test_no_crl_file_no_crls),
		TRUST_TEST(test_error_crl_file_missing),
		TRUST_TEST(test_error_crl_file_without_crl),
		TRUST_TEST(test_error_crl_of_another_ca),
		TRUST_TEST(test_error_crl_same_dn_other_key),
		TRUST_TEST(test_error_crl_signer_without_crl_sign),
		TRUST_TEST(test_error_ca_file_is_a_directory),
		TRUST_TEST(test_error_ca_file_without_certificate),
		TRUST_TEST(test_error_ca_file_empty_file),
		TRUST_TEST(test_error_ca_file_truncated_pem),
		TRUST_TEST(test_error_ca_file_bad_base64),
		TRUST_TEST(test_error_damaged_second_certificate),
		TRUST_TEST(test_error_capf_noca_is_not_a_ca),
		TRUST_TEST(test_error_lsc_is_not_a_ca),
		TRUST_TEST(test_error_non_ca_after_a_ca_in_bundle),
		TRUST_TEST(test_error_accept_until_unparseable),
		TRUST_TEST(test_error_accept_from_with_offset),
		TRUST_TEST(test_error_accept_from_equals_until),
		TRUST_TEST(test_error_accept_from_after_until),
		TRUST_TEST(test_error_capf_without_name),
		TRUST_TEST(test_error_capf_with_empty_name),
		TRUST_TEST(test_error_lsc_ca_without_name),
		TRUST_TEST(test_error_same_section_twice),
		TRUST_TEST(test_error_same_name_in_another_kind),
		TRUST_TEST(test_failed_add_leaves_name_free),
		TRUST_TEST(test_error_seal_without_anchors),
		TRUST_TEST(test_error_same_certificate_in_two_anchors),
		TRUST_TEST(test_seal_again_after_failure),
		TRUST_TEST(test_error_same_certificate_across_kinds),
		TRUST_TEST(test_error_add_after_seal),
		TRUST_TEST(test_seal_twice_is_harmless),
		TRUST_TEST(test_no_error_before_any_failure),
		TRUST_TEST(test_window_bounds_are_parsed),
		TRUST_TEST(test_window_from_is_inclusive),
		TRUST_TEST(test_window_until_is_exclusive),
		TRUST_TEST(test_window_only_from),
		TRUST_TEST(test_window_only_until),
		TRUST_TEST(test_window_absent_is_always_open),
		TRUST_TEST(test_window_reason_when_open),
		TRUST_TEST(test_window_reason_before_from),
		TRUST_TEST(test_window_reason_at_until),
		TRUST_TEST(test_window_reason_fits_small_buffer),
		TRUST_TEST(test_find_anchor_by_name),
		TRUST_TEST(test_anchor_labels),
		TRUST_TEST(test_signer_path_of_intermediate_reaches_root),
		TRUST_TEST(test_signer_path_of_root_is_itself),
		TRUST_TEST(test_signer_path_independent_of_bundle_order),
		TRUST_TEST(test_signer_path_without_root_in_bundle),
		TRUST_TEST(test_same_dn_capfs_do_not_chain_to_each_other),
		TRUST_TEST(test_index_finds_every_same_dn_anchor_in_configuration_order),
		TRUST_TEST(test_index_unknown_name_finds_nothing),
		TRUST_TEST(test_index_agrees_with_a_linear_scan),
		cmocka_unit_test(test_build_tells_every_anchor_problem_where_it_is),
		cmocka_unit_test(test_build_tells_the_set_at_its_section),
		cmocka_unit_test(test_build_every_anchor_refused_says_only_that),
		cmocka_unit_test(test_build_accepts_a_good_configuration),
	};

	return cmocka_run_group_tests_name("trust", tests, pki_group_setup, pki_group_teardown);
}
