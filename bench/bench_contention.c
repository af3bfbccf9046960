/* SPDX-License-Identifier: BSD-3-Clause */
/* aa_bench_contention: many concurrent `git-credential-anaconda get` loops
 * read the file keyring while one writer stores a new API key every few
 * milliseconds through aa_keyring_store_api_key(); every read must succeed
 * and return exactly one of the keys written so far. Prints one table row
 * with the read rate; exits 1 when a read failed or was torn.
 *
 * usage: aa_bench_contention -H HELPER -k KEYRING [-r READERS] [-s SECONDS]
 *            [-p PERIOD_MS]
 * HOME must be the home whose KEYRING the helper reads. */
#include "bench_util.h"

#include <anaconda_auth.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DOMAIN "anaconda.com" /* the default domain */
#define REQUEST "protocol=https\nhost=" DOMAIN "\n\n"
#define LAT_CAP 8192 /* latencies kept per reader */

struct cont_opts {
	const char *helper, *keyring;
	unsigned long readers, seconds, period_ms;
};

/* Shared with the readers (MAP_SHARED): what they saw. */
struct reader_tally {
	unsigned long ok, failed, torn, kept;
	double lat[LAT_CAP];
};

struct shared {
	unsigned long written; /* keys[0..written] may be stored */
	unsigned char *seen;   /* seen[i]: some reader got keys[i] */
	struct reader_tally r[];
};

static void usage(void)
{
	fprintf(stderr, "usage: aa_bench_contention -H HELPER -k KEYRING "
		"[-r READERS] [-s SECONDS] [-p PERIOD_MS]\n");
	exit(2);
}

static void parse_opts(int argc, char **argv, struct cont_opts *o)
{
	int c;

	*o = (struct cont_opts){.readers = 64, .seconds = 10, .period_ms = 10};
	while ((c = getopt(argc, argv, "H:k:r:s:p:")) != -1) {
		switch (c) {
		case 'H': o->helper = optarg; break;
		case 'k': o->keyring = optarg; break;
		case 'r': o->readers = bench_count(optarg, "-r"); break;
		case 's': o->seconds = bench_count(optarg, "-s"); break;
		case 'p': o->period_ms = bench_count(optarg, "-p"); break;
		default: usage();
		}
	}
	if (!o->helper || !o->keyring || !o->readers || !o->seconds || !o->period_ms)
		usage();
}

/* A well-formed, unexpired test JWT that carries its serial number. */
static char *make_key(unsigned long serial, long exp)
{
	char payload[128];
	const char *head = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
	char *h, *p, *key;
	int len = snprintf(payload, sizeof(payload),
			   "{\"n\":%lu,\"sub\":\"bench\",\"exp\":%ld}", serial, exp);

	h = aa_base64url_encode(head, strlen(head));
	p = aa_base64url_encode(payload, (size_t)len);
	key = (h && p) ? malloc(strlen(h) + strlen(p) + 32) : NULL;
	if (!key) {
		fprintf(stderr, "bench: out of memory making keys\n");
		exit(1);
	}
	snprintf(key, strlen(h) + strlen(p) + 32, "%s.%s.YmVuY2gtc2lnbmF0dXJl", h, p);
	free(h);
	free(p);
	return key;
}

/* The serial of `got` among keys[0..upto], or -1: a torn or foreign read. */
static long key_index(char **keys, unsigned long upto, const char *got, size_t len)
{
	for (unsigned long i = 0; i <= upto; i++)
		if (strlen(keys[i]) == len && memcmp(keys[i], got, len) == 0)
			return (long)i;
	return -1;
}

static void judge_read(const struct bench_run *r, char **keys,
		       unsigned long upto, struct shared *sh, struct reader_tally *t)
{
	const char *pw = strstr(r->out, "password=");
	size_t len;
	long idx;

	if (bench_run_ok(r, NULL) != 0 || !pw) {
		t->failed++;
		return;
	}
	pw += strlen("password=");
	len = strcspn(pw, "\n");
	idx = pw[len] == '\n' ? key_index(keys, upto, pw, len) : -1;
	if (idx < 0) {
		if (t->torn++ == 0)
			fprintf(stderr, "bench: a reader got a %zu-byte password that "
				"is none of the %lu keys written\n", len, upto + 1);
		return;
	}
	sh->seen[idx] = 1;
	t->ok++;
}

static void reader_loop(const struct cont_opts *o, char **keys,
			struct shared *sh, struct reader_tally *t, double stop)
{
	char *argv[] = {(char *)o->helper, "get", NULL};
	struct bench_run r;

	while (bench_now_ms() < stop) {
		if (bench_spawn(argv, REQUEST, strlen(REQUEST), &r) != 0) {
			t->failed++;
			continue;
		}
		judge_read(&r, keys, __atomic_load_n(&sh->written, __ATOMIC_SEQ_CST), sh, t);
		if (t->kept < LAT_CAP)
			t->lat[t->kept++] = r.ms;
	}
}

static int store(aa_keyring *kr, const char *key)
{
	aa_error err;

	if (aa_keyring_store_api_key(kr, DOMAIN, key, &err) != AA_OK) {
		fprintf(stderr, "bench: writer: %s\n", err.message);
		return -1;
	}
	return 0;
}

