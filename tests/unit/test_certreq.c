/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for core/certreq.c: the CA names of the CertificateRequest and
 * whether the first flight fits FreeRADIUS' TLS record.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "pki_support.h"

#include "core/certreq.h"

/*
 * The anchors of a typical site: two CAPFs with one DN, an external CA, the
 * manufacturing chain; the CAPFs and the external CA with advertise = no when
 * unadvertised.
 */
static pc_trust *site_trust_advertising(bool unadvertised)
{
	pc_anchor_config const anchors[] = {
		{ .kind = PC_ANCHOR_CAPF, .name = "new", .ca_file = pki_file("capf-new.pem"), .unadvertised = unadvertised },
		{ .kind = PC_ANCHOR_CAPF, .name = "old", .ca_file = pki_file("capf-old.pem"), .unadvertised = unadvertised },
		{ .kind = PC_ANCHOR_LSC_CA, .name = "corp", .ca_file = pki_file("ext-ca.pem"), .unadvertised = unadvertised },
		{ .kind = PC_ANCHOR_MANUFACTURING, .name = "manufacturing", .ca_file = pki_file("mfg-bundle.pem") },
	};
	pc_trust *trust = pc_trust_new();

	assert_non_null(trust);
	for (size_t i = 0; i < sizeof(anchors) / sizeof(anchors[0]); i++) {
		if (pc_trust_add(trust, &anchors[i]) != 0) fail_msg("pc_trust_add: %s", pc_trust_error(trust));
	}
	if (pc_trust_seal(trust) != 0) fail_msg("pc_trust_seal: %s", pc_trust_error(trust));
	return trust;
}

static pc_trust *site_trust(void)
{
	return site_trust_advertising(false);
}

static SSL_CTX *server_ctx(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	assert_non_null(ctx);
	return ctx;
}

static void test_advertise_adds_every_anchor_certificate(void **state)
{
	pc_trust *trust = site_trust();
	SSL_CTX *ctx = server_ctx();
	int names = -1;

	(void)state;
	pc_certreq_advertise(ctx, trust);
	/* capf-new and capf-old (one DN, named once), ext-ca, mfg root and CA. */
	assert_int_equal(sk_X509_NAME_num(SSL_CTX_get_client_CA_list(ctx)), 4);
	assert_true(pc_certreq_size(ctx, &names) > 1024);
	assert_int_equal(names, 4);
	SSL_CTX_free(ctx);
	pc_trust_free(trust);
}

/* A name eap's ca_file already sends is not sent twice. */
static void test_advertise_skips_names_already_listed(void **state)
{
	pc_trust *trust = site_trust();
	SSL_CTX *ctx = server_ctx();
	X509 *capf_old = load_pki_cert("capf-old.pem");
	int names = -1;

	(void)state;
	assert_int_equal(SSL_CTX_add_client_CA(ctx, capf_old), 1);
	pc_certreq_advertise(ctx, trust);
	pc_certreq_size(ctx, &names);
	assert_int_equal(names, 4);
	X509_free(capf_old);
	SSL_CTX_free(ctx);
	pc_trust_free(trust);
}

static bool lists(SSL_CTX *ctx, X509 *cert)
{
	STACK_OF(X509_NAME) *names = SSL_CTX_get_client_CA_list(ctx);

	for (int i = 0; i < sk_X509_NAME_num(names); i++) {
		if (X509_NAME_cmp(sk_X509_NAME_value(names, i), X509_get_subject_name(cert)) == 0) return true;
	}
	return false;
}

