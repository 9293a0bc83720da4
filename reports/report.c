/* SPDX-License-Identifier: MIT */
/* The report's skeleton: its sections in order, its directory and stale charts; see report.h. */
#include "report.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/proto.h"
#include "approaches.h"
#include "chart.h"
#include "version.h"

static void add_unique(json_t *arr, const char *name)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (!strcmp(json_string_value(v), name))
			return;
	json_array_append_new(arr, json_string(name));
}

/* The traits of a backend in the first run that has them (NULL: none). */
static const struct vb_traits *traits_of(const struct rp_report *rp, const char *name)
{
	for (int r = 0; r < rp->nruns; r++)
		if (rp_traits(&rp->runs[r], name))
			return rp_traits(&rp->runs[r], name);
	return NULL;
}

/*
 * Backends in the order a reader compares the approaches (by traits: the
 * host, containers, KVM, TCG guests), first seen first among equals; and
 * whether any ran in an emulated lab.
 */
static void collect_names(struct rp_report *rp)
{
	size_t i, n;
	json_t *e, *sorted;

	rp->backends = json_array();
	rp->benches = json_array();
	for (int r = 0; r < rp->nruns; r++) {
		json_array_foreach(rp->runs[r].backends, i, e) {
			add_unique(rp->backends, vb_json_str(e, "name", ""));
			rp->lab |= rp_lab(&rp->runs[r], vb_json_str(e, "name", "")) != NULL;
		}
		json_array_foreach(rp->runs[r].workloads, i, e)
			add_unique(rp->benches, vb_json_str(e, "name", ""));
		json_array_foreach(rp->runs[r].measurements, i, e)
			add_unique(rp->benches, vb_json_str(e, "bench", ""));
	}
	n = json_array_size(rp->backends);
	sorted = json_array();
	for (int rank = 0; rank <= rp_rank(NULL); rank++)
		for (i = 0; i < n; i++) {
			e = json_array_get(rp->backends, i);
			if (rp_rank(traits_of(rp, json_string_value(e))) == rank)
				json_array_append(sorted, e);
		}
	json_decref(rp->backends);
	rp->backends = sorted;
}

/* 1 when DIR's NAME.gp (at dfd) is a regular file of ours that vbench wrote (chart.c's first line). */
static int our_chart_script(int dfd, const char *gp)
{
	static const char mark[] = "# vbench chart '";
	char head[sizeof(mark) - 1];
	int fd = openat(dfd, gp, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), ours;
	struct stat st;

	if (fd < 0)
		return 0;
	ours = !fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
	       read(fd, head, sizeof(head)) == (ssize_t)sizeof(head) &&
	       !memcmp(head, mark, sizeof(head));
	close(fd);
	return ours;
}

/*
 * The charts of an earlier report in dir that this one did not draw go:
 * NAME.gp where vbench wrote it, and its NAME.dat, .png, .svg, .log.
 * Only regular files of ours; a symlink or anyone else's file stays.
 */
static void remove_stale_charts(const char *dir, const json_t *made)
{
	static const char *const ext[] = { "dat", "png", "svg", "log", "gp" };
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		char base[256], file[300];
		struct stat st;

		if (len <= 3 || len >= sizeof(base) || strcmp(e->d_name + len - 3, ".gp"))
			continue;
		snprintf(base, sizeof(base), "%.*s", (int)(len - 3), e->d_name);
		if (json_object_get(made, base) || !our_chart_script(dirfd(d), e->d_name))
			continue;
		for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
			snprintf(file, sizeof(file), "%s.%s", base, ext[i]);
			if (!fstatat(dirfd(d), file, &st, AT_SYMLINK_NOFOLLOW) &&
			    S_ISREG(st.st_mode) && st.st_uid == geteuid())
				unlinkat(dirfd(d), file, 0);
		}
	}
	if (d)
		closedir(d);
}

/* vbench writes in DIR as root: see report.h. */
int rp_report_dir(const char *dir, char *err, size_t n)
{
	size_t len = strlen(dir);
	char path[4096];
	struct stat st;

	if (mkdir(dir, 0755) == 0)
		return 0;
	/* "link/" would name the directory the link points to */
	while (len > 1 && dir[len - 1] == '/')
		len--;
	snprintf(path, sizeof(path), "%.*s", (int)len, dir);
	if (errno != EEXIST || lstat(path, &st)) {
		snprintf(err, n, "%s: cannot create the report directory: %s", dir,
			 strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode))
		snprintf(err, n, "refusing to write the report into %s: it is a symbolic link",
			 dir);
	else if (!S_ISDIR(st.st_mode))
		snprintf(err, n, "%s: cannot create the report directory: exists and is not a "
			 "directory", dir);
	else if (st.st_uid != geteuid())
		snprintf(err, n, "refusing to write the report into %s: it is owned by uid %u, "
			 "not by you", dir, (unsigned)st.st_uid);
	else
		return 0;
	return -1;
}

