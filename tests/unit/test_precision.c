/* SPDX-License-Identifier: MIT */
/* Rounds until precise: the options, what each pair is measured against, what it reached. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "../../common/proto.h"
#include "../../harness/precision.h"
#include "../../harness/run_opts.h"
#include "../../reports/paired.h"

static int parse(struct vb_run_opts *o, char *err, size_t n, int argc, char **argv)
{
	return vb_run_parse(argc, argv, o, err, n);
}

START_TEST(precision_defaults)
{
	struct vb_run_opts o;
	char err[256];
	char *plain[] = { "run" }, *quick[] = { "run", "--quick" };
	char *ab[] = { "run", "-b", "bare,bare@a" }, *ab_quick[] = { "run", "-b", "x,x@y", "--quick" };
	char *ab_rounds[] = { "run", "-b", "bare,bare@a", "--rounds", "3" };

	ck_assert_int_eq(parse(&o, err, sizeof(err), 1, plain), 0);
	ck_assert_double_eq(o.precision, 0.05);
	ck_assert_uint_eq(o.max_rounds, 30);
	ck_assert_double_eq(o.time_budget_s, 0);
	ck_assert_uint_eq(o.rounds, 5);
	ck_assert_int_eq(parse(&o, err, sizeof(err), 2, quick), 0);
	ck_assert_double_eq(o.precision, 0);
	/* A/B: the fewest rounds at which the paired test stands one round the other way */
	ck_assert_int_eq(parse(&o, err, sizeof(err), 3, ab), 0);
	ck_assert_uint_eq(o.rounds, 12);
	ck_assert_int_eq(parse(&o, err, sizeof(err), 4, ab_quick), 0);
	ck_assert_uint_eq(o.rounds, 2);
	ck_assert_int_eq(parse(&o, err, sizeof(err), 5, ab_rounds), 0);
	ck_assert_uint_eq(o.rounds, 3);
}
END_TEST

START_TEST(precision_options)
{
	static const struct { const char *opt, *val; double precision, budget; } ok[] = {
		{ "--precision", "2%", 0.02, 0 },    { "--precision", "0.1", 0.1, 0 },
		{ "--precision", "off", 0, 0 },      { "--precision", "0", 0, 0 },
		{ "--time-budget", "90", 0.05, 90 }, { "--time-budget", "90s", 0.05, 90 },
		{ "--time-budget", "20m", 0.05, 1200 }, { "--time-budget", "2h", 0.05, 7200 },
	};
	static const char *bad[][2] = {
		{ "--precision", "100%" }, { "--precision", "-1%" }, { "--precision", "x" },
		{ "--precision", "5%%" },  { "--time-budget", "0" }, { "--time-budget", "5d" },
		{ "--time-budget", "m" },  { "--time-budget", "200h" }, { "--max-rounds", "0" },
	};
	struct vb_run_opts o;
	char err[256];

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char *argv[] = { "run", (char *)ok[i].opt, (char *)ok[i].val };

		ck_assert_msg(parse(&o, err, sizeof(err), 3, argv) == 0, "%s %s: %s", ok[i].opt,
			      ok[i].val, err);
		ck_assert_double_eq_tol(o.precision, ok[i].precision, 1e-12);
		ck_assert_double_eq(o.time_budget_s, ok[i].budget);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *argv[] = { "run", (char *)bad[i][0], (char *)bad[i][1] };

		err[0] = '\0';
		ck_assert_msg(parse(&o, err, sizeof(err), 3, argv) == 2, "%s %s taken", bad[i][0],
			      bad[i][1]);
		ck_assert_msg(strstr(err, bad[i][0]) != NULL, "%s %s: '%s'", bad[i][0], bad[i][1], err);
	}
}
END_TEST

START_TEST(precision_option_conflicts)
{
	char *cap[] = { "run", "--rounds", "5", "--max-rounds", "3" };
	char *budget_quick[] = { "run", "--quick", "--time-budget", "60" };
	char *budget_off[] = { "run", "--precision", "off", "--time-budget", "60" };
	char *cap_low_default[] = { "run", "--rounds", "40" };
	struct vb_run_opts o;
	char err[256];

	ck_assert_int_eq(parse(&o, err, sizeof(err), 5, cap), 2);
	ck_assert_ptr_nonnull(strstr(err, "--max-rounds 3 is below the 5 planned rounds"));
	ck_assert_int_eq(parse(&o, err, sizeof(err), 4, budget_quick), 2);
	ck_assert_ptr_nonnull(strstr(err, "--time-budget"));
	ck_assert_int_eq(parse(&o, err, sizeof(err), 5, budget_off), 2);
	/* more planned rounds than the default cap: the cap follows them */
	ck_assert_int_eq(parse(&o, err, sizeof(err), 3, cap_low_default), 0);
	ck_assert_uint_eq(o.max_rounds, 40);
}
END_TEST

START_TEST(half_width_of_round_values)
{
	double same[] = { 2, 2, 2, 2, 2 }, two[] = { 1, 2 }, zero[] = { 0, 0, 0, 0 };
	double spread[] = { 0.9, 1.0, 1.1, 1.0, 0.95, 1.05, 1.0 };
	double hw;

	ck_assert_double_eq(vb_prec_half_width(same, 5), 0);
	ck_assert(isnan(vb_prec_half_width(two, 2)));   /* too few rounds to say */
	ck_assert(isnan(vb_prec_half_width(zero, 4)));  /* relative to nothing */
	hw = vb_prec_half_width(spread, 7);
	/* the bootstrap interval of the median lies within the values' range */
	ck_assert_msg(hw > 0 && hw <= 0.1 + 1e-12, "half-width %g", hw);
}
END_TEST

