-- rlm_phonecert inventory, SQLite: schema version 2 to 3. Applied by
-- "phonecert inventory migrate" in one transaction, with the check that it
-- set the version. Quick: it only adds a table. The fleet block list is
-- PostgreSQL's alone: a SQLite inventory is one server's, whose block list
-- is block_file.

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

UPDATE phonecert_schema SET version = 3;
