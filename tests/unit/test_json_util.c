/* SPDX-License-Identifier: BSD-3-Clause */
/* test_json_util.c - unit tests for common/json_util.c (object-only parsing, flags, wiping). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json_util.h"

static json_object *parse(const char *text, int depth, unsigned flags)
{
	return aa_json_parse_object(text, strlen(text), depth, flags);
}

static void test_accepts_one_object(void **state)
{
	json_object *o = parse("{\"a\":[1,{\"b\":\"c\"}]}", 16, AA_JSON_STRICT);
	json_object *v;

	(void)state;
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "a", &v));
	assert_int_equal(json_object_array_length(v), 2);
	json_object_put(o);
}

static void test_rejects_other_values(void **state)
{
	static const char *const bad[] = {
		"", "[1]", "\"s\"", "1", "null", "true", "{", "{\"a\":1", "{} {}", "{}x",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_null(parse(bad[i], 16, AA_JSON_STRICT | AA_JSON_TRAILING_SPACE));
	assert_null(aa_json_parse_object(NULL, 0, 16, 0));
}

static void test_trailing_space_but_nothing_else(void **state)
{
	json_object *o;

	(void)state;
	assert_null(parse("{} \n x", 16, AA_JSON_TRAILING_SPACE));
	o = parse("{} \n\t", 16, AA_JSON_TRAILING_SPACE);
	assert_non_null(o);
	json_object_put(o);
}

static void test_explicit_length(void **state)
{
	json_object *o;

	(void)state;
	/* Only the first two bytes are the document. */
	o = aa_json_parse_object("{}garbage", 2, 16, AA_JSON_STRICT);
	assert_non_null(o);
	json_object_put(o);
	assert_null(aa_json_parse_object("{}garbage", 9, 16, AA_JSON_STRICT));
}

static void test_strict_flag(void **state)
{
	json_object *o;

	(void)state;
	assert_null(parse("{\"a\":1,}", 16, AA_JSON_STRICT));
	o = parse("{\"a\":1,}", 16, 0);
	assert_non_null(o);
	json_object_put(o);
}

static void test_depth_limit(void **state)
{
	json_object *o;

	(void)state;
	assert_null(parse("{\"a\":{\"b\":{\"c\":{}}}}", 3, AA_JSON_STRICT));
	o = parse("{\"a\":{\"b\":{\"c\":{}}}}", 4, AA_JSON_STRICT);
	assert_non_null(o);
	json_object_put(o);
}

static void test_wipe_strings_clears_every_string(void **state)
{
	json_object *o = parse("{\"k\":\"secret\",\"l\":[\"tok\",{\"m\":\"x\"}],\"n\":5}",
			       16, AA_JSON_STRICT | AA_JSON_SECRET);
	json_object *v, *w;

	(void)state;
	assert_non_null(o);
	aa_json_wipe_strings(o);
	assert_true(json_object_object_get_ex(o, "k", &v));
	assert_memory_equal(json_object_get_string(v), "\0\0\0\0\0\0", 6);
	assert_true(json_object_object_get_ex(o, "l", &v));
	assert_memory_equal(json_object_get_string(json_object_array_get_idx(v, 0)),
			    "\0\0\0", 3);
	assert_true(json_object_object_get_ex(json_object_array_get_idx(v, 1), "m", &w));
	assert_int_equal(json_object_get_string(w)[0], '\0');
	assert_true(json_object_object_get_ex(o, "n", &v));
	assert_int_equal(json_object_get_int(v), 5);
	aa_json_put_wiped(o);
	aa_json_put_wiped(NULL);
}

/* A string held past its document's end: the document wiped it as it went. */
static void test_secret_document_wipes_itself(void **state)
{
	static const char text[] = "{\"k\":\"secret-value-long-enough-to-be-allocated\"}";
	json_object *o = parse(text, 16, AA_JSON_SECRET), *v, *added;

	(void)state;
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "k", &v));
	json_object_get(v);
	/* a string added later is wiped too */
	added = json_object_new_string("added-later");
	json_object_object_add(o, "a", json_object_get(added));
	json_object_put(o);
	assert_memory_equal(json_object_get_string(v), "\0\0\0\0\0\0", 6);
	assert_memory_equal(json_object_get_string(added), "\0\0\0\0\0", 5);
	json_object_put(v);
	json_object_put(added);
}

