/* SPDX-License-Identifier: MIT */
/*
 * The replies and the workload set-up that serve.c's "run", hog.c and
 * crash.c share, apart from the protocol loop: the requests it hands
 * over to do not call back into it.
 */
#include "agent.h"
#include "../bench/bench.h"
#include "../common/proto.h"

#include <stdio.h>
#include <unistd.h>

json_t *vb_agent_error(json_int_t id, const char *msg)
{
	return json_pack("{s:s, s:I, s:s}", "op", "error", "id", id, "msg", msg);
}

json_t *vb_agent_failed(json_int_t id, const struct vb_workload *wl, int rc, const char *why)
{
	if (rc == VB_UNSUPPORTED)
		return json_pack("{s:s, s:I, s:s, s:s}", "op", "unsupported", "id", id,
				 "bench", wl->name, "reason", why);
	return vb_agent_error(id, why);
}

/* Apply the request's "params" to the instance; 0 or -1 with a message. */
static int apply_params(struct vb_inst *in, const json_t *params, char *why, size_t n)
{
	char range[128];
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
		/* the harness checked too, but a request can come from anywhere */
		if (vb_param_check(&in->wl->params[i], json_integer_value(v), range,
				   sizeof(range))) {
			snprintf(why, n, "%s.%s=%lld: %s", in->wl->name, key,
				 (long long)json_integer_value(v), range);
			return -1;
		}
		in->param[i] = json_integer_value(v);
	}
	return 0;
}

json_t *vb_agent_setup(const json_t *req, json_int_t id, struct vb_inst *in,
		       const struct vb_env *env)
{
	const struct vb_workload *wl = vb_workload_find(vb_json_str(req, "bench", ""));
	char why[VB_WHY_LEN] = "";
	int rc;

	if (!wl)
		return vb_agent_error(id, "unknown workload");
	vb_inst_init(in, wl, env);
	if (apply_params(in, json_object_get(req, "params"), why, sizeof(why)))
		return vb_agent_error(id, why);
	if ((wl->needs & VB_NEED_ROOT) && geteuid() != 0)
		return vb_agent_failed(id, wl, VB_UNSUPPORTED, "needs root");
	rc = wl->setup ? wl->setup(in, why, sizeof(why)) : 0;
	if (rc == 0)
		return NULL;
	if (wl->teardown)
		wl->teardown(in);
	return vb_agent_failed(id, wl, rc, why);
}
