/* SPDX-License-Identifier: MIT */
/*
 * `vbench compare BASE NEW`, `vbench compare --history FILES... NEW`, or
 * `vbench compare R.json --base A --new B` (A/B in one run): regression
 * verdicts for CI.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../reports/compare.h"
#include "../reports/envdiff.h"
#include "../reports/history.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vbench compare [options] BASE.json NEW.json\n"
		"       vbench compare [options] R.json --base A --new B\n"
		"       vbench compare [options] --history H1.json H2.json H3.json... NEW.json\n"
		"  The second form is the recommended CI mode: instances A and B (e.g.\n"
		"  type2 and type2@new) ran in the same rounds, seconds apart, so drift\n"
		"  between runs cancels; each round's B/A ratio is paired (sign-flip\n"
		"  test, 8 or more rounds at alpha 0.01) and params set on one instance\n"
		"  are noted, not refused.\n"
		"  Per (backend, workload): a test on the raw samples (whole rounds\n"
		"  permuted) and the change of the median; a regression needs both\n"
		"  p < alpha and a change of at least min-effect in the worse direction.\n"
		"  Verdicts: same, improved, REGRESSED; BROKEN: ok in BASE, an error in\n"
		"  NEW or its backend failed or was unavailable there; INCOMPARABLE: the\n"
		"  unit, direction, parameters or workload version differ (what differs\n"
		"  is shown; no change is computed); MISSING: ok in BASE, not measured\n"
		"  in NEW (one line per backend); skipped: no ok sample in BASE.\n"
		"  --base A, --new B      instances of R.json to compare (both needed)\n"
		"  --history              the files before NEW are earlier runs (CI artefacts;\n"
		"                         3 or more): BASE is the newest of them by\n"
		"                         meta.started, and each metric's threshold is its\n"
		"                         noise bound, the largest change two runs show by\n"
		"                         noise alone (99%%, two-sided), from the standard\n"
		"                         deviation of its logged run medians over them\n"
		"                         (files where it is missing or incomparable left\n"
		"                         out), where that exceeds min-effect: no regression\n"
		"                         is called inside the noise it has shown; the table\n"
		"                         gets a thresh column (h: from history)\n"
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

/* The result files or instances to compare and how: the command line. */
struct compare_args {
	struct rp_cmp_opts o;
	const char *junit, *github, *json;
	const char *base_inst, *new_inst; /* A/B in one run; both or neither */
	int history;            /* the files before NEW are history */
	char **files;           /* NEW last */
	int nfiles;
};

/* 0, or 2 (reported) where the files do not fit the form asked for. */
static int check_files(const struct compare_args *a)
{
	if (!a->base_inst != !a->new_inst) {
		fprintf(stderr, "compare: --base and --new go together: name both instances\n");
		return 2;
	}
	if (a->history && a->base_inst) {
		fprintf(stderr, "compare: --history compares result files, not instances of one "
			"run (--base, --new)\n");
		return 2;
	}
	if (a->history && a->nfiles < RP_HISTORY_MIN_RUNS + 1) {
		fprintf(stderr, "compare: --history needs at least %d history files before NEW, "
			"got %d\n", RP_HISTORY_MIN_RUNS, a->nfiles > 0 ? a->nfiles - 1 : 0);
		return 2;
	}
	if (!a->history && a->nfiles != (a->base_inst ? 1 : 2)) {
		usage(stderr);
		return 2;
	}
	return 0;
}

