/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phonecert lint: what the module would refuse in a configuration (files
 * others than root and radiusd's user can change among it), and what
 * it would accept but an admin should know about before phones stop
 * authenticating: CA certificates that expire, rotation windows that close
 * with no successor, CAPF certificates CUCM 14SU2+ refuses, legacy
 * algorithms, phone CAs that eap's own ca_file also trusts, eap's check_crl
 * that locks out phones whose CAs publish no CRL, block_file entries that
 * block nothing, an inventory whose spool no virtual server writes to the
 * database.
 *
 * The trust set is built with the module's own call (pc_trust_build),
 * who can change its files is decided by the module's own code
 * (raddb_check_file_writers); the checks look at what it loaded. --check
 * keeps the findings of one check (the package's postinst asks for
 * file-writers). The CAPF requirements are checked on the
 * files as they are, since the core refuses a non-CA anchor before it can be
 * looked at.
 */
#include "commands.h"
#include "certs.h"
#include "output.h"
#include "raddb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "../core/certreq.h"
#include "../core/blocklist.h"
#include "../core/timeutil.h"

#define EXPIRY_WARNING_DAYS 90
#define SECONDS_PER_DAY 86400

typedef enum { SEVERITY_ERROR, SEVERITY_WARNING, SEVERITY_INFO, SEVERITY_COUNT } severity;
static char const *const severity_names[SEVERITY_COUNT] = { "error", "warning", "info" };

typedef struct {
	severity level;
	char const *check;		/* a stable name for scripts: "same-subject", "expiry", ... */
	char const *anchor_kind;	/* NULL: the configuration as a whole */
	char const *anchor_name;
	char file[1024];
	char message[1024];
} finding;

typedef struct {
	lint_options const *options;
	raddb *db;
	raddb_phonecert const *phonecert;
	bool *refused;			/* per phonecert->anchors: the module refuses it */
	pc_trust *trust;		/* the anchors that loaded */
	bool trouble;			/* exit 2: refused configuration or unreadable file */
	finding *findings;
	size_t count;
	size_t counts[SEVERITY_COUNT];
	int ca_names;			/* the CertificateRequest: CA names, and bytes (0: not computed) */
	int first_flight;
} linter;

/* The checks, by the name their findings carry (--check, "check" in JSON). */
static char const *const check_names[] = {
	"refused", "file-writers", "capf-extensions", "same-subject", "expiry", "window", "gap", "algorithm",
	"eap-ca-file", "certificate-request", "eap-check-crl", "block-file", "inventory", "eap",
};

bool lint_check_known(char const *name)
{
	for (size_t i = 0; i < sizeof(check_names) / sizeof(check_names[0]); i++) {
		if (strcmp(name, check_names[i]) == 0) return true;
	}
	return false;
}

/* Whether findings of this check are reported: all, or those of --check. */
static bool reported(linter const *l, char const *check)
{
	return !l->options->check || strcmp(l->options->check, check) == 0;
}

/* The module would refuse to start for a finding of this check: exit 2, if it is reported. */
static void module_refuses(linter *l, char const *check)
{
	if (reported(l, check)) l->trouble = true;
}

static void add_finding(linter *l, severity level, char const *check, pc_anchor_config const *anchor,
			char const *file, char const *fmt, ...) __attribute__((format(printf, 6, 7)));
static void add_finding(linter *l, severity level, char const *check, pc_anchor_config const *anchor,
			char const *file, char const *fmt, ...)
{
	finding *grown;
	finding *f;
	va_list ap;

	if (!reported(l, check)) return;
	grown = realloc(l->findings, (l->count + 1) * sizeof(*grown));
	if (!grown) {
		fprintf(stderr, "phonecert: out of memory\n");
		l->trouble = true;
		return;
	}
	l->findings = grown;
	f = &l->findings[l->count++];
	*f = (finding) { .level = level, .check = check };
	if (anchor) {
		f->anchor_kind = pc_anchor_kind_name(anchor->kind);
		f->anchor_name = anchor->name;
	}
	snprintf(f->file, sizeof(f->file), "%s", file ? file : "");
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
	l->counts[level]++;
}

/* The configured section a loaded anchor came from. */
static pc_anchor_config const *config_of(linter const *l, pc_anchor const *anchor)
{
	for (size_t i = 0; i < l->phonecert->anchor_count; i++) {
		pc_anchor_config const *config = &l->phonecert->anchors[i];

		if (!l->refused[i] && strcmp(config->name, pc_anchor_name(anchor)) == 0) return config;
	}
	return NULL;	/* cannot happen: every loaded anchor was configured */
}

/*
 *	What the module refuses
 */
static void record_refusal(void *ctx, pc_problem const *problem)
{
	linter *l = ctx;

	if (problem->anchor) l->refused[problem->anchor - l->phonecert->anchors] = true;
	add_finding(l, SEVERITY_ERROR, "refused", problem->anchor, problem->anchor ? problem->anchor->ca_file : l->phonecert->file,
		    "FreeRADIUS would refuse to start: %s[%d]: %s", problem->file, problem->line, problem->message);
}

/*
 *	Who can change the files the trust rests on: the module refuses to start
 *	(or, with unsafe_permissions = warn, warns) in the same words.
 */
static void record_writers(linter *l, bool refused, pc_problem const *problem)
{
	/* A file the module cannot load at all is reported as that refusal already. */
	if (problem->anchor && l->refused[problem->anchor - l->phonecert->anchors]) return;
	if (refused) module_refuses(l, "file-writers");
	add_finding(l, refused ? SEVERITY_ERROR : SEVERITY_WARNING, "file-writers", problem->anchor, NULL,
		    "%s%s[%d]: %s", refused ? "FreeRADIUS would refuse to start: " : "", problem->file, problem->line,
		    problem->message);
}

static void record_writers_refused(void *ctx, pc_problem const *problem)
{
	record_writers(ctx, true, problem);
}

static void record_writers_warned(void *ctx, pc_problem const *problem)
{
	record_writers(ctx, false, problem);
}

/*
 *	(d) CUCM 14SU2 and later require CA:TRUE and keyCertSign in a CAPF certificate
 */
static void check_capf_extensions(linter *l, pc_anchor_config const *anchor, X509 *cert)
{
	uint32_t flags = X509_get_extension_flags(cert);
	bool is_ca = flags & EXFLAG_CA;
	bool signs_certs = (flags & EXFLAG_KUSAGE) && (X509_get_key_usage(cert) & KU_KEY_CERT_SIGN);
	char subject[512];

	if (is_ca && signs_certs) return;
	certs_subject_text(cert, subject, sizeof(subject));
	add_finding(l, SEVERITY_ERROR, "capf-extensions", anchor, anchor->ca_file,
		    "CAPF certificate %s lacks %s%s%s: CUCM 14SU2 and later require both in a CAPF certificate", subject,
		    is_ca ? "" : "basicConstraints CA:TRUE", !is_ca && !signs_certs ? " and " : "",
		    signs_certs ? "" : "keyUsage keyCertSign");
}

static void check_capf_files(linter *l)
{
	for (size_t i = 0; i < l->phonecert->anchor_count; i++) {
		pc_anchor_config const *anchor = &l->phonecert->anchors[i];
		STACK_OF(X509) *certs;
		char err[256];

		if (anchor->kind != PC_ANCHOR_CAPF || !anchor->ca_file) continue;
		/* An unreadable or damaged file is already reported as the module's refusal. */
		certs = certs_read(anchor->ca_file, err, sizeof(err));
		for (int c = 0; certs && c < sk_X509_num(certs); c++) check_capf_extensions(l, anchor, sk_X509_value(certs, c));
		sk_X509_pop_free(certs, X509_free);
	}
}

/*
 *	Checks on every certificate of every loaded anchor
 */
typedef void cert_check(linter *l, pc_anchor const *anchor, pc_anchor_config const *config, X509 *cert);

static void for_each_anchor_cert(linter *l, cert_check *check)
{
	for (size_t i = 0; i < pc_trust_anchor_count(l->trust); i++) {
		pc_anchor const *anchor = pc_trust_anchor(l->trust, i);
		pc_anchor_config const *config = config_of(l, anchor);

		for (size_t c = 0; config && c < pc_anchor_cert_count(anchor); c++) check(l, anchor, config, pc_anchor_cert(anchor, c));
	}
}

/* (a) One DN, two keys: a regenerated CAPF. phonecert picks by signature, OpenSSL by name. */
static void check_same_subject(linter *l, pc_anchor const *anchor, pc_anchor_config const *config, X509 *cert)
{
	char subject[512], other_label[160];
	bool after = false;

	for (size_t i = 0; i < pc_trust_anchor_count(l->trust); i++) {
		pc_anchor const *other = pc_trust_anchor(l->trust, i);
		for (size_t c = 0; c < pc_anchor_cert_count(other); c++) {
			X509 *candidate = pc_anchor_cert(other, c);

			/* Each pair once: only certificates after this one in configuration order. */
			if (candidate == cert) {
				after = true;
				continue;
			}
			if (!after || X509_NAME_cmp(X509_get_subject_name(cert), X509_get_subject_name(candidate)) != 0 ||
			    EVP_PKEY_eq(X509_get0_pubkey(cert), X509_get0_pubkey(candidate)) == 1) continue;
			certs_subject_text(cert, subject, sizeof(subject));
			add_finding(l, SEVERITY_INFO, "same-subject", config, config->ca_file,
				    "CA certificate %s has the subject of one in %s, with another key: phonecert tells "
				    "them apart by signature; plain OpenSSL (eap ca_file) would not",
				    subject, pc_anchor_config_label(config_of(l, other), other_label, sizeof(other_label)));
		}
	}
	(void)anchor;
}

/* (b) An expired anchor certificate verifies nothing; one about to expire soon will not. */
static void check_expiry(linter *l, pc_anchor const *anchor, pc_anchor_config const *config, X509 *cert)
{
	time_t now = l->options->common.now, from, until;
	char subject[512], when[PC_TIME_STRLEN];

	(void)anchor;
	if (!certs_time(X509_get0_notBefore(cert), &from) || !certs_time(X509_get0_notAfter(cert), &until)) return;
	certs_subject_text(cert, subject, sizeof(subject));
	if (now > until) {
		certs_time_text(X509_get0_notAfter(cert), when, sizeof(when));
		add_finding(l, SEVERITY_ERROR, "expiry", config, config->ca_file,
			    "CA certificate %s expired on %s: no phone certificate it signed verifies any more; "
			    "renew it or remove it", subject, when);
	} else if (until - now < (time_t)EXPIRY_WARNING_DAYS * SECONDS_PER_DAY) {
		certs_time_text(X509_get0_notAfter(cert), when, sizeof(when));
		add_finding(l, SEVERITY_WARNING, "expiry", config, config->ca_file,
			    "CA certificate %s expires on %s, in %lld day(s): renew it and update ca_file before then",
			    subject, when, (long long)((until - now) / SECONDS_PER_DAY));
	} else if (now < from) {
		certs_time_text(X509_get0_notBefore(cert), when, sizeof(when));
		add_finding(l, SEVERITY_WARNING, "expiry", config, config->ca_file,
			    "CA certificate %s is not valid before %s: nothing it signed verifies until then", subject, when);
	}
}

/* (e) What OpenSSL 3 refuses at Debian's security level. A root's own signature is never checked. */
static void check_algorithms(linter *l, pc_anchor const *anchor, pc_anchor_config const *config, X509 *cert)
{
	EVP_PKEY *key = X509_get0_pubkey(cert);
	char subject[512];

	(void)anchor;
	certs_subject_text(cert, subject, sizeof(subject));
	if (pc_cert_weak_signature(cert)) {
		char const *algorithm = OBJ_nid2ln(X509_get_signature_nid(cert));

		if (certs_self_signed(cert)) {
			add_finding(l, SEVERITY_INFO, "algorithm", config, config->ca_file,
				    "root %s signs itself with %s: OpenSSL does not check a trusted root's own "
				    "signature, so this alone does no harm", subject, algorithm);
		} else {
			add_finding(l, SEVERITY_WARNING, "algorithm", config, config->ca_file,
				    "CA certificate %s is signed with %s: OpenSSL 3 at Debian's security level rejects "
				    "it, so certificates verified through it fail (MICs pass only with "
				    "mic_legacy_signatures = allow)", subject, algorithm);
		}
	}
	if (pc_cert_weak_key(cert)) {
		add_finding(l, SEVERITY_WARNING, "algorithm", config, config->ca_file,
			    "CA certificate %s has a %d-bit %s key: too weak for OpenSSL 3 at Debian's security level, "
			    "so certificates it signed fail (MICs pass only with mic_legacy_signatures = allow)",
			    subject, EVP_PKEY_get_bits(key),
			    EVP_PKEY_get0_type_name(key) ? EVP_PKEY_get0_type_name(key) : OBJ_nid2sn(EVP_PKEY_get_base_id(key)));
	}
}

/*
 *	(c) Windows
 */

/* The moment a CAPF window ends, some other CAPF must take over, or LSC phones stop authenticating. */
static void check_gap(linter *l, pc_anchor const *anchor, pc_anchor_config const *config, time_t until)
{
	char when[PC_TIME_STRLEN], label[160];

	if (pc_anchor_get_kind(anchor) != PC_ANCHOR_CAPF) return;
	for (size_t i = 0; i < pc_trust_anchor_count(l->trust); i++) {
		pc_anchor const *other = pc_trust_anchor(l->trust, i);

		if (other != anchor && pc_anchor_get_kind(other) == PC_ANCHOR_CAPF && pc_anchor_window_open(other, until)) return;
	}
	pc_time_format(until, when, sizeof(when));
	add_finding(l, SEVERITY_WARNING, "gap", config, config->ca_file,
		    "gap: no CAPF accepts LSCs after %s: %s stops then and no other capf window covers that moment; "
		    "configure the new CAPF before then", when, pc_anchor_config_label(config, label, sizeof(label)));
}

static void check_window(linter *l, pc_anchor const *anchor, pc_anchor_config const *config)
{
	time_t now = l->options->common.now, from, until;
	char when[PC_TIME_STRLEN];

	if (pc_anchor_accept_until(anchor, &until)) {
		if (now >= until) {
			pc_time_format(until, when, sizeof(when));
			add_finding(l, SEVERITY_WARNING, "window", config, config->ca_file,
				    "window closed on %s: every certificate it signed is rejected; remove the anchor", when);
		}
		check_gap(l, anchor, config, until);
	}
	if (pc_anchor_accept_from(anchor, &from) && now < from) {
		pc_time_format(from, when, sizeof(when));
		add_finding(l, SEVERITY_INFO, "window", config, config->ca_file,
			    "window not open yet: certificates it signed are rejected until %s", when);
	}
}

static void check_windows(linter *l)
{
	for (size_t i = 0; i < pc_trust_anchor_count(l->trust); i++) {
		pc_anchor const *anchor = pc_trust_anchor(l->trust, i);
		pc_anchor_config const *config = config_of(l, anchor);

		if (config) check_window(l, anchor, config);
	}
}

/*
 *	(f) eap's ca_file must not trust phone CAs by name
 */
static void check_in_eap_bundle(linter *l, STACK_OF(X509) *eap_certs, char const *eap_ca_file)
{
	char subject[512], label[160];

	for (size_t i = 0; i < pc_trust_anchor_count(l->trust); i++) {
		pc_anchor const *anchor = pc_trust_anchor(l->trust, i);
		pc_anchor_config const *config = config_of(l, anchor);

		for (size_t c = 0; config && c < pc_anchor_cert_count(anchor); c++) {
			X509 *cert = pc_anchor_cert(anchor, c);

			for (int e = 0; e < sk_X509_num(eap_certs); e++) {
				if (X509_cmp(cert, sk_X509_value(eap_certs, e)) != 0) continue;
				certs_subject_text(cert, subject, sizeof(subject));
				add_finding(l, SEVERITY_ERROR, "eap-ca-file", config, eap_ca_file,
					    "CA certificate %s of %s is also in eap's ca_file (tls-config %s): OpenSSL trusts "
					    "it by name for every certificate phonecert leaves to eap, which would let "
					    "certificates bypass the window/phonecert; keep phone CAs out of eap's ca_file",
					    subject, pc_anchor_config_label(config, label, sizeof(label)), l->phonecert->tls_config_name);
				break;
			}
		}
	}
}

/*
 *	(i) the CertificateRequest must fit in the installed FreeRADIUS' TLS record
 */
static void check_certificate_request(linter *l, char const *ca_file, char const *certificate_file)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	STACK_OF(X509_NAME) *names = ca_file ? SSL_load_client_CA_file(ca_file) : NULL;
	char err[1024];

	if (!ctx) {
		sk_X509_NAME_pop_free(names, X509_NAME_free);
		add_finding(l, SEVERITY_ERROR, "certificate-request", NULL, NULL, "out of memory");
		module_refuses(l, "certificate-request");
		return;
	}
	if (names) SSL_CTX_set_client_CA_list(ctx, names);
	pc_certreq_advertise(ctx, l->trust);
	/* Unreadable here (radiusd reads it as root): the estimate goes without it. */
	if (certificate_file) (void) SSL_CTX_use_certificate_chain_file(ctx, certificate_file);
	l->first_flight = pc_certreq_size(ctx, &l->ca_names);
	if (!pc_certreq_fits(ctx, FR_MAX_RECORD_SIZE, l->phonecert->tls_config_name, err, sizeof(err))) {
		add_finding(l, SEVERITY_ERROR, "certificate-request", NULL, ca_file,
			    "FreeRADIUS " FR_VERSION " would refuse to start: %s", err);
		module_refuses(l, "certificate-request");
	}
	SSL_CTX_free(ctx);
}

