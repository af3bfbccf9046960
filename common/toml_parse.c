/* SPDX-License-Identifier: BSD-3-Clause */
/* toml_parse.c - TOML 1.0 statements: keys, headers, arrays, inline tables and the rules on defining a table twice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toml_internal.h"

/* A dotted key's parts, as lexed (arena text). */
struct key_path {
	char *part[AA_TOML_MAX_DEPTH];
	size_t len[AA_TOML_MAX_DEPTH];
	size_t n;
	size_t start; /* offset of the key's first byte */
};

static aa_status value(struct aa_toml_parser *p, unsigned depth, aa_toml_node **out);

/* A key path for messages, cut to fit: a.b."c d" */
static void path_text(const struct key_path *k, size_t n, char *buf, size_t cap)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used + 1 < cap; i++) {
		int bare = k->len[i] > 0;

		for (size_t j = 0; j < k->len[i]; j++)
			bare = bare && aa_toml_bare_char((unsigned char)k->part[i][j]);
		used += (size_t)snprintf(buf + used, cap - used, bare ? "%s%.*s" : "%s\"%.*s\"",
					 i ? "." : "", (int)(k->len[i] > 60 ? 60 : k->len[i]),
					 k->part[i]);
		if (used >= cap)
			used = cap - 1;
	}
}

/* ---- whitespace, comments, newlines ---------------------------------- */

static int at_char(const struct aa_toml_parser *p, char c)
{
	return p->pos < p->len && p->s[p->pos] == c;
}

static void skip_ws(struct aa_toml_parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t'))
		p->pos++;
}

/* Length of the newline at p->pos (LF or CRLF), 0 when none. */
static size_t newline_len(const struct aa_toml_parser *p)
{
	if (at_char(p, '\n'))
		return 1;
	if (p->pos + 1 < p->len && p->s[p->pos] == '\r' && p->s[p->pos + 1] == '\n')
		return 2;
	return 0;
}

/* A comment at p->pos, up to (not including) its newline. */
static aa_status skip_toml_comment(struct aa_toml_parser *p)
{
	if (!at_char(p, '#'))
		return AA_OK;
	for (p->pos++; p->pos < p->len; p->pos++) {
		unsigned char c = (unsigned char)p->s[p->pos];

		if (c == '\n' || (c == '\r' && newline_len(p)))
			break;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return aa_toml_error(p, p->pos, "control character U+%04X in a comment", c);
	}
	return AA_OK;
}

/* Whitespace, newlines and comments (inside arrays). */
static aa_status skip_ws_lines(struct aa_toml_parser *p)
{
	for (;;) {
		size_t nl;

		skip_ws(p);
		if ((nl = newline_len(p)) != 0) {
			p->pos += nl;
			continue;
		}
		if (!at_char(p, '#'))
			return AA_OK;
		if (skip_toml_comment(p) != AA_OK)
			return AA_ERR_PARSE;
	}
}

/* After a statement: spaces, a comment, then a newline or the end. */
static aa_status end_of_line(struct aa_toml_parser *p, const char *after)
{
	size_t nl;

	skip_ws(p);
	if (skip_toml_comment(p) != AA_OK)
		return AA_ERR_PARSE;
	if (p->pos >= p->len)
		return AA_OK;
	if ((nl = newline_len(p)) != 0) {
		p->pos += nl;
		return AA_OK;
	}
	if (p->s[p->pos] == '\r')
		return aa_toml_error(p, p->pos, "a carriage return without a line feed after %s",
				     after);
	return aa_toml_error(p, p->pos, "expected the end of the line after %s (one "
					"statement per line; a comment starts with #)", after);
}

/* ---- keys ------------------------------------------------------------ */

