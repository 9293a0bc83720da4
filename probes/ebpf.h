/* SPDX-License-Identifier: MIT */
/*
 * What probes/ebpf.bpf.c and its loader probes/ebpf.c share: the key of
 * the one counter map. Every event is counted under the cgroup v2 id of
 * the task it happened in, only for cgroups the harness watches; a
 * measurement window is a snapshot of a cgroup's entries before and after.
 */
#ifndef VB_PROBES_EBPF_H
#define VB_PROBES_EBPF_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* What a counter counts; `sub` refines it (see each line). */
enum vb_ctr_kind {
	VB_C_KVM_EXIT = 1,   /* sub: isa << 24 | exit reason (isa 1 VMX, 2 SVM) */
	VB_C_KVM_PIO,        /* sub: 0 in, 1 out */
	VB_C_KVM_MMIO,       /* sub: the tracepoint's type (0 unsatisfied read, 1 read, 2 write) */
	VB_C_KVM_MSR,        /* sub: 0 read, 1 write */
	VB_C_KVM_HYPERCALL,  /* sub: 0 */
	VB_C_KVM_OUT_HIST,   /* sub: log2 of ns from kvm_exit to the next kvm_entry */
	VB_C_KVM_OUT_NS,     /* sub: 0; the sum of those ns */
	VB_C_QEMU,           /* sub: index into the QEMU function table (uprobe cookie) */
	VB_C_BLK_RQ,         /* sub: request op (0 read, 1 write, 2 flush, 3 discard, ...), completed */
	VB_C_BLK_BYTES,      /* sub: request op; bytes completed */
	VB_C_BLK_LAT_HIST,   /* sub: log2 of ns from issue to completion */
	VB_C_BLK_LAT_NS,     /* sub: 0; the sum of those ns */
	VB_C_PF_USER,        /* sub: 0 */
	VB_C_TLB_FLUSH,      /* sub: reason (enum tlb_flush_reason) */
	VB_C_SCHED,          /* sub: 0 involuntary (preempted while runnable), 1 voluntary */
	VB_C_SYSCALL,        /* sub: 0 */
};

#define VB_HIST_BUCKETS 40   /* log2 buckets: up to 2^40 ns, ~18 minutes */

struct vb_ctr_key {
	__u64 cgid;
	__u32 kind;
	__u32 sub;
};

#ifndef __VMLINUX_H__
/* ---- The loader's side (probes/ebpf.c), for probes/probes.c ---- */
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Probe groups of the BPF object, as named in a --probes list. */
enum vb_ebpf_group {
	VB_G_KVM, VB_G_QEMU, VB_G_BLOCK, VB_G_PF, VB_G_TLB, VB_G_SCHED, VB_G_SYSCALLS,
	VB_G_N
};
extern const char *const vb_ebpf_group_names[VB_G_N];

/* The QEMU functions counted by uprobes; VB_C_QEMU's sub indexes this. */
extern const char *const vb_qemu_fns[];
extern const size_t vb_qemu_nfns;

#define VB_EBPF_WHY 160

/* One counter's value summed over CPUs. */
struct vb_ctr {
	uint32_t kind, sub;
	uint64_t value;
};

/* All counters of one cgroup at one moment, sorted by (kind, sub). */
struct vb_ctr_set {
	struct vb_ctr *v;
	size_t n;
};

struct vb_ebpf;
struct bpf_link;

/*
 * Load the groups in `mask` (bits of enum vb_ebpf_group) and try each
 * attachment once: why[g] is "" for each group that attached, else the
 * reason it did not. Nothing stays attached. NULL when the object cannot
 * be loaded at all (err).
 */
struct vb_ebpf *vb_ebpf_open(unsigned mask, char why[VB_G_N][VB_EBPF_WHY], char *err,
			     size_t n);
/*
 * Attach the groups of mask that attached when opened (not the uprobes);
 * 0 or -1 (why). Each costs ~10 ms a program to detach again.
 */
int vb_ebpf_attach(struct vb_ebpf *e, unsigned mask, char *why, size_t n);
/* Detach them: no program runs until the next vb_ebpf_attach. */
void vb_ebpf_detach(struct vb_ebpf *e);
int vb_ebpf_watch_cgroup(struct vb_ebpf *e, uint64_t cgid, char *err, size_t n);
/* A uprobe on `func` of `binary` in process pid, counting under `cookie`. */
struct bpf_link *vb_ebpf_attach_uprobe(struct vb_ebpf *e, pid_t pid, const char *binary,
				       const char *func, uint64_t cookie, char *err,
				       size_t n);
/* Read every counter of cgroup cgid; 0 or -1 with err. */
int vb_ebpf_snapshot(struct vb_ebpf *e, uint64_t cgid, struct vb_ctr_set *out, char *err,
		     size_t n);
/* The value of (kind, sub) in s, 0 when absent. */
uint64_t vb_ctr_get(const struct vb_ctr_set *s, uint32_t kind, uint32_t sub);
void vb_ctr_set_free(struct vb_ctr_set *s);
void vb_ebpf_close(struct vb_ebpf *e);
#endif

#endif
