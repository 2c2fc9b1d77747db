#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# compose.yaml, profile fleet: run by the postgres image on its first start,
# after the schema and fleet-roles.sql. The two login roles of doc/fleet.md:
# radius_fleet (radiusd's: the inventory's writes, the block list read) and
# alice (the admin's: phonecert block and unblock --db), with the passwords
# compose passes in.
set -eu
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" \
	-v radius_password="$PHONECERT_RADIUS_DB_PASSWORD" -v admin_password="$PHONECERT_ADMIN_DB_PASSWORD" <<'SQL'
CREATE ROLE radius_fleet LOGIN PASSWORD :'radius_password' IN ROLE phonecert_radius;
CREATE ROLE alice LOGIN PASSWORD :'admin_password' IN ROLE phonecert_admin;
SQL
