/* SPDX-License-Identifier: MIT */
/* Loading, validating and querying a result file. See rundata.h. */
#include "rundata.h"
#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/counter.h"
#include "../common/proto.h"
#include "../common/results.h"

/* Validation: the first problem found, as "what[i].field: expected ..." */
static int bad(char *err, size_t n, const char *path, const char *what, size_t i,
	       const char *field, const char *expected)
{
	snprintf(err, n, "%s: %s[%zu].%s: expected %s", path, what, i, field, expected);
	return -1;
}

static int check_counters(const json_t *arr, const char *path, const char *what, size_t i,
			  char *err, size_t n)
{
	size_t j;
	json_t *c;

	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return bad(err, n, path, what, i, "counters", "an array");
	json_array_foreach(arr, j, c) {
		if (!json_is_string(json_object_get(c, "name")))
			return bad(err, n, path, what, i, "counters[].name", "a string");
		if (!json_is_number(json_object_get(c, "value")) &&
		    !json_is_string(json_object_get(c, "unavailable")))
			return bad(err, n, path, what, i, "counters[]",
				   "a numeric value or an unavailable reason");
	}
	return 0;
}

/* A measurement's counting pass: absent, or a status and, when ok, its ops. */
static int check_count(const json_t *c, const char *path, const char *what, size_t i,
		       char *err, size_t n)
{
	const json_t *it = json_object_get(c, "iters");

	if (!c)
		return 0;
	if (!json_is_object(c) || !json_is_string(json_object_get(c, "status")))
		return bad(err, n, path, what, i, "count", "an object with a status");
	if (strcmp(json_string_value(json_object_get(c, "status")), "ok"))
		return 0;
	if (!json_is_integer(it) || json_integer_value(it) < 1)
		return bad(err, n, path, what, i, "count.iters", "a positive integer");
	return check_counters(json_object_get(c, "counters"), path, what, i, err, n);
}

static int check_numbers(const json_t *arr)
{
	size_t j;
	json_t *v;

	if (!json_is_array(arr))
		return -1;
	json_array_foreach(arr, j, v)
		if (!json_is_number(v) || !isfinite(json_number_value(v)))
			return -1;
	return 0;
}

/* A ratio/slowdown: null, or {"median": x, "ci95": [lo, hi]}. */
static int check_interval(const json_t *v)
{
	const json_t *ci = json_object_get(v, "ci95");

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_number(json_object_get(v, "median")) || check_numbers(ci) ||
	    json_array_size(ci) != 2)
		return -1;
	return 0;
}

static int check_entries(const json_t *arr, const char *path, const char *what,
			 const char *const *strings, char *err, size_t n)
{
	size_t i, k;
	json_t *e;

	json_array_foreach(arr, i, e) {
		if (!json_is_object(e)) {
			snprintf(err, n, "%s: %s[%zu]: expected an object", path, what, i);
			return -1;
		}
		for (k = 0; strings[k]; k++)
			if (!json_is_string(json_object_get(e, strings[k])))
				return bad(err, n, path, what, i, strings[k], "a string");
		if (check_counters(json_object_get(e, "counters"), path, what, i, err, n))
			return -1;
		if (check_count(json_object_get(e, "count"), path, what, i, err, n))
			return -1;
	}
	return 0;
}

/*
 * The report lays each run out as tables of workloads by approaches, so it
 * costs backends x workloads: a file naming a new backend and a new
 * workload in every measurement would make that quadratic in its size.
 * No vbench run names more than 40 backends (32 and 8 in the lab) or 256
 * workloads; a file that names more than these caps is refused.
 */
#define RP_MAX_BACKENDS 64
#define RP_MAX_WORKLOADS 512

/*
 * How many distinct names the entries of list ("name") and the field of
 * the entries of arr hold, counted up to max + 1; -1 when out of memory.
 */
static long distinct(const json_t *list, const json_t *arr, const char *field, size_t max)
{
	json_t *seen = json_object(), *e;
	size_t i, k;

	if (!seen)
		return -1;
	json_array_foreach(list, i, e)
		if (json_object_size(seen) <= max)
			json_object_set_new(seen, vb_json_str(e, "name", ""), json_true());
	json_array_foreach(arr, i, e)
		if (json_object_size(seen) <= max)
			json_object_set_new(seen, vb_json_str(e, field, ""), json_true());
	k = json_object_size(seen);
	json_decref(seen);
	return (long)k;
}

