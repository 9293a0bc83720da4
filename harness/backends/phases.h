/* SPDX-License-Identifier: MIT */
/*
 * What a backend's start() can see of itself: its steps, timed, as
 * in->info "phases" (backend.h). The core adds the rest up to hello.
 */
#ifndef VB_PHASES_H
#define VB_PHASES_H

#include <jansson.h>

/*
 * Append {"name": name, "ms": now - since} to info's "phases" (made at
 * the first) and return now, where a next step that follows at once starts.
 */
double vb_phase_end(json_t *info, const char *name, double since);

#endif
