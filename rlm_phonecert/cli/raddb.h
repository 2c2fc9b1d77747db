/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the phonecert tool reads from a FreeRADIUS configuration directory.
 *
 * The whole configuration is read by FreeRADIUS' own parser
 * (libfreeradius-server), as radiusd and radmin read it: the dictionaries
 * first, then radiusd.conf with every file it includes, $INCLUDE, $template,
 * ${..} references and $ENV{} alike. The phonecert instances are the
 * phonecert sections of the modules section, whatever file they are in, and
 * each is turned into the core's types by the module's own code
 * (config/phonecert_conf.c). FreeRADIUS prints its own errors on stderr;
 * messages from here carry the file and line as FreeRADIUS prints them:
 * "/etc/freeradius/3.0/mods-enabled/phonecert[12]: ...".
 */
#ifndef PHONECERT_CLI_RADDB_H
#define PHONECERT_CLI_RADDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/phonelist.h"
#include "../core/policy.h"
#include "../core/problem.h"
#include "../core/trust.h"

typedef struct {
	char const *instance;		/* "phonecert", or the name of phonecert NAME { } */
	char const *file;		/* the file the phonecert section is in */
	int line;			/* of the phonecert section */
	char const *eap_name;		/* eap = (default eap) */
	char const *tls_config_name;	/* tls_config = (default tls-common) */
	char const *block_file;		/* block_file =, or NULL */
	char const *fleet_copy;		/* fleet_block_list's copy, or NULL without a fleet_block_list */
	unsigned fleet_refresh;		/* its refresh, seconds */
	pc_policy policy;		/* policy.blocklist: block_file read, or NULL */
	pc_anchor_config const *anchors;	/* the capf / lsc_ca / manufacturing sections, values expanded */
	size_t anchor_count;
	pc_expected_config expected;	/* expected_phones: phonecert report's phone lists (none: all zero) */
} raddb_phonecert;

typedef struct raddb raddb;

/*
 * Read RADDB_DIR/radiusd.conf and everything it includes. NULL with err on
 * failure (FreeRADIUS has printed the details on stderr).
 */
raddb *raddb_open(char const *dir, char *err, size_t len);
void raddb_close(raddb *db);

/* The phonecert instances, in the order of the modules section. */
size_t raddb_instance_count(raddb const *db);
char const *raddb_instance_name(raddb const *db, size_t index);

/*
 * Read the phonecert instance of that name (NULL: the only one) into *out
 * (owned by db). Fails, like the module at start-up, on an unknown section, a
 * capf/lsc_ca without a name, a named manufacturing section, an invalid,
 * unknown or duplicated option, a block_file that does not parse, or an
 * expected_phones section the report would not read. The
 * anchors are not loaded yet: pc_trust_build loads them as the module does.
 */
int raddb_read_phonecert(raddb *db, char const *instance, raddb_phonecert const **out, char *err, size_t len);

/*
 * Only the block_file option of the only phonecert instance (*path NULL when
 * it is not set; owned by db), for editing it: the file need not exist or
 * parse.
 */
int raddb_read_block_file(raddb *db, char const **path, char *err, size_t len);

/*
 * An option (ca_file, check_crl...) of the eap module's tls-config section
 * that phonecert hooks, as eap's own parser reads it (*value NULL when it is
 * not set; owned by db). Fails when the eap module or tls-config section does
 * not exist, as the module would.
 */
int raddb_read_eap_tls_option(raddb *db, raddb_phonecert const *phonecert, char const *option,
			      char const **value, char *err, size_t len);

/*
 * The inventory's spool (mods-available/sql_phonecert): the detail module
 * phonecert_inventory_spool, which the phonecert_inventory policy writes every
 * phone authentication to, and the virtual servers that read it back into
 * the database (sites-available/phonecert-inventory).
 */
typedef struct {
	char const *filename;		/* the spool; NULL: no such module (the inventory is off) or no filename of its own */
	char const *file;		/* where the module is configured */
	int line;
	bool read;			/* a listen { type = detail } reads filename (its pattern matches) */
} raddb_inventory_spool;

void raddb_read_inventory_spool(raddb *db, raddb_inventory_spool *out);

/*
 * The UDP ports the configuration takes RADIUS authentications on (phonecert
 * capture reads RADIUS there): the listen sections of the main section and
 * of every virtual server whose type is auth (auth+acct...) and proto udp,
 * their port read as FreeRADIUS reads it (port = ${auth_port} expanded; 0
 * or none: /etc/services' radius, else 1812). Each port once, in the order
 * of the configuration, into ports[], at most max of them; *count is how
 * many, more than max when there were more than fit. -1 with err when a
 * port cannot be read (FreeRADIUS says why above).
 */
int raddb_auth_ports(raddb *db, uint16_t *ports, size_t max, size_t *count, char *err, size_t len);

/*
 * Where a CoA for a switch goes, FreeRADIUS' way (phonecert block --now):
 * the client (of clients.conf, or of a virtual server) whose ipaddr,
 * ipv4addr or ipv6addr covers address, the longest prefix winning (two of
 * the same length are refused as ambiguous); its coa_server, naming a
 * home_server of type coa (or a home_server_pool: its first such
 * home_server), or a coa_server { } subsection (the client's own address
 * and secret where it sets none); and that server's address, port (3799
 * when it sets none) and secret. address comes from the inventory, a
 * stranger's text: only an IP address literal is looked up. -1 with err
 * when no client covers it, the client has no coa_server, or the home
 * server has no address or secret.
 */
typedef struct {
	char const *client;		/* the client section's name */
	char const *home_server;	/* coa_server's name, or "coa_server { }" */
	char address[64];		/* where the CoA goes: an IP address */
	uint16_t port;
	char const *secret;
} raddb_coa_target;

int raddb_find_coa_target(raddb *db, char const *address, raddb_coa_target *out, char *err, size_t len);

/*
 * Who can change the files the trust rests on, decided by the module's own
 * code (phonecert_conf_file_writers): each problem is told, at the file[line]
 * of its option, to refuse when the module refuses to start for it, else
 * (unsafe_permissions = warn) to warn. -1 when the module would refuse.
 */
int raddb_check_file_writers(raddb *db, raddb_phonecert const *phonecert, pc_problem_fn *refuse, pc_problem_fn *warn,
			     void *ctx);

#endif
