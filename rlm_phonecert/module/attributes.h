/*
 * The Phonecert-* attributes of dictionary.phonecert: resolved once at
 * start-up, so that no lookup can fail while requests run.
 */
#ifndef PHONECERT_ATTRIBUTES_H
#define PHONECERT_ATTRIBUTES_H

#include "../core/verify.h"

typedef enum {
	ATTR_CERTIFICATE_TYPE, ATTR_ANCHOR, ATTR_ANCHOR_ACCEPT_UNTIL, ATTR_DEVICE_NAME, ATTR_MAC,
	ATTR_MODEL, ATTR_PID, ATTR_SERIAL_NUMBER, ATTR_REASON, ATTR_COMMON_NAME, ATTR_CERTIFICATE_SERIAL,
	ATTR_CERTIFICATE_NOT_BEFORE, ATTR_CERTIFICATE_NOT_AFTER, ATTR_EXPIRED, ATTR_LEGACY_SIGNATURE, ATTR_ADVICE,
	ATTR_ANCHOR_FINGERPRINT,
	ATTR_COUNT
} phonecert_attr_t;

/* Look every attribute up in the dictionary. Returns NULL, or the name of a missing one. */
char const *attributes_resolve(void);

bool attribute_is_ours(DICT_ATTR const *da);

/* Add attr = value to list (nothing for a NULL or empty value). */
void attribute_add(TALLOC_CTX *ctx, VALUE_PAIR **list, phonecert_attr_t attr, char const *value);

/* Everything the core found about a certificate, as attributes. */
void attributes_add_result(TALLOC_CTX *ctx, VALUE_PAIR **list, pc_result const *result);

/* The value of a string attr in list, or NULL. */
char const *attribute_value(VALUE_PAIR *list, phonecert_attr_t attr);

/* True when a yes/no attr (Phonecert-Expired...) is yes in list. */
bool attribute_is_yes(VALUE_PAIR *list, phonecert_attr_t attr);

/* A string attribute of the request (User-Name, Calling-Station-Id...), or NULL. */
char const *request_string(REQUEST *request, unsigned int attr);

/* Module-Failure-Message "phonecert: reason", first in the list so "Login incorrect" shows it. */
void prepend_failure_message(REQUEST *request, char const *reason);

#endif
