/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for core/writers: who can change a file the trust rests on.
 * Real files in a directory made under /tmp (a sticky, world-writable
 * directory, as on every Debian machine: its rule is exercised by every
 * case). Cases that give files to other owners need root and are skipped
 * without it. The group database is the machine's, but for groups of gid
 * FAKE_GID and above, which this file answers (linked with
 * -Wl,--wrap=getgrgid_r): their members are the test's choice.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "core/writers.h"

#define FAKE_GID	4200000		/* far above any real group */
#define STRANGER	4200001		/* a uid no one has */
#define RADIUSD		4200002		/* radiusd's user, for the cases that need one other than root */

/*
 * Fake groups: FAKE_GID has root and daemon, FAKE_GID + 1 only root;
 * FAKE_GID + 2 is in no database; FAKE_GID + 3 cannot be read (ERANGE).
 */
static char *mixed_members[] = { "root", "daemon", NULL };
static char *root_members[] = { "root", NULL };

int __real_getgrgid_r(gid_t gid, struct group *grp, char *buf, size_t buflen, struct group **result);
int __wrap_getgrgid_r(gid_t gid, struct group *grp, char *buf, size_t buflen, struct group **result)
{
	if (gid < FAKE_GID) return __real_getgrgid_r(gid, grp, buf, buflen, result);
	*result = NULL;
	if (gid == FAKE_GID) *grp = (struct group) { .gr_name = "pcmixed", .gr_gid = gid, .gr_mem = mixed_members };
	else if (gid == FAKE_GID + 1) *grp = (struct group) { .gr_name = "pcroot", .gr_gid = gid, .gr_mem = root_members };
	else if (gid == FAKE_GID + 3) return ERANGE;
	else return 0;
	*result = grp;
	return 0;
}

static char base[] = "/tmp/phonecert-writers.XXXXXX";
static char err[2048];

static char const *in_base(char const *name)
{
	static char paths[8][512];
	static int next;
	char *path = paths[next++ % 8];

	snprintf(path, sizeof(paths[0]), "%s/%s", base, name);
	return path;
}

static void make_file(char const *name, mode_t mode)
{
	FILE *f = fopen(in_base(name), "w");

	assert_non_null(f);
	fputs("x\n", f);
	fclose(f);
	assert_int_equal(chmod(in_base(name), mode), 0);
}

static void make_dir(char const *name, mode_t mode)
{
	assert_int_equal(mkdir(in_base(name), 0700), 0);
	assert_int_equal(chmod(in_base(name), mode), 0);	/* beyond the umask */
}

static void need_root(void)
{
	if (geteuid() != 0) skip();
}

/* Only root and the test's own user. */
static void assert_safe(char const *name)
{
	if (pc_writers_check(in_base(name), geteuid(), err, sizeof(err)) != 0) fail_msg("%s refused: %s", name, err);
}

static void assert_refused_as(char const *name, uid_t user, char const *expected)
{
	if (pc_writers_check(in_base(name), user, err, sizeof(err)) == 0) fail_msg("%s accepted", name);
	if (!strstr(err, expected)) fail_msg("%s: expected \"%s\" in \"%s\"", name, expected, err);
}

static void assert_refused(char const *name, char const *expected)
{
	assert_refused_as(name, geteuid(), expected);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(base) ? 0 : -1;
}

static int teardown(void **state)
{
	char command[600];

	(void)state;
	snprintf(command, sizeof(command), "rm -rf '%s'", base);
	return system(command) == 0 ? 0 : -1;
}

static void test_private_file(void **state)
{
	(void)state;
	make_file("private", 0644);
	assert_safe("private");
}

static void test_world_writable_file(void **state)
{
	char expected[600];

	(void)state;
	make_file("open", 0666);
	snprintf(expected, sizeof(expected), "%s is writable by everyone (mode 0666): run chmod go-w %s", in_base("open"),
		 in_base("open"));
	assert_refused("open", expected);
}

static void test_world_writable_directory(void **state)
{
	char expected[600];

	(void)state;
	make_dir("open-dir", 0777);
	make_file("open-dir/anchor.pem", 0644);
	snprintf(expected, sizeof(expected), "the directory %s is writable by everyone (mode 0777): run chmod go-w %s",
		 in_base("open-dir"), in_base("open-dir"));
	assert_refused("open-dir/anchor.pem", expected);
}

