/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * phonecert block / unblock: edit the module's block_file, or with --db
 * postgresql://... the fleet block list (fleet.c); --now then removes the
 * phone from its switch with a CoA (coa.c).
 *
 * The file is changed only into one the module accepts (the whole new text
 * is parsed by the core before it is written) and never half-written: the
 * new text goes to a temporary file in the same directory, with the old
 * file's mode and owner, which is then renamed over it. A file that does
 * not parse now is left alone: the admin fixes it first. One edit at a time:
 * the directory is locked from reading the file to renaming the new one.
 */
#include "commands.h"
#include "fleet.h"
#include "output.h"
#include "raddb.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/blocklist.h"
#include "../core/textfile.h"

#define NEW_FILE_MODE 0640	/* like the raddb files: radiusd's group reads it */
#define LOCK_WAIT_TENTHS 100	/* how long another edit may hold the lock: 10 s */

/* The file's text and what it says, and where its new text goes. */
typedef struct {
	char const *path;
	char target[PATH_MAX];		/* the file renamed over: path, its symlink followed */
	char dir[PATH_MAX];		/* target's directory: locked, and where the temporary file is */
	char *text;
	size_t len;
	bool exists;
	struct stat st;
	pc_blocklist *list;
} block_file;

/* --file, or the block_file option of the configuration's phonecert section. */
static int find_path(block_options const *options, raddb **db, char const **path)
{
	char err[1024];

	if (options->file) {
		*path = options->file;
		return EXIT_CLEAN;
	}
	*db = raddb_open(options->common.raddb_dir, err, sizeof(err));
	if (!*db || raddb_read_block_file(*db, path, err, sizeof(err)) < 0) return trouble(NULL, "%s", err);
	if (!*path) {
		return trouble(NULL, "the phonecert section of %s has no block_file: add e.g. 'block_file = "
			       "${confdir}/phonecert-blocked' to it, or give --file", options->common.raddb_dir);
	}
	return EXIT_CLEAN;
}

static int read_file(block_file *file)
{
	char err[1024];

	if (stat(file->path, &file->st) != 0) {
		if (errno != ENOENT) return trouble(NULL, "%s: %s", file->path, strerror(errno));
		file->list = pc_blocklist_parse("", 0, err, sizeof(err));
		return file->list ? EXIT_CLEAN : trouble(NULL, "%s", err);
	}
	file->exists = true;
	if (!S_ISREG(file->st.st_mode)) return trouble(NULL, "%s: not a regular file", file->path);
	if (pc_file_read(file->path, PC_BLOCK_FILE_MAX, &file->text, &file->len, err, sizeof(err)) < 0)
		return trouble(NULL, "%s", err);
	/* As the module reads it: a file it refuses is not edited. */
	file->list = pc_blocklist_parse_named(file->path, file->text, file->len, err, sizeof(err));
	if (!file->list) return trouble(NULL, "%s: fix the block list first", err);
	return EXIT_CLEAN;
}

/* The text without the lines of entries that block what entry blocks; *removed counts them. */
static char *without_entry(block_file const *file, pc_block_entry const *entry, size_t *removed)
{
	char *out = malloc(file->len + 1);
	size_t pos = 0, o = 0;
	int line = 0;
	size_t next = 0;

	*removed = 0;
	if (!out) return NULL;
	while (pos < file->len) {
		char const *nl = memchr(file->text + pos, '\n', file->len - pos);
		size_t end = nl ? (size_t)(nl - file->text) + 1 : file->len;
		bool drop = false;

		line++;
		while (next < pc_blocklist_count(file->list) && pc_blocklist_entry(file->list, next)->line < line) next++;
		if (next < pc_blocklist_count(file->list) && pc_blocklist_entry(file->list, next)->line == line) {
			drop = pc_block_entry_same(pc_blocklist_entry(file->list, next), entry);
		}
		if (drop) (*removed)++;
		else {
			memcpy(out + o, file->text + pos, end - pos);
			o += end - pos;
		}
		pos = end;
	}
	out[o] = '\0';
	return out;
}

/* The text with "ENTRY  # COMMENT" appended. */
static char *with_entry(block_file const *file, char const *line)
{
	size_t len = file->len + strlen(line) + 3;
	char *out = malloc(len);
	bool newline = file->len > 0 && file->text[file->len - 1] != '\n';

	if (out) snprintf(out, len, "%.*s%s%s\n", (int)file->len, file->text ? file->text : "", newline ? "\n" : "", line);
	return out;
}