static void check_eap_ca_file(linter *l)
{
	char const *ca_file = NULL, *certificate_file = NULL;
	STACK_OF(X509) *certs;
	char err[1024];

	if (raddb_read_eap_tls_option(l->db, l->phonecert, "ca_file", &ca_file, err, sizeof(err)) < 0 ||
	    raddb_read_eap_tls_option(l->db, l->phonecert, "certificate_file", &certificate_file, err, sizeof(err)) < 0) {
		add_finding(l, SEVERITY_ERROR, "eap", NULL, NULL, "FreeRADIUS would refuse to start: %s", err);
		module_refuses(l, "eap");
		return;
	}
	check_certificate_request(l, ca_file, certificate_file);
	if (!ca_file) return;	/* eap trusts no CA of its own: nothing can bypass phonecert */
	certs = certs_read(ca_file, err, sizeof(err));
	if (!certs) {
		add_finding(l, SEVERITY_ERROR, "eap", NULL, ca_file, "eap's ca_file: %s", err);
		module_refuses(l, "eap");
		return;
	}
	check_in_eap_bundle(l, certs, ca_file);
	sk_X509_pop_free(certs, X509_free);
}

/*
 *	(g) eap's check_crl = yes asks every phone certificate for a CRL
 */
static void check_eap_check_crl(linter *l)
{
	char const *check_crl = NULL;
	char err[1024], label[160];

	if (raddb_read_eap_tls_option(l->db, l->phonecert, "check_crl", &check_crl, err, sizeof(err)) < 0) return;
	if (!check_crl || strcmp(check_crl, "yes") != 0) return;
	for (size_t i = 0; i < pc_trust_anchor_count(l->trust); i++) {
		pc_anchor const *anchor = pc_trust_anchor(l->trust, i);
		pc_anchor_config const *config = config_of(l, anchor);

		bool external = pc_anchor_get_kind(anchor) == PC_ANCHOR_LSC_CA;

		if (!config || pc_anchor_crl_file(anchor)) continue;
		/* An external CA's CRL may sit in eap's ca_path, where eap's check finds it; CAPF and Cisco publish none. */
		add_finding(l, external ? SEVERITY_WARNING : SEVERITY_ERROR, "eap-check-crl", config, NULL,
			    "eap's check_crl = yes (tls-config %s) needs a CRL for every certificate, and %s has no "
			    "crl_file: %s. Set check_crl = no in eap and give the anchors whose CA publishes a CRL "
			    "a crl_file", l->phonecert->tls_config_name, pc_anchor_config_label(config, label, sizeof(label)),
			    external ? "its phones are rejected unless its CA's current CRL is in eap's ca_path" :
			    pc_anchor_get_kind(anchor) == PC_ANCHOR_CAPF ?
			    "CUCM's CAPF publishes no CRL and its certificate has no cRLSign, so every phone it signed "
			    "is rejected" :
			    "the manufacturing CAs publish no CRL a server can use, so every MIC is rejected");
	}
}

