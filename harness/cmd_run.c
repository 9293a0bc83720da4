/* SPDX-License-Identifier: MIT */
/* vbench run: start the environments, run the rounds, keep every result. */
#include "backend.h"
#include "cgroup.h"
#include "debris.h"
#include "envutil.h"
#include "exec.h"
#include "hostinfo.h"
#include "kvmhost.h"
#include "lab/lab.h"
#include "life/life.h"
#include "paths.h"
#include "pin.h"
#include "precision.h"
#include "results.h"
#include "resume.h"
#include "run_opts.h"
#include "scheduler.h"
#include "select.h"
#include "../common/textsafe.h"
#include "../probes/probes.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* No SA_RESTART: a blocked read returns EINTR and the run winds down. */
static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	vb_exec_stop_on(&stop_flag); /* Ctrl-C stops a hung runtime or download too */
}

/* The workload as run: its defaults with the --param overrides on top. */
static json_t *workload_json(const struct vb_workload *wl, json_t *overrides)
{
	json_t *params = json_object();

	for (int i = 0; i < VB_MAX_PARAMS && wl->params[i].name; i++)
		json_object_set_new(params, wl->params[i].name, json_integer(wl->params[i].def));
	json_object_update(params, overrides);
	return json_pack("{s:s, s:s, s:i, s:s, s:s, s:o}", "name", wl->name, "desc", wl->desc,
			 "version", wl->version, "unit", vb_metric_unit(wl->metric), "direction",
			 vb_direction_name(wl->dir), "params", params);
}

static json_t *plan_json(const struct vb_run_opts *o, const struct vb_run_ctx *ctx,
			 const struct vb_pick *be, int nbe,
			 const struct vb_workload **wl, int nwl, unsigned exps)
{
	json_t *pus = json_array(), *bes = json_array(), *wls = json_array();
	json_t *experiments = json_array();

	for (size_t i = 0; i < vb_nexperiments; i++)
		if (exps >> i & 1)
			json_array_append_new(experiments, json_string(vb_experiments[i]->name));

	for (int i = 0; i < ctx->npus; i++)
		json_array_append_new(pus, json_integer(ctx->pus[i]));
	for (int i = 0; i < nbe; i++)
		json_array_append_new(bes, json_string(be[i].name));
	for (int i = 0; i < nwl; i++)
		json_array_append_new(wls, json_string(wl[i]->name));
	json_t *sets = json_array();

	for (int i = 0; i < o->nsets; i++)
		json_array_append_new(sets, json_string(o->sets[i]));
	json_t *plan = json_pack("{s:i, s:i, s:i, s:i, s:b, s:b, s:I, s:o, s:o, s:o, s:I, s:I, s:o}",
				 "rounds", o->rounds, "samples", o->samples, "warmup", o->warmup,
				 "min_sample_ms", o->min_sample_ms, "count", !o->no_count, "quick",
				 o->quick, "seed", (json_int_t)o->seed, "pus", pus, "backends", bes,
				 "benches", wls, "memory_mb", (json_int_t)o->memory_mb,
				 "scratch_mib", (json_int_t)o->scratch_mib, "set", sets);

	json_object_update_new(plan, json_pack("{s:o, s:i, s:I, s:s, s:i}", "experiments",
					       experiments, "life_reps", o->life_reps,
					       "budget_bytes", (json_int_t)o->budget_bytes,
					       "budget", o->budget_desc, "density_max",
					       o->density_max));
	json_object_update_new(plan, json_pack("{s:f, s:o, s:i}", "precision", o->precision,
					       "time_budget_s", o->time_budget_s
					       ? json_real(o->time_budget_s) : json_null(),
					       "max_rounds", o->max_rounds));
	/* the rest of what --resume needs to run the plan again: null where not given */
	json_object_update_new(plan, json_pack("{s:i, s:i, s:s, s:s?, s:s?, s:o}", "timeout_s",
					       o->timeout_s, "hello_timeout_s", o->hello_timeout_s,
					       "container_runtime", o->container_runtime, "kernel",
					       o->kernel, "modules", o->modules, "probes",
					       o->no_probes ? json_false()
					       : o->probes ? json_string(o->probes) : json_null()));
	return plan;
}

