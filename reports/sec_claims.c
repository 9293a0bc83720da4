/* SPDX-License-Identifier: MIT */
/*
 * Section for coursework: the textbook claims (docs/references.md), each
 * with this run's evidence and a verdict computed from the numbers:
 * "holds", "holds for k of n workloads", "does not hold here", or
 * "not measured: <why>". The rules are stated next to each evaluator.
 * Each claim is about an approach, found in the run by its traits.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/proto.h"
#include "../common/stats.h"
#include "approaches.h"
#include "evidence.h"
#include "experiments.h"
#include "report.h"

#define CLOSE_TO_BARE 1.10 /* "close to bare": median slowdown within 10% */
#define GAP_MIN 1.05       /* differences under 5% do not count as a gap */

struct claim_out {
	char ev[1200];
	char verdict[800];
};

static void cat(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cat(char *buf, size_t n, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, n - used, fmt, ap);
	va_end(ap);
}

/*
 * The approach of these traits in r, in *be; 1 (verdict set) when there
 * is none or it did not run.
 */
static int not_run(const struct rp_run *r, enum vb_kind k, enum vb_accel a, enum vb_devices d,
		   const char **be, struct claim_out *o)
{
	char why[400];

	*be = rp_find(r, k, a, d);
	if (!*be) {
		snprintf(o->verdict, sizeof(o->verdict), "not measured: no run of %s",
			 rp_describe(k, a, d, why, sizeof(why)));
		return 1;
	}
	if (rp_backend_ok(r, *be))
		return 0;
	snprintf(o->verdict, sizeof(o->verdict), "not measured: %s",
		 rp_backend_why(r, *be, why, sizeof(why)));
	return 1;
}

/*
 * 1 (verdict set) when a and b ran in different places (one in the
 * emulated lab, one on this host): the claim is not decided across them.
 */
static int apart(const struct rp_run *r, const char *a, const char *b, struct claim_out *o)
{
	char why[400];

	if (!rp_not_comparable(r, a, b, why, sizeof(why)))
		return 0;
	snprintf(o->verdict, sizeof(o->verdict), "not comparable: %s", why);
	return 1;
}

/* apart() for be and its baseline: its slowdowns are judged only in its own place. */
static int baseline_apart(const struct rp_run *r, const char *be, struct claim_out *o)
{
	return rp_baseline(r, be) && apart(r, be, rp_baseline(r, be), o);
}

/*
 * 1. Type-1 beats Type-2: holds when the KVM guest is faster by > 5% than
 * the TCG guest (both with emulated devices) on every workload both ran.
 */
static void claim_type1_type2(const struct rp_report *rp, const struct rp_run *r,
			      struct claim_out *o)
{
	const char *t1, *t2;
	int n = 0, k = 0;
	double g, a, b;
	size_t i;
	json_t *w;

	if (not_run(r, VB_KIND_VM, VB_ACCEL_KVM, VB_DEV_EMULATED, &t1, o) ||
	    not_run(r, VB_KIND_VM, VB_ACCEL_TCG, VB_DEV_EMULATED, &t2, o) || apart(r, t1, t2, o))
		return;
	json_array_foreach(rp->benches, i, w) {
		if (rp_gap(r, t2, t1, json_string_value(w), &g, &a, &b))
			continue;
		n++;
		k += g > GAP_MIN;
		cat(o->ev, sizeof(o->ev), "%s%s: %s/%s %.2fx", n > 1 ? "; " : "",
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
			cat(ev, n, "%s %s: %s; ", be, bench,
			    rp_no_slowdown_why(r, be, bench, why_not, sizeof(why_not)));
			continue;
		}
		++*total;
		k += lo > 1;
		if (!rp_slowdown_is_ci(r, be, bench))
			cat(ev, n, "%s %s %sx, range %s to %s, vs %s", be, bench,
			    rp_num(med, a, sizeof(a)), rp_num(lo, b, sizeof(b)),
			    rp_num(hi, c, sizeof(c)), rp_baseline(r, be));
		else
			cat(ev, n, "%s %s %sx [%s, %s] vs %s", be, bench, rp_num(med, a, sizeof(a)),
			    rp_num(lo, b, sizeof(b)), rp_num(hi, c, sizeof(c)), rp_baseline(r, be));
		if (!rp_rate(r, be, bench, &rp_causes[RP_CAUSE_EXITS], &exits, &why))
			cat(ev, n, ", %s VM exits/op", rp_num(exits, a, sizeof(a)));
		cat(ev, n, "; ");
	}
	return k;
}

