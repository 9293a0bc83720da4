/* SPDX-License-Identifier: MIT */
/*
 * cgroup v2 groups for environments, so probes can scope by cgroup id.
 * On hybrid hosts (v1 controllers, a controller-less v2 tree at
 * /sys/fs/cgroup/unified) the v2 tree still groups processes, which is
 * all eBPF's bpf_get_current_cgroup_id() needs.
 */
#ifndef VB_CGROUP_H
#define VB_CGROUP_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Mount point of the cgroup v2 hierarchy, or NULL. */
const char *vb_cgroup2_root(void);
/* "v2", "hybrid", "v1" or "none": the host's layout. */
const char *vb_cgroup_layout(void);
/*
 * Where vbench makes groups: the v2 tree and, on hybrid hosts, each v1
 * controller's hierarchy (where the container runtimes apply limits).
 * Up to max paths; returns the count (0 without cgroup v2).
 */
size_t vb_cgroup_roots(char (*roots)[PATH_MAX], size_t max);
/*
 * Create dir `parent/name`, which must not exist: a group that does is
 * not this run's to use. 0 or -1 with err.
 */
int vb_cgroup_create(const char *parent, const char *name, char *path, size_t pathlen,
		     char *err, size_t n);
/* Move pid into the cgroup dir. */
int vb_cgroup_attach(const char *path, pid_t pid, char *err, size_t n);
/* The cgroup's id (its directory inode), 0 on error. */
uint64_t vb_cgroup_id(const char *path);
/* Kill what is left in it, then remove it (and children first). */
void vb_cgroup_destroy(const char *path);

#endif
