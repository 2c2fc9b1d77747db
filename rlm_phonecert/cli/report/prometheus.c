/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phonecert report --format prometheus: the report (gathered by gather.c) in
 * Prometheus' text exposition format, for node-exporter's textfile collector.
 *
 * Label values come from the configuration and from the inventory, where a
 * reject reason may quote a stranger's certificate: they are escaped as the
 * format requires (backslash, double quote, line feed), and whatever is not
 * printable UTF-8 becomes U+FFFD, so a hostile value can neither end a label
 * nor make the collector refuse the whole file.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../core/text.h"
#include "../../core/timeutil.h"
#include "../output.h"
#include "report.h"

#define REPLACEMENT "\xef\xbf\xbd"	/* U+FFFD */
#define STRING(x) #x
#define NUMBER_TEXT(x) STRING(x)

static void label_value(FILE *out, char const *value)
{
	unsigned char const *p = (unsigned char const *)(value ? value : "");

	fputc('"', out);
	while (*p) {
		unsigned long cp;
		int n;

		if (*p == '\\') fputs("\\\\", out);
		else if (*p == '"') fputs("\\\"", out);
		else if (*p == '\n') fputs("\\n", out);
		else if (*p < 0x20 || *p == 0x7f) fputs(REPLACEMENT, out);
		else if ((n = pc_utf8_decode(p, &cp)) > 0) {
			/* C1 and bidi controls are valid UTF-8 but would change how a dashboard reads: replaced too. */
			if (pc_char_unsafe(cp)) fputs(REPLACEMENT, out);
			else fwrite(p, 1, (size_t)n, out);
			p += n;
			continue;
		} else fputs(REPLACEMENT, out);
		p++;
	}
	fputc('"', out);
}

static void family(FILE *out, char const *name, char const *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void anchor_sample(FILE *out, char const *name, report_anchor const *a, double value)
{
	fprintf(out, "%s{anchor=", name);
	label_value(out, a->name);
	fputs(",kind=", out);
	label_value(out, a->kind ? a->kind : "unknown");
	fprintf(out, "} %.15g\n", value);
}

/* The anchors whose accept_until parses, with its time. */
static bool window_end(report_anchor const *a, time_t *until)
{
	return a->accept_until && pc_time_parse(a->accept_until, until);
}

static void write_anchors(FILE *out, report const *r)
{
	size_t i;
	time_t until;

	family(out, "phonecert_anchor_phones", "Phones whose latest authentication used this anchor.");
	for (i = 0; i < r->anchor_count; i++) anchor_sample(out, "phonecert_anchor_phones", &r->anchors[i], (double)r->anchors[i].phones);

	family(out, "phonecert_anchor_retiring", "1 if the anchor is configured with accept_until (a rotation window), else 0.");
	for (i = 0; i < r->anchor_count; i++) anchor_sample(out, "phonecert_anchor_retiring", &r->anchors[i], r->anchors[i].retiring);

	family(out, "phonecert_anchor_safe_to_remove", "Retiring anchors: 1 if no phone uses it any more, 0 if phones still do.");
	for (i = 0; i < r->anchor_count; i++) {
		if (r->anchors[i].verdict == VERDICT_NONE) continue;
		anchor_sample(out, "phonecert_anchor_safe_to_remove", &r->anchors[i], r->anchors[i].verdict == VERDICT_SAFE);
	}

	family(out, "phonecert_anchor_window_close_timestamp_seconds", "The anchor's accept_until, Unix seconds.");
	for (i = 0; i < r->anchor_count; i++) {
		if (window_end(&r->anchors[i], &until)) anchor_sample(out, "phonecert_anchor_window_close_timestamp_seconds", &r->anchors[i], (double)until);
	}

	/* "Days until the window closes", in Prometheus' base unit (alert rules divide by 86400). */
	family(out, "phonecert_anchor_window_remaining_seconds", "Seconds from the report until the anchor's accept_until (negative: closed).");
	for (i = 0; i < r->anchor_count; i++) {
		if (window_end(&r->anchors[i], &until)) anchor_sample(out, "phonecert_anchor_window_remaining_seconds", &r->anchors[i], difftime(until, r->now));
	}
}

static void write_phones(FILE *out, report const *r)
{
	size_t i;

	family(out, "phonecert_phones", "Phones in the inventory.");
	fprintf(out, "phonecert_phones %lld\n", r->phone_count);

	family(out, "phonecert_rejected_phones", "Phones rejected in the 24 hours before the report, by reason.");
	for (i = 0; i < r->reason_count; i++) {
		fputs("phonecert_rejected_phones{reason=", out);
		label_value(out, r->reasons[i].reason ? r->reasons[i].reason : "unknown");
		fprintf(out, "} %lld\n", r->reasons[i].phones);
	}

	family(out, "phonecert_mic_expiring_phones", "Phones on a MIC that expires within " NUMBER_TEXT(REPORT_MIC_DAYS) " days of the report (or has expired).");
	fprintf(out, "phonecert_mic_expiring_phones %zu\n", r->mic_expiring_count);
	family(out, "phonecert_mic_only_phones", "Phones whose latest certificate is a MIC and that were never seen with an LSC.");
	fprintf(out, "phonecert_mic_only_phones %zu\n", r->mic_only_count);
}

int report_write_prometheus(FILE *out, report const *r)
{
	write_anchors(out, r);
	write_phones(out, r);
	family(out, "phonecert_report_config_ok", "1 if the FreeRADIUS configuration was read (anchors, windows, verdicts), else 0.");
	fprintf(out, "phonecert_report_config_ok %d\n", r->config_error[0] ? 0 : 1);
	family(out, "phonecert_report_timestamp_seconds", "When the report was made, Unix seconds.");
	fprintf(out, "phonecert_report_timestamp_seconds %lld\n", (long long)r->now);
	return ferror(out) ? -1 : 0;
}
