/* SPDX-License-Identifier: MIT */
/* The core's side of an environment: start, hello, requests, stop. */
#include "backend.h"
#include "backends/list.h"
#include "../common/clock.h"
#include "../common/textsafe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define VB_DECLARE(b) extern const struct vb_backend vb_backend_##b;
VB_BACKENDS(VB_DECLARE)
#undef VB_DECLARE
#define VB_ENTRY(b) &vb_backend_##b,
const struct vb_backend *const vb_backends[] = { VB_BACKENDS(VB_ENTRY) };
#undef VB_ENTRY
const size_t vb_nbackends = sizeof(vb_backends) / sizeof(vb_backends[0]);

/* Garbage lines tolerated per request before the channel is declared bad. */
#define MAX_GARBAGE 64

const struct vb_backend *vb_backend_find(const char *name)
{
	for (size_t i = 0; i < vb_nbackends; i++)
		if (strcmp(vb_backends[i]->name, name) == 0)
			return vb_backends[i];
	return NULL;
}

/* Append the backend's log tail to err, so failures carry their evidence. */
static void add_log_tail(struct vb_instance *in, char *err, size_t n)
{
	char tail[1024] = "";
	size_t len = strlen(err);

	if (!in->be->log_tail)
		return;
	in->be->log_tail(in, tail, sizeof(tail));
	if (tail[0] && len < n)
		snprintf(err + len, n - len, "; log tail: %s", tail);
}

/* Why read_msg returned no message. */
enum read_end {
	READ_DEAD,      /* channel closed or broken, or only garbage: the end */
	READ_TIMEOUT,   /* nothing in time */
	READ_SIGNAL,    /* a signal (SIGINT, SIGTERM): vbench is stopping */
	READ_OVERLONG,  /* a line over VB_LINE_MAX, read to its end: the channel is in step */
};

/* Read lines until a valid protocol object arrives; NULL on failure, with why in *end. */
static json_t *read_msg(struct vb_instance *in, int timeout_ms, enum read_end *end, char *err,
			size_t n)
{
	double deadline = vb_now_ms() + timeout_ms;
	int garbage = 0;

	*end = READ_DEAD;
	for (;;) {
		char *line, perr[200];
		size_t len;
		int left = (int)(deadline - vb_now_ms());
		int rc = vb_line_read(in->lb, left > 0 ? left : 0, &line, &len);
		json_t *msg;

		switch (rc) {
		case VB_LINE_TIMEOUT:
			*end = READ_TIMEOUT;
			snprintf(err, n, "no answer within %d ms", timeout_ms);
			return NULL;
		case VB_LINE_EOF:
			snprintf(err, n, "agent closed the channel");
			return NULL;
		case VB_LINE_ERR:
			if (errno == EINTR) {
				/* only the run's SIGINT/SIGTERM/SIGHUP handlers interrupt */
				*end = READ_SIGNAL;
				snprintf(err, n, "interrupted: vbench is stopping");
				return NULL;
			}
			snprintf(err, n, "reading from agent: %s", strerror(errno));
			return NULL;
		case VB_LINE_TOO_LONG:
			/* a reply that long cannot be read: fail now, not at the timeout */
			*end = READ_OVERLONG;
			snprintf(err, n, "agent reply over %d bytes", VB_LINE_MAX);
			return NULL;
		default:
			if (!len)
				continue;
			msg = vb_proto_parse(line, len, perr, sizeof(perr));
		}
		if (msg)
			return msg;
		if (++garbage > MAX_GARBAGE) {
			snprintf(err, n, "agent sends garbage (last: %s)", perr);
			return NULL;
		}
		if (in->be && garbage == 1)
			fprintf(stderr, "vbench: %s: ignoring a bad line from the agent: %s\n",
				in->name, VB_TERM(perr));
	}
}

/* Wait for the agent's hello: 0, -1 with err, or 1 with err when a signal cut the wait. */
static int wait_hello(struct vb_instance *in, const struct vb_run_ctx *ctx, char *err, size_t n)
{
	enum read_end end;
	json_t *hello = read_msg(in, (int)ctx->hello_timeout_ms, &end, err, n);

	if (!hello && end == READ_SIGNAL) {
		snprintf(err, n, "interrupted while waiting for the agent's hello: vbench is stopping");
		return 1;
	}
	if (!hello && end == READ_TIMEOUT)
		snprintf(err, n, "no hello within %u ms", ctx->hello_timeout_ms);
	if (hello && (strcmp(vb_json_str(hello, "op", ""), "hello") != 0 ||
		      vb_json_int(hello, "proto", -1) != VB_PROTO_VERSION)) {
		snprintf(err, n, "agent did not say hello with protocol %d", VB_PROTO_VERSION);
		json_decref(hello);
		hello = NULL;
	}
	in->hello = hello;
	return hello ? 0 : -1;
}