static int check_names(const struct rp_run *r, char *err, size_t n)
{
	long nb = distinct(r->backends, r->measurements, "backend", RP_MAX_BACKENDS);
	long nw = distinct(r->workloads, r->measurements, "bench", RP_MAX_WORKLOADS);

	if (nb < 0 || nw < 0)
		snprintf(err, n, "%s: out of memory", r->path);
	else if (nb > RP_MAX_BACKENDS)
		snprintf(err, n, "%s: names more than %d backends (a vbench run has at most 40)",
			 r->path, RP_MAX_BACKENDS);
	else if (nw > RP_MAX_WORKLOADS)
		snprintf(err, n, "%s: names more than %d workloads (a vbench run has at most 256)",
			 r->path, RP_MAX_WORKLOADS);
	else
		return 0;
	return -1;
}

/* What compare needs to tell results apart: params an object, version a positive integer. */
static int check_workloads(const struct rp_run *r, char *err, size_t n)
{
	size_t i;
	json_t *e, *v;

	json_array_foreach(r->workloads, i, e) {
		v = json_object_get(e, "params");
		if (v && !json_is_object(v))
			return bad(err, n, r->path, "workloads", i, "params", "an object");
		v = json_object_get(e, "version");
		if (v && (!json_is_integer(v) || json_integer_value(v) < 1))
			return bad(err, n, r->path, "workloads", i, "version",
				   "a positive integer");
	}
	return 0;
}

static int validate(struct rp_run *r, char *err, size_t n)
{
	static const char *const be_keys[] = {"name", "status", NULL};
	static const char *const wl_keys[] = {"name", NULL};
	static const char *const ms_keys[] = {"backend", "bench", "status", NULL};
	static const char *const su_keys[] = {"backend", "bench", NULL};
	struct { const char *key; json_t **dst; const char *const *strings; } parts[] = {
		{"backends", &r->backends, be_keys},
		{"workloads", &r->workloads, wl_keys},
		{"measurements", &r->measurements, ms_keys},
		{"summary", &r->summary, su_keys},
	};
	size_t i, p;
	json_t *e;

	for (p = 0; p < sizeof(parts) / sizeof(parts[0]); p++) {
		json_t *a = json_object_get(r->root, parts[p].key);

		if (a && !json_is_array(a)) {
			snprintf(err, n, "%s: %s: expected an array", r->path, parts[p].key);
			return -1;
		}
		if (!a) { /* a run cut off early may lack some parts */
			a = json_array();
			json_object_set_new(r->root, parts[p].key, a);
		}
		*parts[p].dst = a;
		if (check_entries(a, r->path, parts[p].key, parts[p].strings, err, n))
			return -1;
	}
	if (check_names(r, err, n) || check_workloads(r, err, n))
		return -1;
	r->traits = calloc(json_array_size(r->backends) + 1, sizeof(*r->traits));
	r->has_traits = calloc(json_array_size(r->backends) + 1, 1);
	if (!r->traits || !r->has_traits) {
		snprintf(err, n, "%s: out of memory", r->path);
		return -1;
	}
	json_array_foreach(r->backends, i, e) {
		const json_t *t = json_object_get(e, "traits");
		char why[200];

		if (!t)
			continue;
		if (vb_traits_parse(t, &r->traits[i], why, sizeof(why))) {
			snprintf(err, n, "%s: backends[%zu].%s", r->path, i, why);
			return -1;
		}
		r->has_traits[i] = 1;
	}
	if (!json_is_object(json_object_get(r->root, "meta"))) {
		snprintf(err, n, "%s: meta: expected an object", r->path);
		return -1;
	}
	json_array_foreach(r->measurements, i, e) {
		json_t *it = json_object_get(e, "iters");

		if (strcmp(vb_json_str(e, "status", ""), "ok"))
			continue;
		if (check_numbers(json_object_get(e, "samples")))
			return bad(err, n, r->path, "measurements", i, "samples",
				   "an array of finite numbers");
		if (it && (!json_is_number(it) || json_number_value(it) < 0))
			return bad(err, n, r->path, "measurements", i, "iters",
				   "a non-negative number");
	}
	json_array_foreach(r->summary, i, e) {
		if (check_interval(json_object_get(e, "ratio")) ||
		    check_interval(json_object_get(e, "slowdown")))
			return bad(err, n, r->path, "summary", i, "ratio/slowdown",
				   "null or {\"median\": x, \"ci95\": [lo, hi]}");
		if (!json_is_number(json_object_get(e, "median")))
			return bad(err, n, r->path, "summary", i, "median", "a number");
	}
	return 0;
}

