/* SPDX-License-Identifier: MIT */
#include "resume.h"
#include "debris.h"
#include "results.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Append an argument to the plan's command line; -1 when it does not fit. */
static int arg(struct vb_resume *rs, const char *fmt, ...)
{
	size_t room = sizeof(rs->pool) - rs->used;
	va_list ap;
	int len;

	if (rs->argc >= VB_RESUME_MAX_ARGS - 1)
		return -1;
	va_start(ap, fmt);
	len = vsnprintf(rs->pool + rs->used, room, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= room)
		return -1;
	rs->argv[rs->argc++] = rs->pool + rs->used;
	rs->argv[rs->argc] = NULL;
	rs->used += (size_t)len + 1;
	return 0;
}

/* "--name=N" from the plan's integer member key. */
static int int_arg(struct vb_resume *rs, const json_t *plan, const char *key, const char *name,
		   char *err, size_t n)
{
	const json_t *v = json_object_get(plan, key);

	if (!json_is_integer(v)) {
		snprintf(err, n, "meta.plan.%s is missing or not an integer", key);
		return -1;
	}
	return arg(rs, "--%s=%lld", name, (long long)json_integer_value(v));
}

/* "--name=S" from a string member; a null one (the default) gives nothing. */
static int str_arg(struct vb_resume *rs, const json_t *plan, const char *key, const char *name,
		   char *err, size_t n)
{
	const json_t *v = json_object_get(plan, key);

	if (json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		snprintf(err, n, "meta.plan.%s is missing or not a string", key);
		return -1;
	}
	return arg(rs, "--%s=%s", name, json_string_value(v));
}

/* The names of array key (absent: none unless required) after list[len]; -1 with err. */
static int add_names(const json_t *plan, const char *key, int required, char *list, size_t size,
		     size_t *len, char *err, size_t n)
{
	const json_t *a = json_object_get(plan, key), *v;
	size_t i;

	if (!a && !required)
		return 0;
	if (!json_is_array(a)) {
		snprintf(err, n, "meta.plan.%s is missing or not a list", key);
		return -1;
	}
	json_array_foreach(a, i, v) {
		const char *s = json_string_value(v);
		int w;

		if (!s || !*s || strchr(s, ',')) {
			snprintf(err, n, "meta.plan.%s[%zu] is not a name", key, i);
			return -1;
		}
		w = snprintf(list + *len, size - *len, "%s%s", *len ? "," : "", s);
		if (w < 0 || (size_t)w >= size - *len) {
			snprintf(err, n, "meta.plan.%s is too long", key);
			return -1;
		}
		*len += (size_t)w;
	}
	return 0;
}

/*
 * "--name=A,B,C" from the arrays of strings key and, where the plan has
 * it, more (none holding a comma): at least one name in all.
 */
static int list_arg(struct vb_resume *rs, const json_t *plan, const char *key, const char *more,
		    const char *name, char *err, size_t n)
{
	char list[16384] = "";
	size_t len = 0;

	if (add_names(plan, key, 1, list, sizeof(list), &len, err, n) ||
	    (more && add_names(plan, more, 0, list, sizeof(list), &len, err, n)))
		return -1;
	if (!len) {
		snprintf(err, n, "meta.plan.%s is empty", key);
		return -1;
	}
	return arg(rs, "--%s=%s", name, list);
}

/* The experiments' options, where the plan has experiments (files from before have none). */
static int life_args(struct vb_resume *rs, const json_t *plan, char *err, size_t n)
{
	if (!json_array_size(json_object_get(plan, "experiments")))
		return 0;
	return int_arg(rs, plan, "life_reps", "life-reps", err, n) ||
	       int_arg(rs, plan, "budget_bytes", "budget", err, n) ||
	       int_arg(rs, plan, "density_max", "density-max", err, n) ? -1 : 0;
}

static int flag_arg(struct vb_resume *rs, const json_t *plan, const char *key, int want,
		    const char *name, char *err, size_t n)
{
	const json_t *v = json_object_get(plan, key);

	if (!json_is_boolean(v)) {
		snprintf(err, n, "meta.plan.%s is missing or not true/false", key);
		return -1;
	}
	return json_is_true(v) == want ? arg(rs, "--%s", name) : 0;
}

/* --probes=LIST, --no-probes (false) or the default set (null). */
static int probes_arg(struct vb_resume *rs, const json_t *plan, char *err, size_t n)
{
	const json_t *v = json_object_get(plan, "probes");

	if (json_is_false(v))
		return arg(rs, "--no-probes");
	return str_arg(rs, plan, "probes", "probes", err, n);
}

