-- rlm_phonecert inventory, SQLite: schema version 1 (phonecert 0.1, without
-- phonecert_schema) to 2, the retention of phonecert_phone_day and
-- phonecert_unverified (doc/inventory-retention.md). Applied by "phonecert
-- inventory migrate" in one transaction, with the check that it set the
-- version. Quick: it only adds tables and an index, servers keep writing.

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

-- The schema's version, one row: phonecert report refuses an inventory older
-- than it reads, and phonecert inventory migrate applies what is missing.
CREATE TABLE IF NOT EXISTS phonecert_schema (
	version		INTEGER NOT NULL
);
INSERT INTO phonecert_schema (version) SELECT 2 WHERE NOT EXISTS (SELECT 1 FROM phonecert_schema);
