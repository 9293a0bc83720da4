/* SPDX-License-Identifier: MIT */
/*
 * The emulated lab's host side: --lab parsing, the shared libraries a
 * program needs in L1, and the merge of a nested run's results, which
 * come from a guest and are treated as hostile.
 */
#include <check.h>
#include <string.h>

#include "../../harness/lab/elfdeps.h"
#include "../../harness/lab/lab.h"
#include "../../harness/run_opts.h"

START_TEST(lab_option)
{
	struct vb_run_opts o;
	char err[256];
	char *a1[] = { "run" }, *a2[] = { "run", "--lab", "emulated" },
	     *a3[] = { "run", "--lab", "none" }, *a4[] = { "run", "--lab", "maybe" };

	ck_assert_int_eq(vb_run_parse(1, a1, &o, err, sizeof(err)), 0);
	ck_assert_int_eq(o.lab, VB_LAB_AUTO);
	ck_assert_int_eq(vb_run_parse(3, a2, &o, err, sizeof(err)), 0);
	ck_assert_int_eq(o.lab, VB_LAB_EMULATED);
	ck_assert_str_eq(vb_lab_mode_name(o.lab), "emulated");
	ck_assert_int_eq(vb_run_parse(3, a3, &o, err, sizeof(err)), 0);
	ck_assert_int_eq(o.lab, VB_LAB_NONE);
	ck_assert_int_eq(vb_run_parse(3, a4, &o, err, sizeof(err)), 2);
	ck_assert_msg(strstr(err, "auto, emulated or none") && strstr(err, "maybe"), "%s", err);
}
END_TEST

/*
 * The loader (at its PT_INTERP path; libc's DT_NEEDED names it again, as
 * found in the library directories) and libc, each path once.
 */
