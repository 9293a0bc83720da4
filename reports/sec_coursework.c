/* SPDX-License-Identifier: MIT */
/*
 * Section for coursework: what the host-kind approach ("bare") stands on
 * when the host is itself a virtual machine (what the host's own
 * hypervisor does to system calls, CPUID, page faults and port I/O, and
 * why a TCG guest can then look faster than it), with this run's numbers;
 * then a glossary of the terms the report uses.
 */
#include <stdio.h>
#include <string.h>

#include "../common/proto.h"
#include "../common/virtdetect.h"
#include "approaches.h"
#include "evidence.h"
#include "report.h"

#define MAX_TCG 4 /* TCG guests beside the host in one table */

/* The workloads that show what a hypervisor under the host costs. */
enum { W_SYSCALL, W_CPUID, W_PGFAULT, W_PTEMOD, W_PORTIO, W_INT, NPROBES };
static const struct {
	const char *bench, *what;
} probes[NPROBES] = {
	{"cpu.syscall", "a null system call"},
	{"cpu.cpuid", "CPUID"},
	{"cpu.pgfault", "a page fault"},
	{"cpu.ptemod", "a page-table update (an mprotect flip and an access)"},
	{"cpu.portio", "a write to I/O port 0x80"},
	{"cpu.int", "plain computation (a sort), for contrast"},
};

/* What is under the host, from the run's own detection (meta.host.virt). */
enum host_kind { HOST_NOT_RECORDED, HOST_NOT_VM, HOST_PVM, HOST_HW, HOST_TCG, HOST_OTHER };

static const json_t *host_virt(const struct rp_run *r)
{
	return json_object_get(json_object_get(json_object_get(r->root, "meta"), "host"), "virt");
}

/* The detected hypervisor ("pvm", "kvm", "none", ...), NULL when not recorded. */
static const char *host_vm(const struct rp_run *r)
{
	return vb_json_str(host_virt(r), VB_VIRT_VM, NULL);
}

/* vb_detect_virt()'s names, by the way the hypervisor typically runs its guests. */
static enum host_kind host_kind(const char *vm)
{
	static const char *const hardware[] = {"kvm", "hyperv", "vmware", "bhyve", "acrn",
					       "virtualbox"};

	if (!vm)
		return HOST_NOT_RECORDED;
	if (!strcmp(vm, "none"))
		return HOST_NOT_VM;
	if (!strcmp(vm, "pvm"))
		return HOST_PVM;
	if (!strcmp(vm, "qemu-tcg"))
		return HOST_TCG;
	for (size_t i = 0; i < sizeof(hardware) / sizeof(hardware[0]); i++)
		if (!strcmp(vm, hardware[i]))
			return HOST_HW;
	return HOST_OTHER;
}

static int host_is_vm(const struct rp_run *r)
{
	enum host_kind k = host_kind(host_vm(r));

	return k != HOST_NOT_RECORDED && k != HOST_NOT_VM;
}

/* The first host-kind approach of r that ran directly on the host (not in a lab); NULL if none. */
static const char *host_backend(const struct rp_run *r)
{
	size_t i;
	json_t *b;

	json_array_foreach(r->backends, i, b) {
		const char *be = vb_json_str(b, "name", "");

		if (rp_is_kind(r, be, VB_KIND_HOST) && !rp_lab(r, be))
			return be;
	}
	return NULL;
}

/* Which of the two cases of the explanation below applies to this host. */
static const char *which_case(enum host_kind k)
{
	switch (k) {
	case HOST_PVM:
		return "PVM runs its guests para-virtualized, with shadow paging: of the two cases "
		       "below, the para-virtualized one applies.";
	case HOST_HW:
		return "Such a guest is typically hardware-assisted with nested paging: of the two "
		       "cases below, that one typically applies.";
	case HOST_TCG:
		return "The host is itself emulated by QEMU's TCG: its system calls, CPUID and page "
		       "faults are emulated in software by the QEMU process on the machine below "
		       "(see binary translation in the glossary), so neither case below applies.";
	default:
		return "The detection does not tell which kind of hypervisor it is: either case "
		       "below may apply.";
	}
}

