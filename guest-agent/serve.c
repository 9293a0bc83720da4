/* SPDX-License-Identifier: MIT */
/* The agent's protocol loop and the "run" request (its set-up: reply.c). */
#include "agent.h"
#include "version.h"
#include "counters.h"
#include "../bench/bench.h"
#include "../common/proto.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static json_t *samples_reply(json_int_t id, const struct vb_inst *in,
			     const struct vb_samples *s)
{
	json_t *vals = json_array(), *ns = json_array(), *extras = json_object();

	for (unsigned i = 0; i < s->n; i++) {
		json_array_append_new(vals, json_real(s->value[i]));
		json_array_append_new(ns, json_real(s->elapsed_ns[i]));
	}
	for (int i = 0; i < s->nextra; i++)
		json_object_set_new(extras, s->extra[i].name, json_real(s->extra[i].value));
	return json_pack("{s:s, s:I, s:s, s:s, s:I, s:o, s:o, s:o}", "op", "result", "id", id,
			 "bench", in->wl->name, "unit", vb_metric_unit(in->wl->metric),
			 "iters", (json_int_t)s->iters, "samples", vals, "elapsed_ns", ns,
			 "extras", extras);
}

/* How long the agent waits for the harness's "go" before giving up counting. */
#define GO_TIMEOUT_MS 60000

/* The agent's end of the channel. */
struct session {
	const struct vb_agent_opts *o;
	struct vb_linebuf lb;
};

static json_t *count_status(const char *status, const char *reason)
{
	return json_pack("{s:s, s:s}", "status", status, "reason", reason);
}

/*
 * The counting pass: the timed samples are done and nothing watched them.
 * Say "ready", let the harness attach its probes, and on "go" run `iters`
 * operations with the agent's own counters open; "counted"
 * closes the harness's window before anything else is sent or torn down.
 * The agent closes its perf events while the harness detaches its probes
 * (each takes tens of ms: the kernel unregisters tracepoints), both before
 * the reply, so neither overlaps any timed sample that follows.
 * in == NULL: no operations, the window's own cost (its floor).
 */
static json_t *count_pass(struct session *ss, json_int_t id, struct vb_inst *in,
			  uint64_t iters)
{
	char why[VB_WHY_LEN] = "", *line;
	size_t len;
	uint64_t ns = 0;
	json_t *msg, *go = NULL, *counters;
	struct vb_agent_counters *ac;
	int rc;

	msg = json_pack("{s:s, s:I}", "op", "ready", "id", id);
	rc = vb_proto_send(ss->o->out_fd, msg);
	json_decref(msg);
	if (rc)
		return count_status("error", "could not say ready");
	rc = vb_line_read(&ss->lb, GO_TIMEOUT_MS, &line, &len);
	if (rc == VB_LINE_OK)
		go = vb_proto_parse(line, len, why, sizeof(why));
	if (!go || strcmp(vb_json_str(go, "op", ""), "go") || vb_json_int(go, "id", -1) != id) {
		json_decref(go);
		return count_status("error", "the harness did not say go");
	}
	json_decref(go);
	ac = vb_agent_counters_begin(strcmp(ss->o->role, "vm") ? "host" : "guest",
				     ss->o->scratch);
	rc = in ? vb_run_timed(in, iters, &ns, why, sizeof(why)) : 0;
	counters = json_array();
	vb_agent_counters_end(ac, counters);
	msg = json_pack("{s:s, s:I}", "op", "counted", "id", id);
	vb_proto_send(ss->o->out_fd, msg);
	json_decref(msg);
	vb_agent_counters_free(ac);
	if (rc) {
		json_decref(counters);
		return count_status("error", why);
	}
	return json_pack("{s:s, s:I, s:I, s:o}", "status", "ok", "iters", (json_int_t)iters,
			 "elapsed_ns", (json_int_t)ns, "counters", counters);
}

/* An empty counting pass: what a window holds without any operation. */
static json_t *handle_floor(struct session *ss, json_int_t id)
{
	json_t *count = count_pass(ss, id, NULL, 0);

	return json_pack("{s:s, s:I, s:o}", "op", "floor", "id", id, "count", count);
}

