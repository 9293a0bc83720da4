/* SPDX-License-Identifier: MIT */
/*
 * The workload catalogue: correctness, never speed. Every registered
 * workload sets up, runs and tears down (or says why it cannot here), the
 * pointer ring is one cycle, the io workloads read back what they wrote and
 * catch a corrupted or lost block, and workloads that change process state
 * (signal handlers, affinity, children) put it back.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../bench/bench.h"
#include "../../bench/io/scratch.h"
#include "../../bench/mem/ring.h"
#include "../../common/proto.h"
#include "../../guest-agent/agent.h"
#include "tagent.h"

/* Small parameters, so that every workload runs in milliseconds. */
static const struct { const char *name; long long value; } small[] = {
	{ "size_mib", 4 }, { "array_mib", 2 }, { "size_kib", 256 }, { "pages", 64 },
	{ "touch_mib", 1 }, { "n", 45 },
};

static char scratch_path[64];
static const char *scratch; /* NULL where O_DIRECT files are not to be had */

/*
 * One scratch file on /var/tmp for the whole case (/tmp may be tmpfs, which
 * refused O_DIRECT before Linux 6.6). An unchecked fixture: it runs in the
 * runner's process, so the file goes even when a test fails.
 */
static void scratch_up(void)
{
	int fd;

	scratch = NULL;
	snprintf(scratch_path, sizeof(scratch_path), "/var/tmp/vbench-wl-XXXXXX");
	fd = mkstemp(scratch_path);
	if (fd < 0) {
		fprintf(stderr, "SKIP io tests: cannot create a file in /var/tmp: %s\n",
			strerror(errno));
		return;
	}
	close(fd);
	fd = open(scratch_path, O_RDWR | O_DIRECT);
	if (fd < 0) {
		fprintf(stderr, "SKIP io tests: /var/tmp refuses O_DIRECT: %s\n", strerror(errno));
		unlink(scratch_path);
		return;
	}
	close(fd);
	scratch = scratch_path;
}

static void scratch_down(void)
{
	if (scratch)
		unlink(scratch);
	scratch = NULL;
}

static void init_small(struct vb_inst *in, const struct vb_workload *wl,
		       const struct vb_env *env)
{
	vb_inst_init(in, wl, env);
	for (size_t i = 0; i < sizeof(small) / sizeof(small[0]); i++) {
		int k = vb_param_index(wl, small[i].name);

		if (k >= 0)
			in->param[k] = small[i].value;
	}
}

START_TEST(test_registry_is_described)
{
	ck_assert_uint_ge(vb_nworkloads, 21);
	for (size_t i = 0; i < vb_nworkloads; i++) {
		const struct vb_workload *wl = vb_workloads[i];

		ck_assert_msg(strchr(wl->name, '.'), "%s is not group.name", wl->name);
		ck_assert_msg(wl->desc && *wl->desc, "%s has no description", wl->name);
		ck_assert_msg(wl->run, "%s has no run", wl->name);
		ck_assert_msg(wl->min_iters >= 1, "%s: min_iters 0", wl->name);
		ck_assert_ptr_eq(vb_workload_find(wl->name), wl);
		for (int p = 0; p < VB_MAX_PARAMS && wl->params[p].name; p++)
			ck_assert_msg(wl->params[p].help && *wl->params[p].help,
				      "%s.%s has no help", wl->name, wl->params[p].name);
	}
}
END_TEST

/* A setup may rely on its parameters' ranges: the defaults must lie in them. */
START_TEST(param_defaults_lie_in_their_ranges)
{
	char why[VB_WHY_LEN];

	for (size_t i = 0; i < vb_nworkloads; i++) {
		/* compare refuses pairs whose versions differ: 0 would be no version */
		ck_assert_msg(vb_workloads[i]->version >= 1, "%s has no version",
			      vb_workloads[i]->name);
		for (int p = 0; p < VB_MAX_PARAMS && vb_workloads[i]->params[p].name; p++) {
			const struct vb_param *pa = &vb_workloads[i]->params[p];

			ck_assert_msg(pa->min <= pa->max, "%s.%s: min %lld > max %lld",
				      vb_workloads[i]->name, pa->name, pa->min, pa->max);
			ck_assert_msg(vb_param_check(pa, pa->def, why, sizeof(why)) == 0,
				      "%s.%s: default %lld %s", vb_workloads[i]->name, pa->name,
				      pa->def, why);
			ck_assert_msg(pa->unit && *pa->unit, "%s.%s has no unit",
				      vb_workloads[i]->name, pa->name);
		}
	}
}
END_TEST

