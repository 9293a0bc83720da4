/* SPDX-License-Identifier: MIT */
/*
 * vb_results_summary(): one pass groups the ok samples by (backend,
 * workload); each group is then summarized once. Nothing is capped: a
 * group holds as many samples and rounds as the document has.
 */
#include "results.h"
#include "proto.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOOTSTRAP_REPS 2000
#define BOOTSTRAP_SEED 0x5eed

struct sample {
	long long round;
	double v;
};

struct group {
	size_t backend, bench;      /* first index in backends[] and workloads[] */
	struct sample *s;
	size_t n, cap;
	double *round_med;          /* median per round (rounds >= 0), by round */
	long long *round_id;
	size_t nrounds;
};

struct index {
	json_t *backends, *benches; /* name -> first index */
	json_t *groups;             /* "backend\x1f bench" -> group index */
	struct group *g;
	size_t n, cap;
};

static int by_round(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;

	return (x->round > y->round) - (x->round < y->round);
}

static int by_position(const void *a, const void *b)
{
	const struct group *x = *(struct group *const *)a, *y = *(struct group *const *)b;

	if (x->backend != y->backend)
		return (x->backend > y->backend) - (x->backend < y->backend);
	return (x->bench > y->bench) - (x->bench < y->bench);
}

json_t *vb_results_names(const json_t *arr)
{
	json_t *o = json_object(), *e;
	size_t i;

	json_array_foreach(arr, i, e) {
		const char *nm = vb_json_str(e, "name", NULL);

		if (nm && !json_object_get(o, nm))
			json_object_set_new(o, nm, json_integer((json_int_t)i));
	}
	return o;
}

char *vb_results_pair_key(const char *backend, const char *bench)
{
	size_t a = strlen(backend), b = strlen(bench);
	char *k = malloc(a + b + 2);

	if (k) {
		memcpy(k, backend, a);
		k[a] = '\x1f';
		memcpy(k + a + 1, bench, b + 1);
	}
	return k;
}

static struct group *find_group(const struct index *x, const char *backend, const char *bench)
{
	char *k = vb_results_pair_key(backend, bench);
	json_t *v = k ? json_object_get(x->groups, k) : NULL;

	free(k);
	return v ? &x->g[json_integer_value(v)] : NULL;
}

/* The group of (backend, bench), made on first use; NULL when out of memory. */
static struct group *group_of(struct index *x, const char *backend, const char *bench,
			      size_t bi, size_t wi)
{
	char *k = vb_results_pair_key(backend, bench);
	json_t *v;

	if (!k)
		return NULL;
	v = json_object_get(x->groups, k);
	if (!v) {
		if (x->n == x->cap) {
			size_t cap = x->cap ? 2 * x->cap : 64;
			struct group *g = realloc(x->g, cap * sizeof(*g));

			if (!g) {
				free(k);
				return NULL;
			}
			x->g = g;
			x->cap = cap;
		}
		memset(&x->g[x->n], 0, sizeof(x->g[0]));
		x->g[x->n].backend = bi;
		x->g[x->n].bench = wi;
		json_object_set_new(x->groups, k, json_integer((json_int_t)x->n));
		v = json_object_get(x->groups, k);
		x->n++;
	}
	free(k);
	return &x->g[json_integer_value(v)];
}

static int add_sample(struct group *g, long long round, double v)
{
	if (g->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 16;
		struct sample *s = realloc(g->s, cap * sizeof(*s));

		if (!s)
			return -1;
		g->s = s;
		g->cap = cap;
	}
	g->s[g->n++] = (struct sample){ round, v };
	return 0;
}

/* Group every numeric sample of an ok measurement of a known backend and workload. */
static int group_samples(struct index *x, const json_t *ms)
{
	size_t i, k;
	json_t *m, *v;

	json_array_foreach(ms, i, m) {
		const char *be = vb_json_str(m, "backend", ""), *bench = vb_json_str(m, "bench", "");
		json_t *bi = json_object_get(x->backends, be), *wi = json_object_get(x->benches, bench);
		long long round = json_integer_value(json_object_get(m, "round"));
		struct group *g;

		if (!bi || !wi || strcmp(vb_json_str(m, "status", ""), "ok"))
			continue;
		g = group_of(x, be, bench, (size_t)json_integer_value(bi),
			     (size_t)json_integer_value(wi));
		if (!g)
			return -1;
		json_array_foreach(json_object_get(m, "samples"), k, v)
			if (json_is_number(v) && add_sample(g, round, json_number_value(v)))
				return -1;
	}
	return 0;
}

/* Sort a group's samples by round and take each round's median (rounds >= 0). */
static int round_medians(struct group *g)
{
	double *buf;
	size_t i, j;

	qsort(g->s, g->n, sizeof(*g->s), by_round);
	g->round_med = malloc((g->n + 1) * sizeof(double));
	g->round_id = malloc((g->n + 1) * sizeof(long long));
	buf = malloc((g->n + 1) * sizeof(double));
	if (!g->round_med || !g->round_id || !buf) {
		free(buf);
		return -1;
	}
	for (i = 0; i < g->n; i = j) {
		for (j = i; j < g->n && g->s[j].round == g->s[i].round; j++)
			buf[j - i] = g->s[j].v;
		if (g->s[i].round < 0)
			continue;
		g->round_id[g->nrounds] = g->s[i].round;
		g->round_med[g->nrounds++] = vb_median(buf, j - i);
	}
	free(buf);
	return 0;
}

int vb_summary_median_ci(const double *x, size_t n, double *lo, double *hi)
{
	return vb_bootstrap_median_ci(x, n, BOOTSTRAP_REPS, BOOTSTRAP_SEED, lo, hi);
}

