/* SPDX-License-Identifier: MIT */
#include "envdiff.h"
#include "../common/textsafe.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Bytes of a rendered value kept: a usual kernel command line fits, a hostile blob does not. */
#define VALUE_MAX 1024

static const char not_recorded[] = "not recorded";

/* The plan's fields in order of importance; others follow in file order. */
static const char *const plan_keys[] = {
	"rounds", "samples", "warmup", "min_sample_ms", "count", "quick", "backends",
	"benches", "pus", "memory_mb", "scratch_mib", "lab", "kernel", "modules",
	"container_runtime", "probes", "timeout_s", "hello_timeout_s",
};

struct field {
	const char *what;
	const char *path;       /* dotted, under meta */
};

/* The host before the mitigations, then after them. */
static const struct field host_first[] = {
	{ "host", "host.hostname" },
	{ "machine id", "host.machine_id" },
	{ "host kernel", "host.kernel" },
	{ "host kernel command line", "host.kernel_cmdline" },
	{ "CPU model", "host.cpu_model" },
	{ "CPU microcode", "host.microcode" },
};
static const struct field host_then[] = {
	{ "cpufreq governor", "host.cpufreq_governor" },
	{ "SMT control", "host.smt_control" },
	{ "SMT active", "host.smt_active" },
	{ "CPUs", "host.cpus" },
	{ "memory bytes", "host.mem_bytes" },
	{ "host VM", "host.virt.vm" },
	{ "host container", "host.virt.container" },
	{ "host KVM", "host.kvm.impl" },
	{ "host KVM nested", "host.kvm.nested" },
	{ "host KVM runs guests", "host.kvm.runs_guests" },
	{ "lab L1 kernel", "lab.host.kernel" },
	{ "lab L1 qemu", "lab.l1.info.qemu_version" },
};
static const struct field vbench_fields[] = {
	{ "vbench version", "vbench_version" },
	{ "source tree", "source_tree" },
	{ "git revision", "git_rev" },      /* what vbench 0.1.0 recorded instead */
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* meta's member at a dotted path, or NULL. */
static json_t *at(json_t *o, const char *path)
{
	char key[64];

	while (o && *path) {
		size_t len = strcspn(path, ".");

		snprintf(key, sizeof(key), "%.*s", (int)len, path);
		o = json_object_get(o, key);
		path += len + (path[len] == '.');
	}
	return o;
}

/* A bounded string being built: what does not fit is cut and marked "...". */
struct text {
	char s[VALUE_MAX + 4];
	size_t len;
};

static void put(struct text *t, const char *s)
{
	size_t room = VALUE_MAX - t->len, len = strlen(s);

	if (t->len > VALUE_MAX)
		return;
	memcpy(t->s + t->len, s, len < room ? len : room);
	t->len += len < room ? len : room;
	if (len > room) {
		memcpy(t->s + VALUE_MAX, "...", 3);
		t->len = VALUE_MAX + 3;
	}
	t->s[t->len] = '\0';
}

/*
 * 1 when v is an array of strings only (a command line, a list of names)
 * or an object of them (mitigations, probes).
 */
static int strings_only(const json_t *v)
{
	const char *k;
	size_t i;
	json_t *e;

	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			if (!json_is_string(e))
				return 0;
		return 1;
	}
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, e)
			if (!json_is_string(e))
				return 0;
		return 1;
	}
	return 0;
}

/*
 * v as one line: a string as it is, a list of strings space-separated,
 * an object of them "name: text; ...", anything else as JSON.
 */
static char *render(const json_t *v)
{
	struct text t = { .len = 0 };
	const char *k;
	size_t i;
	json_t *e;

	t.s[0] = '\0';
	if (!v) {
		put(&t, not_recorded);
	} else if (json_is_string(v)) {
		put(&t, json_string_value(v));
	} else if (strings_only(v) && json_is_array(v)) {
		json_array_foreach(v, i, e) {
			put(&t, i ? " " : "");
			put(&t, json_string_value(e));
		}
	} else if (strings_only(v)) {
		i = 0;
		json_object_foreach((json_t *)v, k, e) {
			put(&t, i++ ? "; " : "");
			put(&t, k);
			put(&t, ": ");
			put(&t, json_string_value(e));
		}
	} else {
		char *js = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

		if (!js)
			return NULL;
		put(&t, js);
		free(js);
	}
	return strdup(t.s);
}

