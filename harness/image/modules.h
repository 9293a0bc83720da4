/* SPDX-License-Identifier: MIT */
/*
 * Kernel modules for the guest's initramfs. The guest has no kmod and no
 * modules.dep: the harness reads each module's dependencies from its
 * .modinfo ELF section ("depends=a,b") and writes the modules in an order
 * the agent (as /init) can load one by one with finit_module.
 */
#ifndef VB_MODULES_H
#define VB_MODULES_H

#include <stddef.h>

/*
 * The value of `key` in an ELF module's .modinfo section ("" when the key
 * is absent). Reads only within the len bytes, whatever the offsets in
 * them say. 0, or -1 with err when the bytes are not a well-formed ELF64
 * module or the value does not fit in outlen (never cut short).
 */
int vb_modinfo(const void *ko, size_t len, const char *key, char *out, size_t outlen,
	       char *err, size_t n);

/* Module name as the kernel spells it: '-' becomes '_'. */
void vb_modname_norm(char *name);

struct vb_module {
	char name[64];           /* normalized */
	char path[4096];         /* where it was found */
	unsigned char *data;     /* uncompressed ELF (.ko.xz decoded) */
	size_t len;
	int state;               /* resolution: 0 new, 1 visiting, 2 placed */
};

struct vb_modset {
	struct vb_module *mod;   /* every module found under the directory */
	size_t n, cap;
	size_t *order;           /* indexes into mod, dependencies first */
	size_t norder;
};

/* Index every *.ko and *.ko.xz under dir (recursively). 0 or -1 with err. */
int vb_modset_scan(struct vb_modset *s, const char *dir, char *err, size_t n);
/*
 * Place the named modules and everything they depend on into s->order,
 * dependencies first, each once. 0 or -1 with err (a module missing, a
 * dependency cycle, a bad file).
 */
int vb_modset_resolve(struct vb_modset *s, const char *const *roots, size_t nroots,
		      char *err, size_t n);
void vb_modset_free(struct vb_modset *s);

#endif
