/* SPDX-License-Identifier: MIT */
#include "results.h"
#include "version.h"
#include "../common/proto.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

json_t *vb_results_now(void)
{
	char buf[32];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(buf);
}

json_t *vb_results_new(int argc, char **argv, json_t *host, json_t *plan)
{
	json_t *cmd = json_array(), *meta;

	for (int i = 0; i < argc; i++)
		json_array_append_new(cmd, json_string(argv[i]));
	meta = json_pack("{s:s, s:s, s:o, s:o, s:o, s:{s:i, s:b}, s:o}", "vbench_version",
			 VB_VERSION, "source_tree", vb_source_id, "command_line", cmd, "started",
			 vb_results_now(), "finished", json_null(), "user", "euid", (int)geteuid(),
			 "root", geteuid() == 0, "host", host);
	json_object_set_new(meta, "plan", plan);
	return json_pack("{s:s, s:i, s:b, s:b, s:o, s:[], s:[], s:[], s:[], s:[]}", "schema",
			 VB_RESULTS_SCHEMA, "version", VB_RESULTS_VERSION, "complete", 0,
			 "interrupted", 0, "meta", meta, "backends", "workloads",
			 "measurements", "experiments", "summary");
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

int vb_results_finish(json_t *doc, int complete, int interrupted)
{
	json_t *sum = vb_results_summary(doc);

	/* the run's end is recorded whether or not the summary could be made */
	json_object_set_new(json_object_get(doc, "meta"), "finished", vb_results_now());
	json_object_set_new(doc, "complete", json_boolean(complete));
	json_object_set_new(doc, "interrupted", json_boolean(interrupted));
	if (!sum)
		return -1;
	json_object_set_new(doc, "summary", sum);
	return 0;
}

/* How many entries of doc's array `what` have status "ok". */
static size_t count_ok(const json_t *doc, const char *what)
{
	size_t i, ok = 0;
	json_t *e;

	json_array_foreach(json_object_get(doc, what), i, e)
		ok += strcmp(vb_json_str(e, "status", ""), "ok") == 0;
	return ok;
}

int vb_results_measured(const json_t *doc, char *why, size_t n)
{
	size_t total = json_array_size(json_object_get(doc, "measurements"));

	if (count_ok(doc, "backends") == 0) {
		snprintf(why, n, "nothing measured: no backend ran (each failed or is unavailable)");
		return 0;
	}
	if (count_ok(doc, "measurements") == 0 && count_ok(doc, "experiments") == 0) {
		snprintf(why, n, "nothing measured: no measurement or experiment is ok (%zu "
			 "measurements in all: each errored or is unsupported)", total);
		return 0;
	}
	return 1;
}
