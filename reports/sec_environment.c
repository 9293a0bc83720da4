/* SPDX-License-Identifier: MIT */
/*
 * Section: where each run happened (host, its own virtualization, its
 * KVM, versions) and, where approaches ran in an emulated lab, the lab's
 * machine (L1, from meta.lab) beside the host.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../common/proto.h"
#include "../common/virtdetect.h"
#include "approaches.h"
#include "envdiff.h"
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

/* "a; b; c" from a list of {signal, value}. */
static void evidence(const json_t *virt, char *out, size_t n)
{
	size_t i, used = 0;
	json_t *e;

	snprintf(out, n, "none recorded");
	json_array_foreach(json_object_get(virt, VB_VIRT_EVIDENCE), i, e) {
		int k = snprintf(out + used, n - used, "%s%s = \"%s\"", i ? "; " : "",
				 vb_json_str(e, "signal", "?"), vb_json_str(e, "value", "?"));

		if (k < 0 || (size_t)k >= n - used)
			break;
		used += (size_t)k;
	}
}

/* Which KVM backs the machine's /dev/kvm (meta.host.kvm) and whether it runs guests. */
static void kvm(const json_t *host, char *out, size_t n)
{
	const json_t *k = json_object_get(host, "kvm");

	if (!k) {
		snprintf(out, n, "not recorded");
		return;
	}
	snprintf(out, n, "%s%s; %s%s", vb_json_str(k, "impl", "?"),
		 json_is_true(json_object_get(k, "nested")) ? ", nested (the machine is a VM)" : "",
		 json_is_true(json_object_get(k, "runs_guests")) ? "runs unmodified guests" :
		 "runs no unmodified guest: ",
		 json_is_true(json_object_get(k, "runs_guests")) ? "" :
		 vb_json_str(k, "reason", "no reason recorded"));
}

/* Whether s is a machine id as vbench records them: 32 lowercase hex digits. */
static int is_machine_id(const char *s)
{
	return strlen(s) == 32 && strspn(s, "0123456789abcdef") == 32;
}

/* "name (kernel K, machine 1a2b3c4d)": the machine id's first digits, where there is one. */
static void host_field(const json_t *host, char *out, size_t n)
{
	const char *id = vb_json_str(host, "machine_id", "");

	snprintf(out, n, "%s (kernel %s%s%.8s)", vb_json_str(host, "hostname", "?"),
		 vb_json_str(host, "kernel", "?"), is_machine_id(id) ? ", machine " : "",
		 is_machine_id(id) ? id : "");
}

/* A field of a machine's description (meta.host, or meta.lab.host for L1); 1 if known. */
static int machine_field(const json_t *host, const char *what, char *out, size_t n)
{
	const json_t *virt = json_object_get(host, "virt");

	if (!strcmp(what, "host"))
		host_field(host, out, n);
	else if (!strcmp(what, "cpu"))
		snprintf(out, n, "%s; %lld CPUs, %.1f GiB; %s", vb_json_str(host, "cpu_model", "?"),
			 vb_json_int(host, "cpus", 0),
			 vb_json_num(host, "mem_bytes", 0) / (1024.0 * 1024 * 1024),
			 vb_json_str(json_object_get(host, "topology"), "summary", "topology unknown"));
	else if (!strcmp(what, "virt"))
		snprintf(out, n, "VM: %s; container: %s",
			 vb_json_str(virt, VB_VIRT_VM, "not detected"),
			 vb_json_str(virt, VB_VIRT_CONTAINER, "not detected"));
	else if (!strcmp(what, "evidence"))
		evidence(virt, out, n);
	else if (!strcmp(what, "kvm"))
		kvm(host, out, n);
	else
		return 0;
	return 1;
}

