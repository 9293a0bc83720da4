/* SPDX-License-Identifier: MIT */
/* Regression verdicts between two runs; see compare.h. */
#include "compare.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../common/proto.h"
#include "../common/results.h"
#include "../common/safefile.h"
#include "../common/stats.h"
#include "../common/textsafe.h"
#include "mannwhitney.h"
#include "roundperm.h"
#include "xmlesc.h"

const char *rp_verdict_name(enum rp_verdict v)
{
	switch (v) {
	case RP_SAME: return "same";
	case RP_IMPROVED: return "improved";
	case RP_REGRESSED: return "REGRESSED";
	case RP_BROKEN: return "BROKEN";
	case RP_MISSING: return "missing";
	}
	return "?";
}

int rp_verdict_fails(enum rp_verdict v)
{
	return v == RP_REGRESSED || v == RP_BROKEN;
}

static int has_error(const struct rp_run *r, const char *backend, const char *bench)
{
	size_t i;
	json_t *e;

	json_array_foreach(rp_pair(r, backend, bench), i, e)
		if (!strcmp(vb_json_str(e, "status", ""), "error"))
			return 1;
	return 0;
}

/* The ok rounds of (backend, bench), each pointing into store; their count. */
static size_t rounds_of(const struct rp_run *r, const char *backend, const char *bench,
			double *store, struct rp_round *out)
{
	size_t i, j, k = 0, used = 0;
	json_t *e, *v;

	json_array_foreach(rp_pair(r, backend, bench), i, e) {
		const json_t *s = json_object_get(e, "samples");

		if (strcmp(vb_json_str(e, "status", ""), "ok") || !json_array_size(s))
			continue;
		json_array_foreach(s, j, v)
			store[used + j] = json_number_value(v);
		out[k].x = store + used;
		out[k].n = json_array_size(s);
		used += out[k].n;
		k++;
	}
	return k;
}

/* p of the round-level test, or of the sample-level one where rounds are too few. */
static void test(struct rp_cmp *c, const struct rp_run *base, const struct rp_run *cur,
		 const double *a, const double *b, const struct rp_cmp_opts *o)
{
	size_t nma = json_array_size(rp_pair(base, c->backend, c->bench));
	size_t nmb = json_array_size(rp_pair(cur, c->backend, c->bench));
	struct rp_round *ra = calloc(nma + 1, sizeof(*ra)), *rb = calloc(nmb + 1, sizeof(*rb));
	double *sa = malloc((c->n_base + 1) * sizeof(double));
	double *sb = malloc((c->n_new + 1) * sizeof(double));
	struct rp_perm perm;
	struct rp_mwu t;

	if (ra && rb && sa && sb) {
		size_t na = rounds_of(base, c->backend, c->bench, sa, ra);
		size_t nb = rounds_of(cur, c->backend, c->bench, sb, rb);

		if (!rp_round_perm(ra, na, rb, nb, &perm) && perm.min_p <= o->alpha) {
			c->p = perm.p;
			c->test = "rounds";
		} else if (!rp_mann_whitney(b, c->n_new, a, c->n_base, &t)) {
			c->p = t.p;
			c->test = "samples";
		}
	}
	free(ra);
	free(rb);
	free(sa);
	free(sb);
}

static void judge(struct rp_cmp *c, const struct rp_run *base, const struct rp_run *cur,
		  const struct rp_cmp_opts *o)
{
	double *a = NULL, *b = NULL;

	c->n_base = rp_samples(base, c->backend, c->bench, &a);
	c->n_new = rp_samples(cur, c->backend, c->bench, &b);
	c->base_median = c->new_median = c->change = c->p = NAN;
	if (!c->n_base || !c->n_new) {
		const struct rp_run *side = c->n_base ? cur : base;
		char why[160];

		c->verdict = c->n_base && has_error(cur, c->backend, c->bench) ? RP_BROKEN
									      : RP_MISSING;
		snprintf(c->note, sizeof(c->note), "no ok sample in %s: %s",
			 side == base ? "BASE" : "NEW",
			 rp_not_ok_reason(side, c->backend, c->bench, why, sizeof(why)));
		goto out;
	}
	c->base_median = vb_median(a, c->n_base);
	c->new_median = vb_median(b, c->n_new);
	c->new_mad = vb_mad(b, c->n_new);
	c->change = c->base_median != 0 ? c->new_median / c->base_median - 1 : NAN;
	test(c, base, cur, a, b, o);
	if (!c->test) {
		c->verdict = RP_MISSING;
		snprintf(c->note, sizeof(c->note), "out of memory");
		goto out;
	}
	c->verdict = RP_SAME;
	if (c->p < o->alpha && isfinite(c->change) && fabs(c->change) >= o->min_effect) {
		int worse = c->higher_better ? c->change < 0 : c->change > 0;

		c->verdict = worse ? RP_REGRESSED : RP_IMPROVED;
	}
out:
	free(a);
	free(b);
}

