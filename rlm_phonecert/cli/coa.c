/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phonecert block ... --now: remove a blocked phone from the network now,
 * with a RADIUS CoA (RFC 5176) to the switch where it was last accepted,
 * as the inventory recorded it (phonecert_phone_switch).
 *
 * That record is a stranger's text, written by whoever the servers
 * accepted: it only ever selects a client that clients.conf already has
 * (raddb_find_coa_target, read by FreeRADIUS' own parser), and the CoA goes
 * to that client's coa_server, with its secret, as FreeRADIUS' own
 * originate-coa does. Nothing read from SQL becomes an address, a port or a
 * secret, and the Calling-Station-Id is sent only when it is what switches
 * send: letters, digits and . : -.
 *
 * The packet is FreeRADIUS' radclient's (freeradius-utils): RADIUS is not
 * written by hand here. Its secret goes through a pipe (-S /dev/fd/3),
 * never on its command line, which every local user can read. Each CoA is
 * bounded: COA_TRIES tries of COA_TIMEOUT seconds, and radclient is killed
 * if it outlives them.
 */
#include "commands.h"
#include "fleet.h"
#include "inventory/db.h"
#include "output.h"
#include "raddb.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../core/text.h"
#include "../core/timeutil.h"

#define COA_TIMEOUT 3		/* seconds radclient waits for an answer... */
#define COA_TRIES 2		/* ...this many times */
#define COA_SLACK 3		/* seconds after which radclient itself is ended */
#define STRING(x) #x
#define TEXT_OF(x) STRING(x)

static char const sql_switch[] = "SELECT accepted_at, src_ip, nas_ip, calling_station_id FROM phonecert_phone_switch "
				 "WHERE mac = $1";
static char const sql_serial[] = "SELECT mac, cert_serial FROM phonecert_phone WHERE anchor = $1";

typedef enum { COA_ACK, COA_NAK, COA_NO_ANSWER, COA_FAILED } coa_outcome;

/* What the switch is asked, by --coa. */
typedef struct {
	char const *name;	/* --coa's word */
	char const *packet;	/* radclient's command */
	char const *avpair;	/* Cisco-AVPair of a CoA-Request, or NULL */
} coa_kind;

static coa_kind const coa_kinds[] = {
	{ "disconnect", "disconnect", NULL },
	{ "reauthenticate", "coa", "subscriber:command=reauthenticate" },
	{ "bounce-host-port", "coa", "subscriber:command=bounce-host-port" },
};

bool coa_kind_known(char const *name)
{
	for (size_t i = 0; i < sizeof(coa_kinds) / sizeof(coa_kinds[0]); i++) {
		if (strcmp(coa_kinds[i].name, name) == 0) return true;
	}
	return false;
}

static coa_kind const *coa_kind_of(char const *name)
{
	for (size_t i = 0; i < sizeof(coa_kinds) / sizeof(coa_kinds[0]); i++) {
		if (strcmp(coa_kinds[i].name, name) == 0) return &coa_kinds[i];
	}
	return &coa_kinds[0];
}

/* A Calling-Station-Id as switches send one (a MAC in some form): nothing else goes into radclient's input. */
static bool plain_station_id(char const *id)
{
	size_t len = id ? strlen(id) : 0;

	return len > 0 && len <= 64 && strspn(id, "0123456789abcdefABCDEFghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ.:-") == len;
}

/* The attributes radclient sends, one a line: the session (Calling-Station-Id, NAS address) and what to do. */
static int coa_attributes(coa_kind const *kind, char const *station_id, char const *nas_ip, char *out, size_t len)
{
	unsigned char address[16];
	size_t used = (size_t)snprintf(out, len, "Calling-Station-Id = \"%s\"\n", station_id);

	if (nas_ip && inet_pton(AF_INET, nas_ip, address) == 1) {
		used += (size_t)snprintf(out + used, len - used, "NAS-IP-Address = %s\n", nas_ip);
	} else if (nas_ip && inet_pton(AF_INET6, nas_ip, address) == 1) {
		used += (size_t)snprintf(out + used, len - used, "NAS-IPv6-Address = %s\n", nas_ip);
	}
	if (kind->avpair) used += (size_t)snprintf(out + used, len - used, "Cisco-AVPair = \"%s\"\n", kind->avpair);
	return used < len ? 0 : -1;
}

/* In the child: stdin the attributes, fd 3 the secret, stdout and stderr the pipe read back. */
static void exec_radclient(int input, int secret, int output, char *const argv[])
{
	if (dup2(input, STDIN_FILENO) < 0 || dup2(output, STDOUT_FILENO) < 0 || dup2(output, STDERR_FILENO) < 0 ||
	    dup2(secret, 3) < 0) _exit(127);
	for (int fd = 4; fd < 64; fd++) close(fd);
	execvp(argv[0], argv);
	fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Read what radclient says until it closes its output, or until the deadline, when it is killed. */
static void read_output(int fd, pid_t child, time_t deadline, char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int left = (int)(deadline - time(NULL));
		ssize_t n;

		if (left <= 0 || poll(&p, 1, left * 1000) == 0) {
			kill(child, SIGKILL);
			return;
		}
		n = read(fd, out + used, len - used - 1);
		if (n < 0 && errno == EINTR) continue;
		if (n <= 0) return;
		used += (size_t)n;
		out[used] = '\0';
		if (used + 1 == len) return;
	}
}

/* radclient's run: 0 with its output (and exit status), or -1 with err when it cannot be started. */
static int run_radclient(char *const argv[], char const *attributes, char const *secret, char *out, size_t len,
			 int *status, char *err, size_t err_len)
{
	int input[2] = { -1, -1 }, key[2] = { -1, -1 }, output[2] = { -1, -1 };
	pid_t child = -1;

	if (pipe(input) < 0 || pipe(key) < 0 || pipe(output) < 0 || (child = fork()) < 0) {
		int saved = errno, *const ends[] = { input, key, output };

		for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
			if (ends[i][0] >= 0) close(ends[i][0]);
			if (ends[i][1] >= 0) close(ends[i][1]);
		}
		return pc_fail(err, err_len, "cannot start radclient: %s", strerror(saved));
	}
	if (child == 0) exec_radclient(input[0], key[0], output[1], argv);
	close(input[0]);
	close(key[0]);
	close(output[1]);
	/* Both are a few dozen bytes: a pipe holds them whole, radclient reads them when it is ready. */
	fd_write_all(key[1], secret, strlen(secret));
	fd_write_all(key[1], "\n", 1);
	close(key[1]);
	fd_write_all(input[1], attributes, strlen(attributes));
	close(input[1]);
	read_output(output[0], child, time(NULL) + COA_TIMEOUT * COA_TRIES + COA_SLACK, out, len);
	close(output[0]);
	waitpid(child, status, 0);
	return 0;
}

