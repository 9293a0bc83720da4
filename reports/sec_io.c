/* SPDX-License-Identifier: MIT */
/*
 * The I/O part of the report: latency per request (the agent's p50/p99,
 * measurement extras "p50_us", "p99_us", and the host's block latency
 * histograms "block.latency.log2_ns.<k>"), then trapped device accesses
 * per I/O request (QEMU's device model entered from the guest: uprobe
 * counters "qemu.<function>" over "block.requests", see
 * rp_traps_per_request); device exits, KVM's side, are in sec_devexits.c.
 * Names in docs/report.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/proto.h"
#include "../common/stats.h"
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
			const char *be = json_string_value(b), *why = "no I/O workload ran", *w_why;
			const struct vb_traits *t = rp_traits(&rp->runs[r], be);
			int has = 0, failed = 0;

			if (!rp_backend_ok(&rp->runs[r], be) || !t || t->kind != VB_KIND_VM ||
			    (accel != VB_NACCELS && t->accel != accel))
				continue;
			json_array_foreach(rp->benches, j, w) {
				if (strncmp(json_string_value(w), "io.", 3) ||
				    !rp_pair(&rp->runs[r], be, json_string_value(w)))
					continue;
				w_why = NULL;
				if (!figure(&rp->runs[r], be, json_string_value(w), &w_why))
					has = 1;
				else if (!failed++ && w_why)
					why = w_why;
			}
			if (!has)
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
	double per, each[RP_NTRAP], reqs, longest = 0;
	size_t i, j;
	json_t *b, *w;
	FILE *dat = NULL;
	int rows = 0;

	rp_doc_heading(&rp->doc, 2, "I/O: device accesses per request");
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
					fprintf(dat, "row\tseries\taccesses per request\tlabel\n");
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
				fprintf(dat, "%d\t%s\t%g\t%s\n", rows - 1, name, per, cells[6]);
				longest = fmax(longest, per);
			}
	if (!rows) {
		rp_doc_note(&rp->doc, "No device accesses per request could be computed: no run has "
			    "both QEMU dispatch counters and block.requests for one workload.");
		rp_explain_per_request(rp, VB_NACCELS, traps_why);
		return;
	}
	rp_doc_table_end(&rp->doc);
	fclose(dat);
	/* the VM approaches without a row, with why */
	rp_explain_per_request(rp, VB_NACCELS, traps_why);
	rp_report_hbars(rp, "traps", "set title 'Trapped device accesses per I/O request'\n"
			"set xlabel 'accesses per request'\n", rows, longest, "#4a78b5",
			"Trapped device accesses per I/O request (linear scale)");
}

static const struct rp_hist_chart latency = {
	.prefix = "block.latency.log2_ns.", .name = "latency", .title = "Block I/O latency",
	.xlabel = "latency bucket (us, lower bound)", .ylabel = "% of requests",
	.caption = "Block I/O latency histogram",
};

/* The agent's per-request latencies of (be, bench): medians over its ok rounds. */
struct agent_latency {
	double p50_us, p99_us;  /* medians of the rounds' p50 and p99 */
	double requests;        /* median requests per timed sample */
	size_t rounds;          /* rounds that have both */
};

/* 1 when some ok round of (be, bench) has p50_us and p99_us; 0 when none, -1 out of memory. */
static int agent_latency(const struct rp_run *r, const char *be, const char *bench,
			 struct agent_latency *out)
{
	const json_t *ms = rp_pair(r, be, bench), *m;
	size_t i, n = json_array_size(ms);
	double *v = malloc(3 * (n ? n : 1) * sizeof(*v));

	if (!v)
		return -1;
	out->rounds = 0;
	json_array_foreach(ms, i, m) {
		const json_t *ex = json_object_get(m, "extras");
		double p50 = vb_json_num(ex, "p50_us", NAN), p99 = vb_json_num(ex, "p99_us", NAN);

		/* the extras are the round's last sample: its iters requests were timed */
		if (strcmp(vb_json_str(m, "status", ""), "ok") || !(p50 >= 0) || !(p99 >= 0))
			continue;
		v[out->rounds] = p50;
		v[n + out->rounds] = p99;
		v[2 * n + out->rounds++] = vb_json_num(m, "iters", NAN);
	}
	out->p50_us = vb_median(v, out->rounds);
	out->p99_us = vb_median(v + n, out->rounds);
	out->requests = vb_median(v + 2 * n, out->rounds);
	free(v);
	return out->rounds > 0;
}

/* The agent's p50/p99 per (run, approach) of each workload that has them; rows written. */
static int agent_table(struct rp_report *rp)
{
	static const char *const head[] = {"approach", "workload", "p50 (us)", "p99 (us)",
					   "rounds", "requests per sample"};
	char series[80], b[4][32];
	struct agent_latency a;
	size_t i, j;
	json_t *be, *w;
	int rows = 0, rc;

	json_array_foreach(rp->benches, j, w)
		for (int r = 0; r < rp->nruns; r++)
			json_array_foreach(rp->backends, i, be) {
				const char *cells[6];

				rc = agent_latency(&rp->runs[r], json_string_value(be),
						   json_string_value(w), &a);
				if (rc < 0) {
					snprintf(rp->err, sizeof(rp->err), "out of memory reading "
						 "the latencies of %s", json_string_value(w));
					rp->failed = 1;
					return rows;
				}
				if (!rc)
					continue;
				if (!rows++)
					rp_doc_table(&rp->doc, 6, head);
				cells[0] = rp_series(rp, r, json_string_value(be), series, sizeof(series));
				cells[1] = json_string_value(w);
				cells[2] = rp_num(a.p50_us, b[0], sizeof(b[0]));
				cells[3] = rp_num(a.p99_us, b[1], sizeof(b[1]));
				snprintf(b[2], sizeof(b[2]), "%zu", a.rounds);
				cells[4] = b[2];
				cells[5] = rp_num(a.requests, b[3], sizeof(b[3]));
				rp_doc_row(&rp->doc, 6, cells, NULL);
			}
	if (rows)
		rp_doc_table_end(&rp->doc);
	return rows;
}

/* The host's block-layer histograms: a row per (run, approach) of each workload, and charts. */
static void block_latency(struct rp_report *rp)
{
	static const char *const head[] = {"approach", "workload", "requests", "median in",
					   "p99 in"};
	char series[80], b1[64], b2[64], b3[32];
	struct rp_hist h;
	size_t i, j;
	json_t *b, *w;
	int any = 0;

	rp_doc_heading(&rp->doc, 3, "On the host's block layer");
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

void rp_sec_latency(struct rp_report *rp)
{
	rp_doc_heading(&rp->doc, 2, "I/O: latency per request");
	rp_doc_para(&rp->doc, "As the workload saw it: each request (a 4 KiB read or write at "
		    "queue depth 1, or a write and its fsync) timed one by one inside the "
		    "environment, from the system call to its return, so a VM's device model, "
		    "its exits and the host's disk are all in it. The p50 and p99 are those of "
		    "each round's last timed sample; shown is their median over the rounds. "
		    "Where a sample holds fewer than 100 requests its p99 is its slowest request.");
	if (!agent_table(rp) && !rp->failed)
		rp_doc_note(&rp->doc, "No per-request latency was recorded: no measurement has the "
			    "extras p50_us and p99_us (io.randread, io.randwrite and io.fsync write "
			    "them).");
	if (!rp->failed)
		block_latency(rp);
}
