/* SPDX-License-Identifier: MIT */
#include "pmu.h"
#include "../common/counter.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <perfmon/pfmlib_perf_event.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define WHY_LEN 200

/* One event as the report names it, and the PMU names that may count it. */
struct pmu_def {
	const char *name;
	const char *candidates[3];
};

static const struct pmu_def default_events[] = {
	{ "cycles", { "cycles" } },
	{ "instructions", { "instructions" } },
	{ "dTLB-load-misses", { "dTLB-load-misses" } },
	{ "iTLB-load-misses", { "iTLB-load-misses" } },
	/* Intel names walk cycles; AMD's PMUs name walks, not their cycles. */
	{ "dtlb-walk-cycles", { "DTLB_LOAD_MISSES:WALK_ACTIVE", "DTLB_LOAD_MISSES:WALK_DURATION" } },
	{ "itlb-walk-cycles", { "ITLB_MISSES:WALK_ACTIVE", "ITLB_MISSES:WALK_DURATION" } },
};

struct pmu_event {
	char name[64];
	char why[WHY_LEN];       /* "" while it counts */
	const char *unit;
	int *fds;                /* one per CPU */
	int nfds;
	uint64_t start[3];       /* value, time enabled, time running */
};

struct vb_pmu {
	struct pmu_event *ev;
	int nev;
};

static pthread_once_t pfm_once = PTHREAD_ONCE_INIT;
static int pfm_rc;

static void pfm_init_once(void)
{
	pfm_rc = pfm_initialize();
}

static long perf_open(struct perf_event_attr *a, pid_t pid, int cpu, unsigned long flags)
{
	return syscall(SYS_perf_event_open, a, pid, cpu, -1, flags | PERF_FLAG_FD_CLOEXEC);
}

/* Encode the first candidate libpfm4 knows; 0, or -1 with why. */
static int encode(const char *const *cand, struct perf_event_attr *a, char *why, size_t n)
{
	const char *last = "no name given";

	pthread_once(&pfm_once, pfm_init_once);
	if (pfm_rc != PFM_SUCCESS) {
		snprintf(why, n, "libpfm4: %s", pfm_strerror(pfm_rc));
		return -1;
	}
	for (int i = 0; i < 3 && cand[i]; i++) {
		pfm_perf_encode_arg_t arg = { .attr = a, .size = sizeof(arg) };
		int rc;

		memset(a, 0, sizeof(*a));
		rc = pfm_get_os_event_encoding(cand[i], PFM_PLM0 | PFM_PLM3,
					       PFM_OS_PERF_EVENT_EXT, &arg);
		if (rc == PFM_SUCCESS) {
			a->size = sizeof(*a);
			return 0;
		}
		last = pfm_strerror(rc);
	}
	snprintf(why, n, "the PMU names no such event (libpfm4: %s)", last);
	return -1;
}

/*
 * One counting event per CPU, not per cgroup or task: a cgroup's or a
 * task's perf event keeps the kernel's context-switch hooks on for a
 * second after it is closed (perf_sched_events is released with a delay of
 * HZ), which would slow the next timed samples; per-CPU events do not.
 */
static void open_event(struct pmu_event *e, struct perf_event_attr *a, const int *cpus,
		       int ncpus)
{
	e->unit = a->type == PERF_TYPE_SOFTWARE && (a->config == PERF_COUNT_SW_CPU_CLOCK ||
						     a->config == PERF_COUNT_SW_TASK_CLOCK)
		  ? "ns" : "count";
	a->read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	e->fds = calloc((size_t)ncpus, sizeof(int));
	if (!e->fds) {
		snprintf(e->why, WHY_LEN, "out of memory");
		return;
	}
	for (int i = 0; i < ncpus; i++) {
		long fd = perf_open(a, -1, cpus[i], 0);

		if (fd < 0) {
			snprintf(e->why, WHY_LEN, "perf_event_open (type %u config 0x%llx) on cpu %d: %s",
				 a->type, (unsigned long long)a->config, cpus[i], strerror(errno));
			break;
		}
		e->fds[e->nfds++] = (int)fd;
	}
	if (e->why[0]) {
		while (e->nfds)
			close(e->fds[--e->nfds]);
	}
}