/*
 *	(h) block_file entries that can never match
 */
/* A serial entry's anchor: by its CA certificate's fingerprint (ca=) when it names one, else by section name. */
static bool serial_anchor_configured(pc_trust const *trust, pc_block_entry const *entry)
{
	if (!entry->ca[0]) return pc_trust_find_anchor(trust, entry->anchor) != NULL;
	for (size_t i = 0; i < pc_trust_anchor_count(trust); i++) {
		if (pc_anchor_has_signer(trust, pc_trust_anchor(trust, i), entry->ca)) return true;
	}
	return false;
}

static void check_block_file(linter *l)
{
	pc_blocklist const *list = l->phonecert->policy.blocklist;
	char text[PC_BLOCK_LINE_MAX];

	for (size_t i = 0; list && i < pc_blocklist_count(list); i++) {
		pc_block_entry const *entry = pc_blocklist_entry(list, i);

		if (entry->kind != PC_BLOCK_SERIAL || serial_anchor_configured(l->trust, entry)) continue;
		pc_block_entry_text(entry, text, sizeof(text));
		if (entry->ca[0]) {
			add_finding(l, SEVERITY_WARNING, "block-file", NULL, l->phonecert->block_file,
				    "line %d: %s blocks nothing: no anchor holds the CA certificate of that fingerprint",
				    entry->line, text);
			continue;
		}
		add_finding(l, SEVERITY_WARNING, "block-file", NULL, l->phonecert->block_file,
			    "line %d: %s blocks nothing: no anchor is called '%s' (a serial entry names the section of "
			    "the anchor that verified the certificate)", entry->line, text, entry->anchor);
	}
}