START_TEST(elf_closure)
{
	static struct vb_elfdeps d;
	char err[256];
	int libc = 0, interp = 0;

	memset(&d, 0, sizeof(d));
	ck_assert_msg(vb_elfdeps_add(&d, "/bin/sh", err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(vb_elfdeps_add(&d, "/bin/ls", err, sizeof(err)) == 0, "%s", err);
	for (size_t i = 0; i < d.n; i++) {
		libc += strstr(d.path[i], "/libc.so.6") != NULL;
		interp += strcmp(d.path[i], "/lib64/ld-linux-x86-64.so.2") == 0;
		for (size_t k = 0; k < i; k++)
			ck_assert_str_ne(d.path[i], d.path[k]);
	}
	ck_assert_int_eq(libc, 1);
	ck_assert_int_eq(interp, 1);
	ck_assert_int_ne(vb_elfdeps_add(&d, "tests/unit/test_lab.c", err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, "not an ELF file"), "%s", err);
}
END_TEST

static json_t *host_doc(void)
{
	return json_loads("{\"meta\": {}, \"backends\": [{\"name\": \"bare\", \"status\": \"ok\"}],"
			  " \"workloads\": [{\"name\": \"cpu.cpuid\"}], \"measurements\": []}",
			  0, NULL);
}

static const char *const names[] = { "type1", "paravirt" };

/* What a nested run writes: the lab's bare and type1, and entries nobody asked for. */
START_TEST(merge_renames_and_rebases)
{
	json_t *doc = host_doc(), *nested = json_loads(
		"{\"backends\": ["
		" {\"name\": \"bare\", \"status\": \"ok\", \"traits\": {\"kind\": \"host\","
		"  \"baseline\": null, \"lab\": \"\"}},"
		" {\"name\": \"type1\", \"status\": \"ok\", \"traits\": {\"kind\": \"vm\","
		"  \"baseline\": \"bare\", \"lab\": \"\"}},"
		" {\"name\": \"type2\", \"status\": \"ok\"}],"
		" \"measurements\": ["
		" {\"backend\": \"bare\", \"bench\": \"cpu.cpuid\", \"round\": 0, \"status\": \"ok\","
		"  \"samples\": [20.5, 21]},"
		" {\"backend\": \"type1\", \"bench\": \"cpu.cpuid\", \"round\": 0, \"status\": \"ok\","
		"  \"samples\": [60000]},"
		" {\"backend\": \"type2\", \"bench\": \"cpu.cpuid\", \"round\": 0, \"status\": \"ok\","
		"  \"samples\": [1]}]}", 0, NULL);
	size_t dropped, taken = vb_lab_merge(doc, nested, names, 2, "emulated: test", &dropped);
	json_t *b = json_object_get(doc, "backends");

	ck_assert_uint_eq(taken, 2);
	ck_assert_uint_eq(dropped, 2); /* type2's entry and its measurement */
	ck_assert_uint_eq(json_array_size(b), 3);
	ck_assert_str_eq(vb_json_str(json_array_get(b, 0), "name", ""), "bare");
	ck_assert_str_eq(vb_json_str(json_array_get(b, 1), "name", ""), VB_LAB_BARE);
	ck_assert(json_is_null(json_object_get(json_object_get(json_array_get(b, 1), "traits"),
					       "baseline")));
	ck_assert_str_eq(vb_json_str(json_object_get(json_array_get(b, 2), "traits"), "baseline",
				     ""), VB_LAB_BARE);
	ck_assert_str_eq(vb_json_str(json_object_get(json_array_get(b, 2), "traits"), "lab", ""),
			 "emulated: test");
	ck_assert_str_eq(vb_json_str(json_array_get(json_object_get(doc, "measurements"), 0),
				     "backend", ""), VB_LAB_BARE);
	json_decref(doc);
	json_decref(nested);
}
END_TEST

/* A hostile nested file: every malformed entry is dropped, none breaks the document. */
START_TEST(merge_drops_malformed)
{
	static const char *const bad[] = {
		"{\"backend\": \"type1\", \"bench\": \"cpu.cpuid\", \"round\": 0, \"status\": \"ok\","
		" \"samples\": [\"fast\"]}",
		"{\"backend\": \"type1\", \"bench\": \"cpu.cpuid\", \"round\": 0, \"status\": \"ok\","
		" \"samples\": []}",
		"{\"backend\": \"type1\", \"bench\": \"cpu.cpuid\", \"round\": -1, \"status\": \"ok\","
		" \"samples\": [1]}",
		"{\"backend\": \"type1\", \"bench\": \"cpu.cpuid\", \"status\": \"ok\", \"samples\": [1]}",
		"{\"backend\": \"type1\", \"bench\": \"no.such\", \"round\": 0, \"status\": \"ok\","
		" \"samples\": [1]}",
		"{\"backend\": \"type1\", \"bench\": \"cpu.cpuid\", \"round\": 0, \"status\": \"great\"}",
		"{\"backend\": 7, \"bench\": \"cpu.cpuid\", \"round\": 0, \"status\": \"error\"}",
		"[1, 2]",
		"{\"backend\": \"host\", \"bench\": \"cpu.cpuid\", \"round\": 0, \"status\": \"error\"}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[1024];
		json_t *doc = host_doc(), *nested;
		size_t dropped;

		snprintf(text, sizeof(text),
			 "{\"backends\": [{\"name\": \"type1\", \"status\": \"pwned\"}, 3],"
			 " \"measurements\": [%s]}", bad[i]);
		nested = json_loads(text, 0, NULL);
		ck_assert_ptr_nonnull(nested);
		ck_assert_uint_eq(vb_lab_merge(doc, nested, names, 2, "lab", &dropped), 0);
		ck_assert_uint_eq(dropped, 3);
		ck_assert_uint_eq(json_array_size(json_object_get(doc, "backends")), 1);
		ck_assert_uint_eq(json_array_size(json_object_get(doc, "measurements")), 0);
		json_decref(doc);
		json_decref(nested);
	}
}
END_TEST

Suite *suite_lab(void)
{
	Suite *s = suite_create("lab");
	TCase *tc = tcase_create("lab");

	tcase_add_test(tc, lab_option);
	tcase_add_test(tc, elf_closure);
	tcase_add_test(tc, merge_renames_and_rebases);
	tcase_add_test(tc, merge_drops_malformed);
	suite_add_tcase(s, tc);
	return s;
}
