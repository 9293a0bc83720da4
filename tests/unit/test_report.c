/* SPDX-License-Identifier: MIT */
/*
 * vbench report: loading and validating result files (bad ones are
 * refused with a one-line reason), the counter arithmetic the sections
 * use, a whole report from tests/data with its charts, and the emulated
 * lab's results: marked, compared only with the lab's own bare.
 */
#include <check.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../common/proto.h"
#include "../../common/results.h"
#include "../../reports/hist.h"
#include "../../reports/report.h"
#include "tfiles.h"
#include "treport.h"

#define DATA "tests/data/run-v1.json"
#define LAB "tests/data/run-lab-v1.json"
/* A real run through the emulated lab: bare@lab, type1 and paravirt in L1. */
#define REAL_LAB "tests/data/real-lab-quick-v1.json"

static char tmpdir[64];

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

	ut_tmpdir(tmpdir, sizeof(tmpdir), "report");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		ck_assert_msg(load_text(bad[i].text, err, sizeof(err)) == -1, "accepted #%zu", i);
		ck_assert_msg(strstr(err, bad[i].expect), "#%zu: '%s' lacks '%s'", i, err,
			      bad[i].expect);
		ck_assert_msg(strstr(err, "in.json"), "#%zu: error does not name the file", i);
		ck_assert_msg(!strchr(err, '\n'), "#%zu: error is not one line", i);
	}
	ut_rmtree(tmpdir);
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

/*
 * A guest's counter named like host evidence (kvm.exit.*) counts for
 * nothing, however the file labels it; the agent's own kinds still count.
 */
START_TEST(agent_counter_is_no_host_evidence)
{
	json_t *doc = json_pack(
		"{s:s, s:i, s:{s:{s:i}}, s:[], s:[], s:["
		"{s:s, s:s, s:i, s:s, s:i, s:[f,f], s:{s:s, s:i, s:i, s:["
		"{s:s, s:s, s:s, s:i}, {s:s, s:s, s:s, s:i}, {s:s, s:s, s:s, s:i}]}}]}",
		"schema", "vbench-results", "version", 1, "meta", "plan", "warmup", 1,
		"backends", "workloads", "measurements",
		"backend", "b", "bench", "w", "round", 0, "status", "ok", "iters", 100, "samples",
		1.0, 1.0, "count", "status", "ok", "iters", 50, "elapsed_ns", 1000, "counters",
		"source", "agent", "scope", "guest", "name", "kvm.exit.svm.npf", "value", 900,
		"source", "ebpf", "scope", "host", "name", "kvm.exit.svm.io", "value", 5,
		"source", "agent", "scope", "guest", "name", "rusage.minflt", "value", 7);
	struct rp_run r;
	char err[256];
	double sum, ops;
	const char *why;
	json_t *names;

	ck_assert_ptr_nonnull(doc);
	ck_assert_msg(!rp_run_adopt(&r, doc, "forged", 0, err, sizeof(err)), "%s", err);
	ck_assert_int_eq(rp_counter(&r, "b", "w", "kvm.exit.*", &sum, &ops, &why), 1);
	ck_assert_double_eq(sum, 5);
	ck_assert_int_eq(rp_counter(&r, "b", "w", "kvm.exit.svm.npf", &sum, &ops, &why), -1);
	ck_assert_int_eq(rp_counter(&r, "b", "w", "rusage.minflt", &sum, &ops, &why), 1);
	ck_assert_double_eq(sum, 7);
	names = rp_counter_names(&r, "b", "w", "kvm.exit.");
	ck_assert_uint_eq(json_array_size(names), 1);
	ck_assert_str_eq(json_string_value(json_array_get(names, 0)), "kvm.exit.svm.io");
	json_decref(names);
	rp_run_free(&r);
}
END_TEST

static int nonempty(const char *dir, const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0 && st.st_size > 0;
}

/* Every string of want (NULL-terminated) is in text. */
static void contains_all(const char *text, const char *const *want)
{
	for (; *want; want++)
		ck_assert_msg(strstr(text, *want), "'%s' missing", *want);
}

START_TEST(whole_report)
{
	static const char *const charts[] = {"overhead-cpu", "overhead-mem", "overhead-io",
					     "exits", "traps", "lifecycle",
					     "latency-io.randread", "latency-io.seqread"};
	static const char *const ext[] = {"dat", "gp", "png", "svg"};
	struct rp_run runs[2];
	char err[1024], name[128], *md;

	if (!ut_have_gnuplot("whole_report"))
		return;
	ut_tmpdir(tmpdir, sizeof(tmpdir), "report");
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
	md = ut_slurp(tmpdir, "report.md");
	/* Verdicts come from the numbers; absent data says why. */
	contains_all(md, (const char *const[]){"holds for type2 vs type2-pv",
		     "holds for type1 vs paravirt", "Trapped device accesses differ most",
		     "not measured: no noisy-neighbour experiment",
		     "not comparable: paravirt ran in the emulated lab",
		     "not compared: ran in the emulated lab, its baseline bare on this host",
		     "unavailable: dTLB-load-misses", NULL});
	free(md);
	rp_run_free(&runs[0]);
	rp_run_free(&runs[1]);
	ut_rmtree(tmpdir);
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

	if (!ut_have_gnuplot("report_by_traits_not_names"))
		return;
	ut_tmpdir(tmpdir, sizeof(tmpdir), "report");
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
	md = ut_slurp(tmpdir, "report.md");
	contains_all(md, (const char *const[]){"## Overhead vs metal0",
		     "| workload | oci0: median [95% CI] | kvm-ide | kvm-virtio | tcg-ide | "
		     "tcg-virtio: median [95% CI] |",
		     "### tcg-ide (full) vs tcg-virtio (para-virtual)",
		     "holds for tcg-ide vs tcg-virtio",
		     "tcg-ide: runs under TCG, so it has no VM exits",
		     "not measured: kvm-ide unavailable", NULL});
	ck_assert_ptr_null(strstr(md, "type2"));
	free(md);
	rp_run_free(&r);
	ut_rmtree(tmpdir);
}
END_TEST

