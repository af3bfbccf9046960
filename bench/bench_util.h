/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared pieces of the benchmark drivers: a monotonic clock, one timed child
 * process, order statistics and the Markdown table row they all print. */
#ifndef AA_BENCH_UTIL_H
#define AA_BENCH_UTIL_H

#include <stddef.h>

/* CLOCK_MONOTONIC in milliseconds. */
double bench_now_ms(void);

/* One finished child: how long it took, how much memory, what it said. */
struct bench_run {
	double ms;        /* posix_spawn() to wait4() returning */
	long maxrss_kib;  /* peak resident set size (ru_maxrss) */
	int status;       /* wait status */
	char out[4096];   /* the start of its standard output, NUL-terminated */
	size_t out_len;
};

/*
 * Run argv (PATH searched) with `in` on its standard input, its standard
 * output captured into r->out and its standard error sent to /dev/null.
 * The pipes are made before the clock starts, so only the process itself is
 * timed. Returns 0, or -1 with a message on stderr when it could not start.
 */
int bench_spawn(char *const argv[], const char *in, size_t in_len,
		struct bench_run *r);

/* 0 when the child exited 0 and its output contains `expect` (NULL: any). */
int bench_run_ok(const struct bench_run *r, const char *expect);

/* The median, minimum and maximum of n values (sorts v in place). */
struct bench_stats {
	size_t n;
	double median, min, max;
};
void bench_stats_of(double *v, size_t n, struct bench_stats *s);

/* A whole small file (trailing newlines dropped), or NULL with a message. */
char *bench_read_text(const char *path);

/* One row of the results table; every cell is already formatted. */
void bench_row(const char *const cells[], size_t ncells);

/* calloc that ends the process with a message when memory runs out. */
void *bench_xcalloc(size_t n, size_t size);

/* Leave a non-negative count from a string or die with a usage message. */
unsigned long bench_count(const char *s, const char *what);

#endif
