/* SPDX-License-Identifier: MIT */
/*
 * Limits on one instance (limits.h). Every group is reached from its
 * hierarchy's root one directory at a time (openat, no symlink followed)
 * and must be on the root's filesystem; files are opened in those
 * directories without following a symlink and never created: cgroupfs
 * makes them.
 */
#include "limits.h"
#include "../cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

enum { K_CPU, K_CPUSET, K_MEMORY, K_IO };

static const struct knob {
	const char *name;     /* its key in `applied`, and its cgroup v2 controller */
	const char *v1file;   /* a file at the root of the v1 hierarchy that has it */
} knobs[VB_LG_KNOBS] = {
	[K_CPU] = { "cpu", "cpu.cfs_quota_us" },
	[K_CPUSET] = { "cpuset", "cpuset.cpus" },
	[K_MEMORY] = { "memory", "memory.limit_in_bytes" },
	[K_IO] = { "io", "blkio.throttle.read_bps_device" },
};

#define CFS_PERIOD_US 100000
#define MAX_MEMBERS 1024
#define MOVE_PASSES 10
/* the kernel takes a moment to let go of a group its last process left */
#define RMDIR_TRIES 100
#define RMDIR_WAIT_US 10000

/* A message into why; one that does not fit is cut short. */
static void __attribute__((format(printf, 3, 4))) say(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
}

int vb_lroots_host(struct vb_lroots *r, char *err, size_t n)
{
	r->ncg = vb_cgroup_roots(r->cg, VB_LG_MAX_ROOTS);
	snprintf(r->sysblock, sizeof(r->sysblock), "/sys/dev/block");
	if (r->ncg == 0) {
		say(err, n, "no cgroup v2 hierarchy mounted");
		return -1;
	}
	return 0;
}

/* path = a/b, or a/b/c; -1 with why if too long. */
static int join(char *path, size_t len, const char *a, const char *b, const char *c, char *why,
		size_t n)
{
	if ((size_t)snprintf(path, len, "%s/%s%s%s", a, b, c ? "/" : "", c ? c : "") < len)
		return 0;
	say(why, n, "path too long: %.64s.../%.64s", a, c ? c : b);
	return -1;
}

