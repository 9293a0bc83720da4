/* SPDX-License-Identifier: MIT */
/*
 * The probe set of a run: parse the list, load, watch instances, windows.
 * Nothing is attached outside a window: eBPF programs, uprobes and PMU
 * events are attached when a window begins and detached when it ends, so
 * the timed samples between windows run unobserved.
 */
#include "probes.h"
#include "ebpf.h"
#include "kvm_exits.h"
#include "pmu.h"
#include "../common/counter.h"

#include <bpf/libbpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define G_PMU VB_G_N               /* the PMU's bit after the eBPF groups */
/*
 * Not by default: syscalls (one event per system call). The QEMU uprobes
 * (25-40 us a hit on a PVM host) are in it, but attach only for windows
 * that ask for devices (VB_WINDOW_DEVICES), unless named in the list.
 */
#define DEFAULT_MASK ((1u << (G_PMU + 1)) - 1 - (1u << VB_G_SYSCALLS))
#define MAX_QEMU_FNS 16

struct vb_probe_watch {
	uint64_t cgid;
	pid_t pid;
	int pus[64], npus;                      /* its CPUs, for PMU events */
	int counting;                           /* something can be counted */
	int qemu;                               /* its pid runs qemu-system-* */
	char exe[64];                           /* /proc/<pid>/exe, for uprobes */
	unsigned groups;                        /* eBPF groups of this window */
	char attach_why[VB_EBPF_WHY];           /* this window could not attach */
	struct bpf_link *uprobe[MAX_QEMU_FNS];
	char uprobe_why[MAX_QEMU_FNS][VB_EBPF_WHY];
	struct vb_pmu *pmu;                     /* while a window is open */
	struct vb_ctr_set begin;
};

struct vb_probes {
	unsigned mask;                          /* requested: eBPF groups + G_PMU */
	unsigned per_window;                    /* default groups attached only in the
						   windows they can count in (window_groups) */
	char why[VB_G_N][VB_EBPF_WHY];          /* per group, "" when attached */
	char load_err[256];                     /* the object did not load at all */
	struct vb_ebpf *ebpf;
	struct vb_probe_watch **w;
	size_t nw;
};

static const char *probe_name(int g)
{
	return g == G_PMU ? "pmu" : vb_ebpf_group_names[g];
}

static int parse_list(const char *list, unsigned *mask, char *err, size_t n)
{
	char *copy, *tok, *save;

	*mask = 0;
	if (!list) {
		*mask = DEFAULT_MASK;
		return 0;
	}
	if (!(copy = strdup(list))) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int g;

		for (g = 0; g <= G_PMU && strcmp(tok, probe_name(g)); g++)
			;
		if (g > G_PMU) {
			snprintf(err, n, "unknown probe '%s' (known: kvm, qemu, block, pf, tlb, "
				 "sched, syscalls, pmu)", tok);
			free(copy);
			return -1;
		}
		*mask |= 1u << g;
	}
	free(copy);
	return 0;
}

struct vb_probes *vb_probes_open(const char *list, char *err, size_t n)
{
	struct vb_probes *p = calloc(1, sizeof(*p));
	unsigned bpf_mask;

	if (!p) {
		snprintf(err, n, "out of memory");
		return NULL;
	}
	if (parse_list(list, &p->mask, err, n)) {
		free(p);
		return NULL;
	}
	if (!list)
		p->per_window = (1u << VB_G_BLOCK) | (1u << VB_G_QEMU) | (1u << VB_G_KVM);
	bpf_mask = p->mask & ((1u << VB_G_N) - 1);
	if (bpf_mask)
		p->ebpf = vb_ebpf_open(bpf_mask, p->why, p->load_err, sizeof(p->load_err));
	return p;
}

static int on(const struct vb_probes *p, int g)
{
	return (p->mask >> g) & 1;
}

/* Does pid run a qemu-system binary? Then its uprobes go on w->exe. */
static int runs_qemu(struct vb_probe_watch *w, pid_t pid)
{
	char target[4096];
	ssize_t len;
	const char *base;

	snprintf(w->exe, sizeof(w->exe), "/proc/%d/exe", (int)pid);
	len = readlink(w->exe, target, sizeof(target) - 1);
	if (len <= 0)
		return 0;
	target[len] = '\0';
	base = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
	return strncmp(base, "qemu-system", 11) == 0;
}