static aa_status key_part(struct aa_toml_parser *p, struct key_path *k)
{
	size_t start = p->pos;
	char *copy;

	if (k->n >= AA_TOML_MAX_DEPTH)
		return aa_toml_error(p, start, "key nested deeper than %u levels",
				     AA_TOML_MAX_DEPTH);
	if (at_char(p, '"') || at_char(p, '\'')) {
		if (aa_toml_lex_string(p, 0, &k->part[k->n], &k->len[k->n]) != AA_OK)
			return AA_ERR_PARSE;
		k->n++;
		return AA_OK;
	}
	while (p->pos < p->len && aa_toml_bare_char((unsigned char)p->s[p->pos]))
		p->pos++;
	if (p->pos == start)
		return aa_toml_error(p, start, "expected a key (letters, digits, _ and -, or a "
					       "quoted key)");
	copy = aa_toml_alloc(p->doc, p->pos - start + 1);
	if (!copy) {
		p->failed = 1;
		return aa_fail(p->err, AA_ERR_NOMEM, "out of memory");
	}
	memcpy(copy, p->s + start, p->pos - start);
	copy[p->pos - start] = '\0';
	k->part[k->n] = copy;
	k->len[k->n++] = p->pos - start;
	return AA_OK;
}

/* key ( ws . ws key )*, then the spaces after it. */
static aa_status key(struct aa_toml_parser *p, struct key_path *k)
{
	k->n = 0;
	k->start = p->pos;
	for (;;) {
		if (key_part(p, k) != AA_OK)
			return AA_ERR_PARSE;
		skip_ws(p);
		if (!at_char(p, '.'))
			return AA_OK;
		p->pos++;
		skip_ws(p);
	}
}

/* ---- building tables ------------------------------------------------- */

static aa_toml_node *new_node(struct aa_toml_parser *p, aa_toml_type type)
{
	aa_toml_node *n = aa_toml_new_node(p->doc, type);

	if (!n) {
		p->failed = 1;
		aa_fail(p->err, AA_ERR_NOMEM, "out of memory");
	}
	return n;
}

static aa_status add(struct aa_toml_parser *p, aa_toml_node *t, const struct key_path *k,
		     size_t i, aa_toml_node *v)
{
	if (t->depth + 1 > AA_TOML_MAX_DEPTH)
		return aa_toml_error(p, k->start, "tables nested deeper than %u levels",
				     AA_TOML_MAX_DEPTH);
	if (v->type == AA_TOML_TABLE || v->type == AA_TOML_ARRAY)
		v->depth = t->depth + 1;
	if (aa_toml_table_add(p->doc, t, k->part[i], k->len[i], v) < 0) {
		p->failed = 1;
		return aa_fail(p->err, AA_ERR_NOMEM, "out of memory");
	}
	return AA_OK;
}

/* A new table made on the way to a key (implicit or dotted). */
static aa_toml_node *new_table(struct aa_toml_parser *p, aa_toml_node *parent,
			       const struct key_path *k, size_t i, aa_toml_origin origin)
{
	aa_toml_node *t = new_node(p, AA_TOML_TABLE);

	if (!t)
		return NULL;
	t->origin = origin;
	t->section = p->section;
	t->where.origin = origin;
	t->where.line = aa_toml_line_at(p, k->start, &t->where.line_start);
	if (add(p, parent, k, i, t) != AA_OK)
		return NULL;
	return t;
}

static aa_status conflict(struct aa_toml_parser *p, const struct key_path *k, size_t i,
			  const aa_toml_node *have, const char *why)
{
	char name[200];
	const char *type = aa_toml_type_name(have->type);

	path_text(k, i + 1, name, sizeof(name));
	if (have->type == AA_TOML_ARRAY && have->aot)
		type = "array of tables";
	else if (have->type == AA_TOML_TABLE && have->origin == AA_TOML_INLINE)
		type = "inline table";
	return aa_toml_error(p, k->start, "\"%s\" is already defined on line %u (as %s %s); %s",
			     name, have->where.line, strchr("aeiou", type[0]) ? "an" : "a",
			     type, why);
}

/*
 * The table a header's parts lead through (all but the last): missing ones
 * are made implicitly, an array of tables means its last element, and
 * inline tables and plain arrays are closed.
 */
