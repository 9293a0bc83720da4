/* SPDX-License-Identifier: MIT */
/* Claim 7: containers start in a fraction of a second and weigh far less than VMs. */
#include <math.h>
#include <stdio.h>

#include "claim.h"

/* What claim 7 weighs of an approach, and where each figure comes from. */
struct weight {
	double start_ms, mem_mib;       /* NAN where not recorded */
	const char *start_from, *mem_from;
};

/*
 * life.start's median and life.footprint's PSS where the run measured
 * them, else the one start of the approach's instance and its memory.peak.
 */
static void weigh(const struct rp_run *r, const char *be, struct weight *w)
{
	double med = rp_dist_median(rp_exp(r, be, RP_EXP_START), "start_ms");
	double pss = rp_measure_mib(json_object_get(rp_exp(r, be, RP_EXP_FOOTPRINT), "memory"),
				    "pss_bytes");
	double peak = rp_backend_counter(r, be, "memory.peak");

	w->start_ms = isfinite(med) ? med : rp_measure(rp_backend(r, be), "start_ms");
	w->start_from = isfinite(med) ? "life.start median" : "one start";
	w->mem_mib = isfinite(pss) ? pss : peak >= 0 ? peak / 1048576 : NAN;
	w->mem_from = isfinite(pss) ? "PSS" : "memory.peak";
}

/*
 * 7. Containers start in a fraction of a second and weigh less: the
 * container's start < 1 s and < every VM's in its place; its memory below
 * the smallest VM's where both are recorded.
 */
void rp_claim_containers(const struct rp_report *rp, const struct rp_run *r,
			     struct claim_out *o)
{
	struct weight c, v, vm_mem = {NAN, NAN, NULL, NULL};
	const char *ct, *vm_mem_be = NULL;
	double vm_min = INFINITY;
	int elsewhere = 0;
	char x[32], y[32];
	size_t i;
	json_t *b;

	if (rp_claim_not_run(r, VB_KIND_CONTAINER, VB_ACCEL_NONE, VB_DEV_NATIVE, &ct, o))
		return;
	weigh(r, ct, &c);
	json_array_foreach(rp->backends, i, b) {
		const char *be = json_string_value(b);

		if (!rp_is_kind(r, be, VB_KIND_VM) || !rp_backend_ok(r, be))
			continue;
		weigh(r, be, &v);
		if (!isfinite(v.start_ms))
			continue;
		/* a VM in the emulated lab boots inside an emulated machine: not compared */
		if (!rp_same_place(r, be, ct)) {
			rp_claim_cat(o->ev, sizeof(o->ev), "%s ran in the emulated lab (not compared); ", be);
			elsewhere = 1;
			continue;
		}
		vm_min = fmin(vm_min, v.start_ms);
		if (isfinite(v.mem_mib) && !(vm_mem.mem_mib <= v.mem_mib)) {
			vm_mem = v;
			vm_mem_be = be;
		}
		rp_claim_cat(o->ev, sizeof(o->ev), "%s starts in %s ms (%s); ", be,
			     rp_num(v.start_ms, x, sizeof(x)), v.start_from);
	}
	rp_claim_cat(o->ev, sizeof(o->ev), "%s in %s ms (%s)", ct, rp_num(c.start_ms, x, sizeof(x)),
		     c.start_from);
	if (isfinite(c.mem_mib) && vm_mem_be)
		rp_claim_cat(o->ev, sizeof(o->ev), "; memory: %s %s MiB (%s), smallest VM %s %s MiB (%s)", ct,
			     rp_num(c.mem_mib, x, sizeof(x)), c.mem_from, vm_mem_be,
			     rp_num(vm_mem.mem_mib, y, sizeof(y)), vm_mem.mem_from);
	rp_claim_cat(o->ev, sizeof(o->ev), "; see Lifecycle: start, Lifecycle: memory and density");
	if (!isfinite(c.start_ms)) {
		snprintf(o->verdict, sizeof(o->verdict), "not measured: no start time of %s", ct);
		return;
	}
	if (!isfinite(vm_min)) {
		snprintf(o->verdict, sizeof(o->verdict), "%s", elsewhere ?
			 "not comparable: every VM that started ran in the emulated lab, whose "
			 "machine QEMU emulates, and the container directly on this host" :
			 "not measured: no VM started in this run");
		return;
	}
	if (!(c.start_ms < 1000 && c.start_ms < vm_min))
		snprintf(o->verdict, sizeof(o->verdict), "does not hold here");
	else if (isfinite(c.mem_mib) && vm_mem_be)
		snprintf(o->verdict, sizeof(o->verdict), "%s", c.mem_mib < vm_mem.mem_mib ?
			 "holds" : "holds for start time, not for memory");
	else
		snprintf(o->verdict, sizeof(o->verdict), "holds for start time; memory not recorded");
}