/*
 * Where the new text is written: beside the file (rename stays on one file
 * system), following a symlink; a file not there yet is created as named.
 */
static int target_path(char const *path, char *target, char *dir)
{
	char copy[PATH_MAX];

	if (!realpath(path, target)) {
		if (errno != ENOENT) return -1;
		if (snprintf(target, PATH_MAX, "%s", path) >= PATH_MAX) {
			errno = ENAMETOOLONG;
			return -1;
		}
	}
	snprintf(copy, sizeof(copy), "%s", target);
	snprintf(dir, PATH_MAX, "%s", dirname(copy));
	return 0;
}

/*
 * Two edits at once would each rename their text over the other's, and one
 * entry would be lost. The lock is on the directory the file is renamed in
 * (file->dir, found here for replace_file too), which every version of the
 * file shares; *fd holds it until closed.
 */
static int lock_directory(block_file *file, int *fd)
{
	int tries = 0;

	if (target_path(file->path, file->target, file->dir) < 0) {
		return trouble(NULL, "%s: %s", file->path, strerror(errno));
	}
	*fd = open(file->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0) return trouble(NULL, "%s: %s", file->dir, strerror(errno));
	while (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EINTR) continue;
		if (errno != EWOULDBLOCK) return trouble(NULL, "cannot lock %s: %s", file->dir, strerror(errno));
		if (++tries > LOCK_WAIT_TENTHS) {
			return trouble(NULL, "%s: another phonecert block or unblock has held the lock on %s for %d s; "
				       "nothing was changed, try again", file->path, file->dir, LOCK_WAIT_TENTHS / 10);
		}
		nanosleep(&(struct timespec) { .tv_nsec = 100 * 1000 * 1000 }, NULL);
	}
	return EXIT_CLEAN;
}

/* Mode and owner of the old file; a new one gets NEW_FILE_MODE and its directory's group. */
static int set_mode_and_owner(int fd, block_file const *file)
{
	struct stat dir_st;

	if (file->exists) {
		if (fchmod(fd, file->st.st_mode & 07777) != 0) return -1;
		if ((getuid() == 0 || file->st.st_uid == geteuid()) && fchown(fd, file->st.st_uid, file->st.st_gid) != 0) return -1;
		return 0;
	}
	if (fchmod(fd, NEW_FILE_MODE) != 0) return -1;
	if (stat(file->dir, &dir_st) == 0 && fchown(fd, (uid_t)-1, dir_st.st_gid) != 0 && errno != EPERM) return -1;
	return 0;
}

static int replace_file(block_file const *file, char const *text)
{
	char temp[PATH_MAX + 16];
	size_t len = strlen(text);
	int fd;

	snprintf(temp, sizeof(temp), "%s.XXXXXX", file->target);
	fd = mkstemp(temp);
	if (fd < 0) return trouble(NULL, "cannot create a temporary file in %s: %s", file->dir, strerror(errno));
	if (set_mode_and_owner(fd, file) < 0 || !fd_write_all(fd, text, len) || fsync(fd) != 0) {
		int saved = errno;

		close(fd);
		unlink(temp);
		return trouble(NULL, "cannot write %s: %s", temp, strerror(saved));
	}
	if (close(fd) != 0 || rename(temp, file->target) != 0) {
		int saved = errno;

		unlink(temp);
		return trouble(NULL, "cannot replace %s: %s", file->target, strerror(saved));
	}
	return EXIT_CLEAN;
}

/* Never write what the module would refuse. */
static int check_new_text(block_file const *file, char const *text)
{
	char err[512];
	pc_blocklist *list = pc_blocklist_parse(text, strlen(text), err, sizeof(err));

	if (!list) return trouble(NULL, "%s: the change would make it invalid: %s", file->path, err);
	pc_blocklist_free(list);
	return EXIT_CLEAN;
}

static void print_reload(void)
{
	printf("Reload the server to apply it: radmin -e \"hup phonecert\" (or systemctl reload freeradius)\n");
}

