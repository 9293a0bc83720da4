/* SPDX-License-Identifier: MIT */
/*
 * vbench run --resume: which files it refuses, the plan read back as
 * options, and the skip set over what the file holds already.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "../../harness/debris.h"
#include "../../harness/resume.h"

/* A run of bare and container, cut off in round 1 of 3. */
static const char *const cut_off =
	"{\"schema\": \"vbench-results\", \"version\": 1, \"complete\": false,"
	" \"interrupted\": true,"
	" \"meta\": {\"plan\": {\"rounds\": 3, \"samples\": 4, \"warmup\": 0,"
	"   \"min_sample_ms\": 20, \"count\": true, \"quick\": false, \"seed\": 42,"
	"   \"pus\": [1], \"backends\": [\"bare\", \"container\"],"
	"   \"benches\": [\"cpu.int\", \"mem.stream\"], \"memory_mb\": 512, \"scratch_mib\": 64,"
	"   \"timeout_s\": 30, \"hello_timeout_s\": 20, \"container_runtime\": \"runc\","
	"   \"kernel\": \"/boot/vmlinuz-x\", \"modules\": null, \"probes\": false, \"lab\": \"none\","
	"   \"set\": [\"container.memory=256\"]},"
	"   \"owner\": {\"pid\": 1, \"start\": 1, \"boot\": \"elsewhen\", \"pidns\": 1}},"
	" \"backends\": [{\"name\": \"bare\", \"status\": \"ok\", \"start_ms\": 1.5}],"
	" \"workloads\": [{\"name\": \"cpu.int\", \"params\": {\"n\": 4096}},"
	"                {\"name\": \"mem.stream\", \"params\": {\"array_mib\": 128}}],"
	" \"measurements\": ["
	"  {\"backend\": \"bare\", \"bench\": \"cpu.int\", \"round\": 0, \"status\": \"ok\","
	"   \"iters\": 7, \"samples\": [1.25, 1.5, 1.75, 2], \"elapsed_ns\": [1, 2, 3, 4]},"
	"  {\"backend\": \"container\", \"bench\": \"cpu.int\", \"round\": 0, \"status\": \"error\","
	"   \"reason\": \"timeout\"},"
	"  {\"backend\": \"bare\", \"bench\": \"mem.stream\", \"round\": 0,"
	"   \"status\": \"unsupported\", \"reason\": \"no\"},"
	"  {\"backend\": \"bare\", \"bench\": \"cpu.int\", \"round\": 1, \"status\": \"ok\","
	"   \"iters\": 7, \"samples\": [1, 1, 1, 1], \"elapsed_ns\": [1, 1, 1, 1]}],"
	" \"summary\": []}";

static json_t *doc_with(const char *path, json_t *value)
{
	json_t *doc = json_loads(cut_off, 0, NULL);
	json_t *at = doc;
	char buf[256], *save = NULL, *key, *next;

	ck_assert_ptr_nonnull(doc);
	snprintf(buf, sizeof(buf), "%s", path);
	for (key = strtok_r(buf, ".", &save); key; key = next) {
		next = strtok_r(NULL, ".", &save);
		if (next)
			at = json_object_get(at, key);
		else if (value)
			json_object_set_new(at, key, value);
		else
			json_object_del(at, key);
	}
	return doc;
}

/* vb_resume_take's answer for doc, err its message. */
static int take(json_t *doc, char *err, size_t n)
{
	static struct vb_resume rs;
	int rc = vb_resume_take(&rs, doc, "r.json", err, n);

	vb_resume_free(&rs);
	return rc;
}

