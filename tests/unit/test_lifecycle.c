/* SPDX-License-Identifier: MIT */
/*
 * The report's lifecycle and isolation sections and claims 7 and 8, from
 * the crafted tests/data/life-v1.json (bare, container, type2, type2-pv):
 * the sections in their place before the claims, the figures of each
 * experiment, why each absent one is absent, the verdicts and their rules,
 * the charts, and hostile entries shown as text without a crash.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../common/proto.h"
#include "../../reports/experiments.h"
#include "../../reports/report.h"
#include "tfiles.h"
#include "treport.h"

#define LIFE "tests/data/life-v1.json"

static char tmpdir[64];

static void contains_all(const char *text, const char *const *want)
{
	for (; *want; want++)
		ck_assert_msg(strstr(text, *want), "'%s' missing", *want);
}

/* The experiment entry (backend, name) of doc, to change it. */
static json_t *entry(json_t *doc, const char *backend, const char *name)
{
	size_t i;
	json_t *e;

	json_array_foreach(json_object_get(doc, "experiments"), i, e)
		if (!strcmp(vb_json_str(e, "backend", ""), backend) &&
		    !strcmp(vb_json_str(e, "name", ""), name))
			return e;
	ck_abort_msg("no %s entry for %s", name, backend);
	return NULL;
}

/* Its hog of that resource. */
static json_t *hog(json_t *doc, const char *backend, const char *resource)
{
	size_t i;
	json_t *h;

	json_array_foreach(json_object_get(entry(doc, backend, RP_EXP_NEIGHBOUR), "hogs"), i, h)
		if (!strcmp(vb_json_str(h, "resource", ""), resource))
			return h;
	ck_abort_msg("no %s hog for %s", resource, backend);
	return NULL;
}

/* The verdict cell of claim c (1-based) in md's claims table, as "| verdict |" follows it. */
static char *claim_row(const char *md, int c)
{
	char head[16];
	const char *at, *end;

	snprintf(head, sizeof(head), "\n| %d | ", c);
	at = strstr(md, head);
	ck_assert_msg(at != NULL, "no row of claim %d", c);
	end = strchr(at + 1, '\n');
	return strndup(at, (size_t)(end - at));
}