/* The approaches of r that ran in a lab (lab != 0) or directly, comma-separated. */
static void approaches_in(const struct rp_run *r, int lab, char *out, size_t n)
{
	size_t i, used = 0;
	json_t *b;

	out[0] = 0;
	json_array_foreach(r->backends, i, b) {
		const char *be = vb_json_str(b, "name", "");
		int k;

		if ((rp_lab(r, be) != NULL) != lab || strcmp(vb_json_str(b, "status", ""), "ok"))
			continue;
		k = snprintf(out + used, n - used, "%s%s", used ? ", " : "", be);
		if (k < 0 || (size_t)k >= n - used)
			break;
		used += (size_t)k;
	}
}

/* Whether the run used an emulated lab: for which approaches, what it is, and why. */
static void lab_field(const struct rp_run *r, char *out, size_t n)
{
	const json_t *lab = json_object_get(json_object_get(r->root, "meta"), "lab");
	const char *note = NULL;
	char names[300];
	size_t i;
	json_t *e;

	json_array_foreach(r->backends, i, e)
		if (!note)
			note = rp_lab(r, vb_json_str(e, "name", ""));
	if (!note) {
		snprintf(out, n, "no: every backend ran directly on this host");
		return;
	}
	approaches_in(r, 1, names, sizeof(names));
	snprintf(out, n, "yes, for %s: %s%s%s", names[0] ? names : "none that started", note,
		 lab ? "; why: " : "", lab ? vb_json_str(lab, "why", "not recorded") : "");
}

