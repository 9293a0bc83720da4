/* SPDX-License-Identifier: MIT */
/*
 * Section for coursework: full vs para-virtualization. For each pair, the
 * workloads where the two differ most, and the counted cause that differs
 * most between them, in sentences generated from the numbers.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/proto.h"
#include "../common/results.h"
#include "approaches.h"
#include "evidence.h"
#include "report.h"

#define TOP 3
#define SAME_WITHIN 1.05  /* gaps below 5% are called "about the same" */

/* The cause whose per-op rate differs most between full and pv; 0 or -1. */
static int explain(const struct rp_run *r, const char *full, const char *pv, const char *bench,
		   char *out, size_t n)
{
	double best = 0, fr = 0, pr = 0;
	int bi = -1, compared = 0;
	const char *why = NULL;
	char x[32], y[32];

	for (int c = 0; c < RP_NCAUSES; c++) {
		double a, b, d;
		const char *w1, *w2;

		if (rp_rate(r, full, bench, &rp_causes[c], &a, &w1)) {
			why = why ? why : w1;
			continue;
		}
		if (rp_rate(r, pv, bench, &rp_causes[c], &b, &w2)) {
			why = why ? why : w2;
			continue;
		}
		compared++;
		/* Relative difference, robust to a zero on one side. */
		d = fabs(a - b) / fmax(fmax(a, b), 1e-12);
		if (fmax(a, b) > 0 && d > best) {
			best = d;
			bi = c;
			fr = a;
			pr = b;
		}
	}
	if (!compared) {
		if (why && strcmp(why, "not recorded"))
			snprintf(out, n, "No counted event can explain it: %s.", why);
		else
			snprintf(out, n, "No counter that could explain it (VM exits, device traps, "
				 "guest interrupts) was recorded on both sides.");
		return -1;
	}
	if (bi < 0 || best < 0.2) {
		snprintf(out, n, "No counted event explains it: the exits, device traps and "
			 "interrupts counted per operation are within 20%% of each other.");
		return -1;
	}
	snprintf(out, n, "%s differ most: %s per operation under %s against %s under %s.",
		 rp_causes[bi].what, rp_num(fr, x, sizeof(x)), full, rp_num(pr, y, sizeof(y)), pv);
	out[0] = (char)toupper((unsigned char)out[0]);
	return 0;
}

/* Append the warning that the two intervals against the baseline overlap. */
static void cat_overlap(char *buf, size_t n, const char *baseline)
{
	size_t len = strlen(buf);

	snprintf(buf + len, n - len, " The two 95%% intervals vs %s overlap: this gap may be noise.",
		 baseline ? baseline : "the baseline");
}

/* 1 when the slowdown CIs of full and pv on bench overlap. */
static int overlap(const struct rp_run *r, const char *full, const char *pv, const char *bench)
{
	double m1, l1, h1, m2, l2, h2;

	if (rp_slowdown(r, full, bench, &m1, &l1, &h1) || rp_slowdown(r, pv, bench, &m2, &l2, &h2))
		return 0;
	return l1 <= h2 && l2 <= h1;
}

