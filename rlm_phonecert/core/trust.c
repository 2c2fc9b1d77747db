/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "trust_internal.h"
#include "pem.h"
#include "signer_memory.h"
#include "text.h"
#include "timeutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

struct pc_anchor {
	pc_anchor_kind kind;
	char *name;
	char *ca_file;
	bool has_from, has_until;
	time_t accept_from, accept_until;
	STACK_OF(X509) *certs;
	char *crl_file;
	STACK_OF(X509_CRL) *crls;	/* NULL without crl_file */
	bool advertised;
};

struct pc_trust {
	pc_anchor **anchors;
	size_t anchor_count;
	pc_signer *signers;
	size_t signer_count;
	pc_signer const **by_subject;	/* the signers sorted by subject name (issuer index), then configuration order */
	pc_signer_memory *memory;	/* written by pc_trust_remember_signer after sealing (signer_memory.h) */
	bool sealed;
	char error[1024];
};

static void set_error(pc_trust *trust, char const *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_error(pc_trust *trust, char const *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(trust->error, sizeof(trust->error), fmt, ap);
	va_end(ap);
}

static void subject_text(X509 *cert, char *buf, size_t len)
{
	X509_NAME_oneline(X509_get_subject_name(cert), buf, (int)len);
}

pc_trust *pc_trust_new(void)
{
	return calloc(1, sizeof(pc_trust));
}

static void anchor_free(pc_anchor *anchor)
{
	if (!anchor) return;
	sk_X509_pop_free(anchor->certs, X509_free);
	sk_X509_CRL_pop_free(anchor->crls, X509_CRL_free);
	free(anchor->crl_file);
	free(anchor->name);
	free(anchor->ca_file);
	free(anchor);
}

static void free_signers(pc_trust *trust)
{
	for (size_t i = 0; i < trust->signer_count; i++) sk_X509_free(trust->signers[i].path);
	free(trust->signers);
	free(trust->by_subject);
	trust->by_subject = NULL;
	pc_signer_memory_free(trust->memory);
	trust->memory = NULL;
	trust->signers = NULL;
	trust->signer_count = 0;
}

void pc_trust_free(pc_trust *trust)
{
	if (!trust) return;
	free_signers(trust);
	for (size_t i = 0; i < trust->anchor_count; i++) anchor_free(trust->anchors[i]);
	free(trust->anchors);
	free(trust);
}

char const *pc_trust_error(pc_trust const *trust)
{
	return trust->error[0] ? trust->error : "no error";
}

char const *pc_anchor_kind_name(pc_anchor_kind kind)
{
	switch (kind) {
	case PC_ANCHOR_CAPF: return "capf";
	case PC_ANCHOR_LSC_CA: return "lsc_ca";
	case PC_ANCHOR_MANUFACTURING: return "manufacturing";
	}
	return "unknown";
}

bool pc_anchor_kind_parse(char const *name, pc_anchor_kind *kind)
{
	static pc_anchor_kind const kinds[] = { PC_ANCHOR_CAPF, PC_ANCHOR_LSC_CA, PC_ANCHOR_MANUFACTURING };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(name, pc_anchor_kind_name(kinds[i])) == 0) {
			*kind = kinds[i];
			return true;
		}
	}
	return false;
}

char const *pc_anchor_config_label(pc_anchor_config const *config, char *buf, size_t len)
{
	if (config->kind == PC_ANCHOR_MANUFACTURING) snprintf(buf, len, "manufacturing");
	else snprintf(buf, len, "%s '%s'", pc_anchor_kind_name(config->kind), config->name);
	return buf;
}

static int parse_window_end(pc_trust *trust, char const *label, char const *option,
			    char const *text, bool *has, time_t *when)
{
	*has = false;
	if (!text || !*text) return 0;
	if (!pc_time_parse(text, when)) {
		set_error(trust, "%s: %s = \"%s\" is not an RFC 3339 UTC time such as 2026-12-31T23:59:59Z",
			  label, option, text);
		return -1;
	}
	*has = true;
	return 0;
}

