/* SPDX-License-Identifier: MIT */
/*
 * Section: VM exits by reason per approach, from the kvm_exit counters
 * ("kvm.exit.<vmx|svm>.<reason>", see docs/report.md), per operation:
 * a table by workload (the approaches line by line) and a stacked chart
 * by approach.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approaches.h"
#include "chart.h"
#include "compare.h"
#include "report.h"

#define TOP_REASONS 6
#define PREFIX "kvm.exit."

/* The reasons shown, largest summed per-op rate first, and how many get a column. */
struct reasons {
	json_t *names;
	size_t ntop;
};

/* Reasons ordered by their summed per-op rate over every cell, largest first. */
static json_t *rank_reasons(const struct rp_report *rp)
{
	json_t *rate = json_object(), *names, *out = json_array(), *v;
	const char *key;
	size_t i, j, k;
	json_t *b, *w;

	for (int r = 0; r < rp->nruns; r++)
		json_array_foreach(rp->backends, i, b)
			json_array_foreach(rp->benches, j, w) {
				names = rp_counter_names(&rp->runs[r], json_string_value(b),
							 json_string_value(w), PREFIX);
				json_array_foreach(names, k, v) {
					double sum, ops, old;
					const char *why;

					if (rp_counter(&rp->runs[r], json_string_value(b),
						       json_string_value(w), json_string_value(v), &sum,
						       &ops, &why) != 1 || ops <= 0)
						continue;
					old = json_number_value(json_object_get(rate, json_string_value(v)));
					json_object_set_new(rate, json_string_value(v),
							    json_real(old + sum / ops));
				}
				json_decref(names);
			}
	/* Selection sort: a handful of reasons. */
	while (json_object_size(rate)) {
		const char *best = NULL;
		double bv = -1;

		json_object_foreach(rate, key, v)
			if (json_real_value(v) > bv) {
				bv = json_real_value(v);
				best = key;
			}
		json_array_append_new(out, json_string(best));
		json_object_del(rate, best);
	}
	json_decref(rate);
	return out;
}

/*
 * Exits per operation of (r, be, bench): rate[0] all of them, rate[1..ntop]
 * the top reasons, rate[ntop + 1] the rest. 0, or -1 when not counted.
 */
static int exit_rates(const struct rp_run *r, const char *be, const char *bench,
		      const struct reasons *rs, double *rate)
{
	double total, ops, sum, o2, top = 0;
	const char *why;

	if (rp_counter(r, be, bench, PREFIX "*", &total, &ops, &why) != 1 || ops <= 0)
		return -1;
	rate[0] = total / ops;
	for (size_t k = 0; k < rs->ntop; k++) {
		rate[1 + k] = 0;
		if (rp_counter(r, be, bench, json_string_value(json_array_get(rs->names, k)), &sum,
			       &o2, &why) == 1 && o2 > 0)
			rate[1 + k] = sum / o2;
		top += rate[1 + k];
	}
	/* The rest, without the rounding residue of the subtraction. */
	rate[rs->ntop + 1] = rate[0] - top < 1e-9 * rate[0] ? 0 : rate[0] - top;
	return 0;
}

/* Why nothing was counted for a VM approach: the unavailable reason or status. */
static void explain_absence(struct rp_report *rp)
{
	size_t i, j;
	json_t *b, *w;
	char why[512];

	rp_doc_note(&rp->doc, "No VM exits were counted in %s.", rp->nruns > 1 ? "these runs" : "this run");
	for (int r = 0; r < rp->nruns; r++)
		json_array_foreach(rp->backends, i, b) {
			const char *be = json_string_value(b), *reason = NULL;

			if (!rp_is_kind(&rp->runs[r], be, VB_KIND_VM))
				continue;
			if (!rp_backend_ok(&rp->runs[r], be)) {
				rp_doc_item(&rp->doc, "%s: %s", rp->runs[r].label,
					    rp_backend_why(&rp->runs[r], be, why, sizeof(why)));
				continue;
			}
			json_array_foreach(rp->benches, j, w) {
				double sum, ops;

				if (rp_counter(&rp->runs[r], be, json_string_value(w), PREFIX "*", &sum,
					       &ops, &reason) == 0)
					break;
				reason = NULL;
			}
			if (!reason && rp_traits(&rp->runs[r], be)->accel == VB_ACCEL_TCG)
				reason = "runs under TCG, so it has no VM exits";
			rp_doc_item(&rp->doc, "%s: %s: %s", rp->runs[r].label, be,
				    reason ? reason : "no kvm.exit.* counters recorded");
		}
	rp_doc_list_end(&rp->doc);
}

/* One row per (workload, run, approach): approaches side by side per workload. */
static void table(struct rp_report *rp, const struct reasons *rs)
{
	const char *head[TOP_REASONS + 4], *cells[TOP_REASONS + 4];
	char buf[TOP_REASONS + 4][64], series[80];
	double rate[TOP_REASONS + 2];
	size_t i, j, cols = rs->ntop + 4;
	json_t *b, *w;

	head[0] = "approach";
	head[1] = "workload";
	head[2] = "exits/op";
	for (size_t k = 0; k < rs->ntop; k++)
		head[3 + k] = json_string_value(json_array_get(rs->names, k)) + strlen(PREFIX);
	head[3 + rs->ntop] = "other";
	rp_doc_table(&rp->doc, (int)cols, head);
	json_array_foreach(rp->benches, j, w)
		for (int r = 0; r < rp->nruns; r++)
			json_array_foreach(rp->backends, i, b) {
				if (exit_rates(&rp->runs[r], json_string_value(b), json_string_value(w),
					       rs, rate))
					continue;
				cells[0] = rp_series(rp, r, json_string_value(b), series, sizeof(series));
				cells[1] = json_string_value(w);
				for (size_t k = 0; k < rs->ntop + 2; k++)
					cells[2 + k] = rp_num(rate[k], buf[k], sizeof(buf[k]));
				rp_doc_row(&rp->doc, (int)cols, cells, NULL);
			}
	rp_doc_table_end(&rp->doc);
}

