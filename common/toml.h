/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * toml.h - a TOML 1.0 reader for config.toml, with the byte spans that
 * in-place edits need (toml_edit.c). Internal: hidden in the shared library.
 *
 * Files: toml_lex.c (strings, numbers, dates: one value's text),
 * toml_parse.c (statements, tables, the redefinition rules),
 * toml_load.c (files),
 * toml_tree.c (nodes, lookups), toml_edit.c (edits).
 */
#ifndef AA_TOML_H
#define AA_TOML_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* Largest document read (config.toml is a few hundred bytes). */
#define AA_TOML_MAX_BYTES (1024u * 1024u)
/* Deepest nesting of tables and arrays: consumers may recurse safely. */
#define AA_TOML_MAX_DEPTH 100u

typedef enum aa_toml_type {
	AA_TOML_STRING,
	AA_TOML_INTEGER,
	AA_TOML_FLOAT,
	AA_TOML_BOOL,
	AA_TOML_OFFSET_DATETIME, /* 1979-05-27T07:32:00Z, ...+01:00 */
	AA_TOML_LOCAL_DATETIME,  /* 1979-05-27T07:32:00 */
	AA_TOML_LOCAL_DATE,      /* 1979-05-27 */
	AA_TOML_LOCAL_TIME,      /* 07:32:00 */
	AA_TOML_ARRAY,
	AA_TOML_TABLE,
} aa_toml_type;

/* How a table came to be (the edits change only header-defined ones). */
typedef enum aa_toml_origin {
	AA_TOML_ROOT,       /* the document itself                       */
	AA_TOML_HEADER,     /* [a.b]                                     */
	AA_TOML_AOT,        /* one element of [[a.b]]                    */
	AA_TOML_IMPLICIT,   /* named on the way to a header: a in [a.b]   */
	AA_TOML_DOTTED,     /* a in a.b = 1                              */
	AA_TOML_INLINE,     /* { ... } (and tables inside one)           */
} aa_toml_origin;

typedef struct aa_toml aa_toml;           /* a parsed document; owns its nodes */
typedef struct aa_toml_node aa_toml_node; /* a value or a table             */

/*
 * Where a node is in the text, as byte offsets into aa_toml_text().
 * For a key/value pair (and the value of an array element):
 *   line_start  the first byte of the line holding the key
 *   value_start, value_end  the value's own text
 *   line_end    just past the newline ending the pair's last line (its
 *               comment included), or the document's length at the end
 * For a table defined by a header ([a] or [[a]]) and for the root:
 *   header_start, header_end  the header's line, newline included (root: 0, 0)
 *   body_end    where its body ends: the next header line's start, or the end
 *   kv_end      line_end of the body's last key/value pair (header_end if none)
 */
typedef struct aa_toml_where {
	unsigned line; /* 1-based: the key's line, or the header's */
	aa_toml_origin origin; /* tables only */
	size_t line_start, value_start, value_end, line_end;
	size_t header_start, header_end, body_end, kv_end;
} aa_toml_where;

/*
 * Parse len bytes of TOML 1.0 (UTF-8, no NUL needed). `filename` names the
 * document in errors (as the person should read it, e.g.
 * "~/.anaconda/config.toml"). Errors are AA_ERR_PARSE with one line,
 * "FILE:LINE: what is wrong", that never quotes a value (it may be a key);
 * AA_ERR_NOMEM. The text is copied; *out owns the copy.
 */
AA_HIDDEN aa_status aa_toml_parse(const char *text, size_t len, const char *filename,
				  aa_toml **out, aa_error *err);

/*
 * Read and parse a file: a regular file of at most AA_TOML_MAX_BYTES (a
 * symlink to one is followed). AA_ERR_NOT_FOUND when it does not exist
 * (the message says so), AA_ERR_USAGE when it is not a regular file or too
 * large, AA_ERR_GENERIC when it cannot be read, else as aa_toml_parse.
 * `shown` names it in errors (NULL: the path).
 */
AA_HIDDEN aa_status aa_toml_load_file(const char *path, const char *shown,
				      aa_toml **out, aa_error *err);
/* The same from an open descriptor (the caller checked whom it belongs to). */
AA_HIDDEN aa_status aa_toml_load_fd(int fd, const char *shown, aa_toml **out,
				    aa_error *err);

/* Wipe (strings may be API keys) and free; NULL is fine. */
AA_HIDDEN void aa_toml_free(aa_toml *doc);

/* The document's root table, and its text (the copy the spans index). */
AA_HIDDEN const aa_toml_node *aa_toml_root(const aa_toml *doc);
AA_HIDDEN const char *aa_toml_text(const aa_toml *doc, size_t *len);

/* ---- nodes ----------------------------------------------------------- */

/* The node's type (NULL: AA_TOML_TABLE, so check for NULL first). */
AA_HIDDEN aa_toml_type aa_toml_type_of(const aa_toml_node *n);
/* "string", "integer", ..., "table": for messages. */
AA_HIDDEN const char *aa_toml_type_name(aa_toml_type t);

/* Entries of a table or items of an array; 0 for anything else or NULL. */
AA_HIDDEN size_t aa_toml_count(const aa_toml_node *n);
/* The i-th entry in document order (*key gets a table entry's key, NULL
 * for an array item); NULL when out of range. */
AA_HIDDEN const aa_toml_node *aa_toml_at(const aa_toml_node *n, size_t i,
					 const char **key);
/* Like aa_toml_at, with the key's length (keys may hold "\u0000"). */
AA_HIDDEN const aa_toml_node *aa_toml_at_len(const aa_toml_node *n, size_t i,
					     const char **key, size_t *key_len);
/* The entry `key` (one key, not a dotted path) of a table, or NULL. */
AA_HIDDEN const aa_toml_node *aa_toml_get(const aa_toml_node *table, const char *key);
/* The table the path names (path[0..n), each one key), or NULL. */
AA_HIDDEN const aa_toml_node *aa_toml_get_path(const aa_toml_node *table,
					       const char *const *path, size_t n);

/*
 * Typed values; NULL / 0 when the node has another type. A string's text is
 * NUL-terminated; *len (may be NULL) gets its length, which is more than
 * strlen when it holds "\u0000". Date-times give their text in one form:
 * "T" between date and time, "Z" for a z/Z offset, the fraction as written.
 */
AA_HIDDEN const char *aa_toml_string(const aa_toml_node *n, size_t *len);
AA_HIDDEN int aa_toml_bool(const aa_toml_node *n, int *out);       /* 1 when n is a bool */
AA_HIDDEN int aa_toml_integer(const aa_toml_node *n, int64_t *out); /* 1 when an integer */
AA_HIDDEN int aa_toml_float(const aa_toml_node *n, double *out);    /* 1 when a float */
AA_HIDDEN const char *aa_toml_datetime(const aa_toml_node *n);

/* The 1-based line where the node's key/value pair or header is (0 for NULL). */
AA_HIDDEN unsigned aa_toml_line(const aa_toml_node *n);
/* Spans and origin (all zero for NULL). */
AA_HIDDEN aa_toml_where aa_toml_where_of(const aa_toml_node *n);

/* ---- edits (toml_edit.c) --------------------------------------------- */

/*
 * Each edit parses `text`, changes only the bytes it owns, parses its
 * result again and checks the change is there; then *out (malloc'd,
 * NUL-terminated, wipe it: it may hold an API key) and *out_len get the new
 * document. On any error *out is NULL and nothing else happened. A table is
 * named by path[0..n) (each one key: {"sites", "prod"}); n == 0 is the root.
 * Only tables defined by a [header] (or the root) are edited: one defined
 * inline, by dotted keys, implicitly or as [[array]] element is refused with
 * "FILE:LINE: sites.x is defined inline; edit it by hand" (AA_ERR_USAGE).
 * A missing table or key is AA_ERR_NOT_FOUND. New lines end as the
 * document's first line does (CRLF or LF).
 */

/*
 * key = value in the table. `value` is TOML text (aa_toml_quote for a
 * string, "true", "42"); it must parse as one value. An existing value's
 * bytes are replaced (its comment stays); a new pair goes after the table's
 * last key/value line (or right after its header).
 */
AA_HIDDEN aa_status aa_toml_edit_set(const char *text, size_t len, const char *filename,
				     const char *const *path, size_t n, const char *key,
				     const char *value, char **out, size_t *out_len,
				     aa_error *err);

/* Remove the pair `key` (its whole line(s), comment included) from the table. */
AA_HIDDEN aa_status aa_toml_edit_remove_key(const char *text, size_t len,
					    const char *filename, const char *const *path,
					    size_t n, const char *key, char **out,
					    size_t *out_len, aa_error *err);

/*
 * Append a new table [path] holding keys[i] = values[i] (TOML value text)
 * at the end of the document, after one blank line. AA_ERR_USAGE when the
 * table exists in any form.
 */
AA_HIDDEN aa_status aa_toml_edit_add_table(const char *text, size_t len,
					   const char *filename, const char *const *path,
					   size_t n, const char *const *keys,
					   const char *const *values, size_t nkeys,
					   char **out, size_t *out_len, aa_error *err);

/*
 * Remove the table [path] and every table under it ([path.x], [[path.y]]).
 * Each such section goes with: its header line, its body, and the comment
 * lines right above its header (no blank line between them: they describe
 * it). What stays: comment lines right above the NEXT header (they describe
 * that one), and the blank lines before the removed block (at the end of the
 * document those go too, so no blank tail is left).
 */
AA_HIDDEN aa_status aa_toml_edit_remove_table(const char *text, size_t len,
					      const char *filename,
					      const char *const *path, size_t n,
					      char **out, size_t *out_len, aa_error *err);

/* TOML text of a key (bare when it can be, else "quoted") and of a string
 * value (a basic string, escaped). malloc'd; NULL when out of memory. */
AA_HIDDEN char *aa_toml_quote_key(const char *key);
AA_HIDDEN char *aa_toml_quote(const char *s);
/* A dotted path for messages: sites."my site" (malloc'd or NULL). */
AA_HIDDEN char *aa_toml_path_text(const char *const *path, size_t n);

#endif /* AA_TOML_H */
