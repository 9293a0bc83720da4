/* SPDX-License-Identifier: MIT */
#include "select.h"
#include "life/life.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Split spec on commas; call match(token) for each; -1 on the first miss. */
static int each_token(const char *spec, int (*match)(const char *tok, void *arg), void *arg,
		      char *bad, size_t badlen)
{
	char *copy = strdup(spec), *save = NULL, *tok;
	int rc = 0;

	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!match(tok, arg)) {
			snprintf(bad, badlen, "%s", tok);
			rc = -1;
			break;
		}
	}
	free(copy);
	return rc;
}

static void choices(char *buf, size_t n, size_t count, const char *(*name)(size_t))
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < count && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "", name(i));
}

static const char *backend_name(size_t i) { return vb_backends[i]->name; }
static const char *bench_name(size_t i) { return vb_workloads[i]->name; }
static const char *experiment_name(size_t i) { return vb_experiments[i]->name; }

struct bench_pick {
	unsigned char *picked;      /* per workload */
	unsigned experiments;       /* bit per experiment (life/life.h) */
};

static int match_bench(const char *tok, void *arg)
{
	struct bench_pick *bp = arg;
	unsigned x = vb_experiment_match(tok);
	int hit = x != 0;

	bp->experiments |= x;
	for (size_t i = 0; i < vb_nworkloads; i++)
		if (fnmatch(tok, vb_workloads[i]->name, 0) == 0)
			hit = bp->picked[i] = 1;
	return hit;
}

/* A tag names files and cgroups: letters, digits, '-', '_' and '.' only. */
static int tag_ok(const char *tag)
{
	if (!tag[0] || tag[0] == '.')
		return 0;
	for (const char *c = tag; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("-_.", *c))
			return 0;
	return 1;
}

static size_t registry_index(const struct vb_backend *be)
{
	size_t i;

	for (i = 0; i < vb_nbackends && vb_backends[i] != be; i++)
		;
	return i;
}

/* Registry order; an untagged instance first, then the tags as given. */
static void order_picks(struct vb_pick *p, size_t k)
{
	for (size_t i = 1; i < k; i++)
		for (size_t j = i; j > 0; j--) {
			struct vb_pick *a = &p[j - 1], *b = &p[j], t;
			size_t ia = registry_index(a->be), ib = registry_index(b->be);

			if (ia < ib || (ia == ib && (strchr(b->name, '@') || !strchr(a->name, '@'))))
				break;
			t = *a;
			*a = *b;
			*b = t;
		}
}

static int add_pick(const char *tok, struct vb_pick *out, size_t *k, size_t max, char *err,
		    size_t n)
{
	const char *at = strchr(tok, '@');
	size_t len = at ? (size_t)(at - tok) : strlen(tok);
	const struct vb_backend *be = NULL;
	char valid[512];

	for (size_t i = 0; i < vb_nbackends && !be; i++)
		if (strlen(vb_backends[i]->name) == len && !strncmp(vb_backends[i]->name, tok, len))
			be = vb_backends[i];
	if (!be) {
		choices(valid, sizeof(valid), vb_nbackends, backend_name);
		snprintf(err, n, "unknown backend '%.*s' (valid: %s)", (int)len, tok, valid);
		return -1;
	}
	if (at && !tag_ok(at + 1)) {
		snprintf(err, n, "backend '%s': a tag after '@' is letters, digits, '-', '_' "
			 "and '.' (not first)", tok);
		return -1;
	}
	if (strlen(tok) >= VB_INSTANCE_NAME_MAX) {
		snprintf(err, n, "backend '%s': longer than %d bytes", tok, VB_INSTANCE_NAME_MAX - 1);
		return -1;
	}
	for (size_t i = 0; i < *k; i++)
		if (!strcmp(out[i].name, tok))
			return 0;
	if (*k == max) {
		snprintf(err, n, "more than %zu backends", max);
		return -1;
	}
	out[*k].be = be;
	snprintf(out[*k].name, sizeof(out[*k].name), "%s", tok);
	++*k;
	return 0;
}

int vb_select_backends(const char *spec, struct vb_pick *out, size_t max, char *err,
		       size_t n)
{
	char *copy, *save = NULL, *tok;
	size_t k = 0;
	int rc = 0;

	if (!spec[0] || !strcmp(spec, "all")) {
		for (size_t i = 0; i < vb_nbackends && rc == 0; i++)
			rc = add_pick(vb_backends[i]->name, out, &k, max, err, n);
		return rc ? -1 : (int)k;
	}
	if (!(copy = strdup(spec))) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	for (tok = strtok_r(copy, ",", &save); tok && rc == 0; tok = strtok_r(NULL, ",", &save))
		rc = add_pick(tok, out, &k, max, err, n);
	free(copy);
	if (rc)
		return -1;
	if (!k) {
		snprintf(err, n, "no backend given");
		return -1;
	}
	order_picks(out, k);
	return (int)k;
}

