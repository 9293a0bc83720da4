/* SPDX-License-Identifier: MIT */
/* The host test suites: X(name) for a `Suite *suite_<name>(void)` in tests/host/. */
#define VB_HOST_SUITES(X) \
	X(host_probes)    \
	X(host_kvm)       \
	X(host_image)
