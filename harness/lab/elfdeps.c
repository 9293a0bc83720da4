/* SPDX-License-Identifier: MIT */
#include "elfdeps.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const libdirs[] = { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
				       "/lib64", "/usr/lib64", "/lib", "/usr/lib" };

static int held(const struct vb_elfdeps *d, const char *path)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->path[i], path) == 0)
			return 1;
	return 0;
}

static int hold(struct vb_elfdeps *d, const char *path, char *err, size_t n)
{
	if (d->n == VB_ELFDEPS_MAX) {
		snprintf(err, n, "more than %d shared libraries", VB_ELFDEPS_MAX);
		return -1;
	}
	snprintf(d->path[d->n++], PATH_MAX, "%s", path);
	return 0;
}

/* The library a DT_NEEDED name stands for, in the loader's directories. */
static int find_lib(const char *name, char *out, size_t outlen)
{
	if (strchr(name, '/'))
		return -1;
	for (size_t i = 0; i < sizeof(libdirs) / sizeof(libdirs[0]); i++) {
		snprintf(out, outlen, "%s/%s", libdirs[i], name);
		if (access(out, R_OK) == 0)
			return 0;
	}
	return -1;
}

/* The interpreter and each DT_NEEDED of one ELF file, and theirs in turn. */
static int scan(struct vb_elfdeps *d, const char *path, char *err, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;
	char found[PATH_MAX];
	Elf *e;
	size_t nph;

	if (fd < 0) {
		snprintf(err, n, "%s: %s", path, strerror(errno));
		return -1;
	}
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF || elf_getphdrnum(e, &nph)) {
		snprintf(err, n, "%s: not an ELF file", path);
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < nph && rc == 0; i++) {
		GElf_Phdr ph;
		size_t len;
		char *raw = elf_rawfile(e, &len);

		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_INTERP)
			continue;
		if (!raw || ph.p_offset >= len || ph.p_filesz > len - ph.p_offset ||
		    ph.p_filesz == 0 || ph.p_filesz >= sizeof(found) ||
		    raw[ph.p_offset + ph.p_filesz - 1] != '\0') {
			snprintf(err, n, "%s: bad PT_INTERP", path);
			rc = -1;
			break;
		}
		snprintf(found, sizeof(found), "%s", raw + ph.p_offset);
		if (!held(d, found))
			rc = hold(d, found, err, n);
	}
	for (Elf_Scn *s = NULL; rc == 0 && (s = elf_nextscn(e, s)) != NULL;) {
		GElf_Shdr sh;
		Elf_Data *data;
		GElf_Dyn dyn;

		if (!gelf_getshdr(s, &sh) || sh.sh_type != SHT_DYNAMIC ||
		    !(data = elf_getdata(s, NULL)))
			continue;
		for (int k = 0; rc == 0 && gelf_getdyn(data, k, &dyn); k++) {
			const char *name;

			if (dyn.d_tag != DT_NEEDED)
				continue;
			name = elf_strptr(e, sh.sh_link, dyn.d_un.d_val);
			if (!name || find_lib(name, found, sizeof(found))) {
				snprintf(err, n, "%s needs %s, which is not in the library directories",
					 path, name ? name : "(bad name)");
				rc = -1;
			} else if (!held(d, found)) {
				rc = hold(d, found, err, n) || scan(d, found, err, n) ? -1 : 0;
			}
		}
	}
out:
	if (e)
		elf_end(e);
	close(fd);
	return rc;
}

int vb_elfdeps_add(struct vb_elfdeps *d, const char *prog, char *err, size_t n)
{
	if (elf_version(EV_CURRENT) == EV_NONE) {
		snprintf(err, n, "libelf: %s", elf_errmsg(-1));
		return -1;
	}
	return scan(d, prog, err, n);
}
