/* SPDX-License-Identifier: MIT */
/* Claim 3: para-virtualization pays off most for I/O. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim.h"

/* The per-request counts of an io.* workload under full and pv, as evidence. */
static void io_request_evidence(const struct rp_run *r, const char *full, const char *pv,
				const char *bench, struct claim_out *o)
{
	double f, p, mmio, pio, each[RP_NTRAP], req;
	char x[32], y[32];
	const char *why;

	if (!rp_traps_per_request(r, full, bench, &f, each, &req, &why) &&
	    !rp_traps_per_request(r, pv, bench, &p, each, &req, &why))
		rp_claim_cat(o->ev, sizeof(o->ev), ", device accesses per request %s vs %s",
			     rp_num(f, x, sizeof(x)), rp_num(p, y, sizeof(y)));
	if (!rp_device_exits_per_request(r, full, bench, &mmio, &pio, &req, &why)) {
		f = mmio + pio;
		if (!rp_device_exits_per_request(r, pv, bench, &mmio, &pio, &req, &why))
			rp_claim_cat(o->ev, sizeof(o->ev), ", device exits per request %s vs %s",
				     rp_num(f, x, sizeof(x)), rp_num(mmio + pio, y, sizeof(y)));
	}
}

/*
 * The verdict of claim 3 for one pair: the median full/pv gap over io.*
 * against the median over the rest (gaps in io[], rest[], room for every
 * workload).
 */
static void pv_io_pair(const struct rp_report *rp, const struct rp_run *r, const char *full,
		       const char *pv, double *io, double *rest, struct claim_out *o)
{
	size_t nio = 0, nrest = 0, i;
	double g, a, b;
	char why[400];
	json_t *w;

	if (!rp_backend_ok(r, full) || !rp_backend_ok(r, pv)) {
		rp_claim_cat(o->verdict, sizeof(o->verdict), "%s%s vs %s not measured (%s)",
			     o->verdict[0] ? "; " : "", full, pv,
			     rp_backend_why(r, rp_backend_ok(r, full) ? pv : full, why, sizeof(why)));
		return;
	}
	if (rp_not_comparable(r, full, pv, why, sizeof(why))) {
		rp_claim_cat(o->verdict, sizeof(o->verdict), "%snot comparable for %s vs %s: %s",
			     o->verdict[0] ? "; " : "", full, pv, why);
		return;
	}
	json_array_foreach(rp->benches, i, w) {
		const char *bench = json_string_value(w);

		if (rp_gap(r, full, pv, bench, &g, &a, &b))
			continue;
		if (strncmp(bench, "io.", 3)) {
			rest[nrest++] = g;
			continue;
		}
		io[nio++] = g;
		rp_claim_cat(o->ev, sizeof(o->ev), "%s %s/%s %.2fx", bench, full, pv, g);
		io_request_evidence(r, full, pv, bench, o);
		rp_claim_cat(o->ev, sizeof(o->ev), "; ");
	}
	if (!nio) {
		rp_claim_cat(o->verdict, sizeof(o->verdict), "%s%s vs %s not measured: no io.* workload",
			     o->verdict[0] ? "; " : "", full, pv);
		return;
	}
	a = vb_median(io, nio);
	b = nrest ? vb_median(rest, nrest) : 1;
	rp_claim_cat(o->ev, sizeof(o->ev), "%s/%s median gap: io.* %.2fx, other %.2fx; ", full, pv, a, b);
	rp_claim_cat(o->verdict, sizeof(o->verdict), "%s%s for %s vs %s%s", o->verdict[0] ? "; " : "",
		     a > GAP_MIN && a > b ? "holds" : "does not hold", full, pv, rp_where(r, full));
}

/*
 * 3. Para-virtualization pays off most for I/O: holds for a pair (both in
 * the same place) when the median full/pv gap over io.* exceeds 5% and
 * exceeds the gap over the rest.
 */
void rp_claim_pv_io(const struct rp_report *rp, const struct rp_run *r, struct claim_out *o)
{
	size_t np, n = json_array_size(rp->benches);
	struct rp_pv_pair *pairs = rp_pv_pairs(r, &np);
	double *io = malloc((n + 1) * sizeof(double)), *rest = malloc((n + 1) * sizeof(double));

	if (!pairs || !io || !rest)
		snprintf(o->verdict, sizeof(o->verdict), "not measured: %s", pairs ?
			 "out of memory" : "no guest with emulated devices beside its para-virtual "
			 "partner in this run");
	else
		for (size_t p = 0; p < np; p++)
			pv_io_pair(rp, r, pairs[p].full, pairs[p].pv, io, rest, o);
	free(pairs);
	free(io);
	free(rest);
}
