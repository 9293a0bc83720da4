/* SPDX-License-Identifier: MIT */
/* Regression verdicts between two runs; see compare.h. */
#include "compare.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/proto.h"
#include "../common/results.h"
#include "../common/safefile.h"
#include "../common/stats.h"
#include "../common/textsafe.h"
#include "changeci.h"
#include "mannwhitney.h"
#include "paired.h"
#include "roundperm.h"
#include "xmlesc.h"

const char *rp_verdict_name(enum rp_verdict v)
{
	switch (v) {
	case RP_SAME: return "same";
	case RP_IMPROVED: return "improved";
	case RP_REGRESSED: return "REGRESSED";
	case RP_BROKEN: return "BROKEN";
	case RP_INCOMPARABLE: return "INCOMPARABLE";
	case RP_MISSING: return "MISSING";
	case RP_SKIPPED: return "skipped";
	}
	return "?";
}

int rp_verdict_fails(enum rp_verdict v, const struct rp_cmp_opts *o)
{
	return v == RP_REGRESSED || v == RP_BROKEN ||
	       (v == RP_INCOMPARABLE && !o->allow_incomparable) ||
	       (v == RP_MISSING && !o->allow_missing);
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

/*
 * The change's interval where the test went by samples: each sample its
 * own unit, as that test takes them.
 */
static void sample_ci(struct rp_cmp *c, const double *a, const double *b)
{
	struct rp_round *ra = calloc(c->n_base, sizeof(*ra)), *rb = calloc(c->n_new, sizeof(*rb));
	size_t i;

	if (ra && rb) {
		for (i = 0; i < c->n_base; i++)
			ra[i] = (struct rp_round){a + i, 1};
		for (i = 0; i < c->n_new; i++)
			rb[i] = (struct rp_round){b + i, 1};
		if (!rp_change_ci(ra, c->n_base, rb, c->n_new, &c->ci_lo, &c->ci_hi))
			c->ci_method = "percentile bootstrap, samples resampled";
	}
	free(ra);
	free(rb);
}

/*
 * p of the round-level test, or of the sample-level one where rounds are
 * too few; the change's interval resampling the same units.
 */
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
			if (!rp_change_ci(ra, na, rb, nb, &c->ci_lo, &c->ci_hi))
				c->ci_method = "percentile bootstrap, whole rounds resampled";
		} else if (!rp_mann_whitney(b, c->n_new, a, c->n_base, &t)) {
			c->p = t.p;
			c->test = "samples";
			sample_ci(c, a, b);
		}
	}
	free(ra);
	free(rb);
	free(sa);
	free(sb);
}

/* Why (backend, bench) of r has no ok sample: its backend's state, else its measurements'. */
static const char *why_none(const struct rp_run *r, const char *backend, const char *bench,
			    char *buf, size_t n)
{
	if (!rp_backend_ok(r, backend))
		return rp_backend_why(r, backend, buf, n);
	return rp_not_ok_reason(r, backend, bench, buf, n);
}

/* NEW has no ok sample of a pair BASE measured: BROKEN or MISSING, and why. */
static void judge_gone(struct rp_cmp *c, const struct rp_run *cur)
{
	const char *st = vb_json_str(rp_backend(cur, c->backend), "status", "");
	char why[400];

	why_none(cur, c->backend, c->bench, why, sizeof(why));
	if (!strcmp(st, "failed") || !strcmp(st, "unavailable") ||
	    has_error(cur, c->backend, c->bench)) {
		c->verdict = RP_BROKEN;
		snprintf(c->note, sizeof(c->note), "no ok sample in NEW: %s", why);
	} else {
		/* unsupported there, not measured, or its backend not (fully) in NEW */
		c->verdict = RP_MISSING;
		snprintf(c->note, sizeof(c->note), "%s", why);
	}
}

/* The unit of (backend, bench) in r: its ok measurements' own, else its workload's. */
static const char *pair_unit(const struct rp_run *r, const char *backend, const char *bench)
{
	size_t i;
	json_t *e;

	json_array_foreach(rp_pair(r, backend, bench), i, e)
		if (!strcmp(vb_json_str(e, "status", ""), "ok") && vb_json_str(e, "unit", NULL))
			return vb_json_str(e, "unit", NULL);
	return vb_json_str(rp_workload(r, bench), "unit", "");
}

/* Append sep (unless buf is empty) and the formatted text to buf, as far as it fits. */
static void addf(char *buf, size_t n, const char *sep, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len && len + 1 < n)
		len += (size_t)snprintf(buf + len, n - len, "%s", sep);
	if (len + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
}

/* A parameter's value as JSON, "absent" where a side lacks it. */
static void add_value(char *buf, size_t n, const char *sep, const json_t *v)
{
	char *t = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;

	addf(buf, n, sep, "%s", !v ? "absent" : t ? t : "?");
	free(t);
}

