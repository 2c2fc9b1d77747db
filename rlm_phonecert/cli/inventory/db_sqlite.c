/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The inventory in SQLite (rlm_sql_sqlite's file), opened through a URI,
 * read-only ("file:PATH?mode=ro") for the report, read-write for a
 * migration ("mode=rw"): never created, so a missing file is an error rather
 * than a new empty database.
 */
#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

/* How long to wait for a server's write transaction to finish. */
#define BUSY_TIMEOUT_MS 5000

typedef struct {
	sqlite3 *db;
	char *path;
} sqlite_handle;

/* "file:PATH?mode=ro" (or rw), PATH percent-encoded where a URI needs it (%, ?, #, spaces...). */
static char *database_uri(char const *path, bool writable)
{
	static char const hex[] = "0123456789ABCDEF";
	size_t size = strlen(path) * 3 + sizeof("file:?mode=ro");
	char *uri = malloc(size), *out;

	if (!uri) return NULL;
	out = uri + sprintf(uri, "file:");
	/* "file://host/..." would name a host: one leading slash only. */
	while (path[0] == '/' && path[1] == '/') path++;
	for (unsigned char const *p = (unsigned char const *)path; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("/._~-", *p)) {
			*out++ = (char)*p;
		} else {
			*out++ = '%';
			*out++ = hex[*p >> 4];
			*out++ = hex[*p & 0x0F];
		}
	}
	strcpy(out, writable ? "?mode=rw" : "?mode=ro");
	return uri;
}

static void sqlite_close(void *opaque)
{
	sqlite_handle *h = opaque;

	if (!h) return;
	sqlite3_close(h->db);
	free(h->path);
	free(h);
}

static void *sqlite_open(char const *path, bool writable, char *err, size_t len)
{
	sqlite_handle *h = calloc(1, sizeof(*h));
	char *uri = database_uri(path, writable);
	int rc;

	if (!h || !uri || !(h->path = strdup(path))) {
		snprintf(err, len, "out of memory");
		free(uri);
		sqlite_close(h);
		return NULL;
	}
	rc = sqlite3_open_v2(uri, &h->db, (writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY) | SQLITE_OPEN_URI, NULL);
	free(uri);
	if (rc != SQLITE_OK) {
		snprintf(err, len, "cannot open the SQLite inventory %s: %s", path,
			 h->db ? sqlite3_errmsg(h->db) : sqlite3_errstr(rc));
		sqlite_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h->db, BUSY_TIMEOUT_MS);
	return h;
}

/* Bind each $N of the statement to params[N - 1]. */
static int bind_params(sqlite3_stmt *stmt, db_param const *params, size_t count, char *err, size_t len)
{
	int total = sqlite3_bind_parameter_count(stmt);

	for (int i = 1; i <= total; i++) {
		char const *name = sqlite3_bind_parameter_name(stmt, i);
		char *end;
		long number = name && name[0] == '$' ? strtol(name + 1, &end, 10) : 0;
		db_param const *p;
		int rc;

		if (number < 1 || (size_t)number > count || *end) {
			snprintf(err, len, "query parameter %s has no value", name ? name : "?");
			return -1;
		}
		p = &params[number - 1];
		rc = p->is_int ? sqlite3_bind_int64(stmt, i, p->i) :
		     p->s ? sqlite3_bind_text(stmt, i, p->s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(stmt, i);
		if (rc != SQLITE_OK) {
			snprintf(err, len, "cannot bind %s: %s", name, sqlite3_errstr(rc));
			return -1;
		}
	}
	return 0;
}

static int sqlite_query(void *opaque, char const *sql, db_param const *params, size_t count, db_table *out,
			char *err, size_t len)
{
	sqlite_handle *h = opaque;
	sqlite3_stmt *stmt = NULL;
	char const **values = NULL;
	int rc;

	if (sqlite3_prepare_v2(h->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		snprintf(err, len, "%s: %s", h->path, sqlite3_errmsg(h->db));
		return -1;
	}
	if (bind_params(stmt, params, count, err, len) < 0) goto failed;
	out->cols = (size_t)sqlite3_column_count(stmt);
	values = calloc(out->cols + 1, sizeof(*values));
	if (!values) {
		snprintf(err, len, "out of memory");
		goto failed;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (size_t c = 0; c < out->cols; c++) {
			values[c] = (char const *)sqlite3_column_text(stmt, (int)c);
		}
		if (db_table_add_row(out, values) < 0) {
			snprintf(err, len, "out of memory");
			goto failed;
		}
	}
	if (rc != SQLITE_DONE) {
		snprintf(err, len, "%s: %s", h->path, sqlite3_errmsg(h->db));
		goto failed;
	}
	free(values);
	sqlite3_finalize(stmt);
	return 0;
failed:
	free(values);
	sqlite3_finalize(stmt);
	return -1;
}

static int sqlite_exec(void *opaque, char const *script, char *err, size_t len)
{
	sqlite_handle *h = opaque;
	char *message = NULL;

	if (sqlite3_exec(h->db, script, NULL, NULL, &message) == SQLITE_OK) return 0;
	snprintf(err, len, "%s: %s", h->path, message ? message : sqlite3_errmsg(h->db));
	sqlite3_free(message);
	return -1;
}

static char *sqlite_describe(void *opaque)
{
	sqlite_handle *h = opaque;
	char *text;

	return asprintf(&text, "sqlite:%s", h->path) < 0 ? NULL : text;
}

db_backend const db_backend_sqlite = {
	.scheme = "sqlite",
	DB_BACKEND_FUNCTIONS(sqlite),
	/* The write lock at once: a server's writer waits (its busy_timeout), another migration too. */
	.begin_exclusive = "BEGIN IMMEDIATE",
	.table_exists = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1",
};
