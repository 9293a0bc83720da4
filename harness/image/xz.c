/* SPDX-License-Identifier: MIT */
#include "xz.h"

#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vb_xz_decode(const void *buf, size_t len, size_t max, unsigned char **out,
		 size_t *outlen, char *err, size_t n)
{
	lzma_stream s = LZMA_STREAM_INIT;
	size_t cap = len * 4 + 4096;
	unsigned char *o;
	lzma_ret r;

	*out = NULL;
	if (lzma_stream_decoder(&s, UINT64_MAX, 0) != LZMA_OK) {
		snprintf(err, n, "xz: decoder init failed");
		return -1;
	}
	if (cap > max)
		cap = max;
	o = malloc(cap);
	if (!o) {
		lzma_end(&s);
		snprintf(err, n, "xz: out of memory");
		return -1;
	}
	s.next_in = buf;
	s.avail_in = len;
	s.next_out = o;
	s.avail_out = cap;
	for (;;) {
		r = lzma_code(&s, LZMA_FINISH);
		if (r == LZMA_STREAM_END)
			break;
		if (r == LZMA_OK && s.avail_out == 0 && cap < max) {
			size_t used = cap;
			unsigned char *bigger;

			cap = cap * 2 > max ? max : cap * 2;
			bigger = realloc(o, cap);
			if (!bigger) {
				r = LZMA_MEM_ERROR;
				goto fail;
			}
			o = bigger;
			s.next_out = o + used;
			s.avail_out = cap - used;
			continue;
		}
		goto fail;
	}
	*outlen = cap - s.avail_out;
	*out = o;
	lzma_end(&s);
	return 0;
fail:
	snprintf(err, n, "xz: %s",
		 r == LZMA_OK ? "output larger than allowed" :
		 r == LZMA_BUF_ERROR ? "truncated input" :
		 r == LZMA_MEM_ERROR ? "out of memory" :
		 r == LZMA_FORMAT_ERROR ? "not an XZ stream" : "corrupt data");
	free(o);
	lzma_end(&s);
	return -1;
}