/* Each parameter that differs, BASE's then NEW's own: "pages 65536 vs 16384, thp absent vs 0". */
static void param_diffs(char *buf, size_t n, json_t *pa, json_t *pb)
{
	json_t *sides[2] = {pa, pb}, *v;
	const char *k;

	for (int s = 0; s < 2; s++)
		json_object_foreach(sides[s], k, v) {
			json_t *x = json_object_get(pa, k), *y = json_object_get(pb, k);

			if ((s == 1 && x) || (x && y && json_equal(x, y)))
				continue;
			addf(buf, n, ", ", "%s", k);
			add_value(buf, n, " ", x);
			add_value(buf, n, " vs ", y);
		}
}

/*
 * What makes (backend, bench) a different metric in BASE and NEW, into why
 * ("" when nothing): workload version, unit, direction, parameters.
 * Files from before workload versions are version 1.
 */
static void differences(const struct rp_run *base, const struct rp_run *cur,
			const char *backend, const char *bench, char *why, size_t n)
{
	json_t *wa = rp_workload(base, bench), *wb = rp_workload(cur, bench);
	long long va = vb_json_int(wa, "version", 1), vb = vb_json_int(wb, "version", 1);
	const char *ua = pair_unit(base, backend, bench), *ub = pair_unit(cur, backend, bench);
	int ha = rp_higher_is_better(base, bench), hb = rp_higher_is_better(cur, bench);
	char params[400] = "";

	why[0] = '\0';
	if (va != vb)
		addf(why, n, "; ", "workload version %lld vs %lld", va, vb);
	if (strcmp(ua, ub))
		addf(why, n, "; ", "unit %s vs %s", ua, ub);
	if (ha != hb)
		addf(why, n, "; ", "direction %s vs %s is better", ha ? "higher" : "lower",
		     hb ? "higher" : "lower");
	param_diffs(params, sizeof(params), json_object_get(wa, "params"),
		    json_object_get(wb, "params"));
	if (params[0])
		addf(why, n, "; ", "params %s", params);
}

/* Medians and NEW's MAD of the samples a and b (n_base, n_new); nothing tested yet. */
static void describe_sides(struct rp_cmp *c, const double *a, const double *b)
{
	c->base_median = c->new_median = c->new_mad = c->change = c->p = NAN;
	c->ci_lo = c->ci_hi = NAN;
	if (c->n_base)
		c->base_median = vb_median(a, c->n_base);
	if (c->n_new) {
		c->new_median = vb_median(b, c->n_new);
		c->new_mad = vb_mad(b, c->n_new);
	}
}

/* The verdict of a tested row: a significant change of at least min_effect, or same. */
static void decide(struct rp_cmp *c, const struct rp_cmp_opts *o)
{
	c->verdict = RP_SAME;
	if (c->p < o->alpha && isfinite(c->change) && fabs(c->change) >= o->min_effect) {
		int worse = c->higher_better ? c->change < 0 : c->change > 0;

		c->verdict = worse ? RP_REGRESSED : RP_IMPROVED;
	}
}

static void judge(struct rp_cmp *c, const struct rp_run *base, const struct rp_run *cur,
		  const struct rp_cmp_opts *o)
{
	double *a = NULL, *b = NULL;
	char why[400];

	c->n_base = rp_samples(base, c->backend, c->bench, &a);
	c->n_new = rp_samples(cur, c->backend, c->bench, &b);
	describe_sides(c, a, b);
	if (!c->n_base) {
		c->verdict = RP_SKIPPED;
		snprintf(c->note, sizeof(c->note), "no ok sample in BASE: %s",
			 why_none(base, c->backend, c->bench, why, sizeof(why)));
		goto out;
	}
	if (!c->n_new) {
		judge_gone(c, cur);
		goto out;
	}
	differences(base, cur, c->backend, c->bench, c->note, sizeof(c->note));
	if (c->note[0]) {
		c->verdict = RP_INCOMPARABLE;
		goto out;
	}
	c->change = c->base_median != 0 ? c->new_median / c->base_median - 1 : NAN;
	test(c, base, cur, a, b, o);
	if (!c->test) {
		c->verdict = RP_MISSING;
		snprintf(c->note, sizeof(c->note), "out of memory");
		goto out;
	}
	decide(c, o);
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
			char *key = vb_results_pair_key(be, wl);
			const struct rp_run *side;

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
			/* NEW's unit and direction where it has the pair: its values are shown */
			side = rp_pair(cur, be, wl) ? cur : base;
			c[k].unit = pair_unit(side, be, wl);
			c[k].higher_better = rp_higher_is_better(side, wl);
			judge(&c[k], base, cur, o);
			k++;
		}
	}
	json_decref(seen);
	*out = c;
	*n = k;
	return 0;
}