static void field(const struct rp_run *r, const char *what, char *out, size_t n)
{
	const json_t *meta = json_object_get(r->root, "meta");
	const json_t *plan = json_object_get(meta, "plan");
	size_t i;
	json_t *e;

	if (machine_field(json_object_get(meta, "host"), what, out, n))
		return;
	if (!strcmp(what, "file")) {
		snprintf(out, n, "%s", r->path);
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
		lab_field(r, out, n);
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
	char num[32], series[80];
	size_t i;
	json_t *b;

	rp_doc_table(&rp->doc, 5, head);
	for (int r = 0; r < rp->nruns; r++) {
		json_array_foreach(rp->runs[r].backends, i, b) {
			const char *status = vb_json_str(b, "status", "?");
			int ok = !strcmp(status, "ok");
			const char *cells[5] = {
				rp->runs[r].label,
				rp_label(&rp->runs[r], vb_json_str(b, "name", "?"), series, sizeof(series)),
				status,
				ok ? rp_num(vb_json_num(b, "start_ms", NAN), num, sizeof(num)) : "-",
				ok ? vb_json_str(b, "desc", "") : vb_json_str(b, "reason", "no reason given"),
			};
			const char *cls[5] = {NULL, NULL, ok ? NULL : "na", NULL, ok ? NULL : "na"};

			rp_doc_row(&rp->doc, 5, cells, cls);
		}
	}
	rp_doc_table_end(&rp->doc);
}

/* What each host-kind approach is: the baseline of the others in its place. */
static void host_note(struct rp_report *rp)
{
	size_t i;
	json_t *b;

	json_array_foreach(rp->backends, i, b)
		for (int r = 0; r < rp->nruns; r++) {
			const char *be = json_string_value(b);

			if (!rp_is_kind(&rp->runs[r], be, VB_KIND_HOST))
				continue;
			if (rp_lab(&rp->runs[r], be))
				rp_doc_para(&rp->doc, "\"%s\" is the emulated lab's machine itself (L1, a "
					    "virtual machine that QEMU emulates with TCG): the baseline of "
					    "the approaches marked (lab).", be);
			else
				rp_doc_para(&rp->doc, "\"%s\" is the host as the harness found it: "
					    "where the host is itself a virtual machine (see the "
					    "evidence above), every slowdown is relative to that "
					    "guest, not to bare metal.", be);
			break;
		}
}

/* The L1 column's start and image rows, from meta.lab.l1 ("-" for what it lacks). */
static void l1_field(const json_t *l1, const char *what, char *out, size_t n)
{
	char a[32], b[32], c[32];

	if (!strcmp(what, "start"))
		snprintf(out, n, "booted in %s s (start to hello)",
			 rp_num(vb_json_num(l1, "boot_ms", NAN) / 1000, a, sizeof(a)));
	else
		snprintf(out, n, "%s MiB initramfs, cached between runs; this run: files gathered in "
			 "%s s, image ready in %s s", rp_num(vb_json_num(l1, "image_bytes", NAN) / 1048576, a, sizeof(a)),
			 rp_num(vb_json_num(l1, "files_ms", NAN) / 1000, b, sizeof(b)),
			 rp_num(vb_json_num(l1, "image_ms", NAN) / 1000, c, sizeof(c)));
}

/* A cell of the host-vs-L1 table: the host's (l1 == 0) or the lab machine's. */
static void lab_cell(const struct rp_run *r, int l1, const char *what, char *out, size_t n)
{
	const json_t *meta = json_object_get(r->root, "meta"), *lab = json_object_get(meta, "lab");

	if (!strcmp(what, "runs"))
		approaches_in(r, l1, out, n);
	else if (!l1 && (!strcmp(what, "start") || !strcmp(what, "image")))
		snprintf(out, n, "-");
	else if (l1 && (!strcmp(what, "start") || !strcmp(what, "image")))
		l1_field(json_object_get(lab, "l1"), what, out, n);
	else if (!machine_field(json_object_get(l1 ? lab : meta, "host"), what, out, n))
		snprintf(out, n, "?");
	if (!out[0])
		snprintf(out, n, "none");
}

/* 1 when r has approaches from a lab and meta.lab describes its machine; else a note. */
static int lab_described(struct rp_report *rp, const struct rp_run *r)
{
	char names[300];

	approaches_in(r, 1, names, sizeof(names));
	if (!names[0])
		return 0;
	if (json_object_get(json_object_get(r->root, "meta"), "lab"))
		return 1;
	rp_doc_note(&rp->doc, "%s: %s ran in an emulated lab, but the file does not describe the "
		    "lab's machine (no meta.lab: it was written before vbench recorded one).",
		    r->label, names);
	return 0;
}

/* The host and the lab's L1 side by side, for each run that used a lab. */
static void lab_table(struct rp_report *rp)
{
	static const char *const rows[][2] = {
		{"host", "machine (kernel)"}, {"cpu", "CPU, memory, topology"},
		{"virt", "virtualization (detected)"}, {"kvm", "KVM"}, {"start", "start"},
		{"image", "image"}, {"runs", "approaches it ran"},
	};
	const char *head[MAXRUNS_COLS + 1] = {""}, *cells[MAXRUNS_COLS + 1];
	char heads[MAXRUNS_COLS][128], buf[MAXRUNS_COLS][600];
	int runs[MAXRUNS_COLS / 2], nr = 0;

	if (!rp->lab)
		return;
	rp_doc_heading(&rp->doc, 3, "The emulated lab");
	rp_doc_para(&rp->doc, "The approaches marked (lab) ran in an emulated lab (why: see "
		    "\"emulated lab mode\" above): as L2 guests of real KVM inside an L1 machine "
		    "that QEMU emulates with TCG (AMD SVM with nested paging), with the same "
		    "backends and probes, counted in L1.");
	for (int r = 0; r < rp->nruns && nr < MAXRUNS_COLS / 2; r++) {
		if (!lab_described(rp, &rp->runs[r]))
			continue;
		snprintf(heads[2 * nr], sizeof(heads[0]), "%s: this host", rp->runs[r].label);
		snprintf(heads[2 * nr + 1], sizeof(heads[0]), "%s: the lab's L1", rp->runs[r].label);
		head[2 * nr + 1] = heads[2 * nr];
		head[2 * nr + 2] = heads[2 * nr + 1];
		runs[nr++] = r;
	}
	if (!nr)
		return;
	rp_doc_para(&rp->doc, "The L1 machine beside the host:");
	rp_doc_table(&rp->doc, 2 * nr + 1, head);
	for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
		cells[0] = rows[k][1];
		for (int c = 0; c < 2 * nr; c++) {
			lab_cell(&rp->runs[runs[c / 2]], c % 2, rows[k][0], buf[c], sizeof(buf[c]));
			cells[c + 1] = buf[c];
		}
		rp_doc_row(&rp->doc, 2 * nr + 1, cells, NULL);
	}
	rp_doc_table_end(&rp->doc);
}

