/* SPDX-License-Identifier: MIT */
/*
 * Section: Lifecycle: memory and density. life.footprint (what one idle
 * instance holds on the host and on disk) and life.density (how many fit
 * in a memory budget, and the time to start the n-th), with the chart
 * "life-density": the start time of each instance against n.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/proto.h"
#include "chart.h"
#include "experiments.h"
#include "report.h"

#define FP_COLS 7
#define DN_COLS 10
#define MAX_PARTS 8

/* A MiB figure from bytes at obj.key, as text ("-" where none). */
static const char *mib(const json_t *obj, const char *key, char *buf, size_t n)
{
	return rp_num(rp_measure_mib(obj, key), buf, n);
}

/* What the memory controller charged, else the backend's counter, else why neither. */
static const char *charged(const json_t *m, char *buf, size_t n)
{
	const json_t *bm = json_object_get(m, "backend");
	char num[32];

	if (isfinite(rp_measure(m, "cgroup_bytes")))
		snprintf(buf, n, "%s (cgroup)", mib(m, "cgroup_bytes", num, sizeof(num)));
	else if (isfinite(rp_measure(bm, "bytes")))
		snprintf(buf, n, "%s (the backend's %s)", mib(bm, "bytes", num, sizeof(num)),
			 vb_json_str(bm, "counter", "counter"));
	else
		snprintf(buf, n, "unavailable: %s", vb_json_str(m, "cgroup_unavailable",
								"not recorded"));
	return buf;
}

/* The image's parts: "agent 1.24; kernel 9.8; rootfs: unavailable: ..." (MiB). */
static const char *parts(const json_t *disk, char *buf, size_t n)
{
	size_t len = 0, k = 0;
	const char *role;
	json_t *it;
	char num[32];

	buf[0] = 0;
	if (json_is_string(json_object_get(disk, "unavailable"))) {
		snprintf(buf, n, "unavailable: %s", vb_json_str(disk, "unavailable", ""));
		return buf;
	}
	json_object_foreach((json_t *)disk, role, it) {
		if (!strcmp(role, "total_bytes") || len >= n)
			continue;
		if (k++ == MAX_PARTS) {
			snprintf(buf + len, n - len, "; ...");
			break;
		}
		if (isfinite(rp_measure(it, "bytes")))
			len += (size_t)snprintf(buf + len, n - len, "%s%.40s %s", len ? "; " : "",
						role, mib(it, "bytes", num, sizeof(num)));
		else
			len += (size_t)snprintf(buf + len, n - len, "%s%.40s: unavailable: %.200s",
						len ? "; " : "", role,
						vb_json_str(it, "unavailable", "not recorded"));
	}
	return buf[0] ? buf : "not recorded";
}

static int has_footprint(const json_t *e)
{
	return isfinite(rp_measure(json_object_get(e, "memory"), "pss_bytes"));
}

static void footprint_row(struct rp_report *rp, int run, const char *be, const json_t *e,
			  int first)
{
	static const char *const head[FP_COLS] = {
		"approach", "PSS (MiB)", "main process RSS (MiB)", "processes",
		"charged (MiB): cgroup, else the backend's counter", "image (MiB)", "image parts (MiB)"};
	const json_t *m = json_object_get(e, "memory"), *disk = json_object_get(e, "disk");
	char series[160], b[FP_COLS][1200];
	const char *cells[FP_COLS];

	if (first)
		rp_doc_table(&rp->doc, FP_COLS, head);
	cells[0] = rp_series(rp, run, be, series, sizeof(series));
	cells[1] = mib(m, "pss_bytes", b[1], sizeof(b[1]));
	cells[2] = mib(m, "main_rss_bytes", b[2], sizeof(b[2]));
	cells[3] = rp_num(rp_measure(m, "processes"), b[3], sizeof(b[3]));
	cells[4] = charged(m, b[4], sizeof(b[4]));
	cells[5] = mib(disk, "total_bytes", b[5], sizeof(b[5]));
	cells[6] = parts(disk, b[6], sizeof(b[6]));
	rp_doc_row(&rp->doc, FP_COLS, cells, NULL);
}

/* The first and the last start that is a measure, from the values in order. */
static void first_last(const json_t *e, double *first, double *last)
{
	double *x;
	size_t n = rp_dist_values(e, "start_ms", RP_DIST_MAX_VALUES, &x);

	*first = *last = NAN;
	for (size_t i = 0; i < n; i++)
		if (isfinite(x[i])) {
			*first = isfinite(*first) ? *first : x[i];
			*last = x[i];
		}
	free(x);
}

static int has_density(const json_t *e)
{
	return isfinite(rp_measure(e, "fit"));
}

