/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * aa_util.h - the one copy of the small helpers every part of the suite
 * needs (I/O, clocks, parsing, wiped buffers, time text). Internal: linked
 * from the static archive, hidden in the shared library. Front-ends include
 * this header instead of re-writing a helper.
 */
#ifndef AA_UTIL_H
#define AA_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "internal.h"

/* ---- I/O (util/io.c) -------------------------------------------------- */

/* write(2) until all n bytes are out, retrying EINTR. 0, or -1 with errno. */
AA_HIDDEN int aa_write_all(int fd, const void *buf, size_t n);

/* Where aa_replace_at stopped, so the caller can say what failed. */
enum aa_replace_stage { AA_REPLACE_CREATE, AA_REPLACE_WRITE, AA_REPLACE_RENAME };

/*
 * The one atomic writer (keyring, netrc, condarc, binstar tokens): write
 * data to a new hidden ".<name>.tmp-<random>" in dirfd (O_EXCL, never
 * through a symlink, exactly `mode` whatever the umask), fsync it, rename it
 * over `name`, fsync the directory. The old file survives any failure.
 * 0, or -1 with errno set and *stage telling which step failed.
 */
AA_HIDDEN int aa_replace_at(int dirfd, const char *name, const void *data,
			    size_t len, mode_t mode, enum aa_replace_stage *stage);

/*
 * Format one line (cut at 767 bytes) and hand it to report(ctx, level, line);
 * nothing happens when report is NULL. For the keyring's report callbacks.
 */
AA_HIDDEN void aa_reportf(void (*report)(void *, int, const char *), void *ctx,
			  int level, const char *fmt, ...) AA_PRINTF(4, 5);


/* ---- wiped growable memory (util/buf.c) -------------------------------- */

/*
 * A growable text buffer for text that may hold secrets (JSON documents,
 * HTTP bodies). It never reallocs: growing copies into a new block and
 * wipes the old one; freeing wipes. The text is always NUL-terminated.
 */
struct aa_kbuf {
	char *p;
	size_t len, cap;
	int oom; /* an allocation failed; the text is incomplete */
};

AA_HIDDEN void aa_kbuf_put(struct aa_kbuf *b, const char *s, size_t n);
AA_HIDDEN void aa_kbuf_puts(struct aa_kbuf *b, const char *s);
AA_HIDDEN void aa_kbuf_free(struct aa_kbuf *b);

/*
 * Room for `need` bytes in *buf (*cap bytes, the first `used` in use): a
 * bigger block (doubling from `first`) through aa_grow_wiped. 0, or -1 when
 * out of memory with *buf untouched.
 */
AA_HIDDEN int aa_reserve_wiped(char **buf, size_t *cap, size_t used,
			       size_t need, size_t first);

/*
 * A new malloc'd block of cap bytes holding the first `used` bytes of buf;
 * the old block is wiped and freed (it may hold secrets). On failure returns
 * NULL and leaves buf untouched (the caller still owns and wipes it).
 */
AA_HIDDEN char *aa_grow_wiped(char *buf, size_t used, size_t cap);

/* ---- line diff (util/diff.c) ------------------------------------------ */

/*
 * Append a unified diff (3 lines of context, difflib's hunk ranges) of text
 * a -> b to out: "--- label_a", "+++ label_b", then the hunks; nothing when
 * the texts are equal. Lines end at '\n' (a '\r' before it is part of the
 * line); a last line without one is marked "\ No newline at end of file".
 * 0, or -1 when out of memory.
 */
AA_HIDDEN int aa_line_diff(const char *a, size_t alen, const char *b, size_t blen,
			   const char *label_a, const char *label_b, struct aa_kbuf *out);

/* ---- clocks (util/clock.c) --------------------------------------------- */

/* Milliseconds / seconds since an arbitrary point (CLOCK_MONOTONIC). */
AA_HIDDEN long aa_monotonic_ms(void);
AA_HIDDEN double aa_monotonic_s(void);

/* ---- parsing words and digits (util/parse.c) --------------------------- */

/* 1 for 1/true/yes/on, 0 for 0/false/no/off (any case), -1 otherwise. */
AA_HIDDEN int aa_parse_bool(const char *v);

/* Value of one hexadecimal digit (either case), or -1. */
AA_HIDDEN int aa_hex_digit(char c);

/* ---- time shown to people (util/time_text.c) --------------------------- */

/* Room for aa_format_utc's text. */
#define AA_UTC_TEXT 64

/*
 * The one format users see for a moment in time: "2026-12-06 03:12 UTC".
 * Out-of-range times become "@<seconds since 1970>".
 */
AA_HIDDEN void aa_format_utc(int64_t t, char *buf, size_t len);

/*
 * AA_OK when `key` is not an expired JWT; otherwise AA_ERR_EXPIRED with the
 * one expiry message: "<what> expired on <when>; <fix>".
 */
AA_HIDDEN aa_status aa_check_not_expired(const char *key, time_t now,
					 const char *what, const char *fix,
					 aa_error *err);

