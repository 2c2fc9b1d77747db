/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phonecert report --html: one self-contained HTML5 page (inline CSS and an
 * inline SVG chart; no script, no external resource) with the chart "phones
 * per anchor over time (daily)" and the report's three sections as tables.
 *
 * Every text from the database or the configuration is escaped: C0, C1 and
 * bidi controls and invalid UTF-8 are shown as \xHH (as in text output),
 * markup characters as entities, so the page stays valid HTML and reads as
 * it is whatever a certificate held.
 */
#include "../output.h"
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/text.h"
#include "../../core/timeutil.h"

/* The chart's geometry (SVG user units). */
#define CHART_WIDTH 920
#define CHART_HEIGHT 330
#define PLOT_LEFT 56
#define PLOT_TOP 20
#define PLOT_WIDTH 580
#define PLOT_HEIGHT 250
#define LEGEND_LEFT (PLOT_LEFT + PLOT_WIDTH + 24)
#define MAX_CHART_DAYS 3660	/* the last ten years at most */
#define MARKER_DAYS 62		/* per-day hover titles up to two months */
#define X_LABELS 6

static char const *const palette[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
	"#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"
};
#define PALETTE_SIZE (sizeof(palette) / sizeof(palette[0]))

static char const style[] =
	"body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"DejaVu Sans\",sans-serif;"
	"margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1b1b;background:#fff;line-height:1.4}\n"
	"h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;"
	"border-bottom:1px solid #ccc;padding-bottom:.2rem}h3{font-size:1.05rem}\n"
	"table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.92rem}\n"
	"th,td{border:1px solid #ccc;padding:.25rem .6rem;text-align:left;vertical-align:top}\n"
	"th{background:#f1f3f5}td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
	"code,td.mono{font-family:ui-monospace,\"DejaVu Sans Mono\",monospace}\n"
	".ok{color:#136f2e;font-weight:600}.bad{color:#b00020;font-weight:600}.muted{color:#666}\n"
	".summary{padding:.6rem 1rem;border-radius:4px;border:1px solid}\n"
	".summary.ok{background:#e8f5ec;border-color:#8fc9a1}.summary.bad{background:#fdecee;border-color:#e8a1aa}\n"
	".summary.unknown{background:#f4f4f4;border-color:#bbb;color:#333}\n"
	"dl.meta{display:grid;grid-template-columns:max-content auto;gap:.1rem 1rem}dl.meta dt{font-weight:600}"
	"dl.meta dd{margin:0}\n"
	"svg.chart{max-width:100%;height:auto;border:1px solid #ddd;background:#fff}\n"
	"svg.chart text{font-family:inherit;font-size:12px;fill:#333}\n"
	"svg.chart .grid{stroke:#e3e3e3;stroke-width:1}svg.chart .axis{stroke:#555;stroke-width:1}\n";

/*
 *	Escaping
 */

/* Characters HTML5 does not allow in a document: controls (but tab, LF, CR... FF) and noncharacters. */
static bool html_forbidden(unsigned long cp)
{
	if (cp == '\t' || cp == '\n' || cp == '\f' || cp == '\r') return false;
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;
	if (cp >= 0xFDD0 && cp <= 0xFDEF) return true;
	return (cp & 0xFFFE) == 0xFFFE;
}

/*
 * Text and attribute values alike: first escaped as for text output (C0, C1
 * and bidi controls as visible \xHH, which also makes invalid UTF-8 valid),
 * then & < > " ' as entities; what else HTML5 forbids becomes U+FFFD.
 */
static void esc(FILE *out, char const *text)
{
	char escaped[TEXT_ESCAPED_LEN];
	unsigned char const *p = (unsigned char const *)text_escape(text, escaped, sizeof(escaped));

	while (*p) {
		unsigned long cp;
		int length = pc_utf8_decode(p, &cp);

		if (length == 0 || html_forbidden(cp)) {
			fputs("&#xFFFD;", out);
			p += length ? length : 1;
			continue;
		}
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fwrite(p, 1, (size_t)length, out);
		}
		p += length;
	}
}

