/* SPDX-License-Identifier: BSD-3-Clause */
/* test_toml.c - unit tests for the TOML reader (common/toml_*.c): values, lookups, lines, spans, limits, files. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "toml.h"

static aa_toml *parse_ok(const char *text)
{
	aa_error err = { 0 };
	aa_toml *doc = NULL;

	if (aa_toml_parse(text, strlen(text), "t.toml", &doc, &err) != AA_OK)
		fail_msg("parse failed: %s", err.message);
	return doc;
}

static void parse_fails(const char *text, const char *message)
{
	aa_error err = { 0 };
	aa_toml *doc = NULL;

	assert_int_equal(aa_toml_parse(text, strlen(text), "t.toml", &doc, &err), AA_ERR_PARSE);
	assert_null(doc);
	assert_string_equal(err.message, message);
}

static const aa_toml_node *path2(const aa_toml *doc, const char *a, const char *b)
{
	return aa_toml_get(aa_toml_get(aa_toml_root(doc), a), b);
}

static void test_typed_values(void **state)
{
	aa_toml *doc = parse_ok("s = \"a\\tb\\u00e9\"\ni = -0\nj = 0x7fffffffffffffff\n"
				"k = -9223372036854775808\nf = 1_000.5e-1\nb = true\n"
				"d = 1979-05-27 07:32:00.5z\nl = 07:32:00\n");
	const aa_toml_node *r = aa_toml_root(doc);
	int64_t i;
	double f;
	int b;

	(void)state;
	assert_string_equal(aa_toml_string(aa_toml_get(r, "s"), NULL), "a\tb\xc3\xa9");
	assert_true(aa_toml_integer(aa_toml_get(r, "j"), &i));
	assert_true(i == INT64_MAX);
	assert_true(aa_toml_integer(aa_toml_get(r, "k"), &i));
	assert_true(i == INT64_MIN);
	assert_true(aa_toml_float(aa_toml_get(r, "f"), &f));
	assert_true(f == 100.05);
	assert_true(aa_toml_bool(aa_toml_get(r, "b"), &b) && b == 1);
	assert_string_equal(aa_toml_datetime(aa_toml_get(r, "d")), "1979-05-27T07:32:00.5Z");
	assert_int_equal(aa_toml_type_of(aa_toml_get(r, "d")), AA_TOML_OFFSET_DATETIME);
	assert_string_equal(aa_toml_datetime(aa_toml_get(r, "l")), "07:32:00");
	/* the wrong type gives nothing */
	assert_null(aa_toml_string(aa_toml_get(r, "i"), NULL));
	assert_false(aa_toml_bool(aa_toml_get(r, "s"), &b));
	assert_null(aa_toml_get(r, "missing"));
	aa_toml_free(doc);
}

static void test_string_with_nul_has_its_length(void **state)
{
	aa_toml *doc = parse_ok("\"k\\u0000x\" = \"a\\u0000b\"\n");
	const aa_toml_node *v;
	const char *key;
	size_t len, key_len;

	(void)state;
	v = aa_toml_at_len(aa_toml_root(doc), 0, &key, &key_len);
	assert_int_equal(key_len, 3);
	assert_memory_equal(key, "k\0x", 3);
	assert_non_null(aa_toml_string(v, &len));
	assert_int_equal(len, 3);
	assert_null(aa_toml_get(aa_toml_root(doc), "k")); /* a C string key stops at the NUL */
	aa_toml_free(doc);
}

static void test_document_order_and_count(void **state)
{
	aa_toml *doc = parse_ok("z = 1\na = 2\n[m]\n[b]\n");
	const aa_toml_node *r = aa_toml_root(doc);
	const char *key;

	(void)state;
	assert_int_equal(aa_toml_count(r), 4);
	aa_toml_at(r, 0, &key);
	assert_string_equal(key, "z");
	aa_toml_at(r, 1, &key);
	assert_string_equal(key, "a");
	aa_toml_at(r, 3, &key);
	assert_string_equal(key, "b");
	assert_null(aa_toml_at(r, 4, &key));
	assert_null(key);
	aa_toml_free(doc);
}