/* What a started instance looks like from the host, for the results. */
static void describe_instance(json_t *bj, const struct vb_instance *in,
			      const struct vb_run_ctx *ctx)
{
	json_t *pus = json_array();

	for (int i = 0; i < ctx->npus; i++)
		json_array_append_new(pus, json_integer(ctx->pus[i]));
	json_object_set_new(bj, "start_ms", json_real(in->start_ms));
	json_object_set(bj, "hello", in->hello);
	json_object_set(bj, "info", in->info);
	json_object_set_new(bj, "host",
			    json_pack("{s:i, s:s, s:I, s:o}", "pid", (int)in->pid, "cgroup",
				      in->cgroup[0] ? in->cgroup
						    : "unavailable: needs root and cgroup v2",
				      "cgroup_id", (json_int_t)in->cgroup_id, "pus", pus));
	json_object_set_new(bj, "counters", json_array());
}

static void print_summary(json_t *doc)
{
	size_t i;
	json_t *s;

	if (json_array_size(json_object_get(doc, "summary")))
		printf("%-10s %-16s %14s %-6s %-8s %s\n", "backend", "workload", "median", "unit",
		       "CI", "slowdown vs its baseline [95% CI; a range under 5 rounds]");
	json_array_foreach(json_object_get(doc, "summary"), i, s) {
		json_t *sd = json_object_get(s, "slowdown");
		char ci[32];

		/* names, units and reasons may come from a guest or a resumed file */
		printf("%-10s %-16s %14.4g %-6s %-8s", VB_TERM(vb_json_str(s, "backend", "")),
		       VB_TERM(vb_json_str(s, "bench", "")), vb_json_num(s, "median", 0),
		       VB_TERM(vb_json_str(s, "unit", "")),
		       vb_prec_cell(doc, vb_json_str(s, "backend", ""), vb_json_str(s, "bench", ""),
				    ci, sizeof(ci)));
		if (json_is_object(sd))
			printf(" %.3fx [%.3f, %.3f]%s vs %s", vb_json_num(sd, "median", 0),
			       json_number_value(json_array_get(json_object_get(sd, "ci95"), 0)),
			       json_number_value(json_array_get(json_object_get(sd, "ci95"), 1)),
			       strcmp(vb_json_str(sd, "interval", ""), "range") ? "" : " range",
			       VB_TERM(vb_json_str(s, "baseline", "?")));
		putchar('\n');
	}
	/* what could not be measured, once per (backend, workload) */
	json_t *seen = json_object(), *m;
	json_array_foreach(json_object_get(doc, "measurements"), i, m) {
		const char *st = vb_json_str(m, "status", "");
		char key[256];

		if (strcmp(st, "ok") == 0)
			continue;
		snprintf(key, sizeof(key), "%s %s", vb_json_str(m, "backend", ""),
			 vb_json_str(m, "bench", ""));
		if (json_object_get(seen, key))
			continue;
		json_object_set_new(seen, key, json_true());
		printf("%-10s %-16s %s: %s\n", VB_TERM(vb_json_str(m, "backend", "")),
		       VB_TERM(vb_json_str(m, "bench", "")), VB_TERM(st),
		       VB_TERM(vb_json_str(m, "reason", "")));
	}
	json_decref(seen);
	if (json_array_size(json_object_get(doc, "workloads")))
		vb_prec_print(stdout, doc);
	vb_life_print(stdout, doc);
}

struct run;
static int apply_params(struct run *r, char *err, size_t n);
static void free_params(struct run *r);