/* A table cell with escaped text ("-" for none). */
static void cell(FILE *out, char const *cls, char const *text)
{
	fprintf(out, "<td%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	esc(out, text && text[0] ? text : "-");
	fputs("</td>", out);
}

static void cell_time(FILE *out, bool known, long long when)
{
	char buf[PC_TIME_STRLEN];

	if (known) pc_time_format((time_t)when, buf, sizeof(buf));
	cell(out, "mono", known ? buf : NULL);
}

static void cell_int(FILE *out, long long value)
{
	fprintf(out, "<td class=\"num\">%lld</td>", value);
}

static void header_row(FILE *out, char const *const *headers, size_t count)
{
	fputs("<thead><tr>", out);
	for (size_t i = 0; i < count; i++) {
		fputs("<th scope=\"col\">", out);
		esc(out, headers[i]);
		fputs("</th>", out);
	}
	fputs("</tr></thead>\n<tbody>\n", out);
}

/*
 *	The chart
 */

static long long nice_top(long long max, long long *step)
{
	long long magnitude = 1;

	if (max < 1) max = 1;
	for (;;) {
		static int const factors[] = { 1, 2, 5 };

		for (size_t i = 0; i < 3; i++) {
			*step = factors[i] * magnitude;
			if ((max + *step - 1) / *step <= 5) return (max + *step - 1) / *step * *step;
		}
		magnitude *= 10;
	}
}

typedef struct {
	long long first;		/* the first day shown */
	long long days;			/* days shown */
	long long top;			/* the y axis' top */
	long long *values;		/* [anchor][day]: distinct phones */
	bool *shown;			/* per anchor: has a point */
} chart;

static double chart_x(chart const *c, long long day_index)
{
	if (c->days <= 1) return PLOT_LEFT + PLOT_WIDTH / 2.0;
	return PLOT_LEFT + (double)PLOT_WIDTH * (double)day_index / (double)(c->days - 1);
}

static double chart_y(chart const *c, long long value)
{
	return PLOT_TOP + PLOT_HEIGHT - (double)PLOT_HEIGHT * (double)value / (double)c->top;
}

static void chart_axes(FILE *out, chart const *c, long long step)
{
	char day[32];
	long long last_label = -1;

	for (long long v = 0; v <= c->top; v += step) {
		double y = chart_y(c, v);

		fprintf(out, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>", PLOT_LEFT, y,
			PLOT_LEFT + PLOT_WIDTH, y);
		fprintf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%lld</text>\n", PLOT_LEFT - 6, y + 4, v);
	}
	fprintf(out, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", PLOT_LEFT, PLOT_TOP + PLOT_HEIGHT,
		PLOT_LEFT + PLOT_WIDTH, PLOT_TOP + PLOT_HEIGHT);
	fprintf(out, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", PLOT_LEFT, PLOT_TOP, PLOT_LEFT,
		PLOT_TOP + PLOT_HEIGHT);
	for (int i = 0; i < X_LABELS; i++) {
		long long index = c->days <= 1 ? 0 : (long long)i * (c->days - 1) / (X_LABELS - 1);

		if (index == last_label) continue;
		last_label = index;
		report_day(c->first + index, day, sizeof(day));
		fprintf(out, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", chart_x(c, index),
			PLOT_TOP + PLOT_HEIGHT, chart_x(c, index), PLOT_TOP + PLOT_HEIGHT + 5);
		fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", chart_x(c, index),
			PLOT_TOP + PLOT_HEIGHT + 20, day);
		if (c->days <= 1) break;
	}
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">day (UTC)</text>\n", PLOT_LEFT + PLOT_WIDTH / 2,
		CHART_HEIGHT - 8);
	fprintf(out, "<text x=\"14\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 14 %d)\">phones</text>\n",
		PLOT_TOP + PLOT_HEIGHT / 2, PLOT_TOP + PLOT_HEIGHT / 2);
}

