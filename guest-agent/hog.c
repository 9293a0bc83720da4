/* SPDX-License-Identifier: MIT */
/*
 * The "hog" request: a noisy neighbour's load. The workload runs in
 * chunks of a few ms until the harness says "stop" or max_ms pass; the
 * channel is looked at between chunks. Nothing is measured from a hog
 * but how many operations it did, so it keeps no samples.
 */
#include "agent.h"
#include "../bench/bench.h"
#include "../common/proto.h"

#include <stdio.h>
#include <string.h>

#define HOG_MAX_MS 600000
#define CHUNK_MS 5 /* how long a chunk runs, so how late a stop is heeded */

/* What reading the channel between two chunks found. */
enum heard { HEARD_NOTHING, HEARD_STOP, HEARD_EOF };

/* Take the lines that have arrived; only a stop for this hog counts. */
static enum heard listen_once(struct vb_linebuf *lb, json_int_t id)
{
	char err[64], *line;
	size_t len;
	int rc;

	while ((rc = vb_line_read(lb, 0, &line, &len)) == VB_LINE_OK ||
	       rc == VB_LINE_TOO_LONG) {
		json_t *msg = rc == VB_LINE_OK ? vb_proto_parse(line, len, err, sizeof(err)) : NULL;
		int stop = msg && strcmp(vb_json_str(msg, "op", ""), "stop") == 0 &&
			   vb_json_int(msg, "id", -1) == id;

		json_decref(msg);
		if (stop)
			return HEARD_STOP;
	}
	/* a read error (a signal) is not the end: max_ms still bounds the hog */
	return rc == VB_LINE_EOF ? HEARD_EOF : HEARD_NOTHING;
}

/*
 * One sample of at least CHUNK_MS, which the core calibrates: its
 * operations are the chunk. Its operations and time are counted; the
 * calibration's are not.
 */
static int first_chunk(struct vb_inst *in, uint64_t *chunk, uint64_t *ops, uint64_t *ns,
		       char *why, size_t n)
{
	struct vb_sample_plan plan = { .samples = 1, .min_sample_ms = CHUNK_MS };
	struct vb_samples s;

	if (vb_measure(in, &plan, &s, why, n))
		return -1;
	*chunk = *ops = s.iters;
	*ns = (uint64_t)s.elapsed_ns[0];
	vb_samples_free(&s);
	return 0;
}

/*
 * Run chunks until a stop, max_ms from now or the channel's end. ops and
 * ns sum the chunks' operations and times. 0, or -1 with why.
 */
static int hog_until(struct vb_inst *in, struct vb_linebuf *lb, json_int_t id, long long max_ms,
		     enum heard *heard, uint64_t *ops, uint64_t *ns, char *why, size_t n)
{
	uint64_t deadline = vb_now_ns() + (uint64_t)max_ms * 1000000u, chunk, t;

	if (first_chunk(in, &chunk, ops, ns, why, n))
		return -1;
	while ((*heard = listen_once(lb, id)) == HEARD_NOTHING && vb_now_ns() < deadline) {
		if (vb_run_timed(in, chunk, &t, why, n))
			return -1;
		*ops += chunk;
		*ns += t;
	}
	return 0;
}

static int say_hogging(int fd, json_int_t id)
{
	json_t *msg = json_pack("{s:s, s:I}", "op", "hogging", "id", id);
	int rc = vb_proto_send(fd, msg);

	json_decref(msg);
	return rc;
}

json_t *vb_agent_hog(const struct vb_agent_opts *o, struct vb_linebuf *lb, const json_t *req,
		     json_int_t id)
{
	long long max_ms = vb_json_int(req, "max_ms", 0);
	struct vb_env env = { .scratch = o->scratch, .cpu = -1 };
	char why[VB_WHY_LEN] = "";
	uint64_t ops = 0, ns = 0;
	enum heard heard = HEARD_EOF; /* nobody to hog for, until hogging is said */
	struct vb_inst in;
	json_t *reply;
	int rc = 0;

	if (max_ms < 1 || max_ms > HOG_MAX_MS) {
		snprintf(why, sizeof(why), "hog: max_ms must be 1..%d", HOG_MAX_MS);
		return vb_agent_error(id, why);
	}
	if ((reply = vb_agent_setup(req, id, &in, &env)))
		return reply;
	if (say_hogging(o->out_fd, id) == 0)
		rc = hog_until(&in, lb, id, max_ms, &heard, &ops, &ns, why, sizeof(why));
	if (in.wl->teardown)
		in.wl->teardown(&in);
	if (rc)
		return vb_agent_failed(id, in.wl, rc, why);
	if (heard == HEARD_EOF)
		return NULL;
	return json_pack("{s:s, s:I, s:I, s:I, s:s}", "op", "hogged", "id", id, "ops",
			 (json_int_t)ops, "elapsed_ns", (json_int_t)ns, "stopped_by",
			 heard == HEARD_STOP ? "stop" : "max_ms");
}
