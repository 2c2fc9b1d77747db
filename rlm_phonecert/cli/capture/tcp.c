/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "tcp.h"

#include <stdlib.h>
#include <string.h>

struct cap_tcp_segment {
	cap_tcp_segment *next;
	uint32_t seq;
	size_t len;
	uint8_t data[];
};

/* Sequence numbers wrap: compare by signed distance. */
static int32_t seq_diff(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b);
}

void cap_tcp_syn(cap_tcp_stream *s, uint32_t seq)
{
	cap_tcp_free(s);
	s->started = true;
	s->next_seq = seq + 1;
}

/* The part of [seq, seq+n) not delivered yet, delivered. */
static void deliver_new(cap_tcp_stream *s, uint32_t seq, uint8_t const *p, size_t n, cap_tcp_deliver_fn *deliver,
			void *ctx)
{
	size_t skip = (uint32_t)(s->next_seq - seq);	/* seq is at or before next_seq here */

	if (skip >= n) return;	/* a retransmission */
	deliver(ctx, p + skip, n - skip);
	s->next_seq += (uint32_t)(n - skip);
}

static void drain(cap_tcp_stream *s, cap_tcp_deliver_fn *deliver, void *ctx)
{
	while (s->pending && seq_diff(s->pending->seq, s->next_seq) <= 0) {
		cap_tcp_segment *first = s->pending;

		s->pending = first->next;
		s->pending_bytes -= first->len;
		s->pending_count--;
		deliver_new(s, first->seq, first->data, first->len, deliver, ctx);
		free(first);
	}
}

static void keep_for_later(cap_tcp_stream *s, uint32_t seq, uint8_t const *p, size_t n)
{
	cap_tcp_segment **at = &s->pending, *segment;

	if (s->pending_count >= CAP_TCP_MAX_PENDING_SEGMENTS || n > CAP_TCP_MAX_PENDING_BYTES - s->pending_bytes ||
	    !(segment = malloc(sizeof(*segment) + n))) {
		s->gave_up = true;
		return;
	}
	segment->seq = seq;
	segment->len = n;
	memcpy(segment->data, p, n);
	while (*at && seq_diff((*at)->seq, seq) < 0) at = &(*at)->next;
	segment->next = *at;
	*at = segment;
	s->pending_bytes += n;
	s->pending_count++;
}

void cap_tcp_segment_in(cap_tcp_stream *s, uint32_t seq, uint8_t const *p, size_t n, cap_tcp_deliver_fn *deliver,
			void *ctx)
{
	if (s->gave_up || n == 0) return;
	if (!s->started) {	/* the capture began after the SYN */
		s->started = true;
		s->next_seq = seq;
	}
	if (seq_diff(seq, s->next_seq) > 0) {
		keep_for_later(s, seq, p, n);
		return;
	}
	deliver_new(s, seq, p, n, deliver, ctx);
	drain(s, deliver, ctx);
}

bool cap_tcp_has_hole(cap_tcp_stream const *s)
{
	return s->gave_up || s->pending != NULL;
}

void cap_tcp_free(cap_tcp_stream *s)
{
	while (s->pending) {
		cap_tcp_segment *next = s->pending->next;

		free(s->pending);
		s->pending = next;
	}
	memset(s, 0, sizeof(*s));
}
