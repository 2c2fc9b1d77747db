/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phonecert report --html: a self-contained page (inline CSS and SVG chart,
 * no script) of what report_gather.c gathered.
 */
#ifndef PHONECERT_CLI_HTML_H
#define PHONECERT_CLI_HTML_H

#include <stdio.h>

#include "report.h"

/* The page. Returns 0, or -1 when it could not be written. */
int html_write(report const *r, FILE *out);

#endif
