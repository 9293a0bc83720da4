/* SPDX-License-Identifier: MIT */
/*
 * Section: absolute results per approach and workload, in the workload's
 * unit: the median of every ok sample (all rounds pooled), the median
 * absolute deviation of those samples and n (summary: median, mad, n).
 * One table per group of workloads (the name before the dot), a column per
 * (run, approach) that ran, so several runs stand side by side.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../common/proto.h"
#include "report.h"

#define MAX_COLS 48

struct column {
	int run;
	const char *backend;
	char label[96];
};

/* Every (run, approach) that started and answered, in display order; *all counts them all. */
static int list_columns(const struct rp_report *rp, struct column *c, int *all)
{
	int n = 0;
	size_t i;
	json_t *b;

	json_array_foreach(rp->backends, i, b)
		for (int r = 0; r < rp->nruns; r++) {
			if (!rp_backend_ok(&rp->runs[r], json_string_value(b)) || ++*all > MAX_COLS)
				continue;
			c[n].run = r;
			c[n].backend = json_string_value(b);
			rp_series(rp, r, c[n].backend, c[n].label, sizeof(c[n].label));
			n++;
		}
	return n;
}

/* The workload's entry of the first run that lists it, or NULL. */
static const json_t *workload_of(const struct rp_report *rp, const char *bench)
{
	for (int r = 0; r < rp->nruns; r++)
		if (rp_workload(&rp->runs[r], bench))
			return rp_workload(&rp->runs[r], bench);
	return NULL;
}

/* Rounds with at least one ok measurement of (be, bench). */
static int ok_rounds(const struct rp_run *r, const char *be, const char *bench)
{
	json_t *seen = json_object(), *m;
	char key[32];
	size_t i;
	int n;

	json_array_foreach(rp_pair(r, be, bench), i, m) {
		if (strcmp(vb_json_str(m, "status", ""), "ok"))
			continue;
		snprintf(key, sizeof(key), "%lld", vb_json_int(m, "round", -1));
		json_object_set_new(seen, key, json_true());
	}
	n = (int)json_object_size(seen);
	json_decref(seen);
	return n;
}

/* How many samples and rounds a cell has: "n=6, 2 rounds". */
struct count {
	long long n;
	int rounds;
};

static struct count count_of(const struct rp_run *r, const char *be, const char *bench)
{
	return (struct count){vb_json_int(rp_summary(r, be, bench), "n", 0),
			      ok_rounds(r, be, bench)};
}

#define MAX_COUNTS 16

/*
 * The count most cells with a number have (*common; 0 when none has one):
 * it is said once, and only the cells that differ from it say their own.
 */
static int usual_count(const struct rp_report *rp, const struct column *c, int nc,
		       struct count *common)
{
	struct count seen[MAX_COUNTS];
	int times[MAX_COUNTS] = {0}, ns = 0, best = -1;
	size_t i;
	json_t *w;

	for (int k = 0; k < nc; k++)
		json_array_foreach(rp->benches, i, w) {
			const struct rp_run *r = &rp->runs[c[k].run];
			struct count x;
			int j;

			if (!rp_summary(r, c[k].backend, json_string_value(w)))
				continue;
			x = count_of(r, c[k].backend, json_string_value(w));
			for (j = 0; j < ns && (seen[j].n != x.n || seen[j].rounds != x.rounds); j++)
				;
			if (j == ns && ns < MAX_COUNTS)
				seen[ns++] = x;
			if (j < ns && ++times[j] > (best < 0 ? 0 : times[best]))
				best = j;
		}
	if (best >= 0)
		*common = seen[best];
	return best >= 0;
}

/*
 * One cell: "median ± MAD", the unit where it is not the row's, the count
 * where it is not the usual one ("(n=20, 4 rounds)"); or why there is no
 * number.
 */
static const char *cell(const struct rp_report *rp, const struct column *c, const char *bench,
			const char *unit, struct count usual, char *buf, size_t n, const char **cls)
{
	const struct rp_run *r = &rp->runs[c->run];
	const json_t *s = rp_summary(r, c->backend, bench);
	const char *own = vb_json_str(s, "unit", "");
	char med[32], mad[32], cnt[64] = "";
	struct count x;

	*cls = "na";
	if (!s && !rp_workload(r, bench) && !rp_pair(r, c->backend, bench))
		return "not in this run";
	if (!s)
		return rp_not_ok_reason(r, c->backend, bench, buf, n);
	*cls = NULL;
	x = count_of(r, c->backend, bench);
	if (x.n != usual.n || x.rounds != usual.rounds)
		snprintf(cnt, sizeof(cnt), " (n=%lld, %d round%s)", x.n, x.rounds,
			 x.rounds == 1 ? "" : "s");
	/* no-break spaces: "2.07 ± 0.0348" wraps as one in a narrow column */
	snprintf(buf, n, "%s\u00a0±\u00a0%s%s%s%s",
		 rp_num(vb_json_num(s, "median", NAN), med, sizeof(med)),
		 rp_num(vb_json_num(s, "mad", NAN), mad, sizeof(mad)), strcmp(own, unit) ? " " : "",
		 strcmp(own, unit) ? own : "", cnt);
	return buf;
}