/*
 *	(i) sql_phonecert spools every phone authentication, and no writer site reads the spool
 */
static void check_inventory_writer(linter *l)
{
	raddb_inventory_spool spool;

	raddb_read_inventory_spool(l->db, &spool);
	if (!spool.filename || spool.read) return;
	add_finding(l, SEVERITY_WARNING, "inventory", NULL, spool.file,
		    "%s[%d]: the inventory spools every phone authentication to %s, and no virtual server reads that "
		    "file: nothing reaches the database, the spool only grows, and the rotation report cannot see this "
		    "server's phones. Enable its writer site: ln -s ../sites-available/phonecert-inventory sites-enabled/",
		    spool.file, spool.line, spool.filename);
}

/*
 *	Output
 */
static void print_text(linter const *l, FILE *out)
{
	char now[PC_TIME_STRLEN], label[160];

	pc_time_format(l->options->common.now, now, sizeof(now));
	fprintf(out, "phonecert lint: %s, phonecert instance %s (%s) at %s\n", l->options->common.raddb_dir,
		l->phonecert->instance, l->phonecert->file, now);
	if (l->first_flight) {
		fprintf(out, "CertificateRequest of eap tls-config %s: %d CA names, about %d bytes with the server's "
			"certificates, of the %d FreeRADIUS " FR_VERSION " can send\n", l->phonecert->tls_config_name,
			l->ca_names, l->first_flight, FR_MAX_RECORD_SIZE);
	}
	for (size_t i = 0; i < l->count; i++) {
		finding const *f = &l->findings[i];
		pc_anchor_config anchor = { .name = f->anchor_name };

		if (f->anchor_kind) {
			pc_anchor_kind_parse(f->anchor_kind, &anchor.kind);
			fprintf(out, "%s: %s: %s", severity_names[f->level], pc_anchor_config_label(&anchor, label, sizeof(label)), f->message);
		} else {
			fprintf(out, "%s: %s", severity_names[f->level], f->message);
		}
		fprintf(out, f->file[0] ? " (file %s)\n" : "\n", f->file);
	}
	fprintf(out, "%zu error(s), %zu warning(s), %zu info\n", l->counts[SEVERITY_ERROR], l->counts[SEVERITY_WARNING],
		l->counts[SEVERITY_INFO]);
}

