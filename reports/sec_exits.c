/* SPDX-License-Identifier: MIT */
/*
 * Section: VM exits by reason per approach, from the host's kvm_exit
 * counters ("kvm.exit.<vmx|svm>.<reason>", see docs/report.md), per operation.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/proto.h"
#include "approaches.h"
#include "chart.h"
#include "report.h"

#define TOP_REASONS 6
#define PREFIX "kvm.exit."

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

void rp_sec_exits(struct rp_report *rp)
{
	json_t *reasons, *b, *w;
	const char *head[TOP_REASONS + 4];
	char cellbuf[TOP_REASONS + 4][64], series[80];
	size_t i, j, nr, ntop;
	char *body = NULL;
	size_t blen = 0;
	FILE *dat = NULL, *gp = NULL;
	int block = 0;

	rp_doc_heading(&rp->doc, 2, "VM exits by reason");
	rp_doc_para(&rp->doc, "Exits from the guest to the hypervisor, counted on the host by the "
		    "kvm:kvm_exit tracepoint for each guest's cgroup, per workload operation. Only "
		    "KVM guests exit; a TCG guest is translated code running in "
		    "QEMU's own process, so its cost shows up as device traps (next section).");
	reasons = rank_reasons(rp);
	nr = json_array_size(reasons);
	if (!nr) {
		explain_absence(rp);
		json_decref(reasons);
		return;
	}
	ntop = nr > TOP_REASONS ? TOP_REASONS : nr;
	head[0] = "approach";
	head[1] = "workload";
	head[2] = "exits/op";
	for (i = 0; i < ntop; i++)
		head[3 + i] = json_string_value(json_array_get(reasons, i)) + strlen(PREFIX);
	head[3 + ntop] = "other";
	rp_doc_table(&rp->doc, (int)ntop + 4, head);
	dat = rp_report_data(rp, "exits");
	gp = dat ? open_memstream(&body, &blen) : NULL;
	if (!gp)
		goto out;
	fprintf(gp, "set title 'VM exits per operation, by reason'\n"
		"set style data histogram\nset style histogram rowstacked title offset 0,-1\n"
		"set style fill solid 0.85 border -1\nset boxwidth 0.75\n"
		"set ylabel 'exits per operation'\nset grid ytics\nset key outside right top\n"
		"set xtics rotate by -30 scale 0\nset bmargin 7\nplot ");
	for (int r = 0; r < rp->nruns; r++)
		json_array_foreach(rp->backends, i, b) {
			const char *be = json_string_value(b);
			int rows = 0;

			json_array_foreach(rp->benches, j, w) {
				const char *bench = json_string_value(w), *why, *cells[TOP_REASONS + 4];
				double total, ops, sum, o2, top_sum = 0, other;
				char name[80];

				if (rp_counter(&rp->runs[r], be, bench, PREFIX "*", &total, &ops, &why) != 1 ||
				    ops <= 0)
					continue;
				if (!rows++)
					fprintf(dat, "%s# %s\nworkload", block ? "\n\n" : "",
						rp_series(rp, r, be, series, sizeof(series)));
				if (rows == 1) {
					for (size_t k = 0; k < ntop; k++)
						fprintf(dat, "\t%s", head[3 + k]);
					fprintf(dat, "\tother\n");
				}
				snprintf(name, sizeof(name), "%s", bench);
				rp_gp_safe(name);
				fprintf(dat, "%s", name);
				cells[0] = rp_series(rp, r, be, series, sizeof(series));
				cells[1] = bench;
				cells[2] = rp_num(total / ops, cellbuf[2], sizeof(cellbuf[2]));
				for (size_t k = 0; k < ntop; k++) {
					double rate = 0;

					if (rp_counter(&rp->runs[r], be, bench,
						       json_string_value(json_array_get(reasons, k)), &sum,
						       &o2, &why) == 1 && o2 > 0)
						rate = sum / o2;
					top_sum += rate;
					cells[3 + k] = rp_num(rate, cellbuf[3 + k], sizeof(cellbuf[3 + k]));
					fprintf(dat, "\t%g", rate);
				}
				/* The rest, without the rounding residue of the subtraction. */
				other = total / ops - top_sum;
				if (other < 1e-9 * total / ops)
					other = 0;
				cells[3 + ntop] = rp_num(other, cellbuf[3 + ntop], sizeof(cellbuf[3 + ntop]));
				fprintf(dat, "\t%g\n", other);
				rp_doc_row(&rp->doc, (int)ntop + 4, cells, NULL);
			}
			if (!rows)
				continue;
			rp_gp_safe(series);
			fprintf(gp, "%snewhistogram '%s'", block ? ", \\\n     " : "", series);
			for (size_t k = 0; k <= ntop; k++)
				fprintf(gp, ", 'exits.dat' index %d using %zu%s lt %zu %s", block, k + 2,
					k == 0 ? ":xtic(1)" : "", k + 1,
					block ? "notitle" : "title columnheader");
			block++;
		}
	fputc('\n', gp);
	fclose(gp);
	gp = NULL;
	fclose(dat);
	dat = NULL;
	rp_doc_table_end(&rp->doc);
	rp_report_chart(rp, "exits", 900, 500, body, "VM exits per operation by reason (stacked)");
out:
	if (dat)
		fclose(dat);
	if (gp)
		fclose(gp);
	free(body);
	json_decref(reasons);
}
