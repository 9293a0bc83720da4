/* SPDX-License-Identifier: MIT */
/*
 * vbench report: loading and validating result files (bad ones are
 * refused with a one-line reason), the counter arithmetic the sections
 * use, and a whole report from tests/data with its charts.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../common/proto.h"
#include "../../common/results.h"
#include "../../reports/report.h"

#define DATA "tests/data/run-v1.json"
#define LAB "tests/data/run-lab-v1.json"

static char tmpdir[64];

static void make_tmp(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vbench-report-ut-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmp(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Load a document given as text; returns rp_run_load's result, err filled. */
static int load_text(const char *text, char *err, size_t n)
{
	char path[128];
	struct rp_run r;
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/in.json", tmpdir);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	rc = rp_run_load(&r, path, 0, err, n);
	if (!rc)
		rp_run_free(&r);
	return rc;
}

#define HEAD "{\"schema\":\"vbench-results\",\"version\":1,\"meta\":{},"

START_TEST(refuses_bad_files)
{
	static const struct { const char *text, *expect; } bad[] = {
		{"{\"schema\":\"vbench-results\",\"version\":2}", "version 2"},
		{"{\"schema\":\"other\",\"version\":1}", "not a vbench result file"},
		{"{\"schema\":\"vbench-results\",\"version\":1,\"backends\":[", "JSON"},
		{"[1,2]", "not a vbench result file"},
		{HEAD "\"backends\":[],\"workloads\":[],\"measurements\":[{\"backend\":\"bare\","
		 "\"bench\":\"cpu.x\",\"status\":\"ok\",\"samples\":[1,\"x\"]}]}",
		 "measurements[0].samples"},
		{HEAD "\"backends\":[{\"name\":\"bare\"}],\"workloads\":[],\"measurements\":[]}",
		 "backends[0].status"},
		{HEAD "\"backends\":[],\"workloads\":[],\"measurements\":[],\"summary\":"
		 "[{\"backend\":\"a\",\"bench\":\"b\",\"median\":1,\"slowdown\":{\"median\":1}}]}",
		 "summary[0]"},
		{HEAD "\"backends\":[],\"workloads\":[],\"measurements\":[{\"backend\":\"bare\","
		 "\"bench\":\"x\",\"status\":\"ok\",\"samples\":[1],\"counters\":[{\"name\":\"c\"}]}]}",
		 "counters"},
	};
	char err[512];

	make_tmp();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		ck_assert_msg(load_text(bad[i].text, err, sizeof(err)) == -1, "accepted #%zu", i);
		ck_assert_msg(strstr(err, bad[i].expect), "#%zu: '%s' lacks '%s'", i, err,
			      bad[i].expect);
		ck_assert_msg(strstr(err, "in.json"), "#%zu: error does not name the file", i);
		ck_assert_msg(!strchr(err, '\n'), "#%zu: error is not one line", i);
	}
	remove_tmp();
}
END_TEST

