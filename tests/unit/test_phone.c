/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for core/phone: the phone identity carried in a certificate's
 * subject (CN "<model>-SEP<MAC>", serialNumber "PID:<model> SN:<serial>")
 * and the CAPF naming rule (CN=CAPF-<8 hex digits>).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/phone.h"
#include "pki_support.h"

/* An identity full of junk, so that a field the parser forgot to write does not look right by luck. */
static pc_identity dirty_identity(void)
{
	pc_identity id;

	memset(&id, '#', sizeof(id));
	id.has_device = true;
	id.cn[sizeof(id.cn) - 1] = '\0';
	id.device_name[sizeof(id.device_name) - 1] = '\0';
	id.mac[sizeof(id.mac) - 1] = '\0';
	id.model[sizeof(id.model) - 1] = '\0';
	id.pid[sizeof(id.pid) - 1] = '\0';
	id.sn[sizeof(id.sn) - 1] = '\0';
	return id;
}

/* A name with just CN=cn, as a CA certificate's subject would carry it. */
static X509_NAME *name_with_cn(char const *cn)
{
	X509_NAME *name = X509_NAME_new();

	assert_non_null(name);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (unsigned char const *)cn, -1, -1, 0), 1);
	return name;
}

/*
 * An unsigned certificate with the given subject entries: enough for the
 * subject parsers. The values are set as UTF8String directly, not through
 * MBSTRING_ASC, because OpenSSL would refuse to build a CN over 64 characters
 * that a certificate from elsewhere can nevertheless carry.
 */
static void add_utf8_entry(X509_NAME *name, char const *field, char const *value)
{
	assert_int_equal(X509_NAME_add_entry_by_txt(name, field, V_ASN1_UTF8STRING,
						    (unsigned char const *)value, -1, -1, 0), 1);
}

static X509 *cert_with_subject(char const *serial_number, char const *cn)
{
	X509 *cert = X509_new();
	X509_NAME *name = X509_NAME_new();

	assert_non_null(cert);
	assert_non_null(name);
	if (serial_number) add_utf8_entry(name, "serialNumber", serial_number);
	if (cn) add_utf8_entry(name, "CN", cn);
	assert_int_equal(X509_set_subject_name(cert, name), 1);
	X509_NAME_free(name);
	return cert;
}

static void assert_cn_rejected(char const *cn)
{
	pc_identity id = dirty_identity();

	if (pc_parse_device_cn(cn, &id)) fail_msg("pc_parse_device_cn accepted \"%s\"", cn ? cn : "(NULL)");
	/* has_device is what callers test, so a rejection must clear it. */
	assert_false(id.has_device);
}

/* --- pc_parse_device_cn ------------------------------------------------- */

static void test_cn_with_model(void **state)
{
	pc_identity id = dirty_identity();

	(void)state;
	assert_true(pc_parse_device_cn("CP-8861-SEP2C3124C9F8E1", &id));
	assert_true(id.has_device);
	assert_string_equal(id.model, "CP-8861");
	assert_string_equal(id.device_name, "SEP2C3124C9F8E1");
	assert_string_equal(id.mac, "2C-31-24-C9-F8-E1");
}

static void test_cn_without_model(void **state)
{
	pc_identity id;

	(void)state;
	memset(&id, 0, sizeof(id));
	assert_true(pc_parse_device_cn("SEP000E83E53398", &id));
	assert_string_equal(id.device_name, "SEP000E83E53398");
	assert_string_equal(id.mac, "00-0E-83-E5-33-98");
	assert_string_equal(id.model, "");
}

static void test_cn_lowercase_hex_is_upper_cased(void **state)
{
	pc_identity id = dirty_identity();

	(void)state;
	/* RADIUS policies compare the MAC as text, so one spelling only. */
	assert_true(pc_parse_device_cn("CP-8861-SEP2c3124c9f8e1", &id));
	assert_string_equal(id.device_name, "SEP2C3124C9F8E1");
	assert_string_equal(id.mac, "2C-31-24-C9-F8-E1");
}

static void test_cn_lowercase_sep_is_normalised(void **state)
{
	pc_identity id = dirty_identity();

	(void)state;
	assert_true(pc_parse_device_cn("sep2c3124c9f8e1", &id));
	assert_string_equal(id.device_name, "SEP2C3124C9F8E1");
}