/* A QEMU process gets a uprobe per function, each counting under its index. */
static void attach_qemu(struct vb_probes *p, struct vb_probe_watch *w)
{
	for (size_t f = 0; f < vb_qemu_nfns && f < MAX_QEMU_FNS; f++) {
		if (p->why[VB_G_QEMU][0])
			snprintf(w->uprobe_why[f], VB_EBPF_WHY, "%s", p->why[VB_G_QEMU]);
		else
			w->uprobe[f] = vb_ebpf_attach_uprobe(p->ebpf, w->pid, w->exe,
							     vb_qemu_fns[f], f, w->uprobe_why[f],
							     VB_EBPF_WHY);
	}
}

static void detach_qemu(struct vb_probe_watch *w)
{
	for (int f = 0; f < MAX_QEMU_FNS; f++) {
		bpf_link__destroy(w->uprobe[f]);
		w->uprobe[f] = NULL;
	}
}

struct vb_probe_watch *vb_probes_watch(struct vb_probes *p, const struct vb_probe_target *t)
{
	struct vb_probe_watch **nw, *w = calloc(1, sizeof(*w));
	char err[256];

	if (!w || !(nw = realloc(p->w, (p->nw + 1) * sizeof(*p->w)))) {
		free(w);
		return NULL;
	}
	p->w = nw;
	p->w[p->nw++] = w;
	w->cgid = t->cgroup_id;
	w->pid = t->pid;
	for (int i = 0; i < t->npus && w->npus < 64; i++)
		w->pus[w->npus++] = t->pus[i];
	if (p->ebpf && w->cgid && vb_ebpf_watch_cgroup(p->ebpf, w->cgid, err, sizeof(err)) == 0)
		w->counting = 1;
	w->qemu = p->ebpf && on(p, VB_G_QEMU) && t->pid > 0 && runs_qemu(w, t->pid);
	if (on(p, G_PMU) && w->npus) {
		struct vb_pmu *pmu = vb_pmu_open(w->pus, w->npus, NULL);

		w->counting |= pmu && vb_pmu_counting(pmu) > 0;
		vb_pmu_close(pmu);
	}
	return w;
}

int vb_probes_counting(const struct vb_probe_watch *w)
{
	return w && w->counting;
}

/* This window counts QEMU's device model: a QEMU process, uprobes in the window. */
static int counts_devices(const struct vb_probe_watch *w)
{
	return w->qemu && ((w->groups >> VB_G_QEMU) & 1);
}

/*
 * The requested groups that can count something in this window: block I/O
 * and QEMU's devices where the workload does I/O, KVM exits where the
 * environment is a KVM guest (a list that names a group asks for it in
 * every window). Each attached program costs ~10 ms to detach.
 */
static unsigned window_groups(const struct vb_probes *p, unsigned flags)
{
	unsigned g = p->mask & ((1u << VB_G_N) - 1);

	if (!(flags & VB_WINDOW_DEVICES))
		g &= ~(p->per_window & ((1u << VB_G_BLOCK) | (1u << VB_G_QEMU)));
	if (!(flags & VB_WINDOW_KVM))
		g &= ~(p->per_window & (1u << VB_G_KVM));
	return g;
}

void vb_probes_window_begin(struct vb_probes *p, struct vb_probe_watch *w, unsigned flags)
{
	char err[128];

	if (!w)
		return;
	vb_ctr_set_free(&w->begin);
	w->attach_why[0] = '\0';
	w->groups = window_groups(p, flags);
	if (p->ebpf && w->cgid)
		vb_ebpf_attach(p->ebpf, w->groups, w->attach_why, sizeof(w->attach_why));
	if (counts_devices(w))
		attach_qemu(p, w);
	if (on(p, G_PMU) && w->npus && (w->pmu = vb_pmu_open(w->pus, w->npus, NULL)))
		vb_pmu_begin(w->pmu);
	if (p->ebpf && w->cgid)
		vb_ebpf_snapshot(p->ebpf, w->cgid, &w->begin, err, sizeof(err));
}

/* ---- turning deltas into counters ---- */

struct window {
	const struct vb_ctr_set *b, *e;
	json_t *out;
};

static uint64_t delta(const struct window *x, uint32_t kind, uint32_t sub)
{
	return vb_ctr_get(x->e, kind, sub) - vb_ctr_get(x->b, kind, sub);
}

static uint64_t delta_sum(const struct window *x, uint32_t kind)
{
	uint64_t s = 0;

	for (size_t i = 0; i < x->e->n; i++)
		if (x->e->v[i].kind == kind)
			s += delta(x, kind, x->e->v[i].sub);
	return s;
}

static void put(const struct window *x, const char *name, uint64_t v, const char *unit)
{
	json_array_append_new(x->out, vb_counter("ebpf", "host", name, (long long)v, unit));
}

