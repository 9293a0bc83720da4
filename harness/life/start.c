/* SPDX-License-Identifier: MIT */
/*
 * life.start: launch to the agent's hello, many times, with the phases
 * that can be seen, each launch followed by one of the backend's floor
 * (the smallest payload its kind can start: interleaved, so both see the
 * same host). Phases: the backend's own steps (info "phases": runtime
 * create/start, QEMU to QMP), then, where the agent is a VM's init, the
 * guest's clock from its hello: firmware and early kernel (up to the
 * guest clock's zero), kernel (to /init's exec), init and agent (to
 * hello); elsewhere the rest up to hello.
 */
#include "life.h"
#include "../../common/proto.h"
#include "../../common/textsafe.h"
#include "../../common/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PHASES 24

struct phases {
	char name[MAX_PHASES][48];
	double *ms[MAX_PHASES];   /* per launch */
	int n;
};

/* The phase called name's slot, made on first sight; -1 when full. */
static int phase_slot(struct phases *p, const char *name, unsigned reps)
{
	for (int i = 0; i < p->n; i++)
		if (!strcmp(p->name[i], name))
			return i;
	if (p->n == MAX_PHASES || !(p->ms[p->n] = calloc(reps, sizeof(double))))
		return -1;
	for (unsigned r = 0; r < reps; r++)
		p->ms[p->n][r] = NAN;
	snprintf(p->name[p->n], sizeof(p->name[0]), "%s", name);
	return p->n++;
}

static void add_phase(struct phases *p, const char *name, unsigned rep, unsigned reps, double ms)
{
	int i = phase_slot(p, name, reps);

	if (i >= 0)
		p->ms[i][rep] = ms;
}

/* 1 when init's steps (hello's boot.steps) are named and in order within exec..hello. */
static int init_steps_ok(const json_t *boot, double exec_ms, double hello_ms)
{
	const json_t *steps = json_object_get(boot, "steps"), *st;
	double last = exec_ms;
	size_t i;

	if (steps && (!json_is_array(steps) || json_array_size(steps) > MAX_PHASES - 3))
		return 0;
	json_array_foreach(steps, i, st) {
		double ms = vb_json_num(st, "ms", NAN);
		const char *name = vb_json_str(st, "name", "");

		if (!(ms >= last && ms <= hello_ms) || !name[0] || strlen(name) > 31)
			return 0;
		last = ms;
	}
	return 1;
}

/* "init: <step>" from one step's end to the next, then the agent to its hello. */
static void add_init_steps(struct phases *p, const json_t *boot, double exec_ms,
			   double hello_ms, unsigned rep, unsigned reps)
{
	double last = exec_ms;
	char name[48];
	size_t i;
	json_t *st;

	json_array_foreach(json_object_get(boot, "steps"), i, st) {
		snprintf(name, sizeof(name), "init: %s", vb_json_str(st, "name", ""));
		add_phase(p, name, rep, reps, vb_json_num(st, "ms", 0) - last);
		last = vb_json_num(st, "ms", 0);
	}
	add_phase(p, json_array_size(json_object_get(boot, "steps")) ? "agent to hello"
		  : "init and agent", rep, reps, hello_ms - last);
}

/* Launch rep's phases: the backend's, then the guest's or the rest to hello. */
static void record_phases(struct phases *p, const struct vb_instance *in, unsigned rep,
			  unsigned reps)
{
	const json_t *boot = json_object_get(in->hello, "boot");
	double seen = 0, exec_ms, hello_ms;
	size_t i;
	json_t *ph;

	json_array_foreach(json_object_get(in->info, "phases"), i, ph) {
		double ms = vb_json_num(ph, "ms", NAN);

		if (isfinite(ms) && json_is_string(json_object_get(ph, "name"))) {
			add_phase(p, vb_json_str(ph, "name", ""), rep, reps, ms);
			seen += ms;
		}
	}
	exec_ms = vb_json_num(boot, "exec_ms", NAN);
	hello_ms = vb_json_num(boot, "hello_ms", NAN);
	/* the guest clock is the guest's word: taken only where it fits in the launch */
	if (isfinite(exec_ms) && isfinite(hello_ms) && exec_ms >= 0 && hello_ms >= exec_ms &&
	    seen + hello_ms <= in->start_ms && init_steps_ok(boot, exec_ms, hello_ms)) {
		add_phase(p, "firmware and early kernel", rep, reps, in->start_ms - seen - hello_ms);
		add_phase(p, "kernel", rep, reps, exec_ms);
		add_init_steps(p, boot, exec_ms, hello_ms, rep, reps);
	} else {
		add_phase(p, "rest to hello", rep, reps, in->start_ms - seen);
	}
}

