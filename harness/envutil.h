/* SPDX-License-Identifier: MIT */
/* Helpers every backend uses: scratch images, cgroups, child processes. */
#ifndef VB_ENVUTIL_H
#define VB_ENVUTIL_H

#include "backend.h"

/*
 * Create the instance's I/O scratch image (raw file, allocated up front so
 * O_DIRECT writes measure I/O, not block allocation) in the workdir as
 * `<backend>.img`; sets in->scratch.
 */
int vb_env_scratch(struct vb_instance *in, const struct vb_run_ctx *ctx, char *err,
		   size_t n);
/*
 * Put pid into a fresh cgroup `<cgroup_parent>/<backend>` and pin it; sets
 * in->cgroup and in->cgroup_id. Without a cgroup parent (not root) the
 * instance runs ungrouped, and the results say so.
 */
int vb_env_group(struct vb_instance *in, const struct vb_run_ctx *ctx, pid_t pid,
		 char *err, size_t n);
/* Wait up to grace_ms for pid to exit, then SIGKILL and reap it. */
void vb_env_reap(pid_t pid, unsigned grace_ms);
/* Remove what vb_env_scratch and vb_env_group made. */
void vb_env_cleanup(struct vb_instance *in);

#endif
