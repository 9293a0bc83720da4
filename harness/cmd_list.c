/* SPDX-License-Identifier: MIT */
/* vbench list: backends with availability, workloads with unit and params. */
#include "backend.h"
#include "kvmhost.h"
#include "paths.h"
#include "select.h"
#include "life/life.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

/*
 * A KVM backend this host cannot run goes to the emulated lab (vbench run
 * --lab auto) where a TCG one can run: the lab is QEMU TCG underneath.
 */
static json_t *backends_json(const struct vb_run_ctx *ctx)
{
	json_t *arr = json_array(), *b;
	int tcg = 0;
	size_t i;

	for (i = 0; i < vb_nbackends; i++) {
		char why[1024] = "";
		const struct vb_backend *be = vb_backends[i];
		int ok = be->available(be, ctx, why, sizeof(why));

		tcg |= ok && be->traits.accel == VB_ACCEL_TCG;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:o, s:b, s:o}", "name", be->name,
						     "desc", be->desc, "traits",
						     vb_traits_json(&be->traits, NULL), "available",
						     ok, "reason",
						     ok ? json_null() : json_string(why)));
	}
	json_array_foreach(arr, i, b)
		json_object_set_new(b, "lab", json_boolean(
			tcg && !json_is_true(json_object_get(b, "available")) &&
			vb_backends[i]->traits.accel == VB_ACCEL_KVM));
	return arr;
}

static json_t *workloads_json(const struct vb_workload **wl, int n)
{
	json_t *arr = json_array();

	for (int i = 0; i < n; i++) {
		json_t *params = json_array();

		for (int p = 0; p < VB_MAX_PARAMS && wl[i]->params[p].name; p++) {
			const struct vb_param *pa = &wl[i]->params[p];

			json_array_append_new(params,
					      json_pack("{s:s, s:I, s:I, s:I, s:s, s:s}", "name",
							pa->name, "default", (json_int_t)pa->def,
							"min", (json_int_t)pa->min, "max",
							(json_int_t)pa->max, "unit", pa->unit, "help",
							pa->help));
		}
		json_array_append_new(
			arr, json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:o}", "name", wl[i]->name,
				       "desc", wl[i]->desc, "unit", vb_metric_unit(wl[i]->metric),
				       "direction", vb_direction_name(wl[i]->dir), "needs_root",
				       !!(wl[i]->needs & VB_NEED_ROOT), "needs_scratch",
				       !!(wl[i]->needs & VB_NEED_SCRATCH), "params", params));
	}
	return arr;
}

static json_t *kvm_json(void)
{
	struct vb_kvm_host k;

	vb_kvm_host_probe("/", &k);
	return vb_kvm_host_json(&k);
}

/* One line on the host's KVM, which decides type1 and paravirt. */
static void print_kvm(json_t *kvm)
{
	int runs = json_is_true(json_object_get(kvm, "runs_guests"));

	printf("KVM: %s, %s, %s%s%s\n", vb_json_str(kvm, "impl", "?"),
	       json_is_true(json_object_get(kvm, "nested")) ? "nested (this host is itself a VM)"
							    : "not nested",
	       runs ? "runs unmodified guests" : "does not run unmodified guests",
	       runs ? "" : "\n             reason: ", vb_json_str(kvm, "reason", ""));
}

static void print_text(json_t *kvm, json_t *bes, json_t *wls, int show_params)
{
	size_t i, k;
	json_t *b, *w, *p;

	if (bes) {
		print_kvm(kvm);
		printf("Backends:\n");
		json_array_foreach(bes, i, b) {
			int ok = json_is_true(json_object_get(b, "available"));
			int lab = json_is_true(json_object_get(b, "lab"));

			printf("  %-10s %-13s %s%s%s%s\n", vb_json_str(b, "name", ""),
			       ok ? "available" : lab ? "emulated lab" : "unavailable",
			       vb_json_str(b, "desc", ""), ok ? "" : "\n             reason: ",
			       vb_json_str(b, "reason", ""),
			       lab ? "\n             so it runs as an L2 guest under real KVM in the "
				     "emulated lab (docs/lab.md; --lab none refuses)" : "");
		}
	}
	printf("Workloads:\n");
	json_array_foreach(wls, i, w) {
		printf("  %-14s %-6s %-6s %s\n", vb_json_str(w, "name", ""),
		       vb_json_str(w, "unit", ""), vb_json_str(w, "direction", ""),
		       vb_json_str(w, "desc", ""));
		if (!show_params)
			continue;
		json_array_foreach(json_object_get(w, "params"), k, p)
			printf("      %s=%lld  [%lld..%lld %s]  %s\n", vb_json_str(p, "name", ""),
			       vb_json_int(p, "default", 0), vb_json_int(p, "min", 0),
			       vb_json_int(p, "max", 0), vb_json_str(p, "unit", ""),
			       vb_json_str(p, "help", ""));
	}
}

/* The selected lifecycle and isolation experiments (life/life.h). */
static json_t *experiments_json(unsigned selected)
{
	json_t *a = json_array();

	for (size_t i = 0; i < vb_nexperiments; i++)
		if (selected >> i & 1)
			json_array_append_new(a, json_pack("{s:s, s:s}", "name",
							   vb_experiments[i]->name, "desc",
							   vb_experiments[i]->desc));
	return a;
}

static void print_experiments(const json_t *xs)
{
	size_t i;
	json_t *x;

	if (json_array_size(xs))
		printf("Experiments (each starts and stops its own instances):\n");
	json_array_foreach(xs, i, x)
		printf("  %-14s %s\n", vb_json_str(x, "name", ""), vb_json_str(x, "desc", ""));
}

int vb_cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "bench", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const struct vb_workload *wl[256];
	const char *benches = NULL;
	char agent[PATH_MAX], err[2048];
	unsigned exps = 0;
	int json = 0, c, nwl;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "jw:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'w': benches = optarg; break;
		case 'h':
			printf("usage: vbench list [--json] [--bench GLOBS]\n"
			       "Backends with their availability here (and why not), workloads with\n"
			       "unit and direction; --bench shows the matching workloads' parameters.\n");
			return 0;
		default:
			fprintf(stderr, "vbench list: bad option (see vbench list --help)\n");
			return 2;
		}
	}
	nwl = vb_select_benches(benches ? benches : "*", wl, 256, &exps, err, sizeof(err));
	if (nwl < 0) {
		fprintf(stderr, "vbench list: %s\n", err);
		return 2;
	}
	struct vb_run_ctx ctx = { .agent_path = agent, .container_runtime = "crun" };
	if (vb_agent_path(agent, sizeof(agent), err, sizeof(err)))
		snprintf(agent, sizeof(agent), "(not found)");
	json_t *kvm = benches ? NULL : kvm_json(), *bes = benches ? NULL : backends_json(&ctx),
	       *wls = workloads_json(wl, nwl), *xs = experiments_json(exps);
	if (json) {
		json_t *all = json_pack("{s:o, s:o, s:o}", "backends", bes ? bes : json_array(),
					"workloads", wls, "experiments", xs);

		if (kvm)
			json_object_set_new(all, "kvm", kvm);
		json_dumpf(all, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(all);
	} else {
		print_text(kvm, bes, wls, benches != NULL);
		print_experiments(xs);
		json_decref(xs);
		json_decref(kvm);
		json_decref(bes);
		json_decref(wls);
	}
	return 0;
}
