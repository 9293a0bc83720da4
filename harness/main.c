/* SPDX-License-Identifier: MIT */
/* vbench: measure what virtualization costs. */
#include "commands.h"
#include "version.h"

#include <stdio.h>
#include <string.h>

#define VB_DECLARE(name, summary) int vb_cmd_##name(int argc, char **argv);
VB_COMMANDS(VB_DECLARE)
#undef VB_DECLARE

static const struct {
	const char *name, *summary;
	int (*fn)(int, char **);
} commands[] = {
#define VB_ENTRY(name, summary) { #name, summary, vb_cmd_##name },
	VB_COMMANDS(VB_ENTRY)
#undef VB_ENTRY
};

static void usage(FILE *f)
{
	fprintf(f, "usage: vbench COMMAND [options]   (vbench COMMAND --help for more)\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nExamples:\n"
		   "  vbench run --all                  every backend and workload\n"
		   "  vbench run --backend bare,container --bench 'cpu.*' -o r.json\n"
		   "  vbench doctor                     what this host can measure\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("vbench %s (source tree %s)\n", VB_VERSION, vb_source_id);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "vbench: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
