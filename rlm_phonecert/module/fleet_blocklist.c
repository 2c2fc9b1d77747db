/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fleet block list's reader (fleet_blocklist.h).
 *
 * FreeRADIUS 3.2 gives a module no timer, so a thread of our own reads the
 * table every refresh seconds. It talks to PostgreSQL with libpq directly,
 * not through rlm_sql: rlm_sql's queries and its connection pool work on a
 * REQUEST (xlat expansion, the pool's accounting), and this thread serves
 * none. Its connection is its own, kept open between reads.
 *
 * Fail static (core/fleetlist.h): a read that fails changes nothing, and
 * the list in force is copied, atomically, to a local file that a start-up
 * reads, so a restart during an outage keeps it too. An outage is logged
 * once, and so is its end.
 */
RCSID("$Id$")

#include <freeradius/radiusd.h>

#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>

#include <libpq-fe.h>

#include "../core/text.h"
#include "../core/timeutil.h"
#include "fleet_blocklist.h"

#define COPY_MODE 0640
#define QUERY_TIMEOUT_MS "5000"

static char const select_rows[] = "SELECT id, kind, value, ca_fingerprint, comment, lifted_at IS NOT NULL "
				  "FROM phonecert_block ORDER BY id";

typedef struct fleet_instance fleet_instance_t;

/* One reader thread and what it remembers between reads. Owned by its thread, which frees it when it stops. */
typedef struct {
	fleet_instance_t	*instance;
	char			*db;
	char			*copy;
	uint32_t		refresh;
	pthread_cond_t		wake;		/* signalled to stop it; waited on under the instance's mutex */
	PGconn			*conn;
	unsigned long long	digest;		/* of the rows last read: unchanged rows are not built again */
	bool			read_once;
	time_t			outage_since;	/* 0: the last read succeeded */
	bool			copy_failing;
} fleet_reader_t;

/* What an instance name holds across HUPs: never freed, as the hooks are not. */
struct fleet_instance {
	char			*name;
	pc_fleet_blocklist	*held;
	pthread_mutex_t		mutex;		/* guards reader, and every reader's wait */
	fleet_reader_t		*reader;	/* the one running now, or NULL */
};

#define MAX_INSTANCES 16
static fleet_instance_t *instances[MAX_INSTANCES];
static size_t instance_count;

/*
 *	The local copy
 */

/* A stranger's text (a database's error, a file's problem) for the log: on one line, escaped. */
static char const *safe(char const *text, char *buf, size_t len)
{
	char line[1024];

	/* Cut to fit: no message here needs more. */
	memcpy(line, text, strnlen(text, sizeof(line) - 1));
	line[strnlen(text, sizeof(line) - 1)] = '\0';
	pc_one_line(line);
	pc_escape(buf, len, line, PC_ESCAPE_TEXT);
	return buf;
}

/*
 * At start-up, before any read: the list the last read left, or nothing.
 * Nothing is fail static, not fail closed: a database that is down must not
 * refuse the phones this server's own configuration accepts, so until it
 * answers only block_file blocks, and the log says so.
 */
static void load_copy(char const *name, pc_fleet_blocklist *held, char const *path)
{
	char err[PATH_MAX + 512], shown[4096], when[PC_TIME_STRLEN];
	time_t read_at;
	bool missing;
	pc_blocklist *list = pc_fleet_copy_load(path, &read_at, &missing, err, sizeof(err));

	if (!list && missing) {
		WARN("rlm_phonecert (%s): fleet block list: no local copy %s yet: until the database is read, only "
		     "block_file blocks", name, path);
		return;
	}
	if (!list) {
		ERROR("rlm_phonecert (%s): fleet block list: the local copy is refused: %s. Until the database is read, "
		      "only block_file blocks; the copy is replaced then", name, safe(err, shown, sizeof(shown)));
		return;
	}
	pc_time_format(read_at, when, sizeof(when));
	INFO("rlm_phonecert (%s): fleet block list: %zu entries in force from the local copy %s, read from the "
	     "database at %s", name, pc_blocklist_count(list), path, when);
	pc_fleet_blocklist_replace(held, list);
}

/* Write text over path at once: a temporary file beside it, flushed, renamed. */
static int write_copy(char const *path, char const *text, size_t len, char *err, size_t err_len)
{
	char temp[PATH_MAX], dir[PATH_MAX];
	int fd, dir_fd, saved;

	snprintf(temp, sizeof(temp), "%s.XXXXXX", path);
	fd = mkstemp(temp);
	if (fd < 0) return pc_fail(err, err_len, "cannot create %s: %s", temp, strerror(errno));
	if (fchmod(fd, COPY_MODE) != 0 || write(fd, text, len) != (ssize_t)len || fsync(fd) != 0) {
		saved = errno;
		close(fd);
		unlink(temp);
		return pc_fail(err, err_len, "cannot write %s: %s", temp, strerror(saved));
	}
	if (close(fd) != 0 || rename(temp, path) != 0) {
		saved = errno;
		unlink(temp);
		return pc_fail(err, err_len, "cannot replace %s: %s", path, strerror(saved));
	}
	/* The rename itself survives a crash once its directory is flushed. */
	snprintf(dir, sizeof(dir), "%s", path);
	dir_fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd >= 0) {
		fsync(dir_fd);
		close(dir_fd);
	}
	return 0;
}

