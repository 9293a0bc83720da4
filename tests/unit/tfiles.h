/* SPDX-License-Identifier: MIT */
/*
 * Files the unit tests make and read: a private temporary directory, a
 * file's text, a JSON document, and whether gnuplot is there to draw.
 * Each fails the calling test (Check) where it cannot do its job.
 */
#ifndef VB_TFILES_H
#define VB_TFILES_H

#include <jansson.h>
#include <stddef.h>

/* A new private directory /tmp/vbench-<what>-ut-XXXXXX, its path in dir. */
void ut_tmpdir(char *dir, size_t n, const char *what);
/* Remove dir and everything in it. */
void ut_rmtree(const char *dir);
/* The text of dir/name, NUL-terminated (free it). */
char *ut_slurp(const char *dir, const char *name);
/* The JSON document in path. */
json_t *ut_load_json(const char *path);
/* 1 when gnuplot runs here; else 0, with a line saying test is skipped. */
int ut_have_gnuplot(const char *test);

#endif