pc_anchor const *pc_trust_find_anchor(pc_trust const *trust, char const *name)
{
	for (size_t i = 0; i < trust->anchor_count; i++) {
		if (strcmp(trust->anchors[i]->name, name) == 0) return trust->anchors[i];
	}
	return NULL;
}

int pc_trust_add(pc_trust *trust, pc_anchor_config const *config)
{
	char label[256];
	pc_anchor *anchor;

	if (trust->sealed) {
		set_error(trust, "internal error: anchor added after the trust set was sealed");
		return -1;
	}
	if (!config->name || !*config->name) {
		set_error(trust, "%s section without a name (write e.g. %s cluster-2024 { ... })",
			  pc_anchor_kind_name(config->kind), pc_anchor_kind_name(config->kind));
		return -1;
	}
	pc_anchor_config_label(config, label, sizeof(label));
	/* Attributes and logs name an anchor by its section name alone: it must be unique. */
	pc_anchor const *same_name = pc_trust_find_anchor(trust, config->name);
	if (same_name) {
		if (same_name->kind == config->kind) set_error(trust, "%s is defined twice", label);
		else set_error(trust, "%s: the name is already used by a %s section", label,
			       pc_anchor_kind_name(same_name->kind));
		return -1;
	}

	anchor = calloc(1, sizeof(*anchor));
	if (!anchor) goto oom;
	anchor->kind = config->kind;
	anchor->advertised = !config->unadvertised;
	anchor->name = strdup(config->name);
	anchor->ca_file = config->ca_file ? strdup(config->ca_file) : NULL;
	if (!anchor->name || (config->ca_file && !anchor->ca_file)) goto oom;

	if (parse_window_end(trust, label, "accept_from", config->accept_from, &anchor->has_from, &anchor->accept_from) < 0 ||
	    parse_window_end(trust, label, "accept_until", config->accept_until, &anchor->has_until, &anchor->accept_until) < 0) {
		goto fail;
	}
	if (anchor->has_from && anchor->has_until && anchor->accept_from >= anchor->accept_until) {
		set_error(trust, "%s: accept_from (%s) must be before accept_until (%s)",
			  label, config->accept_from, config->accept_until);
		goto fail;
	}
	if (pc_pem_read_cas(label, config->ca_file, &anchor->certs, trust->error, sizeof(trust->error)) < 0) goto fail;
	if (config->crl_file) {
		if (!(anchor->crl_file = strdup(config->crl_file))) goto oom;
		if (pc_pem_read_crls(label, config->crl_file, anchor->certs, &anchor->crls, trust->error, sizeof(trust->error)) < 0) {
			goto fail;
		}
	}

	pc_anchor **grown = realloc(trust->anchors, (trust->anchor_count + 1) * sizeof(*grown));
	if (!grown) goto oom;
	trust->anchors = grown;
	trust->anchors[trust->anchor_count++] = anchor;
	return 0;

oom:
	set_error(trust, "%s: out of memory", label);
fail:
	anchor_free(anchor);
	return -1;
}

/* The certificate in bundle that really signed cert (name and signature), or NULL. */
static X509 *issuer_in_bundle(STACK_OF(X509) *bundle, X509 *cert)
{
	for (int i = 0; i < sk_X509_num(bundle); i++) {
		X509 *candidate = sk_X509_value(bundle, i);

		if (candidate == cert) continue;
		if (X509_check_issued(candidate, cert) == X509_V_OK &&
		    X509_verify(cert, X509_get0_pubkey(candidate)) == 1) return candidate;
	}
	ERR_clear_error();
	return NULL;
}

/* cert and its issuers within the same bundle, up to a root or the first missing link. */
static STACK_OF(X509) *path_in_bundle(STACK_OF(X509) *bundle, X509 *cert)
{
	STACK_OF(X509) *path = sk_X509_new_null();
	X509 *current = cert;

	if (!path) return NULL;
	while (current && !pc_bundle_contains(path, current) && sk_X509_num(path) <= sk_X509_num(bundle)) {
		if (!sk_X509_push(path, current)) {
			sk_X509_free(path);
			return NULL;
		}
		current = issuer_in_bundle(bundle, current);
	}
	return path;
}

