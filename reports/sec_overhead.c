/* SPDX-License-Identifier: MIT */
/* Section: slowdown vs the baseline per workload and approach, table and chart. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/proto.h"
#include "chart.h"
#include "report.h"

#define MAX_SERIES 48

struct series {
	int run;
	const char *backend;
	char label[80];
};

/*
 * Every (run, approach) that the run knows and compares against a
 * baseline, in display order; *all counts those that did not fit too.
 */
static int list_series(const struct rp_report *rp, struct series *s, int *all)
{
	int n = 0;
	size_t i;
	json_t *b;

	json_array_foreach(rp->backends, i, b) {
		const char *name = json_string_value(b);

		for (int r = 0; r < rp->nruns; r++) {
			if (!rp_backend(&rp->runs[r], name) || !rp_baseline(&rp->runs[r], name) ||
			    ++*all > MAX_SERIES)
				continue;
			s[n].run = r;
			s[n].backend = name;
			rp_series(rp, r, name, s[n].label, sizeof(s[n].label));
			rp_gp_safe(s[n].label);
			n++;
		}
	}
	return n;
}

/* The slowdown of a series on bench, where it is against a baseline in its own place. */
static int slowdown(const struct rp_report *rp, const struct series *s, const char *bench,
		    double *med, double *lo, double *hi)
{
	const struct rp_run *r = &rp->runs[s->run];

	if (!rp_has_comparable_baseline(r, s->backend))
		return -1;
	return rp_slowdown(r, s->backend, bench, med, lo, hi);
}

/* The cell of one (series, workload): the slowdown or why there is none. */
static const char *cell(const struct rp_report *rp, const struct series *s, const char *bench,
			char *buf, size_t n, const char **cls)
{
	const struct rp_run *r = &rp->runs[s->run];
	double med, lo, hi;
	char a[32], b[32], c[32];

	*cls = "na";
	if (!rp_backend_ok(r, s->backend))
		snprintf(buf, n, "%s", vb_json_str(rp_backend(r, s->backend), "status", "absent"));
	else if (!rp_workload(r, bench) && !rp_summary(r, s->backend, bench))
		snprintf(buf, n, "not in this run");
	else if (!rp_has_comparable_baseline(r, s->backend))
		snprintf(buf, n, "not compared: ran in the emulated lab, its baseline %.40s on this "
			 "host", rp_baseline(r, s->backend));
	else if (!rp_slowdown(r, s->backend, bench, &med, &lo, &hi)) {
		snprintf(buf, n, "%s [%s, %s]", rp_num(med, a, sizeof(a)), rp_num(lo, b, sizeof(b)),
			 rp_num(hi, c, sizeof(c)));
		/* Colour only what the interval shows: the whole CI on one side of 1. */
		*cls = lo > 1 ? "slower" : hi < 1 ? "faster" : NULL;
	} else {
		rp_no_slowdown_why(r, s->backend, bench, buf, n);
	}
	return buf;
}

static void table(struct rp_report *rp, const struct series *s, int ns)
{
	const char *head[MAX_SERIES + 1], *cells[MAX_SERIES + 1], *cls[MAX_SERIES + 1];
	char buf[MAX_SERIES][160];
	size_t i;
	json_t *w;

	head[0] = "workload";
	for (int k = 0; k < ns; k++)
		head[k + 1] = s[k].label;
	rp_doc_table(&rp->doc, ns + 1, head);
	json_array_foreach(rp->benches, i, w) {
		cells[0] = json_string_value(w);
		cls[0] = NULL;
		for (int k = 0; k < ns; k++)
			cells[k + 1] = cell(rp, &s[k], cells[0], buf[k], sizeof(buf[k]), &cls[k + 1]);
		rp_doc_row(&rp->doc, ns + 1, cells, cls);
	}
	rp_doc_table_end(&rp->doc);
}

