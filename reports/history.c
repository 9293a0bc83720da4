/* SPDX-License-Identifier: MIT */
/* The per-metric model over earlier runs; see history.h. */
#include "history.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../common/proto.h"
#include "../common/results.h"
#include "../common/stats.h"

double rp_history_median(const struct rp_run *h, const struct rp_run *cur, const char *backend,
			 const char *bench)
{
	double *x = NULL, med = NAN;
	size_t n = rp_samples(h, backend, bench, &x);
	char why[400];

	if (n) {
		rp_pair_differences(h, cur, backend, bench, why, sizeof(why));
		if (!why[0])
			med = vb_median(x, n);
	}
	free(x);
	return isfinite(med) && med > 0 ? med : NAN;
}

/*
 * The noise bound over k run medians whose logs have sample standard
 * deviation sd: NEW and BASE are two runs of the metric, their log ratio
 * has standard deviation sqrt(2) sigma, and t(0.995, k-1) bounds it two
 * sided at 99% with sigma estimated from k runs.
 */
static double noise_bound(size_t k, double sd)
{
	return exp(vb_t995((unsigned)(k - 1)) * M_SQRT2 * sd) - 1;
}

void rp_history_fit(const struct rp_run *const *hist, size_t n, const struct rp_run *cur,
		    const char *backend, const char *bench, struct rp_hist_fit *f)
{
	double mean = 0, m2 = 0; /* of the medians' logs, updated as Welford does */

	*f = (struct rp_hist_fit){.lo = NAN, .hi = NAN, .spread = NAN, .noise = NAN};
	for (size_t i = 0; i < n; i++) {
		double m = rp_history_median(hist[i], cur, backend, bench), d;

		if (isnan(m)) {
			f->left_out++;
			continue;
		}
		f->lo = f->runs && f->lo <= m ? f->lo : m;
		f->hi = f->runs && f->hi >= m ? f->hi : m;
		f->runs++;
		d = log(m) - mean;
		mean += d / (double)f->runs;
		m2 += d * (log(m) - mean);
	}
	if (f->runs < RP_HISTORY_MIN_RUNS)
		return;
	f->spread = f->hi / f->lo - 1;
	f->noise = noise_bound(f->runs, sqrt(m2 / (double)(f->runs - 1)));
}

void rp_history_apply(const struct rp_run *const *hist, size_t n, const struct rp_run *cur,
		      const struct rp_cmp_opts *o, struct rp_cmp *c, size_t nc)
{
	for (size_t i = 0; i < nc; i++) {
		int wider;

		if (!rp_cmp_has_change(&c[i]))
			continue;
		rp_history_fit(hist, n, cur, c[i].backend, c[i].bench, &c[i].hist);
		wider = isfinite(c[i].hist.noise) && c[i].hist.noise > o->min_effect;
		rp_cmp_rethreshold(&c[i], wider ? c[i].hist.noise : o->min_effect,
				   wider ? "history" : "min_effect", o);
	}
}

/* The series of (backend, bench), added where new; NULL when out of memory. */
static struct rp_series *series_of(struct rp_timeline *t, const char *backend,
				   const char *bench)
{
	char *key = vb_results_pair_key(backend, bench);
	json_t *at = key ? json_object_get(t->at, key) : NULL;
	struct rp_series *s;

	if (!key || at) {
		free(key);
		return at ? &t->s[json_integer_value(at)] : NULL;
	}
	s = &t->s[t->ns];
	s->backend = backend;
	s->bench = bench;
	s->median = calloc(t->n, sizeof(double));
	s->lo = calloc(t->n, sizeof(double));
	s->hi = calloc(t->n, sizeof(double));
	s->flag = calloc(t->n, sizeof(*s->flag));
	json_object_set_new(t->at, key, json_integer((json_int_t)t->ns++));
	free(key);
	if (!json_object_get(t->listed, bench)) {
		json_array_append_new(t->benches, json_string(bench));
		json_object_set_new(t->listed, bench, json_true());
	}
	return s->median && s->lo && s->hi && s->flag ? s : NULL;
}

/* Every pair of every run, first seen first; 0 or -1 (out of memory). */
static int collect(struct rp_timeline *t)
{
	size_t cap = 0, i, k;
	json_t *e;

	for (k = 0; k < t->n; k++)
		cap += json_object_size(t->runs[k]->by_pair);
	t->s = calloc(cap ? cap : 1, sizeof(*t->s));
	t->at = json_object();
	t->benches = json_array();
	t->listed = json_object();
	if (!t->s || !t->at || !t->benches || !t->listed)
		return -1;
	for (k = 0; k < t->n; k++)
		json_array_foreach(t->runs[k]->measurements, i, e) {
			const char *be = vb_json_str(e, "backend", ""), *wl = vb_json_str(e, "bench", "");

			if (!series_of(t, be, wl))
				return -1;
		}
	return 0;
}