/* 1 when bench belongs to the group (the name before its first dot). */
static int in_group(const char *bench, const char *group, size_t len)
{
	return strcspn(bench, ".") == len && !strncmp(bench, group, len);
}

/* The table of one group: a row per workload of it. */
static void group_table(struct rp_report *rp, const struct column *c, int nc,
			struct count usual, const char *group, size_t len)
{
	const char *head[MAX_COLS + 2], *cells[MAX_COLS + 2], *cls[MAX_COLS + 2] = {NULL};
	char buf[MAX_COLS][160], unit[96];
	size_t i;
	json_t *w;

	rp_doc_heading(&rp->doc, 3, "%.*s workloads", (int)len, group);
	head[0] = "workload";
	head[1] = "unit";
	for (int k = 0; k < nc; k++)
		head[k + 2] = c[k].label;
	rp_doc_table(&rp->doc, nc + 2, head);
	json_array_foreach(rp->benches, i, w) {
		const char *bench = json_string_value(w);
		const json_t *wl = workload_of(rp, bench);

		if (!in_group(bench, group, len))
			continue;
		snprintf(unit, sizeof(unit), "%s, %s is better", vb_json_str(wl, "unit", "?"),
			 !strcmp(vb_json_str(wl, "direction", ""), "higher") ? "higher" : "lower");
		cells[0] = bench;
		cells[1] = wl ? unit : "not described";
		for (int k = 0; k < nc; k++)
			cells[k + 2] = cell(rp, &c[k], bench, vb_json_str(wl, "unit", ""), usual,
					    buf[k], sizeof(buf[k]), &cls[k + 2]);
		rp_doc_row(&rp->doc, nc + 2, cells, cls);
	}
	rp_doc_table_end(&rp->doc);
}

/* The approaches that did not run, with why: they have no column. */
static void not_shown(struct rp_report *rp)
{
	char why[300];
	size_t i;
	json_t *b;
	int any = 0;

	for (int r = 0; r < rp->nruns; r++)
		json_array_foreach(rp->runs[r].backends, i, b) {
			const char *be = vb_json_str(b, "name", "");

			if (rp_backend(&rp->runs[r], be) != b || rp_backend_ok(&rp->runs[r], be))
				continue;
			if (!any++)
				rp_doc_para(&rp->doc, "No column for the approaches that did not run:");
			rp_doc_item(&rp->doc, "%s: %s", rp->runs[r].label,
				    rp_backend_why(&rp->runs[r], be, why, sizeof(why)));
		}
	rp_doc_list_end(&rp->doc);
}

void rp_sec_absolute(struct rp_report *rp)
{
	struct column c[MAX_COLS];
	struct count usual = {0, 0};
	int all = 0, nc = list_columns(rp, c, &all);
	char count[160] = "";
	size_t i, j;
	json_t *w;

	rp_doc_heading(&rp->doc, 2, "Absolute results");
	if (!nc) {
		rp_doc_note(&rp->doc, "No approach ran: there are no numbers to show.");
		not_shown(rp);
		return;
	}
	if (usual_count(rp, c, nc, &usual))
		snprintf(count, sizeof(count), " A cell holds n=%lld samples from %d round%s, "
			 "unless it says otherwise in brackets.", usual.n, usual.rounds,
			 usual.rounds == 1 ? "" : "s");
	rp_doc_para(&rp->doc, "Each approach's own numbers, in the workload's unit (the unit "
		    "column says whether lower or higher is better). A cell is the median of every "
		    "sample that ran (all rounds pooled) ± the median absolute deviation (MAD) of "
		    "those samples: half of them lie within it of the median.%s%s", count,
		    rp->lab ? " Columns marked (lab) ran in the emulated lab: their times include "
			      "TCG's emulation of the lab's machine and are comparable only with "
			      "each other." : "");
	if (all > MAX_COLS)
		rp_doc_note(&rp->doc, "Only the first %d of %d (run, approach) columns fit in these "
			    "tables.", MAX_COLS, all);
	json_array_foreach(rp->benches, i, w) {
		const char *bench = json_string_value(w);
		size_t len = strcspn(bench, ".");
		int seen = 0;

		/* each group once, where its first workload is */
		for (j = 0; j < i && !seen; j++)
			seen = in_group(json_string_value(json_array_get(rp->benches, j)), bench, len);
		if (!seen)
			group_table(rp, c, nc, usual, bench, len);
	}
	not_shown(rp);
}
