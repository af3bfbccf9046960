/* SPDX-License-Identifier: BSD-3-Clause */
/* dotenv.c - parse `.env` text (python-dotenv syntax) into name/value pairs. */
#include <stdlib.h>
#include <string.h>

#include "dotenv.h"

/* A read position in the text; `line` counts LF, CRLF and lone CR. */
struct cursor {
	const char *text;
	size_t len;
	size_t pos;
	unsigned line;
};

/* Scratch space for one statement; each buffer can hold the whole text. */
struct statement {
	char *name;
	char *value;
	size_t value_len;
	int has_value;
	unsigned line;
};

static int peek(const struct cursor *c)
{
	return c->pos < c->len ? (unsigned char)c->text[c->pos] : -1;
}

static int is_eol(int ch)
{
	return ch == '\n' || ch == '\r' || ch == -1;
}

/* python-dotenv's [^\S\r\n]: whitespace that does not end a line. */
static int is_blank(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\f' || ch == '\v';
}

static int is_space(int ch)
{
	return is_blank(ch) || ch == '\n' || ch == '\r';
}

/* Move one byte, counting a line for LF, for CR not followed by LF. */
static void advance(struct cursor *c)
{
	char ch = c->text[c->pos++];

	if (ch == '\n' || (ch == '\r' && peek(c) != '\n'))
		c->line++;
}

static void skip_blanks(struct cursor *c)
{
	while (is_blank(peek(c)))
		c->pos++;
}

static void skip_to_eol(struct cursor *c)
{
	while (!is_eol(peek(c)))
		c->pos++;
}

static void consume_eol(struct cursor *c)
{
	if (peek(c) == '\r')
		advance(c);
	if (peek(c) == '\n')
		advance(c);
}

static aa_status syntax_error(aa_error *err, unsigned line, const char *what)
{
	return aa_fail(err, AA_ERR_PARSE,
		       ".env line %u: %s; write NAME=VALUE and quote values that hold spaces, quotes or #",
		       line, what);
}

/* `export` followed by blanks is a prefix python-dotenv drops. */
static void skip_export(struct cursor *c)
{
	static const char word[] = "export";
	size_t n = sizeof(word) - 1;

	if (c->len - c->pos > n && memcmp(c->text + c->pos, word, n) == 0 &&
	    is_blank((unsigned char)c->text[c->pos + n])) {
		c->pos += n;
		skip_blanks(c);
	}
}

static aa_status parse_name(struct cursor *c, struct statement *st, aa_error *err)
{
	size_t n = 0;

	if (peek(c) == '\'') {
		c->pos++;
		while (peek(c) != '\'') {
			if (is_eol(peek(c)))
				return syntax_error(err, st->line, "a quoted name is not closed");
			st->name[n++] = c->text[c->pos++];
		}
		c->pos++;
	} else {
		while (!is_space(peek(c)) && peek(c) != '=' && peek(c) != '#' &&
		       peek(c) != -1)
			st->name[n++] = c->text[c->pos++];
	}
	if (n == 0)
		return syntax_error(err, st->line, "expected a name");
	st->name[n] = '\0';
	return AA_OK;
}

static char decode_double_escape(char ch, int *known)
{
	*known = 1;
	switch (ch) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case 'a': return '\a';
	case 'b': return '\b';
	case 'f': return '\f';
	case 'v': return '\v';
	case '"': case '\'': case '\\': return ch;
	default: *known = 0; return ch;
	}
}

/*
 * A quoted value, which may span lines. In single quotes only \' and \\
 * are escapes; in double quotes the C-like set is decoded and any other
 * backslash pair is kept as written.
 */
static aa_status parse_quoted(struct cursor *c, struct statement *st, aa_error *err)
{
	char quote = c->text[c->pos++];
	size_t n = 0;

	for (;;) {
		int ch = peek(c);

		if (ch == -1)
			return syntax_error(err, st->line, "the quoted value is not closed");
		if (ch == quote) {
			c->pos++;
			break;
		}
		if (ch == '\\' && c->pos + 1 < c->len) {
			char next = c->text[c->pos + 1];
			int known = 0;
			char out = quote == '"' ? decode_double_escape(next, &known)
						: next;

			if (quote == '\'')
				known = next == '\'' || next == '\\';
			if (known) {
				st->value[n++] = out;
				c->pos += 2;
				continue;
			}
		}
		st->value[n++] = c->text[c->pos];
		advance(c);
	}
	st->value_len = n;
	return AA_OK;
}

