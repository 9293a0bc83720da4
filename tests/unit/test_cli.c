/* SPDX-License-Identifier: MIT */
/* `vbench run` option parsing and backend/workload selection. */
#include <check.h>
#include <string.h>

#include "../../harness/run_opts.h"
#include "../../harness/select.h"
#include "../../harness/life/life.h"

static int parse(struct vb_run_opts *o, char *err, size_t n, int argc, char **argv)
{
	return vb_run_parse(argc, argv, o, err, n);
}

START_TEST(defaults_and_quick)
{
	struct vb_run_opts o;
	char err[256];
	char *a1[] = { "run" }, *a2[] = { "run", "--quick", "-o", "x.json", "--rounds", "7" };

	ck_assert_int_eq(parse(&o, err, sizeof(err), 1, a1), 0);
	ck_assert_uint_eq(o.rounds, 5);
	ck_assert_uint_eq(o.samples, 5);
	ck_assert_str_eq(o.benches, "*");
	ck_assert_ptr_null(o.backends);
	ck_assert_int_eq(parse(&o, err, sizeof(err), 6, a2), 0);
	ck_assert_uint_eq(o.rounds, 7); /* explicit beats --quick */
	ck_assert_uint_eq(o.samples, 3);
	ck_assert_uint_eq(o.min_sample_ms, 20);
	ck_assert_str_eq(o.out, "x.json");
	ck_assert_uint_eq(o.life_reps, 3);
	ck_assert_int_eq(o.budget_bytes, 256LL << 20);
	ck_assert_uint_eq(o.density_max, 32);
}
END_TEST

START_TEST(life_options)
{
	struct vb_run_opts o;
	char err[256];
	char *a1[] = { "run" }, *a2[] = { "run", "--budget", "1.5G", "--life-reps", "4" };
	char *a3[] = { "run", "--budget", "50%" }, *bad[] = { "run", "--budget", "2Q" };
	char *tiny[] = { "run", "--budget", "100K" }, *over[] = { "run", "--budget", "101%" };

	ck_assert_int_eq(parse(&o, err, sizeof(err), 1, a1), 0);
	ck_assert_int_eq(o.budget_bytes, 2LL << 30);
	ck_assert_str_eq(o.budget_desc, "2G");
	ck_assert_uint_eq(o.life_reps, 10);
	ck_assert_uint_eq(o.density_max, 1000);
	ck_assert_int_eq(parse(&o, err, sizeof(err), 5, a2), 0);
	ck_assert_int_eq(o.budget_bytes, 3LL << 29);
	ck_assert_uint_eq(o.life_reps, 4);
	ck_assert_int_eq(parse(&o, err, sizeof(err), 3, a3), 0);
	ck_assert_ptr_nonnull(strstr(o.budget_desc, "50% of "));
	ck_assert_int_eq(parse(&o, err, sizeof(err), 3, bad), 2);
	ck_assert_ptr_nonnull(strstr(err, "K, M, G or T"));
	ck_assert_int_eq(parse(&o, err, sizeof(err), 3, tiny), 2);
	ck_assert_int_eq(parse(&o, err, sizeof(err), 3, over), 2);
	ck_assert_ptr_nonnull(strstr(err, "more than 100%"));
}
END_TEST

START_TEST(usage_errors)
{
	static char *cases[][4] = {
		{ "run", "--rounds", "0", NULL },  { "run", "--rounds", "x", NULL },
		{ "run", "--nosuch", NULL, NULL }, { "run", "stray", NULL, NULL },
		{ "run", "--all", "-b", "bare" },  { "run", "--probes", "kvm", "--no-probes" },
		{ "run", "--memory", "12", NULL },
	};
	struct vb_run_opts o;
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int argc = 0;

		while (argc < 4 && cases[i][argc])
			argc++;
		err[0] = '\0';
		ck_assert_int_eq(parse(&o, err, sizeof(err), argc, cases[i]), 2);
		ck_assert_msg(err[0], "no message for case %zu", i);
	}
}
END_TEST

