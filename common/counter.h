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

#endif
