/* SPDX-License-Identifier: MIT */
#include "counters.h"
#include "../common/counter.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define NAME_LEN 96
#define WHY_LEN 160

/* One named value read from /proc; `always` ones are reported even when 0. */
struct kv {
	char name[NAME_LEN];
	uint64_t v;
	int always;
};

struct kvs {
	struct kv *v;
	size_t n, cap;
	char why[WHY_LEN];   /* the source could not be read */
};

static const char *const tracepoints[] = { "tlb/tlb_flush", "exceptions/page_fault_user" };
#define NTP (sizeof(tracepoints) / sizeof(tracepoints[0]))

/* What getrusage gives, as counters: the agent's and its reaped children's. */
static const struct { const char *name, *unit; } usage_names[] = {
	{ "rusage.minflt", "count" }, { "rusage.majflt", "count" },
	{ "rusage.nvcsw", "count" }, { "rusage.nivcsw", "count" },
	{ "rusage.cpu_time", "us" },
};
#define NUSAGE (sizeof(usage_names) / sizeof(usage_names[0]))

/* A tracepoint counted on each CPU the agent may run on: one event per CPU. */
struct tp_count {
	int *fd;
	int nfd;
	uint64_t start;
	char why[WHY_LEN];
};

struct vb_agent_counters {
	const char *scope;
	char disk[32];                 /* the scratch device's name in /proc/diskstats */
	dev_t disk_dev;
	long long usage[NUSAGE];       /* usage_now() when counting began */
	struct tp_count tp[NTP];
	struct kvs vmstat, irq, diskstats;
};

static void kvs_add(struct kvs *s, const char *name, uint64_t v, int always)
{
	if (s->n == s->cap) {
		struct kv *nv = realloc(s->v, (s->cap = s->cap ? 2 * s->cap : 64) * sizeof(*nv));

		if (!nv) {
			snprintf(s->why, WHY_LEN, "out of memory");
			return;
		}
		s->v = nv;
	}
	snprintf(s->v[s->n].name, NAME_LEN, "%s", name);
	s->v[s->n].v = v;
	s->v[s->n++].always = always;
}

static const struct kv *kvs_find(const struct kvs *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return &s->v[i];
	return NULL;
}

static FILE *open_proc(struct kvs *s, const char *path)
{
	FILE *f = fopen(path, "r");

	memset(s, 0, sizeof(*s));
	if (!f)
		snprintf(s->why, WHY_LEN, "%s: %s", path, strerror(errno));
	return f;
}

/* pgfault, pgmajfault (always), and the TLB and THP keys. */
static void read_vmstat(struct kvs *s)
{
	FILE *f = open_proc(s, "/proc/vmstat");
	char key[64], name[NAME_LEN];
	unsigned long long v;

	while (f && fscanf(f, "%63s %llu", key, &v) == 2) {
		int always = !strcmp(key, "pgfault") || !strcmp(key, "pgmajfault");

		if (!always && strncmp(key, "nr_tlb_", 7) && strncmp(key, "thp_", 4))
			continue;
		snprintf(name, sizeof(name), "vmstat.%s", key);
		kvs_add(s, name, v, always);
	}
	if (f)
		fclose(f);
}

/* Each line's total over CPUs; numbered lines carry their device's name. */
static void read_interrupts(struct kvs *s)
{
	FILE *f = open_proc(s, "/proc/interrupts");
	char line[4096], name[NAME_LEN];
	int ncpu = 0;

	if (f && fgets(line, sizeof(line), f))
		for (char *t = strtok(line, " \t\n"); t; t = strtok(NULL, " \t\n"))
			ncpu++;
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':'), *p, *end, *label = line, *dev = NULL;
		uint64_t total = 0;

		if (!colon)
			continue;
		*colon = '\0';
		while (*label == ' ')
			label++;
		p = colon + 1;
		for (int c = 0; c < ncpu; c++) {
			unsigned long long v = strtoull(p, &end, 10);

			if (end == p)
				break;
			total += v;
			p = end;
		}
		if (label[0] >= '0' && label[0] <= '9') {   /* last word: the device */
			p[strcspn(p, "\n")] = '\0';
			dev = strrchr(p, ' ');
			dev = dev ? dev + 1 : NULL;
		}
		snprintf(name, sizeof(name), "interrupts.%.32s%s%.40s", label, dev ? "." : "",
			 dev ? dev : "");
		kvs_add(s, name, total, 0);
	}
	if (f)
		fclose(f);
}

