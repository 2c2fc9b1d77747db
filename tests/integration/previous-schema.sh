#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# previous-schema.sh REPO DIALECT: the newest schema.sql of
# mods-config/sql/phonecert/DIALECT in REPO's git history from before the
# schema had a version (phonecert_schema), on stdout; nothing when there is
# no such history. The migration suites start from it; test-other-release
# saves it for a root that gets the work tree without .git.
set -u
repo=$1 schema=raddb/mods-config/sql/phonecert/$2/schema.sql
for rev in $(git -C "$repo" rev-list HEAD -- "$schema" 2>/dev/null); do
	if ! git -C "$repo" show "$rev:$schema" | grep -q phonecert_schema; then
		git -C "$repo" show "$rev:$schema"
		exit 0
	fi
done
