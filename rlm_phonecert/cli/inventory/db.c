/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "db.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/sqlescape.h"

struct inventory_db {
	db_backend const *backend;
	void *handle;
	char *description;
};

/* The backend for url, and where its target begins; NULL for an unknown scheme. */
static db_backend const *backend_for(char const *url, char const **target)
{
	if (strncmp(url, "sqlite:", 7) == 0) {
		*target = url + 7;
		/* sqlite:///var/lib/x.sqlite: the URL form of an absolute path. */
		if (strncmp(*target, "///", 3) == 0) *target += 2;
		return &db_backend_sqlite;
	}
	if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
		*target = url;
		return &db_backend_postgres;
	}
	return NULL;
}

bool db_url_check(char const *url, char *err, size_t len)
{
	char const *target;
	db_backend const *backend = backend_for(url, &target);

	if (!backend) {
		snprintf(err, len, "'%s' is neither sqlite:PATH nor a postgresql://user@host:port/dbname URL", url);
		return false;
	}
	if (backend == &db_backend_sqlite && !target[0]) {
		snprintf(err, len, "'%s' names no SQLite file: sqlite:PATH", url);
		return false;
	}
	return true;
}

inventory_db *db_open(char const *url, bool writable, char *err, size_t len)
{
	char const *target;
	db_backend const *backend;
	inventory_db *db;

	if (!db_url_check(url, err, len)) return NULL;
	backend = backend_for(url, &target);
	db = calloc(1, sizeof(*db));
	if (!db) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	db->backend = backend;
	db->handle = backend->open(target, writable, err, len);
	if (!db->handle) {
		free(db);
		return NULL;
	}
	db->description = backend->describe(db->handle);
	if (!db->description) {
		snprintf(err, len, "out of memory");
		db_close(db);
		return NULL;
	}
	return db;
}

void db_close(inventory_db *db)
{
	if (!db) return;
	if (db->handle) db->backend->close(db->handle);
	free(db->description);
	free(db);
}

char const *db_description(inventory_db const *db)
{
	return db->description;
}

char const *db_dialect(inventory_db const *db)
{
	return db->backend->scheme;
}

int db_exec(inventory_db *db, char const *script, char *err, size_t len)
{
	return db->backend->exec(db->handle, script, err, len);
}

int db_begin_exclusive(inventory_db *db, char *err, size_t len)
{
	return db_exec(db, db->backend->begin_exclusive, err, len);
}

/* Whether the table exists: 1, 0, or -1 with err. */
static int table_exists(inventory_db *db, char const *table, char *err, size_t len)
{
	db_param const param[] = { DB_TEXT(table) };
	db_table t;
	long long count = 0;

	if (db_query(db, db->backend->table_exists, param, 1, &t, err, len) < 0) return -1;
	db_cell_int(&t, 0, 0, &count);
	db_table_free(&t);
	return count > 0;
}

int db_schema_version(inventory_db *db, long long *version, char *err, size_t len)
{
	int has_schema = table_exists(db, "phonecert_schema", err, len), has_phones;
	db_table t;

	if (has_schema < 0) return -1;
	if (!has_schema) {
		if ((has_phones = table_exists(db, "phonecert_phone", err, len)) < 0) return -1;
		*version = has_phones ? 1 : 0;
		return 0;
	}
	if (db_query(db, "SELECT version FROM phonecert_schema", NULL, 0, &t, err, len) < 0) return -1;
	if (t.rows != 1 || !db_cell_int(&t, 0, 0, version) || *version < 1) {
		snprintf(err, len, "phonecert_schema holds %zu rows, not one version", t.rows);
		db_table_free(&t);
		return -1;
	}
	db_table_free(&t);
	return 0;
}

/* params with their text as rlm_sql stores it, in *escaped (free with free_escaped). false when out of memory. */
static bool escape_params(db_param const *params, size_t count, db_param **escaped)
{
	*escaped = calloc(count + 1, sizeof(**escaped));
	if (!*escaped) return false;
	for (size_t i = 0; i < count; i++) {
		size_t size;
		char *text;

		(*escaped)[i] = params[i];
		if (params[i].is_int || !params[i].s) continue;
		size = pc_sql_escape(NULL, 0, params[i].s) + 1;
		if (!(text = malloc(size))) return false;
		pc_sql_escape(text, size, params[i].s);
		(*escaped)[i].s = text;
	}
	return true;
}

static void free_escaped(db_param const *params, db_param *escaped, size_t count)
{
	for (size_t i = 0; escaped && i < count; i++) {
		if (escaped[i].s != params[i].s) free((char *)escaped[i].s);
	}
	free(escaped);
}

/* Every cell of table as the server had it. false when out of memory. */
static bool decode_cells(db_table *table)
{
	for (size_t i = 0; i < table->rows * table->cols; i++) {
		char *decoded;

		if (!table->cells[i]) continue;
		if (!(decoded = malloc(strlen(table->cells[i]) + 1))) return false;
		pc_sql_unescape(table->cells[i], decoded);
		free(table->cells[i]);
		table->cells[i] = decoded;
	}
	return true;
}

int db_query_verbatim(inventory_db *db, char const *sql, db_param const *params, size_t count, db_table *out,
		      char *err, size_t len)
{
	memset(out, 0, sizeof(*out));
	if (db->backend->query(db->handle, sql, params, count, out, err, len) == 0) return 0;
	db_table_free(out);
	return -1;
}

int db_query(inventory_db *db, char const *sql, db_param const *params, size_t count, db_table *out,
	     char *err, size_t len)
{
	db_param *escaped = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!escape_params(params, count, &escaped)) snprintf(err, len, "out of memory");
	else if (db->backend->query(db->handle, sql, escaped, count, out, err, len) == 0) {
		if (decode_cells(out)) rc = 0;
		else snprintf(err, len, "out of memory");
	}
	free_escaped(params, escaped, count);
	if (rc < 0) db_table_free(out);
	return rc;
}

int db_table_add_row(db_table *table, char const *const *values)
{
	size_t first = table->rows * table->cols;
	char **grown = realloc(table->cells, (first + table->cols + 1) * sizeof(*grown));

	if (!grown) return -1;
	table->cells = grown;
	for (size_t c = 0; c < table->cols; c++) {
		table->cells[first + c] = NULL;
		if (values[c] && !(table->cells[first + c] = strdup(values[c]))) {
			for (size_t k = 0; k < c; k++) free(table->cells[first + k]);
			return -1;
		}
	}
	table->rows++;
	return 0;
}

void db_table_free(db_table *table)
{
	if (!table->cells) return;
	for (size_t i = 0; i < table->rows * table->cols; i++) free(table->cells[i]);
	free(table->cells);
	memset(table, 0, sizeof(*table));
}

char const *db_cell(db_table const *table, size_t row, size_t col)
{
	if (row >= table->rows || col >= table->cols) return NULL;
	return table->cells[row * table->cols + col];
}

bool db_cell_int(db_table const *table, size_t row, size_t col, long long *out)
{
	char const *text = db_cell(table, row, col);
	char *end;
	long long value;

	if (!text || !text[0]) return false;
	errno = 0;
	value = strtoll(text, &end, 10);
	if (errno || *end) return false;
	*out = value;
	return true;
}
