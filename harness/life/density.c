/* SPDX-License-Identifier: MIT */
/*
 * life.density: idle instances started one after another until what they
 * hold passes the budget, one fails to start, or the cap is reached; then
 * all stopped. What they hold is weighed two ways, and the larger counts:
 * the sum of their processes' PSS (memuse.h), and the host's memory in
 * use, MemAvailable's drop since before the first start, which also holds
 * what no process maps (a container's namespaces and cgroups, page
 * tables): on a quiet host, the truer of the two. "fit" is how many were
 * up while both stayed within the budget. Each instance's PSS is read
 * once, when it is up; shared pages then count once more for every sharer
 * started later, so that running sum is an upper bound, and the decision
 * to stop is made on the exact sum over all instances, read again.
 */
#include "budget.h"
#include "life.h"
#include "memuse.h"
#include "../../common/clock.h"
#include "../../common/proto.h"
#include "../../common/textsafe.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* Every instance holds a channel (QEMU a monitor too): let the fds follow. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* The PSS of instances in[0..n), summed now; -1 when one cannot be read. */
static long long total_pss(struct vb_instance *in, size_t n)
{
	long long sum = 0;
	char why[256];

	for (size_t i = 0; i < n; i++) {
		struct vb_memuse m;

		if (vb_memuse_read(&in[i], &m, why, sizeof(why)))
			return -1;
		sum += m.pss_bytes;
	}
	return sum;
}

/* Say bye to all first so that they leave together, then stop each. */
static double stop_all(struct vb_instance *in, size_t n)
{
	double t0 = vb_now_ms();
	json_t *bye = json_pack("{s:s}", "op", "bye");

	for (size_t i = 0; i < n; i++)
		if (!in[i].dead && in[i].fd >= 0 && vb_proto_send(in[i].fd, bye) == 0)
			in[i].dead = 1; /* bye said: stop() must not say it again */
	json_decref(bye);
	for (size_t i = 0; i < n; i++)
		vb_instance_stop(&in[i]);
	return vb_now_ms() - t0;
}

struct tally {
	size_t up;                /* instances running */
	size_t fit;               /* ... of which within the budget */
	long long running_pss;    /* upper bound, see above */
	long long exact_pss;      /* last exact sum, -1 none */
	long long avail0;         /* MemAvailable before the first start, -1 unknown */
	long long host_used;      /* its drop since, after the last start */
	char ended[1200];
};

/* After instance t->up - 1 started with pss: 1 to go on, 0 to end (t->ended set). */
static int within_budget(const struct vb_life *L, struct vb_instance *in, struct tally *t,
			 long long pss)
{
	long long avail = vb_mem_available();

	t->running_pss += pss;
	t->host_used = t->avail0 >= 0 && avail >= 0 ? t->avail0 - avail : 0;
	if (t->host_used > L->o->budget_bytes) {
		snprintf(t->ended, sizeof(t->ended), "budget (the host's memory in use)");
		return 0;
	}
	if (t->running_pss <= L->o->budget_bytes) {
		t->fit = t->up;
		return 1;
	}
	t->exact_pss = total_pss(in, t->up);
	if (t->exact_pss < 0) {
		snprintf(t->ended, sizeof(t->ended), "failure: an instance's memory could not be "
			 "read");
		return 0;
	}
	t->running_pss = t->exact_pss;
	if (t->exact_pss <= L->o->budget_bytes) {
		t->fit = t->up;
		return 1;
	}
	snprintf(t->ended, sizeof(t->ended), "budget (the PSS sum)");
	return 0;
}

static void density_run(const struct vb_life *L, const struct vb_pick *pk,
			const struct vb_run_ctx *ctx, json_t *entry)
{
	unsigned max = L->o->density_max;
	struct vb_instance *in = calloc(max, sizeof(*in));
	double *start = calloc(max, sizeof(double));
	json_t *pss_each = json_array(), *used_each = json_array();
	struct tally t = { .exact_pss = -1, .avail0 = vb_mem_available() };
	char err[1024];

	if (!in || !start) {
		vb_life_fail(L, entry, "out of memory");
		goto out;
	}
	raise_fd_limit();
	while (!*L->stop) {
		struct vb_memuse m;
		char suffix[32];
		int go;

		if (t.up == max) {
			snprintf(t.ended, sizeof(t.ended), "cap: --density-max %u", max);
			break;
		}
		snprintf(suffix, sizeof(suffix), "d%zu", t.up);
		if (vb_life_start(pk, ctx, suffix, 0, &in[t.up], err, sizeof(err))) {
			snprintf(t.ended, sizeof(t.ended), "failure: %s", err);
			break;
		}
		start[t.up] = in[t.up].start_ms;
		t.up++;
		if (vb_memuse_read(&in[t.up - 1], &m, err, sizeof(err))) {
			snprintf(t.ended, sizeof(t.ended), "failure: %s", err);
			break;
		}
		json_array_append_new(pss_each, json_integer(m.pss_bytes));
		if (t.up % 10 == 0)
			fprintf(stderr, "vbench: life.density %s: %zu up, %lld MiB\n", pk->name, t.up,
				t.running_pss >> 20);
		go = within_budget(L, in, &t, m.pss_bytes);
		json_array_append_new(used_each, json_integer(t.host_used));
		if (!go)
			break;
	}
	if (*L->stop)
		snprintf(t.ended, sizeof(t.ended), "interrupted");
	if (t.exact_pss < 0 && t.up)
		t.exact_pss = total_pss(in, t.up);
	json_object_set_new(entry, "budget_bytes", json_integer(L->o->budget_bytes));
	json_object_set_new(entry, "budget", json_string(L->o->budget_desc));
	json_object_set_new(entry, "max", json_integer(max));
	json_object_set_new(entry, "started", json_integer((json_int_t)t.up));
	json_object_set_new(entry, "fit", json_integer((json_int_t)t.fit));
	json_object_set_new(entry, "ended_by", json_string(t.ended));
	json_object_set_new(entry, "total_pss_bytes", t.exact_pss >= 0
			    ? json_integer(t.exact_pss) : json_null());
	json_object_set(entry, "pss_bytes", pss_each);
	json_object_set(entry, "host_used_bytes", used_each);
	json_object_set_new(entry, "total_host_used_bytes", t.avail0 >= 0
			    ? json_integer(t.host_used) : json_null());
	json_object_set_new(entry, "start_ms", vb_life_dist(start, t.up));
	json_object_set_new(entry, "stop_all_ms", json_real(stop_all(in, t.up)));
	if (*L->stop)
		vb_life_fail(L, entry, "interrupted");
	else if (!t.up)
		vb_life_fail(L, entry, err);
out:
	json_decref(pss_each);
	json_decref(used_each);
	free(in);
	free(start);
}

/* Its line in the run's closing summary. */
static void density_print(FILE *f, const json_t *e)
{
	fprintf(f, "%lld fit in %s (ended by %s; PSS %.0f MiB, host %.0f MiB), slowest "
		"start %.1f ms", vb_json_int(e, "fit", 0), VB_TERM(vb_json_str(e, "budget", "")),
		VB_TERM(vb_json_str(e, "ended_by", "")),
		vb_json_num(e, "total_pss_bytes", NAN) / 1048576,
		vb_json_num(e, "total_host_used_bytes", NAN) / 1048576,
		vb_json_num(json_object_get(e, "start_ms"), "max", NAN));
}

const struct vb_experiment vb_exp_density = {
	.name = "life.density",
	.desc = "idle instances that fit in a memory budget, and the time to start each",
	.run = density_run,
	.print = density_print,
};