/* One path component: a cgroup name that is not "", "." or ".." and has no '/'. */
static int plain_name(const char *s)
{
	return s[0] && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

/*
 * The group `name` in dirfd (at path): a directory, not a symlink, on the
 * hierarchy's filesystem dev. Its fd, or -1 with why.
 */
static int open_group(int dirfd, const char *name, dev_t dev, const char *path, char *why,
		      size_t n)
{
	struct stat st;
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0) {
		say(why, n, "open %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || st.st_dev != dev) {
		say(why, n, "%s is not in its cgroup hierarchy", path);
		close(fd);
		return -1;
	}
	return fd;
}

/* A root of a hierarchy and its filesystem: the fd, or -1 with why. */
static int open_root(const char *root, dev_t *dev, char *why, size_t n)
{
	struct stat st;
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st)) {
		say(why, n, "open %s: %s", root, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*dev = st.st_dev;
	return fd;
}

/* The text of file name in dirfd, NUL-terminated: its length, or -1 (errno; EFBIG: too long). */
static ssize_t read_at(int dirfd, const char *name, char *buf, size_t len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t got;
	char more;

	if (fd < 0)
		return -1;
	got = read(fd, buf, len - 1);
	if (got == (ssize_t)len - 1 && read(fd, &more, 1) > 0) {
		errno = EFBIG;
		got = -1;
	}
	close(fd);
	if (got >= 0)
		buf[got] = '\0';
	return got;
}

/* Write value (and a newline) to file name in dirfd (at dir): 0, or -1 with why and errno. */
static int write_at(int dirfd, const char *dir, const char *name, const char *value, char *why,
		    size_t n)
{
	int fd = openat(dirfd, name, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
	char line[512];
	int len = snprintf(line, sizeof(line), "%s\n", value), e = 0;

	if ((size_t)len >= sizeof(line))
		e = E2BIG;
	else if (fd < 0 || write(fd, line, (size_t)len) != len)
		e = errno;
	if (fd >= 0)
		close(fd);
	if (!e)
		return 0;
	say(why, n, "write '%s' to %s/%s: %s", value, dir, name, strerror(e));
	errno = e;
	return -1;
}

/* Copy file name from the group at from to the one at to (path). 0, or -1 with why. */
static int copy_at(int from, int to, const char *path, const char *name, char *why, size_t n)
{
	char value[256];

	if (read_at(from, name, value, sizeof(value)) < 0) {
		say(why, n, "read the parent's %s of %s: %s", name, path, strerror(errno));
		return -1;
	}
	value[strcspn(value, "\n")] = '\0';
	return write_at(to, path, name, value, why, n);
}

/* A v1 cpuset group is empty when made: no process may join it before it has CPUs and memory. */
static int inherit_cpuset(int from, int to, const char *path, char *why, size_t n)
{
	return copy_at(from, to, path, "cpuset.mems", why, n) ||
	       copy_at(from, to, path, "cpuset.cpus", why, n) ? -1 : 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The pids in the group's cgroup.procs, sorted: their count, or -1 (errno). */
static int members(int dirfd, int *pids, int max)
{
	char buf[16384], *p = buf, *end;
	int k = 0;

	if (read_at(dirfd, "cgroup.procs", buf, sizeof(buf)) < 0)
		return -1;
	for (long v = strtol(p, &end, 10); end != p; v = strtol(p, &end, 10)) {
		if (k == max || v <= 0 || v > INT_MAX) {
			errno = k == max ? EFBIG : EINVAL;
			return -1;
		}
		pids[k++] = (int)v;
		p = end;
	}
	qsort(pids, (size_t)k, sizeof(*pids), cmp_int);
	return k;
}

/* Whether the words of list (spaces, newlines) have w. */
static int has_word(const char *list, const char *w)
{
	size_t len = strlen(w);

	for (const char *p = list; (p = strstr(p, w)); p += len)
		if ((p == list || p[-1] == ' ' || p[-1] == '\n') &&
		    (p[len] == '\0' || p[len] == ' ' || p[len] == '\n'))
			return 1;
	return 0;
}

/* Write v as a decimal to file name of d. */
static int write_num(const struct vb_lgdir *d, const char *name, long long v, char *why, size_t n)
{
	char s[32];

	snprintf(s, sizeof(s), "%lld", v);
	return write_at(d->fd, d->path, name, s, why, n);
}

static void close_dir(struct vb_lgdir *d)
{
	if (d->fd >= 0)
		close(d->fd);
	if (d->pfd >= 0)
		close(d->pfd);
	d->fd = d->pfd = -1;
}

static void lg_init(struct vb_lgroup *g)
{
	memset(g, 0, sizeof(*g));
	g->opened = 1;
	for (size_t i = 0; i < VB_LG_KNOBS; i++) {
		g->dirs[i].fd = g->dirs[i].pfd = -1;
		g->at[i] = -1;
	}
}

/*
 * The disk holding the scratch file: its filesystem's device, or the
 * whole disk of a partition (io.max and blkio take disks only).
 * /sys/dev/block/MAJ:MIN is a link into sysfs by design: followed.
 */
static void find_disk(struct vb_lgroup *g, const char *sysblock, const char *scratch)
{
	char dev[32], path[PATH_MAX], line[64];
	unsigned maj, min;
	struct stat st;
	int fd;

	if (!scratch[0]) {
		say(g->disk_why, sizeof(g->disk_why), "the instance has no I/O scratch file");
		return;
	}
	if (stat(scratch, &st)) {
		say(g->disk_why, sizeof(g->disk_why), "%s: %s", scratch, strerror(errno));
		return;
	}
	snprintf(dev, sizeof(dev), "%u:%u", major(st.st_dev), minor(st.st_dev));
	if (join(path, sizeof(path), sysblock, dev, NULL, g->disk_why, sizeof(g->disk_why)))
		return;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		say(g->disk_why, sizeof(g->disk_why),
		    "%s is on device %s, not a block device (%s: %s)", scratch, dev, path,
		    strerror(errno));
		return;
	}
	if (faccessat(fd, "partition", F_OK, 0)) {
		snprintf(g->disk, sizeof(g->disk), "%s", dev);
	} else if (read_at(fd, "../dev", line, sizeof(line)) < 0 ||
		   sscanf(line, "%u:%u", &maj, &min) != 2) {
		say(g->disk_why, sizeof(g->disk_why), "the disk of partition %s: %s/../dev "
		    "unreadable", dev, path);
	} else {
		snprintf(g->disk, sizeof(g->disk), "%u:%u", maj, min);
	}
	close(fd);
}

/*
 * cgroup v2: the instance's group itself, ctrl enabled for it in its
 * parent (the run's group). 0, or -1 with why.
 */
static int enable_v2(const struct vb_lgdir *d, const char *ctrl, char *why, size_t n)
{
	char list[1024], plus[32];

	if (read_at(d->pfd, "cgroup.controllers", list, sizeof(list)) < 0) {
		say(why, n, "read %s/cgroup.controllers: %s", d->ppath, strerror(errno));
		return -1;
	}
	if (!has_word(list, ctrl)) {
		say(why, n, "the %s controller is not enabled for %s by its parent", ctrl,
		    d->ppath);
		return -1;
	}
	if (read_at(d->pfd, "cgroup.subtree_control", list, sizeof(list)) >= 0 &&
	    has_word(list, ctrl))
		return 0;
	snprintf(plus, sizeof(plus), "+%s", ctrl);
	return write_at(d->pfd, d->ppath, "cgroup.subtree_control", plus, why, n);
}

static void open_v2(struct vb_lgroup *g)
{
	for (int k = 0; k < VB_LG_KNOBS; k++)
		if (enable_v2(&g->dirs[0], knobs[k].name, g->why[k], VB_LG_WHY) == 0)
			g->at[k] = 0;
}

/* The v1 hierarchy (index in r->cg) that has file at its root, 0 if none. */
static size_t v1_hierarchy(const struct vb_lroots *r, const char *file)
{
	for (size_t i = 1; i < r->ncg; i++) {
		char path[PATH_MAX];

		if ((size_t)snprintf(path, sizeof(path), "%s/%s", r->cg[i], file) < sizeof(path) &&
		    access(path, F_OK) == 0)
			return i;
	}
	return 0;
}

/* The run's group in a v1 hierarchy (shared by its instances: may exist). */
static int v1_run_dir(struct vb_lgdir *d, int rootfd, dev_t dev, const char *run_name,
		      int cpuset, char *why, size_t n)
{
	int made = mkdirat(rootfd, run_name, 0755) == 0;

	if (!made && errno != EEXIST) {
		say(why, n, "mkdir %s: %s", d->ppath, strerror(errno));
		return -1;
	}
	d->pfd = open_group(rootfd, run_name, dev, d->ppath, why, n);
	if (d->pfd < 0)
		return -1;
	return made && cpuset ? inherit_cpuset(rootfd, d->pfd, d->ppath, why, n) : 0;
}

/* Whether pid is in the group d. 0, or -1 with why. */
static int holds(const struct vb_lgdir *d, pid_t pid, char *why, size_t n)
{
	int pids[MAX_MEMBERS], k = members(d->fd, pids, MAX_MEMBERS), key = (int)pid;

	if (k < 0) {
		say(why, n, "read %s/cgroup.procs: %s", d->path, strerror(errno));
		return -1;
	}
	if (key > 0 && bsearch(&key, pids, (size_t)k, sizeof(*pids), cmp_int))
		return 0;
	say(why, n, "%s exists and does not hold the instance (pid %d): not its group",
	    d->path, (int)pid);
	return -1;
}

/*
 * The instance's group in a v1 hierarchy: made here, or (a container's)
 * the one its runtime made, which holds its process already.
 */
static int v1_inst_dir(struct vb_lgdir *d, dev_t dev, const struct vb_instance *in, int cpuset,
		       char *why, size_t n)
{
	d->made = mkdirat(d->pfd, in->name, 0755) == 0;
	if (!d->made && errno != EEXIST) {
		say(why, n, "mkdir %s: %s", d->path, strerror(errno));
		return -1;
	}
	d->fd = open_group(d->pfd, in->name, dev, d->path, why, n);
	if (d->fd < 0)
		return -1;
	if (!d->made)
		return holds(d, in->pid, why, n);
	return cpuset ? inherit_cpuset(d->pfd, d->fd, d->path, why, n) : 0;
}

/*
 * Move the members of the instance's v2 group (v2fd, at v2path) into d,
 * until a pass finds none that was not there in the last: a process
 * forked before its parent moved is still where the parent was.
 */
static int move_members(int v2fd, const char *v2path, const struct vb_lgdir *d, char *why,
			size_t n)
{
	int prev[MAX_MEMBERS], cur[MAX_MEMBERS], nprev = -1;

	for (int pass = 0; pass < MOVE_PASSES; pass++) {
		int k = members(v2fd, cur, MAX_MEMBERS);
		char pid[16];

		if (k < 0) {
			say(why, n, "read %s/cgroup.procs: %s", v2path, strerror(errno));
			return -1;
		}
		if (k == nprev && memcmp(cur, prev, (size_t)k * sizeof(*cur)) == 0)
			return 0;
		for (int i = 0; i < k; i++) {
			snprintf(pid, sizeof(pid), "%d", cur[i]);
			/* one that exited meanwhile is not an error */
			if (write_at(d->fd, d->path, "cgroup.procs", pid, why, n) && errno != ESRCH)
				return -1;
		}
		memcpy(prev, cur, (size_t)k * sizeof(*cur));
		nprev = k;
	}
	say(why, n, "the processes of %s keep changing", v2path);
	return -1;
}

/*
 * The instance's group in the v1 hierarchy root, its processes in it:
 * the index in g->dirs, or -1 with why. What it made is in g->dirs either
 * way, for close.
 */
static int v1_group(struct vb_lgroup *g, const char *root, const char *run_name,
		    const struct vb_instance *in, int v2fd, char *why, size_t n)
{
	struct vb_lgdir *d = &g->dirs[g->ndirs];
	int rootfd, cpuset, ok;
	dev_t dev;

	if (join(d->ppath, sizeof(d->ppath), root, run_name, NULL, why, n) ||
	    join(d->path, sizeof(d->path), root, run_name, in->name, why, n))
		return -1;
	rootfd = open_root(root, &dev, why, n);
	if (rootfd < 0)
		return -1;
	g->ndirs++;
	cpuset = faccessat(rootfd, "cpuset.cpus", F_OK, AT_SYMLINK_NOFOLLOW) == 0;
	ok = v1_run_dir(d, rootfd, dev, run_name, cpuset, why, n) == 0 &&
	     v1_inst_dir(d, dev, in, cpuset, why, n) == 0 &&
	     move_members(v2fd, in->cgroup, d, why, n) == 0;
	close(rootfd);
	return ok ? (int)(d - g->dirs) : -1;
}

/* Hybrid: each knob in the v1 hierarchy that has it, one group per hierarchy. */
static void open_v1(struct vb_lgroup *g, const struct vb_lroots *r, const char *run_name,
		    const struct vb_instance *in, int v2fd)
{
	int dir_of[VB_LG_MAX_ROOTS], tried_by[VB_LG_MAX_ROOTS];

	for (size_t i = 0; i < VB_LG_MAX_ROOTS; i++)
		tried_by[i] = dir_of[i] = -1;
	for (int k = 0; k < VB_LG_KNOBS; k++) {
		size_t i = v1_hierarchy(r, knobs[k].v1file);

		if (!i) {
			say(g->why[k], VB_LG_WHY, "no cgroup v1 hierarchy has %s", knobs[k].v1file);
			continue;
		}
		if (tried_by[i] < 0) {
			dir_of[i] = v1_group(g, r->cg[i], run_name, in, v2fd, g->why[k], VB_LG_WHY);
			tried_by[i] = k;
		} else if (dir_of[i] < 0) {
			memcpy(g->why[k], g->why[tried_by[i]], VB_LG_WHY);
		}
		g->at[k] = dir_of[i];
	}
}

/* run_group's name under the v2 root, or NULL with err. */
static const char *run_name_of(const char *v2root, const char *run_group, char *err, size_t n)
{
	size_t len = strlen(v2root);

	if (strncmp(run_group, v2root, len) || run_group[len] != '/' ||
	    !plain_name(run_group + len + 1)) {
		say(err, n, "the run's cgroup %s is not a group under %s", run_group, v2root);
		return NULL;
	}
	return run_group + len + 1;
}

/*
 * The instance's v2 group into d (fd, its parent pfd), which must be
 * run_group/<in->name>: a group not the run's is not limited here.
 */
static int open_inst_v2(struct vb_lgdir *d, const struct vb_lroots *r,
			const struct vb_instance *in, const char *run_group, char *err, size_t n)
{
	const char *run_name = run_name_of(r->cg[0], run_group, err, n);
	dev_t dev;
	int rootfd;

	if (!run_name)
		return -1;
	if (!plain_name(in->name)) {
		say(err, n, "instance name '%s' is not a cgroup name", in->name);
		return -1;
	}
	if (join(d->path, sizeof(d->path), run_group, in->name, NULL, err, n))
		return -1;
	snprintf(d->ppath, sizeof(d->ppath), "%s", run_group); /* fits: shorter than path */
	if (strcmp(d->path, in->cgroup)) {
		say(err, n, "the instance's cgroup %s is not %s: not the run's to limit",
		    in->cgroup, d->path);
		return -1;
	}
	rootfd = open_root(r->cg[0], &dev, err, n);
	if (rootfd < 0)
		return -1;
	d->pfd = open_group(rootfd, run_name, dev, d->ppath, err, n);
	close(rootfd);
	if (d->pfd >= 0)
		d->fd = open_group(d->pfd, in->name, dev, d->path, err, n);
	return d->fd >= 0 ? 0 : -1;
}

int vb_lgroup_open(struct vb_lgroup *g, const struct vb_lroots *r, const struct vb_instance *in,
		   const char *run_group, char *err, size_t n)
{
	struct vb_lgdir v2 = { .fd = -1, .pfd = -1 };

	lg_init(g);
	if (r->ncg == 0 || r->ncg > VB_LG_MAX_ROOTS || !run_group || !run_group[0] ||
	    !in->cgroup[0]) {
		say(err, n, "instance %s: no cgroup v2 group to limit", in->name);
		return -1;
	}
	if (open_inst_v2(&v2, r, in, run_group, err, n)) {
		close_dir(&v2);
		return -1;
	}
	find_disk(g, r->sysblock, in->scratch);
	g->v1 = r->ncg > 1;
	if (!g->v1) {
		g->dirs[g->ndirs++] = v2;
		open_v2(g);
		return 0;
	}
	/* hybrid: the v2 group only tells which processes are the instance's */
	open_v1(g, r, run_group + strlen(r->cg[0]) + 1, in, v2.fd);
	close_dir(&v2);
	return 0;
}

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
		say(why, n, "invalid CPU quota %d%%", l->cpu_pct);
		return -1;
	}
	snprintf(val, vn, "%lld %d", quota, CFS_PERIOD_US);
	if (!g->v1)
		return write_at(d->fd, d->path, "cpu.max", val, why, n);
	return write_num(d, "cpu.cfs_period_us", CFS_PERIOD_US, why, n) ||
	       write_num(d, "cpu.cfs_quota_us", quota, why, n) ? -1 : 0;
}

