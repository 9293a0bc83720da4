/* SPDX-License-Identifier: MIT */
/*
 * Probes on this host: the PMU's unavailable path (and its counting path
 * with a software event), block I/O counted per cgroup by eBPF, QEMU's
 * device dispatches counted by uprobes, and the agent's own counters
 * (/proc, tracepoints). Each skips, saying why, where the host lacks what
 * it needs.
 */
#include <bpf/bpf.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../common/counter.h"
#include "../../common/proto.h"
#include "../../guest-agent/counters.h"
#include "../../probes/pmu.h"
#include "../../probes/probes.h"

/* The counter called name in the array, or NULL. */
static const json_t *counter(const json_t *a, const char *name)
{
	size_t i;
	json_t *c;

	json_array_foreach(a, i, c)
		if (strcmp(vb_json_str(c, "name", ""), name) == 0)
			return c;
	return NULL;
}

static long long value(const json_t *a, const char *name)
{
	const json_t *c = counter(a, name);

	ck_assert_msg(c, "no counter %s", name);
	ck_assert_msg(!json_object_get(c, "unavailable"), "%s unavailable: %s", name,
		      json_string_value(json_object_get(c, "unavailable")));
	return json_integer_value(json_object_get(c, "value"));
}

static void check_all(const json_t *a)
{
	size_t i;
	json_t *c;
	char why[256];

	json_array_foreach(a, i, c)
		ck_assert_msg(vb_counter_check(c, why, sizeof(why)) == 0, "%s", why);
}

/* Burn ms of this thread's CPU time (not wall time: the host is shared). */
static void spin_ms(int ms)
{
	struct timespec a, b;
	volatile unsigned long x = 0;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
	do {
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
	} while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

/* ---- a cgroup v2 to count in ---- */

static int cgroup_v2_root(char *root, size_t n)
{
	static const char *const cands[] = { "/sys/fs/cgroup/unified", "/sys/fs/cgroup" };
	struct statfs s;

	for (int i = 0; i < 2; i++)
		if (statfs(cands[i], &s) == 0 && s.f_type == CGROUP2_SUPER_MAGIC) {
			snprintf(root, n, "%s", cands[i]);
			return 0;
		}
	return -1;
}

/* A stand-in for an environment: what the probes are given of one. */
struct env {
	char cgroup[PATH_MAX];
	uint64_t cgroup_id;
	pid_t pid;
	int cpu;               /* the test pins itself (and children) here */
};

/* Pin the calling thread to the CPU it is on; returns that CPU. */
static int pin_here(void)
{
	int cpu = sched_getcpu();
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	ck_assert_int_eq(sched_setaffinity(0, sizeof(set), &set), 0);
	return cpu;
}

/* Watch e; its windows must count something. */
static struct vb_probe_watch *watch(struct vb_probes *p, const struct env *e)
{
	struct vb_probe_target t = { e->cgroup_id, e->pid, &e->cpu, 1 };
	struct vb_probe_watch *w = vb_probes_watch(p, &t);

	ck_assert_ptr_nonnull(w);
	ck_assert(vb_probes_counting(w));
	return w;
}

/* Make a cgroup for `in`; 0, or -1 when the test cannot run here. */
static int make_cgroup(struct env *in, const char *tag)
{
	char root[128];
	struct stat st;

	memset(in, 0, sizeof(*in));
	if (geteuid() != 0 || cgroup_v2_root(root, sizeof(root)))
		return -1;
	snprintf(in->cgroup, sizeof(in->cgroup), "%s/vbench-test-%s-%d", root, tag, (int)getpid());
	if (mkdir(in->cgroup, 0755) || stat(in->cgroup, &st))
		return -1;
	in->cgroup_id = st.st_ino;   /* a cgroup v2 id is its directory's inode */
	in->cpu = pin_here();
	return 0;
}

/* Move the calling process into in's cgroup. */
static void enter_cgroup(const struct env *in)
{
	char path[PATH_MAX + 16];
	int fd;

	snprintf(path, sizeof(path), "%s/cgroup.procs", in->cgroup);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, "0", 1) != 1)
		_exit(99);
	close(fd);
}

