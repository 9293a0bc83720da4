/* SPDX-License-Identifier: MIT */
/* `vbench history`: each metric over many result files; see histchart.h. */
#include "histchart.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../common/proto.h"
#include "chart.h"
#include "doc.h"
#include "history.h"
#include "report.h"

struct page {
	struct rp_timeline t;
	const struct rp_cmp_opts *o;
	struct rp_doc doc;
	char work[4096];        /* where the charts are made (chart.h) */
	const char *dir;
};

/* A value for a chart's data file: '?' where there is none. */
static void put_value(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "\t%.6g", v);
	else
		fputs("\t?", f);
}

/* The tic label of run k: when it started, or its place. */
static void tic_label(const struct page *p, size_t k, char *buf, size_t n)
{
	rp_run_when(p->t.runs[k], buf, n);
	if (!strcmp(buf, "undated"))
		snprintf(buf, n, "file %zu", k + 1);
}

/* NAME.dat of s; which of band, regressed, improved it has points of (bits 1, 2, 4). */
static int write_data(struct page *p, const struct rp_series *s, const char *name, char *err,
		      size_t n)
{
	FILE *f = rp_chart_data(p->work, name, err, n);
	char label[64];
	int has = 0;

	if (!f)
		return -1;
	fputs("x\tlabel\tmedian\tlo\thi\tregressed\timproved\n", f);
	for (size_t k = 0; k < p->t.n; k++) {
		tic_label(p, k, label, sizeof(label));
		rp_gp_safe(label);
		fprintf(f, "%zu\t%s", k, label);
		put_value(f, s->median[k]);
		put_value(f, s->lo[k]);
		put_value(f, s->hi[k]);
		put_value(f, s->flag[k] == RP_REGRESSED ? s->median[k] : NAN);
		put_value(f, s->flag[k] == RP_IMPROVED ? s->median[k] : NAN);
		fputc('\n', f);
		has |= (isfinite(s->lo[k]) ? 1 : 0) | (s->flag[k] == RP_REGRESSED ? 2 : 0) |
		       (s->flag[k] == RP_IMPROVED ? 4 : 0);
	}
	if (fclose(f)) {
		snprintf(err, n, "%s/%s.dat: write failed", p->work, name);
		return -1;
	}
	return has;
}

/* The gnuplot commands of s's chart NAME, whose data has the parts `has`. */
static void chart_body(const struct page *p, const struct rp_series *s, const char *name, int has,
		       char *body, size_t n)
{
	char title[600], unit[64], plot[2048] = "";
	/* at most about 24 tic labels: more would overlap at page width */
	size_t step = (p->t.n + 23) / 24;

	snprintf(title, sizeof(title), "%s: %s (%s is better)", s->backend, s->bench,
		 rp_higher_is_better(s->ref, s->bench) ? "higher" : "lower");
	snprintf(unit, sizeof(unit), "%s", vb_json_str(rp_workload(s->ref, s->bench), "unit", ""));
	rp_gp_safe(title);
	rp_gp_safe(unit);
	/* the band first, under the line */
	if (has & 1)
		rp_addf(plot, sizeof(plot), ", ", "'%s.dat' using 1:4:5 with filledcurves lc rgb "
			"'#9ecae1' title 'range of the earlier files'", name);
	rp_addf(plot, sizeof(plot), ", ", "'%s.dat' using 1:3:xtic(int($1) %% %zu == 0 ? "
		"stringcolumn(2) : '') with linespoints lc rgb '#333333' pt 7 ps 0.6 title "
		"'run median'", name, step);
	if (has & 2)
		rp_addf(plot, sizeof(plot), ", ", "'%s.dat' using 1:6 with points pt 7 ps 1.6 lc "
			"rgb '#d62728' title 'REGRESSED'", name);
	if (has & 4)
		rp_addf(plot, sizeof(plot), ", ", "'%s.dat' using 1:7 with points pt 7 ps 1.6 lc "
			"rgb '#2ca02c' title 'improved'", name);
	snprintf(body, n, "set title '%s' noenhanced\nset ylabel '%s' noenhanced\n"
		 "set xrange [-0.5:%zu.5]\nset xtics rotate by -30 noenhanced\nset grid ytics\n"
		 "set key below horizontal\nset style fill transparent solid 0.35 noborder\n"
		 "plot %s", title, unit, p->t.n - 1, plot);
}

