/* SPDX-License-Identifier: MIT */
/* Claim 4: modern hypervisors with para-virtual drivers run close to bare. */
#include <stdio.h>

#include "claim.h"

/*
 * 4. A KVM guest on virtio is close to its baseline on most workloads:
 * > half within 10%; a lab guest against the lab's own bare, said so.
 */
void rp_claim_pv_close(const struct rp_report *rp, const struct rp_run *r,
			   struct claim_out *o)
{
	const char *pv;
	double med, lo, hi;
	int n = 0, k = 0;
	char num[32];
	size_t i;
	json_t *w;

	if (rp_claim_not_run(r, VB_KIND_VM, VB_ACCEL_KVM, VB_DEV_VIRTIO, &pv, o) ||
	    rp_claim_baseline_apart(r, pv, o))
		return;
	json_array_foreach(rp->benches, i, w) {
		if (rp_slowdown(r, pv, json_string_value(w), &med, &lo, &hi))
			continue;
		n++;
		k += med <= CLOSE_TO_BARE;
		rp_claim_cat(o->ev, sizeof(o->ev), "%s %sx; ", json_string_value(w),
				      rp_num(med, num, sizeof(num)));
	}
	if (!n)
		snprintf(o->verdict, sizeof(o->verdict), "not measured: no slowdown vs %s",
			 rp_baseline(r, pv) ? rp_baseline(r, pv) : "a baseline");
	else
		snprintf(o->verdict, sizeof(o->verdict), "%s%s (%d of %d workloads within 10%% of "
			 "%s%s)", 2 * k > n ? "holds" : "does not hold",
			 rp_lab(r, pv) ? " in the emulated lab" : 2 * k > n ? "" : " here", k, n,
			 rp_baseline(r, pv), rp_lab(r, pv) ? ", the lab's own bare" : "");
}
