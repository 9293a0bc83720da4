/* SPDX-License-Identifier: MIT */
/*
 * The .modinfo reader on crafted modules: every offset and size in an ELF
 * is the file's word, and a bad one is an error, never a read beyond the
 * bytes (the ASan build catches one). Each crafted module goes through a
 * file and comes back in a buffer of exactly its size, as a fuzzer gives it.
 */
#include <check.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../harness/image/fsutil.h"
#include "../../harness/image/modules.h"
#include "../../harness/paths.h"

/*
 * Header, section-name table, .modinfo, then the section headers (null,
 * names, .modinfo): the layout a linker writes. Tests tamper with it.
 */
struct ko {
	unsigned char b[1024];
	size_t len;
	Elf64_Ehdr *eh;
	Elf64_Shdr *sh;
};

static void ko_build(struct ko *k, const void *info, size_t ilen)
{
	static const char names[] = "\0.shstrtab\0.modinfo";
	size_t off_names = sizeof(Elf64_Ehdr), off_info = off_names + sizeof(names);
	size_t off_sh = (off_info + ilen + 7) & ~(size_t)7;

	memset(k, 0, sizeof(*k));
	k->eh = (Elf64_Ehdr *)k->b;
	k->sh = (Elf64_Shdr *)(k->b + off_sh);
	memcpy(k->b, ELFMAG, SELFMAG);
	k->b[EI_CLASS] = ELFCLASS64;
	k->eh->e_shoff = off_sh;
	k->eh->e_shentsize = sizeof(Elf64_Shdr);
	k->eh->e_shnum = 3;
	k->eh->e_shstrndx = 1;
	memcpy(k->b + off_names, names, sizeof(names));
	memcpy(k->b + off_info, info, ilen);
	k->sh[1] = (Elf64_Shdr){ .sh_name = 1, .sh_type = SHT_STRTAB, .sh_offset = off_names,
				 .sh_size = sizeof(names) };
	k->sh[2] = (Elf64_Shdr){ .sh_name = 11, .sh_type = SHT_PROGBITS, .sh_offset = off_info,
				 .sh_size = ilen };
	k->len = off_sh + 3 * sizeof(Elf64_Shdr);
}

static const char good_info[] = "license=GPL\0depends=libata\0name=ahci";

/* Write len bytes of k to a file and read them back into an exact-size buffer. */
static unsigned char *through_file(const struct ko *k, size_t len)
{
	char path[] = "/tmp/vbench-ko-XXXXXX", err[256];
	int fd = mkstemp(path);
	unsigned char *raw, *exact;
	size_t got;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, k->b, len), (ssize_t)len);
	close(fd);
	ck_assert_msg(vb_read_file(path, sizeof(k->b), &raw, &got, err, sizeof(err)) == 0, "%s",
		      err);
	unlink(path);
	ck_assert_uint_eq(got, len);
	exact = malloc(len ? len : 1);
	memcpy(exact, raw, len);
	free(raw);
	return exact;
}

/* vb_modinfo of len bytes of k for "depends": -1 with err containing want. */
static void refused(const struct ko *k, size_t len, const char *want)
{
	unsigned char *m = through_file(k, len);
	char v[64] = "", err[128] = "";

	ck_assert_int_eq(vb_modinfo(m, len, "depends", v, sizeof(v), err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, want), "error '%s', expected '%s'", err, want);
	free(m);
}

START_TEST(modinfo_well_formed_reads)
{
	struct ko k;
	unsigned char *m;
	char v[64], err[128];

	ko_build(&k, good_info, sizeof(good_info));
	m = through_file(&k, k.len);
	ck_assert_int_eq(vb_modinfo(m, k.len, "depends", v, sizeof(v), err, sizeof(err)), 0);
	ck_assert_str_eq(v, "libata");
	/* a value longer than the room for it is an error, never a cut list */
	ck_assert_int_eq(vb_modinfo(m, k.len, "depends", v, 4, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "depends"));
	free(m);
}
END_TEST

/*
 * The name table moved to the last 8 bytes of the file, holding ".modinfo"
 * with no NUL: a name that runs off the table's end is no name (the reader
 * compared it with strcmp, one byte past the table and the file).
 */
