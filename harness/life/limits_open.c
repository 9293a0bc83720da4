/* SPDX-License-Identifier: MIT */
/*
 * The limit groups of an instance (limits.h), made and moved into at
 * open, removed at close: on cgroup v2 the instance's own group, with the
 * controllers enabled in the run's; on a hybrid host a group per v1
 * hierarchy that has a knob, its processes moved there.
 */
#include "limits_fs.h"
#include "../cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define MAX_MEMBERS 1024
#define MOVE_PASSES 10
/* the kernel takes a moment to let go of a group its last process left */
#define RMDIR_TRIES 100
#define RMDIR_WAIT_US 10000

int vb_lroots_host(struct vb_lroots *r, char *err, size_t n)
{
	r->ncg = vb_cgroup_roots(r->cg, VB_LG_MAX_ROOTS);
	snprintf(r->sysblock, sizeof(r->sysblock), "/sys/dev/block");
	if (r->ncg == 0) {
		lg_say(err, n, "no cgroup v2 hierarchy mounted");
		return -1;
	}
	return 0;
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
		lg_say(g->disk_why, sizeof(g->disk_why), "the instance has no I/O scratch file");
		return;
	}
	if (stat(scratch, &st)) {
		lg_say(g->disk_why, sizeof(g->disk_why), "%s: %s", scratch, strerror(errno));
		return;
	}
	snprintf(dev, sizeof(dev), "%u:%u", major(st.st_dev), minor(st.st_dev));
	if (lg_join(path, sizeof(path), sysblock, dev, NULL, g->disk_why, sizeof(g->disk_why)))
		return;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		lg_say(g->disk_why, sizeof(g->disk_why),
		       "%s is on device %s, not a block device (%s: %s)", scratch, dev, path,
		    strerror(errno));
		return;
	}
	if (faccessat(fd, "partition", F_OK, 0)) {
		snprintf(g->disk, sizeof(g->disk), "%s", dev);
	} else if (lg_read_at(fd, "../dev", line, sizeof(line)) < 0 ||
		   sscanf(line, "%u:%u", &maj, &min) != 2) {
		lg_say(g->disk_why, sizeof(g->disk_why), "the disk of partition %s: %s/../dev "
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

	if (lg_read_at(d->pfd, "cgroup.controllers", list, sizeof(list)) < 0) {
		lg_say(why, n, "read %s/cgroup.controllers: %s", d->ppath, strerror(errno));
		return -1;
	}
	if (!lg_has_word(list, ctrl)) {
		lg_say(why, n, "the %s controller is not enabled for %s by its parent", ctrl,
		       d->ppath);
		return -1;
	}
	if (lg_read_at(d->pfd, "cgroup.subtree_control", list, sizeof(list)) >= 0 &&
	    lg_has_word(list, ctrl))
		return 0;
	snprintf(plus, sizeof(plus), "+%s", ctrl);
	return lg_write_at(d->pfd, d->ppath, "cgroup.subtree_control", plus, why, n);
}

static void open_v2(struct vb_lgroup *g)
{
	for (int k = 0; k < VB_LG_KNOBS; k++)
		if (enable_v2(&g->dirs[0], lg_knobs[k].name, g->why[k], VB_LG_WHY) == 0)
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
		lg_say(why, n, "mkdir %s: %s", d->ppath, strerror(errno));
		return -1;
	}
	d->pfd = lg_open_group(rootfd, run_name, dev, d->ppath, why, n);
	if (d->pfd < 0)
		return -1;
	return made && cpuset ? lg_inherit_cpuset(rootfd, d->pfd, d->ppath, why, n) : 0;
}

