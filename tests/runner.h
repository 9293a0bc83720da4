/* SPDX-License-Identifier: MIT */
/* The Check runner that the unit and the host test programs share. */
#ifndef VB_TEST_RUNNER_H
#define VB_TEST_RUNNER_H

#include <check.h>
#include <stddef.h>

typedef Suite *vb_suite_fn(void);

/*
 * Run the n suites (CK_RUN_SUITE and CK_RUN_CASE pick some, as Check
 * does); EXIT_SUCCESS when no test failed, for main to return.
 */
int vb_run_suites(vb_suite_fn *const *suites, size_t n);

#endif
