/* SPDX-License-Identifier: MIT */
/*
 * Debris of dead runs: owners told apart from live runs and reused pids,
 * the sweep removing a dead run's work directory and cgroups and nothing
 * else, and cgroup creation refusing a group that exists.
 */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../harness/cgroup.h"
#include "../../harness/debris.h"
#include "../../harness/paths.h"

static char base[64];

static void setup(void)
{
	snprintf(base, sizeof(base), "/tmp/vbench-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
}

static void teardown(void)
{
	vb_rmtree(base);
}

/* The owner record of a process that has exited and been reaped. */
static void dead_owner(struct vb_owner *o)
{
	char err[256];
	pid_t pid = fork();

	if (pid == 0) {
		pause();
		_exit(0);
	}
	ck_assert_int_eq(vb_owner_of(pid, o, err, sizeof(err)), 0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void self_owner(struct vb_owner *o)
{
	char err[256];

	ck_assert_msg(vb_owner_of(getpid(), o, err, sizeof(err)) == 0, "%s", err);
}

static int exists(const char *dir, const char *name)
{
	char path[2 * PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return lstat(path, &st) == 0;
}

START_TEST(cgroup_create_refuses_existing)
{
	char path[PATH_MAX], err[256] = "", taken[PATH_MAX];

	snprintf(taken, sizeof(taken), "%s/vbench-1-2", base);
	ck_assert_int_eq(mkdir(taken, 0755), 0);
	ck_assert_int_eq(vb_cgroup_create(base, "vbench-1-2", path, sizeof(path), err,
					  sizeof(err)), -1);
	ck_assert_msg(strstr(err, "exists already"), "err: %s", err);
	ck_assert_str_eq(path, "");
	ck_assert_int_eq(vb_cgroup_create(base, "vbench-1-3", path, sizeof(path), err,
					  sizeof(err)), 0);
}
END_TEST

START_TEST(owner_state_tells_dead_alive_reused)
{
	struct vb_owner self, o;

	self_owner(&self);
	ck_assert_int_eq(vb_owner_state(&self), VB_OWNER_ALIVE);
	dead_owner(&o);
	ck_assert_int_eq(vb_owner_state(&o), VB_OWNER_DEAD);
	o = self;
	o.start++; /* this pid, but another process's start: the owner is gone */
	ck_assert_int_eq(vb_owner_state(&o), VB_OWNER_REUSED);
	o = self;
	o.boot[0] = o.boot[0] == '0' ? '1' : '0';
	ck_assert_int_eq(vb_owner_state(&o), VB_OWNER_REBOOTED);
	o = self;
	o.pidns++;
	ck_assert_int_eq(vb_owner_state(&o), VB_OWNER_FOREIGN);
}
END_TEST

START_TEST(owner_record_round_trip)
{
	struct vb_owner self, back;
	char err[256], link[PATH_MAX], dir[PATH_MAX], victim[PATH_MAX];
	json_t *j;

	self_owner(&self);
	j = vb_owner_json(&self);
	ck_assert_int_eq(vb_owner_from_json(j, &back), 0);
	ck_assert_mem_eq(&back, &self, sizeof(self));
	json_decref(j);
	j = json_pack("{s:i, s:i, s:s, s:i}", "pid", -4, "start", 1, "boot", "x", "pidns", 1);
	ck_assert_int_eq(vb_owner_from_json(j, &back), -1);
	json_decref(j);
	/* written once, and never through a planted symlink */
	ck_assert_int_eq(vb_owner_write(base, &self, err, sizeof(err)), 0);
	ck_assert_int_eq(vb_owner_write(base, &self, err, sizeof(err)), -1);
	snprintf(dir, sizeof(dir), "%s/d", base);
	snprintf(link, sizeof(link), "%s/d/" VB_OWNER_FILE, base);
	snprintf(victim, sizeof(victim), "%s/victim", base);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	ck_assert_int_eq(symlink(victim, link), 0);
	ck_assert_int_eq(vb_owner_write(dir, &self, err, sizeof(err)), -1);
	ck_assert(!exists(base, "victim"));
}
END_TEST

/* A work directory like a run's: the owner record and something in it. */
static void workdir(const char *name, const struct vb_owner *o)
{
	char dir[256], f[300], err[256];
	int fd;

	snprintf(dir, sizeof(dir), "%s/w/%s", base, name);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	if (o)
		ck_assert_int_eq(vb_owner_write(dir, o, err, sizeof(err)), 0);
	snprintf(f, sizeof(f), "%s/bare.img", dir);
	fd = open(f, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(f, sizeof(f), "%s/type2.XXXXXX", dir);
	ck_assert_int_eq(mkdir(f, 0700), 0);
}

static void cgroup(const struct vb_owner *o, int start_delta, int legacy)
{
	char dir[256], name[64];

	if (legacy)
		snprintf(name, sizeof(name), "vbench-%d", o->pid);
	else
		snprintf(name, sizeof(name), "vbench-%d-%llu", o->pid, o->start + start_delta);
	snprintf(dir, sizeof(dir), "%s/cg/%s", base, name);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(dir, sizeof(dir), "%s/cg/%s/bare", base, name);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
}

START_TEST(sweep_removes_dead_runs_debris_only)
{
	struct vb_owner dead, self, reused;
	struct vb_sweep sw = { 0 };
	char w[128], target[128], link[256], cgname[64], *text = NULL;
	size_t len = 0, swept;
	FILE *report = open_memstream(&text, &len);

	dead_owner(&dead);
	self_owner(&self);
	reused = self;
	reused.start++;
	snprintf(w, sizeof(w), "%s/w", base);
	ck_assert_int_eq(mkdir(w, 0755), 0);
	snprintf(sw.cgroup_roots[0], PATH_MAX, "%s/cg", base);
	ck_assert_int_eq(mkdir(sw.cgroup_roots[0], 0755), 0);
	sw.ncg = 1;
	sw.workdir_base = w;

	workdir("vbench-dead01", &dead);
	workdir("vbench-reuse1", &reused);
	workdir("vbench-live01", &self);
	workdir("vbench-noown1", NULL);
	workdir("vbench-notmkdtemp", &dead);   /* not a name vbench makes */
	/* a symlink in a work directory's place: neither it nor what it names is touched */
	snprintf(target, sizeof(target), "%s/target", base);
	ck_assert_int_eq(mkdir(target, 0700), 0);
	ck_assert_int_eq(vb_owner_write(target, &dead, cgname, sizeof(cgname)), 0);
	snprintf(link, sizeof(link), "%s/vbench-link01", w);
	ck_assert_int_eq(symlink(target, link), 0);
	if (geteuid() == 0) { /* someone else's directory is not ours to remove */
		char other[256];

		workdir("vbench-other1", &dead);
		snprintf(other, sizeof(other), "%s/vbench-other1", w);
		ck_assert_int_eq(chown(other, 65534, 65534), 0);
	}
	cgroup(&dead, 0, 0);
	cgroup(&self, 1, 0);
	cgroup(&self, 0, 0);
	cgroup(&dead, 0, 1);

	swept = vb_debris_sweep(&sw, report);
	fclose(report);
	ck_assert_msg(swept == 4, "swept %zu:\n%s", swept, text);
	ck_assert(!exists(w, "vbench-dead01"));
	ck_assert(!exists(w, "vbench-reuse1"));
	ck_assert(exists(w, "vbench-live01"));
	ck_assert(exists(w, "vbench-noown1"));
	ck_assert(exists(w, "vbench-notmkdtemp"));
	ck_assert(exists(w, "vbench-link01"));
	ck_assert(exists(target, VB_OWNER_FILE));
	if (geteuid() == 0)
		ck_assert(exists(w, "vbench-other1"));
	vb_owner_cgroup_name(&dead, cgname, sizeof(cgname));
	ck_assert(!exists(sw.cgroup_roots[0], cgname));
	vb_owner_cgroup_name(&reused, cgname, sizeof(cgname));
	ck_assert(!exists(sw.cgroup_roots[0], cgname));
	vb_owner_cgroup_name(&self, cgname, sizeof(cgname));
	ck_assert(exists(sw.cgroup_roots[0], cgname));
	snprintf(cgname, sizeof(cgname), "vbench-%d", dead.pid);
	ck_assert(exists(sw.cgroup_roots[0], cgname));
	/* one line per item removed, naming the run; what has no owner record is said */
	snprintf(cgname, sizeof(cgname), "swept debris of run %d (dead): ", dead.pid);
	ck_assert_msg(strstr(text, cgname), "%s", text);
	ck_assert_msg(strstr(text, "vbench-dead01\n"), "%s", text);
	ck_assert_msg(strstr(text, "(dead, its pid reused)"), "%s", text);
	ck_assert_msg(strstr(text, "vbench-noown1: no owner record"), "%s", text);
	snprintf(cgname, sizeof(cgname), "vbench-%d: no owner record", dead.pid);
	ck_assert_msg(strstr(text, cgname), "%s", text);
	ck_assert_msg(!strstr(text, "live01") && !strstr(text, "link01"), "%s", text);
	free(text);
}
END_TEST

Suite *suite_debris(void)
{
	Suite *s = suite_create("debris");
	TCase *t = tcase_create("sweep");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, cgroup_create_refuses_existing);
	tcase_add_test(t, owner_state_tells_dead_alive_reused);
	tcase_add_test(t, owner_record_round_trip);
	tcase_add_test(t, sweep_removes_dead_runs_debris_only);
	suite_add_tcase(s, t);
	return s;
}
