/* SPDX-License-Identifier: MIT */
/*
 * The guest image builder: cpio writer, .modinfo dependencies, vmlinux
 * extraction, and a cache that no other local user can plant a kernel in.
 */
#include <check.h>
#include <elf.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../harness/image/cpio.h"
#include "../../harness/image/evict.h"
#include "../../harness/image/image.h"
#include "../../harness/image/modules.h"
#include "../../harness/image/bzimage.h"
#include "../../harness/paths.h"
#include "tfiles.h"

/* A minimal ELF64 with one extra section (name, bytes) and optional PVH note. */
static unsigned char *fake_elf(const char *sec, const void *data, size_t dlen, int pvh,
			       size_t *len)
{
	static const char shstr[] = "\0.shstrtab\0.modinfo\0.note";
	size_t off_shstr = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr);
	size_t off_data = (off_shstr + sizeof(shstr) + 7) & ~(size_t)7;
	size_t off_note = off_data + ((dlen + 7) & ~7u);
	size_t note_len = sizeof(Elf64_Nhdr) + 4 + 8;
	size_t off_sh = off_note + note_len;
	size_t total = off_sh + 3 * sizeof(Elf64_Shdr);
	unsigned char *b = calloc(1, total);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)b;
	Elf64_Phdr *ph = (Elf64_Phdr *)(b + sizeof(*eh));
	Elf64_Shdr *sh = (Elf64_Shdr *)(b + off_sh);
	Elf64_Nhdr *nh = (Elf64_Nhdr *)(b + off_note);

	memcpy(b, ELFMAG, SELFMAG);
	b[EI_CLASS] = ELFCLASS64;
	eh->e_phoff = sizeof(*eh);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = 1;
	eh->e_shoff = off_sh;
	eh->e_shentsize = sizeof(Elf64_Shdr);
	eh->e_shnum = 3;
	eh->e_shstrndx = 1;
	memcpy(b + off_shstr, shstr, sizeof(shstr));
	memcpy(b + off_data, data, dlen);
	sh[1] = (Elf64_Shdr){ .sh_name = 1, .sh_type = SHT_STRTAB, .sh_offset = off_shstr,
			      .sh_size = sizeof(shstr) };
	sh[2] = (Elf64_Shdr){ .sh_name = strcmp(sec, ".modinfo") ? 20 : 11,
			      .sh_type = SHT_PROGBITS, .sh_offset = off_data, .sh_size = dlen };
	nh->n_namesz = 4;
	nh->n_descsz = 8;
	nh->n_type = pvh ? 18 : 5;
	memcpy(b + off_note + sizeof(*nh), "Xen", 4);
	*ph = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = off_note, .p_filesz = note_len };
	*len = total;
	return b;
}

static unsigned char *fake_module(const char *name, const char *deps, size_t *len)
{
	char info[256];
	int n = snprintf(info, sizeof(info), "license=GPL%cdepends=%s%cname=%s", 0, deps, 0,
			 name);

	return fake_elf(".modinfo", info, (size_t)n + 1, 0, len);
}

START_TEST(cpio_round_trip)
{
	char path[] = "/tmp/vbench-cpio-XXXXXX", cmd[128], out[1024] = "";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w"), *p;
	struct vb_cpio c;
	size_t got;

	ck_assert_ptr_nonnull(f);
	vb_cpio_init(&c, f);
	ck_assert_int_eq(vb_cpio_dir(&c, "dev", 0755), 0);
	ck_assert_int_eq(vb_cpio_chardev(&c, "dev/console", 0600, 5, 1), 0);
	ck_assert_int_eq(vb_cpio_file(&c, "init", 0755, "hello!", 6), 0);
	ck_assert_int_eq(vb_cpio_file(&c, "modules/000-a.ko", 0644, "abc", 3), 0);
	ck_assert_int_eq(vb_cpio_finish(&c), 0);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "cpio --quiet -it < %s", path);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	got = fread(out, 1, sizeof(out) - 1, p);
	out[got] = '\0';
	ck_assert_int_eq(pclose(p), 0);
	ck_assert_str_eq(out, "dev\ndev/console\ninit\nmodules/000-a.ko\n");
	snprintf(cmd, sizeof(cmd), "cpio --quiet -i --to-stdout init < %s", path);
	p = popen(cmd, "r");
	got = fread(out, 1, sizeof(out) - 1, p);
	out[got] = '\0';
	pclose(p);
	ck_assert_str_eq(out, "hello!");
	unlink(path);
}
END_TEST

