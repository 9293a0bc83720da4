/* SPDX-License-Identifier: MIT */
/*
 * What the emulated lab's L1 image holds besides the agent (its /init) and
 * its modules: vbench itself, QEMU with its libraries and firmware, mke2fs
 * for the work disk, and the L2 guest image (kernel, modules, both
 * initramfs flavors) already in the nested vbench's cache, so that
 * nothing is fetched or built inside L1, where everything runs under TCG.
 */
#ifndef VB_L1IMAGE_H
#define VB_L1IMAGE_H

#include "../backend.h"
#include "../image/image.h"

#define VB_L1_MAX_FILES 512
#define VB_L1_CACHE "/var/cache/vbench"       /* the nested vbench's --cache */
#define VB_L1_L2_MODULES "/var/lib/vbench/modules"

struct vb_l1_files {
	struct vb_image_file file[VB_L1_MAX_FILES]; /* sorted by dst */
	size_t n;
	char l2_kernel[PATH_MAX]; /* in L1: the nested vbench's --kernel */
};

/* Build the L2 images on the host and list every file of L1's image. 0 or -1 with err. */
int vb_l1_files(const struct vb_run_ctx *ctx, struct vb_l1_files *l, char *err, size_t n);

#endif
