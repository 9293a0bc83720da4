/* SPDX-License-Identifier: MIT */
/*
 * The container backend's parts shared by its two drivers: an OCI runtime
 * on vbench's bundle (container.c) and podman/docker on an imported image
 * (container_podman.c).
 */
#ifndef VB_CONTAINER_H
#define VB_CONTAINER_H

#include "../backend.h"

struct ctr {
	char rt[PATH_MAX];          /* the runtime (or podman/docker) binary */
	int engine;                 /* 1: podman/docker, 0: an OCI runtime */
	int docker;
	char id[64];                /* container id / name */
	char bundle[PATH_MAX];
	char log[PATH_MAX];         /* the runtime's (and the agent's) stderr */
	char cgpath[PATH_MAX];      /* its cgroup below the roots: "/vbench-N/..." */
	char parent[PATH_MAX];      /* vbench's cgroup below the root: "/vbench-N" */
	int hybrid;
	int created;
	pid_t client;               /* `podman run`, while it runs */
	long long memory_mb;
};

/*
 * Start argv (argv[0] a path) with io_fd (or /dev/null) as stdin and
 * stdout and the log as stderr, in its own process group, on hybrid hosts
 * in a mount namespace without the v2 mount. Its pid, or -1.
 */
pid_t vb_ctr_spawn(const struct ctr *c, const char *const argv[], int io_fd);
/* Wait for a child: its exit status, or -1. */
int vb_ctr_wait(pid_t pid);
/* Put the container into its cgroup v2 group; sets in->cgroup and cgroup_id. */
int vb_ctr_join_v2(struct vb_instance *in, const struct ctr *c, const struct vb_run_ctx *ctx,
		   char *err, size_t n);
/* 1 while pid (not our child) runs. */
int vb_ctr_running(pid_t pid);
/* Fill in->info: runtime, its version, container id, cgroup path and layout. */
void vb_ctr_describe(struct vb_instance *in, const struct ctr *c);

/* podman/docker (container_podman.c). */
int vb_podman_available(const char *name, const struct vb_run_ctx *ctx, char *why, size_t n);
int vb_podman_start(struct vb_instance *in, struct ctr *c, const struct vb_run_ctx *ctx,
		    char *err, size_t n);
void vb_podman_stop(struct vb_instance *in, struct ctr *c);

#endif
