/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Phonecert-* attributes of dictionary.phonecert: resolved once at
 * start-up, so that no lookup can fail while requests run.
 */
#ifndef PHONECERT_ATTRIBUTES_H
#define PHONECERT_ATTRIBUTES_H

#include "../config/dictionary.h"
#include "../core/verify.h"

/* Look every attribute up in the dictionary (config/dictionary.c checked that it has them). */
void attributes_resolve(void);

/* Ours taken out of list, as a list of their own in the same order (NULL when none). */
VALUE_PAIR *attributes_take_ours(VALUE_PAIR **list);

/* Every attribute of list (a list of its own) now owned by ctx. */
void attributes_steal(TALLOC_CTX *ctx, VALUE_PAIR *list);

/* Ours in a list, each the first of its kind (NULL when absent), found in one walk over the list. */
typedef struct {
	VALUE_PAIR const *vp[ATTR_COUNT];
} phone_attributes;

void phone_attributes_find(VALUE_PAIR *list, phone_attributes *found);

/* The dictionary's attribute attr. */
DICT_ATTR const *attribute_da(phonecert_attr_t attr);

/* Whether vp is attr. */
bool attribute_is(VALUE_PAIR const *vp, phonecert_attr_t attr);

/* Add attr = value to list (nothing for a NULL or empty value). */
void attribute_add(TALLOC_CTX *ctx, VALUE_PAIR **list, phonecert_attr_t attr, char const *value);

/* Everything the core found about a certificate, as attributes (replacing ours already in list). */
void attributes_add_result(TALLOC_CTX *ctx, VALUE_PAIR **list, pc_result const *result);

/*
 * What the TLS session caches of a certificate phonecert let through
 * (verdict ACCEPT or NOT_PHONE): a phone's attributes, and in both cases
 * Phonecert-Decided, without which a cached session is never resumed.
 */
void attributes_add_session(TALLOC_CTX *ctx, VALUE_PAIR **list, pc_result const *result);

/*
 * NULL when the attributes cached with a TLS session that had a client
 * certificate carry what resuming it needs (Phonecert-Decided, and for a
 * phone the facts post-auth re-checks); else why not.
 */
char const *attributes_unresumable(VALUE_PAIR *cached);

/* The value of a string attr found, or NULL. */
char const *phone_attribute_value(phone_attributes const *found, phonecert_attr_t attr);

/* True when a yes/no attr (Phonecert-Expired...) was found, and is yes. */
bool phone_attribute_is_yes(phone_attributes const *found, phonecert_attr_t attr);

/*
 * Ours in the request, made safe for whatever reads them after the log line,
 * the inventory's SQL first (FreeRADIUS 3.2's rlm_sql reads past the end of a
 * value that ends in a newline, carriage return or tab): every unsafe
 * character (core/text.h) as \xHH. The switch's NAS-Port-Id and
 * Calling-Station-Id, which the inventory stores too, are copied so into
 * Phonecert-NAS-Port-Id and Phonecert-Calling-Station-Id, and the address
 * its packet came from is Phonecert-Switch-Address (phonecert block --now).
 */
void attributes_make_safe(REQUEST *request);

/* A string attribute of the request (User-Name, Calling-Station-Id...), or NULL. */
char const *request_string(REQUEST *request, unsigned int attr);

/* Module-Failure-Message "phonecert: reason", first in the list so "Login incorrect" shows it. */
void prepend_failure_message(REQUEST *request, char const *reason);

#endif
