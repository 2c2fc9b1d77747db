/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Phonecert-* attributes the module uses (dictionary.h).
 */
RCSID("$Id$")

#include <freeradius/radiusd.h>

#include "dictionary.h"

char const *const phonecert_attribute_names[ATTR_COUNT] = {
	[ATTR_CERTIFICATE_TYPE] = "Phonecert-Certificate-Type",
	[ATTR_ANCHOR] = "Phonecert-Anchor",
	[ATTR_ANCHOR_ACCEPT_UNTIL] = "Phonecert-Anchor-Accept-Until",
	[ATTR_DEVICE_NAME] = "Phonecert-Device-Name",
	[ATTR_MAC] = "Phonecert-MAC",
	[ATTR_MODEL] = "Phonecert-Model",
	[ATTR_PID] = "Phonecert-PID",
	[ATTR_SERIAL_NUMBER] = "Phonecert-Serial-Number",
	[ATTR_REASON] = "Phonecert-Reason",
	[ATTR_COMMON_NAME] = "Phonecert-Common-Name",
	[ATTR_CERTIFICATE_SERIAL] = "Phonecert-Certificate-Serial",
	[ATTR_CERTIFICATE_NOT_BEFORE] = "Phonecert-Certificate-Not-Before",
	[ATTR_CERTIFICATE_NOT_AFTER] = "Phonecert-Certificate-Not-After",
	[ATTR_EXPIRED] = "Phonecert-Expired",
	[ATTR_LEGACY_SIGNATURE] = "Phonecert-Legacy-Signature",
	[ATTR_ADVICE] = "Phonecert-Advice",
	[ATTR_SWITCH_ADDRESS] = "Phonecert-Switch-Address",
	[ATTR_CALLING_STATION_ID] = "Phonecert-Calling-Station-Id",
	[ATTR_ANCHOR_FINGERPRINT] = "Phonecert-Anchor-Fingerprint",
	[ATTR_DECIDED] = "Phonecert-Decided",
	[ATTR_KEY_PROVEN] = "Phonecert-Key-Proven",
	[ATTR_NAS_PORT_ID] = "Phonecert-NAS-Port-Id",
	[ATTR_SESSION_SEAL] = "Phonecert-Session-Seal",
	[ATTR_TLS_SESSION_PART] = "Phonecert-TLS-Session-Part",
};

char const *phonecert_dictionary_problem(char *buf, size_t len)
{
	for (int i = 0; i < ATTR_COUNT; i++) {
		if (dict_attrbyname(phonecert_attribute_names[i])) continue;
		snprintf(buf, len, "Attribute %s is not in the dictionary: add '$INCLUDE dictionary.phonecert' to "
			 "the raddb dictionary file", phonecert_attribute_names[i]);
		return buf;
	}
	return NULL;
}
