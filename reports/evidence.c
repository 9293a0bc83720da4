/* SPDX-License-Identifier: MIT */
#include "evidence.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../common/counter.h"
#include "../common/proto.h"

static int count_exits(const struct rp_run *r, const char *be, const char *bench, double *sum,
		       double *ops, const char **why)
{
	return rp_counter(r, be, bench, "kvm.exit.*", sum, ops, why);
}

/* The accesses the trap section shows, per operation instead of per request. */
static int count_accesses(const struct rp_run *r, const char *be, const char *bench,
			  double *sum, double *ops, const char **why)
{
	double each[RP_NTRAP];

	return rp_device_accesses(r, be, bench, each, sum, ops, why);
}

static int count_interrupts(const struct rp_run *r, const char *be, const char *bench,
			    double *sum, double *ops, const char **why)
{
	return rp_counter(r, be, bench, "interrupts.*", sum, ops, why);
}

const struct rp_cause rp_causes[RP_NCAUSES] = {
	[RP_CAUSE_EXITS] = {"VM exits", count_exits},
	/* Every MMIO or port access that reached a device model, kicks included. */
	[RP_CAUSE_ACCESSES] = {"trapped device accesses", count_accesses},
	[RP_CAUSE_INTERRUPTS] = {"guest interrupts", count_interrupts},
};

int rp_gap(const struct rp_run *r, const char *slow, const char *fast, const char *bench,
	   double *gap, double *slow_med, double *fast_med)
{
	const json_t *a = rp_summary(r, slow, bench), *b = rp_summary(r, fast, bench);

	if (!a || !b)
		return -1;
	*slow_med = vb_json_num(a, "median", NAN);
	*fast_med = vb_json_num(b, "median", NAN);
	if (!(*slow_med > 0) || !(*fast_med > 0))
		return -1;
	*gap = rp_higher_is_better(r, bench) ? *fast_med / *slow_med : *slow_med / *fast_med;
	return 0;
}

int rp_rate(const struct rp_run *r, const char *be, const char *bench,
	    const struct rp_cause *c, double *rate, const char **why)
{
	double sum, ops;
	int rc = c->count(r, be, bench, &sum, &ops, why);

	if (rc == 1 && ops > 0) {
		*rate = sum / ops;
		return 0;
	}
	if (rc == 1)
		*why = "no operation count to divide by";
	else if (rc < 0 || !*why)
		*why = "not recorded";
	return -1;
}

/*
 * What the counting passes of (be, bench) held besides the operations:
 * the backend's empty pass (count_floor) once per pass counted.
 */
static double floor_share(const struct rp_run *r, const char *be, const char *bench,
			  const char *name)
{
	const json_t *fl = json_object_get(rp_backend(r, be), "count_floor"), *e, *c;
	double each = 0, passes = 0;
	size_t i;

	if (strcmp(vb_json_str(fl, "status", ""), "ok"))
		return 0;
	json_array_foreach(json_object_get(fl, "counters"), i, c)
		if (rp_name_matches(vb_json_str(c, "name", ""), name) && vb_counter_is_evidence(c))
			each += vb_json_num(c, "value", 0);
	json_array_foreach(rp_pair(r, be, bench), i, e)
		passes += !strcmp(vb_json_str(e, "status", ""), "ok") &&
			  !strcmp(vb_json_str(json_object_get(e, "count"), "status", ""), "ok");
	return each * passes;
}

int rp_net_counter(const struct rp_run *r, const char *be, const char *bench,
		   const char *name, double *sum, double *ops, const char **why)
{
	int rc = rp_counter(r, be, bench, name, sum, ops, why);

	if (rc == 1)
		*sum = fmax(0, *sum - floor_share(r, be, bench, name));
	return rc;
}

int rp_block_requests(const struct rp_run *r, const char *be, const char *bench,
		      double *requests, const char **why)
{
	double ops;
	int rc = rp_counter(r, be, bench, "block.requests", requests, &ops, why);

	if (rc == 1 && *requests > 0)
		return 0;
	if (rc == 1)
		*why = "no block requests were counted";
	else if (rc < 0)
		*why = "no block.requests counter";
	return -1;
}

/*
 * A guest's MMIO and port I/O both reach QEMU's device model through
 * memory_region_dispatch_*. A virtio kick is a write to the queue's notify
 * register: without an ioeventfd QEMU dispatches it (virtio_queue_notify);
 * with one, KVM signals the eventfd from the exit itself and QEMU reads it
 * (virtio_queue_host_notifier_read) without dispatching, while under TCG
 * QEMU's dispatch signals the eventfd (so that kick is among the writes).
 */
static const char *const trap_counters[RP_NTRAP] = {
	[RP_TRAP_READ] = "qemu.memory_region_dispatch_read",
	[RP_TRAP_WRITE] = "qemu.memory_region_dispatch_write",
	[RP_TRAP_KICK] = "qemu.virtio_queue_*",
};
#define KICK_BY_EVENTFD "qemu.virtio_queue_host_notifier_read"

