/* SPDX-License-Identifier: MIT */
/*
 * What the limit groups (limits.h) are made of, shared by the files that
 * open and close them (limits_open.c) and put and lift the limits
 * (limits.c): the knobs, and a cgroup's files reached from its
 * hierarchy's root one directory at a time (openat, no symlink followed,
 * on the root's filesystem), opened without following a symlink and
 * never created: cgroupfs makes them.
 */
#ifndef VB_LIFE_LIMITS_FS_H
#define VB_LIFE_LIMITS_FS_H

#include <stddef.h>
#include <sys/types.h>

#include "limits.h"

enum { K_CPU, K_CPUSET, K_MEMORY, K_IO };

struct lg_knob {
	const char *name;     /* its key in `applied`, and its cgroup v2 controller */
	const char *v1file;   /* a file at the root of the v1 hierarchy that has it */
};
extern const struct lg_knob lg_knobs[VB_LG_KNOBS];

/* A message into why; one that does not fit is cut short. */
void lg_say(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* path = a/b, or a/b/c; -1 with why if too long. */
int lg_join(char *path, size_t len, const char *a, const char *b, const char *c, char *why,
	    size_t n);
/* One path component: a cgroup name that is not "", "." or ".." and has no '/'. */
int lg_plain_name(const char *s);
/*
 * The group `name` in dirfd (at path): a directory, not a symlink, on the
 * hierarchy's filesystem dev. Its fd, or -1 with why.
 */
int lg_open_group(int dirfd, const char *name, dev_t dev, const char *path, char *why,
		  size_t n);
/* A root of a hierarchy and its filesystem: the fd, or -1 with why. */
int lg_open_root(const char *root, dev_t *dev, char *why, size_t n);
/* The text of file name in dirfd, NUL-terminated: its length, or -1 (errno; EFBIG: too long). */
ssize_t lg_read_at(int dirfd, const char *name, char *buf, size_t len);
/* Write value (and a newline) to file name in dirfd (at dir): 0, or -1 with why and errno. */
int lg_write_at(int dirfd, const char *dir, const char *name, const char *value, char *why,
		size_t n);
/* Copy file name from the group at from to the one at to (path). 0, or -1 with why. */
int lg_copy_at(int from, int to, const char *path, const char *name, char *why, size_t n);
/* A v1 cpuset group is empty when made: no process may join it before it has CPUs and memory. */
int lg_inherit_cpuset(int from, int to, const char *path, char *why, size_t n);
/* The pids in the group's cgroup.procs, sorted: their count, or -1 (errno). */
int lg_members(int dirfd, int *pids, int max);
/* Whether the words of list (spaces, newlines) have w. */
int lg_has_word(const char *list, const char *w);
/* Write v as a decimal to file name of d. */
int lg_write_num(const struct vb_lgdir *d, const char *name, long long v, char *why, size_t n);
/* Close the group's and its parent's fds (-1 after); again is nothing. */
void lg_close_dir(struct vb_lgdir *d);

#endif
