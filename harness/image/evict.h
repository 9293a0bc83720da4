/* SPDX-License-Identifier: MIT */
/*
 * The initramfs cache keeps the images of each kernel release and flavor
 * that were used last; older ones go. Each vbench build has its own agent,
 * so its own images (an emulated lab's L1 image is ~180 MB): without this
 * the cache grows by them at every build that runs.
 */
#ifndef VB_EVICT_H
#define VB_EVICT_H

#include <stddef.h>

/* Images of one release and flavor kept: a few builds of vbench in use at once. */
#define VB_INITRAMFS_KEEP 4

/*
 * In dir, of the files named "<prefix>-<16 hex digits>.cpio" that are
 * regular files (never a symlink's target), keep the newest keep by
 * modification time, and keep, whatever its age, the one named keep_name
 * (the image this run uses); unlink the others. Returns how many went, or
 * -1 with err (the directory could not be read: nothing removed).
 */
int vb_initramfs_evict(const char *dir, const char *prefix, unsigned keep,
		       const char *keep_name, char *err, size_t n);

/* Mark path used now (its modification time), so that eviction keeps it longest. */
void vb_initramfs_touch(const char *path);

#endif