static void test_cn_model_with_letters_suffix(void **state)
{
	pc_identity id = dirty_identity();

	(void)state;
	assert_true(pc_parse_device_cn("CP-7945G-SEP00000A0B0C0D", &id));
	assert_string_equal(id.model, "CP-7945G");
	assert_string_equal(id.mac, "00-00-0A-0B-0C-0D");
}

static void test_cn_rejects_eleven_hex_digits(void **state)
{
	(void)state;
	assert_cn_rejected("CP-8861-SEP2C3124C9F8E");
}

static void test_cn_rejects_thirteen_hex_digits(void **state)
{
	(void)state;
	assert_cn_rejected("CP-8861-SEP2C3124C9F8E10");
}

static void test_cn_rejects_non_hex_mac(void **state)
{
	(void)state;
	assert_cn_rejected("CP-8861-SEPXYZ124C9F8E1");
	assert_cn_rejected("CP-8861-SEP2C3124C9F8EG");
}

static void test_cn_rejects_empty_model(void **state)
{
	(void)state;
	assert_cn_rejected("-SEP2C3124C9F8E1");
}

static void test_cn_rejects_model_without_dash(void **state)
{
	(void)state;
	assert_cn_rejected("CP8861SEP2C3124C9F8E1");
}

static void test_cn_rejects_space_in_model(void **state)
{
	(void)state;
	assert_cn_rejected("CP 8861-SEP2C3124C9F8E1");
}

static void test_cn_rejects_trailing_text(void **state)
{
	(void)state;
	assert_cn_rejected("CP-8861-SEP2C3124C9F8E1 ");
	assert_cn_rejected("SEP2C3124C9F8E1.example.com");
}

static void test_cn_rejects_host_name(void **state)
{
	(void)state;
	assert_cn_rejected("laptop01.example.com");
}

static void test_cn_rejects_capf_name(void **state)
{
	(void)state;
	assert_cn_rejected("CAPF-0992727f");
}

static void test_cn_rejects_empty_and_null(void **state)
{
	(void)state;
	assert_cn_rejected("");
	assert_cn_rejected(NULL);
}

/* --- pc_parse_serial_number --------------------------------------------- */

static void test_serial_pid_then_sn(void **state)
{
	pc_identity id = dirty_identity();

	(void)state;
	assert_true(pc_parse_serial_number("PID:CP-8861 SN:FCH2133E8B9", &id));
	assert_string_equal(id.pid, "CP-8861");
	assert_string_equal(id.sn, "FCH2133E8B9");
}

static void test_serial_sn_then_pid(void **state)
{
	pc_identity id = dirty_identity();

	(void)state;
	assert_true(pc_parse_serial_number("SN:FCH2133E8B9 PID:CP-8861", &id));
	assert_string_equal(id.pid, "CP-8861");
	assert_string_equal(id.sn, "FCH2133E8B9");
}

static void test_serial_only_pid(void **state)
{
	pc_identity id = dirty_identity();

	(void)state;
	assert_true(pc_parse_serial_number("PID:CP-8861", &id));
	assert_string_equal(id.pid, "CP-8861");
	/* The absent part is emptied, not left with whatever was there. */
	assert_string_equal(id.sn, "");
}

static void test_serial_only_sn(void **state)
{
	pc_identity id = dirty_identity();

	(void)state;
	assert_true(pc_parse_serial_number("SN:FCH2133E8B9", &id));
	assert_string_equal(id.pid, "");
	assert_string_equal(id.sn, "FCH2133E8B9");
}

static void test_serial_empty_value_is_absent(void **state)
{
	pc_identity id = dirty_identity();

	(void)state;
	assert_true(pc_parse_serial_number("PID: SN:FCH2133E8B9", &id));
	assert_string_equal(id.pid, "");
	assert_string_equal(id.sn, "FCH2133E8B9");
}

static void test_serial_both_values_empty(void **state)
{
	pc_identity id = dirty_identity();

	(void)state;
	assert_false(pc_parse_serial_number("PID: SN:", &id));
	assert_string_equal(id.pid, "");
	assert_string_equal(id.sn, "");
}

