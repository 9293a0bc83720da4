/* SPDX-License-Identifier: MIT */
#include "l1image.h"
#include "elfdeps.h"
#include "../exec.h"
#include "../paths.h"
#include "../image/fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * What QEMU loads for the L2 machines (q35, PVH boot, e1000 and virtio
 * NICs' option ROMs), where Debian puts it: QEMU looks beside its binary,
 * in ../share/qemu, ../share/seabios and ../lib/ipxe/qemu.
 */
static const char *const firmware[] = {
	"/usr/share/seabios/bios-256k.bin", "/usr/share/qemu/kvmvapic.bin",
	"/usr/share/qemu/linuxboot_dma.bin", "/usr/share/qemu/pvh.bin",
	"/usr/lib/ipxe/qemu/efi-e1000.rom", "/usr/lib/ipxe/qemu/efi-virtio.rom",
};

static int add(struct vb_l1_files *l, const char *src, const char *dst, char *err, size_t n)
{
	struct vb_image_file *f;

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->file[i].dst, dst) == 0)
			return 0;
	if (l->n == VB_L1_MAX_FILES) {
		snprintf(err, n, "the L1 image would hold more than %d files", VB_L1_MAX_FILES);
		return -1;
	}
	if (access(src, R_OK)) {
		snprintf(err, n, "L1 image: %s: %s", src, strerror(errno));
		return -1;
	}
	f = &l->file[l->n++];
	snprintf(f->src, sizeof(f->src), "%s", src);
	snprintf(f->dst, sizeof(f->dst), "%s", dst[0] == '/' ? dst + 1 : dst);
	return 0;
}

/* A program at dst, with everything its dynamic linking needs at the host's paths. */
static int add_program(struct vb_l1_files *l, const char *src, const char *dst,
		       struct vb_elfdeps *deps, char *err, size_t n)
{
	if (add(l, src, dst, err, n) || vb_elfdeps_add(deps, src, err, n))
		return -1;
	for (size_t i = 0; i < deps->n; i++)
		if (add(l, deps->path[i], deps->path[i], err, n))
			return -1;
	return 0;
}

static int add_tool(struct vb_l1_files *l, const char *name, const char *dst,
		    struct vb_elfdeps *deps, char *err, size_t n)
{
	char path[PATH_MAX];

	if (!vb_which(name, path, sizeof(path))) {
		snprintf(err, n, "the lab needs %s on the host to copy into its L1 image", name);
		return -1;
	}
	return add_program(l, path, dst, deps, err, n);
}

/* Every module the kernel cache holds, for the nested vbench's --modules. */
static int add_modules(struct vb_l1_files *l, const char *dir, char *err, size_t n)
{
	char src[PATH_MAX], dst[256];
	struct dirent *e;
	DIR *d = opendir(dir);
	int rc = 0;

	if (!d) {
		snprintf(err, n, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (vb_pathf(src, sizeof(src), "%s/%s", dir, e->d_name) ||
		    vb_pathf(dst, sizeof(dst), "%s/%s", VB_L1_L2_MODULES, e->d_name)) {
			snprintf(err, n, "module path too long: %s", e->d_name);
			rc = -1;
		} else {
			rc = add(l, src, dst, err, n);
		}
	}
	closedir(d);
	return rc;
}

/*
 * The L2 image as the nested vbench will look for it: its --kernel names
 * the vmlinux inside L1, so the host builds the same "custom-<hash>"
 * entries in its own cache and L1 gets copies at the same relative paths.
 */
static int add_l2_image(const struct vb_run_ctx *ctx, struct vb_l1_files *l, char *err,
			size_t n)
{
	struct vb_image_req req = { ctx->cache_dir, ctx->agent_path, ctx->kernel, ctx->modules,
				    ctx->verbose, NULL, 0 };
	struct vb_kernel base;
	struct vb_image img;
	char dst[256], cache[PATH_MAX - 256];

	if (vb_cache_dir(ctx->cache_dir, cache, sizeof(cache), err, n) ||
	    vb_cache_mkdirs(cache, err, n) || vb_kernel_ensure(&req, cache, &base, err, n) < 0)
		return -1;
	req.kernel = base.vmlinux;
	req.modules = base.modules;
	for (int f = 0; f < VB_GUEST_NFLAVORS; f++) {
		if (f == VB_GUEST_L1)
			continue;
		if (vb_image_ensure(&req, (enum vb_guest_flavor)f, &img, err, n))
			return -1;
		snprintf(dst, sizeof(dst), "%s/initramfs/%.128s", VB_L1_CACHE, basename(img.initrd));
		if (add(l, img.initrd, dst, err, n))
			return -1;
	}
	snprintf(l->l2_kernel, sizeof(l->l2_kernel), "%s/kernels/%s/vmlinux", VB_L1_CACHE,
		 img.k.release);
	return add(l, img.k.vmlinux, l->l2_kernel, err, n) || add_modules(l, base.modules, err, n);
}

static int by_dst(const void *a, const void *b)
{
	return strcmp(((const struct vb_image_file *)a)->dst,
		      ((const struct vb_image_file *)b)->dst);
}

int vb_l1_files(const struct vb_run_ctx *ctx, struct vb_l1_files *l, char *err, size_t n)
{
	static struct vb_elfdeps deps;

	memset(l, 0, sizeof(*l));
	memset(&deps, 0, sizeof(deps));
	/* the running binary itself, even if a rebuild has replaced its file since */
	if (add_program(l, "/proc/self/exe", "/usr/bin/vbench", &deps, err, n) ||
	    add(l, ctx->agent_path, "/usr/bin/vbench-agent", err, n) ||
	    /* beside the agent, where life.start's floors look for it */
	    (ctx->floor_hello &&
	     add(l, ctx->floor_hello, "/usr/bin/vbench-floor-hello", err, n)) ||
	    add_tool(l, "qemu-system-x86_64", "/usr/bin/qemu-system-x86_64", &deps, err, n) ||
	    add_tool(l, "mke2fs", "/usr/sbin/mke2fs", &deps, err, n))
		return -1;
	for (size_t i = 0; i < sizeof(firmware) / sizeof(firmware[0]); i++)
		if (add(l, firmware[i], firmware[i], err, n))
			return -1;
	if (add_l2_image(ctx, l, err, n))
		return -1;
	qsort(l->file, l->n, sizeof(l->file[0]), by_dst);
	return 0;
}
