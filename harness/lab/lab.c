/* SPDX-License-Identifier: MIT */
#include "lab.h"
#include "l1image.h"
#include "../backends/qemu.h"
#include "../../common/clock.h"
#include "../../common/results.h"
#include "../../common/proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_NESTED_BYTES (64u << 20)
/*
 * The nested vbench says something at each measurement, and each of its
 * waits is bounded by --timeout or --hello-timeout: silence this much
 * longer means L1 itself is stuck. After a stop, it has this long to send
 * what it measured (its own cleanup stops two L2 guests).
 */
#define QUIET_MARGIN_S 120
#define STOP_GRACE_MS (120 * 1000)
#define LAB_NOTE "emulated: L1 QEMU TCG with AMD SVM (-cpu EPYC), real KVM inside; " \
		 "absolute times are slow, exits and ratios within the lab are the point"

static void arg(json_t *a, const char *s)
{
	json_array_append_new(a, json_string(s));
}

static void argf(json_t *a, const char *opt, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	arg(a, opt);
	arg(a, buf);
}

/* The host's plan as the nested vbench's command line (-o is the agent's). */
static json_t *nested_args(const struct vb_lab *lab, const struct vb_l1_files *l1)
{
	const struct vb_run_opts *o = lab->o;
	json_t *a = json_array();
	char list[256] = "bare", precision[32];

	for (size_t i = 0; i < lab->n; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), ",%s", lab->names[i]);
	arg(a, "--backend");
	arg(a, list);
	arg(a, "--bench");
	arg(a, lab->benches);
	argf(a, "--rounds", o->rounds);
	argf(a, "--samples", o->samples);
	argf(a, "--warmup", o->warmup);
	argf(a, "--min-sample-ms", o->min_sample_ms);
	argf(a, "--seed", (long long)o->seed);
	/* the lab's rounds until precise are the host's, its budget its own */
	snprintf(precision, sizeof(precision), "%.17g", o->precision);
	arg(a, "--precision");
	arg(a, precision);
	if (o->precision > 0)
		argf(a, "--max-rounds", o->max_rounds);
	argf(a, "--cpus", o->cpus);
	argf(a, "--memory", o->memory_mb);
	argf(a, "--scratch-mib", o->scratch_mib);
	argf(a, "--life-reps", o->life_reps);
	argf(a, "--budget", o->budget_bytes);
	argf(a, "--density-max", o->density_max);
	argf(a, "--timeout", o->timeout_s);
	argf(a, "--hello-timeout", o->hello_timeout_s);
	arg(a, "--lab");
	arg(a, "none");
	arg(a, "--cache");
	arg(a, VB_L1_CACHE);
	arg(a, "--kernel");
	arg(a, l1->l2_kernel);
	arg(a, "--modules");
	arg(a, VB_L1_L2_MODULES);
	arg(a, "--workdir");
	arg(a, "/work");
	if (o->no_count)
		arg(a, "--no-count");
	if (o->no_probes)
		arg(a, "--no-probes");
	if (o->probes) {
		arg(a, "--probes");
		arg(a, o->probes);
	}
	for (int i = 0; i < o->nparams; i++) {
		arg(a, "--param");
		arg(a, o->params[i]);
	}
	return a;
}

/*
 * A line from the guest on our terminal: printable ASCII only, and only
 * the nested vbench's own lines (progress, starts, errors); its summary
 * table is left out, the merged one follows at the end.
 */
static void show(const char *line)
{
	char clean[256];
	size_t k = 0;

	if (strncmp(line, "vbench", 6))
		return;
	for (; *line && k < sizeof(clean) - 1; line++)
		clean[k++] = *line >= 0x20 && *line <= 0x7e ? *line : ' ';
	clean[k] = '\0';
	if (strncmp(clean, "vbench: round ", 14) == 0 && isatty(2))
		fprintf(stderr, "\r\033[Kvbench: lab: %s", clean + 8);
	else
		fprintf(stderr, "%svbench: lab: %s\n", isatty(2) ? "\r\033[K" : "",
			strncmp(clean, "vbench: ", 8) ? clean : clean + 8);
}

