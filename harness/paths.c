/* SPDX-License-Identifier: MIT */
#include "paths.h"

#include <errno.h>
#include <fcntl.h>
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

int vb_floor_hello_path(const char *agent, char *buf, size_t n, char *err, size_t errlen)
{
	const char *slash = strrchr(agent, '/');
	int dirlen = slash ? (int)(slash - agent) : 1;
	int len = snprintf(buf, n, "%.*s/vbench-floor-hello", dirlen, slash ? agent : ".");

	if (len < 0 || (size_t)len >= n) {
		snprintf(err, errlen, "path too long: %s/vbench-floor-hello", agent);
		return -1;
	}
	if (access(buf, X_OK)) {
		snprintf(err, errlen, "%s (the floor's payload, beside the agent): %s", buf,
			 strerror(errno));
		return -1;
	}
	return 0;
}

int vb_cache_dir(const char *opt, char *buf, size_t n, char *err, size_t errlen)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int len;

	if (opt && *opt)
		len = snprintf(buf, n, "%s", opt);
	else if (xdg && *xdg)
		len = snprintf(buf, n, "%s/vbench", xdg);
	else if (home && *home)
		len = snprintf(buf, n, "%s/.cache/vbench", home);
	else if (geteuid() == 0)
		len = snprintf(buf, n, "/var/cache/vbench");
	else {
		snprintf(err, errlen, "no place for the guest image cache: HOME is not set "
			 "(set HOME or XDG_CACHE_HOME, or give --cache DIR)");
		return -1;
	}
	if (len < 0 || (size_t)len >= n) {
		snprintf(err, errlen, "cache dir path too long: %s", buf);
		return -1;
	}
	return 0;
}

int vb_private_stat(const struct stat *st, char *why, size_t n)
{
	if (st->st_uid != 0 && st->st_uid != geteuid()) {
		snprintf(why, n, "owned by uid %u, not by root or you", (unsigned)st->st_uid);
		return 0;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(why, n, "writable by others (mode %04o)", (unsigned)(st->st_mode & 07777));
		return 0;
	}
	return 1;
}

/*
 * The directory name in dirfd (walked: the path so far, for messages),
 * made if missing, opened without following a symlink unless root or the
 * euid owns it. Its fd, or -1 with err.
 */
static int walk_step(int dirfd, const char *name, const char *walked, char *err, size_t n)
{
	const int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
	struct stat st;
	int fd = openat(dirfd, name, flags | O_NOFOLLOW), e;

	if (fd < 0 && errno == ENOENT) {
		if (mkdirat(dirfd, name, 0755) && errno != EEXIST)
			goto fail;
		/* a symlink put there since is not followed: ELOOP below */
		fd = openat(dirfd, name, flags | O_NOFOLLOW);
	}
	if (fd >= 0 || (errno != ELOOP && errno != ENOTDIR))
		goto out;
	e = errno;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISLNK(st.st_mode)) {
		errno = e;
		goto fail;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		snprintf(err, n, "%s is a symbolic link owned by uid %u, not by root or you: "
			 "not followed (use --cache DIR)", walked, (unsigned)st.st_uid);
		return -1;
	}
	fd = openat(dirfd, name, flags);
out:
	if (fd >= 0)
		return fd;
fail:
	snprintf(err, n, "mkdir %s: %s", walked, strerror(errno));
	return -1;
}

int vb_cache_mkdirs(const char *path, char *err, size_t n)
{
	char name[NAME_MAX + 1], walked[PATH_MAX], why[128];
	int fd = open(path[0] == '/' ? "/" : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat st;

	if (fd < 0) {
		snprintf(err, n, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (const char *p = path; *p;) {
		size_t len = strcspn(p, "/");
		int next;

		if (len == 0) {
			p++;
			continue;
		}
		if (len >= sizeof(name) || (size_t)(p + len - path) >= sizeof(walked)) {
			snprintf(err, n, "cache path too long: %s", path);
			close(fd);
			return -1;
		}
		snprintf(name, sizeof(name), "%.*s", (int)len, p);
		snprintf(walked, sizeof(walked), "%.*s", (int)(p + len - path), path);
		next = walk_step(fd, name, walked, err, n);
		close(fd);
		if (next < 0)
			return -1;
		fd = next;
		p += len;
	}
	if (fstat(fd, &st)) {
		snprintf(err, n, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	if (!vb_private_stat(&st, why, sizeof(why))) {
		snprintf(err, n, "cache %s is %s: a local user could plant the guest kernel "
			 "(use --cache DIR)", path, why);
		return -1;
	}
	return 0;
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
