/* SPDX-License-Identifier: MIT */
/*
 * iso.neighbour: a victim instance runs a workload while a neighbour
 * instance of the same approach runs a hog of the same resource, without
 * and with limits (limits.h), against the victim running alone. The three
 * modes take turns in shuffled order within each round, and the slowdown
 * is the median of per-round ratios, so drift on a noisy host falls on all
 * three alike. Then the neighbour's fault (neighbour_fault.c).
 */
#include "life.h"
#include "limits.h"
#include "neighbour.h"
#include "../../common/proto.h"
#include "../../common/textsafe.h"
#include "../../common/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The hogs, each with the victim workload that uses the same resource. */
static const struct hog {
	const char *resource;
	const char *victim;       /* the victim's workload */
	const char *hog;          /* the neighbour's */
} hogs[] = {
	{ "cpu", "cpu.int", "cpu.int" },
	{ "memory bandwidth", "mem.stream", "mem.stream" },
	{ "I/O", "io.randread", "io.seqwrite" },
};

enum mode { ALONE, WITH, LIMITED, NMODES };
static const char *const mode_name[NMODES] = { "alone", "with", "limited" };

/* How long the neighbour hogs at most: longer than any victim measurement. */
#define HOG_MAX_MS 600000

/* Start the neighbour's hog; 0 once it says "hogging", or -1 with why. */
static int hog_start(struct vb_instance *nb, const struct vb_life *L, const char *bench,
		     char *why, size_t n)
{
	json_t *req = json_pack("{s:s, s:s, s:i}", "op", "hog", "bench", bench, "max_ms",
				HOG_MAX_MS);
	/* its setup (an I/O workload's file) comes first: the run's per-request limit */
	json_t *rep = vb_instance_request(nb, req, L->o->timeout_ms, why, n);
	int ok = rep && !strcmp(vb_json_str(rep, "op", ""), "hogging");

	if (rep && !ok)
		snprintf(why, n, "the neighbour's hog %s: %s: %s", bench,
			 vb_json_str(rep, "op", "?"),
			 vb_json_str(rep, "reason", vb_json_str(rep, "msg", "no reason")));
	json_decref(req);
	json_decref(rep);
	return ok ? 0 : -1;
}

/* Stop it: the neighbour's operations per second while it hogged, or NAN. */
static double hog_stop(struct vb_instance *nb, const struct vb_life *L)
{
	json_t *stop = json_pack("{s:s}", "op", "stop");
	char why[256];
	json_t *rep = vb_instance_exchange(nb, stop, L->o->timeout_ms, why, sizeof(why));
	double ops = vb_json_num(rep, "ops", NAN), ns = vb_json_num(rep, "elapsed_ns", NAN);

	json_decref(stop);
	json_decref(rep);
	return ops / ns * 1e9;
}

struct hog_run {
	const struct hog *h;
	const struct vb_workload *wl;
	uint64_t iters;
	double *x[NMODES];        /* per round: the victim's median */
	double *ops[NMODES];      /* per round: the neighbour's ops/s (WITH, LIMITED) */
	json_t *applied;          /* the limits as written */
	char why[512];            /* why this hog stopped early */
};

/* One mode of one round into hr->x[m][r]; 0, or -1 with hr->why. */
static int one_mode(struct vb_nb *nb, struct hog_run *hr, enum mode m, unsigned r)
{
	double med = NAN;
	int rc;

	hr->ops[m][r] = hr->x[m][r] = NAN;
	/* no limits here: the other two modes go on, and the limited one says why */
	if (m == LIMITED && vb_nb_limit(nb, hr->applied))
		return 0;
	if (m != ALONE && hog_start(&nb->in[1], nb->L, hr->h->hog, hr->why, sizeof(hr->why))) {
		vb_nb_unlimit(nb);
		return -1;
	}
	rc = vb_nb_measure(&nb->in[0], nb->L, hr->h->victim, &hr->iters, nb->L->o->samples, &med,
			   hr->why, sizeof(hr->why));
	if (m != ALONE)
		hr->ops[m][r] = hog_stop(&nb->in[1], nb->L);
	if (m == LIMITED)
		vb_nb_unlimit(nb);
	hr->x[m][r] = med;
	return rc;
}

/* Slowdowns per round: victim's time (or 1/rate) with the neighbour over alone. */
static json_t *slowdown(const struct hog_run *hr, enum mode m, unsigned rounds)
{
	double *s = calloc(rounds + 1, sizeof(double));
	unsigned k = 0;
	json_t *d;

	for (unsigned r = 0; s && r < rounds; r++) {
		double a = hr->x[ALONE][r], b = hr->x[m][r];

		if (isfinite(a) && isfinite(b) && a > 0 && b > 0)
			s[k++] = hr->wl->dir == VB_HIGHER_IS_BETTER ? a / b : b / a;
	}
	d = vb_life_dist(s, k);
	free(s);
	return d;
}