/* Store keys[1..] on a fixed clock until stop; returns failed writes. */
static unsigned long writer_loop(const struct cont_opts *o, aa_keyring *kr,
				 char **keys, unsigned long nkeys,
				 struct shared *sh, double stop, double *lat)
{
	struct timespec next;
	unsigned long failed = 0;

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (unsigned long i = 1; i < nkeys && bench_now_ms() < stop; i++) {
		double t0 = bench_now_ms();

		/* Announced before the rename, so a reader that sees the new
		 * key already accepts it. */
		__atomic_store_n(&sh->written, i, __ATOMIC_SEQ_CST);
		if (store(kr, keys[i]) != 0)
			failed++;
		lat[i - 1] = bench_now_ms() - t0;
		next.tv_nsec += (long)o->period_ms * 1000000L;
		next.tv_sec += next.tv_nsec / 1000000000L;
		next.tv_nsec %= 1000000000L;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	return failed;
}

/* Returns 0 when every read and write went right. */
static int print_row(const struct cont_opts *o, struct shared *sh,
		      double secs, double *wlat, unsigned long writes,
		      unsigned long wfailed)
{
	unsigned long ok = 0, failed = 0, torn = 0, kept = 0, distinct = 0;
	int good;
	double *all = bench_xcalloc(o->readers * LAT_CAP, sizeof(double));
	struct bench_stats rs, ws;
	char fig[64], a[64], b[64], n[48], ma[32], mb[32], ra[48], rb[48], res[160];

	for (unsigned long i = 0; i < o->readers; i++) {
		ok += sh->r[i].ok;
		failed += sh->r[i].failed;
		torn += sh->r[i].torn;
		memcpy(all + kept, sh->r[i].lat, sh->r[i].kept * sizeof(double));
		kept += sh->r[i].kept;
	}
	for (unsigned long i = 0; i <= writes; i++)
		distinct += sh->seen[i];
	bench_stats_of(all, kept, &rs);
	bench_stats_of(wlat, writes, &ws);
	snprintf(fig, sizeof(fig), "contention (%lu s)", o->seconds);
	snprintf(a, sizeof(a), "%lu concurrent helper `get` loops", o->readers);
	snprintf(b, sizeof(b), "1 writer, new key every %lu ms", o->period_ms);
	snprintf(n, sizeof(n), "%lu reads, %lu writes", ok + failed + torn, writes);
	snprintf(ma, sizeof(ma), "%.3f ms/read", rs.median);
	snprintf(mb, sizeof(mb), "%.3f ms/write", ws.median);
	snprintf(ra, sizeof(ra), "%.3f-%.3f", rs.min, rs.max);
	snprintf(rb, sizeof(rb), "%.3f-%.3f", ws.min, ws.max);
	snprintf(res, sizeof(res), "%.0f reads/s; %lu torn, %lu failed reads; "
		 "%lu failed writes; %lu distinct keys read",
		 (double)(ok + failed + torn) / secs, torn, failed, wfailed, distinct);
	good = torn == 0 && failed == 0 && wfailed == 0 && ok > 0;
	bench_row((const char *const[]){fig, a, b, n, ma, mb, ra, rb, res,
		  "0 torn or failed", good ? "yes" : "NO"}, 11);
	free(all);
	return good ? 0 : -1;
}

static aa_keyring *open_keyring(const char *path)
{
	aa_keyring *kr = NULL;
	aa_error err;

	if (aa_keyring_open_file(path, &kr, &err) != AA_OK) {
		fprintf(stderr, "bench: cannot open %s: %s\n", path, err.message);
		exit(1);
	}
	return kr;
}

int main(int argc, char **argv)
{
	struct cont_opts o;
	unsigned long nkeys, wfailed;
	size_t shsize;
	struct shared *sh;
	char **keys;
	double *wlat, start, stop;
	aa_keyring *kr;
	int rc;
	long exp = (long)time(NULL) + 30L * 86400L;

	parse_opts(argc, argv, &o);
	nkeys = o.seconds * 1000 / o.period_ms + 2;
	shsize = sizeof(struct shared) + o.readers * sizeof(struct reader_tally);
	sh = mmap(NULL, shsize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 1;
	sh->seen = mmap(NULL, nkeys, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh->seen == MAP_FAILED)
		return 1;
	keys = bench_xcalloc(nkeys, sizeof(char *));
	wlat = bench_xcalloc(nkeys, sizeof(double));
	for (unsigned long i = 0; i < nkeys; i++)
		keys[i] = make_key(i, exp);
	kr = open_keyring(o.keyring);
	if (store(kr, keys[0]) != 0)
		return 1;
	fflush(stdout);
	start = bench_now_ms();
	stop = start + (double)o.seconds * 1e3;
	for (unsigned long i = 0; i < o.readers; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			aa_keyring_close(kr); /* the writer's, not ours */
			reader_loop(&o, keys, sh, &sh->r[i], stop);
			_exit(0);
		}
		if (pid < 0) {
			perror("bench: fork");
			return 1;
		}
	}
	wfailed = writer_loop(&o, kr, keys, nkeys, sh, stop, wlat);
	while (wait(NULL) > 0)
		;
	rc = print_row(&o, sh, (bench_now_ms() - start) / 1e3, wlat, sh->written,
		       wfailed) == 0 ? 0 : 1;
	aa_keyring_close(kr);
	for (unsigned long i = 0; i < nkeys; i++)
		free(keys[i]);
	free(keys);
	free(wlat);
	munmap(sh->seen, nkeys);
	munmap(sh, shsize);
	return rc;
}
