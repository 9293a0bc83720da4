/* SPDX-License-Identifier: MIT */
/*
 * What changed between two runs' environments (reports/envdiff.c), on the
 * real result files of tests/data, edited in memory where a difference is
 * wanted; and the host facts recorded for it (harness/hostinfo.c), read
 * from a fixture tree standing for "/": tests/data/host-tuning/, or one a
 * test makes.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../harness/hostinfo.h"
#include "../../reports/envdiff.h"
#include "tfiles.h"

#define BARE_A "tests/data/real-bare-a-v1.json"
#define BARE_B "tests/data/real-bare-b-v1.json"
#define LAB "tests/data/real-lab-quick-v1.json"
#define CRAFTED "tests/data/run-v1.json"
#define TUNING "tests/data/host-tuning"

static json_t *load(const char *path)
{
	json_error_t e;
	json_t *j = json_load_file(path, 0, &e);

	ck_assert_msg(j != NULL, "%s: %s (run from the source tree)", path, e.text);
	return j;
}

static void adopt(struct rp_run *r, json_t *root, int index)
{
	char err[512];

	ck_assert_msg(!rp_run_adopt(r, root, index ? "new" : "base", index, err, sizeof(err)),
		      "%s", err);
}

static json_t *meta(const struct rp_run *r, const char *key)
{
	return json_object_get(json_object_get(r->root, "meta"), key);
}

static json_t *host(const struct rp_run *r)
{
	return meta(r, "host");
}

/* The instance's info object. */
static json_t *info(const struct rp_run *r, const char *name)
{
	return json_object_get(rp_backend(r, name), "info");
}

/* The differences as compare prints them, in a malloc'd string. */
static char *printed(const struct rp_run *a, const struct rp_run *b)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(rp_envdiff_report(f, a, b), 0);
	fclose(f);
	return buf;
}

static void expect(const struct rp_envdiffs *d, size_t i, const char *what, const char *base,
		   const char *cur)
{
	ck_assert_msg(i < d->n, "difference %zu (%s) missing: only %zu", i, what, d->n);
	ck_assert_str_eq(d->d[i].what, what);
	ck_assert_str_eq(d->d[i].base, base);
	ck_assert_str_eq(d->d[i].cur, cur);
}

START_TEST(same_file_no_difference)
{
	struct rp_run a, b;
	char *out;

	adopt(&a, load(LAB), 0);
	adopt(&b, load(LAB), 1);
	out = printed(&a, &b);
	ck_assert_str_eq(out, "What changed between BASE and NEW:\n"
			      "  no difference in the recorded environment\n");
	free(out);
	rp_run_free(&a);
	rp_run_free(&b);
}
END_TEST

/* Two A/A runs minutes apart: only the command line (-o) differs; the seed is not listed. */
START_TEST(real_aa_pair_lists_only_what_differs)
{
	struct rp_run a, b;
	struct rp_envdiffs d;

	adopt(&a, load(BARE_A), 0);
	adopt(&b, load(BARE_B), 1);
	ck_assert_int_eq(rp_envdiff(&a, &b, &d), 0);
	ck_assert_uint_eq(d.n, 1);
	expect(&d, 0, "command line", "run --all -o /tmp/aa-a.json", "run --all -o /tmp/aa-b.json");
	rp_envdiff_free(&d);
	rp_run_free(&a);
	rp_run_free(&b);
}
END_TEST

