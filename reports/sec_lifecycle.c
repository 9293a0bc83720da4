/* SPDX-License-Identifier: MIT */
/* Section: lifecycle: time from start to the agent's hello, and footprint. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../common/proto.h"
#include "chart.h"
#include "report.h"

double rp_backend_counter(const struct rp_run *r, const char *be, const char *name)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(rp_backend(r, be), "counters"), i, c)
		if (!strcmp(vb_json_str(c, "name", ""), name) &&
		    json_is_number(json_object_get(c, "value")))
			return json_number_value(json_object_get(c, "value"));
	return NAN;
}

void rp_sec_lifecycle(struct rp_report *rp)
{
	static const char *const head[] = {"approach", "start to hello (ms)",
					   "host memory (MiB)"};
	char series[80], b1[32], b2[32];
	FILE *dat = NULL;
	size_t i;
	json_t *b;
	int rows = 0;
	double longest = 0;

	rp_doc_heading(&rp->doc, 2, "Lifecycle");
	rp_doc_para(&rp->doc, "Start: from the backend's start to the agent's hello inside the "
		    "environment (for a VM: boot). Memory: what the environment held on the host "
		    "(the backend's counter memory.peak), where recorded.");
	for (int r = 0; r < rp->nruns; r++)
		json_array_foreach(rp->backends, i, b) {
			const char *be = json_string_value(b), *cells[3];
			double ms = vb_json_num(rp_backend(&rp->runs[r], be), "start_ms", NAN);
			double rss = rp_backend_counter(&rp->runs[r], be, "memory.peak");

			if (!rp_backend_ok(&rp->runs[r], be) || !isfinite(ms))
				continue;
			if (!rows) {
				rp_doc_table(&rp->doc, 3, head);
				dat = rp_report_data(rp, "lifecycle");
				if (!dat)
					return;
				fprintf(dat, "row\tapproach\tstart_ms\tlabel\n");
			}
			cells[0] = rp_series(rp, r, be, series, sizeof(series));
			cells[1] = rp_num(ms, b1, sizeof(b1));
			cells[2] = isfinite(rss) ? rp_num(rss / 1048576.0, b2, sizeof(b2))
						 : "not recorded";
			rp_doc_row(&rp->doc, 3, cells, NULL);
			rp_gp_safe(series);
			fprintf(dat, "%d\t%s\t%g\t%s ms\n", rows++, series, ms >= 0 ? ms : NAN, b1);
			longest = fmax(longest, ms);
		}
	if (!rows) {
		rp_doc_note(&rp->doc, "No approach started, so there is nothing to show.");
		return;
	}
	rp_doc_table_end(&rp->doc);
	fclose(dat);
	/* linear: the bars compare as the times do */
	rp_report_hbars(rp, "lifecycle", "set title 'Start to ready (ms)'\n"
			"set xlabel 'ms from start to the agent''s hello'\n", rows, longest,
			"#5a9a5a", "Time from start to the agent's hello, per approach (linear scale)");
}
