/* SPDX-License-Identifier: MIT */
/* The unit test suites: X(name) for a `Suite *suite_<name>(void)` in test_<name>.c. */
#define VB_SUITES(X) \
	X(proto)     \
	X(replies)   \
	X(stats)     \
	X(results)   \
	X(safefile)  \
	X(cli)       \
	X(workloads) \
	X(agentops)  \
	X(image)     \
	X(modules)   \
	X(textsafe)  \
	X(sha256)    \
	X(qemu)      \
	X(report)    \
	X(charts)    \
	X(coursework) \
	X(findings)  \
	X(compare)   \
	X(history)   \
	X(envdiff)   \
	X(oci)       \
	X(probes)    \
	X(kvmhost)   \
	X(lab)       \
	X(exec)      \
	X(debris)    \
	X(resume)    \
	X(set)       \
	X(precision) \
	X(floor)     \
	X(limits)    \
	X(lifecycle)
