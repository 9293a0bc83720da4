/* SPDX-License-Identifier: MIT */
#include "image.h"
#include "cpio.h"
#include "fsutil.h"
#include "../paths.h"
#include "modules.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_AGENT_BYTES (64u << 20)
/* Bump when the initramfs layout changes, so cached ones are rebuilt. */
#define INITRAMFS_FORMAT "vbench-initramfs-1"

/*
 * /init is the agent; /modules/NN-name.ko are loaded by it in name order;
 * /dev/console lets the kernel give init its stdio before devtmpfs is up.
 */
int vb_initramfs_write(const char *path, const unsigned char *agent, size_t agentlen,
		       const struct vb_modset *s, char *err, size_t n)
{
	static const char *const dirs[] = { "dev", "proc", "sys", "tmp", "run", "modules" };
	char tmp[4096], name[128];
	struct vb_cpio c;
	FILE *f;
	int rc = 0;

	f = vb_tmp_open(path, tmp, sizeof(tmp), err, n);
	if (!f)
		return -1;
	vb_cpio_init(&c, f);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		rc |= vb_cpio_dir(&c, dirs[i], 0755);
	rc |= vb_cpio_chardev(&c, "dev/console", 0600, 5, 1);
	rc |= vb_cpio_file(&c, "init", 0755, agent, agentlen);
	for (size_t i = 0; s && i < s->norder; i++) {
		const struct vb_module *m = &s->mod[s->order[i]];

		snprintf(name, sizeof(name), "modules/%03zu-%s.ko", i, m->name);
		rc |= vb_cpio_file(&c, name, 0644, m->data, m->len);
	}
	rc |= vb_cpio_finish(&c);
	return vb_tmp_commit(f, rc != 0, tmp, path, err, n);
}

int vb_image_ensure(const struct vb_image_req *r, enum vb_guest_flavor f,
		    struct vb_image *img, char *err, size_t n)
{
	char cache[PATH_MAX - 256], dir[PATH_MAX];
	const char *const *roots;
	unsigned char *agent = NULL;
	size_t agentlen, nroots;
	unsigned long long h;
	struct vb_modset s = { 0 };
	int rc = -1;

	memset(img, 0, sizeof(*img));
	vb_cache_dir(r->cache_dir, cache, sizeof(cache));
	/* every path below is the cache dir plus less than 256 bytes */
	if (strlen(cache) >= sizeof(cache) - 1) {
		snprintf(err, n, "cache dir path too long");
		return -1;
	}
	if (vb_mkdirs(cache, err, n))
		return -1;
	rc = vb_kernel_ensure(r, cache, &img->k, err, n);
	if (rc < 0)
		return -1;
	img->built = rc;
	rc = -1;
	if (vb_read_file(r->agent, MAX_AGENT_BYTES, &agent, &agentlen, err, n))
		return -1;
	if (vb_modset_scan(&s, img->k.modules, err, n))
		goto out;
	roots = vb_guest_flavor_modules(f, &nroots);
	if (vb_modset_resolve(&s, roots, nroots, err, n))
		goto out;
	h = vb_fnv1a64(VB_FNV_SEED, INITRAMFS_FORMAT, sizeof(INITRAMFS_FORMAT));
	h = vb_fnv1a64(h, agent, agentlen);
	for (size_t i = 0; i < s.norder; i++) {
		const struct vb_module *m = &s.mod[s.order[i]];

		h = vb_fnv1a64(h, m->name, strlen(m->name) + 1);
		h = vb_fnv1a64(h, m->data, m->len);
	}
	vb_pathf(dir, sizeof(dir), "%s/initramfs", cache);
	if (vb_mkdirs(dir, err, n))
		goto out;
	vb_pathf(img->initrd, sizeof(img->initrd), "%s/%s-%s-%016llx.cpio", dir, img->k.release,
		 vb_guest_flavor_name(f), h);
	if (!vb_file_nonempty(img->initrd)) {
		if (r->verbose)
			fprintf(stderr, "vbench: writing %s\n", img->initrd);
		if (vb_initramfs_write(img->initrd, agent, agentlen, &s, err, n))
			goto out;
		img->built = 1;
	}
	rc = 0;
out:
	vb_modset_free(&s);
	free(agent);
	return rc;
}
