/* SPDX-License-Identifier: MIT */
/*
 * Limits on an instance (harness/life/limits.c) over fake cgroup trees in
 * a private directory, with the files a kernel would have: what apply
 * writes on cgroup v2 and on v1 hierarchies, what lift restores, knobs
 * that cannot be used said to be unavailable while the others apply,
 * memory and OOM kills read back, and refusals: a group that is not the
 * instance's, a symlink in place of a group, a path too long.
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../../harness/life/limits.h"
#include "tfiles.h"

#define RUN "vbench-1-2"
#define PID 4242
#define MIB 1048576LL

static char base[128], disk[32];
static struct vb_lroots roots;
static struct vb_instance in;

/* base/rel, with content when not NULL (a directory when NULL). */
static void make(const char *rel, const char *content)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	if (!content) {
		ck_assert_msg(mkdir(path, 0755) == 0, "mkdir %s", path);
		return;
	}
	f = fopen(path, "w");
	ck_assert_msg(f != NULL, "create %s", path);
	fputs(content, f);
	fclose(f);
}

static void assert_text(const char *rel, const char *want)
{
	char *got = ut_slurp(base, rel);

	ck_assert_msg(strcmp(got, want) == 0, "%s: '%s', not '%s'", rel, got, want);
	free(got);
}

static void path_of(char *path, const char *rel)
{
	snprintf(path, PATH_MAX, "%s/%s", base, rel);
}

static int exists(const char *rel)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	return lstat(path, &st) == 0;
}

static const char *applied_str(const json_t *applied, const char *knob)
{
	const char *s = json_string_value(json_object_get(applied, knob));

	ck_assert_msg(s != NULL, "no '%s' in applied", knob);
	return s;
}

static void assert_unavailable(const json_t *applied, const char *knob, const char *part)
{
	const char *s = applied_str(applied, knob);

	ck_assert_msg(strncmp(s, "unavailable: ", 13) == 0 && strstr(s, part),
		      "%s: '%s' (wanted unavailable: ...%s...)", knob, s, part);
}

/*
 * The scratch file and a fake /sys/dev/block entry for the device it is
 * on, a whole disk: its name in disk.
 */
static void setup(void)
{
	char path[PATH_MAX];
	struct stat st;

	ut_tmpdir(base, sizeof(base), "limits");
	make("scratch", "x");
	snprintf(path, sizeof(path), "%s/scratch", base);
	ck_assert_int_eq(stat(path, &st), 0);
	snprintf(disk, sizeof(disk), "%u:%u", major(st.st_dev), minor(st.st_dev));
	make("sys", NULL);
	snprintf(path, sizeof(path), "sys/%s", disk);
	make(path, NULL);

	memset(&roots, 0, sizeof(roots));
	snprintf(roots.cg[roots.ncg++], PATH_MAX, "%s/v2", base);
	snprintf(roots.sysblock, sizeof(roots.sysblock), "%s/sys", base);
	memset(&in, 0, sizeof(in));
	snprintf(in.name, sizeof(in.name), "c");
	snprintf(in.cgroup, sizeof(in.cgroup), "%s/v2/" RUN "/c", base);
	snprintf(in.scratch, sizeof(in.scratch), "%s/scratch", base);
	in.pid = PID;
}

static void teardown(void)
{
	ut_rmtree(base);
}

/* The run's v2 group with controllers ctrls, and the instance's group in it. */
static void fake_v2(const char *ctrls)
{
	make("v2", NULL);
	make("v2/" RUN, NULL);
	make("v2/" RUN "/cgroup.controllers", ctrls);
	make("v2/" RUN "/cgroup.subtree_control", "\n");
	make("v2/" RUN "/c", NULL);
	make("v2/" RUN "/c/cgroup.procs", "4242\n");
	make("v2/" RUN "/c/cpu.max", "max 100000\n");
	make("v2/" RUN "/c/cpuset.cpus", "\n");
	make("v2/" RUN "/c/memory.max", "max\n");
	make("v2/" RUN "/c/io.max", "");
	make("v2/" RUN "/c/memory.current", "1234567\n");
	make("v2/" RUN "/c/memory.events", "low 0\nhigh 0\nmax 7\noom 2\noom_kill 1\n");
}

