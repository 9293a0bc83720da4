/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the guest kernel image reader (a bzImage's setup
 * header and XZ payload, or an ELF vmlinux, and its PVH note), and the
 * initramfs cpio writer's handling of names and data: the input, split
 * at its first NUL into a name and file data, is written as one entry
 * and the archive must read back as exactly that entry and the trailer.
 * The tree has no cpio reader of its own; the check below is the newc
 * format as the kernel unpacks it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../harness/image/bzimage.h"
#include "../../harness/image/cpio.h"

#define NEWC_HDR 110

static void kernel(const uint8_t *data, size_t size)
{
	unsigned char *elf;
	size_t len;
	char err[256] = "";

	vb_elf_has_pvh_note(data, size);
	if (vb_kernel_to_vmlinux(data, size, &elf, &len, err, sizeof(err))) {
		if (!err[0])
			abort(); /* refused without a reason */
		return;
	}
	if (!vb_elf_has_pvh_note(elf, len))
		abort(); /* accepted without the note it requires */
	free(elf);
}

static size_t align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* Field i (0: ino ... 12: check) of the newc header at h. */
static unsigned long field(const char *h, int i)
{
	char hex[9];

	memcpy(hex, h + 6 + 8 * i, 8);
	hex[8] = '\0';
	return strtoul(hex, NULL, 16);
}

/* The entry at *off must be name with data; *off moves past it. */
static void expect_entry(const char *a, size_t len, size_t *off, const char *name,
			 const void *data, size_t dlen)
{
	const char *h = a + *off;
	size_t nsz = strlen(name) + 1, start;

	if (len - *off < NEWC_HDR || memcmp(h, "070701", 6) || field(h, 11) != nsz ||
	    field(h, 6) != dlen)
		abort();
	if (len - *off - NEWC_HDR < nsz || memcmp(h + NEWC_HDR, name, nsz))
		abort();
	start = *off + align4(NEWC_HDR + nsz);
	if (start > len || len - start < dlen || (dlen && memcmp(a + start, data, dlen)))
		abort();
	*off = start + align4(dlen);
}

static void cpio(const uint8_t *data, size_t size)
{
	const char *nul = memchr(data, '\0', size);
	size_t nlen = nul ? (size_t)(nul - (const char *)data) : size, off = 0, alen;
	const unsigned char *fdata = nul ? (const unsigned char *)nul + 1 : data + size;
	size_t dlen = size - (size_t)(fdata - data);
	char *name = strndup((const char *)data, nlen), *a = NULL;
	FILE *f = open_memstream(&a, &alen);
	struct vb_cpio c;
	int rc;

	if (!name || !f)
		abort();
	vb_cpio_init(&c, f);
	rc = vb_cpio_file(&c, name, 0644, fdata, dlen);
	if (rc && nlen + 1 <= 4096)
		abort(); /* a name the kernel's unpacker takes was refused */
	/* a refused entry fails the archive, and only that */
	if ((vb_cpio_finish(&c) != 0) != (rc != 0) || fclose(f))
		abort();
	if (!rc)
		expect_entry(a, alen, &off, name, fdata, dlen);
	expect_entry(a, alen, &off, "TRAILER!!!", NULL, 0);
	if (off != alen)
		abort();
	free(a);
	free(name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kernel(data, size);
	cpio(data, size);
	return 0;
}
