/* SPDX-License-Identifier: MIT */
/*
 * The top of the report: findings first (per-group geometric means with
 * an honest interval, the largest costs, device accesses per request, the
 * claims), then the table of contents with unique anchors; the summary's
 * interval is a range under 5 rounds; a report re-rendered into its
 * folder leaves no chart of the earlier one behind, and touches nothing
 * that is not its own.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../common/proto.h"
#include "../../common/results.h"
#include "../../reports/doc.h"
#include "../../reports/report.h"
#include "tfiles.h"

#define TCG_QUICK "tests/data/real-tcg-quick-v1.json"

static char tmpdir[64];

/* The report of the files into tmpdir (made by the caller). */
static void report_files(const char *const *paths, int n)
{
	struct rp_run runs[4];
	char err[1024];

	for (int i = 0; i < n; i++)
		ck_assert_msg(!rp_run_load(&runs[i], paths[i], i, err, sizeof(err)), "%s", err);
	ck_assert_msg(!rp_report_write(runs, n, tmpdir, err, sizeof(err)), "%s", err);
	for (int i = 0; i < n; i++)
		rp_run_free(&runs[i]);
}

/* a occurs in text, and before b. */
static void before(const char *text, const char *a, const char *b)
{
	const char *pa = strstr(text, a), *pb = strstr(text, b);

	ck_assert_msg(pa, "'%s' missing", a);
	ck_assert_msg(pb, "'%s' missing", b);
	ck_assert_msg(pa < pb, "'%s' is not before '%s'", a, b);
}

START_TEST(findings_first_then_contents)
{
	static const char *const files[] = {TCG_QUICK};
	char *md, *html;

	if (!ut_have_gnuplot("findings_first_then_contents"))
		return;
	ut_tmpdir(tmpdir, sizeof(tmpdir), "findings");
	report_files(files, 1);
	md = ut_slurp(tmpdir, "report.md");
	html = ut_slurp(tmpdir, "index.html");
	before(md, "## Findings", "## Contents");
	before(md, "## Contents", "## Overhead vs bare");
	/* a quick run has 2 rounds: a range, never a CI */
	ck_assert_msg(strstr(md, "| type2: a TCG guest with emulated devices | "), "no type2 row");
	ck_assert_msg(strstr(md, "range ") && strstr(md, " over 2 rounds, 11 workloads"),
		      "the cpu group is not a range over 2 rounds");
	ck_assert_msg(strstr(md, "cpu.fp 27.5x"), "largest cost missing");
	ck_assert_msg(strstr(md, "- type2: no device access counts: "), "no per-request line");
	ck_assert_msg(strstr(md, "Verdict: holds"), "claims' verdicts missing");
	ck_assert_msg(strstr(md, "is itself a virtual machine (pvm)"), "host note missing");
	/* the contents: every later section, linked both ways */
	ck_assert_msg(strstr(md, "- [Overhead vs bare](#overhead-vs-bare)"), "md contents");
	ck_assert_msg(strstr(md, "- [Textbook claims, tested](#textbook-claims-tested)"),
		      "md contents");
	ck_assert_msg(!strstr(md, "](#findings)"), "findings precede the contents");
	ck_assert_msg(strstr(html, "<a href=\"#overhead-vs-bare\">Overhead vs bare</a>"),
		      "html contents");
	ck_assert_msg(strstr(html, "<h2 id=\"overhead-vs-bare\">Overhead vs bare</h2>"),
		      "html anchor");
	free(md);
	free(html);
	ut_rmtree(tmpdir);
}
END_TEST

/* Repeated and hostile headings: unique anchors, escaped text in both formats. */
START_TEST(anchors_unique_and_escaped)
{
	struct rp_doc d;
	char err[256], *md, *html;

	ut_tmpdir(tmpdir, sizeof(tmpdir), "findings");
	ck_assert_msg(!rp_doc_open(&d, tmpdir, "t", err, sizeof(err)), "%s", err);
	rp_doc_heading(&d, 2, "Before");
	rp_doc_toc(&d);
	rp_doc_heading(&d, 2, "Same name");
	rp_doc_heading(&d, 2, "Same name");
	rp_doc_heading(&d, 3, "Not listed");
	rp_doc_heading(&d, 2, "Contents");
	rp_doc_heading(&d, 2, "<b>x</b> [a](javascript:1)");
	ck_assert_msg(!rp_doc_close(&d, err, sizeof(err)), "%s", err);
	md = ut_slurp(tmpdir, "report.md");
	html = ut_slurp(tmpdir, "index.html");
	before(md, "## Before", "## Contents");
	ck_assert_msg(strstr(md, "- [Same name](#same-name)\n- [Same name](#same-name-1)\n"),
		      "%s", md);
	ck_assert_msg(strstr(md, "(#contents-1)"), "the contents' own anchor was reused");
	ck_assert_msg(!strstr(md, "(#not-listed)"), "a level-3 heading is in the contents");
	ck_assert_msg(strstr(md, "(#bxb-ajavascript1)"), "%s", md);
	ck_assert_msg(!strstr(md, "[a](javascript"), "a link got through: %s", md);
	ck_assert_msg(!strstr(html, "<b>") && strstr(html, "&lt;b&gt;x&lt;/b&gt;"), "%s", html);
	ck_assert_msg(strstr(html, "<h2 id=\"same-name-1\">"), "%s", html);
	free(md);
	free(html);
	ut_rmtree(tmpdir);
}
END_TEST

