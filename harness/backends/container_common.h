/* SPDX-License-Identifier: MIT */
/*
 * What the container backend's two drivers share: the container's state
 * that does not depend on the driver, and running the runtime's commands
 * the same way on every cgroup layout (container_common.c).
 */
#ifndef VB_CONTAINER_COMMON_H
#define VB_CONTAINER_COMMON_H

#include "../backend.h"

/* One container instance, whichever driver runs it. */
struct vb_container {
	const char *runtime;        /* its name: crun, runc, podman or docker */
	char rt[PATH_MAX];          /* the runtime (or podman/docker) binary */
	char id[VB_INSTANCE_NAME_MAX + 32]; /* id / name: vbench-<pid>-<start>-<instance> */
	char log[PATH_MAX];         /* the runtime's (and the agent's) stderr */
	char cgpath[PATH_MAX];      /* its cgroup below the roots: "/vbench-N/..." */
	char parent[PATH_MAX];      /* vbench's cgroup below the root: "/vbench-N" */
	int hybrid;                 /* v1 controllers + a v2 tree without them */
	int created;                /* from here on the driver's stop() removes it */
	long long memory_mb;
	void *priv;                 /* the driver's own state, priv_size bytes */
};

/*
 * Start argv (argv[0] a path) with io_fd (or /dev/null) as stdin and
 * stdout and the log as stderr, in its own process group, dying with
 * vbench, on hybrid hosts in a mount namespace without the v2 mount. Its
 * pid, or -1.
 */
pid_t vb_container_spawn(const struct vb_container *c, const char *const argv[], int io_fd);
/*
 * Wait for a runtime command (vb_exec_wait: at most timeout_s, and until
 * the run is told to stop when stoppable). 0 when it exited with 0, else
 * -1 with err naming what and how it ended.
 */
int vb_container_wait(pid_t pid, const char *what, unsigned timeout_s, int stoppable,
		      char *err, size_t n);
/*
 * Put the container (in->pid) into its cgroup v2 group: on hybrid hosts
 * `<vbench cgroup>/<instance>`, made here; on v2 hosts the runtime's own,
 * c->cgpath. Sets in->cgroup and cgroup_id.
 */
int vb_container_join_v2(struct vb_instance *in, const struct vb_container *c,
			 const struct vb_run_ctx *ctx, char *err, size_t n);
/* `rt --version`'s first line, as vb_exec_line. */
int vb_container_version(const char *rt, char *line, size_t n, char *err, size_t errlen);
/* Fill in->info: runtime, its version, container id, cgroup path and layout. */
void vb_container_describe(struct vb_instance *in, const struct vb_container *c);

#endif