static void test_serial_key_inside_a_word_is_not_a_key(void **state)
{
	pc_identity id = dirty_identity();

	(void)state;
	/* "XSN:" must not be read as "SN:": keys start the text or follow a space. */
	assert_false(pc_parse_serial_number("XSN:123 APID:CP-8861", &id));
	assert_string_equal(id.pid, "");
	assert_string_equal(id.sn, "");
}

static void test_serial_too_long_value_is_absent(void **state)
{
	char text[8 + PC_FIELD_LEN + 1];
	pc_identity id = dirty_identity();

	(void)state;
	/* A value of exactly PC_FIELD_LEN characters does not fit with its terminator. */
	strcpy(text, "SN:");
	memset(text + 3, 'A', PC_FIELD_LEN);
	text[3 + PC_FIELD_LEN] = '\0';
	assert_false(pc_parse_serial_number(text, &id));
	assert_string_equal(id.sn, "");
}

static void test_serial_longest_value_that_fits(void **state)
{
	char text[8 + PC_FIELD_LEN];
	pc_identity id = dirty_identity();

	(void)state;
	strcpy(text, "SN:");
	memset(text + 3, 'A', PC_FIELD_LEN - 1);
	text[3 + PC_FIELD_LEN - 1] = '\0';
	assert_true(pc_parse_serial_number(text, &id));
	assert_int_equal(strlen(id.sn), PC_FIELD_LEN - 1);
}

static void test_serial_rejects_empty_and_null(void **state)
{
	pc_identity id = dirty_identity();

	(void)state;
	assert_false(pc_parse_serial_number("", &id));
	assert_false(pc_parse_serial_number(NULL, &id));
}

/* --- pc_identity_from_cert ---------------------------------------------- */

static void test_identity_of_lsc(void **state)
{
	X509 *cert = load_pki_cert("lsc-new-rsa.pem");
	pc_identity id = dirty_identity();

	(void)state;
	assert_true(pc_identity_from_cert(cert, &id));
	assert_true(id.has_device);
	assert_string_equal(id.cn, "CP-8861-SEP2C3124C9F8E1");
	assert_string_equal(id.device_name, "SEP2C3124C9F8E1");
	assert_string_equal(id.mac, "2C-31-24-C9-F8-E1");
	assert_string_equal(id.model, "CP-8861");
	assert_string_equal(id.pid, "CP-8861");
	assert_string_equal(id.sn, "FCH2133E8B9");
	X509_free(cert);
}

static void test_identity_of_mic_matches_its_lsc(void **state)
{
	X509 *cert = load_pki_cert("mic.pem");
	pc_identity id = dirty_identity();

	(void)state;
	/* The MIC and the LSC of one phone must yield the same identity. */
	assert_true(pc_identity_from_cert(cert, &id));
	assert_string_equal(id.device_name, "SEP2C3124C9F8E1");
	assert_string_equal(id.mac, "2C-31-24-C9-F8-E1");
	assert_string_equal(id.model, "CP-8861");
	assert_string_equal(id.pid, "CP-8861");
	assert_string_equal(id.sn, "FCH2133E8B9");
	X509_free(cert);
}

static void test_identity_of_other_cluster_lsc(void **state)
{
	X509 *cert = load_pki_cert("lsc-other.pem");
	pc_identity id = dirty_identity();

	(void)state;
	assert_true(pc_identity_from_cert(cert, &id));
	assert_string_equal(id.device_name, "SEPB000B4BA0AEE");
	assert_string_equal(id.mac, "B0-00-B4-BA-0A-EE");
	assert_string_equal(id.model, "CP-8861");
	assert_string_equal(id.sn, "FCH18198CNQ");
	X509_free(cert);
}

static void test_identity_of_laptop_has_no_device(void **state)
{
	X509 *cert = load_pki_cert("laptop.pem");
	pc_identity id = dirty_identity();

	(void)state;
	assert_false(pc_identity_from_cert(cert, &id));
	assert_false(id.has_device);
	/* The CN is kept as it is even when it names no phone: logs and policy use it. */
	assert_string_equal(id.cn, "laptop01.example.com");
	/* Cleared first: nothing of the junk survives. */
	assert_string_equal(id.device_name, "");
	assert_string_equal(id.mac, "");
	assert_string_equal(id.model, "");
	assert_string_equal(id.pid, "");
	assert_string_equal(id.sn, "");
	X509_free(cert);
}

