/* SPDX-License-Identifier: MIT */
/*
 * `vbench run --resume FILE`: continue a run that was cut off. The file
 * is untrusted: it is loaded and checked as any result file, and its plan
 * (meta.plan, with the workloads' parameters) is turned back into a
 * command line that vb_run_parse checks as it checks the user's. The run
 * then starts the same environments with the same seed, so each round's
 * shuffle is the original's, and the scheduler skips what the file holds
 * already: each (instance, workload, round) with an ok measurement, and
 * after an unsupported one that pair, as the original run did. Every
 * measurement of the file is kept untouched.
 */
#ifndef VB_RESUME_H
#define VB_RESUME_H

#include <jansson.h>

#include "run_opts.h"
#include "scheduler.h"
#include "select.h"

#define VB_RESUME_MAX_ARGS 512

struct vb_resume {
	json_t *doc;                /* the file's document: the run goes on in it */
	const char *path;
	json_t *done;               /* "instance\x1f" "bench\x1f" "round" -> "ok" | "unsupported" */
	size_t kept;                /* measurements in the file */
	char *argv[VB_RESUME_MAX_ARGS]; /* the plan as a command line */
	int argc;
	char pool[32768];           /* its strings */
	size_t used;
};

/*
 * Take doc (the reference too) as the run to resume: it must be cut off
 * (not complete, or interrupted), not being written by a live vbench,
 * without an emulated lab that ran in part, with a plan this vbench can
 * read. Builds the plan's command line and the skip set. 0, or -1 with err.
 */
int vb_resume_take(struct vb_resume *rs, json_t *doc, const char *path, char *err, size_t n);
/* vb_resume_take of the file at path, loaded as every result file is. */
int vb_resume_load(struct vb_resume *rs, const char *path, char *err, size_t n);
/*
 * The run's options: the plan's, parsed as a command line, with what the
 * user may still choose (-o, -v, --workdir, --cache) from user. 0, or 2
 * with err (as vb_run_parse).
 */
int vb_resume_options(const struct vb_resume *rs, const struct vb_run_opts *user,
		      struct vb_run_opts *o, char *err, size_t n);
/*
 * The selection made from the plan must be the plan's own: the same
 * instances (host's then the lab's) and workloads, in the same order.
 */
int vb_resume_check(const struct vb_resume *rs, const struct vb_pick *be, int nbe,
		    const struct vb_pick *lab_be, size_t nlab, const struct vb_workload *const *wl,
		    int nwl, char *err, size_t n);
/*
 * After the environments started: 1 when they are the ones the previous
 * session started (names, in order): then each round's shuffle is the
 * original's. Else 0, with the two lists in why.
 */
int vb_resume_same_started(const struct vb_resume *rs, const struct vb_instance *inst,
			   size_t n, char *why, size_t whylen);
/* The scheduler's done hook (arg: the struct vb_resume). */
enum vb_done vb_resume_done(void *arg, const char *instance, const char *bench, unsigned round);
/*
 * Before the environments start: record the resumption in meta.resumed
 * (when, from which file, what was kept, the previous session's owner and
 * backends, which the new ones replace) and make owner the file's owner.
 */
void vb_resume_begin(struct vb_resume *rs, json_t *owner);
void vb_resume_free(struct vb_resume *rs);

#endif
