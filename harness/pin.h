/* SPDX-License-Identifier: MIT */
/* Topology and pinning with hwloc. */
#ifndef VB_PIN_H
#define VB_PIN_H

#include <jansson.h>
#include <sys/types.h>

/* {"packages","cores","pus","numa_nodes","summary","l3_bytes"} of this host. */
json_t *vb_topology_json(void);
/*
 * Choose `want` PUs for the environments (the same PUs for every backend,
 * so they compete for nothing but what they measure): the last ones, away
 * from CPU 0 where housekeeping interrupts land. Fills OS indexes; returns
 * how many were chosen, or -1 with err.
 */
int vb_pin_choose(int want, int *pus, int max, char *err, size_t n);
/* Bind pid (all its threads when `threads`) to the PUs. */
int vb_pin_pid(pid_t pid, const int *pus, int npus, int threads, char *err, size_t n);

#endif
