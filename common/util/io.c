/* SPDX-License-Identifier: BSD-3-Clause */
/* io.c - writing a whole buffer; formatting a report line. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "util/aa_util.h"

int aa_write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) /* 0 for a non-empty write would loop forever */
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

void aa_reportf(void (*report)(void *, int, const char *), void *ctx, int level,
		const char *fmt, ...)
{
	char line[768];
	va_list ap;

	if (!report)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	report(ctx, level, line);
}
