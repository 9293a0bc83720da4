/* SPDX-License-Identifier: MIT */
#ifndef VB_AGENT_H
#define VB_AGENT_H

#include <jansson.h>

struct vb_agent_opts {
	int in_fd, out_fd;
	const char *scratch;   /* I/O scratch target, or NULL */
	const char *role;      /* "bare", "container", "vm": said in hello */
	/*
	 * CLOCK_BOOTTIME in ms when the agent was exec'd, where it is a VM's
	 * init; 0 elsewhere: hello then says no "boot".
	 */
	double boot_exec_ms;
	/* ... and as each of init's steps ended (init.c: one per module), in order */
	struct { char name[32]; double ms; } boot_steps[20];
	int nboot_steps;
};

struct vb_env;
struct vb_inst;
struct vb_linebuf;
struct vb_workload;

/* What the agent sees of its environment, for the hello message. */
json_t *vb_agent_env(void);

/* Serve the protocol until "bye" or end of input. Returns an exit status. */
int vb_agent_serve(const struct vb_agent_opts *o);

/*
 * The replies and the workload set-up that serve.c's "run", hog.c and
 * crash.c share (guest-agent/reply.c).
 */
/* {"op":"error","id":N,"msg":msg} */
json_t *vb_agent_error(json_int_t id, const char *msg);
/* A workload's failure: rc VB_UNSUPPORTED is "unsupported" with why as reason, else an error. */
json_t *vb_agent_failed(json_int_t id, const struct vb_workload *wl, int rc, const char *why);
/*
 * Set up in the workload that the request names ("bench", "params"), in
 * env: NULL, or the reply that says why not (unknown workload, a bad
 * parameter, root needed, setup failed), with nothing left to tear down.
 */
json_t *vb_agent_setup(const json_t *req, json_int_t id, struct vb_inst *in,
		       const struct vb_env *env);

/*
 * The "hog" request (guest-agent/hog.c): say "hogging", run the workload
 * until the harness says "stop" or max_ms pass, then the "hogged" reply or
 * an error; NULL when the channel ended meanwhile (lines other than the
 * stop are dropped: the harness sends nothing else during a hog).
 */
json_t *vb_agent_hog(const struct vb_agent_opts *o, struct vb_linebuf *lb, const json_t *req,
		     json_int_t id);
/*
 * The "crash" request (guest-agent/crash.c): a VM's init ends itself (the
 * kernel panics), any agent eats memory until the OOM killer ends it. The
 * reply when it did not end: unsupported, an error, or "survived".
 */
json_t *vb_agent_crash(const struct vb_agent_opts *o, const json_t *req, json_int_t id);

/*
 * The "lab" request: run the nested vbench of the emulated lab's L1 image
 * and send its results back (guest-agent/lab.c); a "stop" read from lb
 * meanwhile interrupts it. The reply, or an error.
 */
json_t *vb_agent_lab(const struct vb_agent_opts *o, struct vb_linebuf *lb, const json_t *req,
		     json_int_t id);

/* 1 when we are a VM's init: PID 1 and not inside a container (guest-agent/env.c). */
int vb_agent_is_vm_init(void);
/*
 * PID-1 duties, serve the channel, power off (guest-agent/init.c).
 * exec_ms: vb_agent_boottime_ms() as main() began, said in hello.
 */
int vb_agent_vm_init(double exec_ms);
/* CLOCK_BOOTTIME in ms: in a VM, the time since its kernel started. */
double vb_agent_boottime_ms(void);

#endif