START_TEST(modinfo_reads_keys)
{
	size_t len;
	unsigned char *m = fake_module("ahci", "libahci,libata", &len);
	char v[64], err[128];

	ck_assert_int_eq(vb_modinfo(m, len, "depends", v, sizeof(v), err, sizeof(err)), 0);
	ck_assert_str_eq(v, "libahci,libata");
	ck_assert_int_eq(vb_modinfo(m, len, "name", v, sizeof(v), err, sizeof(err)), 0);
	ck_assert_str_eq(v, "ahci");
	ck_assert_int_eq(vb_modinfo(m, len, "vermagic", v, sizeof(v), err, sizeof(err)), 0);
	ck_assert_str_eq(v, "");
	/* truncated or foreign bytes are an error, never a crash */
	for (size_t cut = 0; cut < len; cut += 7)
		vb_modinfo(m, cut, "depends", v, sizeof(v), err, sizeof(err));
	ck_assert_int_eq(vb_modinfo("not an elf", 10, "depends", v, sizeof(v), err,
				    sizeof(err)), -1);
	free(m);
}
END_TEST

static void write_module(const char *dir, const char *file, const char *name,
			 const char *deps)
{
	char path[512];
	size_t len;
	unsigned char *m = fake_module(name, deps, &len);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fwrite(m, 1, len, f);
	fclose(f);
	free(m);
}