START_TEST(resume_refuses_complete_file)
{
	struct vb_owner self;
	char err[512];

	ck_assert_int_eq(take(doc_with("complete", json_true()), err, sizeof(err)), 0);
	ck_assert_int_eq(take(doc_with("interrupted", json_false()), err, sizeof(err)), 0);
	json_t *done = doc_with("complete", json_true());
	json_object_set_new(done, "interrupted", json_false());
	ck_assert_int_eq(take(done, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "r.json is a complete run: nothing to resume");
	/* a file that a live vbench still writes */
	ck_assert_int_eq(vb_owner_of(getpid(), &self, err, sizeof(err)), 0);
	ck_assert_int_eq(take(doc_with("meta.owner", vb_owner_json(&self)), err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "being written by a running vbench"), "%s", err);
	/* the emulated lab runs whole: a run cut off in it cannot go on */
	ck_assert_int_eq(take(doc_with("meta.lab", json_object()), err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "emulated lab"), "%s", err);
}
END_TEST

/* A run of experiments alone: resumed with them and their settings. */
START_TEST(resume_takes_experiments)
{
	static struct vb_resume rs;
	json_t *doc = doc_with("meta.plan.benches", json_array());
	json_t *plan = json_object_get(json_object_get(doc, "meta"), "plan");
	char err[512], argv[2048] = "";

	json_object_set_new(plan, "experiments", json_pack("[s, s]", "life.start",
							   "iso.neighbour"));
	json_object_set_new(plan, "life_reps", json_integer(4));
	json_object_set_new(plan, "budget_bytes", json_integer(1 << 30));
	json_object_set_new(plan, "density_max", json_integer(9));
	ck_assert_int_eq(vb_resume_take(&rs, doc, "r.json", err, sizeof(err)), 0);
	for (int i = 0; i < rs.argc; i++)
		snprintf(argv + strlen(argv), sizeof(argv) - strlen(argv), " %s", rs.argv[i]);
	ck_assert_msg(strstr(argv, " --bench=life.start,iso.neighbour ") &&
		      strstr(argv, " --life-reps=4 ") && strstr(argv, " --budget=1073741824 ") &&
		      strstr(argv, " --density-max=9"), "%s", argv);
	vb_resume_free(&rs);
}
END_TEST

START_TEST(resume_refuses_unreadable_plans)
{
	static const struct {
		const char *path;
		const char *value; /* JSON, or NULL to delete it */
		const char *says;
	} cases[] = {
		{ "meta.plan", NULL, "no meta.plan" },
		{ "meta.plan.timeout_s", NULL, "meta.plan.timeout_s is missing" },
		{ "meta.plan.rounds", "\"3\"", "meta.plan.rounds is missing or not an integer" },
		{ "meta.plan.kernel", NULL, "meta.plan.kernel is missing" },
		{ "meta.plan.probes", NULL, "meta.plan.probes is missing" },
		{ "meta.plan.backends", "[\"bare,type2\"]", "meta.plan.backends[0] is not a name" },
		{ "meta.plan.benches", "[]", "meta.plan.benches is empty" },
		{ "meta.plan.benches", NULL, "meta.plan.benches is missing or not a list" },
		{ "meta.plan.experiments", "[\"life.start\"]",
		  "meta.plan.life_reps is missing or not an integer" },
		{ "meta.plan.count", "1", "meta.plan.count is missing or not true/false" },
	};
	char err[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *v = cases[i].value ? json_loads(cases[i].value, JSON_DECODE_ANY, NULL)
					   : NULL;

		ck_assert_int_eq(take(doc_with(cases[i].path, v), err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, cases[i].says), "case %zu: %s", i, err);
	}
}
END_TEST

/* The plan's values are checked as the user's options are. */
START_TEST(resume_plan_checked_as_options)
{
	static struct vb_resume rs;
	struct vb_run_opts user = { 0 }, o;
	char err[512];

	ck_assert_int_eq(vb_resume_take(&rs, doc_with("meta.plan.rounds", json_integer(0)), "r.json",
					err, sizeof(err)), 0);
	ck_assert_int_eq(vb_resume_options(&rs, &user, &o, err, sizeof(err)), 2);
	ck_assert_msg(strstr(err, "--rounds wants a number in 1..1000"), "%s", err);
	vb_resume_free(&rs);
	ck_assert_int_eq(vb_resume_take(&rs, doc_with("meta.plan.lab", json_string("--all")),
					"r.json", err, sizeof(err)), 0);
	ck_assert_int_eq(vb_resume_options(&rs, &user, &o, err, sizeof(err)), 2);
	ck_assert_msg(strstr(err, "--lab wants auto, emulated or none"), "%s", err);
	vb_resume_free(&rs);
}
END_TEST

START_TEST(resume_reads_plan)
{
	static struct vb_resume rs;
	struct vb_run_opts user = { .out = "new.json", .verbose = 2, .workdir_base = "/w",
				    .cache = "/c", .resume = "r.json" }, o;
	char err[512];

	ck_assert_int_eq(vb_resume_take(&rs, json_loads(cut_off, 0, NULL), "r.json", err,
					sizeof(err)), 0);
	ck_assert_msg(vb_resume_options(&rs, &user, &o, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(o.rounds, 3);
	ck_assert_uint_eq(o.samples, 4);
	ck_assert_uint_eq(o.warmup, 0);
	ck_assert_uint_eq(o.min_sample_ms, 20);
	ck_assert_uint_eq(o.seed, 42);
	ck_assert_int_eq(o.cpus, 1);
	ck_assert_int_eq(o.memory_mb, 512);
	ck_assert_int_eq(o.scratch_mib, 64);
	ck_assert_uint_eq(o.timeout_s, 30);
	ck_assert_uint_eq(o.hello_timeout_s, 20);
	ck_assert_str_eq(o.backends, "bare,container");
	ck_assert_str_eq(o.benches, "cpu.int,mem.stream");
	ck_assert_str_eq(o.container_runtime, "runc");
	ck_assert_str_eq(o.kernel, "/boot/vmlinuz-x");
	ck_assert_ptr_null(o.modules);
	ck_assert_int_eq(o.no_probes, 1);
	ck_assert_int_eq(o.no_count, 0);
	ck_assert_int_eq(o.quick, 0);
	ck_assert_int_eq(o.lab, VB_LAB_NONE);
	/* a parameter at its default is no override; one that differs is */
	ck_assert_int_eq(o.nparams, 1);
	ck_assert_str_eq(o.params[0], "mem.stream.array_mib=128");
	/* and each instance's own settings (--set) */
	ck_assert_int_eq(o.nsets, 1);
	ck_assert_str_eq(o.sets[0], "container.memory=256");
	/* where files go is the user's to say */
	ck_assert_str_eq(o.out, "new.json");
	ck_assert_int_eq(o.verbose, 2);
	ck_assert_str_eq(o.workdir_base, "/w");
	ck_assert_str_eq(o.cache, "/c");
	ck_assert_str_eq(o.resume, "r.json");
	vb_resume_free(&rs);
}
END_TEST

/* The rounds until precise come back as planned; a file from before them gets none. */
START_TEST(resume_reads_precision)
{
	static struct vb_resume rs;
	struct vb_run_opts user = { .resume = "r.json" }, o;
	json_t *doc = doc_with("meta.plan.precision", json_real(0.02));
	char err[512];

	json_object_update_new(json_object_get(json_object_get(doc, "meta"), "plan"),
			       json_pack("{s:f, s:i}", "time_budget_s", 600.0, "max_rounds", 12));
	ck_assert_int_eq(vb_resume_take(&rs, doc, "r.json", err, sizeof(err)), 0);
	ck_assert_msg(vb_resume_options(&rs, &user, &o, err, sizeof(err)) == 0, "%s", err);
	ck_assert_double_eq(o.precision, 0.02);
	ck_assert_double_eq(o.time_budget_s, 600);
	ck_assert_uint_eq(o.max_rounds, 12);
	vb_resume_free(&rs);
	ck_assert_int_eq(vb_resume_take(&rs, json_loads(cut_off, 0, NULL), "r.json", err,
					sizeof(err)), 0);
	ck_assert_msg(vb_resume_options(&rs, &user, &o, err, sizeof(err)) == 0, "%s", err);
	ck_assert_double_eq(o.precision, 0);
	ck_assert_uint_eq(o.rounds, 3);
	vb_resume_free(&rs);
	doc = doc_with("meta.plan.precision", json_string("5%"));
	ck_assert_int_eq(take(doc, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "meta.plan.precision") != NULL, "%s", err);
}
END_TEST

START_TEST(resume_keeps_measurements_and_skips_done)
{
	static struct vb_resume rs;
	json_t *doc = json_loads(cut_off, 0, NULL), *before = json_deep_copy(doc), *rec, *owner;
	char err[512];

	ck_assert_int_eq(vb_resume_take(&rs, doc, "r.json", err, sizeof(err)), 0);
	ck_assert_uint_eq(rs.kept, 4);
	ck_assert_int_eq(vb_resume_done(&rs, "bare", "cpu.int", 0), VB_DONE);
	ck_assert_int_eq(vb_resume_done(&rs, "bare", "cpu.int", 1), VB_DONE);
	ck_assert_int_eq(vb_resume_done(&rs, "bare", "cpu.int", 2), VB_NOT_DONE);
	/* an error is measured again: it stays in the file, beside the new one */
	ck_assert_int_eq(vb_resume_done(&rs, "container", "cpu.int", 0), VB_NOT_DONE);
	ck_assert_int_eq(vb_resume_done(&rs, "bare", "mem.stream", 0), VB_DONE_UNSUPPORTED);
	ck_assert_int_eq(vb_resume_done(&rs, "container", "mem.stream", 0), VB_NOT_DONE);

	owner = json_pack("{s:i}", "pid", 7);
	vb_resume_begin(&rs, owner);
	ck_assert(json_equal(json_object_get(doc, "measurements"),
			     json_object_get(before, "measurements")));
	ck_assert_int_eq(json_array_size(json_object_get(doc, "backends")), 0);
	ck_assert_ptr_eq(json_object_get(json_object_get(doc, "meta"), "owner"), owner);
	rec = json_array_get(json_object_get(json_object_get(doc, "meta"), "resumed"), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(rec, "kept")), 4);
	ck_assert_int_eq(json_integer_value(json_object_get(rec, "done")), 3);
	ck_assert_str_eq(json_string_value(json_object_get(rec, "file")), "r.json");
	ck_assert(json_is_string(json_object_get(rec, "at")));
	ck_assert(json_equal(json_object_get(rec, "backends"),
			     json_object_get(before, "backends")));
	ck_assert(json_equal(json_object_get(rec, "owner"),
			     json_object_get(json_object_get(before, "meta"), "owner")));
	json_decref(before);
	vb_resume_free(&rs);
}
END_TEST

/* The same environments started as before: else the shuffle differs, and that is said. */
START_TEST(resume_compares_started_environments)
{
	static struct vb_resume rs;
	struct vb_instance inst[2] = { { .name = "bare" }, { .name = "container" } };
	char err[512], why[256];

	ck_assert_int_eq(vb_resume_take(&rs, json_loads(cut_off, 0, NULL), "r.json", err,
					sizeof(err)), 0);
	vb_resume_begin(&rs, json_object());
	ck_assert_int_eq(vb_resume_same_started(&rs, inst, 1, why, sizeof(why)), 1);
	ck_assert_int_eq(vb_resume_same_started(&rs, inst, 2, why, sizeof(why)), 0);
	ck_assert_str_eq(why, "started bare,container, the run before bare");
	vb_resume_free(&rs);
}
END_TEST

/* Everything but where files go comes from the file: given with --resume, it is refused. */
START_TEST(resume_refuses_plan_options)
{
	char *bad[] = { "run", "--resume", "r.json", "--rounds", "3" };
	char *bad2[] = { "run", "-b", "bare", "--resume", "r.json" };
	char *good[] = { "run", "--resume", "r.json", "-o", "x.json", "-v", "--workdir", "/w",
			 "--cache", "/c" };
	struct vb_run_opts o;
	char err[512];

	ck_assert_int_eq(vb_run_parse(5, bad, &o, err, sizeof(err)), 2);
	ck_assert_msg(strstr(err, "--rounds cannot be given with it"), "%s", err);
	ck_assert_int_eq(vb_run_parse(5, bad2, &o, err, sizeof(err)), 2);
	ck_assert_msg(strstr(err, "--backend cannot be given with it"), "%s", err);
	ck_assert_int_eq(vb_run_parse(10, good, &o, err, sizeof(err)), 0);
	ck_assert_str_eq(o.resume, "r.json");
	ck_assert_str_eq(o.out, "x.json");
}
END_TEST

/* The selection made from the plan must be the plan's, in its order. */
START_TEST(resume_checks_selection)
{
	static struct vb_resume rs;
	struct vb_pick be[2];
	const struct vb_workload *wl[2];
	unsigned exps;
	char err[512];

	ck_assert_int_eq(vb_resume_take(&rs, json_loads(cut_off, 0, NULL), "r.json", err,
					sizeof(err)), 0);
	ck_assert_int_eq(vb_select_backends("bare,container", be, 2, err, sizeof(err)), 2);
	ck_assert_int_eq(vb_select_benches("cpu.int,mem.stream", wl, 2, &exps, err, sizeof(err)), 2);
	ck_assert_int_eq(vb_resume_check(&rs, be, 2, NULL, 0, wl, 2, err, sizeof(err)), 0);
	/* container went to the lab: the plan's list no longer comes out */
	ck_assert_int_eq(vb_resume_check(&rs, be, 1, be + 1, 1, wl, 2, err, sizeof(err)), 0);
	ck_assert_int_eq(vb_resume_check(&rs, be + 1, 1, be, 1, wl, 2, err, sizeof(err)), -1);
	ck_assert_int_eq(vb_resume_check(&rs, be, 2, NULL, 0, wl, 1, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "workloads"), "%s", err);
	vb_resume_free(&rs);
}
END_TEST

Suite *suite_resume(void)
{
	Suite *s = suite_create("resume");
	TCase *t = tcase_create("resume");

	tcase_add_test(t, resume_refuses_complete_file);
	tcase_add_test(t, resume_refuses_unreadable_plans);
	tcase_add_test(t, resume_takes_experiments);
	tcase_add_test(t, resume_plan_checked_as_options);
	tcase_add_test(t, resume_reads_plan);
	tcase_add_test(t, resume_reads_precision);
	tcase_add_test(t, resume_keeps_measurements_and_skips_done);
	tcase_add_test(t, resume_compares_started_environments);
	tcase_add_test(t, resume_refuses_plan_options);
	tcase_add_test(t, resume_checks_selection);
	suite_add_tcase(s, t);
	return s;
}
