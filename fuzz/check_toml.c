/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_toml.c - property checks for the TOML reader and its edits
 * (common/toml_*.c): config.toml is a file anyone may hand-edit or copy.
 * (All static names start with toml_: the regression test #includes every
 * check file into one translation unit.)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "toml.h"
#include "util/aa_util.h"

/* ---- writing a tree back as TOML (all inline, every key quoted) -------- */

static void toml_put_quoted(struct aa_kbuf *b, const char *s, size_t n)
{
	char esc[8];

	aa_kbuf_put(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
			snprintf(esc, sizeof(esc), "\\u%04X", c);
			aa_kbuf_puts(b, esc);
		} else {
			aa_kbuf_put(b, s + i, 1);
		}
	}
	aa_kbuf_put(b, "\"", 1);
}

static void toml_put_scalar(struct aa_kbuf *b, const aa_toml_node *n)
{
	char num[64];
	const char *s;
	size_t len;
	int64_t i;
	double f;
	int v;

	if ((s = aa_toml_string(n, &len)) != NULL) {
		toml_put_quoted(b, s, len);
	} else if (aa_toml_integer(n, &i)) {
		snprintf(num, sizeof(num), "%lld", (long long)i);
		aa_kbuf_puts(b, num);
	} else if (aa_toml_float(n, &f)) {
		if (isnan(f))
			snprintf(num, sizeof(num), "nan");
		else if (isinf(f))
			snprintf(num, sizeof(num), "%sinf", f < 0 ? "-" : "");
		else
			snprintf(num, sizeof(num), "%.17e", f);
		aa_kbuf_puts(b, num);
	} else if (aa_toml_bool(n, &v)) {
		aa_kbuf_puts(b, v ? "true" : "false");
	} else {
		aa_kbuf_puts(b, aa_toml_datetime(n));
	}
}

static void toml_put_value(struct aa_kbuf *b, const aa_toml_node *n)
{
	aa_toml_type t = aa_toml_type_of(n);
	const char *key;
	size_t key_len;

	if (t != AA_TOML_TABLE && t != AA_TOML_ARRAY) {
		toml_put_scalar(b, n);
		return;
	}
	aa_kbuf_puts(b, t == AA_TOML_TABLE ? "{" : "[");
	for (size_t i = 0; i < aa_toml_count(n); i++) {
		const aa_toml_node *c = aa_toml_at_len(n, i, &key, &key_len);

		if (i)
			aa_kbuf_puts(b, ", ");
		if (t == AA_TOML_TABLE) {
			toml_put_quoted(b, key, key_len);
			aa_kbuf_puts(b, " = ");
		}
		toml_put_value(b, c);
	}
	aa_kbuf_puts(b, t == AA_TOML_TABLE ? "}" : "]");
}

/* The document as top-level "key" = value lines. */
static void toml_write(struct aa_kbuf *b, const aa_toml_node *root)
{
	const char *key;
	size_t key_len;

	for (size_t i = 0; i < aa_toml_count(root); i++) {
		const aa_toml_node *c = aa_toml_at_len(root, i, &key, &key_len);

		toml_put_quoted(b, key, key_len);
		aa_kbuf_puts(b, " = ");
		toml_put_value(b, c);
		aa_kbuf_puts(b, "\n");
	}
}

/* ---- properties ------------------------------------------------------ */

static unsigned toml_count_lines(const char *s, size_t n)
{
	unsigned lines = 1;

	for (size_t i = 0; i < n; i++)
		lines += s[i] == '\n';
	return lines;
}

/* Every node's line and spans lie within the document. */
static const char *toml_check_where(const aa_toml_node *n, unsigned lines, size_t len)
{
	aa_toml_where w = aa_toml_where_of(n);

	if (w.line < 1 || w.line > lines)
		return "a node's line is outside the document";
	if (w.value_start > w.value_end || w.value_end > len || w.line_start > len ||
	    w.line_end > len || (w.value_end && w.line_start > w.value_start))
		return "a value's span is outside the document or out of order";
	if ((w.origin == AA_TOML_HEADER || w.origin == AA_TOML_AOT) &&
	    aa_toml_type_of(n) == AA_TOML_TABLE &&
	    !(w.header_start < w.header_end && w.header_end <= w.kv_end &&
	      w.kv_end <= w.body_end && w.body_end <= len))
		return "a table's header and body spans are out of order";
	for (size_t i = 0; i < aa_toml_count(n); i++) {
		const char *why = toml_check_where(aa_toml_at(n, i, NULL), lines, len);

		if (why)
			return why;
	}
	return NULL;
}

static const char *toml_check_error(const aa_error *err, size_t size)
{
	const char *p = err->message;

	if (err->code == AA_ERR_NOMEM)
		return NULL;
	if (strncmp(p, "fuzz.toml:", 10) != 0 || !err->message[0])
		return "a TOML error does not start with FILE:LINE:";
	p += 10;
	if (strtoul(p, NULL, 10) < 1)
		return "a TOML error names no line";
	if (strchr(err->message, '\n'))
		return "a TOML error is more than one line";
	(void)size;
	return NULL;
}

