/* SPDX-License-Identifier: MIT */
/* Claim 2: full virtualization pays an interpreter-like cost on privileged work. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "claim.h"

/*
 * Count cpu.* workloads of be whose whole slowdown CI lies above 1; the
 * evidence names each, with its VM exits per operation where counted.
 */
static int cpu_slower(const struct rp_report *rp, const struct rp_run *r, const char *be,
		      char *ev, size_t n, int *total)
{
	double med, lo, hi, exits;
	char a[32], b[32], c[32], why_not[200];
	const char *why;
	int k = 0;
	size_t i;
	json_t *w;

	*total = 0;
	json_array_foreach(rp->benches, i, w) {
		const char *bench = json_string_value(w);

		if (strncmp(bench, "cpu.", 4))
			continue;
		if (rp_slowdown(r, be, bench, &med, &lo, &hi)) {
			rp_claim_cat(ev, n, "%s %s: %s; ", be, bench,
				     rp_no_slowdown_why(r, be, bench, why_not, sizeof(why_not)));
			continue;
		}
		++*total;
		k += lo > 1;
		if (!rp_slowdown_is_ci(r, be, bench))
			rp_claim_cat(ev, n, "%s %s %sx, range %s to %s, vs %s", be, bench,
				     rp_num(med, a, sizeof(a)), rp_num(lo, b, sizeof(b)),
				     rp_num(hi, c, sizeof(c)), rp_baseline(r, be));
		else
			rp_claim_cat(ev, n, "%s %s %sx [%s, %s] vs %s", be, bench, rp_num(med, a, sizeof(a)),
				     rp_num(lo, b, sizeof(b)), rp_num(hi, c, sizeof(c)), rp_baseline(r, be));
		if (!rp_rate(r, be, bench, &rp_causes[RP_CAUSE_EXITS], &exits, &why))
			rp_claim_cat(ev, n, ", %s VM exits/op", rp_num(exits, a, sizeof(a)));
		rp_claim_cat(ev, n, "; ");
	}
	return k;
}

/*
 * 2. Full virtualization pays an interpreter-like cost: holds for a guest
 * with emulated devices (TCG, KVM) when every cpu.* workload is slower
 * than its baseline beyond its CI; judged only against a baseline in the
 * guest's own place (a lab guest against the lab's bare).
 */
void rp_claim_full_cost(const struct rp_report *rp, const struct rp_run *r,
			    struct claim_out *o)
{
	const char *full[] = { rp_find(r, VB_KIND_VM, VB_ACCEL_TCG, VB_DEV_EMULATED),
			       rp_find(r, VB_KIND_VM, VB_ACCEL_KVM, VB_DEV_EMULATED) };
	double tbs = full[0] ? rp_backend_counter(r, full[0], "tcg.tb_count") : NAN;
	int measured = 0;

	for (int f = 0; f < 2; f++) {
		int n, k;
		char part[400], why[300];

		if (!full[f] || !rp_backend_ok(r, full[f]) || !rp_baseline(r, full[f]))
			continue;
		if (rp_not_comparable(r, full[f], rp_baseline(r, full[f]), why, sizeof(why))) {
			snprintf(part, sizeof(part), "not comparable for %s: %s", full[f], why);
		} else {
			k = cpu_slower(rp, r, full[f], o->ev, sizeof(o->ev), &n);
			if (!n)
				continue;
			snprintf(part, sizeof(part), "%s for %s%s (%d of %d cpu.* slower than %s)",
				 k == n ? "holds" : k ? "holds in part" : "does not hold", full[f],
				 rp_where(r, full[f]), k, n, rp_baseline(r, full[f]));
		}
		rp_claim_cat(o->verdict, sizeof(o->verdict), "%s%s", measured++ ? "; " : "", part);
	}
	if (isfinite(tbs))
		rp_claim_cat(o->ev, sizeof(o->ev), "TCG translated %.0f blocks under %s", tbs, full[0]);
	if (!measured)
		snprintf(o->verdict, sizeof(o->verdict), "not measured: no guest with emulated "
			 "devices has cpu.* slowdowns in this run");
}
