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
#include "report.h"

#define CLOSE_TO_BARE 1.10 /* "close to bare": median slowdown within 10% */
#define GAP_MIN 1.05       /* differences under 5% do not count as a gap */

struct claim_out {
	char ev[1200];
	char verdict[300];
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

static int in_lab(const struct rp_run *r, const char *be, struct claim_out *o)
{
	if (!rp_lab(r, be))
		return 0;
	snprintf(o->verdict, sizeof(o->verdict), "not comparable here: %s ran in an emulated "
		 "lab, so its ratios to the host include the emulation (%s)", be, rp_lab(r, be));
	return 1;
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
	    not_run(r, VB_KIND_VM, VB_ACCEL_TCG, VB_DEV_EMULATED, &t2, o) || in_lab(r, t1, o))
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
		snprintf(o->verdict, sizeof(o->verdict), "holds");
	else if (k)
		snprintf(o->verdict, sizeof(o->verdict), "holds for %d of %d workloads", k, n);
	else
		snprintf(o->verdict, sizeof(o->verdict), "does not hold here");
}

/* Count cpu.* workloads of be whose whole slowdown CI lies above 1. */
static int cpu_slower(const struct rp_report *rp, const struct rp_run *r, const char *be,
		      char *ev, size_t n, int *total)
{
	double med, lo, hi;
	int k = 0;
	size_t i;
	json_t *w;

	*total = 0;
	json_array_foreach(rp->benches, i, w) {
		const char *bench = json_string_value(w);

		if (strncmp(bench, "cpu.", 4) || rp_slowdown(r, be, bench, &med, &lo, &hi))
			continue;
		++*total;
		k += lo > 1;
		cat(ev, n, "%s %s %.2fx [%.2f, %.2f]; ", be, bench, med, lo, hi);
	}
	return k;
}

/*
 * 2. Full virtualization pays an interpreter-like cost: holds for a guest
 * with emulated devices (TCG, KVM) when every cpu.* workload is slower
 * than its baseline beyond its CI.
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
		char part[200];

		if (!full[f] || !rp_backend_ok(r, full[f]) || rp_lab(r, full[f]))
			continue;
		k = cpu_slower(rp, r, full[f], o->ev, sizeof(o->ev), &n);
		if (!n)
			continue;
		snprintf(part, sizeof(part), "%s for %s (%d of %d cpu.* slower than bare)",
			 k == n ? "holds" : k ? "holds in part" : "does not hold", full[f], k, n);
		cat(o->verdict, sizeof(o->verdict), "%s%s", measured++ ? "; " : "", part);
	}
	if (isfinite(tbs))
		cat(o->ev, sizeof(o->ev), "TCG translated %.0f blocks under %s", tbs, full[0]);
	if (!measured)
		snprintf(o->verdict, sizeof(o->verdict), "not measured: no guest with emulated "
			 "devices (outside an emulated lab) has cpu.* slowdowns in this run");
}

/*
 * 3. Para-virtualization pays off most for I/O: holds for a pair when the
 * median full/pv gap over io.* exceeds 5% and exceeds the gap over the rest.
 */
static void claim_pv_io(const struct rp_report *rp, const struct rp_run *r, struct claim_out *o)
{
	size_t np, n = json_array_size(rp->benches);
	struct rp_pv_pair *pairs = rp_pv_pairs(r, &np);
	double *io = malloc((n + 1) * sizeof(double)), *rest = malloc((n + 1) * sizeof(double));
	char why[400];

	if (!pairs || !io || !rest) {
		snprintf(o->verdict, sizeof(o->verdict), "not measured: %s", pairs ?
			 "out of memory" : "no guest with emulated devices beside its para-virtual "
			 "partner in this run");
		np = 0;
	}
	for (size_t p = 0; p < np; p++) {
		const char *full = pairs[p].full, *pv = pairs[p].pv, *w1 = NULL;
		double g, a, b, per_f, per_p, each[RP_NTRAP], req;
		size_t nio = 0, nrest = 0;
		size_t i;
		json_t *w;

		if (!rp_backend_ok(r, full) || !rp_backend_ok(r, pv)) {
			cat(o->verdict, sizeof(o->verdict), "%s%s vs %s not measured (%s)",
			    o->verdict[0] ? "; " : "", full, pv,
			    rp_backend_why(r, rp_backend_ok(r, full) ? pv : full, why, sizeof(why)));
			continue;
		}
		json_array_foreach(rp->benches, i, w) {
			const char *bench = json_string_value(w);
			int is_io = !strncmp(bench, "io.", 3);

			if (rp_gap(r, full, pv, bench, &g, &a, &b))
				continue;
			if (is_io)
				io[nio++] = g;
			else
				rest[nrest++] = g;
			if (is_io && !rp_traps_per_request(r, full, bench, &per_f, each, &req, &w1) &&
			    !rp_traps_per_request(r, pv, bench, &per_p, each, &req, &w1))
				cat(o->ev, sizeof(o->ev), "%s %s/%s %.2fx, device accesses per request "
				    "%.3g vs %.3g; ", bench, full, pv, g, per_f, per_p);
			else if (is_io)
				cat(o->ev, sizeof(o->ev), "%s %s/%s %.2fx; ", bench, full, pv, g);
		}
		if (!nio) {
			cat(o->verdict, sizeof(o->verdict), "%s%s vs %s not measured: no io.* workload",
			    o->verdict[0] ? "; " : "", full, pv);
			continue;
		}
		a = vb_median(io, nio);
		b = nrest ? vb_median(rest, nrest) : 1;
		cat(o->ev, sizeof(o->ev), "%s/%s median gap: io.* %.2fx, other %.2fx; ", full, pv, a,
		    b);
		cat(o->verdict, sizeof(o->verdict), "%s%s for %s vs %s", o->verdict[0] ? "; " : "",
		    a > GAP_MIN && a > b ? "holds" : "does not hold", full, pv);
	}
	free(pairs);
	free(io);
	free(rest);
}

