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

/* The emulated lab's L1 machine: started by harness/lab/, not in the registry. */
extern const struct vb_backend vb_backend_lab_l1;

#endif