/* /tmp's rule: others may add entries, not replace ours. */
static void test_sticky_directory_with_our_file(void **state)
{
	(void)state;
	make_dir("sticky", 01777);
	make_file("sticky/anchor.pem", 0644);
	assert_safe("sticky/anchor.pem");
}

static void test_sticky_directory_with_a_strangers_file(void **state)
{
	(void)state;
	need_root();
	make_dir("sticky-stranger", 01777);
	make_file("sticky-stranger/anchor.pem", 0644);
	assert_int_equal(chown(in_base("sticky-stranger/anchor.pem"), STRANGER, 0), 0);
	assert_refused("sticky-stranger/anchor.pem", "is owned by uid 4200001, not by root: its owner can change it; run chown root ");
}

static void test_strangers_file(void **state)
{
	(void)state;
	need_root();
	make_file("stranger", 0644);
	assert_int_equal(chown(in_base("stranger"), STRANGER, 0), 0);
	assert_refused("stranger", "is owned by uid 4200001, not by root: its owner can change it; run chown root ");
	assert_refused_as("stranger", RADIUSD, "not by root or uid 4200002");
}

static void test_radiusd_users_file(void **state)
{
	(void)state;
	need_root();
	make_dir("radiusd", 0755);
	make_file("radiusd/anchor.pem", 0644);
	assert_int_equal(chown(in_base("radiusd"), RADIUSD, 0), 0);
	assert_int_equal(chown(in_base("radiusd/anchor.pem"), RADIUSD, 0), 0);
	if (pc_writers_check(in_base("radiusd/anchor.pem"), RADIUSD, err, sizeof(err)) != 0) fail_msg("refused: %s", err);
	assert_refused_as("radiusd/anchor.pem", 0, "the directory ");
}

static void test_group_of_root_only(void **state)
{
	(void)state;
	need_root();
	make_file("root-group", 0664);
	assert_int_equal(chown(in_base("root-group"), 0, 0), 0);
	assert_safe("root-group");
	make_file("fake-root-group", 0664);
	assert_int_equal(chown(in_base("fake-root-group"), 0, FAKE_GID + 1), 0);
	assert_safe("fake-root-group");
}

static void test_group_with_another_member(void **state)
{
	(void)state;
	need_root();
	make_file("mixed-group", 0664);
	assert_int_equal(chown(in_base("mixed-group"), 0, FAKE_GID), 0);
	assert_refused("mixed-group", "is writable by group pcmixed, which daemon is in (mode 0664): run chmod go-w ");
}

/* Debian's base-passwd: daemon (uid 1) has group daemon (gid 1) as its primary group, which names no members. */
static void test_primary_group_of_another_user(void **state)
{
	(void)state;
	need_root();
	make_file("daemon-group", 0664);
	assert_int_equal(chown(in_base("daemon-group"), 0, 1), 0);
	assert_refused("daemon-group", "is writable by group daemon, the primary group of daemon (mode 0664)");
	if (pc_writers_check(in_base("daemon-group"), 1, err, sizeof(err)) != 0) fail_msg("radiusd as daemon: refused: %s", err);
}

static void test_group_not_in_the_database(void **state)
{
	(void)state;
	need_root();
	make_file("no-group", 0664);
	assert_int_equal(chown(in_base("no-group"), 0, FAKE_GID + 2), 0);
	assert_refused("no-group", "is writable by group 4200002, which is not in the group database");
	make_file("unreadable-group", 0664);
	assert_int_equal(chown(in_base("unreadable-group"), 0, FAKE_GID + 3), 0);
	assert_refused("unreadable-group", "is writable by group 4200003, which cannot be read from the group database");
	make_file("no-group-readonly", 0644);
	assert_int_equal(chown(in_base("no-group-readonly"), 0, FAKE_GID + 2), 0);
	assert_safe("no-group-readonly");
}

/*
 * An ACL on a root-owned file that gives user STRANGER perm (4 r, 6 rw): the
 * mode shows only its mask, in the group bits. The xattr is the kernel's format.
 */
