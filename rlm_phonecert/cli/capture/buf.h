/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A byte buffer with a hard upper size: every buffer the capture parser
 * keeps for a flow is one, so a flow can never hold more than its cap
 * however long or hostile the capture is.
 */
#ifndef PHONECERT_CAPTURE_BUF_H
#define PHONECERT_CAPTURE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint8_t *data;
	size_t len;
	size_t alloc;
} cap_buf;

/* Append n bytes unless the buffer would exceed max: then false, and nothing is appended. */
bool cap_buf_append(cap_buf *b, uint8_t const *p, size_t n, size_t max);

/* Drop the first n bytes (n <= len). */
void cap_buf_consume(cap_buf *b, size_t n);

void cap_buf_free(cap_buf *b);

/* Big-endian reads; the caller has checked the length. */
static inline uint16_t cap_be16(uint8_t const *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t cap_be24(uint8_t const *p) { return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]; }
static inline uint32_t cap_be32(uint8_t const *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

#endif