int vb_select_benches(const char *spec, const struct vb_workload **out, size_t max,
		      unsigned *experiments, char *err, size_t n)
{
	unsigned char *picked = calloc(vb_nworkloads + 1, 1);
	struct bench_pick bp = { picked, 0 };
	char bad[128], valid[2048], exps[256];
	size_t k = 0;
	int rc = -1;

	if (!picked) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	if (each_token(spec, match_bench, &bp, bad, sizeof(bad))) {
		choices(valid, sizeof(valid), vb_nworkloads, bench_name);
		choices(exps, sizeof(exps), vb_nexperiments, experiment_name);
		snprintf(err, n, "no workload or experiment matches '%s' (workloads: %s; "
			 "experiments: %s)", bad, valid, exps);
		goto out;
	}
	*experiments = bp.experiments;
	for (size_t i = 0; i < vb_nworkloads; i++) {
		if (!picked[i])
			continue;
		if (k == max) {
			snprintf(err, n, "more than %zu workloads selected", max);
			goto out;
		}
		out[k++] = vb_workloads[i];
	}
	if (!k && !bp.experiments)
		snprintf(err, n, "no workload given");
	else
		rc = (int)k;
out:
	free(picked);
	return rc;
}

int vb_select_param(const char *spec, const struct vb_workload **wl, int *index,
		    long long *value, char *err, size_t n)
{
	const char *eq = strchr(spec, '='), *dot;
	char name[128], why[VB_WHY_LEN], *end;

	if (!eq || (size_t)(eq - spec) >= sizeof(name)) {
		snprintf(err, n, "--param '%s': want WORKLOAD.PARAM=VALUE", spec);
		return -1;
	}
	snprintf(name, sizeof(name), "%.*s", (int)(eq - spec), spec);
	dot = strrchr(name, '.');
	if (!dot) {
		snprintf(err, n, "--param '%s': want WORKLOAD.PARAM=VALUE", spec);
		return -1;
	}
	name[dot - name] = '\0';
	*wl = vb_workload_find(name);
	if (!*wl) {
		snprintf(err, n, "--param '%s': no workload '%s' (see vbench list)", spec, name);
		return -1;
	}
	*index = vb_param_index(*wl, dot + 1);
	if (*index < 0) {
		char valid[512] = "";
		size_t len = 0;

		for (int i = 0; i < VB_MAX_PARAMS && (*wl)->params[i].name && len < sizeof(valid); i++)
			len += (size_t)snprintf(valid + len, sizeof(valid) - len, "%s%s",
						i ? ", " : "", (*wl)->params[i].name);
		snprintf(err, n, "--param '%s': %s has no parameter '%s' (valid: %s)", spec, name,
			 dot + 1, valid[0] ? valid : "none");
		return -1;
	}
	errno = 0;
	*value = strtoll(eq + 1, &end, 10);
	if (errno || end == eq + 1 || *end) {
		snprintf(err, n, "--param '%s': the value must be an integer", spec);
		return -1;
	}
	if (vb_param_check(&(*wl)->params[*index], *value, why, sizeof(why))) {
		snprintf(err, n, "--param %s: %s", spec, why);
		return -1;
	}
	return 0;
}

/* The longest selected instance name that spec starts with, followed by '.'. */
static const struct vb_pick *setting_instance(const char *spec, const struct vb_pick *picks,
					      size_t npicks)
{
	const struct vb_pick *best = NULL;

	for (size_t i = 0; i < npicks; i++) {
		size_t len = strlen(picks[i].name);

		if (!strncmp(spec, picks[i].name, len) && spec[len] == '.' &&
		    (!best || len > strlen(best->name)))
			best = &picks[i];
	}
	return best;
}

static const struct {
	const char *name;
	enum vb_set_key key;
	unsigned kinds;             /* 1 << enum vb_kind where it applies */
} set_keys[] = {
	{ "qemu", VB_SET_QEMU, 1u << VB_KIND_VM },
	{ "kernel", VB_SET_KERNEL, 1u << VB_KIND_VM },
	{ "modules", VB_SET_MODULES, 1u << VB_KIND_VM },
	{ "cpu", VB_SET_CPU, 1u << VB_KIND_VM },
	{ "qemu-args", VB_SET_QEMU_ARGS, 1u << VB_KIND_VM },
	{ "runtime", VB_SET_RUNTIME, 1u << VB_KIND_CONTAINER },
	{ "memory", VB_SET_MEMORY, 1u << VB_KIND_VM | 1u << VB_KIND_CONTAINER },
};