/* What radclient's output says: the answer's code and its Error-Cause, if any. */
static coa_outcome outcome_of(char const *output, int status, char *cause, size_t len)
{
	char const *received = strstr(output, "Received ");
	char const *error_cause;

	cause[0] = '\0';
	if (!received) {
		if (strstr(output, "No reply from server")) return COA_NO_ANSWER;
		return WIFSIGNALED(status) ? COA_NO_ANSWER : COA_FAILED;
	}
	error_cause = strstr(received, "\tError-Cause = ");
	if (error_cause) {
		error_cause += strlen("\tError-Cause = ");
		snprintf(cause, len, "%.*s", (int)strcspn(error_cause, "\n"), error_cause);
	}
	if (strncmp(received, "Received Disconnect-ACK ", 24) == 0 || strncmp(received, "Received CoA-ACK ", 17) == 0) {
		return COA_ACK;
	}
	return COA_NAK;
}

/* The CoA to one switch, said on stdout: EXIT_CLEAN for an ACK, EXIT_FINDINGS otherwise. */
static int send_coa(block_options const *o, raddb_coa_target const *target, char const *attributes, char const *mac)
{
	coa_kind const *kind = coa_kind_of(o->coa);
	char server[96], output[8192], cause[256], shown[1024], err[512];
	char *argv[] = { "radclient", "-x", "-r", TEXT_OF(COA_TRIES), "-t", TEXT_OF(COA_TIMEOUT), "-S", "/dev/fd/3",
			 "-d", (char *)o->common.raddb_dir, server, (char *)kind->packet, NULL };
	int status = 0;

	snprintf(server, sizeof(server), strchr(target->address, ':') ? "[%s]:%u" : "%s:%u", target->address, target->port);
	printf("%s: %s to %s (client %s, coa_server %s): ", mac, kind->avpair ? "CoA-Request" : "Disconnect-Request",
	       server, target->client, target->home_server);
	fflush(stdout);
	if (run_radclient(argv, attributes, target->secret, output, sizeof(output), &status, err, sizeof(err)) < 0) {
		printf("not sent: %s\n", err);
		return EXIT_FINDINGS;
	}
	switch (outcome_of(output, status, cause, sizeof(cause))) {
	case COA_ACK:
		printf("ACK: the switch ends the phone's session\n");
		return EXIT_CLEAN;
	case COA_NAK:
		printf("NAK, Error-Cause %s\n", text_escape(cause[0] ? cause : "none given", shown, sizeof(shown)));
		return EXIT_FINDINGS;
	case COA_NO_ANSWER:
		printf("no answer after %d tries of %d s\n", COA_TRIES, COA_TIMEOUT);
		return EXIT_FINDINGS;
	case COA_FAILED:
		break;
	}
	pc_one_line(output);
	printf("radclient failed: %s\n", text_escape(output, shown, sizeof(shown)));
	return EXIT_FINDINGS;
}

