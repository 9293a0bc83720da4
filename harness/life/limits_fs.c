/* SPDX-License-Identifier: MIT */
/* A cgroup's files for the limit groups (limits_fs.h). */
#include "limits_fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const struct lg_knob lg_knobs[VB_LG_KNOBS] = {
	[K_CPU] = { "cpu", "cpu.cfs_quota_us" },
	[K_CPUSET] = { "cpuset", "cpuset.cpus" },
	[K_MEMORY] = { "memory", "memory.limit_in_bytes" },
	[K_IO] = { "io", "blkio.throttle.read_bps_device" },
};

void lg_say(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
}

int lg_join(char *path, size_t len, const char *a, const char *b, const char *c, char *why,
	    size_t n)
{
	if ((size_t)snprintf(path, len, "%s/%s%s%s", a, b, c ? "/" : "", c ? c : "") < len)
		return 0;
	lg_say(why, n, "path too long: %.64s.../%.64s", a, c ? c : b);
	return -1;
}

int lg_plain_name(const char *s)
{
	return s[0] && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

int lg_open_group(int dirfd, const char *name, dev_t dev, const char *path, char *why,
		  size_t n)
{
	struct stat st;
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0) {
		lg_say(why, n, "open %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || st.st_dev != dev) {
		lg_say(why, n, "%s is not in its cgroup hierarchy", path);
		close(fd);
		return -1;
	}
	return fd;
}

int lg_open_root(const char *root, dev_t *dev, char *why, size_t n)
{
	struct stat st;
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st)) {
		lg_say(why, n, "open %s: %s", root, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*dev = st.st_dev;
	return fd;
}

ssize_t lg_read_at(int dirfd, const char *name, char *buf, size_t len)
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

int lg_write_at(int dirfd, const char *dir, const char *name, const char *value, char *why,
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
	lg_say(why, n, "write '%s' to %s/%s: %s", value, dir, name, strerror(e));
	errno = e;
	return -1;
}

int lg_copy_at(int from, int to, const char *path, const char *name, char *why, size_t n)
{
	char value[256];

	if (lg_read_at(from, name, value, sizeof(value)) < 0) {
		lg_say(why, n, "read the parent's %s of %s: %s", name, path, strerror(errno));
		return -1;
	}
	value[strcspn(value, "\n")] = '\0';
	return lg_write_at(to, path, name, value, why, n);
}

int lg_inherit_cpuset(int from, int to, const char *path, char *why, size_t n)
{
	return lg_copy_at(from, to, path, "cpuset.mems", why, n) ||
	       lg_copy_at(from, to, path, "cpuset.cpus", why, n) ? -1 : 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int lg_members(int dirfd, int *pids, int max)
{
	char buf[16384], *p = buf, *end;
	int k = 0;

	if (lg_read_at(dirfd, "cgroup.procs", buf, sizeof(buf)) < 0)
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

int lg_has_word(const char *list, const char *w)
{
	size_t len = strlen(w);

	for (const char *p = list; (p = strstr(p, w)); p += len)
		if ((p == list || p[-1] == ' ' || p[-1] == '\n') &&
		    (p[len] == '\0' || p[len] == ' ' || p[len] == '\n'))
			return 1;
	return 0;
}

int lg_write_num(const struct vb_lgdir *d, const char *name, long long v, char *why, size_t n)
{
	char s[32];

	snprintf(s, sizeof(s), "%lld", v);
	return lg_write_at(d->fd, d->path, name, s, why, n);
}

void lg_close_dir(struct vb_lgdir *d)
{
	if (d->fd >= 0)
		close(d->fd);
	if (d->pfd >= 0)
		close(d->pfd);
	d->fd = d->pfd = -1;
}
