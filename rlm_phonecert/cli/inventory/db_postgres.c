/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The inventory in PostgreSQL (several RADIUS servers writing into one
 * database), through libpq with the URL as given. Integer parameters are
 * sent as bigint, strings as text; results come in libpq's text format.
 */
#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "../../core/text.h"

/* pg_type OIDs (catalog/pg_type_d.h is in the server headers only). */
#define OID_INT8 20
#define OID_TEXT 25

typedef struct {
	PGconn *conn;
} postgres_handle;

/* libpq's messages may span lines and end with a newline: on one line, without it. */
static void copy_message(char *err, size_t len, char const *prefix, char const *message)
{
	snprintf(err, len, "%s%s", prefix, message ? message : "unknown error");
	pc_one_line(err);
}

static void postgres_close(void *opaque)
{
	postgres_handle *h = opaque;

	if (!h) return;
	PQfinish(h->conn);
	free(h);
}

static void *postgres_open(char const *url, bool writable, char *err, size_t len)
{
	/*
	 * The URL's own settings win over these defaults (expand_dbname: the URL
	 * comes last): a bounded connect time, UTF-8 strings for JSON and HTML,
	 * and a name in pg_stat_activity.
	 */
	char const *const keywords[] = { "connect_timeout", "client_encoding", "fallback_application_name", "dbname", NULL };
	char const *const values[] = { "10", "UTF8", "phonecert report", url, NULL };
	char *parse_error = NULL;
	PQconninfoOption *parsed = PQconninfoParse(url, &parse_error);
	postgres_handle *h;

	if (!parsed) {
		copy_message(err, len, "bad PostgreSQL URL: ", parse_error ? parse_error : "out of memory");
		PQfreemem(parse_error);
		return NULL;
	}
	PQconninfoFree(parsed);
	(void)writable;		/* what the role may do is the database's business */
	h = calloc(1, sizeof(*h));
	if (!h) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	h->conn = PQconnectdbParams(keywords, values, 1);
	if (!h->conn || PQstatus(h->conn) != CONNECTION_OK) {
		copy_message(err, len, "cannot connect to the PostgreSQL inventory: ",
			     h->conn ? PQerrorMessage(h->conn) : "out of memory");
		postgres_close(h);
		return NULL;
	}
	return h;
}

static int postgres_query(void *opaque, char const *sql, db_param const *params, size_t count, db_table *out,
			  char *err, size_t len)
{
	postgres_handle *h = opaque;
	Oid *types = calloc(count + 1, sizeof(*types));
	char const **texts = calloc(count + 1, sizeof(*texts));
	char (*numbers)[24] = calloc(count + 1, sizeof(*numbers));
	char const **row = NULL;
	PGresult *result = NULL;
	int rc = -1;

	if (!types || !texts || !numbers) {
		snprintf(err, len, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < count; i++) {
		if (params[i].is_int) {
			snprintf(numbers[i], sizeof(numbers[i]), "%lld", params[i].i);
			texts[i] = numbers[i];
			types[i] = OID_INT8;
		} else {
			texts[i] = params[i].s;
			types[i] = OID_TEXT;
		}
	}
	result = PQexecParams(h->conn, sql, (int)count, types, texts, NULL, NULL, 0);
	if (!result || PQresultStatus(result) != PGRES_TUPLES_OK) {
		copy_message(err, len, "PostgreSQL: ", result ? PQresultErrorMessage(result) : PQerrorMessage(h->conn));
		goto done;
	}
	out->cols = (size_t)PQnfields(result);
	row = calloc(out->cols + 1, sizeof(*row));
	if (!row) {
		snprintf(err, len, "out of memory");
		goto done;
	}
	for (int r = 0; r < PQntuples(result); r++) {
		for (size_t c = 0; c < out->cols; c++) {
			row[c] = PQgetisnull(result, r, (int)c) ? NULL : PQgetvalue(result, r, (int)c);
		}
		if (db_table_add_row(out, row) < 0) {
			snprintf(err, len, "out of memory");
			goto done;
		}
	}
	rc = 0;
done:
	PQclear(result);
	free(row);
	free(numbers);
	free(texts);
	free(types);
	return rc;
}

static int postgres_exec(void *opaque, char const *script, char *err, size_t len)
{
	postgres_handle *h = opaque;
	PGresult *result = PQexec(h->conn, script);
	ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
	int rc = 0;

	if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
		copy_message(err, len, "PostgreSQL: ", result ? PQresultErrorMessage(result) : PQerrorMessage(h->conn));
		rc = -1;
	}
	PQclear(result);
	return rc;
}

/* postgresql://user@host:port/dbname as connected, without the password. */
static char *postgres_describe(void *opaque)
{
	postgres_handle *h = opaque;
	char const *user = PQuser(h->conn), *host = PQhost(h->conn), *port = PQport(h->conn), *db = PQdb(h->conn);
	char *text;

	user = user ? user : "";
	host = host ? host : "";
	port = port ? port : "";
	db = db ? db : "";
	if (asprintf(&text, "postgresql://%s%s%s%s%s/%s", user, user[0] ? "@" : "", host, port[0] ? ":" : "", port, db) < 0) {
		return NULL;
	}
	return text;
}

db_backend const db_backend_postgres = {
	.scheme = "postgresql",
	DB_BACKEND_FUNCTIONS(postgres),
	/*
	 * Servers keep writing during a migration (each statement takes the locks
	 * it needs); another migration waits for this lock, a number of
	 * phonecert's own for pg_advisory_xact_lock.
	 */
	.begin_exclusive = "BEGIN; SELECT pg_advisory_xact_lock(7079684572826813300)",
	.table_exists = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() "
			"AND table_name = $1",
};
