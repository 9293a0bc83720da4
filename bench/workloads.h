/* SPDX-License-Identifier: MIT */
/*
 * The one list of workloads: X(group, name). Adding a workload means adding
 * its file under bench/<group>/ and one line here.
 */
#define VB_WORKLOADS(X)   \
	X(cpu, int)       \
	X(cpu, fp)        \
	X(cpu, syscall)   \
	X(cpu, ctxsw)     \
	X(cpu, fork)      \
	X(cpu, callret)   \
	X(cpu, pgfault)   \
	X(cpu, divzero)   \
	X(cpu, ptemod)    \
	X(cpu, portio)    \
	X(cpu, cpuid)     \
	X(cpu, rdtsc)     \
	X(mem, stream)    \
	X(mem, latency)   \
	X(mem, tlb)       \
	X(mem, pagefault) \
	X(io, seqread)    \
	X(io, seqwrite)   \
	X(io, randread)   \
	X(io, randwrite)  \
	X(io, fsync)
