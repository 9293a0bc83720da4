/* SPDX-License-Identifier: MIT */
#include "run_opts.h"
#include "life/budget.h"
#include "../common/proto.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
	O_ROUNDS = 256, O_SAMPLES, O_WARMUP, O_MINMS, O_QUICK, O_ALL, O_CPUS, O_MEMORY,
	O_SCRATCH, O_RUNTIME, O_KERNEL, O_MODULES, O_CACHE, O_TIMEOUT, O_HELLO, O_SEED,
	O_PROBES, O_NOPROBES, O_NOCOUNT, O_WORKDIR, O_PARAM, O_LAB, O_RESUME, O_SET,
	O_PRECISION, O_BUDGET, O_MAXROUNDS, O_LIFE_REPS, O_MEM_BUDGET, O_DENSITY_MAX,
};

/* Without --precision: what `--all` reaches on cpu and mem workloads of a quiet host. */
#define DEFAULT_PRECISION 0.05
#define DEFAULT_MAX_ROUNDS 30

static const char *const lab_modes[] = { "auto", "emulated", "none" };

const char *vb_lab_mode_name(enum vb_lab_mode m)
{
	return lab_modes[m];
}

void vb_run_usage(FILE *f)
{
	fprintf(f,
		"usage: vbench run [--all | --backend LIST] [--bench GLOBS] [options]\n"
		"Run workloads in each environment, in interleaved rounds, and write results.\n"
		"  -b, --backend LIST     backends, comma-separated (default: bare); NAME@TAG\n"
		"                         starts another instance of NAME beside it\n"
		"  -w, --bench GLOBS      workloads, comma-separated globs (default: '*')\n"
		"      --all              every backend and every workload; unavailable\n"
		"                         backends are recorded with the reason\n"
		"  -o, --output FILE      result file (default: vbench-results-DATE.json)\n"
		"      --rounds N         planned rounds (default 5; 12 where an instance is\n"
		"                         NAME@TAG, for the paired test; --quick 2)\n"
		"      --precision P      after them, more rounds of the workloads whose 95%%\n"
		"                         CI (of the per-round ratio to the instance's partner,\n"
		"                         NAME beside NAME@TAG or its baseline, else of its\n"
		"                         own round medians) is wider than +-P: 5%% or 0.05\n"
		"                         (default 5%%; --quick and 0 or off: planned rounds only)\n"
		"      --time-budget T    ... while the next round fits in T for all rounds:\n"
		"                         seconds, or 90s, 20m, 2h (default: twice what\n"
		"                         the planned rounds took)\n"
		"      --max-rounds N     ... and at most N rounds in all (default %d)\n"
		"      --samples N        samples per workload per round, 1..%d (default 5;\n"
		"                         --quick 3): a reply must fit in one protocol line\n"
		"      --warmup N         discarded samples before them (default 1)\n"
		"      --min-sample-ms N  each sample lasts at least N ms (default 100; --quick 20)\n"
		"      --quick            short run for smoke tests and CI\n"
		"  -p, --param W.P=V      set parameter P of workload W (repeatable),\n"
		"                         e.g. --param mem.stream.array_mib=128\n"
		"      --set NAME.KEY=V   a setting of instance NAME alone (repeatable), for A/B\n"
		"                         in one run: -b type2,type2@new --set type2@new.qemu=PATH\n"
		"                         KEY: qemu (a qemu-system-x86_64 binary), kernel,\n"
		"                         modules, cpu (QEMU -cpu model), qemu-args (extra QEMU\n"
		"                         arguments, split on spaces: no quoting), memory (MB),\n"
		"                         runtime (container runtime), param.W.P (as --param)\n"
		"      --cpus N           CPUs (vCPUs) per environment (default 1)\n"
		"      --memory MB        memory limit / guest RAM (default 1024)\n"
		"      --scratch-mib N    size of the I/O scratch image (default 512)\n"
		"      --container-runtime NAME  crun (default), runc, podman, docker\n"
		"      --kernel PATH      guest kernel (default: Debian's, fetched and cached)\n"
		"      --modules DIR      its modules (lib/modules/VERSION)\n"
		"      --cache DIR        guest image cache (default: $XDG_CACHE_HOME/vbench, else\n"
		"                         ~/.cache/vbench, else as root /var/cache/vbench); it must\n"
		"                         be owned by you or root and writable by no one else\n"
		"      --workdir DIR      where per-run files go (default: $VBENCH_WORKDIR or /var/tmp)\n"
		"      --probes LIST      probe sets to attach (see vbench doctor)\n"
		"      --no-probes        attach no probes\n"
		"      --lab MODE         where type1 and paravirt run when this host's KVM\n"
		"                         cannot run guests: auto (default: in the emulated\n"
		"                         lab, an L1 machine under QEMU TCG with AMD SVM and\n"
		"                         real KVM inside), emulated (always there), none\n"
		"      --no-count         no counting passes: time only (by default each\n"
		"                         timed pass, which nothing observes, is followed by\n"
		"                         half a sample's operations, counted by probes and agent)\n"
		"      --life-reps N      launches per backend in life.start, rounds in\n"
		"                         iso.neighbour (default 10; --quick 3)\n"
		"      --budget SIZE      memory life.density fills: 2G, 512M, or 25%% of the\n"
		"                         memory available (default 2G; --quick 256M)\n"
		"      --density-max N    most instances life.density starts (default 1000;\n"
		"                         --quick 32)\n"
		"      --timeout S        per-request limit, seconds (default 300)\n"
		"      --hello-timeout S  start-to-hello limit, seconds (default 120)\n"
		"      --seed N           shuffle seed (default: time)\n"
		"      --resume FILE      continue the cut-off run in FILE with its plan (no\n"
		"                         other option but -o, -v, --workdir, --cache), keeping\n"
		"                         its measurements and running what it lacks\n"
		"  -v, --verbose\n"
		"  -h, --help\n"
		"Exit status: 0 done, at least one measurement ok; 1 nothing measured (no\n"
		"backend ran, or every measurement errored or is unsupported: the file says\n"
		"why) or the results could not be written; 2 bad usage; 130 interrupted\n"
		"(completed measurements kept).\n", DEFAULT_MAX_ROUNDS, VB_MAX_SAMPLES);
}

