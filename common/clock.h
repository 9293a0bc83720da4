/* SPDX-License-Identifier: MIT */
#ifndef VB_CLOCK_H
#define VB_CLOCK_H

/* CLOCK_MONOTONIC in milliseconds: deadlines and durations, never dates. */
double vb_now_ms(void);

#endif
