/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who can change a file the trust rests on (writers.h): the path is resolved
 * here one entry at a time, as the kernel resolves it, so that every entry
 * the kernel would pass through is looked at, symbolic links included.
 */
#include "writers.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#define MAX_LINKS	40		/* the kernel's limit before ELOOP */
#define NSS_BUFFER	16384		/* for one entry of the user or group database */
#define ACL_XATTR	"system.posix_acl_access"	/* present only for an ACL beyond the mode bits */

typedef struct {
	uid_t	user;
	bool	secret;		/* pc_secret_check: the file itself may not be read by others either */
	char	*err;
	size_t	len;
	char	link[PATH_MAX * 2 + 8];		/* the last symbolic link followed, for messages; "" for none */
} walk_t;

static int refuse(walk_t const *w, char const *fmt, ...) __attribute__((format(printf, 2, 3)));
static int refuse(walk_t const *w, char const *fmt, ...)
{
	va_list ap;
	size_t used;

	if (!w->len) return -1;
	va_start(ap, fmt);
	vsnprintf(w->err, w->len, fmt, ap);
	va_end(ap);
	used = strlen(w->err);
	if (w->link[0] && used < w->len) snprintf(w->err + used, w->len - used, " (reached through the symbolic link %s)", w->link);
	return -1;
}

static bool trusted_uid(walk_t const *w, uid_t uid)
{
	return uid == 0 || uid == w->user;
}

static char const *user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd pw, *found = NULL;
	char nss[NSS_BUFFER];

	if (getpwuid_r(uid, &pw, nss, sizeof(nss), &found) == 0 && found) snprintf(buf, len, "%s", found->pw_name);
	else snprintf(buf, len, "uid %u", (unsigned)uid);
	return buf;
}

/*
 * A user whose primary group gid is and who is neither root nor the user,
 * into who; also when the user database cannot be read to the end (fail
 * closed: such a user may be among those not read).
 */
static bool primary_group_of_another(walk_t const *w, gid_t gid, char *who, size_t len)
{
	struct passwd pw, *entry;
	char nss[NSS_BUFFER];
	bool found = false;
	int rc;

	setpwent();
	while (!found && (rc = getpwent_r(&pw, nss, sizeof(nss), &entry)) == 0) {
		if (entry->pw_gid != gid || trusted_uid(w, entry->pw_uid)) continue;
		snprintf(who, len, "%s", entry->pw_name);
		found = true;
	}
	endpwent();
	if (!found && rc != ENOENT) {
		snprintf(who, len, "users the user database cannot list (%s)", strerror(rc));
		found = true;
	}
	return found;
}

/*
 * Whether everyone in group gid is root or the user. If not, why names the
 * group and someone else in it ("group staff, which alice is in").
 */
static bool group_trusted(walk_t const *w, gid_t gid, char *why, size_t len)
{
	struct group gr, *group = NULL;
	char nss[NSS_BUFFER], who[256];
	int rc = getgrgid_r(gid, &gr, nss, sizeof(nss), &group);

	if (rc != 0 || !group) {
		snprintf(why, len, "group %u, %s (its members are unknown)", (unsigned)gid,
			 rc ? "which cannot be read from the group database" : "which is not in the group database");
		return false;
	}
	for (char **member = group->gr_mem; *member; member++) {
		struct passwd pw, *found = NULL;
		char pw_nss[NSS_BUFFER];

		if (getpwnam_r(*member, &pw, pw_nss, sizeof(pw_nss), &found) == 0 && found && trusted_uid(w, found->pw_uid)) continue;
		snprintf(why, len, "group %s, which %s is in", group->gr_name, *member);
		return false;
	}
	if (primary_group_of_another(w, gid, who, sizeof(who))) {
		snprintf(why, len, "group %s, the primary group of %s", group->gr_name, who);
		return false;
	}
	return true;
}

/*
 * Whether someone but root and the user may read (read) or write the entry
 * (not a symbolic link); if so, why says who.
 */