/* ---- string vectors (util/strv.c; free with aa_strv_free) ------------- */

/*
 * Append s (taken over: freed on failure; NULL counts as a failure) to the
 * NULL-terminated vector *v holding *n strings. 0, or -1 when out of memory.
 */
AA_HIDDEN int aa_strv_push(char ***v, size_t *n, char *s);

/* 1 when one of the first n strings of v equals s. */
AA_HIDDEN int aa_strv_has(char *const *v, size_t n, const char *s);

/* ---- percent-encoding (util/percent.c) --------------------------------- */

/*
 * Form-style percent-encoding (Python's quote_plus): letters, digits and
 * "-._~" stay, a space becomes "+", every other byte %XX. malloc'd or NULL.
 */
AA_HIDDEN char *aa_percent_encode(const char *s);
/* Length of aa_percent_encode(s) without the NUL, and writing it to out
 * (returns the end of what was written, where the NUL is). */
AA_HIDDEN size_t aa_percent_encoded_len(const char *s);
AA_HIDDEN char *aa_percent_encode_into(char *out, const char *s);

/*
 * Decode s[0..len): "+" is a space, %XX a byte. A broken escape is kept as
 * written and counted in *broken; *out_len (may be NULL) gets the decoded
 * length, which is less than strlen() when a %00 was decoded. malloc'd.
 */
AA_HIDDEN char *aa_percent_decode(const char *s, size_t len, size_t *out_len,
				  int *broken);

/* ---- Anaconda's names and host[:port] (domain.c) ------------------------ */

/* The domain used when no setting names one. */
#define AA_DEFAULT_DOMAIN "anaconda.com"

/*
 * The domain the environment names, raw, by the settings' own variable
 * names (newest generation first), or NULL: for a front-end whose settings
 * did not load (config.c).
 */
AA_HIDDEN const char *aa_config_env_domain(void);

/*
 * The settings engine's view for `anaconda-auth config` (common/config_origin.c).
 * Origins read "--domain", "ANACONDA_AUTH_DOMAIN", "/run/secrets/anaconda_auth_domain",
 * "./.env:3", "~/.anaconda/config.toml:12 [sites.work]", "~/.condarc:2" or "default".
 */
struct aa_config_item {
	const char *name;   /* the setting: "domain" */
	char *value;        /* shown text (an API key as its fingerprint, header values
			       hidden), malloc'd; NULL when unset */
	const char *origin; /* where the value in effect came from */
};
AA_HIDDEN size_t aa_config_count(void);
/* Setting number i (0 .. aa_config_count()-1); the caller frees out->value. */
AA_HIDDEN aa_status aa_config_item(const aa_config *cfg, size_t i,
				   struct aa_config_item *out, aa_error *err);
/* Where setting `name` came from, or NULL for an unknown name. */
AA_HIDDEN const char *aa_config_origin(const aa_config *cfg, const char *name);
/* The selected site's name (NULL: none) and, in *why, how it was chosen. */
AA_HIDDEN const char *aa_config_site(const aa_config *cfg, const char **why);

/* The Anaconda domains (NULL-terminated); their subdomains are Anaconda's. */
AA_HIDDEN extern const char *const aa_anaconda_domains[];
/* Repository hosts whose tokens / API keys belong to AA_REPO_KEY_DOMAIN's
 * keyring entry (compared with a URL's host[:port]). */
AA_HIDDEN extern const char *const aa_repo_token_hosts[];
AA_HIDDEN extern const char *const aa_repo_api_key_hosts[];
#define AA_REPO_KEY_DOMAIN "anaconda.com"

/*
 * 1 when an unauthenticated redirect from host[:port] `from` may go to `to`:
 * the same host, or both in one Anaconda host family (anaconda.com and
 * anaconda.cloud with their subdomains; anaconda.org with its own), and
 * always on the same port (no port = 443).
 */
AA_HIDDEN int aa_host_redirect_ok(const char *from, const char *to);

/* 1 when hostport equals (any case) one entry of the NULL-terminated list. */
AA_HIDDEN int aa_host_in_list(const char *hostport, const char *const *list);

/*
 * The one character set of a host name everywhere: ASCII letters, digits,
 * '-', '.' and '_' (IPv6 literals go in brackets). Security rules that match
 * hosts still compare the whole host[:port] exactly (docs/security.md, 8).
 */
AA_HIDDEN int aa_host_char(int ch);

/* 1 when s[0..n) is a decimal port from 1 to 65535. */
AA_HIDDEN int aa_port_valid(const char *s, size_t n);

/*
 * host[:port] of a domain or URL ("https://user@Host:8443/x" -> "host:8443"),
 * host lower-cased; malloc'd, or NULL with *why saying what is wrong.
 */
AA_HIDDEN char *aa_hostport_normalize(const char *input, const char **why);

/* 1 when s already is a host[:port] in that form (any case). */
AA_HIDDEN int aa_hostport_valid(const char *s);

#endif
