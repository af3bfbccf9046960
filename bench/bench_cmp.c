/* SPDX-License-Identifier: BSD-3-Clause */
/* aa_bench_cmp: time two commands answering the same request, interleaved
 * (a warm-up, then A B A B ...), and print their ratio of medians - and,
 * when asked, the peak RSS of A - as rows of the results table.
 *
 * usage: aa_bench_cmp -f FIGURE -a LABEL_A -b LABEL_B [-n N] [-w WARMUP]
 *            [-i STDIN_FILE] [-e EXPECT_A_FILE] [-E EXPECT_B_FILE]
 *            [-r MAX_RATIO] [-m MAX_RSS_KIB -M MEMORY_FIGURE]
 *            [-x NAME=VALUE]... [-X NAME=VALUE]...
 *            -- COMMAND_A ... -- COMMAND_B ...
 * Every run must exit 0 and print the expected text, or the figure fails.
 * -x/-X set a variable for A's/B's runs only (e.g. HOME: the same lookup
 * with and without a file in the home); a name given to one side must be
 * given to the other too. */
#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SIDE_ENV 8

struct cmp_opts {
	const char *figure, *label_a, *label_b, *mem_figure;
	char *input, *expect_a, *expect_b;
	unsigned long n, warmup, max_rss_kib;
	double max_ratio; /* 0: report only */
	char **cmd_a, **cmd_b;
	char *env_a[MAX_SIDE_ENV], *env_b[MAX_SIDE_ENV];
	size_t n_env_a, n_env_b;
};

/* The samples of one side. */
struct side {
	double *ms, *rss_kib;
};

static void usage(void)
{
	fprintf(stderr, "usage: aa_bench_cmp -f FIGURE -a LABEL_A -b LABEL_B [-n N] "
		"[-w WARMUP] [-i STDIN_FILE] [-e EXPECT_A_FILE] [-E EXPECT_B_FILE] "
		"[-r MAX_RATIO] [-m MAX_RSS_KIB -M MEMORY_FIGURE] [-x NAME=VALUE]... "
		"[-X NAME=VALUE]... -- A... -- B...\n");
	exit(2);
}

static char *text_or_die(const char *path)
{
	char *t = bench_read_text(path);

	if (!t)
		exit(1);
	return t;
}

/* One NAME=VALUE for one side's environment. */
static void add_env(char **list, size_t *n, char *assignment)
{
	if (*n == MAX_SIDE_ENV || !strchr(assignment, '=') || assignment[0] == '=')
		usage();
	list[(*n)++] = assignment;
}

/* The side's variables into environ (putenv keeps the string: no copy, so
 * switching sides costs nothing measurable, and it happens off the clock). */
static void use_env(char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (putenv(list[i]) != 0) {
			perror("bench: putenv");
			exit(1);
		}
	}
}

static void parse_opts(int argc, char **argv, struct cmp_opts *o)
{
	int c;

	*o = (struct cmp_opts){.n = 200, .warmup = 10};
	while ((c = getopt(argc, argv, "f:a:b:n:w:i:e:E:r:m:M:x:X:")) != -1) {
		switch (c) {
		case 'f': o->figure = optarg; break;
		case 'a': o->label_a = optarg; break;
		case 'b': o->label_b = optarg; break;
		case 'n': o->n = bench_count(optarg, "-n"); break;
		case 'w': o->warmup = bench_count(optarg, "-w"); break;
		case 'i': o->input = text_or_die(optarg); break;
		case 'e': o->expect_a = text_or_die(optarg); break;
		case 'E': o->expect_b = text_or_die(optarg); break;
		case 'r': o->max_ratio = strtod(optarg, NULL); break;
		case 'm': o->max_rss_kib = bench_count(optarg, "-m"); break;
		case 'M': o->mem_figure = optarg; break;
		case 'x': add_env(o->env_a, &o->n_env_a, optarg); break;
		case 'X': add_env(o->env_b, &o->n_env_b, optarg); break;
		default: usage();
		}
	}
	/* getopt consumed the first "--"; the second one splits A from B. */
	o->cmd_a = argv + optind;
	for (int i = optind; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			argv[i] = NULL;
			o->cmd_b = argv + i + 1;
			break;
		}
	}
	if (!o->figure || !o->label_a || !o->label_b || !o->cmd_a[0] ||
	    !o->cmd_b || !o->cmd_b[0] || o->n == 0 ||
	    (o->max_rss_kib && !o->mem_figure) || o->n_env_a != o->n_env_b)
		usage();
}

/* The request needs its blank terminating line back (read_text drops it). */
static char *request_text(const char *input)
{
	size_t len = strlen(input);
	char *req = bench_xcalloc(len + 3, 1);

	memcpy(req, input, len);
	memcpy(req + len, "\n\n", 3);
	return req;
}