/* The PUs as a cpuset list, "0,2,3". */
static int cpu_list(const struct vb_limits *l, char *val, size_t vn, char *why, size_t n)
{
	size_t len = 0;

	val[0] = '\0';
	for (int i = 0; i < l->npus; i++) {
		int w = l->pus ? snprintf(val + len, vn - len, "%s%d", i ? "," : "", l->pus[i]) : -1;

		if (!l->pus || l->pus[i] < 0 || w < 0 || (size_t)w >= vn - len) {
			say(why, n, "invalid or too many PUs (%d)", l->npus);
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
	    (g->v1 && copy_at(d->pfd, d->fd, d->path, "cpuset.mems", why, n)))
		return -1;
	return write_at(d->fd, d->path, "cpuset.cpus", val, why, n);
}

static int set_memory(const struct vb_lgroup *g, const struct vb_lgdir *d,
		      const struct vb_limits *l, char *val, size_t vn, char *why, size_t n)
{
	if (l->mem_bytes < 0) {
		say(why, n, "invalid memory limit %lld", l->mem_bytes);
		return -1;
	}
	snprintf(val, vn, "%lld", l->mem_bytes);
	return write_at(d->fd, d->path, g->v1 ? "memory.limit_in_bytes" : "memory.max", val, why,
			n);
}

/* v1: the read and the write limit of the disk, or neither. */
static int set_blkio(const struct vb_lgroup *g, const struct vb_lgdir *d, long long bps,
		     char *why, size_t n)
{
	char rule[64], undo[VB_LG_WHY]; /* why the undoing failed: why says what matters */

	snprintf(rule, sizeof(rule), "%s %lld", g->disk, bps);
	if (write_at(d->fd, d->path, "blkio.throttle.read_bps_device", rule, why, n))
		return -1;
	if (write_at(d->fd, d->path, "blkio.throttle.write_bps_device", rule, why, n) == 0)
		return 0;
	snprintf(rule, sizeof(rule), "%s 0", g->disk);
	write_at(d->fd, d->path, "blkio.throttle.read_bps_device", rule, undo, sizeof(undo));
	return -1;
}

static int set_io(const struct vb_lgroup *g, const struct vb_lgdir *d, const struct vb_limits *l,
		  char *val, size_t vn, char *why, size_t n)
{
	if (!g->disk[0]) {
		say(why, n, "%s", g->disk_why);
		return -1;
	}
	if (l->io_bps < 0) {
		say(why, n, "invalid I/O limit %lld", l->io_bps);
		return -1;
	}
	snprintf(val, vn, "%s rbps=%lld wbps=%lld", g->disk, l->io_bps, l->io_bps);
	if (g->v1)
		return set_blkio(g, d, l->io_bps, why, n);
	return write_at(d->fd, d->path, "io.max", val, why, n);
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
	if (f && read_at(g->dirs[g->at[k]].fd, f, g->was[k], sizeof(g->was[k])) > 0)
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
			say(why, sizeof(why), "%s", g->why[k]);
		else if (setters[k](g, &g->dirs[g->at[k]], l, val, sizeof(val), why, sizeof(why)) == 0) {
			g->set[k] = 1;
			json_object_set_new(applied, knobs[k].name, json_string(val));
			continue;
		}
		say(text, sizeof(text), "unavailable: %s", why);
		json_object_set_new(applied, knobs[k].name, json_string(text));
	}
}