static void give_stranger_acl(char const *name, uint16_t perm)
{
	struct { uint16_t tag, perm; uint32_t id; } const entries[] = {
		{ 0x01, 6, (uint32_t)-1 },	/* owner rw */
		{ 0x02, perm, STRANGER },	/* user STRANGER */
		{ 0x04, 0, (uint32_t)-1 },	/* owning group nothing */
		{ 0x10, perm, (uint32_t)-1 },	/* mask */
		{ 0x20, 0, (uint32_t)-1 },	/* others nothing */
	};
	unsigned char acl[4 + sizeof(entries)];
	uint32_t version = 2;

	need_root();
	make_file(name, 0600);
	assert_int_equal(chown(in_base(name), 0, 0), 0);
	memcpy(acl, &version, sizeof(version));
	memcpy(acl + 4, entries, sizeof(entries));
	if (setxattr(in_base(name), "system.posix_acl_access", acl, sizeof(acl), 0) != 0) {
		if (errno == ENOTSUP) skip();
		fail_msg("setxattr: %s", strerror(errno));
	}
}

static void test_acl_lets_another_user_write(void **state)
{
	(void)state;
	give_stranger_acl("acl", 6);
	assert_refused("acl", "is writable by the users and groups of its ACL (getfacl ");
}

static void test_link_to_a_writable_file(void **state)
{
	(void)state;
	make_dir("links", 0755);
	make_file("links-target", 0666);
	assert_int_equal(symlink(in_base("links-target"), in_base("links/anchor.pem")), 0);
	assert_refused("links/anchor.pem", "(mode 0666): run chmod go-w ");
	assert_refused("links/anchor.pem", "(reached through the symbolic link ");
}

/* The link's own directory: whoever can write it can point the link elsewhere. */
static void test_link_in_a_writable_directory(void **state)
{
	(void)state;
	make_dir("open-links", 0777);
	make_file("safe-target", 0644);
	assert_int_equal(symlink(in_base("safe-target"), in_base("open-links/anchor.pem")), 0);
	assert_refused("open-links/anchor.pem", "open-links is writable by everyone (mode 0777)");
}

/* A relative link with ..: resolved from the link's directory, as the kernel does. */
static void test_relative_link_up_into_a_writable_directory(void **state)
{
	(void)state;
	make_dir("up", 0755);
	make_dir("up/open", 0777);
	make_file("up/open/anchor.pem", 0644);
	make_dir("up/safe", 0755);
	assert_int_equal(symlink("../open/anchor.pem", in_base("up/safe/anchor.pem")), 0);
	assert_refused("up/safe/anchor.pem", "up/open is writable by everyone");
	assert_int_equal(chmod(in_base("up/open"), 0755), 0);
	assert_safe("up/safe/anchor.pem");
}

static void test_strangers_link_in_a_sticky_directory(void **state)
{
	(void)state;
	need_root();
	make_dir("sticky-link", 01777);
	make_file("sticky-link-target", 0644);
	assert_int_equal(symlink(in_base("sticky-link-target"), in_base("sticky-link/anchor.pem")), 0);
	assert_safe("sticky-link/anchor.pem");
	assert_int_equal(lchown(in_base("sticky-link/anchor.pem"), STRANGER, 0), 0);
	assert_refused("sticky-link/anchor.pem", "the symbolic link ");
	assert_refused("sticky-link/anchor.pem", "run chown -h root ");
}

static void test_link_loop(void **state)
{
	(void)state;
	make_dir("loop", 0755);
	assert_int_equal(symlink("b", in_base("loop/a")), 0);
	assert_int_equal(symlink("a", in_base("loop/b")), 0);
	assert_refused("loop/a", strerror(ELOOP));
}

static void test_missing_file(void **state)
{
	(void)state;
	assert_refused("no-such-file.pem", "cannot examine ");
	assert_refused("no-such-file.pem", strerror(ENOENT));
}

static void test_relative_path(void **state)
{
	char cwd[4096];

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	make_dir("relative", 0755);
	make_dir("relative/open", 0777);
	make_file("relative/open/anchor.pem", 0644);
	make_file("relative/anchor.pem", 0644);
	assert_int_equal(chdir(in_base("relative")), 0);
	if (pc_writers_check("anchor.pem", geteuid(), err, sizeof(err)) != 0) fail_msg("refused: %s", err);
	assert_int_equal(pc_writers_check("./open/../open/anchor.pem", geteuid(), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "relative/open is writable by everyone"));
	assert_int_equal(chdir(cwd), 0);
}

static void assert_secret_safe(char const *name)
{
	if (pc_secret_check(in_base(name), geteuid(), err, sizeof(err)) != 0) fail_msg("%s refused: %s", name, err);
}

static void assert_secret_refused(char const *name, char const *expected)
{
	if (pc_secret_check(in_base(name), geteuid(), err, sizeof(err)) == 0) fail_msg("%s accepted", name);
	if (!strstr(err, expected)) fail_msg("%s: expected \"%s\" in \"%s\"", name, expected, err);
}

