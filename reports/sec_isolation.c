/* SPDX-License-Identifier: MIT */
/*
 * Section: Isolation: noisy neighbours. iso.neighbour per (run, approach):
 * the victim's slowdown beside each hog without and with limits, the
 * limits as applied, where each ran, then the neighbour's crash and
 * whether the victim went on; the chart "iso-neighbour".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/proto.h"
#include "chart.h"
#include "experiments.h"
#include "report.h"

#define HOG_COLS 7
#define FAULT_COLS 5
#define MAX_PUS_SHOWN 64
/* Of the console's tail after the panic line starts: enough to read the cause. */
#define PANIC_SHOWN 160

/* "2.04x (2.01 to 2.07, 2 rounds)" of a slowdown distribution; "-" where none. */
static const char *slowdown_text(const json_t *h, const char *key, char *buf, size_t n)
{
	struct rp_dist d;
	char a[32], b[32], c[32];

	if (!rp_dist(h, key, &d))
		return "-";
	snprintf(buf, n, "%sx (%s to %s, %lld round%s)", rp_num(d.median, a, sizeof(a)),
		 rp_num(d.min, b, sizeof(b)), rp_num(d.max, c, sizeof(c)), d.n, d.n == 1 ? "" : "s");
	return buf;
}

/* A knob of the limits in words: the name a reader knows, memory in MiB. */
static void knob(char *buf, size_t n, size_t *len, const char *key, const char *value)
{
	static const char *const names[][2] = {
		{"cpu", "CPU quota (us per period)"}, {"cpuset", "PUs"}, {"memory", "memory"},
		{"io", "disk"}};
	const char *name = key;
	char *end;
	double bytes = strtod(value, &end);
	char num[32];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(key, names[i][0]))
			name = names[i][1];
	if (*len >= n)
		return;
	if (!strcmp(key, "memory") && end != value && !*end && isfinite(bytes) && bytes >= 0)
		*len += (size_t)snprintf(buf + *len, n - *len, "%s%.40s %s MiB", *len ? "; " : "",
					 name, rp_num(bytes / 1048576, num, sizeof(num)));
	else
		*len += (size_t)snprintf(buf + *len, n - *len, "%s%.40s %.300s", *len ? "; " : "",
					 name, value);
}

/* The limits as applied ("CPU quota ... 50000 100000; PUs 0; ...; victim: PUs 1"), or why none. */
static const char *limits_text(const json_t *lim, char *buf, size_t n)
{
	size_t len = 0, vlen = 0;
	const char *key;
	json_t *v;
	char victim[600] = "";

	buf[0] = 0;
	if (json_is_string(json_object_get(lim, "unavailable"))) {
		snprintf(buf, n, "unavailable: %s", vb_json_str(lim, "unavailable", ""));
		return buf;
	}
	json_object_foreach((json_t *)lim, key, v)
		if (json_is_string(v))
			knob(buf, n, &len, key, json_string_value(v));
	json_object_foreach(json_object_get(lim, "victim"), key, v)
		if (json_is_string(v))
			knob(victim, sizeof(victim), &vlen, key, json_string_value(v));
	if (victim[0] && len < n)
		snprintf(buf + len, n - len, "%svictim: %s", len ? "; " : "", victim);
	return buf[0] ? buf : "not recorded";
}

/* "1582 / 2416" of the neighbour's operations per second, without and with limits. */
static const char *hog_rate(const json_t *h, char *buf, size_t n)
{
	char a[32], b[32];

	snprintf(buf, n, "%s / %s", rp_num(rp_dist_median(h, "hog_ops_per_s"), a, sizeof(a)),
		 rp_num(rp_dist_median(h, "hog_ops_per_s_limited"), b, sizeof(b)));
	return buf;
}