static void pair_in_run(struct rp_report *rp, const struct rp_run *r, const char *full,
			const char *pv)
{
	const char *best[TOP] = {NULL};
	double bestgap[TOP] = {0}, g, fm, pm;
	char why[512], because[600], a[32], b[32];
	size_t i;
	json_t *w;
	int n = 0;

	if (!rp_backend_ok(r, full) || !rp_backend_ok(r, pv)) {
		rp_doc_item(&rp->doc, "%s: not measured: %s", r->label,
			    rp_backend_why(r, rp_backend_ok(r, full) ? pv : full, why, sizeof(why)));
		return;
	}
	if (rp_not_comparable(r, full, pv, why, sizeof(why))) {
		rp_doc_item(&rp->doc, "%s: not comparable: %s.", r->label, why);
		return;
	}
	json_array_foreach(rp->benches, i, w) {
		const char *bench = json_string_value(w);
		int k;

		if (rp_gap(r, full, pv, bench, &g, &fm, &pm))
			continue;
		n++;
		/* Keep the TOP largest |log gap|. */
		for (k = TOP; k > 0 && (!best[k - 1] || fabs(log(g)) > fabs(log(bestgap[k - 1]))); k--)
			if (k < TOP) {
				best[k] = best[k - 1];
				bestgap[k] = bestgap[k - 1];
			}
		if (k < TOP) {
			best[k] = bench;
			bestgap[k] = g;
		}
	}
	if (!n) {
		rp_doc_item(&rp->doc, "%s: not measured: no workload ran under both %s and %s",
			    r->label, full, pv);
		return;
	}
	for (int k = 0; k < TOP && best[k]; k++) {
		const char *unit = vb_json_str(rp_summary(r, full, best[k]), "unit", "");

		rp_gap(r, full, pv, best[k], &g, &fm, &pm);
		if (g < SAME_WITHIN && g > 1 / SAME_WITHIN) {
			rp_doc_item(&rp->doc, "%s: on %s, %s and %s are within 5%% of each other "
				    "(median %s vs %s %s).", r->label, best[k], full, pv,
				    rp_num(fm, a, sizeof(a)), rp_num(pm, b, sizeof(b)), unit);
			continue;
		}
		explain(r, full, pv, best[k], because, sizeof(because));
		if (overlap(r, full, pv, best[k]))
			cat_overlap(because, sizeof(because), rp_baseline(r, full));
		rp_doc_item(&rp->doc, "%s: on %s, %s is %.2fx %s than %s (median %s vs %s %s). %s",
			    r->label, best[k], g > 1 ? full : pv, g > 1 ? g : 1 / g,
			    rp_higher_is_better(r, best[k]) ? "slower (less throughput)" : "slower",
			    g > 1 ? pv : full, rp_num(g > 1 ? fm : pm, a, sizeof(a)),
			    rp_num(g > 1 ? pm : fm, b, sizeof(b)), unit, because);
	}
}

void rp_sec_fullpv(struct rp_report *rp)
{
	json_t *seen = json_object();

	rp_doc_heading(&rp->doc, 2, "Full vs para-virtualization");
	rp_doc_para(&rp->doc, "Each pair runs the same workloads on the same hypervisor, once with "
		    "an unmodified guest on emulated devices (full virtualization) and once with a "
		    "guest that knows it is virtual and uses para-virtual devices. Below, for each "
		    "pair, the workloads where the two differ most and the counted event that "
		    "differs most between them.");
	/* every pair of any run, each once, with what each run says of it */
	for (int r0 = 0; r0 < rp->nruns; r0++) {
		size_t np;
		struct rp_pv_pair *p = rp_pv_pairs(&rp->runs[r0], &np);

		for (size_t k = 0; k < np; k++) {
			char *key = vb_results_pair_key(p[k].full, p[k].pv);

			if (!key || json_object_get(seen, key)) {
				free(key);
				continue;
			}
			json_object_set_new(seen, key, json_true());
			free(key);
			rp_doc_heading(&rp->doc, 3, "%s (full) vs %s (para-virtual)%s", p[k].full,
				       p[k].pv, rp_same_place(&rp->runs[r0], p[k].full, p[k].pv) ?
				       rp_where(&rp->runs[r0], p[k].full) : "");
			for (int r = 0; r < rp->nruns; r++)
				pair_in_run(rp, &rp->runs[r], p[k].full, p[k].pv);
			rp_doc_list_end(&rp->doc);
		}
		free(p);
	}
	if (!json_object_size(seen))
		rp_doc_note(&rp->doc, "No pair to compare: no run has a guest with emulated "
			    "devices together with its para-virtual partner.");
	json_decref(seen);
}
