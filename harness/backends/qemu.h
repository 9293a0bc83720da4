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

#include "../backend.h"
#include "qemu_args.h"

/* The variant of a QEMU backend; NULL with err for a backend the table does not make. */
const struct vb_qemu_variant *vb_qemu_variant_of(const struct vb_backend *be, char *err,
						 size_t n);

/*
 * The command line of a launch of variant v with the run's settings
 * (vCPUs, memory, QEMU, CPU model, extra arguments; filled into cfg here)
 * and the files cfg names (vmlinux, initrd, console_log, disk): what
 * start() runs, and floor() with its own initrd. 0, or -1 when too long.
 */
int vb_qemu_launch_argv(const struct vb_qemu_variant *v, const struct vb_run_ctx *ctx,
			struct vb_qemu_cfg *cfg, struct vb_qemu_argv *a);
/*
 * The floor (backend.h) of QEMU backend be booting vmlinux: a private dir
 * under ctx->workdir with an initramfs of /init = ctx->floor_hello, a FIFO
 * as the console and an unused disk; the launch timed from fork to the
 * payload's line on the console; QEMU reaped (killed at the hello
 * timeout) and the dir removed. floor() is this with the kernel start()
 * boots. 0 with *ms, or -1 with why in what.
 */
int vb_qemu_floor_boot(const struct vb_backend *be, const struct vb_run_ctx *ctx,
		       const char *vmlinux, double *ms, char *what, size_t n);

/* The emulated lab's L1 machine: started by harness/lab/, not in the registry. */
extern const struct vb_backend vb_backend_lab_l1;

#endif