/*
 * The agent checks the range itself: a request that asks for 2^44 MiB per
 * STREAM array (which overflowed the size to malloc(0) and wrote past it)
 * gets an error naming the parameter and its range, and nothing runs.
 */
START_TEST(agent_refuses_out_of_range_param)
{
	static const char req[] =
		"{\"op\":\"run\",\"id\":7,\"bench\":\"mem.stream\",\"samples\":1,"
		"\"params\":{\"array_mib\":17592186044416}}\n";
	int in[2], out = memfd_create("agent-out", 0);
	struct vb_agent_opts o = { .out_fd = out, .role = "bare" };
	struct vb_linebuf lb;
	json_t *reply = NULL;
	char err[256], *line;
	size_t len;

	ck_assert_int_eq(pipe(in), 0);
	ck_assert_int_eq(write(in[1], req, sizeof(req) - 1), (ssize_t)sizeof(req) - 1);
	close(in[1]);
	o.in_fd = in[0];
	ck_assert_int_eq(vb_agent_serve(&o), 0);
	lseek(out, 0, SEEK_SET);
	vb_linebuf_init(&lb, out);
	while (vb_line_read(&lb, 1000, &line, &len) == VB_LINE_OK) {
		json_t *m = vb_proto_parse(line, len, err, sizeof(err));

		if (m && vb_json_int(m, "id", -1) == 7)
			reply = m;
		else
			json_decref(m);
	}
	ck_assert_ptr_nonnull(reply);
	ck_assert_str_eq(vb_json_str(reply, "op", ""), "error");
	ck_assert_msg(strstr(vb_json_str(reply, "msg", ""), "array_mib") &&
			      strstr(vb_json_str(reply, "msg", ""), "out of range 1..65536"),
		      "msg: %s", vb_json_str(reply, "msg", ""));
	json_decref(reply);
	close(in[0]);
	close(out);
}
END_TEST

/* Each io parameter in its range, the pair may still not fit: setup says so. */
START_TEST(io_block_must_fit_the_span)
{
	const struct vb_workload *wl = vb_workload_find("io.seqread");
	static const long long bad[][2] = { { 2048, 1 }, { 6, 16 } }; /* block_kib, size_mib */
	struct vb_env env = { .scratch = "/nonexistent", .cpu = -1 };

	for (size_t k = 0; k < 2; k++) {
		char why[VB_WHY_LEN] = "";
		struct vb_inst in;

		vb_inst_init(&in, wl, &env);
		in.param[vb_param_index(wl, "block_kib")] = bad[k][0];
		in.param[vb_param_index(wl, "size_mib")] = bad[k][1];
		ck_assert_int_eq(wl->setup(&in, why, sizeof(why)), -1);
		ck_assert_msg(strstr(why, "block_kib") && strstr(why, "size_mib"), "%s", why);
		wl->teardown(&in);
	}
}
END_TEST

/* Every workload: setup, a short run, a measurement, teardown; or a reason. */
START_TEST(test_every_workload_runs_or_says_why)
{
	const char *path = scratch;
	struct vb_env env = { .scratch = path, .cpu = -1 };

	for (size_t i = 0; i < vb_nworkloads; i++) {
		const struct vb_workload *wl = vb_workloads[i];
		struct vb_sample_plan plan = { .samples = 2, .iters = wl->min_iters };
		char why[VB_WHY_LEN] = "";
		struct vb_samples s;
		struct vb_inst in;
		int rc;

		if ((wl->needs & VB_NEED_SCRATCH) && !path)
			continue;
		init_small(&in, wl, &env);
		rc = wl->setup ? wl->setup(&in, why, sizeof(why)) : 0;
		if (rc == 0)
			rc = wl->run(&in, wl->min_iters, why, sizeof(why));
		if (rc == 0)
			rc = vb_measure(&in, &plan, &s, why, sizeof(why));
		if (wl->teardown)
			wl->teardown(&in);
		if (rc == VB_UNSUPPORTED) {
			ck_assert_msg(*why, "%s unsupported without a reason", wl->name);
			fprintf(stderr, "note: %s unsupported here: %s\n", wl->name, why);
			continue;
		}
		ck_assert_msg(rc == 0, "%s failed: %s", wl->name, why);
		ck_assert_uint_eq(s.n, 2);
		for (unsigned k = 0; k < s.n; k++)
			ck_assert_msg(isfinite(s.value[k]) && s.value[k] > 0,
				      "%s: sample %u is %g", wl->name, k, s.value[k]);
		vb_samples_free(&s);
	}
}
END_TEST

