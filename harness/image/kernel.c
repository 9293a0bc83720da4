/* SPDX-License-Identifier: MIT */
/*
 * The guest kernel: Debian's linux-image-amd64 (its versioned dependency,
 * fetched with `apt-get download` and unpacked with `dpkg-deb -x`, never
 * installed), or a kernel and modules dir the user names. Only the
 * vmlinux and the modules the guest flavors need are kept in the cache.
 */
#include "kernel.h"
#include "flavor.h"
#include "fsutil.h"
#include "hash.h"
#include "modules.h"
#include "bzimage.h"
#include "../exec.h"
#include "../paths.h"
#include "../../common/safefile.h"

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

	if (vb_spawn_wait(argv, NULL, VB_EXEC_TIMEOUT_S, out, sizeof(out), err, n))
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
	rc = vb_safe_write(dst, elf, elflen, 0644, err, n);
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
	if (vb_cache_mkdirs(to, err, n))
		goto out;
	for (size_t i = 0; i < s.norder; i++) {
		const struct vb_module *m = &s.mod[s.order[i]];

		vb_pathf(path, sizeof(path), "%s/%s.ko", to, m->name);
		if (vb_safe_write(path, m->data, m->len, 0644, err, n))
			goto out;
	}
	rc = 0;
out:
	vb_modset_free(&s);
	return rc;
}

/*
 * Download and unpack pkg into tmp/root; fill in whatever k lacks (its
 * vmlinux, unless the cache has it: have_vmlinux).
 */
static int fetch_debian(const char *pkg, const char *tmp, const struct vb_kernel *k,
			int have_vmlinux, int verbose, char *err, size_t n)
{
	char deb[PATH_MAX] = "", root[PATH_MAX], path[PATH_MAX], dst[PATH_MAX], pkgarg[256];
	char *dl[] = { "apt-get", "download", "-q", pkgarg, NULL };
	struct dirent *e;
	DIR *d;

	snprintf(pkgarg, sizeof(pkgarg), "%s", pkg);
	if (verbose)
		fprintf(stderr, "vbench: fetching %s with apt-get download\n", pkg);
	if (vb_spawn_wait(dl, tmp, VB_EXEC_FETCH_TIMEOUT_S, NULL, 0, err, n))
		return -1;
	d = opendir(tmp);
	while (d && (e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);

		if (l > 4 && strcmp(e->d_name + l - 4, ".deb") == 0)
			vb_pathf(deb, sizeof(deb), "%s/%s", tmp, e->d_name);
	}
	if (d)
		closedir(d);
	if (!deb[0]) {
		snprintf(err, n, "apt-get download %s left no .deb in %s", pkg, tmp);
		return -1;
	}
	vb_pathf(root, sizeof(root), "%s/root", tmp);
	char *x[] = { "dpkg-deb", "-x", deb, root, NULL };

	if (vb_spawn_wait(x, NULL, VB_EXEC_UNPACK_TIMEOUT_S, NULL, 0, err, n) ||
	    vb_cache_mkdirs(k->dir, err, n))
		return -1;
	if (!have_vmlinux) {
		vb_pathf(path, sizeof(path), "%s/boot/vmlinuz-%s", root, k->release);
		if (write_vmlinux(path, k->vmlinux, err, n))
			return -1;
	}
	if (access(k->modules, F_OK) == 0)
		return 0;
	vb_pathf(path, sizeof(path), "%s/lib/modules/%s", root, k->release);
	vb_pathf(dst, sizeof(dst), "%s/modules", tmp);
	if (copy_modules(path, dst, err, n))
		return -1;
	/* the whole dir into place at once: a cut-off fetch never looks complete */
	if (rename(dst, k->modules) && errno != ENOTEMPTY && errno != EEXIST) {
		snprintf(err, n, "rename %s to %s: %s", dst, k->modules, strerror(errno));
		return -1;
	}
	return 0;
}

/* A name for the set of modules kept, so that changing the set fetches anew. */
static unsigned long long module_set_hash(void)
{
	unsigned long long h = VB_FNV_SEED;

	for (int f = 0; f < VB_GUEST_NFLAVORS; f++) {
		size_t nroots;
		const char *const *roots = vb_guest_flavor_modules(f, &nroots);

		for (size_t i = 0; i < nroots; i++)
			h = vb_fnv1a64(h, roots[i], strlen(roots[i]) + 1);
	}
	return h;
}

static int debian_kernel(const char *cache, int verbose, struct vb_kernel *k, char *err,
			 size_t n)
{
	char pkg[192], tmp[PATH_MAX];
	int rc, have;

	if (debian_kernel_package(pkg, sizeof(pkg), err, n))
		return -1;
	if (strlen(pkg) - strlen("linux-image-") >= sizeof(k->release)) {
		snprintf(err, n, "kernel package name too long: %s", pkg);
		return -1;
	}
	memcpy(k->release, pkg + strlen("linux-image-"), strlen(pkg) - strlen("linux-image-") + 1);
	vb_pathf(k->dir, sizeof(k->dir), "%s/kernels/%s", cache, k->release);
	vb_pathf(k->vmlinux, sizeof(k->vmlinux), "%s/vmlinux", k->dir);
	vb_pathf(k->modules, sizeof(k->modules), "%s/modules-%08llx", k->dir,
		 module_set_hash() & 0xffffffffull);
	have = vb_cache_hit(k->vmlinux);
	if (have && access(k->modules, F_OK) == 0)
		return 0;
	vb_pathf(tmp, sizeof(tmp), "%s/kernels", cache);
	if (vb_cache_mkdirs(tmp, err, n))
		return -1;
	vb_pathf(tmp, sizeof(tmp), "%s/kernels/.fetch-XXXXXX", cache);
	if (!mkdtemp(tmp)) {
		snprintf(err, n, "mkdtemp %s: %s", tmp, strerror(errno));
		return -1;
	}
	rc = fetch_debian(pkg, tmp, k, have, verbose, err, n);
	vb_rmtree(tmp);
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
	vb_pathf(k->dir, sizeof(k->dir), "%s/kernels/%s", cache, k->release);
	vb_pathf(k->vmlinux, sizeof(k->vmlinux), "%s/vmlinux", k->dir);
	vb_pathf(k->modules, sizeof(k->modules), "%s", r->modules);
	if (vb_cache_hit(k->vmlinux))
		return 0;
	if (vb_cache_mkdirs(k->dir, err, n) || write_vmlinux(r->kernel, k->vmlinux, err, n))
		return -1;
	return 1;
}

/*
 * The guest's modules come from k->modules (the cache's, or --modules: in
 * the lab's L1, /var/lib/vbench/modules): a directory that root and the
 * euid alone can write, as the cache is.
 */
static int trusted_modules(const char *dir, char *err, size_t n)
{
	struct stat st;
	char why[128];

	if (stat(dir, &st)) {
		snprintf(err, n, "modules dir %s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, n, "modules dir %s: not a directory", dir);
		return -1;
	}
	if (vb_private_stat(&st, why, sizeof(why)))
		return 0;
	snprintf(err, n, "modules dir %s is %s: a local user could plant the guest's modules",
		 dir, why);
	return -1;
}

int vb_kernel_ensure(const struct vb_image_req *r, const char *cache, struct vb_kernel *k,
		     char *err, size_t n)
{
	int rc;

	memset(k, 0, sizeof(*k));
	if (r->kernel)
		rc = custom_kernel(r, cache, k, err, n);
	else
		rc = debian_kernel(cache, r->verbose, k, err, n);
	if (rc >= 0 && trusted_modules(k->modules, err, n))
		return -1;
	return rc;
}
