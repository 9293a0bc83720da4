/* SPDX-License-Identifier: MIT */
/*
 * Section: TLB and page-walk counters (any name with "tlb" in it: PMU
 * dTLB/iTLB misses and walk cycles, eBPF TLB flushes by reason), per
 * operation, or why unavailable.
 */
#include <stdio.h>
#include <string.h>

#include "../common/proto.h"
#include "report.h"

#define MATCH "tlb" /* case-insensitive substring */
#define MAX_COLS 8

/* Every TLB counter name over all runs, approaches and workloads, first seen first. */
static json_t *all_names(const struct rp_report *rp)
{
	json_t *out = json_array(), *seen = json_object(), *b, *w, *v, *names;
	size_t i, j, k;

	for (int r = 0; r < rp->nruns; r++)
		json_array_foreach(rp->backends, i, b)
			json_array_foreach(rp->benches, j, w) {
				names = rp_counter_names(&rp->runs[r], json_string_value(b),
							 json_string_value(w), "");
				json_array_foreach(names, k, v)
					if (strcasestr(json_string_value(v), MATCH) &&
					    !json_object_get(seen, json_string_value(v))) {
						json_object_set_new(seen, json_string_value(v), json_true());
						json_array_append(out, v);
					}
				json_decref(names);
			}
	json_decref(seen);
	return out;
}

void rp_sec_tlb(struct rp_report *rp)
{
	json_t *names = all_names(rp), *b, *w, *unavail = json_object();
	const char *head[MAX_COLS + 2], *cells[MAX_COLS + 2], *key;
	char buf[MAX_COLS][48], series[80];
	size_t i, j, nc = json_array_size(names);
	int rows = 0;
	json_t *v;

	rp_doc_heading(&rp->doc, 2, "TLB and page walks");
	rp_doc_para(&rp->doc, "Nested paging makes a TLB miss walk two page tables (up to 24 "
		    "memory references instead of 4); these counters show it where the hardware "
		    "and the host let vbench count them.");
	if (!nc) {
		rp_doc_note(&rp->doc, "No TLB counter (a name containing \"%s\") was recorded in %s.", MATCH,
			    rp->nruns > 1 ? "these runs" : "this run");
		json_decref(names);
		json_decref(unavail);
		return;
	}
	if (nc > MAX_COLS)
		nc = MAX_COLS;
	head[0] = "approach";
	head[1] = "workload";
	for (i = 0; i < nc; i++)
		head[2 + i] = json_string_value(json_array_get(names, i));
	for (int r = 0; r < rp->nruns; r++)
		json_array_foreach(rp->backends, i, b)
			json_array_foreach(rp->benches, j, w) {
				const char *be = json_string_value(b), *bench = json_string_value(w);
				int counted = 0;

				for (size_t k = 0; k < nc; k++) {
					double sum, ops;
					const char *why;
					int rc = rp_counter(&rp->runs[r], be, bench, head[2 + k], &sum,
							    &ops, &why);
					char note[600];

					cells[2 + k] = "-";
					if (rc == 1 && ops > 0) {
						cells[2 + k] = rp_num(sum / ops, buf[k], sizeof(buf[k]));
						counted = 1;
					} else if (rc == 0) {
						snprintf(note, sizeof(note), "%s (%s): %s", head[2 + k], be, why);
						json_object_set_new(unavail, note, json_true());
					}
				}
				if (!counted)
					continue;
				if (!rows++) {
					rp_doc_para(&rp->doc, "Per workload operation:");
					rp_doc_table(&rp->doc, (int)nc + 2, head);
				}
				cells[0] = rp_series(rp, r, be, series, sizeof(series));
				cells[1] = bench;
				rp_doc_row(&rp->doc, (int)nc + 2, cells, NULL);
			}
	if (rows)
		rp_doc_table_end(&rp->doc);
	else
		rp_doc_note(&rp->doc, "No TLB counter could be counted here; the reasons:");
	json_object_foreach(unavail, key, v)
		rp_doc_item(&rp->doc, "unavailable: %s", key);
	rp_doc_list_end(&rp->doc);
	json_decref(unavail);
	json_decref(names);
}
