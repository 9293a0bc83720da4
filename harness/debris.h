/* SPDX-License-Identifier: MIT */
/*
 * The debris of dead runs. A SIGKILLed vbench leaves its work directory
 * (scratch images, QEMU's and the runtimes' files) and its cgroups, with
 * whatever still runs in them. So each run records its owner: the pid,
 * that pid's start time (field 22 of /proc/PID/stat, which a reused pid
 * does not share), the boot and the pid namespace; in its work
 * directory's "owner" file, and (pid and start time) in its cgroup's
 * name. The next run removes what provably dead owners left, and nothing
 * else.
 */
#ifndef VB_DEBRIS_H
#define VB_DEBRIS_H

#include <jansson.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#define VB_OWNER_FILE "owner"
#define VB_DEBRIS_MAX_ROOTS 16
#define VB_DEBRIS_MAX_RUNTIMES 2

struct vb_owner {
	int pid;
	unsigned long long start;  /* the pid's start, clock ticks after boot */
	char boot[40];             /* /proc/sys/kernel/random/boot_id */
	unsigned long long pidns;  /* inode of its pid namespace */
};

enum vb_owner_state {
	VB_OWNER_ALIVE,
	VB_OWNER_DEAD,      /* no such process, or a zombie */
	VB_OWNER_REUSED,    /* its pid names another process now */
	VB_OWNER_REBOOTED,  /* recorded before the last boot */
	VB_OWNER_FOREIGN,   /* another pid namespace: its pid proves nothing here */
};

/* The process pid as an owner. 0, or -1 with err. */
int vb_owner_of(int pid, struct vb_owner *o, char *err, size_t n);
enum vb_owner_state vb_owner_state(const struct vb_owner *o);
/* "dead", "pid reused", ...: what vb_owner_state found, for messages. */
const char *vb_owner_state_name(enum vb_owner_state s);
/* Record o in dir/owner, a new file (no symlink followed). 0, or -1 with err. */
int vb_owner_write(const char *dir, const struct vb_owner *o, char *err, size_t n);
/* o as the result file's meta.owner, and back: 0, or -1 when j is not one. */
json_t *vb_owner_json(const struct vb_owner *o);
int vb_owner_from_json(const json_t *j, struct vb_owner *o);
/* The run's cgroup name, "vbench-PID-START". */
void vb_owner_cgroup_name(const struct vb_owner *o, char *buf, size_t n);

struct vb_sweep {
	const char *workdir_base;  /* where runs make vbench-XXXXXX, or NULL */
	char cgroup_roots[VB_DEBRIS_MAX_ROOTS][PATH_MAX];
	size_t ncg;
	char runtimes[VB_DEBRIS_MAX_RUNTIMES][PATH_MAX]; /* crun, runc: `list` and `delete` */
	size_t nrt;
};

/*
 * Kill what still runs in dead runs' cgroups and remove them (in each
 * root), delete the containers the runtimes still list for dead runs,
 * then remove dead runs' work directories: only real directories
 * (never a symlink) owned by this euid whose owner record names a dead
 * process. Each removal, and each piece of debris left because it has no
 * owner record (made before vbench recorded owners), is one line on
 * report. Returns the number of items removed.
 */
size_t vb_debris_sweep(const struct vb_sweep *s, FILE *report);

#endif
