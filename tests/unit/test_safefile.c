/* SPDX-License-Identifier: MIT */
/*
 * Files written as root (common/safefile.h): run -o, report -o DIR and
 * compare's outputs never write through a planted symlink, never replace
 * a symlink, FIFO or device node, use temporaries nobody can guess, leave
 * nothing behind, and flush the directory after the rename. The image
 * cache's side is in test_image.c.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../common/results.h"
#include "../../common/safefile.h"
#include "../../reports/compare.h"
#include "../../reports/report.h"
#include "tfiles.h"

#define DATA "tests/data/run-v1.json"
#define VICTIM "precious: not vbench's to write\n"

static char tmpdir[64];

/* tmpdir/name (name may be "a/b"), in buf. */
static const char *at(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", tmpdir, name);
	return buf;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* The first 4 KiB of path, "" when it cannot be read. */
static const char *get(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t len = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[len] = '\0';
	return buf;
}

static mode_t kind_of(const char *path)
{
	struct stat st;

	ck_assert_int_eq(lstat(path, &st), 0);
	return st.st_mode & S_IFMT;
}

/* Entries in dir other than . and .., names starting with prefix ("" for all). */
static int entries(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int count = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    !strncmp(e->d_name, prefix, strlen(prefix)))
			count++;
	closedir(d);
	return count;
}

/* victim with known content, and name in tmpdir a symlink to it. */
static void plant(const char *name, const char *victim)
{
	char path[256];

	ck_assert_int_eq(symlink(victim, at(path, sizeof(path), name)), 0);
}

static json_t *small_doc(void)
{
	return json_pack("{s:s, s:i}", "schema", VB_RESULTS_SCHEMA, "version", VB_RESULTS_VERSION);
}

/* A symlink at X.tmp, where run -o X once wrote (O_TRUNC, following it). */
START_TEST(results_write_ignores_planted_tmp_symlink)
{
	char victim[256], out[256], link[256], err[512];
	json_t *doc = small_doc();

	ut_tmpdir(tmpdir, sizeof(tmpdir), "safefile");
	put(at(victim, sizeof(victim), "victim"), VICTIM);
	plant("r.json.tmp", victim);
	ck_assert_msg(!vb_results_write(doc, at(out, sizeof(out), "r.json"), err, sizeof(err)),
		      "%s", err);
	ck_assert_str_eq(get(victim), VICTIM);
	ck_assert_uint_eq(kind_of(out), S_IFREG);
	ck_assert_ptr_nonnull(strstr(get(out), VB_RESULTS_SCHEMA));
	ck_assert_uint_eq(kind_of(at(link, sizeof(link), "r.json.tmp")), S_IFLNK);
	json_decref(doc);
	ut_rmtree(tmpdir);
}
END_TEST

/* -o naming a symlink: refused, the link and what it points to untouched. */
START_TEST(results_write_refuses_symlink_target)
{
	char victim[256], out[256], err[512];
	json_t *doc = small_doc();

	ut_tmpdir(tmpdir, sizeof(tmpdir), "safefile");
	put(at(victim, sizeof(victim), "victim"), VICTIM);
	plant("r.json", victim);
	ck_assert_int_eq(vb_results_write(doc, at(out, sizeof(out), "r.json"), err, sizeof(err)),
			 -1);
	ck_assert_msg(strstr(err, "refusing to replace") && strstr(err, "symbolic link") &&
		      strstr(err, out), "%s", err);
	ck_assert_uint_eq(kind_of(out), S_IFLNK);
	ck_assert_str_eq(get(victim), VICTIM);
	ck_assert_int_eq(entries(tmpdir, ""), 2); /* no temporary left */
	json_decref(doc);
	ut_rmtree(tmpdir);
}
END_TEST

