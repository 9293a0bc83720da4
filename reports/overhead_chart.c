/* SPDX-License-Identifier: MIT */
/*
 * The overhead charts: one per group of workloads (cpu, mem, io), each
 * workload a band of rows, each approach a dot at its median slowdown with
 * whiskers for its interval, on a log axis with the line at 1.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/proto.h"
#include "chart.h"
#include "compare.h"
#include "overhead.h"

/* 1 when bench is in group (its name up to the first dot). */
static int in_group(const char *bench, const char *group)
{
	size_t len = strlen(group);

	return !strncmp(bench, group, len) && (bench[len] == '.' || !bench[len]);
}

/* The slowdown of (series, bench) when it can be drawn on a log axis. */
static int drawable(const struct rp_report *rp, const struct rp_ov_series *s, const char *bench,
		    double *med, double *lo, double *hi)
{
	return !rp_ov_slowdown(rp, s, bench, med, lo, hi) && *lo > 0 && isfinite(*hi);
}

/* One group's chart: its rows, the series drawn and the x range. */
struct group_chart {
	const char *group;
	char name[64];
	int rows;
	int used[RP_OV_MAX_SERIES], nused;
	double xmin, xmax;
	char interval[64];      /* what every whisker is, in words; "" where they differ */
	int mixed;
};

/* Rows, series drawn, x range and the intervals' words of c->group. */
static void measure(const struct rp_report *rp, const struct rp_ov_series *s, int ns,
		    struct group_chart *c)
{
	double med, lo, hi;
	char words[64];
	size_t i;
	json_t *w;

	c->xmin = c->xmax = 1;
	json_array_foreach(rp->benches, i, w) {
		const char *bench = json_string_value(w);

		if (!in_group(bench, c->group))
			continue;
		c->rows++;
		for (int k = 0; k < ns; k++) {
			if (!drawable(rp, &s[k], bench, &med, &lo, &hi))
				continue;
			c->nused += !c->used[k];
			c->used[k] = 1;
			c->xmin = fmin(c->xmin, lo);
			c->xmax = fmax(c->xmax, hi);
			rp_interval_words(&rp->runs[s[k].run], s[k].backend, bench, words,
					  sizeof(words));
			if (c->interval[0] && strcmp(c->interval, words))
				c->mixed = 1;
			snprintf(c->interval, sizeof(c->interval), "%s", words);
		}
	}
	/* room for the whiskers' ends and the notes, which start at the left edge */
	c->xmin /= 2.5;
	c->xmax *= 1.6;
}

/* The y of drawn series j (of nused) in row k: spread over the row's middle 80%. */
static double row_y(int k, int j, int nused)
{
	return k + (j + 0.5) / nused * 0.8 - 0.4;
}

/* Block 0 of NAME.dat: row, workload, then median, lo, hi of each series drawn ('?': none). */
static void values_block(const struct rp_report *rp, const struct rp_ov_series *s, int ns,
			 const struct group_chart *c, FILE *dat)
{
	char name[80];
	double med, lo, hi;
	int row = 0;
	size_t i;
	json_t *w;

	fprintf(dat, "row\tworkload");
	for (int k = 0; k < ns; k++)
		if (c->used[k])
			fprintf(dat, "\t%s\t%s lo\t%s hi", s[k].label, s[k].label, s[k].label);
	fputc('\n', dat);
	json_array_foreach(rp->benches, i, w) {
		if (!in_group(json_string_value(w), c->group))
			continue;
		snprintf(name, sizeof(name), "%s", json_string_value(w));
		rp_gp_safe(name);
		fprintf(dat, "%d\t%s", row++, name);
		for (int k = 0; k < ns; k++)
			if (!c->used[k])
				continue;
			else if (drawable(rp, &s[k], json_string_value(w), &med, &lo, &hi))
				fprintf(dat, "\t%g\t%g\t%g", med, lo, hi);
			else
				fprintf(dat, "\t?\t?\t?");
		fputc('\n', dat);
	}
}

/*
 * Block 1 of NAME.dat, where a series drawn misses a workload: at the y of
 * that point, why ("type2: no ratio (bare unsupported ...)"); how many.
 */
