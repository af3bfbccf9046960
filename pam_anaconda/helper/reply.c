/* SPDX-License-Identifier: BSD-3-Clause */
/* reply.c - writes the helper's single answer line, prefixed with the request's nonce. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "helper.h"
#include "verify_protocol.h"

static char nonce[PA_NONCE_LEN + 1] = "-";

void helper_set_nonce(const char *n)
{
	size_t len = strlen(n);

	if (len <= PA_NONCE_LEN)
		memcpy(nonce, n, len + 1);
}

/* The line is built whole and written with one write(): the module takes
 * nothing but exactly one line, so it must never see half of one. */
void helper_reply(const char *word, const char *text)
{
	char line[PA_REPLY_MAX];
	size_t n = 0, room = sizeof(line) - 1; /* the newline always fits */
	sigset_t alrm;

	/* The deadline's own answer must not interleave with this one. */
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigprocmask(SIG_BLOCK, &alrm, NULL);
	alarm(0);
	for (const char *p = nonce; *p && n < room; p++)
		line[n++] = *p;
	if (n < room)
		line[n++] = ' ';
	for (const char *p = word; *p && n < room; p++)
		line[n++] = *p;
	if (text && *text && n < room)
		line[n++] = ' ';
	for (const char *p = text; p && *p && n < room; p++)
		line[n++] = (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p;
	line[n++] = '\n';
	for (size_t off = 0; off < n;) {
		ssize_t w = write(1, line + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
}
