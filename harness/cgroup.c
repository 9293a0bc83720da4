/* SPDX-License-Identifier: MIT */
#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#ifndef CGROUP_SUPER_MAGIC
#define CGROUP_SUPER_MAGIC 0x27e0eb
#endif
#define V1_ROOT "/sys/fs/cgroup"

static int is_cgroup2(const char *path)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
}

const char *vb_cgroup2_root(void)
{
	if (is_cgroup2("/sys/fs/cgroup"))
		return "/sys/fs/cgroup";
	if (is_cgroup2("/sys/fs/cgroup/unified"))
		return "/sys/fs/cgroup/unified";
	return NULL;
}

const char *vb_cgroup_layout(void)
{
	if (is_cgroup2("/sys/fs/cgroup"))
		return "v2";
	if (is_cgroup2("/sys/fs/cgroup/unified"))
		return "hybrid";
	return access("/sys/fs/cgroup/cpu", F_OK) == 0 ? "v1" : "none";
}

/* Each v1 controller's hierarchy (real mounts, not the cpu -> cpu,cpuacct links). */
static size_t v1_roots(char (*roots)[PATH_MAX], size_t max)
{
	DIR *d = opendir(V1_ROOT);
	struct dirent *e;
	size_t k = 0;

	while (d && k < max && (e = readdir(d))) {
		struct statfs sf;

		if (e->d_type != DT_DIR || e->d_name[0] == '.' ||
		    (size_t)snprintf(roots[k], PATH_MAX, V1_ROOT "/%s", e->d_name) >= PATH_MAX)
			continue;
		if (statfs(roots[k], &sf) == 0 && sf.f_type == CGROUP_SUPER_MAGIC)
			k++;
	}
	if (d)
		closedir(d);
	return k;
}

size_t vb_cgroup_roots(char (*roots)[PATH_MAX], size_t max)
{
	const char *v2 = vb_cgroup2_root();
	size_t k = 0;

	if (!v2 || max == 0)
		return 0;
	snprintf(roots[k++], PATH_MAX, "%s", v2);
	if (strcmp(vb_cgroup_layout(), "hybrid") == 0)
		k += v1_roots(roots + k, max - k);
	return k;
}

int vb_cgroup_create(const char *parent, const char *name, char *path, size_t pathlen,
		     char *err, size_t n)
{
	if ((size_t)snprintf(path, pathlen, "%s/%s", parent, name) >= pathlen) {
		snprintf(err, n, "cgroup path too long");
		return -1;
	}
	/* a group that exists is someone else's (or a dead run's): never share it */
	if (mkdir(path, 0755)) {
		snprintf(err, n, "mkdir %s: %s", path,
			 errno == EEXIST ? "exists already (not made by this run)" : strerror(errno));
		path[0] = '\0';
		return -1;
	}
	return 0;
}

int vb_cgroup_attach(const char *path, pid_t pid, char *err, size_t n)
{
	char f[PATH_MAX];
	int fd, ok;

	snprintf(f, sizeof(f), "%s/cgroup.procs", path);
	fd = open(f, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, n, "open %s: %s", f, strerror(errno));
		return -1;
	}
	ok = dprintf(fd, "%d\n", (int)pid) > 0;
	if (!ok)
		snprintf(err, n, "move %d into %s: %s", (int)pid, path, strerror(errno));
	close(fd);
	return ok ? 0 : -1;
}

uint64_t vb_cgroup_id(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

static void kill_members(const char *path)
{
	char f[PATH_MAX];
	FILE *fp;
	int pid;

	snprintf(f, sizeof(f), "%s/cgroup.procs", path);
	fp = fopen(f, "re");
	if (!fp)
		return;
	while (fscanf(fp, "%d", &pid) == 1)
		if (pid > 1)
			kill(pid, SIGKILL);
	fclose(fp);
}

/*
 * cgroup.kill (Linux 5.14): every process of the group and below at once,
 * forking ones included. Where there is none (older kernels, v1
 * hierarchies) kill_members does it, group by group, in vb_cgroup_destroy.
 */
static void kill_all(const char *path)
{
	char f[PATH_MAX];
	int fd;

	snprintf(f, sizeof(f), "%s/cgroup.kill", path);
	fd = open(f, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t w = write(fd, "1", 1); /* a failure leaves it to kill_members */
	(void)w;
	close(fd);
}

void vb_cgroup_destroy(const char *path)
{
	DIR *d;
	struct dirent *e;

	if (!path || !path[0])
		return;
	kill_all(path);
	d = opendir(path);
	if (d) {
		while ((e = readdir(d))) {
			char sub[PATH_MAX];

			if (e->d_type != DT_DIR || e->d_name[0] == '.')
				continue;
			if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name) <
			    sizeof(sub))
				vb_cgroup_destroy(sub);
		}
		closedir(d);
	}
	/* Processes take a moment to leave after SIGKILL: retry briefly. */
	for (int i = 0; i < 100 && rmdir(path) && errno == EBUSY; i++) {
		kill_members(path);
		usleep(10000);
	}
}