static void test_identity_model_falls_back_to_pid(void **state)
{
	X509 *cert = cert_with_subject("PID:CP-7841 SN:FCH1111BBBB", "SEP001122334455");
	pc_identity id = dirty_identity();

	(void)state;
	/* A bare SEP<MAC> CN names no model; the PID does. */
	assert_true(pc_identity_from_cert(cert, &id));
	assert_string_equal(id.model, "CP-7841");
	assert_string_equal(id.mac, "00-11-22-33-44-55");
	X509_free(cert);
}

static void test_identity_model_from_cn_wins_over_pid(void **state)
{
	X509 *cert = cert_with_subject("PID:CP-0000 SN:FCH1111BBBB", "CP-7841-SEP001122334455");
	pc_identity id = dirty_identity();

	(void)state;
	assert_true(pc_identity_from_cert(cert, &id));
	assert_string_equal(id.model, "CP-7841");
	assert_string_equal(id.pid, "CP-0000");
	X509_free(cert);
}

static void test_identity_without_serial_number(void **state)
{
	X509 *cert = cert_with_subject(NULL, "CP-8861-SEP2C3124C9F8E1");
	pc_identity id = dirty_identity();

	(void)state;
	assert_true(pc_identity_from_cert(cert, &id));
	assert_string_equal(id.model, "CP-8861");
	assert_string_equal(id.pid, "");
	assert_string_equal(id.sn, "");
	X509_free(cert);
}

/* A CN of exactly length characters: "<model>-SEP2C3124C9F8E1" with a model of filler letters. */
static X509 *cert_with_cn_of_length(size_t length)
{
	static char const device[] = "-SEP2C3124C9F8E1";
	char cn[128];
	size_t model_len = length - (sizeof(device) - 1);

	assert_true(length < sizeof(cn) && length > sizeof(device));
	memset(cn, 'M', model_len);
	strcpy(cn + model_len, device);
	assert_int_equal(strlen(cn), length);
	return cert_with_subject(NULL, cn);
}

static void test_identity_cn_of_64_characters(void **state)
{
	X509 *cert = cert_with_cn_of_length(PC_FIELD_LEN - 1);
	pc_identity id = dirty_identity();

	(void)state;
	/* 64 characters is the X.520 maximum for a CN: still read, still a phone. */
	assert_true(pc_identity_from_cert(cert, &id));
	assert_int_equal(strlen(id.cn), PC_FIELD_LEN - 1);
	assert_int_equal(strlen(id.model), PC_FIELD_LEN - 1 - 16);
	X509_free(cert);
}

static void test_identity_cn_longer_than_64_characters(void **state)
{
	X509 *cert = cert_with_cn_of_length(PC_FIELD_LEN);
	pc_identity id = dirty_identity();

	(void)state;
	/* Beyond the X.520 bound it is not a phone's CN, even though it ends in SEP<MAC>. */
	assert_false(pc_identity_from_cert(cert, &id));
	assert_string_equal(id.cn, "");
	assert_string_equal(id.mac, "");
	X509_free(cert);
}

/* --- pc_name_is_capf and pc_name_entry ------------------------------------ */

static void assert_cert_subject_is_capf(char const *file, bool expected)
{
	X509 *cert = load_pki_cert(file);

	if (pc_name_is_capf(X509_get_subject_name(cert)) != expected) {
		fail_msg("pc_name_is_capf(subject of %s) should be %s", file, expected ? "true" : "false");
	}
	X509_free(cert);
}

static void assert_cn_is_capf(char const *cn, bool expected)
{
	X509_NAME *name = name_with_cn(cn);

	if (pc_name_is_capf(name) != expected) {
		fail_msg("pc_name_is_capf(CN=%s) should be %s", cn, expected ? "true" : "false");
	}
	X509_NAME_free(name);
}

static void test_capf_subjects_are_capf_names(void **state)
{
	(void)state;
	assert_cert_subject_is_capf("capf-new.pem", true);
	assert_cert_subject_is_capf("capf-old.pem", true);
	assert_cert_subject_is_capf("capf-other.pem", true);
}