START_TEST(results_write_refuses_fifo_target)
{
	char out[256], err[512];
	json_t *doc = small_doc();

	ut_tmpdir(tmpdir, sizeof(tmpdir), "safefile");
	ck_assert_int_eq(mkfifo(at(out, sizeof(out), "r.json"), 0600), 0);
	ck_assert_int_eq(vb_results_write(doc, out, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "refusing to replace") && strstr(err, "FIFO"), "%s", err);
	ck_assert_uint_eq(kind_of(out), S_IFIFO);
	ck_assert_int_eq(entries(tmpdir, ""), 1);
	json_decref(doc);
	ut_rmtree(tmpdir);
}
END_TEST

/* A device node made in a private directory (never /dev/null itself). */
START_TEST(results_write_refuses_device_target)
{
	char out[256], err[512];
	json_t *doc = small_doc();

	ut_tmpdir(tmpdir, sizeof(tmpdir), "safefile");
	if (mknod(at(out, sizeof(out), "r.json"), S_IFCHR | 0600, makedev(1, 3))) {
		fprintf(stderr, "SKIP results_write_refuses_device_target: mknod: %s\n",
			strerror(errno));
		json_decref(doc);
		ut_rmtree(tmpdir);
		return;
	}
	ck_assert_int_eq(vb_results_write(doc, out, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "refusing to replace") && strstr(err, "device node"), "%s",
		      err);
	ck_assert_uint_eq(kind_of(out), S_IFCHR);
	ck_assert_int_eq(entries(tmpdir, ""), 1);
	json_decref(doc);
	ut_rmtree(tmpdir);
}
END_TEST

/* Two replacements of one file at once: two names, neither X.tmp nor X.tmp.<pid>. */
START_TEST(temp_names_are_unpredictable)
{
	struct vb_safe_file a, b;
	char out[256], guess[300], err[512];

	ut_tmpdir(tmpdir, sizeof(tmpdir), "safefile");
	at(out, sizeof(out), "r.json");
	ck_assert_ptr_nonnull(vb_safe_open(&a, out, 0644, err, sizeof(err)));
	ck_assert_ptr_nonnull(vb_safe_open(&b, out, 0644, err, sizeof(err)));
	ck_assert_str_ne(a.tmp, b.tmp);
	snprintf(guess, sizeof(guess), "%s.tmp.%d", out, (int)getpid());
	ck_assert_str_ne(a.tmp, guess);
	snprintf(guess, sizeof(guess), "%s.tmp", out);
	ck_assert_str_ne(a.tmp, guess);
	vb_safe_abort(&a);
	vb_safe_abort(&b);
	ck_assert_int_eq(entries(tmpdir, ""), 0);
	ut_rmtree(tmpdir);
}
END_TEST

/* A replacement that failed to write leaves the old file as it was, and no temporary. */
START_TEST(failed_replacement_keeps_old_file)
{
	struct vb_safe_file s;
	char out[256], err[512];
	FILE *f;

	ut_tmpdir(tmpdir, sizeof(tmpdir), "safefile");
	put(at(out, sizeof(out), "r.json"), "old\n");
	f = vb_safe_open(&s, out, 0644, err, sizeof(err));
	ck_assert_ptr_nonnull(f);
	fputs("new, half written", f);
	ck_assert_int_eq(vb_safe_commit(&s, 1, err, sizeof(err)), -1);
	ck_assert_str_eq(get(out), "old\n");
	ck_assert_int_eq(entries(tmpdir, ""), 1);
	ut_rmtree(tmpdir);
}
END_TEST

/* Whether fd number fd of process pid is open on a directory. */
static int fd_is_dir(pid_t pid, unsigned long long fd)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/fd/%llu", (int)pid, fd);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * The rename is made durable: a child writes a result file under ptrace,
 * and the system calls it makes must include an fsync of a directory
 * after the rename.
 */
