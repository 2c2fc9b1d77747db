-- rlm_phonecert inventory, PostgreSQL: the roles of a fleet (doc/fleet.md).
-- Run as a superuser (or a role that may create roles and owns the tables),
-- once the schema is loaded, and again after each "phonecert inventory
-- migrate" (a new table gets its grants); running it twice changes nothing:
--
--   psql -d phonecert -f fleet-roles.sql
--
-- It makes two group roles without login. Give them to login roles:
--
--   CREATE ROLE radius_db1 LOGIN PASSWORD '...' IN ROLE phonecert_radius;
--   CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE phonecert_admin;
--
-- phonecert_radius, radiusd's (connection.conf's login, and the role of
-- fleet_block_list's db in mods-available/phonecert): writes and prunes the
-- inventory through rlm_sql, and may only read the fleet block list.
-- phonecert_admin, the people who block phones: "phonecert block --db" and
-- "phonecert unblock --db" add an entry and lift one (nothing else: the
-- table's trigger records who and when, refuses every other change, and no
-- one may delete an entry), "--now" and "phonecert report" read the
-- inventory. The tables' owner runs the migrations.
DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'phonecert_radius') THEN
		CREATE ROLE phonecert_radius NOLOGIN;
	END IF;
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'phonecert_admin') THEN
		CREATE ROLE phonecert_admin NOLOGIN;
	END IF;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON phonecert_phone, phonecert_phone_day, phonecert_unverified,
	phonecert_phone_anchor, phonecert_phone_switch TO phonecert_radius;
GRANT SELECT ON phonecert_schema, phonecert_block TO phonecert_radius;

GRANT SELECT ON phonecert_phone, phonecert_phone_day, phonecert_unverified, phonecert_phone_anchor,
	phonecert_phone_switch, phonecert_schema, phonecert_block TO phonecert_admin;
GRANT INSERT (kind, value, ca_fingerprint, comment), UPDATE (lifted_at) ON phonecert_block TO phonecert_admin;
GRANT USAGE ON SEQUENCE phonecert_block_id_seq TO phonecert_admin;