int rp_device_accesses(const struct rp_run *r, const char *be, const char *bench,
		       double each[RP_NTRAP], double *total, double *ops, const char **why)
{
	const struct vb_traits *t = rp_traits(r, be);
	double sum, n;
	const char *w = NULL;
	int found = -1;

	*total = 0;
	*ops = 0;
	*why = NULL;
	for (int k = 0; k < RP_NTRAP; k++) {
		int rc = rp_net_counter(r, be, bench, trap_counters[k], &sum, &n, &w);

		each[k] = rc == 1 ? sum : 0;
		if (rc == 0 && !*why)
			*why = w;
		if (rc != 1 || k == RP_TRAP_KICK)
			continue;
		*total += sum;
		*ops = fmax(*ops, n);
		found = 1;
	}
	if (found < 0 && *why)
		return 0;
	if (found > 0 && t && t->accel == VB_ACCEL_KVM &&
	    rp_net_counter(r, be, bench, KICK_BY_EVENTFD, &sum, &n, &w) == 1)
		*total += sum;
	return found;
}

int rp_traps_per_request(const struct rp_run *r, const char *be, const char *bench,
			 double *per_req, double each[RP_NTRAP], double *requests,
			 const char **why)
{
	double total, ops;

	if (rp_block_requests(r, be, bench, requests, why))
		return -1;
	if (rp_device_accesses(r, be, bench, each, &total, &ops, why) != 1) {
		*why = *why ? *why : "no qemu.memory_region_dispatch_* counters";
		return -1;
	}
	for (int k = 0; k < RP_NTRAP; k++)
		each[k] /= *requests;
	*per_req = total / *requests;
	return 0;
}

int rp_device_exits_per_request(const struct rp_run *r, const char *be, const char *bench,
				double *mmio, double *pio, double *requests, const char **why)
{
	double rd, wr, ops;
	const char *w1 = NULL, *w2 = NULL, *w3 = NULL;
	int rc_rd, rc_wr, rc_io;

	if (rp_block_requests(r, be, bench, requests, why))
		return -1;
	rc_rd = rp_net_counter(r, be, bench, "kvm.mmio.read", &rd, &ops, &w1);
	rc_wr = rp_net_counter(r, be, bench, "kvm.mmio.write", &wr, &ops, &w2);
	rc_io = rp_net_counter(r, be, bench, "kvm.pio.*", pio, &ops, &w3);
	if (rc_rd != 1 && rc_wr != 1 && rc_io != 1) {
		*why = w1 ? w1 : w2 ? w2 : w3 ? w3 : "no kvm.mmio.* or kvm.pio.* counters";
		return -1;
	}
	*mmio = ((rc_rd == 1 ? rd : 0) + (rc_wr == 1 ? wr : 0)) / *requests;
	*pio = (rc_io == 1 ? *pio : 0) / *requests;
	return 0;
}

const char *rp_no_slowdown_why(const struct rp_run *r, const char *be, const char *bench,
			       char *buf, size_t n)
{
	const char *base = rp_baseline(r, be);
	char why[200];

	if (rp_summary(r, be, bench) && base)
		snprintf(buf, n, "no ratio (%.40s %.80s)", base,
			 rp_not_ok_reason(r, base, bench, why, sizeof(why)));
	else
		snprintf(buf, n, "%.100s", rp_not_ok_reason(r, be, bench, why, sizeof(why)));
	return buf;
}

const char *rp_lab(const struct rp_run *r, const char *be)
{
	const struct vb_traits *t = rp_traits(r, be);

	return t && t->lab[0] ? t->lab : NULL;
}

int rp_same_place(const struct rp_run *r, const char *a, const char *b)
{
	const char *la = rp_lab(r, a), *lb = rp_lab(r, b);

	return la == lb || (la && lb && !strcmp(la, lb));
}

const char *rp_not_comparable(const struct rp_run *r, const char *a, const char *b, char *buf,
			      size_t n)
{
	const char *lab = rp_lab(r, a) ? a : b, *host = lab == a ? b : a;

	if (rp_same_place(r, a, b))
		return NULL;
	if (rp_lab(r, a) && rp_lab(r, b))
		snprintf(buf, n, "%s and %s ran in two different emulated labs", a, b);
	else
		snprintf(buf, n, "%s ran in the emulated lab (an L2 guest of real KVM inside an L1 "
			 "machine that QEMU emulates with TCG) and %s directly on this host: their "
			 "times come from two different machines, one of them emulated, so their "
			 "ratio would measure the emulation, not the approaches", lab, host);
	return buf;
}

int rp_has_comparable_baseline(const struct rp_run *r, const char *be)
{
	const char *base = rp_baseline(r, be);

	return base && rp_same_place(r, be, base);
}

const char *rp_where(const struct rp_run *r, const char *be)
{
	return rp_lab(r, be) ? " in the emulated lab" : "";
}
