/* SPDX-License-Identifier: MIT */
/* The unit test suites: X(name) for a `Suite *suite_<name>(void)` in test_<name>.c. */
#define VB_SUITES(X) \
	X(proto)     \
	X(stats)     \
	X(results)   \
	X(cli)       \
	X(workloads) \
	X(image)     \
	X(qemu)      \
	X(report)    \
	X(compare)   \
	X(oci)       \
	X(probes)    \
	X(kvmhost)   \
	X(lab)
