/* SPDX-License-Identifier: MIT */
#include "memuse.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Rss: and Pss: of /proc/PID/smaps_rollup, in bytes; 0 or -1. */
static int rollup(int pid, long long *rss, long long *pss)
{
	char path[64], line[256];
	long long kb;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	*rss = *pss = -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Rss: %lld kB", &kb) == 1)
			*rss = kb * 1024;
		else if (sscanf(line, "Pss: %lld kB", &kb) == 1)
			*pss = kb * 1024;
	}
	fclose(f);
	return *rss >= 0 && *pss >= 0 ? 0 : -1;
}

int vb_memuse_read(const struct vb_instance *in, struct vb_memuse *m, char *why, size_t n)
{
	char path[PATH_MAX + 16];
	long long rss, pss;
	FILE *f = NULL;
	int pid;

	memset(m, 0, sizeof(*m));
	m->rss_bytes = rollup(in->pid, &rss, &pss) ? -1 : rss;
	if (in->cgroup[0]) {
		snprintf(path, sizeof(path), "%s/cgroup.procs", in->cgroup);
		f = fopen(path, "re");
	}
	if (!f) {
		/* no group: the main process is all we know of */
		if (m->rss_bytes < 0) {
			snprintf(why, n, "/proc/%d/smaps_rollup: %s", (int)in->pid, strerror(errno));
			return -1;
		}
		m->pss_bytes = pss;
		m->nprocs = 1;
		return 0;
	}
	while (fscanf(f, "%d", &pid) == 1)
		if (rollup(pid, &rss, &pss) == 0) {
			m->pss_bytes += pss;
			m->nprocs++;
		}
	fclose(f);
	if (!m->nprocs) {
		snprintf(why, n, "no process of %s could be read", in->cgroup);
		return -1;
	}
	return 0;
}

long long vb_memuse_cgroup(const struct vb_instance *in, char *why, size_t n)
{
	char path[PATH_MAX + 16];
	long long v = -1;
	FILE *f;

	if (!in->cgroup[0]) {
		snprintf(why, n, "the instance has no cgroup (needs root and cgroup v2)");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/memory.current", in->cgroup);
	f = fopen(path, "re");
	if (!f) {
		snprintf(why, n, "%s: %s (no memory controller in its cgroup v2 group)", path,
			 strerror(errno));
		return -1;
	}
	if (fscanf(f, "%lld", &v) != 1)
		snprintf(why, n, "%s: not a number", path);
	fclose(f);
	return v;
}
