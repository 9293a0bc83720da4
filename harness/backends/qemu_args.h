/* SPDX-License-Identifier: MIT */
/*
 * QEMU's command line for a VM variant: the same for all but the
 * accelerator, the CPU model and the device family.
 */
#ifndef VB_QEMU_ARGS_H
#define VB_QEMU_ARGS_H

#include <stddef.h>

#include "../backend.h"
#include "../image/flavor.h"

/*
 * A row of the variant table in qemu.c. The accelerator and the device
 * family are the backend's traits; the row adds what traits do not say.
 */
struct vb_qemu_variant {
	const struct vb_backend *be;
	const char *cpu;             /* -cpu */
	const char *accel_opts;      /* appended to -accel's value: ",thread=single" */
	enum vb_guest_flavor flavor; /* the initramfs with drivers for those devices */
};

/* What one launch needs besides the variant. */
struct vb_qemu_cfg {
	const char *vmlinux, *initrd;
	const char *console_log; /* the guest's ttyS0 */
	const char *disk;        /* raw scratch image */
	int chan_fd, qmp_fd;     /* connected sockets QEMU inherits */
	int cpus;
	long long mem_mb;
	const char *qemu;        /* the binary, NULL: qemu-system-x86_64 */
	const char *cpu;         /* -cpu, NULL: the variant's */
	const char *extra;       /* more arguments, space-separated (no quoting), or NULL */
};

#define VB_QEMU_MAX_ARGS 64
#define VB_QEMU_ARG_BYTES 8192

struct vb_qemu_argv {
	char *argv[VB_QEMU_MAX_ARGS + 1]; /* NULL-terminated, pointing into buf */
	int argc;
	char buf[VB_QEMU_ARG_BYTES];
	size_t used;
};

/* Build QEMU's command line. 0, or -1 when it does not fit. */
int vb_qemu_build_argv(const struct vb_qemu_variant *v, const struct vb_qemu_cfg *c,
		       struct vb_qemu_argv *a);
/* The command line as one shell-readable string (for the results). */
void vb_qemu_argv_string(const struct vb_qemu_argv *a, char *out, size_t n);

#endif
