/* SPDX-License-Identifier: MIT */
/* bare: the agent as a child process of the harness, on the host itself. */
#include "../backend.h"
#include "../envutil.h"
#include "../exec.h"

#include <errno.h>
#include <stdio.h>
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
	int sv[2];

	if (vb_env_scratch(in, ctx, err, n))
		return -1;
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
		/* the agent must not outlive a harness that dies */
		if (vb_exec_die_with(self) || dup2(sv[1], 0) < 0 || dup2(sv[1], 1) < 0)
			_exit(127);
		execl(ctx->agent_path, ctx->agent_path, "--role", "bare", "--scratch",
		      in->scratch, (char *)NULL);
		fprintf(stderr, "vbench: exec %s: %s\n", ctx->agent_path, strerror(errno));
		_exit(127);
	}
	close(sv[1]);
	in->fd = sv[0];
	json_object_set_new(in->info, "agent", json_string(ctx->agent_path));
	return vb_env_group(in, ctx, in->pid, err, n);
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
};
