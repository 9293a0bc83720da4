/* SPDX-License-Identifier: MIT */
/* File helpers for the image builder's cache. */
#ifndef VB_FSUTIL_H
#define VB_FSUTIL_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* Read a whole file (at most max bytes) into a malloc'd buffer. 0 or -1 with err. */
int vb_read_file(const char *path, size_t max, unsigned char **out, size_t *len, char *err,
		 size_t n);
/*
 * Atomic replacement in two steps: vb_tmp_open opens `<path>.tmp.<pid>`
 * (its name in tmp), vb_tmp_commit closes it and renames it over path, or
 * removes it when failed is set or anything went wrong. 0 or -1 with err.
 */
FILE *vb_tmp_open(const char *path, char *tmp, size_t tmplen, char *err, size_t n);
int vb_tmp_commit(FILE *f, int failed, const char *tmp, const char *path, char *err,
		  size_t n);
/* Write a file atomically (a temporary next to it, then rename). 0 or -1 with err. */
int vb_write_file_atomic(const char *path, const void *buf, size_t len, char *err,
			 size_t n);

/* snprintf for paths: -1 (and errno ENAMETOOLONG) when it does not fit. */
int vb_pathf(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* 1 when path exists and is a regular file of non-zero size. */
int vb_file_nonempty(const char *path);

#endif
