/* SPDX-License-Identifier: MIT */
/*
 * What the backends' floors share (backend.h, floor()): the line their
 * payload writes, and one timed launch of it: spawn it, wait for that
 * line on an fd, then for its end, all within a timeout, killing what
 * overstays.
 */
#ifndef VB_FLOOR_UTIL_H
#define VB_FLOOR_UTIL_H

#include "../backend.h"

/* The line vbench-floor-hello writes (guest-agent/floor_hello.c). */
#define VB_FLOOR_HELLO "vbench-floor-hello"

struct vb_floor_launch {
	const char *what;           /* what is launched, for messages: "crun run" */
	/*
	 * Start it (fork) as a process group leader that dies with vbench:
	 * its pid, or -1 with errno set.
	 */
	pid_t (*spawn)(void *arg);
	void *arg;
	int rfd;                    /* where the line arrives; the caller closes it */
	int wfd;                    /* the payload's end of it, closed here; -1: none */
	unsigned timeout_ms;        /* for the line and the end together */
};

/*
 * One launch: *ms from just before spawn to the line (a line of its own;
 * a serial console's "\r" before the newline is allowed), then the wait
 * for its exit with status 0. 0, or -1 with err: it never wrote the line,
 * ended otherwise, overstayed (it is killed) or the run is told to stop
 * (a signal interrupts the wait: it is killed). It is reaped either way.
 */
int vb_floor_time(const struct vb_floor_launch *l, double *ms, char *err, size_t n);
/* ctx->floor_hello, when it is there to run: 0, or -1 with why in err. */
int vb_floor_payload(const struct vb_run_ctx *ctx, char *err, size_t n);
/* In a forked child: bind it to the run's PUs, as the backends' own instances are. */
int vb_floor_pin_self(const struct vb_run_ctx *ctx);

#endif
