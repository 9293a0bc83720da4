/* SPDX-License-Identifier: MIT */
/*
 * What `vbench compare` writes: the table, the missing lines, JUnit,
 * github-action-benchmark and JSON; see compare.h.
 */
#include "compare.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/proto.h"
#include "../common/safefile.h"
#include "../common/textsafe.h"
#include "changeci.h"
#include "xmlesc.h"

/*
 * v for people: 3 significant digits, and from 1000 up the plain integer
 * (78490, not 7.85e+04); "-" where there is none.
 */
static const char *fmt_num(char *buf, size_t n, double v)
{
	if (!isfinite(v))
		snprintf(buf, n, "-");
	else if (fabs(v) >= 999.5 && fabs(v) < 1e15)
		snprintf(buf, n, "%.0f", v);
	else
		snprintf(buf, n, "%.3g", v);
	return buf;
}

const char *rp_fmt_p(char *buf, size_t n, double p)
{
	if (!isfinite(p))
		snprintf(buf, n, "-");
	else if (p < 0.001)
		snprintf(buf, n, "<0.001");
	else
		snprintf(buf, n, "%.2g", p);
	return buf;
}

/* The change's interval in percent, "[-1.2%, +3.4%]", or "-". */
static const char *fmt_ci(char *buf, size_t n, const struct rp_cmp *c)
{
	if (!isfinite(c->ci_lo) || !isfinite(c->ci_hi))
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "[%+.1f%%, %+.1f%%]", 100 * c->ci_lo, 100 * c->ci_hi);
	return buf;
}

/* v rounded to `digits` significant digits, for machine outputs. */
static double round_sig(double v, int digits)
{
	double scale;

	if (!isfinite(v) || v == 0)
		return v;
	scale = pow(10, digits - ceil(log10(fabs(v))));
	return round(v * scale) / scale;
}

/*
 * A cell of text from the result files, as a terminal may show it
 * (textsafe.h), whole, padded to width and a space.
 */
static void put_cell(FILE *f, const char *s, int width)
{
	for (size_t k = vb_term_put(f, s); k < (size_t)width; k++)
		fputc(' ', f);
	fputc(' ', f);
}

int rp_cmp_has_history(const struct rp_cmp *c)
{
	return c->hist.runs + c->hist.left_out > 0;
}

const char *rp_threshold_text(char *buf, size_t n, const struct rp_cmp *c)
{
	if (!rp_cmp_has_change(c))
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.1f%%%s", 100 * c->threshold,
			 !strcmp(c->threshold_from, "history") ? "h" : "");
	return buf;
}

const char *rp_hist_note(char *buf, size_t n, const struct rp_cmp *c)
{
	char left[48] = "";

	if (c->hist.left_out)
		snprintf(left, sizeof(left), ", %zu left out", c->hist.left_out);
	if (!isfinite(c->hist.noise))
		snprintf(buf, n, "history: only %zu run%s%s", c->hist.runs,
			 c->hist.runs == 1 ? "" : "s", left);
	else
		snprintf(buf, n, "history: %zu runs%s, spread %.1f%%, noise bound %.1f%%",
			 c->hist.runs, left, 100 * c->hist.spread, 100 * c->hist.noise);
	return buf;
}

/* 1 when some row's threshold was looked up in history: the table shows the column. */
static int any_history(const struct rp_cmp *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (rp_cmp_has_history(&c[i]))
			return 1;
	return 0;
}

/*
 * The numbers of a row with a change: medians, change, its interval, the
 * threshold (where thresh is set), p, test.
 */
static void put_change(FILE *f, const struct rp_cmp *c, int thresh)
{
	char base[32], cur[32], ci[48], p[16], t[16];

	fprintf(f, "%12s %12s %+7.1f%% %-18s ", fmt_num(base, sizeof(base), c->base_median),
		fmt_num(cur, sizeof(cur), c->new_median), 100 * c->change,
		fmt_ci(ci, sizeof(ci), c));
	if (thresh)
		fprintf(f, "%7s ", rp_threshold_text(t, sizeof(t), c));
	fprintf(f, "%7s %-7s  %s", rp_fmt_p(p, sizeof(p), c->p), c->test,
		rp_verdict_name(c->verdict));
	/* A/B in one run: what was set differently on purpose */
	if (c->note[0]) {
		fputs(" (", f);
		vb_term_put(f, c->note);
		fputc(')', f);
	}
	fputc('\n', f);
}