static aa_toml_node *header_walk(struct aa_toml_parser *p, const struct key_path *k)
{
	aa_toml_node *t = p->doc->root;

	for (size_t i = 0; i + 1 < k->n; i++) {
		aa_toml_node *c = aa_toml_find(t, k->part[i], k->len[i]);

		if (!c) {
			t = new_table(p, t, k, i, AA_TOML_IMPLICIT);
			if (!t)
				return NULL;
			continue;
		}
		if (c->type == AA_TOML_ARRAY && c->aot)
			c = c->u.a.items[c->u.a.n - 1];
		if (c->type != AA_TOML_TABLE || c->frozen) {
			conflict(p, k, i, c, c->type == AA_TOML_TABLE ?
				 "an inline table is complete as written" :
				 "a header cannot add to it");
			return NULL;
		}
		t = c;
	}
	return t;
}

static void begin_section(struct aa_toml_parser *p, aa_toml_node *t, size_t line_start,
			  unsigned line)
{
	struct aa_toml_section *s;

	/* the previous section's body ends where this header's line starts */
	if (p->doc->nsections)
		p->doc->sections[p->doc->nsections - 1].table->where.body_end = line_start;
	else
		p->doc->root->where.body_end = line_start;
	s = &p->doc->sections[p->doc->nsections++];
	s->table = t;
	t->where.line = line;
	t->where.line_start = line_start;
	t->where.header_start = line_start;
	t->stmt_before = p->stmt_end;
	p->section++;
	p->current = t;
}

/* Room for one more section record. */
static aa_status section_room(struct aa_toml_parser *p)
{
	aa_toml *d = p->doc;
	struct aa_toml_section *bigger;
	size_t cap;

	if (d->nsections < d->sections_cap)
		return AA_OK;
	cap = d->sections_cap ? d->sections_cap * 2 : 16;
	bigger = realloc(d->sections, cap * sizeof(*bigger));
	if (!bigger) {
		p->failed = 1;
		return aa_fail(p->err, AA_ERR_NOMEM, "out of memory");
	}
	d->sections = bigger;
	d->sections_cap = cap;
	return AA_OK;
}

/* [a.b]: the table is new, or was only named on the way to another header. */
static aa_toml_node *define_table(struct aa_toml_parser *p, const struct key_path *k)
{
	aa_toml_node *parent = header_walk(p, k), *t;
	size_t last = k->n - 1;

	if (!parent)
		return NULL;
	t = aa_toml_find(parent, k->part[last], k->len[last]);
	if (!t)
		return new_table(p, parent, k, last, AA_TOML_HEADER);
	if (t->type != AA_TOML_TABLE || t->frozen || t->origin != AA_TOML_IMPLICIT) {
		conflict(p, k, last, t, t->type == AA_TOML_TABLE && t->origin == AA_TOML_DOTTED ?
			 "a table made by dotted keys cannot be opened again with [header]" :
			 "each table is defined once");
		return NULL;
	}
	t->origin = AA_TOML_HEADER;
	t->where.origin = AA_TOML_HEADER;
	return t;
}

/* [[a.b]]: a new element of the array of tables a.b. */
static aa_toml_node *append_table(struct aa_toml_parser *p, const struct key_path *k)
{
	aa_toml_node *parent = header_walk(p, k), *arr, *t;
	size_t last = k->n - 1;

	if (!parent)
		return NULL;
	arr = aa_toml_find(parent, k->part[last], k->len[last]);
	if (!arr) {
		arr = new_node(p, AA_TOML_ARRAY);
		if (!arr)
			return NULL;
		arr->aot = 1;
		arr->where.line = aa_toml_line_at(p, k->start, &arr->where.line_start);
		if (add(p, parent, k, last, arr) != AA_OK)
			return NULL;
	} else if (arr->type != AA_TOML_ARRAY || !arr->aot) {
		conflict(p, k, last, arr, "[[...]] adds only to an array of tables");
		return NULL;
	}
	if (arr->depth + 1 > AA_TOML_MAX_DEPTH) {
		aa_toml_error(p, k->start, "tables nested deeper than %u levels",
			      AA_TOML_MAX_DEPTH);
		return NULL;
	}
	t = new_node(p, AA_TOML_TABLE);
	if (!t)
		return NULL;
	t->origin = AA_TOML_AOT;
	t->where.origin = AA_TOML_AOT;
	t->depth = arr->depth + 1;
	if (aa_toml_array_add(p->doc, arr, t) < 0) {
		p->failed = 1;
		aa_fail(p->err, AA_ERR_NOMEM, "out of memory");
		return NULL;
	}
	return t;
}

