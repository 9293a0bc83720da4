/* SPDX-License-Identifier: MIT */
/* `vbench history FILES... -o DIR`: each metric over many result files. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "../reports/compare.h"
#include "../reports/histchart.h"
#include "../reports/history.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vbench history [options] RESULT.json... -o DIR\n"
		"  Each (backend, workload) over many result files (CI artefacts, 2 or\n"
		"  more), ordered by meta.started (ties and undated files: the order\n"
		"  given): its run median per file, the band of the earlier files'\n"
		"  medians, and the points vbench compare flags, each file against the\n"
		"  one before it, with thresholds as compare --history learns them from\n"
		"  the earlier files (from 3 of them on). Writes DIR/index.html\n"
		"  (self-contained, with a table of the flagged points), DIR/report.md\n"
		"  and per chart NAME.png, NAME.svg, NAME.dat and NAME.gp (gnuplot).\n"
		"  -o DIR                 where to write (created; a symlink or a\n"
		"                         directory of another user is refused)\n"
		"  --alpha P, --min-effect X  as for vbench compare (0.01, 5%%)\n"
		"exit status: 0 written, 1 not written (e.g. no gnuplot), 2 bad usage or\n"
		"             a bad result file (nothing written)\n");
}

struct history_args {
	struct rp_cmp_opts o;
	const char *dir;
};

/* 0, 1 for --help given, or 2 (bad usage, reported). */
static int parse_args(int argc, char **argv, struct history_args *a)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"alpha", required_argument, NULL, 'a'},
		{"min-effect", required_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': a->dir = optarg; break;
		case 'a':
		case 'm':
			if (rp_cmp_option("history", ch, optarg, &a->o))
				return 2;
			break;
		case 'h': usage(stdout); return 1;
		default: usage(stderr); return 2;
		}
	}
	if (!a->dir || argc - optind < 2) {
		fprintf(stderr, "history: %s\n", a->dir ? "give 2 or more result files"
						       : "-o DIR is required");
		usage(stderr);
		return 2;
	}
	return 0;
}

/* Every file, or none with the bad one named: 0 or 2. */
static int load(struct rp_run *runs, char **files, size_t n, size_t *loaded)
{
	char err[1024];

	for (*loaded = 0; *loaded < n; ++*loaded)
		if (rp_run_load(&runs[*loaded], files[*loaded], (int)*loaded, err, sizeof(err))) {
			fprintf(stderr, "history: %s\n", err);
			return 2;
		}
	return 0;
}

/* The page of runs, in time order: 0, or 1 (reported) where it could not be written. */
static int write_history(const struct rp_run *runs, size_t n, const struct history_args *a)
{
	const struct rp_run **order = calloc(n, sizeof(*order));
	size_t flagged = 0;
	char err[1024];
	int rc = 1;

	if (!order || rp_history_order(runs, n, order))
		snprintf(err, sizeof(err), "out of memory");
	else if (!rp_history_write(order, n, &a->o, a->dir, &flagged, err, sizeof(err)))
		rc = 0;
	if (rc)
		fprintf(stderr, "history: %s\n", err);
	else
		printf("history: wrote %s/index.html: %zu files, %zu point%s flagged\n", a->dir, n,
		       flagged, flagged == 1 ? "" : "s");
	free(order);
	return rc;
}

int vb_cmd_history(int argc, char **argv)
{
	struct history_args a = {.o = {.alpha = 0.01, .min_effect = 0.05}};
	int rc = parse_args(argc, argv, &a);
	size_t n, loaded = 0;
	struct rp_run *runs;

	if (rc)
		return rc == 1 ? 0 : 2;
	n = (size_t)(argc - optind);
	runs = calloc(n, sizeof(*runs));
	if (!runs) {
		fprintf(stderr, "history: out of memory\n");
		return 2;
	}
	rc = load(runs, argv + optind, n, &loaded);
	if (!rc)
		rc = write_history(runs, n, &a);
	while (loaded > 0)
		rp_run_free(&runs[--loaded]);
	free(runs);
	return rc;
}