static int same(const json_t *a, const json_t *b)
{
	return (!a && !b) || (a && b && json_equal(a, b));
}

/* Record what: a -> b unless they are the same; takes what (malloc'd). */
static int add(struct rp_envdiffs *d, char *what, const json_t *a, const json_t *b)
{
	struct rp_envdiff e = { what, NULL, NULL };

	if (!what)
		return -1;
	if (same(a, b)) {
		free(what);
		return 0;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 16;
		struct rp_envdiff *nd = realloc(d->d, cap * sizeof(*nd));

		if (!nd)
			goto oom;
		d->d = nd;
		d->cap = cap;
	}
	e.base = render(a);
	e.cur = render(b);
	if (!e.base || !e.cur)
		goto oom;
	d->d[d->n++] = e;
	return 0;
oom:
	free(e.what);
	free(e.base);
	free(e.cur);
	return -1;
}

__attribute__((format(printf, 1, 2))) static char *label(const char *fmt, ...)
{
	char *s;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&s, fmt, ap);
	va_end(ap);
	return rc < 0 ? NULL : s;
}

static int diff_fields(struct rp_envdiffs *d, json_t *ma, json_t *mb, const struct field *f,
		       size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (add(d, strdup(f[i].what), at(ma, f[i].path), at(mb, f[i].path)))
			return -1;
	return 0;
}

/*
 * Two name -> value objects, one line per name that differs ("CPU
 * mitigation spectre_v2: ..."), in a's order then b's; where either is not
 * an object (not recorded, or "unavailable: ..."), one line for the whole.
 */
static int diff_map(struct rp_envdiffs *d, const char *one, const char *all, json_t *a,
		    json_t *b)
{
	const char *k;
	json_t *v;

	if (!json_is_object(a) || !json_is_object(b))
		return add(d, strdup(all), a, b);
	json_object_foreach(a, k, v)
		if (add(d, label("%s %s", one, k), v, json_object_get(b, k)))
			return -1;
	json_object_foreach(b, k, v)
		if (!json_object_get(a, k) && add(d, label("%s %s", one, k), NULL, v))
			return -1;
	return 0;
}

/* meta.probes as name -> "status" or "status: reason"; entries of another shape are left out. */
static json_t *probe_map(const json_t *probes)
{
	json_t *m = json_object(), *e;
	size_t i;

	json_array_foreach(probes, i, e) {
		const char *name = json_string_value(json_object_get(e, "probe"));
		const char *st = json_string_value(json_object_get(e, "status"));
		const char *why = json_string_value(json_object_get(e, "reason"));
		char *s;

		if (!m || !name || !st || json_object_get(m, name))
			continue;
		s = why ? label("%s: %s", st, why) : strdup(st);
		if (!s || json_object_set_new(m, name, json_string(s))) {
			free(s);
			json_decref(m);
			return NULL;
		}
		free(s);
	}
	return m;
}

/* Per probe where both runs list probes; else the whole list, or what stands in its place. */
static int diff_probes(struct rp_envdiffs *d, json_t *a, json_t *b)
{
	json_t *ma = json_is_array(a) ? probe_map(a) : json_incref(a);
	json_t *mb = json_is_array(b) ? probe_map(b) : json_incref(b);
	int rc = -1;

	if ((!a || ma) && (!b || mb))
		rc = diff_map(d, "probe", "probes", ma, mb);
	json_decref(ma);
	json_decref(mb);
	return rc;
}

static int known_plan_key(const char *k)
{
	for (size_t i = 0; i < COUNT(plan_keys); i++)
		if (!strcmp(k, plan_keys[i]))
			return 1;
	/* each run draws its own seed: a different one says nothing of the environment */
	return !strcmp(k, "seed");
}

static int diff_plan(struct rp_envdiffs *d, json_t *a, json_t *b)
{
	const char *k;
	json_t *v;

	for (size_t i = 0; i < COUNT(plan_keys); i++)
		if (add(d, label("plan.%s", plan_keys[i]), json_object_get(a, plan_keys[i]),
			json_object_get(b, plan_keys[i])))
			return -1;
	json_object_foreach(a, k, v)
		if (!known_plan_key(k) && add(d, label("plan.%s", k), v, json_object_get(b, k)))
			return -1;
	json_object_foreach(b, k, v)
		if (!known_plan_key(k) && !json_object_get(a, k) &&
		    add(d, label("plan.%s", k), NULL, v))
			return -1;
	return 0;
}

