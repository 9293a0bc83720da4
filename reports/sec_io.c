/* SPDX-License-Identifier: MIT */
/*
 * Sections on I/O: trapped device accesses per I/O request (QEMU's device
 * model entered from the guest: uprobe counters "qemu.<function>" over
 * "block.requests") and block latency histograms
 * ("block.latency.log2_ns.<k>"); names in docs/report.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/proto.h"
#include "approaches.h"
#include "chart.h"
#include "report.h"

/*
 * A guest's MMIO and port I/O both reach the device model through
 * memory_region_dispatch_*, so the accesses are reads + writes. Virtio
 * kicks are among the writes; they are shown beside them, counted where
 * QEMU handles them: virtio_queue_notify directly, or
 * virtio_queue_host_notifier_read through an ioeventfd (TCG's path).
 */
static const char *const trap_counters[RP_NTRAP] = {
	"qemu.memory_region_dispatch_read", "qemu.memory_region_dispatch_write",
	"qemu.virtio_queue_*"};
#define ACCESSES 2 /* the first two are the accesses */
#define LAT_PREFIX "block.latency.log2_ns."
#define MAX_BUCKETS 40

/*
 * What the counting windows of (be, bench) held besides the operations:
 * the backend's empty window (count_floor) once per window counted.
 */
static double floor_share(const struct rp_run *r, const char *be, const char *bench,
			  const char *name)
{
	const json_t *fl = json_object_get(rp_backend(r, be), "count_floor"), *e, *c;
	double each = 0, windows = 0;
	size_t i;

	if (strcmp(vb_json_str(fl, "status", ""), "ok"))
		return 0;
	size_t len = strlen(name);
	int prefix = len && name[len - 1] == '*';

	json_array_foreach(json_object_get(fl, "counters"), i, c)
		if (prefix ? !strncmp(vb_json_str(c, "name", ""), name, len - 1)
			   : !strcmp(vb_json_str(c, "name", ""), name))
			each += vb_json_num(c, "value", 0);
	json_array_foreach(rp_pair(r, be, bench), i, e)
		windows += !strcmp(vb_json_str(e, "status", ""), "ok") &&
			   !strcmp(vb_json_str(json_object_get(e, "count"), "status", ""), "ok");
	return each * windows;
}

int rp_traps_per_request(const struct rp_run *r, const char *be, const char *bench,
			 double *per_req, double each[RP_NTRAP], double *requests, const char **why)
{
	double reqs, ops, sum, total = 0;
	int any = 0, rc;

	rc = rp_counter(r, be, bench, "block.requests", &reqs, &ops, why);
	if (rc != 1 || reqs <= 0) {
		if (rc == 1)
			*why = "no block requests were counted";
		else if (rc < 0)
			*why = "no block.requests counter";
		return -1;
	}
	for (size_t k = 0; k < RP_NTRAP; k++) {
		const char *w2;

		each[k] = 0;
		if (rp_counter(r, be, bench, trap_counters[k], &sum, &ops, &w2) == 1) {
			sum = fmax(0, sum - floor_share(r, be, bench, trap_counters[k]));
			each[k] = sum / reqs;
			if (k < ACCESSES) {
				total += sum;
				any = 1;
			}
		} else if (w2) {
			*why = w2;
		}
	}
	if (!any) {
		if (!*why)
			*why = "no qemu.memory_region_dispatch_* counters";
		return -1;
	}
	*per_req = total / reqs;
	*requests = reqs;
	return 0;
}

