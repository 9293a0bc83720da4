/* SPDX-License-Identifier: MIT */
#include "modules.h"
#include "fsutil.h"
#include "xz.h"

#include <elf.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MODULE_BYTES (64u << 20)
#define MAX_DEPTH 64

/*
 * Every offset and size below comes from the file: each is checked against
 * the bytes there are before anything is read through it (the file may be
 * crafted; a fuzz target feeds this exactly len bytes).
 */
struct elf_view {
	const unsigned char *b;
	size_t len;
	const Elf64_Shdr *sh;      /* e_shnum section headers */
	unsigned nsh;
	const Elf64_Shdr *names;   /* the section-name table */
};

/* 1 when [off, off + size) lies within the file. */
static int in_file(const struct elf_view *v, uint64_t off, uint64_t size)
{
	return off <= v->len && size <= v->len - off;
}

static int elf_open(struct elf_view *v, const void *ko, size_t len, char *err, size_t n)
{
	const Elf64_Ehdr *eh = ko;

	v->b = ko;
	v->len = len;
	if (len < sizeof(*eh) || memcmp(v->b, ELFMAG, SELFMAG) || v->b[EI_CLASS] != ELFCLASS64) {
		snprintf(err, n, "not an ELF64 file");
		return -1;
	}
	if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff % 8 ||
	    !in_file(v, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)) ||
	    eh->e_shstrndx >= eh->e_shnum) {
		snprintf(err, n, "bad ELF section table");
		return -1;
	}
	v->sh = (const Elf64_Shdr *)(v->b + eh->e_shoff);
	v->nsh = eh->e_shnum;
	v->names = &v->sh[eh->e_shstrndx];
	if (v->names->sh_type == SHT_NOBITS ||
	    !in_file(v, v->names->sh_offset, v->names->sh_size)) {
		snprintf(err, n, "bad ELF section names");
		return -1;
	}
	return 0;
}

/* 1 when section s is called name, NUL included, inside the name table. */
static int section_is(const struct elf_view *v, const Elf64_Shdr *s, const char *name)
{
	size_t want = strlen(name) + 1;

	return s->sh_name < v->names->sh_size && want <= v->names->sh_size - s->sh_name &&
	       memcmp(v->b + v->names->sh_offset + s->sh_name, name, want) == 0;
}

/* key's value among the NUL-terminated "key=value" strings of .modinfo. */
static int modinfo_value(const char *p, size_t size, const char *key, char *out,
			 size_t outlen, char *err, size_t n)
{
	const char *end = p + size;
	size_t klen = strlen(key);

	if (size && end[-1] != '\0') {
		snprintf(err, n, "unterminated string at the end of .modinfo");
		return -1;
	}
	for (size_t l; p < end; p += l + 1) {
		l = strlen(p);
		if (l <= klen || p[klen] != '=' || memcmp(p, key, klen))
			continue;
		if (l - klen - 1 >= outlen) {
			snprintf(err, n, ".modinfo %s is %zu bytes, more than %zu", key,
				 l - klen - 1, outlen - 1);
			return -1;
		}
		memcpy(out, p + klen + 1, l - klen);
		return 0;
	}
	return 0;
}

int vb_modinfo(const void *ko, size_t len, const char *key, char *out, size_t outlen,
	       char *err, size_t n)
{
	struct elf_view v;

	out[0] = '\0';
	if (elf_open(&v, ko, len, err, n))
		return -1;
	for (unsigned i = 0; i < v.nsh; i++) {
		const Elf64_Shdr *s = &v.sh[i];

		if (s->sh_type == SHT_NOBITS || !section_is(&v, s, ".modinfo"))
			continue;
		if (!in_file(&v, s->sh_offset, s->sh_size)) {
			snprintf(err, n, "bad .modinfo section");
			return -1;
		}
		return modinfo_value((const char *)v.b + s->sh_offset, s->sh_size, key, out,
				     outlen, err, n);
	}
	snprintf(err, n, "no .modinfo section");
	return -1;
}

void vb_modname_norm(char *name)
{
	for (; *name; name++)
		if (*name == '-')
			*name = '_';
}

/* nftw has no user pointer: the set being scanned. */
static struct vb_modset *scanning;