/* Each non-zero sub of kind as "<prefix><name(sub)>". */
static void put_each(const struct window *x, uint32_t kind, const char *prefix,
		     const char *(*name)(uint32_t sub, char *buf, size_t n), const char *unit)
{
	for (size_t i = 0; i < x->e->n; i++) {
		char sub[64], full[128];
		uint64_t d;

		if (x->e->v[i].kind != kind || !(d = delta(x, kind, x->e->v[i].sub)))
			continue;
		snprintf(full, sizeof(full), "%s%s", prefix, name(x->e->v[i].sub, sub, sizeof(sub)));
		put(x, full, d, unit);
	}
}

static const char *exit_name(uint32_t sub, char *buf, size_t n)
{
	return vb_kvm_exit_name(sub >> 24, sub & 0xffffff, buf, n);
}

static const char *bucket_name(uint32_t sub, char *buf, size_t n)
{
	snprintf(buf, n, "%u", sub);
	return buf;
}

static const char *blk_op_name(uint32_t op, char *buf, size_t n)
{
	static const char *const ops[] = { "read", "write", "flush", "discard" };

	if (op < 4)
		return ops[op];
	snprintf(buf, n, "op%u", op);
	return buf;
}

static const char *blk_rq_name(uint32_t op, char *buf, size_t n)
{
	char o[16];

	snprintf(buf, n, "%s.requests", blk_op_name(op, o, sizeof(o)));
	return buf;
}

static const char *blk_bytes_name(uint32_t op, char *buf, size_t n)
{
	char o[16];

	snprintf(buf, n, "%s.bytes", blk_op_name(op, o, sizeof(o)));
	return buf;
}

static const char *tlb_reason_name(uint32_t r, char *buf, size_t n)
{
	static const char *const names[] = { "task_switch", "remote_shootdown",
		"local_shootdown", "local_mm_shootdown", "remote_send_ipi" };

	if (r < sizeof(names) / sizeof(names[0]))
		return names[r];
	snprintf(buf, n, "reason%u", r);
	return buf;
}

static void put_kvm(const struct window *x)
{
	put(x, "kvm.exits", delta_sum(x, VB_C_KVM_EXIT), "count");
	put_each(x, VB_C_KVM_EXIT, "kvm.exit.", exit_name, "count");
	put(x, "kvm.pio.in", delta(x, VB_C_KVM_PIO, 0), "count");
	put(x, "kvm.pio.out", delta(x, VB_C_KVM_PIO, 1), "count");
	put(x, "kvm.mmio.read", delta(x, VB_C_KVM_MMIO, 1), "count");
	put(x, "kvm.mmio.write", delta(x, VB_C_KVM_MMIO, 2), "count");
	if (delta(x, VB_C_KVM_MMIO, 0))
		put(x, "kvm.mmio.unsatisfied_read", delta(x, VB_C_KVM_MMIO, 0), "count");
	put(x, "kvm.msr.read", delta(x, VB_C_KVM_MSR, 0), "count");
	put(x, "kvm.msr.write", delta(x, VB_C_KVM_MSR, 1), "count");
	put(x, "kvm.hypercalls", delta(x, VB_C_KVM_HYPERCALL, 0), "count");
	put(x, "kvm.outside_guest_time", delta(x, VB_C_KVM_OUT_NS, 0), "ns");
	put_each(x, VB_C_KVM_OUT_HIST, "kvm.outside_guest_time.log2_ns.", bucket_name, "count");
}

static void put_block(const struct window *x)
{
	put(x, "block.requests", delta_sum(x, VB_C_BLK_RQ), "count");
	put(x, "block.bytes", delta_sum(x, VB_C_BLK_BYTES), "bytes");
	put_each(x, VB_C_BLK_RQ, "block.", blk_rq_name, "count");
	put_each(x, VB_C_BLK_BYTES, "block.", blk_bytes_name, "bytes");
	put(x, "block.latency", delta(x, VB_C_BLK_LAT_NS, 0), "ns");
	put_each(x, VB_C_BLK_LAT_HIST, "block.latency.log2_ns.", bucket_name, "count");
}

static void put_qemu(const struct window *x, const struct vb_probe_watch *w)
{
	for (size_t f = 0; f < vb_qemu_nfns && f < MAX_QEMU_FNS; f++) {
		char name[96];

		snprintf(name, sizeof(name), "qemu.%s", vb_qemu_fns[f]);
		if (w->uprobe[f])
			put(x, name, delta(x, VB_C_QEMU, (uint32_t)f), "count");
		else
			json_array_append_new(x->out, vb_counter_unavailable("ebpf", "host", name,
									     "%s", w->uprobe_why[f]));
	}
}

