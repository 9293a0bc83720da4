/* SPDX-License-Identifier: MIT */
/*
 * Host memory an instance holds, from /proc: the PSS of every process in
 * its cgroup (shared pages split among their sharers, so the PSS of many
 * instances adds up to what they hold together) and the RSS of its main
 * process (QEMU's, for a VM). Needs no memory controller, so it reads the
 * same on every cgroup layout.
 */
#ifndef VB_LIFE_MEMUSE_H
#define VB_LIFE_MEMUSE_H

#include <stddef.h>

#include "../backend.h"

struct vb_memuse {
	long long pss_bytes;    /* summed over its processes */
	long long rss_bytes;    /* of in->pid alone */
	int nprocs;             /* processes whose PSS was read */
};

/* 0, or -1 with why (no process could be read). */
int vb_memuse_read(const struct vb_instance *in, struct vb_memuse *m, char *why, size_t n);
/*
 * The memory controller's charge of its cgroup v2 group (memory.current),
 * or -1 with why: on a hybrid host the v2 group has no controllers.
 */
long long vb_memuse_cgroup(const struct vb_instance *in, char *why, size_t n);

#endif