START_TEST(queries_on_recorded_data)
{
	struct rp_run r;
	char err[512], buf[200];
	double med, lo, hi, sum, ops, per, each[RP_NTRAP], reqs, *x = NULL;
	const char *why;

	ck_assert_msg(!rp_run_load(&r, DATA, 0, err, sizeof(err)), "%s", err);
	ck_assert(rp_backend_ok(&r, "type2"));
	ck_assert(!rp_backend_ok(&r, "type1"));
	ck_assert_ptr_nonnull(strstr(rp_backend_why(&r, "type1", buf, sizeof(buf)), "/dev/kvm"));
	ck_assert(rp_higher_is_better(&r, "mem.stream"));
	ck_assert(!rp_higher_is_better(&r, "cpu.int"));
	ck_assert_int_eq(rp_slowdown(&r, "type2", "cpu.int", &med, &lo, &hi), 0);
	ck_assert(lo <= med && med <= hi && lo > 1);
	ck_assert_int_eq(rp_slowdown(&r, "bare", "cpu.int", &med, &lo, &hi), -1);
	/* 5 rounds x 5 samples, except round 3 of type2 io.seqread (an error). */
	ck_assert_uint_eq(rp_samples(&r, "type2", "cpu.int", &x), 25);
	free(x);
	ck_assert_uint_eq(rp_samples(&r, "type2", "io.seqread", &x), 20);
	free(x);
	ck_assert_uint_eq(rp_samples(&r, "bare", "cpu.portio", &x), 0);
	ck_assert_ptr_null(x);
	ck_assert_ptr_nonnull(strstr(rp_not_ok_reason(&r, "bare", "cpu.portio", buf, sizeof(buf)),
				     "unsupported: ioperm"));
	/* Counters: counted, unavailable with its reason, absent. */
	ck_assert_int_eq(rp_counter(&r, "type2", "io.randread", "qemu.*", &sum, &ops, &why), 1);
	ck_assert(sum > 0 && ops > 0);
	ck_assert_int_eq(rp_counter(&r, "bare", "cpu.int", "dTLB-load-misses", &sum, &ops, &why), 0);
	ck_assert_ptr_nonnull(strstr(why, "no hardware PMU"));
	ck_assert_int_eq(rp_counter(&r, "type2", "cpu.int", "no.such", &sum, &ops, &why), -1);
	/* The crafted IDE disk traps ~26 times per 4 KiB request, virtio ~1.35. */
	ck_assert_int_eq(rp_traps_per_request(&r, "type2", "io.randread", &per, each, &reqs, &why), 0);
	ck_assert_double_eq_tol(per, 26.03, 0.5);
	ck_assert_int_eq(rp_traps_per_request(&r, "type2-pv", "io.randread", &per, each, &reqs,
					      &why), 0);
	ck_assert_double_eq_tol(per, 1.35, 0.05);
	ck_assert_double_eq_tol(each[2], 1.0, 0.03); /* virtio kicks, beside */
	ck_assert_int_eq(rp_traps_per_request(&r, "bare", "cpu.int", &per, each, &reqs, &why), -1);
	rp_run_free(&r);
}
END_TEST

/* The counters' operations: iters x (kept + warm-up samples), round 0 left out. */
START_TEST(counter_per_op_arithmetic)
{
	json_t *doc = json_pack(
		"{s:s, s:i, s:{s:{s:i}}, s:[], s:[], s:[{s:s, s:s, s:i, s:s, s:i, s:[f,f], s:[{s:s, s:i}]},"
		"{s:s, s:s, s:i, s:s, s:i, s:[f,f], s:[{s:s, s:i}, {s:s, s:i}]}]}",
		"schema", "vbench-results", "version", 1, "meta", "plan", "warmup", 1,
		"backends", "workloads", "measurements",
		"backend", "b", "bench", "w", "round", 0, "status", "ok", "iters", 100, "samples",
		1.0, 1.0, "counters", "name", "kvm.exit.svm.io", "value", 99999,
		"backend", "b", "bench", "w", "round", 1, "status", "ok", "iters", 100, "samples",
		1.0, 1.0, "counters", "name", "kvm.exit.svm.io", "value", 600, "name", "kvm.exit.svm.hlt",
		"value", 300);
	struct rp_run r;
	char err[256];
	double sum, ops;
	const char *why;

	ck_assert_ptr_nonnull(doc);
	ck_assert_msg(!rp_run_adopt(&r, doc, "mem", 0, err, sizeof(err)), "%s", err);
	ck_assert_int_eq(rp_counter(&r, "b", "w", "kvm.exit.*", &sum, &ops, &why), 1);
	ck_assert_double_eq(sum, 900);
	ck_assert_double_eq(ops, 300);
	ck_assert_int_eq(rp_counter(&r, "b", "w", "kvm.exit.svm.hlt", &sum, &ops, &why), 1);
	ck_assert_double_eq(sum / ops, 1);
	rp_run_free(&r);
}
END_TEST

/*
 * Counting passes: counters over count.iters, every round (round 0's count
 * ran after calibration too); a pass that did not count says why; a count
 * without positive iters is refused at load.
 */