static void chart(struct rp_report *rp, const struct series *s, int ns)
{
	int used[MAX_SERIES] = {0}, nused = 0, rows = 0, col = 2;
	double ymin = 0.9, ymax = 1.1, med, lo, hi;
	char *body = NULL, caption[200], base[80];
	size_t len = 0, i;
	FILE *dat, *gp;
	json_t *w;

	for (int k = 0; k < ns; k++)
		json_array_foreach(rp->benches, i, w)
			if (!slowdown(rp, &s[k], json_string_value(w), &med, &lo, &hi) && lo > 0) {
				used[k] = 1;
				ymin = fmin(ymin, lo);
				ymax = fmax(ymax, hi);
			}
	for (int k = 0; k < ns; k++)
		nused += used[k];
	if (!nused) {
		rp_doc_note(&rp->doc, "No chart: no approach has a slowdown against %s in %s.",
			    rp_baseline_name(rp), rp->nruns > 1 ? "these runs" : "this run");
		return;
	}
	dat = rp_report_data(rp, "overhead");
	if (!dat)
		return;
	/* gnuplot strings in single quotes: the name made safe for them */
	snprintf(base, sizeof(base), "%s", rp_baseline_name(rp));
	rp_gp_safe(base);
	fprintf(dat, "workload");
	for (int k = 0; k < ns; k++)
		if (used[k])
			fprintf(dat, "\t%s\t%s lo\t%s hi", s[k].label, s[k].label, s[k].label);
	fputc('\n', dat);
	json_array_foreach(rp->benches, i, w) {
		char name[80];

		snprintf(name, sizeof(name), "%s", json_string_value(w));
		rp_gp_safe(name);
		fprintf(dat, "%s", name);
		for (int k = 0; k < ns; k++) {
			if (!used[k])
				continue;
			if (!slowdown(rp, &s[k], json_string_value(w), &med, &lo, &hi) && lo > 0)
				fprintf(dat, "\t%g\t%g\t%g", med, lo, hi);
			else
				fprintf(dat, "\t?\t?\t?");
		}
		fputc('\n', dat);
		rows++;
	}
	fclose(dat);
	gp = open_memstream(&body, &len);
	if (!gp) {
		rp->failed = 1;
		snprintf(rp->err, sizeof(rp->err), "out of memory");
		return;
	}
	fprintf(gp, "set title 'Slowdown vs %s: median with 95%% CI (log scale; > 1 is slower)'\n"
		"set style data histogram\nset style histogram errorbars gap 1 lw 1\n"
		"set style fill solid 0.85 border -1\nset logscale y\nset yrange [%g:%g]\n"
		"set ylabel 'slowdown (x %s)'\nset grid ytics\nset key outside right top\n"
		"set xtics rotate by -30 scale 0\n"
		"set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb '#333333'\n"
		"plot ", base, ymin / 1.3, ymax * 1.3, base);
	for (int k = 0; k < ns; k++) {
		if (!used[k])
			continue;
		fprintf(gp, "%s'overhead.dat' using %d:%d:%d%s title '%s'", col > 2 ? ", \\\n     " : "",
			col, col + 1, col + 2, col == 2 ? ":xtic(1)" : "", s[k].label);
		col += 3;
	}
	fputc('\n', gp);
	fclose(gp);
	snprintf(caption, sizeof(caption), "Slowdown vs %s per workload and approach (log scale; "
		 "error bars: 95%% CI)", rp_baseline_name(rp));
	rp_report_chart(rp, "overhead", 300 + 60 * rows * (nused < 3 ? 1 : nused / 2), 480, body,
			caption);
	free(body);
}

/* Only baselines (or approaches without one) ran: name them. */
static void nothing_to_compare(struct rp_report *rp)
{
	char names[512] = "";
	size_t i, len = 0;
	json_t *b;

	json_array_foreach(rp->backends, i, b)
		if (len < sizeof(names))
			len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
						i ? ", " : "", json_string_value(b));
	rp_doc_note(&rp->doc, "Nothing to compare: only %s ran.", names[0] ? names : "nothing");
}

void rp_sec_overhead(struct rp_report *rp)
{
	struct series s[MAX_SERIES];
	int all = 0, ns = list_series(rp, s, &all);

	rp_doc_heading(&rp->doc, 2, "Overhead vs %s", rp_baseline_name(rp));
	rp_doc_para(&rp->doc, "Each cell: median slowdown over the paired rounds with its 95%% "
		    "bootstrap confidence interval. Red: slower than %s, green: faster, and only "
		    "where the whole interval lies on that side of 1; uncoloured differences are "
		    "within the noise.", rp_baseline_name(rp));
	if (rp->lab)
		rp_doc_para(&rp->doc, "Columns marked (lab) are against the lab's own bare, L1 "
			    "itself. Inside the lab the bare machine and the guests' own code all run "
			    "under TCG, while every VM exit also runs L1's KVM under TCG: exit-heavy "
			    "workloads show ratios far beyond hardware's. They say which approach pays "
			    "more, and for what, not what it costs on hardware.");
	if (!ns) {
		nothing_to_compare(rp);
		return;
	}
	if (all > ns)
		rp_doc_note(&rp->doc, "Only %d of %d (run, approach) columns fit; report fewer "
			    "result files at once to see the rest.", ns, all);
	table(rp, s, ns);
	chart(rp, s, ns);
}
