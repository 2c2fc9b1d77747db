/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "buf.h"

#include <stdlib.h>
#include <string.h>

bool cap_buf_append(cap_buf *b, uint8_t const *p, size_t n, size_t max)
{
	if (n > max || b->len > max - n) return false;
	if (b->len + n > b->alloc) {
		size_t want = b->alloc ? b->alloc : 256;
		uint8_t *grown;

		while (want < b->len + n) want *= 2;
		if (want > max) want = max;
		grown = realloc(b->data, want);
		if (!grown) return false;
		b->data = grown;
		b->alloc = want;
	}
	if (n) memcpy(b->data + b->len, p, n);
	b->len += n;
	return true;
}

void cap_buf_consume(cap_buf *b, size_t n)
{
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
}

void cap_buf_free(cap_buf *b)
{
	free(b->data);
	*b = (cap_buf) { 0 };
}