/* Fork a child into the cgroup that waits for a byte on a pipe, then runs fn. */
static pid_t spawn_in(const struct env *in, int *go, void (*fn)(void *), void *arg)
{
	int p[2];
	pid_t pid;
	char c;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(p[1]);
		enter_cgroup(in);
		if (read(p[0], &c, 1) != 1)
			_exit(98);
		fn(arg);
		_exit(0);
	}
	close(p[0]);
	*go = p[1];
	return pid;
}

static void wait_ok(pid_t pid)
{
	int st;

	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status 0x%x", st);
}

/* BPF links on the system now: the probes add theirs only inside a window. */
static int bpf_links(void)
{
	__u32 id = 0;
	int n = 0;

	while (bpf_link_get_next_id(id, &id) == 0)
		n++;
	return n;
}

static int skip_without_bpf(void)
{
	if (geteuid() != 0 || access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr, "SKIP: needs root and BTF (/sys/kernel/btf/vmlinux)\n");
		return 1;
	}
	return 0;
}

/* ---- PMU ---- */

/*
 * cycles of this process: where the kernel refuses a hardware event (here:
 * no PMU, ENOENT) the counter must say so with the kernel's reason; where
 * it opens, it must count this spin.
 */
START_TEST(pmu_cycles_or_reason)
{
	struct perf_event_attr a = { .type = PERF_TYPE_HARDWARE, .size = sizeof(a),
				     .config = PERF_COUNT_HW_CPU_CYCLES, .exclude_guest = 1 };
	int cpu = pin_here();
	long fd = syscall(SYS_perf_event_open, &a, -1, cpu, -1, 0);
	int open_errno = errno;
	struct vb_pmu *p = vb_pmu_open(&cpu, 1, NULL);
	json_t *out = json_array();
	const json_t *c;

	ck_assert_ptr_nonnull(p);
	vb_pmu_begin(p);
	spin_ms(20);
	vb_pmu_end(p, out);
	check_all(out);
	c = counter(out, "cycles");
	ck_assert_ptr_nonnull(c);
	if (fd < 0) {
		const char *why = json_string_value(json_object_get(c, "unavailable"));

		ck_assert_msg(why && strstr(why, strerror(open_errno)), "cycles: %s",
			      why ? why : "counted where the kernel refused it");
	} else {
		close((int)fd);
		ck_assert_msg(value(out, "cycles") > 1000000, "cycles %lld for 20 ms",
			      value(out, "cycles"));
	}
	ck_assert_ptr_nonnull(counter(out, "dTLB-load-misses"));
	ck_assert_ptr_nonnull(counter(out, "cycles.in_guest"));
	vb_pmu_close(p);
	json_decref(out);
}
END_TEST

#define TOUCH_PAGES 512

static void touch_pages(void *arg)
{
	size_t len = TOUCH_PAGES * 4096;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)arg;
	if (m == MAP_FAILED)
		_exit(97);
	for (size_t off = 0; off < len; off += 4096)
		m[off] = 1;
	munmap(m, len);
}

/*
 * The same code counts where the kernel lets it (root): page faults on the
 * CPU of the window, whoever takes them there (a child pinned to it).
 */
START_TEST(pmu_software_counts)
{
	static const char *const ev[] = { "page-faults", NULL };
	struct env in;
	struct vb_pmu *p;
	json_t *out = json_array();
	pid_t child;
	int go;

	if (make_cgroup(&in, "pmu")) {
		fprintf(stderr, "SKIP pmu per CPU: needs root and a cgroup v2\n");
		json_decref(out);
		return;
	}
	child = spawn_in(&in, &go, touch_pages, NULL);
	p = vb_pmu_open(&in.cpu, 1, ev);
	vb_pmu_begin(p);
	ck_assert_int_eq(write(go, "g", 1), 1);
	wait_ok(child);
	vb_pmu_end(p, out);
	vb_pmu_close(p);
	close(go);
	rmdir(in.cgroup);
	check_all(out);
	ck_assert_int_ge(value(out, "page-faults"), TOUCH_PAGES);
	json_decref(out);
}
END_TEST

/* ---- eBPF: block I/O of a cgroup ---- */

#define BLK_READ (128 * 1024)
#define BLK_N 64

struct reader {
	const char *path;
};

static void read_direct(void *arg)
{
	const struct reader *r = arg;
	int fd = open(r->path, O_RDONLY | O_DIRECT);
	void *buf;

	if (fd < 0 || posix_memalign(&buf, 4096, BLK_READ))
		_exit(97);
	for (int i = 0; i < BLK_N; i++)
		if (pread(fd, buf, BLK_READ, (off_t)i * BLK_READ) != BLK_READ)
			_exit(96);
	free(buf);
	close(fd);
}