/* 0, 1 for --help given, or 2 (bad usage, reported). */
static int parse_args(int argc, char **argv, struct compare_args *a)
{
	static const struct option opts[] = {
		{"alpha", required_argument, NULL, 'a'},
		{"min-effect", required_argument, NULL, 'm'},
		{"junit", required_argument, NULL, 'j'},
		{"github-benchmark", required_argument, NULL, 'g'},
		{"json", required_argument, NULL, 'J'},
		{"allow-incomparable", no_argument, NULL, 'I'},
		{"allow-missing", no_argument, NULL, 'M'},
		{"base", required_argument, NULL, 'B'},
		{"new", required_argument, NULL, 'N'},
		{"history", no_argument, NULL, 'H'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
		case 'm':
			if (rp_cmp_option("compare", ch, optarg, &a->o))
				return 2;
			break;
		case 'j': a->junit = optarg; break;
		case 'g': a->github = optarg; break;
		case 'J': a->json = optarg; break;
		case 'I': a->o.allow_incomparable = 1; break;
		case 'M': a->o.allow_missing = 1; break;
		case 'B': a->base_inst = optarg; break;
		case 'N': a->new_inst = optarg; break;
		case 'H': a->history = 1; break;
		case 'h': usage(stdout); return 1;
		default: usage(stderr); return 2;
		}
	}
	a->nfiles = argc - optind;
	a->files = argv + optind;
	return check_files(a);
}

/* The table, the missing lines and the note on the sample-level fallback. */
static void print_rows(FILE *out, const struct rp_cmp *c, size_t n, const struct rp_run *cur,
		       int paired)
{
	size_t i, by_samples = 0;

	rp_compare_table(out, c, n);
	rp_compare_missing(out, c, n, rp_run_cut_short(cur));
	for (i = 0; i < n; i++)
		by_samples += c[i].test && !strcmp(c[i].test, "samples");
	if (by_samples)
		fprintf(out, "note: %zu comparison%s had too few rounds for the %s test and used "
			"Mann-Whitney U over samples, which assumes independent samples and raises "
			"false alarms on a drifting host; run %s rounds for CI\n", by_samples,
			by_samples > 1 ? "s" : "", paired ? "paired" : "round-level",
			paired ? "8 or more" : "5 or more");
}

/* The outputs asked for and the last line; the exit status. */
static int finish(FILE *out, const struct rp_cmp *c, size_t n, const struct compare_args *a,
		  const struct rp_outcome *res, const struct rp_run *cur,
		  const struct rp_compared *w)
{
	char err[1024];
	int rc = res->fails;

	if ((a->junit && rp_compare_junit(a->junit, c, n, &a->o, res, cur, err, sizeof(err))) ||
	    (a->github && rp_compare_github(a->github, c, n, err, sizeof(err))) ||
	    (a->json && rp_compare_json(a->json, c, n, &a->o, res, w, err, sizeof(err)))) {
		fprintf(stderr, "compare: %s\n", err);
		rc = 2;
	}
	if (rc == 2)
		fprintf(out, "result: error\n");
	else
		rp_outcome_print(out, res, &a->o);
	return rc;
}

/* stdout is the JSON's where it goes there: people read stderr then. */
static FILE *table_stream(const struct compare_args *a)
{
	return a->json && !strcmp(a->json, "-") ? stderr : stdout;
}

/* A/B in one run: instances of one file, paired per round. */
static int compare_one_run(const struct compare_args *a)
{
	FILE *out = table_stream(a);
	struct rp_run r;
	struct rp_cmp *c = NULL;
	struct rp_outcome res;
	struct rp_compared w = {.base = a->base_inst, .cur = a->new_inst, .file = a->files[0]};
	size_t n = 0;
	char err[1024];
	int rc;

	if (rp_run_load(&r, a->files[0], 0, err, sizeof(err))) {
		fprintf(stderr, "compare: %s\n", err);
		return 2;
	}
	if (rp_compare_paired(&r, a->base_inst, a->new_inst, &a->o, &c, &n, err, sizeof(err))) {
		fprintf(stderr, "compare: %s\n", err);
		rp_run_free(&r);
		return 2;
	}
	fprintf(out, "vbench compare: %s, BASE %s, NEW %s, paired per round (alpha %g, min "
		"effect %g%%)\n", r.path, a->base_inst, a->new_inst, a->o.alpha,
		100 * a->o.min_effect);
	print_rows(out, c, n, &r, 1);
	rp_paired_outcome(c, n, &r, a->new_inst, &a->o, &res);
	rc = finish(out, c, n, a, &res, &r, &w);
	free(c);
	rp_run_free(&r);
	return rc;
}

