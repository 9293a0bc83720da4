/* SPDX-License-Identifier: MIT */
#include "scheduler.h"
#include "precision.h"
#include "results.h"
#include "../common/stats.h"
#include "../common/clock.h"
#include "../common/counter.h"
#include "../common/textsafe.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct pair {
	size_t inst, wl;
};

struct cell {                 /* per (instance, workload) */
	uint64_t iters;       /* calibrated in the first round, reused after */
	int skip;             /* unsupported here: measured once, not again */
};

static void progress(const struct vb_sched *s, unsigned round, size_t done, size_t total,
		     const struct pair *p)
{
	int tty = isatty(2);
	char of[64];

	/* past the planned rounds, the precision sought is what they are for */
	if (round < s->rounds)
		snprintf(of, sizeof(of), "/%u", s->rounds);
	else
		snprintf(of, sizeof(of), " (extra, for +-%.3g%%)", 100 * s->precision);
	fprintf(stderr, "%svbench: round %u%s [%zu/%zu] %s %s%s", tty ? "\r\033[K" : "",
		round + 1, of, done + 1, total, s->inst[p->inst].name, s->wl[p->wl]->name,
		tty ? "" : "\n");
	fflush(stderr);
}

/*
 * The agent's counters come from inside the environment, a guest's
 * included: untrusted. Keep the well-formed ones, relabelled as the
 * agent's whatever they claim; say how many were not well-formed.
 */
static void add_agent_counters(json_t *counters, json_t *from_agent, const char *backend)
{
	size_t i, bad = 0;
	json_t *c, *kept;
	char why[256];

	if (!json_is_array(from_agent))
		return;
	json_array_foreach(from_agent, i, c) {
		if ((kept = vb_counter_from_agent(c, why, sizeof(why))))
			json_array_append_new(counters, kept);
		else if (bad++ == 0)
			fprintf(stderr, "\nvbench: %s: dropping a malformed counter from the agent: %s\n",
				backend, VB_TERM(why));
	}
	if (bad)
		json_array_append_new(counters, vb_counter_unavailable(
			"agent", "guest", "malformed", "%zu malformed counters dropped", bad));
}

/*
 * Bounds on what an agent reply may hold. Iterations: beyond 2^53 the
 * readers' doubles lose integers. Values: a sample or an elapsed time
 * above 1e15 is absurd in every unit: one operation lasting a whole
 * request (at most 86400 s, 8.64e13 ns/op), or a rate of 1e15 MB/s or
 * operations per second.
 */
#define MAX_ITERS (1ll << 53)
#define MAX_VALUE 1e15
#define EXTRA_NAME_MAX 32

/* Say what is wrong with the reply, naming the field; returns -1. */
static int __attribute__((format(printf, 3, 4))) bad_reply(char *why, size_t n,
							     const char *fmt, ...)
{
	va_list ap;
	int k = snprintf(why, n, "agent reply: ");

	va_start(ap, fmt);
	if (k >= 0 && (size_t)k < n)
		vsnprintf(why + k, n - (size_t)k, fmt, ap);
	va_end(ap);
	return -1;
}

/* v is a number in [lo, MAX_VALUE] (NaN is not: JSON has none, and it compares false). */
static int in_range(const json_t *v, double lo)
{
	double x = json_number_value(v);

	return json_is_number(v) && x >= lo && x <= MAX_VALUE;
}

/* a is an array of want numbers in [lo, MAX_VALUE], and above lo where open. */
static int check_series(const json_t *a, const char *field, size_t want, double lo, int open,
			char *why, size_t n)
{
	size_t i;
	json_t *v;

	if (!json_is_array(a) || json_array_size(a) != want)
		return bad_reply(why, n, "%s is not an array of %zu numbers", field, want);
	json_array_foreach(a, i, v)
		if (!in_range(v, lo) || (open && json_number_value(v) == lo))
			return bad_reply(why, n, "%s[%zu] is not a finite number %s %g and <= %g",
					 field, i, open ? ">" : ">=", lo, MAX_VALUE);
	return 0;
}

/* An extra's name: 1 to EXTRA_NAME_MAX letters, digits, '_' or '.'. */
static int extra_name_ok(const char *name)
{
	size_t len = strlen(name);

	return len >= 1 && len <= EXTRA_NAME_MAX &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.") == len;
}

