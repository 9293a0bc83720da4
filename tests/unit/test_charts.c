/* SPDX-License-Identifier: MIT */
/*
 * Charts that read at page width: no wider than the page's text column,
 * text of the tables' size, names drawn as they are; the overhead as a
 * dot-and-whisker chart per group of workloads on a log axis with the
 * line at 1 and labelled missing cells; intervals named for what they
 * are; bar charts horizontal and as high as their rows.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../reports/chart.h"
#include "../../reports/report.h"
#include "tfiles.h"

#define TCG_QUICK "tests/data/real-tcg-quick-v1.json"
#define RUN "tests/data/run-v1.json"
#define LAB "tests/data/run-lab-v1.json"

static char tmpdir[64];

static int exists(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return access(path, F_OK) == 0;
}

/* The report of the files into tmpdir; its Markdown (free it). */
static char *report_files(const char *const *paths, int n)
{
	struct rp_run runs[2];
	char err[1024];

	for (int i = 0; i < n; i++)
		ck_assert_msg(!rp_run_load(&runs[i], paths[i], i, err, sizeof(err)), "%s", err);
	ck_assert_msg(!rp_report_write(runs, n, tmpdir, err, sizeof(err)), "%s", err);
	for (int i = 0; i < n; i++)
		rp_run_free(&runs[i]);
	return ut_slurp(tmpdir, "report.md");
}

/* The section of md under "## <heading>" up to the next one (free it). */
static char *section(const char *md, const char *heading)
{
	const char *at = strstr(md, heading), *end;

	ck_assert_msg(at != NULL, "no section %s", heading);
	end = strstr(at + 1, "\n## ");
	return strndup(at, end ? (size_t)(end - at) : strlen(at));
}

/* An attribute of the <svg> element in px ("width", "height"); -1 where it has none. */
static double svg_size(const char *svg, const char *attr)
{
	const char *tag = strstr(svg, "<svg"), *end = tag ? strchr(tag, '>') : NULL;
	char key[32];
	const char *at;

	snprintf(key, sizeof(key), " %s=\"", attr);
	at = tag ? strstr(tag, key) : NULL;
	return at && at < end ? atof(at + strlen(key)) : -1;
}

/* The smallest font-size="N" in an SVG; 0 where there is none. */
static double smallest_font(const char *svg)
{
	double min = 0;

	for (const char *p = svg; (p = strstr(p, "font-size=\"")) != NULL; p++) {
		double v = atof(p + strlen("font-size=\""));

		if (min == 0 || v < min)
			min = v;
	}
	return min;
}

/* NAME.svg of the report in tmpdir fits the page and has text of the page's size. */
static void fits_page(const char *name)
{
	char file[128], *svg;

	snprintf(file, sizeof(file), "%s.svg", name);
	svg = ut_slurp(tmpdir, file);
	ck_assert_msg(svg_size(svg, "width") > 0 && svg_size(svg, "width") <= RP_CHART_MAX_WIDTH,
		      "%s: width %g", name, svg_size(svg, "width"));
	ck_assert_msg(smallest_font(svg) >= 12, "%s: text %g px", name, smallest_font(svg));
	free(svg);
}

/*
 * A chart asked for wider than the page is drawn at the page's width,
 * with width and height (not only a viewBox, which the page would scale),
 * its text at RP_CHART_FONT, and names as they are (no enhanced-text
 * subscript out of "a_b").
 */
START_TEST(chart_fits_page_text_as_large_as_tables)
{
	char work[256], err[512], *svg;
	FILE *dat;

	if (!ut_have_gnuplot("chart_fits_page_text_as_large_as_tables"))
		return;
	ut_tmpdir(tmpdir, sizeof(tmpdir), "charts");
	ck_assert_msg(!rp_chart_workdir(tmpdir, work, sizeof(work), err, sizeof(err)), "%s", err);
	dat = rp_chart_data(work, "wide", err, sizeof(err));
	ck_assert_msg(dat != NULL, "%s", err);
	fputs("x\ty\n1\t2\n2\t3\n", dat);
	fclose(dat);
	ck_assert_msg(!rp_chart_render(work, tmpdir, "wide", 1560, 300,
				       "plot 'wide.dat' using 1:2 with lines title 'a_b'", err,
				       sizeof(err)), "%s", err);
	rp_chart_workdir_remove(work);
	svg = ut_slurp(tmpdir, "wide.svg");
	ck_assert_msg(svg_size(svg, "width") == RP_CHART_MAX_WIDTH, "width %g",
		      svg_size(svg, "width"));
	ck_assert_msg(svg_size(svg, "height") == 300, "height %g", svg_size(svg, "height"));
	ck_assert_msg(smallest_font(svg) == RP_CHART_FONT, "text %g px", smallest_font(svg));
	ck_assert_msg(strstr(svg, ">a_b<"), "the name a_b not drawn as it is");
	free(svg);
	ut_rmtree(tmpdir);
}
END_TEST

/*
 * One chart per group, dots with whiskers on a log axis with the line at
 * 1, a series per approach; a missing cell says why at its row, an
 * approach with nothing to draw is named in the caption; as high as its
 * rows.
 */
