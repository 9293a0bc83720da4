/* SPDX-License-Identifier: MIT */
/*
 * Limits on one instance (limits.h): put on its limit groups, lifted
 * again to what the groups had, and what they hold meanwhile (memory
 * charged, OOM kills). limits_open.c makes the groups.
 */
#include "limits_fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CFS_PERIOD_US 100000

static int asked(const struct vb_limits *l, int k)
{
	switch (k) {
	case K_CPU:
		return l->cpu_pct != 0;
	case K_CPUSET:
		return l->npus != 0;
	case K_MEMORY:
		return l->mem_bytes != 0;
	default:
		return l->io_bps != 0;
	}
}

/* A CPU quota: v2 cpu.max, v1 the CFS period and quota. */
static int set_cpu(const struct vb_lgroup *g, const struct vb_lgdir *d, const struct vb_limits *l,
		   char *val, size_t vn, char *why, size_t n)
{
	long long quota = (long long)l->cpu_pct * CFS_PERIOD_US / 100;

	if (l->cpu_pct < 0) {
		lg_say(why, n, "invalid CPU quota %d%%", l->cpu_pct);
		return -1;
	}
	snprintf(val, vn, "%lld %d", quota, CFS_PERIOD_US);
	if (!g->v1)
		return lg_write_at(d->fd, d->path, "cpu.max", val, why, n);
	return lg_write_num(d, "cpu.cfs_period_us", CFS_PERIOD_US, why, n) ||
	       lg_write_num(d, "cpu.cfs_quota_us", quota, why, n) ? -1 : 0;
}

/* The PUs as a cpuset list, "0,2,3". */
static int cpu_list(const struct vb_limits *l, char *val, size_t vn, char *why, size_t n)
{
	size_t len = 0;

	val[0] = '\0';
	for (int i = 0; i < l->npus; i++) {
		int w = l->pus ? snprintf(val + len, vn - len, "%s%d", i ? "," : "", l->pus[i]) : -1;

		if (!l->pus || l->pus[i] < 0 || w < 0 || (size_t)w >= vn - len) {
			lg_say(why, n, "invalid or too many PUs (%d)", l->npus);
			return -1;
		}
		len += (size_t)w;
	}
	return 0;
}

/* The PUs: v1 needs the memory nodes too, the parent's. */
static int set_cpuset(const struct vb_lgroup *g, const struct vb_lgdir *d,
		      const struct vb_limits *l, char *val, size_t vn, char *why, size_t n)
{
	if (l->npus < 0 || cpu_list(l, val, vn, why, n) ||
	    (g->v1 && lg_copy_at(d->pfd, d->fd, d->path, "cpuset.mems", why, n)))
		return -1;
	return lg_write_at(d->fd, d->path, "cpuset.cpus", val, why, n);
}

static int set_memory(const struct vb_lgroup *g, const struct vb_lgdir *d,
		      const struct vb_limits *l, char *val, size_t vn, char *why, size_t n)
{
	if (l->mem_bytes < 0) {
		lg_say(why, n, "invalid memory limit %lld", l->mem_bytes);
		return -1;
	}
	snprintf(val, vn, "%lld", l->mem_bytes);
	return lg_write_at(d->fd, d->path, g->v1 ? "memory.limit_in_bytes" : "memory.max", val, why,
			n);
}

/* v1: the read and the write limit of the disk, or neither. */
static int set_blkio(const struct vb_lgroup *g, const struct vb_lgdir *d, long long bps,
		     char *why, size_t n)
{
	char rule[64], undo[VB_LG_WHY]; /* why the undoing failed: why says what matters */

	snprintf(rule, sizeof(rule), "%s %lld", g->disk, bps);
	if (lg_write_at(d->fd, d->path, "blkio.throttle.read_bps_device", rule, why, n))
		return -1;
	if (lg_write_at(d->fd, d->path, "blkio.throttle.write_bps_device", rule, why, n) == 0)
		return 0;
	snprintf(rule, sizeof(rule), "%s 0", g->disk);
	lg_write_at(d->fd, d->path, "blkio.throttle.read_bps_device", rule, undo, sizeof(undo));
	return -1;
}

static int set_io(const struct vb_lgroup *g, const struct vb_lgdir *d, const struct vb_limits *l,
		  char *val, size_t vn, char *why, size_t n)
{
	if (!g->disk[0]) {
		lg_say(why, n, "%s", g->disk_why);
		return -1;
	}
	if (l->io_bps < 0) {
		lg_say(why, n, "invalid I/O limit %lld", l->io_bps);
		return -1;
	}
	snprintf(val, vn, "%s rbps=%lld wbps=%lld", g->disk, l->io_bps, l->io_bps);
	if (g->v1)
		return set_blkio(g, d, l->io_bps, why, n);
	return lg_write_at(d->fd, d->path, "io.max", val, why, n);
}

typedef int setter(const struct vb_lgroup *g, const struct vb_lgdir *d, const struct vb_limits *l,
		   char *val, size_t vn, char *why, size_t n);
static setter *const setters[VB_LG_KNOBS] = { set_cpu, set_cpuset, set_memory, set_io };

/* The file that holds knob k's limit (v1: the quota; its period is the kernel's default). */
static const char *limit_file(const struct vb_lgroup *g, int k)
{
	static const char *const v2[VB_LG_KNOBS] = { "cpu.max", "cpuset.cpus", "memory.max", NULL };
	static const char *const v1[VB_LG_KNOBS] = { "cpu.cfs_quota_us", "cpuset.cpus",
						     "memory.limit_in_bytes", NULL };

	return g->v1 ? v1[k] : v2[k];
}

