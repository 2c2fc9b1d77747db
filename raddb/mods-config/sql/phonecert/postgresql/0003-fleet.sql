-- rlm_phonecert inventory, PostgreSQL: schema version 2 to 3, several
-- servers as one fleet (doc/fleet.md). Applied by "phonecert inventory
-- migrate" in one transaction, with the check that it set the version.
-- Quick: it only adds two tables and a trigger; servers keep writing. Then
-- run fleet-roles.sql once more, as a role that may grant (a superuser).

-- The switch of each phone's last accepted authentication, whatever came
-- after it (the latest by its time, whichever server wrote it): where
-- "phonecert block --now" sends its CoA. Written by every server
-- (sql_phonecert_switch), for accepts only.
CREATE TABLE IF NOT EXISTS phonecert_phone_switch (
	mac		TEXT PRIMARY KEY,	-- the phone (phonecert_phone)
	accepted_at	BIGINT NOT NULL,	-- Unix seconds
	src_ip		TEXT,			-- where the switch's packets came from: a client of clients.conf
	nas_ip		TEXT,			-- NAS-IP-Address (or NAS-IPv6-Address)
	calling_station_id TEXT			-- as the switch sent it, unsafe characters as \xHH
);

-- The fleet block list: every server with fleet_block_list reads it every
-- few seconds (mods-available/phonecert). Written by "phonecert block
-- --db" and "phonecert unblock --db" as the admin role, read by radiusd's
-- role, which may do nothing else with it (fleet-roles.sql). An entry is
-- never deleted: an unblock is recorded (lifted_by, lifted_at), and a server
-- stops blocking only what it sees lifted.
CREATE TABLE IF NOT EXISTS phonecert_block (
	id		BIGSERIAL PRIMARY KEY,
	kind		TEXT NOT NULL CHECK (kind IN ('mac', 'device', 'serial')),
	value		TEXT NOT NULL,		-- as in block_file: a MAC, SEP<MAC>, or ANCHOR:HEX (the section name)
	ca_fingerprint	TEXT,			-- serial: SHA-256 of the anchor's CA certificate that issued it
	comment		TEXT,			-- the reason the phone gets: "blocked: <comment>"
	made_by		TEXT NOT NULL DEFAULT session_user,
	made_at		TIMESTAMPTZ NOT NULL DEFAULT now(),
	lifted_by	TEXT,
	lifted_at	TIMESTAMPTZ,
	CHECK ((kind = 'serial') = (ca_fingerprint IS NOT NULL))
);

-- Who and when, as the database knows it: whatever a writer sends, an entry
-- is made by its session's role now, lifted once by its session's role
-- then, and never changed otherwise, deleted or truncated.
CREATE OR REPLACE FUNCTION phonecert_block_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		NEW.made_by := session_user;
		NEW.made_at := now();
		NEW.lifted_by := NULL;
		NEW.lifted_at := NULL;
		RETURN NEW;
	END IF;
	IF TG_OP = 'UPDATE' AND OLD.lifted_at IS NULL AND NEW.lifted_at IS NOT NULL
	   AND (NEW.id, NEW.kind, NEW.value, NEW.ca_fingerprint, NEW.comment, NEW.made_by, NEW.made_at)
	       IS NOT DISTINCT FROM (OLD.id, OLD.kind, OLD.value, OLD.ca_fingerprint, OLD.comment, OLD.made_by, OLD.made_at) THEN
		NEW.lifted_by := session_user;
		NEW.lifted_at := now();
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'phonecert_block: an entry is only ever added, or lifted once (phonecert unblock --db); % refused', TG_OP;
END
$$;
CREATE OR REPLACE TRIGGER phonecert_block_record BEFORE INSERT OR UPDATE OR DELETE ON phonecert_block
	FOR EACH ROW EXECUTE FUNCTION phonecert_block_record();
CREATE OR REPLACE TRIGGER phonecert_block_no_truncate BEFORE TRUNCATE ON phonecert_block
	FOR EACH STATEMENT EXECUTE FUNCTION phonecert_block_record();

UPDATE phonecert_schema SET version = 3;