/* Written back and read again, the document is the same, and writes the same. */
static const char *toml_check_round_trip(const aa_toml *doc)
{
	struct aa_kbuf one = { 0 }, two = { 0 };
	aa_toml *again = NULL;
	aa_error err = { 0 };
	const char *why = NULL;

	toml_write(&one, aa_toml_root(doc));
	if (one.oom)
		goto out;
	if (aa_toml_parse(one.p ? one.p : "", one.len, "fuzz.toml", &again, &err) != AA_OK) {
		/* the inline form nests one level deeper than [headers] may */
		if (!strstr(err.message, "deeper than") && err.code != AA_ERR_NOMEM)
			why = "a document written back does not read again";
		goto out;
	}
	toml_write(&two, aa_toml_root(again));
	if (!two.oom && (one.len != two.len || memcmp(one.p ? one.p : "", two.p ? two.p : "",
						      one.len) != 0))
		why = "a document written back reads as a different document";
out:
	aa_toml_free(again);
	aa_kbuf_free(&one);
	aa_kbuf_free(&two);
	return why;
}

/* The first table with a [header] (its path in path[0..*n)), or NULL. */
static const aa_toml_node *toml_first_header_table(const aa_toml_node *t, const char **path,
						   size_t *n, size_t max)
{
	const char *key;
	size_t key_len;

	for (size_t i = 0; i < aa_toml_count(t); i++) {
		const aa_toml_node *c = aa_toml_at_len(t, i, &key, &key_len);
		const aa_toml_node *found;

		if (aa_toml_type_of(c) != AA_TOML_TABLE || *n >= max || strlen(key) != key_len)
			continue;
		path[(*n)++] = key;
		if (aa_toml_where_of(c).origin == AA_TOML_HEADER)
			return c;
		found = toml_first_header_table(c, path, n, max);
		if (found)
			return found;
		(*n)--;
	}
	return NULL;
}

/* 1 when out is text with [a, z) replaced by `repl_len` bytes: nothing else changed. */
static int toml_only_changed(const char *out, size_t out_len, const char *text, size_t len,
			     size_t a, size_t z, size_t repl_len)
{
	return out_len == len - (z - a) + repl_len && memcmp(out, text, a) == 0 &&
	       memcmp(out + a + repl_len, text + z, len - z) == 0;
}

/* Setting a key in the first [header] table keeps every byte but its own. */
static const char *toml_check_set(const aa_toml *doc, const aa_toml_node *t,
				  const char *const *path, size_t n)
{
	static const char value[] = "\"v\\\"\""; /* "v\"" */
	const aa_toml_node *v = aa_toml_get(t, "fuzz key");
	aa_toml_where w = aa_toml_where_of(v), tw = aa_toml_where_of(t);
	size_t len, out_len = 0, vl = sizeof(value) - 1;
	const char *text = aa_toml_text(doc, &len), *why = NULL;
	aa_error err = { 0 };
	char *out = NULL;
	aa_status rc;

	rc = aa_toml_edit_set(text, len, "fuzz.toml", path, n, "fuzz key", value, &out,
			      &out_len, &err);
	if (rc != AA_OK)
		return err.message[0] ? NULL : "a refused edit gave no reason";
	if (v && !toml_only_changed(out, out_len, text, len, w.value_start, w.value_end, vl))
		why = "setting a value changed bytes outside it";
	/* a new pair: inserted at the end of the table's last pair (maybe after a newline) */
	if (!v && !toml_only_changed(out, out_len, text, len, tw.kv_end, tw.kv_end,
				     out_len - len))
		why = "adding a key changed bytes outside its line";
	aa_memzero(out, out_len);
	free(out);
	return why;
}

/* Removing the first [header] table: refused with a reason, or a shorter valid file. */
static const char *toml_check_remove(const aa_toml *doc, const char *const *path, size_t n)
{
	size_t len, out_len = 0;
	const char *text = aa_toml_text(doc, &len), *why = NULL;
	aa_error err = { 0 };
	aa_toml *after = NULL;
	char *out = NULL;

	if (aa_toml_edit_remove_table(text, len, "fuzz.toml", path, n, &out, &out_len,
				      &err) != AA_OK)
		return err.message[0] ? NULL : "a refused edit gave no reason";
	if (out_len >= len)
		why = "removing a table did not make the file shorter";
	else if (aa_toml_parse(out, out_len, "fuzz.toml", &after, &err) != AA_OK)
		why = "removing a table broke the file";
	else if (aa_toml_get_path(aa_toml_root(after), path, n))
		why = "a removed table is still there";
	aa_toml_free(after);
	aa_memzero(out, out_len);
	free(out);
	return why;
}

static const char *toml_check_edits(const aa_toml *doc)
{
	const char *path[16], *why;
	size_t n = 0;
	const aa_toml_node *t = toml_first_header_table(aa_toml_root(doc), path, &n, 16);

	if (!t)
		return NULL;
	why = toml_check_set(doc, t, path, n);
	return why ? why : toml_check_remove(doc, path, n);
}

const char *fuzz_check_toml(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *why;
	aa_error err = { 0 };
	aa_toml *doc = NULL;

	if (aa_toml_parse(text, size, "fuzz.toml", &doc, &err) != AA_OK)
		return toml_check_error(&err, size);
	why = toml_check_where(aa_toml_root(doc), toml_count_lines(text, size), size);
	if (!why)
		why = toml_check_round_trip(doc);
	if (!why)
		why = toml_check_edits(doc);
	aa_toml_free(doc);
	return why;
}