START_TEST(counter_from_counting_pass)
{
	json_t *doc = json_pack(
		"{s:s, s:i, s:{s:{s:i}}, s:[], s:[], s:["
		"{s:s, s:s, s:i, s:s, s:i, s:[f,f], s:[{s:s, s:i}],"
		" s:{s:s, s:i, s:i, s:[{s:s, s:i}]}},"
		"{s:s, s:s, s:i, s:s, s:i, s:[f,f], s:{s:s, s:i, s:i, s:[{s:s, s:i}]}},"
		"{s:s, s:s, s:i, s:s, s:i, s:[f,f], s:{s:s, s:s}}]}",
		"schema", "vbench-results", "version", 1, "meta", "plan", "warmup", 1,
		"backends", "workloads", "measurements",
		"backend", "b", "bench", "w", "round", 0, "status", "ok", "iters", 100, "samples",
		1.0, 1.0, "counters", "name", "qemu.x", "value", 99999,
		"count", "status", "ok", "iters", 50, "elapsed_ns", 1000, "counters", "name",
		"qemu.x", "value", 500,
		"backend", "b", "bench", "w", "round", 1, "status", "ok", "iters", 100, "samples",
		1.0, 1.0, "count", "status", "ok", "iters", 50, "elapsed_ns", 1000, "counters",
		"name", "qemu.x", "value", 700,
		"backend", "c", "bench", "w", "round", 0, "status", "ok", "iters", 100, "samples",
		1.0, 1.0, "count", "status", "off", "reason", "--no-count: timed samples only");
	struct rp_run r;
	char err[256];
	double sum, ops;
	const char *why;

	ck_assert_ptr_nonnull(doc);
	ck_assert_msg(!rp_run_adopt(&r, json_incref(doc), "mem", 0, err, sizeof(err)), "%s",
		      err);
	ck_assert_int_eq(rp_counter(&r, "b", "w", "qemu.x", &sum, &ops, &why), 1);
	ck_assert_double_eq(sum, 1200);
	ck_assert_double_eq(ops, 100);
	ck_assert_int_eq(rp_counter(&r, "c", "w", "qemu.x", &sum, &ops, &why), 0);
	ck_assert_ptr_nonnull(why);
	ck_assert_str_eq(why, "--no-count: timed samples only");
	rp_run_free(&r);
	json_object_set_new(json_object_get(json_array_get(json_object_get(doc, "measurements"),
							   1), "count"),
			    "iters", json_real(-1));
	ck_assert_int_ne(rp_run_adopt(&r, doc, "mem", 0, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "count.iters"));
}
END_TEST

static int nonempty(const char *dir, const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0 && st.st_size > 0;
}

static char *slurp(const char *dir, const char *name)
{
	char path[256], *buf;
	FILE *f;
	long len;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return buf;
}

/* Every string of want (NULL-terminated) is in text. */
static void contains_all(const char *text, const char *const *want)
{
	for (; *want; want++)
		ck_assert_msg(strstr(text, *want), "'%s' missing", *want);
}

START_TEST(whole_report)
{
	static const char *const charts[] = {"overhead", "exits", "traps", "lifecycle",
					     "latency-io.randread", "latency-io.seqread"};
	static const char *const ext[] = {"dat", "gp", "png", "svg"};
	struct rp_run runs[2];
	char err[1024], name[128], *md;

	if (system("command -v gnuplot >/dev/null 2>&1")) {
		fprintf(stderr, "SKIP whole_report: gnuplot is not installed\n");
		return;
	}
	make_tmp();
	ck_assert(!rp_run_load(&runs[0], DATA, 0, err, sizeof(err)));
	ck_assert(!rp_run_load(&runs[1], LAB, 1, err, sizeof(err)));
	ck_assert_msg(!rp_report_write(runs, 2, tmpdir, err, sizeof(err)), "%s", err);
	ck_assert(nonempty(tmpdir, "index.html"));
	ck_assert(nonempty(tmpdir, "report.md"));
	for (size_t c = 0; c < sizeof(charts) / sizeof(charts[0]); c++)
		for (size_t e = 0; e < 4; e++) {
			snprintf(name, sizeof(name), "%s.%s", charts[c], ext[e]);
			ck_assert_msg(nonempty(tmpdir, name), "%s missing", name);
		}
	md = slurp(tmpdir, "report.md");
	/* Verdicts come from the numbers; absent data says why. */
	contains_all(md, (const char *const[]){"holds for type2 vs type2-pv",
		     "holds for type1 vs paravirt", "Trapped device accesses differ most",
		     "not measured: no noisy-neighbour workload",
		     "not comparable here: paravirt ran in an emulated lab",
		     "unavailable: dTLB-load-misses", NULL});
	free(md);
	rp_run_free(&runs[0]);
	rp_run_free(&runs[1]);
	remove_tmp();
}
END_TEST

