/* SPDX-License-Identifier: MIT */
/* XZ (liblzma) decoding of whole buffers: kernel payloads, .ko.xz modules. */
#ifndef VB_XZ_H
#define VB_XZ_H

#include <stddef.h>

/*
 * Decode the first XZ stream in buf (bytes after it, such as the size the
 * kernel build appends to its payload, are ignored) into a malloc'd buffer
 * of at most max bytes. 0 or -1 with err.
 */
int vb_xz_decode(const void *buf, size_t len, size_t max, unsigned char **out,
		 size_t *outlen, char *err, size_t n);

#endif