/* A row per hog of (run, be); the rows written so far counted in *rows. */
static void hog_rows(struct rp_report *rp, int run, const char *be, int *rows)
{
	static const char *const head[HOG_COLS] = {
		"approach", "neighbour's hog", "victim workload",
		"victim's slowdown with the neighbour (median of rounds, range)",
		"with limits on the neighbour", "limits as applied",
		"neighbour's ops/s: without / with limits"};
	const json_t *e = rp_exp(&rp->runs[run], be, RP_EXP_NEIGHBOUR);
	char series[160], b[HOG_COLS][1200];
	const char *cells[HOG_COLS];
	size_t i;
	json_t *h;

	rp_series(rp, run, be, series, sizeof(series));
	json_array_foreach(json_object_get(e, "hogs"), i, h) {
		if (!json_is_object(h))
			continue;
		if (!(*rows)++)
			rp_doc_table(&rp->doc, HOG_COLS, head);
		cells[0] = series;
		snprintf(b[1], sizeof(b[1]), "%.100s (%.100s)", vb_json_str(h, "resource", "?"),
			 vb_json_str(h, "hog", "?"));
		cells[1] = b[1];
		snprintf(b[2], sizeof(b[2]), "%.100s (%.40s)", vb_json_str(h, "victim", "?"),
			 vb_json_str(h, "unit", "?"));
		cells[2] = b[2];
		cells[3] = slowdown_text(h, "slowdown", b[3], sizeof(b[3]));
		cells[4] = slowdown_text(h, "slowdown_limited", b[4], sizeof(b[4]));
		cells[5] = limits_text(json_object_get(h, "limits"), b[5], sizeof(b[5]));
		cells[6] = hog_rate(h, b[6], sizeof(b[6]));
		rp_doc_row(&rp->doc, HOG_COLS, cells, NULL);
	}
}

/* "1, 3" of an array of PUs; "none" where empty. */
static const char *pus_text(const json_t *a, char *buf, size_t n)
{
	size_t i, len = 0;
	json_t *v;

	buf[0] = 0;
	json_array_foreach(a, i, v)
		if (json_is_integer(v) && i < MAX_PUS_SHOWN && len < n)
			len += (size_t)snprintf(buf + len, n - len, "%s%lld", len ? ", " : "",
						(long long)json_integer_value(v));
	return buf[0] ? buf : "none";
}

/* Where the victim and the neighbour ran, and what a hog stopped early on: items, counted. */
static void placement_items(struct rp_report *rp, int run, const char *be, int *items)
{
	const json_t *e = rp_exp(&rp->runs[run], be, RP_EXP_NEIGHBOUR);
	const json_t *pl = json_object_get(e, "placement");
	const char *lim = vb_json_str(pl, "limits", "not recorded");
	char series[160], pbuf[400], obuf[400];
	const char *pus, *other;
	size_t i;
	json_t *h;

	if (!json_is_object(pl))
		return;
	++*items;
	rp_series(rp, run, be, series, sizeof(series));
	pus = pus_text(json_object_get(pl, "pus"), pbuf, sizeof(pbuf));
	other = pus_text(json_object_get(pl, "limited_neighbour_pus"), obuf, sizeof(obuf));
	if (!strcmp(lim, "available"))
		rp_doc_item(&rp->doc, "%s: without limits the victim and the neighbour share the "
			    "run's PUs (%s); with limits the victim keeps them and the neighbour "
			    "runs on PUs %s under a CPU quota, a memory and a disk limit", series, pus,
			    other);
	else
		rp_doc_item(&rp->doc, "%s: the victim and the neighbour share the run's PUs (%s); "
			    "no limits: %s", series, pus, lim);
	json_array_foreach(json_object_get(e, "hogs"), i, h)
		if (json_is_string(json_object_get(h, "stopped")))
			rp_doc_item(&rp->doc, "%s, %s hog: stopped early: %s", series,
				    vb_json_str(h, "resource", "?"), vb_json_str(h, "stopped", ""));
}

/*
 * The console's panic line ("Kernel panic - not syncing: ..."), or where
 * it has none its last PANIC_SHOWN bytes; cut at a character.
 */
