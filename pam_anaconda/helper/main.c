/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * main.c - pam_anaconda_verify: the helper pam_anaconda.so runs so that
 * neither libcurl nor the network ever enter the PAM host. The nonce and
 * the key arrive on stdin (never argv); one answer line goes to stdout.
 * Installed execute-only (0711), so the kernel never lets another process
 * of its uid read its memory or take its descriptors, from execve on.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "anaconda_auth.h"
#include "helper.h"
#include "verify_protocol.h"

static void usage(void)
{
	fputs("usage: " PA_HELPER_NAME " verify [--timeout-ms=N] [--at=SITE] < nonce-and-key\n"
	      "       " PA_HELPER_NAME " store --home=DIR --keyring=RELPATH [--at=SITE] < nonce-and-key\n"
	      "Run by pam_anaconda.so; not meant to be run by hand.\n",
	      stderr);
}

static int is_nonce(const char *s, size_t len)
{
	if (len != PA_NONCE_LEN)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* The request: stdin up to EOF, "<nonce>\n<key>", one trailing newline
 * allowed. Returns the key (NULL if unusable); the nonce is remembered. */
static char *read_request(void)
{
	size_t cap = PA_NONCE_LEN + 1 + PA_KEY_MAX + 2, used = 0;
	char *buf = malloc(cap + 1), *key = NULL;

	if (!buf)
		return NULL;
	while (used < cap) {
		ssize_t n = read(0, buf + used, cap - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	buf[used] = '\0';
	if (used > PA_NONCE_LEN && buf[PA_NONCE_LEN] == '\n' &&
	    is_nonce(buf, PA_NONCE_LEN) && strlen(buf) == used) {
		buf[PA_NONCE_LEN] = '\0';
		helper_set_nonce(buf);
		key = buf + PA_NONCE_LEN + 1;
		used -= PA_NONCE_LEN + 1;
		if (used > 0 && key[used - 1] == '\n')
			key[--used] = '\0';
		if (used > 0 && key[used - 1] == '\r')
			key[--used] = '\0';
		if (used == 0 || used > PA_KEY_MAX)
			key = NULL;
		else
			key = strdup(key);
	}
	aa_memzero(buf, cap + 1);
	free(buf);
	return key;
}

static const char *arg_value(int argc, char **argv, const char *prefix)
{
	size_t n = strlen(prefix);

	for (int i = 2; i < argc; i++)
		if (strncmp(argv[i], prefix, n) == 0)
			return argv[i] + n;
	return NULL;
}

/* The parent kills us at its deadline; answering just before is kinder.
 * helper_reply uses only async-signal-safe calls. */
static void on_alarm(int sig)
{
	(void)sig;
	helper_reply(PA_REPLY_UNAVAILABLE, "timed out");
	_exit(0);
}

static void arm_deadline(long timeout_ms)
{
	struct sigaction sa;
	long s = (timeout_ms - 500) / 1000;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	alarm((unsigned)(s < 1 ? 1 : s));
}

int main(int argc, char **argv)
{
	const char *t, *home, *keyring, *at;
	long timeout_ms = 10000;
	char *key;
	int rc;

	/* First: no core file, and no ptrace, /proc/PID/mem or pidfd_getfd()
	 * by other processes of this uid (the 0711 install already does it
	 * from execve on; this covers a readable copy). */
	aa_forbid_core_dumps(); /* best effort: a refusal changes nothing else */
	umask(077);
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2 || (strcmp(argv[1], "verify") != 0 &&
			 strcmp(argv[1], "store") != 0)) {
		usage();
		return 2;
	}
	if ((t = arg_value(argc, argv, "--timeout-ms=")) != NULL) {
		timeout_ms = strtol(t, NULL, 10);
		if (timeout_ms <= 0 || timeout_ms > 600000)
			timeout_ms = 10000;
	}
	arm_deadline(timeout_ms);
	key = read_request();
	if (!key) {
		helper_reply(strcmp(argv[1], "verify") == 0 ? PA_REPLY_INVALID
							    : PA_REPLY_ERROR,
			     "no usable key on stdin");
		return 0;
	}
	at = arg_value(argc, argv, "--at=");
	if (strcmp(argv[1], "verify") == 0) {
		rc = helper_verify(key, at, timeout_ms);
	} else {
		home = arg_value(argc, argv, "--home=");
		keyring = arg_value(argc, argv, "--keyring=");
		rc = home && keyring ? helper_store(key, at, home, keyring)
				     : (usage(), 2);
	}
	aa_free_secret_str(key);
	return rc;
}
