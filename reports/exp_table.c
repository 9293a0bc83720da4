/* SPDX-License-Identifier: MIT */
/* An experiment's table, and why approaches have no figures; see experiments.h. */
#include <stdio.h>

#include "experiments.h"
#include "report.h"

void rp_exp_absences(struct rp_report *rp, const char *name, int (*has)(const json_t *e))
{
	char series[160], why[1024], pre[128];
	size_t i;
	json_t *b;

	for (int r = 0; r < rp->nruns; r++) {
		const struct rp_run *run = &rp->runs[r];

		/* not selected at all: once, not for each approach */
		if (!rp_exp_in_run(run, name)) {
			rp_doc_item(&rp->doc, "%s%s %s", rp_run_prefix(rp, run, pre, sizeof(pre)),
				    name, rp_exp_why(run, "", name, why, sizeof(why)));
			continue;
		}
		json_array_foreach(rp->backends, i, b) {
			const char *be = json_string_value(b);
			const json_t *e = rp_exp(run, be, name);

			if (!rp_backend(run, be) || (rp_exp_ok(e) && has(e)))
				continue;
			rp_doc_item(&rp->doc, "%s: %s %s", rp_series(rp, r, be, series, sizeof(series)),
				    name, rp_exp_why(run, be, name, why, sizeof(why)));
		}
	}
}

void rp_exp_table(struct rp_report *rp, const struct rp_exp_table *t)
{
	int rows = 0;
	size_t i;
	json_t *b;

	for (int r = 0; r < rp->nruns; r++)
		json_array_foreach(rp->backends, i, b) {
			const json_t *e = rp_exp(&rp->runs[r], json_string_value(b), t->name);

			if (t->has(e))
				t->row(rp, r, json_string_value(b), e, !rows++);
		}
	if (rows)
		rp_doc_table_end(&rp->doc);
	rp_exp_absences(rp, t->name, t->has);
	rp_doc_list_end(&rp->doc);
}
