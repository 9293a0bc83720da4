/* SPDX-License-Identifier: MIT */
/*
 * A writer for the "newc" cpio format (the one the Linux kernel unpacks as
 * an initramfs; see Documentation/driver-api/early-userspace/buffer-format.rst).
 * Entries are written with uid/gid 0 and mtime 0 so that the same inputs
 * give the same bytes.
 */
#ifndef VB_CPIO_H
#define VB_CPIO_H

#include <stdio.h>
#include <sys/types.h>

struct vb_cpio {
	FILE *f;
	unsigned ino;     /* next inode number */
	int err;          /* sticky: a write failed */
};

void vb_cpio_init(struct vb_cpio *c, FILE *f);
int vb_cpio_dir(struct vb_cpio *c, const char *name, mode_t perm);
int vb_cpio_file(struct vb_cpio *c, const char *name, mode_t perm, const void *data,
		 size_t len);
/* A character device node (e.g. /dev/console 5:1 for init's first open). */
int vb_cpio_chardev(struct vb_cpio *c, const char *name, mode_t perm, unsigned major,
		    unsigned minor);
/* The trailer; returns 0, or -1 when any write failed. */
int vb_cpio_finish(struct vb_cpio *c);

#endif