static bool others_may(walk_t const *w, char const *path, struct stat const *st, bool read, char *why, size_t len)
{
	if (st->st_mode & (read ? S_IROTH : S_IWOTH)) {
		snprintf(why, len, "everyone");
		return true;
	}
	if (!(st->st_mode & (read ? S_IRGRP : S_IWGRP))) return false;
	/* With an ACL the group bits are its mask: every named user and group in it has them. */
	if (lgetxattr(path, ACL_XATTR, NULL, 0) > 0) {
		snprintf(why, len, "the users and groups of its ACL (getfacl %s)", path);
		return true;
	}
	return !group_trusted(w, st->st_gid, why, len);
}

/* The file itself of pc_secret_check: who else can read it. */
static int check_readers(walk_t const *w, char const *path, struct stat const *st)
{
	char why[512];

	if (!others_may(w, path, st, true, why, sizeof(why))) return 0;
	if (st->st_mode & S_IROTH) {
		return refuse(w, "%s is readable by everyone (mode %04o): run chmod o-r %s", path,
			      (unsigned)(st->st_mode & 07777), path);
	}
	return refuse(w, "%s is readable by %s (mode %04o): run chmod g-r %s, or give it a group of only root and "
		      "radiusd's user", path, why, (unsigned)(st->st_mode & 07777), path);
}

/*
 * One entry of the path, lstat'd. in_open: the directory it is in lets
 * others add entries (sticky, writable by others). last: the file itself,
 * not a directory on its path. *open: this entry is such a directory.
 */
static int check_entry(walk_t const *w, char const *path, struct stat const *st, bool in_open, bool last, bool *open)
{
	bool link = S_ISLNK(st->st_mode);
	char const *what = link ? "the symbolic link " : last ? "" : "the directory ";
	char owner[256], user[256], why[512];

	*open = false;
	if ((!link || in_open) && !trusted_uid(w, st->st_uid)) {
		return refuse(w, "%s%s is owned by %s, not by root%s%s: its owner can change it; run chown%s root %s",
			      what, path, user_name(st->st_uid, owner, sizeof(owner)), w->user ? " or " : "",
			      w->user ? user_name(w->user, user, sizeof(user)) : "", link ? " -h" : "", path);
	}
	if (link) return 0;
	if (!others_may(w, path, st, false, why, sizeof(why))) return last && w->secret ? check_readers(w, path, st) : 0;
	/* Others may add entries, not rename or remove those of root or the user: each entry's owner is checked. */
	*open = S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX);
	if (*open) return 0;
	return refuse(w, "%s%s is writable by %s (mode %04o): run chmod go-w %s", what, path, why,
		      (unsigned)(st->st_mode & 07777), path);
}

/* The next component of *rest into name ("" at the end); *last: nothing follows it. */
static int next_component(walk_t const *w, char const **rest, char *name, size_t len, bool *last)
{
	char const *p = *rest, *end;

	while (*p == '/') p++;
	end = p + strcspn(p, "/");
	if ((size_t)(end - p) >= len) return refuse(w, "cannot examine %.*s: %s", (int)(end - p), p, strerror(ENAMETOOLONG));
	memcpy(name, p, (size_t)(end - p));
	name[end - p] = '\0';
	*rest = end + strspn(end, "/");
	*last = **rest == '\0';
	return 0;
}

/* done (the entries resolved so far; "" is /) without its last entry: "..". */
static void parent(char *done)
{
	char *slash = strrchr(done, '/');

	if (slash) *slash = '\0';
}

/*
 * A directory already checked on the way down, entered again (/ at the
 * start and after an absolute link, a parent after ".."): only whether it
 * lets others add entries is needed. "" is /.
 */
static int enter(walk_t const *w, char const *dir, bool *open)
{
	char const *path = dir[0] ? dir : "/";
	struct stat st;

	if (lstat(path, &st) < 0) return refuse(w, "cannot examine %s: %s", path, strerror(errno));
	return check_entry(w, path, &st, false, false, open);
}