static int check_no_shared_certificates(pc_trust *trust)
{
	for (size_t i = 0; i < trust->signer_count; i++) {
		for (size_t j = i + 1; j < trust->signer_count; j++) {
			pc_signer const *a = &trust->signers[i], *b = &trust->signers[j];
			char subject[512];

			if (a->anchor == b->anchor || X509_cmp(a->cert, b->cert) != 0) continue;
			subject_text(a->cert, subject, sizeof(subject));
			set_error(trust, "the certificate %s is in both %s '%s' (%s) and %s '%s' (%s): "
				  "each CA certificate may belong to one anchor only, or its windows would be ambiguous",
				  subject, pc_anchor_kind_name(a->anchor->kind), a->anchor->name, a->anchor->ca_file,
				  pc_anchor_kind_name(b->anchor->kind), b->anchor->name, b->anchor->ca_file);
			return -1;
		}
	}
	return 0;
}

bool pc_cert_fingerprint(X509 *cert, char out[PC_FINGERPRINT_LEN])
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	out[0] = '\0';
	if (!X509_digest(cert, EVP_sha256(), digest, &len) || len * 2 + 1 > PC_FINGERPRINT_LEN) {
		ERR_clear_error();
		return false;
	}
	pc_hex(out, PC_FINGERPRINT_LEN, digest, len);
	return true;
}

/*
 * X509_NAME_cmp orders names by their canonical encoding (which d2i computes
 * when an anchor certificate is read, so sealed names are never written
 * again); ties keep configuration order, so same-DN anchors stay in the order
 * the admin wrote them whatever qsort does.
 */
static int by_subject_then_order(void const *a, void const *b)
{
	pc_signer const *x = *(pc_signer const *const *)a, *y = *(pc_signer const *const *)b;
	int cmp = X509_NAME_cmp(X509_get_subject_name(x->cert), X509_get_subject_name(y->cert));

	if (cmp) return cmp;
	return x < y ? -1 : x > y;
}

/* The issuer index: signers sorted by subject name, for a lookup that does not grow with the anchors. */
static int index_by_subject(pc_trust *trust)
{
	trust->by_subject = calloc(trust->signer_count ? trust->signer_count : 1, sizeof(*trust->by_subject));
	if (!trust->by_subject) return -1;
	for (size_t i = 0; i < trust->signer_count; i++) trust->by_subject[i] = &trust->signers[i];
	qsort(trust->by_subject, trust->signer_count, sizeof(*trust->by_subject), by_subject_then_order);
	return 0;
}

pc_signer const *const *pc_trust_signers_named(pc_trust const *trust, X509_NAME const *name, size_t *count)
{
	size_t low = 0, high = trust->signer_count, end;

	*count = 0;
	if (!trust->by_subject || !name) return NULL;
	/* The first signer whose subject is not below name. */
	while (low < high) {
		size_t mid = low + (high - low) / 2;

		if (X509_NAME_cmp(X509_get_subject_name(trust->by_subject[mid]->cert), name) < 0) low = mid + 1;
		else high = mid;
	}
	for (end = low; end < trust->signer_count &&
	     X509_NAME_cmp(X509_get_subject_name(trust->by_subject[end]->cert), name) == 0; end++);
	*count = end - low;
	return *count ? &trust->by_subject[low] : NULL;
}

pc_signer const *pc_trust_recall_signer(pc_trust const *trust, X509 *cert)
{
	return trust->memory ? pc_signer_memory_recall(trust->memory, cert) : NULL;
}

void pc_trust_remember_signer(pc_trust const *trust, X509 *cert, pc_signer const *signer)
{
	if (trust->memory) pc_signer_memory_remember(trust->memory, cert, signer);
}