START_TEST(dir_fsync_after_rename)
{
	struct __ptrace_syscall_info info;
	int status, sig = 0, renamed = 0, synced = 0;
	json_t *doc = small_doc();
	char out[256];
	pid_t pid;

	ut_tmpdir(tmpdir, sizeof(tmpdir), "safefile");
	at(out, sizeof(out), "r.json");
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char err[512];

		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
			_exit(77);
		raise(SIGSTOP);
		_exit(vb_results_write(doc, out, err, sizeof(err)) ? 1 : 0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
		fprintf(stderr, "SKIP dir_fsync_after_rename: ptrace is not allowed here\n");
		json_decref(doc);
		ut_rmtree(tmpdir);
		return;
	}
	ck_assert(WIFSTOPPED(status));
	ck_assert_int_eq(ptrace(PTRACE_SETOPTIONS, pid, NULL,
				PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL), 0);
	for (;;) {
		ck_assert_int_eq(ptrace(PTRACE_SYSCALL, pid, NULL, sig), 0);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		if (!WIFSTOPPED(status))
			break;
		/* a signal other than the syscall stop is the child's: pass it on */
		sig = WSTOPSIG(status) == (SIGTRAP | 0x80) ? 0 : WSTOPSIG(status);
		if (sig || ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info), &info) <= 0 ||
		    info.op != PTRACE_SYSCALL_INFO_ENTRY)
			continue;
		if (info.entry.nr == SYS_rename || info.entry.nr == SYS_renameat ||
		    info.entry.nr == SYS_renameat2)
			renamed = 1;
		else if (info.entry.nr == SYS_fsync && renamed &&
			 fd_is_dir(pid, info.entry.args[0]))
			synced = 1;
	}
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert(renamed);
	ck_assert_msg(synced, "no fsync of the directory after the rename");
	json_decref(doc);
	ut_rmtree(tmpdir);
}
END_TEST

/* The report of DATA into tmpdir/dir: rp_report_write's result, err filled. */
static int report_into(const char *dir, char *err, size_t n)
{
	struct rp_run r;
	char path[256];
	int rc;

	ck_assert(!rp_run_load(&r, DATA, 0, err, n));
	rc = rp_report_write(&r, 1, at(path, sizeof(path), dir), err, n);
	rp_run_free(&r);
	return rc;
}

/*
 * Symlinks planted in an existing DIR, at report.md and index.html, or at
 * a chart's files (which gnuplot writes by name): nothing is written
 * through them; the report is refused and names the link.
 */
START_TEST(report_dir_planted_symlink_untouched)
{
	static const char *const chart[] = { "overhead-cpu.dat", "overhead-cpu.gp",
					     "overhead-cpu.png", "overhead-cpu.svg" };
	char victim[256], path[256], err[1024];

	if (!ut_have_gnuplot("report_dir_planted_symlink_untouched"))
		return;
	ut_tmpdir(tmpdir, sizeof(tmpdir), "safefile");
	put(at(victim, sizeof(victim), "victim"), VICTIM);
	ck_assert_int_eq(mkdir(at(path, sizeof(path), "doc"), 0755), 0);
	plant("doc/report.md", victim);
	plant("doc/index.html", victim);
	ck_assert_int_eq(report_into("doc", err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "symbolic link") && strstr(err, "doc/report.md"), "%s", err);
	ck_assert_str_eq(get(victim), VICTIM);
	ck_assert_int_eq(entries(at(path, sizeof(path), "doc"), ""), 2);

	ck_assert_int_eq(mkdir(at(path, sizeof(path), "charts"), 0755), 0);
	for (size_t i = 0; i < sizeof(chart) / sizeof(chart[0]); i++) {
		snprintf(path, sizeof(path), "charts/%s", chart[i]);
		plant(path, victim);
	}
	ck_assert_int_eq(report_into("charts", err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "symbolic link") && strstr(err, "charts/overhead-cpu."), "%s", err);
	ck_assert_str_eq(get(victim), VICTIM);
	/* the planted links, nothing else: no temporary, no private dir, no report */
	ck_assert_int_eq(entries(at(path, sizeof(path), "charts"), ""), 4);
	ut_rmtree(tmpdir);
}
END_TEST