/*
 *	Reading the database
 */

/* "dbname on host:port as role", without a password, for the log. */
static void describe(PGconn *conn, char *buf, size_t len)
{
	snprintf(buf, len, "%s on %s:%s as %s", PQdb(conn), PQhost(conn), PQport(conn), PQuser(conn));
}

/* The reader's connection, opened when it has none that works: bounded in time, and the URL's settings win. */
static int connect_db(fleet_reader_t *r, char *err, size_t len)
{
	char const *const keywords[] = { "connect_timeout", "keepalives_idle", "keepalives_interval", "keepalives_count",
					 "tcp_user_timeout", "fallback_application_name", "dbname", NULL };
	char const *const values[] = { "5", "5", "2", "2", "10000", "phonecert fleet block list", r->db, NULL };
	PGresult *result;

	if (r->conn && PQstatus(r->conn) == CONNECTION_OK) return 0;
	PQfinish(r->conn);
	r->conn = PQconnectdbParams(keywords, values, 1);
	if (!r->conn || PQstatus(r->conn) != CONNECTION_OK) {
		return pc_fail(err, len, "%s", r->conn ? PQerrorMessage(r->conn) : "out of memory");
	}
	result = PQexec(r->conn, "SET statement_timeout = " QUERY_TIMEOUT_MS);
	PQclear(result);
	return 0;
}

/* FNV-1a over every cell: rows that did not change are not built, nor told, again. */
static unsigned long long digest_of(PGresult *result)
{
	unsigned long long hash = 1469598103934665603ULL;

	for (int row = 0; row < PQntuples(result); row++) {
		for (int col = 0; col < PQnfields(result); col++) {
			char const *p = PQgetisnull(result, row, col) ? "\x01" : PQgetvalue(result, row, col);

			do hash = (hash ^ (unsigned char)*p) * 1099511628211ULL; while (*p++);
		}
	}
	return hash;
}

static char const *cell(PGresult *result, int row, int col)
{
	return PQgetisnull(result, row, col) ? NULL : PQgetvalue(result, row, col);
}

/* The rows of result, pointing into it; NULL when out of memory. */
static pc_fleet_row *rows_of(PGresult *result)
{
	int count = PQntuples(result);
	pc_fleet_row *rows = calloc((size_t)count + 1, sizeof(*rows));

	for (int i = 0; rows && i < count; i++) {
		rows[i] = (pc_fleet_row) {
			.id = strtoll(PQgetvalue(result, i, 0), NULL, 10),
			.kind = cell(result, i, 1),
			.value = cell(result, i, 2),
			.ca = cell(result, i, 3),
			.comment = cell(result, i, 4),
			.lifted = strcmp(PQgetvalue(result, i, 5), "t") == 0,
		};
	}
	return rows;
}

/* The rows in force, or NULL with err. */
static PGresult *query_rows(fleet_reader_t *r, char *err, size_t len)
{
	PGresult *result;

	if (connect_db(r, err, len) < 0) return NULL;
	result = PQexec(r->conn, select_rows);
	if (result && PQresultStatus(result) == PGRES_TUPLES_OK && PQnfields(result) == 6) return result;
	pc_fail(err, len, "%s", result ? PQresultErrorMessage(result) : PQerrorMessage(r->conn));
	PQclear(result);
	PQfinish(r->conn);	/* whatever went wrong, the next read starts afresh */
	r->conn = NULL;
	return NULL;
}

