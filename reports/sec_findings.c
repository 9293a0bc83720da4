/* SPDX-License-Identifier: MIT */
/*
 * Section: the findings, first on the page. Per approach: its slowdown per
 * group of workloads (cpu, mem, io: the name before the dot) as the
 * geometric mean of the workloads' median slowdowns, its three largest
 * costs with the counter that explains each, and device accesses per I/O
 * request; then the textbook claims' verdicts.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/proto.h"
#include "../common/results.h"
#include "../common/stats.h"
#include "../common/virtdetect.h"
#include "approaches.h"
#include "evidence.h"
#include "report.h"

#define MAX_GROUPS 8
#define MAX_ROUNDS 1024
#define REPS 2000
#define SEED 0xf1d5

/* One workload's per-round log slowdowns, paired with the baseline by round. */
struct wl_logs {
	double *x;
	size_t n;
};

/* The ok median of each round of (be, bench) in med[round] (NAN where none). */
static void round_medians(const struct rp_run *r, const char *be, const char *bench,
			  double *med)
{
	size_t i;
	json_t *m;

	for (size_t k = 0; k < MAX_ROUNDS; k++)
		med[k] = NAN;
	json_array_foreach(rp_pair(r, be, bench), i, m) {
		json_int_t round = vb_json_int(m, "round", -1);

		if (round >= 0 && round < MAX_ROUNDS)
			med[round] = vb_results_ok_median(m);
	}
}