/* The switch the inventory recorded for mac, checked against clients.conf, then the CoA. */
static int remove_phone(block_options const *o, inventory_db *db, raddb *rdb, char const *mac)
{
	db_param param = DB_TEXT(mac);
	raddb_coa_target target;
	char err[1024], attributes[512], address[256], when[PC_TIME_STRLEN] = "?";
	long long accepted_at;
	db_table t;
	int rc = EXIT_FINDINGS;

	if (db_query(db, sql_switch, &param, 1, &t, err, sizeof(err)) < 0) return trouble("block", "%s", err);
	if (t.rows == 0 || !db_cell(&t, 0, 1)) {
		printf("%s: no switch known: the inventory records no accepted authentication of it\n", mac);
		goto done;
	}
	if (db_cell_int(&t, 0, 0, &accepted_at)) pc_time_format((time_t)accepted_at, when, sizeof(when));
	text_escape(db_cell(&t, 0, 1), address, sizeof(address));
	if (raddb_find_coa_target(rdb, db_cell(&t, 0, 1), &target, err, sizeof(err)) < 0) {
		printf("%s: last accepted at %s through %s: not sending a CoA there: %s\n", mac, when, address, err);
		goto done;
	}
	if (!plain_station_id(db_cell(&t, 0, 3))) {
		printf("%s: last accepted at %s through %s: its Calling-Station-Id is not recorded, or is not one a switch "
		       "sends: no CoA can name the session\n", mac, when, address);
		goto done;
	}
	printf("%s: last accepted at %s through %s\n", mac, when, address);
	if (coa_attributes(coa_kind_of(o->coa), db_cell(&t, 0, 3), db_cell(&t, 0, 2), attributes, sizeof(attributes)) < 0) {
		rc = trouble("block", "the CoA's attributes do not fit");
		goto done;
	}
	rc = send_coa(o, &target, attributes, mac);
done:
	db_table_free(&t);
	return rc;
}

/* The phones a serial entry names: those whose recorded certificate it is. */
static int phones_of_serial(inventory_db *db, pc_block_entry const *entry, db_table *macs)
{
	db_param param = DB_TEXT(entry->anchor);
	char err[1024];
	db_table t;

	*macs = (db_table) { .cols = 1 };
	if (db_query(db, sql_serial, &param, 1, &t, err, sizeof(err)) < 0) return trouble("block", "%s", err);
	for (size_t i = 0; i < t.rows; i++) {
		char text[PC_BLOCK_LINE_MAX];
		pc_block_entry row;
		char const *mac = db_cell(&t, i, 0);

		snprintf(text, sizeof(text), "%s:%s", entry->anchor, db_cell(&t, i, 1) ? db_cell(&t, i, 1) : "");
		if (pc_block_entry_parse("serial", text, &row, err, sizeof(err)) == 0 && strcmp(row.serial, entry->serial) == 0 &&
		    db_table_add_row(macs, &mac) < 0) {
			db_table_free(&t);
			return trouble("block", "out of memory");
		}
	}
	db_table_free(&t);
	return EXIT_CLEAN;
}

int coa_remove_now(block_options const *options, pc_block_entry const *entry)
{
	char err[1024];
	raddb *rdb = raddb_open(options->common.raddb_dir, err, sizeof(err));
	inventory_db *db = rdb ? db_open(options->common.db_url, false, err, sizeof(err)) : NULL;
	char const *mac = entry->mac;
	db_table macs = { .rows = 1, .cols = 1, .cells = (char **)&mac };
	bool by_serial = entry->kind == PC_BLOCK_SERIAL;
	int rc = EXIT_CLEAN, one;

	if (!db) {
		raddb_close(rdb);
		return trouble("block", "--now: %s", err);
	}
	if (by_serial && (rc = phones_of_serial(db, entry, &macs)) == EXIT_CLEAN && macs.rows == 0) {
		printf("serial %s:%s: no switch known: no phone of the inventory has that certificate\n", entry->anchor,
		       entry->serial);
		rc = EXIT_FINDINGS;
	}
	for (size_t i = 0; rc != EXIT_TROUBLE && i < macs.rows; i++) {
		one = remove_phone(options, db, rdb, db_cell(&macs, i, 0));
		if (one > rc) rc = one;
	}
	if (by_serial) db_table_free(&macs);
	db_close(db);
	raddb_close(rdb);
	return rc;
}