static int make_file(const char *path, size_t size)
{
	char chunk[65536];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	memset(chunk, 0x5a, sizeof(chunk));
	if (fd < 0)
		return -1;
	for (size_t off = 0; off < size; off += sizeof(chunk))
		if (write(fd, chunk, sizeof(chunk)) != (ssize_t)sizeof(chunk))
			break;
	fsync(fd);
	return close(fd);
}

START_TEST(block_requests_match_bytes)
{
	char err[256], path[64], *dump;
	struct vb_probes *p;
	struct vb_probe_watch *w;
	struct env in;
	struct reader r = { path };
	json_t *out, *st;
	long long req, bytes, hist = 0;
	size_t i;
	json_t *c;
	pid_t child;
	int go, links;

	if (skip_without_bpf())
		return;
	if (make_cgroup(&in, "blk")) {
		fprintf(stderr, "SKIP block test: needs a cgroup v2 to count in\n");
		return;
	}
	snprintf(path, sizeof(path), "/var/tmp/vbench-probes-%d", (int)getpid());
	ck_assert_int_eq(make_file(path, (size_t)BLK_READ * BLK_N), 0);
	links = bpf_links();
	p = vb_probes_open("block", err, sizeof(err));
	ck_assert_ptr_nonnull(p);
	st = vb_probes_status(p);
	dump = json_dumps(st, JSON_COMPACT);
	ck_assert_msg(strstr(dump, "{\"probe\":\"block\",\"status\":\"ok\"}"), "%s", dump);
	free(dump);
	json_decref(st);
	child = spawn_in(&in, &go, read_direct, &r);
	in.pid = child;
	w = watch(p, &in);
	/* nothing runs per event outside a window: the timed samples are unobserved */
	ck_assert_int_eq(bpf_links(), links);
	vb_probes_window_begin(p, w, 0);
	ck_assert_int_eq(bpf_links(), links + 3);
	ck_assert_int_eq(write(go, "g", 1), 1);
	wait_ok(child);
	out = json_array();
	vb_probes_window_end(p, w, out);
	ck_assert_int_eq(bpf_links(), links);
	vb_probes_close(p);
	unlink(path);
	close(go);
	rmdir(in.cgroup);

	check_all(out);
	req = value(out, "block.read.requests");
	bytes = value(out, "block.read.bytes");
	fprintf(stderr, "block: read %d x %d bytes; counted %lld requests, %lld bytes\n", BLK_N,
		BLK_READ, req, bytes);
	ck_assert_int_ge(bytes, (long long)BLK_READ * BLK_N);
	ck_assert_int_le(bytes, (long long)BLK_READ * BLK_N + 256 * 1024);
	ck_assert_int_ge(req, BLK_N);
	ck_assert_int_le(req, 4 * BLK_N);
	json_array_foreach(out, i, c)
		if (strncmp(vb_json_str(c, "name", ""), "block.latency.log2_ns.", 22) == 0)
			hist += json_integer_value(json_object_get(c, "value"));
	ck_assert_int_eq(hist, value(out, "block.requests"));
	ck_assert_int_gt(value(out, "block.latency"), 0);
	json_decref(out);
}
END_TEST

/* ---- eBPF: QEMU's device dispatches, counted by uprobes ---- */

static const char *find_qemu(void)
{
	static const char *const cands[] = { "/usr/bin/qemu-system-x86_64",
					     "/usr/local/bin/qemu-system-x86_64" };

	for (int i = 0; i < 2; i++)
		if (access(cands[i], X_OK) == 0)
			return cands[i];
	return NULL;
}

static void sleep_ms(int ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&t, NULL);
}

static long long dispatches(const json_t *out)
{
	return value(out, "qemu.memory_region_dispatch_read") +
	       value(out, "qemu.memory_region_dispatch_write");
}

/*
 * QEMU (TCG, SeaBIOS, no disk) starts paused: a window then sees no
 * device dispatch; once it runs, the firmware's port I/O shows up.
 */