START_TEST(missing_gnuplot_is_a_clear_error)
{
	struct rp_run r;
	char err[1024];

	ut_tmpdir(tmpdir, sizeof(tmpdir), "report");
	setenv("VBENCH_GNUPLOT", "/nonexistent/gnuplot", 1);
	ck_assert(!rp_run_load(&r, DATA, 0, err, sizeof(err)));
	ck_assert_int_eq(rp_report_write(&r, 1, tmpdir, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "gnuplot is needed"));
	unsetenv("VBENCH_GNUPLOT");
	rp_run_free(&r);
	ut_rmtree(tmpdir);
}
END_TEST

/*
 * The lab's counts per I/O request and per exit: paravirt's one kick per
 * request is a trapped access and a device exit; type1's emulated disk
 * needs about ten of each; the exit histograms hold every exit counted.
 */
START_TEST(lab_counts_per_request_and_exit)
{
	struct rp_run r;
	struct rp_hist h;
	char err[512], buf[64];
	double per, each[RP_NTRAP], reqs, mmio, pio, exits, ops;
	const char *why;
	static const char *const kvm[] = {"type1", "paravirt"};

	ck_assert_msg(!rp_run_load(&r, REAL_LAB, 0, err, sizeof(err)), "%s", err);
	/* 8 requests per pass, 2 passes; 9 kicks per pass, 1 of them the empty pass's */
	ck_assert_int_eq(rp_traps_per_request(&r, "paravirt", "io.randread", &per, each, &reqs,
					      &why), 0);
	ck_assert_double_eq(reqs, 16);
	ck_assert_double_eq_tol(each[RP_TRAP_KICK], 1.0, 0.05);
	ck_assert_double_eq_tol(per, 1.0, 0.05);
	ck_assert_int_eq(rp_traps_per_request(&r, "type1", "io.randread", &per, each, &reqs, &why),
			 0);
	ck_assert_double_eq_tol(per, 12.56, 0.05);
	ck_assert_double_eq(each[RP_TRAP_KICK], 0);
	ck_assert_int_eq(rp_device_exits_per_request(&r, "paravirt", "io.randread", &mmio, &pio,
						     &reqs, &why), 0);
	ck_assert_double_eq_tol(mmio, 1.0, 0.05);
	ck_assert_double_eq(pio, 0);
	ck_assert_int_eq(rp_device_exits_per_request(&r, "type1", "io.randread", &mmio, &pio,
						     &reqs, &why), 0);
	ck_assert(mmio + pio > 5 && mmio + pio < 20);
	/* the lab's bare is no VM: no device exits */
	ck_assert_int_eq(rp_device_exits_per_request(&r, "bare@lab", "io.randread", &mmio, &pio,
						     &reqs, &why), -1);
	for (size_t k = 0; k < 2; k++) {
		ck_assert_int_eq(rp_counter(&r, kvm[k], "cpu.cpuid", "kvm.exits", &exits, &ops, &why),
				 1);
		ck_assert_int_gt(rp_hist_read(&r, kvm[k], "cpu.cpuid",
					      "kvm.outside_guest_time.log2_ns.", &h), 3);
		/* an exit is timed at its next entry: a pass's edges differ by one or two */
		ck_assert_msg(fabs(h.total - exits) <= 0.05 * exits, "%s: %g timed of %g",
			      kvm[k], h.total, exits);
		/* from 8 us to 4.3 s: no bucket outside what a nested exit can take */
		ck_assert(h.lo_us[0] >= 8 && h.lo_us[h.n - 1] <= 4.3e6);
		for (int i = 1; i < h.n; i++)
			ck_assert(h.lo_us[i] == 2 * h.lo_us[i - 1] || h.lo_us[i] > 2 * h.lo_us[i - 1]);
	}
	rp_hist_read(&r, "type1", "cpu.cpuid", "kvm.outside_guest_time.log2_ns.", &h);
	ck_assert_str_eq(rp_hist_bucket(&h, 0.5, buf, sizeof(buf)), "66-131 us");
	rp_hist_read(&r, "paravirt", "cpu.cpuid", "kvm.outside_guest_time.log2_ns.", &h);
	ck_assert_str_eq(rp_hist_bucket(&h, 0.5, buf, sizeof(buf)), "16-33 us");
	/* p99 falls in 2^20 ns, the next bucket present is 2^23: it spans [2^20, 2^21) */
	ck_assert_str_eq(rp_hist_bucket(&h, 0.99, buf, sizeof(buf)), "1049-2097 us");
	rp_run_free(&r);
}
END_TEST

