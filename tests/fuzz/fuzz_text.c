/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: the core's text parsers, on the input as one string (up
 * to its first NUL byte).
 *
 *   pc_time_parse            when it parses, pc_time_format must give the same
 *                            instant back (and the canonical spelling of the input)
 *   pc_time_format           on a time_t taken from the input's first 8 bytes:
 *                            reduced to what pc_time_parse can return
 *                            (1970-01-01T00:00:00Z .. 9999-12-31T23:59:59Z),
 *                            its text must parse back to the same instant; as
 *                            it is, the text must still be NUL-terminated
 *   pc_mac_normalise         when it succeeds, its output normalises to itself
 *   pc_parse_device_cn       the result matches the CN it came from
 *   pc_parse_serial_number
 *   pc_policy_set            each option of pc_policy_options with the input as
 *                            value, and the input as an option name
 *   pc_escape                PC_ESCAPE_LOG output reads back to the input and holds
 *                            no raw quote, '=', control or unsafe character;
 *                            PC_ESCAPE_TEXT output holds no unsafe character nor
 *                            invalid UTF-8; a cut output is a prefix of the whole
 *   pc_log_*                 the input as a pair's value reads back from the line
 *   pc_sql_escape/unescape   the input, escaped as rlm_sql does, decodes back to
 *                            itself (unless it ends in LF, CR or TAB); read as
 *                            stored, it decodes only when it escapes back to itself
 *   pc_blocklist_parse       on the whole input (NULs included): when it parses,
 *                            every entry written back parses to the same entry,
 *                            and its reason and comment stay printable (the comment
 *                            keeps to pc_block_comment_check)
 *   pc_phonelist_read        on the whole input as a file: refused with "NAME[LINE]: ...",
 *                            or every phone is SEP + 12 upper-case hex digits and
 *                            its MAC, every carried cell valid UTF-8 within
 *                            PC_LIST_MAX_CELL bytes, every line number within the file
 *   pc_keyring_parse         on the whole input: when it parses, it holds 1 to
 *                            PC_SEAL_KEYS_MAX keys, and what it says never
 *                            holds an unsafe character
 *   pc_seal_problem          the input as a seal from the store: refused (but
 *                            when it is the seal itself, in either case of hex),
 *                            in words with no unsafe character
 *
 * A broken property is an abort().
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/blocklist.h"
#include "core/phone.h"
#include "core/phonelist.h"
#include "core/policy.h"
#include "core/seal.h"
#include "core/sqlescape.h"
#include "core/text.h"
#include "core/timeutil.h"

#define MAX_TIME ((time_t)253402300799)	/* 9999-12-31T23:59:59Z, the last time pc_time_parse reads */
#define MAX_TEXT 4096

#define CHECK(cond, ...) do { \
		if (!(cond)) { \
			fprintf(stderr, "fuzz_text: property broken: %s (%s:%d): ", #cond, __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
			abort(); \
		} \
	} while (0)

#define TERMINATED(field) (memchr((field), '\0', sizeof(field)) != NULL)

static void time_round_trip(char const *text)
{
	time_t when, again;
	char formatted[PC_TIME_STRLEN];
	char canonical[PC_TIME_STRLEN];

	if (!pc_time_parse(text, &when)) return;
	CHECK(when >= 0 && when <= MAX_TIME, "'%s' parsed to %lld", text, (long long)when);

	memset(formatted, 'X', sizeof(formatted));
	pc_time_format(when, formatted, sizeof(formatted));
	CHECK(TERMINATED(formatted), "'%s' formatted without a terminator", text);
	CHECK(pc_time_parse(formatted, &again), "'%s' -> %lld -> '%s' does not parse", text, (long long)when, formatted);
	CHECK(again == when, "'%s' -> %lld -> '%s' -> %lld", text, (long long)when, formatted, (long long)again);

	/* The input in canonical spelling (upper-case T and Z, T for a space) is what pc_time_format writes. */
	memcpy(canonical, text, PC_TIME_STRLEN);
	canonical[10] = 'T';
	canonical[19] = 'Z';
	CHECK(strcmp(canonical, formatted) == 0, "'%s' formatted as '%s'", text, formatted);
}