/* A workload whose after hook takes 200 ms: none of it may land in a sample. */
static int nop_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	(void)in, (void)iters, (void)why, (void)whylen;
	return 0;
}

static void slow_after(struct vb_inst *in)
{
	struct timespec d = { 0, 200 * 1000000 };

	nanosleep(&d, NULL);
	vb_extra_set(in, "after_ran", 1);
}

START_TEST(test_after_is_not_timed)
{
	static const struct vb_workload wl = {
		.name = "test.after", .version = 1, .metric = VB_NS_PER_OP,
		.dir = VB_LOWER_IS_BETTER, .min_iters = 1, .run = nop_run, .after = slow_after,
	};
	struct vb_sample_plan plan = { .samples = 3, .iters = 1 };
	struct vb_env env = { .cpu = -1 };
	char why[VB_WHY_LEN] = "";
	struct vb_samples s;
	struct vb_inst in;

	vb_inst_init(&in, &wl, &env);
	ck_assert_msg(vb_measure(&in, &plan, &s, why, sizeof(why)) == 0, "%s", why);
	for (unsigned k = 0; k < s.n; k++)
		ck_assert_msg(s.elapsed_ns[k] < 100e6, "sample %u took %.0f ns", k, s.elapsed_ns[k]);
	ck_assert_int_eq(s.nextra, 1);
	ck_assert_str_eq(s.extra[0].name, "after_ran");
	vb_samples_free(&s);
}
END_TEST

START_TEST(test_io_without_scratch_is_unsupported)
{
	struct vb_env env = { .scratch = NULL, .cpu = -1 };
	int seen = 0;

	for (size_t i = 0; i < vb_nworkloads; i++) {
		const struct vb_workload *wl = vb_workloads[i];
		char why[VB_WHY_LEN] = "";
		struct vb_inst in;

		if (!(wl->needs & VB_NEED_SCRATCH))
			continue;
		seen++;
		init_small(&in, wl, &env);
		ck_assert_int_eq(wl->setup(&in, why, sizeof(why)), VB_UNSUPPORTED);
		ck_assert_msg(strstr(why, "scratch"), "%s: reason '%s'", wl->name, why);
		wl->teardown(&in);
	}
	ck_assert_int_eq(seen, 5);
}
END_TEST

/* tmpfs refuses O_DIRECT: that is an environment without a scratch target. */
START_TEST(test_io_on_tmpfs_is_unsupported)
{
	char path[] = "/dev/shm/vbench-wl-XXXXXX";
	struct vb_env env = { .scratch = path, .cpu = -1 };
	struct vb_scratch s;
	char why[VB_WHY_LEN] = "";
	int fd = mkstemp(path), direct, rc;

	if (fd < 0) {
		fprintf(stderr, "SKIP tmpfs test: no /dev/shm: %s\n", strerror(errno));
		return;
	}
	close(fd);
	direct = open(path, O_RDWR | O_DIRECT);
	if (direct >= 0) {
		close(direct);
		unlink(path);
		fprintf(stderr, "SKIP tmpfs test: /dev/shm accepts O_DIRECT here\n");
		return;
	}
	rc = vb_scratch_open(&s, &env, 4096, 1 << 20, why, sizeof(why));
	vb_scratch_close(&s);
	unlink(path);
	ck_assert_int_eq(rc, VB_UNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(why, "O_DIRECT"));
}
END_TEST

static char *page_alloc(size_t len)
{
	void *p = NULL;

	ck_assert_int_eq(posix_memalign(&p, 4096, len), 0);
	return p;
}

