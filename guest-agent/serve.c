/* SPDX-License-Identifier: MIT */
/* The agent's protocol loop and the "run" request. */
#include "agent.h"
#include "version.h"
#include "counters.h"
#include "../bench/bench.h"
#include "../common/proto.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_SAMPLES 10000

static json_t *error_reply(json_int_t id, const char *msg)
{
	return json_pack("{s:s, s:I, s:s}", "op", "error", "id", id, "msg", msg);
}

/* Apply the request's "params" to the instance; 0 or -1 with a message. */
static int apply_params(struct vb_inst *in, const json_t *params, char *why, size_t n)
{
	const char *key;
	json_t *v;

	if (!params)
		return 0;
	if (!json_is_object(params)) {
		snprintf(why, n, "params must be an object");
		return -1;
	}
	json_object_foreach((json_t *)params, key, v) {
		int i = vb_param_index(in->wl, key);

		if (i < 0) {
			snprintf(why, n, "%s has no parameter '%s'", in->wl->name, key);
			return -1;
		}
		if (!json_is_integer(v)) {
			snprintf(why, n, "parameter '%s' must be an integer", key);
			return -1;
		}
		in->param[i] = json_integer_value(v);
	}
	return 0;
}

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

static json_t *handle_run(json_t *req, json_int_t id, const struct vb_agent_opts *o)
{
	const struct vb_workload *wl = vb_workload_find(vb_json_str(req, "bench", ""));
	struct vb_env env = { .scratch = o->scratch, .cpu = -1 };
	struct vb_sample_plan plan = {
		.samples = (unsigned)vb_json_int(req, "samples", 5),
		.warmup = (unsigned)vb_json_int(req, "warmup", 1),
		.min_sample_ms = (unsigned)vb_json_int(req, "min_sample_ms", 100),
		.iters = (uint64_t)vb_json_int(req, "iters", 0),
	};
	struct vb_samples s;
	struct vb_inst in;
	char why[VB_WHY_LEN] = "";
	json_t *reply, *counters = NULL;
	int rc;

	if (!wl)
		return error_reply(id, "unknown workload");
	if (plan.samples < 1 || plan.samples > MAX_SAMPLES || plan.warmup > MAX_SAMPLES)
		return error_reply(id, "samples must be 1..10000, warmup 0..10000");
	vb_inst_init(&in, wl, &env);
	if (apply_params(&in, json_object_get(req, "params"), why, sizeof(why)))
		return error_reply(id, why);
	if ((wl->needs & VB_NEED_ROOT) && geteuid() != 0)
		return json_pack("{s:s, s:I, s:s, s:s}", "op", "unsupported", "id", id,
				 "bench", wl->name, "reason", "needs root");
	rc = wl->setup ? wl->setup(&in, why, sizeof(why)) : 0;
	if (rc == 0) {
		struct vb_agent_counters *ac = vb_agent_counters_begin(
			strcmp(o->role, "vm") ? "host" : "guest", o->scratch);

		rc = vb_measure(&in, &plan, &s, why, sizeof(why));
		counters = json_array();
		vb_agent_counters_end(ac, counters);
	}
	if (wl->teardown)
		wl->teardown(&in);
	if (rc)
		json_decref(counters);
	if (rc == VB_UNSUPPORTED)
		return json_pack("{s:s, s:I, s:s, s:s}", "op", "unsupported", "id", id,
				 "bench", wl->name, "reason", why);
	if (rc)
		return error_reply(id, why);
	reply = samples_reply(id, &in, &s);
	json_object_set_new(reply, "counters", counters);
	vb_samples_free(&s);
	return reply;
}

json_t *vb_agent_handle(json_t *req, const struct vb_agent_opts *o)
{
	const char *op = vb_json_str(req, "op", "");
	json_int_t id = vb_json_int(req, "id", -1);

	if (strcmp(op, "run") == 0)
		return handle_run(req, id, o);
	if (strcmp(op, "ping") == 0)
		return json_pack("{s:s, s:I}", "op", "pong", "id", id);
	return error_reply(id, "unknown op");
}

int vb_agent_serve(const struct vb_agent_opts *o)
{
	static struct vb_linebuf lb;
	char err[256], *line;
	size_t len;
	int rc;

	json_t *hello = json_pack("{s:s, s:i, s:s, s:s, s:o}", "op", "hello",
				  "proto", VB_PROTO_VERSION, "agent", VB_VERSION,
				  "role", o->role, "env", vb_agent_env());
	if (vb_proto_send(o->out_fd, hello)) {
		json_decref(hello);
		return 1;
	}
	json_decref(hello);
	vb_linebuf_init(&lb, o->in_fd);
	while ((rc = vb_line_read(&lb, -1, &line, &len)) != VB_LINE_EOF) {
		json_t *req = NULL, *reply;

		if (rc == VB_LINE_ERR)
			return 1;
		if (rc == VB_LINE_TOO_LONG) {
			reply = error_reply(-1, "line too long");
		} else if (len == 0) {
			continue;
		} else if (!(req = vb_proto_parse(line, len, err, sizeof(err)))) {
			reply = error_reply(-1, err);
		} else if (strcmp(vb_json_str(req, "op", ""), "bye") == 0) {
			json_decref(req);
			break;
		} else {
			reply = vb_agent_handle(req, o);
		}
		json_decref(req);
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