static void time_format(uint8_t const *data, size_t size)
{
	uint64_t raw = 0;
	time_t when, again;
	char buf[PC_TIME_STRLEN];

	if (size < 8) return;
	for (int i = 0; i < 8; i++) raw = raw << 8 | data[i];
	when = (time_t)(raw % ((uint64_t)MAX_TIME + 1));
	memset(buf, 'X', sizeof(buf));
	pc_time_format(when, buf, sizeof(buf));
	CHECK(pc_time_parse(buf, &again) && again == when, "pc_time_format(%lld) = '%.*s'", (long long)when,
	      (int)sizeof(buf), buf);

	when = (time_t)raw;
	memset(buf, 'X', sizeof(buf));
	pc_time_format(when, buf, sizeof(buf));
	CHECK(TERMINATED(buf), "pc_time_format(%lld) left its buffer without a terminator: '%.*s'",
	      (long long)when, (int)sizeof(buf), buf);
}

static void mac(char const *text)
{
	char out[PC_MAC_LEN], again[PC_MAC_LEN];

	memset(out, 'X', sizeof(out));
	if (!pc_mac_normalise(text, out)) return;
	CHECK(TERMINATED(out) && strlen(out) == 17, "'%s' normalised to '%.*s'", text, (int)sizeof(out), out);
	for (int i = 0; i < 17; i++) {
		bool separator = i % 3 == 2;

		CHECK(separator ? out[i] == '-' : (isxdigit((unsigned char)out[i]) && !islower((unsigned char)out[i])),
		      "'%s' normalised to '%s'", text, out);
	}
	CHECK(pc_mac_normalise(out, again), "'%s' -> '%s' is not a MAC", text, out);
	CHECK(strcmp(out, again) == 0, "'%s' -> '%s' -> '%s'", text, out, again);
}

static void device_cn(char const *text)
{
	pc_identity id;
	size_t len = strlen(text);

	/* An earlier parse must leave nothing behind: start from garbage. */
	memset(&id, 'X', sizeof(id));
	id.cn[0] = id.pid[0] = id.sn[0] = '\0';
	if (!pc_parse_device_cn(text, &id)) {
		CHECK(!id.has_device && id.model[0] == '\0' && id.mac[0] == '\0' && id.device_name[0] == '\0',
		      "'%s' refused but left a result", text);
		return;
	}
	CHECK(id.has_device, "'%s'", text);
	CHECK(TERMINATED(id.device_name) && TERMINATED(id.mac) && TERMINATED(id.model), "'%s'", text);
	CHECK(strlen(id.device_name) == 15 && len >= 15 && strcasecmp(id.device_name, text + len - 15) == 0,
	      "'%s' gave device '%s'", text, id.device_name);
	if (len == 15) {
		CHECK(id.model[0] == '\0', "'%s' gave model '%s'", text, id.model);
	} else {
		size_t model_len = strlen(id.model);

		CHECK(model_len > 0 && model_len + 1 + 15 == len && strncmp(id.model, text, model_len) == 0 &&
		      text[model_len] == '-', "'%s' gave model '%s'", text, id.model);
	}
	char mac_again[PC_MAC_LEN];
	CHECK(pc_mac_normalise(id.mac, mac_again) && strcmp(mac_again, id.mac) == 0, "'%s' gave MAC '%s'", text, id.mac);
}

static void serial_number(char const *text)
{
	pc_identity id;

	memset(&id, 'X', sizeof(id));
	bool found = pc_parse_serial_number(text, &id);

	CHECK(TERMINATED(id.pid) && TERMINATED(id.sn), "'%s'", text);
	CHECK(found == (id.pid[0] != '\0' || id.sn[0] != '\0'), "'%s': %d, pid '%s', sn '%s'", text, found, id.pid, id.sn);
	CHECK(!strchr(id.pid, ' ') && !strchr(id.sn, ' '), "'%s': pid '%s', sn '%s'", text, id.pid, id.sn);
	CHECK(!id.pid[0] || strstr(text, id.pid), "'%s': pid '%s'", text, id.pid);
	CHECK(!id.sn[0] || strstr(text, id.sn), "'%s': sn '%s'", text, id.sn);
}

