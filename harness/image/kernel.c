/* SPDX-License-Identifier: MIT */
/*
 * The guest kernel: Debian's linux-image-amd64 (its versioned dependency,
 * fetched with `apt-get download` and unpacked with `dpkg-deb -x`, never
 * installed), or a kernel and modules dir the user names. Only the
 * vmlinux and the modules the guest flavors need are kept in the cache.
 */
#include "fsutil.h"
#include "image.h"
#include "modules.h"
#include "spawn.h"
#include "vmlinux.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_KERNEL_BYTES (256u << 20)
#define META "linux-image-amd64"

/* "linux-image-6.1.0-56-amd64": the package linux-image-amd64 depends on. */
static int debian_kernel_package(char *pkg, size_t pkglen, char *err, size_t n)
{
	char *argv[] = { "apt-cache", "depends", META, NULL };
	char out[8192], *line, *p = out;

	if (vb_spawn_wait(argv, NULL, out, sizeof(out), err, n))
		return -1;
	while ((line = strsep(&p, "\n")) != NULL) {
		char *dep = strstr(line, "Depends: linux-image-");

		if (dep) {
			dep += strlen("Depends: ");
			dep[strcspn(dep, " \t<>")] = '\0';
			snprintf(pkg, pkglen, "%s", dep);
			return 0;
		}
	}
	snprintf(err, n, "apt-cache depends %s names no linux-image-* package", META);
	return -1;
}

static int write_vmlinux(const char *image, const char *dst, char *err, size_t n)
{
	unsigned char *img, *elf;
	size_t len, elflen;
	char why[512];
	int rc;

	if (vb_read_file(image, MAX_KERNEL_BYTES, &img, &len, err, n))
		return -1;
	rc = vb_kernel_to_vmlinux(img, len, &elf, &elflen, why, sizeof(why));
	free(img);
	if (rc) {
		snprintf(err, n, "%s: %s", image, why);
		return -1;
	}
	rc = vb_write_file_atomic(dst, elf, elflen, err, n);
	free(elf);
	return rc;
}

/* Copy the modules every flavor needs (with their dependencies), as <name>.ko. */
static int copy_modules(const char *from, const char *to, char *err, size_t n)
{
	struct vb_modset s;
	char path[PATH_MAX];
	int rc = -1;

	if (vb_modset_scan(&s, from, err, n))
		return -1;
	for (int f = 0; f < VB_GUEST_NFLAVORS; f++) {
		size_t nroots;
		const char *const *roots = vb_guest_flavor_modules(f, &nroots);

		if (vb_modset_resolve(&s, roots, nroots, err, n))
			goto out;
	}
	if (vb_mkdir_p(to, 0755, err, n))
		goto out;
	for (size_t i = 0; i < s.norder; i++) {
		const struct vb_module *m = &s.mod[s.order[i]];

		snprintf(path, sizeof(path), "%s/%s.ko", to, m->name);
		if (vb_write_file_atomic(path, m->data, m->len, err, n))
			goto out;
	}
	rc = 0;
out:
	vb_modset_free(&s);
	return rc;
}

/* Download and unpack pkg in tmp, leave vmlinux and modules/ in out. */
static int fetch_debian(const char *pkg, const char *release, const char *tmp,
			const char *out, int verbose, char *err, size_t n)
{
	char deb[PATH_MAX] = "", root[PATH_MAX], path[PATH_MAX], pkgarg[256];
	char *dl[] = { "apt-get", "download", "-q", pkgarg, NULL };
	struct dirent *e;
	DIR *d;

	snprintf(pkgarg, sizeof(pkgarg), "%s", pkg);
	if (verbose)
		fprintf(stderr, "vbench: fetching %s with apt-get download\n", pkg);
	if (vb_spawn_wait(dl, tmp, NULL, 0, err, n))
		return -1;
	d = opendir(tmp);
	while (d && (e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);

		if (l > 4 && strcmp(e->d_name + l - 4, ".deb") == 0)
			snprintf(deb, sizeof(deb), "%s/%s", tmp, e->d_name);
	}
	if (d)
		closedir(d);
	if (!deb[0]) {
		snprintf(err, n, "apt-get download %s left no .deb in %s", pkg, tmp);
		return -1;
	}
	snprintf(root, sizeof(root), "%s/root", tmp);
	char *x[] = { "dpkg-deb", "-x", deb, root, NULL };

	if (vb_spawn_wait(x, NULL, NULL, 0, err, n))
		return -1;
	snprintf(path, sizeof(path), "%s/boot/vmlinuz-%s", root, release);
	char dst[PATH_MAX];

	if (vb_mkdir_p(out, 0755, err, n))
		return -1;
	snprintf(dst, sizeof(dst), "%s/vmlinux", out);
	if (write_vmlinux(path, dst, err, n))
		return -1;
	snprintf(path, sizeof(path), "%s/lib/modules/%s", root, release);
	snprintf(dst, sizeof(dst), "%s/modules", out);
	return copy_modules(path, dst, err, n);
}

