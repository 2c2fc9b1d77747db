/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phonecert report: gather the inventory against the configuration
 * (report_gather.c), then write it in the format asked for (report_text.c,
 * report_json.c, report_csv.c, report_prometheus.c) and, with --html, as a
 * page (html.c). The exit status is the verdict.
 */
#include "commands.h"
#include "html.h"
#include "report.h"

#include <stdio.h>

static int write_html_file(report const *r, char const *path)
{
	FILE *out = fopen(path, "w");
	int rc;

	if (!out) {
		fprintf(stderr, "phonecert report: cannot write %s: %m\n", path);
		return -1;
	}
	rc = html_write(r, out);
	if (ferror(out)) rc = -1;
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
	switch (options->format) {
	case REPORT_JSON: report_write_json(stdout, r); break;
	case REPORT_CSV: report_write_csv(stdout, r); break;
	case REPORT_TEXT: report_write_text(stdout, r); break;
	case REPORT_PROMETHEUS: prometheus_write(r, stdout); break;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
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