/* What a build changed, as the log tells it. */
static void tell(void *ctx, pc_fleet_change change, char const *message)
{
	fleet_reader_t const *r = ctx;

	if (change == PC_FLEET_ADDED || change == PC_FLEET_LIFTED) {
		INFO("rlm_phonecert (%s): fleet block list: %s %s", r->instance->name,
		     change == PC_FLEET_ADDED ? "blocked," : "lifted,", message);
	} else {
		WARN("rlm_phonecert (%s): fleet block list: %s", r->instance->name, message);
	}
}

static void tell_nothing(UNUSED void *ctx, UNUSED pc_fleet_change change, UNUSED char const *message)
{
}

/* The copy of what is in force now, with this read's time (what the metrics' age reads); its failure logged once. */
static void save_copy(fleet_reader_t *r, pc_fleet_list const *made)
{
	char err[PATH_MAX + 256];

	if (write_copy(r->copy, made->copy, made->copy_len, err, sizeof(err)) == 0) {
		if (r->copy_failing) INFO("rlm_phonecert (%s): fleet block list: the local copy is written again", r->instance->name);
		r->copy_failing = false;
		return;
	}
	if (!r->copy_failing) {
		ERROR("rlm_phonecert (%s): fleet block list: %s: a restart while the database is down would not have the "
		      "list in force now", r->instance->name, err);
	}
	r->copy_failing = true;
}

static void log_outage(fleet_reader_t *r, char const *why, pc_blocklist const *held)
{
	char shown[2048];

	if (r->outage_since) return;
	r->outage_since = time(NULL);
	ERROR("rlm_phonecert (%s): fleet block list: cannot read it: %s. The list in force stays until the database "
	      "answers: %s", r->instance->name, safe(why, shown, sizeof(shown)),
	      held ? "its entries still block" : "none is loaded, only block_file blocks");
}

static void log_read(fleet_reader_t *r, pc_blocklist const *list)
{
	char where[512], shown[1024];

	if (r->outage_since) {
		INFO("rlm_phonecert (%s): fleet block list: the database answers again after %ld s: %zu entries",
		     r->instance->name, (long)(time(NULL) - r->outage_since), pc_blocklist_count(list));
	} else if (!r->read_once) {
		describe(r->conn, where, sizeof(where));
		INFO("rlm_phonecert (%s): fleet block list: %zu entries read from %s, every %u s", r->instance->name,
		     pc_blocklist_count(list), safe(where, shown, sizeof(shown)), r->refresh);
	}
	r->outage_since = 0;
	r->read_once = true;
}

/*
 * Build what the rows say and put it in force, under the instance's mutex:
 * a reader stopped meanwhile (a HUP) changes nothing. Rows unchanged since
 * the last read are built silently, for the copy's time.
 */
static void apply(fleet_reader_t *r, PGresult *result, time_t read_at)
{
	pc_fleet_row *rows = rows_of(result);
	unsigned long long digest = digest_of(result);
	bool changed = !r->read_once || digest != r->digest;
	pc_blocklist const *held;
	pc_fleet_list made;
	char err[256];

	pthread_mutex_lock(&r->instance->mutex);
	held = pc_fleet_blocklist_held(r->instance->held);
	if (r->instance->reader != r) goto done;
	if (!rows || pc_fleet_build(held, rows, (size_t)PQntuples(result), read_at, changed ? tell : tell_nothing, r,
				    &made, err, sizeof(err)) < 0) {
		ERROR("rlm_phonecert (%s): fleet block list: %s; the list in force stays", r->instance->name,
		      rows ? err : "out of memory");
		goto done;
	}
	log_read(r, made.list);
	save_copy(r, &made);
	if (changed) {
		pc_fleet_blocklist_replace(r->instance->held, made.list);
		made.list = NULL;
	}
	r->digest = digest;
	pc_fleet_list_free(&made);
done:
	pthread_mutex_unlock(&r->instance->mutex);
	free(rows);
}

static void read_once(fleet_reader_t *r)
{
	char err[1024];
	PGresult *result = query_rows(r, err, sizeof(err));

	if (result) {
		apply(r, result, time(NULL));
		PQclear(result);
		return;
	}
	pthread_mutex_lock(&r->instance->mutex);
	if (r->instance->reader == r) log_outage(r, err, pc_fleet_blocklist_held(r->instance->held));
	pthread_mutex_unlock(&r->instance->mutex);
}

