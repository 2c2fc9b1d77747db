/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "phone.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <openssl/objects.h>

#define MAC_HEX_DIGITS 12

static bool all_hex(char const *p, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		if (!isxdigit((unsigned char)p[i])) return false;
	}
	return true;
}

/* Model prefixes are like "CP-8861", "CP-7970G", "ATA191": letters, digits, '-'. */
static bool valid_model(char const *p, size_t len)
{
	if (len == 0 || len >= PC_FIELD_LEN) return false;
	for (size_t i = 0; i < len; i++) {
		if (!isalnum((unsigned char)p[i]) && p[i] != '-') return false;
	}
	return true;
}

bool pc_parse_device_cn(char const *cn, pc_identity *id)
{
	size_t len = cn ? strlen(cn) : 0;

	/* Nothing from an earlier parse may survive into this one. */
	id->has_device = false;
	id->model[0] = id->mac[0] = id->device_name[0] = '\0';
	if (len < 3 + MAC_HEX_DIGITS) return false;

	char const *sep = cn + len - (3 + MAC_HEX_DIGITS);
	char const *hex = sep + 3;
	if (strncasecmp(sep, "SEP", 3) != 0 || !all_hex(hex, MAC_HEX_DIGITS)) return false;

	/* Either the CN is exactly SEP<MAC>, or "<model>-" comes before it. */
	size_t prefix = (size_t)(sep - cn);
	if (prefix > 0) {
		if (prefix < 2 || cn[prefix - 1] != '-' || !valid_model(cn, prefix - 1)) return false;
		memcpy(id->model, cn, prefix - 1);
		id->model[prefix - 1] = '\0';
	}

	char *out = id->mac;
	for (int i = 0; i < MAC_HEX_DIGITS; i++) {
		if (i > 0 && i % 2 == 0) *out++ = '-';
		*out++ = (char)toupper((unsigned char)hex[i]);
	}
	*out = '\0';

	snprintf(id->device_name, sizeof(id->device_name), "SEP");
	for (int i = 0; i < MAC_HEX_DIGITS; i++) id->device_name[3 + i] = (char)toupper((unsigned char)hex[i]);
	id->device_name[3 + MAC_HEX_DIGITS] = '\0';

	id->has_device = true;
	return true;
}

/* Copy the value after "KEY:" up to the next space into dst; false if absent or too long. */
static bool copy_tagged(char const *text, char const *key, char *dst, size_t dst_len)
{
	size_t key_len = strlen(key);

	for (char const *p = text; *p; p++) {
		if ((p == text || p[-1] == ' ') && strncmp(p, key, key_len) == 0) {
			char const *value = p + key_len;
			size_t n = strcspn(value, " ");

			if (n == 0 || n >= dst_len) return false;
			memcpy(dst, value, n);
			dst[n] = '\0';
			return true;
		}
	}
	return false;
}

bool pc_parse_serial_number(char const *text, pc_identity *id)
{
	if (!text) return false;
	bool has_pid = copy_tagged(text, "PID:", id->pid, sizeof(id->pid));
	bool has_sn = copy_tagged(text, "SN:", id->sn, sizeof(id->sn));

	if (!has_pid) id->pid[0] = '\0';
	if (!has_sn) id->sn[0] = '\0';
	return has_pid || has_sn;
}

/*
 * Plain ASCII in a string type whose ASCII is its UTF-8 is copied as it is:
 * ASN1_STRING_to_UTF8 would allocate for it on every handshake. Anything
 * else, and a NUL anywhere, is not ascii_copy's.
 */
static bool ascii_copy(ASN1_STRING const *data, char *buf, size_t len, bool *fits)
{
	int type = ASN1_STRING_type(data);
	unsigned char const *bytes = ASN1_STRING_get0_data(data);
	int n = ASN1_STRING_length(data);

	if (type != V_ASN1_UTF8STRING && type != V_ASN1_PRINTABLESTRING && type != V_ASN1_IA5STRING) return false;
	for (int i = 0; i < n; i++) {
		if (bytes[i] == 0 || bytes[i] > 0x7f) return false;
	}
	*fits = (size_t)n < len;
	if (*fits) {
		memcpy(buf, bytes, (size_t)n);
		buf[n] = '\0';
	}
	return true;
}

bool pc_name_entry(X509_NAME const *name, int nid, char *buf, size_t len)
{
	int pos = X509_NAME_get_index_by_NID((X509_NAME *)name, nid, -1);
	if (pos < 0) return false;

	ASN1_STRING *data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, pos));
	unsigned char *utf8 = NULL;
	bool ok;

	if (ascii_copy(data, buf, len, &ok)) return ok;
	int n = ASN1_STRING_to_UTF8(&utf8, data);
	ok = n >= 0 && (size_t)n < len && memchr(utf8, '\0', (size_t)n) == NULL;
	if (ok) {
		memcpy(buf, utf8, (size_t)n);
		buf[n] = '\0';
	}
	OPENSSL_free(utf8);
	return ok;
}

bool pc_identity_from_cert(X509 *cert, pc_identity *id)
{
	X509_NAME const *subject = X509_get_subject_name(cert);
	char buf[256];

	memset(id, 0, sizeof(*id));
	if (pc_name_entry(subject, NID_serialNumber, buf, sizeof(buf))) pc_parse_serial_number(buf, id);
	/* X.520 bounds a CN to 64 characters: a longer one is not a phone's and is left empty. */
	if (pc_name_entry(subject, NID_commonName, id->cn, sizeof(id->cn))) pc_parse_device_cn(id->cn, id);
	if (id->has_device && !id->model[0] && id->pid[0]) snprintf(id->model, sizeof(id->model), "%s", id->pid);
	return id->has_device;
}

bool pc_name_is_capf(X509_NAME const *name)
{
	char cn[64];

	return pc_name_entry(name, NID_commonName, cn, sizeof(cn)) &&
	       strlen(cn) == 13 && strncmp(cn, "CAPF-", 5) == 0 && all_hex(cn + 5, 8);
}

bool pc_mac_normalise(char const *text, char out[PC_MAC_LEN])
{
	char hex[MAC_HEX_DIGITS];
	size_t digits = 0;
	size_t len = text ? strlen(text) : 0;
	char separator = 0;

	/* Exactly the four layouts switches use: 17 chars with - or :, 14 with dots, or 12 bare digits. */
	if (len == 17) separator = text[2];
	else if (len == 14) separator = '.';
	else if (len != 12) return false;
	if (len == 17 && separator != '-' && separator != ':') return false;

	for (size_t i = 0; i < len; i++) {
		bool at_separator = (len == 17 && i % 3 == 2) || (len == 14 && i % 5 == 4);

		if (at_separator) {
			if (text[i] != separator) return false;
			continue;
		}
		if (!isxdigit((unsigned char)text[i])) return false;
		hex[digits++] = (char)toupper((unsigned char)text[i]);
	}

	char *p = out;
	for (size_t i = 0; i < MAC_HEX_DIGITS; i++) {
		if (i > 0 && i % 2 == 0) *p++ = '-';
		*p++ = hex[i];
	}
	*p = '\0';
	return true;
}