/* Kernel, microcode, a mitigation, QEMU, plan.samples and a probe changed: listed in that order. */
START_TEST(changes_listed_in_order)
{
	struct rp_run a, b;
	struct rp_envdiffs d;
	json_t *pmu;

	adopt(&a, load(LAB), 0);
	adopt(&b, load(LAB), 1);
	json_object_set_new(host(&a), "microcode", json_string("0xa0011d1"));
	json_object_set_new(host(&b), "microcode", json_string("0xa0011d5"));
	json_object_set_new(host(&a), "mitigations",
			    json_pack("{s:s, s:s}", "meltdown", "Not affected", "spectre_v2",
				      "Mitigation: Retpolines"));
	json_object_set_new(host(&b), "mitigations",
			    json_pack("{s:s, s:s}", "meltdown", "Not affected", "spectre_v2",
				      "Vulnerable"));
	json_object_set_new(host(&b), "kernel", json_string("6.18.50-fc"));
	json_object_set_new(info(&b, "type1"), "qemu_version", json_string("8.2.1"));
	json_object_set_new(meta(&b, "plan"), "samples", json_integer(10));
	json_object_set_new(meta(&b, "plan"), "seed", json_integer(42));
	pmu = json_array_get(meta(&b, "probes"), 7);
	ck_assert_str_eq(json_string_value(json_object_get(pmu, "probe")), "pmu");
	json_object_set_new(pmu, "status", json_string("unavailable"));
	json_object_set_new(pmu, "reason", json_string("no PMU"));

	ck_assert_int_eq(rp_envdiff(&a, &b, &d), 0);
	expect(&d, 0, "host kernel", "6.18.44-fc-v1045", "6.18.50-fc");
	expect(&d, 1, "CPU microcode", "0xa0011d1", "0xa0011d5");
	expect(&d, 2, "CPU mitigation spectre_v2", "Mitigation: Retpolines", "Vulnerable");
	expect(&d, 3, "qemu (type1)", "7.2.22 Debian 1:7.2+dfsg-7+deb12u18+b3", "8.2.1");
	expect(&d, 4, "plan.samples", "3", "10");
	expect(&d, 5, "probe pmu", "ok", "unavailable: no PMU");
	ck_assert_uint_eq(d.n, 6);
	rp_envdiff_free(&d);
	rp_run_free(&a);
	rp_run_free(&b);
}
END_TEST

/* Guest kernels and container runtimes, per instance, in BASE's order of instances. */
START_TEST(instances_guest_kernel_and_runtime)
{
	struct rp_run a, b;
	struct rp_envdiffs d;

	adopt(&a, load(CRAFTED), 0);
	adopt(&b, load(CRAFTED), 1);
	json_object_set_new(info(&a, "container"), "runtime", json_string("crun"));
	json_object_set_new(info(&a, "container"), "runtime_version",
			    json_string("crun version 1.8.1"));
	json_object_set_new(info(&b, "container"), "runtime", json_string("crun"));
	json_object_set_new(info(&b, "container"), "runtime_version",
			    json_string("crun version 1.14.4"));
	json_object_set_new(info(&b, "type2-pv"), "guest_kernel", json_string("6.1.0-31-amd64"));

	ck_assert_int_eq(rp_envdiff(&a, &b, &d), 0);
	ck_assert_uint_eq(d.n, 2);
	expect(&d, 0, "container runtime version (container)", "crun version 1.8.1",
	       "crun version 1.14.4");
	expect(&d, 1, "guest kernel (type2-pv)", "6.1.0-28-amd64", "6.1.0-31-amd64");
	rp_envdiff_free(&d);
	rp_run_free(&a);
	rp_run_free(&b);
}
END_TEST

/* vbench 0.1.0's file against a newer one: what it lacks is "not recorded". */
START_TEST(older_file_not_recorded)
{
	struct rp_run a, b;
	struct rp_envdiffs d;
	json_t *nb = load(BARE_A), *m = json_object_get(nb, "meta");

	json_object_del(m, "git_rev");
	json_object_set_new(m, "source_tree", json_string("38c131cdb18d"));
	json_object_set_new(json_object_get(m, "host"), "microcode", json_string("0x1000065"));
	json_object_set_new(json_object_get(m, "host"), "smt_control",
			    json_string("unavailable: /sys/devices/system/cpu/smt/control: No such "
					"file or directory"));
	adopt(&a, load(BARE_A), 0);
	adopt(&b, nb, 1);
	ck_assert_int_eq(rp_envdiff(&a, &b, &d), 0);
	ck_assert_uint_eq(d.n, 4);
	expect(&d, 0, "CPU microcode", "not recorded", "0x1000065");
	expect(&d, 1, "SMT control", "not recorded",
	       "unavailable: /sys/devices/system/cpu/smt/control: No such file or directory");
	expect(&d, 2, "source tree", "not recorded", "38c131cdb18d");
	expect(&d, 3, "git revision", "7efcce02c741", "not recorded");
	rp_envdiff_free(&d);
	rp_run_free(&a);
	rp_run_free(&b);
}
END_TEST

