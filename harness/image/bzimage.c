/* SPDX-License-Identifier: MIT */
#include "bzimage.h"
#include "xz.h"

#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_VMLINUX_BYTES (512u << 20)
#define XEN_ELFNOTE_PHYS32_ENTRY 18

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

int vb_elf_has_pvh_note(const unsigned char *elf, size_t len)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;

	if (len < sizeof(*eh) || memcmp(elf, ELFMAG, SELFMAG) || elf[EI_CLASS] != ELFCLASS64 ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > len || eh->e_phoff % 8 ||
	    (size_t)eh->e_phnum * sizeof(Elf64_Phdr) > len - eh->e_phoff)
		return 0;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(elf + eh->e_phoff);

	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_NOTE || ph[i].p_offset > len || ph[i].p_offset % 4 ||
		    ph[i].p_filesz > len - ph[i].p_offset)
			continue;
		size_t off = ph[i].p_offset, end = off + ph[i].p_filesz;

		while (end - off >= sizeof(Elf64_Nhdr)) {
			const Elf64_Nhdr *nh = (const Elf64_Nhdr *)(elf + off);
			size_t name = (nh->n_namesz + 3u) & ~3u, desc = (nh->n_descsz + 3u) & ~3u;

			off += sizeof(*nh);
			if (name > end - off || desc > end - off - name)
				break;
			if (nh->n_namesz == 4 && memcmp(elf + off, "Xen", 4) == 0 &&
			    nh->n_type == XEN_ELFNOTE_PHYS32_ENTRY)
				return 1;
			off += name + desc;
		}
	}
	return 0;
}

static const char *compression_name(const unsigned char *p, size_t len)
{
	if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return "gzip";
	if (len >= 4 && le32(p) == 0xfd2fb528u)
		return "zstd";
	if (len >= 3 && memcmp(p, "BZh", 3) == 0)
		return "bzip2";
	if (len >= 2 && p[0] == 0x02 && p[1] == 0x21)
		return "lz4";
	return "unknown";
}

int vb_kernel_to_vmlinux(const unsigned char *img, size_t len, unsigned char **out,
			 size_t *outlen, char *err, size_t n)
{
	static const unsigned char xz_magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
	unsigned char *elf;
	size_t elflen;

	*out = NULL;
	if (len >= SELFMAG && memcmp(img, ELFMAG, SELFMAG) == 0) {
		elf = malloc(len);
		if (!elf) {
			snprintf(err, n, "out of memory");
			return -1;
		}
		memcpy(elf, img, len);
		elflen = len;
	} else {
		if (len < 0x250 || memcmp(img + 0x202, "HdrS", 4) != 0) {
			snprintf(err, n, "neither an ELF vmlinux nor a bzImage");
			return -1;
		}
		unsigned version = img[0x206] | img[0x207] << 8;
		size_t setup = (size_t)(img[0x1f1] ? img[0x1f1] : 4) + 1;
		size_t start = setup * 512, off = le32(img + 0x248), plen = le32(img + 0x24c);

		if (version < 0x208) {
			snprintf(err, n, "boot protocol %x.%02x has no payload fields",
				 version >> 8, version & 0xff);
			return -1;
		}
		if (start > len || off > len - start || plen > len - start - off) {
			snprintf(err, n, "bzImage payload lies outside the file");
			return -1;
		}
		const unsigned char *payload = img + start + off;

		if (plen < sizeof(xz_magic) || memcmp(payload, xz_magic, sizeof(xz_magic))) {
			snprintf(err, n, "bzImage payload is %s, only XZ is supported",
				 compression_name(payload, plen));
			return -1;
		}
		if (vb_xz_decode(payload, plen, MAX_VMLINUX_BYTES, &elf, &elflen, err, n))
			return -1;
	}
	if (elflen < SELFMAG || memcmp(elf, ELFMAG, SELFMAG)) {
		snprintf(err, n, "decompressed kernel is not an ELF vmlinux");
		free(elf);
		return -1;
	}
	if (!vb_elf_has_pvh_note(elf, elflen)) {
		snprintf(err, n, "vmlinux has no PVH entry note (kernel built without CONFIG_PVH)");
		free(elf);
		return -1;
	}
	*out = elf;
	*outlen = elflen;
	return 0;
}
