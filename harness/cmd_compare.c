/* SPDX-License-Identifier: MIT */
/* `vbench compare BASE NEW`: regression verdicts for CI. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../reports/compare.h"
#include "../reports/envdiff.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vbench compare [options] BASE.json NEW.json\n"
		"  Per (backend, workload): a test on the raw samples (whole rounds\n"
		"  permuted) and the change of the median; a regression needs both\n"
		"  p < alpha and a change of at least min-effect in the worse direction.\n"
		"  Verdicts: same, improved, REGRESSED; BROKEN: ok in BASE, an error in\n"
		"  NEW or its backend failed or was unavailable there; INCOMPARABLE: the\n"
		"  unit, direction, parameters or workload version differ (what differs\n"
		"  is shown; no change is computed); MISSING: ok in BASE, not measured\n"
		"  in NEW (one line per backend); skipped: no ok sample in BASE.\n"
		"  --alpha P              significance level (default 0.01)\n"
		"  --min-effect X         minimum change, 0.05 or 5%% (default 5%%)\n"
		"  --allow-incomparable   INCOMPARABLE rows do not fail\n"
		"  --allow-missing        MISSING rows, a NEW without ok measurements and\n"
		"                         an interrupted or incomplete NEW do not fail\n"
		"  --json FILE            every row (medians and n, change, its 95%% CI\n"
		"                         by bootstrap over the units the test used, p,\n"
		"                         test, verdict, reason) and the outcome as JSON;\n"
		"                         FILE - writes it to stdout and the table to stderr\n"
		"  --junit FILE           JUnit XML, one testcase per comparison; the\n"
		"                         testsuite's time, timestamp and hostname are NEW's\n"
		"  --github-benchmark FILE  github-action-benchmark JSON of NEW's medians\n"
		"                         (customSmallerIsBetter; higher-is-better\n"
		"                         workloads go to FILE-bigger.json; never an\n"
		"                         INCOMPARABLE row; values to 4 significant digits)\n"
		"exit status: 0 passed; 1 REGRESSED or BROKEN, INCOMPARABLE (unless\n"
		"--allow-incomparable), MISSING or an empty or interrupted NEW (unless\n"
		"--allow-missing); 2 bad usage or input\n");
}

/* A fraction in (0, 1): "0.05" or "5%". */
static int parse_fraction(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s)
		return -1;
	if (*end == '%') {
		v /= 100;
		end++;
	}
	if (*end || !isfinite(v) || v <= 0 || v >= 1)
		return -1;
	*out = v;
	return 0;
}

int vb_cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{"alpha", required_argument, NULL, 'a'},
		{"min-effect", required_argument, NULL, 'm'},
		{"junit", required_argument, NULL, 'j'},
		{"github-benchmark", required_argument, NULL, 'g'},
		{"json", required_argument, NULL, 'J'},
		{"allow-incomparable", no_argument, NULL, 'I'},
		{"allow-missing", no_argument, NULL, 'M'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct rp_cmp_opts o = {.alpha = 0.01, .min_effect = 0.05};
	const char *junit = NULL, *github = NULL, *json = NULL;
	FILE *out = stdout;
	struct rp_run base, cur;
	struct rp_cmp *c = NULL;
	struct rp_outcome res;
	size_t n = 0, i, by_samples = 0;
	char err[1024];
	int ch, rc = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			if (parse_fraction(optarg, &o.alpha)) {
				fprintf(stderr, "compare: --alpha: want a number in (0, 1), got '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'm':
			if (parse_fraction(optarg, &o.min_effect)) {
				fprintf(stderr, "compare: --min-effect: want 0.05 or 5%%, got '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'j': junit = optarg; break;
		case 'g': github = optarg; break;
		case 'J': json = optarg; break;
		case 'I': o.allow_incomparable = 1; break;
		case 'M': o.allow_missing = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return 2;
	}
	if (rp_run_load(&base, argv[optind], 0, err, sizeof(err))) {
		fprintf(stderr, "compare: %s\n", err);
		return 2;
	}
	if (rp_run_load(&cur, argv[optind + 1], 1, err, sizeof(err))) {
		fprintf(stderr, "compare: %s\n", err);
		rp_run_free(&base);
		return 2;
	}
	if (rp_compare(&base, &cur, &o, &c, &n)) {
		fprintf(stderr, "compare: out of memory\n");
		rc = 2;
		goto out;
	}
	/* stdout is the JSON's where it goes there: people read stderr then */
	if (json && !strcmp(json, "-"))
		out = stderr;
	fprintf(out, "vbench compare: BASE %s, NEW %s (alpha %g, min effect %g%%)\n", base.path,
		cur.path, o.alpha, 100 * o.min_effect);
	if (rp_envdiff_report(out, &base, &cur)) {
		fprintf(stderr, "compare: out of memory\n");
		rc = 2;
		goto out;
	}
	rp_compare_table(out, c, n);
	rp_compare_missing(out, c, n, rp_run_cut_short(&cur));
	for (i = 0; i < n; i++)
		by_samples += c[i].test && !strcmp(c[i].test, "samples");
	if (by_samples)
		fprintf(out, "note: %zu comparison%s had too few rounds for the round-level test and used "
		       "Mann-Whitney U over samples, which assumes independent samples and raises "
		       "false alarms on a drifting host; run 5 or more rounds for CI\n", by_samples,
		       by_samples > 1 ? "s" : "");
	rp_compare_outcome(c, n, &cur, &o, &res);
	rc = res.fails;
	if ((junit && rp_compare_junit(junit, c, n, &o, &res, &cur, err, sizeof(err))) ||
	    (github && rp_compare_github(github, c, n, err, sizeof(err))) ||
	    (json && rp_compare_json(json, c, n, &o, &res, &base, &cur, err, sizeof(err)))) {
		fprintf(stderr, "compare: %s\n", err);
		rc = 2;
	}
	if (rc == 2)
		fprintf(out, "result: error\n");
	else
		rp_outcome_print(out, &res, &o);
out:
	free(c);
	rp_run_free(&base);
	rp_run_free(&cur);
	return rc;
}
