/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --extract DIR: each certificate the phone sent, as a PEM file, for the
 * FAQ's "get the phone's certificate for troubleshooting" (then
 * `phonecert inspect` or `openssl x509 -text` on it).
 */
#ifndef PHONECERT_CAPTURE_EXTRACT_H
#define PHONECERT_CAPTURE_EXTRACT_H

#include "entry.h"

#define EXTRACT_MAX_FILES CAP_TLS_MAX_CERTS

/*
 * Write DIR/<handshake>-<depth>-<device name or "cert">.pem for each
 * certificate of the entry; names go to files (malloc'd, extract_free).
 * Returns the number written, or -1 after saying why on stderr.
 */
int extract_certificates(char const *dir, capture_entry const *entry, char *files[EXTRACT_MAX_FILES]);
void extract_free(char *files[EXTRACT_MAX_FILES], int count);

#endif