START_TEST(overhead_dot_and_whisker_per_group)
{
	static const char *const files[] = {TCG_QUICK};
	static const char *const groups[] = {"overhead-cpu", "overhead-mem", "overhead-io"};
	char *md, *gp, *dat, *cpu, *io;

	if (!ut_have_gnuplot("overhead_dot_and_whisker_per_group"))
		return;
	ut_tmpdir(tmpdir, sizeof(tmpdir), "charts");
	md = report_files(files, 1);
	ck_assert_msg(!exists("overhead.svg"), "one chart for every workload");
	for (size_t i = 0; i < 3; i++)
		fits_page(groups[i]);
	gp = ut_slurp(tmpdir, "overhead-cpu.gp");
	ck_assert_msg(strstr(gp, "set logscale x\n"), "not a log ratio axis");
	ck_assert_msg(strstr(gp, "set arrow from 1, graph 0 to 1, graph 1"), "no line at 1");
	ck_assert_msg(strstr(gp, "with xerrorbars") && strstr(gp, "title 'type2'") &&
			      strstr(gp, "title 'type2-pv'"), "not dots and whiskers per approach");
	ck_assert_msg(strstr(gp, "'cpu.portio' 9"), "a workload without a ratio has no row");
	dat = ut_slurp(tmpdir, "overhead-cpu.dat");
	ck_assert_msg(strstr(dat, "type2: no ratio (bare unsupported"), "missing cell unlabelled");
	ck_assert_msg(strstr(md, "Not drawn: type1, paravirt (unavailable)"),
		      "approaches left out not named");
	cpu = ut_slurp(tmpdir, "overhead-cpu.svg");
	io = ut_slurp(tmpdir, "overhead-io.svg");
	ck_assert_msg(svg_size(cpu, "height") > 1.5 * svg_size(io, "height"),
		      "12 rows drawn %g px high, 5 rows %g px", svg_size(cpu, "height"),
		      svg_size(io, "height"));
	free(cpu);
	free(io);
	free(dat);
	free(gp);
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/*
 * Fewer than 5 rounds: the table and the whiskers say range, never CI;
 * 5 or more: the header says 95% CI; a column of both names each cell's.
 */
START_TEST(overhead_intervals_named_for_what_they_are)
{
	static const char *const quick[] = {TCG_QUICK};
	static const char *const both[] = {RUN, LAB};
	char *md, *sec;

	if (!ut_have_gnuplot("overhead_intervals_named_for_what_they_are"))
		return;
	ut_tmpdir(tmpdir, sizeof(tmpdir), "charts");
	md = report_files(quick, 1);
	sec = section(md, "## Overhead vs bare");
	ck_assert_msg(!strstr(sec, "[1.85, 5.84]"), "a range of 2 rounds shown as a CI");
	free(sec);
	ck_assert_msg(strstr(md, "| type2: median, range of 2 rounds |"), "header");
	ck_assert_msg(strstr(md, "| **3.84, range 1.85 to 5.84** |"), "cell");
	ck_assert_msg(strstr(md, "whiskers: range of 2 rounds (too few for a confidence "
			     "interval)"), "caption");
	free(md);
	md = report_files(both, 2);
	ck_assert_msg(strstr(md, "| R1 crafted-lab1 container: median [95% CI] |"), "CI header");
	ck_assert_msg(strstr(md, "| 1.01 [0.963, 1.03] |"), "CI cell");
	ck_assert_msg(strstr(md, "1.93, range of 4 rounds: 1.83 to 1.99"), "range among CIs");
	ck_assert_msg(strstr(md, "**3.96, 95% CI: 3.91 to 4.22**"), "CI among ranges");
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/* Lifecycle and exits: a bar per row, across, each labelled, as high as the rows. */
START_TEST(bar_charts_across_sized_to_rows)
{
	static const char *const files[] = {RUN, LAB};
	char *md, *gp;

	if (!ut_have_gnuplot("bar_charts_across_sized_to_rows"))
		return;
	ut_tmpdir(tmpdir, sizeof(tmpdir), "charts");
	md = report_files(files, 2);
	fits_page("lifecycle");
	fits_page("exits");
	gp = ut_slurp(tmpdir, "lifecycle.gp");
	ck_assert_msg(strstr(gp, "with boxxyerror") && strstr(gp, "set yrange [6.5:-0.5]") &&
			      strstr(gp, "with labels"), "lifecycle: not 7 labelled bars across");
	ck_assert_msg(strstr(gp, "svg size 900,368 "), "lifecycle not sized to its 7 rows");
	free(gp);
	gp = ut_slurp(tmpdir, "exits.gp");
	ck_assert_msg(strstr(gp, "with boxxyerror") && strstr(gp, "set yrange [7.5:-0.5]") &&
			      strstr(gp, "with labels"), "exits: not 8 labelled bars across");
	free(gp);
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

Suite *suite_charts(void)
{
	Suite *s = suite_create("charts");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, chart_fits_page_text_as_large_as_tables);
	tcase_add_test(tc, overhead_dot_and_whisker_per_group);
	tcase_add_test(tc, overhead_intervals_named_for_what_they_are);
	tcase_add_test(tc, bar_charts_across_sized_to_rows);
	suite_add_tcase(s, tc);
	return s;
}