/* key -> array of entries, for each entry of arr with string backend and bench. */
static json_t *index_pairs(const json_t *arr, int many)
{
	json_t *idx = json_object(), *e;
	size_t i;

	json_array_foreach(arr, i, e) {
		char *k = vb_results_pair_key(vb_json_str(e, "backend", ""),
					      vb_json_str(e, "bench", ""));
		json_t *a;

		if (!k || !idx) {
			free(k);
			json_decref(idx);
			return NULL;
		}
		a = json_object_get(idx, k);
		if (!many)
			json_object_set(idx, k, e);
		else if (a)
			json_array_append(a, e);
		else
			json_object_set_new(idx, k, json_pack("[O]", e));
		free(k);
	}
	return idx;
}

int rp_run_adopt(struct rp_run *r, json_t *root, const char *path, int index, char *err,
		 size_t n)
{
	const json_t *meta, *host;

	memset(r, 0, sizeof(*r));
	r->path = path;
	r->root = root;
	/* a document built in memory (tests) or read by a caller of its own */
	vb_results_fill_traits(root);
	if (validate(r, err, n))
		goto bad;
	r->summary = vb_results_summary(root);
	r->by_pair = index_pairs(r->measurements, 1);
	r->sum_by_pair = index_pairs(r->summary, 0);
	r->backend_at = vb_results_names(r->backends);
	r->workload_at = vb_results_names(r->workloads);
	if (!r->summary || !r->by_pair || !r->sum_by_pair || !r->backend_at || !r->workload_at) {
		json_decref(r->summary);
		snprintf(err, n, "%s: out of memory", path);
		goto bad;
	}
	/* the file's own summary (if any) is replaced by the one computed here */
	json_object_set_new(root, "summary", r->summary);
	meta = json_object_get(r->root, "meta");
	host = json_object_get(meta, "host");
	snprintf(r->label, sizeof(r->label), "R%d %s %.10s", index + 1,
		 vb_json_str(host, "hostname", "?"), vb_json_str(meta, "started", ""));
	snprintf(r->host, sizeof(r->host), "%s", vb_json_str(host, "hostname", "?"));
	rp_name_safe(r->host);
	return 0;
bad:
	rp_run_free(r);
	return -1;
}

int rp_run_load(struct rp_run *r, const char *path, int index, char *err, size_t n)
{
	/* JSON, schema name and version, traits of files from before they were recorded */
	json_t *root = vb_results_load(path, err, n);

	if (!root)
		return -1;
	return rp_run_adopt(r, root, path, index, err, n);
}

void rp_run_free(struct rp_run *r)
{
	json_decref(r->by_pair);
	json_decref(r->sum_by_pair);
	json_decref(r->backend_at);
	json_decref(r->workload_at);
	json_decref(r->root);
	free(r->traits);
	free(r->has_traits);
	r->by_pair = r->sum_by_pair = r->backend_at = r->workload_at = r->root = NULL;
	r->traits = NULL;
	r->has_traits = NULL;
}

/* The index of name's first entry per the index at; -1 when none. */
static long long position(const json_t *at, const char *name)
{
	const json_t *i = json_object_get(at, name);

	return i ? (long long)json_integer_value(i) : -1;
}

json_t *rp_backend(const struct rp_run *r, const char *name)
{
	long long i = position(r->backend_at, name);

	return i < 0 ? NULL : json_array_get(r->backends, (size_t)i);
}

const struct vb_traits *rp_traits(const struct rp_run *r, const char *name)
{
	long long i = position(r->backend_at, name);

	return i >= 0 && r->has_traits[i] ? &r->traits[i] : NULL;
}

const char *rp_baseline(const struct rp_run *r, const char *name)
{
	const struct vb_traits *t = rp_traits(r, name);

	return t ? t->baseline : NULL;
}

