/* SPDX-License-Identifier: MIT */
#include "select.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int match_backend(const char *tok, void *arg)
{
	unsigned char *picked = arg;

	for (size_t i = 0; i < vb_nbackends; i++)
		if (strcmp(vb_backends[i]->name, tok) == 0)
			return picked[i] = 1;
	return 0;
}

static int match_bench(const char *tok, void *arg)
{
	unsigned char *picked = arg;
	int hit = 0;

	for (size_t i = 0; i < vb_nworkloads; i++)
		if (fnmatch(tok, vb_workloads[i]->name, 0) == 0)
			hit = picked[i] = 1;
	return hit;
}

int vb_select_backends(const char *spec, const struct vb_backend **out, size_t max, char *err,
		       size_t n)
{
	unsigned char picked[64] = { 0 };
	char bad[128], valid[512];
	size_t k = 0;

	if (each_token(spec, match_backend, picked, bad, sizeof(bad))) {
		choices(valid, sizeof(valid), vb_nbackends, backend_name);
		snprintf(err, n, "unknown backend '%s' (valid: %s)", bad, valid);
		return -1;
	}
	for (size_t i = 0; i < vb_nbackends && k < max; i++)
		if (picked[i])
			out[k++] = vb_backends[i];
	if (!k) {
		snprintf(err, n, "no backend given");
		return -1;
	}
	return (int)k;
}

int vb_select_benches(const char *spec, const struct vb_workload **out, size_t max,
		      char *err, size_t n)
{
	unsigned char picked[256] = { 0 };
	char bad[128], valid[2048];
	size_t k = 0;

	if (each_token(spec, match_bench, picked, bad, sizeof(bad))) {
		choices(valid, sizeof(valid), vb_nworkloads, bench_name);
		snprintf(err, n, "no workload matches '%s' (valid: %s)", bad, valid);
		return -1;
	}
	for (size_t i = 0; i < vb_nworkloads && k < max; i++)
		if (picked[i])
			out[k++] = vb_workloads[i];
	if (!k) {
		snprintf(err, n, "no workload given");
		return -1;
	}
	return (int)k;
}

int vb_select_param(const char *spec, const struct vb_workload **wl, int *index,
		    long long *value, char *err, size_t n)
{
	const char *eq = strchr(spec, '='), *dot;
	char name[128], *end;

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
	return 0;
}