static aa_status header(struct aa_toml_parser *p, size_t line_start)
{
	struct key_path k;
	int array = p->pos + 1 < p->len && p->s[p->pos + 1] == '[';
	size_t open = p->pos;
	unsigned line = aa_toml_line_at(p, open, NULL);
	aa_toml_node *t;

	p->pos += array ? 2 : 1;
	skip_ws(p);
	if (key(p, &k) != AA_OK || section_room(p) != AA_OK)
		return AA_ERR_PARSE;
	if (!(array ? p->pos + 1 < p->len && p->s[p->pos] == ']' && p->s[p->pos + 1] == ']'
		    : at_char(p, ']')))
		return aa_toml_error(p, p->pos, "expected '%s' to close the table header",
				     array ? "]]" : "]");
	p->pos += array ? 2 : 1;
	t = array ? append_table(p, &k) : define_table(p, &k);
	if (!t)
		return AA_ERR_PARSE;
	begin_section(p, t, line_start, line);
	if (end_of_line(p, "a table header") != AA_OK)
		return AA_ERR_PARSE;
	t->where.header_end = p->pos;
	t->where.kv_end = p->pos;
	p->stmt_end = p->pos;
	t->where.body_end = p->len;
	return AA_OK;
}

/* ---- key/value pairs --------------------------------------------------- */

/*
 * Put v at the dotted key k under table t. Parts before the last are
 * tables made by dotted keys in this section (or made now); `in_inline`:
 * inside an inline table, whose own tables are still open.
 */
static aa_status assign(struct aa_toml_parser *p, aa_toml_node *t, const struct key_path *k,
			aa_toml_node *v, int in_inline)
{
	size_t last = k->n - 1;

	for (size_t i = 0; i < last; i++) {
		aa_toml_node *c = aa_toml_find(t, k->part[i], k->len[i]);

		if (!c) {
			t = new_table(p, t, k, i, AA_TOML_DOTTED);
			if (!t)
				return AA_ERR_PARSE;
			continue;
		}
		if (c->type != AA_TOML_TABLE || c->frozen)
			return conflict(p, k, i, c, c->type == AA_TOML_TABLE ?
					"an inline table is complete as written" :
					"a dotted key cannot add to it");
		if (!in_inline && (c->origin == AA_TOML_HEADER ||
				   (c->origin == AA_TOML_DOTTED && c->section != p->section)))
			return conflict(p, k, i, c, "add its keys under its own [header]");
		if (!in_inline && c->origin == AA_TOML_IMPLICIT) {
			/* from now on it counts as made by dotted keys */
			c->origin = AA_TOML_DOTTED;
			c->where.origin = AA_TOML_DOTTED;
			c->section = p->section;
		}
		t = c;
	}
	if (aa_toml_find(t, k->part[last], k->len[last]))
		return conflict(p, k, last, aa_toml_find(t, k->part[last], k->len[last]),
				"each key is set once");
	return add(p, t, k, last, v);
}