/* " It runs in a container (detected: docker): ..." where the detection found one, else "". */
static const char *container_words(const struct rp_run *r, char *buf, size_t n)
{
	const char *ct = vb_json_str(host_virt(r), VB_VIRT_CONTAINER, "none");

	buf[0] = 0;
	if (strcmp(ct, "none"))
		snprintf(buf, n, " It runs in a container (detected: %.60s): namespaces and "
			 "cgroups isolate and limit its processes but do not trap their "
			 "instructions, so the container adds no VM exits.", ct);
	return buf;
}

/* What the host-kind approach be (NULL: none ran) measures on a host that is not a VM. */
static const char *bare_means(const char *be, char *buf, size_t n)
{
	if (!be)
		snprintf(buf, n, "No approach ran on the host itself in this run.");
	else
		snprintf(buf, n, "\"%.80s\" is then the machine itself: the workloads run as an "
			 "ordinary process on the host's own kernel with only the hardware below, so "
			 "its numbers are what hardware and kernel give, and a slowdown against it is "
			 "the cost of the approach alone.", be);
	return buf;
}

/* What the host-kind approach be (NULL: none ran) measures on a host that is a VM. */
static const char *guest_means(const char *be, char *buf, size_t n)
{
	if (!be)
		snprintf(buf, n, "Every approach that ran on it ran inside that guest.");
	else
		snprintf(buf, n, "So \"%.80s\" is not bare metal but a process in a guest: each of "
			 "its numbers includes what the host's own hypervisor does, and every "
			 "slowdown against it is relative to that guest, not to the hardware.", be);
	return buf;
}

/* What the host of run r is, and so what its host-kind approach measures. */
static void host_para(struct rp_report *rp, const struct rp_run *r)
{
	const char *vm = host_vm(r), *be = host_backend(r);
	const char *name = vb_json_str(json_object_get(json_object_get(r->root, "meta"), "host"),
				       "hostname", "?");
	char pre[120], means[400], ct[300];

	rp_run_prefix(rp, r, pre, sizeof(pre));
	container_words(r, ct, sizeof(ct));
	if (host_kind(vm) == HOST_NOT_RECORDED)
		rp_doc_para(&rp->doc, "%sThe run does not record whether its host \"%s\" is a "
			    "virtual machine (no meta.host.virt.vm): what the approaches stood on is "
			    "not known.", pre, name);
	else if (host_kind(vm) == HOST_NOT_VM)
		rp_doc_para(&rp->doc, "%sThe host \"%s\" is not a virtual machine: the run's "
			    "detection found no hypervisor under it (evidence under Environment). "
			    "%s%s", pre, name, bare_means(be, means, sizeof(means)), ct);
	else
		rp_doc_para(&rp->doc, "%sThe host \"%s\" is itself a virtual machine (detected: "
			    "%s; evidence under Environment). %s%s %s", pre, name, vm,
			    guest_means(be, means, sizeof(means)), ct, which_case(host_kind(vm)));
}

/* Where a host-kind approach ran in an emulated lab: it stands on the lab's machine. */
static void lab_baseline_para(struct rp_report *rp, const struct rp_run *r)
{
	const json_t *lab_host = json_object_get(json_object_get(json_object_get(r->root, "meta"),
								 "lab"), "host");
	const char *l1 = vb_json_str(json_object_get(lab_host, "virt"), VB_VIRT_VM,
				     "not recorded");
	char pre[120];
	size_t i;
	json_t *b;

	json_array_foreach(r->backends, i, b) {
		const char *be = vb_json_str(b, "name", "");

		if (!rp_is_kind(r, be, VB_KIND_HOST) || !rp_lab(r, be))
			continue;
		rp_doc_para(&rp->doc, "%s\"%s\", the baseline of the approaches marked (lab), stands "
			    "on the emulated lab's machine, not on this host (%s; detected in L1: "
			    "%s): what is said here of the host concerns the other approaches.",
			    rp_run_prefix(rp, r, pre, sizeof(pre)), be, rp_lab(r, be), l1);
		return;
	}
}