/* Medians, bands and the newest run that measured the pair. */
static void fill(struct rp_timeline *t, struct rp_series *s)
{
	for (size_t k = t->n; k-- > 0 && !s->ref;)
		if (!isnan(rp_history_median(t->runs[k], t->runs[k], s->backend, s->bench)))
			s->ref = t->runs[k];
	for (size_t k = 0; k < t->n; k++) {
		struct rp_hist_fit f = {.lo = NAN, .hi = NAN, .spread = NAN, .noise = NAN};

		s->median[k] = s->ref ? rp_history_median(t->runs[k], s->ref, s->backend, s->bench)
				      : NAN;
		if (k >= RP_HISTORY_MIN_RUNS && !isnan(s->median[k]))
			rp_history_fit(t->runs, k, t->runs[k], s->backend, s->bench, &f);
		s->lo[k] = isfinite(f.spread) ? f.lo : NAN;
		s->hi[k] = isfinite(f.spread) ? f.hi : NAN;
	}
}

/* Remember a flagged row of run k; 0 or -1 (out of memory). */
static int add_flag(struct rp_timeline *t, const struct rp_cmp *c, size_t k)
{
	char *key = vb_results_pair_key(c->backend, c->bench);
	json_t *at = key ? json_object_get(t->at, key) : NULL;
	struct rp_cmp *f = realloc(t->flags, (t->nflags + 1) * sizeof(*f));
	size_t *r = f ? realloc(t->flag_run, (t->nflags + 1) * sizeof(*r)) : NULL;

	free(key);
	if (f)
		t->flags = f;
	if (r)
		t->flag_run = r;
	if (!f || !r || !at)
		return -1;
	t->s[json_integer_value(at)].flag[k] = c->verdict;
	t->flags[t->nflags] = *c;
	t->flag_run[t->nflags++] = k;
	return 0;
}

/* Run k against run k-1 as `compare --history` would judge it with runs 0..k-1. */
static int judge_run(struct rp_timeline *t, size_t k, const struct rp_cmp_opts *o)
{
	struct rp_cmp *c;
	size_t nc, i;
	int rc = 0;

	if (rp_compare(t->runs[k - 1], t->runs[k], o, &c, &nc))
		return -1;
	if (k >= RP_HISTORY_MIN_RUNS)
		rp_history_apply(t->runs, k, t->runs[k], o, c, nc);
	for (i = 0; i < nc && !rc; i++)
		if (c[i].verdict == RP_REGRESSED || c[i].verdict == RP_IMPROVED)
			rc = add_flag(t, &c[i], k);
	free(c);
	return rc;
}

int rp_timeline_build(struct rp_timeline *t, const struct rp_run *const *runs, size_t n,
		      const struct rp_cmp_opts *o)
{
	memset(t, 0, sizeof(*t));
	t->runs = runs;
	t->n = n;
	if (collect(t))
		return -1;
	for (size_t k = 0; k < t->ns; k++)
		fill(t, &t->s[k]);
	for (size_t k = 1; k < t->n; k++)
		if (judge_run(t, k, o))
			return -1;
	return 0;
}

void rp_timeline_free(struct rp_timeline *t)
{
	for (size_t k = 0; k < t->ns; k++) {
		free(t->s[k].median);
		free(t->s[k].lo);
		free(t->s[k].hi);
		free(t->s[k].flag);
	}
	free(t->s);
	free(t->flags);
	free(t->flag_run);
	json_decref(t->at);
	json_decref(t->benches);
	json_decref(t->listed);
}


/* A run's place in time: its start, or the key of the run given before it. */
struct timed {
	time_t key;
	size_t given;
};

static int by_time(const void *a, const void *b)
{
	const struct timed *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->given < y->given ? -1 : x->given > y->given;
}

int rp_history_order(const struct rp_run *runs, size_t n, const struct rp_run **order)
{
	struct timed *t = calloc(n ? n : 1, sizeof(*t));
	time_t last = (time_t)-1;
	size_t i;

	if (!t)
		return -1;
	for (i = 0; i < n; i++) {
		const json_t *meta = json_object_get(runs[i].root, "meta");
		time_t when = rp_utc_time(vb_json_str(meta, "started", NULL));

		t[i].key = last = when >= 0 ? when : last;
		t[i].given = i;
	}
	qsort(t, n, sizeof(*t), by_time);
	for (i = 0; i < n; i++)
		order[i] = &runs[t[i].given];
	free(t);
	return 0;
}

const char *rp_run_when(const struct rp_run *r, char *buf, size_t n)
{
	const json_t *meta = json_object_get(r->root, "meta");
	time_t when = rp_utc_time(vb_json_str(meta, "started", NULL));
	struct tm tm;

	if (when < 0 || !gmtime_r(&when, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M", &tm))
		snprintf(buf, n, "undated");
	return buf;
}
