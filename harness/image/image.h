/* SPDX-License-Identifier: MIT */
/*
 * The guest image: a kernel as ELF vmlinux (direct PVH boot) and an
 * initramfs whose /init is vbench-agent, with the modules its devices
 * need. Built on demand and cached by content under the cache dir:
 *   kernels/<release>/vmlinux, kernels/<release>/modules/<name>.ko
 *   initramfs/<release>-<flavor>-<hash>.cpio   (hash of agent + modules)
 */
#ifndef VB_IMAGE_H
#define VB_IMAGE_H

#include <limits.h>
#include <stddef.h>

/* Which devices the guest drives: it decides the modules in the initramfs. */
enum vb_guest_flavor {
	VB_GUEST_EMULATED, /* AHCI disk, e1000; channel on the 2nd 16550 */
	VB_GUEST_VIRTIO,   /* virtio-blk, virtio-net, virtio-serial */
	VB_GUEST_NFLAVORS,
};

const char *vb_guest_flavor_name(enum vb_guest_flavor f);
/* The modules a flavor asks for (their dependencies come from .modinfo). */
const char *const *vb_guest_flavor_modules(enum vb_guest_flavor f, size_t *n);

struct vb_image_req {
	const char *cache_dir;  /* NULL or "": vb_cache_dir()'s default */
	const char *agent;      /* the static vbench-agent */
	const char *kernel;     /* bzImage or vmlinux; NULL: Debian's linux-image-amd64 */
	const char *modules;    /* that kernel's modules dir (needed with kernel) */
	int verbose;            /* say what is fetched and built, on stderr */
};

struct vb_kernel {
	char release[128];      /* "6.1.0-56-amd64", or "custom-<hash>" */
	char dir[PATH_MAX];     /* kernels/<release> in the cache */
	char vmlinux[PATH_MAX];
	char modules[PATH_MAX]; /* dir with its modules (ours, or the given one) */
};

struct vb_image {
	struct vb_kernel k;
	char initrd[PATH_MAX];
	int built;              /* something was fetched or written this time */
};

/* The kernel (fetched and unpacked once): 0 cached, 1 made now, -1 with err. */
int vb_kernel_ensure(const struct vb_image_req *r, const char *cache, struct vb_kernel *k,
		     char *err, size_t n);
/* Kernel and initramfs for a flavor, from the cache or built now. */
int vb_image_ensure(const struct vb_image_req *r, enum vb_guest_flavor f,
		    struct vb_image *img, char *err, size_t n);

/* Write the initramfs for agent + the modules in set order. 0 or -1 with err. */
struct vb_modset;
int vb_initramfs_write(const char *path, const unsigned char *agent, size_t agentlen,
		       const struct vb_modset *s, char *err, size_t n);

/* FNV-1a 64 (content keys for the cache, not a security hash). */
unsigned long long vb_fnv1a64(unsigned long long h, const void *p, size_t len);
#define VB_FNV_SEED 0xcbf29ce484222325ull

#endif