/* Sum over the event's fds: value, time enabled, time running. */
static int read_event(const struct pmu_event *e, uint64_t out[3])
{
	out[0] = out[1] = out[2] = 0;
	for (int i = 0; i < e->nfds; i++) {
		uint64_t v[3];

		if (read(e->fds[i], v, sizeof(v)) != (ssize_t)sizeof(v))
			return -1;
		for (int j = 0; j < 3; j++)
			out[j] += v[j];
	}
	return 0;
}

struct vb_pmu *vb_pmu_open(const int *cpus, int ncpus, const char *const *events)
{
	size_t ndef = sizeof(default_events) / sizeof(default_events[0]), nnames = 0;
	struct vb_pmu *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	while (events && events[nnames])
		nnames++;
	/* Each event may come twice (outside and inside guest mode). */
	p->ev = calloc(2 * (events ? nnames : ndef), sizeof(*p->ev));
	if (!p->ev) {
		free(p);
		return NULL;
	}
	for (size_t i = 0; i < (events ? nnames : ndef); i++) {
		const char *single[3] = { events ? events[i] : NULL };
		const char *const *cand = events ? single : default_events[i].candidates;
		struct pmu_event *e = &p->ev[p->nev++];
		struct perf_event_attr a;

		snprintf(e->name, sizeof(e->name), "%s", events ? events[i] : default_events[i].name);
		if (ncpus < 1) {
			snprintf(e->why, WHY_LEN, "no CPU to count on");
			continue;
		}
		if (encode(cand, &a, e->why, WHY_LEN))
			continue;
		if (a.type != PERF_TYPE_HARDWARE && a.type != PERF_TYPE_HW_CACHE &&
		    a.type != PERF_TYPE_RAW) {   /* software events: no guest mode */
			open_event(e, &a, cpus, ncpus);
			continue;
		}
		struct pmu_event *g = &p->ev[p->nev++];
		struct perf_event_attr ga = a;

		snprintf(g->name, sizeof(g->name), "%.50s.in_guest", e->name);
		a.exclude_guest = 1;
		open_event(e, &a, cpus, ncpus);
		ga.exclude_host = 1;
		open_event(g, &ga, cpus, ncpus);
	}
	return p;
}

void vb_pmu_begin(struct vb_pmu *p)
{
	for (int i = 0; i < p->nev; i++)
		if (!p->ev[i].why[0] && read_event(&p->ev[i], p->ev[i].start))
			snprintf(p->ev[i].why, WHY_LEN, "read: %s", strerror(errno));
}

void vb_pmu_end(struct vb_pmu *p, json_t *counters)
{
	for (int i = 0; i < p->nev; i++) {
		struct pmu_event *e = &p->ev[i];
		uint64_t now[3], enabled, running;
		json_t *c;

		if (!e->why[0] && read_event(e, now))
			snprintf(e->why, WHY_LEN, "read: %s", strerror(errno));
		if (e->why[0]) {
			json_array_append_new(counters, vb_counter_unavailable("pmu", "host", e->name,
									       "%s", e->why));
			continue;
		}
		enabled = now[1] - e->start[1];
		running = now[2] - e->start[2];
		if (running < enabled) {   /* multiplexed: a raw count would be short */
			c = vb_counter_unavailable("pmu", "host", e->name,
						   "multiplexed: counted %.0f%% of the window",
						   enabled ? 100.0 * (double)running / (double)enabled : 0);
		} else {
			c = vb_counter("pmu", "host", e->name, (long long)(now[0] - e->start[0]),
				       e->unit);
		}
		json_array_append_new(counters, c);
	}
}

int vb_pmu_counting(const struct vb_pmu *p)
{
	int n = 0;

	for (int i = 0; i < p->nev; i++)
		n += !p->ev[i].why[0];
	return n;
}

void vb_pmu_close(struct vb_pmu *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->nev; i++) {
		for (int j = 0; j < p->ev[i].nfds; j++)
			close(p->ev[i].fds[j]);
		free(p->ev[i].fds);
	}
	free(p->ev);
	free(p);
}
