-- rlm_phonecert inventory, SQLite, schema version 3. Loaded by sql_phonecert
-- when the database file does not exist yet (FreeRADIUS splits it at every
-- semicolon and runs what ends in one followed by a line's end: no semicolon
-- in comments or inside a statement). Times are Unix seconds (UTC), days are
-- Unix days (seconds / 86400).
--
-- An inventory made by an older phonecert is brought up to this schema by
-- "phonecert inventory migrate", which applies the numbered files beside this
-- one (0002-retention.sql and later). Retention and migration are described
-- in doc/inventory-retention.md.

-- Write-ahead logging: an upsert per authentication then costs an append, not
-- a rollback journal created, synced and deleted (the mode stays with the file).
PRAGMA journal_mode = WAL;

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
	first_seen	INTEGER NOT NULL,
	last_seen	INTEGER NOT NULL,
	nas_ip		TEXT,
	nas_port_id	TEXT
);

-- Authentications per phone, anchor and day: how many phones use an anchor
-- each day (the report's chart). Kept for phone_day_days, at most
-- phone_day_max_rows rows (mods-available/sql_phonecert).
CREATE TABLE IF NOT EXISTS phonecert_phone_day (
	day		INTEGER NOT NULL,
	mac		TEXT NOT NULL,
	anchor		TEXT NOT NULL,
	result		TEXT NOT NULL,
	authentications	INTEGER NOT NULL,
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
	rejects		INTEGER NOT NULL,
	first_seen	INTEGER NOT NULL,
	last_seen	INTEGER NOT NULL,
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
	last_day	INTEGER NOT NULL,
	PRIMARY KEY (mac, anchor)
);

-- The switch of each phone's last accepted authentication, whatever came
-- after it (the latest by its time, whichever server wrote it): where
-- "phonecert block --now" sends its CoA. Written by every server
-- (sql_phonecert_switch), for accepts only.
CREATE TABLE IF NOT EXISTS phonecert_phone_switch (
	mac		TEXT PRIMARY KEY,	-- the phone (phonecert_phone)
	accepted_at	INTEGER NOT NULL,	-- Unix seconds
	src_ip		TEXT,			-- where the switch's packets came from: a client of clients.conf
	nas_ip		TEXT,			-- NAS-IP-Address (or NAS-IPv6-Address)
	calling_station_id TEXT			-- as the switch sent it, unsafe characters as \xHH
);

-- The schema's version, one row: phonecert report refuses an inventory older
-- than it reads, and phonecert inventory migrate applies what is missing.
CREATE TABLE IF NOT EXISTS phonecert_schema (
	version		INTEGER NOT NULL
);
INSERT INTO phonecert_schema (version) SELECT 3 WHERE NOT EXISTS (SELECT 1 FROM phonecert_schema);