struct run {
	struct vb_run_opts o;
	struct vb_run_ctx ctx;
	char agent[PATH_MAX], floor_hello[PATH_MAX], workdir[PATH_MAX], cgparent[PATH_MAX];
	char scratch[PATH_MAX];     /* the measured instances' one I/O scratch image */
	char out[PATH_MAX];
	struct vb_pick be[32];
	struct vb_pick lab_be[VB_LAB_MAX_BACKENDS]; /* what runs in the emulated lab */
	size_t nlab;
	char lab_why[600], lab_benches[4096];
	const struct vb_workload *wl[256];
	json_t *params[256];        /* per selected workload: --param overrides */
	int nbe, nwl;
	unsigned exps;              /* the experiments selected (life/life.h) */
	struct vb_setting sets[32]; /* --set, checked */
	/* per pick (be[]): its context, --set as recorded, its {bench: {param: value}} */
	struct vb_run_ctx pick_ctx[32];
	json_t *pick_settings[32], *pick_params[32];
	json_t *inst_params[32];    /* per started instance: its pick's params */
	struct vb_instance inst[32];
	json_t *inst_json[32];
	size_t ninst;
	json_t *doc;
	struct vb_probes *probes;
	struct vb_probe_watch *watch[32]; /* per instance */
	struct vb_owner owner;      /* this run, as its debris records it */
	struct vb_resume rs;        /* --resume: the file's run */
};

/*
 * Block I/O and QEMU's device model are counted where the workload does
 * I/O, and in the empty floor window (wl NULL) those windows are read
 * with; VM exits where the instance is a KVM guest.
 */
static void probes_begin(void *arg, struct vb_instance *in, const struct vb_workload *wl)
{
	struct run *r = arg;
	unsigned flags = !wl || (wl->needs & VB_NEED_SCRATCH) ? VB_WINDOW_DEVICES : 0;

	if (in->be->traits.accel == VB_ACCEL_KVM)
		flags |= VB_WINDOW_KVM;
	vb_probes_window_begin(r->probes, r->watch[in - r->inst], flags);
}

static void probes_end(void *arg, struct vb_instance *in, json_t *counters)
{
	struct run *r = arg;

	vb_probes_window_end(r->probes, r->watch[in - r->inst], counters);
}

/* What the probes count of each started instance: its cgroup, host pid and CPUs. */
static void watch_all(struct run *r)
{
	for (size_t i = 0; i < r->ninst; i++) {
		struct vb_probe_target t = { r->inst[i].cgroup_id, r->inst[i].pid, r->ctx.pus,
					     r->ctx.npus };

		r->watch[i] = vb_probes_watch(r->probes, &t);
	}
	json_object_set_new(json_object_get(r->doc, "meta"), "probes", vb_probes_status(r->probes));
}

/*
 * Remove what dead runs left (debris.h) before making this run's own: as
 * root, who makes them, the groups of every hierarchy vbench makes groups
 * in and the containers of the OCI runtimes; the work directories in this
 * run's workdir base.
 */
static void sweep_debris(const struct run *r)
{
	static const char *const runtimes[VB_DEBRIS_MAX_RUNTIMES] = { "crun", "runc" };
	static struct vb_sweep sw;

	memset(&sw, 0, sizeof(sw));
	sw.workdir_base = r->o.workdir_base;
	if (geteuid() == 0) {
		sw.ncg = vb_cgroup_roots(sw.cgroup_roots, VB_DEBRIS_MAX_ROOTS);
		for (size_t i = 0; i < VB_DEBRIS_MAX_RUNTIMES; i++)
			sw.nrt += vb_which(runtimes[i], sw.runtimes[sw.nrt], PATH_MAX);
	}
	vb_debris_sweep(&sw, stderr);
}

/* The run's work directory, with its owner record in it. */
static int make_workdir(struct run *r, char *err, size_t n)
{
	snprintf(r->workdir, sizeof(r->workdir), "%s/vbench-XXXXXX", r->o.workdir_base);
	if (!mkdtemp(r->workdir)) {
		snprintf(err, n, "create a work directory in %s: %s", r->o.workdir_base,
			 strerror(errno));
		r->workdir[0] = '\0';
		return -1;
	}
	return vb_owner_write(r->workdir, &r->owner, err, n);
}

