/* SPDX-License-Identifier: MIT */
#include "evict.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct cached {
	struct timespec mtime;
	char name[256];
};

/* Whether name is "<prefix>-<16 hex digits>.cpio". */
static int ours(const char *name, const char *prefix)
{
	size_t p = strlen(prefix);

	if (strncmp(name, prefix, p) || name[p] != '-' || strlen(name) != p + 1 + 16 + 5)
		return 0;
	return strspn(name + p + 1, "0123456789abcdef") == 16 && !strcmp(name + p + 17, ".cpio");
}

/* Newest first. */
static int newer_first(const void *a, const void *b)
{
	const struct timespec *x = &((const struct cached *)a)->mtime;
	const struct timespec *y = &((const struct cached *)b)->mtime;

	if (x->tv_sec != y->tv_sec)
		return x->tv_sec > y->tv_sec ? -1 : 1;
	return x->tv_nsec > y->tv_nsec ? -1 : x->tv_nsec < y->tv_nsec;
}

/* The images of prefix in the open directory d, into *out (*len of them); 0 or -1. */
static int list_images(DIR *d, const char *prefix, struct cached **out, size_t *len)
{
	struct cached *v = NULL;
	size_t cap = 0;
	struct dirent *e;
	struct stat st;

	*len = 0;
	while ((e = readdir(d))) {
		if (!ours(e->d_name, prefix) ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
			continue;
		if (*len == cap) {
			struct cached *w = realloc(v, (cap = cap ? 2 * cap : 32) * sizeof(*v));

			if (!w) {
				free(v);
				return -1;
			}
			v = w;
		}
		v[*len].mtime = st.st_mtim;
		snprintf(v[*len].name, sizeof(v[*len].name), "%s", e->d_name);
		(*len)++;
	}
	*out = v;
	return 0;
}

int vb_initramfs_evict(const char *dir, const char *prefix, unsigned keep,
		       const char *keep_name, char *err, size_t n)
{
	DIR *d = opendir(dir);
	struct cached *v = NULL;
	size_t len, kept = 0;
	int gone = 0;

	if (!d) {
		snprintf(err, n, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (list_images(d, prefix, &v, &len)) {
		snprintf(err, n, "%s: out of memory listing its images", dir);
		closedir(d);
		return -1;
	}
	qsort(v, len, sizeof(*v), newer_first);
	for (size_t i = 0; i < len; i++) {
		if (keep_name && !strcmp(v[i].name, keep_name))
			continue;
		/* keep_name counts among the kept whatever its age */
		if (kept + (keep_name != NULL) < keep) {
			kept++;
			continue;
		}
		/* a run that has the file open keeps what it read: unlink frees it after */
		if (!unlinkat(dirfd(d), v[i].name, 0))
			gone++;
	}
	free(v);
	closedir(d);
	return gone;
}

void vb_initramfs_touch(const char *path)
{
	/* best effort: a cache that cannot be touched only evicts in build order */
	(void)utimensat(AT_FDCWD, path, NULL, AT_SYMLINK_NOFOLLOW);
}
