/* SPDX-License-Identifier: MIT */
#ifndef VB_AGENT_H
#define VB_AGENT_H

#include <jansson.h>

struct vb_agent_opts {
	int in_fd, out_fd;
	const char *scratch;   /* I/O scratch target, or NULL */
	const char *role;      /* "bare", "container", "vm": said in hello */
};

/* What the agent sees of its environment, for the hello message. */
json_t *vb_agent_env(void);

/* Serve the protocol until "bye" or end of input. Returns an exit status. */
int vb_agent_serve(const struct vb_agent_opts *o);

/*
 * The "lab" request: run the nested vbench of the emulated lab's L1 image
 * and send its results back (guest-agent/lab.c); a "stop" read from lb
 * meanwhile interrupts it. The reply, or an error.
 */
struct vb_linebuf;
json_t *vb_agent_lab(const struct vb_agent_opts *o, struct vb_linebuf *lb, const json_t *req,
		     json_int_t id);

/* 1 when we are a VM's init: PID 1 and not inside a container. */
int vb_agent_is_vm_init(void);
/* PID-1 duties, serve the channel, power off (guest-agent/init.c). */
int vb_agent_vm_init(void);

#endif