/* The real lab file, rendered: every lab approach marked, every lab section filled. */
START_TEST(lab_report_marks_and_verdicts)
{
	static const char *const charts[] = {"exittime-cpu.cpuid.svg", "exittime-io.randread.svg",
					     "exits.svg", "traps.svg"};
	char *md = ut_report_of(ut_load_json(REAL_LAB), "lab", tmpdir, sizeof(tmpdir));

	if (!md)
		return;
	for (size_t c = 0; c < sizeof(charts) / sizeof(charts[0]); c++)
		ck_assert_msg(nonempty(tmpdir, charts[c]), "%s missing", charts[c]);
	contains_all(md, (const char *const[]){
		/* each approach against its own baseline, the lab's against the lab's bare */
		"of each approach relative to its own baseline",
		"compared with the lab's own bare (bare@lab), never with this host's",
		"| workload | type1 (lab): median, range of 2 rounds | paravirt (lab): median, "
		"range of 2 rounds |",
		"| R1 vm 2026-12-01 | type1 (lab) | ok |",
		"\"bare@lab\" is the emulated lab's machine itself",
		/* the lab's L1 beside the host */
		"| R1 vm 2026-12-01: this host | R1 vm 2026-12-01: the lab's L1 |",
		"| KVM | kvm_pvm, nested (the machine is a VM); runs no unmodified guest: /dev/kvm is "
		"kvm-pvm, which runs only PVM-enabled guest kernels | kvm_amd,",
		"| machine (kernel) | vm (kernel 6.18.44-fc-v1045) | (none) (kernel 6.1.0-57-amd64) |",
		"booted in 6.57 s", "179 MiB initramfs", "AMD EPYC Processor; 2 CPUs, 3.8 GiB",
		"why: this host's KVM cannot run guests",
		/* exits by reason, per workload, type1 next to paravirt */
		"| type1 (lab) | cpu.cpuid | 4.05 |", "| paravirt (lab) | cpu.cpuid | 1.22 |",
		/* the exit time histogram */
		"### Time outside the guest per exit",
		"| approach | workload | exits timed | median in | p99 in | mean per exit |",
		"| type1 (lab) | cpu.cpuid | 517 | 66-131 us |",
		"| paravirt (lab) | cpu.cpuid | 217 | 16-33 us |",
		/* device exits and accesses per request: a kick is one of each */
		"| paravirt (lab) | io.randread | 16 | 1 | 0 | 1 | 1 |",
		"| type1 (lab) | io.randread | 16 | 10.4 | 0.312 | 0 | 10.8 |",
		"| paravirt (lab) | io.randread | 16 | 0 | 0 | 1 | 1 |",
		"so those kicks are added to the accesses",
		/* claims 2-4 and 6 decided inside the lab, against bare@lab */
		"holds for type1 in the emulated lab (1 of 1 cpu.* slower than bare@lab)",
		"type1 cpu.portio: unsupported: outb to port 0x80 faulted",
		"type1 cpu.cpuid 6862x, range 5435 to 8288, vs bare@lab, 4.05 VM exits/op",
		"holds for type1 vs paravirt in the emulated lab",
		"device accesses per request 12.6 vs 1, device exits per request 10.8 vs 1",
		"does not hold in the emulated lab (0 of 2 workloads within 10% of bare@lab, the "
		"lab's own bare)",
		"| holds in the emulated lab |",
		"### type1 (full) vs paravirt (para-virtual) in the emulated lab", NULL});
	/* the old wording: a lab approach was never judged */
	ck_assert_ptr_null(strstr(md, "not comparable"));
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/* Copy the measurements of (from_be, from_bench) as (to_be, to_bench). */
static void copy_measurements(json_t *doc, const char *from_be, const char *from_bench,
			      const char *to_be, const char *to_bench)
{
	json_t *ms = json_object_get(doc, "measurements"), *e;
	size_t i, n = json_array_size(ms);

	for (i = 0; i < n; i++) {
		e = json_array_get(ms, i);
		if (strcmp(vb_json_str(e, "backend", ""), from_be) ||
		    strcmp(vb_json_str(e, "bench", ""), from_bench))
			continue;
		e = json_deep_copy(e);
		json_object_set_new(e, "backend", json_string(to_be));
		json_object_set_new(e, "bench", json_string(to_bench));
		json_array_append_new(ms, e);
	}
}

static void drop_measurements(json_t *doc, const char *be, const char *bench)
{
	json_t *ms = json_object_get(doc, "measurements");

	for (size_t i = json_array_size(ms); i-- > 0;)
		if (!strcmp(vb_json_str(json_array_get(ms, i), "backend", ""), be) &&
		    !strcmp(vb_json_str(json_array_get(ms, i), "bench", ""), bench))
			json_array_remove(ms, i);
}

/*
 * A file with the host's own bare and type2 beside the lab's: type1 and
 * type2 ran on two machines, so claim 1 says why it cannot compare them;
 * the lab's approaches stay against bare@lab.
 */
START_TEST(lab_beside_host_is_not_compared)
{
	json_t *doc = ut_load_json(REAL_LAB), *backends = json_object_get(doc, "backends");
	static const char *const benches[] = {"cpu.cpuid", "cpu.portio", "io.randread"};
	char *md;

	json_array_append_new(backends, json_pack(
		"{s:s, s:s, s:{s:s, s:s, s:s, s:n, s:n, s:s}, s:s, s:f}", "name", "bare", "backend",
		"bare", "traits", "kind", "host", "accel", "none", "devices", "native", "baseline",
		"pv_partner", "lab", "", "status", "ok", "start_ms", 1.5));
	json_array_append_new(backends, json_pack(
		"{s:s, s:s, s:{s:s, s:s, s:s, s:s, s:n, s:s}, s:s, s:f}", "name", "type2", "backend",
		"type2", "traits", "kind", "vm", "accel", "tcg", "devices", "emulated", "baseline",
		"bare", "pv_partner", "lab", "", "status", "ok", "start_ms", 2100.0));
	for (size_t i = 0; i < 3; i++) {
		copy_measurements(doc, "bare@lab", benches[i], "bare", benches[i]);
		copy_measurements(doc, "type1", benches[i], "type2", benches[i]);
	}
	md = ut_report_of(doc, "lab+host", tmpdir, sizeof(tmpdir));
	if (!md)
		return;
	contains_all(md, (const char *const[]){
		"compared with the lab's own bare (bare@lab), never with this host's; the others "
		"with bare, on this host",
		"| workload | type1 (lab): median, range of 2 rounds | paravirt (lab): median, "
		"range of 2 rounds | type2: median, range of 2 rounds |",
		"not comparable: type1 ran in the emulated lab (an L2 guest of real KVM inside an "
		"L1 machine that QEMU emulates with TCG) and type2 directly on this host",
		"holds for type1 in the emulated lab (1 of 1 cpu.* slower than bare@lab)",
		"type1 cpu.cpuid 6862x, range 5435 to 8288, vs bare@lab", NULL});
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/*
 * The lab's first file format: lab approaches whose baseline is the host's
 * bare. Their ratios would include the emulation: no slowdown is shown and
 * no claim is judged on them.
 */
START_TEST(lab_against_host_bare_is_refused)
{
	char *md = ut_report_of(ut_load_json(LAB), "old lab", tmpdir, sizeof(tmpdir));

	if (!md)
		return;
	contains_all(md, (const char *const[]){
		"| cpu.int | failed | not compared: ran in the emulated lab, its baseline bare on "
		"this host |",
		"A lab approach whose baseline ran on this host is not compared at all",
		"not comparable for type1: type1 ran in the emulated lab",
		"not comparable: paravirt ran in the emulated lab",
		"does not describe the lab's machine (no meta.lab", NULL});
	ck_assert_ptr_null(strstr(md, "cpu.* slower than bare)"));
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/*
 * cpu.portio measured in L2 (as a fixed lab will): one IO exit per outb
 * joins the exit table and claim 2.
 */
START_TEST(lab_with_portio_measured)
{
	json_t *doc = ut_load_json(REAL_LAB), *ms, *e;
	size_t i;
	char *md;

	drop_measurements(doc, "type1", "cpu.portio");
	copy_measurements(doc, "type1", "cpu.cpuid", "type1", "cpu.portio");
	ms = json_object_get(doc, "measurements");
	json_array_foreach(ms, i, e) {
		json_t *count = json_object_get(e, "count");

		if (strcmp(vb_json_str(e, "backend", ""), "type1") ||
		    strcmp(vb_json_str(e, "bench", ""), "cpu.portio"))
			continue;
		json_object_set_new(count, "counters", json_pack(
			"[{s:s, s:I}, {s:s, s:I}]", "name", "kvm.exit.svm.io", "value",
			json_integer_value(json_object_get(count, "iters")), "name", "kvm.exits",
			"value", json_integer_value(json_object_get(count, "iters"))));
	}
	md = ut_report_of(doc, "portio", tmpdir, sizeof(tmpdir));
	if (!md)
		return;
	contains_all(md, (const char *const[]){
		"holds for type1 in the emulated lab (2 of 2 cpu.* slower than bare@lab)",
		"vs bare@lab, 1 VM exits/op", "| type1 (lab) | cpu.portio | 1 |", NULL});
	ck_assert_ptr_null(strstr(md, "type1 cpu.portio: unsupported"));
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/*
 * A result file is untrusted: a backend, a workload and a reason that hold
 * HTML and a terminal escape show as text in report.md (nothing a Markdown
 * renderer would run or a terminal would act on) and in index.html.
 */
START_TEST(report_md_escapes_html)
{
	static const char evil_be[] = "<script>alert(1)</script>\x1b[2J",
			  evil_wl[] = "cpu.<img src=x onerror=alert(2)>\x1b]0;x\x07",
			  evil_why[] = "<b>bold</b> [click](http://evil) \x1b[31mred\n# heading";
	json_t *doc = ut_load_json(DATA), *e;
	char *md, *html;
	size_t i;

	rename_backend(doc, "type2", evil_be);
	json_array_foreach(json_object_get(doc, "workloads"), i, e)
		if (!strcmp(vb_json_str(e, "name", ""), "cpu.syscall"))
			json_object_set_new(e, "name", json_string(evil_wl));
	json_array_foreach(json_object_get(doc, "measurements"), i, e) {
		if (!strcmp(vb_json_str(e, "bench", ""), "cpu.syscall"))
			json_object_set_new(e, "bench", json_string(evil_wl));
		if (strcmp(vb_json_str(e, "status", ""), "ok"))
			json_object_set_new(e, "reason", json_string(evil_why));
	}
	md = ut_report_of(doc, "hostile names", tmpdir, sizeof(tmpdir));
	if (!md)
		return;
	html = ut_slurp(tmpdir, "index.html");
	/* every '<' escaped: no raw HTML, no autolink */
	ut_assert_inert(md, html);
	ck_assert_ptr_null(strstr(md, "](http://evil)"));
	ck_assert_ptr_null(strstr(md, "\n# heading"));
	contains_all(md, (const char *const[]){"\\<script>alert(1)\\</script>\\x1b[2J",
		     "cpu.\\<img src=x onerror=alert(2)>\\x1b]0;x\\x07",
		     "\\<b>bold\\</b> [click]\\(http://evil) \\x1b[31mred # heading", NULL});
	contains_all(html, (const char *const[]){"&lt;script&gt;alert(1)&lt;/script&gt;", NULL});
	free(md);
	free(html);
	ut_rmtree(tmpdir);
}
END_TEST

/* Absolute cells in report.md: median, a no-break space, ±, a no-break space, the MAD. */
#define PM "\u00a0±\u00a0"
#define REAL_TCG "tests/data/real-tcg-quick-v1.json"

/* The whole report of several result files, as Markdown (free it); NULL without gnuplot. */
static char *report_of_files(const char *const *paths, int n, const char *name)
{
	struct rp_run runs[4];
	char err[1024], *md;

	if (!ut_have_gnuplot(name))
		return NULL;
	ut_tmpdir(tmpdir, sizeof(tmpdir), "report");
	for (int i = 0; i < n; i++)
		ck_assert_msg(!rp_run_load(&runs[i], paths[i], i, err, sizeof(err)), "%s", err);
	ck_assert_msg(!rp_report_write(runs, n, tmpdir, err, sizeof(err)), "%s", err);
	md = ut_slurp(tmpdir, "report.md");
	for (int i = 0; i < n; i++)
		rp_run_free(&runs[i]);
	return md;
}

/* A bare-only run has no ratio, but its absolute numbers: per group, in the unit. */
START_TEST(absolute_results_of_bare_only)
{
	char *md = report_of_files((const char *const[]){"tests/data/real-bare-a-v1.json"}, 1,
				   "bare only"), *abs;

	if (!md)
		return;
	abs = ut_section(md, "Absolute results");
	contains_all(abs, (const char *const[]){
		"A cell holds n=25 samples from 5 rounds",
		"### cpu workloads", "### mem workloads", "### io workloads",
		"| workload | unit | bare |",
		"| cpu.int | us/op, lower is better | 357" PM "56 |",
		"| mem.stream | MB/s, higher is better | 22092" PM "4874 |", NULL});
	free(abs);
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/*
 * Ordinary values print as digits: 78492 us/op, 0.000918x, never 7.849e+04;
 * an exponent only for the truly huge or tiny. Cells without a number say why.
 */
START_TEST(numbers_without_exponents)
{
	static const struct { double v; const char *text; } nums[] = {
		{78490.4, "78490"}, {1234567, "1234567"}, {246.7, "247"}, {12.34, "12.3"},
		{0.0123, "0.0123"}, {0.000918, "0.000918"}, {0, "0"}, {-4543.2, "-4543"},
		{2.5e9, "2.5e+09"}, {1.5e-5, "1.5e-05"}, {NAN, "-"},
	};
	char buf[32], *md, *abs;

	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		ck_assert_str_eq(rp_num(nums[i].v, buf, sizeof(buf)), nums[i].text);
	md = report_of_files((const char *const[]){REAL_TCG}, 1, "tcg");
	if (!md)
		return;
	ck_assert_msg(!strstr(md, "e+0"), "exponent in: %.80s", strstr(md, "e+0") - 40);
	abs = ut_section(md, "Absolute results");
	contains_all(abs, (const char *const[]){
		"| workload | unit | bare | type2 | type2-pv |",
		"| cpu.fp | us/op, lower is better | 2428" PM "623 | 78492" PM "50467 | 45426" PM
		"1416 |",
		"| cpu.portio | ns/op, lower is better | unsupported: ioperm(0x80): Function not "
		"implemented | 72.3" PM "26.4 |",
		"- R1 vm 2026-11-22: type1 unavailable: no usable /dev/kvm", NULL});
	contains_all(md, (const char *const[]){"(median 78492 vs 45426 us/op)", NULL});
	free(abs);
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/* The agent's per-request p50/p99 of each I/O workload, beside the host's histograms. */
START_TEST(io_latency_from_the_agent)
{
	char *md = report_of_files((const char *const[]){REAL_TCG}, 1, "tcg"), *io;

	if (!md)
		return;
	io = ut_section(md, "I/O: latency per request");
	contains_all(io, (const char *const[]){
		"| approach | workload | p50 (us) | p99 (us) | rounds | requests per sample |",
		"| bare | io.randread | 116 | 1579 | 2 | 189 |",
		"| type2 | io.randread | 401 | 6018 | 2 | 93 |",
		"| type2-pv | io.randread | 603 | 1041 | 2 | 23 |",
		"| type2-pv | io.fsync | 884 | 1217 | 2 | 27 |",
		"### On the host's block layer", "No latency histogram was recorded", NULL});
	ck_assert_ptr_null(strstr(io, "No per-request latency"));
	free(io);
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/* Drop every counter of that name from (be, bench)'s measurements and counting passes. */
static void drop_counter(json_t *doc, const char *be, const char *bench, const char *name)
{
	size_t i, k;
	json_t *m;

	json_array_foreach(json_object_get(doc, "measurements"), i, m) {
		json_t *lists[2] = {json_object_get(m, "counters"),
				    json_object_get(json_object_get(m, "count"), "counters")};

		if (strcmp(vb_json_str(m, "backend", ""), be) ||
		    strcmp(vb_json_str(m, "bench", ""), bench))
			continue;
		for (int l = 0; l < 2; l++)
			for (k = json_array_size(lists[l]); k-- > 0;)
				if (!strcmp(vb_json_str(json_array_get(lists[l], k), "name", ""),
					    name))
					json_array_remove(lists[l], k);
	}
}

/* 1 when name is one of names (NULL-terminated). */
static int listed(const char *const *names, const char *name)
{
	for (; *names; names++)
		if (!strcmp(*names, name))
			return 1;
	return 0;
}

/* Keep only these backends and one workload, as --backend and --bench would. */
static void keep_only(json_t *doc, const char *const *backends, const char *bench)
{
	json_t *bs = json_object_get(doc, "backends"), *ms = json_object_get(doc, "measurements");
	json_t *ws = json_object_get(doc, "workloads");
	size_t i;

	for (i = json_array_size(bs); i-- > 0;)
		if (!listed(backends, vb_json_str(json_array_get(bs, i), "name", "")))
			json_array_remove(bs, i);
	for (i = json_array_size(ws); i-- > 0;)
		if (strcmp(vb_json_str(json_array_get(ws, i), "name", ""), bench))
			json_array_remove(ws, i);
	for (i = json_array_size(ms); i-- > 0;)
		if (strcmp(vb_json_str(json_array_get(ms, i), "bench", ""), bench) ||
		    !listed(backends, vb_json_str(json_array_get(ms, i), "backend", "")))
			json_array_remove(ms, i);
	json_object_del(doc, "summary");
}

/*
 * `vbench run --backend bare,type2,type2-pv --bench io.randread`: the I/O
 * part shows device accesses per request for both TCG guests, and says
 * why there are no device exits (no KVM guest); a VM without the counters
 * is listed with why, even where another has a row.
 */
START_TEST(io_device_accesses_per_request)
{
	static const char *const tcg[] = {"bare", "type2", "type2-pv", NULL};
	json_t *doc = ut_load_json(DATA);
	char *md, *io;

	keep_only(doc, tcg, "io.randread");
	md = ut_report_of(json_incref(doc), "tcg io.randread", tmpdir, sizeof(tmpdir));
	if (!md) {
		json_decref(doc);
		return;
	}
	ck_assert_ptr_nonnull(strstr(md, "## I/O: latency per request"));
	ck_assert(strstr(md, "## I/O: latency per request") <
		  strstr(md, "## I/O: device accesses per request"));
	io = ut_section(md, "I/O: device accesses per request");
	contains_all(io, (const char *const[]){
		"| approach | workload | requests | device reads | device writes | virtio kicks | "
		"accesses/request |",
		"| type2 | io.randread | 120000 | 12 | 14 | 0 | 26 |",
		"| type2-pv | io.randread | 120000 | 0.351 | 0.998 | 0.996 | 1.35 |", "traps.svg",
		NULL});
	free(io);
	io = ut_section(md, "I/O: device exits per request (KVM)");
	contains_all(io, (const char *const[]){"No KVM guest ran in this run", NULL});
	free(io);
	free(md);
	ut_rmtree(tmpdir);
	/* type2-pv without block.requests: still a row for type2, and why not for type2-pv */
	drop_counter(doc, "type2-pv", "io.randread", "block.requests");
	md = ut_report_of(doc, "no requests", tmpdir, sizeof(tmpdir));
	io = ut_section(md, "I/O: device accesses per request");
	contains_all(io, (const char *const[]){
		"| type2 | io.randread | 120000 | 12 | 14 | 0 | 26 |",
		"- R1 crafted-lab1 2026-11-22: type2-pv: no block.requests counter", NULL});
	free(io);
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/* KVM guests in the lab: device exits per request under their own I/O heading. */
START_TEST(io_device_exits_per_request)
{
	char *md = ut_report_of(ut_load_json(REAL_LAB), "lab", tmpdir, sizeof(tmpdir)), *io;

	if (!md)
		return;
	io = ut_section(md, "I/O: device exits per request (KVM)");
	contains_all(io, (const char *const[]){
		"| type1 (lab) | io.randread | 16 | 10.4 | 0.312 | 0 | 10.8 |",
		"| paravirt (lab) | io.randread | 16 | 1 | 0 | 1 | 1 |", NULL});
	free(io);
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/*
 * Two result files side by side: a column per (run, approach) in the
 * absolute tables, a count where a cell's differs, what differs between
 * the runs' environments, and a note where two come from one host name.
 */
START_TEST(runs_side_by_side)
{
	char *md = report_of_files((const char *const[]){DATA, LAB}, 2, "two runs"), *part;

	if (!md)
		return;
	part = ut_section(md, "Absolute results");
	contains_all(part, (const char *const[]){
		"| workload | unit | R1 crafted-lab1 bare | R2 crafted-l1lab bare | "
		"R1 crafted-lab1 container | R2 crafted-l1lab type1 (lab) | "
		"R2 crafted-l1lab paravirt (lab) | R1 crafted-lab1 type2 | R1 crafted-lab1 type2-pv |",
		"| io.seqread | MB/s, higher is better | 2481" PM "61.5 | not in this run |",
		"1279" PM "31 (n=20, 4 rounds) |",
		"Columns marked (lab) ran in the emulated lab",
		"- R2 crafted-l1lab 2026-11-23: container failed: crun", NULL});
	free(part);
	part = ut_section(md, "Environment");
	contains_all(part, (const char *const[]){"### Differences between the runs",
		"| what | R1 crafted-lab1 2026-11-22 | R2 crafted-l1lab 2026-11-23 |",
		"| host | crafted-lab1 | crafted-l1lab |",
		"| plan.backends | bare container type2 type2-pv | bare type1 paravirt |", NULL});
	ck_assert_ptr_null(strstr(part, "ran on a host named"));
	free(part);
	free(md);
	ut_rmtree(tmpdir);
	md = report_of_files((const char *const[]){"tests/data/real-bare-a-v1.json",
						   "tests/data/real-bare-b-v1.json"}, 2, "one host");
	part = ut_section(md, "Environment");
	contains_all(part, (const char *const[]){
		"R1 vm 2026-11-22, R2 vm 2026-11-22 ran on a host named \"vm\"",
		"| command line | run --all -o /tmp/aa-a.json | run --all -o /tmp/aa-b.json |", NULL});
	free(part);
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/*
 * The report of bare runs (tests/data/real-bare-a-v1.json) on hosts of
 * these names and machine ids (NULL: none recorded), side by side (free
 * it); NULL without gnuplot. At most 4.
 */
static char *report_of_hosts(const char *const *names, const char *const *ids, int n)
{
	char dir[64], paths[4][128], *md;
	const char *p[4];

	ut_tmpdir(dir, sizeof(dir), "hosts");
	for (int i = 0; i < n; i++) {
		json_t *doc = ut_load_json("tests/data/real-bare-a-v1.json");
		json_t *host = json_object_get(json_object_get(doc, "meta"), "host");

		json_object_set_new(host, "hostname", json_string(names[i]));
		if (ids[i])
			json_object_set_new(host, "machine_id", json_string(ids[i]));
		snprintf(paths[i], sizeof(paths[i]), "%s/r%d.json", dir, i);
		ck_assert_int_eq(json_dump_file(doc, paths[i], 0), 0);
		json_decref(doc);
		p[i] = paths[i];
	}
	md = report_of_files(p, n, "hosts");
	ut_rmtree(dir);
	return md;
}

/* Two machine ids (meta.host.machine_id). */
#define ID_X "9536279ad8cd40a8b1500539544c1375"
#define ID_Y "5d41402abc4b4a76b9719d911017c592"
#define CLONES "or on clones of one VM image that kept its machine id"

/*
 * One machine id is one machine, whatever its hostnames (that clones of
 * an image share one too is said once); one hostname on two machine ids
 * is two machines. The host row shows the id's first digits.
 */
START_TEST(same_machine_by_machine_id)
{
	char *md = report_of_hosts((const char *const[]){"a", "b", "a", "c"},
				   (const char *const[]){ID_X, ID_X, ID_Y, ID_Y}, 4), *part;

	if (!md)
		return;
	part = ut_section(md, "Environment");
	contains_all(part, (const char *const[]){
		"| host | a (kernel 6.18.44-fc-v769, machine 9536279a) | b (kernel 6.18.44-fc-v769, "
		"machine 9536279a) | a (kernel 6.18.44-fc-v769, machine 5d41402a) |",
		"R1 a 2026-11-22, R2 b 2026-11-22 ran on the same machine (machine id 9536279a\u2026, "
		"hostnames a, b), " CLONES,
		"R3 a 2026-11-22, R4 c 2026-11-22 ran on the same machine (machine id 5d41402a\u2026, "
		"hostnames a, c).",
		"R1 a 2026-11-22, R3 a 2026-11-22 share the hostname \"a\" but ran on 2 different "
		"machines (their machine ids differ).",
		"| machine id | " ID_X " | " ID_Y " |", NULL});
	ck_assert_ptr_null(strstr(strstr(part, CLONES) + 1, CLONES));
	ck_assert_ptr_null(strstr(part, "ran on a host named"));
	free(part);
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/*
 * Where a file records no machine id (an older one, or "unavailable: ..."),
 * the hostname is all that tells, and the note says which files lack one;
 * a hostile hostname shows as text.
 */
START_TEST(same_name_without_machine_id)
{
	static const char evil[] = "<b>vm\x1b[2J";
	char *md = report_of_hosts((const char *const[]){"vm", "vm", "vm"},
				   (const char *const[]){ID_X, "unavailable: /etc/machine-id: No "
							 "such file or directory", NULL}, 3), *part, *html;

	if (!md)
		return;
	part = ut_section(md, "Environment");
	contains_all(part, (const char *const[]){
		"| host | vm (kernel 6.18.44-fc-v769, machine 9536279a) | vm (kernel 6.18.44-fc-v769) "
		"| vm (kernel 6.18.44-fc-v769) |",
		"R1 vm 2026-11-22, R2 vm 2026-11-22, R3 vm 2026-11-22 ran on a host named \"vm\": the "
		"same machine if that name is unique; the machine id that would tell is not recorded "
		"in R2 vm 2026-11-22, R3 vm 2026-11-22.",
		"| machine id | " ID_X " | unavailable: /etc/machine-id: No such file or directory |",
		NULL});
	ck_assert_ptr_null(strstr(part, "ran on the same machine"));
	free(part);
	free(md);
	ut_rmtree(tmpdir);
	/* two machines of one name, and a file that cannot say which it is */
	md = report_of_hosts((const char *const[]){evil, evil, evil, evil},
			     (const char *const[]){ID_X, NULL, ID_Y, ID_X}, 4);
	html = ut_slurp(tmpdir, "index.html");
	ut_assert_inert(md, html);
	part = ut_section(md, "Environment");
	contains_all(part, (const char *const[]){
		"R1 \\<b>vm\\x1b[2J 2026-11-22, R3 \\<b>vm\\x1b[2J 2026-11-22, R4 \\<b>vm\\x1b[2J "
		"2026-11-22 share the hostname \"\\<b>vm\\x1b[2J\" but ran on 2 different machines "
		"(their machine ids differ); no machine id recorded in R2 \\<b>vm\\x1b[2J 2026-11-22.",
		NULL});
	free(part);
	free(html);
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/* Whether some chart file (NAME.gp, NAME.dat) of the report in dir contains text. */
static int a_chart_has(const char *dir, const char *text)
{
	char pattern[160];
	glob_t g;
	int found = 0;

	snprintf(pattern, sizeof(pattern), "%s/*.[gd][pa]*", dir);
	if (glob(pattern, 0, NULL, &g))
		return 0;
	for (size_t i = 0; i < g.gl_pathc && !found; i++) {
		char *gp = ut_slurp(dir, g.gl_pathv[i] + strlen(dir) + 1);

		found = strstr(gp, text) != NULL;
		free(gp);
	}
	globfree(&g);
	return found;
}

/*
 * A lab's hosts side by side: each series says whose it is ("R2 host
 * bare"), with the hostname cut to the characters a hostname may have,
 * so that a hostile one reaches no gnuplot script raw. Runs of one host
 * keep "R2 bare".
 */
START_TEST(series_name_their_hosts)
{
	char *md = report_of_hosts((const char *const[]){"alpha", "be'ta\";system(\"id\")"},
				   (const char *const[]){ID_X, ID_Y}, 2), *part;

	if (!md)
		return;
	part = ut_section(md, "Absolute results");
	contains_all(part, (const char *const[]){"| R1 alpha bare | R2 be_ta__system__id__ bare |",
						   NULL});
	ck_assert(a_chart_has(tmpdir, "R2 be_ta__system__id__ bare"));
	ck_assert(!a_chart_has(tmpdir, "be'ta"));
	free(part);
	free(md);
	ut_rmtree(tmpdir);
	md = report_of_hosts((const char *const[]){"alpha", "alpha"},
			     (const char *const[]){ID_X, ID_X}, 2);
	part = ut_section(md, "Absolute results");
	contains_all(part, (const char *const[]){"| R1 bare | R2 bare |", NULL});
	free(part);
	free(md);
	ut_rmtree(tmpdir);
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
	tcase_add_test(t, agent_counter_is_no_host_evidence);
	tcase_add_test(t, whole_report);
	tcase_add_test(t, report_by_traits_not_names);
	tcase_add_test(t, missing_gnuplot_is_a_clear_error);
	tcase_add_test(t, lab_counts_per_request_and_exit);
	tcase_add_test(t, lab_report_marks_and_verdicts);
	tcase_add_test(t, lab_beside_host_is_not_compared);
	tcase_add_test(t, lab_against_host_bare_is_refused);
	tcase_add_test(t, lab_with_portio_measured);
	tcase_add_test(t, report_md_escapes_html);
	tcase_add_test(t, absolute_results_of_bare_only);
	tcase_add_test(t, numbers_without_exponents);
	tcase_add_test(t, io_latency_from_the_agent);
	tcase_add_test(t, io_device_accesses_per_request);
	tcase_add_test(t, io_device_exits_per_request);
	tcase_add_test(t, runs_side_by_side);
	tcase_add_test(t, same_machine_by_machine_id);
	tcase_add_test(t, same_name_without_machine_id);
	tcase_add_test(t, series_name_their_hosts);
	suite_add_tcase(s, t);
	return s;
}