/* DIR itself a symlink, or someone else's directory: refused, nothing written. */
START_TEST(report_dir_symlink_or_foreign_refused)
{
	char target[256], path[256], err[1024];

	ut_tmpdir(tmpdir, sizeof(tmpdir), "safefile");
	ck_assert_int_eq(mkdir(at(target, sizeof(target), "elsewhere"), 0755), 0);
	plant("out", target);
	ck_assert_int_eq(report_into("out", err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "symbolic link"), "%s", err);
	ck_assert_int_eq(report_into("out/", err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "symbolic link"), "%s", err);
	ck_assert_int_eq(entries(target, ""), 0);
	if (geteuid() == 0) {
		ck_assert_int_eq(mkdir(at(path, sizeof(path), "theirs"), 0755), 0);
		ck_assert_int_eq(chown(path, 65534, 65534), 0);
		ck_assert_int_eq(report_into("theirs", err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, "owned by uid 65534"), "%s", err);
		ck_assert_int_eq(entries(path, ""), 0);
	}
	ut_rmtree(tmpdir);
}
END_TEST

/* A report that worked leaves its files and nothing else: no temporary, no private dir. */
START_TEST(report_leaves_nothing_behind)
{
	char path[256], err[1024];

	if (!ut_have_gnuplot("report_leaves_nothing_behind"))
		return;
	ut_tmpdir(tmpdir, sizeof(tmpdir), "safefile");
	ck_assert_msg(!report_into("doc", err, sizeof(err)), "%s", err);
	at(path, sizeof(path), "doc");
	ck_assert_int_eq(entries(path, "."), 0);
	ck_assert_int_eq(entries(path, "report.md"), 1);
	ck_assert_int_eq(entries(path, "index.html"), 1);
	ck_assert_uint_eq(kind_of(at(path, sizeof(path), "doc/overhead-cpu.svg")), S_IFREG);
	/* a second report into the same DIR replaces the first */
	ck_assert_msg(!report_into("doc", err, sizeof(err)), "%s", err);
	ut_rmtree(tmpdir);
}
END_TEST

/* compare --junit and --github naming a symlink: refused, its target untouched. */
START_TEST(compare_outputs_refuse_symlink)
{
	struct rp_cmp_opts o = { 0.01, 0.05 };
	struct rp_outcome r = { .new_ok = 1 };
	char victim[256], out[256], err[512];

	ut_tmpdir(tmpdir, sizeof(tmpdir), "safefile");
	put(at(victim, sizeof(victim), "victim"), VICTIM);
	plant("junit.xml", victim);
	plant("bench.json", victim);
	ck_assert_int_eq(rp_compare_junit(at(out, sizeof(out), "junit.xml"), NULL, 0, &o, &r,
					  NULL, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "symbolic link"), "%s", err);
	ck_assert_int_eq(rp_compare_github(at(out, sizeof(out), "bench.json"), NULL, 0, err,
					   sizeof(err)), -1);
	ck_assert_msg(strstr(err, "symbolic link"), "%s", err);
	ck_assert_str_eq(get(victim), VICTIM);
	ck_assert_int_eq(entries(tmpdir, ""), 3);
	ut_rmtree(tmpdir);
}
END_TEST

Suite *suite_safefile(void)
{
	Suite *s = suite_create("safefile");
	TCase *t = tcase_create("safefile");

	tcase_set_timeout(t, 60);
	tcase_add_test(t, results_write_ignores_planted_tmp_symlink);
	tcase_add_test(t, results_write_refuses_symlink_target);
	tcase_add_test(t, results_write_refuses_fifo_target);
	tcase_add_test(t, results_write_refuses_device_target);
	tcase_add_test(t, temp_names_are_unpredictable);
	tcase_add_test(t, failed_replacement_keeps_old_file);
	tcase_add_test(t, dir_fsync_after_rename);
	tcase_add_test(t, report_dir_planted_symlink_untouched);
	tcase_add_test(t, report_dir_symlink_or_foreign_refused);
	tcase_add_test(t, report_leaves_nothing_behind);
	tcase_add_test(t, compare_outputs_refuse_symlink);
	suite_add_tcase(s, t);
	return s;
}