START_TEST(modules_dependency_order)
{
	char dir[] = "/tmp/vbench-mods-XXXXXX", err[256];
	const char *roots[] = { "top", "crc-t10dif" };
	const char *cyc[] = { "x" }, *missing[] = { "nosuch" };
	struct vb_modset s;
	char order[256] = "";

	ck_assert_ptr_nonnull(mkdtemp(dir));
	/* top -> mid, base; mid -> base; crc-t10dif (file name with '-') -> base */
	write_module(dir, "top.ko", "top", "mid,base");
	write_module(dir, "mid.ko", "mid", "base");
	write_module(dir, "base.ko", "base", "");
	write_module(dir, "crc-t10dif.ko", "crc_t10dif", "base");
	write_module(dir, "x.ko", "x", "y");
	write_module(dir, "y.ko", "y", "x");
	ck_assert_int_eq(vb_modset_scan(&s, dir, err, sizeof(err)), 0);
	ck_assert_int_eq(vb_modset_resolve(&s, roots, 2, err, sizeof(err)), 0);
	for (size_t i = 0; i < s.norder; i++) {
		strcat(order, s.mod[s.order[i]].name);
		strcat(order, " ");
	}
	ck_assert_str_eq(order, "base mid top crc_t10dif ");
	ck_assert_int_eq(vb_modset_resolve(&s, cyc, 1, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "cycle"));
	ck_assert_int_eq(vb_modset_resolve(&s, missing, 1, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not found"));
	vb_modset_free(&s);
	vb_rmtree(dir);
}
END_TEST

/* A bzImage-shaped buffer whose payload is the given bytes. */
static unsigned char *fake_bzimage(const unsigned char *payload, size_t plen, size_t *len)
{
	size_t start = 2 * 512, total = start + 16 + plen + 4;
	unsigned char *b = calloc(1, total);

	b[0x1f1] = 1; /* setup sectors */
	memcpy(b + 0x202, "HdrS", 4);
	b[0x206] = 0x0f;
	b[0x207] = 0x02; /* protocol 2.15 */
	b[0x248] = 16;   /* payload offset from the protected-mode code */
	memcpy(b + 0x24c, &(uint32_t){ (uint32_t)plen }, 4);
	memcpy(b + start + 16, payload, plen);
	*len = total;
	return b;
}

START_TEST(bzimage_to_vmlinux)
{
	size_t elen, xlen = 0, blen, olen;
	unsigned char *elf = fake_elf(".text", "\x90\x90", 2, 1, &elen), *out;
	unsigned char xz[8192], *bz;
	char err[256];

	ck_assert_int_eq(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL, elf, elen, xz,
						 &xlen, sizeof(xz)), LZMA_OK);
	bz = fake_bzimage(xz, xlen, &blen);
	ck_assert_int_eq(vb_kernel_to_vmlinux(bz, blen, &out, &olen, err, sizeof(err)), 0);
	ck_assert_uint_eq(olen, elen);
	ck_assert_mem_eq(out, elf, elen);
	free(out);
	free(bz);
	/* a gzip payload is named in the error */
	bz = fake_bzimage((const unsigned char *)"\x1f\x8b\x08\x00", 4, &blen);
	ck_assert_int_eq(vb_kernel_to_vmlinux(bz, blen, &out, &olen, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "gzip"));
	free(bz);
	/* corrupt XZ, and a kernel without the PVH note */
	xz[xlen / 2] ^= 0xff;
	bz = fake_bzimage(xz, xlen, &blen);
	ck_assert_int_eq(vb_kernel_to_vmlinux(bz, blen, &out, &olen, err, sizeof(err)), -1);
	free(bz);
	free(elf);
	elf = fake_elf(".text", "\x90", 1, 0, &elen);
	ck_assert_int_eq(vb_kernel_to_vmlinux(elf, elen, &out, &olen, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "PVH"));
	free(elf);
	ck_assert_int_eq(vb_kernel_to_vmlinux((const unsigned char *)"junk", 4, &out, &olen,
					      err, sizeof(err)), -1);
}
END_TEST

/* A private temporary directory for the cache tests, and removing it. */
static void cache_tmp(char *dir, size_t n)
{
	snprintf(dir, n, "/tmp/vbench-cache-ut-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void cache_tmp_remove(const char *dir)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* With HOME unset: root's cache is /var/cache/vbench; anyone else is refused. */
START_TEST(cache_dir_without_home_is_not_var_tmp)
{
	char buf[4096], err[512];
	int status;
	pid_t pid;

	unsetenv("HOME");
	unsetenv("XDG_CACHE_HOME");
	ck_assert_int_eq(vb_cache_dir("/x/given", buf, sizeof(buf), err, sizeof(err)), 0);
	ck_assert_str_eq(buf, "/x/given");
	if (geteuid() == 0) {
		ck_assert_int_eq(vb_cache_dir(NULL, buf, sizeof(buf), err, sizeof(err)), 0);
		ck_assert_str_eq(buf, "/var/cache/vbench");
	}
	/* as an unprivileged user (this one, or nobody when root) */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (geteuid() == 0 && setuid(65534))
			_exit(2);
		if (vb_cache_dir(NULL, buf, sizeof(buf), err, sizeof(err)) == 0)
			_exit(3);
		_exit(strstr(err, "--cache") && strstr(err, "HOME") ? 0 : 4);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %#x", status);
}
END_TEST

/* A cache dir others can write (or someone else owns) is refused, not used. */
START_TEST(cache_dir_writable_by_others_refused)
{
	char dir[64], path[128], err[512];
	struct stat st;

	cache_tmp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/new/vbench", dir);
	ck_assert_msg(!vb_cache_mkdirs(path, err, sizeof(err)), "%s", err);
	ck_assert(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
	ck_assert_int_eq(chmod(path, 0777), 0);
	ck_assert_int_eq(vb_cache_mkdirs(path, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "writable by others") && strstr(err, "plant the guest kernel") &&
		      strstr(err, "--cache") && strstr(err, path), "%s", err);
	ck_assert_int_eq(chmod(path, 0775), 0);
	ck_assert_int_eq(vb_cache_mkdirs(path, err, sizeof(err)), -1);
	if (geteuid() == 0) {
		ck_assert_int_eq(chmod(path, 0755), 0);
		ck_assert_int_eq(chown(path, 65534, 65534), 0);
		ck_assert_int_eq(vb_cache_mkdirs(path, err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, "owned by uid 65534"), "%s", err);
	}
	cache_tmp_remove(dir);
}
END_TEST

/*
 * Making the cache dir goes through no symlink another user planted (here
 * one chowned to nobody), at the end of the path or on the way; one of
 * the euid's own (~/.cache on another disk) is followed.
 */
START_TEST(cache_mkdirs_does_not_follow_planted_symlink)
{
	char dir[64], victim[128], link[128], path[160], err[512];
	struct stat st;

	if (geteuid() != 0) {
		fprintf(stderr, "SKIP cache_mkdirs_does_not_follow_planted_symlink: needs root "
			"(to plant a symlink owned by another user)\n");
		return;
	}
	cache_tmp(dir, sizeof(dir));
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	ck_assert_int_eq(mkdir(victim, 0755), 0);
	snprintf(link, sizeof(link), "%s/planted", dir);
	ck_assert_int_eq(symlink(victim, link), 0);
	ck_assert_int_eq(lchown(link, 65534, 65534), 0);
	snprintf(path, sizeof(path), "%s/vbench", link);
	ck_assert_int_eq(vb_cache_mkdirs(path, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "symbolic link owned by uid 65534") && strstr(err, link), "%s",
		      err);
	ck_assert_int_eq(vb_cache_mkdirs(link, err, sizeof(err)), -1);
	snprintf(path, sizeof(path), "%s/vbench", victim);
	ck_assert_int_eq(lstat(path, &st), -1);
	/* the euid's own symlink is followed */
	snprintf(link, sizeof(link), "%s/mine", dir);
	ck_assert_int_eq(symlink(victim, link), 0);
	snprintf(path, sizeof(path), "%s/vbench", link);
	ck_assert_msg(!vb_cache_mkdirs(path, err, sizeof(err)), "%s", err);
	snprintf(path, sizeof(path), "%s/vbench", victim);
	ck_assert(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
	cache_tmp_remove(dir);
}
END_TEST

/* A custom kernel (a vmlinux with the PVH note) and its modules dir, in dir. */
static void custom_kernel_req(const char *dir, struct vb_image_req *r, char *kernel,
			      char *modules, char *cache, size_t n)
{
	size_t len;
	unsigned char *elf = fake_elf(".text", "\x90", 1, 1, &len);
	FILE *f;

	snprintf(kernel, n, "%s/vmlinux-in", dir);
	snprintf(modules, n, "%s/modules", dir);
	snprintf(cache, n, "%s/cache", dir);
	f = fopen(kernel, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(elf, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	free(elf);
	ck_assert_int_eq(mkdir(modules, 0755), 0);
	*r = (struct vb_image_req){ .cache_dir = cache, .kernel = kernel, .modules = modules };
}

static int same_file_content(const char *a, const char *b)
{
	char cmd[2 * PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "cmp -s '%s' '%s'", a, b);
	return system(cmd) == 0;
}

/*
 * A cached vmlinux someone else could have written (owned by another
 * user, or writable by others) is not used: it is written again. One
 * that is a symlink is refused, its target untouched.
 */
START_TEST(planted_cache_file_not_trusted)
{
	char dir[64], kernel[128], modules[128], cache[128], victim[160], err[512];
	struct vb_image_req r;
	struct vb_kernel k;
	struct stat st;
	FILE *f;

	cache_tmp(dir, sizeof(dir));
	custom_kernel_req(dir, &r, kernel, modules, cache, sizeof(kernel));
	ck_assert_int_eq(vb_kernel_ensure(&r, cache, &k, err, sizeof(err)), 1);
	ck_assert(same_file_content(kernel, k.vmlinux));
	ck_assert_int_eq(vb_kernel_ensure(&r, cache, &k, err, sizeof(err)), 0);
	/* writable by others, with a planted kernel in it */
	ck_assert_int_eq(chmod(k.vmlinux, 0666), 0);
	f = fopen(k.vmlinux, "w");
	fputs("planted kernel", f);
	fclose(f);
	ck_assert_int_eq(vb_kernel_ensure(&r, cache, &k, err, sizeof(err)), 1);
	ck_assert(same_file_content(kernel, k.vmlinux));
	ck_assert(stat(k.vmlinux, &st) == 0 && !(st.st_mode & 022));
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(k.vmlinux, 65534, 65534), 0);
		ck_assert_int_eq(vb_kernel_ensure(&r, cache, &k, err, sizeof(err)), 1);
		ck_assert(stat(k.vmlinux, &st) == 0 && st.st_uid == 0);
	}
	/* a symlink in its place: refused, and what it points to left alone */
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	f = fopen(victim, "w");
	fputs("victim", f);
	fclose(f);
	ck_assert_int_eq(unlink(k.vmlinux), 0);
	ck_assert_int_eq(symlink(victim, k.vmlinux), 0);
	ck_assert_int_eq(vb_kernel_ensure(&r, cache, &k, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "refusing to replace") && strstr(err, "symbolic link"), "%s",
		      err);
	f = fopen(victim, "r");
	ck_assert_ptr_nonnull(fgets(err, sizeof(err), f));
	fclose(f);
	ck_assert_str_eq(err, "victim");
	cache_tmp_remove(dir);
}
END_TEST

/* The modules the guest loads come from a directory only root and the euid can write. */
START_TEST(modules_dir_writable_by_others_refused)
{
	char dir[64], kernel[128], modules[128], cache[128], err[512];
	struct vb_image_req r;
	struct vb_kernel k;

	cache_tmp(dir, sizeof(dir));
	custom_kernel_req(dir, &r, kernel, modules, cache, sizeof(kernel));
	ck_assert_int_eq(chmod(modules, 0777), 0);
	ck_assert_int_eq(vb_kernel_ensure(&r, cache, &k, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "modules dir") && strstr(err, "writable by others"), "%s", err);
	cache_tmp_remove(dir);
}
END_TEST

/* A file at dir/name (or a directory, or a symlink to target), modified at age seconds ago. */
static void cache_entry(const char *dir, const char *name, time_t age, const char *link_to,
			int is_dir)
{
	char path[256];
	struct timespec t[2];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (link_to) {
		ck_assert_int_eq(symlink(link_to, path), 0);
		return;
	}
	if (is_dir) {
		ck_assert_int_eq(mkdir(path, 0755), 0);
	} else {
		f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		fputs("image", f);
		fclose(f);
	}
	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= age;
	t[1] = t[0];
	ck_assert_int_eq(utimensat(AT_FDCWD, path, t, 0), 0);
}

static int present(const char *dir, const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return lstat(path, &st) == 0;
}

#define IMG(h) "6.1.0-57-amd64-l1-" h ".cpio"

/*
 * The cache keeps the newest images of a release and flavor, and the one
 * in use whatever its age; it never touches another prefix's images, a
 * name not its own, a directory, a symlink or what a symlink points to.
 */
START_TEST(initramfs_cache_keeps_the_newest)
{
	char dir[64], err[256], victim[128];
	static const char *const by_age[] = {
		IMG("000000000000000a"), IMG("000000000000000b"), IMG("000000000000000c"),
		IMG("000000000000000d"), IMG("000000000000000e"), IMG("000000000000000f"),
	};

	ut_tmpdir(dir, sizeof(dir), "evict");
	for (int i = 0; i < 6; i++)
		cache_entry(dir, by_age[i], 100 * (i + 1), NULL, 0);
	cache_entry(dir, "6.1.0-57-amd64-virtio-0000000000000001.cpio", 9999, NULL, 0);
	cache_entry(dir, IMG("00000000000000zz"), 9999, NULL, 0);
	cache_entry(dir, "6.1.0-57-amd64-l1-0000000000000001.cpio.tmp", 9999, NULL, 0);
	cache_entry(dir, IMG("0000000000000d1d"), 9999, NULL, 1);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	cache_entry(dir, "victim", 0, NULL, 0);
	cache_entry(dir, IMG("000000000000011c"), 0, victim, 0);
	/* keep 3: the in-use oldest (f) and the two newest (a, b) */
	ck_assert_int_eq(vb_initramfs_evict(dir, "6.1.0-57-amd64-l1", 3, by_age[5], err,
					    sizeof(err)), 3);
	for (int i = 0; i < 6; i++)
		ck_assert_msg(present(dir, by_age[i]) == (i < 2 || i == 5), "%s", by_age[i]);
	ck_assert(present(dir, "6.1.0-57-amd64-virtio-0000000000000001.cpio"));
	ck_assert(present(dir, IMG("00000000000000zz")));
	ck_assert(present(dir, "6.1.0-57-amd64-l1-0000000000000001.cpio.tmp"));
	ck_assert(present(dir, IMG("0000000000000d1d")));
	ck_assert(present(dir, IMG("000000000000011c")) && present(dir, "victim"));
	/* touching an image makes it the newest */
	snprintf(victim, sizeof(victim), "%s/%s", dir, by_age[5]);
	vb_initramfs_touch(victim);
	ck_assert_int_eq(vb_initramfs_evict(dir, "6.1.0-57-amd64-l1", 1, NULL, err, sizeof(err)),
			 2);
	ck_assert(present(dir, by_age[5]) && !present(dir, by_age[0]));
	ck_assert_int_eq(vb_initramfs_evict("/nonexistent-vbench", "x", 1, NULL, err, sizeof(err)),
			 -1);
	ck_assert_msg(strstr(err, "/nonexistent-vbench"), "%s", err);
	ut_rmtree(dir);
}
END_TEST

Suite *suite_image(void)
{
	Suite *s = suite_create("image");
	TCase *tc = tcase_create("image");

	tcase_add_test(tc, cpio_round_trip);
	tcase_add_test(tc, modinfo_reads_keys);
	tcase_add_test(tc, modules_dependency_order);
	tcase_add_test(tc, bzimage_to_vmlinux);
	tcase_add_test(tc, cache_dir_without_home_is_not_var_tmp);
	tcase_add_test(tc, cache_dir_writable_by_others_refused);
	tcase_add_test(tc, cache_mkdirs_does_not_follow_planted_symlink);
	tcase_add_test(tc, planted_cache_file_not_trusted);
	tcase_add_test(tc, modules_dir_writable_by_others_refused);
	tcase_add_test(tc, initramfs_cache_keeps_the_newest);
	suite_add_tcase(s, tc);
	return s;
}
