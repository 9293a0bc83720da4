/* SPDX-License-Identifier: MIT */
/*
 * Command lines for podman (and docker, the same CLI) as the container
 * backend's engine. Pure: built from the run's values, so they can be
 * unit-tested; harness/backends/container_podman.c runs them.
 */
#ifndef VB_PODMAN_CMD_H
#define VB_PODMAN_CMD_H

#include <limits.h>
#include <stddef.h>

#include "oci.h"

#define VB_PODMAN_ARGV_MAX 64

/* A command line and the storage its formatted values live in. */
struct vb_podman_cmd {
	const char *argv[VB_PODMAN_ARGV_MAX];
	int argc;
	char memory[32], cpus[16], cpuset[VB_OCI_CPUSET_MAX], volume[PATH_MAX + 32];
};

/* What `run` needs beyond the limits in spec (spec->cgroups_path is the parent). */
struct vb_podman_run {
	const char *engine;         /* path of the podman or docker binary */
	int docker;                 /* docker: no podman-only flags */
	const char *name;           /* container name, "vbench-<pid>-container" */
	const char *image;          /* localhost/vbench-agent:<hash> */
	const struct vb_oci_spec *spec;
};

/* The engine and its global flags (podman: see podman_cmd.c); args to be appended. */
void vb_podman_base(struct vb_podman_cmd *c, const char *engine, int docker);
/* Append one argument; -1 when full (the command is then unusable). */
int vb_podman_add(struct vb_podman_cmd *c, const char *arg);
/*
 * `run -i --rm ... IMAGE /vbench-agent --role container --scratch ...`:
 * stdin/stdout are the agent's channel. 0, or -1 when a value does not fit.
 */
int vb_podman_run_cmd(struct vb_podman_cmd *c, const struct vb_podman_run *r);

#endif