/* --set=INSTANCE.KEY=VALUE for each of the plan's (none in files from before --set). */
static int set_args(struct vb_resume *rs, const json_t *plan, char *err, size_t n)
{
	const json_t *v;
	size_t i;

	json_array_foreach(json_object_get(plan, "set"), i, v) {
		if (!json_is_string(v)) {
			snprintf(err, n, "meta.plan.set[%zu] is not a string", i);
			return -1;
		}
		if (arg(rs, "--set=%s", json_string_value(v))) {
			snprintf(err, n, "the plan's settings do not fit a command line");
			return -1;
		}
	}
	return 0;
}

/* The workloads' parameters where they differ from today's defaults: --param=W.P=V. */
static int param_args(struct vb_resume *rs, const json_t *doc, char *err, size_t n)
{
	const json_t *w;
	size_t i;

	json_array_foreach(json_object_get(doc, "workloads"), i, w) {
		const struct vb_workload *wl = vb_workload_find(vb_json_str(w, "name", ""));
		const char *key;
		json_t *v;

		if (!wl)
			continue; /* a workload this vbench lacks: the selection says so */
		json_object_foreach(json_object_get(w, "params"), key, v) {
			int idx = vb_param_index(wl, key);

			if (!json_is_integer(v)) {
				snprintf(err, n, "workloads[%zu].params.%s is not an integer", i,
					 key);
				return -1;
			}
			if (idx >= 0 && wl->params[idx].def == json_integer_value(v))
				continue;
			if (arg(rs, "--param=%s.%s=%lld", wl->name, key,
				(long long)json_integer_value(v))) {
				snprintf(err, n, "the plan's parameters do not fit a command line");
				return -1;
			}
		}
	}
	return 0;
}

/* The plan's members that are options with a value, as "--name=value". */
static int value_args(struct vb_resume *rs, const json_t *plan, char *err, size_t n)
{
	static const struct { const char *key, *name; } ints[] = {
		{ "rounds", "rounds" }, { "samples", "samples" }, { "warmup", "warmup" },
		{ "min_sample_ms", "min-sample-ms" }, { "seed", "seed" },
		{ "memory_mb", "memory" }, { "scratch_mib", "scratch-mib" },
		{ "timeout_s", "timeout" }, { "hello_timeout_s", "hello-timeout" },
	};
	/* null where the option was not given */
	static const struct { const char *key, *name; } strs[] = {
		{ "lab", "lab" }, { "container_runtime", "container-runtime" },
		{ "kernel", "kernel" }, { "modules", "modules" },
	};

	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		if (int_arg(rs, plan, ints[i].key, ints[i].name, err, n))
			return -1;
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		if (!json_object_get(plan, strs[i].key)) {
			snprintf(err, n, "meta.plan.%s is missing", strs[i].key);
			return -1;
		}
		if (str_arg(rs, plan, strs[i].key, strs[i].name, err, n))
			return -1;
	}
	return 0;
}

/*
 * The rounds until precise: as planned, or in files from before them
 * (no meta.plan.precision), the planned rounds only.
 */
static int precision_args(struct vb_resume *rs, const json_t *plan, char *err, size_t n)
{
	const json_t *p = json_object_get(plan, "precision");
	const json_t *budget = json_object_get(plan, "time_budget_s");

	if (!p)
		return arg(rs, "--precision=off");
	if (!json_is_number(p) || (budget && !json_is_null(budget) && !json_is_number(budget))) {
		snprintf(err, n, "meta.plan.precision or time_budget_s is not a number");
		return -1;
	}
	return arg(rs, "--precision=%.17g", json_number_value(p)) ||
	       (json_is_number(budget) && arg(rs, "--time-budget=%.17g", json_number_value(budget))) ||
	       int_arg(rs, plan, "max_rounds", "max-rounds", err, n) ? -1 : 0;
}

