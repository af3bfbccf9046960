/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fixtures.h - read files from tests/fixtures/ in unit tests, whether the
 * test runs from tests/fixtures (as `make unit` does) or from the repo root.
 */
#ifndef TEST_FIXTURES_H
#define TEST_FIXTURES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_fixture_at(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)size + 1);
		if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
			free(buf);
			buf = NULL;
		}
		if (buf) {
			buf[size] = '\0';
			if (len)
				*len = (size_t)size;
		}
	}
	fclose(f);
	return buf;
}

/* The fixture's bytes, NUL-terminated; aborts the test when it is missing. */
static char *read_fixture(const char *name, size_t *len)
{
	char path[512];
	char *buf = read_fixture_at(name, len);

	if (!buf) {
		snprintf(path, sizeof(path), "tests/fixtures/%s", name);
		buf = read_fixture_at(path, len);
	}
	if (!buf) {
		fprintf(stderr, "missing fixture %s (run from the repo root or tests/fixtures)\n", name);
		abort();
	}
	return buf;
}

#endif /* TEST_FIXTURES_H */
