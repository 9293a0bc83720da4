/* SPDX-License-Identifier: MIT */
/*
 * What a dynamically linked program needs to run on another root: its ELF
 * interpreter and the shared libraries of its DT_NEEDED entries, followed
 * transitively and found the way Debian's loader finds them (the
 * multiarch and plain library directories; no RPATH in Debian's packages).
 */
#ifndef VB_ELFDEPS_H
#define VB_ELFDEPS_H

#include <limits.h>
#include <stddef.h>

#define VB_ELFDEPS_MAX 256

struct vb_elfdeps {
	char path[VB_ELFDEPS_MAX][PATH_MAX]; /* host paths, as found: "/lib/x86_64-linux-gnu/libz.so.1" */
	size_t n;
};

/* Add the interpreter and libraries prog needs that d does not hold yet. 0 or -1 with err. */
int vb_elfdeps_add(struct vb_elfdeps *d, const char *prog, char *err, size_t n);

#endif
