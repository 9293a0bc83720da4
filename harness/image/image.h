/* SPDX-License-Identifier: MIT */
/*
 * The guest image: a kernel as ELF vmlinux (direct PVH boot) and an
 * initramfs whose /init is vbench-agent, with the modules its devices
 * need. Built on demand and cached by content under the cache dir:
 *   kernels/<release>/vmlinux, kernels/<release>/modules-<hash>/<name>.ko
 *   initramfs/<release>-<flavor>-<hash>.cpio   (hash of agent + modules)
 */
#ifndef VB_IMAGE_H
#define VB_IMAGE_H

#include <limits.h>
#include <stddef.h>

#include "flavor.h"
#include "hash.h" /* the cache's content keys, for the other caches too (container image) */
#include "kernel.h"

struct vb_image {
	struct vb_kernel k;
	char initrd[PATH_MAX];
	int built;              /* something was fetched or written this time */
};

/* Kernel and initramfs for a flavor, from the cache or built now. */
int vb_image_ensure(const struct vb_image_req *r, enum vb_guest_flavor f,
		    struct vb_image *img, char *err, size_t n);

/*
 * Write the initramfs for agent + the modules in set order + the extra
 * files (sorted by dst, so that each directory is made once). 0 or -1 with err.
 */
struct vb_modset;
int vb_initramfs_write(const char *path, const unsigned char *agent, size_t agentlen,
		       const struct vb_modset *s, const struct vb_image_file *extra,
		       size_t nextra, char *err, size_t n);

/*
 * Write an initramfs holding /init alone (mode 0755), the bytes of file
 * init: the floor's trivial guest (backend.h, floor()). 0 or -1 with err.
 */
int vb_initramfs_init_only(const char *path, const char *init, char *err, size_t n);

#endif