/*
 * meta.host.<key> of r, key "hostname" or "machine_id"; NULL where the
 * file has none, or no machine id but "unavailable: ..." in its place.
 */
static const char *ident(const struct rp_run *r, const char *key)
{
	const char *v = vb_json_str(json_object_get(json_object_get(r->root, "meta"), "host"),
				    key, NULL);

	return v && !strcmp(key, "machine_id") && !is_machine_id(v) ? NULL : v;
}

/* Whether run k's `key` is `value`. */
static int has(const struct rp_report *rp, int k, const char *key, const char *value)
{
	const char *v = ident(&rp->runs[k], key);

	return v && !strcmp(v, value);
}

/*
 * Whether no run from `from` to k, whose `group` is g, has run k's `key`
 * already (or lacks it, as k does).
 */
static int first_with(const struct rp_report *rp, int from, int k, const char *group,
		      const char *g, const char *key)
{
	const char *v = ident(&rp->runs[k], key);

	for (int j = from; j < k; j++)
		if (has(rp, j, group, g) && (v ? has(rp, j, key, v) : !ident(&rp->runs[j], key)))
			return 0;
	return 1;
}

/* Add item to the ", "-separated list in out (n bytes), as far as it fits. */
static void list_add(char *out, size_t n, const char *item)
{
	size_t used = strlen(out);

	snprintf(out + used, n - used, "%s%s", used ? ", " : "", item);
}

/* The runs listed in a note: 16 labels fit (vbench report takes 16 files at most). */
#define RUN_LIST 2048
/* What a note shows of a hostname: a host's is 64 bytes at most, a hostile file's anything. */
#define NAME_SHOWN 64

/*
 * The runs whose machine id is run r's, from r on, said once (at the
 * first), with their hostnames; the first such note says once what else
 * makes one id: clones of a VM image that kept it.
 */
static void same_machine(struct rp_report *rp, int r, int *clones_said)
{
	const char *id = ident(&rp->runs[r], "machine_id");
	char runs[RUN_LIST] = "", names[RUN_LIST] = "", name[NAME_SHOWN + 1];
	int n = 0, nnames = 0;

	if (!id)
		return;
	for (int k = 0; k < rp->nruns; k++) {
		if (!has(rp, k, "machine_id", id))
			continue;
		if (k < r)
			return;
		list_add(runs, sizeof(runs), rp->runs[k].label);
		n++;
		if (first_with(rp, r, k, "machine_id", id, "hostname")) {
			const char *h = ident(&rp->runs[k], "hostname");

			snprintf(name, sizeof(name), "%s", h ? h : "not recorded");
			list_add(names, sizeof(names), name);
			nnames++;
		}
	}
	if (n < 2)
		return;
	rp_doc_note(&rp->doc, "%s ran on the same machine (machine id %.8s\u2026, hostname%s %s)%s",
		    runs, id, nnames > 1 ? "s" : "", names, *clones_said ? "." :
		    ", or on clones of one VM image that kept its machine id (a clone must be given "
		    "its own: empty /etc/machine-id in the image).");
	*clones_said = 1;
}

/*
 * The runs whose host has the same name as run r's, from r on, said once
 * (at the first): that their machine ids differ, or, where some file
 * records none, which: then the name is all that tells. Runs of one name
 * and one machine id are same_machine's.
 */
