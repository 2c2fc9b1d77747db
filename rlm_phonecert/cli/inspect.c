/*
 * phonecert inspect: what a certificate is, which anchor verifies it, and the
 * decision the server would give, from the same core calls as the module's
 * handshake (pc_verify on the certificate and the chain the phone sends, then
 * pc_policy_check).
 *
 * The policy's bindings need facts only the switch knows. inspect assumes a
 * correctly configured switch: Calling-Station-Id is the certificate's own
 * MAC and User-Name its CN, so a reject here is never a binding mismatch.
 */
#include "commands.h"
#include "certs.h"
#include "output.h"
#include "raddb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/policy.h"
#include "../core/timeutil.h"
#include "../core/verify.h"

/* The anchors and policy to decide with: from a raddb, or from files on the command line. */
typedef struct {
	raddb *db;
	raddb_phonecert const *phonecert;	/* with a raddb */
	raddb_anchor *file_anchors;		/* without: one per --capf/--lsc-ca/--manufacturing */
	raddb_anchor const *anchors;
	size_t anchor_count;
	pc_policy policy;
	pc_trust *trust;
} decider;

/* Everything inspect says about one CERT file. */
typedef struct {
	char const *file;
	char error[512];		/* the file could not be read; nothing below is set */
	pc_result result;		/* the server's decision, policy applied */
	char const *validity;		/* at now: "valid", "expired", "not yet valid" */
	int chain_length;		/* certificates sent along with it */
	bool accepted;
	char const *reason;		/* why not accepted, or NULL */
	char const *hint;		/* what to do, or NULL */
} inspection;

/*
 *	Anchors and policy
 */

/* "capf-2026" for /etc/x/capf-2026.pem: the anchor's name in messages. */
static char *name_from_file(char const *path)
{
	char const *slash = strrchr(path, '/');
	char const *base = slash ? slash + 1 : path;
	size_t len = strlen(base);

	if (len > 4 && strcmp(base + len - 4, ".pem") == 0) len -= 4;
	return strndup(base, len);
}

static int anchors_from_files(decider *d, inspect_options const *options)
{
	d->file_anchors = calloc(options->anchor_count, sizeof(raddb_anchor));
	if (!d->file_anchors) return -1;
	for (size_t i = 0; i < options->anchor_count; i++) {
		anchor_file const *given = &options->anchors[i];
		char *name = given->kind == PC_ANCHOR_MANUFACTURING ? strdup("manufacturing") : name_from_file(given->file);

		if (!name) return -1;
		d->file_anchors[i].config = (pc_anchor_config) { .kind = given->kind, .name = name, .ca_file = given->file };
		d->anchor_count++;
	}
	d->anchors = d->file_anchors;
	pc_policy_defaults(&d->policy);
	return 0;
}

static int anchors_from_raddb(decider *d, char const *dir)
{
	char err[1024];

	d->db = raddb_open(dir, err, sizeof(err));
	if (!d->db || raddb_read_phonecert(d->db, &d->phonecert, err, sizeof(err)) < 0) {
		fprintf(stderr, "phonecert: %s\n", err);
		return -1;
	}
	d->anchors = d->phonecert->anchors;
	d->anchor_count = d->phonecert->anchor_count;
	d->policy = d->phonecert->policy;
	return 0;
}

static void print_refusal(void *ctx, raddb_anchor const *anchor, char const *message)
{
	decider const *d = ctx;
	char where[1100] = "";

	if (anchor) raddb_anchor_where(anchor, where, sizeof(where));
	else if (d->phonecert) snprintf(where, sizeof(where), "%s[%d]: ", d->phonecert->file, d->phonecert->line);
	fprintf(stderr, "phonecert: %s%s\n", where, message);
}

static int decider_load(decider *d, inspect_options const *options)
{
	bool refused;

	if (options->raddb_dir ? anchors_from_raddb(d, options->raddb_dir) < 0 : anchors_from_files(d, options) < 0) {
		if (!options->raddb_dir) fprintf(stderr, "phonecert: out of memory\n");
		return -1;
	}
	d->trust = raddb_build_trust(d->anchors, d->anchor_count, print_refusal, d, &refused);
	if (!d->trust) fprintf(stderr, "phonecert: out of memory\n");
	return d->trust && !refused ? 0 : -1;
}

static void decider_free(decider *d)
{
	pc_trust_free(d->trust);
	raddb_close(d->db);
	for (size_t i = 0; d->file_anchors && i < d->anchor_count; i++) free((char *)d->file_anchors[i].config.name);
	free(d->file_anchors);
}

/*
 *	One certificate
 */
static char const *validity_at(X509 *cert, time_t now)
{
	time_t from, until;

	if (!certs_time(X509_get0_notBefore(cert), &from) || !certs_time(X509_get0_notAfter(cert), &until)) {
		return "unreadable dates";
	}
	if (now < from) return "not yet valid";
	return now > until ? "expired" : "valid";
}

