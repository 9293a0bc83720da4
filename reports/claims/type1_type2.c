/* SPDX-License-Identifier: MIT */
/* Claim 1: a Type-1 hypervisor has less overhead than a Type-2 one. */
#include <stddef.h>
#include <stdio.h>

#include "claim.h"

/*
 * 1. Type-1 beats Type-2: holds when the KVM guest is faster by > 5% than
 * the TCG guest (both with emulated devices) on every workload both ran.
 */
void rp_claim_type1_type2(const struct rp_report *rp, const struct rp_run *r,
			      struct claim_out *o)
{
	const char *t1, *t2;
	int n = 0, k = 0;
	double g, a, b;
	size_t i;
	json_t *w;

	if (rp_claim_not_run(r, VB_KIND_VM, VB_ACCEL_KVM, VB_DEV_EMULATED, &t1, o) ||
	    rp_claim_not_run(r, VB_KIND_VM, VB_ACCEL_TCG, VB_DEV_EMULATED, &t2, o) ||
	    rp_claim_apart(r, t1, t2, o))
		return;
	json_array_foreach(rp->benches, i, w) {
		if (rp_gap(r, t2, t1, json_string_value(w), &g, &a, &b))
			continue;
		n++;
		k += g > GAP_MIN;
		rp_claim_cat(o->ev, sizeof(o->ev), "%s%s: %s/%s %.2fx", n > 1 ? "; " : "",
			     json_string_value(w), t2, t1, g);
	}
	if (!n)
		snprintf(o->verdict, sizeof(o->verdict), "not measured: no workload ran on both");
	else if (k == n)
		snprintf(o->verdict, sizeof(o->verdict), "holds%s", rp_where(r, t1));
	else if (k)
		snprintf(o->verdict, sizeof(o->verdict), "holds for %d of %d workloads%s", k, n,
			 rp_where(r, t1));
	else
		snprintf(o->verdict, sizeof(o->verdict), "does not hold %s",
			 rp_lab(r, t1) ? "in the emulated lab" : "here");
}