START_TEST(modinfo_crafted_shstrtab_offset)
{
	struct ko k;

	ko_build(&k, good_info, sizeof(good_info));
	memcpy(k.b + k.len, ".modinfo", 8);
	k.sh[1].sh_offset = k.len;
	k.sh[1].sh_size = 8;
	k.sh[2].sh_name = 0;
	refused(&k, k.len + 8, "no .modinfo section");
	/* the same inside the file: the byte after the table must not end the name */
	ko_build(&k, good_info, sizeof(good_info));
	k.sh[1].sh_size -= 1; /* "...\0.modinfo" without its NUL, followed by .modinfo's bytes */
	memset(k.b + k.sh[2].sh_offset, 0, 1);
	refused(&k, k.len, "no .modinfo section");
	/* a table that starts or ends past the file */
	ko_build(&k, good_info, sizeof(good_info));
	k.sh[1].sh_offset = k.len + 1;
	refused(&k, k.len, "bad ELF section names");
	ko_build(&k, good_info, sizeof(good_info));
	k.sh[1].sh_offset = ~0ull - 4;
	refused(&k, k.len, "bad ELF section names");
	ko_build(&k, good_info, sizeof(good_info));
	k.eh->e_shstrndx = 3;
	refused(&k, k.len, "bad ELF section table");
}
END_TEST

START_TEST(modinfo_truncated_file)
{
	struct ko k;

	ko_build(&k, good_info, sizeof(good_info));
	for (size_t cut = 0; cut < k.len; cut++) {
		unsigned char *m = through_file(&k, cut);
		char v[64], err[128] = "";

		ck_assert_int_eq(vb_modinfo(m, cut, "depends", v, sizeof(v), err, sizeof(err)), -1);
		ck_assert_msg(err[0], "no reason at %zu bytes", cut);
		free(m);
	}
}
END_TEST

START_TEST(modinfo_shoff_past_end)
{
	struct ko k;

	ko_build(&k, good_info, sizeof(good_info));
	k.eh->e_shoff = k.len + 8;
	refused(&k, k.len, "bad ELF section table");
	k.eh->e_shoff = ~0ull & ~7ull; /* off + size wraps around */
	refused(&k, k.len, "bad ELF section table");
	ko_build(&k, good_info, sizeof(good_info));
	k.eh->e_shnum = 4; /* one header more than the file holds */
	refused(&k, k.len, "bad ELF section table");
}
END_TEST

START_TEST(modinfo_size_past_end)
{
	struct ko k;

	ko_build(&k, good_info, sizeof(good_info));
	k.sh[2].sh_size = k.len;
	refused(&k, k.len, "bad .modinfo section");
	k.sh[2].sh_size = ~0ull;
	refused(&k, k.len, "bad .modinfo section");
	ko_build(&k, good_info, sizeof(good_info));
	k.sh[1].sh_size = k.len;
	refused(&k, k.len, "bad ELF section names");
}
END_TEST

/* The last string of .modinfo runs to the section's end without its NUL. */
START_TEST(modinfo_without_nul)
{
	struct ko k;

	ko_build(&k, good_info, sizeof(good_info) - 1);
	refused(&k, k.len, "unterminated");
	/* .modinfo last in the file, its last byte the file's */
	ko_build(&k, "depends=libata", 14);
	memmove(k.b + k.len, k.b + k.sh[2].sh_offset, 14);
	k.sh[2].sh_offset = k.len;
	refused(&k, k.len + 14, "unterminated");
}
END_TEST

/* A dependency named longer than a module name can be is an error, not a cut name. */
START_TEST(modules_long_dependency_refused)
{
	char dir[] = "/tmp/vbench-mods-XXXXXX", path[64], info[160], err[256];
	const char *roots[] = { "top" };
	struct vb_modset s;
	struct ko k;
	int len = snprintf(info, sizeof(info), "depends=%0100d", 0);
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ko_build(&k, info, (size_t)len + 1);
	snprintf(path, sizeof(path), "%s/top.ko", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(k.b, 1, k.len, f), k.len);
	fclose(f);
	ck_assert_int_eq(vb_modset_scan(&s, dir, err, sizeof(err)), 0);
	ck_assert_int_eq(vb_modset_resolve(&s, roots, 1, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "over 63 bytes"), "%s", err);
	vb_modset_free(&s);
	vb_rmtree(dir);
}
END_TEST

Suite *suite_modules(void)
{
	Suite *s = suite_create("modules");
	TCase *t = tcase_create("core");

	tcase_add_test(t, modinfo_well_formed_reads);
	tcase_add_test(t, modinfo_crafted_shstrtab_offset);
	tcase_add_test(t, modinfo_truncated_file);
	tcase_add_test(t, modinfo_shoff_past_end);
	tcase_add_test(t, modinfo_size_past_end);
	tcase_add_test(t, modinfo_without_nul);
	tcase_add_test(t, modules_long_dependency_refused);
	suite_add_tcase(s, t);
	return s;
}