static void density_row(struct rp_report *rp, int run, const char *be, const json_t *e,
			int first)
{
	static const char *const head[DN_COLS] = {
		"approach", "budget", "fit", "started", "ended by", "total PSS (MiB)",
		"host memory in use (MiB)", "start of the first (ms)", "start of the last (ms)",
		"stop all (ms)"};
	char series[160], b[DN_COLS][1200], num[32];
	const char *cells[DN_COLS];
	double start1, start_n;

	if (first)
		rp_doc_table(&rp->doc, DN_COLS, head);
	first_last(e, &start1, &start_n);
	cells[0] = rp_series(rp, run, be, series, sizeof(series));
	snprintf(b[1], sizeof(b[1]), "%.100s (%s MiB)", vb_json_str(e, "budget", "?"),
		 mib(e, "budget_bytes", num, sizeof(num)));
	cells[1] = b[1];
	cells[2] = rp_num(rp_measure(e, "fit"), b[2], sizeof(b[2]));
	cells[3] = rp_num(rp_measure(e, "started"), b[3], sizeof(b[3]));
	cells[4] = vb_json_str(e, "ended_by", "not recorded");
	cells[5] = mib(e, "total_pss_bytes", b[5], sizeof(b[5]));
	cells[6] = mib(e, "total_host_used_bytes", b[6], sizeof(b[6]));
	cells[7] = rp_num(start1, b[7], sizeof(b[7]));
	cells[8] = rp_num(start_n, b[8], sizeof(b[8]));
	cells[9] = rp_num(rp_measure(e, "stop_all_ms"), b[9], sizeof(b[9]));
	rp_doc_row(&rp->doc, DN_COLS, cells, NULL);
}

/* life-density.dat: a block per (run, approach): n and the start of the n-th; blocks. */
static int density_data(struct rp_report *rp, FILE *dat)
{
	char series[160];
	int blocks = 0;
	size_t i;
	json_t *b;

	for (int r = 0; r < rp->nruns; r++)
		json_array_foreach(rp->backends, i, b) {
			double *x;
			size_t n = rp_dist_values(rp_exp(&rp->runs[r], json_string_value(b),
							 RP_EXP_DENSITY), "start_ms",
						  RP_DIST_MAX_VALUES, &x);

			if (!n)
				continue;
			rp_series(rp, r, json_string_value(b), series, sizeof(series));
			rp_gp_safe(series);
			fprintf(dat, "%s# %s\nn\t%s\n", blocks++ ? "\n\n" : "", series, series);
			for (size_t k = 0; k < n; k++)
				if (x[k] > 0)
					fprintf(dat, "%zu\t%g\n", k + 1, x[k]);
				else
					fprintf(dat, "%zu\t?\n", k + 1);
			free(x);
		}
	return blocks;
}

static void density_chart(struct rp_report *rp)
{
	FILE *dat = rp_report_data(rp, "life-density"), *gp;
	char *body = NULL;
	size_t len = 0;
	int blocks;

	if (!dat)
		return;
	blocks = density_data(rp, dat);
	fclose(dat);
	if (!blocks || !(gp = open_memstream(&body, &len)))
		return;
	fprintf(gp, "set title 'Time to start the n-th idle instance (life.density)'\n"
		"set xlabel 'n: instances up, this one included'\n"
		"set ylabel 'start to hello (ms, log scale)'\nset logscale y\nset format y '%%g'\n"
		"set grid lc rgb '#dddddd'\nset key below horizontal height 1\n"
		"plot for [i=0:%d] 'life-density.dat' index i using 1:2 with linespoints lw 2 "
		"ps 0.8\n", blocks - 1);
	fclose(gp);
	rp_report_chart(rp, "life-density", 900, 400 + 24 * ((blocks + 2) / 3), body,
			"Start to hello of each instance life.density started, in the order "
			"started, one line per approach (log scale)");
	free(body);
}

void rp_sec_life_memory(struct rp_report *rp)
{
	rp_doc_heading(&rp->doc, 2, "Lifecycle: memory and density");
	rp_doc_para(&rp->doc, "life.footprint starts one instance, leaves it idle for a second, "
		    "then weighs it on the host: the PSS of its processes (shared pages split "
		    "among their sharers), the RSS of its main process (QEMU's, for a VM), and "
		    "what the memory controller charged its cgroup where its group has one (else "
		    "the backend's own counter, named); and on disk the files the backend names "
		    "as its image (kernel, initramfs, rootfs, agent).");
	rp_exp_table(rp, &(const struct rp_exp_table){RP_EXP_FOOTPRINT, has_footprint,
						      footprint_row});
	rp_doc_para(&rp->doc, "life.density starts idle instances one after another until what "
		    "they hold together passes the budget, one fails to start, or the cap is "
		    "reached, then stops them all together. What they hold is weighed two "
		    "ways, and the larger counts: their summed PSS, and the host's memory in "
		    "use (MemAvailable's drop since before the first start), which also holds "
		    "what no process maps, such as a container's namespaces, cgroups and page "
		    "tables. \"fit\" is how many were up while both stayed within the budget.");
	rp_exp_table(rp, &(const struct rp_exp_table){RP_EXP_DENSITY, has_density, density_row});
	density_chart(rp);
}