static void policy(char const *text)
{
	char err[256];

	for (size_t i = 0; pc_policy_options[i]; i++) {
		pc_policy p, before;

		pc_policy_defaults(&p);
		before = p;
		memset(err, 'X', sizeof(err));
		if (pc_policy_set(&p, pc_policy_options[i], text, err, sizeof(err)) != 0) {
			CHECK(TERMINATED(err) && strstr(err, pc_policy_options[i]), "%s = '%s': '%.*s'",
			      pc_policy_options[i], text, (int)sizeof(err), err);
			CHECK(memcmp(&p, &before, sizeof(p)) == 0, "%s = '%s' refused but changed the policy",
			      pc_policy_options[i], text);
		}
		/* The documented default is always accepted. */
		CHECK(pc_policy_set(&p, pc_policy_options[i], pc_policy_option_defaults[i], err, sizeof(err)) == 0,
		      "%s = %s", pc_policy_options[i], pc_policy_option_defaults[i]);
	}

	/* The input as an option name: known, or refused with a message. */
	pc_policy p;
	pc_policy_defaults(&p);
	memset(err, 'X', sizeof(err));
	if (pc_policy_set(&p, text, "yes", err, sizeof(err)) != 0) {
		CHECK(TERMINATED(err), "option '%s'", text);
	}
}

/* Every character of text is valid UTF-8 and safe to show; returns false at the first that is not. */
static bool all_safe(char const *text)
{
	unsigned char const *p = (unsigned char const *)text;

	while (*p) {
		unsigned long cp;
		int length = pc_utf8_decode(p, &cp);

		if (length == 0 || pc_char_unsafe(cp)) return false;
		p += length;
	}
	return true;
}

static bool printable(char const *text)
{
	for (; *text; text++) {
		if ((unsigned char)*text < 0x20 || *text == 0x7f || *text == '"' || *text == '\\') return false;
	}
	return true;
}

/* A quoted log value (without its quotes) back to the bytes it came from; false if it is not one. */
static bool unescape_log(char const *value, size_t len, char *out, size_t *out_len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned int byte;

		if (value[i] == '"' || value[i] == '=') return false;
		if (value[i] != '\\') {
			out[n++] = value[i];
		} else if (i + 1 < len && (value[i + 1] == '"' || value[i + 1] == '\\')) {
			out[n++] = value[++i];
		} else if (i + 3 < len && value[i + 1] == 'x' && isxdigit((unsigned char)value[i + 2]) &&
			   isxdigit((unsigned char)value[i + 3]) && !isupper((unsigned char)value[i + 2]) &&
			   !isupper((unsigned char)value[i + 3]) && sscanf(value + i + 2, "%2x", &byte) == 1) {
			out[n++] = (char)byte;
			i += 3;
		} else {
			return false;
		}
	}
	*out_len = n;
	return true;
}

static void escape(char const *text, size_t size_hint)
{
	size_t len = strlen(text), size = len * 4 + 1, needed, decoded_len, cut_size = size_hint % 32;
	char *out = malloc(size), *decoded = malloc(len + 1), cut[32];

	if (!out || !decoded) abort();
	needed = pc_escape(out, size, text, PC_ESCAPE_LOG);
	CHECK(needed == strlen(out) && needed < size, "'%s': needs %zu, wrote %zu", text, needed, strlen(out));
	CHECK(all_safe(out), "'%s' escaped to '%s'", text, out);
	CHECK(unescape_log(out, needed, decoded, &decoded_len) && decoded_len == len && memcmp(decoded, text, len) == 0,
	      "'%s' escaped to '%s', which does not read back", text, out);
	memset(cut, 'X', sizeof(cut));
	CHECK(pc_escape(cut, cut_size, text, PC_ESCAPE_LOG) == needed, "'%s' cut at %zu", text, cut_size);
	CHECK(cut_size == 0 || (strlen(cut) < cut_size && strncmp(cut, out, strlen(cut)) == 0),
	      "'%s' cut at %zu: '%.*s' is not a prefix of '%s'", text, cut_size, (int)cut_size, cut, out);

	needed = pc_escape(out, size, text, PC_ESCAPE_TEXT);
	CHECK(needed == strlen(out) && all_safe(out), "'%s' escaped for text to '%s'", text, out);
	free(out);
	free(decoded);
}

