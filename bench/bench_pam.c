/* SPDX-License-Identifier: BSD-3-Clause */
/* aa_bench_pam: time PAM sessions (open + close) through the real libpam
 * for two service files in one directory - the stack with pam_anaconda.so
 * and the same stack without it - interleaved one session each, and print
 * the time the module adds per session.
 *
 * usage: aa_bench_pam -c CONFDIR -u USER -k EXPECTED_KEY_FILE [-n SESSIONS]
 *            [-w WARMUP] [-s SERVICE_WITH] [-S SERVICE_WITHOUT]
 *            [-t MAX_ADDED_MS] [-F FIGURE -A LABEL_WITH -B LABEL_WITHOUT -2]
 *
 * Every session gets its own handle, as with login, su or an sshd
 * connection: pam_start_confdir, open, close, pam_end. Two rows are printed:
 * "per login" times all four, so loading the module (dlopen) counts; "hook
 * only" times open + close alone, the session hook itself. (One handle kept
 * for all sessions would not be fair: libpam's pam_modutil_getpwnam() adds
 * a data item to the handle on every call, so each session would search a
 * longer list than the last.) With the module the session must export the expected key, every
 * time, or the figure fails. The passwd entry comes from nss_wrapper when
 * the caller preloads it. -F names the figures, -A/-B the two stacks, and -2
 * says both stacks hold the module, so both must export the key (e.g. the
 * module with config= against the module without it). */
#include "bench_util.h"

#include <security/pam_appl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KEY_VAR "ANACONDA_AUTH_API_KEY"

struct pam_opts {
	const char *confdir, *user, *svc_with, *svc_without;
	const char *figure, *label_with, *label_without;
	int both_export;
	char *key;
	unsigned long n, warmup;
	double max_added_ms;
};

/* The module only informs (expiry notices); nothing is ever asked. */
static int quiet_conv(int num, const struct pam_message **msg,
		      struct pam_response **resp, void *data)
{
	(void)num;
	(void)msg;
	(void)data;
	*resp = NULL;
	return PAM_CONV_ERR;
}

static const struct pam_conv conv = {quiet_conv, NULL};

static void usage(void)
{
	fprintf(stderr, "usage: aa_bench_pam -c CONFDIR -u USER -k EXPECTED_KEY_FILE "
		"[-n SESSIONS] [-w WARMUP] [-s SERVICE_WITH] [-S SERVICE_WITHOUT] "
		"[-t MAX_ADDED_MS] [-F FIGURE -A LABEL_WITH -B LABEL_WITHOUT -2]\n");
	exit(2);
}

static void parse_opts(int argc, char **argv, struct pam_opts *o)
{
	int c;

	*o = (struct pam_opts){.n = 1000, .warmup = 20, .svc_with = "bench-with",
			       .svc_without = "bench-without", .max_added_ms = 0.3,
			       .figure = "PAM session", .label_with = "stack with pam_anaconda.so",
			       .label_without = "same stack without it"};
	while ((c = getopt(argc, argv, "c:u:k:n:w:s:S:t:F:A:B:2")) != -1) {
		switch (c) {
		case 'c': o->confdir = optarg; break;
		case 'u': o->user = optarg; break;
		case 'k': o->key = bench_read_text(optarg); if (!o->key) exit(1); break;
		case 'n': o->n = bench_count(optarg, "-n"); break;
		case 'w': o->warmup = bench_count(optarg, "-w"); break;
		case 's': o->svc_with = optarg; break;
		case 'S': o->svc_without = optarg; break;
		case 't': o->max_added_ms = strtod(optarg, NULL); break;
		case 'F': o->figure = optarg; break;
		case 'A': o->label_with = optarg; break;
		case 'B': o->label_without = optarg; break;
		case '2': o->both_export = 1; break;
		default: usage();
		}
	}
	if (!o->confdir || !o->user || !o->key || o->n == 0)
		usage();
}

static void die_pam(pam_handle_t *h, const char *what, int rc)
{
	fprintf(stderr, "bench: %s failed: %s\n", what,
		h ? pam_strerror(h, rc) : "no handle");
	exit(1);
}

