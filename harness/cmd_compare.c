/* SPDX-License-Identifier: MIT */
/* `vbench compare BASE NEW`: regression verdicts for CI. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../reports/compare.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vbench compare [options] BASE.json NEW.json\n"
		"  Per (backend, workload): Mann-Whitney U on the raw samples and the\n"
		"  change of the median; a regression needs both p < alpha and a change\n"
		"  of at least min-effect in the worse direction.\n"
		"  --alpha P              significance level (default 0.01)\n"
		"  --min-effect X         minimum change, 0.05 or 5%% (default 5%%)\n"
		"  --junit FILE           JUnit XML, one testcase per comparison\n"
		"  --github-benchmark FILE  github-action-benchmark JSON\n"
		"                         (customSmallerIsBetter; higher-is-better\n"
		"                         workloads go to FILE-bigger.json)\n"
		"exit status: 0 no regression, 1 regression, 2 bad usage or input\n");
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
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct rp_cmp_opts o = {.alpha = 0.01, .min_effect = 0.05};
	const char *junit = NULL, *github = NULL;
	struct rp_run base, cur;
	struct rp_cmp *c = NULL;
	size_t n = 0, i;
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
	printf("vbench compare: BASE %s, NEW %s (alpha %g, min effect %g%%)\n", base.path,
	       cur.path, o.alpha, 100 * o.min_effect);
	rp_compare_table(stdout, c, n);
	size_t by_samples = 0;

	for (i = 0; i < n; i++) {
		if (rp_verdict_fails(c[i].verdict))
			rc = 1;
		by_samples += c[i].test && !strcmp(c[i].test, "samples");
	}
	if (by_samples)
		printf("note: %zu comparison%s had too few rounds for the round-level test and used "
		       "Mann-Whitney U over samples, which assumes independent samples and raises "
		       "false alarms on a drifting host; run 5 or more rounds for CI\n", by_samples,
		       by_samples > 1 ? "s" : "");
	if ((junit && rp_compare_junit(junit, c, n, &o, err, sizeof(err))) ||
	    (github && rp_compare_github(github, c, n, err, sizeof(err)))) {
		fprintf(stderr, "compare: %s\n", err);
		rc = 2;
	}
	printf("%s\n", rc == 1 ? "result: REGRESSION" : rc ? "result: error" : "result: no regression");
out:
	free(c);
	rp_run_free(&base);
	rp_run_free(&cur);
	return rc;
}
