/* SPDX-License-Identifier: MIT */
/*
 * Loader of probes/ebpf.bpf.c (libbpf skeleton): loads the requested probe
 * groups, degrading group by group, attaches them only for counting
 * windows (a program attached costs time per event, counted or not), and
 * reads a cgroup's counters out of the per-CPU map.
 */
#include "ebpf.h"
#include "ebpf.skel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const vb_ebpf_group_names[VB_G_N] = {
	[VB_G_KVM] = "kvm", [VB_G_QEMU] = "qemu", [VB_G_BLOCK] = "block", [VB_G_PF] = "pf",
	[VB_G_TLB] = "tlb", [VB_G_SCHED] = "sched", [VB_G_SYSCALLS] = "syscalls",
};

/*
 * Exported by QEMU's binary (it is stripped, but these are dynamic
 * symbols). Each uprobe costs ~0.1 s to detach, so only what a report
 * reads is here: a guest's MMIO and port I/O both arrive through the
 * dispatch functions (cpu_in/out* are QEMU's own port I/O, not the guest's).
 */
const char *const vb_qemu_fns[] = {
	"memory_region_dispatch_read", "memory_region_dispatch_write",
	/* a virtio kick handled directly, and through an ioeventfd (TCG's path) */
	"virtio_queue_notify", "virtio_queue_host_notifier_read",
	/* virtio-blk's queue runs: kicks for the disk, not for the channel */
	"virtio_blk_handle_vq",
};
const size_t vb_qemu_nfns = sizeof(vb_qemu_fns) / sizeof(vb_qemu_fns[0]);

#define MAX_LINKS 16

struct vb_ebpf {
	struct ebpf_bpf *skel;
	int ncpus;
	unsigned attachable;             /* groups that attached when opened */
	struct bpf_link *link[MAX_LINKS]; /* while attached */
	int nlinks;
};

/* The programs of each group; the skeleton names them after their functions. */
static struct bpf_program **group_progs(struct ebpf_bpf *s, int g, struct bpf_program **out)
{
	struct bpf_program **p = out;

	switch (g) {
	case VB_G_KVM:
		*p++ = s->progs.kvm_exit; *p++ = s->progs.kvm_entry; *p++ = s->progs.kvm_pio;
		*p++ = s->progs.kvm_mmio; *p++ = s->progs.kvm_msr;
		*p++ = s->progs.kvm_hypercall;
		break;
	case VB_G_QEMU: *p++ = s->progs.qemu_fn; break;
	case VB_G_BLOCK:
		*p++ = s->progs.block_rq_insert; *p++ = s->progs.block_rq_issue;
		*p++ = s->progs.block_rq_complete;
		break;
	case VB_G_PF: *p++ = s->progs.page_fault_user; break;
	case VB_G_TLB: *p++ = s->progs.tlb_flush; break;
	case VB_G_SCHED: *p++ = s->progs.sched_switch; break;
	case VB_G_SYSCALLS: *p++ = s->progs.sys_enter; break;
	}
	*p = NULL;
	return out;
}

/* libbpf's last complaint, kept for reasons instead of going to stderr. */
static __thread char libbpf_msg[VB_EBPF_WHY];

static int keep_libbpf_msg(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN) {
		vsnprintf(libbpf_msg, sizeof(libbpf_msg), fmt, ap);
		libbpf_msg[strcspn(libbpf_msg, "\n")] = '\0';
	}
	if (getenv("VBENCH_DEBUG_BPF"))
		vfprintf(stderr, fmt, ap);
	return 0;
}

static void why_errno(char *why, size_t n, const char *what, int err)
{
	snprintf(why, n, "%s: %s%s%s", what, strerror(err), libbpf_msg[0] ? " (libbpf: " : "",
		 libbpf_msg[0] ? libbpf_msg : "");
	if (libbpf_msg[0])
		snprintf(why + strlen(why), n - strlen(why), ")");
}

/* Open and load the skeleton with only the groups in mask set to load. */
static struct ebpf_bpf *load(unsigned mask, int *err)
{
	struct ebpf_bpf *s = ebpf_bpf__open();
	struct bpf_program *progs[8];

	if (!s) {
		*err = errno;
		return NULL;
	}
	for (int g = 0; g < VB_G_N; g++)
		for (struct bpf_program **p = group_progs(s, g, progs); *p; p++)
			bpf_program__set_autoload(*p, (mask >> g) & 1);
	*err = -ebpf_bpf__load(s);
	if (*err) {
		ebpf_bpf__destroy(s);
		return NULL;
	}
	return s;
}

/* kvm_exit is a classic tracepoint: its id lives in tracefs, mount it if absent. */
static int ensure_tracefs(char *why, size_t n)
{
	struct stat st;

	if (stat("/sys/kernel/tracing/events", &st) == 0 ||
	    stat("/sys/kernel/debug/tracing/events", &st) == 0)
		return 0;
	if (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0)
		return 0;
	snprintf(why, n, "tracefs is not mounted and mounting it failed: %s", strerror(errno));
	return -1;
}

/* Attach the programs of group g; 0, or -1 with why (its links are kept either way). */
static int attach_group(struct vb_ebpf *e, int g, char *why, size_t n)
{
	struct bpf_program *progs[8];

	for (struct bpf_program **p = group_progs(e->skel, g, progs); *p; p++) {
		struct bpf_link *l;

		libbpf_msg[0] = '\0';
		if (e->nlinks == MAX_LINKS || !(l = bpf_program__attach(*p))) {
			char what[96];

			snprintf(what, sizeof(what), "attach %s", bpf_program__section_name(*p));
			why_errno(why, n, what, e->nlinks == MAX_LINKS ? ENOSPC : errno);
			return -1;
		}
		e->link[e->nlinks++] = l;
	}
	return 0;
}