/* Escape sequences in a hostile file are shown escaped; a huge value is cut, and says so. */
START_TEST(hostile_strings_escaped_and_bounded)
{
	struct rp_run a, b;
	struct rp_envdiffs d;
	char *out, *huge = malloc(100000);

	memset(huge, 'x', 99999);
	huge[99999] = '\0';
	adopt(&a, load(LAB), 0);
	adopt(&b, load(LAB), 1);
	json_object_set_new(host(&b), "kernel", json_string("6.1\x1b]0;owned\x07\x1b[2J"));
	json_object_set_new(host(&b), "kernel_cmdline", json_string(huge));
	json_object_set_new(meta(&b, "plan"), "x\x1b[31m", json_string("red"));
	out = printed(&a, &b);
	ck_assert_msg(!strchr(out, '\x1b') && !strchr(out, '\x07'), "raw control byte in:\n%s", out);
	ck_assert_ptr_nonnull(strstr(out, "  host kernel: 6.18.44-fc-v1045 -> "
					  "6.1\\x1b]0;owned\\x07\\x1b[2J\n"));
	ck_assert_ptr_nonnull(strstr(out, "  plan.x\\x1b[31m: not recorded -> red\n"));
	ck_assert_ptr_nonnull(strstr(out, "xxx...\n"));
	ck_assert_uint_lt(strlen(out), 4000);
	free(out);
	/* kept bounded, not only printed so */
	ck_assert_int_eq(rp_envdiff(&a, &b, &d), 0);
	ck_assert_str_eq(d.d[1].what, "host kernel command line");
	ck_assert_uint_le(strlen(d.d[1].cur), 1024 + 3);
	rp_envdiff_free(&d);
	free(huge);
	rp_run_free(&a);
	rp_run_free(&b);
}
END_TEST

/* The host facts from a fixture tree, and from one that has none of them. */
START_TEST(host_tuning_read)
{
	json_t *t = vb_host_tuning_json(TUNING);
	json_t *mit = json_object_get(t, "mitigations");

	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(json_string_value(json_object_get(t, "kernel_cmdline")),
			 "BOOT_IMAGE=/vmlinuz-6.1.0-21-amd64 root=/dev/sda1 ro mitigations=auto quiet");
	ck_assert_str_eq(json_string_value(json_object_get(t, "microcode")), "0xb101047");
	ck_assert_str_eq(json_string_value(json_object_get(t, "cpufreq_governor")),
			 "performance, powersave");
	ck_assert_str_eq(json_string_value(json_object_get(t, "smt_control")), "on");
	ck_assert_str_eq(json_string_value(json_object_get(t, "smt_active")), "1");
	ck_assert_uint_eq(json_object_size(mit), 3);
	ck_assert_str_eq(json_string_value(json_object_get(mit, "spectre_v2")),
			 "Mitigation: Retpolines; IBPB: conditional");
	/* the results hold text: a control byte in sysfs is recorded escaped */
	ck_assert_str_eq(json_string_value(json_object_get(mit, "hostile_escape")),
			 "Vulnerable\\x1b[2J");
	json_decref(t);
}
END_TEST

START_TEST(host_tuning_unavailable)
{
	json_t *t = vb_host_tuning_json(TUNING "/nonexistent");

	ck_assert_str_eq(json_string_value(json_object_get(t, "kernel_cmdline")),
			 "unavailable: /proc/cmdline: No such file or directory");
	ck_assert_str_eq(json_string_value(json_object_get(t, "microcode")),
			 "unavailable: /proc/cpuinfo: No such file or directory");
	ck_assert_str_eq(json_string_value(json_object_get(t, "cpufreq_governor")),
			 "unavailable: no cpufreq");
	ck_assert_str_eq(json_string_value(json_object_get(t, "mitigations")),
			 "unavailable: /sys/devices/system/cpu/vulnerabilities: No such file or "
			 "directory");
	ck_assert_str_eq(json_string_value(json_object_get(t, "smt_active")),
			 "unavailable: /sys/devices/system/cpu/smt/active: No such file or directory");
	json_decref(t);
}
END_TEST

/* A host's machine id and its app-specific id for vbench, computed once with Python's hmac. */
#define MACHINE_ID "d989ef93a59449d2b80bc3075267a789"
#define APP_ID "9536279ad8cd40a8b1500539544c1375"

