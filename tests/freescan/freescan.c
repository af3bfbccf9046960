/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * freescan.c - an LD_PRELOAD test helper that reports every heap block
 * freed while it still holds a secret.
 *
 * Every free(), and every realloc() (treated as "copy, then free the old
 * block", which glibc may always do), scans the whole block
 * (malloc_usable_size) for each needle before handing it to glibc. A block
 * holding a needle is reported as one line on the report file:
 *
 *   hit <needle index> <size> <object of the caller> <caller offset>
 *
 * The caller is the code that called free() or realloc(): the object name
 * says whose memory it was (our binary or module, libjson-c, libcurl...).
 *
 * Settings, read once when the object is loaded (before any privilege drop,
 * so a child running as another user still reports through the open fd):
 *   FREESCAN_NEEDLES  path of a file with one needle per line; a file, so
 *                     the secrets are not in the environment of the process
 *                     (whose own copies of its environment would be hits)
 *   FREESCAN_REPORT   path of the report file (appended to)
 *
 * Only async-signal-safe system calls and no allocation happen inside
 * free(), so the scanner cannot recurse into itself.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* glibc's own entry points: no dlsym (which may allocate) is needed. */
extern void __libc_free(void *p);
extern void *__libc_malloc(size_t n);
extern void *__libc_realloc(void *p, size_t n);

#define MAX_NEEDLES 8
#define NEEDLE_FILE_MAX 4096

static char needle_text[NEEDLE_FILE_MAX];
static const char *needles[MAX_NEEDLES];
static size_t needle_len[MAX_NEEDLES];
static size_t n_needles;
static int report_fd = -1;

static void load_needles(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;
	char *line;

	if (fd < 0)
		return;
	got = read(fd, needle_text, sizeof(needle_text) - 1);
	close(fd);
	if (got <= 0)
		return;
	needle_text[got] = '\0';
	line = needle_text;
	while (*line && n_needles < MAX_NEEDLES) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		if (*line) {
			needles[n_needles] = line;
			needle_len[n_needles] = strlen(line);
			n_needles++;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
}

__attribute__((constructor)) static void freescan_init(void)
{
	const char *needle_path = getenv("FREESCAN_NEEDLES");
	const char *report = getenv("FREESCAN_REPORT");

	if (!needle_path || !report)
		return;
	load_needles(needle_path);
	/* Not O_CLOEXEC: helpers the process executes report here too. */
	report_fd = open(report, O_WRONLY | O_APPEND | O_CREAT, 0600);
}

static void put_hex(char *out, size_t *pos, uintptr_t v)
{
	char digits[2 * sizeof(v)];
	size_t n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v & 0xfu];
		v >>= 4;
	} while (v);
	out[(*pos)++] = '0';
	out[(*pos)++] = 'x';
	while (n)
		out[(*pos)++] = digits[--n];
}

static void put_str(char *out, size_t *pos, size_t cap, const char *s)
{
	while (*s && *pos < cap)
		out[(*pos)++] = *s++;
}

static void report(size_t which, size_t size, const void *caller)
{
	char line[512];
	size_t pos = 0;
	Dl_info info;
	const char *obj = "?";
	uintptr_t off = (uintptr_t)caller;

	/* dladdr only reads the loader's tables: no allocation */
	if (dladdr(caller, &info) && info.dli_fname) {
		obj = info.dli_fname[0] ? info.dli_fname : "main";
		off -= (uintptr_t)info.dli_fbase;
	}
	put_str(line, &pos, 64, "hit ");
	line[pos++] = (char)('0' + which);
	line[pos++] = ' ';
	put_hex(line, &pos, size);
	line[pos++] = ' ';
	put_str(line, &pos, sizeof(line) - 40, obj);
	line[pos++] = ' ';
	put_hex(line, &pos, off);
	line[pos++] = '\n';
	if (write(report_fd, line, pos) < 0)
		return;
}

static void scan(void *p, const void *caller)
{
	size_t size;

	if (!p || report_fd < 0)
		return;
	size = malloc_usable_size(p);
	for (size_t i = 0; i < n_needles; i++)
		if (memmem(p, size, needles[i], needle_len[i]))
			report(i, size, caller);
}

void free(void *p)
{
	scan(p, __builtin_return_address(0));
	__libc_free(p);
}

/* Always move: a program cannot know whether glibc will, so the old block
 * must not hold a secret either. */
static void *moving_realloc(void *p, size_t n, const void *caller)
{
	void *q;
	size_t old;

	if (!p || report_fd < 0)
		return __libc_realloc(p, n);
	if (n == 0) { /* glibc's realloc(p, 0) frees p */
		scan(p, caller);
		__libc_free(p);
		return NULL;
	}
	q = __libc_malloc(n);
	if (!q)
		return NULL;
	old = malloc_usable_size(p);
	memcpy(q, p, old < n ? old : n);
	scan(p, caller);
	__libc_free(p);
	return q;
}

void *realloc(void *p, size_t n)
{
	return moving_realloc(p, n, __builtin_return_address(0));
}

void *reallocarray(void *p, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return moving_realloc(p, nmemb * size, __builtin_return_address(0));
}