int rp_compare(const struct rp_run *base, const struct rp_run *cur,
	       const struct rp_cmp_opts *o, struct rp_cmp **out, size_t *n)
{
	const struct rp_run *runs[2] = {base, cur};
	/* one comparison per pair of either run: at most as many as both have pairs */
	size_t cap = json_object_size(base->by_pair) + json_object_size(cur->by_pair);
	struct rp_cmp *c = calloc(cap ? cap : 1, sizeof(*c));
	json_t *seen = json_object(), *e;
	size_t k = 0, i;

	if (!c || !seen) {
		free(c);
		json_decref(seen);
		return -1;
	}
	for (int r = 0; r < 2; r++) {
		json_array_foreach(runs[r]->measurements, i, e) {
			const char *be = vb_json_str(e, "backend", ""), *wl = vb_json_str(e, "bench", "");
			const char *unit = vb_json_str(e, "unit", NULL);
			char *key = vb_results_pair_key(be, wl);

			if (!key) {
				free(c);
				json_decref(seen);
				return -1;
			}
			if (json_object_get(seen, key)) {
				free(key);
				continue;
			}
			json_object_set_new(seen, key, json_true());
			free(key);
			c[k].backend = be;
			c[k].bench = wl;
			c[k].unit = unit ? unit : vb_json_str(rp_workload(runs[r], wl), "unit", "");
			c[k].higher_better = rp_higher_is_better(runs[r], wl);
			judge(&c[k], base, cur, o);
			k++;
		}
	}
	json_decref(seen);
	*out = c;
	*n = k;
	return 0;
}

/*
 * A cell of text from the result files, as a terminal may show it
 * (textsafe.h), whole, padded to width and a space.
 */
static void put_cell(FILE *f, const char *s, int width)
{
	for (size_t k = vb_term_put(f, s); k < (size_t)width; k++)
		fputc(' ', f);
	fputc(' ', f);
}

void rp_compare_table(FILE *f, const struct rp_cmp *c, size_t n)
{
	fprintf(f, "%-10s %-16s %-7s %5s %12s %12s %8s %9s %-7s  %s\n", "backend", "workload",
		"unit", "dir", "base median", "new median", "change", "p", "test", "verdict");
	for (size_t i = 0; i < n; i++) {
		put_cell(f, c[i].backend, 10);
		put_cell(f, c[i].bench, 16);
		put_cell(f, c[i].unit, 7);
		fprintf(f, "%5s ", c[i].higher_better ? "high" : "low");
		if (c[i].verdict == RP_MISSING || c[i].verdict == RP_BROKEN) {
			fprintf(f, "%12s %12s %8s %9s %-7s  %s (", "-", "-", "-", "-", "-",
				rp_verdict_name(c[i].verdict));
			vb_term_put(f, c[i].note);
			fputs(")\n", f);
			continue;
		}
		fprintf(f, "%12.4g %12.4g %+7.1f%% %9.2g %-7s  %s\n", c[i].base_median,
			c[i].new_median, 100 * c[i].change, c[i].p, c[i].test,
			rp_verdict_name(c[i].verdict));
	}
}

static void describe(char *buf, size_t n, const struct rp_cmp *c)
{
	if (c->verdict == RP_MISSING || c->verdict == RP_BROKEN)
		snprintf(buf, n, "%s: %s", rp_verdict_name(c->verdict), c->note);
	else
		snprintf(buf, n, "%s: median %.4g -> %.4g %s (%+.1f%%, p=%.2g over %s, %s is better)",
			 rp_verdict_name(c->verdict), c->base_median, c->new_median, c->unit,
			 100 * c->change, c->p, c->test, c->higher_better ? "higher" : "lower");
}

