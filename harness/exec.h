/* SPDX-License-Identifier: MIT */
#ifndef VB_EXEC_H
#define VB_EXEC_H

#include <stddef.h>

/* Find an executable in $PATH (and /usr/sbin, /sbin); 1 found, 0 not. */
int vb_which(const char *name, char *path, size_t n);
/*
 * Run argv (searched in PATH; no shell) in cwd (NULL: ours), stdin from
 * /dev/null, and wait. Its stdout goes to out (NUL-terminated, truncated to
 * outlen; NULL: dropped). 0 when it exits with status 0, else -1 with err
 * naming the program, its status and the end of its stderr.
 */
int vb_spawn_wait(char *const argv[], const char *cwd, char *out, size_t outlen, char *err,
		  size_t n);
/* vb_spawn_wait keeping the first line of stdout ("crun version 1.8.1"). */
int vb_exec_line(char *const argv[], char *line, size_t n, char *err, size_t errlen);

#endif