static const char *panic_line(const char *tail, char *buf, size_t n)
{
	const char *at = strstr(tail, "Kernel panic");
	size_t len;

	if (!at)
		at = tail + (strlen(tail) > PANIC_SHOWN ? strlen(tail) - PANIC_SHOWN : 0);
	/* not inside a UTF-8 sequence: on to the next character's first byte */
	while (at != tail && (*at & 0xc0) == 0x80)
		at++;
	len = strstr(at, "Kernel panic") == at ? strcspn(at, "\n") : strlen(at);
	if (len > PANIC_SHOWN)
		len = PANIC_SHOWN;
	while (len && (at[len] & 0xc0) == 0x80)
		len--;
	snprintf(buf, n, "%.*s", (int)len, at);
	return buf;
}

/* What the host saw of the crash: the console's panic, or the OOM kills. */
static const char *evidence(const json_t *f, char *buf, size_t n)
{
	const json_t *panic = json_object_get(f, "kernel_panic");
	const json_t *oom = json_object_get(f, "oom_kills");
	char tail[PANIC_SHOWN + 8];

	if (json_is_true(panic))
		snprintf(buf, n, "kernel panic on its console: %s",
			 panic_line(vb_json_str(f, "log_tail", ""), tail, sizeof(tail)));
	else if (json_is_false(panic))
		snprintf(buf, n, "no panic line on its console (its tail: %s)",
			 panic_line(vb_json_str(f, "log_tail", ""), tail, sizeof(tail)));
	else if (json_is_integer(oom) && json_integer_value(oom) >= 0)
		snprintf(buf, n, "%lld OOM kill%s in its group, under a %s MiB limit",
			 (long long)json_integer_value(oom), json_integer_value(oom) == 1 ? "" : "s",
			 rp_num(rp_measure(f, "limit_mb"), tail, sizeof(tail)));
	else if (json_is_string(oom))
		snprintf(buf, n, "OOM kills not counted: %s", json_string_value(oom));
	else
		snprintf(buf, n, "not recorded");
	return buf;
}

/* Whether the victim went on: its measurement after the crash and a ping. */
static const char *victim_text(const json_t *e, const json_t *f, const char **cls, char *buf,
			       size_t n)
{
	const json_t *v = json_object_get(f, "victim");
	const char *bench = vb_json_str(v, "bench", "?"), *unit = NULL;
	size_t i;
	json_t *h;
	char num[32];

	json_array_foreach(json_object_get(e, "hogs"), i, h)
		if (!strcmp(vb_json_str(h, "victim", ""), bench))
			unit = vb_json_str(h, "unit", NULL);
	if (json_is_true(json_object_get(v, "goes_on"))) {
		*cls = "holds";
		if (unit && isfinite(rp_measure(v, "median")))
			snprintf(buf, n, "went on: %.100s measured (median %s %.40s), then a ping "
				 "answered", bench, rp_num(rp_measure(v, "median"), num, sizeof(num)),
				 unit);
		else
			snprintf(buf, n, "went on: %.100s measured, then a ping answered", bench);
	} else if (json_is_false(json_object_get(v, "goes_on"))) {
		*cls = "fails";
		snprintf(buf, n, "stopped too: %s", vb_json_str(v, "why", "no reason given"));
	} else {
		snprintf(buf, n, "not recorded");
	}
	return buf;
}