/* Without the flag the document is json-c's plain one. */
static void test_plain_document_is_left_alone(void **state)
{
	json_object *o = parse("{\"k\":\"value\"}", 16, 0), *v;

	(void)state;
	assert_true(json_object_object_get_ex(o, "k", &v));
	json_object_get(v);
	json_object_put(o);
	assert_string_equal(json_object_get_string(v), "value");
	json_object_put(v);
}

/* The scratch buffer is sized for the whole text up front: no realloc. */
static void test_secret_tokener_never_grows(void **state)
{
	char text[600];
	json_tokener *tok;
	json_object *o;
	char *before;

	(void)state;
	memset(text, 'x', sizeof(text));
	memcpy(text, "{\"a\":\"", 6);
	memcpy(text + sizeof(text) - 2, "\"}", 2);
	tok = aa_json_tokener_new_secret(16, sizeof(text));
	assert_non_null(tok);
	assert_true(tok->pb->size > (int)sizeof(text));
	before = tok->pb->buf;
	o = json_tokener_parse_ex(tok, text, (int)sizeof(text));
	assert_non_null(o);
	assert_ptr_equal(tok->pb->buf, before);
	aa_json_tokener_free_wiped(tok);
	aa_json_put_wiped(o);
	aa_json_tokener_free_wiped(NULL);
}

static char *written(const char *s, size_t n, int ascii)
{
	struct aa_kbuf b = { 0 };
	char *out;

	aa_kbuf_put_string(&b, s, n, ascii);
	assert_false(b.oom);
	out = strdup(b.p);
	aa_kbuf_free(&b);
	return out;
}

static void test_string_escapes(void **state)
{
	/* quote, backslash, slash, controls, DEL, e-acute, U+1F600, a stray byte */
	static const char in[] = "\"\\/\b\f\n\r\t\x01\x7f\xc3\xa9\xf0\x9f\x98\x80\xff";
	char *a = written(in, sizeof(in) - 1, 1);
	char *u = written(in, sizeof(in) - 1, 0);

	(void)state;
	assert_string_equal(a, "\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u007f\\u00e9"
			       "\\ud83d\\ude00\\u00ff\"");
	assert_string_equal(u, "\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\x7f\xc3\xa9"
			       "\xf0\x9f\x98\x80\xff\"");
	free(a);
	free(u);
}

/* Growing keeps the text (the old block is wiped, which tests cannot see). */
static void test_kbuf_grows(void **state)
{
	struct aa_kbuf b = { 0 };
	char chunk[100];

	(void)state;
	memset(chunk, 'k', sizeof(chunk));
	for (int i = 0; i < 10; i++)
		aa_kbuf_put(&b, chunk, sizeof(chunk));
	aa_kbuf_puts(&b, "!");
	assert_false(b.oom);
	assert_int_equal(b.len, 1001);
	assert_true(b.cap > b.len);
	assert_int_equal(b.p[999], 'k');
	assert_string_equal(b.p + 1000, "!");
	aa_kbuf_free(&b);
	assert_null(b.p);
	assert_int_equal(b.cap, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts_one_object),
		cmocka_unit_test(test_rejects_other_values),
		cmocka_unit_test(test_trailing_space_but_nothing_else),
		cmocka_unit_test(test_explicit_length),
		cmocka_unit_test(test_strict_flag),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_wipe_strings_clears_every_string),
		cmocka_unit_test(test_secret_document_wipes_itself),
		cmocka_unit_test(test_plain_document_is_left_alone),
		cmocka_unit_test(test_secret_tokener_never_grows),
		cmocka_unit_test(test_string_escapes),
		cmocka_unit_test(test_kbuf_grows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