/* Per-round log slowdowns of be against base on bench; 0, or -1 (none, or no memory). */
static int paired_logs(const struct rp_run *r, const char *be, const char *base,
		       const char *bench, struct wl_logs *out)
{
	static double a[MAX_ROUNDS], b[MAX_ROUNDS];
	int higher = rp_higher_is_better(r, bench);

	round_medians(r, be, bench, a);
	round_medians(r, base, bench, b);
	out->n = 0;
	out->x = malloc(MAX_ROUNDS * sizeof(double));
	if (!out->x)
		return -1;
	for (size_t k = 0; k < MAX_ROUNDS; k++)
		if (a[k] > 0 && b[k] > 0)
			out->x[out->n++] = higher ? log(b[k] / a[k]) : log(a[k] / b[k]);
	if (out->n)
		return 0;
	free(out->x);
	return -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct geo {
	double med, lo, hi;
	size_t nwl, min_rounds;
};

/*
 * The geometric mean of the workloads' median slowdowns, and its interval:
 * a bootstrap that resamples each workload's rounds on its own (a
 * workload may have more rounds than another), or, where some workload
 * has fewer than VB_CI_MIN_ROUNDS, the geometric means of their lowest and
 * highest rounds.
 */
static int geo_mean(const struct wl_logs *w, size_t nw, struct geo *g)
{
	double *reps = malloc(REPS * sizeof(double)), *buf = malloc(MAX_ROUNDS * sizeof(double));
	uint64_t state = SEED;

	g->med = g->lo = g->hi = 0;
	g->nwl = nw;
	g->min_rounds = SIZE_MAX;
	if (!reps || !buf || !nw) {
		free(reps);
		free(buf);
		return -1;
	}
	for (size_t k = 0; k < nw; k++) {
		double lo = w[k].x[0], hi = w[k].x[0];

		for (size_t j = 1; j < w[k].n; j++) {
			lo = fmin(lo, w[k].x[j]);
			hi = fmax(hi, w[k].x[j]);
		}
		g->med += vb_median(w[k].x, w[k].n) / (double)nw;
		g->lo += lo / (double)nw;
		g->hi += hi / (double)nw;
		if (w[k].n < g->min_rounds)
			g->min_rounds = w[k].n;
	}
	if (g->min_rounds >= VB_CI_MIN_ROUNDS) {
		for (size_t rep = 0; rep < REPS; rep++) {
			reps[rep] = 0;
			for (size_t k = 0; k < nw; k++) {
				for (size_t j = 0; j < w[k].n; j++)
					buf[j] = w[k].x[vb_rand_below(&state, w[k].n)];
				reps[rep] += vb_median(buf, w[k].n) / (double)nw;
			}
		}
		qsort(reps, REPS, sizeof(double), cmp_double);
		g->lo = reps[(size_t)(0.025 * REPS)];
		g->hi = reps[(size_t)(0.975 * REPS) - 1];
	}
	g->med = exp(g->med);
	g->lo = exp(g->lo);
	g->hi = exp(g->hi);
	free(reps);
	free(buf);
	return 0;
}

#define MAX_WL 128

/* The group's cell of one approach: geometric mean and interval, or "-". */
static const char *group_cell(const struct rp_report *rp, const struct rp_run *r,
			      const char *be, const char *group, char *buf, size_t n,
			      const char **cls)
{
	const char *base = rp_baseline(r, be);
	struct wl_logs w[MAX_WL];
	char g[32], a[32], b[32], c[32];
	struct geo geo;
	size_t nw = 0, i;
	json_t *e;

	*cls = "na";
	snprintf(buf, n, "-");
	json_array_foreach(rp->benches, i, e) {
		rp_group_of(json_string_value(e), g, sizeof(g));
		if (nw < MAX_WL && !strcmp(g, group) &&
		    !paired_logs(r, be, base, json_string_value(e), &w[nw]))
			nw++;
	}
	if (nw && !geo_mean(w, nw, &geo)) {
		if (geo.min_rounds >= VB_CI_MIN_ROUNDS) {
			snprintf(buf, n, "%sx [%s, %s], %zu workload%s", rp_num(geo.med, a, sizeof(a)),
				 rp_num(geo.lo, b, sizeof(b)), rp_num(geo.hi, c, sizeof(c)), nw,
				 nw == 1 ? "" : "s");
			*cls = geo.lo > 1 ? "slower" : geo.hi < 1 ? "faster" : NULL;
		} else {
			snprintf(buf, n, "%sx, range %s to %s over %zu round%s, %zu workload%s",
				 rp_num(geo.med, a, sizeof(a)), rp_num(geo.lo, b, sizeof(b)),
				 rp_num(geo.hi, c, sizeof(c)), geo.min_rounds,
				 geo.min_rounds == 1 ? "" : "s", nw, nw == 1 ? "" : "s");
			*cls = NULL;
		}
	}
	for (size_t k = 0; k < nw; k++)
		free(w[k].x);
	return buf;
}

/*
 * What the counters say a cost of (be, bench) comes from, appended to
 * buf; 0, or -1 (nothing appended) where no counter of it was counted,
 * with the first reason in *why.
 */
static int explain(const struct rp_run *r, const char *be, const char *bench, char *buf,
		   size_t n, const char **why)
{
	double per_req, each[RP_NTRAP], req, rate, best = 0;
	const char *what = NULL, *w = NULL;
	size_t len = strlen(buf);
	char x[32];

	if (!rp_traps_per_request(r, be, bench, &per_req, each, &req, &w)) {
		snprintf(buf + len, n - len, " (%s trapped device accesses per I/O request)",
			 rp_num(per_req, x, sizeof(x)));
		return 0;
	}
	w = NULL;
	/*
	 * Exits and trapped accesses are work the hypervisor does for the
	 * guest; interrupts are not named: the clock's grow with the time an
	 * operation takes, whatever made it slow.
	 */
	for (int c = RP_CAUSE_EXITS; c <= RP_CAUSE_ACCESSES; c++) {
		if (!rp_rate(r, be, bench, &rp_causes[c], &rate, &w) && rate > best) {
			best = rate;
			what = rp_causes[c].what;
		}
		*why = *why ? *why : w;
	}
	if (!what)
		return -1;
	snprintf(buf + len, n - len, " (%s %s per operation)", rp_num(best, x, sizeof(x)), what);
	return 0;
}

/* Why none of the costs has a counter: once, after them. */
static void unexplained(const struct rp_run *r, const char *be, const char *why, char *buf,
			size_t n)
{
	const struct vb_traits *t = rp_traits(r, be);
	double tbs = rp_backend_counter(r, be, "tcg.tb_count");
	size_t len = strlen(buf);

	if (t && t->kind != VB_KIND_VM)
		snprintf(buf + len, n - len, ". Not a VM: no VM exits or trapped device accesses "
			 "to count");
	else if (t && t->accel == VB_ACCEL_TCG && isfinite(tbs))
		snprintf(buf + len, n - len, ". Binary translation, which no per-operation counter "
			 "follows: the run translated %.0f guest blocks (tcg.tb_count); a TCG guest "
			 "makes no VM exits", tbs);
	else
		snprintf(buf + len, n - len, ". No counter explains them in this run: %s",
			 why ? why : "none counted");
}

/* The three workloads on which be is slowest against its baseline, explained. */
static const char *largest_costs(const struct rp_report *rp, const struct rp_run *r,
				 const char *be, char *buf, size_t n)
{
	const char *top[3] = {NULL, NULL, NULL};
	double topv[3] = {0, 0, 0}, med, lo, hi;
	size_t i;
	json_t *e;

	json_array_foreach(rp->benches, i, e) {
		const char *bench = json_string_value(e);
		int k = 3;

		if (rp_slowdown(r, be, bench, &med, &lo, &hi) || !(med > 1))
			continue;
		while (k > 0 && med > topv[k - 1])
			k--;
		for (int j = 2; j > k; j--) {
			top[j] = top[j - 1];
			topv[j] = topv[j - 1];
		}
		if (k < 3) {
			top[k] = bench;
			topv[k] = med;
		}
	}
	const char *why = NULL;
	int explained = 0;

	buf[0] = 0;
	for (int k = 0; k < 3 && top[k]; k++) {
		char x[32];
		size_t len = strlen(buf);

		snprintf(buf + len, n - len, "%s%s %sx", k ? "; " : "", top[k],
			 rp_num(topv[k], x, sizeof(x)));
		explained += !explain(r, be, top[k], buf, n, &why);
	}
	if (!buf[0])
		return "none: no workload is slower than the baseline";
	if (!explained)
		unexplained(r, be, why, buf, n);
	return buf;
}

/* Distinct groups of the report's workloads, in their order. */
static int list_groups(const struct rp_report *rp, char groups[MAX_GROUPS][32])
{
	int ng = 0;
	size_t i;
	json_t *e;

	json_array_foreach(rp->benches, i, e) {
		char g[32];
		int k;

		rp_group_of(json_string_value(e), g, sizeof(g));
		for (k = 0; k < ng && strcmp(groups[k], g); k++)
			;
		if (k == ng && ng < MAX_GROUPS)
			snprintf(groups[ng++], 32, "%s", g);
	}
	return ng;
}

/* 1 when be of run r has slowdowns to show: it ran, against a baseline in its own place. */
static int compared(const struct rp_run *r, const char *be)
{
	return rp_backend(r, be) && rp_backend_ok(r, be) && rp_baseline(r, be) &&
	       rp_has_comparable_baseline(r, be);
}

static void cost_rows(struct rp_report *rp)
{
	char groups[MAX_GROUPS][32], series[160], desc[160], costs[1600];
	char cells_buf[MAX_GROUPS][160];
	const char *head[MAX_GROUPS + 2], *cells[MAX_GROUPS + 2], *cls[MAX_GROUPS + 2];
	int ng = list_groups(rp, groups), rows = 0;
	size_t i;
	json_t *b;

	head[0] = "approach";
	for (int g = 0; g < ng; g++)
		head[g + 1] = groups[g];
	head[ng + 1] = "three largest costs, and what the counters say causes them";
	json_array_foreach(rp->backends, i, b) {
		const char *be = json_string_value(b);

		for (int r = 0; r < rp->nruns; r++) {
			const struct vb_traits *t = rp_traits(&rp->runs[r], be);
			const struct rp_run *run = &rp->runs[r];

			if (!compared(run, be))
				continue;
			if (!rows++)
				rp_doc_table(&rp->doc, ng + 2, head);
			snprintf(desc, sizeof(desc), "%s: %s", rp_series(rp, r, be, series,
									 sizeof(series)),
				 t ? rp_describe(t->kind, t->accel, t->devices, costs, sizeof(costs))
				   : "traits not recorded");
			cells[0] = desc;
			cls[0] = NULL;
			for (int g = 0; g < ng; g++)
				cells[g + 1] = group_cell(rp, run, be, groups[g], cells_buf[g],
							  sizeof(cells_buf[g]), &cls[g + 1]);
			cells[ng + 1] = largest_costs(rp, run, be, costs, sizeof(costs));
			cls[ng + 1] = NULL;
			rp_doc_row(&rp->doc, ng + 2, cells, cls);
		}
	}
	if (rows)
		rp_doc_table_end(&rp->doc);
}

/* Per VM approach: device accesses per I/O request on each io workload that has them. */
static void per_request(struct rp_report *rp)
{
	char line[1200], series[160], x[32];
	size_t i, j;
	json_t *b, *e;

	json_array_foreach(rp->backends, i, b) {
		const char *be = json_string_value(b);

		for (int r = 0; r < rp->nruns; r++) {
			const struct rp_run *run = &rp->runs[r];
			const char *why = NULL;
			size_t len = 0;

			if (!rp_is_kind(run, be, VB_KIND_VM) || !rp_backend_ok(run, be))
				continue;
			line[0] = 0;
			json_array_foreach(rp->benches, j, e) {
				const char *bench = json_string_value(e), *w = NULL;
				double per, each[RP_NTRAP], req;

				if (strncmp(bench, "io.", 3))
					continue;
				if (rp_traps_per_request(run, be, bench, &per, each, &req, &w)) {
					why = why ? why : w;
					continue;
				}
				if (len < sizeof(line))
					len += (size_t)snprintf(line + len, sizeof(line) - len,
								"%s%s %s", len ? ", " : "", bench,
								rp_num(per, x, sizeof(x)));
			}
			rp_series(rp, r, be, series, sizeof(series));
			if (line[0])
				rp_doc_item(&rp->doc, "%s: %s device accesses per I/O request", series,
					    line);
			else if (why)
				rp_doc_item(&rp->doc, "%s: no device access counts: %s", series, why);
		}
	}
	rp_doc_list_end(&rp->doc);
}

static void claims(struct rp_report *rp)
{
	char verdicts[2000], v[800], pre[128];

	for (size_t c = 0; c < rp_claims_count(); c++) {
		const char *text = NULL;
		size_t len = 0;

		verdicts[0] = 0;
		for (int r = 0; r < rp->nruns && len < sizeof(verdicts); r++) {
			text = rp_claim_judge(rp, &rp->runs[r], c, v, sizeof(v));
			len += (size_t)snprintf(verdicts + len, sizeof(verdicts) - len, "%s%s%s",
						r ? "; " : "",
						rp_run_prefix(rp, &rp->runs[r], pre, sizeof(pre)), v);
		}
		if (text)
			rp_doc_item(&rp->doc, "%s Verdict: %s", text, verdicts);
	}
	rp_doc_list_end(&rp->doc);
}

/* One line on the host, where it is itself virtual: every number above sits on it. */
static void host_note(struct rp_report *rp)
{
	char pre[128];

	for (int r = 0; r < rp->nruns; r++) {
		const json_t *host = json_object_get(json_object_get(rp->runs[r].root, "meta"), "host");
		const char *vm = vb_json_str(json_object_get(host, "virt"), VB_VIRT_VM, "");

		if (vm[0] && strcmp(vm, "none"))
			rp_doc_note(&rp->doc, "%sThe host is itself a virtual machine (%s): its "
				    "own hypervisor is under every number here, the baseline's too. "
				    "See \"For coursework\" for what that does to system calls, CPUID "
				    "and page faults.", rp_run_prefix(rp, &rp->runs[r], pre, sizeof(pre)),
				    vm);
	}
}

/* The table of what each compared approach costs, with how to read it. */
static void cost_table(struct rp_report *rp)
{
	rp_doc_para(&rp->doc, "What each approach costs against %s, per group of workloads: the "
		    "geometric mean of the workloads' median slowdowns (> 1 is slower), with a 95%% "
		    "CI from a bootstrap over each workload's rounds, or, where a workload has fewer "
		    "than %d rounds, the range from their lowest to highest rounds. Red or green "
		    "only where the whole CI lies on one side of 1.%s", rp->lab ? "its own baseline" :
		    rp_baseline_name(rp),
		    VB_CI_MIN_ROUNDS, rp->lab ? " Approaches marked (lab) ran in the emulated lab and "
					     "are compared with the lab's own bare." : "");
	cost_rows(rp);
}

static int any_compared(const struct rp_report *rp)
{
	size_t i;
	json_t *b;

	json_array_foreach(rp->backends, i, b)
		for (int r = 0; r < rp->nruns; r++)
			if (compared(&rp->runs[r], json_string_value(b)))
				return 1;
	return 0;
}

void rp_sec_findings(struct rp_report *rp)
{
	rp_doc_heading(&rp->doc, 2, "Findings");
	host_note(rp);
	if (!any_compared(rp))
		rp_doc_note(&rp->doc, "No approach was compared with a baseline in %s: the "
			    "absolute results below are all there is.", rp->nruns > 1 ?
			    "these runs" : "this run");
	else
		cost_table(rp);
	per_request(rp);
	rp_doc_para(&rp->doc, "The textbook claims, judged on these numbers (rules and evidence "
		    "in \"Textbook claims, tested\"):");
	claims(rp);
}