static int notes_block(const struct rp_report *rp, const struct rp_ov_series *s, int ns,
		       const struct group_chart *c, FILE *dat)
{
	char why[200], note[200];
	double med, lo, hi;
	int row = 0, notes = 0;
	size_t i;
	json_t *w;

	json_array_foreach(rp->benches, i, w) {
		int j = 0;

		if (!in_group(json_string_value(w), c->group))
			continue;
		for (int k = 0; k < ns; k++) {
			if (!c->used[k])
				continue;
			if (!drawable(rp, &s[k], json_string_value(w), &med, &lo, &hi)) {
				if (!rp_ov_no_slowdown(rp, &s[k], json_string_value(w), why,
						 sizeof(why)))
					snprintf(why, sizeof(why), "its interval reaches 0");
				/* one line of the chart: long reasons are in the table */
				snprintf(note, sizeof(note), "%s: %.70s%s", s[k].label, why,
					 strlen(why) > 70 ? "..." : "");
				rp_gp_safe(note);
				fprintf(dat, "%s%g\t%s\n", notes++ ? "" : "\n\ny\tnote\n",
					row_y(row, j, c->nused), note);
			}
			j++;
		}
		row++;
	}
	return notes;
}

/* NAME.dat of c's chart: 1 when it has notes (block 1), 0, or -1 (error remembered). */
static int chart_data(struct rp_report *rp, const struct rp_ov_series *s, int ns,
		      const struct group_chart *c)
{
	FILE *dat = rp_report_data(rp, c->name);
	int notes;

	if (!dat)
		return -1;
	values_block(rp, s, ns, c, dat);
	notes = notes_block(rp, s, ns, c, dat);
	fclose(dat);
	return notes > 0;
}

/* x tics at 1, 2 and 5 times the powers of 10 in range, or the powers alone if many. */
static void ratio_tics(FILE *gp, double xmin, double xmax)
{
	static const double mant[] = {1, 2, 5};
	int first = (int)floor(log10(xmin)), last = (int)ceil(log10(xmax));
	int all = log10(xmax / xmin) <= 3.5;
	const char *sep = "";

	fprintf(gp, "set xtics (");
	for (int e = first; e <= last; e++)
		for (int m = 0; m < (all ? 3 : 1); m++) {
			double v = mant[m] * pow(10, e);

			if (v < xmin || v > xmax)
				continue;
			fprintf(gp, "%s'%g' %g", sep, v, v);
			sep = ", ";
		}
	fprintf(gp, ")\n");
}

/* The workloads of the group as y tic labels, row 0 at the top. */
static void row_tics(const struct rp_report *rp, const struct group_chart *c, FILE *gp)
{
	char name[80];
	int row = 0;
	size_t i;
	json_t *w;

	fprintf(gp, "set ytics (");
	json_array_foreach(rp->benches, i, w)
		if (in_group(json_string_value(w), c->group)) {
			snprintf(name, sizeof(name), "%s", json_string_value(w));
			rp_gp_safe(name);
			fprintf(gp, "%s'%s' %d", row ? ", " : "", name, row);
			row++;
		}
	fprintf(gp, ")\n");
	rp_chart_rows(gp, c->rows);
}

/* Distinct colours and point types for up to 8 series, then again. */
static const char *const colour[] = {"#1f5fa8", "#e07b00", "#7b3fa0", "#1a9a8a",
				     "#8c564b", "#c2377a", "#5a5a5a", "#8a8a00"};
static const int point[] = {7, 5, 9, 13, 11, 15, 7, 5};

/* The gnuplot commands of c's chart, whose data has notes (block 1) if notes. */
static char *chart_body(const struct rp_report *rp, const struct rp_ov_series *s, int ns,
			const struct group_chart *c, const char *base, int notes)
{
	char *body = NULL, group[64];
	size_t len = 0;
	int j = 0;
	FILE *gp = open_memstream(&body, &len);

	if (!gp)
		return NULL;
	snprintf(group, sizeof(group), "%s", c->group);
	rp_gp_safe(group);
	fprintf(gp, "set title '%s workloads: slowdown vs %s'\nset logscale x\n"
		"set xrange [%g:%g]\nset xlabel 'slowdown (x %s, log scale): left of 1 faster, "
		"right of 1 slower'\nset grid xtics lc rgb '#dddddd'\n"
		"set key below horizontal height 1\nset errorbars large\n"
		"set arrow from 1, graph 0 to 1, graph 1 nohead lw 2 lc rgb '#333333' back\n",
		group, base, c->xmin, c->xmax, base);
	ratio_tics(gp, c->xmin, c->xmax);
	row_tics(rp, c, gp);
	fprintf(gp, "plot ");
	for (int k = 0; k < ns; k++) {
		if (!c->used[k])
			continue;
		fprintf(gp, "%s'%s.dat' index 0 using %d:($1%+g):%d:%d with xerrorbars lw 2 pt %d "
			"ps 1.4 lc rgb '%s' title '%s'", j ? ", \\\n     " : "", c->name, 3 + 3 * j,
			row_y(0, j, c->nused), 4 + 3 * j, 5 + 3 * j, point[j % 8], colour[j % 8],
			s[k].label);
		j++;
	}
	if (notes)
		fprintf(gp, ", \\\n     '%s.dat' index 1 using (%g):1:2 with labels left "
			"tc rgb '#555555' notitle", c->name, c->xmin * 1.1);
	fputc('\n', gp);
	fclose(gp);
	return body;
}

