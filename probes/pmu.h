/* SPDX-License-Identifier: MIT */
/*
 * Hardware counters of the CPUs an environment runs on, through libpfm4 +
 * perf_event_open: one counting event per CPU (not per cgroup or task,
 * which would leave the kernel's context-switch hooks on after they are
 * closed). Every event that cannot be opened is kept with its reason and
 * reported as unavailable.
 */
#ifndef VB_PMU_H
#define VB_PMU_H

#include <jansson.h>
#include <sys/types.h>

struct vb_pmu;

/*
 * Open `events` (libpfm4 names; NULL: cycles, instructions, dTLB and iTLB
 * load misses, page-walk cycles) on each of the ncpus CPUs, each counted
 * outside guest mode, and for hardware events also in guest mode
 * ("<name>.in_guest", exclude_host). Returns NULL only on OOM.
 */
struct vb_pmu *vb_pmu_open(const int *cpus, int ncpus, const char *const *events);
/* Start a window: remember the current counts. */
void vb_pmu_begin(struct vb_pmu *p);
/* End it: append each event's delta (or why it is unavailable) to counters. */
void vb_pmu_end(struct vb_pmu *p, json_t *counters);
/* Number of events that count. */
int vb_pmu_counting(const struct vb_pmu *p);
void vb_pmu_close(struct vb_pmu *p);

#endif