/*
 * The median of (be, bench) in its unit ("2188 ns/op") in buf, and 1; or
 * why there is none ("not in this run", the measurement's failure), and 0.
 */
static int median_words(const struct rp_run *r, const char *be, const char *bench, char *buf,
			size_t n)
{
	const json_t *s = be ? rp_summary(r, be, bench) : NULL;
	char num[32];

	if (!be || !json_array_size(rp_pair(r, be, bench))) {
		snprintf(buf, n, "not in this run");
		return 0;
	}
	if (!s || !json_is_number(json_object_get(s, "median"))) {
		rp_not_ok_reason(r, be, bench, buf, n);
		return 0;
	}
	snprintf(buf, n, "%s %.20s", rp_num(vb_json_num(s, "median", 0), num, sizeof(num)),
		 vb_json_str(s, "unit", ""));
	return 1;
}

/* The host-kind approach's median of bench in every run whose host is a VM: "bare 2188 ns/op". */
static const char *host_values(const struct rp_report *rp, const char *bench, char *buf,
			       size_t n)
{
	char series[160], val[200];
	size_t used = 0;

	buf[0] = 0;
	for (int r = 0; r < rp->nruns; r++) {
		const char *be = host_backend(&rp->runs[r]);
		int number, k;

		if (!host_is_vm(&rp->runs[r]))
			continue;
		number = median_words(&rp->runs[r], be, bench, val, sizeof(val));
		if (be)
			rp_series(rp, r, be, series, sizeof(series));
		else
			snprintf(series, sizeof(series), "%s", rp->nruns > 1 ? rp->runs[r].label : "");
		k = snprintf(buf + used, n - used, "%s%s%s%s", used ? "; " : "", series,
			     !series[0] ? "" : number ? " " : ": ", val);
		if (k < 0 || (size_t)k >= n - used)
			break;
		used += (size_t)k;
	}
	return buf;
}

/* "cpu.syscall, a null system call: bare 2188 ns/op" for probe p. */
static const char *measured(const struct rp_report *rp, int p, char *buf, size_t n)
{
	char values[800];

	snprintf(buf, n, "%s, %s: %s", probes[p].bench, probes[p].what,
		 host_values(rp, probes[p].bench, values, sizeof(values)));
	return buf;
}

/* What a hypervisor under the host does to each kind of operation, with this report's numbers. */
static void mechanisms(struct rp_report *rp)
{
	char a[1000], b[1000];

	rp_doc_para(&rp->doc, "A hypervisor runs its guests in one of two ways, and they cost "
		    "differently. Hardware-assisted (Intel VMX, AMD SVM): the guest kernel runs "
		    "natively in the CPU's guest mode, and only some events leave the guest in a "
		    "VM exit. Para-virtualized with shadow paging, as PVM does: the guest kernel "
		    "runs in user mode under the hypervisor, which also keeps the page tables the "
		    "CPU really uses. What each does to the operations the cpu.* workloads time:");
	rp_doc_item(&rp->doc, "System calls. In a hardware-assisted VM a system call does not exit: "
		    "the guest kernel takes it natively. Under PVM-style para-virtualization the "
		    "guest kernel is not in the CPU's kernel mode, so a system call typically goes "
		    "through the hypervisor to reach it, a world switch each way. Measured here: "
		    "%s; on bare metal one typically takes well under a microsecond.",
		    measured(rp, W_SYSCALL, a, sizeof(a)));
	rp_doc_item(&rp->doc, "CPUID. A guest cannot run CPUID natively: under VMX it always "
		    "causes a VM exit (under SVM hypervisors intercept it too) and the hypervisor "
		    "answers it, so in a guest it is a round trip to the hypervisor. Measured here: "
		    "%s; on bare metal the instruction typically takes tens of nanoseconds.",
		    measured(rp, W_CPUID, a, sizeof(a)));
	rp_doc_item(&rp->doc, "Page faults and page-table updates. Under nested paging (EPT/NPT), "
		    "the usual case for a hardware-assisted VM, the guest takes its own page faults "
		    "and writes its own page tables without exits; it pays on TLB misses instead, "
		    "each a two-dimensional walk through the guest's and the host's tables (up to "
		    "24 memory references instead of 4 with four-level tables). Under shadow "
		    "paging (PVM, or KVM without EPT/NPT) a guest page fault typically reaches the "
		    "hypervisor first, and a write to a guest page-table entry may trap so that "
		    "the shadow follows it. Measured here: %s; %s.",
		    measured(rp, W_PGFAULT, a, sizeof(a)), measured(rp, W_PTEMOD, b, sizeof(b)));
	rp_doc_item(&rp->doc, "Port I/O. An IN or OUT on an I/O port is typically intercepted by "
		    "the hypervisor (a VM exit under VMX/SVM) and handled by a device model. "
		    "Measured here: %s.", measured(rp, W_PORTIO, a, sizeof(a)));
	rp_doc_list_end(&rp->doc);
}

