/* SPDX-License-Identifier: MIT */
/*
 * Host-side probes of the environments vbench runs: one eBPF object
 * (probes/ebpf.bpf.c) counting per cgroup v2 id, plus hardware counters
 * (probes/pmu.c). A run opens them once, watches each instance, and
 * brackets each counting pass with a window. Nothing is attached between
 * windows: the timed samples run unobserved.
 *
 * Probe names for a list: kvm, qemu, block, pf, tlb, sched, syscalls, pmu.
 * Default: all but syscalls (one event per system call); of those, block
 * and the qemu uprobes (one trap per device access, ~25-40 us each on a
 * PVM host, ~0.1 s each to detach) attach only in windows opened with
 * VB_WINDOW_DEVICES, and kvm only with VB_WINDOW_KVM. A list that names a
 * group attaches it in every window.
 *
 * Counters appended by vb_probes_window_end (source "ebpf" or "pmu",
 * scope "host", unit "count" unless said):
 *   kvm.exits, kvm.exit.<vmx|svm>.<reason>, kvm.pio.{in,out},
 *   kvm.mmio.{read,write,unsatisfied_read}, kvm.msr.{read,write}, kvm.hypercalls,
 *   kvm.outside_guest_time (ns, kvm_exit to the next kvm_entry of that thread);
 *   qemu.<function> for QEMU processes (uprobes: device dispatches, port I/O,
 *   virtio notifications);
 *   block.requests, block.bytes (bytes), block.<op>.{requests,bytes},
 *   block.latency (ns, issue to completion, summed);
 *   mem.page_faults_user; tlb.flushes, tlb.flush.<reason>;
 *   sched.involuntary_switches, sched.voluntary_switches; syscalls;
 *   pmu: cycles, instructions, dTLB-load-misses, iTLB-load-misses,
 *   dtlb-walk-cycles, itlb-walk-cycles, each also ".in_guest".
 * Histograms come as one counter per non-empty log2 bucket:
 *   <name>.log2_ns.<k> counts the events that took [2^k, 2^(k+1)) ns
 *   (kvm.outside_guest_time.log2_ns.<k>, block.latency.log2_ns.<k>).
 * What cannot be counted comes as {..., "unavailable": reason}.
 */
#ifndef VB_PROBES_H
#define VB_PROBES_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct vb_probes;
struct vb_probe_watch;

/* What the probes count: one environment as the host sees it. */
struct vb_probe_target {
	uint64_t cgroup_id;     /* its cgroup v2 id, for eBPF scoping; 0 if none */
	pid_t pid;              /* its host pid (QEMU's, for uprobes); 0 if none */
	const int *pus;         /* the CPUs it is pinned to, for PMU events */
	int npus;
};

/*
 * Open and attach the probe set; list = NULL for the default set, else a
 * comma list. Probes that cannot attach are kept as unavailable with the
 * reason. Returns NULL on OOM, or on a name it does not know (err says
 * which: a usage error).
 */
struct vb_probes *vb_probes_open(const char *list, char *err, size_t n);
/*
 * Watch a target: count its cgroup, note whether its pid runs a
 * qemu-system binary (uprobes) and whether PMU events open on its CPUs;
 * nothing is attached until a window. NULL when out of memory; what cannot be
 * counted for it is said in its windows.
 */
struct vb_probe_watch *vb_probes_watch(struct vb_probes *p, const struct vb_probe_target *t);
/* 1 when something can be counted for the watched target. */
int vb_probes_counting(const struct vb_probe_watch *w);
/* The window's operations do I/O: count block requests and QEMU's devices. */
#define VB_WINDOW_DEVICES 1u
/* The target is a KVM guest: count its VM exits. */
#define VB_WINDOW_KVM 2u
/*
 * A counting window of a watched target (w may be NULL): attach the
 * probes and remember the counts. Only one window is open at a time.
 */
void vb_probes_window_begin(struct vb_probes *p, struct vb_probe_watch *w, unsigned flags);
/* Append the window's counters to `counters` (a JSON array) and detach. */
void vb_probes_window_end(struct vb_probes *p, struct vb_probe_watch *w, json_t *counters);
/* Every probe with its status: [{probe, status: ok|unavailable|off, reason}]. */
json_t *vb_probes_status(const struct vb_probes *p);
void vb_probes_close(struct vb_probes *p);

#endif
