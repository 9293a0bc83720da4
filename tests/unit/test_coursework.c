/* SPDX-License-Identifier: MIT */
/*
 * The report's coursework section: on a host that is itself a VM it
 * explains what the host's hypervisor does and cites the run's own
 * numbers (the host's medians, the TCG guests' slowdowns); on a host that
 * is not, it says so and claims nothing more; the glossary has every term
 * the course needs; what the result file says is only ever text. The
 * section is rendered on its own (no charts, so no gnuplot needed).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../common/proto.h"
#include "../../reports/report.h"
#include "tfiles.h"

/* A quick run on a PVM guest: bare, type2 and type2-pv ran, type1/paravirt did not. */
#define REAL_TCG "tests/data/real-tcg-quick-v1.json"
/* A run through the emulated lab on a KVM guest: bare@lab, type1, paravirt in L1. */
#define REAL_LAB "tests/data/real-lab-quick-v1.json"

/*
 * The coursework and glossary sections of one document (takes doc) as
 * Markdown; its HTML page in *html if asked.
 */
static char *coursework_of(json_t *doc, char **html)
{
	char dir[64], err[1024], *md;
	struct rp_run r;
	struct rp_report rp = {.runs = &r, .nruns = 1};

	ut_tmpdir(dir, sizeof(dir), "coursework");
	rp.dir = dir;
	ck_assert_msg(!rp_run_adopt(&r, doc, "test", 0, err, sizeof(err)), "%s", err);
	ck_assert_msg(!rp_doc_open(&rp.doc, dir, "t", err, sizeof(err)), "%s", err);
	rp_sec_coursework(&rp);
	rp_sec_glossary(&rp);
	ck_assert_msg(!rp_doc_close(&rp.doc, err, sizeof(err)), "%s", err);
	md = ut_slurp(dir, "report.md");
	if (html)
		*html = ut_slurp(dir, "index.html");
	rp_run_free(&r);
	ut_rmtree(dir);
	return md;
}

/* The text goes to stderr on a failure: too long for Check's message. */
static void has(const char *text, const char *want)
{
	if (!strstr(text, want))
		fprintf(stderr, "%s\n", text);
	ck_assert_msg(strstr(text, want), "'%s' missing (the text is above)", want);
}

static void lacks(const char *text, const char *unwanted)
{
	if (strstr(text, unwanted))
		fprintf(stderr, "%s\n", text);
	ck_assert_msg(!strstr(text, unwanted), "'%s' wrongly there (the text is above)", unwanted);
}

/* The text of md from its "## Glossary" heading on. */
static const char *glossary_of(const char *md)
{
	const char *g = strstr(md, "## Glossary");

	has(md, "## Glossary");
	return g;
}

/* A backend's median of bench in its unit, as the report writes it ("2188 ns/op"). */
static void median_text(const struct rp_run *r, const char *be, const char *bench, char *out,
			size_t n)
{
	const json_t *s = rp_summary(r, be, bench);
	char num[32];

	ck_assert_ptr_nonnull(s);
	snprintf(out, n, "%s %s", rp_num(vb_json_num(s, "median", 0), num, sizeof(num)),
		 vb_json_str(s, "unit", "?"));
}

/* A slowdown and its interval as the report writes it ("0.321x (range of 2 rounds: ..."). */
static void slowdown_text(const struct rp_run *r, const char *be, const char *bench, char *out,
			  size_t n)
{
	double med, lo, hi;
	char a[32], b[32], c[32];

	ck_assert_int_eq(rp_slowdown(r, be, bench, &med, &lo, &hi), 0);
	ck_assert(med < 1); /* the point of the explanation: TCG "beats" its guest host */
	snprintf(out, n, "%sx (range of 2 rounds: %s to %s)", rp_num(med, a, sizeof(a)),
		 rp_num(lo, b, sizeof(b)), rp_num(hi, c, sizeof(c)));
}

/*
 * On the PVM guest of real-tcg-quick: the host is explained as a VM, with
 * the mechanisms, bare's own cpuid/syscall/pgfault/ptemod medians, why
 * its port I/O is absent, and the TCG guests' slowdowns on them.
 */
START_TEST(vm_host_explained_with_this_runs_numbers)
{
	static const char *const tcg[] = {"type2", "type2-pv"};
	static const char *const benches[] = {"cpu.syscall", "cpu.cpuid", "cpu.pgfault",
					      "cpu.ptemod"};
	char *md = coursework_of(ut_load_json(REAL_TCG), NULL), want[256], err[256];
	struct rp_run r;

	ck_assert_msg(!rp_run_load(&r, REAL_TCG, 0, err, sizeof(err)), "%s", err);
	has(md, "The host \"vm\" is itself a virtual machine (detected: pvm");
	has(md, "So \"bare\" is not bare metal");
	has(md, "a world switch each way");
	has(md, "under VMX it always causes a VM exit");
	has(md, "Under shadow paging");
	has(md, "two-dimensional walk");
	has(md, "Why a TCG guest can then look faster");
	has(md, "none of them needs to leave the process for the host's hypervisor");
	for (size_t b = 0; b < sizeof(benches) / sizeof(benches[0]); b++) {
		median_text(&r, "bare", benches[b], want, sizeof(want));
		has(md, want);
		for (size_t t = 0; t < 2; t++) {
			slowdown_text(&r, tcg[t], benches[b], want, sizeof(want));
			has(md, want);
		}
	}
	has(md, "bare unsupported: ioperm(0x80): Function not implemented");
	/* plain computation, for contrast: TCG slower there */
	has(md, "cpu.int: plain computation");
	has(md, "type2 vs bare");
	has(md, "type2-pv vs bare");
	rp_run_free(&r);
	free(md);
}
END_TEST