/* The TCG guests of r that ran beside its host-kind approach and are compared with it. */
static int tcg_guests(const struct rp_run *r, const char *host, const char **out)
{
	int n = 0;
	size_t i;
	json_t *b;

	json_array_foreach(r->backends, i, b) {
		const char *be = vb_json_str(b, "name", "");
		const struct vb_traits *t = rp_traits(r, be);
		const char *base = rp_baseline(r, be);

		if (n < MAX_TCG && t && t->kind == VB_KIND_VM && t->accel == VB_ACCEL_TCG &&
		    rp_backend_ok(r, be) && base && !strcmp(base, host) &&
		    rp_has_comparable_baseline(r, be))
			out[n++] = be;
	}
	return n;
}

/* A slowdown with its interval named ("0.321x (range of 2 rounds: 0.253 to 0.388)"), or why none. */
static const char *slowdown_cell(const struct rp_run *r, const char *be, const char *bench,
				 char *buf, size_t n, const char **cls)
{
	double med, lo, hi;
	char a[32], b[32], c[32], words[64];

	*cls = "na";
	if (!json_array_size(rp_pair(r, be, bench)))
		snprintf(buf, n, "not in this run");
	else if (rp_slowdown(r, be, bench, &med, &lo, &hi))
		rp_no_slowdown_why(r, be, bench, buf, n);
	else {
		snprintf(buf, n, "%sx (%s: %s to %s)", rp_num(med, a, sizeof(a)),
			 rp_interval_words(r, be, bench, words, sizeof(words)),
			 rp_num(lo, b, sizeof(b)), rp_num(hi, c, sizeof(c)));
		/* coloured as the findings are: only where a 95% CI, not a range, lies on one side */
		*cls = NULL;
		if (rp_slowdown_is_ci(r, be, bench))
			*cls = lo > 1 ? "slower" : hi < 1 ? "faster" : NULL;
	}
	return buf;
}