static void print_json(linter const *l, json_writer *w)
{
	char now[PC_TIME_STRLEN];

	pc_time_format(l->options->common.now, now, sizeof(now));
	json_object_begin(w, NULL);
	json_string(w, "raddb", l->options->common.raddb_dir);
	json_string(w, "instance", l->phonecert->instance);
	json_string(w, "phonecert_file", l->phonecert->file);
	json_string(w, "now", now);
	json_bool(w, "module_would_refuse", l->trouble);
	json_object_begin(w, "certificate_request");
	json_string(w, "freeradius", FR_VERSION);
	json_int(w, "max_record_size", FR_MAX_RECORD_SIZE);
	json_int(w, "ca_names", l->ca_names);
	json_int(w, "bytes", l->first_flight);
	json_object_end(w);
	json_array_begin(w, "findings");
	for (size_t i = 0; i < l->count; i++) {
		finding const *f = &l->findings[i];

		json_object_begin(w, NULL);
		json_string(w, "severity", severity_names[f->level]);
		json_string(w, "check", f->check);
		json_string(w, "kind", f->anchor_kind);
		json_string(w, "anchor", f->anchor_name);
		json_string(w, "file", f->file[0] ? f->file : NULL);
		json_string(w, "message", f->message);
		json_object_end(w);
	}
	json_array_end(w);
	json_object_begin(w, "counts");
	for (int s = 0; s < SEVERITY_COUNT; s++) json_int(w, severity_names[s], (long long)l->counts[s]);
	json_object_end(w);
	json_object_end(w);
}