START_TEST(qemu_dispatches)
{
	const char *qemu = find_qemu();
	struct env in;
	struct vb_probes *p;
	struct vb_probe_watch *w;
	json_t *paused = json_array(), *running = json_array();
	char err[256], exe[64], target[256] = "";
	int mon[2];
	pid_t pid;

	if (!qemu || skip_without_bpf() || make_cgroup(&in, "qemu")) {
		fprintf(stderr, "SKIP qemu_dispatches: needs qemu-system-x86_64, root, BTF, cgroup v2\n");
		goto out;
	}
	ck_assert_int_eq(pipe(mon), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		enter_cgroup(&in);
		dup2(mon[0], 0);
		dup2(null, 1);
		dup2(null, 2);
		close(mon[1]);
		execl(qemu, qemu, "-M", "pc", "-accel", "tcg", "-display", "none", "-nodefaults",
		      "-monitor", "stdio", "-S", "-no-reboot", (char *)NULL);
		_exit(127);
	}
	close(mon[0]);
	in.pid = pid;
	snprintf(exe, sizeof(exe), "/proc/%d/exe", (int)pid);
	for (int i = 0; i < 500 && !strstr(target, "qemu-system"); i++) {
		ssize_t len = readlink(exe, target, sizeof(target) - 1);

		target[len > 0 ? len : 0] = '\0';
		sleep_ms(10);
	}
	p = vb_probes_open("qemu", err, sizeof(err));
	ck_assert_ptr_nonnull(p);
	w = watch(p, &in);
	vb_probes_window_begin(p, w, 0);
	sleep_ms(300);
	vb_probes_window_end(p, w, paused);
	vb_probes_window_begin(p, w, 0);
	ck_assert_int_eq(write(mon[1], "cont\n", 5), 5);
	sleep_ms(700);
	vb_probes_window_end(p, w, running);
	if (write(mon[1], "quit\n", 5) != 5)
		kill(pid, SIGKILL);
	close(mon[1]);
	waitpid(pid, NULL, 0);
	vb_probes_close(p);
	rmdir(in.cgroup);

	check_all(running);
	fprintf(stderr, "qemu: paused %lld dispatches; running: %lld reads, %lld writes\n",
		dispatches(paused), value(running, "qemu.memory_region_dispatch_read"),
		value(running, "qemu.memory_region_dispatch_write"));
	ck_assert_int_gt(dispatches(running), 100);
	ck_assert_int_lt(dispatches(paused) * 10, dispatches(running));
	ck_assert_int_eq(value(running, "qemu.virtio_queue_notify"), 0);
out:
	json_decref(paused);
	json_decref(running);
}
END_TEST

/* ---- the agent's own counters ---- */

START_TEST(agent_counters)
{
	struct vb_agent_counters *ac = vb_agent_counters_begin("guest", "/nonexistent/scratch");
	size_t len = 256 * 4096;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	json_t *out = json_array();
	const json_t *pf, *disk;

	ck_assert_ptr_nonnull(ac);
	ck_assert_ptr_ne(m, MAP_FAILED);
	for (size_t off = 0; off < len; off += 4096)
		m[off] = 1;   /* 256 first touches: 256 page faults */
	munmap(m, len);
	vb_agent_counters_end(ac, out);
	vb_agent_counters_free(ac);
	check_all(out);
	ck_assert_str_eq(vb_json_str(json_array_get(out, 0), "scope", ""), "guest");
	ck_assert_int_ge(value(out, "vmstat.pgfault"), 256);
	/* getrusage counts in every environment; nothing is refused */
	pf = counter(out, "rusage.minflt");
	ck_assert_ptr_nonnull(pf);
	ck_assert_int_ge(value(out, "rusage.minflt"), 256);
	disk = counter(out, "disk");
	ck_assert_ptr_nonnull(disk);
	ck_assert_msg(strstr(vb_json_str(disk, "unavailable", ""), "No such file"), "%s",
		      vb_json_str(disk, "unavailable", "(counted)"));
	ck_assert_ptr_nonnull(counter(out, "trace.tlb_flush"));
	json_decref(out);
}
END_TEST

Suite *suite_host_probes(void)
{
	Suite *s = suite_create("host_probes");
	TCase *t = tcase_create("core");

	tcase_set_timeout(t, 60);
	tcase_add_test(t, pmu_cycles_or_reason);
	tcase_add_test(t, pmu_software_counts);
	tcase_add_test(t, block_requests_match_bytes);
	tcase_add_test(t, qemu_dispatches);
	tcase_add_test(t, agent_counters);
	suite_add_tcase(s, t);
	return s;
}