/* What "thresh" means, under a table that has the column. */
static void thresh_legend(FILE *f, const struct rp_cmp *c, size_t n)
{
	size_t learned = 0, few = 0;

	for (size_t i = 0; i < n; i++) {
		if (!rp_cmp_has_change(&c[i]))
			continue;
		learned += !strcmp(c[i].threshold_from, "history");
		few += !isfinite(c[i].hist.noise);
	}
	fprintf(f, "thresh: the least change a verdict needs; h: the metric's 99%% bound on a "
		"change between two runs, from its run medians in history (%zu row%s), else min "
		"effect", learned,
		learned == 1 ? "" : "s");
	if (few)
		fprintf(f, " (%zu row%s with fewer than 3 usable history files)", few,
			few == 1 ? "" : "s");
	fputc('\n', f);
}

void rp_compare_table(FILE *f, const struct rp_cmp *c, size_t n)
{
	int thresh = any_history(c, n);

	fprintf(f, "%-10s %-16s %-7s %5s %12s %12s %8s %-18s ", "backend", "workload", "unit",
		"dir", "base median", "new median", "change", "95% CI");
	if (thresh)
		fprintf(f, "%7s ", "thresh");
	fprintf(f, "%7s %-7s  %s\n", "p", "test", "verdict");
	for (size_t i = 0; i < n; i++) {
		if (c[i].verdict == RP_MISSING)
			continue;
		put_cell(f, c[i].backend, 10);
		put_cell(f, c[i].bench, 16);
		put_cell(f, c[i].unit, 7);
		fprintf(f, "%5s ", c[i].higher_better ? "high" : "low");
		if (!rp_cmp_has_change(&c[i])) {
			fprintf(f, "%12s %12s %8s %-18s ", "-", "-", "-", "-");
			if (thresh)
				fprintf(f, "%7s ", "-");
			fprintf(f, "%7s %-7s  %s (", "-", "-", rp_verdict_name(c[i].verdict));
			vb_term_put(f, c[i].note);
			fputs(")\n", f);
			continue;
		}
		put_change(f, &c[i], thresh);
	}
	if (thresh)
		thresh_legend(f, c, n);
}

/* 1 when every MISSING row of backend gives the same reason. */
static int one_reason(const struct rp_cmp *c, size_t n, const char *backend, size_t first)
{
	for (size_t i = first; i < n; i++)
		if (c[i].verdict == RP_MISSING && !strcmp(c[i].backend, backend) &&
		    strcmp(c[i].note, c[first].note))
			return 0;
	return 1;
}

/* The line of backend, whose first MISSING row is c[first]. */
static void missing_line(FILE *f, const struct rp_cmp *c, size_t n, size_t first,
			 const char *cut_short)
{
	const char *be = c[first].backend;
	int same = one_reason(c, n, be, first);
	size_t missing = 0, measured = 0, i, put = 0;

	for (i = 0; i < n; i++)
		if (!strcmp(c[i].backend, be)) {
			missing += c[i].verdict == RP_MISSING;
			measured += c[i].n_base > 0;
		}
	vb_term_put(f, be);
	fprintf(f, ": %zu of %zu workloads missing in NEW: ", missing, measured);
	for (i = first; i < n; i++) {
		if (c[i].verdict != RP_MISSING || strcmp(c[i].backend, be))
			continue;
		fputs(put++ ? ", " : "", f);
		vb_term_put(f, c[i].bench);
		if (!same) {
			fputs(" (", f);
			vb_term_put(f, c[i].note);
			fputc(')', f);
		}
	}
	if (same) {
		fputs(" (", f);
		vb_term_put(f, c[first].note);
	}
	if (cut_short)
		fprintf(f, "%sNEW %s", same ? "; " : " (", cut_short);
	fputs(same || cut_short ? ")\n" : "\n", f);
}

void rp_compare_missing(FILE *f, const struct rp_cmp *c, size_t n, const char *cut_short)
{
	/* backends already summed up: by hash, so that a run of every pair missing stays linear */
	json_t *done = json_object();

	for (size_t i = 0; i < n; i++) {
		if (c[i].verdict != RP_MISSING || json_object_get(done, c[i].backend))
			continue;
		json_object_set_new(done, c[i].backend, json_true());
		missing_line(f, c, n, i, cut_short);
	}
	json_decref(done);
}

