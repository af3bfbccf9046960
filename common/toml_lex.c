/* SPDX-License-Identifier: BSD-3-Clause */
/* toml_lex.c - one TOML value's text (the four string forms, integers, floats, booleans, date-times) and the error line. */
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toml_internal.h"
#include "util/aa_util.h"

/* ---- errors and lines ------------------------------------------------ */

unsigned aa_toml_line_at(struct aa_toml_parser *p, size_t at, size_t *line_begin)
{
	const char *nl;

	if (at > p->len)
		at = p->len;
	if (at < p->line_off) {
		p->line_off = 0;
		p->line_begin = 0;
		p->line_no = 1;
	}
	while ((nl = memchr(p->s + p->line_off, '\n', at - p->line_off)) != NULL) {
		p->line_no++;
		p->line_off = (size_t)(nl - p->s) + 1;
		p->line_begin = p->line_off;
	}
	p->line_off = at;
	if (line_begin)
		*line_begin = p->line_begin;
	return p->line_no;
}

aa_status aa_toml_error(struct aa_toml_parser *p, size_t at, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	if (p->failed)
		return AA_ERR_PARSE; /* the first error is the one that explains */
	p->failed = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	aa_fail(p->err, AA_ERR_PARSE, "%s:%u: %s", p->filename, aa_toml_line_at(p, at, NULL),
		msg);
	return AA_ERR_PARSE;
}

/* ---- the scratch buffer strings are decoded into --------------------- */

static int scratch_put(struct aa_toml_parser *p, size_t *used, const char *s, size_t n)
{
	if (*used + n + 1 > p->scratch_cap &&
	    aa_reserve_wiped(&p->scratch, &p->scratch_cap, *used, *used + n + 1, 256) < 0)
		return -1;
	memcpy(p->scratch + *used, s, n);
	*used += n;
	return 0;
}

/* The decoded text into the arena, NUL-terminated. */
static aa_status keep(struct aa_toml_parser *p, const char *s, size_t n, char **out,
		      size_t *out_len)
{
	char *copy = aa_toml_alloc(p->doc, n + 1);

	if (!copy)
		return aa_fail(p->err, AA_ERR_NOMEM, "out of memory");
	memcpy(copy, s, n);
	copy[n] = '\0';
	*out = copy;
	*out_len = n;
	return AA_OK;
}

static aa_status oom(struct aa_toml_parser *p)
{
	p->failed = 1;
	return aa_fail(p->err, AA_ERR_NOMEM, "out of memory");
}

/* 1 when s[i] starts a newline (LF or CRLF); *n gets its length. */
static int newline_at(const struct aa_toml_parser *p, size_t i, size_t *n)
{
	if (i < p->len && p->s[i] == '\n') {
		*n = 1;
		return 1;
	}
	if (i + 1 < p->len && p->s[i] == '\r' && p->s[i + 1] == '\n') {
		*n = 2;
		return 1;
	}
	return 0;
}

