/* SPDX-License-Identifier: MIT */
/*
 * `vbench report`: one or more result files into DIR/index.html,
 * DIR/report.md and gnuplot charts. Each section lives in its own file
 * (sec_*.c) and says why where its data is absent; none invents a number.
 */
#ifndef VB_REPORT_H
#define VB_REPORT_H

#include <jansson.h>

#include "doc.h"
#include "evidence.h"
#include "rundata.h"

struct rp_report {
	struct rp_doc doc;
	const struct rp_run *runs;
	int nruns;
	const char *dir;
	char charts[4096];      /* the private dir charts are made in (chart.h) */
	json_t *backends;       /* names in display order, over all runs */
	json_t *benches;        /* workload names in order, over all runs */
	json_t *charts_made;    /* name -> true, every chart this report drew */
	char err[1024];         /* first chart/IO failure */
	int failed;
	int lab;                /* some approach ran in an emulated lab */
	int hosts;              /* runs of several hostnames: series say whose (rp_series) */
};

/* Write the report; 0, or -1 with a one-line reason in err. */
int rp_report_write(const struct rp_run *runs, int nruns, const char *dir, char *err,
		    size_t n);

/*
 * DIR, made if missing. One that is there must be a directory of the
 * euid's own, not a symlink to one: vbench writes in it as root. Also
 * `vbench history -o DIR`. 0 or -1 with err.
 */
int rp_report_dir(const char *dir, char *err, size_t n);

/* Helpers shared by the sections (naming.c, report_chart.c). */
/* The backend name, with " (lab)" after it where it ran in an emulated lab. */
const char *rp_label(const struct rp_run *r, const char *backend, char *buf, size_t n);
/*
 * Its label, or "R2 <label>" when several runs are side by side, "R2 host
 * <label>" when they come from hosts of several names (a lab's hosts).
 */
const char *rp_series(const struct rp_report *rp, int run, const char *backend, char *buf,
		      size_t n);
/* "R1 ...: " before a run's sentences where several runs are side by side, else "". */
const char *rp_run_prefix(const struct rp_report *rp, const struct rp_run *r, char *buf,
			  size_t n);
/* Render a chart and embed it; on failure remember the error for the caller. */
void rp_report_chart(struct rp_report *rp, const char *name, int w, int h, const char *body,
		     const char *caption);
/*
 * A chart of bars across (chart.h rp_chart_hbars) from NAME.dat, 900 px
 * wide and as high as its rows; axes: gnuplot commands for its title and
 * labels, each ending in a newline.
 */
void rp_report_hbars(struct rp_report *rp, const char *name, const char *axes, int rows,
		     double longest, const char *colour, const char *caption);
/* Open NAME.dat; NULL (error remembered) on failure. */
FILE *rp_report_data(struct rp_report *rp, const char *name);
/*
 * The one baseline every compared approach has; where none is compared,
 * the host-kind approach; "baseline" where they differ or there is none.
 */
const char *rp_baseline_name(const struct rp_report *rp);
/* 3 significant digits, all digits from 100 up ("1.23", "78490"), "-" if not finite. */
const char *rp_num(double v, char *buf, size_t n);

/* A workload's group: its name up to the first dot ("cpu" of "cpu.int"). */
void rp_group_of(const char *bench, char *buf, size_t n);

/* " (in L1, ... for approaches marked (lab))" where the report has any, else "". */
const char *rp_lab_where(const struct rp_report *rp);

/*
 * Each VM approach that ran, of that accelerator (VB_NACCELS: any), with no
 * per-request figure on any io.* workload: an item each, with the reason
 * the first of its io.* workloads gives.
 */
void rp_explain_per_request(struct rp_report *rp, enum vb_accel accel,
			    int (*figure)(const struct rp_run *r, const char *be, const char *bench,
					  const char **why));

/* The textbook claims (sec_claims.c): how many, and claim c's text and verdict in r. */
size_t rp_claims_count(void);
const char *rp_claim_judge(const struct rp_report *rp, const struct rp_run *r, size_t c,
			   char *verdict, size_t n);

void rp_sec_findings(struct rp_report *rp);
void rp_sec_absolute(struct rp_report *rp);
void rp_sec_coursework(struct rp_report *rp);
void rp_sec_glossary(struct rp_report *rp);
void rp_sec_environment(struct rp_report *rp);
void rp_sec_overhead(struct rp_report *rp);
void rp_sec_exits(struct rp_report *rp);
void rp_sec_exit_time(struct rp_report *rp);
void rp_sec_device_exits(struct rp_report *rp);
void rp_sec_traps(struct rp_report *rp);
void rp_sec_latency(struct rp_report *rp);
void rp_sec_tlb(struct rp_report *rp);
void rp_sec_life_start(struct rp_report *rp);
void rp_sec_life_memory(struct rp_report *rp);
void rp_sec_isolation(struct rp_report *rp);
void rp_sec_fullpv(struct rp_report *rp);
void rp_sec_claims(struct rp_report *rp);

#endif