/* Follow the ring n steps: every slot once, then back to the start. */
static void assert_one_cycle(struct vb_ring *r)
{
	unsigned char *seen = calloc(r->n, 1);
	void **p = r->cur;

	ck_assert_ptr_nonnull(seen);
	for (size_t k = 0; k < r->n; k++) {
		size_t i = vb_ring_slot(r, p);

		ck_assert_uint_lt(i, r->n);
		ck_assert_msg(!seen[i], "slot %zu visited twice", i);
		seen[i] = 1;
		p = *p;
	}
	ck_assert_ptr_eq(p, r->cur);
	free(seen);
}

START_TEST(test_ring_is_one_cycle)
{
	size_t sizes[] = { 2, 3, 64, 1000, 4096 };

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = sizes[k];
		char *line_buf = page_alloc(n * 64);
		char *page_buf = page_alloc(n * 4096);
		struct vb_ring lines, pages;

		ck_assert_int_eq(vb_ring_build(&lines, line_buf, n, 64, 0, 42 + k), 0);
		ck_assert_int_eq(vb_ring_build(&pages, page_buf, n, 4096, 1, 7 + k), 0);
		assert_one_cycle(&lines);
		assert_one_cycle(&pages);
		/* a chase of any length ends where the cycle says */
		ck_assert_int_eq(vb_ring_chase(&lines, 3 * n + 1), 0);
		ck_assert_int_eq(vb_ring_chase(&pages, n / 2 + 5), 0);
		vb_ring_free(&lines);
		vb_ring_free(&pages);
		free(line_buf);
		free(page_buf);
	}
}
END_TEST

START_TEST(test_ring_spreads_lines_over_pages)
{
	char *buf = page_alloc(128 * 4096);
	struct vb_ring r;
	unsigned char used[64] = { 0 };
	void **p;

	ck_assert_int_eq(vb_ring_build(&r, buf, 128, 4096, 1, 1), 0);
	p = r.cur;
	for (size_t k = 0; k < r.n; k++, p = *p)
		used[((uintptr_t)p % 4096) / 64] = 1;
	for (int l = 0; l < 64; l++)
		ck_assert_msg(used[l], "cache line %d of the page never used", l);
	vb_ring_free(&r);
	free(buf);
}
END_TEST

START_TEST(test_ring_chase_detects_a_broken_ring)
{
	char *buf = page_alloc(256 * 64);
	struct vb_ring r;
	void **p;

	ck_assert_int_eq(vb_ring_build(&r, buf, 256, 64, 0, 99), 0);
	/* short-circuit one link: the cycle loses a slot */
	p = r.cur;
	*p = *(void **)*p;
	ck_assert_int_eq(vb_ring_chase(&r, 256), -1);
	vb_ring_free(&r);
	ck_assert_int_eq(vb_ring_build(&r, buf, 1, 64, 0, 1), -1);
	free(buf);
}
END_TEST

START_TEST(test_scratch_reads_back_and_catches_lost_and_misplaced_writes)
{
	const char *path = scratch;
	struct vb_env env = { .scratch = path, .cpu = -1 };
	char why[VB_WHY_LEN] = "";
	struct vb_scratch s;

	if (!path)
		return;
	ck_assert_int_eq(vb_scratch_open(&s, &env, 4096, 1 << 20, why, sizeof(why)), 0);
	ck_assert_int_eq(vb_scratch_fill(&s, why, sizeof(why)), 0);
	for (uint64_t i = 0; i < s.nblocks; i++)
		ck_assert_msg(vb_scratch_read_block(&s, i, why, sizeof(why)) == 0, "%s", why);
	ck_assert_int_eq(vb_scratch_write_block(&s, 5, why, sizeof(why)), 0);
	ck_assert_int_eq(vb_scratch_verify_last(&s, why, sizeof(why)), 0);
	ck_assert_int_eq(vb_scratch_write_block(&s, 6, why, sizeof(why)), 0);
	ck_assert_int_eq(vb_scratch_read_block(&s, 5, why, sizeof(why)), 0);
	/* pretend the newest write went to block 5: it holds an older one */
	s.last = 5;
	ck_assert_int_eq(vb_scratch_verify_last(&s, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "lost write"));
	/* a well-formed block in the wrong place: block 2's data at block 1 */
	ck_assert_int_eq(vb_scratch_read_block(&s, 2, why, sizeof(why)), 0);
	ck_assert_int_eq(pwrite(s.fd, s.buf, s.block, (off_t)s.block), (ssize_t)s.block);
	ck_assert_int_eq(vb_scratch_read_block(&s, 1, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "data check failed"));
	vb_scratch_close(&s);
}
END_TEST

