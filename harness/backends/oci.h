/* SPDX-License-Identifier: MIT */
/*
 * OCI bundles (runtime-spec 1.0): a config.json and a rootfs holding only
 * the static agent, for the container backend, or its floor's payload.
 * Kept apart from the runtime driving so the generated config can be
 * unit-tested.
 */
#ifndef VB_OCI_H
#define VB_OCI_H

#include <jansson.h>
#include <stddef.h>

/* Where the agent, the floor's payload and the scratch image appear inside the container. */
#define VB_OCI_AGENT "/vbench-agent"
#define VB_OCI_FLOOR "/vbench-floor-hello"
#define VB_OCI_SCRATCH "/scratch.img"

struct vb_oci_spec {
	int floor;                  /* run the floor's payload (VB_OCI_FLOOR), not the agent */
	const char *scratch_host;   /* host file bind-mounted rw at VB_OCI_SCRATCH; NULL: none */
	const char *cgroups_path;   /* linux.cgroupsPath, e.g. "/vbench-42/container" */
	long long memory_mb;        /* memory limit (no swap on top); 0: none */
	int ncpus;                  /* CFS quota of ncpus CPUs; 0: none */
	const int *pus;             /* cpuset.cpus */
	int npus;
};

/* "0,1,...": up to VB_MAX_PUS indexes of a few digits each */
#define VB_OCI_CPUSET_MAX 512

/* pus as a cpuset list ("1,3"), truncated to n. */
void vb_oci_cpuset(const int *pus, int npus, char *buf, size_t n);
/* The config.json document (s->cgroups_path set); NULL when out of memory. */
json_t *vb_oci_config(const struct vb_oci_spec *s);
/*
 * Make rootfs dir `dir` (which must not exist): the agent (hard-linked,
 * else copied) and the mount points. 0 or -1 with err. The bundle's rootfs,
 * and what podman/docker import as the image.
 */
int vb_oci_rootfs(const char *dir, const char *agent, char *err, size_t n);
/*
 * Make bundle dir `dir` (which must not exist): rootfs/ with prog, the
 * agent or with s->floor the floor's payload (hard-linked, else copied),
 * the mount points (and the scratch image's with s->scratch_host), and
 * config.json from s. 0 or -1 with err; the caller removes dir either way.
 */
int vb_oci_bundle(const char *dir, const char *prog, const struct vb_oci_spec *s,
		  char *err, size_t n);

#endif