/* Give backend `from` the name `to` everywhere the file names it. */
static void rename_backend(json_t *doc, const char *from, const char *to)
{
	size_t i;
	json_t *e;

	json_array_foreach(json_object_get(doc, "backends"), i, e) {
		json_t *t = json_object_get(e, "traits");

		if (!strcmp(vb_json_str(e, "name", ""), from)) {
			json_object_set_new(e, "name", json_string(to));
			json_object_set_new(e, "desc", json_string(to));
		}
		if (!strcmp(vb_json_str(t, "baseline", ""), from))
			json_object_set_new(t, "baseline", json_string(to));
		if (!strcmp(vb_json_str(t, "pv_partner", ""), from))
			json_object_set_new(t, "pv_partner", json_string(to));
	}
	json_array_foreach(json_object_get(doc, "measurements"), i, e)
		if (!strcmp(vb_json_str(e, "backend", ""), from))
			json_object_set_new(e, "backend", json_string(to));
}

/* The report knows approaches by their traits: other names change nothing else. */
START_TEST(report_by_traits_not_names)
{
	static const char *const names[][2] = {
		{"bare", "metal0"}, {"type2", "tcg-ide"}, {"type2-pv", "tcg-virtio"},
		{"type1", "kvm-ide"}, {"paravirt", "kvm-virtio"}, {"container", "oci0"},
	};
	struct rp_run r;
	char err[1024], *md;
	double med, lo, hi;
	json_t *doc;
	json_error_t je;

	if (system("command -v gnuplot >/dev/null 2>&1")) {
		fprintf(stderr, "SKIP report_by_traits_not_names: gnuplot is not installed\n");
		return;
	}
	make_tmp();
	doc = json_load_file(DATA, 0, &je);
	ck_assert_ptr_nonnull(doc);
	vb_results_fill_traits(doc);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		rename_backend(doc, names[i][0], names[i][1]);
	/* as a run killed before its end leaves it: readers summarize themselves */
	json_object_del(doc, "summary");
	ck_assert_msg(!rp_run_adopt(&r, doc, "renamed", 0, err, sizeof(err)), "%s", err);
	ck_assert_str_eq(rp_baseline(&r, "tcg-ide"), "metal0");
	ck_assert_int_eq(rp_slowdown(&r, "tcg-ide", "cpu.int", &med, &lo, &hi), 0);
	ck_assert(lo <= med && med <= hi && lo > 1);
	ck_assert_msg(!rp_report_write(&r, 1, tmpdir, err, sizeof(err)), "%s", err);
	md = slurp(tmpdir, "report.md");
	contains_all(md, (const char *const[]){"## Overhead vs metal0",
		     "| workload | oci0 | kvm-ide | kvm-virtio | tcg-ide | tcg-virtio |",
		     "### tcg-ide (full) vs tcg-virtio (para-virtual)",
		     "holds for tcg-ide vs tcg-virtio",
		     "tcg-ide: runs under TCG, so it has no VM exits",
		     "not measured: kvm-ide unavailable", NULL});
	ck_assert_ptr_null(strstr(md, "type2"));
	free(md);
	rp_run_free(&r);
	remove_tmp();
}
END_TEST

START_TEST(missing_gnuplot_is_a_clear_error)
{
	struct rp_run r;
	char err[1024];

	make_tmp();
	setenv("VBENCH_GNUPLOT", "/nonexistent/gnuplot", 1);
	ck_assert(!rp_run_load(&r, DATA, 0, err, sizeof(err)));
	ck_assert_int_eq(rp_report_write(&r, 1, tmpdir, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "gnuplot is needed"));
	unsetenv("VBENCH_GNUPLOT");
	rp_run_free(&r);
	remove_tmp();
}
END_TEST

Suite *suite_report(void)
{
	Suite *s = suite_create("report");
	TCase *t = tcase_create("core");

	tcase_set_timeout(t, 60);
	tcase_add_test(t, refuses_bad_files);
	tcase_add_test(t, queries_on_recorded_data);
	tcase_add_test(t, counter_per_op_arithmetic);
	tcase_add_test(t, counter_from_counting_pass);
	tcase_add_test(t, whole_report);
	tcase_add_test(t, report_by_traits_not_names);
	tcase_add_test(t, missing_gnuplot_is_a_clear_error);
	suite_add_tcase(s, t);
	return s;
}