START_TEST(test_scratch_detects_a_corrupted_block)
{
	const char *path = scratch;
	struct vb_env env = { .scratch = path, .cpu = -1 };
	const struct vb_workload *wl = vb_workload_find("io.seqread");
	char why[VB_WHY_LEN] = "";
	struct vb_scratch *s;
	struct vb_inst in;

	if (!path)
		return;
	init_small(&in, wl, &env);
	ck_assert_int_eq(wl->setup(&in, why, sizeof(why)), 0);
	s = in.priv;
	ck_assert_int_eq(wl->run(&in, s->nblocks, why, sizeof(why)), 0);
	/* overwrite the middle 4 KiB of block 1 with garbage, behind its back */
	memset(s->buf, 0x5a, 4096);
	ck_assert_int_eq(pwrite(s->fd, s->buf, 4096, (off_t)(s->block + s->block / 2)), 4096);
	s->next = 0;
	ck_assert_int_eq(wl->run(&in, 2, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "data check failed"), "reason: %s", why);
	/* a fill with a bad block in it is not for the next test to take up */
	memset(s->buf, 0, 4096);
	ck_assert_int_eq(pwrite(s->fd, s->buf, 4096, 0), 4096);
	wl->teardown(&in);
}
END_TEST

/*
 * A target is filled once: the next io.* setup reuses the fill (same
 * generation, nothing written), and a target whose first block no longer
 * checks is filled anew, after which every block reads back.
 */
START_TEST(test_scratch_fill_is_reused_while_it_checks)
{
	const char *path = scratch;
	struct vb_env env = { .scratch = path, .cpu = -1 };
	const struct vb_workload *rd = vb_workload_find("io.seqread"),
				 *rr = vb_workload_find("io.randread");
	char why[VB_WHY_LEN] = "";
	struct vb_scratch *s;
	struct vb_inst in;
	uint64_t gen;

	if (!path)
		return;
	init_small(&in, rd, &env);
	ck_assert_int_eq(rd->setup(&in, why, sizeof(why)), 0);
	gen = ((struct vb_scratch *)in.priv)->gen;
	rd->teardown(&in);
	init_small(&in, rr, &env);
	ck_assert_int_eq(rr->setup(&in, why, sizeof(why)), 0);
	s = in.priv;
	ck_assert_uint_eq(s->gen, gen);
	ck_assert_int_eq(rr->run(&in, 2 * s->nblocks, why, sizeof(why)), 0);
	/* the target is not what was filled any more: its first block says so */
	memset(s->buf, 0, s->block);
	ck_assert_int_eq(pwrite(s->fd, s->buf, s->block, 0), (ssize_t)s->block);
	rr->teardown(&in);
	init_small(&in, rd, &env);
	ck_assert_int_eq(rd->setup(&in, why, sizeof(why)), 0);
	s = in.priv;
	ck_assert_uint_ne(s->gen, gen);
	ck_assert_msg(rd->run(&in, s->nblocks, why, sizeof(why)) == 0, "%s", why);
	rd->teardown(&in);
}
END_TEST

/* Setup of wl with size_mib = mib on env's target: the generation it takes. */
static uint64_t setup_gen(const struct vb_workload *wl, const struct vb_env *env, long long mib)
{
	char why[VB_WHY_LEN] = "";
	struct vb_inst in;
	uint64_t gen;

	init_small(&in, wl, env);
	in.param[vb_param_index(wl, "size_mib")] = mib;
	ck_assert_msg(wl->setup(&in, why, sizeof(why)) == 0, "%s", why);
	ck_assert_msg(wl->run(&in, 4, why, sizeof(why)) == 0, "%s", why);
	gen = ((struct vb_scratch *)in.priv)->gen;
	wl->teardown(&in);
	return gen;
}