static json_t *hog_json(const struct hog_run *hr, unsigned done)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "resource", hr->h->resource,
			      "victim", hr->h->victim, "hog", hr->h->hog, "unit",
			      vb_metric_unit(hr->wl->metric), "direction",
			      vb_direction_name(hr->wl->dir), "rounds", (json_int_t)done);

	for (int m = 0; m < NMODES; m++)
		json_object_set_new(j, mode_name[m], vb_life_dist(hr->x[m], done));
	json_object_set_new(j, "slowdown", slowdown(hr, WITH, done));
	json_object_set_new(j, "slowdown_limited", slowdown(hr, LIMITED, done));
	json_object_set_new(j, "hog_ops_per_s", vb_life_dist(hr->ops[WITH], done));
	json_object_set_new(j, "hog_ops_per_s_limited", vb_life_dist(hr->ops[LIMITED], done));
	json_object_set(j, "limits", hr->applied);
	if (hr->why[0])
		json_object_set_new(j, "stopped", json_string(hr->why));
	return j;
}

/* All rounds of one hog, the modes shuffled in each. */
static json_t *run_hog(struct vb_nb *nb, const struct hog *h, uint64_t *seed)
{
	unsigned rounds = nb->L->o->reps, done = 0;
	struct hog_run hr = { .h = h, .wl = vb_workload_find(h->victim),
			      .applied = json_object() };
	json_t *j;

	for (int m = 0; m < NMODES; m++) {
		hr.x[m] = calloc(rounds, sizeof(double));
		hr.ops[m] = calloc(rounds, sizeof(double));
	}
	for (unsigned r = 0; r < rounds && !*nb->L->stop && !hr.why[0]; r++) {
		enum mode order[NMODES] = { ALONE, WITH, LIMITED };
		int ok = 1;

		for (int i = NMODES - 1; i > 0; i--) {
			size_t k = vb_rand_below(seed, (size_t)i + 1);
			enum mode t = order[i];

			order[i] = order[k];
			order[k] = t;
		}
		for (int i = 0; i < NMODES && ok; i++)
			ok = !one_mode(nb, &hr, order[i], r);
		done += ok;
		fprintf(stderr, "vbench: iso.neighbour %s, %s hog: round %u/%u\n",
			nb->in[0].name, h->resource, r + 1, rounds);
	}
	j = hog_json(&hr, done);
	for (int m = 0; m < NMODES; m++) {
		free(hr.x[m]);
		free(hr.ops[m]);
	}
	json_decref(hr.applied);
	return j;
}

static void neighbour_run(const struct vb_life *L, const struct vb_pick *pk,
			  const struct vb_run_ctx *ctx, json_t *entry)
{
	struct vb_nb nb = { .L = L, .ctx = ctx };
	json_t *hj = json_array();
	uint64_t seed = L->seed;
	char err[1024];

	if (vb_nb_open(&nb, pk, err, sizeof(err))) {
		vb_life_fail(L, entry, err);
		vb_nb_close(&nb);
		json_decref(hj);
		return;
	}
	json_object_set(entry, "placement", nb.placement);
	for (size_t i = 0; i < sizeof(hogs) / sizeof(hogs[0]) && !*L->stop; i++)
		json_array_append_new(hj, run_hog(&nb, &hogs[i], &seed));
	json_object_set_new(entry, "hogs", hj);
	if (!*L->stop)
		json_object_set_new(entry, "fault", vb_nb_fault(&nb));
	else
		vb_life_fail(L, entry, "interrupted");
	vb_nb_close(&nb);
}

/* Its line in the run's closing summary. */
static void neighbour_print(FILE *f, const json_t *e)
{
	const json_t *fault = json_object_get(e, "fault");
	size_t i;
	json_t *h;

	json_array_foreach(json_object_get(e, "hogs"), i, h) {
		char with[32] = "not measured", limited[32] = "not measured";
		double w = vb_life_median(h, "slowdown"), l = vb_life_median(h, "slowdown_limited");

		if (isfinite(w))
			snprintf(with, sizeof(with), "%.2fx", w);
		if (isfinite(l))
			snprintf(limited, sizeof(limited), "%.2fx", l);
		fprintf(f, "%s%s hog %s, limited %s", i ? "; " : "",
			VB_TERM(vb_json_str(h, "resource", "")), with, limited);
	}
	if (fault)
		fprintf(f, "; neighbour's %s: victim %s", VB_TERM(vb_json_str(fault, "crash", "")),
			json_object_get(fault, "unavailable") ? "not tried"
			: json_is_true(json_object_get(json_object_get(fault, "victim"), "goes_on"))
			? "goes on" : "stopped too");
}

const struct vb_experiment vb_exp_neighbour = {
	.name = "iso.neighbour",
	.desc = "a victim's slowdown beside a CPU, memory or I/O hog, with and without "
		"limits, and beside a neighbour that crashes",
	.run = neighbour_run,
	.print = neighbour_print,
};