/* key = value, the value's spans recorded on its node. */
static aa_status key_value(struct aa_toml_parser *p, aa_toml_node *t, unsigned depth,
			   int in_inline, aa_toml_node **out)
{
	struct key_path k;
	char name[200];
	aa_toml_node *v = NULL;
	size_t line_start;
	unsigned line;

	if (key(p, &k) != AA_OK)
		return AA_ERR_PARSE;
	line = aa_toml_line_at(p, k.start, &line_start);
	if (!at_char(p, '=')) {
		path_text(&k, k.n, name, sizeof(name));
		return aa_toml_error(p, p->pos, "expected '=' after the key \"%s\"", name);
	}
	p->pos++;
	skip_ws(p);
	if (value(p, depth + (unsigned)k.n - 1, &v) != AA_OK || !v)
		return AA_ERR_PARSE;
	v->where.line = line;
	v->where.line_start = line_start;
	v->where.line_end = v->where.value_end;
	if (v->type == AA_TOML_TABLE) {
		v->origin = AA_TOML_INLINE;
		v->where.origin = AA_TOML_INLINE;
	}
	*out = v;
	return assign(p, t, &k, v, in_inline);
}

/* ---- arrays and inline tables ------------------------------------------ */

static aa_status array(struct aa_toml_parser *p, aa_toml_node *a, unsigned depth)
{
	aa_toml_node *v = NULL;

	p->pos++; /* [ */
	for (;;) {
		if (skip_ws_lines(p) != AA_OK)
			return AA_ERR_PARSE;
		if (at_char(p, ']'))
			break;
		if (value(p, depth, &v) != AA_OK)
			return AA_ERR_PARSE;
		if (aa_toml_array_add(p->doc, a, v) < 0) {
			p->failed = 1;
			return aa_fail(p->err, AA_ERR_NOMEM, "out of memory");
		}
		if (skip_ws_lines(p) != AA_OK)
			return AA_ERR_PARSE;
		if (at_char(p, ']'))
			break;
		if (!at_char(p, ','))
			return aa_toml_error(p, p->pos, "expected ',' or ']' in an array");
		p->pos++;
	}
	p->pos++; /* ] */
	a->frozen = 1;
	return AA_OK;
}

static aa_status inline_table(struct aa_toml_parser *p, aa_toml_node *t, unsigned depth)
{
	aa_toml_node *v = NULL;

	p->pos++; /* { */
	skip_ws(p);
	if (!at_char(p, '}')) {
		for (;;) {
			if (key_value(p, t, depth, 1, &v) != AA_OK)
				return AA_ERR_PARSE;
			skip_ws(p);
			if (at_char(p, '}'))
				break;
			if (!at_char(p, ','))
				return aa_toml_error(p, p->pos, "expected ',' or '}' in an inline "
								"table (it stays on one line)");
			p->pos++;
			skip_ws(p);
		}
	}
	p->pos++; /* } */
	t->frozen = 1;
	return AA_OK;
}

/* Any value at p->pos; depth counts the arrays and tables above it. */
static aa_status value(struct aa_toml_parser *p, unsigned depth, aa_toml_node **out)
{
	aa_toml_node *v;
	size_t start = p->pos;
	char c = start < p->len ? p->s[start] : '\0';
	aa_status rc;

	if (p->pos >= p->len || newline_len(p) || c == '#')
		return aa_toml_error(p, start, "expected a value after '='");
	if ((c == '[' || c == '{') && depth + 1 > AA_TOML_MAX_DEPTH)
		return aa_toml_error(p, start, "arrays and tables nested deeper than %u levels",
				     AA_TOML_MAX_DEPTH);
	v = new_node(p, c == '[' ? AA_TOML_ARRAY : c == '{' ? AA_TOML_TABLE : AA_TOML_STRING);
	if (!v)
		return AA_ERR_PARSE;
	v->depth = depth + 1;
	v->where.line = aa_toml_line_at(p, start, &v->where.line_start);
	if (c == '"' || c == '\'')
		rc = aa_toml_lex_string(p, 1, &v->u.s.p, &v->u.s.len);
	else if (c == '[')
		rc = array(p, v, depth + 1);
	else if (c == '{')
		rc = inline_table(p, v, depth + 1);
	else
		rc = aa_toml_lex_scalar(p, v);
	if (rc != AA_OK)
		return rc;
	v->where.value_start = start;
	v->where.value_end = p->pos;
	*out = v;
	return AA_OK;
}