int pc_trust_seal(pc_trust *trust)
{
	size_t total = 0;

	if (trust->sealed) return 0;
	if (trust->anchor_count == 0) {
		set_error(trust, "no phone anchors are configured: add at least one capf, lsc_ca or manufacturing section");
		return -1;
	}
	for (size_t i = 0; i < trust->anchor_count; i++) total += (size_t)sk_X509_num(trust->anchors[i]->certs);

	trust->signers = calloc(total, sizeof(pc_signer));
	if (!trust->signers) {
		set_error(trust, "out of memory");
		return -1;
	}
	trust->signer_count = 0;
	for (size_t i = 0; i < trust->anchor_count; i++) {
		pc_anchor *anchor = trust->anchors[i];

		for (int c = 0; c < sk_X509_num(anchor->certs); c++) {
			pc_signer *signer = &trust->signers[trust->signer_count];

			signer->anchor = anchor;
			signer->cert = sk_X509_value(anchor->certs, c);
			signer->path = path_in_bundle(anchor->certs, signer->cert);
			if (!signer->path) {
				set_error(trust, "out of memory");
				goto fail;
			}
			trust->signer_count++;
			if (!pc_cert_fingerprint(signer->cert, signer->fingerprint)) {
				set_error(trust, "%s: cannot compute the SHA-256 fingerprint of certificate %d of ca_file %s",
					  anchor->name, c + 1, anchor->ca_file);
				goto fail;
			}
		}
	}
	if (check_no_shared_certificates(trust) < 0) goto fail;
	if (index_by_subject(trust) < 0 || !(trust->memory = pc_signer_memory_new())) {
		set_error(trust, "out of memory");
		goto fail;
	}
	trust->sealed = true;
	return 0;

fail:
	free_signers(trust);
	return -1;
}

size_t pc_trust_anchor_count(pc_trust const *trust) { return trust->anchor_count; }
pc_anchor const *pc_trust_anchor(pc_trust const *trust, size_t index) { return trust->anchors[index]; }
size_t pc_trust_signer_count(pc_trust const *trust) { return trust->signer_count; }
pc_signer const *pc_trust_signer(pc_trust const *trust, size_t index) { return &trust->signers[index]; }

bool pc_anchor_has_signer(pc_trust const *trust, pc_anchor const *anchor, char const *fingerprint)
{
	for (size_t i = 0; fingerprint && i < trust->signer_count; i++) {
		if (trust->signers[i].anchor == anchor && strcmp(trust->signers[i].fingerprint, fingerprint) == 0) return true;
	}
	return false;
}

char const *pc_anchor_name(pc_anchor const *anchor) { return anchor->name; }
pc_anchor_kind pc_anchor_get_kind(pc_anchor const *anchor) { return anchor->kind; }
STACK_OF(X509) const *pc_anchor_certs(pc_anchor const *anchor) { return anchor->certs; }
size_t pc_anchor_cert_count(pc_anchor const *anchor) { return (size_t)sk_X509_num(anchor->certs); }
X509 *pc_anchor_cert(pc_anchor const *anchor, size_t index) { return sk_X509_value(anchor->certs, (int)index); }
STACK_OF(X509_CRL) *pc_anchor_crls(pc_anchor const *anchor) { return anchor->crls; }
char const *pc_anchor_crl_file(pc_anchor const *anchor) { return anchor->crl_file; }
bool pc_anchor_advertised(pc_anchor const *anchor) { return anchor->advertised; }

bool pc_anchor_accept_from(pc_anchor const *anchor, time_t *out)
{
	if (anchor->has_from) *out = anchor->accept_from;
	return anchor->has_from;
}

bool pc_anchor_accept_until(pc_anchor const *anchor, time_t *out)
{
	if (anchor->has_until) *out = anchor->accept_until;
	return anchor->has_until;
}

bool pc_anchor_window_open(pc_anchor const *anchor, time_t now)
{
	if (anchor->has_from && now < anchor->accept_from) return false;
	if (anchor->has_until && now >= anchor->accept_until) return false;
	return true;
}