/* The kernel the guest ran (its agent's uname), else the one its image was built with. */
static json_t *guest_kernel(json_t *b)
{
	json_t *k = at(b, "hello.env.kernel");

	return k ? k : at(b, "info.guest_kernel");
}

/* Hypervisor or runtime facts of one instance that both runs started. */
static int diff_instance(struct rp_envdiffs *d, const char *name, enum vb_kind kind, json_t *a,
			 json_t *b)
{
	if (kind == VB_KIND_VM)
		return add(d, label("qemu (%s)", name), at(a, "info.qemu_version"),
			   at(b, "info.qemu_version")) ||
		       add(d, label("guest kernel (%s)", name), guest_kernel(a), guest_kernel(b));
	if (kind == VB_KIND_CONTAINER)
		return add(d, label("container runtime (%s)", name), at(a, "info.runtime"),
			   at(b, "info.runtime")) ||
		       add(d, label("container runtime version (%s)", name),
			   at(a, "info.runtime_version"), at(b, "info.runtime_version")) ||
		       add(d, label("container image (%s)", name), at(a, "info.image"),
			   at(b, "info.image"));
	return 0;
}

/* Each instance in both runs, in BASE's order. */
static int diff_instances(struct rp_envdiffs *d, const struct rp_run *base,
			  const struct rp_run *cur)
{
	size_t i;
	json_t *b;

	json_array_foreach(base->backends, i, b) {
		const char *name = json_string_value(json_object_get(b, "name"));
		const struct vb_traits *t;

		/* a name listed twice is looked at once */
		if (!name || rp_backend(base, name) != b || !rp_backend(cur, name))
			continue;
		t = rp_traits(base, name);
		if (t && diff_instance(d, name, t->kind, b, rp_backend(cur, name)))
			return -1;
	}
	return 0;
}

int rp_envdiff(const struct rp_run *base, const struct rp_run *cur, struct rp_envdiffs *out)
{
	json_t *ma = json_object_get(base->root, "meta"), *mb = json_object_get(cur->root, "meta");

	memset(out, 0, sizeof(*out));
	if (diff_fields(out, ma, mb, host_first, COUNT(host_first)) ||
	    diff_map(out, "CPU mitigation", "CPU mitigations", at(ma, "host.mitigations"),
		     at(mb, "host.mitigations")) ||
	    diff_fields(out, ma, mb, host_then, COUNT(host_then)) ||
	    diff_instances(out, base, cur) ||
	    diff_fields(out, ma, mb, vbench_fields, COUNT(vbench_fields)) ||
	    diff_plan(out, at(ma, "plan"), at(mb, "plan")) ||
	    diff_probes(out, at(ma, "probes"), at(mb, "probes")) ||
	    add(out, strdup("command line"), at(ma, "command_line"), at(mb, "command_line"))) {
		rp_envdiff_free(out);
		return -1;
	}
	return 0;
}

void rp_envdiff_free(struct rp_envdiffs *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->d[i].what);
		free(d->d[i].base);
		free(d->d[i].cur);
	}
	free(d->d);
	memset(d, 0, sizeof(*d));
}

void rp_envdiff_print(FILE *f, const struct rp_envdiffs *d)
{
	fprintf(f, "What changed between BASE and NEW:\n");
	if (!d->n)
		fprintf(f, "  no difference in the recorded environment\n");
	for (size_t i = 0; i < d->n && i < RP_ENVDIFF_SHOWN; i++)
		fprintf(f, "  %s: %s -> %s\n", VB_TERM(d->d[i].what), VB_TERM(d->d[i].base),
			VB_TERM(d->d[i].cur));
	if (d->n > RP_ENVDIFF_SHOWN)
		fprintf(f, "  (%zu more differences not shown)\n", d->n - RP_ENVDIFF_SHOWN);
}

int rp_envdiff_report(FILE *f, const struct rp_run *base, const struct rp_run *cur)
{
	struct rp_envdiffs d;

	if (rp_envdiff(base, cur, &d))
		return -1;
	rp_envdiff_print(f, &d);
	rp_envdiff_free(&d);
	return 0;
}