static json_t *handle_run(struct session *ss, json_t *req, json_int_t id)
{
	struct vb_env env = { .scratch = ss->o->scratch, .cpu = -1 };
	struct vb_sample_plan plan = {
		.samples = (unsigned)vb_json_int(req, "samples", 5),
		.warmup = (unsigned)vb_json_int(req, "warmup", 1),
		.min_sample_ms = (unsigned)vb_json_int(req, "min_sample_ms", 100),
		.iters = (uint64_t)vb_json_int(req, "iters", 0),
	};
	struct vb_samples s;
	struct vb_inst in;
	char why[VB_WHY_LEN] = "";
	json_t *reply, *count = NULL;
	int rc;

	/* more samples than VB_MAX_SAMPLES would not fit in the reply's line */
	if (plan.samples < 1 || plan.samples > VB_MAX_SAMPLES || plan.warmup > VB_MAX_SAMPLES) {
		snprintf(why, sizeof(why), "samples must be 1..%d, warmup 0..%d", VB_MAX_SAMPLES,
			 VB_MAX_SAMPLES);
		return vb_agent_error(id, why);
	}
	if ((reply = vb_agent_setup(req, id, &in, &env)))
		return reply;
	rc = vb_measure(&in, &plan, &s, why, sizeof(why));
	/* half a sample's operations: enough to count, and cheaper than a sample */
	if (rc == 0 && json_is_true(json_object_get(req, "count")))
		count = count_pass(ss, id, &in, (s.iters + 1) / 2);
	if (in.wl->teardown)
		in.wl->teardown(&in);
	if (rc)
		return vb_agent_failed(id, in.wl, rc, why);
	reply = samples_reply(id, &in, &s);
	if (count)
		json_object_set_new(reply, "count", count);
	vb_samples_free(&s);
	return reply;
}

static json_t *handle(struct session *ss, json_t *req)
{
	const char *op = vb_json_str(req, "op", "");
	json_int_t id = vb_json_int(req, "id", -1);

	if (strcmp(op, "run") == 0)
		return handle_run(ss, req, id);
	if (strcmp(op, "floor") == 0)
		return handle_floor(ss, id);
	if (strcmp(op, "ping") == 0)
		return json_pack("{s:s, s:I}", "op", "pong", "id", id);
	if (strcmp(op, "lab") == 0)
		return vb_agent_lab(ss->o, &ss->lb, req, id);
	if (strcmp(op, "hog") == 0)
		return vb_agent_hog(ss->o, &ss->lb, req, id);
	if (strcmp(op, "crash") == 0)
		return vb_agent_crash(ss->o, req, id);
	/* one that crossed the end of its hog (max_ms) on the way: nothing to stop */
	if (strcmp(op, "stop") == 0)
		return NULL;
	return vb_agent_error(id, "unknown op");
}

/*
 * hello, with the boot clock where the agent is a VM's init: the guest's
 * CLOCK_BOOTTIME starts with its kernel, so exec_ms ends the kernel's part
 * of the start and hello_ms the init's and agent's. Elsewhere the clock is
 * the host's, started long before the instance: meaningless, not said.
 */
static int say_hello(const struct vb_agent_opts *o)
{
	json_t *hello = json_pack("{s:s, s:i, s:s, s:s, s:o}", "op", "hello",
				  "proto", VB_PROTO_VERSION, "agent", VB_VERSION,
				  "role", o->role, "env", vb_agent_env());
	int rc;

	if (o->boot_exec_ms > 0) {
		json_t *steps = json_array();

		for (int i = 0; i < o->nboot_steps; i++)
			json_array_append_new(steps, json_pack("{s:s, s:f}", "name",
							       o->boot_steps[i].name, "ms",
							       o->boot_steps[i].ms));
		json_object_set_new(hello, "boot",
				    json_pack("{s:f, s:o, s:f}", "exec_ms", o->boot_exec_ms,
					      "steps", steps, "hello_ms", vb_agent_boottime_ms()));
	}
	rc = vb_proto_send(o->out_fd, hello);
	json_decref(hello);
	return rc;
}

int vb_agent_serve(const struct vb_agent_opts *o)
{
	static struct session ss;
	char err[256], *line;
	size_t len;
	int rc;

	if (say_hello(o))
		return 1;
	ss.o = o;
	vb_linebuf_init(&ss.lb, o->in_fd);
	while ((rc = vb_line_read(&ss.lb, -1, &line, &len)) != VB_LINE_EOF) {
		json_t *req = NULL, *reply;

		if (rc == VB_LINE_ERR)
			return 1;
		if (rc == VB_LINE_TOO_LONG) {
			reply = vb_agent_error(-1, "line too long");
		} else if (len == 0) {
			continue;
		} else if (!(req = vb_proto_parse(line, len, err, sizeof(err)))) {
			reply = vb_agent_error(-1, err);
		} else if (strcmp(vb_json_str(req, "op", ""), "bye") == 0) {
			json_decref(req);
			break;
		} else {
			reply = handle(&ss, req);
		}
		json_decref(req);
		/* nothing to say: a stray stop; the channel ended during a hog or crash */
		if (!reply)
			continue;
		rc = vb_proto_send(o->out_fd, reply);
		json_decref(reply);
		if (rc)
			return 1;
	}
	json_t *bye = json_pack("{s:s}", "op", "bye");
	vb_proto_send(o->out_fd, bye);
	json_decref(bye);
	return 0;
}
