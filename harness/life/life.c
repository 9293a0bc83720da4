/* SPDX-License-Identifier: MIT */
/* The experiments' table, their runner, and what they share. */
#include "life.h"
#include "../../common/proto.h"
#include "../../common/results.h"
#include "../../common/stats.h"
#include "../../common/textsafe.h"

#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VB_DECLARE(sym, name) extern const struct vb_experiment vb_exp_##sym;
VB_EXPERIMENTS(VB_DECLARE)
#undef VB_DECLARE
#define VB_ENTRY(sym, name) &vb_exp_##sym,
const struct vb_experiment *const vb_experiments[] = { VB_EXPERIMENTS(VB_ENTRY) };
#undef VB_ENTRY
const size_t vb_nexperiments = sizeof(vb_experiments) / sizeof(vb_experiments[0]);

unsigned vb_experiment_match(const char *glob)
{
	unsigned m = 0;

	for (size_t i = 0; i < vb_nexperiments; i++)
		if (fnmatch(glob, vb_experiments[i]->name, 0) == 0)
			m |= 1u << i;
	return m;
}

int vb_life_start(const struct vb_pick *pk, const struct vb_run_ctx *ctx, const char *suffix,
		  int io, struct vb_instance *in, char *err, size_t n)
{
	struct vb_run_ctx c = *ctx;
	char name[VB_INSTANCE_NAME_MAX];
	int rc;

	c.scratch = NULL; /* a neighbour's disk is its own, as on a shared host */
	if (!io)
		c.scratch_mib = VB_LIFE_SCRATCH_MIB;
	if ((size_t)snprintf(name, sizeof(name), "%s-%s", pk->name, suffix) >= sizeof(name)) {
		snprintf(err, n, "instance name %s-%s is too long", pk->name, suffix);
		return -1;
	}
	rc = vb_instance_start(in, pk->be, name, &c, err, n);
	if (rc)
		vb_instance_stop(in);
	return rc;
}

void vb_life_fail(const struct vb_life *L, json_t *entry, const char *why)
{
	json_object_set_new(entry, "status", json_string(*L->stop ? "interrupted" : "failed"));
	json_object_set_new(entry, "reason", json_string(why));
}

json_t *vb_life_dist(const double *x, size_t n)
{
	double *f = malloc((n + 1) * sizeof(*f));
	json_t *values = json_array(), *d = json_null();
	size_t k = 0;

	for (size_t i = 0; f && i < n; i++)
		if (isfinite(x[i])) {
			f[k++] = x[i];
			json_array_append_new(values, json_real(x[i]));
		}
	if (k)
		d = json_pack("{s:f, s:f, s:f, s:f, s:I, s:O}", "median", vb_median(f, k), "p95",
			      vb_quantile(f, k, 0.95), "min", vb_quantile(f, k, 0), "max",
			      vb_quantile(f, k, 1), "n", (json_int_t)k, "values", values);
	json_decref(values);
	free(f);
	return d;
}

double vb_life_median(const json_t *e, const char *key)
{
	return vb_json_num(json_object_get(e, key), "median", NAN);
}

void vb_life_print(FILE *f, const json_t *doc)
{
	size_t i;
	json_t *e;

	json_array_foreach(json_object_get(doc, "experiments"), i, e) {
		const char *name = vb_json_str(e, "name", "");

		fprintf(f, "%-10s %-16s ", VB_TERM(vb_json_str(e, "backend", "")), VB_TERM(name));
		if (strcmp(vb_json_str(e, "status", ""), "ok")) {
			fprintf(f, "%s: %s\n", VB_TERM(vb_json_str(e, "status", "")),
				VB_TERM(vb_json_str(e, "reason", "")));
			continue;
		}
		for (size_t k = 0; k < vb_nexperiments; k++)
			if (!strcmp(vb_experiments[k]->name, name))
				vb_experiments[k]->print(f, e);
		fputc('\n', f);
	}
}

/*
 * The index of experiment name's entry for backend in doc, or -1. A
 * resumed run keeps the ok ones and runs the others again.
 */
static long entry_index(const json_t *doc, const char *name, const char *backend)
{
	size_t i;
	json_t *e;

	json_array_foreach(json_object_get(doc, "experiments"), i, e)
		if (!strcmp(vb_json_str(e, "name", ""), name) &&
		    !strcmp(vb_json_str(e, "backend", ""), backend))
			return (long)i;
	return -1;
}

/* The pick's entry in doc "backends", or NULL. */
static const json_t *backend_entry(const json_t *doc, const char *name)
{
	size_t i;
	json_t *b;

	json_array_foreach(json_object_get(doc, "backends"), i, b)
		if (!strcmp(vb_json_str(b, "name", ""), name))
			return b;
	return NULL;
}

/*
 * The list's slot for (x, pk): 0 to run it, 1 when a resumed file has it
 * ok already. A failed one from before is taken out to be run again.
 */
static int already_done(json_t *doc, const struct vb_experiment *x, const struct vb_pick *pk)
{
	json_t *list = json_object_get(doc, "experiments");
	long had;

	/* a file resumed from before experiments has no list */
	if (!json_is_array(list))
		json_object_set_new(doc, "experiments", list = json_array());
	had = entry_index(doc, x->name, pk->name);
	if (had < 0)
		return 0;
	if (!strcmp(vb_json_str(json_array_get(list, (size_t)had), "status", ""), "ok"))
		return 1;
	json_array_remove(list, (size_t)had);
	return 0;
}

static void run_one(const struct vb_life *L, const struct vb_experiment *x,
		    const struct vb_pick *pk, const struct vb_run_ctx *ctx)
{
	const json_t *b = backend_entry(L->doc, pk->name);
	const char *st = b ? vb_json_str(b, "status", "") : "";
	json_t *entry;
	char err[512];

	if (already_done(L->doc, x, pk))
		return;
	entry = json_pack("{s:s, s:s, s:s, s:n}", "name", x->name, "backend", pk->name, "status",
			  "ok", "reason");
	if (strcmp(st, "ok")) {
		/* the backend did not start for the workloads: the same reason holds */
		json_object_set_new(entry, "status", json_string(strcmp(st, "unavailable")
								 ? "failed" : "unavailable"));
		json_object_set(entry, "reason", json_object_get(b, "reason"));
	} else {
		fprintf(stderr, "vbench: %s on %s\n", x->name, pk->name);
		x->run(L, pk, ctx, entry);
		if (strcmp(vb_json_str(entry, "status", ""), "ok"))
			fprintf(stderr, "vbench: %s on %s: %s: %s\n", x->name, pk->name,
				vb_json_str(entry, "status", ""),
				VB_TERM(vb_json_str(entry, "reason", "")));
	}
	json_array_append_new(json_object_get(L->doc, "experiments"), entry);
	/* what is measured is kept, whatever comes next */
	if (vb_results_write(L->doc, L->out, err, sizeof(err)))
		fprintf(stderr, "vbench: %s\n", err);
}

void vb_life_run(const struct vb_life *L, unsigned selected, const struct vb_pick *picks,
		 const struct vb_run_ctx *ctxs, int npicks)
{
	for (size_t x = 0; x < vb_nexperiments && !*L->stop; x++)
		for (int i = 0; (selected >> x & 1) && i < npicks && !*L->stop; i++)
			run_one(L, vb_experiments[x], &picks[i], &ctxs[i]);
}