static int debian_kernel(const char *cache, int verbose, struct vb_kernel *k, char *err,
			 size_t n)
{
	char pkg[192], tmp[PATH_MAX], out[PATH_MAX];
	int rc;

	if (debian_kernel_package(pkg, sizeof(pkg), err, n))
		return -1;
	snprintf(k->release, sizeof(k->release), "%s", pkg + strlen("linux-image-"));
	snprintf(k->dir, sizeof(k->dir), "%s/kernels/%s", cache, k->release);
	snprintf(k->vmlinux, sizeof(k->vmlinux), "%s/vmlinux", k->dir);
	snprintf(k->modules, sizeof(k->modules), "%s/modules", k->dir);
	if (vb_file_nonempty(k->vmlinux))
		return 0;
	if (access(k->dir, F_OK) == 0) {
		snprintf(err, n, "%s has no vmlinux: remove it to fetch the kernel again",
			 k->dir);
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s/kernels", cache);
	if (vb_mkdir_p(tmp, 0755, err, n))
		return -1;
	snprintf(tmp, sizeof(tmp), "%s/kernels/.fetch-XXXXXX", cache);
	if (!mkdtemp(tmp)) {
		snprintf(err, n, "mkdtemp %s: %s", tmp, strerror(errno));
		return -1;
	}
	snprintf(out, sizeof(out), "%s/out", tmp);
	rc = fetch_debian(pkg, k->release, tmp, out, verbose, err, n);
	/* Whole dir into place at once: a cut-off fetch never looks complete. */
	if (rc == 0 && rename(out, k->dir) && errno != ENOTEMPTY && errno != EEXIST) {
		snprintf(err, n, "rename %s to %s: %s", out, k->dir, strerror(errno));
		rc = -1;
	}
	vb_rm_rf(tmp);
	return rc ? -1 : 1;
}

static int custom_kernel(const struct vb_image_req *r, const char *cache,
			 struct vb_kernel *k, char *err, size_t n)
{
	unsigned char *img;
	size_t len;

	if (!r->modules) {
		snprintf(err, n, "--kernel needs --modules DIR (that kernel's modules tree)");
		return -1;
	}
	if (vb_read_file(r->kernel, MAX_KERNEL_BYTES, &img, &len, err, n))
		return -1;
	snprintf(k->release, sizeof(k->release), "custom-%016llx",
		 vb_fnv1a64(VB_FNV_SEED, img, len));
	free(img);
	snprintf(k->dir, sizeof(k->dir), "%s/kernels/%s", cache, k->release);
	snprintf(k->vmlinux, sizeof(k->vmlinux), "%s/vmlinux", k->dir);
	snprintf(k->modules, sizeof(k->modules), "%s", r->modules);
	if (vb_file_nonempty(k->vmlinux))
		return 0;
	if (vb_mkdir_p(k->dir, 0755, err, n) || write_vmlinux(r->kernel, k->vmlinux, err, n))
		return -1;
	return 1;
}

int vb_kernel_ensure(const struct vb_image_req *r, const char *cache, struct vb_kernel *k,
		     char *err, size_t n)
{
	memset(k, 0, sizeof(*k));
	if (r->kernel)
		return custom_kernel(r, cache, k, err, n);
	return debian_kernel(cache, r->verbose, k, err, n);
}
