/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phonecert inventory migrate: brings an inventory made by an older
 * phonecert up to the schema this one reads (INVENTORY_SCHEMA_VERSION).
 *
 * The steps are SQL files beside the dialect's schema.sql,
 * mods-config/sql/phonecert/DIALECT/NNNN-what.sql: file NNNN brings schema
 * NNNN - 1 to NNNN and sets phonecert_schema's version to NNNN (an inventory
 * without phonecert_schema is version 1). Each is applied in a transaction
 * of its own that no other migration runs beside, after reading the version
 * again inside it (another migration may just have applied it), and is
 * committed only when it set its version: a file that fails changes nothing.
 * Servers keep writing meanwhile; they wait for what the file locks.
 */
#include "../commands.h"
#include "../output.h"
#include "db.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIGRATION_FILE_MAX (1024 * 1024)	/* a migration is a few statements, not a dump */

typedef struct {
	long number;
	char name[256];
} migration;

/* NNNN-what.sql: its number, or -1 for another file. */
static long migration_number(char const *name)
{
	size_t len = strlen(name);

	if (len < 9 || strcmp(name + len - 4, ".sql") != 0 || name[4] != '-') return -1;
	for (int i = 0; i < 4; i++) {
		if (!isdigit((unsigned char)name[i])) return -1;
	}
	return strtol(name, NULL, 10);
}

static int compare_migrations(void const *a, void const *b)
{
	long x = ((migration const *)a)->number, y = ((migration const *)b)->number;

	return (x > y) - (x < y);
}

/* The migration files of dir, by number; *count of them. EXIT_CLEAN, or the exit code after saying why. */
static int list_migrations(char const *dir, migration **list, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *entry;

	*list = NULL;
	*count = 0;
	if (!d) return trouble("inventory", "%s: %s", dir, strerror(errno));
	while ((entry = readdir(d))) {
		long number = migration_number(entry->d_name);
		migration *grown;

		if (number < 0) continue;
		if (!(grown = realloc(*list, (*count + 1) * sizeof(**list)))) {
			closedir(d);
			return trouble("inventory", "out of memory");
		}
		*list = grown;
		(*list)[*count].number = number;
		snprintf((*list)[*count].name, sizeof((*list)[*count].name), "%s", entry->d_name);
		(*count)++;
	}
	closedir(d);
	qsort(*list, *count, sizeof(**list), compare_migrations);
	for (size_t i = 0; i + 1 < *count; i++) {
		if ((*list)[i].number == (*list)[i + 1].number) {
			return trouble("inventory", "%s: %s and %s have the same number", dir, (*list)[i].name, (*list)[i + 1].name);
		}
	}
	return EXIT_CLEAN;
}

/* The whole file, NUL-terminated (free it); NULL after saying why. */
static char *read_migration(char const *path)
{
	FILE *file = fopen(path, "rb");
	char *text = NULL;
	size_t len;

	if (!file) {
		trouble("inventory", "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (!(text = malloc(MIGRATION_FILE_MAX + 1))) trouble("inventory", "out of memory");
	else if ((len = fread(text, 1, MIGRATION_FILE_MAX + 1, file)) > MIGRATION_FILE_MAX || ferror(file)) {
		trouble("inventory", "%s: %s", path, ferror(file) ? strerror(errno) : "larger than 1 MB");
		free(text);
		text = NULL;
	} else {
		text[len] = '\0';
	}
	fclose(file);
	return text;
}

/*
 * One migration, in a transaction of its own: applied unless the version
 * read inside it shows another migration did it; committed only once it set
 * its version. 0 (*applied false when another migration had done it), or -1
 * with err, rolled back.
 */
static int apply_in_transaction(inventory_db *db, migration const *m, char const *script, bool *applied,
				char *err, size_t len)
{
	long long version;
	char ignored[256];

	*applied = false;
	if (db_begin_exclusive(db, err, len) < 0) return -1;
	if (db_schema_version(db, &version, err, len) < 0) goto rollback;
	if (version < m->number) {
		if (db_exec(db, script, err, len) < 0 || db_schema_version(db, &version, err, len) < 0) goto rollback;
		if (version != m->number) {
			snprintf(err, len, "it left the schema at version %lld, not %ld", version, m->number);
			goto rollback;
		}
		*applied = true;
	}
	if (db_exec(db, "COMMIT", err, len) == 0) return 0;
rollback:
	db_exec(db, "ROLLBACK", ignored, sizeof(ignored));
	return -1;
}

static int apply(inventory_db *db, char const *dir, migration const *m)
{
	char path[PATH_MAX], err[1024];
	char *script;
	bool applied;
	int rc;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, m->name) >= sizeof(path)) {
		return trouble("inventory", "%s/%s: the path is too long", dir, m->name);
	}
	if (!(script = read_migration(path))) return EXIT_TROUBLE;
	rc = apply_in_transaction(db, m, script, &applied, err, sizeof(err));
	free(script);
	if (rc < 0) {
		return trouble("inventory", "%s: %s: %s; nothing of it was applied (schema %ld)", db_description(db), path, err,
			       m->number - 1);
	}
	if (applied) printf("%s: applied %s: schema %ld\n", db_description(db), m->name, m->number);
	else printf("%s: %s was applied meanwhile by another migration\n", db_description(db), m->name);
	return EXIT_CLEAN;
}