void vb_ebpf_detach(struct vb_ebpf *e)
{
	while (e && e->nlinks > 0)
		bpf_link__destroy(e->link[--e->nlinks]);
}

int vb_ebpf_attach(struct vb_ebpf *e, unsigned mask, char *why, size_t n)
{
	vb_ebpf_detach(e);
	for (int g = 0; g < VB_G_N; g++)
		if (((e->attachable & mask) >> g & 1) && attach_group(e, g, why, n)) {
			vb_ebpf_detach(e);
			return -1;
		}
	return 0;
}

struct vb_ebpf *vb_ebpf_open(unsigned mask, char why[VB_G_N][VB_EBPF_WHY], char *err,
			     size_t n)
{
	struct vb_ebpf *e = calloc(1, sizeof(*e));
	int rc;

	if (!e) {
		snprintf(err, n, "out of memory");
		return NULL;
	}
	libbpf_set_print(keep_libbpf_msg);
	for (int g = 0; g < VB_G_N; g++)
		why[g][0] = '\0';
	libbpf_msg[0] = '\0';
	e->skel = load(mask, &rc);
	if (!e->skel) {
		/* Find the groups that do not load here, then load the rest. */
		for (int g = 0; g < VB_G_N; g++) {
			struct ebpf_bpf *s;

			if (!((mask >> g) & 1))
				continue;
			libbpf_msg[0] = '\0';
			s = load(1u << g, &rc);
			if (s) {
				ebpf_bpf__destroy(s);
				continue;
			}
			why_errno(why[g], VB_EBPF_WHY, "load", rc);
			mask &= ~(1u << g);
		}
		e->skel = load(mask, &rc);
	}
	if (!e->skel) {
		why_errno(err, n, "loading the BPF object", rc);
		free(e);
		return NULL;
	}
	e->ncpus = libbpf_num_possible_cpus();
	/* Learn now which groups attach here; they are attached per window. */
	for (int g = 0; g < VB_G_N; g++) {
		if (!((mask >> g) & 1) || g == VB_G_QEMU) /* uprobes: per QEMU process */
			continue;
		if ((g != VB_G_KVM || ensure_tracefs(why[g], VB_EBPF_WHY) == 0) &&
		    attach_group(e, g, why[g], VB_EBPF_WHY) == 0)
			e->attachable |= 1u << g;
		vb_ebpf_detach(e);
	}
	return e;
}

int vb_ebpf_watch_cgroup(struct vb_ebpf *e, uint64_t cgid, char *err, size_t n)
{
	uint8_t one = 1;

	if (bpf_map__update_elem(e->skel->maps.watched, &cgid, sizeof(cgid), &one, 1,
				 BPF_ANY)) {
		snprintf(err, n, "watching cgroup %llu: %s", (unsigned long long)cgid,
			 strerror(errno));
		return -1;
	}
	return 0;
}

struct bpf_link *vb_ebpf_attach_uprobe(struct vb_ebpf *e, pid_t pid, const char *binary,
				       const char *func, uint64_t cookie, char *err,
				       size_t n)
{
	LIBBPF_OPTS(bpf_uprobe_opts, o, .func_name = func, .bpf_cookie = cookie);
	struct bpf_link *l;

	libbpf_msg[0] = '\0';
	l = bpf_program__attach_uprobe_opts(e->skel->progs.qemu_fn, pid, binary, 0, &o);
	if (!l) {
		char what[128];

		snprintf(what, sizeof(what), "uprobe %s:%s", binary, func);
		why_errno(err, n, what, errno);
	}
	return l;
}

static int ctr_cmp(const void *a, const void *b)
{
	const struct vb_ctr *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->sub < y->sub ? -1 : x->sub > y->sub;
}

int vb_ebpf_snapshot(struct vb_ebpf *e, uint64_t cgid, struct vb_ctr_set *out, char *err,
		     size_t n)
{
	int fd = bpf_map__fd(e->skel->maps.counts);
	uint64_t *vals = calloc((size_t)e->ncpus, sizeof(*vals));
	struct vb_ctr_key k, next, *prev = NULL;
	size_t cap = 0;

	out->v = NULL;
	out->n = 0;
	if (!vals)
		goto oom;
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		k = next;
		prev = &k;
		if (k.cgid != cgid || bpf_map_lookup_elem(fd, &k, vals))
			continue;
		if (out->n == cap) {
			struct vb_ctr *v = realloc(out->v, (cap = cap ? 2 * cap : 64) * sizeof(*v));

			if (!v)
				goto oom;
			out->v = v;
		}
		out->v[out->n] = (struct vb_ctr){ .kind = k.kind, .sub = k.sub };
		for (int c = 0; c < e->ncpus; c++)
			out->v[out->n].value += vals[c];
		out->n++;
	}
	free(vals);
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), ctr_cmp);
	return 0;
oom:
	free(vals);
	vb_ctr_set_free(out);
	snprintf(err, n, "out of memory");
	return -1;
}

uint64_t vb_ctr_get(const struct vb_ctr_set *s, uint32_t kind, uint32_t sub)
{
	struct vb_ctr key = { .kind = kind, .sub = sub }, *f;

	if (!s->n)
		return 0;
	f = bsearch(&key, s->v, s->n, sizeof(key), ctr_cmp);
	return f ? f->value : 0;
}

void vb_ctr_set_free(struct vb_ctr_set *s)
{
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

void vb_ebpf_close(struct vb_ebpf *e)
{
	if (!e)
		return;
	vb_ebpf_detach(e);
	ebpf_bpf__destroy(e->skel);
	free(e);
}
