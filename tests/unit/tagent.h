/* SPDX-License-Identifier: MIT */
/*
 * The real agent binary (VBENCH_AGENT, which `make unit` sets) on a
 * socketpair, as the bare backend runs it, for the tests that talk to it.
 * Each helper fails the calling test (Check) where it cannot do its job.
 */
#ifndef VB_TAGENT_H
#define VB_TAGENT_H

#include "../../common/proto.h"

#include <jansson.h>
#include <sys/types.h>

struct ut_agent {
	pid_t pid;
	int fd;                /* the harness's end */
	struct vb_linebuf lb;
};

/*
 * Start it and take its hello (into *hello when not NULL). 0, or -1 with a
 * line saying that test is skipped where VBENCH_AGENT is not set.
 */
int ut_agent_start(struct ut_agent *a, const char *test, json_t **hello);
/* Send one line (given without its '\n'). */
void ut_agent_send(struct ut_agent *a, const char *line);
/* The next object it sends, within timeout_ms. */
json_t *ut_agent_next(struct ut_agent *a, int timeout_ms);
/* Send a request and return the next object (within 30 s). */
json_t *ut_agent_ask(struct ut_agent *a, const char *req);
/* Say bye, take its bye, and check that it exits with status 0. */
void ut_agent_bye(struct ut_agent *a);

#endif