/* meta.plan as the command line that makes it; err says what is missing or wrong. */
static int plan_args(struct vb_resume *rs, const json_t *doc, char *err, size_t n)
{
	const json_t *plan = json_object_get(json_object_get(doc, "meta"), "plan");
	const json_t *pus = json_object_get(plan, "pus");

	rs->argc = 0;
	rs->used = 0;
	snprintf(err, n, "the plan does not fit a command line");
	if (!json_is_object(plan)) {
		snprintf(err, n, "no meta.plan");
		return -1;
	}
	if (!json_is_array(pus)) {
		snprintf(err, n, "meta.plan.pus is missing");
		return -1;
	}
	if (!json_object_get(plan, "probes")) {
		snprintf(err, n, "meta.plan.probes is missing");
		return -1;
	}
	return arg(rs, "run") || value_args(rs, plan, err, n) ||
	       precision_args(rs, plan, err, n) ||
	       arg(rs, "--cpus=%zu", json_array_size(pus)) ||
	       list_arg(rs, plan, "backends", NULL, "backend", err, n) ||
	       list_arg(rs, plan, "benches", "experiments", "bench", err, n) ||
	       life_args(rs, plan, err, n) ||
	       flag_arg(rs, plan, "quick", 1, "quick", err, n) ||
	       flag_arg(rs, plan, "count", 0, "no-count", err, n) || probes_arg(rs, plan, err, n) ||
	       param_args(rs, doc, err, n) || set_args(rs, plan, err, n) ? -1 : 0;
}

/* The skip set's key of (instance, workload, round). */
static const char *done_key(char *key, size_t n, const char *instance, const char *bench,
			    long long round)
{
	snprintf(key, n, "%s\x1f%s\x1f%lld", instance, bench, round);
	return key;
}

/* The measurements that need not run again: ok ones, and unsupported ones. */
static void index_done(struct vb_resume *rs)
{
	const json_t *m;
	char key[512];
	size_t i;

	rs->done = json_object();
	json_array_foreach(json_object_get(rs->doc, "measurements"), i, m) {
		const char *st = vb_json_str(m, "status", "");
		const json_t *round = json_object_get(m, "round");

		rs->kept++;
		if (!json_is_integer(round) || (strcmp(st, "ok") && strcmp(st, "unsupported")))
			continue;
		done_key(key, sizeof(key), vb_json_str(m, "backend", ""), vb_json_str(m, "bench", ""),
			 (long long)json_integer_value(round));
		json_object_set_new(rs->done, key, json_string(st));
	}
}

/* What forbids resuming doc, in err; 0 when nothing does. */
static int refuse(const json_t *doc, const char *path, char *err, size_t n)
{
	const json_t *meta = json_object_get(doc, "meta");
	struct vb_owner owner;

	if (json_is_true(json_object_get(doc, "complete")) &&
	    !json_is_true(json_object_get(doc, "interrupted"))) {
		snprintf(err, n, "%s is a complete run: nothing to resume", path);
		return -1;
	}
	if (vb_owner_from_json(json_object_get(meta, "owner"), &owner) == 0 &&
	    vb_owner_state(&owner) == VB_OWNER_ALIVE) {
		snprintf(err, n, "%s is being written by a running vbench (pid %d)", path,
			 owner.pid);
		return -1;
	}
	if (json_object_get(meta, "lab")) {
		snprintf(err, n, "%s: the emulated lab ran in part, and it runs as a whole; "
			 "measure its backends in a new run", path);
		return -1;
	}
	return 0;
}

int vb_resume_take(struct vb_resume *rs, json_t *doc, const char *path, char *err, size_t n)
{
	char why[1024] = "";

	memset(rs, 0, sizeof(*rs));
	rs->doc = doc;
	rs->path = path;
	if (refuse(doc, path, err, n))
		return -1;
	if (plan_args(rs, doc, why, sizeof(why))) {
		snprintf(err, n, "%s: %s: cannot resume it (written by an older vbench?)", path,
			 why);
		return -1;
	}
	index_done(rs);
	return 0;
}

int vb_resume_load(struct vb_resume *rs, const char *path, char *err, size_t n)
{
	json_t *doc = vb_results_load(path, err, n);

	if (!doc) {
		memset(rs, 0, sizeof(*rs));
		return -1;
	}
	return vb_resume_take(rs, doc, path, err, n);
}

int vb_resume_options(const struct vb_resume *rs, const struct vb_run_opts *user,
		      struct vb_run_opts *o, char *err, size_t n)
{
	char why[1024];
	int rc = vb_run_parse(rs->argc, (char **)rs->argv, o, why, sizeof(why));

	if (rc) {
		snprintf(err, n, "%s: its plan does not parse: %s", rs->path,
			 rc == 2 ? why : "asks for help");
		return 2;
	}
	o->out = user->out;
	o->verbose = user->verbose;
	o->workdir_base = user->workdir_base;
	o->cache = user->cache;
	o->resume = user->resume;
	return 0;
}