static int lift_cpu(const struct vb_lgroup *g, const struct vb_lgdir *d, char *why, size_t n)
{
	if (g->v1)
		return write_at(d->fd, d->path, "cpu.cfs_quota_us", "-1", why, n);
	return write_at(d->fd, d->path, "cpu.max", "max", why, n);
}

/* v2: an empty cpuset.cpus is the parent's; v1 has no such default: copied. */
static int lift_cpuset(const struct vb_lgroup *g, const struct vb_lgdir *d, char *why, size_t n)
{
	if (g->v1)
		return inherit_cpuset(d->pfd, d->fd, d->path, why, n);
	return write_at(d->fd, d->path, "cpuset.cpus", "", why, n);
}

static int lift_memory(const struct vb_lgroup *g, const struct vb_lgdir *d, char *why, size_t n)
{
	if (g->v1)
		return write_at(d->fd, d->path, "memory.limit_in_bytes", "-1", why, n);
	return write_at(d->fd, d->path, "memory.max", "max", why, n);
}

static int lift_io(const struct vb_lgroup *g, const struct vb_lgdir *d, char *why, size_t n)
{
	char rule[64];

	if (g->v1)
		return set_blkio(g, d, 0, why, n);
	snprintf(rule, sizeof(rule), "%s rbps=max wbps=max", g->disk);
	return write_at(d->fd, d->path, "io.max", rule, why, n);
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
		    ? write_at(d->fd, d->path, limit_file(g, k), g->was[k], why, sizeof(why)) == 0
		    : lifters[k](g, d, why, sizeof(why)) == 0)
			g->set[k] = 0;
		else
			say(g->unlifted, sizeof(g->unlifted), "%s: %s", knobs[k].name, why);
	}
}