/* A host whose detection found no hypervisor: said so, nothing of a VM claimed. */
START_TEST(host_not_vm_is_not_called_one)
{
	json_t *doc = ut_load_json(REAL_TCG);
	json_t *host = json_object_get(json_object_get(doc, "meta"), "host");
	char *md;

	json_object_set_new(host, "virt",
			    json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "vm", "none", "container",
				      "none", "evidence", "signal", "cpuid.1:ecx.hypervisor",
				      "value", "clear"));
	md = coursework_of(doc, NULL);
	has(md, "### What the host is");
	has(md, "The host \"vm\" is not a virtual machine");
	has(md, "\"bare\" is then the machine itself");
	lacks(md, "is itself a virtual machine (detected");
	lacks(md, "not bare metal");
	lacks(md, "world switch");
	lacks(md, "Why a TCG guest can then look faster");
	lacks(md, "container (detected");
	glossary_of(md);
	free(md);
}
END_TEST

/* A file that does not say what its host is: the section says it is not known. */
START_TEST(host_virt_not_recorded)
{
	json_t *doc = ut_load_json(REAL_TCG);

	json_object_del(json_object_get(json_object_get(doc, "meta"), "host"), "virt");
	char *md = coursework_of(doc, NULL);

	has(md, "does not record whether its host \"vm\" is a virtual machine");
	lacks(md, "is itself a virtual machine (detected");
	lacks(md, "is not a virtual machine:");
	lacks(md, "world switch");
	free(md);
}
END_TEST

/*
 * The emulated lab's bare stands on L1, not on the host (a KVM guest
 * here): said, and the host's own numbers are not in that run.
 */
START_TEST(lab_baseline_is_not_the_host)
{
	char *md = coursework_of(ut_load_json(REAL_LAB), NULL);

	has(md, "is itself a virtual machine (detected: kvm");
	has(md, "typically hardware-assisted with nested paging");
	has(md, "\"bare@lab\", the baseline of the approaches marked (lab), stands on the "
		"emulated lab's machine");
	has(md, "detected in L1: qemu-tcg");
	has(md, "cpu.cpuid, CPUID: not in this run");
	has(md, "No TCG guest ran beside an approach on the host itself");
	free(md);
}
END_TEST

/* Every term the course needs, defined in the glossary (whatever the host). */
START_TEST(glossary_has_every_term)
{
	static const char *const terms[] = {
		"Type-1 hypervisor", "Type-2 hypervisor", "Full virtualization",
		"Para-virtualization", "Binary translation", "QEMU TCG",
		"Hardware-assisted virtualization", "VMX", "SVM", "KVM", "Hypercall",
		"VM exit", "VM entry", "Device model", "Dom0", "virtio", "Namespaces", "cgroups",
		"Container vs VM", "Nested virtualization", "JVM", "out of scope",
		"no guest operating system, no virtual devices",
	};
	char *md = coursework_of(ut_load_json(REAL_TCG), NULL);
	const char *g = glossary_of(md);

	for (size_t i = 0; i < sizeof(terms) / sizeof(terms[0]); i++)
		has(g, terms[i]);
	free(md);
}
END_TEST

/*
 * What the file says is text, never format or markup: a hostile
 * hypervisor name and hostname come out literally in the Markdown and
 * escaped in the HTML; a field of the wrong type counts as not recorded.
 */
START_TEST(file_strings_are_plain_text)
{
	static const char evil[] = "%s%n<script>alert(1)</script>";
	json_t *doc = ut_load_json(REAL_TCG);
	json_t *host = json_object_get(json_object_get(doc, "meta"), "host");
	json_t *virt = json_object_get(host, "virt");
	char *md, *html;

	json_object_set_new(virt, "vm", json_string(evil));
	json_object_set_new(virt, "container", json_integer(42));
	json_object_set_new(host, "hostname", json_string("h%n%s"));
	md = coursework_of(doc, &html);
	has(md, "The host \"h%n%s\" is itself a virtual machine (detected: %s%n");
	has(md, "either case below may apply");
	lacks(md, "container (detected");
	lacks(html, "<script>alert");
	has(html, "&lt;script&gt;alert(1)");
	free(md);
	free(html);

	doc = ut_load_json(REAL_TCG);
	host = json_object_get(json_object_get(doc, "meta"), "host");
	json_object_set_new(json_object_get(host, "virt"), "vm", json_integer(1));
	md = coursework_of(doc, NULL);
	has(md, "does not record whether its host");
	free(md);
}
END_TEST

Suite *suite_coursework(void)
{
	Suite *s = suite_create("coursework");
	TCase *t = tcase_create("core");

	tcase_add_test(t, vm_host_explained_with_this_runs_numbers);
	tcase_add_test(t, host_not_vm_is_not_called_one);
	tcase_add_test(t, host_virt_not_recorded);
	tcase_add_test(t, lab_baseline_is_not_the_host);
	tcase_add_test(t, glossary_has_every_term);
	tcase_add_test(t, file_strings_are_plain_text);
	suite_add_tcase(s, t);
	return s;
}
