// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * vbench's host-side counters, counted per cgroup v2 id into one per-CPU
 * hash map (ebpf.h has the key). Only cgroups listed in `watched` count,
 * so the rest of the host costs one map lookup per event.
 * tp_btf wherever the arguments carry what we need (no tracefs needed);
 * kvm_exit is a classic tracepoint because only its record holds the exit
 * reason (the BTF arguments are the vCPU and the ISA).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "ebpf.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct vb_ctr_key);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);   /* cgroup id */
	__type(value, __u8);
} watched SEC(".maps");

/* vCPU thread id -> time of its last kvm_exit. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u64);
} exit_ts SEC(".maps");

struct rq_owner {
	__u64 cgid;
	__u64 issue_ns;   /* 0 until issued */
};

/*
 * A request may be inserted by the task that submitted it and issued
 * later from a kworker (an I/O scheduler, a busy queue): the owner is
 * remembered at insert, keyed by the request's address.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct rq_owner);
} rq_owners SEC(".maps");

static __always_inline __u64 watched_cgroup(void)
{
	__u64 id = bpf_get_current_cgroup_id();

	return bpf_map_lookup_elem(&watched, &id) ? id : 0;
}

static __always_inline void add(__u64 cgid, __u32 kind, __u32 sub, __u64 n)
{
	struct vb_ctr_key k = { .cgid = cgid, .kind = kind, .sub = sub };
	__u64 *v = bpf_map_lookup_elem(&counts, &k);

	if (v) {
		*v += n;   /* per-CPU value: no other writer */
		return;
	}
	if (bpf_map_update_elem(&counts, &k, &n, BPF_NOEXIST) == 0)
		return;
	/* Something on this CPU created it meanwhile: add to that. */
	v = bpf_map_lookup_elem(&counts, &k);
	if (v)
		*v += n;
}

static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0;

	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8) { v >>= 8; r += 8; }
	if (v >> 4) { v >>= 4; r += 4; }
	if (v >> 2) { v >>= 2; r += 2; }
	if (v >> 1) r += 1;
	return r < VB_HIST_BUCKETS ? r : VB_HIST_BUCKETS - 1;
}

static __always_inline void count(__u32 kind, __u32 sub)
{
	__u64 cg = watched_cgroup();

	if (cg)
		add(cg, kind, sub, 1);
}

/* ---- KVM ---- */
SEC("tp/kvm/kvm_exit")
int kvm_exit(struct trace_event_raw_kvm_exit *ctx)
{
	__u64 cg = watched_cgroup();
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 now;

	if (!cg)
		return 0;
	add(cg, VB_C_KVM_EXIT, (ctx->isa & 0xff) << 24 | (ctx->exit_reason & 0xffffff), 1);
	now = bpf_ktime_get_ns();
	bpf_map_update_elem(&exit_ts, &tid, &now, BPF_ANY);
	return 0;
}

SEC("tp_btf/kvm_entry")
int BPF_PROG(kvm_entry)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *t = bpf_map_lookup_elem(&exit_ts, &tid), cg, d;

	if (!t)
		return 0;
	d = bpf_ktime_get_ns() - *t;
	bpf_map_delete_elem(&exit_ts, &tid);
	cg = watched_cgroup();
	if (!cg)
		return 0;
	add(cg, VB_C_KVM_OUT_HIST, log2_u64(d), 1);
	add(cg, VB_C_KVM_OUT_NS, 0, d);
	return 0;
}

SEC("tp_btf/kvm_pio")
int BPF_PROG(kvm_pio, int rw)
{
	count(VB_C_KVM_PIO, rw ? 1 : 0);
	return 0;
}

SEC("tp_btf/kvm_mmio")
int BPF_PROG(kvm_mmio, int type)
{
	count(VB_C_KVM_MMIO, (__u32)type & 0xff);
	return 0;
}

SEC("tp_btf/kvm_msr")
int BPF_PROG(kvm_msr, unsigned int write)
{
	count(VB_C_KVM_MSR, write ? 1 : 0);
	return 0;
}

SEC("tp_btf/kvm_hypercall")
int BPF_PROG(kvm_hypercall)
{
	count(VB_C_KVM_HYPERCALL, 0);
	return 0;
}

/* ---- QEMU device dispatch (attached once per function, cookie = index) ---- */
SEC("uprobe")
int qemu_fn(struct pt_regs *ctx)
{
	count(VB_C_QEMU, (__u32)bpf_get_attach_cookie(ctx));
	return 0;
}

/* ---- block ---- */
SEC("tp_btf/block_rq_insert")
int BPF_PROG(block_rq_insert, struct request *rq)
{
	__u64 key = (__u64)rq;
	struct rq_owner o = { .cgid = watched_cgroup() };

	if (o.cgid)
		bpf_map_update_elem(&rq_owners, &key, &o, BPF_ANY);
	return 0;
}

/* Issue: who owns it, and when it went to the device (again, after a requeue). */
SEC("tp_btf/block_rq_issue")
int BPF_PROG(block_rq_issue, struct request *rq)
{
	__u64 key = (__u64)rq;
	struct rq_owner o = { .cgid = watched_cgroup() }, *prev;

	if (!o.cgid) {
		prev = bpf_map_lookup_elem(&rq_owners, &key);
		if (!prev)
			return 0;
		o.cgid = prev->cgid;
	}
	o.issue_ns = bpf_ktime_get_ns();
	bpf_map_update_elem(&rq_owners, &key, &o, BPF_ANY);
	return 0;
}

/*
 * Requests and bytes are counted at completion: a request the driver
 * requeues is issued twice but completes once. A completion may be
 * partial (nr_bytes < what is left): the request counts at its last one.
 */
SEC("tp_btf/block_rq_complete")
int BPF_PROG(block_rq_complete, struct request *rq, blk_status_t error, unsigned int nr_bytes)
{
	__u64 key = (__u64)rq, d;
	struct rq_owner *o = bpf_map_lookup_elem(&rq_owners, &key);
	__u32 op = rq->cmd_flags & 0xff;   /* REQ_OP_MASK */

	if (!o || !o->issue_ns)
		return 0;
	add(o->cgid, VB_C_BLK_BYTES, op, nr_bytes);
	if (nr_bytes < rq->__data_len)
		return 0;
	d = bpf_ktime_get_ns() - o->issue_ns;
	add(o->cgid, VB_C_BLK_RQ, op, 1);
	add(o->cgid, VB_C_BLK_LAT_HIST, log2_u64(d), 1);
	add(o->cgid, VB_C_BLK_LAT_NS, 0, d);
	bpf_map_delete_elem(&rq_owners, &key);
	return 0;
}

/* ---- memory ---- */
SEC("tp_btf/page_fault_user")
int BPF_PROG(page_fault_user)
{
	count(VB_C_PF_USER, 0);
	return 0;
}

SEC("tp_btf/tlb_flush")
int BPF_PROG(tlb_flush, int reason)
{
	count(VB_C_TLB_FLUSH, (__u32)reason & 0xff);
	return 0;
}

/* ---- scheduling: prev is the current task, still in its cgroup ---- */
SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	/* Involuntary: preempted, or switched out while still runnable. */
	count(VB_C_SCHED, preempt || prev_state == 0 /* TASK_RUNNING */ ? 0 : 1);
	return 0;
}

/* ---- syscalls: only when asked for (one event per system call) ---- */
SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter)
{
	count(VB_C_SYSCALL, 0);
	return 0;
}
