/* SPDX-License-Identifier: MIT */
#include "floor_util.h"
#include "../exec.h"
#include "../../common/clock.h"

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The payload's output, looked at line by line as the lines complete. */
struct line_scan {
	char buf[64];               /* longer lines are not the hello: only their end matters */
	size_t len;
	int too_long;
};

/* Take in got more bytes: 1 when a line completed among them is the hello. */
static int scan(struct line_scan *s, const char *data, size_t got)
{
	const size_t want = strlen(VB_FLOOR_HELLO);

	for (size_t i = 0; i < got; i++) {
		if (data[i] == '\n') {
			size_t len = s->len && s->buf[s->len - 1] == '\r' ? s->len - 1 : s->len;

			if (!s->too_long && len == want && !memcmp(s->buf, VB_FLOOR_HELLO, want))
				return 1;
			s->len = 0;
			s->too_long = 0;
		} else if (s->len < sizeof(s->buf)) {
			s->buf[s->len++] = data[i];
		} else {
			s->too_long = 1;
		}
	}
	return 0;
}

/* Read fd until the hello line: 0 with *at when it came, or -1 with why. */
static int await_line(int fd, double deadline, double *at, char *why, size_t n)
{
	struct line_scan s = { .len = 0 };
	char data[4096];

	for (;;) {
		double left = deadline - vb_now_ms();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t got;
		int ready;

		if (left <= 0) {
			snprintf(why, n, "no line '%s' in time", VB_FLOOR_HELLO);
			return -1;
		}
		ready = poll(&p, 1, (int)left + 1);
		if (ready < 0) {
			/* only the run's SIGINT/TERM/HUP handlers interrupt (no SA_RESTART) */
			snprintf(why, n, "%s", errno == EINTR ? "interrupted: vbench is stopping"
							      : strerror(errno));
			return -1;
		}
		if (ready == 0)
			continue;
		got = read(fd, data, sizeof(data));
		*at = vb_now_ms();
		if (got > 0 && scan(&s, data, (size_t)got))
			return 0;
		if (got == 0) {
			snprintf(why, n, "its output ended without the line '%s'", VB_FLOOR_HELLO);
			return -1;
		}
		if (got < 0 && errno != EAGAIN && errno != EINTR) {
			snprintf(why, n, "read: %s", strerror(errno));
			return -1;
		}
	}
}

/* How a reaped process ended, for messages: "exited with 1". */
static void describe_end(int status, char *buf, size_t n)
{
	if (WIFEXITED(status))
		snprintf(buf, n, "exited with %d", WEXITSTATUS(status));
	else
		snprintf(buf, n, "killed by signal %d", WTERMSIG(status));
}

int vb_floor_time(const struct vb_floor_launch *l, double *ms, char *err, size_t n)
{
	double t0 = vb_now_ms(), deadline = t0 + l->timeout_ms, at = 0, left;
	pid_t pid = l->spawn(l->arg);
	int e = errno, status = 0, said, ended;
	unsigned secs;
	char why[256] = "", end[256];

	if (l->wfd >= 0)
		close(l->wfd); /* the payload's now: its end is the end of the output */
	if (pid < 0) {
		snprintf(err, n, "%s: fork: %s", l->what, strerror(e));
		return -1;
	}
	said = await_line(l->rfd, deadline, &at, why, sizeof(why)) == 0;
	left = deadline - vb_now_ms();
	/*
	 * Its end, in the time left (a second if the line came at the very end;
	 * none if it never came): then, or at once on a stop, it is killed.
	 */
	secs = left > 0 ? (unsigned)((left + 999) / 1000) : (unsigned)said;
	ended = vb_exec_wait(pid, l->what, secs, 1, &status, end, sizeof(end)) == 0;
	if (ended)
		describe_end(status, end, sizeof(end));
	if (!said) {
		snprintf(err, n, "%s: %s (%s)", l->what, why, ended ? end : "killed");
		return -1;
	}
	if (!ended) {
		snprintf(err, n, "%s, after its line", end);
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(err, n, "%s: %s after its line", l->what, end);
		return -1;
	}
	*ms = at - t0;
	return 0;
}

int vb_floor_payload(const struct vb_run_ctx *ctx, char *err, size_t n)
{
	if (!ctx->floor_hello) {
		snprintf(err, n, "no vbench-floor-hello to run (it is built beside the agent)");
		return -1;
	}
	if (access(ctx->floor_hello, X_OK)) {
		snprintf(err, n, "%s: %s", ctx->floor_hello, strerror(errno));
		return -1;
	}
	return 0;
}

int vb_floor_pin_self(const struct vb_run_ctx *ctx)
{
	cpu_set_t set;

	if (ctx->npus <= 0)
		return 0;
	CPU_ZERO(&set);
	for (int i = 0; i < ctx->npus; i++)
		if (ctx->pus[i] >= 0 && ctx->pus[i] < CPU_SETSIZE)
			CPU_SET(ctx->pus[i], &set);
	return sched_setaffinity(0, sizeof(set), &set);
}