/* bare and a TCG guest, one workload per entry of ratio[], each round at that ratio. */
static json_t *two_approaches(int rounds, const char *const *bench, const double *ratio,
			      int nbench)
{
	json_t *doc = json_pack(
		"{s:s, s:i, s:{}, s:[{s:s, s:s, s:{s:s, s:s, s:s, s:n, s:n, s:s}},"
		"{s:s, s:s, s:{s:s, s:s, s:s, s:s, s:n, s:s}}], s:[], s:[]}",
		"schema", "vbench-results", "version", 1, "meta", "backends", "name", "bare",
		"status", "ok", "traits", "kind", "host", "accel", "none", "devices", "native",
		"baseline", "pv_partner", "lab", "", "name", "vm", "status", "ok", "traits", "kind",
		"vm", "accel", "tcg", "devices", "emulated", "baseline", "bare", "pv_partner", "lab",
		"", "workloads", "measurements");

	for (int b = 0; b < nbench; b++) {
		json_array_append_new(json_object_get(doc, "workloads"),
				      json_pack("{s:s, s:s, s:s, s:{}}", "name", bench[b], "unit",
						"ns/op", "direction", "lower", "params"));
		for (int r = 0; r < rounds; r++)
			for (int vm = 0; vm < 2; vm++)
				json_array_append_new(
					json_object_get(doc, "measurements"),
					json_pack("{s:s, s:s, s:i, s:s, s:s, s:i, s:[f], s:[f]}",
						  "backend", vm ? "vm" : "bare", "bench", bench[b],
						  "round", r, "status", "ok", "unit", "ns/op", "iters",
						  1, "samples", (100.0 + r) * (vm ? ratio[b] : 1.0),
						  "elapsed_ns", 1e8));
	}
	return doc;
}

/* Ratios 2 and 8 in every round: geometric mean 4, and a CI of [4, 4] over 6 rounds. */
START_TEST(findings_geometric_mean_and_ci)
{
	static const char *const bench[] = {"cpu.a", "cpu.b", "mem.c"};
	static const double ratio[] = {2, 8, 0.5};
	json_t *doc = two_approaches(6, bench, ratio, 3);
	struct rp_run r;
	char err[512], *md;

	if (!ut_have_gnuplot("findings_geometric_mean_and_ci")) {
		json_decref(doc);
		return;
	}
	ut_tmpdir(tmpdir, sizeof(tmpdir), "findings");
	ck_assert_msg(!rp_run_adopt(&r, doc, "two.json", 0, err, sizeof(err)), "%s", err);
	ck_assert_msg(!rp_report_write(&r, 1, tmpdir, err, sizeof(err)), "%s", err);
	md = ut_slurp(tmpdir, "report.md");
	ck_assert_msg(strstr(md, "| approach | cpu | mem | three largest costs"), "%s", md);
	ck_assert_msg(strstr(md, "| **4x [4, 4], 2 workloads** | **0.5x [0.5, 0.5], 1 workload** |"),
		      "%s", md);
	ck_assert_msg(strstr(md, "cpu.b 8x; cpu.a 2x. "), "largest costs: %s", md);
	free(md);
	rp_run_free(&r);
	ut_rmtree(tmpdir);
}
END_TEST

/* The summary says which interval it gives: a range under 5 rounds, a CI from 5. */
START_TEST(summary_interval_is_a_range_under_5_rounds)
{
	static const char *const bench[] = {"cpu.a"};
	static const double ratio[] = {2};
	for (int rounds = 2; rounds <= 5; rounds += 3) {
		json_t *doc = two_approaches(rounds, bench, ratio, 1);
		json_t *sum = vb_results_summary(doc), *e, *sd;
		size_t i;
		int seen = 0;

		ck_assert_ptr_nonnull(sum);
		json_array_foreach(sum, i, e) {
			if (strcmp(vb_json_str(e, "backend", ""), "vm"))
				continue;
			sd = json_object_get(e, "slowdown");
			ck_assert_str_eq(vb_json_str(sd, "interval", ""),
					 rounds < 5 ? "range" : "ci95");
			ck_assert_int_eq(vb_json_int(sd, "rounds", 0), rounds);
			ck_assert_str_eq(vb_json_str(json_object_get(e, "ratio"), "interval", ""),
					 rounds < 5 ? "range" : "ci95");
			seen = 1;
		}
		ck_assert(seen);
		json_decref(sum);
		json_decref(doc);
	}
}
END_TEST