static int prepare(struct run *r, char *err, size_t n)
{
	char why[512];

	if (vb_agent_path(r->agent, sizeof(r->agent), err, n) ||
	    vb_owner_of(getpid(), &r->owner, err, n) || make_workdir(r, err, n))
		return -1;
	snprintf(r->scratch, sizeof(r->scratch), "%.4000s/scratch.img", r->workdir);
	if (vb_env_scratch_image(r->scratch, r->o.scratch_mib, err, n))
		return -1;
	/* only life.start's floors need it: without it they say why */
	if (r->exps && vb_floor_hello_path(r->agent, r->floor_hello, sizeof(r->floor_hello), why,
					   sizeof(why)))
		fprintf(stderr, "vbench: %s\n", why);
	const char *root = vb_cgroup2_root();
	if (root && geteuid() == 0) {
		char name[64];

		vb_owner_cgroup_name(&r->owner, name, sizeof(name));
		if (vb_cgroup_create(root, name, r->cgparent, sizeof(r->cgparent), err, n))
			fprintf(stderr, "vbench: running without cgroups: %s\n", err);
	}
	r->ctx = (struct vb_run_ctx){
		.agent_path = r->agent,
		.floor_hello = r->floor_hello[0] ? r->floor_hello : NULL,
		.workdir = r->workdir,
		.cache_dir = r->o.cache, /* resolved where an image is needed */
		.cgroup_parent = r->cgparent,
		.memory_mb = r->o.memory_mb,
		.scratch_mib = r->o.scratch_mib,
		.scratch = r->scratch,
		.container_runtime = r->o.container_runtime,
		.kernel = r->o.kernel,
		.modules = r->o.modules,
		.hello_timeout_ms = r->o.hello_timeout_s * 1000,
		.verbose = r->o.verbose,
	};
	r->ctx.npus = vb_pin_choose(r->o.cpus, r->ctx.pus, VB_MAX_PUS, err, n);
	return r->ctx.npus < 0 ? -1 : 0;
}

/*
 * Take the KVM guests out of the host's list into the emulated lab's:
 * always under --lab emulated; under --lab auto where the host's KVM
 * cannot run guests. A tagged instance (type1@x) stays: the lab runs
 * each backend once.
 */
static void route_to_lab(struct run *r)
{
	struct vb_kvm_host k;
	int keep = 0;

	if (r->o.lab == VB_LAB_NONE)
		return;
	vb_kvm_host_probe(NULL, &k);
	if (r->o.lab == VB_LAB_AUTO && k.runs_guests)
		return;
	if (r->o.lab == VB_LAB_EMULATED)
		snprintf(r->lab_why, sizeof(r->lab_why), "asked for (--lab emulated)");
	else
		snprintf(r->lab_why, sizeof(r->lab_why), "this host's KVM cannot run guests: %s",
			 k.why);
	for (int i = 0; i < r->nbe; i++) {
		const struct vb_pick *pk = &r->be[i];

		if (pk->be->traits.accel == VB_ACCEL_KVM && !strchr(pk->name, '@') &&
		    r->nlab < VB_LAB_MAX_BACKENDS)
			r->lab_be[r->nlab++] = *pk;
		else
			r->be[keep++] = *pk;
	}
	r->nbe = keep;
	for (int i = 0; i < r->nwl; i++)
		snprintf(r->lab_benches + strlen(r->lab_benches),
			 sizeof(r->lab_benches) - strlen(r->lab_benches), "%s%s", i ? "," : "",
			 r->wl[i]->name);
	for (size_t i = 0; i < vb_nexperiments; i++)
		if (r->exps >> i & 1)
			snprintf(r->lab_benches + strlen(r->lab_benches),
				 sizeof(r->lab_benches) - strlen(r->lab_benches), "%s%s",
				 r->lab_benches[0] ? "," : "", vb_experiments[i]->name);
}

