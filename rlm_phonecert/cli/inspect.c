/* SPDX-License-Identifier: GPL-2.0-or-later */
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
#include "decider.h"
#include "output.h"
#include "raddb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/policy.h"
#include "../core/timeutil.h"
#include "../core/verify.h"

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
	pc_decide_chain(d->trust, &d->policy, cert, in->chain_length ? certs : NULL, NULL, now, &in->result);
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
	json_certificate(w, r);
	json_string(w, "validity", in->validity);
	json_int(w, "chain_length", in->chain_length);
	json_bool(w, "phone", r->verdict != PC_VERDICT_NOT_PHONE);
	json_string(w, "type", r->verdict == PC_VERDICT_NOT_PHONE || r->cert_type == PC_CERT_UNKNOWN ? NULL :
		    pc_cert_type_name(r->cert_type));
	print_json_anchor(w, r->anchor, now);
	json_identity(w, "identity", &r->identity);
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

	pc_time_format(options->common.now, now, sizeof(now));
	if (options->common.json) {
		json_init(&w, stdout);
		json_object_begin(&w, NULL);
		json_string(&w, "now", now);
		json_array_begin(&w, "certificates");
	}
	for (size_t i = 0; i < options->cert_count; i++) {
		inspection in = { 0 };

		inspect_file(d, options->certs[i], options->common.now, &in);
		if (in.error[0]) fprintf(stderr, "phonecert: %s\n", in.error);
		if (options->common.json) print_json(&w, &in, options->common.now);
		else if (!in.error[0]) {
			if (printed++) putchar('\n');
			print_text(&in, options->common.now, stdout);
		}
		rc = worse(rc, exit_code_of(&in));
	}
	if (options->common.json) {
		json_array_end(&w);
		json_object_end(&w);
	}
	return rc;
}

int inspect_run(inspect_options const *options)
{
	decider d = { 0 };
	int rc = EXIT_TROUBLE;

	if (decider_load(&d, &options->common) == 0) rc = inspect_all(&d, options);
	decider_free(&d);
	return rc;
}