static void log_line(char const *text)
{
	size_t len = strlen(text), value_len, decoded_len;
	size_t size = len * 4 + 64;
	char *buf = malloc(size), *decoded = malloc(len + 2);
	char const *line, *value;
	pc_log_line l;

	if (!buf || !decoded) abort();
	pc_log_init(&l, buf, size);
	pc_log_word(&l, "reject");
	pc_log_pair(&l, "k", text);
	line = pc_log_end(&l);
	CHECK(!l.truncated && strncmp(line, "reject k=", 9) == 0, "'%s' logged as '%s'", text, line);
	value = line + 9;
	value_len = strlen(value);
	if (value[0] == '"') {
		CHECK(value_len >= 2 && value[value_len - 1] == '"' &&
		      unescape_log(value + 1, value_len - 2, decoded, &decoded_len) &&
		      decoded_len == len && memcmp(decoded, text, len) == 0, "'%s' logged as '%s'", text, line);
	} else {
		CHECK(strcmp(value, len ? text : "-") == 0 && !strpbrk(value, " \"=\\"), "'%s' logged bare as '%s'", text, line);
	}
	free(buf);
	free(decoded);
}

static void sql_escaping(char const *text, size_t len)
{
	size_t size = len * 5 + 1;
	char *stored = malloc(size), *decoded = malloc(size), *again = malloc(size);

	if (!stored || !decoded || !again) goto done;
	CHECK(pc_sql_escape(stored, size, text) < size, "'%s' escapes beyond 5 bytes a byte", text);
	if (!len || !strchr("\n\r\t", text[len - 1])) {
		CHECK(pc_sql_unescape(stored, decoded) && strcmp(decoded, text) == 0, "'%s' stored as '%s' decodes to '%s'",
		      text, stored, decoded);
	}
	if (pc_sql_unescape(text, decoded)) {
		pc_sql_escape(again, size, decoded);
		CHECK(strcmp(again, text) == 0, "'%s' decodes to '%s', which rlm_sql stores as '%s'", text, decoded, again);
	} else {
		CHECK(strcmp(decoded, text) == 0, "'%s' not decoded, yet given as '%s'", text, decoded);
	}
done:
	free(stored);
	free(decoded);
	free(again);
}

static void blocklist(uint8_t const *data, size_t size)
{
	char err[256], text[PC_BLOCK_LINE_MAX], reason[256];
	pc_blocklist *list;

	memset(err, 'X', sizeof(err));
	list = pc_blocklist_parse((char const *)data, size, err, sizeof(err));
	if (!list) {
		CHECK(TERMINATED(err) && strncmp(err, "line ", 5) == 0, "refused with '%.*s'", (int)sizeof(err), err);
		return;
	}
	for (size_t i = 0; i < pc_blocklist_count(list); i++) {
		pc_block_entry const *entry = pc_blocklist_entry(list, i);
		pc_blocklist *again;

		pc_block_entry_text(entry, text, sizeof(text));
		again = pc_blocklist_parse(text, strlen(text), err, sizeof(err));
		CHECK(again && pc_blocklist_count(again) == 1, "'%s' does not parse back: %s", text, again ? "" : err);
		CHECK(pc_block_entry_same(entry, pc_blocklist_entry(again, 0)), "'%s' parses to another entry", text);
		CHECK(pc_blocklist_find(list, entry->kind == PC_BLOCK_SERIAL ? NULL : entry->mac, NULL, entry->anchor,
					entry->ca, entry->serial) != NULL, "entry '%s' does not block itself", text);
		pc_blocklist_free(again);
		CHECK(printable(entry->comment) && pc_block_comment_check(entry->comment, strlen(entry->comment), err,
									    sizeof(err)) == 0, "comment '%s'", entry->comment);
		memset(reason, 'X', sizeof(reason));
		pc_block_reason(entry, reason, sizeof(reason));
		CHECK(TERMINATED(reason) && printable(reason), "reason '%.*s'", (int)sizeof(reason), reason);
	}
	pc_blocklist_free(list);
}

