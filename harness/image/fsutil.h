/* SPDX-License-Identifier: MIT */
/* File helpers for the image builder's cache (files are written with common/safefile.h). */
#ifndef VB_FSUTIL_H
#define VB_FSUTIL_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* Read a whole file (at most max bytes) into a malloc'd buffer. 0 or -1 with err. */
int vb_read_file(const char *path, size_t max, unsigned char **out, size_t *len, char *err,
		 size_t n);
/* snprintf for paths: -1 (and errno ENAMETOOLONG) when it does not fit. */
int vb_pathf(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * Whether the cache holds path: a non-empty regular file (not a symlink)
 * that only root or the euid can have written (vb_private_stat). One that
 * is there but not trusted is said on stderr, and is not a hit: the
 * caller writes it again (safefile.h replaces it, or refuses a symlink).
 */
int vb_cache_hit(const char *path);

#endif
