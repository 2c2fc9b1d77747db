/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One direction of a TCP connection put back in order: segments that arrive
 * out of order wait (a bounded number of them), retransmitted and
 * overlapping bytes are delivered once.
 */
#ifndef PHONECERT_CAPTURE_TCP_H
#define PHONECERT_CAPTURE_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CAP_TCP_MAX_PENDING_SEGMENTS 64
#define CAP_TCP_MAX_PENDING_BYTES 65536		/* out-of-order data a direction may hold */

typedef struct cap_tcp_segment cap_tcp_segment;

typedef struct {
	bool started;
	uint32_t next_seq;		/* the next byte to deliver */
	cap_tcp_segment *pending;	/* out of order, by sequence number */
	size_t pending_bytes;
	int pending_count;
	bool gave_up;			/* too much out of order: a segment is missing */
} cap_tcp_stream;

typedef void cap_tcp_deliver_fn(void *ctx, uint8_t const *p, size_t n);

/* A SYN: the stream starts after it. */
void cap_tcp_syn(cap_tcp_stream *s, uint32_t seq);

/* A segment's payload; what is now in order goes to deliver. */
void cap_tcp_segment_in(cap_tcp_stream *s, uint32_t seq, uint8_t const *p, size_t n, cap_tcp_deliver_fn *deliver,
			void *ctx);

/* Bytes that arrived beyond a hole that never filled. */
bool cap_tcp_has_hole(cap_tcp_stream const *s);

void cap_tcp_free(cap_tcp_stream *s);

#endif