/* A carried cell: NULL, or non-empty valid UTF-8 of at most PC_LIST_MAX_CELL bytes. */
static bool carried_ok(char const *cell)
{
	size_t n;

	if (!cell) return true;
	n = strlen(cell);
	for (size_t i = 0; i < n;) {
		unsigned long cp;
		int length = pc_utf8_decode((unsigned char const *)cell + i, &cp);

		if (!length) return false;
		i += (size_t)length;
	}
	return n > 0 && n <= PC_LIST_MAX_CELL;
}

static void phonelist(uint8_t const *data, size_t size)
{
	char err[512];
	FILE *in = fmemopen((void *)data, size, "r");
	pc_phonelist *list;

	if (!in) return;	/* size 0 */
	memset(err, 'X', sizeof(err));
	list = pc_phonelist_read(in, "list.csv", err, sizeof(err));
	fclose(in);
	if (!list) {
		CHECK(TERMINATED(err) && strncmp(err, "list.csv", 8) == 0, "refused with '%.*s'", (int)sizeof(err), err);
		return;
	}
	for (size_t i = 0; i < list->phone_count; i++) {
		pc_listed_phone const *p = &list->phones[i];
		char mac[PC_MAC_LEN];

		CHECK(strlen(p->device_name) == 15 && strncmp(p->device_name, "SEP", 3) == 0 &&
		      pc_mac_normalise(p->device_name + 3, mac) && strcmp(mac, p->mac) == 0, "phone '%s'", p->device_name);
		for (int k = 3; k < 15; k++) CHECK(!islower((unsigned char)p->device_name[k]), "'%s' not upper case", p->device_name);
		CHECK(carried_ok(p->description) && carried_ok(p->device_pool) && carried_ok(p->model), "a carried cell");
		CHECK(p->line >= 2 && p->line <= list->lines + 1, "line %lu of %lu", p->line, list->lines);
	}
	for (size_t i = 0; i < list->invalid_count; i++) {
		CHECK(strlen(list->invalid[i].device) <= PC_LIST_MAX_CELL, "an invalid row's device");
	}
	pc_phonelist_free(list);
}

/* Text an admin may read as it is: escaping it for people changes nothing. */
static bool plain(char const *text)
{
	char escaped[1024];

	return pc_escape(escaped, sizeof(escaped), text, PC_ESCAPE_TEXT) == strlen(text) && strcmp(escaped, text) == 0;
}

static void keyring(uint8_t const *data, size_t size)
{
	char err[512] = "";
	pc_keyring *ring = pc_keyring_parse((char const *)data, size, err, sizeof(err));

	if (ring) {
		CHECK(pc_keyring_count(ring) >= 1 && pc_keyring_count(ring) <= PC_SEAL_KEYS_MAX, "%zu keys",
		      pc_keyring_count(ring));
		pc_keyring_free(ring);
		return;
	}
	CHECK(plain(err), "the refusal \"%s\" is not plain text", err);
}

static void seal(char const *text)
{
	static char const ring_text[] = "k 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n";
	static unsigned char const id[32], master_key[48];
	pc_seal_input in = {
		.session_id = id, .session_id_len = sizeof(id), .master_key = master_key,
		.master_key_len = sizeof(master_key), .protocol_version = 0x0303,
	};
	char err[256], why[512], real[PC_SEAL_STRLEN];
	pc_keyring *ring = pc_keyring_parse(ring_text, strlen(ring_text), err, sizeof(err));
	char const *problem;

	CHECK(ring && pc_seal_make(ring, &in, real, sizeof(real)), "cannot seal: %s", err);
	problem = pc_seal_problem(ring, &in, text, why, sizeof(why));
	if (!problem) CHECK(strcasecmp(text, real) == 0, "\"%s\" checked as the seal %s", text, real);
	else CHECK(plain(problem), "the problem \"%s\" is not plain text", problem);
	pc_keyring_free(ring);
}

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	char *text;

	if (size > MAX_TEXT) return 0;
	text = malloc(size + 1);
	if (!text) return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	time_round_trip(text);
	time_format(data, size);
	mac(text);
	device_cn(text);
	serial_number(text);
	policy(text);
	escape(text, size);
	log_line(text);
	sql_escaping(text, strlen(text));
	blocklist(data, size);
	phonelist(data, size);
	keyring(data, size);
	seal(text);

	free(text);
	return 0;
}
