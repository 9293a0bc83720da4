/* SPDX-License-Identifier: MIT */
/*
 * The four VM backends share one QEMU launcher; a variant only picks the
 * accelerator, the CPU model and the device family. Everything else (vCPU
 * count, memory, raw disk with cache=none, machine type, kernel) is the
 * same, so only the virtualization approach differs.
 */
#ifndef VB_QEMU_H
#define VB_QEMU_H

#include <stddef.h>

#include "../image/image.h"

struct vb_qemu_variant {
	const char *name;        /* backend name */
	int kvm;                 /* -accel kvm, else tcg */
	enum vb_guest_flavor flavor; /* emulated (AHCI, e1000, 16550) or virtio */
	const char *cpu;         /* -cpu */
};

/* What one launch needs besides the variant. */
struct vb_qemu_cfg {
	const char *vmlinux, *initrd;
	const char *console_log; /* the guest's ttyS0 */
	const char *disk;        /* raw scratch image */
	int chan_fd, qmp_fd;     /* connected sockets QEMU inherits */
	int cpus;
	long long mem_mb;
};

#define VB_QEMU_MAX_ARGS 64
#define VB_QEMU_ARG_BYTES 8192

struct vb_qemu_argv {
	char *argv[VB_QEMU_MAX_ARGS + 1]; /* NULL-terminated, pointing into buf */
	int argc;
	char buf[VB_QEMU_ARG_BYTES];
	size_t used;
};

extern const struct vb_qemu_variant vb_qemu_type1, vb_qemu_paravirt, vb_qemu_type2,
	vb_qemu_type2_pv;

/* Build QEMU's command line. 0, or -1 when it does not fit. */
int vb_qemu_build_argv(const struct vb_qemu_variant *v, const struct vb_qemu_cfg *c,
		       struct vb_qemu_argv *a);
/* The command line as one shell-readable string (for the results). */
void vb_qemu_argv_string(const struct vb_qemu_argv *a, char *out, size_t n);

#endif
