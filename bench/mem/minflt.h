/* SPDX-License-Identifier: MIT */
/* The kernel's count of this process's minor faults, to show each touch faulted. */
#ifndef VB_MINFLT_H
#define VB_MINFLT_H

#include <sys/resource.h>

static inline long vb_minflt(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? -1 : ru.ru_minflt;
}

#endif
