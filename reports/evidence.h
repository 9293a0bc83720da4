/* SPDX-License-Identifier: MIT */
/* Numbers the coursework sections reason with, derived from one run. */
#ifndef VB_EVIDENCE_H
#define VB_EVIDENCE_H

#include <stddef.h>

#include "rundata.h"

/*
 * How many times longer `slow` takes than `fast` on bench (medians of all
 * samples, turned for higher-is-better units: > 1 means slow is slower).
 * 0, or -1 when either lacks a summary.
 */
int rp_gap(const struct rp_run *r, const char *slow, const char *fast, const char *bench,
	   double *gap, double *slow_med, double *fast_med);

/* What the hypervisor did per operation, by kind of event. */
struct rp_cause {
	const char *what;       /* "VM exits", ... in a sentence */
	/* its events in (be, bench)'s counting passes and their operations; as rp_counter */
	int (*count)(const struct rp_run *r, const char *be, const char *bench, double *sum,
		     double *ops, const char **why);
};
enum { RP_CAUSE_EXITS, RP_CAUSE_ACCESSES, RP_CAUSE_INTERRUPTS, RP_NCAUSES };
extern const struct rp_cause rp_causes[RP_NCAUSES];

/* Per-operation rate of a cause; 0, or -1 with why (never NULL). */
int rp_rate(const struct rp_run *r, const char *be, const char *bench,
	    const struct rp_cause *c, double *rate, const char **why);

/*
 * A counter of (be, bench) as rp_counter, less what the backend's empty
 * counting pass (count_floor: the pass's own messages on the channel)
 * counted, once per pass, never below 0.
 */
int rp_net_counter(const struct rp_run *r, const char *be, const char *bench,
		   const char *name, double *sum, double *ops, const char **why);

/* Block requests of (be, bench)'s counting passes (> 0); 0, or -1 with why. */
int rp_block_requests(const struct rp_run *r, const char *be, const char *bench,
		      double *requests, const char **why);

/* Device reads, device writes, virtio kicks (QEMU's side of a trapped access). */
enum { RP_TRAP_READ, RP_TRAP_WRITE, RP_TRAP_KICK, RP_NTRAP };
/*
 * Device accesses that reached a device model in (be, bench)'s counting
 * passes, net of the empty pass: each[] by kind, and *total, the reads and
 * writes QEMU dispatched plus the kicks KVM delivered through an ioeventfd
 * (those never enter QEMU's dispatch; a kick QEMU dispatches itself is
 * among the writes). *ops: the operations counted. As rp_counter: 1 when
 * counted, 0 when only unavailable (why), -1 when not recorded.
 */
int rp_device_accesses(const struct rp_run *r, const char *be, const char *bench,
		       double each[RP_NTRAP], double *total, double *ops, const char **why);
/* The same per block request: total and each; 0, or -1 with why. */
int rp_traps_per_request(const struct rp_run *r, const char *be, const char *bench,
			 double *per_req, double each[RP_NTRAP], double *requests,
			 const char **why);
/*
 * VM exits on a device register per block request of (be, bench), net of
 * the empty pass: MMIO (kvm.mmio.read + write) and port I/O (kvm.pio.*).
 * 0, or -1 with why.
 */
int rp_device_exits_per_request(const struct rp_run *r, const char *be, const char *bench,
				double *mmio, double *pio, double *requests, const char **why);

/* Why (be, bench) has no slowdown: its own failure, or its baseline's (static or buf). */
const char *rp_no_slowdown_why(const struct rp_run *r, const char *be, const char *bench,
			       char *buf, size_t n);

/* The emulated-lab note of a backend (traits.lab), or NULL when it ran directly. */
const char *rp_lab(const struct rp_run *r, const char *be);
/*
 * 1 when a and b ran in the same place: both directly on this host, or
 * both in the same emulated lab (the same traits.lab note). Only then does
 * the report compare their numbers.
 */
int rp_same_place(const struct rp_run *r, const char *a, const char *b);
/* Why a and b are not compared, in a sentence; NULL when they are (same place). */
const char *rp_not_comparable(const struct rp_run *r, const char *a, const char *b, char *buf,
			      size_t n);
/*
 * 1 when be has a baseline in its own place: its slowdowns are shown and
 * judged. A lab backend whose baseline ran on the host is not.
 */
int rp_has_comparable_baseline(const struct rp_run *r, const char *be);
/* " in the emulated lab" where be ran in one, "" otherwise, for sentences. */
const char *rp_where(const struct rp_run *r, const char *be);

#endif
