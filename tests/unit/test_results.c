/* SPDX-License-Identifier: MIT */
/* Result documents: round trip, paired ratios, and refusal of bad files. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../harness/results.h"
#include "../../common/proto.h"

static char path[64];

static void setup(void)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/vbench-test-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
}

static void teardown(void)
{
	unlink(path);
}

static json_t *measurement(const char *be, int round, double a, double b)
{
	return json_pack("{s:s, s:s, s:i, s:s, s:[f, f]}", "backend", be, "bench", "cpu.x",
			 "round", round, "status", "ok", "samples", a, b);
}

static const struct vb_backend host = {
	.name = "bare", .desc = "host",
	.traits = { VB_KIND_HOST, VB_ACCEL_NONE, VB_DEV_NATIVE, NULL, NULL, "" },
};
static const struct vb_backend slow = {
	.name = "slow", .desc = "test",
	.traits = { VB_KIND_VM, VB_ACCEL_TCG, VB_DEV_EMULATED, "bare", NULL, "" },
};
static const struct vb_pick picks[] = { { &host, "bare" }, { &slow, "slow" }, { &slow, "gone" } };

/* A document with bare and a backend twice as slow, higher-is-better unit. */
static json_t *doc_with_data(void)
{
	char *argv[] = { "vbench", "run" };
	json_t *doc = vb_results_new(2, argv, json_object(), json_pack("{s:i}", "rounds", 3));

	vb_results_add_backend(doc, &picks[0], "ok", NULL);
	vb_results_add_backend(doc, &picks[1], "ok", NULL);
	vb_results_add_backend(doc, &picks[2], "unavailable", "no /dev/kvm");
	vb_results_add_workload(doc, json_pack("{s:s, s:s, s:s}", "name", "cpu.x", "unit",
					       "MB/s", "direction", "higher"));
	for (int r = 0; r < 3; r++) {
		vb_results_add_measurement(doc, measurement("bare", r, 100 + r, 102 + r));
		vb_results_add_measurement(doc, measurement("slow", r, (100 + r) / 2.0,
							    (102 + r) / 2.0));
	}
	vb_results_add_measurement(doc, json_pack("{s:s, s:s, s:i, s:s, s:s}", "backend",
						  "slow", "bench", "cpu.x", "round", 3, "status",
						  "error", "reason", "timeout"));
	ck_assert_int_eq(vb_results_finish(doc, 1, 0), 0);
	return doc;
}

START_TEST(roundtrip_and_ratios)
{
	char err[512];
	json_t *doc = doc_with_data(), *back, *s;
	size_t i;
	int seen = 0;

	ck_assert_int_eq(vb_results_write(doc, path, err, sizeof(err)), 0);
	back = vb_results_load(path, err, sizeof(err));
	ck_assert_msg(back != NULL, "%s", err);
	ck_assert(json_equal(doc, back));
	ck_assert(json_is_true(json_object_get(back, "complete")));
	json_array_foreach(json_object_get(back, "summary"), i, s) {
		json_t *ratio = json_object_get(s, "ratio");

		if (strcmp(vb_json_str(s, "backend", ""), "slow"))
			continue;
		seen = 1;
		ck_assert_double_eq_tol(vb_json_num(ratio, "median", 0), 0.5, 1e-9);
		/* higher is better: half the rate is twice as slow */
		ck_assert_double_eq_tol(vb_json_num(json_object_get(s, "slowdown"), "median", 0),
					2.0, 1e-9);
		ck_assert_int_eq(vb_json_int(ratio, "rounds", 0), 3);
		ck_assert_int_eq(vb_json_int(s, "n", 0), 6); /* the error adds no sample */
	}
	ck_assert(seen);
	json_decref(doc);
	json_decref(back);
}
END_TEST

