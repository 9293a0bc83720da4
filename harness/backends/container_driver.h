/* SPDX-License-Identifier: MIT */
/*
 * How the container backend (container.c) runs a container: one driver
 * per kind of runtime, chosen once from --container-runtime. Like the
 * backends themselves, a const struct of callbacks; the backend does what
 * is the same for both (runtime lookup, cgroup checks, ids, the agent's
 * channel, counters, log, the v1 groups) and never knows driver details.
 */
#ifndef VB_CONTAINER_DRIVER_H
#define VB_CONTAINER_DRIVER_H

#include "container_common.h"

struct vb_container_driver {
	size_t priv_size;           /* its state at c->priv, allocated zeroed for it */
	/*
	 * 1 when runtime `name`, found at path, can run here, else 0 with the
	 * reason in why. The backend checks the cgroup layout and the agent.
	 */
	int (*available)(const char *name, const char *path, char *why, size_t n);
	/*
	 * Create and start the container (c filled in but for cgpath) with
	 * io_fd, the agent's channel, as its stdin and stdout; set in->pid,
	 * c->cgpath, in->cgroup and in->info. 0, or -1 with err; stop() is
	 * called either way.
	 */
	int (*start)(struct vb_instance *in, struct vb_container *c, const struct vb_run_ctx *ctx,
		     int io_fd, char *err, size_t n);
	/* Stop the container and remove what start() made; safe after a failed start. */
	void (*stop)(struct vb_instance *in, struct vb_container *c);
	/*
	 * The backend's floor (backend.h) on c (filled in as for start(), its
	 * id and cgroup the floor's own): 0 with *ms, or -1 with err; leaves
	 * nothing behind. NULL: the driver has no floor.
	 */
	int (*floor)(struct vb_container *c, const struct vb_run_ctx *ctx, double *ms, char *err,
		     size_t n);
};

/* crun and runc on vbench's OCI bundle (container_oci.c). */
extern const struct vb_container_driver vb_container_oci;
/* podman and docker on an imported image (container_podman.c). */
extern const struct vb_container_driver vb_container_podman;

#endif