/* The plan names the lab's backends among the selected ones, and the --lab mode. */
static void plan_lab(struct run *r)
{
	json_t *plan = json_object_get(json_object_get(r->doc, "meta"), "plan");

	json_object_set_new(plan, "lab", json_string(vb_lab_mode_name(r->o.lab)));
	for (size_t i = 0; i < r->nlab; i++)
		json_array_append_new(json_object_get(plan, "backends"),
				      json_string(r->lab_be[i].name));
}

/* The lab's backends, measured in L1 and merged into the document, or failed with why. */
static void run_lab(struct run *r)
{
	struct vb_lab lab = { &r->o, &r->ctx, { NULL }, r->nlab, r->lab_benches, r->lab_why,
			      &stop_flag };
	char err[2048], names[256] = "";

	for (size_t i = 0; i < r->nlab; i++) {
		lab.names[i] = r->lab_be[i].name;
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 i ? ", " : "", r->lab_be[i].name);
	}
	fprintf(stderr, "vbench: %s in the emulated lab: %s (--lab none to refuse)\n", names,
		r->lab_why);
	if (vb_lab_run(&lab, r->doc, err, sizeof(err)) == 0)
		return;
	fprintf(stderr, "vbench: the emulated lab failed: %s\n", err);
	for (size_t i = 0; i < r->nlab; i++) {
		char why[2200];

		snprintf(why, sizeof(why), "emulated lab: %s", err);
		vb_results_add_backend(r->doc, &r->lab_be[i], "failed", why);
	}
}

/* The lifecycle and isolation experiments on this host's instances, the host quiet. */
static void run_experiments(struct run *r)
{
	struct vb_life_opts lo = {
		.reps = r->o.life_reps, .budget_bytes = r->o.budget_bytes,
		.budget_desc = r->o.budget_desc, .density_max = r->o.density_max,
		.samples = r->o.samples, .min_sample_ms = r->o.min_sample_ms,
		.timeout_ms = r->o.timeout_s * 1000,
	};
	struct vb_life L = { &lo, r->doc, r->out, &stop_flag, r->o.seed };

	vb_life_run(&L, r->exps, r->be, r->pick_ctx, r->nbe);
}

/* Pick i's entry in the results, with its own settings. */
static json_t *add_backend(struct run *r, int i, const char *status, const char *why)
{
	json_t *bj = vb_results_add_backend(r->doc, &r->be[i], status, why);

	json_object_set(bj, "settings", r->pick_settings[i]);
	return bj;
}

static void start_all(struct run *r)
{
	for (int i = 0; i < r->nbe && !stop_flag; i++) {
		const struct vb_pick *pk = &r->be[i];
		const struct vb_run_ctx *ctx = &r->pick_ctx[i];
		char why[2048];
		json_t *bj;

		if (!pk->be->available(pk->be, ctx, why, sizeof(why))) {
			fprintf(stderr, "vbench: %s unavailable: %s\n", pk->name, why);
			add_backend(r, i, "unavailable", why);
			continue;
		}
		fprintf(stderr, "vbench: starting %s\n", pk->name);
		struct vb_instance *in = &r->inst[r->ninst];
		int started = vb_instance_start(in, pk->be, pk->name, ctx, why, sizeof(why));
		if (started) {
			/* 1: a signal cut the wait for hello, the run is stopping: no failure */
			fprintf(stderr, "vbench: %s %s: %s\n", pk->name,
				started > 0 ? "not started" : "failed to start", VB_TERM(why));
			add_backend(r, i, started > 0 ? "interrupted" : "failed", why);
			vb_instance_stop(in);
			continue;
		}
		bj = add_backend(r, i, "ok", NULL);
		describe_instance(bj, in, ctx);
		r->inst_params[r->ninst] = r->pick_params[i];
		r->inst_json[r->ninst++] = bj;
	}
}

static void stop_instances(struct run *r)
{
	for (size_t i = 0; i < r->ninst; i++) {
		struct vb_instance *in = &r->inst[i];

		if (in->be && in->be->collect && !in->dead)
			in->be->collect(in, json_object_get(r->inst_json[i], "counters"));
		vb_instance_stop(in);
	}
	r->ninst = 0;
}