/*
 * The instances of a run share one target, each agent with its own setups:
 * a setup takes up the fill it finds where that fill covers its span (the
 * first and the last stamp of the span carry its generation), and fills
 * anew where it does not: a longer span, or a span whose last stamp is not
 * that fill's.
 */
START_TEST(test_scratch_fill_is_taken_up_where_it_covers)
{
	const struct vb_env env = { .scratch = scratch, .cpu = -1 };
	const struct vb_workload *rd = vb_workload_find("io.seqread"),
				 *wr = vb_workload_find("io.randwrite");
	uint64_t g4, g8;
	void *zeros;
	int fd;

	if (!scratch)
		return;
	g4 = setup_gen(rd, &env, 4);
	ck_assert_uint_eq(setup_gen(wr, &env, 4), g4);
	ck_assert_uint_eq(setup_gen(rd, &env, 2), g4);
	g8 = setup_gen(rd, &env, 8);
	ck_assert_uint_ne(g8, g4);
	ck_assert_uint_eq(setup_gen(wr, &env, 4), g8);
	/* the last stamp of a 4 MiB span is no longer the fill's */
	fd = open(scratch, O_RDWR | O_DIRECT);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(posix_memalign(&zeros, 4096, VB_STAMP_SIZE), 0);
	memset(zeros, 0, VB_STAMP_SIZE);
	ck_assert_int_eq(pwrite(fd, zeros, VB_STAMP_SIZE, (4 << 20) - VB_STAMP_SIZE),
			 VB_STAMP_SIZE);
	free(zeros);
	close(fd);
	ck_assert_uint_ne(setup_gen(rd, &env, 4), g8);
}
END_TEST

START_TEST(test_qd1_latency_extras)
{
	const char *path = scratch;
	struct vb_env env = { .scratch = path, .cpu = -1 };
	const char *names[] = { "io.randread", "io.randwrite", "io.fsync" };

	if (!path)
		return;
	for (int k = 0; k < 3; k++) {
		const struct vb_workload *wl = vb_workload_find(names[k]);
		char why[VB_WHY_LEN] = "";
		struct vb_inst in;
		double p50 = -1, p99 = -1;

		init_small(&in, wl, &env);
		ck_assert_int_eq(wl->setup(&in, why, sizeof(why)), 0);
		ck_assert_msg(wl->run(&in, 32, why, sizeof(why)) == 0, "%s: %s", names[k], why);
		for (int e = 0; e < in.nextra; e++) {
			if (!strcmp(in.extra[e].name, "p50_us"))
				p50 = in.extra[e].value;
			if (!strcmp(in.extra[e].name, "p99_us"))
				p99 = in.extra[e].value;
		}
		ck_assert_msg(p50 > 0 && p99 >= p50, "%s: p50 %g p99 %g", names[k], p50, p99);
		wl->teardown(&in);
	}
}
END_TEST

static double extra_of(const struct vb_inst *in, const char *name)
{
	for (int e = 0; e < in->nextra; e++)
		if (!strcmp(in->extra[e].name, name))
			return in->extra[e].value;
	return -1;
}

START_TEST(test_tlb_reports_thp)
{
	const struct vb_workload *wl = vb_workload_find("mem.tlb");
	struct vb_env env = { .cpu = -1 };

	for (int thp = 0; thp <= 1; thp++) {
		char why[VB_WHY_LEN] = "";
		struct vb_inst in;
		int rc;

		vb_inst_init(&in, wl, &env);
		in.param[vb_param_index(wl, "pages")] = 2048; /* 8 MiB: four huge pages */
		in.param[vb_param_index(wl, "thp")] = thp;
		rc = wl->setup(&in, why, sizeof(why));
		if (rc == VB_UNSUPPORTED) {
			ck_assert_int_eq(thp, 1);
			ck_assert_msg(strstr(why, "THP") || strstr(why, "huge"), "reason: %s", why);
			fprintf(stderr, "note: mem.tlb thp=1 unsupported here: %s\n", why);
		} else {
			struct vb_sample_plan plan = { .samples = 1, .iters = 4096 };
			struct vb_samples out;

			ck_assert_msg(rc == 0, "%s", why);
			/* thp_pct comes from the after hook, once the samples are taken */
			ck_assert_msg(vb_measure(&in, &plan, &out, why, sizeof(why)) == 0, "%s", why);
			vb_samples_free(&out);
			if (thp)
				ck_assert_double_gt(extra_of(&in, "thp_pct"), 0);
			else
				ck_assert_double_ge(extra_of(&in, "thp_pct"), 0);
		}
		wl->teardown(&in);
	}
}
END_TEST