/* extras, where present: at most VB_MAX_EXTRAS named numbers. */
static int check_extras(const json_t *extras, char *why, size_t n)
{
	const char *name;
	json_t *v;

	if (!extras)
		return 0;
	if (!json_is_object(extras) || json_object_size(extras) > VB_MAX_EXTRAS)
		return bad_reply(why, n, "extras is not an object of at most %d numbers",
				 VB_MAX_EXTRAS);
	json_object_foreach((json_t *)extras, name, v) {
		if (!extra_name_ok(name))
			return bad_reply(why, n, "extras has a name that is not 1 to %d letters, "
					 "digits, '_' or '.'", EXTRA_NAME_MAX);
		if (!in_range(v, -MAX_VALUE))
			return bad_reply(why, n, "extras.%s is not a finite number within +-%g",
					 name, MAX_VALUE);
	}
	return 0;
}

/*
 * A "result" as the request asked for it: of the workload asked for, its
 * iters (those asked for, if any), samples and elapsed times of each
 * sample, extras. 0, or -1 with why naming the field.
 */
static int check_result(const struct vb_sched *s, const struct cell *c,
			const struct vb_workload *wl, const json_t *reply, char *why, size_t n)
{
	const json_t *it = json_object_get(reply, "iters");

	/* what was sent is not echoed: it is the guest's, and may be anything */
	if (strcmp(vb_json_str(reply, "bench", ""), wl->name))
		return bad_reply(why, n, "bench is not %s, the workload asked for", wl->name);
	if (!json_is_integer(it) || json_integer_value(it) < 1 ||
	    json_integer_value(it) > MAX_ITERS)
		return bad_reply(why, n, "iters is not an integer in 1..2^53");
	if (c->iters && (uint64_t)json_integer_value(it) != c->iters)
		return bad_reply(why, n, "iters is %lld, the request asked for %llu",
				 (long long)json_integer_value(it), (unsigned long long)c->iters);
	if (check_series(json_object_get(reply, "samples"), "samples", s->samples, 0, 0, why, n) ||
	    check_series(json_object_get(reply, "elapsed_ns"), "elapsed_ns", s->samples, 0, 1,
			 why, n))
		return -1;
	return check_extras(json_object_get(reply, "extras"), why, n);
}

/* The parameter overrides instance i runs workload w with: the run's, then its own. */
static json_t *pair_params(const struct vb_sched *s, size_t i, size_t w)
{
	json_t *p = json_object();

	if (s->params)
		json_object_update(p, s->params[w]);
	if (s->inst_params)
		json_object_update(p, json_object_get(s->inst_params[i], s->wl[w]->name));
	return p;
}

static json_t *request(const struct vb_sched *s, const struct cell *c, size_t w, json_t *params)
{
	json_t *req = json_pack("{s:s, s:s, s:i, s:i, s:i, s:I, s:b}", "op", "run", "bench",
				s->wl[w]->name, "samples", s->samples, "warmup", s->warmup,
				"min_sample_ms", s->min_sample_ms, "iters", (json_int_t)c->iters,
				"count", s->count);

	if (json_object_size(params))
		json_object_set(req, "params", params);
	return req;
}

static unsigned left_ms(double deadline)
{
	double left = deadline - vb_now_ms();

	return left > 0 ? (unsigned)left : 0;
}

/*
 * The agent has timed its samples and is "ready" to count: attach the
 * observer, say "go", detach on "counted". Returns the next message (the
 * result), or NULL with err when the environment stopped answering.
 */
static json_t *count_window(struct vb_sched *s, struct vb_instance *in,
			    const struct vb_workload *wl, json_t *counters, double deadline,
			    char *err, size_t n)
{
	json_t *go = json_pack("{s:s}", "op", "go"), *msg;

	if (s->obs && s->obs->begin)
		s->obs->begin(s->obs->arg, in, wl);
	msg = vb_instance_exchange(in, go, left_ms(deadline), err, n);
	if (s->obs && s->obs->end)
		s->obs->end(s->obs->arg, in, counters);
	json_decref(go);
	if (!msg || strcmp(vb_json_str(msg, "op", ""), "counted"))
		return msg;    /* the agent gave up counting: this is its result */
	json_decref(msg);
	return vb_instance_exchange(in, NULL, left_ms(deadline), err, n);
}

/*
 * Send req; when the agent is "ready" to count, run its counting window.
 * Returns its reply (result, floor, unsupported, error), or NULL with err.
 */
