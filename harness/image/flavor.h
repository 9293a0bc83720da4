/* SPDX-License-Identifier: MIT */
/*
 * Guest flavors: which devices the guest drives, hence which modules its
 * initramfs carries. The kernel cache keeps the modules of every flavor.
 */
#ifndef VB_FLAVOR_H
#define VB_FLAVOR_H

#include <stddef.h>

enum vb_guest_flavor {
	VB_GUEST_EMULATED, /* AHCI disk, e1000; channel on the 2nd 16550 */
	VB_GUEST_VIRTIO,   /* virtio-blk, virtio-net, virtio-serial */
	VB_GUEST_L1,       /* the emulated lab's L1: virtio, ext4 for its work disk, KVM (AMD) */
	VB_GUEST_NFLAVORS,
};

const char *vb_guest_flavor_name(enum vb_guest_flavor f);
/* The modules a flavor asks for (their dependencies come from .modinfo). */
const char *const *vb_guest_flavor_modules(enum vb_guest_flavor f, size_t *n);

#endif
