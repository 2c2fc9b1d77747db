/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who can change a file the trust rests on (an anchor's ca_file or crl_file,
 * the block_file), and who can read a secret (fleet_secret_file). Whoever can write an anchor's ca_file can add a CA that
 * phonecert trusts; whoever can write a directory on its path can put
 * another file in its place. FreeRADIUS refuses only world-writable files;
 * this is stricter: only root and radiusd's user may change them.
 *
 * The rules, for every entry on the path (each directory from / down, and
 * the file), after following symbolic links the way the kernel does (a
 * link's own directory chain, then its target's):
 *   - it is owned by root or radiusd's user (an owner can chmod it);
 *   - no one else can write it: not everyone (o+w), nor a group with a
 *     member other than root and that user (named in the group database, or
 *     a user whose primary group it is), nor anyone through a POSIX ACL
 *     (with an ACL, g+w is the mask of its named entries);
 *   - except a directory with the sticky bit (/tmp): others may add entries
 *     to it, but not rename or remove one they do not own, so it is safe
 *     when the entry below it is owned by root or radiusd's user (as
 *     OpenSSH's safe-path checks treat it). That is the only case where a
 *     symbolic link's owner matters: elsewhere a link cannot be changed,
 *     only replaced through its directory.
 *
 * The group rule asks the user database (getgrgid_r, getpwnam_r and a walk of
 * getpwent_r): call it from one thread at a time (start-up and reload are),
 * and know that a directory service that does not enumerate its users hides
 * the users whose primary group it is.
 */
#ifndef PHONECERT_WRITERS_H
#define PHONECERT_WRITERS_H

#include <stddef.h>
#include <sys/types.h>

/*
 * 0 when only root and user can change path (absolute, or relative to the
 * working directory). -1 when someone else can, or when it cannot be
 * examined: err says which entry, who, and what to run, e.g.
 * "/etc/x/certs (a directory on its path) is writable by everyone (mode
 * 0777): run chmod go-w /etc/x/certs". Callers name the option before it.
 */
int pc_writers_check(char const *path, uid_t user, char *err, size_t len);

/*
 * A secret (fleet_secret_file): as pc_writers_check, and the file itself
 * (where its symbolic links lead) is readable by no one but root and user,
 * by the same rules (o+r; g+r for a group with anyone else in it; an ACL).
 * Directories on its path may be readable: they do not give the file away.
 */
int pc_secret_check(char const *path, uid_t user, char *err, size_t len);

#endif