/* The median of an ok measurement's samples, or NAN. */
static double round_median(const json_t *m)
{
	const json_t *s = json_object_get(m, "samples");
	size_t n = json_array_size(s), i;
	double *x = malloc((n ? n : 1) * sizeof(*x)), med = NAN;
	json_t *v;

	if (!x || strcmp(vb_json_str(m, "status", ""), "ok"))
		goto out;
	json_array_foreach(s, i, v)
		x[i] = json_number_value(v);
	med = vb_median(x, n);
out:
	free(x);
	return med;
}

/* inst's ok measurement of bench in round, or NULL. */
static const json_t *in_round(const struct rp_run *r, const char *inst, const char *bench,
			      long long round)
{
	size_t i;
	json_t *e;

	json_array_foreach(rp_pair(r, inst, bench), i, e)
		if (vb_json_int(e, "round", -1) == round && !strcmp(vb_json_str(e, "status", ""), "ok"))
			return e;
	return NULL;
}

/*
 * Into d (room for B's measurements of bench): log(B's median / A's) of
 * each round where both have ok samples; how many.
 */
static size_t log_ratios(const struct rp_run *r, const char *a, const char *b, const char *bench,
			 double *d)
{
	size_t i, k = 0;
	json_t *e;

	json_array_foreach(rp_pair(r, b, bench), i, e) {
		const json_t *m = in_round(r, a, bench, vb_json_int(e, "round", -1));
		double ma = m ? round_median(m) : NAN, mb = round_median(e);

		if (ma > 0 && mb > 0 && isfinite(ma) && isfinite(mb))
			d[k++] = log(mb / ma);
	}
	return k;
}

/* The parameters inst ran bench with: the workload's, under its first ok measurement's own. */
static json_t *params_of(const struct rp_run *r, const char *inst, const char *bench)
{
	json_t *p = json_deep_copy(json_object_get(rp_workload(r, bench), "params"));
	size_t i;
	json_t *e;

	if (!p)
		p = json_object();
	json_array_foreach(rp_pair(r, inst, bench), i, e)
		if (!strcmp(vb_json_str(e, "status", ""), "ok")) {
			json_object_update(p, json_object_get(e, "params"));
			break;
		}
	return p;
}

/* 1 when inst has its own parameters for bench (--set INST.param.BENCH.P=V). */
static int sets_params(const struct rp_run *r, const char *inst, const char *bench)
{
	json_t *set = json_object_get(rp_backend(r, inst), "settings"), *v;
	size_t len = strlen(bench);
	const char *k;

	json_object_foreach(set, k, v)
		if (!strncmp(k, "param.", 6) && !strncmp(k + 6, bench, len) && k[6 + len] == '.')
			return 1;
	return 0;
}

/*
 * Into note: "params differ: n 4096 vs 8192 (set on B)", or "". Not a
 * refusal: in one run a parameter set on one instance is the A/B
 * difference being measured.
 */
static void paired_params(const struct rp_run *r, const char *a, const char *b,
			  const char *bench, char *note, size_t n)
{
	json_t *pa = params_of(r, a, bench), *pb = params_of(r, b, bench);
	int sa = sets_params(r, a, bench), sb = sets_params(r, b, bench);
	char diff[400] = "";

	param_diffs(diff, sizeof(diff), pa, pb);
	note[0] = '\0';
	if (diff[0])
		addf(note, n, "", "params differ: %s%s", diff,
		     sa && sb ? " (set on A and B)" : sa ? " (set on A)" : sb ? " (set on B)" : "");
	json_decref(pa);
	json_decref(pb);
}

/*
 * The test on rows of one run: per-round ratios where enough rounds can
 * reach alpha, else Mann-Whitney U over the samples a and b as in
 * two-file mode.
 */
static void paired_test(struct rp_cmp *c, const double *d, size_t k, const double *a,
			const double *b, const struct rp_cmp_opts *o)
{
	struct rp_paired t;
	struct rp_mwu u;

	if (!rp_paired_test(d, k, &t) && t.min_p <= o->alpha) {
		c->change = t.change;
		c->p = t.p;
		c->ci_lo = t.ci_lo;
		c->ci_hi = t.ci_hi;
		c->test = "paired";
		c->ci_method = "percentile bootstrap, paired rounds resampled";
	} else if (!rp_mann_whitney(b, c->n_new, a, c->n_base, &u)) {
		c->change = c->base_median != 0 ? c->new_median / c->base_median - 1 : NAN;
		c->p = u.p;
		c->test = "samples";
		sample_ci(c, a, b);
	}
}

