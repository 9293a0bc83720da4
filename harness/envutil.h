/* SPDX-License-Identifier: MIT */
/* Helpers every backend uses: scratch images, cgroups, child processes. */
#ifndef VB_ENVUTIL_H
#define VB_ENVUTIL_H

#include "backend.h"

/*
 * Create the instance's I/O scratch image (raw file, allocated up front so
 * O_DIRECT writes measure I/O, not block allocation) in the workdir as
 * `<instance>.img`; sets in->scratch.
 */
int vb_env_scratch(struct vb_instance *in, const struct vb_run_ctx *ctx, char *err,
		   size_t n);
/*
 * Put pid into a fresh cgroup `<cgroup_parent>/<instance>` and pin it; sets
 * in->cgroup and in->cgroup_id. Without a cgroup parent (not root) the
 * instance runs ungrouped, and the results say so.
 */
int vb_env_group(struct vb_instance *in, const struct vb_run_ctx *ctx, pid_t pid,
		 char *err, size_t n);
/* Wait up to grace_ms for pid to exit, then SIGKILL and reap it. */
void vb_env_reap(pid_t pid, unsigned grace_ms);
/*
 * Append "label: <the end of the file>" (at buf + len, after "; " when
 * len > 0) as one printable line, "(none)" or "(empty)" where there is
 * nothing: a failed environment's evidence. Returns the new length.
 */
size_t vb_env_log_tail(const char *path, const char *label, char *buf, size_t n, size_t len);
/* Remove what vb_env_scratch and vb_env_group made. */
void vb_env_cleanup(struct vb_instance *in);

#endif
