/* SPDX-License-Identifier: MIT */
/*
 * The guest kernel as an ELF vmlinux for QEMU's direct PVH boot (-kernel
 * vmlinux): it skips the firmware's decompression of a bzImage, about 3 s
 * of a TCG guest's boot. The bzImage's payload (x86 boot protocol >= 2.08:
 * payload_offset/payload_length in the setup header) is an XZ stream in
 * Debian's kernels.
 */
#ifndef VB_BZIMAGE_H
#define VB_BZIMAGE_H

#include <stddef.h>

/*
 * Turn a kernel image (a bzImage, or already an ELF vmlinux) into a
 * malloc'd ELF vmlinux that carries a PVH entry note. 0 or -1 with err.
 */
int vb_kernel_to_vmlinux(const unsigned char *img, size_t len, unsigned char **out,
			 size_t *outlen, char *err, size_t n);

/* 1 when the ELF has the Xen PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY). */
int vb_elf_has_pvh_note(const unsigned char *elf, size_t len);

#endif