START_TEST(select_backends_and_benches)
{
	struct vb_pick be[8];
	const struct vb_workload *wl[256];
	unsigned exps;
	char err[4096];
	int n;

	ck_assert_int_eq(vb_select_backends("bare,bare", be, 8, err, sizeof(err)), 1);
	ck_assert_str_eq(be[0].name, "bare");
	/* a second instance of a backend under a tag, after the untagged one */
	ck_assert_int_eq(vb_select_backends("type2@new,bare,type2", be, 8, err, sizeof(err)), 3);
	ck_assert_str_eq(be[0].name, "bare");
	ck_assert_str_eq(be[1].name, "type2");
	ck_assert_str_eq(be[2].name, "type2@new");
	ck_assert_ptr_eq(be[2].be, be[1].be);
	ck_assert_int_eq(vb_select_backends("type2@", be, 8, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "tag"));
	ck_assert_int_eq(vb_select_backends("type2@a/b", be, 8, err, sizeof(err)), -1);
	ck_assert_int_eq(vb_select_backends("nosuch@x", be, 8, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown backend 'nosuch'"));
	/* more than fit is an error, never a silent cut */
	ck_assert_int_eq(vb_select_backends("bare,type2", be, 1, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "more than 1"));
	ck_assert_int_eq(vb_select_backends("all", be, 8, err, sizeof(err)), (int)vb_nbackends);
	ck_assert_int_eq(vb_select_backends("bare,nosuch", be, 8, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown backend 'nosuch'"));
	ck_assert_ptr_nonnull(strstr(err, "valid: bare"));
	n = vb_select_benches("cpu.*", wl, 256, &exps, err, sizeof(err));
	ck_assert_int_ge(n, 2);
	for (int i = 0; i < n; i++)
		ck_assert(strncmp(wl[i]->name, "cpu.", 4) == 0);
	ck_assert_int_eq(vb_select_benches("mem.stream,nosuch*", wl, 256, &exps, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no workload or experiment matches 'nosuch*'"));
	ck_assert_ptr_nonnull(strstr(err, "mem.stream"));
	ck_assert_int_eq(vb_select_benches("*", wl, 256, &exps, err, sizeof(err)), (int)vb_nworkloads);
	ck_assert_uint_eq(exps, (1u << vb_nexperiments) - 1);
	/* experiments alone: no workload, not an error */
	ck_assert_int_eq(vb_select_benches("life.start,iso.*", wl, 256, &exps, err, sizeof(err)), 0);
	ck_assert_uint_eq(exps, vb_experiment_match("life.start") | vb_experiment_match("iso.neighbour"));
	ck_assert_int_eq(vb_select_benches("cpu.*", wl, 256, &exps, err, sizeof(err)) > 0 && !exps, 1);
	ck_assert_int_eq(vb_select_benches("*", wl, 2, &exps, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "more than 2"));
}
END_TEST

START_TEST(select_param)
{
	const struct vb_workload *wl;
	long long v;
	char err[512];
	int idx;

	ck_assert_int_eq(vb_select_param("mem.stream.array_mib=128", &wl, &idx, &v, err,
					 sizeof(err)), 0);
	ck_assert_str_eq(wl->name, "mem.stream");
	ck_assert_str_eq(wl->params[idx].name, "array_mib");
	ck_assert_int_eq(v, 128);
	ck_assert_int_eq(vb_select_param("mem.stream.nosuch=1", &wl, &idx, &v, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "valid: array_mib"));
	ck_assert_int_eq(vb_select_param("nosuch.x=1", &wl, &idx, &v, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no workload 'nosuch'"));
	ck_assert_int_eq(vb_select_param("mem.stream.array_mib=12x", &wl, &idx, &v, err,
					 sizeof(err)), -1);
	ck_assert_int_eq(vb_select_param("mem.stream", &wl, &idx, &v, err, sizeof(err)), -1);
}
END_TEST

/* fio's way: every parameter has a range, and --param says which it broke. */
START_TEST(param_out_of_range_refused_at_parse)
{
	static const char *bad[] = {
		"mem.stream.array_mib=17592186044416", /* 2^44: overflowed to malloc(0) */
		"mem.stream.array_mib=0",
		"mem.stream.array_mib=-1",
		"mem.tlb.thp=2",
		"io.seqread.block_kib=0",
	};
	const struct vb_workload *wl;
	long long v;
	char err[512];
	int idx;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_int_eq(vb_select_param(bad[i], &wl, &idx, &v, err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, bad[i]) && strstr(err, "out of range"), "%s: %s", bad[i],
			      err);
	}
	ck_assert_int_eq(vb_select_param(bad[0], &wl, &idx, &v, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "--param mem.stream.array_mib=17592186044416: out of range "
			      "1..65536 (MiB per array)");
	/* the bounds themselves are in */
	ck_assert_int_eq(vb_select_param("mem.stream.array_mib=65536", &wl, &idx, &v, err,
					 sizeof(err)), 0);
	ck_assert_int_eq(vb_select_param("mem.stream.array_mib=1", &wl, &idx, &v, err,
					 sizeof(err)), 0);
}
END_TEST

Suite *suite_cli(void)
{
	Suite *s = suite_create("cli");
	TCase *t = tcase_create("core");

	tcase_add_test(t, defaults_and_quick);
	tcase_add_test(t, usage_errors);
	tcase_add_test(t, life_options);
	tcase_add_test(t, select_backends_and_benches);
	tcase_add_test(t, select_param);
	tcase_add_test(t, param_out_of_range_refused_at_parse);
	suite_add_tcase(s, t);
	return s;
}
