/* SPDX-License-Identifier: MIT */
/*
 * Section: Lifecycle: start. life.start per (run, approach): launches,
 * start to hello (median, p95), each phase's median, the kind's floor and
 * the ratio to it against the target for the kind; its chart "lifecycle".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/proto.h"
#include "approaches.h"
#include "chart.h"
#include "experiments.h"
#include "report.h"

/* At most this many times the floor (issue 16): a container's runtime, a VM's boot. */
#define CONTAINER_TARGET 1.2
#define VM_TARGET 1.1
#define MAX_PHASES 32     /* a VM's init reports a phase per kernel module */
/* The most one phase takes in phases_text: its name (at most 60 bytes), a number, "; ". */
#define PHASE_TEXT_MAX 80
#define COLS 10

/* The target ratio for be's kind (by its traits), or NAN: the host has none. */
static double target_of(const struct rp_run *r, const char *be)
{
	return rp_is_kind(r, be, VB_KIND_CONTAINER) ? CONTAINER_TARGET
	       : rp_is_kind(r, be, VB_KIND_VM) ? VM_TARGET : NAN;
}

/* The target as text: "1.2x", "none (the host)", or "-" without traits. */
static const char *target_text(const struct rp_run *r, const char *be, char *buf, size_t n)
{
	double target = target_of(r, be);

	if (!isfinite(target))
		return rp_is_kind(r, be, VB_KIND_HOST) ? "none (the host)" : "-";
	snprintf(buf, n, "%.1fx", target);
	return buf;
}

/* A count as text, "-" where there is none. */
static const char *count_text(long long k, char *buf, size_t n)
{
	if (k <= 0)
		return "-";
	snprintf(buf, n, "%lld", k);
	return buf;
}

/* "name 1.23; name 45.6" of the phases' medians (ms), in the file's order. */
static const char *phases_text(const json_t *e, char *buf, size_t n)
{
	size_t i, len = 0;
	json_t *ph;
	char num[32];

	buf[0] = 0;
	json_array_foreach(json_object_get(e, "phases"), i, ph) {
		/* room for this one and a "; ..." after it, or that instead */
		if (i == MAX_PHASES || len + 2 * PHASE_TEXT_MAX >= n) {
			snprintf(buf + len, n - len, "; ...");
			break;
		}
		len += (size_t)snprintf(buf + len, n - len, "%s%.60s %s", len ? "; " : "",
					vb_json_str(ph, "name", "?"),
					rp_num(rp_dist_median(ph, "ms"), num, sizeof(num)));
	}
	return buf[0] ? buf : "not recorded";
}

/* The floor in words ("crun run, 10 launches", or why none); its median in *ms. */
static const char *floor_text(const json_t *fl, double *ms, char *buf, size_t n)
{
	struct rp_dist d;
	char num[32];

	rp_dist(fl, "ms", &d);
	*ms = d.median;
	if (json_is_string(json_object_get(fl, "unavailable")))
		snprintf(buf, n, "unavailable: %s", vb_json_str(fl, "unavailable", ""));
	else if (json_is_string(json_object_get(fl, "failed")) && !isfinite(d.median))
		snprintf(buf, n, "failed: %s", vb_json_str(fl, "failed", ""));
	else if (isfinite(d.median))
		snprintf(buf, n, "%s, %s launches%s%s", vb_json_str(fl, "what", "?"),
			 count_text(d.n, num, sizeof(num)),
			 json_is_string(json_object_get(fl, "failed_later")) ?
			 "; then failed: " : "", vb_json_str(fl, "failed_later", ""));
	else
		snprintf(buf, n, "not recorded");
	return buf;
}

/* Its ratio to the floor against its kind's target: "meets" / "misses" or "-". */
static const char *verdict(double ratio, double target, const char **cls)
{
	*cls = NULL;
	if (!isfinite(ratio) || !isfinite(target))
		return "-";
	*cls = ratio <= target ? "holds" : "fails";
	return ratio <= target ? "meets" : "misses";
}

