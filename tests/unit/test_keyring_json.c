/* SPDX-License-Identifier: BSD-3-Clause */
/* test_keyring_json.c - keyring text parses strictly and is written back byte-for-byte as Python's json.dump writes it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "keyring_backend.h"
#include "keyring_json.h"

/* Text produced by Python 3 json.dumps() (default separators, ensure_ascii). */
static const char python_text[] =
	"{\"s\\u00e9rvice \\ud83d\\ude00\": {\"k\\u0001\\u001f\\u007f\": "
	"\"tab\\tnl\\ncr\\rbs\\bff\\f q\\\" b\\\\ sl/ del\\u007f \\u2028 \\uffff\"}, "
	"\"n\": [1, -2, 2.5, 1e+100, true, false, null, [], {}], "
	"\"Anaconda Cloud\": {\"anaconda.cloud\": \"ZXlK\"}}";

static char *dump(json_object *doc)
{
	struct aa_kbuf b;
	char *copy;

	assert_int_equal(aa_keyring_json_dump(doc, &b), AA_OK);
	copy = strdup(b.p);
	aa_kbuf_free(&b);
	return copy;
}

static void test_python_text_round_trips(void **state)
{
	json_object *doc = NULL;
	const char *why = NULL;
	char *out;

	(void)state;
	assert_int_equal(aa_keyring_json_parse(python_text, strlen(python_text),
					       &doc, &why), AA_OK);
	out = dump(doc);
	assert_string_equal(out, python_text);
	free(out);
	json_object_put(doc);
}

static void test_utf8_escaped_like_python(void **state)
{
	json_object *doc = json_object_new_object();
	char *out;

	(void)state;
	/* U+00E9, U+20AC, U+1F600, then a lone 0xff byte (not UTF-8). */
	json_object_object_add(doc, "k", json_object_new_string("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xff"));
	json_object_object_add(doc, "e", json_object_new_object());
	json_object_object_add(doc, "a", json_object_new_array());
	out = dump(doc);
	assert_string_equal(out, "{\"k\": \"\\u00e9\\u20ac\\ud83d\\ude00\\u00ff\", \"e\": {}, \"a\": []}");
	free(out);
	json_object_put(doc);
}

static void test_blank_text_is_empty(void **state)
{
	const char *texts[] = { "", "  \n\t " };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		json_object *doc = NULL;
		const char *why = NULL;
		char *out;

		assert_int_equal(aa_keyring_json_parse(texts[i], strlen(texts[i]), &doc, &why), AA_OK);
		out = dump(doc);
		assert_string_equal(out, "{}");
		free(out);
		json_object_put(doc);
	}
}

static void expect_bad(const char *text, size_t len, const char *why_part)
{
	json_object *doc = (json_object *)1;
	const char *why = NULL;

	assert_int_equal(aa_keyring_json_parse(text, len, &doc, &why), AA_ERR_PARSE);
	assert_null(doc);
	assert_non_null(why);
	if (!strstr(why, why_part))
		fail_msg("%s: %s", text, why);
}

static void test_rejects_bad_text_and_shapes(void **state)
{
	(void)state;
	expect_bad("{", 1, "not valid JSON");
	expect_bad("{} {}", 5, "not valid JSON");
	expect_bad("{\"a\": 1,}", 9, "not valid JSON");
	expect_bad("{\"a\": \"\xc3\"}", 9, "not valid JSON");
	expect_bad("{\"a\": \"b\"}\0", 11, "not valid JSON");
	expect_bad("[]", 2, "not a JSON object");
	expect_bad("null", 4, "not a JSON object");
	expect_bad("{\"Anaconda Cloud\": []}", 22, "not an object");
	expect_bad("{\"Anaconda Cloud\": {\"d\": null}}", 31, "not text");
}

static void test_other_services_may_have_any_shape(void **state)
{
	const char *text = "{\"other\": [1, {\"x\": null}], \"Anaconda Cloud\": {}}\n";
	json_object *doc = NULL;
	const char *why = NULL;
	char *out;

	(void)state;
	assert_int_equal(aa_keyring_json_parse(text, strlen(text), &doc, &why), AA_OK);
	out = dump(doc);
	assert_string_equal(out, "{\"other\": [1, {\"x\": null}], \"Anaconda Cloud\": {}}");
	free(out);
	json_object_put(doc);
}

/* Stored values are keys: a parsed document, and a new empty one, wipe
 * every string they hold when freed (one is held here past that point). */
static void test_documents_wipe_their_keys(void **state)
{
	static const char text[] = "{\"Anaconda Cloud\": {\"anaconda.cloud\": \"ZXlKaGJHY2lPaUpJVXpJMU5pSjk\"}}";
	json_object *doc = NULL, *svc, *val, *added;
	const char *why = NULL;

	(void)state;
	assert_int_equal(aa_keyring_json_parse(text, strlen(text), &doc, &why), AA_OK);
	assert_true(json_object_object_get_ex(doc, "Anaconda Cloud", &svc));
	assert_true(json_object_object_get_ex(svc, "anaconda.cloud", &val));
	json_object_get(val);
	json_object_put(doc);
	assert_memory_equal(json_object_get_string(val), "\0\0\0\0", 4);
	json_object_put(val);

	doc = aa_keyring_json_new();
	assert_non_null(doc);
	added = json_object_new_string("ZXlKaGJHY2lPaUpJVXpJMU5pSjk");
	json_object_object_add(doc, "k", json_object_get(added));
	json_object_put(doc);
	assert_memory_equal(json_object_get_string(added), "\0\0\0\0", 4);
	json_object_put(added);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_python_text_round_trips),
		cmocka_unit_test(test_utf8_escaped_like_python),
		cmocka_unit_test(test_blank_text_is_empty),
		cmocka_unit_test(test_rejects_bad_text_and_shapes),
		cmocka_unit_test(test_other_services_may_have_any_shape),
		cmocka_unit_test(test_documents_wipe_their_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