const json_t *rp_pair(const struct rp_run *r, const char *backend, const char *bench)
{
	char *k = vb_results_pair_key(backend, bench);
	json_t *a = k ? json_object_get(r->by_pair, k) : NULL;

	free(k);
	return a;
}

int rp_backend_ok(const struct rp_run *r, const char *name)
{
	return !strcmp(vb_json_str(rp_backend(r, name), "status", ""), "ok");
}

const char *rp_backend_why(const struct rp_run *r, const char *name, char *buf, size_t n)
{
	const json_t *b = rp_backend(r, name);

	if (!b)
		snprintf(buf, n, "%s was not in this run", name);
	else
		snprintf(buf, n, "%s %s: %s", name, vb_json_str(b, "status", "?"),
			 vb_json_str(b, "reason", "no reason given"));
	return buf;
}

json_t *rp_workload(const struct rp_run *r, const char *name)
{
	long long i = position(r->workload_at, name);

	return i < 0 ? NULL : json_array_get(r->workloads, (size_t)i);
}

/*
 * The summary is computed at load from workloads[] (a measurement of a
 * workload not listed there has no entry), so the workload entry is all
 * there is to ask.
 */
int rp_higher_is_better(const struct rp_run *r, const char *bench)
{
	return !strcmp(vb_json_str(rp_workload(r, bench), "direction", ""), "higher");
}

json_t *rp_summary(const struct rp_run *r, const char *backend, const char *bench)
{
	char *k = vb_results_pair_key(backend, bench);
	json_t *e = k ? json_object_get(r->sum_by_pair, k) : NULL;

	free(k);
	return e;
}

int rp_slowdown(const struct rp_run *r, const char *backend, const char *bench, double *med,
		double *lo, double *hi)
{
	const json_t *s = json_object_get(rp_summary(r, backend, bench), "slowdown");
	const json_t *ci = json_object_get(s, "ci95");

	if (!json_is_object(s))
		return -1;
	*med = vb_json_num(s, "median", NAN);
	*lo = json_number_value(json_array_get(ci, 0));
	*hi = json_number_value(json_array_get(ci, 1));
	return 0;
}

int rp_slowdown_is_ci(const struct rp_run *r, const char *backend, const char *bench)
{
	const json_t *s = json_object_get(rp_summary(r, backend, bench), "slowdown");

	return !strcmp(vb_json_str(s, "interval", ""), "ci95");
}

const char *rp_interval_words(const struct rp_run *r, const char *backend, const char *bench,
			      char *buf, size_t n)
{
	const json_t *s = json_object_get(rp_summary(r, backend, bench), "slowdown");
	json_int_t rounds = json_integer_value(json_object_get(s, "rounds"));

	if (strcmp(vb_json_str(s, "interval", ""), "range"))
		snprintf(buf, n, "95%% CI");
	else
		snprintf(buf, n, "range of %lld round%s", (long long)rounds, rounds == 1 ? "" : "s");
	return buf;
}

size_t rp_samples(const struct rp_run *r, const char *backend, const char *bench, double **out)
{
	size_t i, j, n = 0, cap = 0;
	json_t *e, *v;
	double *x = NULL;

	json_array_foreach(rp_pair(r, backend, bench), i, e) {
		const json_t *s = json_object_get(e, "samples");

		if (strcmp(vb_json_str(e, "status", ""), "ok"))
			continue;
		json_array_foreach(s, j, v) {
			if (n == cap) {
				double *nx = realloc(x, (cap = cap ? 2 * cap : 64) * sizeof(*x));

				if (!nx) {
					free(x);
					*out = NULL;
					return 0;
				}
				x = nx;
			}
			x[n++] = json_number_value(v);
		}
	}
	*out = x;
	return n;
}

const char *rp_not_ok_reason(const struct rp_run *r, const char *backend, const char *bench,
			     char *buf, size_t n)
{
	size_t i;
	json_t *e;

	snprintf(buf, n, "not measured");
	json_array_foreach(rp_pair(r, backend, bench), i, e)
		if (strcmp(vb_json_str(e, "status", ""), "ok")) {
			snprintf(buf, n, "%s: %s", vb_json_str(e, "status", "?"),
				 vb_json_str(e, "reason", "no reason given"));
			break;
		}
	return buf;
}

