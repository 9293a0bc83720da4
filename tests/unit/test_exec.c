/* SPDX-License-Identifier: MIT */
/* Waits on external commands: bounded by a timeout, cut short by the run's stop flag. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../harness/exec.h"
#include "../../common/clock.h"

/* 1 while pid is a process that has not exited (a zombie has). */
static int alive(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t len;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

/* The children of this process, any state: none may be left after a wait. */
static int children(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int count = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		char path[300], buf[512], *p;
		int ppid = 0;
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
		fclose(f);
		if (p && sscanf(p + 1, " %*c %d", &ppid) == 1 && ppid == getpid())
			count++;
	}
	closedir(d);
	return count;
}

START_TEST(spawn_wait_times_out)
{
	char *argv[] = { "sleep", "30", NULL };
	char err[256] = "";
	double t0 = vb_now_ms();

	ck_assert_int_eq(vb_spawn_wait(argv, NULL, 1, NULL, 0, err, sizeof(err)), -1);
	ck_assert_msg(vb_now_ms() - t0 < 5000, "took %.0f ms", vb_now_ms() - t0);
	ck_assert_msg(strstr(err, "sleep 30: killed after 1 s"), "err: %s", err);
	ck_assert_int_eq(children(), 0);
}
END_TEST

/* What the command started goes too: its process group is killed, not just it. */
START_TEST(spawn_wait_kills_its_group)
{
	char file[] = "/tmp/vbench-test-XXXXXX", err[256];
	char script[128];
	char *argv[] = { "sh", "-c", script, NULL };
	int fd = mkstemp(file), pid = 0;
	FILE *f;

	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(script, sizeof(script), "sleep 30 & echo $! > %s; wait", file);
	ck_assert_int_eq(vb_spawn_wait(argv, NULL, 1, NULL, 0, err, sizeof(err)), -1);
	f = fopen(file, "re");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%d", &pid), 1);
	fclose(f);
	unlink(file);
	/* reparented, it is reaped by whoever adopts it: give that a moment */
	for (int i = 0; i < 100 && alive(pid); i++)
		usleep(10000);
	ck_assert_msg(!alive(pid), "the command's background child %d survived", pid);
}
END_TEST

static volatile sig_atomic_t flag;

static void on_alarm(int sig)
{
	(void)sig;
	flag = 1;
}

/* As Ctrl-C does in a run: a signal handler sets the flag during the wait. */
START_TEST(spawn_wait_stops_on_flag)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval in_300ms = { .it_value = { 0, 300000 } };
	char *argv[] = { "sleep", "30", NULL };
	char err[256] = "";
	double t0;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL); /* no SA_RESTART, as the run's handlers */
	flag = 0;
	vb_exec_stop_on(&flag);
	t0 = vb_now_ms();
	setitimer(ITIMER_REAL, &in_300ms, NULL);
	ck_assert_int_eq(vb_spawn_wait(argv, NULL, 60, NULL, 0, err, sizeof(err)), -1);
	ck_assert_msg(vb_now_ms() - t0 < 5000, "took %.0f ms", vb_now_ms() - t0);
	ck_assert_msg(strstr(err, "sleep 30: interrupted"), "err: %s", err);
	ck_assert_int_eq(children(), 0);
	vb_exec_stop_on(NULL);
}
END_TEST

/* Clean-up steps run after Ctrl-C, when they are needed: the flag does not cut them. */
START_TEST(cleanup_wait_ignores_flag)
{
	char err[256] = "";
	int status = -1;
	pid_t pid;

	flag = 1;
	vb_exec_stop_on(&flag);
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		usleep(200000);
		_exit(7);
	}
	setpgid(pid, pid);
	ck_assert_int_eq(vb_exec_wait(pid, "step", 10, 0, &status, err, sizeof(err)), 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 7);
	vb_exec_stop_on(NULL);
}
END_TEST

START_TEST(spawn_wait_output_and_status)
{
	char *ok[] = { "sh", "-c", "printf 'crun version 1.8.1\\nmore'", NULL };
	char *fails[] = { "sh", "-c", "echo why >&2; exit 3", NULL };
	char out[64], line[64], err[256];

	ck_assert_int_eq(vb_spawn_wait(ok, NULL, 10, out, sizeof(out), err, sizeof(err)), 0);
	ck_assert_str_eq(out, "crun version 1.8.1\nmore");
	ck_assert_int_eq(vb_exec_line(ok, line, sizeof(line), err, sizeof(err)), 0);
	ck_assert_str_eq(line, "crun version 1.8.1");
	/* output beyond the buffer is read and dropped: the command still ends */
	ck_assert_int_eq(vb_spawn_wait(ok, NULL, 10, out, 5, err, sizeof(err)), 0);
	ck_assert_str_eq(out, "crun");
	ck_assert_int_eq(vb_spawn_wait(fails, NULL, 10, NULL, 0, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "sh exited with 3: why");
}
END_TEST

Suite *suite_exec(void)
{
	Suite *s = suite_create("exec");
	TCase *t = tcase_create("waits");

	tcase_add_test(t, spawn_wait_times_out);
	tcase_add_test(t, spawn_wait_kills_its_group);
	tcase_add_test(t, spawn_wait_stops_on_flag);
	tcase_add_test(t, cleanup_wait_ignores_flag);
	tcase_add_test(t, spawn_wait_output_and_status);
	tcase_set_timeout(t, 20);
	suite_add_tcase(s, t);
	return s;
}
