/* SPDX-License-Identifier: MIT */
/*
 * Section: device exits per I/O request, KVM's side of a trapped device
 * access: MMIO and port I/O exits ("kvm.mmio.read", "kvm.mmio.write",
 * "kvm.pio.*") per "block.requests", beside the virtio kicks QEMU counted
 * (see rp_device_exits_per_request, rp_traps_per_request).
 */
#include <stdio.h>

#include "approaches.h"
#include "report.h"

#define COLS 7

/* rp_device_exits_per_request as a yes/no with why, for rp_explain_per_request. */
static int exits_why(const struct rp_run *r, const char *be, const char *bench,
		     const char **why)
{
	double mmio, pio, reqs;

	return rp_device_exits_per_request(r, be, bench, &mmio, &pio, &reqs, why);
}

/* The kicks per request QEMU counted for (r, be, bench), as text. */
static const char *kicks(const struct rp_run *r, const char *be, const char *bench, char *buf,
			 size_t n)
{
	double per, each[RP_NTRAP], reqs;
	const char *why;

	if (rp_traps_per_request(r, be, bench, &per, each, &reqs, &why))
		return "-";
	return rp_num(each[RP_TRAP_KICK], buf, n);
}

/* 1 when some run has a KVM guest that started and answered. */
static int kvm_guest_ran(const struct rp_report *rp)
{
	size_t i;
	json_t *b;

	for (int r = 0; r < rp->nruns; r++)
		json_array_foreach(rp->backends, i, b) {
			const struct vb_traits *t = rp_traits(&rp->runs[r], json_string_value(b));

			if (t && t->kind == VB_KIND_VM && t->accel == VB_ACCEL_KVM &&
			    rp_backend_ok(&rp->runs[r], json_string_value(b)))
				return 1;
		}
	return 0;
}

void rp_sec_device_exits(struct rp_report *rp)
{
	static const char *const head[COLS] = {"approach", "workload", "requests", "MMIO exits",
					       "port I/O exits", "virtio kicks",
					       "device exits/request"};
	double mmio, pio, reqs;
	char series[80], b[COLS][64];
	size_t i, j;
	json_t *be, *w;
	int rows = 0;

	rp_doc_heading(&rp->doc, 2, "I/O: device exits per request (KVM)");
	if (!kvm_guest_ran(rp)) {
		rp_doc_note(&rp->doc, "No KVM guest ran%s: only a KVM guest leaves the guest on a "
			    "device access as a VM exit. A TCG guest's accesses are calls into QEMU's "
			    "device model from translated code: see the device accesses per request "
			    "above.", rp->nruns > 1 ? " in these runs" : " in this run");
		return;
	}
	rp_doc_para(&rp->doc, "Per block request of a workload, the guest's accesses to device "
		    "registers that exit to KVM, traced on the host%s: MMIO "
		    "(kvm_mmio: kvm.mmio.read + kvm.mmio.write; under nested paging each is a "
		    "nested page fault exit) and port I/O (kvm_pio: kvm.pio.in + kvm.pio.out), "
		    "less what an empty counting pass counted (the agent's channel), once per "
		    "pass. An emulated disk controller (AHCI, IDE) is programmed register by "
		    "register, each access an exit that KVM hands to QEMU's device model; a virtio "
		    "guest puts its requests in a ring in shared memory and writes once to the "
		    "queue's notify register: one MMIO exit (a kick), which KVM turns into an "
		    "eventfd signal without entering QEMU's dispatch. The kicks column counts them "
		    "on QEMU's side (virtio_queue_host_notifier_read with an ioeventfd, "
		    "virtio_queue_notify without), per request. On Intel (VMX), a kick KVM takes "
		    "on its fast MMIO path is traced as kvm_fast_mmio, not kvm_mmio, and is then "
		    "missing from the MMIO column; the kicks column still has it.",
		    rp_lab_where(rp));
	json_array_foreach(rp->benches, j, w)
		for (int r = 0; r < rp->nruns; r++)
			json_array_foreach(rp->backends, i, be) {
				const char *name = json_string_value(be), *bench = json_string_value(w);
				const char *why, *cells[COLS];

				if (rp_device_exits_per_request(&rp->runs[r], name, bench, &mmio, &pio,
								&reqs, &why))
					continue;
				if (!rows++)
					rp_doc_table(&rp->doc, COLS, head);
				cells[0] = rp_series(rp, r, name, series, sizeof(series));
				cells[1] = bench;
				cells[2] = rp_num(reqs, b[2], sizeof(b[2]));
				cells[3] = rp_num(mmio, b[3], sizeof(b[3]));
				cells[4] = rp_num(pio, b[4], sizeof(b[4]));
				cells[5] = kicks(&rp->runs[r], name, bench, b[5], sizeof(b[5]));
				cells[6] = rp_num(mmio + pio, b[6], sizeof(b[6]));
				rp_doc_row(&rp->doc, COLS, cells, NULL);
			}
	if (rows) {
		rp_doc_table_end(&rp->doc);
		return;
	}
	rp_doc_note(&rp->doc, "No device exits per request could be computed: no KVM guest has "
		    "both kvm.mmio.* or kvm.pio.* counters and block.requests for one workload.");
	rp_explain_per_request(rp, VB_ACCEL_KVM, exits_why);
}