static json_t *request_counted(struct vb_sched *s, struct vb_instance *in,
				const struct vb_workload *wl, json_t *req, json_t *counters,
				char *err, size_t n)
{
	double deadline = vb_now_ms() + s->timeout_ms;
	json_t *reply = vb_instance_request(in, req, s->timeout_ms, err, n);

	json_decref(req);
	if (reply && strcmp(vb_json_str(reply, "op", ""), "ready") == 0) {
		json_decref(reply);
		reply = count_window(s, in, wl, counters, deadline, err, n);
	}
	return reply;
}

/* An ok count's operations (min_iters.. of them) and their time; 0, or -1 with why. */
static int check_count(const json_t *count, long long min_iters, char *why, size_t n)
{
	const json_t *it = json_object_get(count, "iters");

	if (!json_is_integer(it) || json_integer_value(it) < min_iters ||
	    json_integer_value(it) > MAX_ITERS)
		return bad_reply(why, n, "count.iters is not an integer in %lld..2^53", min_iters);
	if (!in_range(json_object_get(count, "elapsed_ns"), 0))
		return bad_reply(why, n, "count.elapsed_ns is not a finite number >= 0 and <= %g",
				 MAX_VALUE);
	return 0;
}

/*
 * The measurement's "count": the counting pass's operations, time and
 * counters (the host's, then the agent's), or why there are none. What
 * the agent says is untrusted: a malformed count is an error of the count.
 */
static json_t *count_entry(const struct vb_sched *s, json_t *from_agent, json_t *host,
			   const char *instance, long long min_iters)
{
	const char *st = vb_json_str(from_agent, "status", "");
	json_t *iters = json_object_get(from_agent, "iters");
	json_t *ns = json_object_get(from_agent, "elapsed_ns");
	char why[128];

	if (!s->count) {
		json_decref(host);
		return json_pack("{s:s, s:s}", "status", "off", "reason",
				 "--no-count: timed samples only");
	}
	if (strcmp(st, "ok")) {
		json_decref(host);
		return json_pack("{s:s, s:s}", "status", "error", "reason",
				 *st ? vb_json_str(from_agent, "reason", st)
				     : "the agent sent no count");
	}
	if (check_count(from_agent, min_iters, why, sizeof(why))) {
		json_decref(host);
		return json_pack("{s:s, s:s}", "status", "error", "reason", why);
	}
	add_agent_counters(host, json_object_get(from_agent, "counters"), instance);
	return json_pack("{s:s, s:O, s:O, s:o}", "status", "ok", "iters", iters, "elapsed_ns",
			 ns, "counters", host);
}

/*
 * Fill m from a "result", checked first: a bad one is an error of this
 * measurement only, and the cell keeps its calibration. Takes counters.
 */
static void take_result(const struct vb_sched *s, struct cell *c, const struct vb_instance *in,
			const struct vb_workload *wl, const json_t *reply, json_t *counters,
			json_t *m)
{
	char why[256];

	if (check_result(s, c, wl, reply, why, sizeof(why))) {
		json_object_set_new(m, "status", json_string("error"));
		json_object_set_new(m, "reason", json_string(why));
		json_decref(counters);
		return;
	}
	c->iters = (uint64_t)json_integer_value(json_object_get(reply, "iters"));
	json_object_set_new(m, "status", json_string("ok"));
	json_object_set_new(m, "unit", json_string(vb_metric_unit(wl->metric)));
	json_object_set_new(m, "iters", json_integer((json_int_t)c->iters));
	json_object_set(m, "samples", json_object_get(reply, "samples"));
	json_object_set(m, "elapsed_ns", json_object_get(reply, "elapsed_ns"));
	json_object_set(m, "extras", json_object_get(reply, "extras"));
	json_object_set_new(m, "count", count_entry(s, json_object_get(reply, "count"), counters,
						    in->name, 1));
}

