/* SPDX-License-Identifier: MIT */
/* `vbench report RESULT... -o DIR`: the lab and classroom report. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "../reports/report.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vbench report RESULT.json... -o DIR\n"
		"  Writes DIR/index.html (self-contained), DIR/report.md and gnuplot\n"
		"  charts (NAME.png, NAME.svg, with NAME.dat and NAME.gp to re-plot).\n"
		"  Several result files are shown side by side (R1, R2, ...); a table or\n"
		"  chart too narrow for them all shows the first and says so.\n"
		"exit status: 0 ok, 1 the report could not be written (e.g. no gnuplot),\n"
		"             2 bad usage or a bad result file\n");
}

int vb_cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct rp_run *runs;
	const char *dir = NULL;
	char err[1024];
	int ch, n = 0, rc = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': dir = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!dir || optind >= argc) {
		fprintf(stderr, "report: %s\n", dir ? "no result file given" : "-o DIR is required");
		usage(stderr);
		return 2;
	}
	/* a fleet's report has a file per host: as many as it has */
	runs = calloc((size_t)(argc - optind), sizeof(*runs));
	if (!runs) {
		fprintf(stderr, "report: out of memory for %d result files\n", argc - optind);
		return 1;
	}
	for (; optind < argc; optind++, n++)
		if (rp_run_load(&runs[n], argv[optind], n, err, sizeof(err))) {
			fprintf(stderr, "report: %s\n", err);
			rc = 2;
			goto out;
		}
	if (rp_report_write(runs, n, dir, err, sizeof(err))) {
		fprintf(stderr, "report: %s\n", err);
		rc = 1;
		goto out;
	}
	printf("report: wrote %s/index.html and %s/report.md\n", dir, dir);
out:
	while (n-- > 0)
		rp_run_free(&runs[n]);
	free(runs);
	return rc;
}