/* A run of named instances of fake backends, and its measurements. */
static const struct vb_backend be_bare = { .name = "bare" };
static const struct vb_backend be_ctr = { .name = "ctr", .traits = { .baseline = "bare" } };
static const struct vb_backend be_solo = { .name = "solo" };

static void instance(struct vb_instance *in, const struct vb_backend *be, const char *tag)
{
	memset(in, 0, sizeof(*in));
	in->be = be;
	in->tag = tag;
	snprintf(in->name, sizeof(in->name), "%s%s%s", be->name, tag[0] ? "@" : "", tag);
}

static void add(json_t *doc, const char *backend, int round, double v)
{
	json_array_append_new(json_object_get(doc, "measurements"),
			      json_pack("{s:s, s:s, s:i, s:s, s:[f, f, f]}", "backend", backend,
					"bench", "cpu.int", "round", round, "status", "ok",
					"samples", v, v * 2, v / 2));
}

START_TEST(targets_pair_with_partner_or_baseline)
{
	struct vb_instance in[4];
	const struct vb_workload *wl[1] = { vb_workload_find("cpu.int") };
	struct vb_sched s = { .inst = in, .ninst = 4, .wl = wl, .nwl = 1 };
	struct vb_prec *t;
	long n;

	instance(&in[0], &be_bare, "");
	instance(&in[1], &be_bare, "a");
	instance(&in[2], &be_ctr, "");
	instance(&in[3], &be_solo, "");
	n = vb_prec_targets(&s, &t);
	/* bare is the others' partner: its noise is in their ratios, no target of its own */
	ck_assert_int_eq(n, 3);
	ck_assert_uint_eq(t[0].inst, 1);
	ck_assert_int_eq(t[0].against, 0);   /* bare@a beside bare: A/B, compare's interval */
	ck_assert_int_eq(t[0].ab, 1);
	ck_assert_uint_eq(t[1].inst, 2);
	ck_assert_int_eq(t[1].against, 0);   /* ctr beside its baseline: the summary's */
	ck_assert_int_eq(t[1].ab, 0);
	ck_assert_uint_eq(t[2].inst, 3);
	ck_assert_int_eq(t[2].against, -1);  /* alone: its own round medians */
	free(t);
	/* a baseline that did not run leaves ctr alone */
	s.inst = &in[2];
	s.ninst = 1;
	ck_assert_int_eq(vb_prec_targets(&s, &t), 1);
	ck_assert_int_eq(t[0].against, -1);
	free(t);
}
END_TEST

START_TEST(measured_on_rounds_both_sides_have)
{
	struct vb_instance in[2];
	const struct vb_workload *wl[1] = { vb_workload_find("cpu.int") };
	json_t *doc = json_pack("{s:[]}", "measurements");
	struct vb_sched s = { .inst = in, .ninst = 2, .wl = wl, .nwl = 1, .doc = doc };
	struct vb_prec t = { .inst = 1, .wl = 0, .against = 0 };
	double ratios[] = { 1.1, 1.2, 1.0, 1.1 }, logs[4];
	struct rp_paired p;

	instance(&in[0], &be_bare, "");
	instance(&in[1], &be_bare, "b");
	for (int r = 0; r < 4; r++) {
		add(doc, "bare", r, 10 + r);
		add(doc, "bare@b", r, (10 + r) * ratios[r]);
	}
	add(doc, "bare@b", 4, 99);      /* bare has no round 4: no ratio */
	add(doc, "bare", 5, 10);        /* nor bare@b a round 5 */
	vb_prec_measure(&s, &t, 6);
	ck_assert_uint_eq(t.rounds, 4);
	ck_assert_double_eq_tol(t.half_width, vb_prec_half_width(ratios, 4), 1e-9);
	/* as an A/B pair: the interval compare gives, of the geometric mean */
	t.ab = 1;
	vb_prec_measure(&s, &t, 6);
	for (int i = 0; i < 4; i++)
		logs[i] = log(ratios[i]);
	ck_assert_int_eq(rp_paired_test(logs, 4, &p), 0);
	ck_assert_double_eq_tol(t.half_width, (p.ci_hi - p.ci_lo) / 2 / (1 + p.change), 1e-9);
	ck_assert(t.half_width != vb_prec_half_width(ratios, 4));
	t.ab = 0;
	/* rounds past those asked for are not looked at */
	vb_prec_measure(&s, &t, 2);
	ck_assert_uint_eq(t.rounds, 2);
	ck_assert(isnan(t.half_width));
	json_decref(doc);
}
END_TEST

Suite *suite_precision(void)
{
	Suite *s = suite_create("precision");
	TCase *t = tcase_create("core");

	tcase_add_test(t, precision_defaults);
	tcase_add_test(t, precision_options);
	tcase_add_test(t, precision_option_conflicts);
	tcase_add_test(t, half_width_of_round_values);
	tcase_add_test(t, targets_pair_with_partner_or_baseline);
	tcase_add_test(t, measured_on_rounds_both_sides_have);
	suite_add_tcase(s, t);
	return s;
}
