/* SPDX-License-Identifier: MIT */
#include "cpio.h"

#include <string.h>
#include <sys/stat.h>

void vb_cpio_init(struct vb_cpio *c, FILE *f)
{
	c->f = f;
	c->ino = 1;
	c->err = 0;
}

/* Zero bytes up to the next multiple of 4 of the stream position. */
static void pad4(struct vb_cpio *c, size_t written)
{
	static const char zeros[4];
	size_t pad = (4 - written % 4) % 4;

	if (pad && fwrite(zeros, 1, pad, c->f) != pad)
		c->err = 1;
}

static int entry(struct vb_cpio *c, const char *name, unsigned mode, const void *data,
		 size_t len, unsigned rmaj, unsigned rmin)
{
	size_t namesize = strlen(name) + 1;
	char hdr[111];

	if (len > 0xffffffffu || namesize > 4096) {
		c->err = 1;
		return -1;
	}
	/* magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor,
	 * devminor, rdevmajor, rdevminor, namesize, check */
	snprintf(hdr, sizeof(hdr),
		 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08zX%08X",
		 c->ino++, mode, 0u, 0u, S_ISDIR(mode) ? 2u : 1u, 0u, (unsigned)len, 0u, 0u,
		 rmaj, rmin, namesize, 0u);
	if (fwrite(hdr, 1, 110, c->f) != 110 || fwrite(name, 1, namesize, c->f) != namesize)
		c->err = 1;
	pad4(c, 110 + namesize);
	if (len && fwrite(data, 1, len, c->f) != len)
		c->err = 1;
	pad4(c, len);
	return c->err ? -1 : 0;
}

int vb_cpio_dir(struct vb_cpio *c, const char *name, mode_t perm)
{
	return entry(c, name, S_IFDIR | (perm & 07777), NULL, 0, 0, 0);
}

int vb_cpio_file(struct vb_cpio *c, const char *name, mode_t perm, const void *data,
		 size_t len)
{
	return entry(c, name, S_IFREG | (perm & 07777), data, len, 0, 0);
}

int vb_cpio_chardev(struct vb_cpio *c, const char *name, mode_t perm, unsigned major,
		    unsigned minor)
{
	return entry(c, name, S_IFCHR | (perm & 07777), NULL, 0, major, minor);
}

int vb_cpio_finish(struct vb_cpio *c)
{
	c->ino = 0;
	entry(c, "TRAILER!!!", 0, NULL, 0, 0, 0);
	if (fflush(c->f))
		c->err = 1;
	return c->err ? -1 : 0;
}