/* The stack below anchor a's layer, and its own top, per day. */
static void chart_layer(FILE *out, report const *r, chart const *c, size_t a, size_t color, long long *stack)
{
	long long const *values = &c->values[a * (size_t)c->days];
	char const *dash = r->anchors[a].retiring ? " stroke-dasharray=\"6 4\"" : "";

	fprintf(out, "<g><title>");
	esc(out, r->anchors[a].name);
	fputs(r->anchors[a].retiring ? " (retiring)" : "", out);
	fputs("</title>\n", out);
	if (c->days == 1) {
		/* One day: a stacked bar. */
		fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"60\" height=\"%.1f\" fill=\"%s\" fill-opacity=\"0.8\" "
			"stroke=\"%s\" stroke-width=\"1.5\"%s/>\n", chart_x(c, 0) - 30, chart_y(c, stack[0] + values[0]),
			chart_y(c, stack[0]) - chart_y(c, stack[0] + values[0]), palette[color], palette[color], dash);
	} else {
		fprintf(out, "<polygon fill=\"%s\" fill-opacity=\"0.8\" stroke=\"%s\" stroke-width=\"1.5\"%s points=\"",
			palette[color], palette[color], dash);
		for (long long d = 0; d < c->days; d++) {
			fprintf(out, "%s%.1f,%.1f", d ? " " : "", chart_x(c, d), chart_y(c, stack[d] + values[d]));
		}
		for (long long d = c->days - 1; d >= 0; d--) fprintf(out, " %.1f,%.1f", chart_x(c, d), chart_y(c, stack[d]));
		fputs("\"/>\n", out);
	}
	fputs("</g>\n", out);
	for (long long d = 0; d < c->days; d++) stack[d] += values[d];
}

/* Up to two months: each day's column says its numbers on hover (SVG <title>, no script). */
static void chart_day_titles(FILE *out, report const *r, chart const *c)
{
	double width = c->days <= 1 ? 60 : (double)PLOT_WIDTH / (double)(c->days - 1);
	char day[32];

	if (c->days > MARKER_DAYS) return;
	for (long long d = 0; d < c->days; d++) {
		report_day(c->first + d, day, sizeof(day));
		fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#000\" fill-opacity=\"0\">"
			"<title>%s", chart_x(c, d) - width / 2, PLOT_TOP, width, PLOT_HEIGHT, day);
		for (size_t a = 0; a < r->anchor_count; a++) {
			if (!c->shown[a]) continue;
			fputs("\n", out);
			esc(out, r->anchors[a].name);
			fprintf(out, ": %lld", c->values[a * (size_t)c->days + (size_t)d]);
		}
		fputs("</title></rect>\n", out);
	}
}

static void chart_legend(FILE *out, report const *r, chart const *c)
{
	int y = PLOT_TOP + 6;
	size_t color = 0;

	for (size_t a = 0; a < r->anchor_count; a++) {
		if (!c->shown[a]) continue;
		fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"24\" height=\"12\" fill=\"%s\" fill-opacity=\"0.8\" stroke=\"%s\"%s/>",
			LEGEND_LEFT, y - 6, palette[color % PALETTE_SIZE], palette[color % PALETTE_SIZE],
			r->anchors[a].retiring ? " stroke-dasharray=\"4 3\"" : "");
		color++;
		fprintf(out, "<text x=\"%d\" y=\"%d\">", LEGEND_LEFT + 32, y + 4);
		esc(out, r->anchors[a].name);
		fputs(r->anchors[a].retiring ? " (retiring)" : "", out);
		fputs("</text>\n", out);
		y += 20;
	}
}

static int write_chart(FILE *out, report const *r)
{
	chart c = { 0 };
	long long step = 1, max = 0, *stack;
	size_t color = 0;

	fprintf(out, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"chart-title\">\n"
		"<title id=\"chart-title\">Phones per anchor over time (daily)</title>\n",
		CHART_WIDTH, CHART_HEIGHT, CHART_WIDTH, CHART_HEIGHT);
	if (!r->point_count) {
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">No phone authentication recorded yet</text>\n"
			"</svg>\n", CHART_WIDTH / 2, CHART_HEIGHT / 2);
		return 0;
	}
	c.first = r->points[0].day;
	c.days = r->points[r->point_count - 1].day - c.first + 1;
	if (c.days > MAX_CHART_DAYS) {
		c.first += c.days - MAX_CHART_DAYS;
		c.days = MAX_CHART_DAYS;
	}
	c.values = calloc((r->anchor_count ? r->anchor_count : 1) * (size_t)c.days, sizeof(*c.values));
	c.shown = calloc(r->anchor_count + 1, sizeof(*c.shown));
	stack = calloc((size_t)c.days, sizeof(*stack));
	if (!c.values || !c.shown || !stack) {
		free(c.values);
		free(c.shown);
		free(stack);
		fputs("</svg>\n", out);
		return -1;
	}
	for (size_t i = 0; i < r->point_count; i++) {
		report_point const *p = &r->points[i];

		if (p->day < c.first) continue;
		c.values[p->anchor * (size_t)c.days + (size_t)(p->day - c.first)] = p->phones;
		c.shown[p->anchor] = true;
		stack[p->day - c.first] += p->phones;
	}
	for (long long d = 0; d < c.days; d++) {
		if (stack[d] > max) max = stack[d];
		stack[d] = 0;
	}
	c.top = nice_top(max, &step);
	chart_axes(out, &c, step);
	for (size_t a = 0; a < r->anchor_count; a++) {
		if (c.shown[a]) chart_layer(out, r, &c, a, color++ % PALETTE_SIZE, stack);
	}
	chart_day_titles(out, r, &c);
	chart_legend(out, r, &c);
	fputs("</svg>\n", out);
	free(c.values);
	free(c.shown);
	free(stack);
	return 0;
}