/* *added: the entry is new in the file. */
static int edit(block_options const *options, block_file *file, pc_block_entry const *entry, bool *added)
{
	char entry_text[PC_BLOCK_LINE_MAX], line[PC_BLOCK_LINE_MAX + PC_BLOCK_COMMENT_BYTES + 8];
	pc_block_entry const *found = NULL;
	size_t removed = 0;
	char *text;
	int rc;

	pc_block_entry_text(entry, entry_text, sizeof(entry_text));
	for (size_t i = 0; i < pc_blocklist_count(file->list) && !found; i++) {
		if (pc_block_entry_same(pc_blocklist_entry(file->list, i), entry)) found = pc_blocklist_entry(file->list, i);
	}
	if (!options->unblock && found) {
		printf("%s is blocked already: %s[%d]\n", entry_text, file->path, found->line);
		return EXIT_CLEAN;
	}
	if (options->unblock && !found) {
		printf("%s is not in %s\n", entry_text, file->path);
		return EXIT_FINDINGS;
	}
	if (options->unblock) {
		text = without_entry(file, entry, &removed);
	} else {
		snprintf(line, sizeof(line), "%s%s%s", entry_text, options->comment ? "  # " : "",
			 options->comment ? options->comment : "");
		text = with_entry(file, line);
	}
	if (!text) return trouble(NULL, "out of memory");
	rc = check_new_text(file, text);
	if (rc == EXIT_CLEAN) rc = replace_file(file, text);
	free(text);
	if (rc != EXIT_CLEAN) return rc;
	if (options->unblock) printf("unblocked %s in %s (%zu line(s) removed)\n", entry_text, file->path, removed);
	else printf("blocked %s in %s\n", entry_text, file->path);
	print_reload();
	*added = !options->unblock;
	return EXIT_CLEAN;
}

static int edit_block_file(block_options const *options, pc_block_entry const *entry, bool *added)
{
	block_file file = { 0 };
	raddb *db = NULL;
	int rc, lock = -1;

	rc = find_path(options, &db, &file.path);
	if (rc == EXIT_CLEAN) rc = lock_directory(&file, &lock);
	if (rc == EXIT_CLEAN) rc = read_file(&file);
	if (rc == EXIT_CLEAN) rc = edit(options, &file, entry, added);
	if (lock >= 0) close(lock);
	pc_blocklist_free(file.list);
	free(file.text);
	raddb_close(db);
	return rc;
}

/* A PostgreSQL inventory holds the fleet's block list; a SQLite one serves --now only. */
static bool fleet_database(char const *url)
{
	return url && strncmp(url, "sqlite:", 7) != 0;
}

/*
 * A CoA makes the switch ask again at once: the servers must refuse the
 * phone by then. Every server reads the fleet's list within its refresh
 * (the configuration's fleet_block_list, if this host has one).
 */
static void wait_for_servers(block_options const *options)
{
	char err[1024];
	raddb *db = raddb_open(options->common.raddb_dir, err, sizeof(err));
	raddb_phonecert const *phonecert;
	unsigned refresh = FLEET_REFRESH_DEFAULT;

	if (db && raddb_read_phonecert(db, options->common.instance, &phonecert, err, sizeof(err)) == 0 &&
	    phonecert->fleet_copy) refresh = phonecert->fleet_refresh;
	raddb_close(db);
	printf("Waiting %u s for every server to read it (fleet_block_list's refresh, and one more)\n", refresh + 1);
	fflush(stdout);
	sleep(refresh + 1);
}

int block_run(block_options const *options)
{
	bool fleet = fleet_database(options->common.db_url), added = false;
	pc_block_entry entry;
	char err[512];
	int rc;

	if (pc_block_entry_parse(options->kind, options->value, &entry, err, sizeof(err)) < 0) {
		return trouble(NULL, "%s", err);
	}
	/* The rule the file's reader applies: a newline, say, would otherwise start an entry of its own. */
	if (options->comment && pc_block_comment_check(options->comment, strlen(options->comment), err, sizeof(err)) < 0) {
		return trouble(NULL, "--comment: %s; nothing was changed", err);
	}
	rc = fleet ? fleet_block_run(options, &entry, &added) : edit_block_file(options, &entry, &added);
	if (rc != EXIT_CLEAN || !options->now) return rc;
	if (added && !fleet) {
		/* The switch would ask a server that does not refuse the phone yet. */
		printf("No CoA yet: the server refuses the phone once it is reloaded. Reload it, then run this again with "
		       "--now\n");
		return EXIT_FINDINGS;
	}
	if (added) wait_for_servers(options);
	return coa_remove_now(options, &entry);
}