static void test_other_ca_subjects_are_not_capf_names(void **state)
{
	(void)state;
	assert_cert_subject_is_capf("corp-ca.pem", false);
	assert_cert_subject_is_capf("ext-ca.pem", false);
	assert_cert_subject_is_capf("mfg-ca.pem", false);
}

static void test_capf_name_needs_exactly_eight_hex_digits(void **state)
{
	(void)state;
	assert_cn_is_capf("CAPF-0992727f", true);
	assert_cn_is_capf("CAPF-0992727", false);
	assert_cn_is_capf("CAPF-0992727fa", false);
	assert_cn_is_capf("CAPF-0992727g", false);
	assert_cn_is_capf("CAPF-", false);
}

static void test_capf_name_prefix_is_exact(void **state)
{
	(void)state;
	assert_cn_is_capf("CAPF 0992727f", false);
	assert_cn_is_capf("XCAPF-992727f", false);
}

static void test_capf_name_without_cn(void **state)
{
	X509_NAME *name = X509_NAME_new();

	(void)state;
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (unsigned char const *)"CAPF-0992727f",
						    -1, -1, 0), 1);
	/* Only the CN counts, not an O that happens to look like a CAPF name. */
	assert_false(pc_name_is_capf(name));
	X509_NAME_free(name);
}

static void test_name_entry_copies_value(void **state)
{
	X509_NAME *name = name_with_cn("CAPF-0992727f");
	char buf[32];

	(void)state;
	assert_true(pc_name_entry(name, NID_commonName, buf, sizeof(buf)));
	assert_string_equal(buf, "CAPF-0992727f");
	X509_NAME_free(name);
}

static void test_name_entry_absent(void **state)
{
	X509_NAME *name = name_with_cn("CAPF-0992727f");
	char buf[32];

	(void)state;
	assert_false(pc_name_entry(name, NID_organizationName, buf, sizeof(buf)));
	X509_NAME_free(name);
}

static void test_name_entry_too_long_for_buffer(void **state)
{
	X509_NAME *name = name_with_cn("CAPF-0992727f");
	char buf[13];	/* one short: 13 characters need 14 bytes */

	(void)state;
	assert_false(pc_name_entry(name, NID_commonName, buf, sizeof(buf)));
	X509_NAME_free(name);
}

/* A CN of the given ASN.1 string type and bytes, as a stranger's certificate may carry it. */
static X509_NAME *name_with_typed_cn(int type, char const *bytes, int length)
{
	X509_NAME *name = X509_NAME_new();

	assert_non_null(name);
	assert_int_equal(X509_NAME_add_entry_by_NID(name, NID_commonName, type, (unsigned char const *)bytes, length,
						    -1, 0), 1);
	return name;
}

static void test_name_entry_of_every_ascii_string_type(void **state)
{
	static int const types[] = { V_ASN1_UTF8STRING, V_ASN1_PRINTABLESTRING, V_ASN1_IA5STRING, V_ASN1_T61STRING };
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		X509_NAME *name = name_with_typed_cn(types[i], "SEP2C3124C9F8E1", -1);

		assert_true(pc_name_entry(name, NID_commonName, buf, sizeof(buf)));
		assert_string_equal(buf, "SEP2C3124C9F8E1");
		X509_NAME_free(name);
	}
}

static void test_name_entry_converts_to_utf8(void **state)
{
	X509_NAME *utf8 = name_with_typed_cn(V_ASN1_UTF8STRING, "Caf\xc3\xa9", -1);
	X509_NAME *bmp = name_with_typed_cn(V_ASN1_BMPSTRING, "\0S\0E\0P", 6);
	X509_NAME *latin1 = name_with_typed_cn(V_ASN1_T61STRING, "Caf\xe9", -1);
	char buf[32];

	(void)state;
	assert_true(pc_name_entry(utf8, NID_commonName, buf, sizeof(buf)));
	assert_string_equal(buf, "Caf\xc3\xa9");
	assert_true(pc_name_entry(bmp, NID_commonName, buf, sizeof(buf)));
	assert_string_equal(buf, "SEP");
	assert_true(pc_name_entry(latin1, NID_commonName, buf, sizeof(buf)));	/* T.61 read as Latin-1, as OpenSSL does */
	assert_string_equal(buf, "Caf\xc3\xa9");
	X509_NAME_free(utf8);
	X509_NAME_free(bmp);
	X509_NAME_free(latin1);
}

