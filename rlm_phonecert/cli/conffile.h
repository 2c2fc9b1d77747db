/*
 * The part of FreeRADIUS 3's configuration syntax that phonecert's files use,
 * read into a tree:
 *
 *   # comments
 *   name = value                bare, "double-quoted" or 'single-quoted'
 *   name                        a bare word (a module call, an attribute list)
 *   name {  /  name label {     sections, closed by }
 *   $INCLUDE file               relative to the including file's directory,
 *   $-INCLUDE file              else to the raddb directory; "-": optional
 *   ${var}                      a top-level assignment of radiusd.conf (or of a
 *                               file it includes), confdir = the raddb directory
 *
 * Directory includes ($INCLUDE mods-enabled/) are skipped: phonecert reads the
 * module files it needs by name. Values are kept as written; conf_expand()
 * resolves ${var} when a value is used, so a variable the tool never needs
 * cannot make it fail. Every item remembers its file and line for messages.
 */
#ifndef PHONECERT_CLI_CONFFILE_H
#define PHONECERT_CLI_CONFFILE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct conf_item conf_item;
struct conf_item {
	conf_item *next;		/* the next item of the same section */
	conf_item *children;		/* a section's items, in order */
	conf_item *parent;
	bool is_section;
	char *name1;			/* the attribute, or the section's first name ("tls-config") */
	char *name2;			/* the section's second name ("tls-common"), or NULL */
	char *value;			/* a pair's value without quotes; NULL for a bare word */
	bool expands;			/* bare or double-quoted: ${var} is expanded (single quotes are literal) */
	char const *file;		/* where it was written */
	int line;
};

typedef struct conf_tree conf_tree;

/*
 * Read path into a new tree. raddb_dir is FreeRADIUS' -d: the fallback for
 * relative includes and the value of ${confdir}. vars is the tree whose
 * top-level pairs ${var} refers to (radiusd.conf's); NULL makes the new tree
 * its own, with confdir set first as FreeRADIUS does. Returns NULL with a
 * message naming the file and line in err.
 */
conf_tree *conf_read(char const *path, char const *raddb_dir, conf_tree const *vars, char *err, size_t len);
void conf_free(conf_tree *tree);

/* The implicit section holding the file's top-level items. */
conf_item const *conf_root(conf_tree const *tree);

/* The first subsection of section named name1 (and name2, unless NULL), or NULL. */
conf_item const *conf_find_section(conf_item const *section, char const *name1, char const *name2);

/* The first pair of section called name (FreeRADIUS uses the first of duplicates), or NULL. */
conf_item const *conf_find_pair(conf_item const *section, char const *name);

/*
 * The pair's value with ${var} expanded (recursively, to a bounded depth), as
 * a malloc'd string; NULL for a bare word without value. On an unknown
 * variable or a loop, returns NULL and sets *failed and err (file and line).
 */
char *conf_expand(conf_tree const *tree, conf_item const *pair, bool *failed, char *err, size_t len);

#endif