/* Whether pid is in the group d. 0, or -1 with why. */
static int holds(const struct vb_lgdir *d, pid_t pid, char *why, size_t n)
{
	int pids[MAX_MEMBERS], k = lg_members(d->fd, pids, MAX_MEMBERS), key = (int)pid;

	if (k < 0) {
		lg_say(why, n, "read %s/cgroup.procs: %s", d->path, strerror(errno));
		return -1;
	}
	for (int i = 0; key > 0 && i < k; i++)
		if (pids[i] == key)
			return 0;
	lg_say(why, n, "%s exists and does not hold the instance (pid %d): not its group",
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
		lg_say(why, n, "mkdir %s: %s", d->path, strerror(errno));
		return -1;
	}
	d->fd = lg_open_group(d->pfd, in->name, dev, d->path, why, n);
	if (d->fd < 0)
		return -1;
	if (!d->made)
		return holds(d, in->pid, why, n);
	return cpuset ? lg_inherit_cpuset(d->pfd, d->fd, d->path, why, n) : 0;
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
		int k = lg_members(v2fd, cur, MAX_MEMBERS);
		char pid[16];

		if (k < 0) {
			lg_say(why, n, "read %s/cgroup.procs: %s", v2path, strerror(errno));
			return -1;
		}
		if (k == nprev && memcmp(cur, prev, (size_t)k * sizeof(*cur)) == 0)
			return 0;
		for (int i = 0; i < k; i++) {
			snprintf(pid, sizeof(pid), "%d", cur[i]);
			/* one that exited meanwhile is not an error */
			if (lg_write_at(d->fd, d->path, "cgroup.procs", pid, why, n) && errno != ESRCH)
				return -1;
		}
		memcpy(prev, cur, (size_t)k * sizeof(*cur));
		nprev = k;
	}
	lg_say(why, n, "the processes of %s keep changing", v2path);
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

	if (lg_join(d->ppath, sizeof(d->ppath), root, run_name, NULL, why, n) ||
	    lg_join(d->path, sizeof(d->path), root, run_name, in->name, why, n))
		return -1;
	rootfd = lg_open_root(root, &dev, why, n);
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
		size_t i = v1_hierarchy(r, lg_knobs[k].v1file);

		if (!i) {
			lg_say(g->why[k], VB_LG_WHY, "no cgroup v1 hierarchy has %s", lg_knobs[k].v1file);
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
	    !lg_plain_name(run_group + len + 1)) {
		lg_say(err, n, "the run's cgroup %s is not a group under %s", run_group, v2root);
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
	if (!lg_plain_name(in->name)) {
		lg_say(err, n, "instance name '%s' is not a cgroup name", in->name);
		return -1;
	}
	if (lg_join(d->path, sizeof(d->path), run_group, in->name, NULL, err, n))
		return -1;
	snprintf(d->ppath, sizeof(d->ppath), "%s", run_group); /* fits: shorter than path */
	if (strcmp(d->path, in->cgroup)) {
		lg_say(err, n, "the instance's cgroup %s is not %s: not the run's to limit",
		       in->cgroup, d->path);
		return -1;
	}
	rootfd = lg_open_root(r->cg[0], &dev, err, n);
	if (rootfd < 0)
		return -1;
	d->pfd = lg_open_group(rootfd, run_name, dev, d->ppath, err, n);
	close(rootfd);
	if (d->pfd >= 0)
		d->fd = lg_open_group(d->pfd, in->name, dev, d->path, err, n);
	return d->fd >= 0 ? 0 : -1;
}

int vb_lgroup_open(struct vb_lgroup *g, const struct vb_lroots *r, const struct vb_instance *in,
		   const char *run_group, char *err, size_t n)
{
	struct vb_lgdir v2 = { .fd = -1, .pfd = -1 };

	lg_init(g);
	if (r->ncg == 0 || r->ncg > VB_LG_MAX_ROOTS || !run_group || !run_group[0] ||
	    !in->cgroup[0]) {
		lg_say(err, n, "instance %s: no cgroup v2 group to limit", in->name);
		return -1;
	}
	if (open_inst_v2(&v2, r, in, run_group, err, n)) {
		lg_close_dir(&v2);
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
	lg_close_dir(&v2);
	return 0;
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
		lg_close_dir(d);
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
