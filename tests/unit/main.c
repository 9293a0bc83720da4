/* SPDX-License-Identifier: MIT */
/* One Check runner for every suite in suites.h. */
#include <check.h>
#include <stdlib.h>

#include "suites.h"

#define VB_DECLARE(n) Suite *suite_##n(void);
VB_SUITES(VB_DECLARE)
#undef VB_DECLARE

int main(void)
{
	SRunner *sr = srunner_create(NULL);
	int failed;

#define VB_ADD(n) srunner_add_suite(sr, suite_##n());
	VB_SUITES(VB_ADD)
#undef VB_ADD
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
