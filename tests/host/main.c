/* SPDX-License-Identifier: MIT */
/*
 * The host tests: what needs this host's facilities (eBPF, the PMU, QEMU,
 * /dev/kvm, cgroups) and so stays out of the hermetic unit tests. Run by
 * tests/e2e/host.sh.
 */
#include "../runner.h"
#include "suites.h"

#define VB_DECLARE(n) Suite *suite_##n(void);
VB_HOST_SUITES(VB_DECLARE)
#undef VB_DECLARE

#define VB_ENTRY(n) suite_##n,
static vb_suite_fn *const suites[] = { VB_HOST_SUITES(VB_ENTRY) };
#undef VB_ENTRY

int main(void)
{
	return vb_run_suites(suites, sizeof(suites) / sizeof(suites[0]));
}