/* The chart of s, or a note where no file has a number of it; 0 or -1 with err. */
static int put_series(struct page *p, const struct rp_series *s, size_t idx, char *err, size_t n)
{
	char name[160], prefix[32], part[600], body[4096], caption[1024], note[160];
	struct rp_hist_fit all;
	int has;

	if (!s->ref) {
		rp_doc_note(&p->doc, "%s: no ok sample in any file.", s->backend);
		return 0;
	}
	snprintf(prefix, sizeof(prefix), "history%zu", idx);
	snprintf(part, sizeof(part), "%s-%s", s->backend, s->bench);
	rp_chart_name(name, sizeof(name), prefix, part);
	has = write_data(p, s, name, err, n);
	if (has < 0)
		return -1;
	chart_body(p, s, name, has, body, sizeof(body));
	if (rp_chart_render(p->work, p->dir, name, 1000, 420, body, err, n))
		return -1;
	rp_history_fit(p->t.runs, p->t.n, s->ref, s->backend, s->bench, &all);
	snprintf(note, sizeof(note), "%zu files", all.runs);
	if (isfinite(all.spread))
		rp_addf(note, sizeof(note), ", ", "spread over them %.1f%%, noise bound %.1f%%",
			100 * all.spread, 100 * all.noise);
	if (all.left_out)
		rp_addf(note, sizeof(note), ", ", "%zu left out (not measured, or incomparable "
			"with the newest)", all.left_out);
	snprintf(caption, sizeof(caption), "%s, %s: run median per file (%s, %s is better; %s). "
		 "Band: the range of the earlier files' medians, from the 4th file on. Red: "
		 "REGRESSED, green: improved, as compare judged each file against the one before.",
		 s->backend, s->bench, vb_json_str(rp_workload(s->ref, s->bench), "unit", "?"),
		 rp_higher_is_better(s->ref, s->bench) ? "higher" : "lower", note);
	rp_doc_chart(&p->doc, name, caption);
	return 0;
}

/* The table of the points flagged, or a line saying there are none. */
static void put_flags(struct page *p)
{
	static const char *const head[] = {"file", "started", "backend", "workload", "change",
					   "p", "threshold", "verdict"};
	char when[32], change[32], pv[16], thr[160], note[96];

	if (!p->t.nflags) {
		rp_doc_para(&p->doc, "No point flagged: no file regressed or improved on the one "
			    "before it.");
		return;
	}
	rp_doc_table(&p->doc, 8, head);
	for (size_t i = 0; i < p->t.nflags; i++) {
		const struct rp_cmp *c = &p->t.flags[i];
		const char *cls = c->verdict == RP_REGRESSED ? "slower" : "faster";
		const char *cells[8], *classes[8] = {NULL, NULL, NULL, NULL, cls, NULL, NULL, cls};

		snprintf(change, sizeof(change), "%+.1f%%", 100 * c->change);
		snprintf(thr, sizeof(thr), "%.1f%%", 100 * c->threshold);
		if (rp_cmp_has_history(c))
			rp_addf(thr, sizeof(thr), " ", "(%s)", rp_hist_note(note, sizeof(note), c));
		cells[0] = p->t.runs[p->t.flag_run[i]]->path;
		cells[1] = rp_run_when(p->t.runs[p->t.flag_run[i]], when, sizeof(when));
		cells[2] = c->backend;
		cells[3] = c->bench;
		cells[4] = change;
		cells[5] = rp_fmt_p(pv, sizeof(pv), c->p);
		cells[6] = thr;
		cells[7] = rp_verdict_name(c->verdict);
		rp_doc_row(&p->doc, 8, cells, classes);
	}
	rp_doc_table_end(&p->doc);
}

static void intro(struct page *p)
{
	char first[32], last[32];

	rp_doc_para(&p->doc, "%zu result files, %s to %s, oldest first (by meta.started). Each "
		    "file is compared with the one before it as vbench compare does (alpha %g, min "
		    "effect %g%%); from the 4th file on, each metric's threshold is its noise bound "
		    "over the earlier files (the 99%% bound on a change between two runs, from "
		    "the standard deviation of their logged run medians) where that is larger, as compare "
		    "--history sets it. %zu point%s flagged.", p->t.n,
		    rp_run_when(p->t.runs[0], first, sizeof(first)),
		    rp_run_when(p->t.runs[p->t.n - 1], last, sizeof(last)), p->o->alpha,
		    100 * p->o->min_effect, p->t.nflags, p->t.nflags == 1 ? "" : "s");
	put_flags(p);
}

/* One section per workload, a chart per backend; 0 or -1 with err. */
static int sections(struct page *p, char *err, size_t n)
{
	size_t i, k;
	json_t *b;

	json_array_foreach(p->t.benches, i, b) {
		rp_doc_heading(&p->doc, 2, "%s", json_string_value(b));
		for (k = 0; k < p->t.ns; k++)
			if (!strcmp(p->t.s[k].bench, json_string_value(b)) &&
			    put_series(p, &p->t.s[k], k, err, n))
				return -1;
	}
	return 0;
}

/* The page into DIR (made, and the charts' work dir, already); 0 or -1 with err. */
static int write_page(struct page *p, char *err, size_t n)
{
	char title[64];

	snprintf(title, sizeof(title), "vbench history: %zu runs", p->t.n);
	if (rp_doc_open(&p->doc, p->dir, title, err, n))
		return -1;
	intro(p);
	if (sections(p, err, n)) {
		rp_doc_discard(&p->doc);
		return -1;
	}
	return rp_doc_close(&p->doc, err, n);
}

int rp_history_write(const struct rp_run *const *runs, size_t n, const struct rp_cmp_opts *o,
		     const char *dir, size_t *flagged, char *err, size_t errlen)
{
	struct page p = {.o = o, .dir = dir};
	int rc = -1;

	if (rp_timeline_build(&p.t, runs, n, o)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (rp_report_dir(dir, err, errlen) ||
	    rp_chart_workdir(dir, p.work, sizeof(p.work), err, errlen))
		goto out;
	rc = write_page(&p, err, errlen);
	rp_chart_workdir_remove(p.work);
	if (flagged)
		*flagged = p.t.nflags;
out:
	rp_timeline_free(&p.t);
	return rc;
}
