/* SPDX-License-Identifier: MIT */
/*
 * What the agent counts itself, inside its environment, around the
 * operations of a counting pass: its resource usage and that of the
 * children it reaped (getrusage: page faults, voluntary and involuntary
 * switches, CPU time; readable everywhere), deltas of /proc/vmstat,
 * /proc/interrupts and /proc/diskstats (the scratch device), and where
 * tracefs is mounted and perf events may be opened per CPU, the
 * tlb_flush/page_fault_user tracepoints on the CPUs it may run on.
 * Counter names: rusage.<field>, trace.<tracepoint>, vmstat.<key>,
 * interrupts.<line>[.<device>], disk.<dev>.<field>; source "agent".
 */
#ifndef VB_AGENT_COUNTERS_H
#define VB_AGENT_COUNTERS_H

#include <jansson.h>

struct vb_agent_counters;

/* Start counting. scope: "guest" inside a VM, else "host"; scratch may be NULL. */
struct vb_agent_counters *vb_agent_counters_begin(const char *scope, const char *scratch);
/* Stop: append the deltas (or why not) to the JSON array. */
void vb_agent_counters_end(struct vb_agent_counters *c, json_t *counters);
/*
 * Close what c opened and free it. Closing a tracepoint's perf event takes
 * tens of ms (the kernel unregisters the probe): do it after saying
 * "counted", while the harness detaches its own probes.
 */
void vb_agent_counters_free(struct vb_agent_counters *c);

#endif