int rp_compare_junit(const char *path, const struct rp_cmp *c, size_t n,
		     const struct rp_cmp_opts *o, char *err, size_t errlen)
{
	struct vb_safe_file out;
	FILE *f = vb_safe_open(&out, path, 0644, err, errlen);
	size_t failures = 0, skipped = 0, i;
	char msg[400];

	if (!f)
		return -1;
	for (i = 0; i < n; i++) {
		failures += rp_verdict_fails(c[i].verdict);
		skipped += c[i].verdict == RP_MISSING;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites>\n<testsuite name=\"vbench-compare\" tests=\"%zu\" "
		"failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n", n, failures, skipped);
	fprintf(f, "  <properties><property name=\"alpha\" value=\"%g\"/>"
		"<property name=\"min_effect\" value=\"%g\"/></properties>\n",
		o->alpha, o->min_effect);
	for (i = 0; i < n; i++) {
		describe(msg, sizeof(msg), &c[i]);
		fputs("  <testcase classname=\"vbench.", f);
		rp_put_xml(f, c[i].backend);
		fputs("\" name=\"", f);
		rp_put_xml(f, c[i].bench);
		fputs("\">", f);
		if (rp_verdict_fails(c[i].verdict) || c[i].verdict == RP_MISSING) {
			fputs(c[i].verdict == RP_MISSING ? "<skipped message=\"" :
				"<failure type=\"regression\" message=\"", f);
			rp_put_xml(f, msg);
			fputs("\"/>", f);
		} else {
			fputs("<system-out>", f);
			rp_put_xml(f, msg);
			fputs("</system-out>", f);
		}
		fputs("</testcase>\n", f);
	}
	fputs("</testsuite>\n</testsuites>\n", f);
	return vb_safe_commit(&out, 0, err, errlen);
}

/* github-action-benchmark's "custom" tools take one direction per file. */
static int write_github(const char *path, const struct rp_cmp *c, size_t n, int higher,
			char *err, size_t errlen)
{
	json_t *arr = json_array();
	char extra[400], *text;
	int rc;

	for (size_t i = 0; i < n; i++) {
		char *name, range[48];

		if (c[i].higher_better != higher || !c[i].n_new)
			continue;
		describe(extra, sizeof(extra), &c[i]);
		if (asprintf(&name, "%s/%s", c[i].backend, c[i].bench) < 0) {
			snprintf(err, errlen, "out of memory");
			json_decref(arr);
			return -1;
		}
		snprintf(range, sizeof(range), "\u00b1 %.4g (MAD)", c[i].new_mad);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:f, s:s, s:s}", "name", name,
						     "unit", c[i].unit, "value", c[i].new_median,
						     "range", range, "extra", extra));
		free(name);
	}
	text = json_dumps(arr, JSON_INDENT(2));
	json_decref(arr);
	if (!text) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	rc = vb_safe_write(path, text, strlen(text), 0644, err, errlen);
	free(text);
	return rc;
}

int rp_compare_github(const char *path, const struct rp_cmp *c, size_t n, char *err,
		      size_t errlen)
{
	char bigger[4096];
	size_t len = strlen(path), i;
	int any_higher = 0;

	for (i = 0; i < n; i++)
		any_higher |= c[i].higher_better && c[i].n_new;
	if (write_github(path, c, n, 0, err, errlen))
		return -1;
	if (!any_higher)
		return 0;
	/* FILE.json -> FILE-bigger.json for the customBiggerIsBetter tool. */
	if (len > 5 && !strcmp(path + len - 5, ".json"))
		snprintf(bigger, sizeof(bigger), "%.*s-bigger.json", (int)(len - 5), path);
	else
		snprintf(bigger, sizeof(bigger), "%s-bigger.json", path);
	fprintf(stderr, "compare: higher-is-better workloads (customBiggerIsBetter) in %s\n",
		bigger);
	return write_github(bigger, c, n, 1, err, errlen);
}
