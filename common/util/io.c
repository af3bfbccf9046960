/* io.c - writing a whole buffer to a file descriptor. */
#include <errno.h>
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