int vb_instance_start(struct vb_instance *in, const struct vb_backend *be, const char *name,
		      const struct vb_run_ctx *ctx, char *err, size_t n)
{
	double t0 = vb_now_ms();
	const char *at;
	int rc;

	memset(in, 0, sizeof(*in));
	in->be = be;
	if ((size_t)snprintf(in->name, sizeof(in->name), "%s", name) >= sizeof(in->name)) {
		snprintf(err, n, "instance name '%s' is longer than %d bytes", name,
			 VB_INSTANCE_NAME_MAX - 1);
		in->be = NULL;
		return -1;
	}
	at = strchr(in->name, '@');
	in->tag = at ? at + 1 : "";
	in->fd = -1;
	in->info = json_object();
	in->lb = malloc(sizeof(*in->lb));
	if (!in->lb || !in->info) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	if (be->start(in, ctx, err, n)) {
		in->dead = 1;
		add_log_tail(in, err, n);
		return -1;
	}
	vb_linebuf_init(in->lb, in->fd);
	rc = wait_hello(in, ctx, err, n);
	if (rc) {
		in->dead = 1;
		/* the log tail is evidence of a failure; an interrupted start is none */
		if (rc < 0)
			add_log_tail(in, err, n);
		return rc;
	}
	in->start_ms = vb_now_ms() - t0 - in->setup_ms;
	return 0;
}

json_t *vb_instance_request(struct vb_instance *in, json_t *req, unsigned timeout_ms,
			    char *err, size_t n)
{
	in->next_id++;
	return vb_instance_exchange(in, req, timeout_ms, err, n);
}

json_t *vb_instance_wait(struct vb_instance *in, json_t *msg, unsigned timeout_ms,
			 int *passing, char *err, size_t n)
{
	json_int_t id = in->next_id;
	double deadline = vb_now_ms() + timeout_ms;

	*passing = 0;
	if (in->dead) {
		snprintf(err, n, "environment is no longer running");
		return NULL;
	}
	if (msg) {
		json_object_set_new(msg, "id", json_integer(id));
		if (vb_proto_send(in->fd, msg)) {
			snprintf(err, n, "sending to agent: %s", strerror(errno));
			goto dead;
		}
	}
	for (;;) {
		int left = (int)(deadline - vb_now_ms());
		enum read_end end;
		json_t *reply = read_msg(in, left > 0 ? left : 0, &end, err, n);

		*passing = !reply && (end == READ_TIMEOUT || end == READ_SIGNAL);
		/* an over-long line fails this exchange; the channel is still in step */
		if (!reply && (*passing || end == READ_OVERLONG))
			return NULL;
		if (!reply)
			goto dead;
		if (vb_json_int(reply, "id", -2) == id)
			return reply;
		/* a stale or unsolicited message: not ours, keep waiting */
		json_decref(reply);
	}
dead:
	in->dead = 1;
	add_log_tail(in, err, n);
	return NULL;
}

json_t *vb_instance_exchange(struct vb_instance *in, json_t *msg, unsigned timeout_ms,
			     char *err, size_t n)
{
	int passing;
	json_t *reply = vb_instance_wait(in, msg, timeout_ms, &passing, err, n);

	if (!reply && passing) {
		in->dead = 1;
		add_log_tail(in, err, n);
	}
	return reply;
}

void vb_instance_stop(struct vb_instance *in)
{
	if (!in->be)
		return;
	if (!in->dead && in->fd >= 0) {
		json_t *bye = json_pack("{s:s}", "op", "bye");

		vb_proto_send(in->fd, bye);
		json_decref(bye);
	}
	in->be->stop(in);
	if (in->fd >= 0)
		close(in->fd);
	in->fd = -1;
	json_decref(in->hello);
	json_decref(in->info);
	free(in->lb);
	in->hello = in->info = NULL;
	in->lb = NULL;
	in->be = NULL;
}
