/* SPDX-License-Identifier: MIT */
/* The guest image builder: cpio writer, .modinfo dependencies, vmlinux extraction. */
#include <check.h>
#include <elf.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../harness/image/cpio.h"
#include "../../harness/image/image.h"
#include "../../harness/image/modules.h"
#include "../../harness/image/bzimage.h"
#include "../../harness/paths.h"

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

/* The real kernel, when a previous run cached it: it must carry the PVH note. */
START_TEST(cached_debian_vmlinux)
{
	char cache[4096], path[8192], cmd[8300], line[8192] = "";
	unsigned char *buf;
	size_t len;
	FILE *p;

	vb_cache_dir(NULL, cache, sizeof(cache));
	snprintf(cmd, sizeof(cmd), "ls %s/kernels/*/vmlinux 2>/dev/null | head -1", cache);
	p = popen(cmd, "r");
	if (!fgets(line, sizeof(line), p))
		line[0] = '\0';
	pclose(p);
	line[strcspn(line, "\n")] = '\0';
	if (!line[0]) {
		printf("skip: no cached guest kernel in %s (run `vbench image`)\n", cache);
		return;
	}
	snprintf(path, sizeof(path), "%s", line);
	p = fopen(path, "r");
	fseek(p, 0, SEEK_END);
	len = (size_t)ftell(p);
	rewind(p);
	buf = malloc(len);
	ck_assert_uint_eq(fread(buf, 1, len, p), len);
	fclose(p);
	ck_assert(vb_elf_has_pvh_note(buf, len));
	free(buf);
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
	tcase_add_test(tc, cached_debian_vmlinux);
	suite_add_tcase(s, tc);
	return s;
}