static int number(const char *s, long long lo, long long hi, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	return !errno && end != s && !*end && *v >= lo && *v <= hi;
}

/* A precision: "5%", "0.05", or 0 and "off" for none; -1 if it is none of them. */
static int parse_precision(const char *s, double *out)
{
	char *end;
	double v;

	if (!strcmp(s, "off")) {
		*out = 0;
		return 0;
	}
	errno = 0;
	v = strtod(s, &end);
	if (end != s && *end == '%') {
		v /= 100;
		end++;
	}
	if (errno || end == s || *end || !(v >= 0 && v < 1))
		return -1;
	*out = v;
	return 0;
}

/* A duration: seconds, or a number with s, m or h; -1 unless within 1 s..7 days. */
static int parse_duration(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s)
		return -1;
	if (*end == 'm')
		v *= 60;
	else if (*end == 'h')
		v *= 3600;
	if (*end && (strchr("smh", *end) == NULL || end[1]))
		return -1;
	if (!(v >= 1 && v <= 7 * 86400))
		return -1;
	*out = v;
	return 0;
}

static const char *optname(const struct option *opts, int val)
{
	for (; opts->name; opts++)
		if (opts->val == val)
			return opts->name;
	return "?";
}

/* Options that make the plan (meta.plan): --resume takes them all from its file. */
static int plan_option(int c)
{
	return c != 'o' && c != 'v' && c != 'h' && c != '?' && c != ':' && c != O_WORKDIR &&
	       c != O_CACHE && c != O_RESUME;
}