/* What one message of the exchange adds: 1 going on, 0 done (doc or err set). */
static int take(json_t *msg, char *buf, size_t *len, int *exit_code, json_t **doc, char *err,
		size_t n)
{
	const char *op = vb_json_str(msg, "op", "");

	if (strcmp(op, "progress") == 0) {
		show(vb_json_str(msg, "line", ""));
		return 1;
	}
	if (strcmp(op, "chunk") == 0) {
		const json_t *d = json_object_get(msg, "data");
		size_t k = json_string_length(d);

		if (!json_is_string(d) || k > MAX_NESTED_BYTES - *len) {
			snprintf(err, n, "the lab sent a bad or oversized result chunk");
			return 0;
		}
		memcpy(buf + *len, json_string_value(d), k);
		*len += k;
		return 1;
	}
	if (strcmp(op, "lab") == 0) {
		*exit_code = (int)vb_json_int(msg, "exit", -1);
		if (vb_json_int(msg, "bytes", -1) != (json_int_t)*len)
			snprintf(err, n, "the lab's results arrived cut: %zu of %lld bytes", *len,
				 (long long)vb_json_int(msg, "bytes", -1));
		else
			*doc = vb_results_loadb(buf, *len, "the lab's results", err, n);
		return 0;
	}
	snprintf(err, n, "the lab's agent: %s",
		 vb_json_str(msg, "msg", vb_json_str(msg, "reason", "unexpected message")));
	return 0;
}

/*
 * Send the "lab" request and follow its exchange: progress lines, result
 * chunks, then the final "lab" message. On Ctrl-C, or when the nested
 * vbench stays silent longer than any of its own limits, it is told to
 * stop, and what it measured until then still comes back (a second
 * Ctrl-C, or silence after the stop, gives up). The nested document, or
 * NULL with err.
 */
static json_t *follow(struct vb_instance *in, json_t *req, const struct vb_lab *lab,
		      int *exit_code, char *err, size_t n)
{
	unsigned limit_s = lab->o->timeout_s > lab->o->hello_timeout_s ? lab->o->timeout_s
									: lab->o->hello_timeout_s;
	unsigned quiet_ms = (limit_s + QUIET_MARGIN_S) * 1000u;
	char *buf = malloc(MAX_NESTED_BYTES);
	size_t len = 0;
	int passing = 0, told = 0;
	json_t *msg = NULL, *doc = NULL;

	if (!buf) {
		snprintf(err, n, "out of memory");
		return NULL;
	}
	msg = vb_instance_wait(in, req, quiet_ms, &passing, err, n);
	for (;;) {
		if ((!msg && passing && !told) || (*lab->stop && !told)) {
			json_t *stop = json_pack("{s:s}", "op", "stop");

			fprintf(stderr, "%svbench: lab: %s; asking the nested vbench to stop and send "
				"what it measured\n", isatty(2) ? "\r\033[K" : "",
				*lab->stop ? "interrupted" : err);
			json_decref(msg);
			msg = vb_instance_wait(in, stop, STOP_GRACE_MS, &passing, err, n);
			json_decref(stop);
			told = 1;
			continue;
		}
		if (!msg || !take(msg, buf, &len, exit_code, &doc, err, n))
			break;
		json_decref(msg);
		msg = vb_instance_wait(in, NULL, told ? STOP_GRACE_MS : quiet_ms, &passing, err, n);
	}
	json_decref(msg);
	free(buf);
	return doc;
}

/*
 * L1 has as many vCPUs as each nested guest (--cpus, 1 by default): with
 * two, multi-threaded TCG stalled L1 after tens of measurements (one vCPU
 * stuck for minutes on the other's answer to an IPI: soft lockup and RCU
 * stall on its console), and single-threaded TCG, which runs them in
 * turn, made every cross-CPU wait in L1 last up to its 100 ms time slice.
 * The nested vbench, its agents and the L2 vCPUs share that CPU; its
 * measurements run one at a time and the rest waits meanwhile.
 */
