/* SPDX-License-Identifier: MIT */
/*
 * Sections on I/O: trapped device accesses per I/O request (QEMU's device
 * model entered from the guest: uprobe counters "qemu.<function>" over
 * "block.requests", see rp_traps_per_request) and block latency histograms
 * ("block.latency.log2_ns.<k>"); names in docs/report.md.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart.h"
#include "hist.h"
#include "report.h"

#define TRAP_COLS 7

void rp_explain_per_request(struct rp_report *rp, enum vb_accel accel,
			    int (*figure)(const struct rp_run *r, const char *be, const char *bench,
					  const char **why))
{
	size_t i, j;
	json_t *b, *w;

	for (int r = 0; r < rp->nruns; r++)
		json_array_foreach(rp->backends, i, b) {
			const char *be = json_string_value(b), *why = "no I/O workload ran";
			const struct vb_traits *t = rp_traits(&rp->runs[r], be);

			if (!rp_backend_ok(&rp->runs[r], be) || !t || t->kind != VB_KIND_VM ||
			    (accel != VB_NACCELS && t->accel != accel))
				continue;
			json_array_foreach(rp->benches, j, w)
				if (!strncmp(json_string_value(w), "io.", 3) &&
				    rp_pair(&rp->runs[r], be, json_string_value(w)) &&
				    figure(&rp->runs[r], be, json_string_value(w), &why) < 0)
					break;
			rp_doc_item(&rp->doc, "%s: %s: %s", rp->runs[r].label, be, why);
		}
	rp_doc_list_end(&rp->doc);
}

/* rp_traps_per_request as a yes/no with why, for rp_explain_per_request. */
static int traps_why(const struct rp_run *r, const char *be, const char *bench,
		     const char **why)
{
	double per, each[RP_NTRAP], reqs;

	return rp_traps_per_request(r, be, bench, &per, each, &reqs, why);
}

void rp_sec_traps(struct rp_report *rp)
{
	static const char *const head[TRAP_COLS] = {"approach", "workload", "requests",
						    "device reads", "device writes", "virtio kicks",
						    "accesses/request"};
	char buf[TRAP_COLS][64], series[80], name[160];
	double per, each[RP_NTRAP], reqs;
	size_t i, j;
	json_t *b, *w;
	FILE *dat = NULL;
	int rows = 0;

	rp_doc_heading(&rp->doc, 2, "Trapped device accesses per I/O request");
	rp_doc_para(&rp->doc, "Each guest access to a device register (MMIO or port I/O) that a "
		    "device model handles leaves the guest's code. Counted on the host%s by "
		    "uprobes on QEMU during the counting passes, which run the workload's "
		    "operations only, per block request of the "
		    "instance; what an empty counting pass counted (the pass's own messages on "
		    "the channel) is taken off once per pass. Reads and writes are the accesses "
		    "QEMU's dispatch handled. A virtio kick (the guest's write to a queue's notify "
		    "register) is a trapped access too: under KVM with an ioeventfd, KVM takes the "
		    "exit and signals an eventfd that QEMU reads (virtio_queue_host_notifier_read) "
		    "without dispatching the write, so those kicks are added to the accesses; a "
		    "kick QEMU dispatches itself (virtio_queue_notify without an ioeventfd, or "
		    "under TCG, where QEMU's dispatch signals the eventfd) is already among the "
		    "writes and is not added again.", rp_lab_where(rp));
	for (int r = 0; r < rp->nruns; r++)
		json_array_foreach(rp->backends, i, b)
			json_array_foreach(rp->benches, j, w) {
				const char *be = json_string_value(b), *bench = json_string_value(w);
				const char *why = NULL, *cells[TRAP_COLS];

				if (rp_traps_per_request(&rp->runs[r], be, bench, &per, each, &reqs, &why))
					continue;
				if (!rows++) {
					rp_doc_table(&rp->doc, TRAP_COLS, head);
					if (!(dat = rp_report_data(rp, "traps")))
						return;
					fprintf(dat, "series\taccesses per request\n");
				}
				cells[0] = rp_series(rp, r, be, series, sizeof(series));
				cells[1] = bench;
				cells[2] = rp_num(reqs, buf[2], sizeof(buf[2]));
				for (int k = 0; k < RP_NTRAP; k++)
					cells[3 + k] = rp_num(each[k], buf[3 + k], sizeof(buf[3 + k]));
				cells[6] = rp_num(per, buf[6], sizeof(buf[6]));
				rp_doc_row(&rp->doc, TRAP_COLS, cells, NULL);
				snprintf(name, sizeof(name), "%s %s", series, bench);
				rp_gp_safe(name);
				fprintf(dat, "%s\t%g\n", name, per > 0 ? per : NAN);
			}
	if (!rows) {
		rp_doc_note(&rp->doc, "No device accesses per request could be computed: no run has "
			    "both QEMU dispatch counters and block.requests for one workload.");
		rp_explain_per_request(rp, VB_NACCELS, traps_why);
		return;
	}
	rp_doc_table_end(&rp->doc);
	fclose(dat);
	rp_report_chart(rp, "traps", 300 + 70 * rows, 460,
			"set title 'Trapped device accesses per I/O request (log scale)'\n"
			"set style fill solid 0.85 border -1\nset boxwidth 0.6\nset logscale y\n"
			"set yrange [0.05:*]\nset ylabel 'accesses per request'\nset grid ytics\n"
			"set xtics rotate by -30 scale 0\nunset key\n"
			"plot 'traps.dat' using 0:2:xtic(1) with boxes lc rgb '#4a78b5'",
			"Trapped device accesses per I/O request");
}