/* ---- the document ---------------------------------------------------- */

/* One line's statement at p->pos (after its indentation). */
static aa_status statement(struct aa_toml_parser *p, size_t line_start)
{
	aa_toml_node *v = NULL;
	char c = p->s[p->pos];

	if (c == '[')
		return header(p, line_start);
	if (c == '#' || c == '\n' || c == '\r')
		return end_of_line(p, "a comment");
	if (!aa_toml_bare_char((unsigned char)c) && c != '"' && c != '\'')
		return aa_toml_error(p, p->pos, "expected a key, a [table] header or a comment");
	if (key_value(p, p->current, p->current->depth, 0, &v) != AA_OK || !v ||
	    end_of_line(p, "a value") != AA_OK)
		return AA_ERR_PARSE;
	v->where.line_end = p->pos;
	p->current->where.kv_end = p->pos;
	p->stmt_end = p->pos;
	return AA_OK;
}

/* The first byte that is not UTF-8 (Python's strict decoder's rules), or len. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp, min;

		if (c < 0x80) {
			uint64_t w;

			/* ASCII, eight bytes at a time: a config file is mostly that */
			while (i + 8 <= len && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080ull)))
				i += 8;
			if (i < len && s[i] < 0x80)
				i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1fu;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0fu;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07u;
			min = 0x10000;
		} else {
			return i;
		}
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3fu);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n + 1;
	}
	return len;
}

static aa_status document(struct aa_toml_parser *p)
{
	size_t bad = utf8_invalid_at((const unsigned char *)p->s, p->len);

	if (bad < p->len)
		return aa_toml_error(p, bad, "not UTF-8 text (byte %zu); save the file as UTF-8",
				     bad + 1);
	if (p->len >= 3 && memcmp(p->s, "\xef\xbb\xbf", 3) == 0)
		return aa_toml_error(p, 0, "the file starts with a byte order mark; save it as "
					   "UTF-8 without one");
	while (p->pos < p->len) {
		size_t line_start = p->pos;

		skip_ws(p);
		if (p->pos >= p->len)
			break;
		if (statement(p, line_start) != AA_OK)
			return AA_ERR_PARSE;
	}
	return AA_OK;
}

aa_status aa_toml_parse(const char *text, size_t len, const char *filename, aa_toml **out,
			aa_error *err)
{
	struct aa_toml_parser p = { 0 };
	aa_toml *doc;
	aa_status rc;

	*out = NULL;
	if (!filename)
		filename = "TOML";
	if (len > AA_TOML_MAX_BYTES)
		return aa_fail(err, AA_ERR_USAGE, "%s is larger than %u KiB; it is not a "
						  "settings file", filename,
			       AA_TOML_MAX_BYTES / 1024u);
	doc = calloc(1, sizeof(*doc));
	if (doc)
		doc->text = malloc(len + 1);
	if (!doc || !doc->text) {
		free(doc);
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	memcpy(doc->text, text, len);
	doc->text[len] = '\0';
	doc->len = len;
	doc->root = aa_toml_new_node(doc, AA_TOML_TABLE);
	if (!doc->root) {
		aa_toml_free(doc);
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	doc->root->where.line = 1;
	doc->root->where.body_end = len;
	p.doc = doc;
	p.s = doc->text;
	p.len = len;
	p.filename = filename;
	p.err = err;
	p.line_no = 1;
	p.current = doc->root;
	rc = document(&p);
	if (p.scratch) {
		aa_memzero(p.scratch, p.scratch_cap);
		free(p.scratch);
	}
	if (rc != AA_OK || p.failed) {
		aa_toml_free(doc);
		return rc != AA_OK ? rc : AA_ERR_PARSE;
	}
	*out = doc;
	return AA_OK;
}
