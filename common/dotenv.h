/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dotenv.h - a parser for `.env` files with python-dotenv's syntax, used by
 * the settings loader and by the fuzz harness, and the trusted reader of
 * ./.env (internal, not installed).
 */
#ifndef AA_DOTENV_H
#define AA_DOTENV_H

#include <stddef.h>

#include "internal.h"

/*
 * Called once per assignment, in file order. `name` and `value` are
 * NUL-terminated and valid only during the call (the value is wiped right
 * after, as it may be an API key); `line` is where the assignment starts.
 * Anything but AA_OK stops the parse and is returned by aa_dotenv_parse.
 */
typedef aa_status (*aa_dotenv_cb)(const char *name, const char *value,
				  unsigned line, void *ctx, aa_error *err);

/*
 * Parse `len` bytes of .env text:
 *   [export ]NAME=VALUE   NAME unquoted ([^=#\s]+) or in single quotes
 *   VALUE unquoted        trimmed; " #..." after it is a comment
 *   VALUE '...'           literal except \' and \\ (may span lines)
 *   VALUE "..."           \n \t \r \" \' \\ \a \b \f \v decoded (may span lines)
 * Blank lines and `#` comments are skipped; LF, CRLF and CR all end a
 * line; a UTF-8 byte order mark at the start is ignored. A NAME without
 * `=` (python-dotenv: no value) is skipped. Anything else is AA_ERR_PARSE
 * with a message ".env line N: ..." that never quotes the file's text.
 */
AA_HIDDEN aa_status aa_dotenv_parse(const char *text, size_t len,
				    aa_dotenv_cb cb, void *ctx, aa_error *err);

/*
 * Read ./.env (at most 64 KiB) when it may be trusted: a regular file (not a
 * symlink) owned by the real user or root, not writable by group or others,
 * in a current directory owned by the real user or root and not writable by
 * group or others. When it is absent, or in a set-id program, *text is NULL.
 * When it is there but not trusted, *text is NULL and `why` says why (one
 * clause, no file contents). *text is malloc'd; wipe it before freeing.
 */
AA_HIDDEN aa_status aa_dotenv_read(char **text, size_t *len, char *why,
				   size_t why_len, aa_error *err);

#endif /* AA_DOTENV_H */
