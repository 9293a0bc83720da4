/* SPDX-License-Identifier: MIT */
/*
 * Resource limits on one instance, put on and lifted again, for the
 * noisy-neighbour experiment: CPU quota, the PUs it may run on, memory,
 * and disk bandwidth on the disk of its I/O scratch file. Its processes
 * are the members of its cgroup v2 group (in->cgroup) on both layouts:
 *  - cgroup v2: the limits go on that group itself, with the controllers
 *    enabled in its parent's (the run's group) cgroup.subtree_control;
 *  - hybrid (v1 controllers, a controller-less v2 tree): on groups
 *    `<run's group name>/<instance>` in each v1 hierarchy that has the
 *    knob, made here (or, for a container, the one its runtime made with
 *    the instance in it), its processes moved there.
 * A knob that cannot be used is "unavailable: <why>", not an error.
 * Memory already charged does not move with a process (v1), nor to a
 * group whose memory controller is enabled later (v2): open before the
 * workloads allocate what the limit is to hold.
 */
#ifndef VB_LIFE_LIMITS_H
#define VB_LIFE_LIMITS_H

#include <jansson.h>
#include <limits.h>
#include <stddef.h>

#include "../backend.h"

#define VB_LG_MAX_ROOTS 16
#define VB_LG_KNOBS 4   /* cpu, cpuset, memory, io */
#define VB_LG_WHY 512

/*
 * Where the cgroup hierarchies and the block devices are: the host's
 * from vb_lroots_host; a test's fake trees otherwise.
 */
struct vb_lroots {
	/* as vb_cgroup_roots: [0] the cgroup v2 mount, then (hybrid) the v1 hierarchies */
	char cg[VB_LG_MAX_ROOTS][PATH_MAX];
	size_t ncg;
	char sysblock[PATH_MAX];          /* /sys/dev/block */
};

/* The host's roots. 0, or -1 with err (no cgroup v2 mounted). */
int vb_lroots_host(struct vb_lroots *r, char *err, size_t n);

/* Limits to put on an instance; 0 / NULL fields: that knob is left alone. */
struct vb_limits {
	int cpu_pct;              /* CPU quota, % of one CPU (period 100 ms) */
	const int *pus;           /* the host PUs (OS indexes) it may run on */
	int npus;
	long long mem_bytes;      /* memory limit */
	long long io_bps;         /* read and write bytes/s on the scratch file's disk */
};

/* One directory of the instance's limit groups. */
struct vb_lgdir {
	int fd;                   /* the group (O_PATH), -1: none */
	int pfd;                  /* its parent, the run's group in that hierarchy */
	int made;                 /* open made it: close removes it */
	char path[PATH_MAX];      /* for messages and removal */
	char ppath[PATH_MAX];
};

/* What was made for one instance (open to close). */
struct vb_lgroup {
	int opened;
	int v1;                           /* limits in v1 hierarchies (hybrid host) */
	struct vb_lgdir dirs[VB_LG_KNOBS]; /* v2: one; v1: one per hierarchy used */
	size_t ndirs;
	int at[VB_LG_KNOBS];              /* each knob's dirs[] index, -1: see why */
	char why[VB_LG_KNOBS][VB_LG_WHY]; /* why a knob cannot be used */
	int set[VB_LG_KNOBS];             /* applied: lift undoes it */
	char was[VB_LG_KNOBS][64];        /* before the first apply ("" unread): what lift puts back */
	char disk[32];                    /* "MAJ:MIN" of the scratch's disk, "" see disk_why */
	char disk_why[VB_LG_WHY];
	char unlifted[VB_LG_WHY];         /* after lift: "" or the limit it could not lift */
};

/*
 * Make the instance's limit groups (see above) under the run's cgroup v2
 * dir run_group, which must be r->cg[0] + "/<name>" with in->cgroup
 * run_group + "/" + in->name, and move its processes there. 0 (knobs
 * that cannot be used say why in apply), or -1 with err. Call
 * vb_lgroup_close after it either way.
 */
int vb_lgroup_open(struct vb_lgroup *g, const struct vb_lroots *r, const struct vb_instance *in,
		   const char *run_group, char *err, size_t n);
/*
 * Apply l; record in `applied` each knob asked for ("cpu", "cpuset",
 * "memory", "io") with its value as written ("50000 100000", "1",
 * "268435456", "254:0 rbps=N wbps=N") or "unavailable: <why>".
 */
void vb_lgroup_apply(struct vb_lgroup *g, const struct vb_limits *l, json_t *applied);
/*
 * Lift every limit apply set: back to what the group had before (a
 * container's runtime may have put its own quota, cpuset or memory limit
 * there), else to unlimited (max / -1 / the parent's cpus and mems).
 * Where one stays, g->unlifted says which and why.
 */
void vb_lgroup_lift(struct vb_lgroup *g);
/* Memory charged to it now (bytes), or -1 with why. */
long long vb_lgroup_memory(const struct vb_lgroup *g, char *why, size_t n);
/* OOM kills in it so far, or -1 with why. */
long long vb_lgroup_oom_kills(const struct vb_lgroup *g, char *why, size_t n);
/*
 * Remove the groups open made, retrying while the kernel still holds
 * them; their processes must be gone or moved out by then: nothing is
 * killed. Then, on v1, the run's group where it is left empty.
 * Idempotent; nothing on a zeroed g.
 */
void vb_lgroup_close(struct vb_lgroup *g);

#endif
