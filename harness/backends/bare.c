/* SPDX-License-Identifier: MIT */
/* bare: the agent as a child process of the harness, on the host itself. */
#include "floor_util.h"
#include "phases.h"
#include "../backend.h"
#include "../envutil.h"
#include "../exec.h"
#include "../../common/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int bare_available(const struct vb_backend *be, const struct vb_run_ctx *ctx, char *why,
			  size_t n)
{
	(void)be;
	if (access(ctx->agent_path, X_OK)) {
		snprintf(why, n, "agent %s: %s", ctx->agent_path, strerror(errno));
		return 0;
	}
	return 1;
}

static int bare_start(struct vb_instance *in, const struct vb_run_ctx *ctx, char *err,
		      size_t n)
{
	double t0 = vb_now_ms();
	int sv[2];

	if (vb_env_scratch(in, ctx, err, n))
		return -1;
	/* what follows, fork and exec, shows only in the time to hello */
	vb_phase_end(in->info, "scratch image", t0);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		snprintf(err, n, "socketpair: %s", strerror(errno));
		return -1;
	}
	pid_t self = getpid();

	in->pid = fork();
	if (in->pid < 0) {
		snprintf(err, n, "fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (in->pid == 0) {
		/*
		 * the agent must not outlive a harness that dies; its environment
		 * names its instance, as the instances of a run share --scratch
		 * (what wraps the agent tells them apart by it: e2e/fault-agent.c)
		 */
		if (vb_exec_die_with(self) || setenv("VBENCH_INSTANCE", in->name, 1) ||
		    dup2(sv[1], 0) < 0 || dup2(sv[1], 1) < 0)
			_exit(127);
		execl(ctx->agent_path, ctx->agent_path, "--role", "bare", "--scratch",
		      in->scratch, (char *)NULL);
		fprintf(stderr, "vbench: exec %s: %s\n", ctx->agent_path, strerror(errno));
		_exit(127);
	}
	close(sv[1]);
	in->fd = sv[0];
	json_object_set_new(in->info, "agent", json_string(ctx->agent_path));
	json_object_set_new(in->info, "disk", json_pack("{s:s}", "agent", ctx->agent_path));
	return vb_env_group(in, ctx, in->pid, err, n);
}

/* The floor's payload, run as bare runs the agent. */
struct bare_floor {
	const struct vb_run_ctx *ctx;
	int out;                    /* its stdout: the write end of the pipe */
	pid_t parent;
};

static pid_t spawn_hello(void *arg)
{
	const struct bare_floor *b = arg;
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		setpgid(0, 0);
		if (vb_exec_die_with(b->parent) || null < 0 || dup2(null, 0) < 0 ||
		    dup2(b->out, 1) < 0 || vb_floor_pin_self(b->ctx))
			_exit(127);
		execl(b->ctx->floor_hello, b->ctx->floor_hello, (char *)NULL);
		fprintf(stderr, "vbench: exec %s: %s\n", b->ctx->floor_hello, strerror(errno));
		_exit(127);
	}
	if (pid > 0)
		setpgid(pid, pid); /* as the child does: whichever runs first */
	return pid;
}

/* fork and exec of the static hello-world, to its line on a pipe */
static int bare_floor(const struct vb_backend *be, const struct vb_run_ctx *ctx, double *ms,
		      char *what, size_t n)
{
	struct bare_floor b = { .ctx = ctx, .parent = getpid() };
	int p[2], rc;

	(void)be;
	if (vb_floor_payload(ctx, what, n))
		return -1;
	if (pipe2(p, O_CLOEXEC)) {
		snprintf(what, n, "pipe: %s", strerror(errno));
		return -1;
	}
	b.out = p[1];
	struct vb_floor_launch l = { .what = "vbench-floor-hello", .spawn = spawn_hello,
				     .arg = &b, .rfd = p[0], .wfd = p[1],
				     .timeout_ms = ctx->hello_timeout_ms };

	rc = vb_floor_time(&l, ms, what, n);
	close(p[0]);
	if (rc == 0)
		snprintf(what, n, "fork and exec of a static hello-world");
	return rc;
}

static void bare_stop(struct vb_instance *in)
{
	/* the core has said bye: give the agent a moment to leave */
	vb_env_reap(in->pid, 2000);
	in->pid = 0;
	vb_env_cleanup(in);
}

const struct vb_backend vb_backend_bare = {
	.name = "bare",
	.desc = "the host itself: the agent as a pinned child process",
	/* the baseline: every other backend is compared against it */
	.traits = { VB_KIND_HOST, VB_ACCEL_NONE, VB_DEV_NATIVE, NULL, NULL, "" },
	.available = bare_available,
	.start = bare_start,
	.stop = bare_stop,
	.floor = bare_floor,
};
