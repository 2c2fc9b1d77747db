-- rlm_phonecert inventory, SQLite. Loaded by sql_phonecert when the database
-- file does not exist yet (FreeRADIUS splits it at every semicolon: none in
-- comments). Times are Unix seconds (UTC), days are Unix days
-- (seconds / 86400).

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

-- Authentications per phone, anchor and day: how many phones still use an anchor, and since when not.
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
-- authentications recorded in phonecert_phone.
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