static void reader_free(fleet_reader_t *r)
{
	PQfinish(r->conn);
	pthread_cond_destroy(&r->wake);
	free(r->db);
	free(r->copy);
	free(r);
}

/* Sleep refresh seconds, or until stopped: false when this reader is no longer the instance's. */
static bool wait_next(fleet_reader_t *r)
{
	struct timespec until;
	bool current;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += r->refresh;
	pthread_mutex_lock(&r->instance->mutex);
	while ((current = r->instance->reader == r) &&
	       pthread_cond_timedwait(&r->wake, &r->instance->mutex, &until) != ETIMEDOUT);
	current = r->instance->reader == r;
	pthread_mutex_unlock(&r->instance->mutex);
	return current;
}

static void *reader_main(void *arg)
{
	fleet_reader_t *r = arg;

	do read_once(r); while (wait_next(r));
	reader_free(r);
	return NULL;
}

/*
 *	Instances
 */

static fleet_instance_t *instance_find(char const *name)
{
	for (size_t i = 0; i < instance_count; i++) {
		if (strcmp(instances[i]->name, name) == 0) return instances[i];
	}
	return NULL;
}

/* Made at start-up or HUP, in the main thread: no lock needed for the table. */
static fleet_instance_t *instance_get(char const *name)
{
	fleet_instance_t *in = instance_find(name);

	if (in || instance_count == MAX_INSTANCES) return in;
	in = calloc(1, sizeof(*in));
	if (!in) return NULL;
	in->name = strdup(name);
	in->held = pc_fleet_blocklist_new();
	if (!in->name || !in->held || pthread_mutex_init(&in->mutex, NULL) != 0) {
		free(in->name);
		pc_fleet_blocklist_free(in->held);
		free(in);
		return NULL;
	}
	instances[instance_count++] = in;
	return in;
}

int fleet_blocklist_prepare(char const *instance, phonecert_fleet_options_t const *options,
			    pc_fleet_blocklist **fleet)
{
	fleet_instance_t *in;

	*fleet = NULL;
	if (!options->db) return 0;
	in = instance_get(instance);
	if (!in) {
		ERROR("rlm_phonecert (%s): fleet block list: out of memory (or more than %d phonecert instances)", instance,
		      MAX_INSTANCES);
		return -1;
	}
	if (!pc_fleet_blocklist_held(in->held)) load_copy(instance, in->held, options->copy);
	*fleet = in->held;
	return 0;
}

static fleet_reader_t *reader_new(fleet_instance_t *in, phonecert_fleet_options_t const *options)
{
	fleet_reader_t *r = calloc(1, sizeof(*r));

	if (!r) return NULL;
	r->instance = in;
	r->refresh = options->refresh;
	r->db = strdup(options->db);
	r->copy = strdup(options->copy);
	if (!r->db || !r->copy || pthread_cond_init(&r->wake, NULL) != 0) {
		free(r->db);
		free(r->copy);
		free(r);
		return NULL;
	}
	return r;
}

/* A thread that takes no signal: radiusd's own threads handle them. */
static bool start_thread(fleet_reader_t *r)
{
	sigset_t all, old;
	pthread_attr_t attr;
	pthread_t thread;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&thread, &attr, reader_main, r);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc == 0;
}

void fleet_blocklist_run(char const *instance, phonecert_fleet_options_t const *options)
{
	fleet_instance_t *in = instance_find(instance);
	fleet_reader_t *r = NULL;

	if (!in) return;	/* never had a fleet_block_list */
	if (options->db && !(r = reader_new(in, options))) {
		ERROR("rlm_phonecert (%s): fleet block list: out of memory: the list in force is not read again", instance);
	}
	pthread_mutex_lock(&in->mutex);
	if (in->reader) pthread_cond_signal(&in->reader->wake);	/* it sees it is no longer the reader, and ends */
	in->reader = r;
	if (r && !start_thread(r)) {
		in->reader = NULL;
		ERROR("rlm_phonecert (%s): fleet block list: cannot start its reader thread: the list in force is not "
		      "read again", instance);
		reader_free(r);
	}
	pthread_mutex_unlock(&in->mutex);
}