static void describe(char *buf, size_t n, const struct rp_cmp *c)
{
	char base[32], cur[32], ci[48], p[16], note[96];

	if (c->verdict == RP_INCOMPARABLE)
		snprintf(buf, n, "incomparable: %s", c->note);
	else if (c->verdict == RP_MISSING)
		snprintf(buf, n, "missing in NEW: %s", c->note);
	else if (!rp_cmp_has_change(c))
		snprintf(buf, n, "%s: %s", rp_verdict_name(c->verdict), c->note);
	else
		snprintf(buf, n, "%s: median %s -> %s %s (%+.1f%%, 95%% CI %s, p=%s over %s, %s is "
			 "better)", rp_verdict_name(c->verdict),
			 fmt_num(base, sizeof(base), c->base_median),
			 fmt_num(cur, sizeof(cur), c->new_median), c->unit, 100 * c->change,
			 fmt_ci(ci, sizeof(ci), c), rp_fmt_p(p, sizeof(p), c->p), c->test,
			 c->higher_better ? "higher" : "lower");
	if (rp_cmp_has_change(c) && c->note[0])
		rp_addf(buf, n, "; ", "%s", c->note);
	if (rp_cmp_has_change(c) && rp_cmp_has_history(c))
		rp_addf(buf, n, "; ", "threshold %.1f%% (%s)", 100 * c->threshold,
			rp_hist_note(note, sizeof(note), c));
}

static const char *failure_type(enum rp_verdict v)
{
	switch (v) {
	case RP_BROKEN: return "broken";
	case RP_INCOMPARABLE: return "incomparable";
	case RP_MISSING: return "missing";
	default: return "regression";
	}
}

/* One testcase: a failure, skipped (nothing compared, or allowed) or the verdict. */
static void junit_case(FILE *f, const struct rp_cmp *c, const struct rp_cmp_opts *o)
{
	char msg[1024];

	describe(msg, sizeof(msg), c);
	fputs("  <testcase classname=\"vbench.", f);
	rp_put_xml(f, c->backend);
	fputs("\" name=\"", f);
	rp_put_xml(f, c->bench);
	fputs("\">", f);
	if (rp_verdict_fails(c->verdict, o)) {
		fprintf(f, "<failure type=\"%s\" message=\"", failure_type(c->verdict));
		rp_put_xml(f, msg);
		fputs("\"/>", f);
	} else if (!rp_cmp_has_change(c)) {
		fputs("<skipped message=\"", f);
		rp_put_xml(f, msg);
		fputs("\"/>", f);
	} else {
		fputs("<system-out>", f);
		rp_put_xml(f, msg);
		fputs("</system-out>", f);
	}
	fputs("</testcase>\n", f);
}

/*
 * An empty or cut-short NEW fails the job even where every pair it holds
 * passes: one testcase says so, so that the JUnit report agrees with the
 * exit status. NULL when NEW is whole.
 */
static const char *run_problem(const struct rp_outcome *r, char *buf, size_t n)
{
	if (r->new_ok && !r->cut_short)
		return NULL;
	snprintf(buf, n, "%s%s%s%s", r->new_ok ? "" : "NEW has no ok measurement",
		 !r->new_ok && r->cut_short ? "; " : "", r->cut_short ? "NEW " : "",
		 r->cut_short ? r->cut_short : "");
	return buf;
}

time_t rp_utc_time(const char *s)
{
	struct tm tm = {0};
	const char *end = s ? strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;

	if (!end || (*end && strcmp(end, "Z")))
		return -1;
	return timegm(&tm);
}

/* What the JUnit testsuite says of the run it reports: NEW's. */
struct junit_run {
	double secs;            /* NEW's meta.finished - meta.started, 0 if unknown */
	char stamp[32];         /* NEW's meta.finished, else now: ISO 8601 in UTC */
	char host[256];         /* NEW's meta.host.hostname, else this host's */
};