/* 4. A KVM guest on virtio is close to its baseline on most workloads: > half within 10%. */
static void claim_pv_close(const struct rp_report *rp, const struct rp_run *r,
			   struct claim_out *o)
{
	const char *pv;
	double med, lo, hi;
	int n = 0, k = 0;
	size_t i;
	json_t *w;

	if (not_run(r, VB_KIND_VM, VB_ACCEL_KVM, VB_DEV_VIRTIO, &pv, o) || in_lab(r, pv, o))
		return;
	json_array_foreach(rp->benches, i, w) {
		if (rp_slowdown(r, pv, json_string_value(w), &med, &lo, &hi))
			continue;
		n++;
		k += med <= CLOSE_TO_BARE;
		cat(o->ev, sizeof(o->ev), "%s %.2fx; ", json_string_value(w), med);
	}
	if (!n)
		snprintf(o->verdict, sizeof(o->verdict), "not measured: no slowdown vs %s",
			 rp_baseline(r, pv) ? rp_baseline(r, pv) : "a baseline");
	else
		snprintf(o->verdict, sizeof(o->verdict), "%s (%d of %d workloads within 10%% of %s)",
			 2 * k > n ? "holds" : "does not hold here", k, n, rp_baseline(r, pv));
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
	int n = 0, k = 0;

	for (size_t p = 0; pairs && p < np; p++) {
		const char *full = pairs[p].full, *pv = pairs[p].pv, *why;
		double per_f, per_p, each[RP_NTRAP], req, g, a, b;
		size_t i;
		json_t *w;

		json_array_foreach(rp->benches, i, w) {
			const char *bench = json_string_value(w);

			if (strncmp(bench, "io.", 3) ||
			    rp_traps_per_request(r, full, bench, &per_f, each, &req, &why) ||
			    rp_traps_per_request(r, pv, bench, &per_p, each, &req, &why) ||
			    rp_gap(r, full, pv, bench, &g, &a, &b))
				continue;
			n++;
			k += per_f > per_p && g > GAP_MIN;
			cat(o->ev, sizeof(o->ev), "%s: %s %.3g accesses/request vs %s %.3g, "
			    "%s %.2fx slower; ", bench, full, per_f, pv, per_p, full, g);
		}
	}
	free(pairs);
	if (!n)
		snprintf(o->verdict, sizeof(o->verdict), "not measured: no io.* workload has device "
			 "access counts under both an emulated and a para-virtual device");
	else
		snprintf(o->verdict, sizeof(o->verdict), "%s",
			 k == n ? "holds" : k ? "holds in part" : "does not hold here");
}

/* 7. Containers start in a fraction of a second, VMs boot: a container < 1 s and < every VM. */
static void claim_containers(const struct rp_report *rp, const struct rp_run *r,
			     struct claim_out *o)
{
	const char *ct;
	double c, crss, vm_min = INFINITY, vrss = NAN;
	size_t i;
	json_t *b;

	if (not_run(r, VB_KIND_CONTAINER, VB_ACCEL_NONE, VB_DEV_NATIVE, &ct, o))
		return;
	c = vb_json_num(rp_backend(r, ct), "start_ms", NAN);
	crss = rp_backend_counter(r, ct, "memory.peak");
	json_array_foreach(rp->backends, i, b) {
		const char *be = json_string_value(b);
		double ms = vb_json_num(rp_backend(r, be), "start_ms", NAN);

		if (!rp_is_kind(r, be, VB_KIND_VM) || !rp_backend_ok(r, be) || !isfinite(ms))
			continue;
		vm_min = fmin(vm_min, ms);
		if (isfinite(rp_backend_counter(r, be, "memory.peak")))
			vrss = fmin(isfinite(vrss) ? vrss : INFINITY,
				    rp_backend_counter(r, be, "memory.peak"));
		cat(o->ev, sizeof(o->ev), "%s starts in %.0f ms; ", be, ms);
	}
	cat(o->ev, sizeof(o->ev), "%s in %.1f ms", ct, c);
	if (isfinite(crss) && isfinite(vrss))
		cat(o->ev, sizeof(o->ev), "; memory: container %.1f MiB, smallest VM %.0f MiB",
		    crss / 1048576, vrss / 1048576);
	if (!isfinite(vm_min)) {
		snprintf(o->verdict, sizeof(o->verdict), "not measured: no VM started in this run");
		return;
	}
	if (!(c < 1000 && c < vm_min))
		snprintf(o->verdict, sizeof(o->verdict), "does not hold here");
	else if (isfinite(crss) && isfinite(vrss))
		snprintf(o->verdict, sizeof(o->verdict), "%s", crss < vrss ? "holds" :
			 "holds for start time, not for memory");
	else
		snprintf(o->verdict, sizeof(o->verdict), "holds for start time; memory not recorded");
}

/* 8. Isolation: needs noisy-neighbour workloads, which this version does not judge. */
static void claim_isolation(const struct rp_report *rp, const struct rp_run *r,
			    struct claim_out *o)
{
	size_t i;
	json_t *w;

	(void)r;
	json_array_foreach(rp->benches, i, w)
		if (!strncmp(json_string_value(w), "noisy.", 6))
			cat(o->ev, sizeof(o->ev), "%s ran; ", json_string_value(w));
	snprintf(o->verdict, sizeof(o->verdict), "not measured: %s", o->ev[0] ?
		 "the report has no rule yet to judge noisy.* workloads" :
		 "no noisy-neighbour workload (noisy.*) in this run");
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