/* The key's entry, or -1 with err (param.* is handled by the caller). */
static int setting_key(const char *spec, const struct vb_pick *pk, const char *key, char *err,
		       size_t n)
{
	for (size_t i = 0; i < sizeof(set_keys) / sizeof(set_keys[0]); i++) {
		if (strcmp(key, set_keys[i].name))
			continue;
		if (!(set_keys[i].kinds & 1u << pk->be->traits.kind)) {
			snprintf(err, n, "--set '%s': %s does not apply to %s, a %s", spec, key,
				 pk->name, vb_kind_name(pk->be->traits.kind));
			return -1;
		}
		return (int)i;
	}
	if (!strcmp(key, "cpus"))
		snprintf(err, n, "--set '%s': cpus is the run's (--cpus): every instance is "
			 "pinned to the same CPUs, so that rounds compare alike", spec);
	else
		snprintf(err, n, "--set '%s': no key '%s' (valid: qemu, kernel, modules, cpu, "
			 "qemu-args, runtime, memory, param.WORKLOAD.PARAM)", spec, key);
	return -1;
}

/* A file that must be there: a regular, executable one when exec. */
static int setting_path(const char *spec, const char *path, int exec, char *err, size_t n)
{
	struct stat st;

	if (stat(path, &st)) {
		snprintf(err, n, "--set '%s': %s: %s", spec, path, strerror(errno));
		return -1;
	}
	if (exec && (!S_ISREG(st.st_mode) || access(path, X_OK))) {
		snprintf(err, n, "--set '%s': %s is not an executable file", spec, path);
		return -1;
	}
	return 0;
}

static int setting_value(const char *spec, struct vb_setting *s, char *err, size_t n)
{
	const char *v = s->value;
	char *end;

	if (!v[0]) {
		snprintf(err, n, "--set '%s': empty value", spec);
		return -1;
	}
	switch (s->key) {
	case VB_SET_QEMU:
		return setting_path(spec, v, 1, err, n);
	case VB_SET_KERNEL:
	case VB_SET_MODULES:
		return setting_path(spec, v, 0, err, n);
	case VB_SET_RUNTIME:
		if (strcmp(v, "crun") && strcmp(v, "runc") && strcmp(v, "podman") &&
		    strcmp(v, "docker")) {
			snprintf(err, n, "--set '%s': runtime wants crun, runc, podman or docker",
				 spec);
			return -1;
		}
		return 0;
	case VB_SET_MEMORY:
		errno = 0;
		s->num = strtoll(v, &end, 10);
		if (errno || *end || s->num < 64 || s->num > 1 << 20) {
			snprintf(err, n, "--set '%s': memory wants MB in 64..%d", spec, 1 << 20);
			return -1;
		}
		return 0;
	default:
		return 0; /* cpu, qemu-args: QEMU itself says what it refuses */
	}
}

int vb_select_setting(const char *spec, const struct vb_pick *picks, size_t npicks,
		      struct vb_setting *out, char *err, size_t n)
{
	const struct vb_pick *pk = setting_instance(spec, picks, npicks);
	const char *key = pk ? spec + strlen(pk->name) + 1 : NULL, *eq = strchr(spec, '=');
	int k;

	memset(out, 0, sizeof(*out));
	if (!eq) {
		snprintf(err, n, "--set '%s': want INSTANCE.KEY=VALUE", spec);
		return -1;
	}
	if (!pk || key > eq) {
		char names[512] = "";

		for (size_t i = 0, len = 0; i < npicks && len < sizeof(names); i++)
			len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
						i ? ", " : "", picks[i].name);
		snprintf(err, n, "--set '%s': no selected instance by that name (selected: %s)",
			 spec, names);
		return -1;
	}
	if ((size_t)(eq - key) >= sizeof(out->key_name)) {
		snprintf(err, n, "--set '%s': key too long", spec);
		return -1;
	}
	snprintf(out->instance, sizeof(out->instance), "%s", pk->name);
	snprintf(out->key_name, sizeof(out->key_name), "%.*s", (int)(eq - key), key);
	out->value = eq + 1;
	if (!strncmp(out->key_name, "param.", 6)) {
		char why[1024];

		out->key = VB_SET_PARAM;
		if (vb_select_param(key + 6, &out->wl, &out->param, &out->num, why, sizeof(why)) == 0)
			return 0;
		snprintf(err, n, "--set '%s': %s", spec, why);
		return -1;
	}
	if ((k = setting_key(spec, pk, out->key_name, err, n)) < 0)
		return -1;
	out->key = set_keys[k].key;
	return setting_value(spec, out, err, n);
}