static char run_group[PATH_MAX];

static int open_group(struct vb_lgroup *g, char *err, size_t n)
{
	snprintf(run_group, sizeof(run_group), "%s/v2/" RUN, base);
	return vb_lgroup_open(g, &roots, &in, run_group, err, n);
}

static const int pu1[] = { 1 };
static const struct vb_limits all = {
	.cpu_pct = 50, .pus = pu1, .npus = 1, .mem_bytes = 256 * MIB, .io_bps = 4 * MIB,
};

START_TEST(v2_apply_and_lift)
{
	struct vb_lgroup g;
	json_t *applied = json_object();
	char err[512] = "", io[64], lifted[64];

	fake_v2("cpuset cpu io memory pids\n");
	/* a container's runtime put its own limits there: lift puts them back */
	make("v2/" RUN "/c/cpu.max", "200000 100000\n");
	make("v2/" RUN "/c/memory.max", "1073741824\n");
	ck_assert_msg(open_group(&g, err, sizeof(err)) == 0, "%s", err);
	vb_lgroup_apply(&g, &all, applied);
	/* a second apply does not take the first's limits for the group's own */
	vb_lgroup_apply(&g, &all, applied);
	snprintf(io, sizeof(io), "%s rbps=4194304 wbps=4194304", disk);
	ck_assert_str_eq(applied_str(applied, "cpu"), "50000 100000");
	ck_assert_str_eq(applied_str(applied, "cpuset"), "1");
	ck_assert_str_eq(applied_str(applied, "memory"), "268435456");
	ck_assert_str_eq(applied_str(applied, "io"), io);
	assert_text("v2/" RUN "/c/cpu.max", "50000 100000\n");
	assert_text("v2/" RUN "/c/cpuset.cpus", "1\n");
	assert_text("v2/" RUN "/c/memory.max", "268435456\n");
	strcat(io, "\n");
	assert_text("v2/" RUN "/c/io.max", io);

	vb_lgroup_lift(&g);
	ck_assert_str_eq(g.unlifted, "");
	assert_text("v2/" RUN "/c/cpu.max", "200000 100000\n");
	assert_text("v2/" RUN "/c/cpuset.cpus", "\n");
	assert_text("v2/" RUN "/c/memory.max", "1073741824\n");
	snprintf(lifted, sizeof(lifted), "%s rbps=max wbps=max\n", disk);
	assert_text("v2/" RUN "/c/io.max", lifted);
	vb_lgroup_close(&g);
	/* on v2 the group is the backend's: close leaves it */
	ck_assert(exists("v2/" RUN "/c"));
	json_decref(applied);
}
END_TEST

/* Knobs not asked for are left alone, and not in applied. */
START_TEST(v2_only_asked_knobs)
{
	struct vb_lgroup g;
	json_t *applied = json_object();
	const struct vb_limits mem = { .mem_bytes = 64 * MIB };
	char err[512] = "";

	fake_v2("cpuset cpu io memory\n");
	ck_assert_msg(open_group(&g, err, sizeof(err)) == 0, "%s", err);
	vb_lgroup_apply(&g, &mem, applied);
	ck_assert_uint_eq(json_object_size(applied), 1);
	assert_text("v2/" RUN "/c/cpu.max", "max 100000\n");
	assert_text("v2/" RUN "/c/memory.max", "67108864\n");
	vb_lgroup_close(&g);
	json_decref(applied);
}
END_TEST

/*
 * A controller the run's group does not get, and a file that cannot be
 * written: those knobs are unavailable, with why; the others apply.
 */
