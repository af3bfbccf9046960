/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * json_util.c - strict, bounded parsing of JSON objects and wiping of
 * json-c documents that held secrets, shared by the library's JSON readers.
 */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_util.h"

/*
 * json-c hands out its string buffer as const, but the bytes belong to the
 * object (inline after it, or a buffer it allocated) and nothing else shares
 * them; clearing them in place is safe while the object is alive.
 */
static void wipe_string(json_object *o)
{
	aa_memzero((char *)(uintptr_t)json_object_get_string(o),
		   (size_t)json_object_get_string_len(o));
}

void aa_json_wipe_strings(json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_string:
		wipe_string(o);
		break;
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(o); i++)
			aa_json_wipe_strings(json_object_array_get_idx(o, i));
		break;
	case json_type_object: {
		json_object_object_foreach(o, key, val) {
			(void)key;
			aa_json_wipe_strings(val);
		}
		break;
	}
	default:
		break;
	}
}

void aa_json_put_wiped(json_object *doc)
{
	if (!doc)
		return;
	aa_json_wipe_strings(doc);
	json_object_put(doc);
}

/* json-c calls these just before it frees the object they are set on. */
static void wipe_string_on_free(json_object *o, void *unused)
{
	(void)unused;
	wipe_string(o);
}

static void wipe_tree_on_free(json_object *o, void *unused)
{
	(void)unused;
	aa_json_wipe_strings(o);
}

static void hook_strings(json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_string:
		json_object_set_userdata(o, NULL, wipe_string_on_free);
		break;
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(o); i++)
			hook_strings(json_object_array_get_idx(o, i));
		break;
	case json_type_object: {
		json_object_object_foreach(o, key, val) {
			(void)key;
			hook_strings(val);
		}
		break;
	}
	default: /* doubles keep their source text in the userdata slot; not ours */
		break;
	}
}

void aa_json_wipe_on_free(json_object *doc)
{
	hook_strings(doc);
	/* Strings added to the document later are wiped when it goes. */
	if (json_object_is_type(doc, json_type_object) ||
	    json_object_is_type(doc, json_type_array))
		json_object_set_userdata(doc, NULL, wipe_tree_on_free);
}

json_tokener *aa_json_tokener_new_secret(int max_depth, size_t len)
{
	json_tokener *tok;

	/* Room for the whole text and the terminator json-c adds: no string,
	 * number or literal it collects can be longer than the text. */
	if (len > INT_MAX - 64)
		return NULL;
	tok = json_tokener_new_ex(max_depth);
	if (!tok)
		return NULL;
	if (printbuf_memset(tok->pb, 0, 0, (int)len + 32) < 0) {
		json_tokener_free(tok);
		return NULL;
	}
	printbuf_reset(tok->pb);
	return tok;
}

void aa_json_tokener_free_wiped(json_tokener *tok)
{
	/* tok->pb is deprecated for users but still public in json-c 0.16's
	 * header, and the only way to reach the text it last collected. */
	if (!tok)
		return; /* json_tokener_free(NULL) crashes */
	if (tok->pb && tok->pb->buf)
		aa_memzero(tok->pb->buf, (size_t)tok->pb->size);
	json_tokener_free(tok);
}

static int only_space(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Whether the tokener stopped at an accepted end of the text. */
static int ends_well(const char *text, size_t len, size_t end, unsigned flags)
{
	if (end == len)
		return 1;
	return end < len && (flags & AA_JSON_TRAILING_SPACE) &&
	       only_space(text + end, len - end);
}

json_object *aa_json_parse_object(const char *text, size_t len, int max_depth,
				  unsigned flags)
{
	json_tokener *tok;
	json_object *obj;

	if (!text || len > INT_MAX)
		return NULL;
	tok = (flags & AA_JSON_SECRET) ? aa_json_tokener_new_secret(max_depth, len)
				       : json_tokener_new_ex(max_depth);
	if (!tok)
		return NULL;
	if (flags & AA_JSON_STRICT)
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, text, (int)len);
	/* NULL also when the text ended early: a cut-off document is not JSON */
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    !ends_well(text, len, json_tokener_get_parse_end(tok), flags) ||
	    !json_object_is_type(obj, json_type_object)) {
		if (flags & AA_JSON_SECRET)
			aa_json_wipe_strings(obj);
		json_object_put(obj);
		obj = NULL;
	} else if (flags & AA_JSON_SECRET) {
		aa_json_wipe_on_free(obj);
	}
	/* The tokener's scratch buffer still holds the last string it read. */
	if (flags & AA_JSON_SECRET)
		aa_json_tokener_free_wiped(tok);
	else
		json_tokener_free(tok);
	return obj;
}

/* ---- writing JSON that holds secrets ----------------------------------- */

static void put_u16(struct aa_kbuf *b, unsigned v)
{
	char hex[8];

	snprintf(hex, sizeof(hex), "\\u%04x", v & 0xffffu);
	aa_kbuf_put(b, hex, 6);
}

/* Decode one UTF-8 sequence at s; returns its length, or 0 if invalid. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t need;
	uint32_t v, min;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	if (s[0] < 0xe0) {
		need = 2, v = s[0] & 0x1fu, min = 0x80;
	} else if (s[0] < 0xf0) {
		need = 3, v = s[0] & 0x0fu, min = 0x800;
	} else {
		need = 4, v = s[0] & 0x07u, min = 0x10000;
	}
	if (n < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0u) != 0x80u)
			return 0;
		v = (v << 6) | (s[i] & 0x3fu);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return need;
}

/* Bytes copied as they are: printable ASCII, and with !ascii all of 0x7f and up. */
static int plain(unsigned char c, int ascii)
{
	if (c == '"' || c == '\\' || c < 0x20)
		return 0;
	return ascii ? c < 0x7f : 1;
}

/* One code point at or above 0x7f, as Python's ensure_ascii writes it. */
static size_t put_escaped_utf8(struct aa_kbuf *b, const unsigned char *s,
			       size_t n)
{
	uint32_t cp;
	size_t k = utf8_decode(s, n, &cp);

	if (!k) {
		/* Not UTF-8 (only possible for text we were handed): keep the byte as a code point. */
		put_u16(b, s[0]);
		return 1;
	}
	if (cp >= 0x10000) {
		cp -= 0x10000;
		put_u16(b, 0xd800u + (cp >> 10));
		put_u16(b, 0xdc00u + (cp & 0x3ffu));
	} else {
		put_u16(b, cp);
	}
	return k;
}

void aa_kbuf_put_string(struct aa_kbuf *b, const char *str, size_t n, int ascii)
{
	const unsigned char *s = (const unsigned char *)str;

	aa_kbuf_put(b, "\"", 1);
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];

		if (plain(c, ascii)) {
			size_t run = i;

			while (run < n && plain(s[run], ascii))
				run++;
			aa_kbuf_put(b, str + i, run - i);
			i = run;
			continue;
		}
		switch (c) {
		case '"': aa_kbuf_puts(b, "\\\""); break;
		case '\\': aa_kbuf_puts(b, "\\\\"); break;
		case '\b': aa_kbuf_puts(b, "\\b"); break;
		case '\f': aa_kbuf_puts(b, "\\f"); break;
		case '\n': aa_kbuf_puts(b, "\\n"); break;
		case '\r': aa_kbuf_puts(b, "\\r"); break;
		case '\t': aa_kbuf_puts(b, "\\t"); break;
		default:
			if (c < 0x80) {
				put_u16(b, c);
				break;
			}
			i += put_escaped_utf8(b, s + i, n - i);
			continue;
		}
		i++;
	}
	aa_kbuf_put(b, "\"", 1);
}