static void l1_ctx(const struct vb_lab *lab, const struct vb_l1_files *l1, struct vb_run_ctx *c)
{
	*c = *lab->ctx;
	/*
	 * the nested guests' RAM, and as much again for L1's own root (its
	 * image, in RAM), the lab's bare workloads and page cache: TCG only
	 * allocates what L1 touches
	 */
	c->memory_mb = (long long)(lab->n + 1) * lab->o->memory_mb + 2048;
	/*
	 * L1's own disk, its /work: room for the inner run's shared scratch
	 * image and its experiments' own (one per nested instance at most)
	 */
	c->scratch_mib = (long long)(lab->n + 1) * lab->o->scratch_mib + 512;
	c->scratch = NULL;
	c->image_extra = l1->file;
	c->nimage_extra = l1->n;
}

static json_t *l1_json(const struct vb_instance *in, double files_ms)
{
	struct stat st;
	const char *initrd = vb_json_str(in->info, "initrd", "");
	json_t *j = json_pack("{s:f, s:f, s:f, s:O}", "files_ms", files_ms, "image_ms",
			      in->setup_ms, "boot_ms", in->start_ms, "info", in->info);

	if (stat(initrd, &st) == 0)
		json_object_set_new(j, "image_bytes", json_integer((json_int_t)st.st_size));
	return j;
}

int vb_lab_run(const struct vb_lab *lab, json_t *doc, char *err, size_t n)
{
	static struct vb_l1_files l1;
	static struct vb_instance in;
	struct vb_run_ctx c;
	json_t *req, *nested, *meta = json_object_get(doc, "meta");
	double t0 = vb_now_ms(), files_ms;
	int exit_code = -1;
	size_t taken, dropped;

	fprintf(stderr, "vbench: lab: preparing the L1 image (built once, then cached)\n");
	if (vb_l1_files(lab->ctx, &l1, err, n))
		return -1;
	files_ms = vb_now_ms() - t0;
	l1_ctx(lab, &l1, &c);
	fprintf(stderr, "vbench: lab: booting L1 (QEMU TCG, -cpu EPYC, %d vCPU%s, %lld MiB)\n",
		c.npus, c.npus == 1 ? "" : "s", c.memory_mb);
	memset(&in, 0, sizeof(in));
	if (vb_instance_start(&in, &vb_backend_lab_l1, vb_backend_lab_l1.name, &c, err, n)) {
		vb_instance_stop(&in);
		return -1;
	}
	fprintf(stderr, "vbench: lab: L1 up in %.1f s (image %.1f s); running the nested vbench\n",
		in.start_ms / 1000, in.setup_ms / 1000);
	req = json_pack("{s:s, s:o}", "op", "lab", "args", nested_args(lab, &l1));
	nested = follow(&in, req, lab, &exit_code, err, n);
	json_decref(req);
	json_object_set_new(meta, "lab", json_pack("{s:s, s:s, s:o, s:i}", "note", LAB_NOTE,
						   "why", lab->why, "l1", l1_json(&in, files_ms),
						   "exit", exit_code));
	if (!nested && in.be && in.be->log_tail) {
		char tail[1024] = "";
		size_t len = strlen(err);

		in.be->log_tail(&in, tail, sizeof(tail));
		if (tail[0] && !strstr(err, "log tail") && len < n)
			snprintf(err + len, n - len, "; L1's log tail: %s", tail);
	}
	vb_instance_stop(&in);
	if (!nested)
		return -1;
	json_object_set(json_object_get(meta, "lab"), "host",
			json_object_get(json_object_get(nested, "meta"), "host"));
	json_object_set(json_object_get(meta, "lab"), "probes",
			json_object_get(json_object_get(nested, "meta"), "probes"));
	json_object_set(json_object_get(meta, "lab"), "interrupted",
			json_object_get(nested, "interrupted"));
	taken = vb_lab_merge(doc, nested, lab->names, lab->n, LAB_NOTE, &dropped);
	json_object_set_new(json_object_get(meta, "lab"), "dropped", json_integer((json_int_t)dropped));
	json_decref(nested);
	if (dropped)
		fprintf(stderr, "vbench: lab: %zu malformed or unexpected entries dropped\n", dropped);
	fprintf(stderr, "vbench: lab: %zu measurements merged (nested vbench exit %d)\n", taken,
		exit_code);
	return 0;
}
