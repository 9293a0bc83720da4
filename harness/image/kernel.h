/* SPDX-License-Identifier: MIT */
/*
 * The guest kernel in the cache: kernels/<release>/vmlinux and the modules
 * every guest flavor needs, from Debian's package or the user's own kernel.
 */
#ifndef VB_KERNEL_H
#define VB_KERNEL_H

#include <limits.h>
#include <stddef.h>

/* A host file an image carries besides the agent and the modules. */
struct vb_image_file {
	char src[PATH_MAX];      /* on the host */
	char dst[256];           /* in the image, relative: "usr/bin/vbench" */
};

/* What the guest image is built from, and where it is kept. */
struct vb_image_req {
	const char *cache_dir;  /* NULL or "": vb_cache_dir()'s default */
	const char *agent;      /* the static vbench-agent */
	const char *kernel;     /* bzImage or vmlinux; NULL: Debian's linux-image-amd64 */
	const char *modules;    /* that kernel's modules dir (needed with kernel) */
	int verbose;            /* say what is fetched and built, on stderr */
	const struct vb_image_file *extra; /* more files (the lab's L1 image), or NULL */
	size_t nextra;
};

struct vb_kernel {
	char release[128];      /* "6.1.0-56-amd64", or "custom-<hash>" */
	char dir[PATH_MAX];     /* kernels/<release> in the cache */
	char vmlinux[PATH_MAX];
	char modules[PATH_MAX]; /* dir with its modules (ours, or the given one) */
};

/* The kernel (fetched and unpacked once): 0 cached, 1 made now, -1 with err. */
int vb_kernel_ensure(const struct vb_image_req *r, const char *cache, struct vb_kernel *k,
		     char *err, size_t n);

#endif
