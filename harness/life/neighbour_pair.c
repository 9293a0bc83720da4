/* SPDX-License-Identifier: MIT */
/* iso.neighbour: the pair of instances, where they run, their limits, the victim's measurements. */
#include "neighbour.h"
#include "../../common/proto.h"
#include "../../common/stats.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The neighbour's limits: a share of one CPU, other PUs, memory, disk bandwidth. */
#define LIMIT_CPU_PCT 50
#define LIMIT_MEM_ROOM (512LL << 20)  /* above what it holds: the hog's buffers fit */
#define LIMIT_IO_BPS (16LL << 20)

/* The PUs vbench may use that the run's instances do not: the limited neighbour's. */
static void other_pus(struct vb_nb *nb)
{
	cpu_set_t set;

	nb->nother = 0;
	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (int i = 0; i < nb->ctx->npus; i++)
		CPU_CLR(nb->ctx->pus[i], &set);
	for (int cpu = 0; cpu < CPU_SETSIZE && nb->nother < VB_MAX_PUS; cpu++)
		if (CPU_ISSET(cpu, &set))
			nb->other_pus[nb->nother++] = cpu;
}

static json_t *pus_json(const int *pus, int n)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_integer(pus[i]));
	return a;
}

static void open_limits(struct vb_nb *nb)
{
	char err[512];

	if (!nb->ctx->cgroup_parent || !nb->ctx->cgroup_parent[0]) {
		snprintf(nb->limits_why, sizeof(nb->limits_why),
			 "the run has no cgroup (needs root and cgroup v2)");
		return;
	}
	nb->roots = malloc(sizeof(*nb->roots));
	if (!nb->roots || vb_lroots_host(nb->roots, err, sizeof(err))) {
		snprintf(nb->limits_why, sizeof(nb->limits_why), "%s",
			 nb->roots ? err : "out of memory");
		return;
	}
	for (int i = 0; i < 2; i++)
		if (vb_lgroup_open(&nb->g[i], nb->roots, &nb->in[i], nb->ctx->cgroup_parent, err,
				   sizeof(err))) {
			snprintf(nb->limits_why, sizeof(nb->limits_why), "%s: %.400s",
				 nb->in[i].name, err);
			return;
		}
	nb->limits = 1;
}

int vb_nb_open(struct vb_nb *nb, const struct vb_pick *pk, char *err, size_t n)
{
	static const char *const role[2] = { "victim", "neighbour" };

	for (int i = 0; i < 2; i++) {
		if (vb_life_start(pk, nb->ctx, role[i], 1, &nb->in[i], err, n))
			return -1;
		nb->up[i] = 1;
	}
	other_pus(nb);
	open_limits(nb);
	nb->placement = json_pack("{s:o, s:o, s:s}", "pus", pus_json(nb->ctx->pus, nb->ctx->npus),
				  "limited_neighbour_pus", pus_json(nb->other_pus, nb->nother),
				  "limits", nb->limits ? "available" : nb->limits_why);
	return 0;
}

void vb_nb_close(struct vb_nb *nb)
{
	for (int i = 0; i < 2; i++) {
		if (nb->up[i])
			vb_instance_stop(&nb->in[i]);
		nb->up[i] = 0;
		vb_lgroup_close(&nb->g[i]);
	}
	json_decref(nb->placement);
	nb->placement = NULL;
	free(nb->roots);
	nb->roots = NULL;
}

/* 1 when some knob of applied was written (its value is not "unavailable: ..."). */
static int any_applied(const json_t *applied)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)applied, k, v)
		if (json_is_string(v) && strncmp(json_string_value(v), "unavailable", 11))
			return 1;
	return 0;
}

int vb_nb_limit(struct vb_nb *nb, json_t *applied)
{
	struct vb_limits victim = { .pus = nb->ctx->pus, .npus = nb->ctx->npus };
	struct vb_limits hog = { .cpu_pct = LIMIT_CPU_PCT, .pus = nb->other_pus,
				 .npus = nb->nother, .io_bps = LIMIT_IO_BPS };
	json_t *va = json_object();
	char why[256];
	long long held = vb_lgroup_memory(&nb->g[1], why, sizeof(why));

	if (!nb->limits) {
		json_object_set_new(applied, "unavailable", json_string(nb->limits_why));
		return 1;
	}
	if (held >= 0)
		hog.mem_bytes = held + LIMIT_MEM_ROOM;
	vb_lgroup_apply(&nb->g[1], &hog, applied);
	if (!any_applied(applied)) {
		/* "limited" without a limit would be a second "with": not measured */
		snprintf(nb->limits_why, sizeof(nb->limits_why), "no limit could be put on the "
			 "neighbour (%s)", vb_json_str(applied, "cpu", "cpu: not asked"));
		nb->limits = 0;
		json_object_set_new(nb->placement, "limits", json_string(nb->limits_why));
		json_object_clear(applied);
		json_object_set_new(applied, "unavailable", json_string(nb->limits_why));
		json_decref(va);
		return 1;
	}
	if (!nb->nother)
		json_object_set_new(applied, "cpuset", json_string("unavailable: no PU outside "
								   "the victim's"));
	if (held < 0)
		json_object_set_new(applied, "memory", json_pack("s++", "unavailable: ", why, ""));
	vb_lgroup_apply(&nb->g[0], &victim, va);
	json_object_set_new(applied, "victim", va);
	return 0;
}

void vb_nb_unlimit(struct vb_nb *nb)
{
	if (!nb->limits)
		return;
	vb_lgroup_lift(&nb->g[0]);
	vb_lgroup_lift(&nb->g[1]);
}

/*
 * One victim measurement: the median of its samples, in the workload's
 * unit. *iters is calibrated on the first call (0) and kept. 0, or -1
 * with why.
 */
int vb_nb_measure(struct vb_instance *v, const struct vb_life *L, const char *bench,
		  uint64_t *iters, unsigned samples, double *median, char *why, size_t n)
{
	json_t *req = json_pack("{s:s, s:s, s:i, s:i, s:i, s:I}", "op", "run", "bench", bench,
				"samples", samples, "warmup", *iters ? 0 : 1, "min_sample_ms",
				L->o->min_sample_ms, "iters", (json_int_t)*iters);
	json_t *rep = vb_instance_request(v, req, L->o->timeout_ms, why, n), *s = NULL;
	double x[VB_MAX_SAMPLES];
	size_t i, k = 0;

	json_decref(req);
	if (rep && strcmp(vb_json_str(rep, "op", ""), "result"))
		snprintf(why, n, "%s: %s", vb_json_str(rep, "op", "?"),
			 vb_json_str(rep, "reason", vb_json_str(rep, "msg", "no reason")));
	else if (rep)
		json_array_foreach(json_object_get(rep, "samples"), i, s)
			if (k < VB_MAX_SAMPLES && json_is_number(s) && json_number_value(s) > 0)
				x[k++] = json_number_value(s);
	if (rep && k && vb_json_int(rep, "iters", 0) > 0) {
		*iters = (uint64_t)vb_json_int(rep, "iters", 0);
		*median = vb_median(x, k);
	} else if (rep && !strcmp(vb_json_str(rep, "op", ""), "result")) {
		snprintf(why, n, "%s: a result without samples", bench);
	}
	json_decref(rep);
	return rep && k ? 0 : -1;
}