int rp_name_matches(const char *name, const char *pattern)
{
	size_t n = strlen(pattern);

	if (n && pattern[n - 1] == '*')
		return !strncmp(name, pattern, n - 1);
	return !strcmp(name, pattern);
}

/* 1 when (backend, bench) has an ok measurement after round 0. */
static int has_later_rounds(const struct rp_run *r, const char *backend, const char *bench)
{
	size_t i;
	json_t *e;

	json_array_foreach(rp_pair(r, backend, bench), i, e)
		if (!strcmp(vb_json_str(e, "status", ""), "ok") && vb_json_int(e, "round", 0) > 0)
			return 1;
	return 0;
}

/*
 * A measurement's counters and the operations they cover: its counting
 * pass's own (count.counters over count.iters), or, in files written
 * before counting passes, the window around the timed samples (warm-up
 * and kept samples; round 0's also held the calibration). NULL: none.
 */
static json_t *counted(const json_t *e, double warmup, int skip_first, double *ops,
		       const char **why)
{
	json_t *count = json_object_get(e, "count");

	*ops = 0;
	if (count) {
		if (strcmp(vb_json_str(count, "status", ""), "ok")) {
			if (!*why)
				*why = vb_json_str(count, "reason", "no counting pass");
			return NULL;
		}
		*ops = vb_json_num(count, "iters", 0);
		return json_object_get(count, "counters");
	}
	if (skip_first && vb_json_int(e, "round", 0) == 0)
		return NULL;
	*ops = vb_json_num(e, "iters", 0) *
	       ((double)json_array_size(json_object_get(e, "samples")) + warmup);
	return json_object_get(e, "counters");
}

int rp_counter(const struct rp_run *r, const char *backend, const char *bench, const char *name,
	       double *sum, double *ops, const char **why)
{
	const json_t *plan = json_object_get(json_object_get(r->root, "meta"), "plan");
	double warmup = (double)vb_json_int(plan, "warmup", 0), n;
	int skip_first = has_later_rounds(r, backend, bench);
	size_t i, j;
	json_t *e, *c, *arr;
	int found = -1;

	*sum = 0;
	*ops = 0;
	*why = NULL;
	json_array_foreach(rp_pair(r, backend, bench), i, e) {
		int got = 0;

		if (strcmp(vb_json_str(e, "status", ""), "ok"))
			continue;
		if (!(arr = counted(e, warmup, skip_first, &n, why))) {
			if (*why && found < 0)
				found = 0;      /* this pass did not count: say why */
			continue;
		}
		json_array_foreach(arr, j, c) {
			if (!rp_name_matches(vb_json_str(c, "name", ""), name) ||
			    !vb_counter_is_evidence(c))
				continue;
			if (json_is_number(json_object_get(c, "value"))) {
				*sum += json_number_value(json_object_get(c, "value"));
				got = 1;
				found = 1;
			} else {
				if (!*why)
					*why = vb_json_str(c, "unavailable", "unavailable");
				if (found < 0)
					found = 0;
			}
		}
		if (got)
			*ops += n;
	}
	return found;
}

json_t *rp_counter_names(const struct rp_run *r, const char *backend, const char *bench,
			 const char *prefix)
{
	json_t *names = json_array(), *e, *c, *seen = json_object();
	size_t i, j;

	json_array_foreach(rp_pair(r, backend, bench), i, e) {
		json_t *arr = json_object_get(json_object_get(e, "count"), "counters");

		json_array_foreach(arr ? arr : json_object_get(e, "counters"), j, c) {
			const char *nm = vb_json_str(c, "name", "");

			if (strncmp(nm, prefix, strlen(prefix)) || json_object_get(seen, nm) ||
			    !vb_counter_is_evidence(c))
				continue;
			json_object_set_new(seen, nm, json_true());
			json_array_append_new(names, json_string(nm));
		}
	}
	json_decref(seen);
	return names;
}

double rp_backend_counter(const struct rp_run *r, const char *be, const char *name)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(rp_backend(r, be), "counters"), i, c)
		if (!strcmp(vb_json_str(c, "name", ""), name) &&
		    json_is_number(json_object_get(c, "value")))
			return json_number_value(json_object_get(c, "value"));
	return NAN;
}