static int scan_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *base = path + ftw->base;
	size_t l = strlen(base), stem;

	(void)st;
	if (type != FTW_F)
		return 0;
	if (l > 3 && strcmp(base + l - 3, ".ko") == 0)
		stem = l - 3;
	else if (l > 6 && strcmp(base + l - 6, ".ko.xz") == 0)
		stem = l - 6;
	else
		return 0;
	if (stem >= sizeof(scanning->mod[0].name) || strlen(path) >= sizeof(scanning->mod[0].path))
		return 0;
	if (scanning->n == scanning->cap) {
		size_t cap = scanning->cap ? scanning->cap * 2 : 256;
		struct vb_module *m = realloc(scanning->mod, cap * sizeof(*m));

		if (!m)
			return -1;
		scanning->mod = m;
		scanning->cap = cap;
	}
	struct vb_module *m = &scanning->mod[scanning->n++];

	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%.*s", (int)stem, base);
	vb_modname_norm(m->name);
	snprintf(m->path, sizeof(m->path), "%s", path);
	return 0;
}

int vb_modset_scan(struct vb_modset *s, const char *dir, char *err, size_t n)
{
	int rc;

	memset(s, 0, sizeof(*s));
	scanning = s;
	rc = nftw(dir, scan_one, 16, FTW_PHYS);
	scanning = NULL;
	if (rc) {
		snprintf(err, n, "scan modules in %s: %s", dir, rc < 0 ? strerror(errno) :
			 "out of memory");
		return -1;
	}
	if (s->n == 0) {
		snprintf(err, n, "no kernel modules (*.ko) under %s", dir);
		return -1;
	}
	return 0;
}

static struct vb_module *find(struct vb_modset *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->mod[i].name, name) == 0)
			return &s->mod[i];
	return NULL;
}

static int load(struct vb_module *m, char *err, size_t n)
{
	unsigned char *raw;
	size_t len, l = strlen(m->path);

	if (m->data)
		return 0;
	if (vb_read_file(m->path, MAX_MODULE_BYTES, &raw, &len, err, n))
		return -1;
	if (l > 3 && strcmp(m->path + l - 3, ".xz") == 0) {
		int rc = vb_xz_decode(raw, len, MAX_MODULE_BYTES, &m->data, &m->len, err, n);

		free(raw);
		return rc;
	}
	m->data = raw;
	m->len = len;
	return 0;
}

static int place(struct vb_modset *s, const char *name, int depth, char *err, size_t n)
{
	char deps[1024], dep[64], why[256];
	struct vb_module *m = find(s, name);

	if (!m) {
		snprintf(err, n, "module %s not found", name);
		return -1;
	}
	if (m->state == 2)
		return 0;
	if (m->state == 1 || depth > MAX_DEPTH) {
		snprintf(err, n, "dependency cycle through module %s", name);
		return -1;
	}
	m->state = 1;
	if (load(m, err, n))
		return -1;
	if (vb_modinfo(m->data, m->len, "depends", deps, sizeof(deps), why, sizeof(why))) {
		snprintf(err, n, "%s: %s", m->path, why);
		return -1;
	}
	for (char *p = deps, *tok; (tok = strsep(&p, ",")) != NULL;) {
		if (!*tok)
			continue;
		if (strlen(tok) >= sizeof(dep)) {
			snprintf(err, n, "%s: a dependency's name is over %zu bytes", m->path,
				 sizeof(dep) - 1);
			return -1;
		}
		snprintf(dep, sizeof(dep), "%s", tok);
		vb_modname_norm(dep);
		if (place(s, dep, depth + 1, err, n))
			return -1;
	}
	m->state = 2;
	s->order[s->norder++] = (size_t)(m - s->mod);
	return 0;
}

int vb_modset_resolve(struct vb_modset *s, const char *const *roots, size_t nroots,
		      char *err, size_t n)
{
	char name[64];

	if (!s->order) {
		s->order = calloc(s->n ? s->n : 1, sizeof(*s->order));
		if (!s->order) {
			snprintf(err, n, "out of memory");
			return -1;
		}
	}
	for (size_t i = 0; i < nroots; i++) {
		snprintf(name, sizeof(name), "%s", roots[i]);
		vb_modname_norm(name);
		if (place(s, name, 0, err, n))
			return -1;
	}
	return 0;
}

void vb_modset_free(struct vb_modset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->mod[i].data);
	free(s->mod);
	free(s->order);
	memset(s, 0, sizeof(*s));
}