/* advertise = no: the anchor's names stay out, the others' go in, and the first flight shrinks. */
static void test_unadvertised_anchors_add_no_name(void **state)
{
	pc_trust *all = site_trust(), *some = site_trust_advertising(true);
	SSL_CTX *all_ctx = server_ctx(), *some_ctx = server_ctx();
	X509 *mfg_root = load_pki_cert("mfg-root.pem"), *capf = load_pki_cert("capf-new.pem");
	int names = -1, all_size, some_size;

	(void)state;
	pc_certreq_advertise(all_ctx, all);
	pc_certreq_advertise(some_ctx, some);
	all_size = pc_certreq_size(all_ctx, &names);
	some_size = pc_certreq_size(some_ctx, &names);
	assert_int_equal(names, 2);	/* the manufacturing root and CA */
	assert_true(lists(some_ctx, mfg_root));
	assert_false(lists(some_ctx, capf));
	assert_true(lists(all_ctx, capf));
	assert_true(some_size < all_size);
	/* Only the CertificateRequest changes: the anchors are still in the trust set. */
	assert_int_equal(pc_trust_anchor_count(some), 4);
	assert_false(pc_anchor_advertised(pc_trust_find_anchor(some, "new")));
	assert_true(pc_anchor_advertised(pc_trust_find_anchor(some, "manufacturing")));
	X509_free(mfg_root);
	X509_free(capf);
	SSL_CTX_free(all_ctx);
	SSL_CTX_free(some_ctx);
	pc_trust_free(all);
	pc_trust_free(some);
}

static void test_size_grows_with_each_name(void **state)
{
	pc_trust *trust = site_trust();
	SSL_CTX *ctx = server_ctx();
	int names, empty, full;

	(void)state;
	empty = pc_certreq_size(ctx, &names);
	assert_int_equal(names, 0);
	pc_certreq_advertise(ctx, trust);
	full = pc_certreq_size(ctx, &names);
	/* Each name costs its DER encoding and a 2-byte length. */
	assert_true(full - empty > names * (2 + 20));
	SSL_CTX_free(ctx);
	pc_trust_free(trust);
}

static void test_fits_within_either_freeradius_record(void **state)
{
	pc_trust *trust = site_trust();
	SSL_CTX *ctx = server_ctx();
	char err[512] = "untouched";

	(void)state;
	pc_certreq_advertise(ctx, trust);
	assert_true(pc_certreq_fits(ctx, 16384, "tls-common", err, sizeof(err)));
	assert_true(pc_certreq_fits(ctx, 65536, "tls-common", err, sizeof(err)));
	assert_string_equal(err, "untouched");
	SSL_CTX_free(ctx);
	pc_trust_free(trust);
}

static void test_too_large_says_why_and_what_to_do(void **state)
{
	pc_trust *trust = site_trust();
	SSL_CTX *ctx = server_ctx();
	char err[1024], limit[32];
	int names, size = 0;

	(void)state;
	pc_certreq_advertise(ctx, trust);
	size = pc_certreq_size(ctx, &names);
	assert_false(pc_certreq_fits(ctx, size - 1, "tls-common", err, sizeof(err)));
	snprintf(limit, sizeof(limit), "more than the %d", size - 1);
	assert_non_null(strstr(err, "eap tls-config tls-common would send 4 CA names"));
	assert_non_null(strstr(err, limit));
	assert_non_null(strstr(err, "Keep only the CAs of your non-phone clients in eap's ca_file"));
	assert_non_null(strstr(err, "or set advertise = no in anchor sections"));
	assert_true(pc_certreq_fits(ctx, size, "tls-common", err, sizeof(err)));
	SSL_CTX_free(ctx);
	pc_trust_free(trust);
}

static void test_error_fits_small_buffer(void **state)
{
	pc_trust *trust = site_trust();
	SSL_CTX *ctx = server_ctx();
	char err[16];

	(void)state;
	pc_certreq_advertise(ctx, trust);
	assert_false(pc_certreq_fits(ctx, 10, "tls-common", err, sizeof(err)));
	assert_int_equal(strlen(err), sizeof(err) - 1);
	SSL_CTX_free(ctx);
	pc_trust_free(trust);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_advertise_adds_every_anchor_certificate),
		cmocka_unit_test(test_advertise_skips_names_already_listed),
		cmocka_unit_test(test_unadvertised_anchors_add_no_name),
		cmocka_unit_test(test_size_grows_with_each_name),
		cmocka_unit_test(test_fits_within_either_freeradius_record),
		cmocka_unit_test(test_too_large_says_why_and_what_to_do),
		cmocka_unit_test(test_error_fits_small_buffer),
	};

	return cmocka_run_group_tests_name("certreq", tests, pki_group_setup, pki_group_teardown);
}