/*
 *	The sections
 */

static void write_anchor_phones(FILE *out, report_anchor const *a)
{
	static char const *const headers[] = { "Device", "MAC", "Model", "Last seen", "Last result" };

	fputs("<h3>Phones whose latest authentication used ", out);
	esc(out, a->name);
	fputs("</h3>\n<table>\n", out);
	header_row(out, headers, 5);
	for (size_t i = 0; i < a->list_count; i++) {
		report_phone const *p = &a->list[i];

		fputs("<tr>", out);
		cell(out, "mono", p->device_name);
		cell(out, "mono", p->mac);
		cell(out, NULL, p->model);
		cell_time(out, p->has_last_seen, p->last_seen);
		cell(out, NULL, p->last_result);
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table>\n", out);
}

static void write_anchors(FILE *out, report const *r)
{
	static char const *const headers[] = { "Anchor", "Kind", "accept_until", "Phones", "Last used", "Verdict" };
	char day[32];

	fputs("<section id=\"anchors\">\n<h2>Anchors</h2>\n"
	      "<p>Phones: those whose latest authentication used the anchor. Last used: the last day any phone "
	      "authenticated with it. A retiring anchor (with <code>accept_until</code>) is safe to remove when no "
	      "phone's latest authentication used it.</p>\n<table>\n", out);
	header_row(out, headers, 6);
	for (size_t i = 0; i < r->anchor_count; i++) {
		report_anchor const *a = &r->anchors[i];

		if (a->used) report_day(a->last_day, day, sizeof(day));
		fputs("<tr>", out);
		cell(out, "mono", a->name);
		cell(out, NULL, a->kind ? a->kind : a->configured ? NULL : "not in the configuration");
		cell(out, "mono", a->accept_until);
		cell_int(out, a->phones);
		cell(out, NULL, a->used ? day : "never");
		cell(out, a->verdict == VERDICT_SAFE ? "ok" : a->verdict == VERDICT_NOT_SAFE ? "bad" : NULL,
		     a->verdict == VERDICT_NONE ? NULL : a->verdict_text);
		fputs("</tr>\n", out);
	}
	if (!r->anchor_count) fputs("<tr><td colspan=\"6\">No anchor configured or used.</td></tr>\n", out);
	fputs("</tbody>\n</table>\n", out);
	for (size_t i = 0; i < r->anchor_count; i++) {
		if (r->anchors[i].list_count) write_anchor_phones(out, &r->anchors[i]);
	}
	fputs("</section>\n", out);
}

static void write_mics(FILE *out, report const *r)
{
	static char const *const only_headers[] = { "Device", "MAC", "Model", "Not after", "Last seen", "Last result" };
	static char const *const expiring_headers[] = { "Device", "MAC", "Model", "Not after", "Days left", "Last seen",
							 "Last result" };
	char horizon[PC_TIME_STRLEN];

	fprintf(out, "<section id=\"mic-only\">\n<h2>MIC-only phones: %zu</h2>\n"
		"<p>Phones whose latest certificate is a MIC and that were never seen with an LSC.</p>\n<table>\n",
		r->mic_only_count);
	header_row(out, only_headers, 6);
	for (size_t i = 0; i < r->mic_only_count; i++) {
		report_phone const *p = &r->mic_only[i];

		fputs("<tr>", out);
		cell(out, "mono", p->device_name);
		cell(out, "mono", p->mac);
		cell(out, NULL, p->model);
		cell(out, "mono", p->not_after);
		cell_time(out, p->has_last_seen, p->last_seen);
		cell(out, NULL, p->last_result);
		fputs("</tr>\n", out);
	}
	if (!r->mic_only_count) fputs("<tr><td colspan=\"6\">None.</td></tr>\n", out);
	fputs("</tbody>\n</table>\n</section>\n", out);

	pc_time_format(r->mic_horizon, horizon, sizeof(horizon));
	fprintf(out, "<section id=\"mic-expiring\">\n<h2>MICs expiring within %d days: %zu</h2>\n"
		"<p>Phones whose latest certificate is a MIC that ends before %s (or has ended): they need an LSC.</p>\n"
		"<table>\n", REPORT_MIC_DAYS, r->mic_expiring_count, horizon);
	header_row(out, expiring_headers, 7);
	for (size_t i = 0; i < r->mic_expiring_count; i++) {
		report_phone const *p = &r->mic_expiring[i];

		fputs("<tr>", out);
		cell(out, "mono", p->device_name);
		cell(out, "mono", p->mac);
		cell(out, NULL, p->model);
		cell(out, "mono", p->not_after);
		if (p->expired) cell(out, "bad", "expired");
		else cell_int(out, p->days_left);
		cell_time(out, p->has_last_seen, p->last_seen);
		cell(out, NULL, p->last_result);
		fputs("</tr>\n", out);
	}
	if (!r->mic_expiring_count) fputs("<tr><td colspan=\"7\">None.</td></tr>\n", out);
	fputs("</tbody>\n</table>\n</section>\n", out);
}

/* --phones: identities claimed by certificates no anchor verified. */
static void write_claims(FILE *out, report const *r)
{
	static char const *const headers[] = { "Claimed device", "Claimed MAC", "Rejects", "Last seen", "Reason" };

	fputs("<h3>Unverified claims (certificates no anchor signed: the identities are only claimed)</h3>\n<table>\n", out);
	header_row(out, headers, 5);
	for (size_t i = 0; i < r->claim_count; i++) {
		fputs("<tr>", out);
		cell(out, "mono", r->claims[i].device_name);
		cell(out, "mono", r->claims[i].mac);
		cell_int(out, r->claims[i].rejects);
		cell_time(out, r->claims[i].has_last_seen, r->claims[i].last_seen);
		cell(out, NULL, r->claims[i].reason);
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table>\n", out);
}

static void write_rejected(FILE *out, report const *r)
{
	static char const *const headers[] = { "Reason", "Phones", "Certificate" };

	fprintf(out, "<section id=\"rejected\">\n<h2>Phones rejected in the last 24 hours: %lld</h2>\n<table>\n",
		r->rejected);
	header_row(out, headers, 3);
	for (size_t i = 0; i < r->reason_count; i++) {
		fputs("<tr>", out);
		cell(out, NULL, r->reasons[i].reason ? r->reasons[i].reason : "(no reason recorded)");
		cell_int(out, r->reasons[i].phones);
		cell(out, NULL, r->reasons[i].verified ? "verified by an anchor" :
		     "unverified: no anchor signed it, the phone identity is only claimed");
		fputs("</tr>\n", out);
	}
	if (!r->reason_count) fputs("<tr><td colspan=\"3\">None.</td></tr>\n", out);
	fputs("</tbody>\n</table>\n", out);
	if (r->claim_count) write_claims(out, r);
	fputs("</section>\n", out);
}

static void listed_rows(FILE *out, report const *r, report_listed const *listed, size_t count, size_t cols)
{
	char where[TEXT_ESCAPED_LEN];

	for (size_t i = 0; i < count; i++) {
		report_listed const *l = &listed[i];

		report_listed_where(r, l, where, sizeof(where));
		fputs("<tr>", out);
		cell(out, "mono", l->phone->device_name);
		cell(out, "mono", l->phone->mac);
		cell(out, NULL, l->phone->description);
		cell(out, NULL, l->phone->device_pool);
		cell(out, NULL, l->phone->model);
		cell_time(out, l->seen && l->last.has_last_seen, l->last.last_seen);
		cell(out, "mono", l->last.anchor);
		cell(out, "mono", where);
		if (cols > 8) cell(out, l->waiver == WAIVER_IN_USE ? "bad" : NULL, report_waiver_words(l->waiver));
		fputs("</tr>\n", out);
	}
	if (!count) fprintf(out, "<tr><td colspan=\"%zu\">None.</td></tr>\n", cols);
	fputs("</tbody>\n</table>\n", out);
}

static void write_list_table(FILE *out, report const *r)
{
	static char const *const headers[] = { "List", "Phones of", "Retiring anchors it covers", "Rotation began",
					       "Phones", "Seen since", "Never seen", "Seen before", "Waived", "Unreadable rows" };
	char start[PC_TIME_STRLEN], covers[1024];

	fputs("<table>\n", out);
	header_row(out, headers, 10);
	for (size_t i = 0; i < r->list_count; i++) {
		report_list const *list = &r->lists[i];

		if (list->has_start) pc_time_format(list->start, start, sizeof(start));
		fputs("<tr>", out);
		cell(out, "mono", list->file);
		cell(out, "mono", list->anchor ? list->anchor : "every capf and lsc_ca section");
		cell(out, "mono", report_list_covers(list, covers, sizeof(covers)));
		cell(out, "mono", list->has_start ? start : NULL);
		cell_int(out, (long long)list->phones->phone_count);
		cell_int(out, list->seen);
		cell_int(out, list->never_seen);
		cell_int(out, list->before_rotation);
		cell_int(out, list->waived);
		cell_int(out, (long long)list->phones->invalid_count);
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table>\n", out);
}

/* The phone lists' sections (doc/cucm.md). */
static void write_lists(FILE *out, report const *r)
{
	static char const *const listed_headers[] = { "Device", "MAC", "Description", "Device pool", "Model", "Last seen",
						      "Last anchor", "Listed at", "Waiver" };
	static char const *const unlisted_headers[] = { "Device", "MAC", "Model", "Anchor", "Last seen", "Last result" };
	static char const *const problem_headers[] = { "Where", "Device", "Problem" };
	struct { char const *id, *title; report_listed const *listed; size_t count, cols; } const sections[] = {
		{ "never-seen", "Listed phones never seen on 802.1X", r->never_seen, r->never_seen_count, 8 },
		{ "before-rotation", "Listed phones last seen before the rotation began", r->before_rotation,
		  r->before_rotation_count, 8 },
		{ "waived", "Waived phones (known to be retired)", r->waived, r->waived_count, 9 },
	};

	fputs("<section id=\"phone-lists\">\n<h2>Phone lists</h2>\n<p>CUCM's phones, one list per cluster. A retiring "
	      "anchor a list covers is safe to remove only when every listed phone was seen (a verified authentication "
	      "with a proven key) since the rotation began, or is waived.</p>\n", out);
	write_list_table(out, r);
	for (size_t k = 0; k < sizeof(sections) / sizeof(sections[0]); k++) {
		fprintf(out, "<h3 id=\"%s\">%s: %zu</h3>\n<table>\n", sections[k].id, sections[k].title, sections[k].count);
		header_row(out, listed_headers, sections[k].cols);
		listed_rows(out, r, sections[k].listed, sections[k].count, sections[k].cols);
	}
	fprintf(out, "<h3 id=\"unlisted\">Phones seen on 802.1X but in no list: %zu</h3>\n<p>Verified by an anchor but "
		"unknown to CUCM: a stale LSC, or a phone of another cluster.</p>\n<table>\n", r->unlisted_count);
	header_row(out, unlisted_headers, 6);
	for (size_t i = 0; i < r->unlisted_count; i++) {
		report_phone const *p = &r->unlisted[i];

		fputs("<tr>", out);
		cell(out, "mono", p->device_name);
		cell(out, "mono", p->mac);
		cell(out, NULL, p->model);
		cell(out, "mono", p->anchor);
		cell_time(out, p->has_last_seen, p->last_seen);
		cell(out, NULL, p->last_result);
		fputs("</tr>\n", out);
	}
	if (!r->unlisted_count) fputs("<tr><td colspan=\"6\">None.</td></tr>\n", out);
	fprintf(out, "</tbody>\n</table>\n<h3 id=\"list-problems\">Rows of the lists to look at: %zu</h3>\n<table>\n",
		r->problem_count);
	header_row(out, problem_headers, 3);
	for (size_t i = 0; i < r->problem_count; i++) {
		report_problem const *p = &r->problems[i];
		char where[TEXT_ESCAPED_LEN], problem[TEXT_ESCAPED_LEN];

		snprintf(where, sizeof(where), "%s[%lu]", p->file, p->line);
		if (p->kind == PROBLEM_TWICE) snprintf(problem, sizeof(problem), "%s (first: %s[%lu])", p->problem, p->first_file, p->first_line);
		else snprintf(problem, sizeof(problem), "%s", p->problem);
		fputs("<tr>", out);
		cell(out, "mono", where);
		cell(out, "mono", p->device);
		cell(out, NULL, problem);
		fputs("</tr>\n", out);
	}
	if (!r->problem_count) fputs("<tr><td colspan=\"3\">None.</td></tr>\n", out);
	fputs("</tbody>\n</table>\n</section>\n", out);
}

static void write_summary(FILE *out, report const *r)
{
	if (r->config_error[0]) {
		fputs("<p class=\"summary unknown\">No verdicts: the phonecert configuration could not be read (", out);
		esc(out, r->config_error);
		fputs(").</p>\n", out);
	} else if (!r->retiring_count) {
		fputs("<p class=\"summary ok\">No retiring anchor: no <code>accept_until</code> in the configuration.</p>\n", out);
	} else if (!r->not_safe_count) {
		fprintf(out, "<p class=\"summary ok\">Every retiring anchor is safe to remove (%s).</p>\n",
			report_all_listed(r) ? "every listed phone was seen since the rotation began" : "of the phones seen on 802.1X");
	} else {
		fputs("<p class=\"summary bad\">NOT safe to remove:", out);
		for (size_t i = 0, n = 0; i < r->anchor_count; i++) {
			if (r->anchors[i].verdict != VERDICT_NOT_SAFE) continue;
			fputs(n++ ? ", " : " ", out);
			esc(out, r->anchors[i].name);
			fprintf(out, " (%lld phone%s", r->anchors[i].phones, r->anchors[i].phones == 1 ? "" : "s");
			if (r->anchors[i].unseen) fprintf(out, ", %lld listed not seen", r->anchors[i].unseen);
			fputc(')', out);
		}
		fputs(".</p>\n", out);
	}
}

int report_write_html(FILE *out, report const *r)
{
	char now[PC_TIME_STRLEN];
	int rc;

	pc_time_format(r->now, now, sizeof(now));
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>Phone certificate rotation report %s</title>\n<style>\n%s</style>\n</head>\n<body>\n"
		"<header>\n<h1>Phone certificate rotation report</h1>\n<dl class=\"meta\">\n<dt>At</dt><dd>%s</dd>\n",
		now, style, now);
	fputs("<dt>Database</dt><dd><code>", out);
	esc(out, r->database);
	fputs("</code></dd>\n<dt>Configuration</dt><dd><code>", out);
	esc(out, r->config_dir);
	fprintf(out, "</code>%s</dd>\n<dt>Phones</dt><dd>%lld in the inventory</dd>\n</dl>\n",
		r->config_error[0] ? " (unreadable)" : "", r->phone_count);
	write_summary(out, r);
	fputs("</header>\n<main>\n<section id=\"chart\">\n<h2>Phones per anchor over time (daily)</h2>\n"
	      "<p>Distinct phones (MAC addresses) that authenticated with each anchor per day, accepted or rejected, "
	      "stacked. Dashed outline: retiring anchors. A phone that used two anchors on one day counts for "
	      "both.</p>\n", out);
	rc = write_chart(out, r);
	fputs("</section>\n", out);
	write_anchors(out, r);
	write_mics(out, r);
	write_rejected(out, r);
	if (r->list_count) write_lists(out, r);
	fputs("</main>\n<footer><p class=\"muted\">phonecert report (rlm_phonecert)</p></footer>\n</body>\n</html>\n", out);
	return rc < 0 || ferror(out) ? -1 : 0;
}