static pam_handle_t *start(const struct pam_opts *o, const char *svc)
{
	pam_handle_t *h = NULL;
	int rc = pam_start_confdir(svc, o->user, &conv, o->confdir, &h);

	if (rc != PAM_SUCCESS)
		die_pam(h, "pam_start_confdir", rc);
	return h;
}

/* One open + close; with the module, the key must have been exported. */
static void session(const struct pam_opts *o, pam_handle_t *h, int with)
{
	int rc = pam_open_session(h, PAM_SILENT);
	const char *got;

	if (rc != PAM_SUCCESS)
		die_pam(h, "pam_open_session", rc);
	got = pam_getenv(h, KEY_VAR);
	if (with ? !got || strcmp(got, o->key) != 0 : got != NULL) {
		fprintf(stderr, "bench: the %s stack %s " KEY_VAR "\n",
			with ? "pam_anaconda" : "plain",
			with ? "did not export the expected" : "exported");
		exit(1);
	}
	rc = pam_close_session(h, PAM_SILENT);
	if (rc != PAM_SUCCESS)
		die_pam(h, "pam_close_session", rc);
}

static double login_ms(const struct pam_opts *o, const char *svc, int with)
{
	double t0 = bench_now_ms();
	pam_handle_t *h = start(o, svc);

	session(o, h, with);
	pam_end(h, PAM_SUCCESS);
	return bench_now_ms() - t0;
}

/* Only open + close on the clock; the handle is made and ended outside it. */
static double hook_ms(const struct pam_opts *o, const char *svc, int with)
{
	pam_handle_t *h = start(o, svc);
	double t0 = bench_now_ms(), ms;

	session(o, h, with);
	ms = bench_now_ms() - t0;
	pam_end(h, PAM_SUCCESS);
	return ms;
}

static void print_row(const struct pam_opts *o, const char *figure,
		      double *with, double *without)
{
	struct bench_stats a, b;
	char n[32], ma[32], mb[32], ra[48], rb[48], res[64], tgt[32], fig[160];
	double added;

	bench_stats_of(with, o->n, &a);
	bench_stats_of(without, o->n, &b);
	added = a.median - b.median;
	snprintf(n, sizeof(n), "%zu", a.n);
	snprintf(ma, sizeof(ma), "%.3f ms", a.median);
	snprintf(mb, sizeof(mb), "%.3f ms", b.median);
	snprintf(ra, sizeof(ra), "%.3f-%.3f", a.min, a.max);
	snprintf(rb, sizeof(rb), "%.3f-%.3f", b.min, b.max);
	snprintf(res, sizeof(res), "+%.3f ms/session (ratio %.2f)", added,
		 a.median / b.median);
	snprintf(tgt, sizeof(tgt), "added <= %g ms", o->max_added_ms);
	snprintf(fig, sizeof(fig), "%s, %s", o->figure, figure);
	bench_row((const char *const[]){fig, o->label_with, o->label_without, n,
		  ma, mb, ra, rb, res, tgt,
		  added <= o->max_added_ms ? "yes" : "NO"}, 11);
}

int main(int argc, char **argv)
{
	struct pam_opts o;
	double *with, *without;

	parse_opts(argc, argv, &o);
	with = bench_xcalloc(o.n, sizeof(double));
	without = bench_xcalloc(o.n, sizeof(double));
	for (unsigned long i = 0; i < o.warmup; i++) {
		login_ms(&o, o.svc_with, 1);
		login_ms(&o, o.svc_without, o.both_export);
	}
	for (unsigned long i = 0; i < o.n; i++) {
		with[i] = login_ms(&o, o.svc_with, 1);
		without[i] = login_ms(&o, o.svc_without, o.both_export);
	}
	print_row(&o, "per login (pam_start..pam_end)", with, without);

	for (unsigned long i = 0; i < o.n; i++) {
		with[i] = hook_ms(&o, o.svc_with, 1);
		without[i] = hook_ms(&o, o.svc_without, o.both_export);
	}
	print_row(&o, "hook only (open+close timed)", with, without);
	free(with);
	free(without);
	free(o.key);
	return 0;
}
