/* SPDX-License-Identifier: MIT */
/* How the report's sections name approaches, runs and groups, and write numbers. */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../common/proto.h"
#include "approaches.h"

const char *rp_baseline_name(const struct rp_report *rp)
{
	const char *common = NULL;
	size_t i;
	json_t *b;

	for (int r = 0; r < rp->nruns; r++)
		json_array_foreach(rp->backends, i, b) {
			const char *base = rp_baseline(&rp->runs[r], json_string_value(b));

			if (!base)
				continue;
			if (common && strcmp(common, base))
				return "baseline";
			common = base;
		}
	if (common)
		return common;
	/* nothing compared: the host itself is what the others would be compared to */
	for (int r = 0; r < rp->nruns; r++)
		json_array_foreach(rp->backends, i, b)
			if (rp_is_kind(&rp->runs[r], json_string_value(b), VB_KIND_HOST))
				return json_string_value(b);
	return "baseline";
}

const char *rp_label(const struct rp_run *r, const char *backend, char *buf, size_t n)
{
	size_t len = strlen(backend);
	/* the harness names the lab's own bare "<backend>@lab": saying it twice adds nothing */
	int mark = rp_lab(r, backend) && !(len > 4 && !strcmp(backend + len - 4, "@lab"));

	snprintf(buf, n, "%s%s", backend, mark ? " (lab)" : "");
	return buf;
}

const char *rp_series(const struct rp_report *rp, int run, const char *backend, char *buf,
		      size_t n)
{
	char label[160];

	rp_label(&rp->runs[run], backend, label, sizeof(label));
	if (rp->hosts)
		snprintf(buf, n, "R%d %s %s", run + 1, rp->runs[run].host, label);
	else if (rp->nruns > 1)
		snprintf(buf, n, "R%d %s", run + 1, label);
	else
		snprintf(buf, n, "%s", label);
	return buf;
}

const char *rp_run_prefix(const struct rp_report *rp, const struct rp_run *r, char *buf,
			  size_t n)
{
	snprintf(buf, n, "%s%s", rp->nruns > 1 ? r->label : "", rp->nruns > 1 ? ": " : "");
	return buf;
}

const char *rp_lab_where(const struct rp_report *rp)
{
	return rp->lab ? " (in L1, the lab's machine, for approaches marked (lab))" : "";
}

void rp_group_of(const char *bench, char *buf, size_t n)
{
	snprintf(buf, n, "%.*s", (int)strcspn(bench, "."), bench);
}

/*
 * 3 significant digits, but never fewer than the integer part: 78490, not
 * 7.85e+04. Exponents only where plain digits would not read: 1e9 and
 * more, and below 1e-4 (where %g switches).
 */
const char *rp_num(double v, char *buf, size_t n)
{
	if (!isfinite(v))
		snprintf(buf, n, "-");
	else if (fabs(v) >= 100 && fabs(v) < 1e9)
		snprintf(buf, n, "%.0f", v);
	else
		snprintf(buf, n, "%.3g", v);
	return buf;
}
