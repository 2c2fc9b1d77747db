/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The phone inventory database, read by phonecert report: a small interface
 * over the two databases FreeRADIUS' rlm_sql writes it into (SQLite and
 * PostgreSQL), so the report sends the same SQL text to both.
 *
 *   sqlite:PATH                              SQLite file, opened read-only
 *                                            (read-write for a migration)
 *   postgresql://user@host:port/dbname[?..]  PostgreSQL (libpq URL; postgres:// too)
 *
 * Queries are parameterised: values are never written into the SQL text.
 * Placeholders are $1, $2, ... in both databases (SQLite reads "$1" as a
 * named parameter; db_sqlite.c binds it by that name). Results come back as
 * a table of strings, as PostgreSQL's text format gives them (NULL for SQL
 * NULL), whatever the column's type.
 *
 * The inventory holds text as rlm_sql escapes it ("=28" for "(":
 * core/sqlescape.h). db_query is where the tool crosses that line, both
 * ways and nowhere else: it binds text parameters escaped so, and returns
 * every cell decoded, so callers see and give values as the server had them.
 * The fleet block list (phonecert_block) is the one table rlm_sql never
 * writes: the tool writes it, and the servers read it, as it is
 * (db_query_verbatim).
 */
#ifndef PHONECERT_CLI_DB_H
#define PHONECERT_CLI_DB_H

#include <stdbool.h>
#include <stddef.h>

/* A query parameter: an integer (bigint) or a string. */
typedef struct {
	bool is_int;
	long long i;
	char const *s;
} db_param;

#define DB_INT(value) ((db_param) { .is_int = true, .i = (value) })
#define DB_TEXT(value) ((db_param) { .is_int = false, .s = (value) })

/* A query's result: rows x cols cells, row by row; a cell is NULL for SQL NULL. */
typedef struct {
	size_t rows;
	size_t cols;
	char **cells;
} db_table;

/* What a backend provides (db_sqlite.c, db_postgres.c). */
typedef struct {
	char const *scheme;	/* for messages, and the directory of its SQL files: "sqlite", "postgresql" */
	/* target: the PATH of sqlite:PATH, or the whole postgresql:// URL. NULL with err on failure. */
	void *(*open)(char const *target, bool writable, char *err, size_t len);
	int (*query)(void *handle, char const *sql, db_param const *params, size_t count, db_table *out,
		     char *err, size_t len);
	/* Statements separated by semicolons, without parameters or results (a migration file). */
	int (*exec)(void *handle, char const *script, char *err, size_t len);
	/* Starts a transaction that no other writer, and no other migration, runs beside. */
	char const *begin_exclusive;
	/* count(*) of tables named $1 (in the schema queries use). */
	char const *table_exists;
	/* Where the data comes from, for the report's header (no password). malloc'd. */
	char *(*describe)(void *handle);
	void (*close)(void *handle);
} db_backend;

/* A backend's functions, each named after it: NAME_open, NAME_query, NAME_exec, NAME_describe, NAME_close. */
#define DB_BACKEND_FUNCTIONS(name) \
	.open = name##_open, .query = name##_query, .exec = name##_exec, .describe = name##_describe, .close = name##_close

extern db_backend const db_backend_sqlite;
extern db_backend const db_backend_postgres;

typedef struct inventory_db inventory_db;

/*
 * Check the form of a --db value without connecting: "sqlite:" with a path,
 * or a postgresql:// / postgres:// URL. false with err for anything else.
 */
bool db_url_check(char const *url, char *err, size_t len);

/* Open (or connect to) the inventory, SQLite read-only unless writable. NULL with err on failure. */
inventory_db *db_open(char const *url, bool writable, char *err, size_t len);
void db_close(inventory_db *db);

/* "sqlite:/var/lib/freeradius/phonecert-inventory.sqlite", "postgresql://phonecert@db1:5432/phonecert". */
char const *db_description(inventory_db const *db);

/* "sqlite" or "postgresql": where its SQL files are, mods-config/sql/phonecert/DIALECT/. */
char const *db_dialect(inventory_db const *db);

/*
 * The inventory's schema: the version this phonecert reads and writes
 * (mods-config/sql/phonecert/DIALECT/schema.sql), and the numbered files
 * beside it that bring an older one up to it (phonecert inventory migrate).
 */
#define INVENTORY_SCHEMA_VERSION 3

/*
 * The schema version of the database: phonecert_schema's, 1 for an
 * inventory made before it existed (phonecert_phone without it), 0 for no
 * phonecert inventory at all. -1 with err when the database cannot say.
 */
int db_schema_version(inventory_db *db, long long *version, char *err, size_t len);

/* A script of statements (no parameters, no results); the transaction's own: begin, commit, roll back. */
int db_exec(inventory_db *db, char const *script, char *err, size_t len);
int db_begin_exclusive(inventory_db *db, char *err, size_t len);

/* Run one statement; *out holds the rows, decoded (free with db_table_free). -1 with err on failure. */
int db_query(inventory_db *db, char const *sql, db_param const *params, size_t count, db_table *out,
	     char *err, size_t len);

/* The same for phonecert_block, which rlm_sql never writes: text as it is, both ways. */
int db_query_verbatim(inventory_db *db, char const *sql, db_param const *params, size_t count, db_table *out,
		      char *err, size_t len);

/* For the backends: append a row of cols values (copied; NULL stays NULL). -1 when out of memory. */
int db_table_add_row(db_table *table, char const *const *values);
void db_table_free(db_table *table);

/* Cell (row, col), NULL for SQL NULL. */
char const *db_cell(db_table const *table, size_t row, size_t col);

/* Cell as an integer; false when NULL or not a number. */
bool db_cell_int(db_table const *table, size_t row, size_t col, long long *out);

#endif