/* Every file of the command line, as given: with --history the history, NEW last. */
struct files {
	struct rp_run *runs;
	size_t n;
	const struct rp_run **hist; /* --history: runs[0..n-1) oldest first */
};

static void files_free(struct files *f)
{
	while (f->n > 0)
		rp_run_free(&f->runs[--f->n]);
	free(f->runs);
	free(f->hist);
}

/* 0, or 2 with the reason reported (a bad file is named). */
static int files_load(struct files *f, const struct compare_args *a)
{
	char err[1024];

	memset(f, 0, sizeof(*f));
	f->runs = calloc((size_t)a->nfiles, sizeof(*f->runs));
	f->hist = calloc((size_t)a->nfiles, sizeof(*f->hist));
	if (!f->runs || !f->hist) {
		fprintf(stderr, "compare: out of memory\n");
		files_free(f);
		return 2;
	}
	for (; f->n < (size_t)a->nfiles; f->n++)
		if (rp_run_load(&f->runs[f->n], a->files[f->n], (int)f->n, err, sizeof(err))) {
			fprintf(stderr, "compare: %s\n", err);
			files_free(f);
			return 2;
		}
	if (a->history && rp_history_order(f->runs, f->n - 1, f->hist)) {
		fprintf(stderr, "compare: out of memory\n");
		files_free(f);
		return 2;
	}
	return 0;
}

/* "thresholds from the noise of 10 history files (2026-11-01 09:00..2026-11-22 10:00): ...". */
static void history_line(FILE *out, const struct rp_run *const *hist, size_t n)
{
	char first[32], last[32];

	fprintf(out, "thresholds from the noise of %zu history files (%s..%s): the larger of "
		"each metric's 99%% bound on a change between two runs and min effect\n", n,
		rp_run_when(hist[0], first, sizeof(first)),
		rp_run_when(hist[n - 1], last, sizeof(last)));
}

/* Two result files, or with --history many: BASE the newest of the history. */
static int compare_files(const struct compare_args *a)
{
	FILE *out = table_stream(a);
	struct files f;
	const struct rp_run *base, *cur;
	struct rp_cmp *c = NULL;
	struct rp_outcome res;
	struct rp_compared w;
	size_t n = 0, nhist;
	int rc = 2;

	if (files_load(&f, a))
		return 2;
	nhist = a->history ? f.n - 1 : 0;
	base = nhist ? f.hist[nhist - 1] : &f.runs[0];
	cur = &f.runs[f.n - 1];
	w = (struct rp_compared){.base = base->path, .cur = cur->path, .history = f.hist,
				 .nhistory = nhist};
	if (rp_compare(base, cur, &a->o, &c, &n)) {
		fprintf(stderr, "compare: out of memory\n");
		goto out;
	}
	if (nhist)
		rp_history_apply(f.hist, nhist, cur, &a->o, c, n);
	fprintf(out, "vbench compare: BASE %s, NEW %s (alpha %g, min effect %g%%)\n", base->path,
		cur->path, a->o.alpha, 100 * a->o.min_effect);
	if (nhist)
		history_line(out, f.hist, nhist);
	if (rp_envdiff_report(out, base, cur)) {
		fprintf(stderr, "compare: out of memory\n");
		goto out;
	}
	print_rows(out, c, n, cur, 0);
	rp_compare_outcome(c, n, cur, &a->o, &res);
	rc = finish(out, c, n, a, &res, cur, &w);
out:
	free(c);
	files_free(&f);
	return rc;
}

int vb_cmd_compare(int argc, char **argv)
{
	struct compare_args a = {.o = {.alpha = 0.01, .min_effect = 0.05}};
	int rc = parse_args(argc, argv, &a);

	if (rc)
		return rc == 1 ? 0 : 2;
	return a.base_inst ? compare_one_run(&a) : compare_files(&a);
}
