/* SPDX-License-Identifier: MIT */
/*
 * One entry of a results "counters" array (docs/results-schema.md):
 * {source, scope, name, value, unit}, or {source, scope, name, unavailable}
 * where it could not be counted. Made by probes/ on the host and by the
 * agent inside an environment; checked where it arrives from a guest.
 */
#ifndef VB_COUNTER_H
#define VB_COUNTER_H

#include <jansson.h>
#include <stddef.h>

json_t *vb_counter(const char *source, const char *scope, const char *name, long long value,
		   const char *unit);
/* reason is a printf format. */
json_t *vb_counter_unavailable(const char *source, const char *scope, const char *name,
			       const char *reason, ...) __attribute__((format(printf, 4, 5)));
/* 0 when c has that shape, else -1 with why (for untrusted input). */
int vb_counter_check(const json_t *c, char *why, size_t n);
/*
 * A counter the agent sent, as the harness keeps it: a new counter with
 * its name and value and unit (or unavailable reason), of source "agent"
 * and scope "guest" whatever it claimed, so that nothing from inside an
 * environment passes for the host's probes. NULL with why if malformed.
 */
json_t *vb_counter_from_agent(const json_t *c, char *why, size_t n);
/*
 * Whether a reader may take c for what its name says: a counter of the
 * agent's own kinds (rusage., vmstat., interrupts., trace.) from the
 * agent, any other (VM exits, block requests, device traps, PMU events)
 * only from the host's probes. A guest that names its counter
 * kvm.exit.* is not counted as a VM exit, whatever it is labelled.
 */
int vb_counter_is_evidence(const json_t *c);

#endif