/* The counter that stands for a whole group when the group cannot count. */
static const char *group_headline(int g)
{
	static const char *const names[VB_G_N] = {
		[VB_G_KVM] = "kvm.exits", [VB_G_QEMU] = "qemu.memory_region_dispatch_read",
		[VB_G_BLOCK] = "block.requests", [VB_G_PF] = "mem.page_faults_user",
		[VB_G_TLB] = "tlb.flushes", [VB_G_SCHED] = "sched.involuntary_switches",
		[VB_G_SYSCALLS] = "syscalls",
	};
	return names[g];
}

static void put_group(const struct window *x, const struct vb_probe_watch *w, int g)
{
	switch (g) {
	case VB_G_KVM: put_kvm(x); break;
	case VB_G_QEMU:
		if (counts_devices(w))
			put_qemu(x, w);
		break;
	case VB_G_BLOCK: put_block(x); break;
	case VB_G_PF: put(x, "mem.page_faults_user", delta(x, VB_C_PF_USER, 0), "count"); break;
	case VB_G_TLB:
		put(x, "tlb.flushes", delta_sum(x, VB_C_TLB_FLUSH), "count");
		put_each(x, VB_C_TLB_FLUSH, "tlb.flush.", tlb_reason_name, "count");
		break;
	case VB_G_SCHED:
		put(x, "sched.involuntary_switches", delta(x, VB_C_SCHED, 0), "count");
		put(x, "sched.voluntary_switches", delta(x, VB_C_SCHED, 1), "count");
		break;
	case VB_G_SYSCALLS: put(x, "syscalls", delta(x, VB_C_SYSCALL, 0), "count"); break;
	}
}

void vb_probes_window_end(struct vb_probes *p, struct vb_probe_watch *w, json_t *counters)
{
	struct vb_ctr_set end = { 0 };
	struct window x = { .e = &end, .out = counters };
	char err[256] = "";

	if (!w)
		snprintf(err, sizeof(err), "instance not watched");
	else if (!p->ebpf)
		snprintf(err, sizeof(err), "%s", p->load_err);
	else if (!w->cgid)
		snprintf(err, sizeof(err), "the instance has no cgroup v2 to count");
	else if (w->attach_why[0])
		snprintf(err, sizeof(err), "%s", w->attach_why);
	else
		vb_ebpf_snapshot(p->ebpf, w->cgid, &end, err, sizeof(err));
	vb_ebpf_detach(p->ebpf);
	x.b = w ? &w->begin : &end;
	for (int g = 0; g < VB_G_N; g++) {
		const char *why = err[0] ? err : p->why[g];

		if (!on(p, g) || (w && !((w->groups >> g) & 1)) ||
		    (g == VB_G_QEMU && !(w && counts_devices(w)) && !err[0]))
			continue;
		if (why[0])
			json_array_append_new(counters, vb_counter_unavailable(
				"ebpf", "host", group_headline(g), "%s", why));
		else
			put_group(&x, w, g);
	}
	vb_ctr_set_free(&end);
	if (w)
		detach_qemu(w);
	if (on(p, G_PMU)) {
		if (w && w->pmu)
			vb_pmu_end(w->pmu, counters);
		else
			json_array_append_new(counters, vb_counter_unavailable(
				"pmu", "host", "cycles", "%s",
				w ? "the instance is not pinned to CPUs" : "instance not watched"));
	}
	if (w) {
		vb_pmu_close(w->pmu);
		w->pmu = NULL;
	}
}

json_t *vb_probes_status(const struct vb_probes *p)
{
	json_t *a = json_array();

	for (int g = 0; g <= G_PMU; g++) {
		const char *why = g == G_PMU ? "" : p->ebpf ? p->why[g] : p->load_err;

		if (!on(p, g))
			json_array_append_new(a, json_pack("{s:s, s:s}", "probe", probe_name(g),
							   "status", "off"));
		else if (why[0])
			json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "probe", probe_name(g),
							   "status", "unavailable", "reason", why));
		else
			json_array_append_new(a, json_pack("{s:s, s:s}", "probe", probe_name(g),
							   "status", "ok"));
	}
	return a;
}

void vb_probes_close(struct vb_probes *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nw; i++) {
		detach_qemu(p->w[i]);
		vb_pmu_close(p->w[i]->pmu);
		vb_ctr_set_free(&p->w[i]->begin);
		free(p->w[i]);
	}
	free(p->w);
	vb_ebpf_close(p->ebpf);
	free(p);
}
