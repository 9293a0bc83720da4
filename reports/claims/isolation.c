/* SPDX-License-Identifier: MIT */
/* Claim 8: a VM's fault stays inside it, and cgroups stop noisy neighbours. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "claim.h"

/* Claim 8's rule for limits: the cpu hog clearly hurts unlimited, and limited it does not. */
#define HOG_HURTS 1.5
#define LIMITS_HOLD 1.2

/* One part of claim 8: of n approaches judged, k held; why none was judged. */
struct part {
	int n, k;
	char why[300];
};

/* "holds" / "holds in part" / "does not hold" for a part that was judged. */
static const char *part_word(const struct part *p)
{
	return p->k == p->n ? "holds" : p->k ? "holds in part" : "does not hold";
}

/*
 * Part 1: a VM's fault stays inside it: its neighbour's kernel panicked
 * (or its channel ended) and the victim went on.
 */
static void fault_part(const struct rp_report *rp, const struct rp_run *r, struct claim_out *o,
		       struct part *p)
{
	size_t i;
	json_t *b;

	snprintf(p->why, sizeof(p->why), "no VM ran iso.neighbour to its fault");
	json_array_foreach(rp->backends, i, b) {
		const char *be = json_string_value(b);
		const json_t *f = json_object_get(rp_exp(r, be, RP_EXP_NEIGHBOUR), "fault");
		int panic = json_is_true(json_object_get(f, "kernel_panic"));
		const json_t *nb = json_object_get(f, "neighbour");
		int ended = !strcmp(vb_json_str(nb, "ended", ""), "yes");
		int on = json_is_true(json_object_get(json_object_get(f, "victim"), "goes_on"));

		if (!rp_is_kind(r, be, VB_KIND_VM) || !json_is_object(f) ||
		    json_object_get(f, "unavailable"))
			continue;
		p->n++;
		p->k += (panic || ended) && on;
		rp_claim_cat(o->ev, sizeof(o->ev), "%s%s: the neighbour's %s, %s; the victim %s; ", be,
			     rp_where(r, be), panic ? "kernel panicked" : "crash showed no panic",
			     ended ? "it ended" : "it did not end", on ? "went on" : "did not go on");
	}
}

/*
 * Part 2: cgroups stop noisy neighbours: for the cpu hog, judged where it
 * slows the victim > HOG_HURTS x without limits; holds where with limits
 * on the neighbour the slowdown stays < LIMITS_HOLD x.
 */
static void limits_part(const struct rp_report *rp, const struct rp_run *r, struct claim_out *o,
			struct part *p)
{
	int hogs = 0, unlimited = 0;
	char x[32], y[32];
	size_t i, k;
	json_t *b, *h;

	json_array_foreach(rp->backends, i, b) {
		const char *be = json_string_value(b);

		json_array_foreach(json_object_get(rp_exp(r, be, RP_EXP_NEIGHBOUR), "hogs"), k, h) {
			double with = rp_dist_median(h, "slowdown");
			double lim = rp_dist_median(h, "slowdown_limited");

			if (strcmp(vb_json_str(h, "resource", ""), "cpu") || !isfinite(with))
				continue;
			hogs++;
			rp_claim_cat(o->ev, sizeof(o->ev), "%s%s cpu hog: %sx without limits", be,
				     rp_where(r, be), rp_num(with, x, sizeof(x)));
			if (!isfinite(lim))
				rp_claim_cat(o->ev, sizeof(o->ev), "; limits unavailable: %s; ",
					     vb_json_str(json_object_get(h, "limits"), "unavailable",
							 "not measured"));
			else
				rp_claim_cat(o->ev, sizeof(o->ev), ", %sx with; ", rp_num(lim, y, sizeof(y)));
			if (with <= HOG_HURTS)
				continue;
			unlimited += !isfinite(lim);
			p->n += isfinite(lim);
			p->k += lim < LIMITS_HOLD;
		}
	}
	if (p->n)
		rp_claim_cat(o->ev, sizeof(o->ev), "rule: limits stop a cpu hog that slows its victim "
			     "> %.1fx when, limited, it slows it < %.1fx; ", HOG_HURTS, LIMITS_HOLD);
	if (unlimited)
		snprintf(p->why, sizeof(p->why), "no limits could be put on a neighbour whose cpu "
			 "hog slowed its victim");
	else if (hogs)
		snprintf(p->why, sizeof(p->why), "no cpu hog slowed its victim by more than %.1fx: "
			 "nothing for limits to stop", HOG_HURTS);
	else
		snprintf(p->why, sizeof(p->why), "no cpu hog ran beside a victim");
}

/* "holds for faults (2 of 2 VMs)" or "faults not measured: why". */
static void part_text(const struct part *p, const char *what, const char *of, char *buf,
		      size_t n)
{
	if (p->n)
		snprintf(buf, n, "%s for %s (%d of %d %s)", part_word(p), what, p->k, p->n, of);
	else
		snprintf(buf, n, "%s not measured: %s", what, p->why);
}

/*
 * 8. A VM's fault stays inside it, and cgroups stop noisy neighbours
 * (iso.neighbour): "holds" when both parts hold wherever judged, "does
 * not hold here" when neither holds anywhere, else "holds in part"; where
 * only one part could be judged, its verdict leads and the other says why not.
 */
void rp_claim_isolation(const struct rp_report *rp, const struct rp_run *r,
			    struct claim_out *o)
{
	struct part fault = {0, 0, ""}, limits = {0, 0, ""};
	char a[360], b[360]; /* both fit in a verdict */

	if (!rp_exp_in_run(r, RP_EXP_NEIGHBOUR)) {
		snprintf(o->verdict, sizeof(o->verdict), "not measured: no noisy-neighbour "
			 "experiment (iso.neighbour) in this run; select iso.* or run --all");
		return;
	}
	fault_part(rp, r, o, &fault);
	limits_part(rp, r, o, &limits);
	rp_claim_cat(o->ev, sizeof(o->ev), "see Isolation: noisy neighbours");
	part_text(&fault, "faults", "VMs", a, sizeof(a));
	part_text(&limits, "limits", "approaches", b, sizeof(b));
	if (!fault.n && !limits.n)
		snprintf(o->verdict, sizeof(o->verdict), "not measured: %s; %s", fault.why,
			 limits.why);
	else if (!fault.n || !limits.n) /* the part judged first: its words lead */
		snprintf(o->verdict, sizeof(o->verdict), "%s; %s", fault.n ? a : b,
			 fault.n ? b : a);
	else if (fault.k == fault.n && limits.k == limits.n)
		snprintf(o->verdict, sizeof(o->verdict), "holds (%d of %d VMs' faults stayed "
			 "inside; limits stopped the cpu hog for %d of %d approaches)", fault.k,
			 fault.n, limits.k, limits.n);
	else if (!fault.k && !limits.k)
		snprintf(o->verdict, sizeof(o->verdict), "does not hold here: %s; %s", a, b);
	else
		snprintf(o->verdict, sizeof(o->verdict), "holds in part: %s; %s", a, b);
}
