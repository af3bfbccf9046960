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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
