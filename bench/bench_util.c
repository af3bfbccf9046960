/* SPDX-License-Identifier: BSD-3-Clause */
/* Clock, timed child processes, order statistics and table rows shared by
 * the benchmark drivers. */
#include "bench_util.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

double bench_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int child_actions(posix_spawn_file_actions_t *fa, int in_fd, int out_fd)
{
	if (posix_spawn_file_actions_init(fa) != 0)
		return -1;
	if (posix_spawn_file_actions_adddup2(fa, in_fd, 0) != 0 ||
	    posix_spawn_file_actions_adddup2(fa, out_fd, 1) != 0 ||
	    posix_spawn_file_actions_addopen(fa, 2, "/dev/null", O_WRONLY, 0) != 0) {
		posix_spawn_file_actions_destroy(fa);
		return -1;
	}
	return 0;
}

/* Keep the first bytes of the child's output, drain the rest. */
static void collect_output(int fd, struct bench_run *r)
{
	char sink[4096];
	ssize_t got;

	r->out_len = 0;
	while (r->out_len < sizeof(r->out) - 1) {
		got = read(fd, r->out + r->out_len, sizeof(r->out) - 1 - r->out_len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		r->out_len += (size_t)got;
	}
	r->out[r->out_len] = '\0';
	while ((got = read(fd, sink, sizeof(sink))) != 0)
		if (got < 0 && errno != EINTR)
			break;
}

static pid_t start_child(char *const argv[], int in_fd, int out_fd)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int rc;

	if (child_actions(&fa, in_fd, out_fd) != 0) {
		fprintf(stderr, "bench: cannot prepare the child's descriptors\n");
		return -1;
	}
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		fprintf(stderr, "bench: cannot run %s: %s\n", argv[0], strerror(rc));
		return -1;
	}
	return pid;
}

int bench_spawn(char *const argv[], const char *in, size_t in_len,
		struct bench_run *r)
{
	int in_p[2], out_p[2];
	struct rusage ru;
	double t0;
	pid_t pid;

	if (pipe2(in_p, O_CLOEXEC) != 0 || pipe2(out_p, O_CLOEXEC) != 0) {
		perror("bench: pipe");
		return -1;
	}
	/* The request fits the pipe buffer, so it is written before the
	 * child exists and never blocks. */
	if (in_len && write(in_p[1], in, in_len) != (ssize_t)in_len) {
		perror("bench: write request");
		return -1;
	}
	close(in_p[1]);
	t0 = bench_now_ms();
	pid = start_child(argv, in_p[0], out_p[1]);
	close(in_p[0]);
	close(out_p[1]);
	if (pid < 0) {
		close(out_p[0]);
		return -1;
	}
	collect_output(out_p[0], r);
	while (wait4(pid, &r->status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("bench: wait4");
			close(out_p[0]);
			return -1;
		}
	}
	r->ms = bench_now_ms() - t0;
	close(out_p[0]);
	r->maxrss_kib = ru.ru_maxrss;
	return 0;
}

int bench_run_ok(const struct bench_run *r, const char *expect)
{
	if (!WIFEXITED(r->status) || WEXITSTATUS(r->status) != 0)
		return -1;
	if (expect && !strstr(r->out, expect))
		return -1;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void bench_stats_of(double *v, size_t n, struct bench_stats *s)
{
	s->n = n;
	if (n == 0) {
		s->median = s->min = s->max = 0;
		return;
	}
	qsort(v, n, sizeof(*v), cmp_double);
	s->min = v[0];
	s->max = v[n - 1];
	s->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

char *bench_read_text(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf;
	size_t len;

	if (!f) {
		fprintf(stderr, "bench: cannot open %s: %s\n", path, strerror(errno));
		return NULL;
	}
	buf = calloc(1, 65536);
	len = buf ? fread(buf, 1, 65535, f) : 0;
	fclose(f);
	if (!buf) {
		fprintf(stderr, "bench: out of memory reading %s\n", path);
		return NULL;
	}
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return buf;
}

void bench_row(const char *const cells[], size_t ncells)
{
	for (size_t i = 0; i < ncells; i++)
		printf("| %s ", cells[i]);
	printf("|\n");
	fflush(stdout);
}

void *bench_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	return p;
}

unsigned long bench_count(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-') {
		fprintf(stderr, "bench: %s must be a whole number, not '%s'\n", what, s);
		exit(2);
	}
	return v;
}
