/* SPDX-License-Identifier: MIT */
/*
 * The textbook claims of the report's "Textbook claims, tested" section
 * (docs/references.md), one file each. A claim's evaluator writes this
 * run's evidence and a verdict computed from the numbers: "holds", "holds
 * for k of n workloads", "does not hold here", or "not measured: <why>".
 * The rule is stated next to each evaluator. Each claim is about an
 * approach, found in the run by its traits.
 */
#ifndef VB_CLAIM_H
#define VB_CLAIM_H

#include "../../common/proto.h"
#include "../../common/stats.h"
#include "../approaches.h"
#include "../evidence.h"
#include "../experiments.h"
#include "../report.h"

#define CLOSE_TO_BARE 1.10 /* "close to bare": median slowdown within 10% */
#define GAP_MIN 1.05       /* differences under 5% do not count as a gap */

struct claim_out {
	char ev[1200];
	char verdict[800];
};

/*
 * The claims in the section's order: X(name, text). Adding one is a file
 * with void rp_claim_NAME(rp, r, out) and a line here.
 */
#define RP_CLAIMS(X)                                                                          \
	X(type1_type2, "A Type-1 hypervisor has less overhead than a Type-2 one.")             \
	X(full_cost, "Full virtualization pays an interpreter-like cost on privileged work "   \
		     "(binary translation or traps).")                                        \
	X(pv_io, "Para-virtualization pays off most for I/O.")                                 \
	X(pv_close, "Modern hypervisors with para-virtual drivers run close to bare.")         \
	X(tcg_blocks, "Hosted (Type-2) virtualization translates the guest into basic blocks.") \
	X(device_model, "A device model mediating all I/O makes frequent I/O expensive.")      \
	X(containers, "Containers start in a fraction of a second and weigh far less than VMs.") \
	X(isolation, "A VM's fault stays inside it, and cgroups stop noisy neighbours.")

#define RP_CLAIM_DECLARE(name, text)                                                          \
	void rp_claim_##name(const struct rp_report *rp, const struct rp_run *r,               \
			     struct claim_out *o);
RP_CLAIMS(RP_CLAIM_DECLARE)
#undef RP_CLAIM_DECLARE

/* Append printf-style to buf (n bytes in all); what does not fit is dropped. */
void rp_claim_cat(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/*
 * The approach of these traits in r, in *be; 1 (verdict set) when there
 * is none or it did not run.
 */
int rp_claim_not_run(const struct rp_run *r, enum vb_kind k, enum vb_accel a, enum vb_devices d,
		     const char **be, struct claim_out *o);
/*
 * 1 (verdict set) when a and b ran in different places (one in the
 * emulated lab, one on this host): the claim is not decided across them.
 */
int rp_claim_apart(const struct rp_run *r, const char *a, const char *b, struct claim_out *o);
/* rp_claim_apart() for be and its baseline: its slowdowns are judged only in its own place. */
int rp_claim_baseline_apart(const struct rp_run *r, const char *be, struct claim_out *o);

#endif