static void test_lines_of_keys_and_headers(void **state)
{
	aa_toml *doc = parse_ok("# c\n\ndefault_site = \"a\"\n\n[sites.a]\ndomain = \"x\"\n"
				"list = [\n 1,\n 2]\nafter = 1\n");
	const aa_toml_node *a = path2(doc, "sites", "a");

	(void)state;
	assert_int_equal(aa_toml_line(aa_toml_get(aa_toml_root(doc), "default_site")), 3);
	assert_int_equal(aa_toml_line(a), 5);
	assert_int_equal(aa_toml_line(aa_toml_get(a, "domain")), 6);
	assert_int_equal(aa_toml_line(aa_toml_get(a, "list")), 7);
	assert_int_equal(aa_toml_line(aa_toml_get(a, "after")), 10);
	assert_int_equal(aa_toml_line(aa_toml_at(aa_toml_get(a, "list"), 1, NULL)), 9);
	aa_toml_free(doc);
}

static void test_spans_of_pairs_and_tables(void **state)
{
	const char *text = "top = 1\r\n[t]  # hdr\r\nk = \"v\"  # c\r\nm = [\r\n1]\r\n[u]\r\n";
	aa_toml *doc = parse_ok(text);
	const aa_toml_node *t = aa_toml_get(aa_toml_root(doc), "t");
	aa_toml_where w = aa_toml_where_of(aa_toml_get(t, "k")), tw = aa_toml_where_of(t),
		      m = aa_toml_where_of(aa_toml_get(t, "m")),
		      rw = aa_toml_where_of(aa_toml_root(doc));

	(void)state;
	assert_int_equal(w.line_start, strstr(text, "k =") - text);
	assert_int_equal(w.value_start, strstr(text, "\"v\"") - text);
	assert_int_equal(w.value_end, w.value_start + 3);
	assert_int_equal(w.line_end, strstr(text, "m =") - text);
	assert_int_equal(m.line_end, strstr(text, "[u]") - text);
	assert_int_equal(tw.origin, AA_TOML_HEADER);
	assert_int_equal(tw.header_start, strstr(text, "[t]") - text);
	assert_int_equal(tw.header_end, strstr(text, "k =") - text);
	assert_int_equal(tw.body_end, strstr(text, "[u]") - text);
	assert_int_equal(tw.kv_end, tw.body_end);
	assert_int_equal(rw.origin, AA_TOML_ROOT);
	assert_int_equal(rw.body_end, tw.header_start);
	assert_int_equal(aa_toml_where_of(aa_toml_get(aa_toml_root(doc), "u")).body_end,
			 strlen(text));
	aa_toml_free(doc);
}

static void test_origins(void **state)
{
	aa_toml *doc = parse_ok("a.b = 1\nc = {d = 1}\n[e.f]\n[[g]]\n");
	const aa_toml_node *r = aa_toml_root(doc);

	(void)state;
	assert_int_equal(aa_toml_where_of(aa_toml_get(r, "a")).origin, AA_TOML_DOTTED);
	assert_int_equal(aa_toml_where_of(aa_toml_get(r, "c")).origin, AA_TOML_INLINE);
	assert_int_equal(aa_toml_where_of(aa_toml_get(r, "e")).origin, AA_TOML_IMPLICIT);
	assert_int_equal(aa_toml_where_of(path2(doc, "e", "f")).origin, AA_TOML_HEADER);
	assert_int_equal(aa_toml_where_of(aa_toml_at(aa_toml_get(r, "g"), 0, NULL)).origin,
			 AA_TOML_AOT);
	aa_toml_free(doc);
}

static void test_errors_are_one_line_with_file_and_line(void **state)
{
	(void)state;
	parse_fails("[plugin.auth]\ndomain \"x\"\n",
		    "t.toml:2: expected '=' after the key \"domain\"");
	parse_fails("a = 1\n\n[a]\n",
		    "t.toml:3: \"a\" is already defined on line 1 (as an integer); each table is "
		    "defined once");
	parse_fails("[sites.x]\napi_key = \"abc\nz = 1\n",
		    "t.toml:2: string does not end on its line (close it, or use a multi-line "
		    "string)");
	parse_fails("a = \"\x1b[31m\"\n",
		    "t.toml:1: control character U+001B in a string (write it as \\u001B)");
}

/* "a = " and `open` brackets, then `close` closing ones, into buf. */
static void brackets(char *buf, size_t cap, size_t open, size_t close)
{
	assert_true(4 + open + close < cap);
	memcpy(buf, "a = ", 4);
	memset(buf + 4, '[', open);
	memset(buf + 4 + open, ']', close);
	buf[4 + open + close] = '\0';
}

static void test_nesting_limit(void **state)
{
	char deep[512], ok[512];

	(void)state;
	brackets(deep, sizeof(deep), AA_TOML_MAX_DEPTH + 1, 0);
	parse_fails(deep, "t.toml:1: arrays and tables nested deeper than 100 levels");
	brackets(ok, sizeof(ok), AA_TOML_MAX_DEPTH - 1, AA_TOML_MAX_DEPTH - 1);
	aa_toml_free(parse_ok(ok));
}

