/* SPDX-License-Identifier: MIT */
#include "results.h"
#include "hostinfo.h"
#include "version.h"
#include "stats.h"
#include "../common/proto.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BOOTSTRAP_REPS 2000
#define BOOTSTRAP_SEED 0x5eed

static const char *vb_str(const json_t *o, const char *key)
{
	return vb_json_str(o, key, "");
}

static json_t *iso_now(void)
{
	char buf[32];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(buf);
}

json_t *vb_results_new(int argc, char **argv, json_t *plan)
{
	json_t *cmd = json_array(), *meta;

	for (int i = 0; i < argc; i++)
		json_array_append_new(cmd, json_string(argv[i]));
	meta = json_pack("{s:s, s:s, s:o, s:o, s:o, s:{s:i, s:b}, s:o}", "vbench_version",
			 VB_VERSION, "git_rev", VB_GIT_REV, "command_line", cmd, "started",
			 iso_now(), "finished", json_null(), "user", "euid", (int)geteuid(),
			 "root", geteuid() == 0, "host", vb_host_json());
	json_object_set_new(meta, "plan", plan);
	return json_pack("{s:s, s:i, s:b, s:b, s:o, s:[], s:[], s:[], s:[]}", "schema",
			 VB_RESULTS_SCHEMA, "version", VB_RESULTS_VERSION, "complete", 0,
			 "interrupted", 0, "meta", meta, "backends", "workloads",
			 "measurements", "summary");
}

json_t *vb_results_add_backend(json_t *doc, const struct vb_pick *pk, const char *status,
			       const char *reason)
{
	const char *at = strchr(pk->name, '@');
	json_t *b = json_pack("{s:s, s:s, s:s, s:o, s:s, s:o}", "name", pk->name, "backend",
			      pk->be->name, "desc", pk->be->desc, "traits",
			      vb_traits_json(&pk->be->traits, at ? at + 1 : NULL), "status", status,
			      "reason", reason ? json_string(reason) : json_null());

	json_array_append_new(json_object_get(doc, "backends"), b);
	return b;
}

void vb_results_add_workload(json_t *doc, json_t *wl)
{
	json_array_append_new(json_object_get(doc, "workloads"), wl);
}

void vb_results_add_measurement(json_t *doc, json_t *m)
{
	json_array_append_new(json_object_get(doc, "measurements"), m);
}

void vb_results_finish(json_t *doc, int complete, int interrupted)
{
	json_object_set_new(json_object_get(doc, "meta"), "finished", iso_now());
	json_object_set_new(doc, "complete", json_boolean(complete));
	json_object_set_new(doc, "interrupted", json_boolean(interrupted));
}

/* Samples of one (backend, bench) in one round, or all rounds (round < 0). */
static size_t collect(json_t *ms, const char *be, const char *bench, long long round,
		      double *out, size_t max)
{
	size_t n = 0, i;
	json_t *m;

	json_array_foreach(ms, i, m) {
		json_t *s;
		size_t k;

		if (strcmp(vb_str(m, "backend"), be) || strcmp(vb_str(m, "bench"), bench) ||
		    strcmp(vb_str(m, "status"), "ok") ||
		    (round >= 0 && json_integer_value(json_object_get(m, "round")) != round))
			continue;
		json_array_foreach(json_object_get(m, "samples"), k, s)
			if (json_is_number(s) && n < max)
				out[n++] = json_number_value(s);
	}
	return n;
}

static long long max_round(json_t *ms)
{
	long long r = -1;
	size_t i;
	json_t *m;

	json_array_foreach(ms, i, m) {
		long long v = json_integer_value(json_object_get(m, "round"));

		if (v > r)
			r = v;
	}
	return r;
}