char const *pc_anchor_label(pc_anchor const *anchor, char *buf, size_t len)
{
	pc_anchor_config const config = { .kind = anchor->kind, .name = anchor->name };

	return pc_anchor_config_label(&config, buf, len);
}

char const *pc_anchor_window_reason(pc_anchor const *anchor, time_t now, char *reason, size_t len)
{
	char label[96], bound[PC_TIME_STRLEN];

	if (pc_anchor_window_open(anchor, now)) return NULL;
	pc_anchor_label(anchor, label, sizeof(label));
	if (anchor->has_from && now < anchor->accept_from) {
		pc_time_format(anchor->accept_from, bound, sizeof(bound));
		snprintf(reason, len, "outside the window of %s: it accepts certificates from %s", label, bound);
		return "the anchor's window has not opened yet (accept_from)";
	}
	pc_time_format(anchor->accept_until, bound, sizeof(bound));
	snprintf(reason, len, "outside the window of %s: it accepted certificates until %s", label, bound);
	switch (anchor->kind) {
	case PC_ANCHOR_CAPF: return "the rotation window is closed: the phone needs an LSC from the current CAPF";
	case PC_ANCHOR_LSC_CA: return "the window is closed: the phone needs an LSC from a current CA";
	case PC_ANCHOR_MANUFACTURING: break;
	}
	return "MICs are no longer accepted (manufacturing accept_until): the phone needs an LSC";
}

pc_trust *pc_trust_build(pc_anchor_config const *configs, size_t count, char const *file, int line,
			 pc_problem_fn *report, void *ctx, bool *refused)
{
	pc_trust *trust = pc_trust_new();

	*refused = false;
	if (!trust) {
		*refused = true;
		report(ctx, &(pc_problem) { .file = file, .line = line, .message = "out of memory" });
		return NULL;
	}
	for (size_t i = 0; i < count; i++) {
		if (pc_trust_add(trust, &configs[i]) == 0) continue;
		report(ctx, &(pc_problem) { .file = configs[i].file, .line = configs[i].line, .anchor = &configs[i],
					    .message = pc_trust_error(trust) });
		*refused = true;
	}
	/* With every anchor refused, "no anchors" would say nothing more. */
	if (pc_trust_seal(trust) < 0 && (pc_trust_anchor_count(trust) > 0 || !*refused)) {
		report(ctx, &(pc_problem) { .file = file, .line = line, .message = pc_trust_error(trust) });
		*refused = true;
	}
	return trust;
}

/* 1 revoked, 0 not, -1 the serial cannot be read. */
static int serial_revoked(STACK_OF(X509_CRL) *crls, char const *serial)
{
	BIGNUM *bn = NULL;
	ASN1_INTEGER *number = NULL;
	int revoked = -1;

	if (serial && *serial && BN_hex2bn(&bn, serial) == (int)strlen(serial) && (number = BN_to_ASN1_INTEGER(bn, NULL))) {
		X509_REVOKED *entry;

		revoked = 0;
		for (int i = 0; i < sk_X509_CRL_num(crls) && !revoked; i++) {
			revoked = X509_CRL_get0_by_serial(sk_X509_CRL_value(crls, i), &entry, number) == 1;
		}
	}
	ASN1_INTEGER_free(number);
	BN_free(bn);
	ERR_clear_error();
	return revoked;
}

char const *pc_anchor_revocation_reason(pc_anchor const *anchor, char const *serial, char *reason, size_t len)
{
	char label[96];

	if (!anchor->crls) return NULL;
	pc_anchor_label(anchor, label, sizeof(label));
	switch (serial_revoked(anchor->crls, serial)) {
	case 0:
		return NULL;
	case 1:
		snprintf(reason, len, "certificate revoked: serial %s is in the CRL of %s", serial, label);
		return "its CA revoked this certificate: the phone needs a new one, or remove it from the CRL";
	default:
		snprintf(reason, len, "internal error: no certificate serial to check against the CRL of %s", label);
		return "a fresh authentication (not a resumed session) checks the certificate itself";
	}
}