/* Run one (instance, workload) pair, both passes; returns the measurement entry. */
static json_t *measure(struct vb_sched *s, struct pair *p, struct cell *c, unsigned round)
{
	struct vb_instance *in = &s->inst[p->inst];
	const struct vb_workload *wl = s->wl[p->wl];
	json_t *counters = json_array(), *params = pair_params(s, p->inst, p->wl), *reply, *m;
	char err[1536];

	reply = request_counted(s, in, wl, request(s, c, p->wl, params), counters, err,
				sizeof(err));
	m = json_pack("{s:s, s:s, s:i}", "backend", in->name, "bench", wl->name, "round",
		      (int)round);
	/* what this pair ran with, where it is not the workload's defaults */
	if (json_object_size(params))
		json_object_set(m, "params", params);
	json_decref(params);
	if (!reply) {
		json_object_set_new(m, "status", json_string("error"));
		json_object_set_new(m, "reason", json_string(err));
		json_decref(counters);
		return m;
	}
	const char *op = vb_json_str(reply, "op", "");
	if (strcmp(op, "result") == 0) {
		take_result(s, c, in, wl, reply, counters, m);
	} else if (strcmp(op, "unsupported") == 0) {
		c->skip = 1;
		json_object_set_new(m, "status", json_string("unsupported"));
		json_object_set_new(m, "reason",
				    json_string(vb_json_str(reply, "reason", "unsupported")));
		json_decref(counters);
	} else {
		json_object_set_new(m, "status", json_string("error"));
		json_object_set_new(m, "reason", json_string(vb_json_str(reply, "msg", op)));
		json_decref(counters);
	}
	json_decref(reply);
	return m;
}

/* Record that instance i stopped answering, with the reason. */
static void declare_dead(struct vb_sched *s, size_t i, const char *reason)
{
	json_object_set_new(s->inst_json[i], "status", json_string("failed"));
	json_object_set_new(s->inst_json[i], "reason", json_string(reason));
	fprintf(stderr, "\nvbench: %s stopped answering: %s\n", s->inst[i].name, VB_TERM(reason));
}

/*
 * The counting window's own share, once per instance: an empty counting
 * pass holds what every window holds besides the operations (its two
 * messages on the channel, the agent opening and reading its counters).
 * Readers may take it off per window: backends[].count_floor.
 */
static void measure_floor(struct vb_sched *s, size_t i)
{
	struct vb_instance *in = &s->inst[i];
	json_t *counters = json_array(), *reply;
	char err[1536];

	reply = request_counted(s, in, NULL, json_pack("{s:s}", "op", "floor"), counters, err,
			 sizeof(err));
	if (reply)
		json_object_set_new(s->inst_json[i], "count_floor",
				    count_entry(s, json_object_get(reply, "count"), counters,
						in->name, 0));
	else
		json_decref(counters);
	json_decref(reply);
	/* cut off by Ctrl-C: the run is stopping, the instance did not fail */
	if (in->dead && !*s->stop)
		declare_dead(s, i, err);
}

/*
 * Resuming: a measurement the file holds already is not taken again; an
 * unsupported one ends that pair, as it did in the original run.
 */
static int already_done(const struct vb_sched *s, const struct pair *p, struct cell *c,
			unsigned round)
{
	enum vb_done d;

	if (!s->done)
		return 0;
	d = s->done(s->done_arg, s->inst[p->inst].name, s->wl[p->wl]->name, round);
	if (d == VB_DONE_UNSUPPORTED)
		c->skip = 1;
	return d != VB_NOT_DONE;
}

/* The rounds' state: what runs in the next one, and why they stopped. */
struct rounds {
	struct pair *order;
	struct cell *cells;
	unsigned char *want;   /* per workload: run it in this round */
	double *secs;          /* per workload: wall time of its last round, s */
	struct vb_prec *t;     /* precision targets, where a precision is asked */
	long nt;
	double t0;             /* when the scheduler started, ms */
	const char *stopped;   /* why no more rounds: "reached", "time budget", ... */
	uint64_t rng;
};

/* 1 while target t can still be measured: its instances answer, its workload runs there. */
static int live(const struct vb_sched *s, const struct rounds *rs, const struct vb_prec *t)
{
	const struct cell *c = &rs->cells[t->inst * s->nwl + t->wl];

	if (c->skip || s->inst[t->inst].dead)
		return 0;
	return t->against < 0 || (!rs->cells[(size_t)t->against * s->nwl + t->wl].skip &&
				  !s->inst[t->against].dead);
}

/*
 * Whether round `round` runs, and of which workloads (rs->want): every
 * one in the planned rounds; after them, those with a live target wider
 * than the precision asked, while the round cap and the time budget allow.
 */
