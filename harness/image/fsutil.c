/* SPDX-License-Identifier: MIT */
#include "fsutil.h"
#include "../paths.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int vb_read_file(const char *path, size_t max, unsigned char **out, size_t *len, char *err,
		 size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	unsigned char *buf;
	size_t got = 0;

	*out = NULL;
	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, n, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		snprintf(err, n, "%s: not a regular file of at most %zu bytes", path, max);
		close(fd);
		return -1;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		snprintf(err, n, "%s: out of memory", path);
		close(fd);
		return -1;
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);

		if (r <= 0) {
			snprintf(err, n, "%s: %s", path, r < 0 ? strerror(errno) : "short read");
			free(buf);
			close(fd);
			return -1;
		}
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}

int vb_cache_hit(const char *path)
{
	struct stat st;
	char why[128];

	if (lstat(path, &st) || (S_ISREG(st.st_mode) && st.st_size == 0))
		return 0;
	if (!S_ISREG(st.st_mode))
		snprintf(why, sizeof(why), "it is %s",
			 S_ISLNK(st.st_mode) ? "a symbolic link" : "not a regular file");
	else if (vb_private_stat(&st, why, sizeof(why)))
		return 1;
	fprintf(stderr, "vbench: not trusting the cached %s: %s; writing it again\n", path, why);
	return 0;
}

int vb_pathf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= n) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}
