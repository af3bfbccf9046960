/* SPDX-License-Identifier: BSD-3-Clause */
/* toml_edit.c - byte-preserving edits of a TOML document (set/remove a key, add/remove a [table]) for `anaconda-auth sites`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toml_internal.h"
#include "util/aa_util.h"

/* One edit in progress: the parsed input and how its lines end. */
struct edit {
	const char *text;
	size_t len;
	const char *file;
	const char *nl; /* "\n" or "\r\n", as the first line ends */
	aa_toml *doc;
	aa_error *err;
};

/* ---- quoting --------------------------------------------------------- */

static int is_bare(const char *key)
{
	if (!*key)
		return 0;
	for (; *key; key++)
		if (!aa_toml_bare_char((unsigned char)*key))
			return 0;
	return 1;
}

char *aa_toml_quote(const char *s)
{
	struct aa_kbuf b = { 0 };
	char esc[8];

	aa_kbuf_put(&b, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *e = NULL;

		switch (c) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\b': e = "\\b"; break;
		case '\t': e = "\\t"; break;
		case '\n': e = "\\n"; break;
		case '\f': e = "\\f"; break;
		case '\r': e = "\\r"; break;
		default:
			if (c < 0x20 || c == 0x7f) {
				snprintf(esc, sizeof(esc), "\\u%04X", c);
				e = esc;
			}
		}
		if (e)
			aa_kbuf_puts(&b, e);
		else
			aa_kbuf_put(&b, s, 1);
	}
	aa_kbuf_put(&b, "\"", 1);
	if (b.oom) {
		aa_kbuf_free(&b);
		return NULL;
	}
	return b.p; /* the caller wipes it: it may be an API key */
}

char *aa_toml_quote_key(const char *key)
{
	return is_bare(key) ? strdup(key) : aa_toml_quote(key);
}

char *aa_toml_path_text(const char *const *path, size_t n)
{
	struct aa_kbuf b = { 0 };

	for (size_t i = 0; i < n; i++) {
		char *q = aa_toml_quote_key(path[i]);

		if (!q) {
			aa_kbuf_free(&b);
			return NULL;
		}
		if (i)
			aa_kbuf_put(&b, ".", 1);
		aa_kbuf_puts(&b, q);
		free(q);
	}
	if (!n)
		aa_kbuf_puts(&b, "(top level)");
	if (b.oom) {
		aa_kbuf_free(&b);
		return NULL;
	}
	return b.p;
}

/* ---- lines ----------------------------------------------------------- */

static size_t line_begin(const char *s, size_t off)
{
	while (off > 0 && s[off - 1] != '\n')
		off--;
	return off;
}

/* The first non-blank byte of the line [b, ...) is c. */
static int line_starts_with(const char *s, size_t len, size_t b, char c)
{
	while (b < len && (s[b] == ' ' || s[b] == '\t'))
		b++;
	return b < len && s[b] == c;
}

