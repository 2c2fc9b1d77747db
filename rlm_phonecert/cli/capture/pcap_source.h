/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading a capture file (pcap or pcapng, or standard input for "-") with
 * libpcap, frame by frame into the engine: nothing is kept but the flows in
 * progress, so a capture of any size streams through.
 */
#ifndef PHONECERT_CAPTURE_PCAP_SOURCE_H
#define PHONECERT_CAPTURE_PCAP_SOURCE_H

#include <stddef.h>

#include "engine.h"

/* Returns 0 at the end of the file, or -1 with err (file unreadable, unknown link type, damaged file). */
int pcap_source_run(char const *path, cap_engine *engine, char *err, size_t len);

#endif