static void fault_row(struct rp_report *rp, int run, const char *be, int *rows)
{
	static const char *const head[FAULT_COLS] = {"approach", "the neighbour's crash",
						     "the neighbour", "evidence", "the victim"};
	const json_t *e = rp_exp(&rp->runs[run], be, RP_EXP_NEIGHBOUR), *f, *nb;
	char series[160], b[FAULT_COLS][1200];
	const char *cells[FAULT_COLS], *cls[FAULT_COLS] = {NULL};

	f = json_object_get(e, "fault");
	if (!json_is_object(f))
		return;
	if (!(*rows)++)
		rp_doc_table(&rp->doc, FAULT_COLS, head);
	nb = json_object_get(f, "neighbour");
	cells[0] = rp_series(rp, run, be, series, sizeof(series));
	cells[1] = vb_json_str(f, "crash", "?");
	if (json_is_string(json_object_get(f, "unavailable"))) {
		snprintf(b[2], sizeof(b[2]), "not tried: %s", vb_json_str(f, "unavailable", ""));
		cells[2] = b[2];
		cells[3] = cells[4] = "-";
	} else {
		snprintf(b[2], sizeof(b[2]), "%s (%.300s)",
			 !strcmp(vb_json_str(nb, "ended", ""), "yes") ? "ended" : "did not end",
			 vb_json_str(nb, "how", vb_json_str(nb, "reply", "?")));
		cells[2] = b[2];
		cells[3] = evidence(f, b[3], sizeof(b[3]));
		cells[4] = victim_text(e, f, &cls[4], b[4], sizeof(b[4]));
	}
	rp_doc_row(&rp->doc, FAULT_COLS, cells, cls);
}

/* Every (run, approach) with an iso.neighbour entry, each part in its own pass. */
static int each_entry(struct rp_report *rp,
		      void (*fn)(struct rp_report *, int, const char *, int *))
{
	int rows = 0;
	size_t i;
	json_t *b;

	for (int r = 0; r < rp->nruns; r++)
		json_array_foreach(rp->backends, i, b)
			if (rp_exp(&rp->runs[r], json_string_value(b), RP_EXP_NEIGHBOUR))
				fn(rp, r, json_string_value(b), &rows);
	return rows;
}

/* 1 when an entry has something to show: a hog or a fault. */
static int has_neighbour(const json_t *e)
{
	return json_array_size(json_object_get(e, "hogs")) ||
	       json_is_object(json_object_get(e, "fault"));
}

/* A bar's value and label in the chart's data; '?' where none > 0 (log axis). */
static void put_bar(FILE *dat, double v)
{
	char num[32];

	if (v > 0 && isfinite(v))
		fprintf(dat, "\t%g\t%sx", v, rp_num(v, num, sizeof(num)));
	else
		fputs("\t?\t?", dat);
}

/* iso-neighbour.dat: a row per (run, approach, hog) with a slowdown; rows. */
static int chart_data(struct rp_report *rp, FILE *dat, double *lo, double *hi)
{
	char series[160], label[300];
	int rows = 0;
	size_t i, k;
	json_t *b, *h;

	fprintf(dat, "row\tapproach_hog\twith\twith_label\tlimited\tlimited_label\n");
	for (int r = 0; r < rp->nruns; r++)
		json_array_foreach(rp->backends, i, b) {
			const json_t *e = rp_exp(&rp->runs[r], json_string_value(b), RP_EXP_NEIGHBOUR);

			rp_series(rp, r, json_string_value(b), series, sizeof(series));
			json_array_foreach(json_object_get(e, "hogs"), k, h) {
				double with = rp_dist_median(h, "slowdown");
				double lim = rp_dist_median(h, "slowdown_limited");

				if (!(with > 0) && !(lim > 0))
					continue;
				snprintf(label, sizeof(label), "%s: %.60s", series,
					 vb_json_str(h, "resource", "?"));
				rp_gp_safe(label);
				fprintf(dat, "%d\t%s", rows++, label);
				put_bar(dat, with);
				put_bar(dat, lim);
				fputc('\n', dat);
				*lo = fmin(*lo, fmin(with > 0 ? with : 1, lim > 0 ? lim : 1));
				*hi = fmax(*hi, fmax(with > 0 ? with : 1, lim > 0 ? lim : 1));
			}
		}
	return rows;
}

