/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: a result file as `vbench report` and `vbench compare`
 * read one (it may come from a CI artefact): the checked load
 * (vb_results_loadb), validation, index and summary (rp_run_adopt), the
 * report's queries on every backend and (backend, workload) pair, and
 * compare of the document against itself and against a fixed document,
 * both ways, and what changed between their environments. A document
 * compared with itself has no regression, no improvement, nothing broken
 * and no environment difference.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/proto.h"
#include "../../common/results.h"
#include "../../reports/compare.h"
#include "../../reports/envdiff.h"
#include "../../reports/rundata.h"

/* Two backends, two workloads, two rounds, a counting pass with counters. */
static const char seed_doc[] =
	"{\"schema\":\"vbench-results\",\"version\":1,"
	"\"meta\":{\"started\":\"2026-12-01T10:00:00Z\",\"host\":{\"hostname\":\"seed\"},"
	"\"plan\":{\"warmup\":1}},"
	"\"backends\":[{\"name\":\"bare\",\"status\":\"ok\"},"
	"{\"name\":\"type2\",\"status\":\"ok\"},"
	"{\"name\":\"type1\",\"status\":\"unavailable\",\"reason\":\"no /dev/kvm\"}],"
	"\"workloads\":[{\"name\":\"cpu.syscall\",\"unit\":\"ns/op\",\"direction\":\"lower\"},"
	"{\"name\":\"mem.stream\",\"unit\":\"MB/s\",\"direction\":\"higher\"}],"
	"\"measurements\":["
	"{\"backend\":\"bare\",\"bench\":\"cpu.syscall\",\"round\":0,\"status\":\"ok\","
	"\"iters\":1000,\"samples\":[100,101,99],"
	"\"count\":{\"status\":\"ok\",\"iters\":500,\"counters\":["
	"{\"source\":\"ebpf\",\"scope\":\"host\",\"name\":\"syscalls\",\"value\":500,"
	"\"unit\":\"count\"}]}},"
	"{\"backend\":\"bare\",\"bench\":\"cpu.syscall\",\"round\":1,\"status\":\"ok\","
	"\"iters\":1000,\"samples\":[102,100,98]},"
	"{\"backend\":\"type2\",\"bench\":\"cpu.syscall\",\"round\":0,\"status\":\"ok\","
	"\"iters\":100,\"samples\":[900,950,1000],"
	"\"count\":{\"status\":\"ok\",\"iters\":50,\"counters\":["
	"{\"source\":\"pmu\",\"scope\":\"host\",\"name\":\"cycles\","
	"\"unavailable\":\"no PMU\"}]}},"
	"{\"backend\":\"type2\",\"bench\":\"mem.stream\",\"round\":0,\"status\":\"error\","
	"\"reason\":\"agent exited\"},"
	"{\"backend\":\"bare\",\"bench\":\"mem.stream\",\"round\":0,\"status\":\"ok\","
	"\"iters\":5,\"samples\":[30000,31000,29000]}]}";

static struct rp_run seed;
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[512];
	json_t *doc = vb_results_loadb(seed_doc, sizeof(seed_doc) - 1, "seed", err, sizeof(err));

	(void)argc;
	(void)argv;
	if (!doc || rp_run_adopt(&seed, doc, "seed", 0, err, sizeof(err))) {
		fprintf(stderr, "fuzz_results: the seed document: %s\n", err);
		abort();
	}
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	return 0;
}

/* What the report asks of one (backend, workload) pair. */
static void query_pair(const struct rp_run *r, const char *backend, const char *bench)
{
	double *x = NULL, sum, ops, med, lo, hi;
	const char *why;
	char buf[256];
	json_t *names = rp_counter_names(r, backend, bench, "");
	size_t i;
	json_t *nm;

	rp_samples(r, backend, bench, &x);
	free(x);
	rp_not_ok_reason(r, backend, bench, buf, sizeof(buf));
	rp_slowdown(r, backend, bench, &med, &lo, &hi);
	rp_summary(r, backend, bench);
	rp_higher_is_better(r, bench);
	json_array_foreach(names, i, nm)
		rp_counter(r, backend, bench, json_string_value(nm), &sum, &ops, &why);
	rp_counter(r, backend, bench, "*", &sum, &ops, &why);
	json_decref(names);
}

static void query(const struct rp_run *r)
{
	char buf[256];
	size_t i;
	json_t *e;

	json_array_foreach(r->backends, i, e) {
		const char *name = vb_json_str(e, "name", "");

		rp_backend_ok(r, name);
		rp_backend_why(r, name, buf, sizeof(buf));
		rp_baseline(r, name);
		rp_traits(r, name);
	}
	json_array_foreach(r->measurements, i, e)
		query_pair(r, vb_json_str(e, "backend", ""), vb_json_str(e, "bench", ""));
}

static void compare(const struct rp_run *base, const struct rp_run *cur, int same)
{
	const struct rp_cmp_opts o = { .alpha = 0.01, .min_effect = 0.05 };
	struct rp_cmp *c;
	size_t n;

	if (rp_compare(base, cur, &o, &c, &n))
		return; /* out of memory */
	for (size_t i = 0; same && i < n; i++)
		if (c[i].verdict != RP_SAME && c[i].verdict != RP_SKIPPED) {
			fprintf(stderr, "fuzz_results: %s %s compared with itself: %s\n",
				c[i].backend, c[i].bench, rp_verdict_name(c[i].verdict));
			abort();
		}
	rp_compare_table(devnull, c, n);
	free(c);
}

/* What changed between two runs: nothing between a run and itself. */
static void envdiff(const struct rp_run *base, const struct rp_run *cur, int same)
{
	struct rp_envdiffs d = { 0 };

	if (rp_envdiff(base, cur, &d))
		return; /* out of memory */
	if (same && d.n) {
		fprintf(stderr, "fuzz_results: a run differs from itself in %s\n", d.d[0].what);
		abort();
	}
	rp_envdiff_print(devnull, &d);
	rp_envdiff_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512] = "";
	json_t *doc = vb_results_loadb((const char *)data, size, "input", err, sizeof(err));
	struct rp_run r;

	if (!doc || rp_run_adopt(&r, doc, "input", 0, err, sizeof(err))) {
		if (!err[0])
			abort(); /* refused without a reason */
		return 0;
	}
	query(&r);
	compare(&r, &r, 1);
	compare(&seed, &r, 0);
	compare(&r, &seed, 0);
	envdiff(&r, &r, 1);
	envdiff(&seed, &r, 0);
	rp_run_free(&r);
	return 0;
}
