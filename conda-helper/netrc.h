/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * netrc.h - a .netrc reader and updater that works on buffers only: it finds
 * the entries of a file (as curl and Python's netrc read them) and rewrites
 * the entries for a set of hosts while keeping every other byte as it was.
 * It parses untrusted input and is fuzzed; it never touches the file system.
 */
#ifndef CONDA_NETRC_H
#define CONDA_NETRC_H

#include <stddef.h>

#include "anaconda_auth.h"

/* Largest .netrc we read or write (curl stops at 128 KiB; we allow more). */
#define NETRC_MAX_BYTES (1024u * 1024u)

typedef enum ch_netrc_kind {
	NETRC_MACHINE = 0,
	NETRC_DEFAULT,
	NETRC_MACDEF,
} ch_netrc_kind;

/* One top-level item and the bytes it spans in the buffer. */
struct ch_netrc_entry {
	ch_netrc_kind kind;
	size_t start;     /* first byte of the keyword */
	size_t end;       /* one past its last token (macdef: past its blank line) */
	char *name;       /* machine or macdef name; NULL for default */
	char *login;      /* decoded values; NULL when absent. Wiped on free. */
	char *password;
	char *account;
	int unterminated; /* macdef without its closing blank line */
	/* end of the token before this entry (has_prev 0: none): the separator after it must stay */
	int has_prev;
	size_t prev_end;
};

struct ch_netrc {
	struct ch_netrc_entry *v;
	size_t n;
	size_t cap;       /* entries allocated in v */
	/*
	 * The file ends inside a token (an open quote, or a backslash escaping
	 * nothing): anything appended would join it. open_item is where the
	 * entry holding it starts; open_in_junk when it is a stray top-level
	 * token (or comment) instead, which no reader keeps.
	 */
	int open_at_eof;
	int open_in_junk;
	int open_quote;   /* inside "... */
	int open_escape;  /* after a lone backslash */
	size_t open_item;
	int open_has_prev;
	size_t open_prev_end;
	/* the last token runs up to the end with no separator after it */
	int ends_in_token;
};

/*
 * Find the entries. Lenient like curl: unknown tokens are skipped, an
 * unterminated quote or macdef runs to the end. Only size (NETRC_MAX_BYTES)
 * and memory can fail it.
 */
aa_status ch_netrc_parse(const char *buf, size_t len, struct ch_netrc *out, aa_error *err);
void ch_netrc_free(struct ch_netrc *nr);

/* The entry a reader picks for host: the first machine (case-insensitive). */
const struct ch_netrc_entry *ch_netrc_find(const struct ch_netrc *nr, const char *host);

/* One entry to write. */
struct ch_netrc_cred {
	const char *host;     /* lower-case host without port */
	const char *login;
	const char *password;
};

/*
 * 1 when s can be written as a bare netrc token every reader agrees on:
 * non-empty printable ASCII without whitespace, quotes, backslash or '#'.
 */
int ch_netrc_token_ok(const char *s);

/*
 * Normalise a host for netrc: drop scheme, userinfo, port and path, and
 * lower-case it (curl and requests match the bare host). malloc'd; NULL
 * with err set when nothing usable is left.
 */
char *ch_netrc_host_normalize(const char *input, aa_error *err);

/*
 * Render creds as "machine H login U password P\n" lines (stdout export).
 * *out is malloc'd and holds secrets: wipe it (aa_free_secret_str).
 */
aa_status ch_netrc_render(const struct ch_netrc_cred *creds, size_t n, char **out,
		       size_t *out_len, aa_error *err);

/*
 * New file text: every machine entry whose name is one of creds' hosts is
 * removed, and creds are written once, where the first of them was (on a
 * line of its own), else before `default`, else at the end. Every other
 * byte (comments, other machines, macdef bodies, default) is kept.
 * *out is malloc'd and holds secrets.
 */
aa_status ch_netrc_update(const char *buf, size_t len, const struct ch_netrc_cred *creds,
		       size_t n, char **out, size_t *out_len, aa_error *err);

#endif /* CONDA_NETRC_H */
