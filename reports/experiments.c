/* SPDX-License-Identifier: MIT */
/* The run's lifecycle and isolation experiments, read with care; see experiments.h. */
#include "experiments.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/proto.h"

static const json_t *entries(const struct rp_run *r)
{
	return json_object_get(r->root, "experiments");
}

const json_t *rp_exp(const struct rp_run *r, const char *backend, const char *name)
{
	const json_t *found = NULL;
	size_t i;
	json_t *e;

	json_array_foreach(entries(r), i, e)
		if (!strcmp(vb_json_str(e, "name", ""), name) &&
		    !strcmp(vb_json_str(e, "backend", ""), backend))
			found = e;
	return found;
}

int rp_exp_ok(const json_t *e)
{
	return !strcmp(vb_json_str(e, "status", ""), "ok");
}

/* 1 when the run's plan selected the experiment (meta.plan.experiments). */
static int planned(const struct rp_run *r, const char *name)
{
	const json_t *plan = json_object_get(json_object_get(r->root, "meta"), "plan");
	size_t i;
	json_t *x;

	json_array_foreach(json_object_get(plan, "experiments"), i, x)
		if (json_is_string(x) && !strcmp(json_string_value(x), name))
			return 1;
	return 0;
}

int rp_exp_in_run(const struct rp_run *r, const char *name)
{
	size_t i;
	json_t *e;

	if (planned(r, name))
		return 1;
	json_array_foreach(entries(r), i, e)
		if (!strcmp(vb_json_str(e, "name", ""), name))
			return 1;
	return 0;
}

const char *rp_exp_why(const struct rp_run *r, const char *backend, const char *name,
		       char *buf, size_t n)
{
	const json_t *e = rp_exp(r, backend, name), *b = rp_backend(r, backend);

	if (!e && b && !rp_backend_ok(r, backend))
		e = b; /* it did not start for the workloads either: the same reason holds */
	if (e && rp_exp_ok(e))
		snprintf(buf, n, "ok, but with no figure this report can read (missing or "
			 "malformed)");
	else if (e)
		snprintf(buf, n, "%s: %s", vb_json_str(e, "status", "no status"),
			 vb_json_str(e, "reason", "no reason given"));
	else if (planned(r, name))
		snprintf(buf, n, "no entry: the run ended before %s reached this approach", name);
	else
		snprintf(buf, n, "not in this run: select life.* and iso.* or run --all");
	return buf;
}

double rp_measure(const json_t *obj, const char *key)
{
	double v = vb_json_num(obj, key, NAN);

	return isfinite(v) && v >= 0 ? v : NAN;
}

double rp_measure_mib(const json_t *obj, const char *key)
{
	return rp_measure(obj, key) / 1048576;
}

int rp_dist(const json_t *obj, const char *key, struct rp_dist *d)
{
	const json_t *j = json_object_get(obj, key);
	long long count = vb_json_int(j, "n", 0);

	d->median = rp_measure(j, "median");
	d->p95 = rp_measure(j, "p95");
	d->min = rp_measure(j, "min");
	d->max = rp_measure(j, "max");
	d->n = count > 0 ? count : 0;
	return isfinite(d->median);
}

double rp_dist_median(const json_t *obj, const char *key)
{
	return rp_measure(json_object_get(obj, key), "median");
}

size_t rp_dist_values(const json_t *obj, const char *key, size_t max, double **out)
{
	const json_t *values = json_object_get(json_object_get(obj, key), "values");
	size_t k = json_array_size(values) < max ? json_array_size(values) : max;

	*out = k ? malloc(k * sizeof(**out)) : NULL;
	if (!*out)
		return 0;
	for (size_t i = 0; i < k; i++) {
		double v = json_is_number(json_array_get(values, i))
				   ? json_number_value(json_array_get(values, i)) : NAN;

		(*out)[i] = isfinite(v) && v >= 0 ? v : NAN;
	}
	return k;
}