static void test_name_entry_refuses_an_embedded_nul(void **state)
{
	X509_NAME *utf8 = name_with_typed_cn(V_ASN1_UTF8STRING, "SEP\0EVIL", 8);
	X509_NAME *ia5 = name_with_typed_cn(V_ASN1_IA5STRING, "SEP\0EVIL", 8);
	char buf[32];

	(void)state;
	/* C would read "SEP": a name that a stranger can shorten must not be read at all. */
	assert_false(pc_name_entry(utf8, NID_commonName, buf, sizeof(buf)));
	assert_false(pc_name_entry(ia5, NID_commonName, buf, sizeof(buf)));
	X509_NAME_free(utf8);
	X509_NAME_free(ia5);
}

/* --- pc_mac_normalise ---------------------------------------------------------- */

/* Bytes after the output that must stay untouched. */
#define MAC_GUARD_LEN 32
#define MAC_GUARD_BYTE 'x'

static void test_mac_accepted_layouts(void **state)
{
	static struct {
		char const *text, *mac;
	} const cases[] = {
		{ "aa-bb-cc-dd-ee-ff", "AA-BB-CC-DD-EE-FF" },
		{ "AA-BB-CC-DD-EE-FF", "AA-BB-CC-DD-EE-FF" },
		{ "AA:BB:CC:DD:EE:FF", "AA-BB-CC-DD-EE-FF" },
		{ "aa:bb:cc:dd:ee:ff", "AA-BB-CC-DD-EE-FF" },
		{ "aabb.ccdd.eeff", "AA-BB-CC-DD-EE-FF" },
		{ "AABB.CCDD.EEFF", "AA-BB-CC-DD-EE-FF" },
		{ "aabbccddeeff", "AA-BB-CC-DD-EE-FF" },
		{ "AABBCCDDEEFF", "AA-BB-CC-DD-EE-FF" },
		/* mixed case */
		{ "aA-Bb-cC-Dd-eE-fF", "AA-BB-CC-DD-EE-FF" },
		{ "Aa:bB:Cc:dD:Ee:fF", "AA-BB-CC-DD-EE-FF" },
		{ "aAbB.cCdD.eEfF", "AA-BB-CC-DD-EE-FF" },
		{ "AaBbCcDdEeFf", "AA-BB-CC-DD-EE-FF" },
		/* digits stay where they are */
		{ "2c:31:24:c9:f8:e1", "2C-31-24-C9-F8-E1" },
		{ "2c31.24c9.f8e1", "2C-31-24-C9-F8-E1" },
		{ "2C3124C9F8E1", "2C-31-24-C9-F8-E1" },
		{ "00-11-22-33-44-55", "00-11-22-33-44-55" },
		{ "0011.2233.4455", "00-11-22-33-44-55" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[PC_MAC_LEN + MAC_GUARD_LEN];

		memset(out, MAC_GUARD_BYTE, sizeof(out));
		if (!pc_mac_normalise(cases[i].text, out)) fail_msg("\"%s\" was not read as a MAC", cases[i].text);
		assert_string_equal(out, cases[i].mac);
		for (size_t g = PC_MAC_LEN; g < sizeof(out); g++) assert_int_equal(out[g], MAC_GUARD_BYTE);
	}
}

static void test_mac_rejected_text(void **state)
{
	char const *const cases[] = {
		"aa.bb.cc.dd.ee.ff",		/* dots belong to the 14-character layout only */
		"aa-bb:cc-dd-ee-ff",		/* mixed separators */
		"aa:bb-cc:dd-ee:ff",
		"aa-bb-cc-dd-ee:ff",
		"aab.bccd.deeff",		/* dots in the wrong places */
		"aabb.ccdd-eeff",
		"aabb-ccdd-eeff",		/* the dotted layout with another separator */
		"aabb:ccdd:eeff",
		"aabbccddeef",			/* 11 digits */
		"aabbccddeeff0",		/* 13 digits */
		"aa-bb-cc-dd-ee-f",		/* 16 characters */
		"aa-bb-cc-dd-ee-ff-",		/* 18 characters */
		"aa-bb-cc-dd-ee-fff",
		"aabbccddeegg",			/* not hex */
		"xx-bb-cc-dd-ee-ff",
		"aabb.ccdd.eefg",
		"0x1122334455",
		"aa-bbccddeef",			/* separators in a 12-character string */
		"aabb.ccddeef",
		"aa:bbccdd:ef",
		"aa_bb_cc_dd_ee_ff",		/* 17 characters, wrong separator */
		"aa bb cc dd ee ff",
		"aabbccddeeffaabbc",		/* 17 hex digits, no separator at all */
		"aa--b-cc-dd-ee-ff",
		" aabbccddeef",			/* blanks are not trimmed */
		"aabbccddeeff ",
		"",
		NULL,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[PC_MAC_LEN];

		if (pc_mac_normalise(cases[i], out)) {
			fail_msg("\"%s\" was read as the MAC %.*s", cases[i] ? cases[i] : "(NULL)", PC_MAC_LEN - 1, out);
		}
	}
}

int main(void)
{
	struct CMUnitTest const tests[] = {
		cmocka_unit_test(test_mac_accepted_layouts),
		cmocka_unit_test(test_mac_rejected_text),
		cmocka_unit_test(test_cn_with_model),
		cmocka_unit_test(test_cn_without_model),
		cmocka_unit_test(test_cn_lowercase_hex_is_upper_cased),
		cmocka_unit_test(test_cn_lowercase_sep_is_normalised),
		cmocka_unit_test(test_cn_model_with_letters_suffix),
		cmocka_unit_test(test_cn_rejects_eleven_hex_digits),
		cmocka_unit_test(test_cn_rejects_thirteen_hex_digits),
		cmocka_unit_test(test_cn_rejects_non_hex_mac),
		cmocka_unit_test(test_cn_rejects_empty_model),
		cmocka_unit_test(test_cn_rejects_model_without_dash),
		cmocka_unit_test(test_cn_rejects_space_in_model),
		cmocka_unit_test(test_cn_rejects_trailing_text),
		cmocka_unit_test(test_cn_rejects_host_name),
		cmocka_unit_test(test_cn_rejects_capf_name),
		cmocka_unit_test(test_cn_rejects_empty_and_null),
		cmocka_unit_test(test_serial_pid_then_sn),
		cmocka_unit_test(test_serial_sn_then_pid),
		cmocka_unit_test(test_serial_only_pid),
		cmocka_unit_test(test_serial_only_sn),
		cmocka_unit_test(test_serial_empty_value_is_absent),
		cmocka_unit_test(test_serial_both_values_empty),
		cmocka_unit_test(test_serial_key_inside_a_word_is_not_a_key),
		cmocka_unit_test(test_serial_too_long_value_is_absent),
		cmocka_unit_test(test_serial_longest_value_that_fits),
		cmocka_unit_test(test_serial_rejects_empty_and_null),
		cmocka_unit_test(test_identity_of_lsc),
		cmocka_unit_test(test_identity_of_mic_matches_its_lsc),
		cmocka_unit_test(test_identity_of_other_cluster_lsc),
		cmocka_unit_test(test_identity_of_laptop_has_no_device),
		cmocka_unit_test(test_identity_model_falls_back_to_pid),
		cmocka_unit_test(test_identity_model_from_cn_wins_over_pid),
		cmocka_unit_test(test_identity_without_serial_number),
		cmocka_unit_test(test_identity_cn_of_64_characters),
		cmocka_unit_test(test_identity_cn_longer_than_64_characters),
		cmocka_unit_test(test_capf_subjects_are_capf_names),
		cmocka_unit_test(test_other_ca_subjects_are_not_capf_names),
		cmocka_unit_test(test_capf_name_needs_exactly_eight_hex_digits),
		cmocka_unit_test(test_capf_name_prefix_is_exact),
		cmocka_unit_test(test_capf_name_without_cn),
		cmocka_unit_test(test_name_entry_copies_value),
		cmocka_unit_test(test_name_entry_absent),
		cmocka_unit_test(test_name_entry_too_long_for_buffer),
		cmocka_unit_test(test_name_entry_of_every_ascii_string_type),
		cmocka_unit_test(test_name_entry_converts_to_utf8),
		cmocka_unit_test(test_name_entry_refuses_an_embedded_nul),
	};

	return cmocka_run_group_tests_name("phone", tests, pki_group_setup, pki_group_teardown);
}