/* The range is the lowest and highest per-round ratio. */
START_TEST(summary_range_is_min_and_max)
{
	json_t *doc = json_pack("{s:s, s:i, s:{}, s:[{s:s, s:s}, {s:s, s:s, s:{s:s, s:s, s:s, s:s, s:n, s:s}}],"
				" s:[{s:s, s:s, s:s, s:{}}], s:[]}",
				"schema", "vbench-results", "version", 1, "meta", "backends", "name",
				"bare", "status", "ok", "name", "vm", "status", "ok", "traits",
				"kind", "vm", "accel", "tcg", "devices", "emulated", "baseline",
				"bare", "pv_partner", "lab", "", "workloads", "name", "cpu.a", "unit",
				"ns/op", "direction", "lower", "params", "measurements");
	static const double vm[] = {300, 150, 200}; /* ratios 3, 1.5, 2 to bare's 100 */
	json_t *sum, *e, *ci = NULL;
	size_t i;

	for (int r = 0; r < 3; r++) {
		json_array_append_new(json_object_get(doc, "measurements"),
				      json_pack("{s:s, s:s, s:i, s:s, s:[f]}", "backend", "bare",
						"bench", "cpu.a", "round", r, "status", "ok", "samples",
						100.0));
		json_array_append_new(json_object_get(doc, "measurements"),
				      json_pack("{s:s, s:s, s:i, s:s, s:[f]}", "backend", "vm",
						"bench", "cpu.a", "round", r, "status", "ok", "samples",
						vm[r]));
	}
	sum = vb_results_summary(doc);
	json_array_foreach(sum, i, e)
		if (!strcmp(vb_json_str(e, "backend", ""), "vm"))
			ci = json_object_get(json_object_get(e, "slowdown"), "ci95");
	ck_assert_ptr_nonnull(ci);
	ck_assert_double_eq_tol(json_number_value(json_array_get(ci, 0)), 1.5, 1e-9);
	ck_assert_double_eq_tol(json_number_value(json_array_get(ci, 1)), 3.0, 1e-9);
	json_decref(sum);
	json_decref(doc);
}
END_TEST

static int exists(const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return lstat(path, &st) == 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/*
 * A report with fewer charts into the folder of one with more: the earlier
 * charts go; a file of the user's, a symlink named like a chart script and
 * what it points to stay.
 */
START_TEST(rerender_removes_stale_charts_only)
{
	static const char *const many[] = {"tests/data/run-v1.json", "tests/data/run-lab-v1.json"};
	static const char *const few[] = {"tests/data/real-bare-a-v1.json"};
	char path[256], target[256], *text;

	if (!ut_have_gnuplot("rerender_removes_stale_charts_only"))
		return;
	ut_tmpdir(tmpdir, sizeof(tmpdir), "findings");
	report_files(many, 2);
	ck_assert(exists("exits.svg") && exists("exits.gp") && exists("traps.png"));
	snprintf(path, sizeof(path), "%s/mine.png", tmpdir);
	write_file(path, "the user's own");
	snprintf(target, sizeof(target), "%s/outside.txt", tmpdir);
	write_file(target, "# vbench chart 'x'; not to be removed through a link\n");
	snprintf(path, sizeof(path), "%s/link.gp", tmpdir);
	ck_assert_int_eq(symlink(target, path), 0);
	snprintf(path, sizeof(path), "%s/link.svg", tmpdir);
	write_file(path, "beside the link");
	report_files(few, 1);
	ck_assert_msg(!exists("exits.svg") && !exists("exits.gp") && !exists("exits.dat") &&
			      !exists("exits.png"), "a stale chart stayed");
	ck_assert_msg(!exists("traps.png") && !exists("traps.svg"), "a stale chart stayed");
	ck_assert_msg(exists("mine.png") && exists("link.gp") && exists("link.svg") &&
			      exists("outside.txt"), "something not the report's went");
	text = ut_slurp(tmpdir, "outside.txt");
	ck_assert_str_eq(text, "# vbench chart 'x'; not to be removed through a link\n");
	free(text);
	ut_rmtree(tmpdir);
}
END_TEST

Suite *suite_findings(void)
{
	Suite *s = suite_create("findings");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, findings_first_then_contents);
	tcase_add_test(tc, anchors_unique_and_escaped);
	tcase_add_test(tc, findings_geometric_mean_and_ci);
	tcase_add_test(tc, summary_interval_is_a_range_under_5_rounds);
	tcase_add_test(tc, summary_range_is_min_and_max);
	tcase_add_test(tc, rerender_removes_stale_charts_only);
	suite_add_tcase(s, tc);
	return s;
}