/* Add name to a ", "-separated list unless it is there. */
static void add_name(char *list, size_t n, const char *name)
{
	size_t len = strlen(list);
	const char *p;

	for (p = strstr(list, name); p; p = strstr(p + 1, name))
		if ((p == list || p[-1] == ' ') && (!p[strlen(name)] || p[strlen(name)] == ','))
			return;
	snprintf(list + len, n - len, "%s%s", len ? ", " : "", name);
}

/*
 * What each slowdown is relative to. With an emulated lab there are two
 * kinds of baseline (the host's bare, the lab's own): each approach is
 * compared with its own, in its own place, never across.
 */
static void intro(struct rp_report *rp)
{
	char host[256] = "", lab[256] = "";
	int across = 0;
	size_t i;
	json_t *b;

	for (int r = 0; r < rp->nruns; r++)
		json_array_foreach(rp->backends, i, b) {
			const char *be = json_string_value(b), *base = rp_baseline(&rp->runs[r], be);

			if (!base)
				continue;
			if (!rp_has_comparable_baseline(&rp->runs[r], be))
				across = 1;
			else
				add_name(rp_lab(&rp->runs[r], be) ? lab : host,
					 rp_lab(&rp->runs[r], be) ? sizeof(lab) : sizeof(host), base);
		}
	if (!rp->lab) {
		rp_doc_para(&rp->doc, "Generated by vbench %s from %d result file%s. Slowdown is the "
			    "time (or inverse throughput) relative to %s on the same host, paired per "
			    "round: > 1 means slower than %s. Every number here comes from the result "
			    "files; where a figure could not be measured the report says why.",
			    VB_VERSION, rp->nruns, rp->nruns > 1 ? "s" : "", rp_baseline_name(rp),
			    rp_baseline_name(rp));
		return;
	}
	rp_doc_para(&rp->doc, "Generated by vbench %s from %d result file%s. Slowdown is the time "
		    "(or inverse throughput) of each approach relative to its own baseline, on the "
		    "same machine and paired per round: > 1 means slower than that baseline. "
		    "Approaches marked (lab) ran inside an emulated lab (real KVM in an L1 machine "
		    "that QEMU emulates with TCG) and are compared with the lab's own bare%s%s%s, "
		    "never with this host's%s%s%s.%s Every number here comes from the result files; "
		    "where a figure could not be measured the report says why.",
		    VB_VERSION, rp->nruns, rp->nruns > 1 ? "s" : "", lab[0] ? " (" : "", lab,
		    lab[0] ? ")" : "", host[0] ? "; the others with " : "", host,
		    host[0] ? ", on this host" : "",
		    across ? " A lab approach whose baseline ran on this host is not compared at "
			     "all: the ratio would measure the emulation." : "");
}

/* Whether the runs come from hosts of more than one name. */
static int several_hosts(const struct rp_run *runs, int nruns)
{
	for (int r = 1; r < nruns; r++)
		if (strcmp(runs[r].host, runs[0].host))
			return 1;
	return 0;
}

int rp_report_write(const struct rp_run *runs, int nruns, const char *dir, char *err,
		    size_t n)
{
	struct rp_report rp = {.runs = runs, .nruns = nruns, .dir = dir,
				.hosts = several_hosts(runs, nruns)};
	/* findings first; the rest follows the table of contents */
	void (*const sections[])(struct rp_report *) = {
		rp_sec_overhead, rp_sec_fullpv, rp_sec_absolute, rp_sec_exits,
		rp_sec_exit_time, rp_sec_latency, rp_sec_traps, rp_sec_device_exits,
		rp_sec_tlb, rp_sec_life_start, rp_sec_life_memory, rp_sec_isolation, rp_sec_claims,
		rp_sec_coursework, rp_sec_glossary, rp_sec_environment,
	};
	int rc = 0;

	if (rp_report_dir(dir, err, n) || rp_chart_workdir(dir, rp.charts, sizeof(rp.charts), err, n))
		return -1;
	if (rp_doc_open(&rp.doc, dir, "vbench report: what virtualization costs", err, n)) {
		rp_chart_workdir_remove(rp.charts);
		return -1;
	}
	rp.charts_made = json_object();
	collect_names(&rp);
	intro(&rp);
	rp_sec_findings(&rp);
	rp_doc_toc(&rp.doc);
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]) && !rp.failed; i++)
		sections[i](&rp);
	if (rp.failed)
		rp_doc_discard(&rp.doc);
	else if (rp_doc_close(&rp.doc, rp.err, sizeof(rp.err)))
		rp.failed = 1;
	rp_chart_workdir_remove(rp.charts);
	if (rp.failed) {
		snprintf(err, n, "%s", rp.err);
		rc = -1;
	} else {
		remove_stale_charts(dir, rp.charts_made);
	}
	json_decref(rp.charts_made);
	json_decref(rp.backends);
	json_decref(rp.benches);
	return rc;
}