static void junit_run_of(const struct rp_run *cur, struct junit_run *j)
{
	const json_t *meta = cur ? json_object_get(cur->root, "meta") : NULL;
	time_t started = rp_utc_time(vb_json_str(meta, "started", NULL));
	time_t finished = rp_utc_time(vb_json_str(meta, "finished", NULL));
	const char *host = vb_json_str(json_object_get(meta, "host"), "hostname", NULL);
	time_t when = finished >= 0 ? finished : time(NULL);
	struct tm tm;

	j->secs = started >= 0 && finished >= started ? difftime(finished, started) : 0;
	/* JUnit's schema takes the timestamp without a zone: it is UTC */
	gmtime_r(&when, &tm);
	strftime(j->stamp, sizeof(j->stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	if (host && *host)
		snprintf(j->host, sizeof(j->host), "%s", host);
	else if (gethostname(j->host, sizeof(j->host) - 1))
		snprintf(j->host, sizeof(j->host), "localhost");
	j->host[sizeof(j->host) - 1] = '\0';
}

static void junit_suite_open(FILE *f, size_t tests, size_t failures, size_t skipped,
			     const struct rp_run *cur)
{
	struct junit_run j;

	junit_run_of(cur, &j);
	fprintf(f, "<testsuites>\n<testsuite name=\"vbench-compare\" tests=\"%zu\" "
		"failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"%.0f\" "
		"timestamp=\"%s\" hostname=\"", tests, failures, skipped, j.secs, j.stamp);
	rp_put_xml(f, j.host);
	fputs("\">\n", f);
}

int rp_compare_junit(const char *path, const struct rp_cmp *c, size_t n,
		     const struct rp_cmp_opts *o, const struct rp_outcome *r,
		     const struct rp_run *cur, char *err, size_t errlen)
{
	struct vb_safe_file out;
	FILE *f = vb_safe_open(&out, path, 0644, err, errlen);
	char why[96];
	const char *run = run_problem(r, why, sizeof(why));
	size_t failures = 0, skipped = 0, i;

	if (!f)
		return -1;
	for (i = 0; i < n; i++) {
		int fails = rp_verdict_fails(c[i].verdict, o);

		failures += fails;
		skipped += !fails && !rp_cmp_has_change(&c[i]);
	}
	if (run) {
		failures += !o->allow_missing;
		skipped += o->allow_missing;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	junit_suite_open(f, n + !!run, failures, skipped, cur);
	fprintf(f, "  <properties><property name=\"alpha\" value=\"%g\"/>"
		"<property name=\"min_effect\" value=\"%g\"/></properties>\n",
		o->alpha, o->min_effect);
	if (run)
		fprintf(f, "  <testcase classname=\"vbench\" name=\"NEW run\">"
			"<%s message=\"%s\"/></testcase>\n",
			o->allow_missing ? "skipped" : "failure type=\"missing\"", run);
	for (i = 0; i < n; i++)
		junit_case(f, &c[i], o);
	fputs("</testsuite>\n</testsuites>\n", f);
	return vb_safe_commit(&out, 0, err, errlen);
}

/*
 * 1 when NEW's median goes into the series: NEW measured it (a pair only
 * NEW has starts a series) and it is the metric BASE's series holds.
 */
static int github_value(const struct rp_cmp *c)
{
	return c->n_new && c->verdict != RP_INCOMPARABLE;
}

/* github-action-benchmark's "custom" tools take one direction per file. */
static int write_github(const char *path, const struct rp_cmp *c, size_t n, int higher,
			char *err, size_t errlen)
{
	json_t *arr = json_array();
	char extra[1024], *text;
	int rc;

	for (size_t i = 0; i < n; i++) {
		char *name, range[48];

		if (c[i].higher_better != higher || !github_value(&c[i]))
			continue;
		describe(extra, sizeof(extra), &c[i]);
		if (asprintf(&name, "%s/%s", c[i].backend, c[i].bench) < 0) {
			snprintf(err, errlen, "out of memory");
			json_decref(arr);
			return -1;
		}
		snprintf(range, sizeof(range), "\u00b1 %.15g (MAD)", round_sig(c[i].new_mad, 4));
		json_array_append_new(arr, json_pack("{s:s, s:s, s:f, s:s, s:s}", "name", name,
						     "unit", c[i].unit, "value",
						     round_sig(c[i].new_median, 4),
						     "range", range, "extra", extra));
		free(name);
	}
	/* 15 digits: the rounded values print as they are, without binary residue */
	text = json_dumps(arr, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
	json_decref(arr);
	if (!text) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	rc = vb_safe_write(path, text, strlen(text), 0644, err, errlen);
	free(text);
	return rc;
}

int rp_compare_github(const char *path, const struct rp_cmp *c, size_t n, char *err,
		      size_t errlen)
{
	char bigger[4096];
	size_t len = strlen(path), i;
	int any_higher = 0;

	for (i = 0; i < n; i++)
		any_higher |= c[i].higher_better && github_value(&c[i]);
	if (write_github(path, c, n, 0, err, errlen))
		return -1;
	if (!any_higher)
		return 0;
	/* FILE.json -> FILE-bigger.json for the customBiggerIsBetter tool. */
	if (len > 5 && !strcmp(path + len - 5, ".json"))
		snprintf(bigger, sizeof(bigger), "%.*s-bigger.json", (int)(len - 5), path);
	else
		snprintf(bigger, sizeof(bigger), "%s-bigger.json", path);
	fprintf(stderr, "compare: higher-is-better workloads (customBiggerIsBetter) in %s\n",
		bigger);
	return write_github(bigger, c, n, 1, err, errlen);
}

/* v rounded to 6 significant digits, or null where there is none. */
static json_t *json_num(double v)
{
	return isfinite(v) ? json_real(round_sig(v, 6)) : json_null();
}

static json_t *json_ci(const struct rp_cmp *c)
{
	if (!c->ci_method || !isfinite(c->ci_lo) || !isfinite(c->ci_hi))
		return json_null();
	return json_pack("{s:f, s:o, s:o, s:s, s:o}", "level", 0.95, "lo", json_num(c->ci_lo),
			 "hi", json_num(c->ci_hi), "method", c->ci_method, "resamples",
			 c->ci_resamples ? json_integer(c->ci_resamples) : json_null());
}

/* The least change the verdict needed, and from where; null where nothing was compared. */
static json_t *json_threshold(const struct rp_cmp *c)
{
	if (!rp_cmp_has_change(c))
		return json_null();
	return json_pack("{s:o, s:s, s:I, s:I, s:o, s:o}", "value", json_num(c->threshold),
			 "from", c->threshold_from, "runs", (json_int_t)c->hist.runs, "left_out",
			 (json_int_t)c->hist.left_out, "spread", json_num(c->hist.spread), "noise",
			 json_num(c->hist.noise));
}

static json_t *json_row(const struct rp_cmp *c, const struct rp_cmp_opts *o)
{
	char reason[1024];

	describe(reason, sizeof(reason), c);
	return json_pack("{s:s, s:s, s:s, s:s, s:{s:o, s:I}, s:{s:o, s:I, s:o}, s:o, s:o, s:o, "
			 "s:o, s:o, s:s, s:b, s:s}",
			 "backend", c->backend, "workload", c->bench, "unit", c->unit, "direction",
			 c->higher_better ? "higher" : "lower", "base", "median",
			 json_num(c->base_median), "n", (json_int_t)c->n_base, "new", "median",
			 json_num(c->new_median), "n", (json_int_t)c->n_new, "mad",
			 json_num(c->new_mad), "change", json_num(c->change), "ci95", json_ci(c),
			 "threshold", json_threshold(c), "p", json_num(c->p), "test",
			 c->test ? json_string(c->test) : json_null(),
			 "verdict", rp_verdict_name(c->verdict), "fails",
			 rp_verdict_fails(c->verdict, o), "reason", reason);
}

static json_t *json_outcome(const struct rp_outcome *r)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:o, s:b}", "regressed",
			 (json_int_t)r->regressed, "broken", (json_int_t)r->broken, "incomparable",
			 (json_int_t)r->incomparable, "missing", (json_int_t)r->missing, "new_ok",
			 (json_int_t)r->new_ok, "cut_short",
			 r->cut_short ? json_string(r->cut_short) : json_null(), "fails", r->fails);
}

/* The files of --history, oldest first. */
static json_t *json_history(const struct rp_compared *w)
{
	json_t *files = json_array();

	for (size_t i = 0; i < w->nhistory; i++)
		json_array_append_new(files, json_string(w->history[i]->path));
	return files;
}

static json_t *json_doc(const struct rp_cmp *c, size_t n, const struct rp_cmp_opts *o,
			const struct rp_outcome *r, const struct rp_compared *w)
{
	json_t *rows = json_array(), *doc;

	for (size_t i = 0; i < n; i++)
		json_array_append_new(rows, json_row(&c[i], o));
	doc = json_pack("{s:s, s:i, s:s, s:s, s:{s:f, s:f, s:b, s:b}, s:o, s:o}", "schema",
			"vbench-compare", "version", 1, "base", w->base, "new", w->cur, "options",
			"alpha", o->alpha, "min_effect", o->min_effect, "allow_incomparable",
			o->allow_incomparable, "allow_missing", o->allow_missing, "rows", rows,
			"outcome", json_outcome(r));
	if (doc && w->file)
		json_object_set_new(doc, "file", json_string(w->file));
	if (doc && w->nhistory)
		json_object_set_new(doc, "history", json_history(w));
	return doc;
}

int rp_compare_json(const char *path, const struct rp_cmp *c, size_t n,
		    const struct rp_cmp_opts *o, const struct rp_outcome *r,
		    const struct rp_compared *w, char *err, size_t errlen)
{
	json_t *doc = json_doc(c, n, o, r, w);
	char *text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) : NULL;
	int rc = 0;

	json_decref(doc);
	if (!text) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	if (strcmp(path, "-"))
		rc = vb_safe_write(path, text, strlen(text), 0644, err, errlen);
	else if (puts(text) == EOF || fflush(stdout)) {
		snprintf(err, errlen, "stdout: %s", strerror(errno));
		rc = -1;
	}
	free(text);
	return rc;
}