static void same_name(struct rp_report *rp, int r)
{
	const char *name = ident(&rp->runs[r], "hostname");
	char all[RUN_LIST] = "", with_id[RUN_LIST] = "", without[RUN_LIST] = "";
	int n = 0, ids = 0, missing = 0;

	if (!name)
		return;
	for (int k = 0; k < rp->nruns; k++) {
		if (!has(rp, k, "hostname", name))
			continue;
		if (k < r)
			return;
		n++;
		list_add(all, sizeof(all), rp->runs[k].label);
		if (!ident(&rp->runs[k], "machine_id")) {
			list_add(without, sizeof(without), rp->runs[k].label);
			missing++;
			continue;
		}
		list_add(with_id, sizeof(with_id), rp->runs[k].label);
		ids += first_with(rp, r, k, "hostname", name, "machine_id");
	}
	if (n < 2)
		return;
	if (ids > 1)
		rp_doc_note(&rp->doc, "%s share the hostname \"%.*s\" but ran on %d different "
			    "machines (their machine ids differ)%s%s.", with_id, NAME_SHOWN, name, ids,
			    missing ? "; no machine id recorded in " : "", without);
	else if (missing)
		rp_doc_note(&rp->doc, "%s ran on a host named \"%.*s\": the same machine if that "
			    "name is unique; the machine id that would tell is not recorded in %s.",
			    all, NAME_SHOWN, name, without);
}

/* Each run's environment against R1's: what changed (reports/envdiff.c). */
static void differences(struct rp_report *rp)
{
	const char *head[3] = {"what", rp->runs[0].label, NULL}, *cells[3];
	struct rp_envdiffs d;

	rp_doc_heading(&rp->doc, 3, "Differences between the runs");
	rp_doc_para(&rp->doc, "Each run against %s: the host, each approach's hypervisor or "
		    "runtime, vbench itself, the plan, the probes and the command line, where they "
		    "differ. A difference in the results may come from any of them.",
		    rp->runs[0].label);
	for (int r = 0, clones_said = 0; r < rp->nruns; r++) {
		same_machine(rp, r, &clones_said);
		same_name(rp, r);
	}
	for (int r = 1; r < rp->nruns; r++) {
		if (rp_envdiff(&rp->runs[0], &rp->runs[r], &d)) {
			snprintf(rp->err, sizeof(rp->err), "out of memory comparing the environments "
				 "of %s and %s", rp->runs[0].path, rp->runs[r].path);
			rp->failed = 1;
			return;
		}
		if (!d.n) {
			rp_doc_para(&rp->doc, "%s: no difference from %s in the recorded environment.",
				    rp->runs[r].label, rp->runs[0].label);
			continue;
		}
		head[2] = rp->runs[r].label;
		rp_doc_table(&rp->doc, 3, head);
		for (size_t k = 0; k < d.n; k++) {
			cells[0] = d.d[k].what;
			cells[1] = d.d[k].base;
			cells[2] = d.d[k].cur;
			rp_doc_row(&rp->doc, 3, cells, NULL);
		}
		rp_doc_table_end(&rp->doc);
		rp_envdiff_free(&d);
	}
}

void rp_sec_environment(struct rp_report *rp)
{
	static const char *const rows[][2] = {
		{"file", "result file"}, {"host", "host"}, {"cpu", "CPU, memory, topology"},
		{"virt", "host virtualization (detected)"}, {"evidence", "evidence"},
		{"kvm", "KVM"}, {"lab", "emulated lab mode"}, {"qemu", "QEMU"},
		{"guest", "guest kernel"}, {"vbench", "vbench"}, {"when", "run"}, {"plan", "plan"},
		{"cmd", "command line"},
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
	if (rp->nruns > 1)
		differences(rp);
	lab_table(rp);
	rp_doc_heading(&rp->doc, 3, "Approaches");
	backends_table(rp);
}