/* Before knob k's first limit: what its group had, for lift to put back. */
static void remember(struct vb_lgroup *g, int k)
{
	const char *f = limit_file(g, k);

	g->was[k][0] = '\0';
	if (f && lg_read_at(g->dirs[g->at[k]].fd, f, g->was[k], sizeof(g->was[k])) > 0)
		g->was[k][strcspn(g->was[k], "\n")] = '\0';
	else
		g->was[k][0] = '\0';
}

void vb_lgroup_apply(struct vb_lgroup *g, const struct vb_limits *l, json_t *applied)
{
	for (int k = 0; k < VB_LG_KNOBS; k++) {
		char val[256], why[VB_LG_WHY], text[VB_LG_WHY + 16];

		if (!asked(l, k))
			continue;
		if (g->at[k] >= 0 && !g->set[k])
			remember(g, k);
		if (g->at[k] < 0)
			lg_say(why, sizeof(why), "%s", g->why[k]);
		else if (setters[k](g, &g->dirs[g->at[k]], l, val, sizeof(val), why, sizeof(why)) == 0) {
			g->set[k] = 1;
			json_object_set_new(applied, lg_knobs[k].name, json_string(val));
			continue;
		}
		lg_say(text, sizeof(text), "unavailable: %s", why);
		json_object_set_new(applied, lg_knobs[k].name, json_string(text));
	}
}

static int lift_cpu(const struct vb_lgroup *g, const struct vb_lgdir *d, char *why, size_t n)
{
	if (g->v1)
		return lg_write_at(d->fd, d->path, "cpu.cfs_quota_us", "-1", why, n);
	return lg_write_at(d->fd, d->path, "cpu.max", "max", why, n);
}

/* v2: an empty cpuset.cpus is the parent's; v1 has no such default: copied. */
static int lift_cpuset(const struct vb_lgroup *g, const struct vb_lgdir *d, char *why, size_t n)
{
	if (g->v1)
		return lg_inherit_cpuset(d->pfd, d->fd, d->path, why, n);
	return lg_write_at(d->fd, d->path, "cpuset.cpus", "", why, n);
}

static int lift_memory(const struct vb_lgroup *g, const struct vb_lgdir *d, char *why, size_t n)
{
	if (g->v1)
		return lg_write_at(d->fd, d->path, "memory.limit_in_bytes", "-1", why, n);
	return lg_write_at(d->fd, d->path, "memory.max", "max", why, n);
}

static int lift_io(const struct vb_lgroup *g, const struct vb_lgdir *d, char *why, size_t n)
{
	char rule[64];

	if (g->v1)
		return set_blkio(g, d, 0, why, n);
	snprintf(rule, sizeof(rule), "%s rbps=max wbps=max", g->disk);
	return lg_write_at(d->fd, d->path, "io.max", rule, why, n);
}

typedef int lifter(const struct vb_lgroup *g, const struct vb_lgdir *d, char *why, size_t n);

static lifter *const lifters[VB_LG_KNOBS] = { lift_cpu, lift_cpuset, lift_memory, lift_io };

void vb_lgroup_lift(struct vb_lgroup *g)
{
	g->unlifted[0] = '\0';
	for (int k = 0; k < VB_LG_KNOBS; k++) {
		char why[VB_LG_WHY];

		if (!g->set[k])
			continue;
		const struct vb_lgdir *d = &g->dirs[g->at[k]];
		int v2_empty_cpuset = k == K_CPUSET && !g->v1; /* "" is the parent's: written too */

		if ((g->was[k][0] || v2_empty_cpuset) && limit_file(g, k)
		    ? lg_write_at(d->fd, d->path, limit_file(g, k), g->was[k], why, sizeof(why)) == 0
		    : lifters[k](g, d, why, sizeof(why)) == 0)
			g->set[k] = 0;
		else
			lg_say(g->unlifted, sizeof(g->unlifted), "%s: %s", lg_knobs[k].name, why);
	}
}

/* The memory knob's group, or NULL with why. */
static const struct vb_lgdir *memory_dir(const struct vb_lgroup *g, char *why, size_t n)
{
	if (g->opened && g->at[K_MEMORY] >= 0)
		return &g->dirs[g->at[K_MEMORY]];
	lg_say(why, n, "%s", g->opened ? g->why[K_MEMORY] : "no limit group");
	return NULL;
}

long long vb_lgroup_memory(const struct vb_lgroup *g, char *why, size_t n)
{
	const struct vb_lgdir *d = memory_dir(g, why, n);
	const char *file = g->v1 ? "memory.usage_in_bytes" : "memory.current";
	char buf[64], *end;
	long long v;

	if (!d)
		return -1;
	if (lg_read_at(d->fd, file, buf, sizeof(buf)) < 0) {
		lg_say(why, n, "read %s/%s: %s", d->path, file, strerror(errno));
		return -1;
	}
	v = strtoll(buf, &end, 10);
	if (end == buf || v < 0) {
		lg_say(why, n, "%s/%s: not a number", d->path, file);
		return -1;
	}
	return v;
}

long long vb_lgroup_oom_kills(const struct vb_lgroup *g, char *why, size_t n)
{
	const struct vb_lgdir *d = memory_dir(g, why, n);
	const char *file = g->v1 ? "memory.oom_control" : "memory.events";
	char buf[1024], key[64];
	long long v;
	int used;

	if (!d)
		return -1;
	if (lg_read_at(d->fd, file, buf, sizeof(buf)) < 0) {
		lg_say(why, n, "read %s/%s: %s", d->path, file, strerror(errno));
		return -1;
	}
	for (const char *p = buf; sscanf(p, "%63s %lld%n", key, &v, &used) == 2; p += used)
		if (strcmp(key, "oom_kill") == 0)
			return v;
	lg_say(why, n, "%s/%s has no oom_kill count", d->path, file);
	return -1;
}
