/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phonecert report: gather the inventory against the configuration
 * (gather.c), then write it with the renderer of the format asked for
 * (text.c, json.c, csv.c, prometheus.c) and, with --html, as a page
 * (html.c). The exit status is the verdict.
 */
#include "../commands.h"
#include "report.h"

#include <stdio.h>

static report_renderer *const renderers[] = {
	[REPORT_TEXT] = report_write_text,
	[REPORT_JSON] = report_write_json,
	[REPORT_CSV] = report_write_csv,
	[REPORT_PROMETHEUS] = report_write_prometheus,
};

static int write_html_file(report const *r, char const *path)
{
	FILE *out = fopen(path, "w");
	int rc;

	if (!out) {
		fprintf(stderr, "phonecert report: cannot write %s: %m\n", path);
		return -1;
	}
	rc = report_write_html(out, r);
	if (fclose(out) != 0) rc = -1;
	if (rc < 0) fprintf(stderr, "phonecert report: cannot write %s\n", path);
	return rc;
}

int report_run(report_options const *options)
{
	report_source *source = NULL;
	report const *r = report_gather(options, &source);
	int rc = EXIT_TROUBLE;

	if (!r) goto done;
	if (renderers[options->format](stdout, r) < 0 || fflush(stdout) != 0) {
		fprintf(stderr, "phonecert report: cannot write the report: %m\n");
		goto done;
	}
	if (options->html_file && write_html_file(r, options->html_file) < 0) goto done;
	if (r->config_error[0]) rc = EXIT_TROUBLE;
	else rc = r->not_safe_count ? EXIT_FINDINGS : EXIT_CLEAN;
done:
	report_source_free(source);
	return rc;
}