/* The lifecycle and isolation sections come right before the claims, in this order. */
START_TEST(sections_in_order_before_the_claims)
{
	static const char *const order[] = {"\n## TLB and page walks\n",
		"\n## Lifecycle: start\n", "\n## Lifecycle: memory and density\n",
		"\n## Isolation: noisy neighbours\n", "\n## Textbook claims, tested\n"};
	char *md = ut_report_of(ut_load_json(LIFE), "sections_in_order_before_the_claims",
				tmpdir, sizeof(tmpdir));
	const char *prev = NULL;

	if (!md)
		return;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const char *at = strstr(md, order[i]), *next;

		ck_assert_msg(at != NULL, "no %s", order[i] + 1);
		if (prev) {
			/* nothing between: the next level-2 heading after prev is this one */
			next = strstr(prev + 1, "\n## ");
			ck_assert_msg(next == at, "%s does not follow right after the one before",
				      order[i] + 1);
		}
		prev = at;
	}
	/* and in the contents */
	contains_all(md, (const char *const[]){"[Lifecycle: start](#lifecycle-start)",
		     "[Isolation: noisy neighbours](#isolation-noisy-neighbours)", NULL});
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/* life.start: medians, phases, the floor and the ratio against the kind's target. */
START_TEST(start_figures_and_floor_ratios)
{
	char *md = ut_report_of(ut_load_json(LIFE), "start_figures_and_floor_ratios",
				tmpdir, sizeof(tmpdir)), *s;

	if (!md)
		return;
	s = ut_section(md, "Lifecycle: start");
	contains_all(s, (const char *const[]){
		"| approach | launches | start median (ms) | p95 (ms) | phases (median ms) | floor |",
		/* the host: its floor shown, no target */
		"| bare | 10 | 7.64 | 7.91 | scratch image 0.0869; rest to hello 7.42 | fork and "
		"exec of a static hello-world, 10 launches | 1.08 | 7.07x | none (the host) | - |",
		/* a container: 16 / 12.5 ms misses 1.2x */
		"| container | 10 | 16 | 16.8 | scratch image 0.102; bundle 0.391; runtime create "
		"5.75; runtime version 1.19; cgroup join 0.197; runtime start 2.88; rest to hello "
		"5.19 | crun run, 10 launches | 12.5 | 1.28x | 1.2x | misses |",
		/* a VM with the guest's phases, its floor unavailable */
		"| type2 | 10 | 3275 | 3391 | scratch image 1.18; QEMU to QMP 96.2; firmware and "
		"early kernel 1457; kernel 1390; init and agent 415 | unavailable: no guest kernel "
		"to boot a trivial /init with: --kernel is not set | - | - | 1.1x | - |",
		/* 2449 / 2258 ms meets 1.1x */
		"| 2258 | 1.08x | 1.1x | meets |", NULL});
	free(s);
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/* life.footprint and life.density: PSS, RSS, the charge, the image, the fit. */
START_TEST(memory_and_density_figures)
{
	char *md = ut_report_of(ut_load_json(LIFE), "memory_and_density_figures",
				tmpdir, sizeof(tmpdir)), *s;

	if (!md)
		return;
	s = ut_section(md, "Lifecycle: memory and density");
	contains_all(s, (const char *const[]){
		"| bare | 0.895 | 0.898 | 1 | unavailable: no memory controller in its cgroup v2 "
		"group | 1.24 | agent 1.24 |",
		"| container | 3.1 | 1.2 | 2 | 4.5 (cgroup) | 3.34 | rootfs 2.1; agent 1.24 |",
		"| type2 | 182 | 176 | 1 | 195 (the backend's memory.peak) | 12.2 | kernel 9.8; "
		"initramfs 2.4; rootfs: unavailable: No such file or directory |",
		"- type2-pv: life.footprint failed: type2-pv-footprint: no hello within 120 s",
		"| container | 256M (256 MiB) | 32 | 32 | cap: --density-max 32 | 74.1 | 757 | 16.7 | "
		"24.2 |",
		"| type2 | 256M (256 MiB) | 1 | 2 | budget | 326 | - | 3310 | 3480 | 240 |",
		"- type2-pv: life.density no entry: the run ended before life.density reached "
		"this approach", NULL});
	free(s);
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/* iso.neighbour: slowdowns with and without limits, placement, the fault. */
START_TEST(isolation_figures_and_fault)
{
	char *md = ut_report_of(ut_load_json(LIFE), "isolation_figures_and_fault",
				tmpdir, sizeof(tmpdir)), *s;

	if (!md)
		return;
	s = ut_section(md, "Isolation: noisy neighbours");
	contains_all(s, (const char *const[]){
		"| bare | cpu (cpu.int) | cpu.int (us/op) | 2.04x (2.04 to 2.05, 3 rounds) | "
		"1.06x (1.05 to 1.06, 3 rounds) | CPU quota (us per period) 50000 100000; PUs 0; "
		"memory 512 MiB; disk 254:0 rbps=16777216 wbps=16777216; victim: PUs 1 | "
		"1580 / 2400 |",
		/* limits unavailable: the limited cells say so */
		"| container | cpu (cpu.int) | cpu.int (us/op) | 2.03x (2.01 to 2.04, 3 rounds) | - "
		"| unavailable: the run has no cgroup (needs root and cgroup v2) | 1580 / - |",
		"| type2 | I/O (io.seqwrite) | io.randread (ops/s) | 3.23x (3.21 to 3.25, 3 rounds) "
		"| 1.31x (1.28 to 1.34, 3 rounds) |",
		"- bare: without limits the victim and the neighbour share the run's PUs (1); with "
		"limits the victim keeps them and the neighbour runs on PUs 0 under a CPU quota",
		"- container: the victim and the neighbour share the run's PUs (1); no limits: the "
		"run has no cgroup",
		"- type2-pv: iso.neighbour no entry: the run ended before iso.neighbour",
		/* the fault: a VM's panic, a process's OOM, one not tried */
		"| type2 | kernel panic | ended (agent closed the channel) | kernel panic on its "
		"console: Kernel panic - not syncing: sysrq triggered crash | went on: cpu.int "
		"measured (median 4090 us/op), then a ping answered |",
		"| bare | out of memory | ended (agent closed the channel) | 1 OOM kill in its "
		"group, under a 64 MiB limit | went on:",
		"| container | out of memory | not tried: no memory limit can be put on the "
		"neighbour: the run has no cgroup (needs root and cgroup v2) | - | - |", NULL});
	/* the console's next line is not evidence */
	ck_assert_ptr_null(strstr(s, "Comm: vbench-agent"));
	free(s);
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/*
 * A file from before the experiments: each section says why once, the
 * start chart has each approach's one start, and claim 7 falls back to it.
 */
START_TEST(absent_experiments_say_why)
{
	json_t *doc = ut_load_json(LIFE);
	char *md, *s, *c, *dat;

	json_object_del(doc, "experiments");
	json_object_del(json_object_get(json_object_get(doc, "meta"), "plan"), "experiments");
	md = ut_report_of(doc, "absent_experiments_say_why", tmpdir, sizeof(tmpdir));
	if (!md)
		return;
	s = ut_section(md, "Lifecycle: start");
	contains_all(s, (const char *const[]){
		"\n- life.start not in this run: select life.* and iso.* or run --all\n\n",
		"lifecycle.svg", NULL});
	ck_assert_ptr_null(strstr(s, "| launches |"));
	free(s);
	dat = ut_slurp(tmpdir, "lifecycle.dat");
	contains_all(dat, (const char *const[]){"1\tcontainer\t17\t17 ms (1 start)\t?\t?\n",
		     NULL});
	free(dat);
	s = ut_section(md, "Lifecycle: memory and density");
	contains_all(s, (const char *const[]){
		"\n- life.footprint not in this run: select life.* and iso.* or run --all\n\n",
		"\n- life.density not in this run: select life.* and iso.* or run --all\n", NULL});
	ck_assert_ptr_null(strstr(s, "life-density.svg"));
	free(s);
	s = ut_section(md, "Isolation: noisy neighbours");
	contains_all(s, (const char *const[]){"No hog ran beside a victim in this run.",
		     "\n- iso.neighbour not in this run: select life.* and iso.* or run --all\n",
		     "No neighbour crashed in this run", NULL});
	free(s);
	/* claim 7 from each backend's one start; claim 8 cannot be judged */
	c = claim_row(md, 7);
	contains_all(c, (const char *const[]){"container in 17 ms (one start)",
		     "| holds for start time; memory not recorded |", NULL});
	free(c);
	c = claim_row(md, 8);
	contains_all(c, (const char *const[]){"| not measured: no noisy-neighbour experiment "
		     "(iso.neighbour) in this run; select iso.* or run --all |", NULL});
	free(c);
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/* Selected, but an approach did not start: its own reason, in every section. */
START_TEST(approach_that_did_not_start_says_why)
{
	json_t *doc = ut_load_json(LIFE), *x = json_object_get(doc, "experiments");
	json_t *b = json_array_get(json_object_get(doc, "backends"), 3);
	char *md;

	json_object_set_new(b, "status", json_string("unavailable"));
	json_object_set_new(b, "reason", json_string("no /dev/kvm"));
	for (size_t i = json_array_size(x); i-- > 0;)
		if (!strcmp(vb_json_str(json_array_get(x, i), "backend", ""), "type2-pv"))
			json_array_remove(x, i);
	md = ut_report_of(doc, "approach_that_did_not_start_says_why", tmpdir, sizeof(tmpdir));
	if (!md)
		return;
	contains_all(md, (const char *const[]){"- type2-pv: life.start unavailable: no /dev/kvm",
		     "- type2-pv: life.footprint unavailable: no /dev/kvm",
		     "- type2-pv: life.density unavailable: no /dev/kvm",
		     "- type2-pv: iso.neighbour unavailable: no /dev/kvm", NULL});
	ck_assert_ptr_null(strstr(md, "type2-pv: life.density no entry"));
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/* Claim 7 judges life.start's medians and life.footprint's PSS, not the one start. */
START_TEST(claim7_from_the_experiments)
{
	json_t *doc = ut_load_json(LIFE);
	char *md, *c;

	md = ut_report_of(json_deep_copy(doc), "claim7_from_the_experiments",
				tmpdir, sizeof(tmpdir));
	if (!md) {
		json_decref(doc);
		return;
	}
	c = claim_row(md, 7);
	contains_all(c, (const char *const[]){"type2 starts in 3275 ms (life.start median)",
		     "container in 16 ms (life.start median)",
		     "memory: container 3.1 MiB (PSS), smallest VM type2 182 MiB (PSS)",
		     "see Lifecycle: start", "| holds |", NULL});
	free(c);
	free(md);
	ut_rmtree(tmpdir);
	/* its launches took 1.5 s, though its one instance started in 17 ms */
	json_object_set_new(json_object_get(entry(doc, "container", RP_EXP_START), "start_ms"),
			    "median", json_real(1500));
	md = ut_report_of(doc, "claim7_from_the_experiments", tmpdir, sizeof(tmpdir));
	c = claim_row(md, 7);
	contains_all(c, (const char *const[]){"| does not hold here |", NULL});
	free(c);
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/* Claim 8 of a document with some changes: its verdict row (free it). */
static char *claim8_of(json_t *doc)
{
	char *md = ut_report_of(doc, "claim8_rules", tmpdir, sizeof(tmpdir)), *c;

	if (!md)
		return NULL;
	c = claim_row(md, 8);
	free(md);
	ut_rmtree(tmpdir);
	return c;
}

/* Claim 8: both parts, their rules (> 1.5x unlimited, < 1.2x limited), each part alone. */
START_TEST(claim8_rules)
{
	json_t *doc = ut_load_json(LIFE), *d;
	char *c = claim8_of(json_deep_copy(doc));

	if (!c) {
		json_decref(doc);
		return;
	}
	contains_all(c, (const char *const[]){
		"type2: the neighbour's kernel panicked, it ended; the victim went on",
		"bare cpu hog: 2.04x without limits, 1.06x with",
		"container cpu hog: 2.03x without limits; limits unavailable: the run has no cgroup",
		"rule: limits stop a cpu hog that slows its victim > 1.5x when, limited, it slows "
		"it \\< 1.2x", "see Isolation: noisy neighbours",
		"| holds (1 of 1 VMs' faults stayed inside; limits stopped the cpu hog for 2 of 2 "
		"approaches) |", NULL});
	free(c);
	/* type2's limits do not hold the cpu hog: 1.9x */
	d = json_deep_copy(doc);
	json_object_set_new(json_object_get(hog(d, "type2", "cpu"), "slowdown_limited"), "median",
			    json_real(1.9));
	c = claim8_of(d);
	contains_all(c, (const char *const[]){"| holds in part: holds for faults (1 of 1 VMs); "
		     "holds in part for limits (1 of 2 approaches) |", NULL});
	free(c);
	/* and the VM's victim stopped with its neighbour; bare's hog hurt too little to judge */
	d = json_deep_copy(doc);
	json_object_set_new(json_object_get(hog(d, "type2", "cpu"), "slowdown_limited"), "median",
			    json_real(1.9));
	json_object_set_new(json_object_get(hog(d, "bare", "cpu"), "slowdown"), "median",
			    json_real(1.2));
	json_object_set_new(json_object_get(json_object_get(entry(d, "type2", RP_EXP_NEIGHBOUR),
							    "fault"), "victim"),
			    "goes_on", json_false());
	c = claim8_of(d);
	contains_all(c, (const char *const[]){"the victim did not go on",
		     "| does not hold here: does not hold for faults (0 of 1 VMs); does not hold "
		     "for limits (0 of 1 approaches) |", NULL});
	free(c);
	/* no VM ran it: the limits' part leads, the faults' says why not */
	json_array_remove(json_object_get(doc, "experiments"),
			  json_array_size(json_object_get(doc, "experiments")) - 1);
	c = claim8_of(doc);
	contains_all(c, (const char *const[]){"| holds for limits (1 of 1 approaches); faults not "
		     "measured: no VM ran iso.neighbour to its fault |", NULL});
	free(c);
}
END_TEST

/* The three charts: the start bars on a log axis with floors, n-th start lines, slowdowns. */
START_TEST(charts_made)
{
	static const char *const ext[] = {"dat", "gp", "png", "svg"};
	static const char *const charts[] = {"lifecycle", "life-density", "iso-neighbour"};
	char *md = ut_report_of(ut_load_json(LIFE), "charts_made",
				tmpdir, sizeof(tmpdir)), *gp, *dat, name[64], path[128];

	if (!md)
		return;
	for (size_t c = 0; c < 3; c++)
		for (size_t e = 0; e < 4; e++) {
			snprintf(name, sizeof(name), "%s.%s", charts[c], ext[e]);
			snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
			ck_assert_msg(access(path, R_OK) == 0, "%s missing", name);
		}
	gp = ut_slurp(tmpdir, "lifecycle.gp");
	contains_all(gp, (const char *const[]){"set logscale x", "with boxxyerror",
		     "title 'floor (median)'", "set yrange [3.5:-0.5]", NULL});
	free(gp);
	dat = ut_slurp(tmpdir, "lifecycle.dat");
	contains_all(dat, (const char *const[]){"1\tcontainer\t16.0192\t16 ms\t12.4791\tfloor "
		     "12.5 ms\n", "2\ttype2\t3274.66\t3275 ms\t?\t?\n", NULL});
	free(dat);
	dat = ut_slurp(tmpdir, "life-density.dat");
	contains_all(dat, (const char *const[]){"# bare\nn\tbare\n1\t", "# type2\nn\ttype2\n"
		     "1\t3310\n2\t3480\n", NULL});
	free(dat);
	gp = ut_slurp(tmpdir, "iso-neighbour.gp");
	contains_all(gp, (const char *const[]){"set logscale x",
		     "set arrow from 1, graph 0 to 1, graph 1", "title 'with limits'", NULL});
	free(gp);
	dat = ut_slurp(tmpdir, "iso-neighbour.dat");
	/* the container's limited bar is missing, not 0 */
	contains_all(dat, (const char *const[]){"container: cpu\t2.0262\t2.03x\t?\t?\n", NULL});
	free(dat);
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/*
 * Hostile entries: wrong types, strings where numbers belong, absurd
 * numbers, HTML in names and reasons, bytes that are not text. The report
 * is written; each figure it cannot use shows as absent, never as a number;
 * the text shows escaped.
 */
START_TEST(hostile_entries_are_text)
{
	json_t *doc = ut_load_json(LIFE), *x = json_object_get(doc, "experiments"), *e;
	char *md, *html, *s;

	e = entry(doc, "container", RP_EXP_START);
	json_object_set_new(json_array_get(json_object_get(e, "phases"), 1), "name",
			    json_string("<script>alert(1)</script>"));
	json_object_set_new(json_object_get(e, "start_ms"), "p95", json_string("NaN"));
	json_object_set_new(json_object_get(e, "floor"), "what", json_integer(7));
	json_object_set_new(json_object_get(json_object_get(e, "floor"), "ms"), "median",
			    json_real(-12.5));
	e = entry(doc, "type2", RP_EXP_START);
	json_object_set_new(e, "start_ms", json_string("3275"));
	json_object_set_new(e, "phases", json_string("all of them"));
	/* more phases, and longer names, than the cell has room for */
	e = entry(doc, "type2-pv", RP_EXP_START);
	json_object_set_new(e, "phases", json_array());
	for (int i = 0; i < 40; i++) {
		char name[300];

		memset(name, 'p', sizeof(name) - 1);
		name[sizeof(name) - 1] = 0;
		name[0] = (char)('A' + i % 26);
		json_array_append_new(json_object_get(e, "phases"),
				      json_pack("{s:s, s:{s:f}}", "name", name, "ms", "median", 1.5));
	}
	e = entry(doc, "type2-pv", RP_EXP_FOOTPRINT);
	json_object_set_new(e, "reason", json_string("<img src=x onerror=alert(2)> \x1b[2J"));
	e = entry(doc, "container", RP_EXP_FOOTPRINT);
	json_object_set_new(e, "memory", json_pack("[i]", 5));
	e = entry(doc, "type2", RP_EXP_FOOTPRINT);
	json_object_set_new(json_object_get(e, "memory"), "main_rss_bytes", json_real(1e300));
	json_object_set_new(json_object_get(e, "disk"), "kernel", json_string("/boot/<b>"));
	e = entry(doc, "bare", RP_EXP_DENSITY);
	json_object_set_new(e, "fit", json_integer(-3));
	e = entry(doc, "container", RP_EXP_DENSITY);
	json_array_set_new(json_object_get(json_object_get(e, "start_ms"), "values"), 0,
			   json_string("<i>"));
	json_object_set_new(e, "ended_by", json_string("budget</td><td>x"));
	e = entry(doc, "bare", RP_EXP_NEIGHBOUR);
	json_object_set_new(e, "hogs", json_pack("[i, s, {s:s, s:{s:s}}]", 1, "cpu", "resource",
						"cpu</b>", "slowdown", "median", "huge"));
	json_object_set_new(json_object_get(e, "placement"), "pus", json_pack("[s, f]", "1;rm", 2.5));
	e = entry(doc, "type2", RP_EXP_NEIGHBOUR);
	json_object_set_new(json_object_get(e, "fault"), "log_tail",
			    json_string("junk \xc3\xa9\xc3\xa9 \x1b]0;title\x07 "
					"Kernel panic - <b>x\xe2\x82\xac"));
	json_object_set_new(json_object_get(e, "fault"), "victim", json_string("yes"));
	json_array_append_new(x, json_integer(3));
	json_array_append_new(x, json_null());
	json_array_append_new(x, json_pack("{s:i, s:[]}", "name", 5, "backend"));
	md = ut_report_of(doc, "hostile_entries_are_text", tmpdir, sizeof(tmpdir));
	if (!md)
		return;
	html = ut_slurp(tmpdir, "index.html");
	ut_assert_inert(md, html);
	ck_assert_ptr_null(strstr(html, "<b>"));
	s = ut_section(md, "Lifecycle: start");
	contains_all(s, (const char *const[]){
		/* p95 and the floor's median are no numbers: "-", and no ratio from them */
		"| container | 10 | 16 | - | scratch image 0.102; \\<script>alert(1)\\</script> "
		"0.391;", "runtime start 2.88; rest to hello 5.19 | not recorded | - | - | 1.2x | - |",
		/* a start time that is a string is none: type2 says why it has no row */
		"- type2: life.start ok, but with no figure this report can read",
		/* each name cut at 60 bytes, the cell at what it has room for */
		"; Cppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp 1.5; ",
		"pppp 1.5; ... | QEMU TCG boot of the same kernel", NULL});
	ck_assert_ptr_null(strstr(s, "-12.5"));
	free(s);
	s = ut_section(md, "Lifecycle: memory and density");
	contains_all(s, (const char *const[]){
		"type2-pv: life.footprint failed: \\<img src=x onerror=alert(2)> \\x1b[2J",
		"- container: life.footprint ok, but with no figure",
		"| type2 | 182 | 9.54e+293 |", "kernel: unavailable: not recorded",
		"- bare: life.density ok, but with no figure",
		"| container | 256M (256 MiB) | 32 | 32 | budget\\</td>\\<td>x | 74.1 |", NULL});
	free(s);
	s = ut_section(md, "Isolation: noisy neighbours");
	contains_all(s, (const char *const[]){"| bare | cpu\\</b> (?) | ? (?) | - | - | not "
		     "recorded | - / - |", "share the run's PUs (none)",
		     "kernel panic on its console: Kernel panic - \\<b>x\xe2\x82\xac |", NULL});
	free(s);
	free(html);
	free(md);
	ut_rmtree(tmpdir);
}
END_TEST

/* The accessors on their own: distributions, measures, the entry found. */
START_TEST(accessors_take_any_json)
{
	json_t *o = json_pack("{s:{s:f, s:s, s:f, s:i, s:[f, s, f, i]}, s:f, s:s, s:i}", "d",
			      "median", 2.5, "p95", "x", "min", -1.0, "n", 4, "values", 1.5, "y",
			      -2.0, 7, "neg", -0.5, "str", "1", "big", 3);
	struct rp_dist d;
	struct rp_run r;
	char why[512];
	double *v;
	size_t n;

	ck_assert_int_eq(rp_dist(o, "d", &d), 1);
	ck_assert_double_eq(d.median, 2.5);
	ck_assert(isnan(d.p95) && isnan(d.min) && isnan(d.max));
	ck_assert_int_eq(d.n, 4);
	ck_assert_int_eq(rp_dist(o, "neg", &d), 0);
	ck_assert_int_eq(d.n, 0);
	ck_assert(isnan(rp_measure(o, "neg")) && isnan(rp_measure(o, "str")));
	ck_assert_double_eq(rp_measure(o, "big"), 3);
	ck_assert(isnan(rp_dist_median(NULL, "d")) && isnan(rp_measure(NULL, "x")));
	n = rp_dist_values(o, "d", 3, &v);
	ck_assert_uint_eq(n, 3);
	ck_assert_double_eq(v[0], 1.5);
	ck_assert(isnan(v[1]) && isnan(v[2]));
	free(v);
	ck_assert_uint_eq(rp_dist_values(o, "str", 10, &v), 0);
	ck_assert_ptr_null(v);
	json_decref(o);
	/* "experiments" not an array: no entry, and why */
	o = json_pack("{s:s, s:i, s:{}, s:[{s:s, s:s}], s:[], s:[], s:{s:s, s:s}}", "schema",
		      "vbench-results", "version", 1, "meta", "backends", "name", "bare", "status",
		      "ok", "workloads", "measurements", "experiments", "name", RP_EXP_START,
		      "backend", "bare");
	ck_assert_msg(!rp_run_adopt(&r, o, "mem", 0, why, sizeof(why)), "%s", why);
	ck_assert_ptr_null(rp_exp(&r, "bare", RP_EXP_START));
	ck_assert_int_eq(rp_exp_in_run(&r, RP_EXP_START), 0);
	ck_assert_str_eq(rp_exp_why(&r, "bare", RP_EXP_START, why, sizeof(why)),
			 "not in this run: select life.* and iso.* or run --all");
	rp_run_free(&r);
}
END_TEST

Suite *suite_lifecycle(void)
{
	Suite *s = suite_create("lifecycle");
	TCase *t = tcase_create("core");

	tcase_set_timeout(t, 120);
	tcase_add_test(t, sections_in_order_before_the_claims);
	tcase_add_test(t, start_figures_and_floor_ratios);
	tcase_add_test(t, memory_and_density_figures);
	tcase_add_test(t, isolation_figures_and_fault);
	tcase_add_test(t, absent_experiments_say_why);
	tcase_add_test(t, approach_that_did_not_start_says_why);
	tcase_add_test(t, claim7_from_the_experiments);
	tcase_add_test(t, claim8_rules);
	tcase_add_test(t, charts_made);
	tcase_add_test(t, hostile_entries_are_text);
	tcase_add_test(t, accessors_take_any_json);
	suite_add_tcase(s, t);
	return s;
}
