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
	d->file_anchors = calloc(anchor_count, sizeof(raddb_anchor));
	if (!d->file_anchors) return -1;
	for (size_t i = 0; i < anchor_count; i++) {
		anchor_file const *given = &anchors[i];
		char *name = given->kind == PC_ANCHOR_MANUFACTURING ? strdup("manufacturing") : name_from_file(given->file);

		if (!name) return -1;
		d->file_anchors[i].config = (pc_anchor_config) { .kind = given->kind, .name = name, .ca_file = given->file };
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

static void print_refusal(void *ctx, raddb_anchor const *anchor, char const *message)
{
	decider const *d = ctx;
	char where[1100] = "";

	if (anchor) raddb_anchor_where(anchor, where, sizeof(where));
	else if (d->phonecert) snprintf(where, sizeof(where), "%s[%d]: ", d->phonecert->file, d->phonecert->line);
	fprintf(stderr, "phonecert: %s%s\n", where, message);
}

/* Files others can change: the module refuses to start (or warns, with unsafe_permissions = warn), and so does this. */
static void print_writers(void *ctx, raddb_anchor const *anchor, bool refused, char const *file, int line,
			  char const *message)
{
	(void)ctx;
	(void)anchor;
	fprintf(stderr, "phonecert: %s%s[%d]: %s\n", refused ? "" : "warning: ", file, line, message);
}

int decider_load(decider *d, char const *raddb_dir, char const *instance, anchor_file const *anchors,
		 size_t anchor_count)
{
	bool refused;

	if (raddb_dir ? anchors_from_raddb(d, raddb_dir, instance) < 0 : anchors_from_files(d, anchors, anchor_count) < 0) {
		if (!raddb_dir) fprintf(stderr, "phonecert: out of memory\n");
		return -1;
	}
	d->trust = raddb_build_trust(d->anchors, d->anchor_count, print_refusal, d, &refused);
	if (!d->trust) fprintf(stderr, "phonecert: out of memory\n");
	if (!d->trust || refused) return -1;
	return d->db && raddb_check_file_writers(d->db, d->phonecert, print_writers, NULL) < 0 ? -1 : 0;
}

void decider_free(decider *d)
{
	pc_trust_free(d->trust);
	raddb_close(d->db);
	for (size_t i = 0; d->file_anchors && i < d->anchor_count; i++) free((char *)d->file_anchors[i].config.name);
	free(d->file_anchors);
}
