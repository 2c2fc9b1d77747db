#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Makes a raddb dictionary file include dictionary.phonecert, once.
set -eu
dict=${1:?usage: $0 RADDB/dictionary}
if [ -f "$dict" ] && grep -q '^\$INCLUDE dictionary.phonecert' "$dict"; then
	exit 0
fi
echo '$INCLUDE dictionary.phonecert' >> "$dict"
echo "added \$INCLUDE dictionary.phonecert to $dict"