/* The link's target in place of the link: todo becomes target/rest; an absolute target starts again at /. */
static int follow(walk_t *w, char const *link, char *done, bool *open, char *todo, size_t todo_len, char const *rest,
		  int *links)
{
	char target[PATH_MAX], joined[PATH_MAX * 2];
	ssize_t n = readlink(link, target, sizeof(target) - 1);

	if (n < 0) return refuse(w, "cannot read the symbolic link %s: %s", link, strerror(errno));
	target[n] = '\0';
	if (++*links > MAX_LINKS) return refuse(w, "cannot examine %s: %s", link, strerror(ELOOP));
	if ((size_t)snprintf(joined, sizeof(joined), "%s/%s", target, rest) >= todo_len) {
		return refuse(w, "cannot examine %s: %s", link, strerror(ENAMETOOLONG));
	}
	snprintf(w->link, sizeof(w->link), "%s -> %s", link, target);
	snprintf(todo, todo_len, "%s", joined);
	if (target[0] != '/') return 0;
	done[0] = '\0';
	return enter(w, done, open);
}

static int walk(walk_t *w, char *todo, size_t todo_len)
{
	char done[PATH_MAX] = "", entry[PATH_MAX], name[NAME_MAX + 1];
	struct stat st;
	int links = 0;
	bool open, last = false;

	if (enter(w, done, &open) < 0) return -1;
	for (char const *rest = todo; *rest;) {
		if (next_component(w, &rest, name, sizeof(name), &last) < 0) return -1;
		if (!name[0] || strcmp(name, ".") == 0) continue;
		if (strcmp(name, "..") == 0) {
			parent(done);
			if (enter(w, done, &open) < 0) return -1;
			continue;
		}
		if ((size_t)snprintf(entry, sizeof(entry), "%s/%s", done, name) >= sizeof(entry)) {
			return refuse(w, "cannot examine %s/%s: %s", done, name, strerror(ENAMETOOLONG));
		}
		if (lstat(entry, &st) < 0) return refuse(w, "cannot examine %s: %s", entry, strerror(errno));
		if (check_entry(w, entry, &st, open, last, &open) < 0) return -1;
		if (S_ISLNK(st.st_mode)) {
			char remaining[PATH_MAX * 2];

			snprintf(remaining, sizeof(remaining), "%s", rest);
			if (follow(w, entry, done, &open, todo, todo_len, remaining, &links) < 0) return -1;
			rest = todo;
			continue;
		}
		if (!last && !S_ISDIR(st.st_mode)) return refuse(w, "cannot examine %s/%s: %s", entry, rest, strerror(ENOTDIR));
		snprintf(done, sizeof(done), "%s", entry);
	}
	return 0;
}

static int check_path(char const *path, uid_t user, bool secret, char *err, size_t len)
{
	walk_t w = { .user = user, .secret = secret, .err = err, .len = len };
	char todo[PATH_MAX * 2], cwd[PATH_MAX];

	if (len) err[0] = '\0';
	if (!path || !path[0]) return refuse(&w, "no file named");
	if (path[0] != '/' && !getcwd(cwd, sizeof(cwd))) return refuse(&w, "cannot examine %s: no working directory: %s", path, strerror(errno));
	if ((size_t)snprintf(todo, sizeof(todo), "%s/%s", path[0] == '/' ? "" : cwd, path) >= sizeof(todo)) {
		return refuse(&w, "cannot examine %s: %s", path, strerror(ENAMETOOLONG));
	}
	return walk(&w, todo, sizeof(todo));
}

int pc_writers_check(char const *path, uid_t user, char *err, size_t len)
{
	return check_path(path, user, false, err, len);
}

int pc_secret_check(char const *path, uid_t user, char *err, size_t len)
{
	return check_path(path, user, true, err, len);
}