static void stop_all(struct run *r)
{
	stop_instances(r);
	if (r->cgparent[0])
		vb_cgroup_destroy(r->cgparent);
	if (r->workdir[0])
		vb_rmtree(r->workdir);
}

static int apply_params(struct run *r, char *err, size_t n)
{
	for (int i = 0; i < r->nwl; i++)
		r->params[i] = json_object();
	for (int k = 0; k < r->o.nparams; k++) {
		const struct vb_workload *wl;
		long long v;
		int idx, i;

		if (vb_select_param(r->o.params[k], &wl, &idx, &v, err, n))
			return -1;
		for (i = 0; i < r->nwl && r->wl[i] != wl; i++)
			;
		if (i == r->nwl) {
			snprintf(err, n, "--param '%s': %s is not among the selected workloads",
				 r->o.params[k], wl->name);
			return -1;
		}
		json_object_set_new(r->params[i], wl->params[idx].name, json_integer(v));
	}
	return 0;
}

static void free_params(struct run *r)
{
	for (int i = 0; i < r->nwl; i++)
		json_decref(r->params[i]);
	for (int i = 0; i < r->nbe; i++) {
		json_decref(r->pick_settings[i]);
		json_decref(r->pick_params[i]);
	}
}

static int selected_bench(const struct run *r, const struct vb_workload *wl)
{
	for (int i = 0; i < r->nwl; i++)
		if (r->wl[i] == wl)
			return 1;
	return 0;
}

/* Check each --set against the selected instances and workloads. 0, or -1 with err. */
static int check_settings(struct run *r, char *err, size_t n)
{
	for (int k = 0; k < r->o.nsets; k++) {
		struct vb_setting *st = &r->sets[k];

		if (vb_select_setting(r->o.sets[k], r->be, (size_t)r->nbe, st, err, n))
			return -1;
		if (st->key == VB_SET_PARAM && !selected_bench(r, st->wl)) {
			snprintf(err, n, "--set '%s': %s is not among the selected workloads",
				 r->o.sets[k], st->wl->name);
			return -1;
		}
	}
	return 0;
}

static int pick_index(const struct run *r, const char *name)
{
	for (int i = 0; i < r->nbe; i++)
		if (!strcmp(r->be[i].name, name))
			return i;
	return -1;
}

/* After route_to_lab: the lab runs each backend as the run's options say, no --set. */
static int settings_stay_here(const struct run *r, char *err, size_t n)
{
	for (int k = 0; k < r->o.nsets; k++)
		if (pick_index(r, r->sets[k].instance) < 0) {
			snprintf(err, n, "--set '%s': %s runs in the emulated lab, which takes no "
				 "per-instance settings (--lab none, or a tagged instance such as "
				 "%s@b, runs it here)", r->o.sets[k], r->sets[k].instance,
				 r->sets[k].instance);
			return -1;
		}
	return 0;
}

/* One checked setting into its pick's context, its record and its parameters. */
static void apply_setting(struct run *r, const struct vb_setting *st)
{
	int i = pick_index(r, st->instance);
	struct vb_run_ctx *c = &r->pick_ctx[i];
	json_t *rec = json_string(st->value);

	switch (st->key) {
	case VB_SET_QEMU: c->qemu = st->value; break;
	case VB_SET_KERNEL: c->kernel = st->value; break;
	case VB_SET_MODULES: c->modules = st->value; break;
	case VB_SET_CPU: c->cpu_model = st->value; break;
	case VB_SET_QEMU_ARGS: c->qemu_args = st->value; break;
	case VB_SET_RUNTIME: c->container_runtime = st->value; break;
	case VB_SET_MEMORY:
		c->memory_mb = st->num;
		json_decref(rec);
		rec = json_integer(st->num);
		break;
	case VB_SET_PARAM: {
		json_t *wp = json_object_get(r->pick_params[i], st->wl->name);

		if (!wp)
			json_object_set_new(r->pick_params[i], st->wl->name, wp = json_object());
		json_object_set_new(wp, st->wl->params[st->param].name, json_integer(st->num));
		json_decref(rec);
		rec = json_integer(st->num);
		break;
	}
	}
	json_object_set_new(r->pick_settings[i], st->key_name, rec);
}