/* Huge pages cannot back 256 KiB: thp=1 there must say so, not measure 4 KiB pages. */
START_TEST(test_tlb_without_huge_pages_is_unsupported)
{
	const struct vb_workload *wl = vb_workload_find("mem.tlb");
	struct vb_env env = { .cpu = -1 };
	char why[VB_WHY_LEN] = "";
	struct vb_inst in;

	vb_inst_init(&in, wl, &env);
	in.param[vb_param_index(wl, "pages")] = 64;
	in.param[vb_param_index(wl, "thp")] = 1;
	ck_assert_int_eq(wl->setup(&in, why, sizeof(why)), VB_UNSUPPORTED);
	ck_assert_msg(strstr(why, "THP") || strstr(why, "huge"), "reason: %s", why);
	wl->teardown(&in);
}
END_TEST

START_TEST(test_faults_are_counted)
{
	const char *names[] = { "cpu.pgfault", "mem.pagefault" };
	struct vb_env env = { .cpu = -1 };

	for (int k = 0; k < 2; k++) {
		const struct vb_workload *wl = vb_workload_find(names[k]);
		char why[VB_WHY_LEN] = "";
		struct vb_inst in;

		init_small(&in, wl, &env);
		ck_assert_int_eq(wl->setup(&in, why, sizeof(why)), 0);
		/* several rounds of the window, so re-faulting is exercised too */
		ck_assert_msg(wl->run(&in, 1000, why, sizeof(why)) == 0, "%s", why);
		/* each touch faults once: allow a little for the rest of the process */
		ck_assert_double_ge(extra_of(&in, "minflt_per_op"), 0.9);
		wl->teardown(&in);
	}
}
END_TEST

START_TEST(test_portio_runs_or_says_why)
{
	const struct vb_workload *wl = vb_workload_find("cpu.portio");
	struct vb_env env = { .cpu = -1 };
	char why[VB_WHY_LEN] = "";
	struct vb_inst in;
	int rc;

	vb_inst_init(&in, wl, &env);
	rc = wl->setup(&in, why, sizeof(why));
	if (rc == VB_UNSUPPORTED) {
		ck_assert_msg(strstr(why, "ioperm") || strstr(why, "outb"), "reason: %s", why);
		fprintf(stderr, "note: cpu.portio unsupported here: %s\n", why);
	} else {
		ck_assert_int_eq(rc, 0);
		ck_assert_int_eq(wl->run(&in, 100, why, sizeof(why)), 0);
	}
	wl->teardown(&in);
}
END_TEST

START_TEST(test_divzero_restores_sigfpe)
{
	const struct vb_workload *wl = vb_workload_find("cpu.divzero");
	struct vb_env env = { .cpu = -1 };
	struct sigaction before, after;
	char why[VB_WHY_LEN] = "";
	struct vb_inst in;

	sigaction(SIGFPE, NULL, &before);
	vb_inst_init(&in, wl, &env);
	ck_assert_int_eq(wl->setup(&in, why, sizeof(why)), 0);
	ck_assert_msg(wl->run(&in, 500, why, sizeof(why)) == 0, "%s", why);
	ck_assert_msg(wl->run(&in, 3, why, sizeof(why)) == 0, "%s", why);
	wl->teardown(&in);
	sigaction(SIGFPE, NULL, &after);
	ck_assert_ptr_eq((void *)after.sa_handler, (void *)before.sa_handler);
}
END_TEST

