/* SPDX-License-Identifier: MIT */
/* Claim 6: a device model mediating all I/O makes frequent I/O expensive. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim.h"

/*
 * 6. A device model mediating I/O makes frequent I/O expensive: holds when
 * the emulated-device approach needs more device accesses per request and
 * is slower by > 5% on that io.* workload than its para-virtual partner.
 */
void rp_claim_device_model(const struct rp_report *rp, const struct rp_run *r,
			       struct claim_out *o)
{
	size_t np;
	struct rp_pv_pair *pairs = rp_pv_pairs(r, &np);
	int n = 0, k = 0, in_lab = 0;

	for (size_t p = 0; pairs && p < np; p++) {
		const char *full = pairs[p].full, *pv = pairs[p].pv, *why;
		double per_f, per_p, each[RP_NTRAP], req, g, a, b;
		char apart_why[400], x[32], y[32];
		size_t i;
		json_t *w;

		if (rp_not_comparable(r, full, pv, apart_why, sizeof(apart_why))) {
			rp_claim_cat(o->ev, sizeof(o->ev), "%s vs %s not compared: %s; ", full, pv, apart_why);
			continue;
		}
		json_array_foreach(rp->benches, i, w) {
			const char *bench = json_string_value(w);

			if (strncmp(bench, "io.", 3) ||
			    rp_traps_per_request(r, full, bench, &per_f, each, &req, &why) ||
			    rp_traps_per_request(r, pv, bench, &per_p, each, &req, &why) ||
			    rp_gap(r, full, pv, bench, &g, &a, &b))
				continue;
			n++;
			k += per_f > per_p && g > GAP_MIN;
			in_lab += rp_lab(r, full) != NULL;
			rp_claim_cat(o->ev, sizeof(o->ev), "%s: %s %s accesses/request vs %s %s, "
				     "%s %.2fx slower; ", bench, full, rp_num(per_f, x, sizeof(x)), pv,
				     rp_num(per_p, y, sizeof(y)), full, g);
		}
	}
	free(pairs);
	if (!n)
		snprintf(o->verdict, sizeof(o->verdict), "not measured: no io.* workload has device "
			 "access counts under both an emulated and a para-virtual device");
	else
		snprintf(o->verdict, sizeof(o->verdict), "%s%s",
			 k == n ? "holds" : k ? "holds in part" : "does not hold",
			 in_lab == n ? " in the emulated lab" : k ? "" : " here");
}
