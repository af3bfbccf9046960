/*
 * main.c - pam_anaconda_verify: the helper pam_anaconda.so runs so that
 * neither libcurl nor the network ever enter the PAM host. The key arrives
 * on stdin (never argv); one answer line goes to stdout.
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
	fputs("usage: " PA_HELPER_NAME " verify [--timeout-ms=N] < key\n"
	      "       " PA_HELPER_NAME " store --home=DIR --keyring=RELPATH < key\n"
	      "Run by pam_anaconda.so; not meant to be run by hand.\n",
	      stderr);
}

/* The key: stdin up to EOF, one trailing newline allowed. NULL if unusable. */
static char *read_key(void)
{
	char *buf = malloc(PA_KEY_MAX + 2);
	size_t used = 0;

	if (!buf)
		return NULL;
	while (used < PA_KEY_MAX + 1) {
		ssize_t n = read(0, buf + used, PA_KEY_MAX + 1 - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	buf[used] = '\0';
	if (used > 0 && buf[used - 1] == '\n')
		buf[--used] = '\0';
	if (used > 0 && buf[used - 1] == '\r')
		buf[--used] = '\0';
	if (used == 0 || used > PA_KEY_MAX || strlen(buf) != used) {
		aa_memzero(buf, PA_KEY_MAX + 2);
		free(buf);
		return NULL;
	}
	return buf;
}

static const char *arg_value(int argc, char **argv, const char *prefix)
{
	size_t n = strlen(prefix);

	for (int i = 2; i < argc; i++)
		if (strncmp(argv[i], prefix, n) == 0)
			return argv[i] + n;
	return NULL;
}

/* The parent kills us at its deadline; answering just before is kinder. */
static void on_alarm(int sig)
{
	static const char msg[] = PA_REPLY_UNAVAILABLE " timed out\n";

	(void)sig;
	(void)!write(1, msg, sizeof(msg) - 1);
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
	const char *t, *home, *keyring;
	long timeout_ms = 10000;
	char *key;
	int rc;

	umask(077);
	aa_forbid_core_dumps(); /* best effort: a refusal changes nothing else */
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
	key = read_key();
	if (!key) {
		helper_reply(strcmp(argv[1], "verify") == 0 ? PA_REPLY_INVALID
							    : PA_REPLY_ERROR,
			     "no usable key on stdin");
		return 0;
	}
	if (strcmp(argv[1], "verify") == 0) {
		rc = helper_verify(key, timeout_ms);
	} else {
		home = arg_value(argc, argv, "--home=");
		keyring = arg_value(argc, argv, "--keyring=");
		rc = home && keyring ? helper_store(key, home, keyring)
				     : (usage(), 2);
	}
	aa_free_secret_str(key);
	return rc;
}