int vb_run_parse(int argc, char **argv, struct vb_run_opts *o, char *err, size_t n)
{
	static const struct option opts[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "bench", required_argument, NULL, 'w' },
		{ "output", required_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "rounds", required_argument, NULL, O_ROUNDS },
		{ "samples", required_argument, NULL, O_SAMPLES },
		{ "warmup", required_argument, NULL, O_WARMUP },
		{ "min-sample-ms", required_argument, NULL, O_MINMS },
		{ "quick", no_argument, NULL, O_QUICK },
		{ "all", no_argument, NULL, O_ALL },
		{ "cpus", required_argument, NULL, O_CPUS },
		{ "memory", required_argument, NULL, O_MEMORY },
		{ "scratch-mib", required_argument, NULL, O_SCRATCH },
		{ "container-runtime", required_argument, NULL, O_RUNTIME },
		{ "kernel", required_argument, NULL, O_KERNEL },
		{ "modules", required_argument, NULL, O_MODULES },
		{ "cache", required_argument, NULL, O_CACHE },
		{ "workdir", required_argument, NULL, O_WORKDIR },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "hello-timeout", required_argument, NULL, O_HELLO },
		{ "seed", required_argument, NULL, O_SEED },
		{ "probes", required_argument, NULL, O_PROBES },
		{ "no-probes", no_argument, NULL, O_NOPROBES },
		{ "no-count", no_argument, NULL, O_NOCOUNT },
		{ "param", required_argument, NULL, 'p' },
		{ "lab", required_argument, NULL, O_LAB },
		{ "resume", required_argument, NULL, O_RESUME },
		{ "set", required_argument, NULL, O_SET },
		{ "precision", required_argument, NULL, O_PRECISION },
		{ "time-budget", required_argument, NULL, O_BUDGET },
		{ "max-rounds", required_argument, NULL, O_MAXROUNDS },
		{ "life-reps", required_argument, NULL, O_LIFE_REPS },
		{ "budget", required_argument, NULL, O_MEM_BUDGET },
		{ "density-max", required_argument, NULL, O_DENSITY_MAX },
		{ 0 },
	};
	long long v, rounds = -1, samples = -1, minms = -1, max_rounds = -1, life_reps = -1;
	long long density_max = -1;
	double precision = -1;
	int c, planned = 0;

	memset(o, 0, sizeof(*o));
	o->warmup = 1;
	o->cpus = 1;
	o->memory_mb = 1024;
	o->scratch_mib = 512;
	o->timeout_s = 300;
	o->hello_timeout_s = 120;
	o->workdir_base = getenv("VBENCH_WORKDIR") ? getenv("VBENCH_WORKDIR") : "/var/tmp";
	o->container_runtime = "crun";
	o->seed = (uint64_t)time(NULL);
	optind = 0; /* reset getopt: tests parse more than once */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "b:w:o:p:vh", opts, NULL)) != -1) {
		const char *a = optarg;

		if (!planned && plan_option(c))
			planned = c;
		switch (c) {
		case 'b': o->backends = a; break;
		case 'w': o->benches = a; break;
		case 'o': o->out = a; break;
		case 'p':
			if (o->nparams == (int)(sizeof(o->params) / sizeof(o->params[0]))) {
				snprintf(err, n, "too many --param options");
				return 2;
			}
			o->params[o->nparams++] = a;
			break;
		case O_SET:
			if (o->nsets == (int)(sizeof(o->sets) / sizeof(o->sets[0]))) {
				snprintf(err, n, "too many --set options");
				return 2;
			}
			o->sets[o->nsets++] = a;
			break;
		case 'v': o->verbose++; break;
		case 'h': vb_run_usage(stdout); return 1;
		case O_QUICK: o->quick = 1; break;
		case O_ALL: o->all = 1; break;
		case O_RUNTIME:
			if (strcmp(a, "crun") && strcmp(a, "runc") && strcmp(a, "podman") &&
			    strcmp(a, "docker")) {
				snprintf(err, n, "--container-runtime wants crun, runc, podman or "
					 "docker, not '%s'", a);
				return 2;
			}
			o->container_runtime = a;
			break;
		case O_PRECISION:
			if (parse_precision(a, &precision)) {
				snprintf(err, n, "--precision wants a CI half-width such as 5%% or "
					 "0.05 (below 100%%), or off, not '%s'", a);
				return 2;
			}
			break;
		case O_BUDGET:
			if (parse_duration(a, &o->time_budget_s)) {
				snprintf(err, n, "--time-budget wants seconds, or a number with s, m "
					 "or h (1 s to 7 days), not '%s'", a);
				return 2;
			}
			break;
		case O_MEM_BUDGET:
			if (vb_life_budget(a, &o->budget_bytes, o->budget_desc,
					   sizeof(o->budget_desc), err, n))
				return 2;
			break;
		case O_KERNEL: o->kernel = a; break;
		case O_MODULES: o->modules = a; break;
		case O_CACHE: o->cache = a; break;
		case O_RESUME: o->resume = a; break;
		case O_WORKDIR: o->workdir_base = a; break;
		case O_PROBES: o->probes = a; break;
		case O_NOPROBES: o->no_probes = 1; break;
		case O_NOCOUNT: o->no_count = 1; break;
		case O_LAB:
			for (v = 0; v < 3 && strcmp(a, lab_modes[v]); v++)
				;
			if (v == 3) {
				snprintf(err, n, "--lab wants auto, emulated or none, not '%s'", a);
				return 2;
			}
			o->lab = (enum vb_lab_mode)v;
			break;
#define NUM(opt, lo, hi, dst)                                                          \
	case opt:                                                                      \
		if (!number(a, lo, hi, &v)) {                                          \
			snprintf(err, n, "--%s wants a number in %lld..%lld, not '%s'", \
				 optname(opts, opt), (long long)(lo),        \
				 (long long)(hi), a);                                  \
			return 2;                                                      \
		}                                                                      \
		dst = v;                                                               \
		break;
		NUM(O_ROUNDS, 1, 1000, rounds)
		NUM(O_MAXROUNDS, 1, 1000, max_rounds)
		NUM(O_LIFE_REPS, 1, 1000, life_reps)
		NUM(O_DENSITY_MAX, 1, 100000, density_max)
		NUM(O_SAMPLES, 1, VB_MAX_SAMPLES, samples)
		NUM(O_WARMUP, 0, 1000, o->warmup)
		NUM(O_MINMS, 1, 60000, minms)
		NUM(O_CPUS, 1, 64, o->cpus)
		NUM(O_MEMORY, 64, 1 << 20, o->memory_mb)
		NUM(O_SCRATCH, 16, 1 << 20, o->scratch_mib)
		NUM(O_TIMEOUT, 1, 86400, o->timeout_s)
		NUM(O_HELLO, 1, 3600, o->hello_timeout_s)
		NUM(O_SEED, 0, 0x7fffffffffffffffll, o->seed)
#undef NUM
		case '?':
		default:
			if (optopt && optopt < 256)
				snprintf(err, n, "unknown option '-%c' (see vbench run --help)", optopt);
			else
				snprintf(err, n, "unknown or incomplete option '%s' (see vbench run --help)",
					 argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		snprintf(err, n, "unexpected argument '%s' (see vbench run --help)", argv[optind]);
		return 2;
	}
	if (o->resume && planned) {
		snprintf(err, n, "--resume takes the plan from its file: --%s cannot be given "
			 "with it (only -o, -v, --workdir and --cache can)", optname(opts, planned));
		return 2;
	}
	if (o->all && o->backends) {
		snprintf(err, n, "--all and --backend exclude each other");
		return 2;
	}
	if (o->no_probes && o->probes) {
		snprintf(err, n, "--probes and --no-probes exclude each other");
		return 2;
	}
	if (o->no_count && o->probes) {
		snprintf(err, n, "--probes counts in counting passes, which --no-count skips");
		return 2;
	}
	/*
	 * A/B instances: 12 rounds are the fewest at which the paired
	 * sign-flip test reaches p < 0.01 with one round the other way (p =
	 * 2 * 13 / 4096): on a noisy host one round in ten is such a round.
	 */
	o->rounds = (unsigned)(rounds > 0 ? rounds : o->quick ? 2
			       : o->backends && strchr(o->backends, '@') ? 12 : 5);
	o->precision = precision >= 0 ? precision : o->quick ? 0 : DEFAULT_PRECISION;
	o->max_rounds = (unsigned)(max_rounds > 0 ? max_rounds : DEFAULT_MAX_ROUNDS);
	if (o->max_rounds < o->rounds) {
		if (max_rounds > 0) {
			snprintf(err, n, "--max-rounds %u is below the %u planned rounds",
				 o->max_rounds, o->rounds);
			return 2;
		}
		o->max_rounds = o->rounds;
	}
	if (o->time_budget_s && !o->precision) {
		snprintf(err, n, "--time-budget bounds the rounds --precision adds, and there is "
			 "no precision (--quick or --precision off)");
		return 2;
	}
	o->samples = (unsigned)(samples > 0 ? samples : o->quick ? 3 : 5);
	o->min_sample_ms = (unsigned)(minms > 0 ? minms : o->quick ? 20 : 100);
	o->life_reps = (unsigned)(life_reps > 0 ? life_reps : o->quick ? 3 : 10);
	o->density_max = (unsigned)(density_max > 0 ? density_max : o->quick ? 32 : 1000);
	if (!o->budget_bytes &&
	    vb_life_budget(o->quick ? "256M" : "2G", &o->budget_bytes, o->budget_desc,
			   sizeof(o->budget_desc), err, n))
		return 2;
	if (!o->benches)
		o->benches = "*";
	return 0;
}
