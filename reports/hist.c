/* SPDX-License-Identifier: MIT */
/* Power-of-two histograms from counters; see hist.h. */
#include "hist.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"

int rp_hist_read(const struct rp_run *r, const char *be, const char *bench, const char *prefix,
		 struct rp_hist *h)
{
	json_t *names = rp_counter_names(r, be, bench, prefix), *v;
	size_t i;

	h->n = 0;
	h->total = 0;
	json_array_foreach(names, i, v) {
		const char *nm = json_string_value(v), *why;
		char *end;
		double k2 = strtod(nm + strlen(prefix), &end), sum, ops;
		int k;

		if (*end || !isfinite(k2) || k2 < 0 || k2 >= RP_HIST_MAX || h->n == RP_HIST_MAX ||
		    rp_counter(r, be, bench, nm, &sum, &ops, &why) != 1)
			continue;
		/* Insertion by bucket bound keeps them sorted. */
		for (k = h->n; k > 0 && h->lo_us[k - 1] > ldexp(1, (int)k2) / 1000; k--) {
			h->lo_us[k] = h->lo_us[k - 1];
			h->count[k] = h->count[k - 1];
		}
		h->lo_us[k] = ldexp(1, (int)k2) / 1000;
		h->count[k] = sum;
		h->total += sum;
		h->n++;
	}
	json_decref(names);
	return h->n;
}

const char *rp_hist_bucket(const struct rp_hist *h, double q, char *buf, size_t n)
{
	double acc = 0;
	int k;

	for (k = 0; k < h->n - 1; k++) {
		acc += h->count[k];
		if (acc >= q * h->total)
			break;
	}
	/* a bucket spans [2^k, 2^(k+1)) ns, whichever buckets are present around it */
	snprintf(buf, n, h->lo_us[k] >= 1 ? "%.0f-%.0f us" : "%.3g-%.3g us", h->lo_us[k],
		 2 * h->lo_us[k]);
	return buf;
}

/*
 * The data blocks of one workload's chart, one per (run, approach), and
 * the smallest and largest bucket in them; how many blocks.
 */
static int chart_data(struct rp_report *rp, const struct rp_hist_chart *c, const char *bench,
		      const char *name, double *lo, double *hi)
{
	struct rp_hist h;
	char series[80];
	FILE *dat = NULL;
	int blocks = 0;
	size_t i;
	json_t *b;

	for (int r = 0; r < rp->nruns; r++)
		json_array_foreach(rp->backends, i, b) {
			if (!rp_hist_read(&rp->runs[r], json_string_value(b), bench, c->prefix, &h))
				continue;
			if (!dat && !(dat = rp_report_data(rp, name)))
				return 0;
			rp_series(rp, r, json_string_value(b), series, sizeof(series));
			rp_gp_safe(series);
			fprintf(dat, "%s# %s\nbucket_us\t%s\n", blocks ? "\n\n" : "", series, series);
			for (int k = 0; k < h.n; k++)
				fprintf(dat, "%g\t%g\n", h.lo_us[k],
					h.total > 0 ? 100 * h.count[k] / h.total : 0);
			*lo = blocks ? fmin(*lo, h.lo_us[0]) : h.lo_us[0];
			*hi = blocks ? fmax(*hi, h.lo_us[h.n - 1]) : h.lo_us[h.n - 1];
			blocks++;
		}
	if (dat)
		fclose(dat);
	return blocks;
}

void rp_hist_chart(struct rp_report *rp, const struct rp_hist_chart *c, const char *bench)
{
	char name[160], *body = NULL;
	double lo = 1, hi = 1;
	size_t blen = 0;
	int blocks, per;
	FILE *gp;

	rp_chart_name(name, sizeof(name), c->name, bench);
	blocks = chart_data(rp, c, bench, name, &lo, &hi);
	if (!blocks || !(gp = open_memstream(&body, &blen)))
		return;
	/*
	 * From the power of 2 below the first bucket, 9 tics at most (every
	 * power of 2, or every 2nd, 3rd, ...): more labels of 5 digits collide.
	 */
	per = (int)fmax(1, ceil(log2(hi / lo) / 8));
	fprintf(gp, "set title '%s: %s'\nset logscale x 2\nset xtics %g, %d\nset format x '%%g'\n"
		"set xlabel '%s'\nset ylabel '%s'\nset grid lc rgb '#dddddd'\n"
		"set key below horizontal height 1\n"
		"plot for [i=0:%d] '%s.dat' index i using 1:2 with linespoints lw 2 ps 1.2\n",
		c->title, name + strlen(c->name) + 1, exp2(floor(log2(lo))), 1 << per, c->xlabel,
		c->ylabel, blocks - 1, name);
	fclose(gp);
	/* the key below: a line per three series */
	rp_report_chart(rp, name, 900, 400 + 24 * ((blocks + 2) / 3), body, c->caption);
	free(body);
}