/* Row c of instance b (c->backend) against instance a in run r. */
static void judge_paired(struct rp_cmp *c, const struct rp_run *r, const char *a,
			 const struct rp_cmp_opts *o)
{
	double *sa = NULL, *sb = NULL;
	double *d = calloc(json_array_size(rp_pair(r, c->backend, c->bench)) + 1, sizeof(*d));
	char why[400];
	size_t k;

	c->n_base = rp_samples(r, a, c->bench, &sa);
	c->n_new = rp_samples(r, c->backend, c->bench, &sb);
	describe_sides(c, sa, sb);
	if (!c->n_base) {
		c->verdict = RP_SKIPPED;
		snprintf(c->note, sizeof(c->note), "no ok sample of %s: %s", a,
			 why_none(r, a, c->bench, why, sizeof(why)));
		goto out;
	}
	if (!c->n_new) {
		judge_gone(c, r);
		goto out;
	}
	paired_params(r, a, c->backend, c->bench, c->note, sizeof(c->note));
	k = d ? log_ratios(r, a, c->backend, c->bench, d) : 0;
	if (d && !k) {
		c->verdict = RP_MISSING;
		snprintf(c->note, sizeof(c->note), "no round in which both %s and %s measured it",
			 a, c->backend);
		goto out;
	}
	paired_test(c, d, k, sa, sb, o);
	if (!c->test) {
		c->verdict = RP_MISSING;
		snprintf(c->note, sizeof(c->note), "out of memory");
		goto out;
	}
	decide(c, o);
out:
	free(d);
	free(sa);
	free(sb);
}

/* The instance's name as run r holds it (valid while r is), or NULL with err. */
static const char *instance(const struct rp_run *r, const char *name, char *err, size_t n)
{
	json_t *b = rp_backend(r, name);
	size_t i;
	json_t *e;
	char sep[3] = "";

	if (b)
		return vb_json_str(b, "name", NULL);
	snprintf(err, n, "%s: no instance '%s' in it (instances:", r->path, name);
	json_array_foreach(r->backends, i, e) {
		addf(err, n, sep, " %s", vb_json_str(e, "name", "?"));
		snprintf(sep, sizeof(sep), ",");
	}
	addf(err, n, "", ")");
	return NULL;
}

int rp_compare_paired(const struct rp_run *r, const char *base, const char *cur,
		      const struct rp_cmp_opts *o, struct rp_cmp **out, size_t *n, char *err,
		      size_t errlen)
{
	const char *a = instance(r, base, err, errlen), *b = a ? instance(r, cur, err, errlen) : NULL;
	struct rp_cmp *c;
	json_t *seen, *e;
	size_t k = 0, i;

	if (!a || !b)
		return -1;
	c = calloc(json_array_size(r->measurements) + 1, sizeof(*c));
	seen = json_object();
	if (!c || !seen) {
		free(c);
		json_decref(seen);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	json_array_foreach(r->measurements, i, e) {
		const char *be = vb_json_str(e, "backend", ""), *wl = vb_json_str(e, "bench", "");

		if ((strcmp(be, a) && strcmp(be, b)) || json_object_get(seen, wl))
			continue;
		json_object_set_new(seen, wl, json_true());
		c[k].backend = b;
		c[k].bench = wl;
		c[k].unit = pair_unit(r, rp_pair(r, b, wl) ? b : a, wl);
		c[k].higher_better = rp_higher_is_better(r, wl);
		judge_paired(&c[k], r, a, o);
		k++;
	}
	json_decref(seen);
	*out = c;
	*n = k;
	return 0;
}

const char *rp_run_cut_short(const struct rp_run *r)
{
	if (json_is_true(json_object_get(r->root, "interrupted")))
		return "was interrupted";
	/* only an explicit false: files built by hand may not say */
	if (json_is_false(json_object_get(r->root, "complete")))
		return "did not complete";
	return NULL;
}

/* What fails or is let pass, in the order it is reported. */
struct rp_item {
	char text[64];
	int allowed;
};

static void add_item(struct rp_item *it, size_t *k, int allowed, const char *fmt, ...)
{
	va_list ap;

	it[*k].allowed = allowed;
	va_start(ap, fmt);
	vsnprintf(it[*k].text, sizeof(it[*k].text), fmt, ap);
	va_end(ap);
	++*k;
}

/* Into it (room for 6): what fails or is let pass; how many. */
static size_t outcome_items(const struct rp_outcome *r, const struct rp_cmp_opts *o,
			    struct rp_item *it)
{
	size_t k = 0;

	if (r->regressed)
		add_item(it, &k, 0, "%zu regressed", r->regressed);
	if (r->broken)
		add_item(it, &k, 0, "%zu broken", r->broken);
	if (r->incomparable)
		add_item(it, &k, o->allow_incomparable, "%zu incomparable", r->incomparable);
	if (r->missing)
		add_item(it, &k, o->allow_missing, "%zu missing in NEW", r->missing);
	if (!r->new_ok)
		add_item(it, &k, o->allow_missing, "NEW has no ok measurement");
	if (r->cut_short)
		add_item(it, &k, o->allow_missing, "NEW %s", r->cut_short);
	return k;
}

/* The outcome, counting NEW's ok measurements of instance only where it is not NULL. */
static void outcome_of(const struct rp_cmp *c, size_t n, const struct rp_run *cur,
		       const char *instance, const struct rp_cmp_opts *o, struct rp_outcome *out)
{
	struct rp_item it[6];
	size_t i, k;
	json_t *e;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		out->regressed += c[i].verdict == RP_REGRESSED;
		out->broken += c[i].verdict == RP_BROKEN;
		out->incomparable += c[i].verdict == RP_INCOMPARABLE;
		out->missing += c[i].verdict == RP_MISSING;
	}
	json_array_foreach(cur->measurements, i, e)
		out->new_ok += !strcmp(vb_json_str(e, "status", ""), "ok") &&
			       (!instance || !strcmp(vb_json_str(e, "backend", ""), instance));
	out->cut_short = rp_run_cut_short(cur);
	k = outcome_items(out, o, it);
	for (i = 0; i < k; i++)
		out->fails |= !it[i].allowed;
}