static int another_round(struct vb_sched *s, struct rounds *rs, unsigned round)
{
	double next = 0, elapsed = (vb_now_ms() - rs->t0) / 1000;
	int any = 0;

	if (round < s->rounds)
		return 1;
	if (!rs->t)
		return 0;
	if (round == s->rounds && !s->time_budget_s)
		s->time_budget_s = 2 * elapsed;
	memset(rs->want, 0, s->nwl);
	for (long k = 0; k < rs->nt; k++) {
		vb_prec_measure(s, &rs->t[k], round);
		if (live(s, rs, &rs->t[k]) && !(rs->t[k].half_width <= s->precision))
			rs->want[rs->t[k].wl] = 1;
	}
	for (size_t w = 0; w < s->nwl; w++)
		if (rs->want[w]) {
			any = 1;
			next += rs->secs[w];
		}
	rs->stopped = !any ? "reached" : round >= s->max_rounds ? "max rounds"
		      : elapsed + next > s->time_budget_s ? "time budget" : NULL;
	return !rs->stopped;
}

/* The pairs of the wanted workloads, shuffled: rs->order; how many. */
static size_t shuffle(const struct vb_sched *s, struct rounds *rs)
{
	size_t k = 0;

	for (size_t i = 0; i < s->ninst; i++)
		for (size_t w = 0; w < s->nwl; w++)
			if (rs->want[w])
				rs->order[k++] = (struct pair){ i, w };
	for (size_t i = k; i > 1; i--) { /* Fisher-Yates */
		size_t j = vb_rand_below(&rs->rng, i);
		struct pair t = rs->order[i - 1];

		rs->order[i - 1] = rs->order[j];
		rs->order[j] = t;
	}
	return k;
}

/* One round of the wanted workloads; 0, 1 interrupted, -1 results not written (err). */
static int run_round(struct vb_sched *s, struct rounds *rs, unsigned round, char *err, size_t n)
{
	size_t total = shuffle(s, rs);

	for (size_t w = 0; w < s->nwl; w++)
		if (rs->want[w])
			rs->secs[w] = 0;
	for (size_t i = 0; i < total; i++) {
		struct pair *p = &rs->order[i];
		struct cell *c = &rs->cells[p->inst * s->nwl + p->wl];
		struct vb_instance *in = &s->inst[p->inst];
		double t0 = vb_now_ms();

		if (*s->stop)
			return 1;
		if (c->skip || in->dead || already_done(s, p, c, round))
			continue;
		progress(s, round, i, total, p);
		json_t *m = measure(s, p, c, round);
		if (*s->stop) {
			/* cut off mid-measurement: nothing complete to keep */
			json_decref(m);
			return 1;
		}
		rs->secs[p->wl] += (vb_now_ms() - t0) / 1000;
		vb_results_add_measurement(s->doc, m);
		if (in->dead)
			declare_dead(s, p->inst, vb_json_str(m, "reason", ""));
		if (s->out && vb_results_write(s->doc, s->out, err, n))
			return -1;
	}
	return 0;
}

/* What the rounds reached, into the document; 0, or -1 out of memory. */
static int record_precision(struct vb_sched *s, struct rounds *rs, unsigned rounds_run)
{
	for (long k = 0; k < rs->nt; k++)
		vb_prec_measure(s, &rs->t[k], rounds_run);
	return json_object_set_new(s->doc, "precision",
				   vb_prec_json(s, rs->t, (size_t)rs->nt, rounds_run,
						rs->stopped ? rs->stopped : "interrupted"));
}

int vb_sched_run(struct vb_sched *s, char *err, size_t n)
{
	size_t total = s->ninst * s->nwl;
	struct rounds rs = {
		.order = calloc(total + 1, sizeof(*rs.order)),
		.cells = calloc(total + 1, sizeof(*rs.cells)),
		.want = malloc(s->nwl + 1),
		.secs = calloc(s->nwl + 1, sizeof(*rs.secs)),
		.t0 = vb_now_ms(),
		.rng = s->seed,
	};
	unsigned round;
	int rc = 0;

	if (s->precision > 0)
		rs.nt = vb_prec_targets(s, &rs.t);
	if (!rs.order || !rs.cells || !rs.want || !rs.secs || rs.nt < 0) {
		snprintf(err, n, "out of memory");
		rc = -1;
		goto out;
	}
	memset(rs.want, 1, s->nwl);
	for (size_t i = 0; i < s->ninst && s->count && !*s->stop; i++)
		measure_floor(s, i);
	for (round = 0; rc == 0 && another_round(s, &rs, round); round++)
		rc = run_round(s, &rs, round, err, n);
	if (rs.t && rc >= 0 && record_precision(s, &rs, round)) {
		snprintf(err, n, "out of memory");
		rc = -1;
	}
	if (isatty(2))
		fputc('\n', stderr);
out:
	free(rs.order);
	free(rs.cells);
	free(rs.want);
	free(rs.secs);
	free(rs.t);
	return rc;
}