static const struct rp_hist_chart latency = {
	.prefix = "block.latency.log2_ns.", .name = "latency", .title = "Block I/O latency",
	.xlabel = "latency bucket (us, lower bound)", .ylabel = "% of requests",
	.caption = "Block I/O latency histogram",
};

void rp_sec_latency(struct rp_report *rp)
{
	static const char *const head[] = {"approach", "workload", "requests", "median in",
					   "p99 in"};
	char series[80], b1[64], b2[64], b3[32];
	struct rp_hist h;
	size_t i, j;
	json_t *b, *w;
	int any = 0;

	rp_doc_heading(&rp->doc, 2, "I/O latency");
	rp_doc_para(&rp->doc, "Block request latency (issue to completion) on the host%s, in "
		    "power-of-two buckets: for a VM, the requests QEMU makes on the disk image.",
		    rp_lab_where(rp));
	json_array_foreach(rp->benches, j, w)
		for (int r = 0; r < rp->nruns; r++)
			json_array_foreach(rp->backends, i, b) {
				const char *be = json_string_value(b), *cells[5];

				if (!rp_hist_read(&rp->runs[r], be, json_string_value(w),
						  latency.prefix, &h))
					continue;
				if (!any++)
					rp_doc_table(&rp->doc, 5, head);
				cells[0] = rp_series(rp, r, be, series, sizeof(series));
				cells[1] = json_string_value(w);
				cells[2] = rp_num(h.total, b3, sizeof(b3));
				cells[3] = rp_hist_bucket(&h, 0.5, b1, sizeof(b1));
				cells[4] = rp_hist_bucket(&h, 0.99, b2, sizeof(b2));
				rp_doc_row(&rp->doc, 5, cells, NULL);
			}
	if (!any) {
		rp_doc_note(&rp->doc, "No latency histogram was recorded (counters %s<bucket>): the "
			    "block probes did not run or no I/O workload ran.", latency.prefix);
		return;
	}
	rp_doc_table_end(&rp->doc);
	json_array_foreach(rp->benches, j, w)
		rp_hist_chart(rp, &latency, json_string_value(w));
}