/* The handshake's decision: trust first, then the policy with a correctly configured switch's facts. */
static void decide(decider const *d, X509 *cert, STACK_OF(X509) *chain, time_t now, pc_result *result)
{
	pc_facts facts;

	if (pc_verify_chain(d->trust, &d->policy.verify, cert, chain, now, result) != PC_VERDICT_ACCEPT) return;
	facts = (pc_facts) {
		.cert_type = result->cert_type,
		.anchor_name = pc_anchor_name(result->anchor),
		.anchor_fingerprint = result->anchor_fingerprint,
		.common_name = result->identity.cn,
		.mac = result->identity.has_device ? result->identity.mac : NULL,
		.calling_station_id = result->identity.has_device ? result->identity.mac : NULL,
		.user_name = result->identity.cn,
	};
	if (!pc_policy_check(&d->policy, d->trust, &facts, now, result->reason, sizeof(result->reason), &result->hint)) {
		result->verdict = PC_VERDICT_REJECT;
	}
}

static void conclude(inspection *in)
{
	switch (in->result.verdict) {
	case PC_VERDICT_ACCEPT:
		in->accepted = true;
		return;
	case PC_VERDICT_REJECT:
		in->reason = in->result.reason;
		in->hint = in->result.hint;
		return;
	case PC_VERDICT_NOT_PHONE:
		in->reason = "not a phone certificate: its issuer is named after no anchor and no CAPF, "
			     "and its CN names no phone (SEP<MAC>)";
		in->hint = "the server leaves such a certificate to eap's own checks (its ca_file), not to phonecert";
		return;
	}
}

static void inspect_file(decider const *d, char const *file, time_t now, inspection *in)
{
	STACK_OF(X509) *certs = certs_read(file, in->error, sizeof(in->error));
	X509 *cert;

	in->file = file;
	if (!certs) return;
	/* Leaf first, the rest sent along as the untrusted chain, as a phone sends them. */
	cert = sk_X509_shift(certs);
	in->chain_length = sk_X509_num(certs);
	decide(d, cert, in->chain_length ? certs : NULL, now, &in->result);
	in->validity = validity_at(cert, now);
	conclude(in);
	X509_free(cert);
	sk_X509_pop_free(certs, X509_free);
}

/*
 *	Output
 */
static char const *type_text(inspection const *in)
{
	if (in->result.verdict == PC_VERDICT_NOT_PHONE) return "not a phone certificate";
	if (in->result.cert_type == PC_CERT_UNKNOWN) return "unknown (no configured anchor signed it)";
	return pc_cert_type_name(in->result.cert_type);
}

static char const *window_text(pc_anchor const *anchor, char *buf, size_t len)
{
	char from[PC_TIME_STRLEN], until[PC_TIME_STRLEN];
	time_t when;
	bool has_from = pc_anchor_accept_from(anchor, &when);

	if (has_from) pc_time_format(when, from, sizeof(from));
	bool has_until = pc_anchor_accept_until(anchor, &when);
	if (has_until) pc_time_format(when, until, sizeof(until));

	if (has_from && has_until) snprintf(buf, len, "window from %s until %s", from, until);
	else if (has_from) snprintf(buf, len, "window from %s", from);
	else if (has_until) snprintf(buf, len, "window until %s", until);
	else snprintf(buf, len, "no window (always accepted)");
	return buf;
}

static void print_decision_text(inspection const *in, FILE *out)
{
	if (!in->accepted) {
		text_field(out, "decision", "REJECT: %s", in->reason);
		text_field(out, "what to do", "%s", in->hint ? in->hint : "");
		return;
	}
	text_field(out, "decision", "ACCEPT%s%s", in->result.expired ? " (expired MIC allowed by mic_expired = allow)" : "",
		   in->result.legacy ? " (legacy signature allowed by mic_legacy_signatures = allow)" : "");
}

static void print_text(inspection const *in, time_t now, FILE *out)
{
	pc_result const *r = &in->result;
	pc_identity const *id = &r->identity;
	char label[128], window[128], at[PC_TIME_STRLEN];

	fprintf(out, "%s\n", in->file);
	pc_time_format(now, at, sizeof(at));
	text_field(out, "subject", "%s", r->subject);
	text_field(out, "issuer", "%s", r->issuer);
	text_field(out, "serial", "%s", r->serial);
	text_field(out, "not before", "%s", r->not_before);
	text_field(out, "not after", "%s (%s at %s)", r->not_after, in->validity, at);
	if (in->chain_length) text_field(out, "chain", "%d more certificate(s) sent with it", in->chain_length);
	text_field(out, "type", "%s", type_text(in));
	if (r->anchor) {
		text_field(out, "anchor", "%s, %s, %s", pc_anchor_label(r->anchor, label, sizeof(label)),
			   window_text(r->anchor, window, sizeof(window)),
			   pc_anchor_window_open(r->anchor, now) ? "open" : "closed");
	}
	text_field(out, "device", "%s", id->device_name);
	text_field(out, "model", "%s", id->model);
	text_field(out, "MAC", "%s", id->mac);
	text_field(out, "PID", "%s", id->pid);
	text_field(out, "SN", "%s", id->sn);
	print_decision_text(in, out);
}