static void neighbour_chart(struct rp_report *rp)
{
	FILE *dat = rp_report_data(rp, "iso-neighbour"), *gp;
	double lo = 1, hi = 1;
	char *body = NULL;
	size_t len = 0;
	int rows;

	if (!dat)
		return;
	rows = chart_data(rp, dat, &lo, &hi);
	fclose(dat);
	if (!rows || !(gp = open_memstream(&body, &len)))
		return;
	/* bars from 1 (alone): right is slower, left faster; room right for the labels */
	fprintf(gp, "set title 'Victim''s slowdown beside a noisy neighbour (log scale)'\n"
		"set xlabel 'victim''s time with the neighbour / alone (median of rounds)'\n"
		"set logscale x\nset xrange [%g:%g]\nset format x '%%g'\n"
		"set style fill solid 0.85 border -1\nset grid xtics lc rgb '#dddddd'\n"
		"set key below horizontal height 1\n"
		"set arrow from 1, graph 0 to 1, graph 1 nohead lw 2 lc rgb '#444444' front\n",
		lo / 1.5, hi * 8);
	rp_chart_rows(gp, rows);
	fprintf(gp, "plot 'iso-neighbour.dat' using 3:1:(1):3:($1-0.36):($1-0.02):ytic(2) "
		"with boxxyerror lc rgb '#c8553d' title 'without limits', \\\n"
		"     '' using 3:($1-0.19):4 with labels left offset 0.5,0 notitle, \\\n"
		"     '' using 5:1:(1):5:($1+0.02):($1+0.36) with boxxyerror lc rgb '#5a9a5a' "
		"title 'with limits', \\\n"
		"     '' using 5:($1+0.19):6 with labels left offset 0.5,0 notitle\n");
	fclose(gp);
	/* two bars and two labels a row: twice a row of bars across, and the key */
	rp_report_chart(rp, "iso-neighbour", 900, RP_CHART_HBARS_HEIGHT(2 * rows) + 30, body,
			"The victim's slowdown beside each hog, without limits and with limits on "
			"the neighbour, per approach (log scale; the line at 1 is the victim alone). "
			"A bar that is missing was not measured: why is in the table above.");
	free(body);
}

void rp_sec_isolation(struct rp_report *rp)
{
	rp_doc_heading(&rp->doc, 2, "Isolation: noisy neighbours");
	rp_doc_para(&rp->doc, "iso.neighbour starts two instances of an approach: a victim runs "
		    "a workload while its neighbour runs a hog of the same resource (CPU, memory "
		    "bandwidth, I/O), without limits and with limits on the neighbour (cgroup CPU "
		    "quota, other PUs, a memory limit, a disk bandwidth limit), against the victim "
		    "alone. The three take turns in a shuffled order within each round; the "
		    "slowdown is the median of the per-round ratios (the victim's time, or inverse "
		    "rate, over alone: > 1 is slower), with their range.");
	if (!each_entry(rp, hog_rows))
		rp_doc_note(&rp->doc, "No hog ran beside a victim in %s.", rp->nruns > 1 ?
			    "these runs" : "this run");
	else
		rp_doc_table_end(&rp->doc);
	each_entry(rp, placement_items);
	rp_exp_absences(rp, RP_EXP_NEIGHBOUR, has_neighbour);
	rp_doc_list_end(&rp->doc);
	neighbour_chart(rp);
	rp_doc_heading(&rp->doc, 3, "The neighbour's fault");
	rp_doc_para(&rp->doc, "Then the neighbour crashes the way its kind does: a VM's kernel "
		    "panics; a container's or a process's memory runs out under a limit just "
		    "above what it holds. The evidence is what the host saw (the panic on the "
		    "VM's console, the OOM kills in its group); the victim is asked to measure "
		    "once more and to answer a ping.");
	if (each_entry(rp, fault_row))
		rp_doc_table_end(&rp->doc);
	else
		rp_doc_note(&rp->doc, "No neighbour crashed in %s (why: above).", rp->nruns > 1 ?
			    "these runs" : "this run");
}