/* root/path holds text; NULL: there is no such file. */
static void put_text(const char *root, const char *path, const char *text)
{
	char full[256];
	FILE *f;

	if (!text)
		return;
	snprintf(full, sizeof(full), "%s%s", root, path);
	f = fopen(full, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* The machine id recorded where /etc/machine-id and D-Bus's hold these is want. */
static void machine_id_is(const char *etc, const char *dbus, const char *want)
{
	static const char *const dirs[] = {"/etc", "/var", "/var/lib", "/var/lib/dbus"};
	char root[64], dir[128];
	json_t *id;

	ut_tmpdir(root, sizeof(root), "machineid");
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(dir, sizeof(dir), "%s%s", root, dirs[i]);
		ck_assert_int_eq(mkdir(dir, 0755), 0);
	}
	put_text(root, "/etc/machine-id", etc);
	put_text(root, "/var/lib/dbus/machine-id", dbus);
	id = vb_host_machine_id_json(root);
	ut_rmtree(root);
	ck_assert_msg(json_is_string(id), "the machine id is not a string");
	ck_assert_str_eq(json_string_value(id), want);
	json_decref(id);
}

/*
 * What systemd-id128 machine-id --app-specific=<vbench's app id> prints:
 * with or without the newline, in either case, from D-Bus's file where
 * systemd's is missing or not an id.
 */
START_TEST(machine_id_app_specific)
{
	machine_id_is(MACHINE_ID "\n", NULL, APP_ID);
	machine_id_is("D989EF93A59449D2B80BC3075267A789", NULL, APP_ID);
	machine_id_is(NULL, MACHINE_ID "\n", APP_ID);
	machine_id_is("", MACHINE_ID "\n", APP_ID);
	/* systemd's own file wins */
	machine_id_is(MACHINE_ID "\n", "0123456789abcdef0123456789abcdef\n", APP_ID);
}
END_TEST

/* Anything but 32 hex digits (a newline may follow), or all zeros, is none: it says why. */
START_TEST(machine_id_unavailable)
{
	static const char *const not_hex[] = {
		"", "\n", "uninitialized\n", MACHINE_ID "\n\n", MACHINE_ID " \n", MACHINE_ID "0",
		"d989ef93a59449d2b80bc3075267a78\n", "d989ef93-a594-49d2-b80b-c3075267a789\n",
		"g989ef93a59449d2b80bc3075267a789\n", " d989ef93a59449d2b80bc3075267a78\n",
	};
	for (size_t i = 0; i < sizeof(not_hex) / sizeof(not_hex[0]); i++)
		machine_id_is(not_hex[i], NULL, "unavailable: /etc/machine-id is not 32 hex digits; "
			      "/var/lib/dbus/machine-id: No such file or directory");
	machine_id_is("00000000000000000000000000000000\n", NULL, "unavailable: /etc/machine-id "
		      "is all zeros (not initialized); /var/lib/dbus/machine-id: No such file or "
		      "directory");
	machine_id_is(NULL, NULL, "unavailable: /etc/machine-id: No such file or directory; "
		      "/var/lib/dbus/machine-id: No such file or directory");
	machine_id_is(NULL, "uninitialized\n", "unavailable: /etc/machine-id: No such file or "
		      "directory; /var/lib/dbus/machine-id is not 32 hex digits");
}
END_TEST

/* The machine id has its row after the host's name: the same name on two machines shows. */
START_TEST(machine_id_row)
{
	struct rp_run a, b;
	struct rp_envdiffs d;

	adopt(&a, load(BARE_A), 0);
	adopt(&b, load(BARE_B), 1);
	json_object_set_new(host(&b), "machine_id", json_string(APP_ID));
	json_object_set_new(host(&b), "kernel", json_string("6.1.0-21-amd64"));
	ck_assert_int_eq(rp_envdiff(&a, &b, &d), 0);
	expect(&d, 0, "machine id", "not recorded", APP_ID);
	expect(&d, 1, "host kernel", "6.18.44-fc-v769", "6.1.0-21-amd64");
	rp_envdiff_free(&d);
	json_object_set_new(host(&a), "machine_id",
			    json_string("unavailable: /etc/machine-id is not 32 hex digits"));
	json_object_set_new(host(&b), "hostname", json_string("other"));
	ck_assert_int_eq(rp_envdiff(&a, &b, &d), 0);
	expect(&d, 0, "host", "vm", "other");
	expect(&d, 1, "machine id", "unavailable: /etc/machine-id is not 32 hex digits", APP_ID);
	rp_envdiff_free(&d);
	rp_run_free(&a);
	rp_run_free(&b);
}
END_TEST

Suite *suite_envdiff(void)
{
	Suite *s = suite_create("envdiff");
	TCase *t = tcase_create("envdiff");

	tcase_add_test(t, same_file_no_difference);
	tcase_add_test(t, real_aa_pair_lists_only_what_differs);
	tcase_add_test(t, changes_listed_in_order);
	tcase_add_test(t, instances_guest_kernel_and_runtime);
	tcase_add_test(t, older_file_not_recorded);
	tcase_add_test(t, hostile_strings_escaped_and_bounded);
	tcase_add_test(t, host_tuning_read);
	tcase_add_test(t, host_tuning_unavailable);
	tcase_add_test(t, machine_id_app_specific);
	tcase_add_test(t, machine_id_unavailable);
	tcase_add_test(t, machine_id_row);
	suite_add_tcase(s, t);
	return s;
}
