/* SPDX-License-Identifier: MIT */
/* Regression verdicts between two runs; see compare.h. */
#include "compare.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../common/proto.h"
#include "../common/results.h"
#include "../common/stats.h"
#include "changeci.h"
#include "mannwhitney.h"
#include "paired.h"
#include "roundperm.h"

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

/* A fraction in (0, 1): "0.05" or "5%"; 0 or -1. */
static int parse_fraction(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s)
		return -1;
	if (*end == '%') {
		v /= 100;
		end++;
	}
	if (*end || !isfinite(v) || v <= 0 || v >= 1)
		return -1;
	*out = v;
	return 0;
}

int rp_cmp_option(const char *cmd, int opt, const char *arg, struct rp_cmp_opts *o)
{
	int alpha = opt == 'a';

	if (!parse_fraction(arg, alpha ? &o->alpha : &o->min_effect))
		return 0;
	if (alpha)
		fprintf(stderr, "%s: --alpha: want a number in (0, 1), got '%s'\n", cmd, arg);
	else
		fprintf(stderr, "%s: --min-effect: want 0.05 or 5%%, got '%s'\n", cmd, arg);
	return 2;
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
		if (!rp_change_ci(ra, c->n_base, rb, c->n_new, &c->ci_lo, &c->ci_hi)) {
			c->ci_method = "percentile bootstrap, samples resampled";
			c->ci_resamples = RP_CHANGE_CI_REPS;
		}
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
			if (!rp_change_ci(ra, na, rb, nb, &c->ci_lo, &c->ci_hi)) {
				c->ci_method = "percentile bootstrap, whole rounds resampled";
				c->ci_resamples = RP_CHANGE_CI_REPS;
			}
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

void rp_addf(char *buf, size_t n, const char *sep, const char *fmt, ...)
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

	rp_addf(buf, n, sep, "%s", !v ? "absent" : t ? t : "?");
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
			rp_addf(buf, n, ", ", "%s", k);
			add_value(buf, n, " ", x);
			add_value(buf, n, " vs ", y);
		}
}

/* Files from before workload versions are version 1. */
void rp_pair_differences(const struct rp_run *base, const struct rp_run *cur,
			 const char *backend, const char *bench, char *why, size_t n)
{
	json_t *wa = rp_workload(base, bench), *wb = rp_workload(cur, bench);
	long long va = vb_json_int(wa, "version", 1), vb = vb_json_int(wb, "version", 1);
	const char *ua = pair_unit(base, backend, bench), *ub = pair_unit(cur, backend, bench);
	int ha = rp_higher_is_better(base, bench), hb = rp_higher_is_better(cur, bench);
	char params[400] = "";

	why[0] = '\0';
	if (va != vb)
		rp_addf(why, n, "; ", "workload version %lld vs %lld", va, vb);
	if (strcmp(ua, ub))
		rp_addf(why, n, "; ", "unit %s vs %s", ua, ub);
	if (ha != hb)
		rp_addf(why, n, "; ", "direction %s vs %s is better", ha ? "higher" : "lower",
			hb ? "higher" : "lower");
	param_diffs(params, sizeof(params), json_object_get(wa, "params"),
		    json_object_get(wb, "params"));
	if (params[0])
		rp_addf(why, n, "; ", "params %s", params);
}

/*
 * Medians and NEW's MAD of the samples a and b (n_base, n_new); nothing
 * tested yet, the threshold min_effect, no history.
 */
static void describe_sides(struct rp_cmp *c, const double *a, const double *b,
			   const struct rp_cmp_opts *o)
{
	c->base_median = c->new_median = c->new_mad = c->change = c->p = NAN;
	c->ci_lo = c->ci_hi = NAN;
	c->threshold = o->min_effect;
	c->threshold_from = "min_effect";
	c->hist = (struct rp_hist_fit){.lo = NAN, .hi = NAN, .spread = NAN, .noise = NAN};
	if (c->n_base)
		c->base_median = vb_median(a, c->n_base);
	if (c->n_new) {
		c->new_median = vb_median(b, c->n_new);
		c->new_mad = vb_mad(b, c->n_new);
	}
}

/* The verdict of a tested row: a significant change of at least its threshold, or same. */
static void decide(struct rp_cmp *c, const struct rp_cmp_opts *o)
{
	c->verdict = RP_SAME;
	if (c->p < o->alpha && isfinite(c->change) && fabs(c->change) >= c->threshold) {
		int worse = c->higher_better ? c->change < 0 : c->change > 0;

		c->verdict = worse ? RP_REGRESSED : RP_IMPROVED;
	}
}

int rp_cmp_has_change(const struct rp_cmp *c)
{
	return c->verdict == RP_SAME || c->verdict == RP_IMPROVED || c->verdict == RP_REGRESSED;
}

void rp_cmp_rethreshold(struct rp_cmp *c, double threshold, const char *from,
			const struct rp_cmp_opts *o)
{
	if (!rp_cmp_has_change(c))
		return;
	c->threshold = threshold;
	c->threshold_from = from;
	decide(c, o);
}

static void judge(struct rp_cmp *c, const struct rp_run *base, const struct rp_run *cur,
		  const struct rp_cmp_opts *o)
{
	double *a = NULL, *b = NULL;
	char why[400];

	c->n_base = rp_samples(base, c->backend, c->bench, &a);
	c->n_new = rp_samples(cur, c->backend, c->bench, &b);
	describe_sides(c, a, b, o);
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
	rp_pair_differences(base, cur, c->backend, c->bench, c->note, sizeof(c->note));
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
		double ma = m ? vb_results_ok_median(m) : NAN, mb = vb_results_ok_median(e);

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
		rp_addf(note, n, "", "params differ: %s%s", diff, sa && sb ? " (set on A and B)" :
			sa ? " (set on A)" : sb ? " (set on B)" : "");
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
		c->ci_method = "Student's t on the mean log ratio of the paired rounds";
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
	describe_sides(c, sa, sb, o);
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
		rp_addf(err, n, sep, " %s", vb_json_str(e, "name", "?"));
		snprintf(sep, sizeof(sep), ",");
	}
	rp_addf(err, n, "", ")");
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
