/* SPDX-License-Identifier: MIT */
/* Section: where each run happened (host, its own virtualization, versions). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../common/proto.h"
#include "../common/virtdetect.h"
#include "approaches.h"
#include "evidence.h"
#include "report.h"

#define MAXRUNS_COLS 9

/*
 * The first backend's info field of that name, e.g. the guest kernel; or
 * what to say instead: whether a VM (by its traits) ran.
 */
static const char *backend_info(const struct rp_run *r, const char *key)
{
	const char *vm_ran = NULL;
	size_t i;
	json_t *b;

	json_array_foreach(r->backends, i, b) {
		const char *v = vb_json_str(json_object_get(b, "info"), key, NULL);

		if (v)
			return v;
		if (rp_is_kind(r, vb_json_str(b, "name", ""), VB_KIND_VM) &&
		    !strcmp(vb_json_str(b, "status", ""), "ok"))
			vm_ran = "not recorded";
	}
	return vm_ran ? vm_ran : "no VM backend ran";
}

static void field(const struct rp_run *r, const char *what, char *out, size_t n)
{
	const json_t *meta = json_object_get(r->root, "meta");
	const json_t *host = json_object_get(meta, "host");
	const json_t *virt = json_object_get(host, "virt");
	const json_t *plan = json_object_get(meta, "plan");
	size_t i;
	json_t *e;

	if (!strcmp(what, "file")) {
		snprintf(out, n, "%s", r->path);
	} else if (!strcmp(what, "host")) {
		snprintf(out, n, "%s (kernel %s)", vb_json_str(host, "hostname", "?"),
			 vb_json_str(host, "kernel", "?"));
	} else if (!strcmp(what, "cpu")) {
		snprintf(out, n, "%s; %lld CPUs, %.1f GiB; %s", vb_json_str(host, "cpu_model", "?"),
			 vb_json_int(host, "cpus", 0),
			 vb_json_num(host, "mem_bytes", 0) / (1024.0 * 1024 * 1024),
			 vb_json_str(json_object_get(host, "topology"), "summary", "topology unknown"));
	} else if (!strcmp(what, "virt")) {
		snprintf(out, n, "VM: %s; container: %s",
			 vb_json_str(virt, VB_VIRT_VM, "not detected"),
			 vb_json_str(virt, VB_VIRT_CONTAINER, "not detected"));
	} else if (!strcmp(what, "evidence")) {
		size_t used = 0;

		snprintf(out, n, "none recorded");
		json_array_foreach(json_object_get(virt, VB_VIRT_EVIDENCE), i, e) {
			int k = snprintf(out + used, n - used, "%s%s = \"%s\"", i ? "; " : "",
					 vb_json_str(e, "signal", "?"), vb_json_str(e, "value", "?"));

			if (k < 0 || (size_t)k >= n - used)
				break;
			used += (size_t)k;
		}
	} else if (!strcmp(what, "vbench")) {
		/* files of 0.1.0 name a commit, later ones the sources' tree */
		if (json_object_get(meta, "source_tree"))
			snprintf(out, n, "%s (source tree %s)", vb_json_str(meta, "vbench_version", "?"),
				 vb_json_str(meta, "source_tree", "?"));
		else
			snprintf(out, n, "%s (git %s)", vb_json_str(meta, "vbench_version", "?"),
				 vb_json_str(meta, "git_rev", "?"));
	} else if (!strcmp(what, "when")) {
		snprintf(out, n, "%s to %s; %s%s", vb_json_str(meta, "started", "?"),
			 vb_json_str(meta, "finished", "?"),
			 json_is_true(json_object_get(r->root, "complete")) ? "complete" : "INCOMPLETE",
			 json_is_true(json_object_get(r->root, "interrupted")) ? ", interrupted" : "");
	} else if (!strcmp(what, "plan")) {
		snprintf(out, n, "%lld rounds x %lld samples (%lld warm-up), >= %lld ms each%s",
			 vb_json_int(plan, "rounds", 0), vb_json_int(plan, "samples", 0),
			 vb_json_int(plan, "warmup", 0), vb_json_int(plan, "min_sample_ms", 0),
			 json_is_true(json_object_get(plan, "quick")) ? ", quick" : "");
	} else if (!strcmp(what, "qemu")) {
		snprintf(out, n, "%s", backend_info(r, "qemu_version"));
	} else if (!strcmp(what, "guest")) {
		snprintf(out, n, "%s", backend_info(r, "guest_kernel"));
	} else if (!strcmp(what, "lab")) {
		snprintf(out, n, "no: every backend ran directly on this host");
		json_array_foreach(r->backends, i, e)
			if (rp_lab(r, vb_json_str(e, "name", ""))) {
				snprintf(out, n, "%s", rp_lab(r, vb_json_str(e, "name", "")));
				break;
			}
	} else if (!strcmp(what, "cmd")) {
		size_t used = 0;

		out[0] = 0;
		json_array_foreach(json_object_get(meta, "command_line"), i, e) {
			int k = snprintf(out + used, n - used, "%s%s", i ? " " : "",
					 json_is_string(e) ? json_string_value(e) : "?");

			if (k < 0 || (size_t)k >= n - used)
				break;
			used += (size_t)k;
		}
	}
}

