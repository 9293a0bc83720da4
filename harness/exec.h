/* SPDX-License-Identifier: MIT */
#ifndef VB_EXEC_H
#define VB_EXEC_H

#include <stddef.h>

/* Find an executable in $PATH (and /usr/sbin, /sbin); 1 found, 0 not. */
int vb_which(const char *name, char *path, size_t n);
/*
 * Run argv (no shell), capture the first line of its stdout (stderr too
 * when merge), wait for it. Returns its exit status, or -1 if it could
 * not run.
 */
int vb_exec_line(char *const argv[], int merge, char *line, size_t n);

#endif