static void test_dotted_key_depth_limit(void **state)
{
	char key[1024];
	size_t used = 0;
	aa_error err = { 0 };
	aa_toml *doc = NULL;

	(void)state;
	for (int i = 0; i < 150; i++) {
		memcpy(key + used, "a.", 2);
		used += 2;
	}
	snprintf(key + used, sizeof(key) - used, "b = 1\n");
	assert_int_equal(aa_toml_parse(key, strlen(key), "t.toml", &doc, &err), AA_ERR_PARSE);
	assert_non_null(strstr(err.message, "deeper than 100"));
}

static void test_size_limit(void **state)
{
	size_t n = AA_TOML_MAX_BYTES + 1;
	char *big = malloc(n);
	aa_error err = { 0 };
	aa_toml *doc = NULL;

	(void)state;
	memset(big, '\n', n);
	assert_int_equal(aa_toml_parse(big, n, "t.toml", &doc, &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "larger than"));
	free(big);
}

static void test_many_keys_use_the_index(void **state)
{
	char *text = malloc(20 * 5000);
	size_t used = 0;
	aa_toml *doc;
	int64_t v;

	(void)state;
	for (int i = 0; i < 5000; i++)
		used += (size_t)snprintf(text + used, 20 * 5000 - used, "k%d = %d\n", i, i);
	doc = parse_ok(text);
	assert_true(aa_toml_integer(aa_toml_get(aa_toml_root(doc), "k4321"), &v));
	assert_int_equal(v, 4321);
	assert_null(aa_toml_get(aa_toml_root(doc), "k5000"));
	aa_toml_free(doc);
	snprintf(text + used, 20 * 5000 - used, "k77 = 1\n");
	parse_fails(text, "t.toml:5001: \"k77\" is already defined on line 78 (as an integer); "
			  "each key is set once");
	free(text);
}

static void test_float_ignores_the_locale_decimal_point(void **state)
{
	aa_toml *doc;
	double f = 0;

	(void)state;
	/* a program that called setlocale(LC_ALL, "") in a "," locale */
	if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") && !setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
		skip();
	doc = parse_ok("f = 2.5\n");
	setlocale(LC_NUMERIC, "C");
	assert_true(aa_toml_float(aa_toml_get(aa_toml_root(doc), "f"), &f));
	assert_true(f == 2.5);
	aa_toml_free(doc);
}

static void test_load_file(void **state)
{
	char dir[] = "/tmp/aa-toml-XXXXXX", path[64];
	aa_error err = { 0 };
	aa_toml *doc = NULL;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/config.toml", dir);
	assert_int_equal(aa_toml_load_file(path, "~/config.toml", &doc, &err), AA_ERR_NOT_FOUND);
	assert_string_equal(err.message, "~/config.toml does not exist");
	f = fopen(path, "w");
	fputs("[sites.a]\ndomain = \"a.example\"\n", f);
	fclose(f);
	assert_int_equal(aa_toml_load_file(path, NULL, &doc, &err), AA_OK);
	assert_string_equal(aa_toml_string(path2(doc, "sites", "a") ?
					   aa_toml_get(path2(doc, "sites", "a"), "domain") : NULL,
					   NULL), "a.example");
	aa_toml_free(doc);
	unlink(path);
	/* a FIFO (or any non-regular file) is refused without blocking */
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(aa_toml_load_file(path, "cfg", &doc, &err), AA_ERR_USAGE);
	assert_string_equal(err.message, "cfg is not a regular file");
	unlink(path);
	assert_int_equal(aa_toml_load_file(dir, "dir", &doc, &err), AA_ERR_USAGE);
	rmdir(dir);
}

static void test_free_null(void **state)
{
	(void)state;
	aa_toml_free(NULL);
	assert_int_equal(aa_toml_count(NULL), 0);
	assert_int_equal(aa_toml_line(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typed_values),
		cmocka_unit_test(test_string_with_nul_has_its_length),
		cmocka_unit_test(test_document_order_and_count),
		cmocka_unit_test(test_lines_of_keys_and_headers),
		cmocka_unit_test(test_spans_of_pairs_and_tables),
		cmocka_unit_test(test_origins),
		cmocka_unit_test(test_errors_are_one_line_with_file_and_line),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_dotted_key_depth_limit),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_many_keys_use_the_index),
		cmocka_unit_test(test_float_ignores_the_locale_decimal_point),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_free_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