static int has_start(const json_t *e)
{
	return isfinite(rp_dist_median(e, "start_ms"));
}

/* The table row of an entry with a start median (has_start); first: open the table. */
static void start_row(struct rp_report *rp, int run, const char *be, const json_t *e,
		      int first)
{
	static const char *const head[COLS] = {
		"approach", "launches", "start median (ms)", "p95 (ms)", "phases (median ms)",
		"floor", "floor median (ms)", "ratio to floor", "target", "verdict"};
	const struct rp_run *r = &rp->runs[run];
	char series[160], b[COLS][1024], phases[MAX_PHASES * PHASE_TEXT_MAX], num[32];
	const char *cells[COLS], *cls[COLS] = {NULL};
	double fl_ms, ratio;
	struct rp_dist d;

	rp_dist(e, "start_ms", &d);
	if (first)
		rp_doc_table(&rp->doc, COLS, head);
	cells[0] = rp_series(rp, run, be, series, sizeof(series));
	cells[1] = count_text(d.n, b[1], sizeof(b[1]));
	cells[2] = rp_num(d.median, b[2], sizeof(b[2]));
	cells[3] = rp_num(d.p95, b[3], sizeof(b[3]));
	cells[4] = phases_text(e, phases, sizeof(phases));
	cells[5] = floor_text(json_object_get(e, "floor"), &fl_ms, b[5], sizeof(b[5]));
	cells[6] = rp_num(fl_ms, b[6], sizeof(b[6]));
	/* from the medians shown, so that the three cells agree */
	ratio = fl_ms > 0 ? d.median / fl_ms : NAN;
	snprintf(b[7], sizeof(b[7]), "%sx", rp_num(ratio, num, sizeof(num)));
	cells[7] = isfinite(ratio) ? b[7] : "-";
	cells[8] = target_text(r, be, b[8], sizeof(b[8]));
	cells[9] = verdict(ratio, target_of(r, be), &cls[9]);
	rp_doc_row(&rp->doc, COLS, cells, cls);
}

/* A chart row: the median of life.start, else the one start; its floor's median or NAN. */
static double chart_value(const struct rp_run *r, const char *be, double *fl, int *one)
{
	const json_t *e = rp_exp(r, be, RP_EXP_START);
	double med = rp_dist_median(e, "start_ms");

	*fl = rp_dist_median(json_object_get(e, "floor"), "ms");
	*one = !isfinite(med);
	if (*one && rp_backend_ok(r, be))
		med = rp_measure(rp_backend(r, be), "start_ms");
	return med;
}

/* A value and its label ("<pre>1.23 ms<post>") in the chart's data; '?' for none > 0 (log axis). */
static void put_bar(FILE *dat, double v, const char *pre, const char *post)
{
	char num[32];

	if (v > 0 && isfinite(v))
		fprintf(dat, "\t%g\t%s%s ms%s", v, pre, rp_num(v, num, sizeof(num)), post);
	else
		fputs("\t?\t?", dat);
}

/* lifecycle.dat: row, approach, start, its label, floor, its label; rows written. */
static int chart_data(struct rp_report *rp, FILE *dat, double *lo, double *hi, int *floors)
{
	char series[160];
	int rows = 0, one;
	size_t i;
	json_t *b;

	fprintf(dat, "row\tapproach\tstart_ms\tlabel\tfloor_ms\tfloor_label\n");
	for (int run = 0; run < rp->nruns; run++)
		json_array_foreach(rp->backends, i, b) {
			const char *be = json_string_value(b);
			double fl, ms = chart_value(&rp->runs[run], be, &fl, &one);

			if (!(ms > 0 && isfinite(ms)))
				continue;
			rp_series(rp, run, be, series, sizeof(series));
			rp_gp_safe(series);
			fprintf(dat, "%d\t%s", rows++, series);
			put_bar(dat, ms, "", one ? " (1 start)" : "");
			put_bar(dat, fl, "floor ", "");
			*floors += fl > 0 && isfinite(fl);
			fputc('\n', dat);
			*lo = fmin(*lo, fl > 0 ? fmin(ms, fl) : ms);
			*hi = fmax(*hi, fmax(ms, fl > 0 ? fl : 0));
		}
	return rows;
}