/* Each pick's context: the run's, with its --set on top (after prepare). */
static void apply_settings(struct run *r)
{
	for (int i = 0; i < r->nbe; i++) {
		r->pick_ctx[i] = r->ctx;
		r->pick_settings[i] = json_object();
		r->pick_params[i] = json_object();
	}
	for (int k = 0; k < r->o.nsets; k++)
		apply_setting(r, &r->sets[k]);
}

/* --resume: the file's run, with its plan as the options. 0, or -1 with err. */
static int take_resume(struct run *r, char *err, size_t n)
{
	struct vb_run_opts user = r->o;

	if (vb_resume_load(&r->rs, user.resume, err, n) ||
	    vb_resume_options(&r->rs, &user, &r->o, err, n))
		return -1;
	fprintf(stderr, "vbench: resuming %s: %zu measurements kept, %zu of them not to run "
		"again (seed %llu)\n", user.resume, r->rs.kept, json_object_size(r->rs.done),
		(unsigned long long)r->o.seed);
	return 0;
}

/* The result document: a new one, or --resume's file, which keeps its plan and workloads. */
static void open_doc(struct run *r, int argc, char **argv)
{
	if (r->o.resume) {
		r->doc = json_incref(r->rs.doc);
		return;
	}
	r->doc = vb_results_new(argc, argv, vb_host_json(),
				plan_json(&r->o, &r->ctx, r->be, r->nbe, r->wl, r->nwl,
					  r->exps));
	json_object_set_new(json_object_get(r->doc, "meta"), "owner", vb_owner_json(&r->owner));
	plan_lab(r);
	for (int i = 0; i < r->nwl; i++)
		vb_results_add_workload(r->doc, workload_json(r->wl[i], r->params[i]));
}

