/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "decider.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "capf-2026" for /etc/x/capf-2026.pem: the anchor's name in messages. */
static char *name_from_file(char const *path)
{
	char const *slash = strrchr(path, '/');
	char const *base = slash ? slash + 1 : path;
	size_t len = strlen(base);

	if (len > 4 && strcmp(base + len - 4, ".pem") == 0) len -= 4;
	return strndup(base, len);
}

static int anchors_from_files(decider *d, anchor_file const *anchors, size_t anchor_count)
{
	d->file_anchors = calloc(anchor_count, sizeof(*d->file_anchors));
	if (!d->file_anchors) return -1;
	for (size_t i = 0; i < anchor_count; i++) {
		anchor_file const *given = &anchors[i];
		char *name = given->kind == PC_ANCHOR_MANUFACTURING ? strdup("manufacturing") : name_from_file(given->file);

		if (!name) return -1;
		d->file_anchors[i] = (pc_anchor_config) { .kind = given->kind, .name = name, .ca_file = given->file };
		d->anchor_count++;
	}
	d->anchors = d->file_anchors;
	pc_policy_defaults(&d->policy);
	return 0;
}

static int anchors_from_raddb(decider *d, char const *dir, char const *instance)
{
	char err[1024];

	d->db = raddb_open(dir, err, sizeof(err));
	if (!d->db || raddb_read_phonecert(d->db, instance, &d->phonecert, err, sizeof(err)) < 0) {
		fprintf(stderr, "phonecert: %s\n", err);
		return -1;
	}
	d->anchors = d->phonecert->anchors;
	d->anchor_count = d->phonecert->anchor_count;
	d->policy = d->phonecert->policy;
	return 0;
}

/* What the module would refuse, or (unsafe_permissions = warn) warn about, on stderr: "file[line]: message". */
static void print_problem(char const *prefix, pc_problem const *problem)
{
	if (problem->file) fprintf(stderr, "phonecert: %s%s[%d]: %s\n", prefix, problem->file, problem->line, problem->message);
	else fprintf(stderr, "phonecert: %s%s\n", prefix, problem->message);
}

static void print_refusal(void *ctx, pc_problem const *problem)
{
	(void)ctx;
	print_problem("", problem);
}

static void print_warning(void *ctx, pc_problem const *problem)
{
	(void)ctx;
	print_problem("warning: ", problem);
}

int decider_load(decider *d, common_options const *options)
{
	bool refused;

	if (options->raddb_dir ? anchors_from_raddb(d, options->raddb_dir, options->instance) < 0 :
	    anchors_from_files(d, options->anchors, options->anchor_count) < 0) {
		if (!options->raddb_dir) fprintf(stderr, "phonecert: out of memory\n");
		return -1;
	}
	d->trust = pc_trust_build(d->anchors, d->anchor_count, d->phonecert ? d->phonecert->file : NULL,
				  d->phonecert ? d->phonecert->line : 0, print_refusal, NULL, &refused);
	if (!d->trust || refused) return -1;
	return d->db && raddb_check_file_writers(d->db, d->phonecert, print_refusal, print_warning, NULL) < 0 ? -1 : 0;
}

void decider_free(decider *d)
{
	pc_trust_free(d->trust);
	raddb_close(d->db);
	for (size_t i = 0; d->file_anchors && i < d->anchor_count; i++) free((char *)d->file_anchors[i].name);
	free(d->file_anchors);
}
