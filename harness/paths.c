/* SPDX-License-Identifier: MIT */
#include "paths.h"

#include <errno.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int vb_agent_path(char *buf, size_t n, char *err, size_t errlen)
{
	const char *env = getenv("VBENCH_AGENT");
	char self[PATH_MAX], *dir;
	ssize_t len;

	if (env && *env) {
		snprintf(buf, n, "%s", env);
		return 0;
	}
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len < 0) {
		snprintf(err, errlen, "cannot find my own executable: %s", strerror(errno));
		return -1;
	}
	self[len] = '\0';
	dir = dirname(self);
	snprintf(buf, n, "%s/vbench-agent", dir);
	if (access(buf, X_OK) == 0)
		return 0;
	snprintf(buf, n, "%s/../libexec/vbench/vbench-agent", dir);
	if (access(buf, X_OK) == 0)
		return 0;
	snprintf(err, errlen,
		 "vbench-agent not found beside %s or in ../libexec/vbench (set VBENCH_AGENT)",
		 dir);
	return -1;
}

void vb_cache_dir(const char *opt, char *buf, size_t n)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (opt && *opt)
		snprintf(buf, n, "%s", opt);
	else if (xdg && *xdg)
		snprintf(buf, n, "%s/vbench", xdg);
	else
		snprintf(buf, n, "%s/.cache/vbench", home && *home ? home : "/var/tmp");
}

int vb_mkdirs(const char *path, char *err, size_t n)
{
	char tmp[PATH_MAX];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			goto fail;
		*p = '/';
	}
	if (mkdir(tmp, 0755) && errno != EEXIST)
		goto fail;
	return 0;
fail:
	snprintf(err, n, "mkdir %s: %s", tmp, strerror(errno));
	return -1;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0; /* keep going: remove as much as we can */
}

void vb_rmtree(const char *path)
{
	if (path && *path)
		nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}
