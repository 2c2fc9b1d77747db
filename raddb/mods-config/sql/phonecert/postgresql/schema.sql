-- rlm_phonecert inventory, PostgreSQL, schema version 2: one database for
-- several RADIUS servers. Load once, into an empty database:
-- psql -d phonecert -f schema.sql. Times are Unix seconds (UTC), days are
-- Unix days (seconds / 86400).
--
-- An inventory made by an older phonecert is brought up to this schema by
-- "phonecert inventory migrate", which applies the numbered files beside this
-- one (0002-retention.sql and later). Retention and migration are described
-- in doc/inventory-retention.md.

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

-- The schema's version, one row: phonecert report refuses an inventory older
-- than it reads, and phonecert inventory migrate applies what is missing.
CREATE TABLE IF NOT EXISTS phonecert_schema (
	version		INTEGER NOT NULL
);
INSERT INTO phonecert_schema (version) SELECT 2 WHERE NOT EXISTS (SELECT 1 FROM phonecert_schema);
