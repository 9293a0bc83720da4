/* SPDX-License-Identifier: MIT */
/* The unit tests: every suite in suites.h. */
#include "../runner.h"
#include "suites.h"

#define VB_DECLARE(n) Suite *suite_##n(void);
VB_SUITES(VB_DECLARE)
#undef VB_DECLARE

#define VB_ENTRY(n) suite_##n,
static vb_suite_fn *const suites[] = { VB_SUITES(VB_ENTRY) };
#undef VB_ENTRY

int main(void)
{
	return vb_run_suites(suites, sizeof(suites) / sizeof(suites[0]));
}
