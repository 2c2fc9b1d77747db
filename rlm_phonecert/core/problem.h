/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A problem with a configuration, and the one way every layer tells it: the
 * core (an anchor it cannot load, a trust set it cannot seal), config/ (what
 * FreeRADIUS' parser read), the module (which logs it as "file[line]:
 * message") and the phonecert tool (which prints or records it) all hand a
 * pc_problem to a pc_problem_fn.
 */
#ifndef PHONECERT_PROBLEM_H
#define PHONECERT_PROBLEM_H

struct pc_anchor_config;

typedef struct {
	char const *file;		/* the file of the section or option concerned; NULL when there is none */
	int line;			/* its line (0 with no file) */
	struct pc_anchor_config const *anchor;	/* the anchor it is about, or NULL */
	char const *message;		/* what is wrong, in words for an admin */
} pc_problem;

typedef void pc_problem_fn(void *ctx, pc_problem const *problem);

#endif