/* 1 when list holds exactly names, in order. */
static int same_names(const json_t *list, const char *const *names, size_t count)
{
	if (json_array_size(list) != count)
		return 0;
	for (size_t i = 0; i < count; i++) {
		const char *s = json_string_value(json_array_get(list, i));

		if (!s || strcmp(s, names[i]))
			return 0;
	}
	return 1;
}

int vb_resume_check(const struct vb_resume *rs, const struct vb_pick *be, int nbe,
		    const struct vb_pick *lab_be, size_t nlab, const struct vb_workload *const *wl,
		    int nwl, char *err, size_t n)
{
	const json_t *plan = json_object_get(json_object_get(rs->doc, "meta"), "plan");
	const json_t *bes = json_object_get(plan, "backends"), *wls = json_object_get(plan, "benches");
	const char *names[256];
	size_t k = 0;

	for (int i = 0; i < nbe && k < 256; i++)
		names[k++] = be[i].name;
	for (size_t i = 0; i < nlab && k < 256; i++)
		names[k++] = lab_be[i].name;
	if (!same_names(bes, names, k)) {
		snprintf(err, n, "%s: its backends are not what this host selects from them "
			 "(the emulated lab decided otherwise?)", rs->path);
		return -1;
	}
	for (k = 0; k < (size_t)nwl && k < 256; k++)
		names[k] = wl[k]->name;
	if (k != (size_t)nwl || !same_names(wls, names, k)) {
		snprintf(err, n, "%s: its workloads are not what this vbench selects from them",
			 rs->path);
		return -1;
	}
	return 0;
}

/* names, comma-separated, at buf + len; the new length. */
static size_t append_name(char *buf, size_t n, size_t len, const char *name)
{
	int w = snprintf(buf + len, n - len, "%s%s", len ? "," : "", name);

	return w < 0 || (size_t)w >= n - len ? n - 1 : len + (size_t)w;
}

int vb_resume_same_started(const struct vb_resume *rs, const struct vb_instance *inst,
			   size_t n, char *why, size_t whylen)
{
	const json_t *meta = json_object_get(rs->doc, "meta");
	const json_t *list = json_object_get(meta, "resumed");
	const json_t *prev = json_object_get(json_array_get(list, json_array_size(list) - 1),
					     "backends"), *b;
	char was[1024] = "", now[1024] = "";
	size_t i, lw = 0, ln = 0;

	/* an instance that started has its start time, whether it died later or not */
	json_array_foreach(prev, i, b)
		if (json_object_get(b, "start_ms"))
			lw = append_name(was, sizeof(was), lw, vb_json_str(b, "name", "?"));
	for (i = 0; i < n; i++)
		ln = append_name(now, sizeof(now), ln, inst[i].name);
	snprintf(why, whylen, "started %s, the run before %s", ln ? now : "none",
		 lw ? was : "none");
	return strcmp(was, now) == 0;
}

enum vb_done vb_resume_done(void *arg, const char *instance, const char *bench, unsigned round)
{
	struct vb_resume *rs = arg;
	char key[512];
	const char *st = json_string_value(
		json_object_get(rs->done, done_key(key, sizeof(key), instance, bench, round)));

	if (!st)
		return VB_NOT_DONE;
	return strcmp(st, "ok") ? VB_DONE_UNSUPPORTED : VB_DONE;
}

void vb_resume_begin(struct vb_resume *rs, json_t *owner)
{
	json_t *meta = json_object_get(rs->doc, "meta"), *list = json_object_get(meta, "resumed");
	json_t *prev = json_object_get(meta, "owner");
	json_t *rec = json_pack("{s:o, s:s, s:I, s:I, s:O, s:O}", "at", vb_results_now(), "file",
				rs->path, "kept", (json_int_t)rs->kept, "done",
				(json_int_t)json_object_size(rs->done), "owner",
				prev ? prev : json_null(), "backends",
				json_object_get(rs->doc, "backends"));

	if (!json_is_array(list)) {
		list = json_array();
		json_object_set_new(meta, "resumed", list);
	}
	json_array_append_new(list, rec);
	json_object_set_new(meta, "owner", owner);
	json_object_set_new(rs->doc, "backends", json_array());
}

void vb_resume_free(struct vb_resume *rs)
{
	json_decref(rs->done);
	json_decref(rs->doc);
	rs->done = rs->doc = NULL;
}