/* Why series k has nothing drawn in c's chart: what its first workload there lacks. */
static void why_left_out(const struct rp_report *rp, const struct rp_ov_series *s,
			 const struct group_chart *c, char *why, size_t n)
{
	size_t i;
	json_t *w;

	snprintf(why, n, "no slowdown");
	json_array_foreach(rp->benches, i, w)
		if (in_group(json_string_value(w), c->group) &&
		    rp_ov_no_slowdown(rp, s, json_string_value(w), why, n))
			return;
}

/* The series left out of c's chart, grouped by why, for its caption. */
static void left_out(const struct rp_report *rp, const struct rp_ov_series *s, int ns,
		     const struct group_chart *c, char *buf, size_t n)
{
	char why[RP_OV_MAX_SERIES][200], names[300];
	int done[RP_OV_MAX_SERIES] = {0};

	for (int k = 0; k < ns; k++)
		if (!c->used[k])
			why_left_out(rp, &s[k], c, why[k], sizeof(why[k]));
	buf[0] = 0;
	for (int k = 0; k < ns; k++) {
		if (c->used[k] || done[k])
			continue;
		names[0] = 0;
		for (int m = k; m < ns; m++)
			if (!c->used[m] && !done[m] && !strcmp(why[m], why[k])) {
				rp_addf(names, sizeof(names), ", ", "%s", s[m].label);
				done[m] = 1;
			}
		rp_addf(buf, n, "; ", "%s (%s)", names, why[k]);
	}
}

/* What the whiskers of c are, in words for its caption. */
static const char *whiskers(const struct group_chart *c)
{
	if (c->mixed)
		return "the 95% bootstrap confidence interval of the median where a workload has "
		       "5 rounds or more, else the range of its rounds (the table says which)";
	if (rp_ov_is_range(c->interval))
		return c->interval;
	return "the 95% bootstrap confidence interval of the median";
}

static void chart(struct rp_report *rp, const struct rp_ov_series *s, int ns, const char *group)
{
	struct group_chart c = {.group = group};
	char base[80], caption[1400], out[900], *body;
	int notes;

	measure(rp, s, ns, &c);
	if (!c.nused) {
		rp_doc_note(&rp->doc, "No %s chart: no approach has a slowdown against %s for a %s "
			    "workload.", group, rp_baseline_name(rp), group);
		return;
	}
	rp_chart_name(c.name, sizeof(c.name), "overhead", group);
	/* gnuplot strings in single quotes: the name made safe for them */
	snprintf(base, sizeof(base), "%s", rp_baseline_name(rp));
	rp_gp_safe(base);
	notes = chart_data(rp, s, ns, &c);
	if (notes < 0)
		return;
	body = chart_body(rp, s, ns, &c, base, notes);
	if (!body) {
		rp->failed = 1;
		snprintf(rp->err, sizeof(rp->err), "out of memory");
		return;
	}
	snprintf(caption, sizeof(caption), "%s workloads: median slowdown vs %s per approach "
		 "(dot), whiskers: %s%s; log scale, the line at 1 is %s's speed.", group,
		 rp_baseline_name(rp), whiskers(&c), !c.mixed && rp_ov_is_range(c.interval) ?
		 " (too few for a confidence interval)" : "", rp_baseline_name(rp));
	left_out(rp, s, ns, &c, out, sizeof(out));
	if (out[0])
		rp_addf(caption, sizeof(caption), " ", "Not drawn: %s.", out);
	/* a band per workload, a line per series in it; title, key and x axis around them */
	rp_report_chart(rp, c.name, 1000, 150 + 26 * ((c.nused + 3) / 4) +
			c.rows * (22 * c.nused + 12), body, caption);
	free(body);
}

void rp_ov_charts(struct rp_report *rp, const struct rp_ov_series *s, int ns)
{
	json_t *seen = json_object(), *w;
	char group[64];
	size_t i;

	json_array_foreach(rp->benches, i, w) {
		rp_group_of(json_string_value(w), group, sizeof(group));
		if (json_object_get(seen, group))
			continue;
		json_object_set_new(seen, group, json_true());
		chart(rp, s, ns, group);
	}
	json_decref(seen);
}