int vb_cmd_run(int argc, char **argv)
{
	static struct run r;
	char err[2048];
	int rc;

	memset(&r, 0, sizeof(r));
	rc = vb_run_parse(argc, argv, &r.o, err, sizeof(err));
	if (rc) {
		if (rc == 2)
			fprintf(stderr, "vbench run: %s\n", err);
		return rc == 1 ? 0 : 2;
	}
	if (r.o.resume && take_resume(&r, err, sizeof(err))) {
		fprintf(stderr, "vbench run: %s\n", err);
		vb_resume_free(&r.rs);
		return 2;
	}
	r.nbe = vb_select_backends(r.o.all ? "all" : r.o.backends ? r.o.backends : "bare",
				   r.be, sizeof(r.be) / sizeof(r.be[0]), err, sizeof(err));
	if (r.nbe < 0) {
		fprintf(stderr, "vbench run: %s\n", err);
		return 2;
	}
	r.nwl = vb_select_benches(r.o.all ? "*" : r.o.benches, r.wl, 256, &r.exps, err,
				  sizeof(err));
	if (r.nwl < 0) {
		fprintf(stderr, "vbench run: %s\n", err);
		return 2;
	}
	if (check_settings(&r, err, sizeof(err))) {
		fprintf(stderr, "vbench run: %s\n", err);
		return 2;
	}
	route_to_lab(&r);
	if (settings_stay_here(&r, err, sizeof(err))) {
		fprintf(stderr, "vbench run: %s\n", err);
		return 2;
	}
	if (r.o.resume && vb_resume_check(&r.rs, r.be, r.nbe, r.lab_be, r.nlab, r.wl, r.nwl, err,
					  sizeof(err))) {
		fprintf(stderr, "vbench run: %s\n", err);
		return 2;
	}
	if (apply_params(&r, err, sizeof(err))) {
		fprintf(stderr, "vbench run: %s\n", err);
		free_params(&r);
		return 2;
	}
	if (r.o.out || r.o.resume) {
		snprintf(r.out, sizeof(r.out), "%s", r.o.out ? r.o.out : r.o.resume);
	} else {
		time_t t = time(NULL);
		struct tm tm;

		localtime_r(&t, &tm);
		strftime(r.out, sizeof(r.out), "vbench-results-%Y%m%d-%H%M%S.json", &tm);
	}
	if (!r.o.no_probes && !r.o.no_count &&
	    !(r.probes = vb_probes_open(r.o.probes, err, sizeof(err)))) {
		fprintf(stderr, "vbench run: --probes: %s\n", err);
		return 2;
	}
	catch_signals();
	sweep_debris(&r);
	if (prepare(&r, err, sizeof(err))) {
		fprintf(stderr, "vbench run: %s\n", err);
		stop_all(&r);
		vb_probes_close(r.probes);
		return 1;
	}
	apply_settings(&r);
	open_doc(&r, argc, argv);
	/* find an unwritable output now, not after an hour of measuring */
	if (vb_results_write(r.doc, r.out, err, sizeof(err))) {
		fprintf(stderr, "vbench run: %s\n", err);
		stop_all(&r);
		vb_probes_close(r.probes);
		json_decref(r.doc);
		return 1;
	}
	if (r.o.resume)
		vb_resume_begin(&r.rs, vb_owner_json(&r.owner));
	start_all(&r);
	if (r.o.resume && !vb_resume_same_started(&r.rs, r.inst, r.ninst, err, sizeof(err)))
		fprintf(stderr, "vbench: resume: other environments than the run before (%s): "
			"the rest runs in another order than the original's\n", err);
	if (r.probes)
		watch_all(&r);
	struct vb_observer obs = { probes_begin, probes_end, &r };

	struct vb_sched s = {
		.inst = r.inst, .inst_json = r.inst_json, .ninst = r.ninst,
		.wl = r.wl, .params = r.params, .inst_params = r.inst_params,
		.nwl = (size_t)r.nwl,
		.rounds = r.o.rounds, .samples = r.o.samples, .warmup = r.o.warmup,
		.min_sample_ms = r.o.min_sample_ms, .timeout_ms = r.o.timeout_s * 1000,
		.precision = r.o.precision, .time_budget_s = r.o.time_budget_s,
		.max_rounds = r.o.max_rounds,
		.count = !r.o.no_count,
		.seed = r.o.seed, .doc = r.doc, .out = r.out, .stop = &stop_flag,
		.obs = r.probes ? &obs : NULL,
		.done = r.o.resume ? vb_resume_done : NULL, .done_arg = &r.rs,
	};
	rc = stop_flag ? 1 : vb_sched_run(&s, err, sizeof(err));
	vb_probes_close(r.probes);
	/* the host's environments are gone before the lab's L1 takes the CPUs */
	stop_instances(&r);
	if (r.exps && rc == 0 && !stop_flag)
		run_experiments(&r);
	if (r.nlab && rc == 0 && !stop_flag)
		run_lab(&r);
	stop_all(&r);
	/* the raw measurements are what counts: written even without a summary */
	if (vb_results_finish(r.doc, rc == 0, stop_flag != 0))
		fprintf(stderr, "vbench run: out of memory for the summary; the file keeps "
			"every measurement and report and compare summarize them\n");
	if (rc < 0 || vb_results_write(r.doc, r.out, err, sizeof(err))) {
		fprintf(stderr, "vbench run: %s\n", err);
		rc = -1;
	} else {
		print_summary(r.doc);
		fprintf(stderr, "vbench: results in %s%s\n", r.out,
			stop_flag ? " (interrupted: completed measurements kept)" : "");
	}
	/* a run that measured nothing failed, though its file says why */
	if (rc == 0 && !stop_flag && !vb_results_measured(r.doc, err, sizeof(err))) {
		fprintf(stderr, "vbench run: %s\n", err);
		rc = 1;
	}
	json_decref(r.doc);
	vb_resume_free(&r.rs);
	free_params(&r);
	if (stop_flag)
		return 130;
	return rc == 0 ? 0 : 1;
}
