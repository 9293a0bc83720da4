/* SPDX-License-Identifier: MIT */
/*
 * The one way vbench replaces a file. vbench runs as root and writes where
 * it is told (run -o FILE, report -o DIR, compare's outputs, the image
 * cache), perhaps in a directory others can write, so a file is never
 * opened by its final name: the bytes go to a temporary beside it, created
 * with O_EXCL under a name nobody can guess (a file or symlink planted
 * there makes the create fail, it is never followed), are flushed to disk,
 * and the temporary is renamed over the name (rename replaces a symlink,
 * it never follows one); then the directory is flushed, so that the new
 * name survives a crash too. A destination that exists and is not a
 * regular file (a symlink, device node, FIFO, socket or directory) is
 * refused and left as it is: `-o /dev/sda` is a mistake, not a request.
 */
#ifndef VB_COMMON_SAFEFILE_H
#define VB_COMMON_SAFEFILE_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* A replacement being written with stdio. */
struct vb_safe_file {
	FILE *f;
	char path[PATH_MAX];    /* what it replaces */
	char tmp[PATH_MAX];     /* the temporary beside it: <path>.tmp.<random> */
};

/* buf as the new content of path, created with mode (less the umask). 0 or -1 with err. */
int vb_safe_write(const char *path, const void *buf, size_t len, mode_t mode, char *err,
		  size_t n);

/* Start a replacement of path (mode as above): its stream, or NULL with err. */
FILE *vb_safe_open(struct vb_safe_file *s, const char *path, mode_t mode, char *err, size_t n);
/*
 * Close the stream and put the replacement in place; when failed is set
 * (the caller's writing went wrong) or anything here does, remove it
 * instead and leave path as it was. 0 or -1 with err.
 */
int vb_safe_commit(struct vb_safe_file *s, int failed, char *err, size_t n);
/* Close and remove the replacement, path untouched (the caller reports why). */
void vb_safe_abort(struct vb_safe_file *s);

/*
 * Put a file vbench wrote in a directory of its own (a mkdtemp one, on
 * the same file system) in place at to, as vb_safe_commit does: flushed,
 * the same refusal, rename, directory flushed. from is gone either way.
 * 0 or -1 with err.
 */
int vb_safe_move(const char *from, const char *to, char *err, size_t n);

#endif