void rp_compare_outcome(const struct rp_cmp *c, size_t n, const struct rp_run *cur,
			const struct rp_cmp_opts *o, struct rp_outcome *out)
{
	outcome_of(c, n, cur, NULL, o, out);
}

void rp_paired_outcome(const struct rp_cmp *c, size_t n, const struct rp_run *r,
		       const char *cur, const struct rp_cmp_opts *o, struct rp_outcome *out)
{
	outcome_of(c, n, r, cur, o, out);
}

/* The items whose allowed flag is `allowed`, comma-separated after lead; how many. */
static size_t put_items(FILE *f, const struct rp_item *it, size_t k, int allowed,
			const char *lead)
{
	size_t put = 0;

	for (size_t i = 0; i < k; i++)
		if (it[i].allowed == allowed)
			fprintf(f, "%s%s", put++ ? ", " : lead, it[i].text);
	return put;
}

void rp_outcome_print(FILE *f, const struct rp_outcome *r, const struct rp_cmp_opts *o)
{
	struct rp_item it[6];
	size_t k = outcome_items(r, o, it);

	fputs(r->fails ? "result: FAILED" : "result: no regression", f);
	put_items(f, it, k, 0, ": ");
	if (put_items(f, it, k, 1, " (allowed: "))
		fputc(')', f);
	fputc('\n', f);
}

/*
 * v for people: 3 significant digits, and from 1000 up the plain integer
 * (78490, not 7.85e+04); "-" where there is none.
 */
static const char *fmt_num(char *buf, size_t n, double v)
{
	if (!isfinite(v))
		snprintf(buf, n, "-");
	else if (fabs(v) >= 999.5 && fabs(v) < 1e15)
		snprintf(buf, n, "%.0f", v);
	else
		snprintf(buf, n, "%.3g", v);
	return buf;
}

/* A p-value: 2 significant digits, and under 0.001 only that. */
static const char *fmt_p(char *buf, size_t n, double p)
{
	if (!isfinite(p))
		snprintf(buf, n, "-");
	else if (p < 0.001)
		snprintf(buf, n, "<0.001");
	else
		snprintf(buf, n, "%.2g", p);
	return buf;
}

/* The change's interval in percent, "[-1.2%, +3.4%]", or "-". */
static const char *fmt_ci(char *buf, size_t n, const struct rp_cmp *c)
{
	if (!isfinite(c->ci_lo) || !isfinite(c->ci_hi))
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "[%+.1f%%, %+.1f%%]", 100 * c->ci_lo, 100 * c->ci_hi);
	return buf;
}