/*
 * exits.dat: a row per (workload, run, approach) with exits, in the table's
 * order (row, label, each top reason's and the rest's exits per operation,
 * the total as text); how many rows.
 */
static int chart_data(struct rp_report *rp, const struct reasons *rs, FILE *dat)
{
	double rate[TOP_REASONS + 2];
	char series[80], total[32];
	int rows = 0;
	size_t i, j;
	json_t *b, *w;

	fprintf(dat, "row\tapproach, workload");
	for (size_t k = 0; k < rs->ntop; k++)
		fprintf(dat, "\t%s",
			json_string_value(json_array_get(rs->names, k)) + strlen(PREFIX));
	fprintf(dat, "\tother\ttotal\n");
	json_array_foreach(rp->benches, j, w)
		for (int r = 0; r < rp->nruns; r++)
			json_array_foreach(rp->backends, i, b) {
				const char *be = json_string_value(b), *bench = json_string_value(w);

				if (exit_rates(&rp->runs[r], be, bench, rs, rate))
					continue;
				rp_series(rp, r, be, series, sizeof(series));
				rp_addf(series, sizeof(series), ", ", "%s", bench);
				rp_gp_safe(series);
				fprintf(dat, "%d\t%s", rows++, series);
				for (size_t k = 1; k < rs->ntop + 2; k++)
					fprintf(dat, "\t%g", rate[k]);
				fprintf(dat, "\t%s\n", rp_num(rate[0], total, sizeof(total)));
			}
	return rows;
}

/* The sum of data columns from..to as a gnuplot expression ("0" when empty). */
static void column_sum(FILE *gp, size_t from, size_t to)
{
	fputc('(', gp);
	if (from > to)
		fputc('0', gp);
	for (size_t c = from; c <= to; c++)
		fprintf(gp, "%s$%zu", c > from ? "+" : "", c);
	fputc(')', gp);
}

/*
 * Stacked horizontal bars, a row per (workload, approach) as in the table:
 * reason k's box runs from the sum of the reasons before it to that plus
 * its own rate. Each bar ends in its total, as the rates span decades.
 */
static void chart(struct rp_report *rp, const struct reasons *rs)
{
	FILE *dat = rp_report_data(rp, "exits"), *gp;
	size_t blen = 0, last = rs->ntop + 3;  /* column of "other" */
	char *body = NULL;
	int rows;

	if (!dat)
		return;
	rows = chart_data(rp, rs, dat);
	fclose(dat);
	if (!rows || !(gp = open_memstream(&body, &blen)))
		return;
	fprintf(gp, "set title 'VM exits per operation, by reason'\n"
		"set style fill solid 0.85 border -1\nset xrange [0:*]\n"
		"set offsets 0, graph 0.15, 0, 0 # room for the totals\n"
		"set xlabel 'exits per operation'\nset grid xtics lc rgb '#dddddd'\n"
		"set key below horizontal height 1\n");
	rp_chart_rows(gp, rows);
	fprintf(gp, "plot ");
	for (size_t c = 3; c <= last; c++) {
		fprintf(gp, "%s'exits.dat' using (", c > 3 ? ", \\\n     " : "");
		column_sum(gp, 3, c - 1);
		fprintf(gp, "+$%zu/2):1:($%zu/2):(0.3)%s with boxxyerror lt %zu "
			"title columnhead(%zu)", c, c, c == 3 ? ":ytic(2)" : "", c - 2, c);
	}
	fprintf(gp, ", \\\n     'exits.dat' using ");
	column_sum(gp, 3, last);
	fprintf(gp, ":1:%zu with labels left offset 0.5,0 notitle\n", last + 1);
	fclose(gp);
	rp_report_chart(rp, "exits", 1000, 140 + 26 * ((int)rs->ntop / 4 + 1) + 30 * rows, body,
			"VM exits per operation by reason (stacked), with the total at the end of "
			"each bar");
	free(body);
}

void rp_sec_exits(struct rp_report *rp)
{
	struct reasons rs = {rank_reasons(rp), 0};

	rp_doc_heading(&rp->doc, 2, "VM exits by reason");
	rp_doc_para(&rp->doc, "Exits from the guest to the hypervisor, counted by the kvm:kvm_exit "
		    "tracepoint on the host%s, for each guest's cgroup, per "
		    "workload operation of the counting passes; rows are grouped by workload, so "
		    "the approaches compare line by line. A pass also holds its own messages on "
		    "the agent's channel and the guest's timer ticks, which are not taken off "
		    "here. Only KVM guests exit; a TCG guest is translated code running in QEMU's "
		    "own process, so its cost shows up as device traps (below).",
		    rp_lab_where(rp));
	rs.ntop = json_array_size(rs.names) > TOP_REASONS ? TOP_REASONS : json_array_size(rs.names);
	if (!rs.ntop)
		explain_absence(rp);
	else {
		table(rp, &rs);
		chart(rp, &rs);
	}
	json_decref(rs.names);
}
