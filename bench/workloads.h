/* SPDX-License-Identifier: MIT */
/*
 * The one list of workloads: X(group, name). Adding a workload means adding
 * its file under bench/<group>/ and one line here.
 */
#define VB_WORKLOADS(X) \
	X(cpu, int)     \
	X(cpu, syscall) \
	X(mem, stream)  \
	X(io, seqread)
