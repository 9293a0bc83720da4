/* SPDX-License-Identifier: MIT */
/* Run a helper program (apt-get, dpkg-deb) and wait for it. */
#ifndef VB_SPAWN_H
#define VB_SPAWN_H

#include <stddef.h>

/*
 * Run argv (searched in PATH) in cwd (NULL: ours), stdin from /dev/null.
 * Its stdout goes to out (NUL-terminated, truncated to outlen; NULL: dropped).
 * 0 when it exits with status 0, else -1 with err naming the program, its
 * status and the end of its stderr.
 */
int vb_spawn_wait(char *const argv[], const char *cwd, char *out, size_t outlen, char *err,
		  size_t n);

#endif
