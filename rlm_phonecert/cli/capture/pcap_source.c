/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "pcap_source.h"

#include <stdio.h>

#include <pcap/pcap.h>

#include "dissect.h"

typedef struct {
	cap_engine *engine;
	int link_type;
} source;

static void frame(u_char *arg, struct pcap_pkthdr const *header, u_char const *bytes)
{
	source const *s = (source const *)arg;
	cap_time when = { .sec = header->ts.tv_sec, .usec = (int32_t)header->ts.tv_usec };

	cap_engine_frame(s->engine, s->link_type, when, bytes, header->caplen, header->len);
}

int pcap_source_run(char const *path, cap_engine *engine, char *err, size_t len)
{
	char pcap_err[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_open_offline(path, pcap_err);
	source s = { .engine = engine };
	int rc;

	if (!p) {
		snprintf(err, len, "cannot read capture %s: %s", path, pcap_err);
		return -1;
	}
	s.link_type = pcap_datalink(p);
	if (!cap_link_supported(s.link_type)) {
		snprintf(err, len, "%s: link type %s is not supported (Ethernet, Linux cooked, loopback or raw IP)", path,
			 pcap_datalink_val_to_name(s.link_type) ? pcap_datalink_val_to_name(s.link_type) : "unknown");
		pcap_close(p);
		return -1;
	}
	rc = pcap_loop(p, -1, frame, (u_char *)&s);
	if (rc == PCAP_ERROR) snprintf(err, len, "%s: %s (the frames before it were read)", path, pcap_geterr(p));
	pcap_close(p);
	return rc == PCAP_ERROR ? -1 : 0;
}
