-- rlm_phonecert inventory, PostgreSQL, schema version 3: one database for
-- several RADIUS servers, and their fleet block list. Load once, into an empty database:
-- psql -d phonecert -f schema.sql. Times are Unix seconds (UTC), days are
-- Unix days (seconds / 86400).
--
-- An inventory made by an older phonecert is brought up to this schema by
-- "phonecert inventory migrate", which applies the numbered files beside this
-- one (0002-retention.sql and later). Retention and migration are described
-- in doc/inventory-retention.md, the fleet (phonecert_phone_switch,
-- phonecert_block, the roles of fleet-roles.sql) in doc/fleet.md.

-- The latest state of each phone, as certificates that an anchor verified
-- (accepted or rejected) say: only they write here.
CREATE TABLE IF NOT EXISTS phonecert_phone (
	mac		TEXT PRIMARY KEY,	-- AA-BB-CC-DD-EE-FF, from the certificate
	device_name	TEXT,			-- SEP2C3124C9F8E1
	model		TEXT,
	pid		TEXT,
	sn		TEXT,
	cert_type	TEXT,			-- LSC, MIC, or empty when no anchor signed it
	anchor		TEXT,			-- capf / lsc_ca section name, or manufacturing
	cert_serial	TEXT,
	not_before	TEXT,			-- RFC 3339
	not_after	TEXT,
	last_result	TEXT NOT NULL,		-- accept or reject
	last_reason	TEXT,
	first_seen	BIGINT NOT NULL,
	last_seen	BIGINT NOT NULL,
	nas_ip		TEXT,
	nas_port_id	TEXT
);

-- Authentications per phone, anchor and day: how many phones use an anchor
-- each day (the report's chart). Kept for phone_day_days, at most
-- phone_day_max_rows rows (mods-available/sql_phonecert).
CREATE TABLE IF NOT EXISTS phonecert_phone_day (
	day		BIGINT NOT NULL,
	mac		TEXT NOT NULL,
	anchor		TEXT NOT NULL,
	result		TEXT NOT NULL,
	authentications	BIGINT NOT NULL,
	PRIMARY KEY (day, mac, anchor, result)
);

-- Rejects of certificates that no anchor verified (forged, another cluster's,
-- unknown issuer), by the MAC their CN claims: counted and shown, but kept
-- apart, so that a stranger's certificate never changes what verified
-- authentications recorded in phonecert_phone. Kept for unverified_days, at
-- most unverified_max_rows rows.
CREATE TABLE IF NOT EXISTS phonecert_unverified (
	mac		TEXT PRIMARY KEY,	-- claimed: from the certificate's CN
	device_name	TEXT,			-- claimed, as everything below from the certificate
	model		TEXT,
	pid		TEXT,
	sn		TEXT,
	cert_serial	TEXT,
	last_reason	TEXT,
	rejects		BIGINT NOT NULL,
	first_seen	BIGINT NOT NULL,
	last_seen	BIGINT NOT NULL,
	nas_ip		TEXT,
	nas_port_id	TEXT
);

-- Pruning finds the least recently seen claims by this.
CREATE INDEX IF NOT EXISTS phonecert_unverified_last_seen ON phonecert_unverified (last_seen, mac);

-- What the report's verdicts need of the days pruned from
-- phonecert_phone_day: per phone, every anchor it was seen with and the last
-- day ("not used since", the MIC-only check). Pruning adds the days it is
-- about to delete here first: the report reads this and the days left.
CREATE TABLE IF NOT EXISTS phonecert_phone_anchor (
	mac		TEXT NOT NULL,
	anchor		TEXT NOT NULL,
	last_day	BIGINT NOT NULL,
	PRIMARY KEY (mac, anchor)
);

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

-- The schema's version, one row: phonecert report refuses an inventory older
-- than it reads, and phonecert inventory migrate applies what is missing.
CREATE TABLE IF NOT EXISTS phonecert_schema (
	version		INTEGER NOT NULL
);
INSERT INTO phonecert_schema (version) SELECT 3 WHERE NOT EXISTS (SELECT 1 FROM phonecert_schema);