/*
 * 2. Full virtualization pays an interpreter-like cost: holds for a guest
 * with emulated devices (TCG, KVM) when every cpu.* workload is slower
 * than its baseline beyond its CI; judged only against a baseline in the
 * guest's own place (a lab guest against the lab's bare).
 */
static void claim_full_cost(const struct rp_report *rp, const struct rp_run *r,
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
		cat(o->verdict, sizeof(o->verdict), "%s%s", measured++ ? "; " : "", part);
	}
	if (isfinite(tbs))
		cat(o->ev, sizeof(o->ev), "TCG translated %.0f blocks under %s", tbs, full[0]);
	if (!measured)
		snprintf(o->verdict, sizeof(o->verdict), "not measured: no guest with emulated "
			 "devices has cpu.* slowdowns in this run");
}

/* The per-request counts of an io.* workload under full and pv, as evidence. */
static void io_request_evidence(const struct rp_run *r, const char *full, const char *pv,
				const char *bench, struct claim_out *o)
{
	double f, p, mmio, pio, each[RP_NTRAP], req;
	char x[32], y[32];
	const char *why;

	if (!rp_traps_per_request(r, full, bench, &f, each, &req, &why) &&
	    !rp_traps_per_request(r, pv, bench, &p, each, &req, &why))
		cat(o->ev, sizeof(o->ev), ", device accesses per request %s vs %s",
		    rp_num(f, x, sizeof(x)), rp_num(p, y, sizeof(y)));
	if (!rp_device_exits_per_request(r, full, bench, &mmio, &pio, &req, &why)) {
		f = mmio + pio;
		if (!rp_device_exits_per_request(r, pv, bench, &mmio, &pio, &req, &why))
			cat(o->ev, sizeof(o->ev), ", device exits per request %s vs %s",
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
		cat(o->verdict, sizeof(o->verdict), "%s%s vs %s not measured (%s)",
		    o->verdict[0] ? "; " : "", full, pv,
		    rp_backend_why(r, rp_backend_ok(r, full) ? pv : full, why, sizeof(why)));
		return;
	}
	if (rp_not_comparable(r, full, pv, why, sizeof(why))) {
		cat(o->verdict, sizeof(o->verdict), "%snot comparable for %s vs %s: %s",
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
		cat(o->ev, sizeof(o->ev), "%s %s/%s %.2fx", bench, full, pv, g);
		io_request_evidence(r, full, pv, bench, o);
		cat(o->ev, sizeof(o->ev), "; ");
	}
	if (!nio) {
		cat(o->verdict, sizeof(o->verdict), "%s%s vs %s not measured: no io.* workload",
		    o->verdict[0] ? "; " : "", full, pv);
		return;
	}
	a = vb_median(io, nio);
	b = nrest ? vb_median(rest, nrest) : 1;
	cat(o->ev, sizeof(o->ev), "%s/%s median gap: io.* %.2fx, other %.2fx; ", full, pv, a, b);
	cat(o->verdict, sizeof(o->verdict), "%s%s for %s vs %s%s", o->verdict[0] ? "; " : "",
	    a > GAP_MIN && a > b ? "holds" : "does not hold", full, pv, rp_where(r, full));
}

/*
 * 3. Para-virtualization pays off most for I/O: holds for a pair (both in
 * the same place) when the median full/pv gap over io.* exceeds 5% and
 * exceeds the gap over the rest.
 */
static void claim_pv_io(const struct rp_report *rp, const struct rp_run *r, struct claim_out *o)
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

/*
 * 4. A KVM guest on virtio is close to its baseline on most workloads:
 * > half within 10%; a lab guest against the lab's own bare, said so.
 */
static void claim_pv_close(const struct rp_report *rp, const struct rp_run *r,
			   struct claim_out *o)
{
	const char *pv;
	double med, lo, hi;
	int n = 0, k = 0;
	char num[32];
	size_t i;
	json_t *w;

	if (not_run(r, VB_KIND_VM, VB_ACCEL_KVM, VB_DEV_VIRTIO, &pv, o) ||
	    baseline_apart(r, pv, o))
		return;
	json_array_foreach(rp->benches, i, w) {
		if (rp_slowdown(r, pv, json_string_value(w), &med, &lo, &hi))
			continue;
		n++;
		k += med <= CLOSE_TO_BARE;
		cat(o->ev, sizeof(o->ev), "%s %sx; ", json_string_value(w), rp_num(med, num, sizeof(num)));
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

/* 5. Type-2 translates basic blocks: holds when TCG counted translated blocks. */
static void claim_tcg_blocks(const struct rp_report *rp, const struct rp_run *r,
			     struct claim_out *o)
{
	const char *first = NULL;
	int any = 0, ran = 0;
	size_t i;
	json_t *b;

	(void)rp;
	json_array_foreach(r->backends, i, b) {
		const char *be = vb_json_str(b, "name", "");
		double tbs, code;

		if (!r->has_traits[i] || r->traits[i].accel != VB_ACCEL_TCG)
			continue;
		first = first ? first : be;
		ran |= rp_backend_ok(r, be);
		tbs = rp_backend_counter(r, be, "tcg.tb_count");
		code = rp_backend_counter(r, be, "tcg.code_bytes");
		if (!isfinite(tbs))
			continue;
		any += tbs > 0;
		cat(o->ev, sizeof(o->ev), "%s: %.0f translation blocks", be, tbs);
		if (isfinite(code))
			cat(o->ev, sizeof(o->ev), ", %.1f MiB code cache", code / 1048576);
		cat(o->ev, sizeof(o->ev), "; ");
	}
	if (any)
		snprintf(o->verdict, sizeof(o->verdict), "holds");
	else if (o->ev[0])
		snprintf(o->verdict, sizeof(o->verdict), "does not hold here: no block translated");
	else if (ran)
		snprintf(o->verdict, sizeof(o->verdict), "not measured: no TCG translation "
			 "statistics (tcg.tb_count) in this run");
	else if (first)
		not_run(r, VB_KIND_VM, VB_ACCEL_TCG, VB_DEV_EMULATED, &first, o);
	else
		snprintf(o->verdict, sizeof(o->verdict), "not measured: no TCG guest in this run");
}

/*
 * 6. A device model mediating I/O makes frequent I/O expensive: holds when
 * the emulated-device approach needs more device accesses per request and
 * is slower by > 5% on that io.* workload than its para-virtual partner.
 */
static void claim_device_model(const struct rp_report *rp, const struct rp_run *r,
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
			cat(o->ev, sizeof(o->ev), "%s vs %s not compared: %s; ", full, pv, apart_why);
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
			cat(o->ev, sizeof(o->ev), "%s: %s %s accesses/request vs %s %s, "
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
static void claim_containers(const struct rp_report *rp, const struct rp_run *r,
			     struct claim_out *o)
{
	struct weight c, v, vm_mem = {NAN, NAN, NULL, NULL};
	const char *ct, *vm_mem_be = NULL;
	double vm_min = INFINITY;
	int elsewhere = 0;
	char x[32], y[32];
	size_t i;
	json_t *b;

	if (not_run(r, VB_KIND_CONTAINER, VB_ACCEL_NONE, VB_DEV_NATIVE, &ct, o))
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
			cat(o->ev, sizeof(o->ev), "%s ran in the emulated lab (not compared); ", be);
			elsewhere = 1;
			continue;
		}
		vm_min = fmin(vm_min, v.start_ms);
		if (isfinite(v.mem_mib) && !(vm_mem.mem_mib <= v.mem_mib)) {
			vm_mem = v;
			vm_mem_be = be;
		}
		cat(o->ev, sizeof(o->ev), "%s starts in %s ms (%s); ", be,
		    rp_num(v.start_ms, x, sizeof(x)), v.start_from);
	}
	cat(o->ev, sizeof(o->ev), "%s in %s ms (%s)", ct, rp_num(c.start_ms, x, sizeof(x)),
	    c.start_from);
	if (isfinite(c.mem_mib) && vm_mem_be)
		cat(o->ev, sizeof(o->ev), "; memory: %s %s MiB (%s), smallest VM %s %s MiB (%s)", ct,
		    rp_num(c.mem_mib, x, sizeof(x)), c.mem_from, vm_mem_be,
		    rp_num(vm_mem.mem_mib, y, sizeof(y)), vm_mem.mem_from);
	cat(o->ev, sizeof(o->ev), "; see Lifecycle: start, Lifecycle: memory and density");
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
		cat(o->ev, sizeof(o->ev), "%s%s: the neighbour's %s, %s; the victim %s; ", be,
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
			cat(o->ev, sizeof(o->ev), "%s%s cpu hog: %sx without limits", be,
			    rp_where(r, be), rp_num(with, x, sizeof(x)));
			if (!isfinite(lim))
				cat(o->ev, sizeof(o->ev), "; limits unavailable: %s; ",
				    vb_json_str(json_object_get(h, "limits"), "unavailable",
						"not measured"));
			else
				cat(o->ev, sizeof(o->ev), ", %sx with; ", rp_num(lim, y, sizeof(y)));
			if (with <= HOG_HURTS)
				continue;
			unlimited += !isfinite(lim);
			p->n += isfinite(lim);
			p->k += lim < LIMITS_HOLD;
		}
	}
	if (p->n)
		cat(o->ev, sizeof(o->ev), "rule: limits stop a cpu hog that slows its victim "
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
static void claim_isolation(const struct rp_report *rp, const struct rp_run *r,
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
	cat(o->ev, sizeof(o->ev), "see Isolation: noisy neighbours");
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

static const struct {
	const char *text;
	void (*eval)(const struct rp_report *, const struct rp_run *, struct claim_out *);
} claims[] = {
	{"A Type-1 hypervisor has less overhead than a Type-2 one.", claim_type1_type2},
	{"Full virtualization pays an interpreter-like cost on privileged work (binary "
	 "translation or traps).", claim_full_cost},
	{"Para-virtualization pays off most for I/O.", claim_pv_io},
	{"Modern hypervisors with para-virtual drivers run close to bare.", claim_pv_close},
	{"Hosted (Type-2) virtualization translates the guest into basic blocks.", claim_tcg_blocks},
	{"A device model mediating all I/O makes frequent I/O expensive.", claim_device_model},
	{"Containers start in a fraction of a second and weigh far less than VMs.",
	 claim_containers},
	{"A VM's fault stays inside it, and cgroups stop noisy neighbours.", claim_isolation},
};

size_t rp_claims_count(void)
{
	return sizeof(claims) / sizeof(claims[0]);
}

const char *rp_claim_judge(const struct rp_report *rp, const struct rp_run *r, size_t c,
			   char *verdict, size_t n)
{
	struct claim_out o = {{0}, {0}};

	claims[c].eval(rp, r, &o);
	snprintf(verdict, n, "%s", o.verdict);
	return claims[c].text;
}

void rp_sec_claims(struct rp_report *rp)
{
	static const char *const head[] = {"#", "claim", "run", "evidence", "verdict"};

	rp_doc_heading(&rp->doc, 2, "Textbook claims, tested");
	rp_doc_para(&rp->doc, "Claims that course notes repeat, each checked against the numbers "
		    "above. The rule behind each verdict is fixed in the code (reports/sec_claims.c) "
		    "and described in docs/report.md; a claim this run cannot test says why.");
	rp_doc_table(&rp->doc, 5, head);
	for (size_t c = 0; c < sizeof(claims) / sizeof(claims[0]); c++)
		for (int r = 0; r < rp->nruns; r++) {
			struct claim_out o = {{0}, {0}};
			char num[8];
			const char *cells[5], *cls[5] = {NULL, NULL, NULL, NULL, NULL};

			claims[c].eval(rp, &rp->runs[r], &o);
			/* Evidence lists end with a separator. */
			while (strlen(o.ev) > 0 && strchr("; ", o.ev[strlen(o.ev) - 1]))
				o.ev[strlen(o.ev) - 1] = 0;
			snprintf(num, sizeof(num), "%zu", c + 1);
			cells[0] = num;
			cells[1] = r ? "" : claims[c].text;
			cells[2] = rp->runs[r].label;
			cells[3] = o.ev[0] ? o.ev : "-";
			cells[4] = o.verdict;
			cls[4] = !strncmp(o.verdict, "holds", 5) ? "holds" :
				 !strncmp(o.verdict, "does not", 8) ? "fails" : "na";
			rp_doc_row(&rp->doc, 5, cells, cls);
		}
	rp_doc_table_end(&rp->doc);
}