/* A control character that may not appear raw in a string (tab may). */
static int forbidden_ctl(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

static aa_status bad_char(struct aa_toml_parser *p, size_t at, const char *what)
{
	unsigned char c = (unsigned char)p->s[at];

	if (c == '\n')
		return aa_toml_error(p, at, "%s does not end on its line (close it, or use a "
					    "multi-line string)", what);
	if (c == '\r')
		return aa_toml_error(p, at, "a carriage return without a line feed in a %s",
				     what);
	return aa_toml_error(p, at, "control character U+%04X in a %s (write it as \\u%04X)",
			     c, what, c);
}

/* ---- escapes --------------------------------------------------------- */

static size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* \uXXXX or \UXXXXXXXX at p->pos (the backslash); the UTF-8 into buf. */
static aa_status unicode_escape(struct aa_toml_parser *p, size_t digits, char *buf,
				size_t *n)
{
	size_t at = p->pos;
	uint32_t cp = 0;

	for (size_t i = 0; i < digits; i++) {
		int d = at + 2 + i < p->len ? aa_hex_digit(p->s[at + 2 + i]) : -1;

		if (d < 0)
			return aa_toml_error(p, at, "\\%c needs exactly %zu hexadecimal digits",
					     p->s[at + 1], digits);
		cp = cp * 16u + (uint32_t)d;
	}
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return aa_toml_error(p, at, "\\%c%.*s is not a Unicode character", p->s[at + 1],
				     (int)digits, p->s + at + 2);
	*n = utf8_encode(cp, buf);
	p->pos = at + 2 + digits;
	return AA_OK;
}

/*
 * A multi-line string's line-ending backslash at p->pos: spaces and tabs,
 * a newline, then every whitespace and newline after it are dropped.
 * 0 when the backslash is not one (then it is an escape).
 */
static int line_ending_backslash(struct aa_toml_parser *p)
{
	size_t i = p->pos + 1, n;

	while (i < p->len && (p->s[i] == ' ' || p->s[i] == '\t'))
		i++;
	if (!newline_at(p, i, &n))
		return 0;
	for (i += n; i < p->len; i += n) {
		if (p->s[i] == ' ' || p->s[i] == '\t')
			n = 1;
		else if (!newline_at(p, i, &n))
			break;
	}
	p->pos = i;
	return 1;
}

/* One escape at p->pos (the backslash) appended to the scratch text. */
static aa_status escape(struct aa_toml_parser *p, int multi, size_t *used)
{
	char buf[4];
	size_t n = 1;
	char c = p->pos + 1 < p->len ? p->s[p->pos + 1] : '\0';

	if (multi && line_ending_backslash(p))
		return AA_OK;
	switch (c) {
	case 'b': buf[0] = '\b'; break;
	case 't': buf[0] = '\t'; break;
	case 'n': buf[0] = '\n'; break;
	case 'f': buf[0] = '\f'; break;
	case 'r': buf[0] = '\r'; break;
	case '"': buf[0] = '"'; break;
	case '\\': buf[0] = '\\'; break;
	case 'u':
	case 'U':
		if (unicode_escape(p, c == 'u' ? 4 : 8, buf, &n) != AA_OK)
			return AA_ERR_PARSE;
		return scratch_put(p, used, buf, n) < 0 ? oom(p) : AA_OK;
	default:
		if (c >= 0x21 && c < 0x7f)
			return aa_toml_error(p, p->pos, "unknown escape \\%c in a string (write "
							"\\\\ for a backslash)", c);
		return aa_toml_error(p, p->pos, "a backslash in a string must start an escape "
						"(write \\\\ for a backslash)");
	}
	p->pos += 2;
	return scratch_put(p, used, buf, n) < 0 ? oom(p) : AA_OK;
}

/* ---- the four string forms ------------------------------------------- */

/* "..." or """...""" (p->pos after the opening quotes). */
static aa_status basic_string(struct aa_toml_parser *p, int multi, size_t open,
			      char **out, size_t *out_len)
{
	const char *what = multi ? "multi-line string" : "string";
	size_t used = 0, run = p->pos, nl;

	for (;;) {
		unsigned char c;

		if (p->pos >= p->len)
			return aa_toml_error(p, open, "this %s is never closed", what);
		c = (unsigned char)p->s[p->pos];
		if (c == '"' && (!multi || (p->pos + 2 < p->len && p->s[p->pos + 1] == '"' &&
					    p->s[p->pos + 2] == '"')))
			break;
		if (c == '\\' || (multi && c == '\r' && newline_at(p, p->pos, &nl))) {
			if (scratch_put(p, &used, p->s + run, p->pos - run) < 0)
				return oom(p);
			if (c == '\\' && escape(p, multi, &used) != AA_OK)
				return AA_ERR_PARSE;
			if (c == '\r') { /* CRLF in the text is a newline: "\n" */
				if (scratch_put(p, &used, "\n", 1) < 0)
					return oom(p);
				p->pos += 2;
			}
			run = p->pos;
			continue;
		}
		if (forbidden_ctl(c) && !(multi && c == '\n'))
			return bad_char(p, p->pos, what);
		p->pos++;
	}
	if (scratch_put(p, &used, p->s + run, p->pos - run) < 0)
		return oom(p);
	p->pos += multi ? 3 : 1;
	return keep(p, p->scratch ? p->scratch : "", used, out, out_len);
}

/* '...' or '''...''' (p->pos after the opening quotes). */
static aa_status literal_string(struct aa_toml_parser *p, int multi, size_t open,
				char **out, size_t *out_len)
{
	const char *what = multi ? "multi-line literal string" : "literal string";
	size_t used = 0, run = p->pos, nl;

	for (;;) {
		unsigned char c;

		if (p->pos >= p->len)
			return aa_toml_error(p, open, "this %s is never closed", what);
		c = (unsigned char)p->s[p->pos];
		if (c == '\'' && (!multi || (p->pos + 2 < p->len && p->s[p->pos + 1] == '\'' &&
					     p->s[p->pos + 2] == '\'')))
			break;
		if (multi && c == '\r' && newline_at(p, p->pos, &nl)) {
			if (scratch_put(p, &used, p->s + run, p->pos - run) < 0 ||
			    scratch_put(p, &used, "\n", 1) < 0)
				return oom(p);
			p->pos += 2;
			run = p->pos;
			continue;
		}
		if (forbidden_ctl(c) && !(multi && c == '\n'))
			return bad_char(p, p->pos, what);
		p->pos++;
	}
	if (scratch_put(p, &used, p->s + run, p->pos - run) < 0)
		return oom(p);
	p->pos += multi ? 3 : 1;
	return keep(p, p->scratch ? p->scratch : "", used, out, out_len);
}

/* Up to two quote characters right before the closing three belong to the text. */
static aa_status closing_quotes(struct aa_toml_parser *p, char q, char **out, size_t *len)
{
	size_t extra = 0;
	char *bigger;

	while (extra < 2 && p->pos < p->len && p->s[p->pos] == q) {
		extra++;
		p->pos++;
	}
	if (!extra)
		return AA_OK;
	bigger = aa_toml_alloc(p->doc, *len + extra + 1);
	if (!bigger)
		return oom(p);
	memcpy(bigger, *out, *len);
	memset(bigger + *len, q, extra);
	aa_memzero(*out, *len); /* the shorter copy stays in the arena: no trace */
	*len += extra;
	bigger[*len] = '\0';
	*out = bigger;
	return AA_OK;
}

aa_status aa_toml_lex_string(struct aa_toml_parser *p, int multi_ok, char **out,
			     size_t *out_len)
{
	size_t open = p->pos, nl;
	char q = p->s[p->pos];
	int multi = multi_ok && p->pos + 2 < p->len && p->s[p->pos + 1] == q &&
		    p->s[p->pos + 2] == q;
	aa_status rc;

	p->pos += multi ? 3 : 1;
	if (multi && newline_at(p, p->pos, &nl))
		p->pos += nl; /* a newline right after the opening quotes is not text */
	if (q == '"')
		rc = basic_string(p, multi, open, out, out_len);
	else
		rc = literal_string(p, multi, open, out, out_len);
	if (rc != AA_OK || !multi)
		return rc;
	return closing_quotes(p, q, out, out_len);
}

/* ---- numbers --------------------------------------------------------- */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int digit_in_base(char c, int base)
{
	int d = aa_hex_digit(c);

	return d >= 0 && d < base ? d : -1;
}

/*
 * Digits in `base` with single underscores between them, from p->pos
 * (greedy, as far as they are well formed). The count of digits; the text
 * without underscores appended to buf (when not NULL).
 */
static size_t digits(struct aa_toml_parser *p, int base, char *buf, size_t *blen,
		     size_t cap)
{
	size_t n = 0, i = p->pos;

	while (i < p->len && digit_in_base(p->s[i], base) >= 0) {
		if (buf && *blen + 1 < cap)
			buf[(*blen)++] = p->s[i];
		n++;
		i++;
		if (i + 1 < p->len && p->s[i] == '_' && digit_in_base(p->s[i + 1], base) >= 0)
			i++;
	}
	p->pos = i;
	return n;
}

/* 0x, 0o, 0b: unsigned, must fit int64. */
static aa_status prefixed_integer(struct aa_toml_parser *p, aa_toml_node *n, int base)
{
	size_t start = p->pos;
	uint64_t v = 0;

	p->pos += 2;
	if (p->pos >= p->len || digit_in_base(p->s[p->pos], base) < 0)
		return aa_toml_error(p, start, "a number starting \"%.2s\" needs digits after it",
				     p->s + start);
	while (p->pos < p->len && digit_in_base(p->s[p->pos], base) >= 0) {
		uint64_t d = (uint64_t)digit_in_base(p->s[p->pos], base);

		if (v > ((uint64_t)INT64_MAX - d) / (uint64_t)base)
			return aa_toml_error(p, start, "integer too large (the largest is "
							"9223372036854775807)");
		v = v * (uint64_t)base + d;
		p->pos++;
		if (p->pos + 1 < p->len && p->s[p->pos] == '_' &&
		    digit_in_base(p->s[p->pos + 1], base) >= 0)
			p->pos++;
	}
	n->type = AA_TOML_INTEGER;
	n->u.i = (int64_t)v;
	return AA_OK;
}

static aa_status decimal_integer(struct aa_toml_parser *p, aa_toml_node *n,
				 const char *text, size_t len, size_t start)
{
	int neg = text[0] == '-';
	uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;

	for (size_t i = (text[0] == '-' || text[0] == '+') ? 1 : 0; i < len; i++) {
		uint64_t d = (uint64_t)(text[i] - '0');

		if (v > (limit - d) / 10u)
			return aa_toml_error(p, start, "integer out of range (64-bit: "
							"-9223372036854775808 to 9223372036854775807)");
		v = v * 10u + d;
	}
	n->type = AA_TOML_INTEGER;
	n->u.i = neg ? (int64_t)(0 - v) : (int64_t)v;
	return AA_OK;
}

/* strtod in the C locale, whatever the program set (a "," decimal point). */
static double c_strtod(const char *s)
{
	static locale_t c_locale;
	locale_t loc = __atomic_load_n(&c_locale, __ATOMIC_ACQUIRE);

	if (!loc) {
		locale_t fresh = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0), expected = 0;

		if (!fresh)
			return strtod(s, NULL);
		if (!__atomic_compare_exchange_n(&c_locale, &expected, fresh, 0,
						 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			freelocale(fresh);
			fresh = expected;
		}
		loc = fresh;
	}
	return strtod_l(s, NULL, loc);
}

/* [+-]int[.frac][e[+-]exp]: an integer when neither part is there. */
static aa_status decimal(struct aa_toml_parser *p, aa_toml_node *n)
{
	char buf[512];
	/* room for the sign, '.', 'e' and the exponent's sign beyond the digits */
	size_t blen = 0, start = p->pos, cap = sizeof(buf) - 8;
	int is_float = 0;

	if (p->s[p->pos] == '+' || p->s[p->pos] == '-')
		buf[blen++] = p->s[p->pos++];
	if (p->pos >= p->len || !is_digit(p->s[p->pos]))
		return aa_toml_error(p, start, "expected a value (a string in quotes, a number, "
					       "true/false, a date, [array] or {table})");
	if (p->s[p->pos] == '0') {
		buf[blen++] = '0';
		p->pos++;
	} else {
		digits(p, 10, buf, &blen, cap);
	}
	if (p->pos + 1 < p->len && p->s[p->pos] == '.' && is_digit(p->s[p->pos + 1])) {
		buf[blen++] = p->s[p->pos++];
		digits(p, 10, buf, &blen, cap);
		is_float = 1;
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		size_t at = p->pos + 1;

		if (at < p->len && (p->s[at] == '+' || p->s[at] == '-'))
			at++;
		if (at < p->len && is_digit(p->s[at])) {
			buf[blen++] = 'e';
			if (at > p->pos + 1)
				buf[blen++] = p->s[p->pos + 1];
			p->pos = at;
			digits(p, 10, buf, &blen, cap);
			is_float = 1;
		}
	}
	if (blen + 1 >= cap)
		return aa_toml_error(p, start, "number too long (%zu digits at most)", cap - 2);
	buf[blen] = '\0';
	if (!is_float)
		return decimal_integer(p, n, buf, blen, start);
	n->type = AA_TOML_FLOAT;
	n->u.f = c_strtod(buf);
	return AA_OK;
}

/* ---- date-times ------------------------------------------------------ */

/* n digits at s[i] as a number, or -1. */
static int number_at(const struct aa_toml_parser *p, size_t i, size_t n)
{
	int v = 0;

	if (i + n > p->len)
		return -1;
	for (size_t k = 0; k < n; k++) {
		if (!is_digit(p->s[i + k]))
			return -1;
		v = v * 10 + (p->s[i + k] - '0');
	}
	return v;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* HH:MM:SS[.frac] at i: its length (0 when not a time), the fraction's in *frac. */
static size_t time_len(const struct aa_toml_parser *p, size_t i, size_t *frac)
{
	int h = number_at(p, i, 2), m = number_at(p, i + 3, 2), s = number_at(p, i + 6, 2);
	size_t n = 8;

	*frac = 0;
	if (h < 0 || m < 0 || s < 0 || p->s[i + 2] != ':' || p->s[i + 5] != ':' ||
	    h > 23 || m > 59 || s > 59)
		return 0;
	if (i + 9 < p->len && p->s[i + 8] == '.' && is_digit(p->s[i + 9])) {
		n = 9;
		while (i + n < p->len && is_digit(p->s[i + n]))
			n++;
		*frac = n - 9;
	}
	return n;
}

/* Z, z or [+-]HH:MM at i: its length, 0 when none. */
static size_t offset_len(const struct aa_toml_parser *p, size_t i)
{
	int h, m;

	if (i < p->len && (p->s[i] == 'Z' || p->s[i] == 'z'))
		return 1;
	if (i >= p->len || (p->s[i] != '+' && p->s[i] != '-'))
		return 0;
	h = number_at(p, i + 1, 2);
	m = number_at(p, i + 4, 2);
	if (h < 0 || m < 0 || p->s[i + 3] != ':' || h > 23 || m > 59)
		return 0;
	return 6;
}

/* The canonical text (T, Z) into the node. */
static aa_status keep_datetime(struct aa_toml_parser *p, aa_toml_node *n, size_t start,
			       size_t date_len, size_t time_at, size_t tlen, size_t olen)
{
	char buf[160];
	size_t k = 0;

	if (tlen > 100)
		tlen = 100; /* a fraction longer than any clock: the rest is dropped */
	memcpy(buf, p->s + start, date_len);
	k = date_len;
	if (date_len && tlen)
		buf[k++] = 'T';
	memcpy(buf + k, p->s + time_at, tlen);
	k += tlen;
	if (olen == 1)
		buf[k++] = 'Z';
	else if (olen) {
		memcpy(buf + k, p->s + p->pos - olen, olen);
		k += olen;
	}
	return keep(p, buf, k, &n->u.s.p, &n->u.s.len);
}

static aa_status local_time(struct aa_toml_parser *p, aa_toml_node *n)
{
	size_t frac, len = time_len(p, p->pos, &frac), start = p->pos;

	if (!len)
		return aa_toml_error(p, start, "invalid time (HH:MM:SS, 00:00:00 to 23:59:59)");
	p->pos += len;
	n->type = AA_TOML_LOCAL_TIME;
	return keep_datetime(p, n, start, 0, start, len, 0);
}

/* YYYY-MM-DD, then maybe [Tt ]HH:MM:SS[.frac] and Z / +HH:MM. */
static aa_status date_time(struct aa_toml_parser *p, aa_toml_node *n)
{
	size_t start = p->pos, frac, tlen = 0, olen = 0;
	int y = number_at(p, start, 4), m = number_at(p, start + 5, 2),
	    d = number_at(p, start + 8, 2);

	if (m < 1 || m > 12 || d < 1 || p->s[start + 7] != '-' || y < 1 ||
	    d > days_in_month(y, m))
		return aa_toml_error(p, start, "invalid date (YYYY-MM-DD, a day that exists, "
					       "from year 0001)");
	p->pos = start + 10;
	if (p->pos < p->len && (p->s[p->pos] == 'T' || p->s[p->pos] == 't' ||
				p->s[p->pos] == ' '))
		tlen = time_len(p, p->pos + 1, &frac);
	if (!tlen) {
		n->type = AA_TOML_LOCAL_DATE;
		return keep_datetime(p, n, start, 10, 0, 0, 0);
	}
	p->pos += 1 + tlen;
	olen = offset_len(p, p->pos);
	p->pos += olen;
	n->type = olen ? AA_TOML_OFFSET_DATETIME : AA_TOML_LOCAL_DATETIME;
	return keep_datetime(p, n, start, 10, start + 11, tlen, olen);
}

/* ---- scalars --------------------------------------------------------- */

static int word_at(const struct aa_toml_parser *p, const char *w)
{
	size_t n = strlen(w);

	return p->len - p->pos >= n && memcmp(p->s + p->pos, w, n) == 0;
}

static int special_float(struct aa_toml_parser *p, aa_toml_node *n)
{
	static const char *const words[] = { "inf", "+inf", "-inf", "nan", "+nan", "-nan" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (!word_at(p, words[i]))
			continue;
		p->pos += strlen(words[i]);
		n->type = AA_TOML_FLOAT;
		n->u.f = words[i][strlen(words[i]) - 1] == 'f' ?
			(words[i][0] == '-' ? -HUGE_VAL : HUGE_VAL) :
			(words[i][0] == '-' ? -NAN : NAN);
		return 1;
	}
	return 0;
}

aa_status aa_toml_lex_scalar(struct aa_toml_parser *p, aa_toml_node *n)
{
	char c = p->s[p->pos];

	if (word_at(p, "true") || word_at(p, "false")) {
		n->type = AA_TOML_BOOL;
		n->u.b = c == 't';
		p->pos += n->u.b ? 4 : 5;
		return AA_OK;
	}
	if (special_float(p, n))
		return AA_OK;
	if (number_at(p, p->pos, 4) >= 0 && p->pos + 4 < p->len && p->s[p->pos + 4] == '-')
		return date_time(p, n);
	if (number_at(p, p->pos, 2) >= 0 && p->pos + 2 < p->len && p->s[p->pos + 2] == ':')
		return local_time(p, n);
	if (c == '0' && p->pos + 1 < p->len) {
		char b = p->s[p->pos + 1];

		if (b == 'x')
			return prefixed_integer(p, n, 16);
		if (b == 'o')
			return prefixed_integer(p, n, 8);
		if (b == 'b')
			return prefixed_integer(p, n, 2);
	}
	return decimal(p, n);
}