START_TEST(v2_unavailable_knobs_others_apply)
{
	struct vb_lgroup g;
	json_t *applied = json_object();
	char err[512] = "", path[PATH_MAX];

	fake_v2("cpu memory pids\n");
	path_of(path, "v2/" RUN "/c/cpu.max");
	ck_assert_int_eq(unlink(path), 0);
	make("v2/" RUN "/c/cpu.max", NULL); /* a directory: writing it fails */
	ck_assert_msg(open_group(&g, err, sizeof(err)) == 0, "%s", err);
	vb_lgroup_apply(&g, &all, applied);
	assert_unavailable(applied, "cpu", "cpu.max");
	assert_unavailable(applied, "cpuset", "cpuset controller is not enabled");
	assert_unavailable(applied, "io", "io controller is not enabled");
	ck_assert_str_eq(applied_str(applied, "memory"), "268435456");
	assert_text("v2/" RUN "/c/memory.max", "268435456\n");
	/* a lift only undoes what was applied */
	vb_lgroup_lift(&g);
	ck_assert_str_eq(g.unlifted, "");
	assert_text("v2/" RUN "/c/memory.max", "max\n");
	vb_lgroup_close(&g);
	json_decref(applied);
}
END_TEST

START_TEST(v2_memory_and_oom_read_back)
{
	struct vb_lgroup g;
	char err[512] = "", why[512] = "";

	fake_v2("cpu memory\n");
	ck_assert_msg(open_group(&g, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(vb_lgroup_memory(&g, why, sizeof(why)), 1234567);
	ck_assert_int_eq(vb_lgroup_oom_kills(&g, why, sizeof(why)), 1);
	make("v2/" RUN "/c/memory.events", "low 0\noom 0\n");
	ck_assert_int_eq(vb_lgroup_oom_kills(&g, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "no oom_kill"), "why: %s", why);
	vb_lgroup_close(&g);

	/* without the memory controller there is nothing to read */
	make("v2/" RUN "/cgroup.controllers", "cpu\n");
	ck_assert_msg(open_group(&g, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(vb_lgroup_memory(&g, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "memory controller"), "why: %s", why);
	vb_lgroup_close(&g);
}
END_TEST

/* A partition's I/O limit goes on its disk; a file on no block device has none. */
START_TEST(io_on_the_whole_disk)
{
	struct vb_lgroup g;
	json_t *applied = json_object();
	char err[512] = "", link[PATH_MAX], dev[PATH_MAX];

	fake_v2("io\n");
	make("devices", NULL);
	make("devices/vda", NULL);
	make("devices/vda/dev", "8:0\n");
	make("devices/vda/vda1", NULL);
	make("devices/vda/vda1/partition", "1\n");
	snprintf(dev, sizeof(dev), "%s/sys/%s", base, disk);
	ck_assert_int_eq(rmdir(dev), 0);
	snprintf(link, sizeof(link), "../devices/vda/vda1");
	ck_assert_int_eq(symlink(link, dev), 0);
	ck_assert_msg(open_group(&g, err, sizeof(err)) == 0, "%s", err);
	vb_lgroup_apply(&g, &(struct vb_limits){ .io_bps = MIB }, applied);
	ck_assert_str_eq(applied_str(applied, "io"), "8:0 rbps=1048576 wbps=1048576");
	vb_lgroup_close(&g);

	ck_assert_int_eq(unlink(dev), 0);
	ck_assert_msg(open_group(&g, err, sizeof(err)) == 0, "%s", err);
	vb_lgroup_apply(&g, &(struct vb_limits){ .io_bps = MIB }, applied);
	assert_unavailable(applied, "io", "not a block device");
	vb_lgroup_close(&g);
	json_decref(applied);
}
END_TEST

/* A v1 hierarchy at base/name whose root has file (its knob). */
static void fake_v1_root(const char *name, const char *file, const char *value)
{
	char rel[256];

	make(name, NULL);
	snprintf(rel, sizeof(rel), "%s/%s", name, file);
	make(rel, value);
	snprintf(roots.cg[roots.ncg++], PATH_MAX, "%s/%s", base, name);
}

/* What a container runtime makes: the instance's group, its process in it. */
static void fake_v1_group(const char *name, const char *const *files)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "%s/" RUN, name);
	make(rel, NULL);
	snprintf(rel, sizeof(rel), "%s/" RUN "/c", name);
	make(rel, NULL);
	snprintf(rel, sizeof(rel), "%s/" RUN "/c/cgroup.procs", name);
	make(rel, "4242\n");
	for (size_t i = 0; files[i]; i += 2) {
		snprintf(rel, sizeof(rel), "%s/" RUN "/%s", name, files[i]);
		make(rel, files[i + 1]);
	}
}

/* A hybrid host: the v2 group for grouping, v1 cpu, cpuset, memory, blkio and devices. */
static void fake_hybrid(void)
{
	static const char *const cpu[] = { "c/cpu.cfs_period_us", "100000\n",
					   "c/cpu.cfs_quota_us", "-1\n", NULL };
	static const char *const cpuset[] = { "cpuset.cpus", "0-3\n", "cpuset.mems", "0\n",
					      "c/cpuset.cpus", "0-3\n", "c/cpuset.mems", "0\n",
					      NULL };
	static const char *const memory[] = { "c/memory.limit_in_bytes", "9223372036854771712\n",
					      "c/memory.usage_in_bytes", "777\n",
					      "c/memory.oom_control",
					      "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n", NULL };
	static const char *const blkio[] = { "c/blkio.throttle.read_bps_device", "",
					     "c/blkio.throttle.write_bps_device", "", NULL };

	fake_v2("hugetlb\n");
	fake_v1_root("cpu", "cpu.cfs_quota_us", "-1\n");
	fake_v1_root("cpuset", "cpuset.cpus", "0-3\n");
	make("cpuset/cpuset.mems", "0\n");
	fake_v1_root("memory", "memory.limit_in_bytes", "9223372036854771712\n");
	fake_v1_root("blkio", "blkio.throttle.read_bps_device", "");
	fake_v1_root("devices", "devices.list", "a *:* rwm\n");
	fake_v1_group("cpu", cpu);
	fake_v1_group("cpuset", cpuset);
	fake_v1_group("memory", memory);
	fake_v1_group("blkio", blkio);
}

START_TEST(v1_apply_and_lift)
{
	struct vb_lgroup g;
	json_t *applied = json_object();
	char err[512] = "", why[512] = "", rule[64];

	fake_hybrid();
	ck_assert_msg(open_group(&g, err, sizeof(err)) == 0, "%s", err);
	make("cpuset/" RUN "/c/cpuset.mems", "\n");
	make("cpu/" RUN "/c/cpu.cfs_quota_us", "200000\n");
	make("memory/" RUN "/c/memory.limit_in_bytes", "1073741824\n");
	vb_lgroup_apply(&g, &all, applied);
	ck_assert_str_eq(applied_str(applied, "cpu"), "50000 100000");
	ck_assert_str_eq(applied_str(applied, "cpuset"), "1");
	ck_assert_str_eq(applied_str(applied, "memory"), "268435456");
	snprintf(rule, sizeof(rule), "%s rbps=4194304 wbps=4194304", disk);
	ck_assert_str_eq(applied_str(applied, "io"), rule);
	assert_text("cpu/" RUN "/c/cpu.cfs_period_us", "100000\n");
	assert_text("cpu/" RUN "/c/cpu.cfs_quota_us", "50000\n");
	assert_text("cpuset/" RUN "/c/cpuset.cpus", "1\n");
	assert_text("cpuset/" RUN "/c/cpuset.mems", "0\n");
	assert_text("memory/" RUN "/c/memory.limit_in_bytes", "268435456\n");
	snprintf(rule, sizeof(rule), "%s 4194304\n", disk);
	assert_text("blkio/" RUN "/c/blkio.throttle.read_bps_device", rule);
	assert_text("blkio/" RUN "/c/blkio.throttle.write_bps_device", rule);
	/* the instance's processes (the v2 group's) were moved into each group */
	assert_text("cpu/" RUN "/c/cgroup.procs", "4242\n");
	ck_assert_int_eq(vb_lgroup_memory(&g, why, sizeof(why)), 777);
	ck_assert_int_eq(vb_lgroup_oom_kills(&g, why, sizeof(why)), 2);

	vb_lgroup_lift(&g);
	ck_assert_str_eq(g.unlifted, "");
	assert_text("cpu/" RUN "/c/cpu.cfs_quota_us", "200000\n");
	assert_text("cpuset/" RUN "/c/cpuset.cpus", "0-3\n");
	assert_text("memory/" RUN "/c/memory.limit_in_bytes", "1073741824\n");
	snprintf(rule, sizeof(rule), "%s 0\n", disk);
	assert_text("blkio/" RUN "/c/blkio.throttle.read_bps_device", rule);
	assert_text("blkio/" RUN "/c/blkio.throttle.write_bps_device", rule);
	vb_lgroup_close(&g);
	/* the runtime's groups, not made here, stay */
	ck_assert(exists("cpu/" RUN "/c"));
	json_decref(applied);
}
END_TEST

/*
 * A bare instance on a hybrid host: its groups are made in each
 * hierarchy (here with none of the kernel's files, so moving into them
 * fails and says so), and close removes them and the run's.
 */
START_TEST(v1_makes_groups_and_removes_them)
{
	struct vb_lgroup g;
	json_t *applied = json_object();
	char err[512] = "";

	fake_v2("\n");
	fake_v1_root("cpu", "cpu.cfs_quota_us", "-1\n");
	fake_v1_root("memory", "memory.limit_in_bytes", "-1\n");
	ck_assert_msg(open_group(&g, err, sizeof(err)) == 0, "%s", err);
	ck_assert(exists("cpu/" RUN "/c"));
	ck_assert(exists("memory/" RUN "/c"));
	vb_lgroup_apply(&g, &all, applied);
	assert_unavailable(applied, "cpu", "cpu/" RUN "/c/cgroup.procs");
	assert_unavailable(applied, "memory", "memory/" RUN "/c/cgroup.procs");
	assert_unavailable(applied, "cpuset", "no cgroup v1 hierarchy has cpuset.cpus");
	assert_unavailable(applied, "io", "no cgroup v1 hierarchy has blkio");
	vb_lgroup_close(&g);
	ck_assert(!exists("cpu/" RUN));
	ck_assert(!exists("memory/" RUN));
	vb_lgroup_close(&g); /* idempotent */
	json_decref(applied);
}
END_TEST

/* A v1 group of that name that does not hold the instance is not used, nor removed. */
START_TEST(v1_refuses_a_group_not_the_instances)
{
	struct vb_lgroup g;
	json_t *applied = json_object();
	char err[512] = "";

	fake_hybrid();
	make("memory/" RUN "/c/cgroup.procs", "999\n");
	ck_assert_msg(open_group(&g, err, sizeof(err)) == 0, "%s", err);
	vb_lgroup_apply(&g, &all, applied);
	assert_unavailable(applied, "memory", "does not hold the instance");
	ck_assert_str_eq(applied_str(applied, "cpu"), "50000 100000");
	assert_text("memory/" RUN "/c/memory.limit_in_bytes", "9223372036854771712\n");
	vb_lgroup_close(&g);
	ck_assert(exists("memory/" RUN "/c"));
	json_decref(applied);
}
END_TEST

/* A symlink where a group should be is not followed: nothing is written through it. */
START_TEST(symlinked_group_not_followed)
{
	struct vb_lgroup g;
	json_t *applied = json_object();
	char err[512] = "", target[PATH_MAX], link[PATH_MAX];

	fake_hybrid();
	make("elsewhere", NULL);
	make("elsewhere/c", NULL);
	make("elsewhere/c/cgroup.procs", "4242\n");
	make("elsewhere/c/memory.limit_in_bytes", "-1\n");
	path_of(link, "memory/" RUN);
	ut_rmtree(link);
	path_of(target, "elsewhere");
	ck_assert_int_eq(symlink(target, link), 0);
	ck_assert_msg(open_group(&g, err, sizeof(err)) == 0, "%s", err);
	vb_lgroup_apply(&g, &all, applied);
	assert_unavailable(applied, "memory", "memory/" RUN);
	assert_text("elsewhere/c/memory.limit_in_bytes", "-1\n");
	ck_assert_str_eq(applied_str(applied, "cpu"), "50000 100000");
	vb_lgroup_close(&g);
	ck_assert(exists("elsewhere/c"));

	/* on v2, the run's group itself */
	path_of(link, "v2/" RUN);
	path_of(target, "v2/moved");
	ck_assert_int_eq(rename(link, target), 0);
	ck_assert_int_eq(symlink(target, link), 0);
	roots.ncg = 1;
	ck_assert_int_eq(open_group(&g, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, RUN), "err: %s", err);
	vb_lgroup_close(&g);
	json_decref(applied);
}
END_TEST

/* The instance's cgroup must be the run's group's child of its name. */
START_TEST(refuses_a_cgroup_not_the_runs)
{
	struct vb_lgroup g;
	char err[512] = "";

	fake_v2("cpu\n");
	snprintf(in.cgroup, sizeof(in.cgroup), "%s/v2/other/c", base);
	ck_assert_int_eq(open_group(&g, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "not the run's to limit"), "err: %s", err);
	vb_lgroup_close(&g);

	snprintf(in.cgroup, sizeof(in.cgroup), "%s/v2/" RUN "/c", base);
	ck_assert_int_eq(vb_lgroup_open(&g, &roots, &in, "/sys/fs/cgroup/" RUN, err, sizeof(err)),
			 -1);
	ck_assert_msg(strstr(err, "not a group under"), "err: %s", err);
	vb_lgroup_close(&g);
}
END_TEST

START_TEST(too_long_path_fails_cleanly)
{
	struct vb_lgroup g;
	static char long_group[PATH_MAX + 64];
	char err[512] = "";
	size_t len;

	fake_v2("cpu\n");
	len = (size_t)snprintf(long_group, sizeof(long_group), "%s/v2/", base);
	memset(long_group + len, 'a', sizeof(long_group) - len - 1);
	long_group[sizeof(long_group) - 1] = '\0';
	ck_assert_int_eq(vb_lgroup_open(&g, &roots, &in, long_group, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "too long"), "err: %s", err);
	vb_lgroup_close(&g);
}
END_TEST

Suite *suite_limits(void)
{
	Suite *s = suite_create("limits");
	TCase *t = tcase_create("limits");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, v2_apply_and_lift);
	tcase_add_test(t, v2_only_asked_knobs);
	tcase_add_test(t, v2_unavailable_knobs_others_apply);
	tcase_add_test(t, v2_memory_and_oom_read_back);
	tcase_add_test(t, io_on_the_whole_disk);
	tcase_add_test(t, v1_apply_and_lift);
	tcase_add_test(t, v1_makes_groups_and_removes_them);
	tcase_add_test(t, v1_refuses_a_group_not_the_instances);
	tcase_add_test(t, symlinked_group_not_followed);
	tcase_add_test(t, refuses_a_cgroup_not_the_runs);
	tcase_add_test(t, too_long_path_fails_cleanly);
	suite_add_tcase(s, t);
	return s;
}
