/* SPDX-License-Identifier: MIT */
#include "image.h"
#include "evict.h"
#include "cpio.h"
#include "../../common/safefile.h"
#include "fsutil.h"
#include "../paths.h"
#include "modules.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_AGENT_BYTES (64u << 20)
#define MAX_EXTRA_BYTES (512u << 20)
/* Bump when the initramfs layout changes, so cached ones are rebuilt. */
#define INITRAMFS_FORMAT "vbench-initramfs-1"

/*
 * /init is the agent; /modules/NN-name.ko are loaded by it in name order;
 * /dev/console lets the kernel give init its stdio before devtmpfs is up.
 */
/* Each directory above dst that is not in the image yet (they come sorted by dst). */
static int parent_dirs(struct vb_cpio *c, const char *dst, char *last, size_t n)
{
	char dir[256];
	int rc = 0;

	for (const char *p = strchr(dst, '/'); p; p = strchr(p + 1, '/')) {
		snprintf(dir, sizeof(dir), "%.*s", (int)(p - dst), dst);
		/* last is the deepest directory written: its prefixes are there too */
		if (strncmp(last, dir, strlen(dir)) == 0 &&
		    (last[strlen(dir)] == '/' || last[strlen(dir)] == '\0'))
			continue;
		rc |= vb_cpio_dir(c, dir, 0755);
		snprintf(last, n, "%s", dir);
	}
	return rc;
}

static int extra_files(struct vb_cpio *c, const struct vb_image_file *x, size_t nx,
		       char *err, size_t n)
{
	char last[256] = "";
	unsigned char *data;
	size_t len;
	int rc = 0;

	for (size_t i = 0; i < nx && rc == 0; i++) {
		struct stat st;

		if (stat(x[i].src, &st)) {
			snprintf(err, n, "%s: %s", x[i].src, strerror(errno));
			return -1;
		}
		if (vb_read_file(x[i].src, MAX_EXTRA_BYTES, &data, &len, err, n))
			return -1;
		rc = parent_dirs(c, x[i].dst, last, sizeof(last));
		rc |= vb_cpio_file(c, x[i].dst, st.st_mode & 0755, data, len);
		free(data);
	}
	return rc;
}

int vb_initramfs_write(const char *path, const unsigned char *agent, size_t agentlen,
		       const struct vb_modset *s, const struct vb_image_file *extra,
		       size_t nextra, char *err, size_t n)
{
	static const char *const dirs[] = { "dev", "proc", "sys", "tmp", "run", "modules" };
	struct vb_safe_file out;
	char name[128];
	struct vb_cpio c;
	FILE *f;
	int rc = 0;

	f = vb_safe_open(&out, path, 0644, err, n);
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
	if (rc == 0 && extra_files(&c, extra, nextra, err, n)) {
		vb_safe_abort(&out);
		return -1;
	}
	rc |= vb_cpio_finish(&c);
	return vb_safe_commit(&out, rc != 0, err, n);
}

int vb_initramfs_init_only(const char *path, const char *init, char *err, size_t n)
{
	struct vb_safe_file out;
	unsigned char *data;
	struct vb_cpio c;
	size_t len;
	FILE *f;
	int rc;

	if (vb_read_file(init, MAX_AGENT_BYTES, &data, &len, err, n))
		return -1;
	f = vb_safe_open(&out, path, 0644, err, n);
	if (!f) {
		free(data);
		return -1;
	}
	vb_cpio_init(&c, f);
	rc = vb_cpio_file(&c, "init", 0755, data, len);
	rc |= vb_cpio_finish(&c);
	free(data);
	return vb_safe_commit(&out, rc != 0, err, n);
}

/*
 * The extra files' part of the cache key: their names and what stat says
 * of them (device, inode, size, mtime), as make decides, not their bytes:
 * an L1 image holds ~150 MB, too much to hash at every run.
 */
static int extra_key(const struct vb_image_req *r, unsigned long long *h, char *err, size_t n)
{
	for (size_t i = 0; i < r->nextra; i++) {
		struct stat st;
		unsigned long long id[5];

		if (stat(r->extra[i].src, &st)) {
			snprintf(err, n, "%s: %s", r->extra[i].src, strerror(errno));
			return -1;
		}
		id[0] = st.st_dev;
		id[1] = st.st_ino;
		id[2] = (unsigned long long)st.st_size;
		id[3] = (unsigned long long)st.st_mtim.tv_sec;
		id[4] = (unsigned long long)st.st_mtim.tv_nsec;
		*h = vb_fnv1a64(*h, r->extra[i].dst, strlen(r->extra[i].dst) + 1);
		*h = vb_fnv1a64(*h, id, sizeof(id));
	}
	return 0;
}

/*
 * After a new image of release and flavor f: the older ones beyond
 * VB_INITRAMFS_KEEP go (evict.h). Not being able to is said, not fatal.
 */
static void evict_older(const char *dir, const char *release, enum vb_guest_flavor f,
			const char *made, int verbose)
{
	char prefix[256], why[PATH_MAX + 64];
	int gone;

	snprintf(prefix, sizeof(prefix), "%s-%s", release, vb_guest_flavor_name(f));
	gone = vb_initramfs_evict(dir, prefix, VB_INITRAMFS_KEEP, strrchr(made, '/') + 1, why,
				  sizeof(why));
	if (gone < 0)
		fprintf(stderr, "vbench: older guest images not removed: %s\n", why);
	else if (gone && verbose)
		fprintf(stderr, "vbench: removed %d older %s images from %s (%d newest kept)\n",
			gone, prefix, dir, VB_INITRAMFS_KEEP);
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
	/* every path below is the cache dir plus less than 256 bytes */
	if (vb_cache_dir(r->cache_dir, cache, sizeof(cache), err, n) ||
	    vb_cache_mkdirs(cache, err, n))
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
	if (extra_key(r, &h, err, n))
		goto out;
	vb_pathf(dir, sizeof(dir), "%s/initramfs", cache);
	if (vb_cache_mkdirs(dir, err, n))
		goto out;
	vb_pathf(img->initrd, sizeof(img->initrd), "%s/%s-%s-%016llx.cpio", dir, img->k.release,
		 vb_guest_flavor_name(f), h);
	if (!vb_cache_hit(img->initrd)) {
		if (r->verbose)
			fprintf(stderr, "vbench: writing %s\n", img->initrd);
		if (vb_initramfs_write(img->initrd, agent, agentlen, &s, r->extra, r->nextra,
				       err, n))
			goto out;
		img->built = 1;
		evict_older(dir, img->k.release, f, img->initrd, r->verbose);
	} else {
		vb_initramfs_touch(img->initrd);
	}
	rc = 0;
out:
	vb_modset_free(&s);
	free(agent);
	return rc;
}