/*
 *	The run
 */
static int load(linter *l, char const *instance)
{
	char err[1024];
	bool refused;

	if (raddb_read_phonecert(l->db, instance, &l->phonecert, err, sizeof(err)) < 0) {
		fprintf(stderr, "phonecert: %s\n", err);
		return -1;
	}
	l->refused = calloc(l->phonecert->anchor_count + 1, sizeof(bool));
	if (l->refused) l->trust = pc_trust_build(l->phonecert->anchors, l->phonecert->anchor_count, l->phonecert->file,
						  l->phonecert->line, record_refusal, l, &refused);
	if (!l->trust) {
		fprintf(stderr, "phonecert: out of memory\n");
		return -1;
	}
	if (refused) module_refuses(l, "refused");
	return 0;
}

static void run_checks(linter *l)
{
	raddb_check_file_writers(l->db, l->phonecert, record_writers_refused, record_writers_warned, l);
	check_capf_files(l);
	for_each_anchor_cert(l, check_same_subject);
	for_each_anchor_cert(l, check_expiry);
	check_windows(l);
	for_each_anchor_cert(l, check_algorithms);
	check_eap_ca_file(l);
	check_eap_check_crl(l);
	check_block_file(l);
	check_inventory_writer(l);
}

/* One phonecert instance: its checks and its output. Returns its exit status. */
static int lint_instance(raddb *db, char const *instance, lint_options const *options, json_writer *w)
{
	linter l = { .options = options, .db = db };
	int rc = EXIT_TROUBLE;

	if (load(&l, instance) == 0) {
		run_checks(&l);
		if (options->common.json) print_json(&l, w);
		else print_text(&l, stdout);
		if (!l.trouble) rc = l.counts[SEVERITY_ERROR] + l.counts[SEVERITY_WARNING] ? EXIT_FINDINGS : EXIT_CLEAN;
	}
	pc_trust_free(l.trust);
	free(l.refused);
	free(l.findings);
	return rc;
}

/* The most serious status of all instances: trouble, then findings. */
static int worse(int a, int b)
{
	return a > b ? a : b;
}

int lint_run(lint_options const *options)
{
	char err[1024];
	raddb *db = raddb_open(options->common.raddb_dir, err, sizeof(err));
	size_t count;
	json_writer w;
	int rc = EXIT_CLEAN;

	if (!db) {
		fprintf(stderr, "phonecert: %s\n", err);
		return EXIT_TROUBLE;
	}
	json_init(&w, stdout);
	count = raddb_instance_count(db);
	/* --instance, or the only one: one report. Several: each in turn, in JSON {"instances": [...]}. */
	if (options->common.instance || count <= 1) {
		rc = lint_instance(db, options->common.instance, options, &w);
	} else {
		if (options->common.json) {
			json_object_begin(&w, NULL);
			json_array_begin(&w, "instances");
		}
		for (size_t i = 0; i < count; i++) {
			if (i && !options->common.json) putchar('\n');
			rc = worse(rc, lint_instance(db, raddb_instance_name(db, i), options, &w));
		}
		if (options->common.json) {
			json_array_end(&w);
			json_object_end(&w);
		}
	}
	raddb_close(db);
	return rc;
}
