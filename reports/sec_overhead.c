/* SPDX-License-Identifier: MIT */
/* Section: slowdown vs the baseline per workload and approach: the table, then the charts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/proto.h"
#include "chart.h"
#include "overhead.h"

/*
 * Every (run, approach) that the run knows and compares against a
 * baseline, in display order; *all counts those that did not fit too.
 */
static int list_series(const struct rp_report *rp, struct rp_ov_series *s, int *all)
{
	int n = 0;
	size_t i;
	json_t *b;

	json_array_foreach(rp->backends, i, b) {
		const char *name = json_string_value(b);

		for (int r = 0; r < rp->nruns; r++) {
			if (!rp_backend(&rp->runs[r], name) || !rp_baseline(&rp->runs[r], name) ||
			    ++*all > RP_OV_MAX_SERIES)
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

/*
 * What every slowdown of a series' column has as its interval, in words
 * ("95% CI", "range of 2 rounds"), into buf; "" where they differ or there
 * is none.
 */
static const char *column_interval(const struct rp_report *rp, const struct rp_ov_series *s,
				   char *buf, size_t n)
{
	char words[64], why[8];
	size_t i;
	json_t *w;

	buf[0] = 0;
	json_array_foreach(rp->benches, i, w) {
		const char *bench = json_string_value(w);

		if (rp_ov_no_slowdown(rp, s, bench, why, sizeof(why)))
			continue;
		rp_interval_words(&rp->runs[s->run], s->backend, bench, words, sizeof(words));
		if (buf[0] && strcmp(buf, words)) {
			buf[0] = 0;
			break;
		}
		snprintf(buf, n, "%s", words);
	}
	return buf;
}

/*
 * The cell of one (series, workload): the slowdown and its interval, named
 * where the column's header (common: what all of them are, or "") does not
 * name it; or why there is none.
 */
static const char *cell(const struct rp_report *rp, const struct rp_ov_series *s, const char *bench,
			const char *common, char *buf, size_t n, const char **cls)
{
	double med, lo, hi;
	char a[32], b[32], c[32], words[32];

	*cls = "na";
	if (rp_ov_no_slowdown(rp, s, bench, buf, n))
		return buf;
	rp_ov_slowdown(rp, s, bench, &med, &lo, &hi);
	rp_interval_words(&rp->runs[s->run], s->backend, bench, words, sizeof(words));
	rp_num(med, a, sizeof(a));
	rp_num(lo, b, sizeof(b));
	rp_num(hi, c, sizeof(c));
	if (!common[0])
		snprintf(buf, n, "%s, %s: %s to %s", a, words, b, c);
	else if (rp_ov_is_range(common))
		snprintf(buf, n, "%s, range %s to %s", a, b, c);
	else
		snprintf(buf, n, "%s [%s, %s]", a, b, c);
	/* Colour only what the interval shows: all of it on one side of 1. */
	*cls = lo > 1 ? "slower" : hi < 1 ? "faster" : NULL;
	return buf;
}

static void table(struct rp_report *rp, const struct rp_ov_series *s, int ns)
{
	const char *head[RP_OV_MAX_SERIES + 1], *cells[RP_OV_MAX_SERIES + 1], *cls[RP_OV_MAX_SERIES + 1];
	char buf[RP_OV_MAX_SERIES][160], common[RP_OV_MAX_SERIES][64], title[RP_OV_MAX_SERIES][160];
	size_t i;
	json_t *w;

	head[0] = "workload";
	for (int k = 0; k < ns; k++) {
		column_interval(rp, &s[k], common[k], sizeof(common[k]));
		if (!common[k][0])
			snprintf(title[k], sizeof(title[k]), "%s", s[k].label);
		else
			snprintf(title[k], sizeof(title[k]), rp_ov_is_range(common[k]) ?
				 "%s: median, %s" : "%s: median [%s]", s[k].label, common[k]);
		head[k + 1] = title[k];
	}
	rp_doc_table(&rp->doc, ns + 1, head);
	json_array_foreach(rp->benches, i, w) {
		cells[0] = json_string_value(w);
		cls[0] = NULL;
		for (int k = 0; k < ns; k++)
			cells[k + 1] = cell(rp, &s[k], cells[0], common[k], buf[k], sizeof(buf[k]),
					    &cls[k + 1]);
		rp_doc_row(&rp->doc, ns + 1, cells, cls);
	}
	rp_doc_table_end(&rp->doc);
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
	struct rp_ov_series s[RP_OV_MAX_SERIES];
	int all = 0, ns = list_series(rp, s, &all);

	rp_doc_heading(&rp->doc, 2, "Overhead vs %s", rp_baseline_name(rp));
	rp_doc_para(&rp->doc, "Each cell: the median over the paired rounds of the slowdown (the "
		    "approach's result over %s's in the same round; above 1 is slower) and its "
		    "interval: the 95%% bootstrap confidence interval of that median where a "
		    "workload has 5 rounds or more, else the range, smallest to largest, of its "
		    "per-round slowdowns (too few rounds for a confidence interval); the header "
		    "or the cell says which. Red: slower than %s, green: faster, and only where "
		    "the whole interval lies on that side of 1; uncoloured differences are within "
		    "the noise. A chart per group of workloads follows the table.",
		    rp_baseline_name(rp), rp_baseline_name(rp));
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
	rp_ov_charts(rp, s, ns);
}
