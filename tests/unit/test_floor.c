/* SPDX-License-Identifier: MIT */
/*
 * The backends' floors (backend.h, floor()): one timed launch of a payload
 * to its line, killed when it overstays, nothing left behind; the bare
 * floor with stand-in payloads, the QEMU floor with a stand-in QEMU (a
 * script: no QEMU runs here), and the trivial initramfs it boots.
 */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tfiles.h"
#include "../../common/clock.h"
#include "../../harness/backend.h"
#include "../../harness/backends/qemu.h"
#include "../../harness/image/image.h"
#include "../../harness/paths.h"

/* An executable script dir/name with body after the #! line; its path in path. */
static void script(const char *dir, const char *name, const char *body, char *path, size_t n)
{
	FILE *f;

	snprintf(path, n, "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, 0755), 0);
}

/* Nothing this test process started is left, running or unreaped. */
static void no_children(void)
{
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}

/* The number of entries in dir (not . and ..). */
static int entries(const char *dir)
{
	char cmd[PATH_MAX + 32];
	FILE *p;
	int count = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(fscanf(p, "%d", &count), 1);
	pclose(p);
	return count;
}

/* A bare floor of payload body: its return code, *ms and what. */
static int bare_floor(const char *body, unsigned timeout_ms, double *ms, char *what, size_t n)
{
	const struct vb_backend *be = vb_backend_find("bare");
	char dir[64], hello[PATH_MAX];
	struct vb_run_ctx ctx = { .floor_hello = hello, .hello_timeout_ms = timeout_ms,
				  .pus = { 0 }, .npus = 1 };
	int rc;

	ut_tmpdir(dir, sizeof(dir), "floor");
	script(dir, "hello", body, hello, sizeof(hello));
	ctx.workdir = dir;
	rc = be->floor(be, &ctx, ms, what, n);
	no_children();
	ck_assert_int_eq(entries(dir), 1); /* the payload alone: the floor left nothing */
	ut_rmtree(dir);
	return rc;
}

START_TEST(bare_floor_times_the_line)
{
	double ms = -1;
	char what[512];

	/* what comes before the line is not it; a console's \r is allowed */
	ck_assert_msg(bare_floor("echo booting; printf 'vbench-floor-hello\\r\\n'", 10000, &ms,
				 what, sizeof(what)) == 0, "%s", what);
	ck_assert_str_eq(what, "fork and exec of a static hello-world");
	ck_assert(ms > 0 && ms < 10000);
}
END_TEST

/* A payload that never says its line is killed at the timeout. */
START_TEST(bare_floor_kills_a_silent_payload)
{
	double ms = -1, t0 = vb_now_ms();
	char what[512];

	ck_assert_int_eq(bare_floor("exec sleep 60", 300, &ms, what, sizeof(what)), -1);
	ck_assert_msg(strstr(what, "no line 'vbench-floor-hello' in time (killed)"), "%s", what);
	ck_assert_msg(vb_now_ms() - t0 < 5000, "took %.0f ms", vb_now_ms() - t0);
	ck_assert_double_eq(ms, -1);
}
END_TEST

/* One that says its line and stays is killed too, and the floor fails. */
START_TEST(bare_floor_kills_a_payload_that_stays)
{
	double ms = -1;
	char what[512];

	ck_assert_int_eq(bare_floor("echo vbench-floor-hello; exec sleep 60", 300, &ms, what,
				    sizeof(what)), -1);
	ck_assert_msg(strstr(what, "killed after 1 s, after its line"), "%s", what);
}
END_TEST

/* Only the line itself counts, and only a clean exit after it. */
START_TEST(bare_floor_wants_the_line_and_a_clean_exit)
{
	double ms = -1;
	char what[512];

	ck_assert_int_eq(bare_floor("echo vbench-floor-hello-not; echo xvbench-floor-hello", 10000,
				    &ms, what, sizeof(what)), -1);
	ck_assert_msg(strstr(what, "its output ended without the line 'vbench-floor-hello' "
				   "(exited with 0)"), "%s", what);
	ck_assert_int_eq(bare_floor("echo vbench-floor-hello; exit 3", 10000, &ms, what,
				    sizeof(what)), -1);
	ck_assert_msg(strstr(what, "exited with 3 after its line"), "%s", what);
	ck_assert_double_eq(ms, -1);
}
END_TEST

START_TEST(floor_without_payload_fails)
{
	const struct vb_backend *be = vb_backend_find("bare");
	struct vb_run_ctx ctx = { .workdir = "/nonexistent", .hello_timeout_ms = 1000 };
	double ms;
	char what[512];

	ck_assert_int_eq(be->floor(be, &ctx, &ms, what, sizeof(what)), -1);
	ck_assert_msg(strstr(what, "no vbench-floor-hello"), "%s", what);
	ctx.floor_hello = "/nonexistent/vbench-floor-hello";
	ck_assert_int_eq(be->floor(be, &ctx, &ms, what, sizeof(what)), -1);
	ck_assert_msg(strstr(what, "/nonexistent/vbench-floor-hello: No such file"), "%s", what);
}
END_TEST

/* The payload is looked for beside the agent. */
START_TEST(floor_hello_beside_the_agent)
{
	char dir[64], agent[PATH_MAX], path[PATH_MAX], want[PATH_MAX], err[PATH_MAX + 128];

	ut_tmpdir(dir, sizeof(dir), "floor");
	snprintf(agent, sizeof(agent), "%s/vbench-agent", dir);
	ck_assert_int_eq(vb_floor_hello_path(agent, path, sizeof(path), err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "vbench-floor-hello") && strstr(err, dir), "%s", err);
	script(dir, "vbench-floor-hello", "", want, sizeof(want));
	ck_assert_int_eq(vb_floor_hello_path(agent, path, sizeof(path), err, sizeof(err)), 0);
	ck_assert_str_eq(path, want);
	ut_rmtree(dir);
}
END_TEST

/* The output of `cpio args < file` (cpio run in dir). */
static void cpio_out(const char *dir, const char *args, const char *file, char *out, size_t n)
{
	char cmd[PATH_MAX + 128];
	FILE *p;
	size_t got;

	snprintf(cmd, sizeof(cmd), "cd '%s' && cpio --quiet %s < '%s'", dir, args, file);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	got = fread(out, 1, n - 1, p);
	out[got] = '\0';
	ck_assert_int_eq(pclose(p), 0);
}

/* The trivial guest: /init alone, executable, the payload's bytes. */
START_TEST(trivial_initramfs_is_init_alone)
{
	char dir[64], payload[PATH_MAX], cpio[PATH_MAX], out[4096], err[512];

	ut_tmpdir(dir, sizeof(dir), "floor");
	script(dir, "hello", "echo vbench-floor-hello", payload, sizeof(payload));
	snprintf(cpio, sizeof(cpio), "%s/init.cpio", dir);
	ck_assert_msg(vb_initramfs_init_only(cpio, payload, err, sizeof(err)) == 0, "%s", err);
	cpio_out(dir, "-it", cpio, out, sizeof(out));
	ck_assert_str_eq(out, "init\n");
	cpio_out(dir, "-itv", cpio, out, sizeof(out));
	ck_assert_msg(strncmp(out, "-rwxr-xr-x ", 11) == 0, "%s", out);
	cpio_out(dir, "-i --to-stdout init", cpio, out, sizeof(out));
	ck_assert_str_eq(out, "#!/bin/sh\necho vbench-floor-hello\n");
	ut_rmtree(dir);
}
END_TEST

/*
 * A stand-in QEMU: records its arguments in dir/argv, one a line, then
 * runs `then` with $console the console chardev's path.
 */
static void fake_qemu(const char *dir, const char *then, char *path, size_t n)
{
	char body[2048];

	snprintf(body, sizeof(body),
		 "for a; do\n"
		 "  printf '%%s\\n' \"$a\" >> '%s/argv'\n"
		 "  case \"$a\" in file,id=console,path=*) console=${a#file,id=console,path=};; "
		 "esac\n"
		 "done\n%s",
		 dir, then);
	script(dir, "qemu", body, path, n);
}

/* The context of a QEMU floor test, its files in dir. */
struct qfloor {
	char dir[64], work[PATH_MAX], qemu[PATH_MAX], hello[PATH_MAX];
	struct vb_run_ctx ctx;
};

static void qfloor_setup(struct qfloor *q, const char *then, unsigned timeout_ms)
{
	ut_tmpdir(q->dir, sizeof(q->dir), "qfloor");
	snprintf(q->work, sizeof(q->work), "%s/work", q->dir);
	ck_assert_int_eq(mkdir(q->work, 0700), 0);
	fake_qemu(q->dir, then, q->qemu, sizeof(q->qemu));
	script(q->dir, "hello", "", q->hello, sizeof(q->hello));
	q->ctx = (struct vb_run_ctx){ .workdir = q->work, .floor_hello = q->hello, .qemu = q->qemu,
				      .memory_mb = 256, .scratch_mib = 16, .cpu_model = "max",
				      .qemu_args = "-s -S", .hello_timeout_ms = timeout_ms,
				      .pus = { 0 }, .npus = 1 };
}

/* The argument after `flag` in the recorded lines, or after `prefix` in one of them. */
static void recorded(char *const *lines, int nlines, const char *prefix, char *out, size_t n)
{
	out[0] = '\0';
	for (int i = 0; i < nlines; i++)
		if (strncmp(lines[i], prefix, strlen(prefix)) == 0)
			snprintf(out, n, "%s", lines[i] + strlen(prefix));
}

/*
 * The floor runs start()'s command line but for its own files: the same
 * vmlinux, an initramfs, console and disk of its own in a private dir of
 * the workdir, which is gone after; the line on the console is timed.
 */
START_TEST(qemu_floor_boots_start_command_line)
{
	const struct vb_backend *be = vb_backend_find("type2-pv");
	struct qfloor q;
	static struct vb_qemu_argv a;
	char what[1024], initrd[PATH_MAX] = "", console[PATH_MAX], disk[PATH_MAX], err[256];
	char *text, *lines[VB_QEMU_MAX_ARGS] = { NULL }, *save = NULL;
	int nlines = 0;
	double ms = -1;

	qfloor_setup(&q, "printf 'noise\\r\\nvbench-floor-hello\\r\\n' > \"$console\"", 10000);
	ck_assert_msg(vb_qemu_floor_boot(be, &q.ctx, "/c/vmlinux", &ms, what, sizeof(what)) == 0,
		      "%s", what);
	ck_assert_str_eq(what, "QEMU tcg boot of the same kernel to a trivial /init");
	ck_assert(ms > 0 && ms < 10000);
	no_children();
	ck_assert_int_eq(entries(q.work), 0);
	text = ut_slurp(q.dir, "argv");
	for (char *l = strtok_r(text, "\n", &save); l && nlines < VB_QEMU_MAX_ARGS;
	     l = strtok_r(NULL, "\n", &save))
		lines[nlines++] = l;
	recorded(lines, nlines, "file,id=console,path=", console, sizeof(console));
	recorded(lines, nlines, "file=", disk, sizeof(disk));
	disk[strcspn(disk, ",")] = '\0';
	for (int i = 0; i + 1 < nlines; i++)
		if (strcmp(lines[i], "-initrd") == 0)
			snprintf(initrd, sizeof(initrd), "%s", lines[i + 1]);
	/* its files in one private dir of the workdir */
	ck_assert_msg(strncmp(initrd, q.work, strlen(q.work)) == 0 &&
		      strstr(initrd, "/type2-pv-floor."), "%s", initrd);
	ck_assert_int_eq(strrchr(console, '/') - console, strrchr(initrd, '/') - initrd);
	ck_assert_int_eq(strncmp(console, initrd, (size_t)(strrchr(initrd, '/') - initrd)), 0);
	ck_assert_int_eq(strncmp(disk, initrd, (size_t)(strrchr(initrd, '/') - initrd)), 0);
	/* and with those files, start()'s command line, argument for argument */
	struct vb_qemu_cfg cfg = { .vmlinux = "/c/vmlinux", .initrd = initrd,
				   .console_log = console, .disk = disk };
	ck_assert_int_eq(vb_qemu_launch_argv(vb_qemu_variant_of(be, err, sizeof(err)), &q.ctx,
					     &cfg, &a), 0);
	ck_assert_int_eq(nlines, a.argc - 1);
	for (int i = 1; i < a.argc; i++)
		ck_assert_str_eq(lines[i - 1], a.argv[i]);
	free(text);
	ut_rmtree(q.dir);
}
END_TEST

/* A QEMU that never prints the line is killed at the timeout; nothing is left. */
START_TEST(qemu_floor_kills_a_silent_guest)
{
	const struct vb_backend *be = vb_backend_find("type2");
	struct qfloor q;
	char what[1024];
	double ms = -1, t0;

	qfloor_setup(&q, "exec sleep 60", 300);
	t0 = vb_now_ms();
	ck_assert_int_eq(vb_qemu_floor_boot(be, &q.ctx, "/c/vmlinux", &ms, what, sizeof(what)), -1);
	ck_assert_msg(vb_now_ms() - t0 < 5000, "took %.0f ms", vb_now_ms() - t0);
	ck_assert_msg(strstr(what, ": no line 'vbench-floor-hello' in time (killed); qemu: "),
		      "%s", what);
	no_children();
	ck_assert_int_eq(entries(q.work), 0);
	ut_rmtree(q.dir);
}
END_TEST

Suite *suite_floor(void)
{
	Suite *s = suite_create("floor");
	TCase *tc = tcase_create("floor");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, bare_floor_times_the_line);
	tcase_add_test(tc, bare_floor_kills_a_silent_payload);
	tcase_add_test(tc, bare_floor_kills_a_payload_that_stays);
	tcase_add_test(tc, bare_floor_wants_the_line_and_a_clean_exit);
	tcase_add_test(tc, floor_without_payload_fails);
	tcase_add_test(tc, floor_hello_beside_the_agent);
	tcase_add_test(tc, trivial_initramfs_is_init_alone);
	tcase_add_test(tc, qemu_floor_boots_start_command_line);
	tcase_add_test(tc, qemu_floor_kills_a_silent_guest);
	suite_add_tcase(s, tc);
	return s;
}