/* The launches' phases as [{"name", "median_ms", "p95_ms"}], in order. */
static json_t *phases_json(const struct phases *p, unsigned done)
{
	json_t *a = json_array();

	for (int i = 0; i < p->n; i++) {
		double *x = malloc((done + 1) * sizeof(*x));
		size_t k = 0;

		if (!x)
			break;
		for (unsigned r = 0; r < done; r++)
			if (isfinite(p->ms[i][r]))
				x[k++] = p->ms[i][r];
		json_array_append_new(a, json_pack("{s:s, s:o, s:I}", "name", p->name[i],
						   "ms", vb_life_dist(x, k), "launches",
						   (json_int_t)k));
		free(x);
	}
	return a;
}

/* One floor launch into floor[*nfloor]; gives up (*why set) at the first failure. */
static void one_floor(const struct vb_pick *pk, const struct vb_run_ctx *ctx, double *floor,
		      unsigned *nfloor, char *what, size_t wn, int *floor_off)
{
	double ms;
	int rc;

	if (!pk->be->floor) {
		snprintf(what, wn, "no floor is defined for this backend");
		*floor_off = 1;
		return;
	}
	rc = pk->be->floor(pk->be, ctx, &ms, what, wn);
	if (rc == 0)
		floor[(*nfloor)++] = ms;
	else
		*floor_off = rc > 0 ? 1 : -1;
}

static json_t *floor_json(const double *floor, unsigned nfloor, const char *what, int floor_off,
			  double start_median)
{
	json_t *f;

	if (floor_off && !nfloor)
		return json_pack("{s:s}", floor_off > 0 ? "unavailable" : "failed", what);
	f = json_pack("{s:s, s:o}", "what", what, "ms", vb_life_dist(floor, nfloor));
	json_object_set_new(f, "ratio", json_real(start_median / vb_median(floor, nfloor)));
	if (floor_off)
		json_object_set_new(f, "failed_later", json_string(what));
	return f;
}

static void start_run(const struct vb_life *L, const struct vb_pick *pk,
		      const struct vb_run_ctx *ctx, json_t *entry)
{
	unsigned reps = L->o->reps, done = 0, nfloor = 0;
	double *start = calloc(reps, sizeof(double)), *setup = calloc(reps, sizeof(double));
	double *floor = calloc(reps, sizeof(double));
	struct phases p = { .n = 0 };
	char err[1024] = "", what[512] = "";
	int floor_off = 0;

	if (!start || !setup || !floor) {
		vb_life_fail(L, entry, "out of memory");
		goto out;
	}
	for (unsigned r = 0; r < reps && !*L->stop; r++) {
		struct vb_instance in;
		char suffix[32];

		snprintf(suffix, sizeof(suffix), "start%u", r);
		if (vb_life_start(pk, ctx, suffix, 0, &in, err, sizeof(err)))
			break;
		start[done] = in.start_ms;
		setup[done] = in.setup_ms;
		record_phases(&p, &in, done++, reps);
		vb_instance_stop(&in);
		if (!floor_off && !*L->stop)
			one_floor(pk, ctx, floor, &nfloor, what, sizeof(what), &floor_off);
		fprintf(stderr, "vbench: life.start %s: %u/%u launches, last %.1f ms\n", pk->name,
			done, reps, start[done - 1]);
	}
	if (!done) {
		vb_life_fail(L, entry, err[0] ? err : "interrupted before the first launch");
		goto out;
	}
	json_object_set_new(entry, "launches", json_integer(done));
	json_object_set_new(entry, "start_ms", vb_life_dist(start, done));
	json_object_set_new(entry, "setup_ms", vb_life_dist(setup, done));
	json_object_set_new(entry, "phases", phases_json(&p, done));
	json_object_set_new(entry, "floor", floor_json(floor, nfloor, what, floor_off,
						       vb_median(start, done)));
	if (done < reps)
		vb_life_fail(L, entry, err[0] ? err : "interrupted");
out:
	for (int i = 0; i < p.n; i++)
		free(p.ms[i]);
	free(start);
	free(setup);
	free(floor);
}

/* Its line in the run's closing summary. */
static void start_print(FILE *f, const json_t *e)
{
	const json_t *fl = json_object_get(e, "floor");

	fprintf(f, "start %.1f ms (p95 %.1f) over %lld launches", vb_life_median(e, "start_ms"),
		vb_json_num(json_object_get(e, "start_ms"), "p95", NAN),
		vb_json_int(e, "launches", 0));
	if (json_is_number(json_object_get(fl, "ratio")))
		fprintf(f, ", %.2fx its floor (%.1f ms: %s)", vb_json_num(fl, "ratio", NAN),
			vb_life_median(fl, "ms"), VB_TERM(vb_json_str(fl, "what", "")));
	else
		fprintf(f, ", floor %s", VB_TERM(vb_json_str(fl, "unavailable",
						       vb_json_str(fl, "failed", "?"))));
}

const struct vb_experiment vb_exp_start = {
	.name = "life.start",
	.desc = "launch to the agent's hello, with phases, against the kind's floor",
	.run = start_run,
	.print = start_print,
};