/* The scratch device's line: completed I/Os, bytes, ms busy. */
static void read_diskstats(struct kvs *s, dev_t dev, char *disk, size_t dn)
{
	FILE *f = open_proc(s, "/proc/diskstats");
	char line[512], name[32], key[NAME_LEN];
	unsigned maj, min;
	unsigned long long r, rm, rs, rt, w, wm, ws, wt, inflight, io;

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%u %u %31s %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
			   &maj, &min, name, &r, &rm, &rs, &rt, &w, &wm, &ws, &wt, &inflight,
			   &io) != 13 || makedev(maj, min) != dev)
			continue;
		const struct { const char *k; unsigned long long v; } fields[] = {
			{ "reads", r }, { "read_bytes", rs * 512 }, { "read_ms", rt },
			{ "writes", w }, { "write_bytes", ws * 512 }, { "write_ms", wt },
			{ "io_ms", io },
		};
		snprintf(disk, dn, "%s", name);
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			snprintf(key, sizeof(key), "disk.%s.%s", name, fields[i].k);
			kvs_add(s, key, fields[i].v, 1);
		}
	}
	if (f)
		fclose(f);
	if (!s->why[0] && !s->n)
		snprintf(s->why, WHY_LEN, "device %u:%u not in /proc/diskstats", major(dev),
			 minor(dev));
}

/*
 * Per-CPU events, not events of the agent's task: a task's perf event
 * keeps the kernel's context-switch hooks on for a second after it is
 * closed (perf_sched_events is released with a delay of HZ), which slowed
 * the next timed samples of cpu.ctxsw by ~3%. Per-CPU counting events do
 * not turn the hooks on. They need CAP_PERFMON (a container is refused).
 */