/* The gnuplot commands: bars from the axis's left end on a log scale, floors beneath. */
static void chart_body(FILE *gp, int rows, double lo, double hi, int floors)
{
	double left = pow(10, floor(log10(lo)));

	/* a decade and more to the right of the longest bar, for its label */
	fprintf(gp, "set title 'Start to hello, median per approach (ms, log scale)'\n"
		"set xlabel 'ms from start to the agent''s hello (log scale)'\n"
		"set logscale x\nset xrange [%g:%g]\nset format x '%%g'\n"
		"set style fill solid 0.85 border -1\nset grid xtics lc rgb '#dddddd'\n%s",
		left, hi * 30, floors ? "set key below horizontal height 1\n" : "unset key\n");
	rp_chart_rows(gp, rows);
	fprintf(gp, "plot 'lifecycle.dat' using 3:1:(%g):3:($1-%s):($1+%s):ytic(2) with boxxyerror "
		"lc rgb '#5a9a5a' title 'start (median)', \\\n"
		"     '' using 3:($1-%s):4 with labels left offset 0.5,0 notitle",
		left, floors ? "0.36" : "0.3", floors ? "0.04" : "0.3", floors ? "0.16" : "0");
	if (floors)
		fprintf(gp, ", \\\n     '' using 5:1:(%g):5:($1+0.08):($1+0.36) with boxxyerror "
			"lc rgb '#9dbbe0' title 'floor (median)', \\\n"
			"     '' using 5:($1+0.22):6 with labels left offset 0.5,0 notitle", left);
	fputc('\n', gp);
}

static void start_chart(struct rp_report *rp)
{
	double lo = INFINITY, hi = 0;
	int rows, floors = 0;
	char *body = NULL;
	size_t len = 0;
	FILE *dat = rp_report_data(rp, "lifecycle"), *gp;

	if (!dat)
		return;
	rows = chart_data(rp, dat, &lo, &hi, &floors);
	fclose(dat);
	if (!rows || !(gp = open_memstream(&body, &len)))
		return;
	chart_body(gp, rows, lo, hi, floors);
	fclose(gp);
	/* with floors, two bars and two labels a row, and the key */
	rp_report_chart(rp, "lifecycle", 900, floors ? RP_CHART_HBARS_HEIGHT(2 * rows) + 30 :
			RP_CHART_HBARS_HEIGHT(rows),
			body, "Start to hello per approach: the median over life.start's launches "
			"(an approach without them: the one start of its instance, \"1 start\"), "
			"its floor beneath it where measured. Log scale: containers start in "
			"milliseconds, VMs in seconds.");
	free(body);
}

void rp_sec_life_start(struct rp_report *rp)
{
	rp_doc_heading(&rp->doc, 2, "Lifecycle: start");
	rp_doc_para(&rp->doc, "life.start launches each approach many times, one after another, "
		    "and times each launch from the backend's start to the agent's hello inside "
		    "(for a VM: its boot), with the phases that can be seen: the backend's own "
		    "steps (a runtime's run, QEMU up to its monitor), then, in a VM, "
		    "the guest's clock: firmware and early kernel, kernel, init and agent; "
		    "elsewhere the rest up to hello. After each launch it times the kind's floor, "
		    "the least that kind can start: for a container the runtime alone running a "
		    "static hello-world (crun run), for a VM a boot of the same kernel to a "
		    "trivial /init. The target: a container within %.1fx its floor, a VM within "
		    "%.1fx; the host has none, its floor is shown for reference.", CONTAINER_TARGET,
		    VM_TARGET);
	rp_exp_table(rp, &(const struct rp_exp_table){RP_EXP_START, has_start, start_row});
	start_chart(rp);
}
