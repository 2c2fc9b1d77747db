#include "conffile.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Bounds that turn an include loop or a self-referencing variable into an error, not a hang. */
#define MAX_INCLUDE_DEPTH 32
#define MAX_EXPAND_DEPTH 16

struct conf_tree {
	conf_item root;
	char *raddb_dir;
	conf_tree const *vars;		/* where ${var} is looked up; NULL: this tree */
	char **files;			/* the names items point to */
	size_t file_count;
};

/* Where the reader is: the file and line, and the section new items go into. */
typedef struct {
	conf_tree *tree;
	char const *file;
	int line;
	conf_item *section;
	int depth;
	char *err;
	size_t len;
} parser;

/* A growing string for expansions and joined lines. */
typedef struct {
	char *data;
	size_t length, capacity;
} strbuf;

static bool sb_add(strbuf *sb, char const *text, size_t n)
{
	if (sb->length + n + 1 > sb->capacity) {
		size_t capacity = (sb->length + n + 1) * 2;
		char *grown = realloc(sb->data, capacity);

		if (!grown) return false;
		sb->data = grown;
		sb->capacity = capacity;
	}
	memcpy(sb->data + sb->length, text, n);
	sb->length += n;
	sb->data[sb->length] = '\0';
	return true;
}

static int fail_at(char *err, size_t len, char const *file, int line, char const *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int fail_at(char *err, size_t len, char const *file, int line, char const *fmt, ...)
{
	va_list ap;
	int used = snprintf(err, len, "%s[%d]: ", file, line);

	va_start(ap, fmt);
	if (used >= 0 && (size_t)used < len) vsnprintf(err + used, len - (size_t)used, fmt, ap);
	va_end(ap);
	return -1;
}

#define parse_error(ps, ...) fail_at((ps)->err, (ps)->len, (ps)->file, (ps)->line, __VA_ARGS__)

/*
 *	Items
 */
static void free_items(conf_item *item)
{
	while (item) {
		conf_item *next = item->next;

		free_items(item->children);
		free(item->name1);
		free(item->name2);
		free(item->value);
		free(item);
		item = next;
	}
}

void conf_free(conf_tree *tree)
{
	if (!tree) return;
	free_items(tree->root.children);
	for (size_t i = 0; i < tree->file_count; i++) free(tree->files[i]);
	free(tree->files);
	free(tree->raddb_dir);
	free(tree);
}

/* Takes ownership of the strings, freeing them when it cannot add the item. */
static conf_item *add_item(parser *ps, char *name1, char *name2, char *value)
{
	conf_item *item = calloc(1, sizeof(*item));
	conf_item **tail = &ps->section->children;

	if (!item) {
		free(name1);
		free(name2);
		free(value);
		parse_error(ps, "out of memory");
		return NULL;
	}
	*item = (conf_item) { .parent = ps->section, .name1 = name1, .name2 = name2, .value = value,
			      .file = ps->file, .line = ps->line };
	while (*tail) tail = &(*tail)->next;
	*tail = item;
	return item;
}

static char const *keep_file_name(conf_tree *tree, char const *path)
{
	char **grown = realloc(tree->files, (tree->file_count + 1) * sizeof(*grown));

	if (!grown) return NULL;
	tree->files = grown;
	tree->files[tree->file_count] = strdup(path);
	return tree->files[tree->file_count] ? tree->files[tree->file_count++] : NULL;
}

/*
 *	Variables
 */
static conf_item const *find_variable(conf_tree const *tree, char const *name, size_t name_len)
{
	conf_tree const *vars = tree->vars ? tree->vars : tree;

	for (conf_item const *item = vars->root.children; item; item = item->next) {
		if (!item->is_section && item->value && strlen(item->name1) == name_len &&
		    strncmp(item->name1, name, name_len) == 0) return item;
	}
	return NULL;
}

static int expand_into(conf_tree const *tree, char const *text, char const *file, int line, int depth,
		       strbuf *out, char *err, size_t len)
{
	char const *p = text;

	for (char const *start; (start = strstr(p, "${")) != NULL; ) {
		char const *name = start + 2, *end = strchr(name, '}');
		conf_item const *var;

		if (!sb_add(out, p, (size_t)(start - p))) return fail_at(err, len, file, line, "out of memory");
		if (!end) return fail_at(err, len, file, line, "'${' without a closing '}' in \"%s\"", text);
		var = find_variable(tree, name, (size_t)(end - name));
		if (!var) {
			return fail_at(err, len, file, line, "unknown variable ${%.*s} (variables are the top-level "
				       "settings of radiusd.conf and the files it includes)", (int)(end - name), name);
		}
		if (depth >= MAX_EXPAND_DEPTH) {
			return fail_at(err, len, file, line, "${%.*s}: variables nest too deeply (does one refer to itself?)",
				       (int)(end - name), name);
		}
		if (var->expands) {
			if (expand_into(tree, var->value, var->file, var->line, depth + 1, out, err, len) < 0) return -1;
		} else if (!sb_add(out, var->value, strlen(var->value))) {
			return fail_at(err, len, file, line, "out of memory");
		}
		p = end + 1;
	}
	if (!sb_add(out, p, strlen(p))) return fail_at(err, len, file, line, "out of memory");
	return 0;
}

static char *expand_text(conf_tree const *tree, char const *text, char const *file, int line, char *err, size_t len)
{
	strbuf out = { 0 };

	if (expand_into(tree, text, file, line, 0, &out, err, len) < 0) {
		free(out.data);
		return NULL;
	}
	return out.data ? out.data : strdup("");
}

char *conf_expand(conf_tree const *tree, conf_item const *pair, bool *failed, char *err, size_t len)
{
	char *value;

	*failed = false;
	if (!pair->value) return NULL;
	value = pair->expands ? expand_text(tree, pair->value, pair->file, pair->line, err, len) : strdup(pair->value);
	if (!value) {
		if (!pair->expands) fail_at(err, len, pair->file, pair->line, "out of memory");
		*failed = true;
	}
	return value;
}

/*
 *	Tokens
 */
static char *skip_space(char *p)
{
	while (isspace((unsigned char)*p)) p++;
	return p;
}

/*
 * A quoted string starting at *p. Double quotes know \n, \r, \t and \<any>
 * (FreeRADIUS' getstring); single and back quotes only escape themselves and
 * backslash.
 */
static int read_quoted(parser *ps, char **p, char **out)
{
	char quote = **p;
	char *s = *p + 1;
	char *value = malloc(strlen(s) + 1), *d = value;

	if (!value) return parse_error(ps, "out of memory");
	for (; *s && *s != quote; s++) {
		if (*s != '\\' || !s[1]) {
			*d++ = *s;
			continue;
		}
		s++;
		if (quote == '"') *d++ = *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s == 't' ? '\t' : *s;
		else if (*s == quote || *s == '\\') *d++ = *s;
		else {
			*d++ = '\\';
			*d++ = *s;
		}
	}
	if (*s != quote) {
		free(value);
		return parse_error(ps, "unterminated %c-quoted string", quote);
	}
	*d = '\0';
	*p = s + 1;
	*out = value;
	return 0;
}

static bool is_quote(char c) { return c == '"' || c == '\'' || c == '`'; }

/* An operator begins here: =, ==, :=, +=, -=, !=, <, <=, >, >=, =~, !~, =*, !* */
static bool at_operator(char const *p)
{
	if (*p == '=' || *p == '<' || *p == '>') return true;
	return (*p == ':' || *p == '+' || *p == '-' || *p == '!') && (p[1] == '=' || p[1] == '~' || p[1] == '*');
}

static bool ends_name(char const *p)
{
	return !*p || isspace((unsigned char)*p) || *p == '{' || *p == '}' || *p == '#' || at_operator(p);
}

/* A name (attribute or section), quoted or bare. */
static int read_name(parser *ps, char **p, char **out)
{
	char *start = *p;

	if (is_quote(**p)) return read_quoted(ps, p, out);
	while (!ends_name(*p)) (*p)++;
	*out = strndup(start, (size_t)(*p - start));
	return *out ? 0 : parse_error(ps, "out of memory");
}

/* A value, quoted or bare (up to white space or a comma: bare values such as ${certdir}/x.pem hold braces). */
static int read_value(parser *ps, char **p, char **out, bool *expands)
{
	char *start = *p;

	*expands = **p != '\'';
	if (is_quote(**p)) return read_quoted(ps, p, out);
	while (**p && !isspace((unsigned char)**p) && **p != ',') (*p)++;
	*out = strndup(start, (size_t)(*p - start));
	return *out ? 0 : parse_error(ps, "out of memory");
}

/* Where the statement's text ends: at a # outside quotes, or at the end of the line. */
static char *statement_end(char *p)
{
	char quote = 0;

	for (; *p; p++) {
		if (quote) {
			if (*p == '\\' && p[1]) p++;
			else if (*p == quote) quote = 0;
		} else if (is_quote(*p)) {
			quote = *p;
		} else if (*p == '#') {
			break;
		}
	}
	return p;
}

/*
 *	Statements
 */
static int open_section(parser *ps, char *name1, char *name2)
{
	conf_item *section = add_item(ps, name1, name2, NULL);

	if (!section) return -1;
	section->is_section = true;
	ps->section = section;
	return 0;
}

static int close_section(parser *ps, conf_item const *file_start)
{
	if (ps->section == file_start) return parse_error(ps, "'}' without an open section");
	ps->section = ps->section->parent;
	return 0;
}

/* name = value, then a comment, a closing brace, or a comma and another statement. */
static int parse_pair(parser *ps, char *name, char **cursor)
{
	char *p = *cursor, *value;
	conf_item *item;
	bool expands;

	while (*p && strchr("=:+-!<>~*", *p)) p++;
	p = skip_space(p);
	if (!*p || *p == '#') {
		parse_error(ps, "%s has an operator but no value", name);
		free(name);
		return -1;
	}
	if (read_value(ps, &p, &value, &expands) < 0) {
		free(name);
		return -1;
	}
	item = add_item(ps, name, NULL, value);
	if (!item) return -1;
	item->expands = expands;
	p = skip_space(p);
	if (*p == ',') p++;
	else if (*p && *p != '#' && *p != '}') return parse_error(ps, "unexpected text after the value of %s: %s", item->name1, p);
	*cursor = p;
	return 0;
}

/* "name label {" (a labelled section, also unlang such as "if (...) {"), or a bare word. */
static int parse_labelled_or_word(parser *ps, char *name, char **cursor)
{
	char *p = skip_space(*cursor), *end = statement_end(p), *label;

	/* The statement ends before any comment; parse_line goes on from there. */
	while (end > p && isspace((unsigned char)end[-1])) end--;
	*cursor = end;
	if (end == p || end[-1] != '{') return add_item(ps, name, NULL, NULL) ? 0 : -1;

	end--;
	while (end > p && isspace((unsigned char)end[-1])) end--;
	if (end - p >= 2 && is_quote(*p) && end[-1] == *p) {
		p++;
		end--;
	}
	label = strndup(p, (size_t)(end - p));
	if (!label) {
		free(name);
		return parse_error(ps, "out of memory");
	}
	return open_section(ps, name, label);
}

static int parse_statement(parser *ps, char **cursor)
{
	char *p = *cursor, *name;

	if (read_name(ps, &p, &name) < 0) return -1;
	if (!*name) {
		free(name);
		return parse_error(ps, "unexpected '%c'", *p);
	}
	p = skip_space(p);
	if (*p == '{') {
		*cursor = p + 1;
		return open_section(ps, name, NULL);
	}
	*cursor = p;
	if (at_operator(p)) return parse_pair(ps, name, cursor);
	return parse_labelled_or_word(ps, name, cursor);
}

static int parse_file(conf_tree *tree, char const *path, conf_item *section, int depth, char *err, size_t len);

static bool path_exists(char const *path, struct stat *st)
{
	return stat(path, st) == 0;
}

/*
 * Relative includes: the including file's directory first, then the raddb
 * directory. A name that begins with a variable ($INCLUDE ${confdir}/x) is
 * taken as it expands, as FreeRADIUS does, even when -d was a relative path.
 */
static bool resolve_include(parser *ps, char const *name, bool as_expanded, char *resolved, size_t size,
			    struct stat *st)
{
	char const *slash = strrchr(ps->file, '/');

	if (name[0] == '/' || as_expanded) {
		snprintf(resolved, size, "%s", name);
		return path_exists(resolved, st);
	}
	if (slash) snprintf(resolved, size, "%.*s/%s", (int)(slash - ps->file), ps->file, name);
	else snprintf(resolved, size, "%s", name);
	if (path_exists(resolved, st)) return true;
	snprintf(resolved, size, "%s/%s", ps->tree->raddb_dir, name);
	return path_exists(resolved, st);
}

static int parse_include(parser *ps, char *p, bool optional)
{
	char *name, *expanded;
	char resolved[4096];
	struct stat st;
	bool expands, from_variable;
	int rc = 0;

	p = skip_space(p);
	if (!*p || *p == '#') return parse_error(ps, "$INCLUDE without a file name");
	if (read_value(ps, &p, &name, &expands) < 0) return -1;
	from_variable = name[0] == '$';
	expanded = expands ? expand_text(ps->tree, name, ps->file, ps->line, ps->err, ps->len) : strdup(name);
	free(name);
	if (!expanded) return -1;

	/* A directory ($INCLUDE mods-enabled/) holds modules, policies and sites phonecert does not need. */
	if (expanded[0] && expanded[strlen(expanded) - 1] == '/') goto done;
	if (!resolve_include(ps, expanded, from_variable, resolved, sizeof(resolved), &st)) {
		if (!optional) rc = parse_error(ps, "cannot include %s: %s", expanded, strerror(ENOENT));
		goto done;
	}
	if (S_ISDIR(st.st_mode)) goto done;
	if (ps->depth >= MAX_INCLUDE_DEPTH) {
		rc = parse_error(ps, "$INCLUDE %s: includes nest too deeply (does a file include itself?)", expanded);
		goto done;
	}
	rc = parse_file(ps->tree, resolved, ps->section, ps->depth + 1, ps->err, ps->len);
done:
	free(expanded);
	return rc;
}

static int parse_directive(parser *ps, char *p)
{
	if (strncmp(p, "$INCLUDE", 8) == 0 && (!p[8] || isspace((unsigned char)p[8]))) return parse_include(ps, p + 8, false);
	if (strncmp(p, "$-INCLUDE", 9) == 0 && (!p[9] || isspace((unsigned char)p[9]))) return parse_include(ps, p + 9, true);
	if (strncmp(p, "$TEMPLATE", 9) == 0) return 0;	/* templates only matter to sections phonecert does not read */
	return parse_error(ps, "unknown directive %s", p);
}

/* One logical line: any number of closing braces, statements and opening braces, then maybe a comment. */
static int parse_line(parser *ps, char *p, conf_item const *file_start)
{
	for (;;) {
		p = skip_space(p);
		if (!*p || *p == '#') return 0;
		if (*p == '}') {
			if (close_section(ps, file_start) < 0) return -1;
			p++;
		} else if (*p == '$' && p[1] != '{') {
			return parse_directive(ps, p);
		} else if (parse_statement(ps, &p) < 0) {
			return -1;
		}
	}
}

/* The next line, with "\" continuations joined and the line break removed. NULL at the end. */
static char *read_line(FILE *in, int *line, strbuf *joined)
{
	char *text = NULL;
	size_t size = 0;
	ssize_t n;

	joined->length = 0;
	while ((n = getline(&text, &size, in)) >= 0) {
		(*line)++;
		while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r')) text[--n] = '\0';
		bool continued = n > 0 && text[n - 1] == '\\';
		if (continued) text[--n] = '\0';
		if (!sb_add(joined, text, (size_t)n)) break;
		if (!continued) {
			free(text);
			return joined->data;
		}
	}
	free(text);
	return joined->length ? joined->data : NULL;
}

static int parse_file(conf_tree *tree, char const *path, conf_item *section, int depth, char *err, size_t len)
{
	parser ps = { .tree = tree, .section = section, .depth = depth, .err = err, .len = len };
	strbuf joined = { 0 };
	FILE *in;
	char *text;
	int rc = 0, line = 0;

	ps.file = keep_file_name(tree, path);
	if (!ps.file) return fail_at(err, len, path, 0, "out of memory");
	in = fopen(path, "r");
	if (!in) {
		snprintf(err, len, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	while (rc == 0) {
		int first_line = line + 1;

		if (!(text = read_line(in, &line, &joined))) break;
		ps.line = first_line;
		rc = parse_line(&ps, text, section);
	}
	if (rc == 0 && ferror(in)) rc = fail_at(err, len, path, line, "read error: %s", strerror(errno));
	if (rc == 0 && ps.section != section) {
		rc = fail_at(err, len, ps.section->file, ps.section->line, "section %s%s%s is not closed: a '}' is missing",
			     ps.section->name1, ps.section->name2 ? " " : "", ps.section->name2 ? ps.section->name2 : "");
	}
	free(joined.data);
	fclose(in);
	return rc;
}

/* FreeRADIUS sets confdir from -d before it reads radiusd.conf, and the first definition wins. */
static int add_confdir(conf_tree *tree)
{
	conf_item *item = calloc(1, sizeof(*item));

	if (!item) return -1;
	*item = (conf_item) { .parent = &tree->root, .name1 = strdup("confdir"), .value = strdup(tree->raddb_dir),
			      .file = "(raddb directory)", .line = 0 };
	tree->root.children = item;
	return item->name1 && item->value ? 0 : -1;
}

conf_tree *conf_read(char const *path, char const *raddb_dir, conf_tree const *vars, char *err, size_t len)
{
	conf_tree *tree = calloc(1, sizeof(*tree));

	if (!tree || !(tree->raddb_dir = strdup(raddb_dir)) || (!vars && add_confdir(tree) < 0)) {
		snprintf(err, len, "out of memory");
		conf_free(tree);
		return NULL;
	}
	tree->root.is_section = true;
	tree->vars = vars;
	if (parse_file(tree, path, &tree->root, 0, err, len) < 0) {
		conf_free(tree);
		return NULL;
	}
	return tree;
}

conf_item const *conf_root(conf_tree const *tree)
{
	return &tree->root;
}

conf_item const *conf_find_section(conf_item const *section, char const *name1, char const *name2)
{
	for (conf_item const *item = section->children; item; item = item->next) {
		if (!item->is_section || strcmp(item->name1, name1) != 0) continue;
		if (!name2 || (item->name2 && strcmp(item->name2, name2) == 0)) return item;
	}
	return NULL;
}

conf_item const *conf_find_pair(conf_item const *section, char const *name)
{
	for (conf_item const *item = section->children; item; item = item->next) {
		if (!item->is_section && strcmp(item->name1, name) == 0) return item;
	}
	return NULL;
}