/* A secret in a directory everyone may read (/etc/freeradius): only the file's own mode matters. */
static void test_secret_private(void **state)
{
	(void)state;
	make_dir("secret-dir", 0755);
	make_file("secret-dir/secret", 0600);
	assert_secret_safe("secret-dir/secret");
	assert_int_equal(chmod(in_base("secret-dir/secret"), 0400), 0);
	assert_secret_safe("secret-dir/secret");
}

static void test_secret_readable_by_everyone(void **state)
{
	char expected[600];

	(void)state;
	make_file("secret-644", 0644);
	snprintf(expected, sizeof(expected), "%s is readable by everyone (mode 0644): run chmod o-r %s",
		 in_base("secret-644"), in_base("secret-644"));
	assert_secret_refused("secret-644", expected);
	if (pc_writers_check(in_base("secret-644"), geteuid(), err, sizeof(err)) != 0) fail_msg("writers: %s", err);
}

/* What a secret must pass first: no one else may change it either. */
static void test_secret_writable_by_everyone(void **state)
{
	(void)state;
	make_file("secret-622", 0622);
	assert_secret_refused("secret-622", "is writable by everyone (mode 0622): run chmod go-w ");
}

static void test_secret_group(void **state)
{
	(void)state;
	need_root();
	make_file("secret-root-group", 0640);
	assert_int_equal(chown(in_base("secret-root-group"), 0, FAKE_GID + 1), 0);
	assert_secret_safe("secret-root-group");
	make_file("secret-mixed-group", 0640);
	assert_int_equal(chown(in_base("secret-mixed-group"), 0, FAKE_GID), 0);
	assert_secret_refused("secret-mixed-group", "is readable by group pcmixed, which daemon is in (mode 0640): run "
			      "chmod g-r ");
}

static void test_secret_acl(void **state)
{
	(void)state;
	give_stranger_acl("secret-acl", 4);
	assert_secret_refused("secret-acl", "is readable by the users and groups of its ACL (getfacl ");
}

/* Where the link leads is the secret: its mode is what counts. */
static void test_secret_link_to_a_readable_file(void **state)
{
	(void)state;
	make_dir("secret-links", 0755);
	make_file("secret-target", 0644);
	assert_int_equal(symlink(in_base("secret-target"), in_base("secret-links/secret")), 0);
	assert_secret_refused("secret-links/secret", "secret-target is readable by everyone");
	assert_secret_refused("secret-links/secret", "(reached through the symbolic link ");
	assert_int_equal(chmod(in_base("secret-target"), 0600), 0);
	assert_secret_safe("secret-links/secret");
}

static void test_message_fits_the_buffer(void **state)
{
	char small[16];

	(void)state;
	make_file("cut", 0666);
	assert_int_equal(pc_writers_check(in_base("cut"), geteuid(), small, sizeof(small)), -1);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_int_equal(pc_writers_check(in_base("cut"), geteuid(), small, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_private_file),
		cmocka_unit_test(test_world_writable_file),
		cmocka_unit_test(test_world_writable_directory),
		cmocka_unit_test(test_sticky_directory_with_our_file),
		cmocka_unit_test(test_sticky_directory_with_a_strangers_file),
		cmocka_unit_test(test_strangers_file),
		cmocka_unit_test(test_radiusd_users_file),
		cmocka_unit_test(test_group_of_root_only),
		cmocka_unit_test(test_group_with_another_member),
		cmocka_unit_test(test_primary_group_of_another_user),
		cmocka_unit_test(test_group_not_in_the_database),
		cmocka_unit_test(test_acl_lets_another_user_write),
		cmocka_unit_test(test_link_to_a_writable_file),
		cmocka_unit_test(test_link_in_a_writable_directory),
		cmocka_unit_test(test_relative_link_up_into_a_writable_directory),
		cmocka_unit_test(test_strangers_link_in_a_sticky_directory),
		cmocka_unit_test(test_link_loop),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_relative_path),
		cmocka_unit_test(test_secret_private),
		cmocka_unit_test(test_secret_readable_by_everyone),
		cmocka_unit_test(test_secret_writable_by_everyone),
		cmocka_unit_test(test_secret_group),
		cmocka_unit_test(test_secret_acl),
		cmocka_unit_test(test_secret_link_to_a_readable_file),
		cmocka_unit_test(test_message_fits_the_buffer),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