static int line_is_blank(const char *s, size_t len, size_t b)
{
	while (b < len && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r'))
		b++;
	return b >= len || s[b] == '\n';
}

/* Start of the comment lines right above the line at b (b when none). */
static size_t comments_above(const char *s, size_t len, size_t b)
{
	while (b > 0) {
		size_t prev = line_begin(s, b - 1);

		if (!line_starts_with(s, len, prev, '#'))
			break;
		b = prev;
	}
	return b;
}

/* Start of the blank lines right above the line at b. */
static size_t blanks_above(const char *s, size_t len, size_t b)
{
	while (b > 0) {
		size_t prev = line_begin(s, b - 1);

		if (!line_is_blank(s, len, prev))
			break;
		b = prev;
	}
	return b;
}

/* ---- parsing the input and finding the table ----------------------- */

static aa_status edit_open(struct edit *e, const char *text, size_t len, const char *file,
			   aa_error *err)
{
	const char *lf = memchr(text, '\n', len);

	e->text = text;
	e->len = len;
	e->file = file ? file : "TOML";
	e->err = err;
	e->nl = lf && lf > text && lf[-1] == '\r' ? "\r\n" : "\n";
	e->doc = NULL;
	return aa_toml_parse(text, len, e->file, &e->doc, err);
}

static aa_status refuse(struct edit *e, const aa_toml_node *t, const char *const *path,
			size_t n, const char *how)
{
	char *name = aa_toml_path_text(path, n);
	aa_status rc = aa_fail(e->err, AA_ERR_USAGE, "%s:%u: %s %s; edit it by hand", e->file,
			       t->where.line, name ? name : "the table", how);

	free(name);
	return rc;
}

/* Why a table cannot be edited here, or NULL: only [header] tables and the root. */
static const char *not_editable(const aa_toml_node *t)
{
	if (!t)
		return "is missing";
	for (const aa_toml_node *up = t; up; up = up->parent)
		if (up->frozen || up->origin == AA_TOML_INLINE)
			return "is defined inline";
	switch (t->origin) {
	case AA_TOML_DOTTED: return "is defined by dotted keys";
	case AA_TOML_IMPLICIT: return "has no [header] of its own";
	case AA_TOML_AOT: return "is in an array of tables";
	default: return NULL;
	}
}

/* The table path names, editable: AA_ERR_NOT_FOUND / AA_ERR_USAGE otherwise. */
static aa_status find_table(struct edit *e, const char *const *path, size_t n,
			    aa_toml_node **out)
{
	aa_toml_node *t = e->doc->root;
	const char *why;
	char *name;

	for (size_t i = 0; i < n; i++) {
		aa_toml_node *c = aa_toml_find(t, path[i], strlen(path[i]));

		if (!c) {
			name = aa_toml_path_text(path, n);
			aa_fail(e->err, AA_ERR_NOT_FOUND, "%s has no [%s] table", e->file,
				name ? name : "?");
			free(name);
			return AA_ERR_NOT_FOUND;
		}
		if (c->type == AA_TOML_ARRAY && c->aot)
			return refuse(e, c, path, i + 1, "is an array of tables");
		if (c->type != AA_TOML_TABLE) {
			name = aa_toml_path_text(path, i + 1);
			aa_fail(e->err, AA_ERR_USAGE, "%s:%u: %s is %s, not a table", e->file,
				c->where.line, name ? name : "?", aa_toml_type_name(c->type));
			free(name);
			return AA_ERR_USAGE;
		}
		t = c;
	}
	why = not_editable(t);
	if (why)
		return refuse(e, t, path, n, why);
	*out = t;
	return AA_OK;
}

/* A key/value pair of the table's own body (its bytes can be replaced or removed). */
static int own_pair(const aa_toml_node *v)
{
	if (v->type == AA_TOML_ARRAY && v->aot)
		return 0;
	if (v->type == AA_TOML_TABLE && v->origin != AA_TOML_INLINE)
		return 0;
	return 1;
}

/* `value` is exactly one TOML value (nothing before or after it). */
static aa_status check_value(struct edit *e, const char *key, const char *value)
{
	aa_error perr = { 0 };
	aa_toml *doc = NULL;
	size_t vl = strlen(value);
	/* one exact block, no printf: it may hold an API key (vasprintf grows and frees) */
	char *text = malloc(vl + 5);
	const aa_toml_node *v;
	const char *why;
	int ok = 0;

	if (!text)
		return aa_fail(e->err, AA_ERR_NOMEM, "out of memory");
	memcpy(text, "v = ", 4);
	memcpy(text + 4, value, vl + 1);
	if (aa_toml_parse(text, strlen(text), "value", &doc, &perr) == AA_OK) {
		v = aa_toml_get(aa_toml_root(doc), "v");
		ok = aa_toml_count(aa_toml_root(doc)) == 1 && v &&
		     v->where.value_start == 4 && v->where.value_end == strlen(text);
	}
	aa_toml_free(doc);
	aa_memzero(text, strlen(text));
	free(text);
	if (ok)
		return AA_OK;
	/* perr names only our own "value:1:", never the value; but a line after a
	 * newline in it would be read as a key, which errors quote: say nothing then */
	why = strpbrk(value, "\r\n") ? NULL : strstr(perr.message, ": ");
	return aa_fail(e->err, AA_ERR_USAGE, "the new value of %s is not one TOML value%s%s",
		       key, why ? ": " : "", why ? why + 2 : "");
}

/* ---- building and checking the result ---------------------------------- */

/* text[0..a) + insert + text[b..len) into *out (wiped buffer). */
static aa_status splice(struct edit *e, size_t a, size_t b, const char *insert,
			struct aa_kbuf *out)
{
	memset(out, 0, sizeof(*out));
	aa_kbuf_put(out, e->text, a);
	aa_kbuf_puts(out, insert);
	aa_kbuf_put(out, e->text + b, e->len - b);
	if (out->oom) {
		aa_kbuf_free(out);
		return aa_fail(e->err, AA_ERR_NOMEM, "out of memory");
	}
	return AA_OK;
}

/* Parse the result again; *doc is it. Refuses (AA_ERR_GENERIC) a broken one. */
static aa_status reparse(struct edit *e, const struct aa_kbuf *b, aa_toml **doc)
{
	aa_error perr = { 0 };

	if (aa_toml_parse(b->p, b->len, e->file, doc, &perr) == AA_OK)
		return AA_OK;
	return aa_fail(e->err, AA_ERR_GENERIC, "editing %s would break it (%s); it was not "
					       "changed", e->file, perr.message);
}

static aa_status wrong_result(struct edit *e, const char *what)
{
	return aa_fail(e->err, AA_ERR_GENERIC, "editing %s did not %s; it was not changed",
		       e->file, what);
}

static aa_status finish_edit(struct edit *e, aa_status rc, struct aa_kbuf *b, char **out,
			size_t *out_len)
{
	aa_toml_free(e->doc);
	if (rc != AA_OK) {
		aa_kbuf_free(b);
		return rc;
	}
	*out = b->p;
	if (out_len)
		*out_len = b->len;
	return AA_OK;
}

/* The result's value of key in table path is the text `value`. */
static int has_value(const aa_toml *doc, const char *const *path, size_t n,
		     const char *key, const char *value)
{
	const aa_toml_node *v = aa_toml_get(aa_toml_get_path(aa_toml_root(doc), path, n), key);
	size_t vl = strlen(value);

	return v && v->where.value_end - v->where.value_start == vl &&
	       memcmp(doc->text + v->where.value_start, value, vl) == 0;
}

/* ---- set a key ------------------------------------------------------- */

/* Where a new pair goes in table t, and what comes before it. */
static size_t insert_point(struct edit *e, const aa_toml_node *t, const char **before)
{
	size_t at;

	*before = "";
	/* a file without headers: at its end */
	if (t->origin != AA_TOML_ROOT || t->where.kv_end || t->where.body_end == e->len) {
		at = t->origin == AA_TOML_ROOT && !t->where.kv_end ? e->len : t->where.kv_end;
		if (at == e->len && e->len && e->text[e->len - 1] != '\n')
			*before = e->nl; /* the last line had no newline */
		return at;
	}
	/* the root holds no pair yet: above the first header's comments */
	return comments_above(e->text, e->len, t->where.body_end);
}

static aa_status build_set(struct edit *e, aa_toml_node *t, const char *key,
			   const char *value, struct aa_kbuf *b)
{
	aa_toml_node *v = aa_toml_find(t, key, strlen(key));
	const char *before;
	struct aa_kbuf line = { 0 };
	char *qkey;
	size_t at;
	aa_status rc;

	if (v && !own_pair(v))
		return aa_fail(e->err, AA_ERR_USAGE, "%s:%u: %s is a table here; edit it by hand",
			       e->file, v->where.line, key);
	if (v)
		return splice(e, v->where.value_start, v->where.value_end, value, b);
	qkey = aa_toml_quote_key(key);
	at = insert_point(e, t, &before);
	/* in a wiped buffer: the value may be an API key */
	aa_kbuf_puts(&line, before);
	aa_kbuf_puts(&line, qkey ? qkey : "");
	aa_kbuf_puts(&line, " = ");
	aa_kbuf_puts(&line, value);
	aa_kbuf_puts(&line, e->nl);
	/* a new first pair above a header gets a blank line between */
	if (t->origin == AA_TOML_ROOT && !t->where.kv_end && at < e->len &&
	    t->where.body_end < e->len && !line_is_blank(e->text, e->len, at))
		aa_kbuf_puts(&line, e->nl);
	if (!qkey || line.oom) {
		free(qkey);
		aa_kbuf_free(&line);
		return aa_fail(e->err, AA_ERR_NOMEM, "out of memory");
	}
	free(qkey);
	rc = splice(e, at, at, line.p, b);
	aa_kbuf_free(&line);
	return rc;
}

aa_status aa_toml_edit_set(const char *text, size_t len, const char *filename,
			   const char *const *path, size_t n, const char *key,
			   const char *value, char **out, size_t *out_len, aa_error *err)
{
	struct edit e;
	struct aa_kbuf b = { 0 };
	aa_toml_node *t = NULL;
	aa_toml *after = NULL;
	aa_status rc;

	*out = NULL;
	rc = edit_open(&e, text, len, filename, err);
	if (rc == AA_OK)
		rc = check_value(&e, key, value);
	if (rc == AA_OK)
		rc = find_table(&e, path, n, &t);
	if (rc == AA_OK)
		rc = build_set(&e, t, key, value, &b);
	if (rc == AA_OK)
		rc = reparse(&e, &b, &after);
	if (rc == AA_OK && !has_value(after, path, n, key, value))
		rc = wrong_result(&e, "set the value");
	aa_toml_free(after);
	return finish_edit(&e, rc, &b, out, out_len);
}

/* ---- remove a key ---------------------------------------------------- */

aa_status aa_toml_edit_remove_key(const char *text, size_t len, const char *filename,
				  const char *const *path, size_t n, const char *key,
				  char **out, size_t *out_len, aa_error *err)
{
	struct edit e;
	struct aa_kbuf b = { 0 };
	aa_toml_node *t = NULL, *v = NULL;
	aa_toml *after = NULL;
	char *name;
	aa_status rc;

	*out = NULL;
	rc = edit_open(&e, text, len, filename, err);
	if (rc == AA_OK)
		rc = find_table(&e, path, n, &t);
	if (rc == AA_OK) {
		v = aa_toml_find(t, key, strlen(key));
		name = v ? NULL : aa_toml_path_text(path, n);
		if (!v) {
			aa_fail(err, AA_ERR_NOT_FOUND, "%s: [%s] has no key %s", e.file,
				name ? name : "?", key);
			rc = AA_ERR_NOT_FOUND;
		} else if (!own_pair(v)) {
			aa_fail(err, AA_ERR_USAGE, "%s:%u: %s is a table here; edit it by hand",
				e.file, v->where.line, key);
			rc = AA_ERR_USAGE;
		}
		free(name);
	}
	if (rc == AA_OK)
		rc = splice(&e, v->where.line_start, v->where.line_end, "", &b);
	if (rc == AA_OK)
		rc = reparse(&e, &b, &after);
	if (rc == AA_OK &&
	    aa_toml_get(aa_toml_get_path(aa_toml_root(after), path, n), key))
		rc = wrong_result(&e, "remove the key");
	aa_toml_free(after);
	return finish_edit(&e, rc, &b, out, out_len);
}

/* ---- add a table ----------------------------------------------------- */

/* AA_OK when [path] can be added: it does not exist and nothing closes it. */
static aa_status table_is_new(struct edit *e, const char *const *path, size_t n)
{
	const aa_toml_node *t = e->doc->root, *c = NULL;
	char *name;
	aa_status rc = AA_OK;

	for (size_t i = 0; i < n && t; i++) {
		c = aa_toml_find(t, path[i], strlen(path[i]));
		if (c && (c->type != AA_TOML_TABLE || c->frozen || c->origin == AA_TOML_INLINE ||
			  i + 1 == n)) {
			name = aa_toml_path_text(path, i + 1);
			rc = aa_fail(e->err, AA_ERR_USAGE, "%s:%u: %s is already defined%s",
				     e->file, c->where.line, name ? name : "?",
				     i + 1 == n ? "" : ", so a table under it cannot be added");
			free(name);
			return rc;
		}
		t = c;
	}
	return AA_OK;
}

static aa_status build_add(struct edit *e, const char *const *path, size_t n,
			   const char *const *keys, const char *const *values, size_t nkeys,
			   struct aa_kbuf *b)
{
	char *name = aa_toml_path_text(path, n);

	memset(b, 0, sizeof(*b));
	aa_kbuf_put(b, e->text, e->len);
	if (e->len && e->text[e->len - 1] != '\n')
		aa_kbuf_puts(b, e->nl);
	/* one blank line between the last table and ours */
	if (e->len && !line_is_blank(e->text, e->len, line_begin(e->text, e->len - 1)))
		aa_kbuf_puts(b, e->nl);
	aa_kbuf_puts(b, "[");
	aa_kbuf_puts(b, name ? name : "");
	aa_kbuf_puts(b, "]");
	aa_kbuf_puts(b, e->nl);
	free(name);
	for (size_t i = 0; i < nkeys; i++) {
		char *q = aa_toml_quote_key(keys[i]);

		if (!q) {
			b->oom = 1;
			break;
		}
		aa_kbuf_puts(b, q);
		aa_kbuf_puts(b, " = ");
		aa_kbuf_puts(b, values[i]);
		aa_kbuf_puts(b, e->nl);
		free(q);
	}
	if (!name || b->oom) {
		aa_kbuf_free(b);
		return aa_fail(e->err, AA_ERR_NOMEM, "out of memory");
	}
	return AA_OK;
}

aa_status aa_toml_edit_add_table(const char *text, size_t len, const char *filename,
				 const char *const *path, size_t n, const char *const *keys,
				 const char *const *values, size_t nkeys, char **out,
				 size_t *out_len, aa_error *err)
{
	struct edit e;
	struct aa_kbuf b = { 0 };
	aa_toml *after = NULL;
	const aa_toml_node *t;
	aa_status rc;

	*out = NULL;
	rc = edit_open(&e, text, len, filename, err);
	if (rc == AA_OK && n == 0)
		rc = aa_fail(err, AA_ERR_USAGE, "a new table needs a name");
	for (size_t i = 0; rc == AA_OK && i < nkeys; i++)
		rc = check_value(&e, keys[i], values[i]);
	if (rc == AA_OK)
		rc = table_is_new(&e, path, n);
	if (rc == AA_OK)
		rc = build_add(&e, path, n, keys, values, nkeys, &b);
	if (rc == AA_OK)
		rc = reparse(&e, &b, &after);
	if (rc == AA_OK) {
		t = aa_toml_get_path(aa_toml_root(after), path, n);
		if (!t || t->origin != AA_TOML_HEADER || aa_toml_count(t) != nkeys)
			rc = wrong_result(&e, "add the table");
		for (size_t i = 0; rc == AA_OK && i < nkeys; i++)
			if (!has_value(after, path, n, keys[i], values[i]))
				rc = wrong_result(&e, "add the table");
	}
	aa_toml_free(after);
	return finish_edit(&e, rc, &b, out, out_len);
}

/* ---- remove a table -------------------------------------------------- */

static int table_is_under(const aa_toml_node *t, const aa_toml_node *top)
{
	for (; t; t = t->parent)
		if (t == top)
			return 1;
	return 0;
}

/*
 * The bytes one section owns: the comment lines right above its header,
 * the header, its body, except the comment lines right above the next
 * header (they describe that one).
 */
static void section_span(const struct edit *e, size_t i, size_t *a, size_t *z)
{
	const aa_toml_node *t = e->doc->sections[i].table, *next;

	/* only lines the parser read as comments (not a multi-line string's) */
	*a = comments_above(e->text, e->len, t->where.header_start);
	if (*a < t->stmt_before)
		*a = t->stmt_before;
	*z = t->where.body_end;
	if (i + 1 < e->doc->nsections) {
		next = e->doc->sections[i + 1].table;
		*z = comments_above(e->text, e->len, *z);
		if (*z < next->stmt_before)
			*z = next->stmt_before;
	}
}

static aa_status build_remove(struct edit *e, const aa_toml_node *top, struct aa_kbuf *b)
{
	size_t keep_from = 0, a, z, cut_a = 0, cut_z = 0;
	int open = 0;

	memset(b, 0, sizeof(*b));
	for (size_t i = 0; i < e->doc->nsections; i++) {
		if (!table_is_under(e->doc->sections[i].table, top))
			continue;
		section_span(e, i, &a, &z);
		if (open && a <= cut_z) { /* touches the range being cut: one range */
			cut_z = z > cut_z ? z : cut_z;
			continue;
		}
		if (open) {
			aa_kbuf_put(b, e->text + keep_from, cut_a - keep_from);
			keep_from = cut_z;
		}
		cut_a = a;
		cut_z = z;
		open = 1;
	}
	if (open) {
		if (cut_z == e->len) /* no blank tail at the end of the file */
			cut_a = blanks_above(e->text, e->len, cut_a);
		aa_kbuf_put(b, e->text + keep_from, cut_a - keep_from);
		keep_from = cut_z;
	}
	aa_kbuf_put(b, e->text + keep_from, e->len - keep_from);
	if (b->oom) {
		aa_kbuf_free(b);
		return aa_fail(e->err, AA_ERR_NOMEM, "out of memory");
	}
	return AA_OK;
}

aa_status aa_toml_edit_remove_table(const char *text, size_t len, const char *filename,
				    const char *const *path, size_t n, char **out,
				    size_t *out_len, aa_error *err)
{
	struct edit e;
	struct aa_kbuf b = { 0 };
	aa_toml_node *t = NULL;
	aa_toml *after = NULL;
	aa_status rc;

	*out = NULL;
	rc = edit_open(&e, text, len, filename, err);
	if (rc == AA_OK && n == 0)
		rc = aa_fail(err, AA_ERR_USAGE, "the top level of %s cannot be removed", e.file);
	if (rc == AA_OK)
		rc = find_table(&e, path, n, &t);
	if (rc == AA_OK)
		rc = build_remove(&e, t, &b);
	if (rc == AA_OK)
		rc = reparse(&e, &b, &after);
	if (rc == AA_OK && aa_toml_get_path(aa_toml_root(after), path, n))
		rc = wrong_result(&e, "remove the table");
	aa_toml_free(after);
	return finish_edit(&e, rc, &b, out, out_len);
}