void rp_sec_traps(struct rp_report *rp)
{
	static const char *const head[] = {"approach", "workload", "requests", "device reads",
					   "device writes", "of which virtio kicks",
					   "accesses/request"};
	char buf[7][64], series[80];
	double per, each[RP_NTRAP], reqs;
	size_t i, j;
	json_t *b, *w;
	FILE *dat = NULL;
	int rows = 0;

	rp_doc_heading(&rp->doc, 2, "Trapped device accesses per I/O request");
	rp_doc_para(&rp->doc, "Each guest access to a device register (MMIO or port I/O) that "
		    "QEMU's device model handles leaves the guest's code. Counted on the host by "
		    "uprobes on QEMU's dispatch functions during the counting passes, which run "
		    "the workload's operations only, per block request of the instance; the "
		    "accesses of an empty counting pass (the window's own messages on the "
		    "channel) are taken off once per pass. The virtio kicks among the writes are "
		    "shown beside them.");
	for (int r = 0; r < rp->nruns; r++)
		json_array_foreach(rp->backends, i, b)
			json_array_foreach(rp->benches, j, w) {
				const char *be = json_string_value(b), *bench = json_string_value(w);
				const char *why = NULL, *cells[7];
				char name[160];

				if (rp_traps_per_request(&rp->runs[r], be, bench, &per, each, &reqs, &why))
					continue;
				if (!rows++) {
					rp_doc_table(&rp->doc, 7, head);
					dat = rp_report_data(rp, "traps");
					if (!dat)
						return;
					fprintf(dat, "series\taccesses per request\n");
				}
				cells[0] = rp_series(rp, r, be, series, sizeof(series));
				cells[1] = bench;
				cells[2] = rp_num(reqs, buf[2], sizeof(buf[2]));
				for (size_t k = 0; k < RP_NTRAP; k++)
					cells[3 + k] = rp_num(each[k], buf[3 + k], sizeof(buf[3 + k]));
				cells[6] = rp_num(per, buf[6], sizeof(buf[6]));
				rp_doc_row(&rp->doc, 7, cells, NULL);
				snprintf(name, sizeof(name), "%s %s", series, bench);
				rp_gp_safe(name);
				fprintf(dat, "%s\t%g\n", name, per > 0 ? per : NAN);
			}
	if (!rows) {
		rp_doc_note(&rp->doc, "No device accesses per request could be computed: no run has "
			    "both QEMU dispatch counters and block.requests for one workload.");
		/* Say why for each VM approach that ran. */
		for (int r = 0; r < rp->nruns; r++)
			json_array_foreach(rp->backends, i, b) {
				const char *be = json_string_value(b), *why = "no I/O workload ran";

				if (!rp_backend_ok(&rp->runs[r], be) ||
				    !rp_is_kind(&rp->runs[r], be, VB_KIND_VM))
					continue;
				json_array_foreach(rp->benches, j, w)
					if (!strncmp(json_string_value(w), "io.", 3) &&
					    rp_traps_per_request(&rp->runs[r], be, json_string_value(w),
								 &per, each, &reqs, &why) < 0)
						break;
				rp_doc_item(&rp->doc, "%s: %s: %s", rp->runs[r].label, be, why);
			}
		rp_doc_list_end(&rp->doc);
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

/* The histogram of (run, backend, bench): bucket lower bounds and counts. */
static int histogram(const struct rp_run *r, const char *be, const char *bench, double *lo,
		     double *count)
{
	json_t *names = rp_counter_names(r, be, bench, LAT_PREFIX), *v;
	size_t i;
	int n = 0;

	json_array_foreach(names, i, v) {
		const char *nm = json_string_value(v), *why;
		char *end;
		double k2 = strtod(nm + strlen(LAT_PREFIX), &end), sum, ops;
		double b = ldexp(1, (int)fmin(fmax(k2, 0), 62)) / 1000; /* 2^k ns in us */
		int k;

		if (*end || !isfinite(k2) || k2 < 0 || k2 > 62 || n == MAX_BUCKETS ||
		    rp_counter(r, be, bench, nm, &sum, &ops, &why) != 1)
			continue;
		/* Insertion by bucket bound keeps them sorted. */
		for (k = n; k > 0 && lo[k - 1] > b; k--) {
			lo[k] = lo[k - 1];
			count[k] = count[k - 1];
		}
		lo[k] = b;
		count[k] = sum;
		n++;
	}
	json_decref(names);
	return n;
}

/* The bucket holding quantile q, as "[lo, next) us". */
static const char *quantile_bucket(const double *lo, const double *count, int n, double q,
				   char *buf, size_t len)
{
	double total = 0, acc = 0;
	int k;

	for (k = 0; k < n; k++)
		total += count[k];
	for (k = 0; k < n; k++) {
		acc += count[k];
		if (acc >= q * total)
			break;
	}
	if (k == n)
		k = n - 1;
	if (k + 1 < n)
		snprintf(buf, len, lo[k] >= 1 ? "%.0f-%.0f us" : "%.3g-%.3g us", lo[k], lo[k + 1]);
	else
		snprintf(buf, len, lo[k] >= 1 ? ">= %.0f us" : ">= %.3g us", lo[k]);
	return buf;
}

/* One chart per workload, a line per (run, approach). */
static void latency_chart(struct rp_report *rp, const char *bench)
{
	double lo[MAX_BUCKETS], count[MAX_BUCKETS];
	char series[80], chart[160], *body = NULL;
	size_t i, blen = 0;
	FILE *dat = NULL, *gp;
	int blocks = 0;
	json_t *b;

	for (int r = 0; r < rp->nruns; r++)
		json_array_foreach(rp->backends, i, b) {
			const char *be = json_string_value(b);
			int n = histogram(&rp->runs[r], be, bench, lo, count);
			double total = 0;

			if (!n)
				continue;
			if (!blocks) {
				rp_chart_name(chart, sizeof(chart), "latency", bench);
				dat = rp_report_data(rp, chart);
				if (!dat)
					return;
			}
			for (int k = 0; k < n; k++)
				total += count[k];
			rp_series(rp, r, be, series, sizeof(series));
			rp_gp_safe(series);
			fprintf(dat, "%s# %s\nbucket_us\t%s\n", blocks ? "\n\n" : "", series, series);
			for (int k = 0; k < n; k++)
				fprintf(dat, "%g\t%g\n", lo[k], total > 0 ? 100 * count[k] / total : 0);
			blocks++;
		}
	if (!blocks)
		return;
	fclose(dat);
	gp = open_memstream(&body, &blen);
	if (!gp)
		return;
	fprintf(gp, "set title 'Block I/O latency: %s'\nset logscale x 2\n"
		"set xlabel 'latency bucket (us, lower bound)'\nset ylabel '%% of requests'\n"
		"set grid\nset key outside right top\n"
		"plot for [i=0:%d] '%s.dat' index i using 1:2 with linespoints lw 2\n",
		chart + strlen("latency-"), blocks - 1, chart);
	fclose(gp);
	rp_report_chart(rp, chart, 800, 420, body, "Block I/O latency histogram");
	free(body);
}

void rp_sec_latency(struct rp_report *rp)
{
	static const char *const head[] = {"approach", "workload", "requests", "median in",
					   "p99 in"};
	double lo[MAX_BUCKETS], count[MAX_BUCKETS];
	char series[80], b1[64], b2[64], b3[32];
	size_t i, j;
	json_t *b, *w;
	int any = 0;

	rp_doc_heading(&rp->doc, 2, "I/O latency");
	rp_doc_para(&rp->doc, "Block request latency (issue to completion) on the host, in "
		    "power-of-two buckets: for a VM, the requests QEMU makes on the disk image.");
	json_array_foreach(rp->benches, j, w)
		for (int r = 0; r < rp->nruns; r++)
			json_array_foreach(rp->backends, i, b) {
				const char *be = json_string_value(b), *cells[5];
				int n = histogram(&rp->runs[r], be, json_string_value(w), lo, count);
				double total = 0;

				if (!n)
					continue;
				if (!any++)
					rp_doc_table(&rp->doc, 5, head);
				for (int k = 0; k < n; k++)
					total += count[k];
				cells[0] = rp_series(rp, r, be, series, sizeof(series));
				cells[1] = json_string_value(w);
				cells[2] = rp_num(total, b3, sizeof(b3));
				cells[3] = quantile_bucket(lo, count, n, 0.5, b1, sizeof(b1));
				cells[4] = quantile_bucket(lo, count, n, 0.99, b2, sizeof(b2));
				rp_doc_row(&rp->doc, 5, cells, NULL);
			}
	if (!any) {
		rp_doc_note(&rp->doc, "No latency histogram was recorded (counters %s<bucket>): the "
			    "block probes did not run or no I/O workload ran.", LAT_PREFIX);
		return;
	}
	rp_doc_table_end(&rp->doc);
	json_array_foreach(rp->benches, j, w)
		latency_chart(rp, json_string_value(w));
}