/* The host-kind approach's medians beside the TCG guests' slowdowns on the probes. */
static void tcg_table(struct rp_report *rp, int run, const char *host, const char **tcg,
		      int ntcg)
{
	const struct rp_run *r = &rp->runs[run];
	const char *head[MAX_TCG + 2], *cells[MAX_TCG + 2], *cls[MAX_TCG + 2];
	char heads[MAX_TCG + 1][200], buf[MAX_TCG + 2][400], series[160];

	head[0] = "workload: what it times";
	snprintf(heads[0], sizeof(heads[0]), "%s (median)", rp_series(rp, run, host, series,
								       sizeof(series)));
	head[1] = heads[0];
	for (int k = 0; k < ntcg; k++) {
		snprintf(heads[k + 1], sizeof(heads[0]), "%s vs %s",
			 rp_series(rp, run, tcg[k], series, sizeof(series)), host);
		head[k + 2] = heads[k + 1];
	}
	rp_doc_table(&rp->doc, ntcg + 2, head);
	for (int p = 0; p < NPROBES; p++) {
		snprintf(buf[0], sizeof(buf[0]), "%s: %s", probes[p].bench, probes[p].what);
		cells[0] = buf[0];
		median_words(r, host, probes[p].bench, buf[1], sizeof(buf[1]));
		cells[1] = buf[1];
		cls[0] = cls[1] = NULL;
		for (int k = 0; k < ntcg; k++)
			cells[k + 2] = slowdown_cell(r, tcg[k], probes[p].bench, buf[k + 2],
						     sizeof(buf[k + 2]), &cls[k + 2]);
		rp_doc_row(&rp->doc, ntcg + 2, cells, cls);
	}
	rp_doc_table_end(&rp->doc);
}

/* Why binary translation can beat a guest host on privileged work, with each VM-host run's numbers. */
static void tcg_faster(struct rp_report *rp)
{
	char pre[120];

	rp_doc_heading(&rp->doc, 3, "Why a TCG guest can then look faster");
	rp_doc_para(&rp->doc, "QEMU's TCG runs a guest by translating its code into host code and "
		    "running that inside the QEMU process, an ordinary process of the host. The "
		    "guest's system calls, CPUID, page faults and page-table writes are emulated "
		    "there, by the translated code and QEMU's helpers (its software MMU walks the "
		    "guest's page tables itself): none of them needs to leave the process for the host's "
		    "hypervisor. So where the host's own processes pay a trip out of their guest, "
		    "a TCG guest pays only the emulation, and on those workloads its slowdown can "
		    "fall below 1. That says the host's hypervisor is expensive on these "
		    "operations, not that TCG is fast: compare plain computation (%s), where "
		    "nothing leaves the guest on either side.", probes[W_INT].bench);
	for (int run = 0; run < rp->nruns; run++) {
		const struct rp_run *r = &rp->runs[run];
		const char *host = host_backend(r), *tcg[MAX_TCG];
		int ntcg = host ? tcg_guests(r, host, tcg) : 0;

		if (!host_is_vm(r))
			continue;
		rp_run_prefix(rp, r, pre, sizeof(pre));
		if (ntcg) {
			rp_doc_para(&rp->doc, "%sThe medians of \"%s\" on these operations, and each "
				    "TCG guest's slowdown against it (below 1: faster than \"%s\"):",
				    pre, host, host);
			tcg_table(rp, run, host, tcg, ntcg);
		} else
			rp_doc_note(&rp->doc, "%sNo TCG guest ran beside %s%s%s, so this comparison "
				    "is not in this run.", pre, host ? "\"" : "",
				    host ? host : "an approach on the host itself", host ? "\"" : "");
	}
}

/* The host of each run, and where some host is a VM, what its hypervisor does. */
static void host_explained(struct rp_report *rp)
{
	int any_vm = 0;

	for (int r = 0; r < rp->nruns; r++)
		any_vm |= host_is_vm(&rp->runs[r]);
	rp_doc_heading(&rp->doc, 3, "%s", any_vm ? "When the host is itself a virtual machine" :
		       "What the host is");
	for (int r = 0; r < rp->nruns; r++) {
		host_para(rp, &rp->runs[r]);
		lab_baseline_para(rp, &rp->runs[r]);
	}
	if (!any_vm)
		return;
	mechanisms(rp);
	tcg_faster(rp);
}

void rp_sec_coursework(struct rp_report *rp)
{
	rp_doc_heading(&rp->doc, 2, "For coursework");
	rp_doc_para(&rp->doc, "For students and lecturers: what the host under these numbers is, "
		    "why some results look upside down; the terms are in the glossary below.");
	host_explained(rp);
}