static long perf_open_cpu(uint64_t config, int cpu)
{
	struct perf_event_attr a = { .type = PERF_TYPE_TRACEPOINT, .size = sizeof(a),
				     .config = config, .exclude_hv = 1 };

	return syscall(SYS_perf_event_open, &a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

/* A tracepoint's perf config is its id in tracefs; 0, or -1 with why. */
static int tracepoint_id(const char *tp, unsigned long long *id, char *why)
{
	static const char *const roots[] = { "/sys/kernel/tracing/events",
					     "/sys/kernel/debug/tracing/events" };
	char path[256];

	for (int i = 0; i < 2; i++) {
		FILE *f;
		int ok;

		snprintf(path, sizeof(path), "%s/%s/id", roots[i], tp);
		if (!(f = fopen(path, "r")))
			continue;
		ok = fscanf(f, "%llu", id) == 1;
		fclose(f);
		if (ok)
			return 0;
	}
	snprintf(why, WHY_LEN, "tracefs is not mounted (no %s/%s/id)", roots[0], tp);
	return -1;
}

static int read_u64(int fd, uint64_t *v)
{
	return read(fd, v, sizeof(*v)) == (ssize_t)sizeof(*v) ? 0 : -1;
}

/* The sum of a tracepoint's per-CPU events; 0, or -1 with why. */
static int tp_read(struct tp_count *t, uint64_t *sum)
{
	*sum = 0;
	for (int i = 0; i < t->nfd; i++) {
		uint64_t v;

		if (read_u64(t->fd[i], &v)) {
			snprintf(t->why, WHY_LEN, "read: %s", strerror(errno));
			return -1;
		}
		*sum += v;
	}
	return 0;
}

static void tp_open(struct tp_count *t, const char *tp, const cpu_set_t *cpus)
{
	unsigned long long id;

	if (tracepoint_id(tp, &id, t->why))
		return;
	if (!(t->fd = calloc((size_t)CPU_COUNT(cpus), sizeof(int)))) {
		snprintf(t->why, WHY_LEN, "out of memory");
		return;
	}
	for (int cpu = 0; cpu < CPU_SETSIZE && t->nfd < CPU_COUNT(cpus); cpu++) {
		long fd;

		if (!CPU_ISSET(cpu, cpus))
			continue;
		if ((fd = perf_open_cpu(id, cpu)) < 0) {
			snprintf(t->why, WHY_LEN, "perf_event_open %s on cpu %d: %s", tp, cpu,
				 strerror(errno));
			return;
		}
		t->fd[t->nfd++] = (int)fd;
	}
	tp_read(t, &t->start);
}

static void usage_now(long long v[NUSAGE])
{
	struct rusage r[2];

	getrusage(RUSAGE_SELF, &r[0]);
	getrusage(RUSAGE_CHILDREN, &r[1]);
	memset(v, 0, NUSAGE * sizeof(*v));
	for (int k = 0; k < 2; k++) {
		v[0] += r[k].ru_minflt;
		v[1] += r[k].ru_majflt;
		v[2] += r[k].ru_nvcsw;
		v[3] += r[k].ru_nivcsw;
		v[4] += (r[k].ru_utime.tv_sec + r[k].ru_stime.tv_sec) * 1000000LL +
			r[k].ru_utime.tv_usec + r[k].ru_stime.tv_usec;
	}
}

struct vb_agent_counters *vb_agent_counters_begin(const char *scope, const char *scratch)
{
	struct vb_agent_counters *c = calloc(1, sizeof(*c));
	struct stat st;
	cpu_set_t cpus;

	if (!c)
		return NULL;
	c->scope = scope;
	if (sched_getaffinity(0, sizeof(cpus), &cpus)) {
		CPU_ZERO(&cpus);
		for (int i = 0; i < get_nprocs() && i < CPU_SETSIZE; i++)
			CPU_SET(i, &cpus);
	}
	for (size_t i = 0; i < NTP; i++)
		tp_open(&c->tp[i], tracepoints[i], &cpus);
	read_vmstat(&c->vmstat);
	read_interrupts(&c->irq);
	if (scratch && stat(scratch, &st) == 0) {
		c->disk_dev = S_ISBLK(st.st_mode) ? st.st_rdev : st.st_dev;
		read_diskstats(&c->diskstats, c->disk_dev, c->disk, sizeof(c->disk));
	} else if (scratch) {
		snprintf(c->diskstats.why, WHY_LEN, "%s: %s", scratch, strerror(errno));
	}
	usage_now(c->usage);
	return c;
}

/* Deltas of what `now` and `then` both hold; the reason if either failed. */
static void put_deltas(const struct vb_agent_counters *c, const struct kvs *then,
		       const struct kvs *now, const char *headline, json_t *out)
{
	const char *why = then->why[0] ? then->why : now->why;

	if (why[0]) {
		json_array_append_new(out, vb_counter_unavailable("agent", c->scope, headline, "%s",
								  why));
		return;
	}
	for (size_t i = 0; i < now->n; i++) {
		const struct kv *b = kvs_find(then, now->v[i].name);
		uint64_t d = b ? now->v[i].v - b->v : 0;
		const char *n = now->v[i].name;

		if (b && (d || now->v[i].always))
			json_array_append_new(out, vb_counter("agent", c->scope, n, (long long)d,
				strstr(n, "_bytes") ? "bytes" : strstr(n, "_ms") ? "ms" : "count"));
	}
}

static void put_usage(const struct vb_agent_counters *c, json_t *out)
{
	long long now[NUSAGE];

	usage_now(now);
	for (size_t i = 0; i < NUSAGE; i++)
		json_array_append_new(out, vb_counter("agent", c->scope, usage_names[i].name,
						      now[i] - c->usage[i], usage_names[i].unit));
}

void vb_agent_counters_end(struct vb_agent_counters *c, json_t *counters)
{
	struct kvs vmstat, irq, disk = { 0 };

	if (!c)
		return;
	put_usage(c, counters);
	for (size_t i = 0; i < NTP; i++) {
		char name[64];
		uint64_t v;

		snprintf(name, sizeof(name), "trace.%s", strchr(tracepoints[i], '/') + 1);
		if (!c->tp[i].why[0])
			tp_read(&c->tp[i], &v);
		if (c->tp[i].why[0])
			json_array_append_new(counters, vb_counter_unavailable("agent", c->scope, name,
									       "%s", c->tp[i].why));
		else
			json_array_append_new(counters, vb_counter("agent", c->scope, name,
				(long long)(v - c->tp[i].start), "count"));
	}
	read_vmstat(&vmstat);
	put_deltas(c, &c->vmstat, &vmstat, "vmstat", counters);
	read_interrupts(&irq);
	put_deltas(c, &c->irq, &irq, "interrupts", counters);
	if (c->disk_dev || c->diskstats.why[0]) {
		char name[40];

		if (c->disk_dev)
			read_diskstats(&disk, c->disk_dev, name, sizeof(name));
		put_deltas(c, &c->diskstats, &disk, "disk", counters);
	}
	free(vmstat.v);
	free(irq.v);
	free(disk.v);
}

void vb_agent_counters_free(struct vb_agent_counters *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < NTP; i++) {
		for (int k = 0; k < c->tp[i].nfd; k++)
			close(c->tp[i].fd[k]);
		free(c->tp[i].fd);
	}
	free(c->vmstat.v);
	free(c->irq.v);
	free(c->diskstats.v);
	free(c);
}