/* v rounded to `digits` significant digits, for machine outputs. */
static double round_sig(double v, int digits)
{
	double scale;

	if (!isfinite(v) || v == 0)
		return v;
	scale = pow(10, digits - ceil(log10(fabs(v))));
	return round(v * scale) / scale;
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

/* 1 when the row has a change to show: both sides measured the same metric. */
static int has_change(const struct rp_cmp *c)
{
	return c->verdict == RP_SAME || c->verdict == RP_IMPROVED || c->verdict == RP_REGRESSED;
}

/* The numbers of a row with a change: medians, change, its interval, p, test. */
static void put_change(FILE *f, const struct rp_cmp *c)
{
	char base[32], cur[32], ci[48], p[16];

	fprintf(f, "%12s %12s %+7.1f%% %-18s %7s %-7s  %s",
		fmt_num(base, sizeof(base), c->base_median), fmt_num(cur, sizeof(cur), c->new_median),
		100 * c->change, fmt_ci(ci, sizeof(ci), c), fmt_p(p, sizeof(p), c->p), c->test,
		rp_verdict_name(c->verdict));
	/* A/B in one run: what was set differently on purpose */
	if (c->note[0]) {
		fputs(" (", f);
		vb_term_put(f, c->note);
		fputc(')', f);
	}
	fputc('\n', f);
}

void rp_compare_table(FILE *f, const struct rp_cmp *c, size_t n)
{
	fprintf(f, "%-10s %-16s %-7s %5s %12s %12s %8s %-18s %7s %-7s  %s\n", "backend",
		"workload", "unit", "dir", "base median", "new median", "change", "95% CI", "p",
		"test", "verdict");
	for (size_t i = 0; i < n; i++) {
		if (c[i].verdict == RP_MISSING)
			continue;
		put_cell(f, c[i].backend, 10);
		put_cell(f, c[i].bench, 16);
		put_cell(f, c[i].unit, 7);
		fprintf(f, "%5s ", c[i].higher_better ? "high" : "low");
		if (!has_change(&c[i])) {
			fprintf(f, "%12s %12s %8s %-18s %7s %-7s  %s (", "-", "-", "-", "-", "-", "-",
				rp_verdict_name(c[i].verdict));
			vb_term_put(f, c[i].note);
			fputs(")\n", f);
			continue;
		}
		put_change(f, &c[i]);
	}
}

/* 1 when every MISSING row of backend gives the same reason. */
static int one_reason(const struct rp_cmp *c, size_t n, const char *backend, size_t first)
{
	for (size_t i = first; i < n; i++)
		if (c[i].verdict == RP_MISSING && !strcmp(c[i].backend, backend) &&
		    strcmp(c[i].note, c[first].note))
			return 0;
	return 1;
}

/* The line of backend, whose first MISSING row is c[first]. */
static void missing_line(FILE *f, const struct rp_cmp *c, size_t n, size_t first,
			 const char *cut_short)
{
	const char *be = c[first].backend;
	int same = one_reason(c, n, be, first);
	size_t missing = 0, measured = 0, i, put = 0;

	for (i = 0; i < n; i++)
		if (!strcmp(c[i].backend, be)) {
			missing += c[i].verdict == RP_MISSING;
			measured += c[i].n_base > 0;
		}
	vb_term_put(f, be);
	fprintf(f, ": %zu of %zu workloads missing in NEW: ", missing, measured);
	for (i = first; i < n; i++) {
		if (c[i].verdict != RP_MISSING || strcmp(c[i].backend, be))
			continue;
		fputs(put++ ? ", " : "", f);
		vb_term_put(f, c[i].bench);
		if (!same) {
			fputs(" (", f);
			vb_term_put(f, c[i].note);
			fputc(')', f);
		}
	}
	if (same) {
		fputs(" (", f);
		vb_term_put(f, c[first].note);
	}
	if (cut_short)
		fprintf(f, "%sNEW %s", same ? "; " : " (", cut_short);
	fputs(same || cut_short ? ")\n" : "\n", f);
}

void rp_compare_missing(FILE *f, const struct rp_cmp *c, size_t n, const char *cut_short)
{
	/* backends already summed up: by hash, so that a run of every pair missing stays linear */
	json_t *done = json_object();

	for (size_t i = 0; i < n; i++) {
		if (c[i].verdict != RP_MISSING || json_object_get(done, c[i].backend))
			continue;
		json_object_set_new(done, c[i].backend, json_true());
		missing_line(f, c, n, i, cut_short);
	}
	json_decref(done);
}

static void describe(char *buf, size_t n, const struct rp_cmp *c)
{
	char base[32], cur[32], ci[48], p[16];

	if (c->verdict == RP_INCOMPARABLE)
		snprintf(buf, n, "incomparable: %s", c->note);
	else if (c->verdict == RP_MISSING)
		snprintf(buf, n, "missing in NEW: %s", c->note);
	else if (!has_change(c))
		snprintf(buf, n, "%s: %s", rp_verdict_name(c->verdict), c->note);
	else
		snprintf(buf, n, "%s: median %s -> %s %s (%+.1f%%, 95%% CI %s, p=%s over %s, %s is "
			 "better)", rp_verdict_name(c->verdict),
			 fmt_num(base, sizeof(base), c->base_median),
			 fmt_num(cur, sizeof(cur), c->new_median), c->unit, 100 * c->change,
			 fmt_ci(ci, sizeof(ci), c), fmt_p(p, sizeof(p), c->p), c->test,
			 c->higher_better ? "higher" : "lower");
	if (has_change(c) && c->note[0])
		addf(buf, n, "; ", "%s", c->note);
}

static const char *failure_type(enum rp_verdict v)
{
	switch (v) {
	case RP_BROKEN: return "broken";
	case RP_INCOMPARABLE: return "incomparable";
	case RP_MISSING: return "missing";
	default: return "regression";
	}
}

/* One testcase: a failure, skipped (nothing compared, or allowed) or the verdict. */
static void junit_case(FILE *f, const struct rp_cmp *c, const struct rp_cmp_opts *o)
{
	char msg[1024];

	describe(msg, sizeof(msg), c);
	fputs("  <testcase classname=\"vbench.", f);
	rp_put_xml(f, c->backend);
	fputs("\" name=\"", f);
	rp_put_xml(f, c->bench);
	fputs("\">", f);
	if (rp_verdict_fails(c->verdict, o)) {
		fprintf(f, "<failure type=\"%s\" message=\"", failure_type(c->verdict));
		rp_put_xml(f, msg);
		fputs("\"/>", f);
	} else if (!has_change(c)) {
		fputs("<skipped message=\"", f);
		rp_put_xml(f, msg);
		fputs("\"/>", f);
	} else {
		fputs("<system-out>", f);
		rp_put_xml(f, msg);
		fputs("</system-out>", f);
	}
	fputs("</testcase>\n", f);
}

/*
 * An empty or cut-short NEW fails the job even where every pair it holds
 * passes: one testcase says so, so that the JUnit report agrees with the
 * exit status. NULL when NEW is whole.
 */
static const char *run_problem(const struct rp_outcome *r, char *buf, size_t n)
{
	if (r->new_ok && !r->cut_short)
		return NULL;
	snprintf(buf, n, "%s%s%s%s", r->new_ok ? "" : "NEW has no ok measurement",
		 !r->new_ok && r->cut_short ? "; " : "", r->cut_short ? "NEW " : "",
		 r->cut_short ? r->cut_short : "");
	return buf;
}

/* A UTC time as results files write it, "2026-12-01T14:24:45Z"; -1 if it is not one. */
static time_t parse_utc(const char *s)
{
	struct tm tm = {0};
	const char *end = s ? strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;

	if (!end || (*end && strcmp(end, "Z")))
		return -1;
	return timegm(&tm);
}

/* What the JUnit testsuite says of the run it reports: NEW's. */
struct junit_run {
	double secs;            /* NEW's meta.finished - meta.started, 0 if unknown */
	char stamp[32];         /* NEW's meta.finished, else now: ISO 8601 in UTC */
	char host[256];         /* NEW's meta.host.hostname, else this host's */
};

static void junit_run_of(const struct rp_run *cur, struct junit_run *j)
{
	const json_t *meta = cur ? json_object_get(cur->root, "meta") : NULL;
	time_t started = parse_utc(vb_json_str(meta, "started", NULL));
	time_t finished = parse_utc(vb_json_str(meta, "finished", NULL));
	const char *host = vb_json_str(json_object_get(meta, "host"), "hostname", NULL);
	time_t when = finished >= 0 ? finished : time(NULL);
	struct tm tm;

	j->secs = started >= 0 && finished >= started ? difftime(finished, started) : 0;
	/* JUnit's schema takes the timestamp without a zone: it is UTC */
	gmtime_r(&when, &tm);
	strftime(j->stamp, sizeof(j->stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	if (host && *host)
		snprintf(j->host, sizeof(j->host), "%s", host);
	else if (gethostname(j->host, sizeof(j->host) - 1))
		snprintf(j->host, sizeof(j->host), "localhost");
	j->host[sizeof(j->host) - 1] = '\0';
}

static void junit_suite_open(FILE *f, size_t tests, size_t failures, size_t skipped,
			     const struct rp_run *cur)
{
	struct junit_run j;

	junit_run_of(cur, &j);
	fprintf(f, "<testsuites>\n<testsuite name=\"vbench-compare\" tests=\"%zu\" "
		"failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"%.0f\" "
		"timestamp=\"%s\" hostname=\"", tests, failures, skipped, j.secs, j.stamp);
	rp_put_xml(f, j.host);
	fputs("\">\n", f);
}

int rp_compare_junit(const char *path, const struct rp_cmp *c, size_t n,
		     const struct rp_cmp_opts *o, const struct rp_outcome *r,
		     const struct rp_run *cur, char *err, size_t errlen)
{
	struct vb_safe_file out;
	FILE *f = vb_safe_open(&out, path, 0644, err, errlen);
	char why[96];
	const char *run = run_problem(r, why, sizeof(why));
	size_t failures = 0, skipped = 0, i;

	if (!f)
		return -1;
	for (i = 0; i < n; i++) {
		int fails = rp_verdict_fails(c[i].verdict, o);

		failures += fails;
		skipped += !fails && !has_change(&c[i]);
	}
	if (run) {
		failures += !o->allow_missing;
		skipped += o->allow_missing;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	junit_suite_open(f, n + !!run, failures, skipped, cur);
	fprintf(f, "  <properties><property name=\"alpha\" value=\"%g\"/>"
		"<property name=\"min_effect\" value=\"%g\"/></properties>\n",
		o->alpha, o->min_effect);
	if (run)
		fprintf(f, "  <testcase classname=\"vbench\" name=\"NEW run\">"
			"<%s message=\"%s\"/></testcase>\n",
			o->allow_missing ? "skipped" : "failure type=\"missing\"", run);
	for (i = 0; i < n; i++)
		junit_case(f, &c[i], o);
	fputs("</testsuite>\n</testsuites>\n", f);
	return vb_safe_commit(&out, 0, err, errlen);
}

/*
 * 1 when NEW's median goes into the series: NEW measured it (a pair only
 * NEW has starts a series) and it is the metric BASE's series holds.
 */
static int github_value(const struct rp_cmp *c)
{
	return c->n_new && c->verdict != RP_INCOMPARABLE;
}

/* github-action-benchmark's "custom" tools take one direction per file. */
static int write_github(const char *path, const struct rp_cmp *c, size_t n, int higher,
			char *err, size_t errlen)
{
	json_t *arr = json_array();
	char extra[1024], *text;
	int rc;

	for (size_t i = 0; i < n; i++) {
		char *name, range[48];

		if (c[i].higher_better != higher || !github_value(&c[i]))
			continue;
		describe(extra, sizeof(extra), &c[i]);
		if (asprintf(&name, "%s/%s", c[i].backend, c[i].bench) < 0) {
			snprintf(err, errlen, "out of memory");
			json_decref(arr);
			return -1;
		}
		snprintf(range, sizeof(range), "\u00b1 %.15g (MAD)", round_sig(c[i].new_mad, 4));
		json_array_append_new(arr, json_pack("{s:s, s:s, s:f, s:s, s:s}", "name", name,
						     "unit", c[i].unit, "value",
						     round_sig(c[i].new_median, 4),
						     "range", range, "extra", extra));
		free(name);
	}
	/* 15 digits: the rounded values print as they are, without binary residue */
	text = json_dumps(arr, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
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
		any_higher |= c[i].higher_better && github_value(&c[i]);
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

/* v rounded to 6 significant digits, or null where there is none. */
static json_t *json_num(double v)
{
	return isfinite(v) ? json_real(round_sig(v, 6)) : json_null();
}

static json_t *json_ci(const struct rp_cmp *c)
{
	if (!c->ci_method || !isfinite(c->ci_lo) || !isfinite(c->ci_hi))
		return json_null();
	return json_pack("{s:f, s:o, s:o, s:s, s:i}", "level", 0.95, "lo", json_num(c->ci_lo),
			 "hi", json_num(c->ci_hi), "method", c->ci_method, "resamples",
			 RP_CHANGE_CI_REPS);
}

static json_t *json_row(const struct rp_cmp *c, const struct rp_cmp_opts *o)
{
	char reason[1024];

	describe(reason, sizeof(reason), c);
	return json_pack("{s:s, s:s, s:s, s:s, s:{s:o, s:I}, s:{s:o, s:I, s:o}, s:o, s:o, s:o, "
			 "s:o, s:s, s:b, s:s}",
			 "backend", c->backend, "workload", c->bench, "unit", c->unit, "direction",
			 c->higher_better ? "higher" : "lower", "base", "median",
			 json_num(c->base_median), "n", (json_int_t)c->n_base, "new", "median",
			 json_num(c->new_median), "n", (json_int_t)c->n_new, "mad",
			 json_num(c->new_mad), "change", json_num(c->change), "ci95", json_ci(c),
			 "p", json_num(c->p), "test", c->test ? json_string(c->test) : json_null(),
			 "verdict", rp_verdict_name(c->verdict), "fails",
			 rp_verdict_fails(c->verdict, o), "reason", reason);
}

static json_t *json_outcome(const struct rp_outcome *r)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:o, s:b}", "regressed",
			 (json_int_t)r->regressed, "broken", (json_int_t)r->broken, "incomparable",
			 (json_int_t)r->incomparable, "missing", (json_int_t)r->missing, "new_ok",
			 (json_int_t)r->new_ok, "cut_short",
			 r->cut_short ? json_string(r->cut_short) : json_null(), "fails", r->fails);
}

static json_t *json_doc(const struct rp_cmp *c, size_t n, const struct rp_cmp_opts *o,
			const struct rp_outcome *r, const struct rp_run *base,
			const struct rp_run *cur)
{
	json_t *rows = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(rows, json_row(&c[i], o));
	return json_pack("{s:s, s:i, s:s, s:s, s:{s:f, s:f, s:b, s:b}, s:o, s:o}", "schema",
			 "vbench-compare", "version", 1, "base", base->path, "new", cur->path,
			 "options", "alpha", o->alpha, "min_effect", o->min_effect,
			 "allow_incomparable", o->allow_incomparable, "allow_missing",
			 o->allow_missing, "rows", rows, "outcome", json_outcome(r));
}

int rp_compare_json(const char *path, const struct rp_cmp *c, size_t n,
		    const struct rp_cmp_opts *o, const struct rp_outcome *r,
		    const struct rp_run *base, const struct rp_run *cur, char *err, size_t errlen)
{
	json_t *doc = json_doc(c, n, o, r, base, cur);
	char *text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) : NULL;
	int rc = 0;

	json_decref(doc);
	if (!text) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	if (strcmp(path, "-"))
		rc = vb_safe_write(path, text, strlen(text), 0644, err, errlen);
	else if (puts(text) == EOF || fflush(stdout)) {
		snprintf(err, errlen, "stdout: %s", strerror(errno));
		rc = -1;
	}
	free(text);
	return rc;
}
