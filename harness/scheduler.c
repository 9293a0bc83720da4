/* SPDX-License-Identifier: MIT */
#include "scheduler.h"
#include "results.h"
#include "../common/stats.h"
#include "../common/clock.h"
#include "../common/counter.h"

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

	fprintf(stderr, "%svbench: round %u/%u [%zu/%zu] %s %s%s", tty ? "\r\033[K" : "",
		round + 1, s->rounds, done + 1, total, s->inst[p->inst].be->name,
		s->wl[p->wl]->name, tty ? "" : "\n");
	fflush(stderr);
}

/*
 * The agent's counters come from inside the environment, a guest's
 * included: untrusted. Keep the well-formed ones, say how many were not.
 */
static void add_agent_counters(json_t *counters, json_t *from_agent, const char *backend)
{
	size_t i, bad = 0;
	json_t *c;
	char why[256];

	if (!json_is_array(from_agent))
		return;
	json_array_foreach(from_agent, i, c) {
		if (vb_counter_check(c, why, sizeof(why)) == 0)
			json_array_append(counters, c);
		else if (bad++ == 0)
			fprintf(stderr, "\nvbench: %s: dropping a malformed counter from the agent: %s\n",
				backend, why);
	}
	if (bad)
		json_array_append_new(counters, vb_counter_unavailable(
			"agent", "guest", "malformed", "%zu malformed counters dropped", bad));
}

static json_t *request(const struct vb_sched *s, const struct cell *c, size_t w)
{
	json_t *req = json_pack("{s:s, s:s, s:i, s:i, s:i, s:I, s:b}", "op", "run", "bench",
				s->wl[w]->name, "samples", s->samples, "warmup", s->warmup,
				"min_sample_ms", s->min_sample_ms, "iters", (json_int_t)c->iters,
				"count", s->count);

	if (s->params && json_object_size(s->params[w]))
		json_object_set(req, "params", s->params[w]);
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
	if (!json_is_integer(iters) || json_integer_value(iters) < min_iters || !json_is_number(ns) ||
	    json_number_value(ns) < 0) {
		json_decref(host);
		return json_pack("{s:s, s:s}", "status", "error", "reason",
				 "the agent's count has no valid iters and elapsed_ns");
	}
	add_agent_counters(host, json_object_get(from_agent, "counters"), instance);
	return json_pack("{s:s, s:O, s:O, s:o}", "status", "ok", "iters", iters, "elapsed_ns",
			 ns, "counters", host);
}

/* Run one (instance, workload) pair, both passes; returns the measurement entry. */
static json_t *measure(struct vb_sched *s, struct pair *p, struct cell *c, unsigned round)
{
	struct vb_instance *in = &s->inst[p->inst];
	const struct vb_workload *wl = s->wl[p->wl];
	json_t *counters = json_array(), *reply, *m;
	char err[1536];

	reply = request_counted(s, in, wl, request(s, c, p->wl), counters, err, sizeof(err));
	m = json_pack("{s:s, s:s, s:i}", "backend", in->name, "bench", wl->name, "round",
		      (int)round);
	if (!reply) {
		json_object_set_new(m, "status", json_string("error"));
		json_object_set_new(m, "reason", json_string(err));
		json_decref(counters);
		return m;
	}
	const char *op = vb_json_str(reply, "op", "");
	if (strcmp(op, "result") == 0) {
		c->iters = (uint64_t)vb_json_int(reply, "iters", 0);
		json_object_set_new(m, "status", json_string("ok"));
		json_object_set_new(m, "unit", json_string(vb_metric_unit(wl->metric)));
		json_object_set_new(m, "iters", json_integer((json_int_t)c->iters));
		json_object_set(m, "samples", json_object_get(reply, "samples"));
		json_object_set(m, "elapsed_ns", json_object_get(reply, "elapsed_ns"));
		json_object_set(m, "extras", json_object_get(reply, "extras"));
		json_object_set_new(m, "count", count_entry(s, json_object_get(reply, "count"),
							    counters, in->name, 1));
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
	fprintf(stderr, "\nvbench: %s stopped answering: %s\n", s->inst[i].name, reason);
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
	if (in->dead)
		declare_dead(s, i, err);
}

int vb_sched_run(struct vb_sched *s, char *err, size_t n)
{
	size_t total = s->ninst * s->nwl;
	struct pair *order = calloc(total ? total : 1, sizeof(*order));
	struct cell *cells = calloc(total ? total : 1, sizeof(*cells));
	uint64_t rng = s->seed;
	int rc = 0;

	if (!order || !cells) {
		free(order);
		free(cells);
		snprintf(err, n, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < s->ninst && s->count && !*s->stop; i++)
		measure_floor(s, i);
	for (unsigned round = 0; round < s->rounds && rc == 0; round++) {
		size_t k = 0;

		for (size_t i = 0; i < s->ninst; i++)
			for (size_t w = 0; w < s->nwl; w++)
				order[k++] = (struct pair){ i, w };
		for (size_t i = total; i > 1; i--) { /* Fisher-Yates */
			size_t j = vb_rand_below(&rng, i);
			struct pair t = order[i - 1];

			order[i - 1] = order[j];
			order[j] = t;
		}
		for (size_t i = 0; i < total; i++) {
			struct pair *p = &order[i];
			struct cell *c = &cells[p->inst * s->nwl + p->wl];
			struct vb_instance *in = &s->inst[p->inst];

			if (*s->stop) {
				rc = 1;
				break;
			}
			if (c->skip || in->dead)
				continue;
			progress(s, round, i, total, p);
			json_t *m = measure(s, p, c, round);
			if (*s->stop) {
				/* cut off mid-measurement: nothing complete to keep */
				json_decref(m);
				rc = 1;
				break;
			}
			vb_results_add_measurement(s->doc, m);
			if (in->dead)
				declare_dead(s, p->inst, vb_json_str(m, "reason", ""));
			if (s->out && vb_results_write(s->doc, s->out, err, n)) {
				rc = -1;
				break;
			}
		}
	}
	if (isatty(2))
		fputc('\n', stderr);
	free(order);
	free(cells);
	return rc;
}