/* An unquoted value runs to the end of the line; " #..." is a comment. */
static void parse_unquoted(struct cursor *c, struct statement *st)
{
	size_t start = c->pos, n;

	skip_to_eol(c);
	n = c->pos - start;
	for (size_t i = 1; i < n; i++) {
		if (c->text[start + i] == '#' && is_blank((unsigned char)c->text[start + i - 1])) {
			n = i;
			break;
		}
	}
	while (n > 0 && is_blank((unsigned char)c->text[start + n - 1]))
		n--;
	memcpy(st->value, c->text + start, n);
	st->value_len = n;
}

/* After a value (or a bare name): blanks, an optional comment, end of line. */
static aa_status parse_line_end(struct cursor *c, const struct statement *st,
				aa_error *err)
{
	skip_blanks(c);
	if (peek(c) == '#')
		skip_to_eol(c);
	if (!is_eol(peek(c)))
		return syntax_error(err, st->line,
				    st->has_value ? "unexpected text after the value"
						  : "expected '=' after the name");
	consume_eol(c);
	return AA_OK;
}

static aa_status parse_statement(struct cursor *c, struct statement *st, aa_error *err)
{
	aa_status rc;

	st->line = c->line;
	st->has_value = 0;
	st->value_len = 0;
	skip_export(c);
	rc = parse_name(c, st, err);
	if (rc != AA_OK)
		return rc;
	skip_blanks(c);
	if (peek(c) == '=') {
		c->pos++;
		st->has_value = 1;
		skip_blanks(c);
		if (peek(c) == '\'' || peek(c) == '"') {
			rc = parse_quoted(c, st, err);
			if (rc != AA_OK)
				return rc;
		} else {
			parse_unquoted(c, st);
		}
	}
	st->value[st->value_len] = '\0';
	return parse_line_end(c, st, err);
}

/* NUL bytes cannot be passed on as C strings; refuse them up front. */
static aa_status check_no_nul(const char *text, size_t len, aa_error *err)
{
	const char *nul = memchr(text, '\0', len);
	struct cursor c = { text, (size_t)(nul ? nul - text : 0), 0, 1 };

	if (!nul)
		return AA_OK;
	while (c.pos < c.len)
		advance(&c);
	return syntax_error(err, c.line, "the line holds a NUL byte");
}

static aa_status parse_all(struct cursor *c, struct statement *st,
			   aa_dotenv_cb cb, void *ctx, aa_error *err)
{
	aa_status rc = AA_OK;

	while (rc == AA_OK && c->pos < c->len) {
		skip_blanks(c);
		if (peek(c) == '#')
			skip_to_eol(c);
		if (is_eol(peek(c))) {
			consume_eol(c);
			continue;
		}
		rc = parse_statement(c, st, err);
		if (rc == AA_OK && st->has_value)
			rc = cb(st->name, st->value, st->line, ctx, err);
		aa_memzero(st->value, st->value_len);
	}
	return rc;
}

aa_status aa_dotenv_parse(const char *text, size_t len, aa_dotenv_cb cb,
			  void *ctx, aa_error *err)
{
	struct cursor c = { text, len, 0, 1 };
	struct statement st = { 0 };
	aa_status rc;

	if (!text && len > 0)
		return aa_fail(err, AA_ERR_USAGE, "aa_dotenv_parse: no text given");
	if (len == 0)
		return AA_OK;
	rc = check_no_nul(text, len, err);
	if (rc != AA_OK)
		return rc;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		c.pos = 3;
	st.name = malloc(len + 1);
	st.value = malloc(len + 1);
	if (!st.name || !st.value) {
		free(st.name);
		free(st.value);
		return aa_fail(err, AA_ERR_NOMEM, "out of memory while reading .env");
	}
	rc = parse_all(&c, &st, cb, ctx, err);
	aa_memzero(st.value, len + 1);
	free(st.name);
	free(st.value);
	return rc;
}