/* Per-round paired ratios backend/bare, their median and bootstrap CI. */
static json_t *ratio_json(json_t *ms, const char *be, const char *bench, int higher,
			  json_t **slowdown)
{
	long long rounds = max_round(ms) + 1;
	double *ratios = calloc((size_t)rounds + 1, sizeof(double));
	double a[4096], b[4096], lo, hi, med;
	size_t nr = 0;

	*slowdown = json_null();
	if (!ratios)
		return json_null();
	for (long long r = 0; r < rounds; r++) {
		size_t na = collect(ms, be, bench, r, a, 4096);
		size_t nb = collect(ms, "bare", bench, r, b, 4096);
		double mb = nb ? vb_median(b, nb) : 0;

		if (na && nb && mb > 0)
			ratios[nr++] = vb_median(a, na) / mb;
	}
	if (nr == 0 || vb_bootstrap_median_ci(ratios, nr, BOOTSTRAP_REPS, BOOTSTRAP_SEED, &lo,
					      &hi)) {
		free(ratios);
		return json_null();
	}
	med = vb_median(ratios, nr);
	free(ratios);
	if (higher)
		*slowdown = json_pack("{s:f, s:[f, f]}", "median", 1 / med, "ci95", 1 / hi, 1 / lo);
	else
		*slowdown = json_pack("{s:f, s:[f, f]}", "median", med, "ci95", lo, hi);
	return json_pack("{s:f, s:[f, f], s:I}", "median", med, "ci95", lo, hi, "rounds",
			 (json_int_t)nr);
}

void vb_results_summarize(json_t *doc)
{
	json_t *ms = json_object_get(doc, "measurements"), *sum = json_array(), *b, *w;
	size_t i, j;
	static double all[1 << 16];

	json_array_foreach(json_object_get(doc, "backends"), i, b) {
		const char *be = vb_str(b, "name");

		json_array_foreach(json_object_get(doc, "workloads"), j, w) {
			const char *bench = vb_str(w, "name");
			size_t n = collect(ms, be, bench, -1, all, sizeof(all) / sizeof(all[0]));
			int higher = strcmp(vb_str(w, "direction"), "higher") == 0;
			json_t *ratio = json_null(), *slow = json_null();

			if (!n)
				continue;
			if (strcmp(be, "bare"))
				ratio = ratio_json(ms, be, bench, higher, &slow);
			json_array_append_new(
				sum, json_pack("{s:s, s:s, s:s, s:s, s:I, s:f, s:f, s:o, s:o}",
					       "backend", be, "bench", bench, "unit",
					       vb_str(w, "unit"), "direction",
					       vb_str(w, "direction"), "n", (json_int_t)n,
					       "median", vb_median(all, n), "mad",
					       vb_mad(all, n), "ratio", ratio, "slowdown", slow));
		}
	}
	json_object_set_new(doc, "summary", sum);
}

int vb_results_write(json_t *doc, const char *path, char *err, size_t n)
{
	char tmp[4096];
	int fd;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		snprintf(err, n, "path too long: %s", path);
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, n, "create %s: %s", tmp, strerror(errno));
		return -1;
	}
	if (json_dumpfd(doc, fd, JSON_INDENT(1) | JSON_REAL_PRECISION(10)) ||
	    write(fd, "\n", 1) != 1 || fsync(fd)) {
		snprintf(err, n, "write %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	if (rename(tmp, path)) {
		snprintf(err, n, "rename %s to %s: %s", tmp, path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

json_t *vb_results_load(const char *path, char *err, size_t n)
{
	json_error_t je;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);

	if (!doc) {
		snprintf(err, n, "%s: not a valid JSON file: %s (line %d)", path, je.text,
			 je.line);
		return NULL;
	}
	if (!json_is_object(doc) || strcmp(vb_str(doc, "schema"), VB_RESULTS_SCHEMA)) {
		snprintf(err, n, "%s: not a vbench result file (schema is not \"%s\")", path,
			 VB_RESULTS_SCHEMA);
		json_decref(doc);
		return NULL;
	}
	json_t *v = json_object_get(doc, "version");
	if (!json_is_integer(v) || json_integer_value(v) != VB_RESULTS_VERSION) {
		if (json_is_integer(v))
			snprintf(err, n, "%s: result schema version %lld, this vbench reads version %d",
				 path, (long long)json_integer_value(v), VB_RESULTS_VERSION);
		else
			snprintf(err, n, "%s: no result schema version", path);
		json_decref(doc);
		return NULL;
	}
	if (!json_is_array(json_object_get(doc, "backends")) ||
	    !json_is_array(json_object_get(doc, "workloads")) ||
	    !json_is_array(json_object_get(doc, "measurements"))) {
		snprintf(err, n, "%s: malformed: backends, workloads and measurements must be arrays",
			 path);
		json_decref(doc);
		return NULL;
	}
	return doc;
}