/* The migrations of dir from version on must end at the schema this phonecert reads, without a gap. */
static int check_sequence(char const *dir, migration const *list, size_t count, long long version)
{
	long long expected = version + 1;

	for (size_t i = 0; i < count; i++) {
		if (list[i].number <= version) continue;
		if (list[i].number != expected) {
			return trouble("inventory", "%s: no migration to schema %lld (next is %s)", dir, expected, list[i].name);
		}
		expected++;
	}
	if (expected - 1 != INVENTORY_SCHEMA_VERSION) {
		return trouble("inventory", "%s brings the inventory to schema %lld, this phonecert reads %d: its raddb files and "
			       "its program are not of the same version", dir, expected - 1, INVENTORY_SCHEMA_VERSION);
	}
	return EXIT_CLEAN;
}

static int migrate(inventory_db *db, inventory_options const *options, long long version)
{
	char dir[PATH_MAX];
	migration *list;
	size_t count, pending = 0;
	int rc;

	if ((size_t)snprintf(dir, sizeof(dir), "%s/mods-config/sql/phonecert/%s", options->common.raddb_dir, db_dialect(db)) >=
	    sizeof(dir)) {
		return trouble("inventory", "%s: the path is too long", options->common.raddb_dir);
	}
	if (list_migrations(dir, &list, &count) != EXIT_CLEAN) {
		free(list);
		return EXIT_TROUBLE;
	}
	rc = check_sequence(dir, list, count, version);
	for (size_t i = 0; rc == EXIT_CLEAN && i < count; i++) {
		if (list[i].number <= version) continue;
		pending++;
		if (options->check) printf("%s: %s to apply\n", db_description(db), list[i].name);
		else rc = apply(db, dir, &list[i]);
	}
	free(list);
	if (rc != EXIT_CLEAN) return rc;
	if (pending == 0) printf("%s: schema %lld, up to date\n", db_description(db), version);
	return options->check && pending ? EXIT_FINDINGS : EXIT_CLEAN;
}

int inventory_migrate_run(inventory_options const *options)
{
	char err[1024];
	inventory_db *db = db_open(options->common.db_url, !options->check, err, sizeof(err));
	long long version = 0;
	int rc;

	if (!db) return trouble("inventory", "%s", err);
	if (db_schema_version(db, &version, err, sizeof(err)) < 0) rc = trouble("inventory", "%s: %s", db_description(db), err);
	else if (version == 0) {
		rc = trouble("inventory", "%s is not a phonecert inventory (no phonecert_phone): FreeRADIUS creates a SQLite one, "
			     "a PostgreSQL one is made by loading mods-config/sql/phonecert/postgresql/schema.sql",
			     db_description(db));
	} else if (version > INVENTORY_SCHEMA_VERSION) {
		rc = trouble("inventory", "%s has schema %lld, newer than this phonecert's %d: nothing to do here", db_description(db),
			     version, INVENTORY_SCHEMA_VERSION);
	} else {
		rc = migrate(db, options, version);
	}
	db_close(db);
	return rc;
}