double vb_results_ok_median(const json_t *m)
{
	const json_t *s = json_object_get(m, "samples"), *v;
	size_t n = json_array_size(s), i;
	double *x, med;

	if (strcmp(vb_json_str(m, "status", ""), "ok") || !(x = malloc((n + 1) * sizeof(*x))))
		return NAN;
	json_array_foreach(s, i, v)
		x[i] = json_number_value(v);
	med = vb_median(x, n);
	free(x);
	return med;
}

/*
 * Per-round ratios of a to its baseline b: their median and its bootstrap
 * 95% CI, or under VB_CI_MIN_ROUNDS rounds their range, saying which.
 */
static json_t *ratio_json(const struct group *a, const struct group *b, int higher,
			  json_t **slowdown)
{
	double *ratios = malloc((a->nrounds + 1) * sizeof(double)), lo, hi, med;
	const char *interval;
	size_t nr = 0, i = 0, j = 0;

	*slowdown = json_null();
	if (!ratios)
		return json_null();
	while (i < a->nrounds && j < b->nrounds) {
		if (a->round_id[i] < b->round_id[j]) {
			i++;
		} else if (a->round_id[i] > b->round_id[j]) {
			j++;
		} else {
			if (b->round_med[j] > 0)
				ratios[nr++] = a->round_med[i] / b->round_med[j];
			i++;
			j++;
		}
	}
	if (nr == 0 || (nr >= VB_CI_MIN_ROUNDS && vb_summary_median_ci(ratios, nr, &lo, &hi))) {
		free(ratios);
		return json_null();
	}
	if (nr < VB_CI_MIN_ROUNDS) {
		lo = hi = ratios[0];
		for (size_t k = 1; k < nr; k++) {
			lo = fmin(lo, ratios[k]);
			hi = fmax(hi, ratios[k]);
		}
	}
	med = vb_median(ratios, nr);
	free(ratios);
	interval = nr < VB_CI_MIN_ROUNDS ? "range" : "ci95";
	if (higher)
		*slowdown = json_pack("{s:f, s:[f, f], s:s, s:I}", "median", 1 / med, "ci95", 1 / hi,
				      1 / lo, "interval", interval, "rounds", (json_int_t)nr);
	else
		*slowdown = json_pack("{s:f, s:[f, f], s:s, s:I}", "median", med, "ci95", lo, hi,
				      "interval", interval, "rounds", (json_int_t)nr);
	return json_pack("{s:f, s:[f, f], s:s, s:I}", "median", med, "ci95", lo, hi, "interval",
			 interval, "rounds", (json_int_t)nr);
}

static json_t *entry(const struct index *x, const struct group *g, const json_t *b,
		     const json_t *w)
{
	const char *be = vb_json_str(b, "name", ""), *bench = vb_json_str(w, "name", "");
	const char *base = vb_json_str(json_object_get(b, "traits"), "baseline", NULL);
	const struct group *bg = base && strcmp(base, be) ? find_group(x, base, bench) : NULL;
	int higher = strcmp(vb_json_str(w, "direction", ""), "higher") == 0;
	json_t *ratio = json_null(), *slow = json_null();
	double *all = malloc(g->n * sizeof(double));

	if (!all)
		return NULL;
	for (size_t i = 0; i < g->n; i++)
		all[i] = g->s[i].v;
	if (bg)
		ratio = ratio_json(g, bg, higher, &slow);
	json_t *e = json_pack("{s:s, s:s, s:o, s:s, s:s, s:I, s:f, s:f, s:o, s:o}", "backend", be,
			      "bench", bench, "baseline", bg ? json_string(base) : json_null(),
			      "unit", vb_json_str(w, "unit", ""), "direction",
			      vb_json_str(w, "direction", ""), "n", (json_int_t)g->n, "median",
			      vb_median(all, g->n), "mad", vb_mad(all, g->n), "ratio", ratio,
			      "slowdown", slow);
	free(all);
	return e;
}

json_t *vb_results_summary(const json_t *doc)
{
	const json_t *bes = json_object_get(doc, "backends"), *wls = json_object_get(doc, "workloads");
	struct index x = { vb_results_names(bes), vb_results_names(wls), json_object(), NULL, 0,
			   0 };
	json_t *sum = json_array();
	struct group **order = NULL;
	size_t i;
	int rc = group_samples(&x, json_object_get(doc, "measurements"));

	for (i = 0; rc == 0 && i < x.n; i++)
		rc = round_medians(&x.g[i]);
	/* entries in the backends' order, then the workloads', as the file lists them */
	if (rc == 0 && !(order = malloc((x.n + 1) * sizeof(*order))))
		rc = -1;
	for (i = 0; rc == 0 && i < x.n; i++)
		order[i] = &x.g[i];
	if (rc == 0 && x.n)
		qsort(order, x.n, sizeof(*order), by_position);
	for (i = 0; rc == 0 && i < x.n; i++) {
		json_t *e;

		if (!order[i]->n)
			continue;
		e = entry(&x, order[i], json_array_get(bes, order[i]->backend),
			  json_array_get(wls, order[i]->bench));
		if (!e)
			rc = -1;
		else
			json_array_append_new(sum, e);
	}
	free(order);
	for (i = 0; i < x.n; i++) {
		free(x.g[i].s);
		free(x.g[i].round_med);
		free(x.g[i].round_id);
	}
	free(x.g);
	json_decref(x.backends);
	json_decref(x.benches);
	json_decref(x.groups);
	if (rc) {
		json_decref(sum);
		return NULL;
	}
	return sum;
}