/* The memory knob's group, or NULL with why. */
static const struct vb_lgdir *memory_dir(const struct vb_lgroup *g, char *why, size_t n)
{
	if (g->opened && g->at[K_MEMORY] >= 0)
		return &g->dirs[g->at[K_MEMORY]];
	say(why, n, "%s", g->opened ? g->why[K_MEMORY] : "no limit group");
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
	if (read_at(d->fd, file, buf, sizeof(buf)) < 0) {
		say(why, n, "read %s/%s: %s", d->path, file, strerror(errno));
		return -1;
	}
	v = strtoll(buf, &end, 10);
	if (end == buf || v < 0) {
		say(why, n, "%s/%s: not a number", d->path, file);
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
	if (read_at(d->fd, file, buf, sizeof(buf)) < 0) {
		say(why, n, "read %s/%s: %s", d->path, file, strerror(errno));
		return -1;
	}
	for (const char *p = buf; sscanf(p, "%63s %lld%n", key, &v, &used) == 2; p += used)
		if (strcmp(key, "oom_kill") == 0)
			return v;
	say(why, n, "%s/%s has no oom_kill count", d->path, file);
	return -1;
}

/* Remove a group open made, while the kernel still holds it (EBUSY) retrying. */
static void remove_group(const struct vb_lgdir *d)
{
	const char *name = strrchr(d->path, '/') + 1;

	for (int i = 0; i < RMDIR_TRIES && unlinkat(d->pfd, name, AT_REMOVEDIR) &&
			errno == EBUSY; i++)
		usleep(RMDIR_WAIT_US);
}

void vb_lgroup_close(struct vb_lgroup *g)
{
	if (!g->opened)
		return;
	for (size_t i = 0; i < g->ndirs; i++) {
		struct vb_lgdir *d = &g->dirs[i];

		if (d->made)
			remove_group(d);
		close_dir(d);
		/*
		 * On v1, the run's group in that hierarchy (the run's own, made
		 * here or by the container runtime): this fails (EBUSY) while
		 * another instance's group is in it, the last one removes it.
		 */
		if (g->v1)
			rmdir(d->ppath);
	}
	g->opened = 0;
}
