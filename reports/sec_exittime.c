/* SPDX-License-Identifier: MIT */
/*
 * Section (under VM exits): the time each exit keeps the vCPU outside the
 * guest, from kvm_exit to the next kvm_entry ("kvm.outside_guest_time" and
 * its histogram "kvm.outside_guest_time.log2_ns.<k>"): median and p99
 * bucket, mean per exit, and a chart per workload.
 */
#include <stdio.h>

#include "hist.h"
#include "report.h"

#define COLS 6

static const struct rp_hist_chart exit_time = {
	.prefix = "kvm.outside_guest_time.log2_ns.", .name = "exittime",
	.title = "Time outside the guest per VM exit",
	.xlabel = "time outside the guest (us, bucket lower bound)", .ylabel = "% of exits",
	.caption = "Time outside the guest per VM exit (histogram)",
};

/* The mean time outside the guest per exit timed, in us, as text; "-" if not counted. */
static const char *mean_per_exit(const struct rp_run *r, const char *be, const char *bench,
				 const struct rp_hist *h, char *buf, size_t n)
{
	double ns, ops;
	const char *why;
	char num[32];

	if (rp_counter(r, be, bench, "kvm.outside_guest_time", &ns, &ops, &why) != 1 ||
	    h->total <= 0)
		return "-";
	snprintf(buf, n, "%s us", rp_num(ns / h->total / 1000, num, sizeof(num)));
	return buf;
}

void rp_sec_exit_time(struct rp_report *rp)
{
	static const char *const head[COLS] = {"approach", "workload", "exits timed",
					       "median in", "p99 in", "mean per exit"};
	char series[80], b[COLS][64];
	struct rp_hist h;
	size_t i, j;
	json_t *be, *w;
	int rows = 0;

	rp_doc_heading(&rp->doc, 3, "Time outside the guest per exit");
	rp_doc_para(&rp->doc, "From each kvm_exit to the vCPU's next kvm_entry, in power-of-two "
		    "buckets, in the same counting passes: the time KVM (and QEMU, for the exits "
		    "KVM hands to user space) spends per exit, and, after a HLT exit, the halted "
		    "vCPU's wait for its next interrupt. The median bucket is the typical exit; "
		    "the mean per exit (kvm.outside_guest_time over the exits timed) is pulled up "
		    "by halts and rare long exits.%s",
		    rp->lab ? " In the emulated lab L1 itself runs under TCG, so every exit takes "
			      "far longer than on hardware, where a cpuid exit costs about "
			      "1,000-2,500 cycles (references.md): compare the approaches within "
			      "the lab, not with hardware figures." : "");
	json_array_foreach(rp->benches, j, w)
		for (int r = 0; r < rp->nruns; r++)
			json_array_foreach(rp->backends, i, be) {
				const char *name = json_string_value(be), *cells[COLS];

				if (!rp_hist_read(&rp->runs[r], name, json_string_value(w),
						  exit_time.prefix, &h))
					continue;
				if (!rows++)
					rp_doc_table(&rp->doc, COLS, head);
				cells[0] = rp_series(rp, r, name, series, sizeof(series));
				cells[1] = json_string_value(w);
				cells[2] = rp_num(h.total, b[2], sizeof(b[2]));
				cells[3] = rp_hist_bucket(&h, 0.5, b[3], sizeof(b[3]));
				cells[4] = rp_hist_bucket(&h, 0.99, b[4], sizeof(b[4]));
				cells[5] = mean_per_exit(&rp->runs[r], name, json_string_value(w), &h,
							 b[5], sizeof(b[5]));
				rp_doc_row(&rp->doc, COLS, cells, NULL);
			}
	if (!rows) {
		rp_doc_note(&rp->doc, "No exit was timed (counters %s<bucket>): no KVM guest ran "
			    "with the KVM probes attached.", exit_time.prefix);
		return;
	}
	rp_doc_table_end(&rp->doc);
	json_array_foreach(rp->benches, j, w)
		rp_hist_chart(rp, &exit_time, json_string_value(w));
}