/* One run, checked; a wrong answer makes the whole figure meaningless. */
static void run_checked(char **cmd, const char *req, const char *expect,
			struct bench_run *r)
{
	if (bench_spawn(cmd, req, req ? strlen(req) : 0, r) != 0)
		exit(1);
	if (bench_run_ok(r, expect) != 0) {
		fprintf(stderr, "bench: %s exited with status %d or printed something "
			"else than expected; not timing it\n", cmd[0], r->status);
		exit(1);
	}
}

static void measure(const struct cmp_opts *o, struct side *a, struct side *b)
{
	char *req = o->input ? request_text(o->input) : NULL;
	struct bench_run r;

	for (unsigned long i = 0; i < o->warmup; i++) {
		use_env(o->env_a, o->n_env_a);
		run_checked(o->cmd_a, req, o->expect_a, &r);
		use_env(o->env_b, o->n_env_b);
		run_checked(o->cmd_b, req, o->expect_b, &r);
	}
	for (unsigned long i = 0; i < o->n; i++) {
		use_env(o->env_a, o->n_env_a);
		run_checked(o->cmd_a, req, o->expect_a, &r);
		a->ms[i] = r.ms;
		a->rss_kib[i] = (double)r.maxrss_kib;
		use_env(o->env_b, o->n_env_b);
		run_checked(o->cmd_b, req, o->expect_b, &r);
		b->ms[i] = r.ms;
		b->rss_kib[i] = (double)r.maxrss_kib;
	}
	free(req);
}

static void print_time_row(const struct cmp_opts *o, struct bench_stats *sa,
			   struct bench_stats *sb)
{
	char n[32], ma[32], mb[32], ra[48], rb[48], res[48], tgt[32];
	double ratio = sa->median / sb->median;
	const char *met = "report";

	snprintf(n, sizeof(n), "%zu", sa->n);
	snprintf(ma, sizeof(ma), "%.3f ms", sa->median);
	snprintf(mb, sizeof(mb), "%.3f ms", sb->median);
	snprintf(ra, sizeof(ra), "%.3f-%.3f", sa->min, sa->max);
	snprintf(rb, sizeof(rb), "%.3f-%.3f", sb->min, sb->max);
	/* The ratio of minimums shows what a quiet machine would say. */
	snprintf(res, sizeof(res), "ratio %.3f (of minimums %.3f)", ratio,
		 sa->min / sb->min);
	if (o->max_ratio > 0) {
		snprintf(tgt, sizeof(tgt), "ratio <= %.2f", o->max_ratio);
		met = ratio <= o->max_ratio ? "yes" : "NO";
	} else {
		snprintf(tgt, sizeof(tgt), "report");
	}
	bench_row((const char *const[]){o->figure, o->label_a, o->label_b, n, ma,
		  mb, ra, rb, res, tgt, met}, 11);
}

/* Memory is judged on the largest peak seen, not the median. */
static void print_memory_row(const struct cmp_opts *o, struct bench_stats *sa,
			     struct bench_stats *sb)
{
	char n[32], ma[32], mb[32], ra[48], rb[48], res[48], tgt[32];
	double mib = 1024.0;

	snprintf(n, sizeof(n), "%zu", sa->n);
	snprintf(ma, sizeof(ma), "%.2f MiB", sa->median / mib);
	snprintf(mb, sizeof(mb), "%.2f MiB", sb->median / mib);
	snprintf(ra, sizeof(ra), "%.2f-%.2f", sa->min / mib, sa->max / mib);
	snprintf(rb, sizeof(rb), "%.2f-%.2f", sb->min / mib, sb->max / mib);
	snprintf(res, sizeof(res), "peak %.2f MiB", sa->max / mib);
	snprintf(tgt, sizeof(tgt), "A <= %.0f MiB", (double)o->max_rss_kib / mib);
	bench_row((const char *const[]){o->mem_figure, o->label_a, o->label_b, n,
		  ma, mb, ra, rb, res, tgt,
		  sa->max <= (double)o->max_rss_kib ? "yes" : "NO"}, 11);
}

int main(int argc, char **argv)
{
	struct cmp_opts o;
	struct side a, b;
	struct bench_stats ta, tb, ma, mb;

	parse_opts(argc, argv, &o);
	a.ms = bench_xcalloc(o.n, sizeof(double));
	a.rss_kib = bench_xcalloc(o.n, sizeof(double));
	b.ms = bench_xcalloc(o.n, sizeof(double));
	b.rss_kib = bench_xcalloc(o.n, sizeof(double));
	measure(&o, &a, &b);
	bench_stats_of(a.ms, o.n, &ta);
	bench_stats_of(b.ms, o.n, &tb);
	print_time_row(&o, &ta, &tb);
	if (o.max_rss_kib) {
		bench_stats_of(a.rss_kib, o.n, &ma);
		bench_stats_of(b.rss_kib, o.n, &mb);
		print_memory_row(&o, &ma, &mb);
	}
	free(a.ms);
	free(a.rss_kib);
	free(b.ms);
	free(b.rss_kib);
	free(o.input);
	free(o.expect_a);
	free(o.expect_b);
	return 0;
}
