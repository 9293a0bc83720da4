/* SPDX-License-Identifier: MIT */
/* Helpers every backend uses: scratch images, cgroups, child processes. */
#ifndef VB_ENVUTIL_H
#define VB_ENVUTIL_H

#include "backend.h"

/*
 * Create an I/O scratch image of mib MiB at path, which must not exist: a
 * raw file, allocated up front so that O_DIRECT writes measure I/O, not
 * block allocation. 0, or -1 with err (and nothing left at path).
 */
int vb_env_scratch_image(const char *path, long long mib, char *err, size_t n);
/*
 * Set in->scratch: the run's shared image (ctx->scratch), or one of the
 * instance's own made in the workdir as `<instance>.img` where there is none.
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
/* Remove what vb_env_scratch and vb_env_group made (not the run's shared image). */
void vb_env_cleanup(struct vb_instance *in);

#endif