static void write_file(const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(load_refuses_bad_files)
{
	static const struct { const char *text, *want; } cases[] = {
		{ "{\"schema\": \"vbench-results\", \"version\": 1,", "not valid JSON" },
		{ "[]", "not a vbench result file" },
		{ "{\"schema\": \"other\", \"version\": 1}", "not a vbench result file" },
		{ "{\"schema\": \"vbench-results\", \"version\": 99}", "version 99" },
		{ "{\"schema\": \"vbench-results\"}", "no result schema version" },
		{ "{\"schema\": \"vbench-results\", \"version\": 1, \"backends\": {}}", "malformed" },
	};
	char err[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_file(cases[i].text);
		err[0] = '\0';
		ck_assert_ptr_null(vb_results_load(path, err, sizeof(err)));
		ck_assert_msg(strstr(err, cases[i].want), "case %zu: '%s'", i, err);
	}
	ck_assert_ptr_null(vb_results_load("/nonexistent/r.json", err, sizeof(err)));
}
END_TEST

START_TEST(write_is_atomic_on_failure)
{
	char err[512];
	json_t *doc = doc_with_data();

	ck_assert_int_eq(vb_results_write(doc, "/nonexistent/dir/r.json", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/dir/r.json.tmp"));
	json_decref(doc);
}
END_TEST

/*
 * 5,000 measurements: 2,500 rounds of bare and of a backend half as fast,
 * 30 samples each: 75,000 samples per pair, beyond the 65,536 the summary
 * once cut silently.
 */
START_TEST(summary_of_5000_measurements)
{
	char *argv[] = { "vbench", "run" };
	json_t *doc = vb_results_new(2, argv, json_object(), json_pack("{s:i}", "rounds", 2500));
	json_t *sum, *e;
	const int rounds = 2500, samples = 30;
	size_t i;

	vb_results_add_backend(doc, &picks[0], "ok", NULL);
	vb_results_add_backend(doc, &picks[1], "ok", NULL);
	vb_results_add_workload(doc, json_pack("{s:s, s:s, s:s}", "name", "cpu.x", "unit",
					       "ns/op", "direction", "lower"));
	for (int r = 0; r < rounds; r++)
		for (int b = 0; b < 2; b++) {
			json_t *x = json_array();

			for (int k = 0; k < samples; k++)
				json_array_append_new(x, json_real((b ? 2.0 : 1.0) * (100 + k % 7)));
			vb_results_add_measurement(doc, json_pack("{s:s, s:s, s:i, s:s, s:o}",
								  "backend", b ? "slow" : "bare",
								  "bench", "cpu.x", "round", r,
								  "status", "ok", "samples", x));
		}
	ck_assert_uint_eq(json_array_size(json_object_get(doc, "measurements")), 5000);
	ck_assert_int_eq(vb_results_finish(doc, 1, 0), 0);
	sum = json_object_get(doc, "summary");
	ck_assert_uint_eq(json_array_size(sum), 2);
	json_array_foreach(sum, i, e) {
		int is_slow = !strcmp(vb_json_str(e, "backend", ""), "slow");

		ck_assert_int_eq(vb_json_int(e, "n", 0), rounds * samples);
		ck_assert_double_eq_tol(vb_json_num(e, "median", 0), is_slow ? 206 : 103, 1e-9);
		if (!is_slow) {
			ck_assert(json_is_null(json_object_get(e, "ratio")));
			continue;
		}
		ck_assert_str_eq(vb_json_str(e, "baseline", ""), "bare");
		ck_assert_int_eq(vb_json_int(json_object_get(e, "ratio"), "rounds", 0), rounds);
		ck_assert_double_eq_tol(vb_json_num(json_object_get(e, "slowdown"), "median", 0), 2.0,
					1e-9);
	}
	json_decref(doc);
}
END_TEST

/* A backend's traits: JSON both ways, tags, and refusal of what is not traits. */
START_TEST(traits_json_and_parse)
{
	static const char *const bad[] = {
		"{\"kind\": \"vm\", \"accel\": \"tcg\", \"devices\": \"sr-iov\"}",
		"{\"kind\": \"pod\", \"accel\": \"none\", \"devices\": \"native\"}",
		"{\"kind\": \"vm\", \"accel\": \"kvm\", \"devices\": \"virtio\", \"baseline\": 7}",
		"{\"kind\": \"vm\", \"accel\": \"kvm\", \"devices\": \"virtio\", \"baseline\": \"\"}",
		"{\"kind\": \"vm\", \"accel\": \"kvm\", \"devices\": \"virtio\", \"lab\": []}",
		"[]",
	};
	const struct vb_traits t2 = { VB_KIND_VM, VB_ACCEL_TCG, VB_DEV_EMULATED, "bare", "type2-pv",
				      "" };
	struct vb_traits back;
	char err[256];
	json_t *j = vb_traits_json(&t2, "new");

	ck_assert_int_eq(vb_traits_parse(j, &back, err, sizeof(err)), 0);
	ck_assert_int_eq(back.kind, VB_KIND_VM);
	ck_assert_int_eq(back.accel, VB_ACCEL_TCG);
	ck_assert_int_eq(back.devices, VB_DEV_EMULATED);
	/* a tagged instance's partner carries the tag; its baseline does not */
	ck_assert_str_eq(back.baseline, "bare");
	ck_assert_str_eq(back.pv_partner, "type2-pv@new");
	ck_assert_str_eq(back.lab, "");
	json_decref(j);
	j = vb_traits_json(&host.traits, NULL);
	ck_assert_int_eq(vb_traits_parse(j, &back, err, sizeof(err)), 0);
	ck_assert_ptr_null(back.baseline);
	ck_assert_ptr_null(back.pv_partner);
	json_decref(j);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		j = json_loads(bad[i], 0, NULL);
		ck_assert_ptr_nonnull(j);
		err[0] = '\0';
		ck_assert_msg(vb_traits_parse(j, &back, err, sizeof(err)) == -1, "accepted %s", bad[i]);
		ck_assert_msg(strstr(err, "traits"), "%zu: '%s'", i, err);
		json_decref(j);
	}
}
END_TEST

/* Files from before traits: the names of 0.1.0 get theirs, others none. */
START_TEST(old_files_get_traits)
{
	char err[512];
	json_t *doc, *b;
	struct vb_traits t;

	write_file("{\"schema\": \"vbench-results\", \"version\": 1, \"workloads\": [], "
		   "\"measurements\": [], \"backends\": [{\"name\": \"bare\"}, "
		   "{\"name\": \"paravirt\", \"info\": {\"lab\": \"emulated: L1 TCG\"}}, "
		   "{\"name\": \"mystery\"}]}");
	doc = vb_results_load(path, err, sizeof(err));
	ck_assert_msg(doc != NULL, "%s", err);
	b = json_object_get(doc, "backends");
	ck_assert_int_eq(vb_traits_parse(json_object_get(json_array_get(b, 0), "traits"), &t, err,
					 sizeof(err)), 0);
	ck_assert_int_eq(t.kind, VB_KIND_HOST);
	ck_assert_ptr_null(t.baseline);
	ck_assert_int_eq(vb_traits_parse(json_object_get(json_array_get(b, 1), "traits"), &t, err,
					 sizeof(err)), 0);
	ck_assert_int_eq(t.accel, VB_ACCEL_KVM);
	ck_assert_int_eq(t.devices, VB_DEV_VIRTIO);
	ck_assert_str_eq(t.baseline, "bare");
	ck_assert_str_eq(t.pv_partner, "type1");
	ck_assert_str_eq(t.lab, "emulated: L1 TCG");
	ck_assert_ptr_null(json_object_get(json_array_get(b, 2), "traits"));
	json_decref(doc);
}
END_TEST

/*
 * A result file over the cap is refused before it is read (a sparse file:
 * nothing is written or read), one of exactly the cap is read; the same
 * for a document in memory.
 */
START_TEST(results_over_cap_refused)
{
	char err[512] = "", *buf;

	ck_assert_int_eq(truncate(path, (off_t)VB_RESULTS_MAX_BYTES + 1), 0);
	ck_assert_ptr_null(vb_results_load(path, err, sizeof(err)));
	ck_assert_msg(strstr(err, "larger than 256 MiB"), "%s", err);
	/* at the cap it is read: NUL bytes are not JSON */
	ck_assert_int_eq(truncate(path, (off_t)VB_RESULTS_MAX_BYTES), 0);
	ck_assert_ptr_null(vb_results_load(path, err, sizeof(err)));
	ck_assert_msg(strstr(err, "not valid JSON"), "%s", err);
	buf = calloc(VB_RESULTS_MAX_BYTES + 1u, 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_ptr_null(vb_results_loadb(buf, VB_RESULTS_MAX_BYTES + 1u, "lab", err,
					    sizeof(err)));
	ck_assert_msg(strstr(err, "lab: larger than 256 MiB"), "%s", err);
	free(buf);
}
END_TEST

Suite *suite_results(void)
{
	Suite *s = suite_create("results");
	TCase *t = tcase_create("core");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, roundtrip_and_ratios);
	tcase_add_test(t, load_refuses_bad_files);
	tcase_add_test(t, write_is_atomic_on_failure);
	tcase_add_test(t, traits_json_and_parse);
	tcase_add_test(t, old_files_get_traits);
	tcase_add_test(t, summary_of_5000_measurements);
	tcase_add_test(t, results_over_cap_refused);
	/* 5,000 measurements with bootstrap intervals, under ASan too */
	tcase_set_timeout(t, 120);
	suite_add_tcase(s, t);
	return s;
}
