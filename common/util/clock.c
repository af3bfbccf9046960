/* SPDX-License-Identifier: BSD-3-Clause */
/* clock.c - monotonic time for deadlines and timeouts. */
#include <time.h>

#include "util/aa_util.h"

long aa_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

double aa_monotonic_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