static void json_time(json_writer *w, char const *key, bool has, time_t when)
{
	char text[PC_TIME_STRLEN];

	if (has) pc_time_format(when, text, sizeof(text));
	json_string(w, key, has ? text : NULL);
}

static void print_json_anchor(json_writer *w, pc_anchor const *anchor, time_t now)
{
	time_t when;

	if (!anchor) {
		json_string(w, "anchor", NULL);
		return;
	}
	json_object_begin(w, "anchor");
	json_string(w, "kind", pc_anchor_kind_name(pc_anchor_get_kind(anchor)));
	json_string(w, "name", pc_anchor_name(anchor));
	json_time(w, "accept_from", pc_anchor_accept_from(anchor, &when), when);
	json_time(w, "accept_until", pc_anchor_accept_until(anchor, &when), when);
	json_bool(w, "window_open", pc_anchor_window_open(anchor, now));
	json_object_end(w);
}

static void json_optional(json_writer *w, char const *key, char const *value)
{
	json_string(w, key, value && *value ? value : NULL);
}

static void print_json_identity(json_writer *w, pc_identity const *id)
{
	json_object_begin(w, "identity");
	json_optional(w, "common_name", id->cn);
	json_optional(w, "device_name", id->device_name);
	json_optional(w, "model", id->model);
	json_optional(w, "mac", id->mac);
	json_optional(w, "pid", id->pid);
	json_optional(w, "sn", id->sn);
	json_object_end(w);
}

static void print_json(json_writer *w, inspection const *in, time_t now)
{
	pc_result const *r = &in->result;

	json_object_begin(w, NULL);
	json_string(w, "file", in->file);
	if (in->error[0]) {
		json_string(w, "error", in->error);
		json_object_end(w);
		return;
	}
	json_string(w, "subject", r->subject);
	json_string(w, "issuer", r->issuer);
	json_string(w, "serial", r->serial);
	json_string(w, "not_before", r->not_before);
	json_string(w, "not_after", r->not_after);
	json_string(w, "validity", in->validity);
	json_int(w, "chain_length", in->chain_length);
	json_bool(w, "phone", r->verdict != PC_VERDICT_NOT_PHONE);
	json_string(w, "type", r->verdict == PC_VERDICT_NOT_PHONE || r->cert_type == PC_CERT_UNKNOWN ? NULL :
		    pc_cert_type_name(r->cert_type));
	print_json_anchor(w, r->anchor, now);
	print_json_identity(w, &r->identity);
	json_string(w, "decision", in->accepted ? "ACCEPT" : "REJECT");
	json_string(w, "reason", in->reason);
	json_string(w, "hint", in->hint);
	json_bool(w, "expired_mic_allowed", in->accepted && r->expired);
	json_bool(w, "legacy_signature_allowed", in->accepted && r->legacy);
	json_object_end(w);
}

static int exit_code_of(inspection const *in)
{
	if (in->error[0]) return EXIT_TROUBLE;
	return in->accepted ? EXIT_CLEAN : EXIT_FINDINGS;
}

/* The worse of two exit codes: trouble over findings over clean. */
static int worse(int a, int b)
{
	return a > b ? a : b;
}

static int inspect_all(decider const *d, inspect_options const *options)
{
	json_writer w;
	char now[PC_TIME_STRLEN];
	int rc = EXIT_CLEAN;
	size_t printed = 0;

	pc_time_format(options->now, now, sizeof(now));
	if (options->json) {
		json_init(&w, stdout);
		json_object_begin(&w, NULL);
		json_string(&w, "now", now);
		json_array_begin(&w, "certificates");
	}
	for (size_t i = 0; i < options->cert_count; i++) {
		inspection in = { 0 };

		inspect_file(d, options->certs[i], options->now, &in);
		if (in.error[0]) fprintf(stderr, "phonecert: %s\n", in.error);
		if (options->json) print_json(&w, &in, options->now);
		else if (!in.error[0]) {
			if (printed++) putchar('\n');
			print_text(&in, options->now, stdout);
		}
		rc = worse(rc, exit_code_of(&in));
	}
	if (options->json) {
		json_array_end(&w);
		json_object_end(&w);
	}
	return rc;
}

int inspect_run(inspect_options const *options)
{
	decider d = { 0 };
	int rc = EXIT_TROUBLE;

	if (decider_load(&d, options) == 0) rc = inspect_all(&d, options);
	decider_free(&d);
	return rc;
}