START_TEST(test_ctxsw_restores_affinity_and_reaps)
{
	const struct vb_workload *wl = vb_workload_find("cpu.ctxsw");
	struct vb_env env = { .cpu = -1 };
	cpu_set_t before, during, after;
	char why[VB_WHY_LEN] = "";
	struct vb_inst in;

	ck_assert_int_eq(sched_getaffinity(0, sizeof(before), &before), 0);
	vb_inst_init(&in, wl, &env);
	ck_assert_int_eq(wl->setup(&in, why, sizeof(why)), 0);
	ck_assert_int_eq(sched_getaffinity(0, sizeof(during), &during), 0);
	ck_assert_int_eq(CPU_COUNT(&during), 1);
	ck_assert_msg(wl->run(&in, 200, why, sizeof(why)) == 0, "%s", why);
	wl->teardown(&in);
	ck_assert_int_eq(sched_getaffinity(0, sizeof(after), &after), 0);
	ck_assert(CPU_EQUAL(&before, &after));
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}
END_TEST

static long agent_rss_kib(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* A run request that must get a result. */
static void agent_run(struct ut_agent *a, const char *req)
{
	json_t *m = ut_agent_ask(a, req);

	ck_assert_msg(strcmp(vb_json_str(m, "op", ""), "result") == 0, "%s: %s",
		      vb_json_str(m, "op", ""), vb_json_str(m, "msg", ""));
	json_decref(m);
}

/*
 * The real agent binary keeps no freed workload buffer resident: the big
 * matrices of cpu.fp would make glibc's default keep mem.latency's 2 MiB
 * at the heap top afterwards, and the agent's footprint (which cpu.fork
 * copies) would then depend on which workloads ran before.
 */
START_TEST(agent_footprint_does_not_remember_earlier_workloads)
{
	struct ut_agent a;
	long before, after;

	if (ut_agent_start(&a, "agent footprint", NULL))
		return;
	agent_run(&a, "{\"op\":\"run\",\"id\":1,\"bench\":\"cpu.fp\",\"params\":{\"n\":600},"
		      "\"samples\":1,\"warmup\":0,\"iters\":1,\"min_sample_ms\":0}");
	before = agent_rss_kib(a.pid);
	agent_run(&a, "{\"op\":\"run\",\"id\":2,\"bench\":\"mem.latency\","
		      "\"params\":{\"size_kib\":2048},"
		      "\"samples\":1,\"warmup\":0,\"iters\":1,\"min_sample_ms\":0}");
	after = agent_rss_kib(a.pid);
	ut_agent_bye(&a);
	ck_assert_int_gt(before, 0);
	ck_assert_msg(after - before < 512, "agent RSS %ld kB after cpu.fp, %ld kB after mem.latency",
		      before, after);
}
END_TEST

Suite *suite_workloads(void)
{
	Suite *s = suite_create("workloads");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, scratch_up, scratch_down);
	tcase_add_test(tc, test_registry_is_described);
	tcase_add_test(tc, param_defaults_lie_in_their_ranges);
	tcase_add_test(tc, agent_refuses_out_of_range_param);
	tcase_add_test(tc, agent_footprint_does_not_remember_earlier_workloads);
	tcase_add_test(tc, io_block_must_fit_the_span);
	tcase_add_test(tc, test_every_workload_runs_or_says_why);
	tcase_add_test(tc, test_after_is_not_timed);
	tcase_add_test(tc, test_io_without_scratch_is_unsupported);
	tcase_add_test(tc, test_io_on_tmpfs_is_unsupported);
	tcase_add_test(tc, test_ring_is_one_cycle);
	tcase_add_test(tc, test_ring_spreads_lines_over_pages);
	tcase_add_test(tc, test_ring_chase_detects_a_broken_ring);
	tcase_add_test(tc, test_scratch_reads_back_and_catches_lost_and_misplaced_writes);
	tcase_add_test(tc, test_scratch_detects_a_corrupted_block);
	tcase_add_test(tc, test_scratch_fill_is_reused_while_it_checks);
	tcase_add_test(tc, test_scratch_fill_is_taken_up_where_it_covers);
	tcase_add_test(tc, test_qd1_latency_extras);
	tcase_add_test(tc, test_tlb_reports_thp);
	tcase_add_test(tc, test_tlb_without_huge_pages_is_unsupported);
	tcase_add_test(tc, test_faults_are_counted);
	tcase_add_test(tc, test_portio_runs_or_says_why);
	tcase_add_test(tc, test_divzero_restores_sigfpe);
	tcase_add_test(tc, test_ctxsw_restores_affinity_and_reaps);
	suite_add_tcase(s, tc);
	return s;
}