static void backends_table(struct rp_report *rp)
{
	static const char *const head[] = {"run", "approach", "status", "start to hello (ms)",
					   "what it is, or why not"};
	char num[32];
	size_t i;
	json_t *b;

	rp_doc_table(&rp->doc, 5, head);
	for (int r = 0; r < rp->nruns; r++) {
		json_array_foreach(rp->runs[r].backends, i, b) {
			const char *status = vb_json_str(b, "status", "?");
			int ok = !strcmp(status, "ok");
			const char *cells[5] = {
				rp->runs[r].label, vb_json_str(b, "name", "?"), status,
				ok ? rp_num(vb_json_num(b, "start_ms", NAN), num, sizeof(num)) : "-",
				ok ? vb_json_str(b, "desc", "") : vb_json_str(b, "reason", "no reason given"),
			};
			const char *cls[5] = {NULL, NULL, ok ? NULL : "na", NULL, ok ? NULL : "na"};

			rp_doc_row(&rp->doc, 5, cells, cls);
		}
	}
	rp_doc_table_end(&rp->doc);
}

/* What the host-kind approach is, where one ran: the baseline of the others. */
static void host_note(struct rp_report *rp)
{
	size_t i;
	json_t *b;

	json_array_foreach(rp->backends, i, b)
		for (int r = 0; r < rp->nruns; r++)
			if (rp_is_kind(&rp->runs[r], json_string_value(b), VB_KIND_HOST)) {
				rp_doc_para(&rp->doc, "\"%s\" is the host as the harness found it: "
					    "where the host is itself a virtual machine (see the "
					    "evidence above), every slowdown is relative to that "
					    "guest, not to bare metal.", json_string_value(b));
				return;
			}
}

void rp_sec_environment(struct rp_report *rp)
{
	static const char *const rows[][2] = {
		{"file", "result file"}, {"host", "host"}, {"cpu", "CPU, memory, topology"},
		{"virt", "host virtualization (detected)"}, {"evidence", "evidence"},
		{"lab", "emulated lab mode"}, {"qemu", "QEMU"}, {"guest", "guest kernel"},
		{"vbench", "vbench"}, {"when", "run"}, {"plan", "plan"}, {"cmd", "command line"},
	};
	const char *head[MAXRUNS_COLS + 1] = {"", NULL};
	const char *cells[MAXRUNS_COLS + 1];
	char buf[MAXRUNS_COLS][1024];
	int cols = rp->nruns < MAXRUNS_COLS ? rp->nruns : MAXRUNS_COLS;

	rp_doc_heading(&rp->doc, 2, "Environment");
	if (rp->nruns > MAXRUNS_COLS)
		rp_doc_note(&rp->doc, "Only the first %d runs fit in this table.", MAXRUNS_COLS);
	for (int r = 0; r < cols; r++)
		head[r + 1] = rp->runs[r].label;
	rp_doc_table(&rp->doc, cols + 1, head);
	for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
		cells[0] = rows[k][1];
		for (int r = 0; r < cols; r++) {
			field(&rp->runs[r], rows[k][0], buf[r], sizeof(buf[r]));
			cells[r + 1] = buf[r];
		}
		rp_doc_row(&rp->doc, cols + 1, cells, NULL);
	}
	rp_doc_table_end(&rp->doc);
	host_note(rp);
	rp_doc_heading(&rp->doc, 3, "Approaches");
	backends_table(rp);
}
