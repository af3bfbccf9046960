/* SPDX-License-Identifier: BSD-3-Clause */
/* test_toml_edit.c - unit tests for common/toml_edit.c: edits keep every byte they do not own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "toml.h"

/* A hand-written file: comments, blank lines, odd spacing, other tables. */
static const char HAND[] =
	"# my settings\n"
	"default_site = \"prod\"   # the one I use\n"
	"\n"
	"[plugin.auth]\n"
	"ssl_verify  =  true\n"
	"\n"
	"# production\n"
	"[sites.prod]\n"
	"domain = \"anaconda.com\"  # keep\n"
	"ssl_verify = false\n"
	"# api_key = \"old\"\n"
	"\n"
	"# the test site\n"
	"[sites.test]\n"
	"domain = \"test.example\"\n"
	"\n"
	"[other]\n"
	"x = [ 1,\n"
	"  2 ]\n";

static const char *const PROD[] = { "sites", "prod" };
static const char *const TEST[] = { "sites", "test" };

static char *edit_set(const char *text, const char *const *path, size_t n, const char *key,
		      const char *value)
{
	aa_error err = { 0 };
	char *out = NULL;
	size_t len = 0;

	if (aa_toml_edit_set(text, strlen(text), "t.toml", path, n, key, value, &out, &len,
			     &err) != AA_OK)
		fail_msg("set failed: %s", err.message);
	assert_int_equal(len, strlen(out));
	return out;
}

/* out == text with [at, at+old_len) replaced by repl. */
static void assert_spliced(const char *text, const char *out, const char *at_text,
			   size_t old_len, const char *repl)
{
	const char *at = strstr(text, at_text);
	size_t a, rl = strlen(repl);

	assert_non_null(at);
	a = (size_t)(at - text);
	assert_int_equal(strlen(out), strlen(text) - old_len + rl);
	assert_memory_equal(out, text, a);
	assert_memory_equal(out + a, repl, rl);
	assert_string_equal(out + a + rl, text + a + old_len);
}

static void test_set_replaces_only_the_value_bytes(void **state)
{
	char *out = edit_set(HAND, PROD, 2, "domain", "\"anaconda.cloud\"");

	(void)state;
	assert_spliced(HAND, out, "\"anaconda.com\"", strlen("\"anaconda.com\""),
		       "\"anaconda.cloud\"");
	free(out);
	out = edit_set(HAND, NULL, 0, "default_site", "\"test\"");
	assert_spliced(HAND, out, "\"prod\"", 6, "\"test\"");
	free(out);
}

static void test_set_new_key_goes_after_the_last_pair(void **state)
{
	char *out = edit_set(HAND, PROD, 2, "api_key", "\"k\"");

	(void)state;
	/* after "ssl_verify = false\n", before the commented-out line */
	assert_spliced(HAND, out, "# api_key = \"old\"", 0, "api_key = \"k\"\n");
	free(out);
	out = edit_set(HAND, NULL, 0, "new_top", "1");
	assert_spliced(HAND, out, "\n[plugin.auth]", 0, "new_top = 1\n");
	free(out);
}

static void test_set_in_header_only_table_at_end_without_newline(void **state)
{
	char *out = edit_set("a = 1\n[sites.x]", (const char *const[]){ "sites", "x" }, 2,
			     "domain", "\"d\"");

	(void)state;
	assert_string_equal(out, "a = 1\n[sites.x]\ndomain = \"d\"\n");
	free(out);
	out = edit_set("# about x\n[x]\n", (const char *const[]){ "x" }, 1, "k", "true");
	assert_string_equal(out, "# about x\n[x]\nk = true\n");
	free(out);
}

static void test_set_top_level_in_file_without_top_level_pairs(void **state)
{
	char *out = edit_set("# comment about the file\n\n# about sites.a\n[sites.a]\n", NULL, 0,
			     "default_site", "\"a\"");

	(void)state;
	assert_string_equal(out, "# comment about the file\n\ndefault_site = \"a\"\n\n"
				 "# about sites.a\n[sites.a]\n");
	free(out);
	out = edit_set("[sites.a]\n", NULL, 0, "default_site", "\"a\"");
	assert_string_equal(out, "default_site = \"a\"\n\n[sites.a]\n");
	free(out);
	out = edit_set("", NULL, 0, "default_site", "\"a\"");
	assert_string_equal(out, "default_site = \"a\"\n");
	free(out);
	/* only comments: the new pair goes at the end */
	out = edit_set("# nothing yet", NULL, 0, "default_site", "\"a\"");
	assert_string_equal(out, "# nothing yet\ndefault_site = \"a\"\n");
	free(out);
}

static void test_crlf_file_gets_crlf_lines(void **state)
{
	const char *text = "[sites.a]\r\ndomain = \"a\"\r\n\r\n[b]\r\n";
	char *out = edit_set(text, (const char *const[]){ "sites", "a" }, 2, "ssl_verify",
			     "false");
	aa_error err = { 0 };
	char *out2 = NULL;

	(void)state;
	assert_string_equal(out, "[sites.a]\r\ndomain = \"a\"\r\nssl_verify = false\r\n\r\n[b]\r\n");
	assert_int_equal(aa_toml_edit_add_table(text, strlen(text), "t.toml",
						(const char *const[]){ "sites", "c" }, 2,
						(const char *const[]){ "domain" },
						(const char *const[]){ "\"c\"" }, 1, &out2, NULL, &err),
			 AA_OK);
	assert_string_equal(out2, "[sites.a]\r\ndomain = \"a\"\r\n\r\n[b]\r\n\r\n[sites.c]\r\n"
				  "domain = \"c\"\r\n");
	free(out);
	free(out2);
}

static void test_quoting_round_trips(void **state)
{
	const char *odd = "a \"quoted\" \\ back\nslash\t\x01\x7f é";
	char *q = aa_toml_quote(odd), *k = aa_toml_quote_key("my site"), *bare = aa_toml_quote_key("prod-1_x");
	char *e = aa_toml_quote_key(""), *out, *p;
	aa_error err = { 0 };
	aa_toml *doc = NULL;

	(void)state;
	assert_string_equal(q, "\"a \\\"quoted\\\" \\\\ back\\nslash\\t\\u0001\\u007F é\"");
	assert_string_equal(k, "\"my site\"");
	assert_string_equal(bare, "prod-1_x");
	assert_string_equal(e, "\"\"");
	out = edit_set("[s]\n", (const char *const[]){ "s" }, 1, "my key", q);
	assert_string_equal(out, "[s]\n\"my key\" = " "\"a \\\"quoted\\\" \\\\ back\\nslash\\t"
				 "\\u0001\\u007F é\"\n");
	assert_int_equal(aa_toml_parse(out, strlen(out), "t", &doc, &err), AA_OK);
	assert_string_equal(aa_toml_string(aa_toml_get(aa_toml_get(aa_toml_root(doc), "s"),
						       "my key"), NULL), odd);
	p = aa_toml_path_text((const char *const[]){ "sites", "my site", "x" }, 3);
	assert_string_equal(p, "sites.\"my site\".x");
	aa_toml_free(doc);
	free(q);
	free(k);
	free(bare);
	free(e);
	free(out);
	free(p);
}

/* The edit fails with this code and message; nothing comes out. */
static void set_refused(const char *text, const char *const *path, size_t n, const char *key,
			const char *value, aa_status code, const char *message)
{
	aa_error err = { 0 };
	char *copy = strdup(text), *out = (char *)"untouched";

	assert_int_equal(aa_toml_edit_set(text, strlen(text), "t.toml", path, n, key, value,
					  &out, NULL, &err), code);
	assert_null(out);
	assert_string_equal(err.message, message);
	assert_string_equal(copy, text); /* the input is left as it was */
	free(copy);
}

static void test_refusals(void **state)
{
	const char *const X[] = { "sites", "x" };

	(void)state;
	set_refused("sites = { x = { domain = \"a\" } }\n", X, 2, "domain", "\"b\"",
		    AA_ERR_USAGE, "t.toml:1: sites.x is defined inline; edit it by hand");
	set_refused("[sites]\n\nx.domain = \"a\"\n", X, 2, "domain", "\"b\"", AA_ERR_USAGE,
		    "t.toml:3: sites.x is defined by dotted keys; edit it by hand");
	set_refused("[sites.x.y]\n", X, 2, "domain", "\"b\"", AA_ERR_USAGE,
		    "t.toml:1: sites.x has no [header] of its own; edit it by hand");
	set_refused("[[sites.x]]\n", X, 2, "domain", "\"b\"", AA_ERR_USAGE,
		    "t.toml:1: sites.x is an array of tables; edit it by hand");
	set_refused("[sites]\nx = 1\n", X, 2, "domain", "\"b\"", AA_ERR_USAGE,
		    "t.toml:2: sites.x is integer, not a table");
	set_refused("[sites.y]\n", X, 2, "domain", "\"b\"", AA_ERR_NOT_FOUND,
		    "t.toml has no [sites.x] table");
	set_refused("[sites.x]\n[sites.x.domain]\n", X, 2, "domain", "\"b\"", AA_ERR_USAGE,
		    "t.toml:2: domain is a table here; edit it by hand");
	set_refused("[sites.x]\n", X, 2, "domain", "b", AA_ERR_USAGE,
		    "the new value of domain is not one TOML value: expected a value (a string "
		    "in quotes, a number, true/false, a date, [array] or {table})");
	set_refused("[sites.x]\n", X, 2, "domain", "\"a\"\nevil = 1", AA_ERR_USAGE,
		    "the new value of domain is not one TOML value");
	set_refused("[sites.x]\n", X, 2, "domain", "\"a\" # c", AA_ERR_USAGE,
		    "the new value of domain is not one TOML value");
	set_refused("[sites.x\n", X, 2, "domain", "\"a\"", AA_ERR_PARSE,
		    "t.toml:1: expected ']' to close the table header");
}

static void test_remove_key_takes_its_lines(void **state)
{
	aa_error err = { 0 };
	char *out = NULL;

	(void)state;
	assert_int_equal(aa_toml_edit_remove_key(HAND, strlen(HAND), "t.toml", PROD, 2, "domain",
						 &out, NULL, &err), AA_OK);
	assert_spliced(HAND, out, "domain = \"anaconda.com\"  # keep\n",
		       strlen("domain = \"anaconda.com\"  # keep\n"), "");
	free(out);
	assert_int_equal(aa_toml_edit_remove_key(HAND, strlen(HAND), "t.toml",
						 (const char *const[]){ "other" }, 1, "x", &out,
						 NULL, &err), AA_OK);
	assert_spliced(HAND, out, "x = [ 1,\n  2 ]\n", strlen("x = [ 1,\n  2 ]\n"), "");
	free(out);
	out = NULL;
	assert_int_equal(aa_toml_edit_remove_key(HAND, strlen(HAND), "t.toml", PROD, 2, "nope",
						 &out, NULL, &err), AA_ERR_NOT_FOUND);
	assert_null(out);
	assert_string_equal(err.message, "t.toml: [sites.prod] has no key nope");
}

static char *remove_table(const char *text, const char *const *path, size_t n)
{
	aa_error err = { 0 };
	char *out = NULL;

	if (aa_toml_edit_remove_table(text, strlen(text), "t.toml", path, n, &out, NULL,
				      &err) != AA_OK)
		fail_msg("remove failed: %s", err.message);
	return out;
}

static void test_remove_table_with_its_comments(void **state)
{
	char *out = remove_table(HAND, PROD, 2);

	(void)state;
	/* its comment above, header, body and trailing blank go; "# the test site" stays */
	assert_spliced(HAND, out, "# production\n",
		       strlen("# production\n[sites.prod]\ndomain = \"anaconda.com\"  # keep\n"
			      "ssl_verify = false\n# api_key = \"old\"\n\n"), "");
	free(out);
	out = remove_table(HAND, TEST, 2);
	assert_spliced(HAND, out, "# the test site\n",
		       strlen("# the test site\n[sites.test]\ndomain = \"test.example\"\n\n"), "");
	free(out);
}

static void test_remove_last_table_leaves_no_blank_tail(void **state)
{
	char *out = remove_table("a = 1\n\n[x]\nk = 1\n\n[y]\nk = 2\n",
				 (const char *const[]){ "y" }, 1);

	(void)state;
	assert_string_equal(out, "a = 1\n\n[x]\nk = 1\n");
	free(out);
	out = remove_table("[y]\nk = 2", (const char *const[]){ "y" }, 1);
	assert_string_equal(out, "");
	free(out);
}

static void test_remove_table_takes_its_subtables(void **state)
{
	const char *text = "[sites.a]\nd = 1\n\n[sites.b]\nd = 2\n\n[sites.a.headers]\nX = \"1\"\n\n"
			   "[[sites.a.list]]\nv = 1\n\n[z]\n";
	char *out = remove_table(text, (const char *const[]){ "sites", "a" }, 2);

	(void)state;
	assert_string_equal(out, "[sites.b]\nd = 2\n\n[z]\n");
	free(out);
}

static void test_remove_table_refusals(void **state)
{
	aa_error err = { 0 };
	char *out = NULL;
	const char *text = "[sites]\nx = { domain = \"a\" }\n";

	(void)state;
	assert_int_equal(aa_toml_edit_remove_table(text, strlen(text), "t.toml",
						   (const char *const[]){ "sites", "x" }, 2, &out,
						   NULL, &err), AA_ERR_USAGE);
	assert_null(out);
	assert_string_equal(err.message, "t.toml:2: sites.x is defined inline; edit it by hand");
	assert_int_equal(aa_toml_edit_remove_table(text, strlen(text), "t.toml", NULL, 0, &out,
						   NULL, &err), AA_ERR_USAGE);
	assert_int_equal(aa_toml_edit_remove_table(text, strlen(text), "t.toml",
						   (const char *const[]){ "nope" }, 1, &out, NULL,
						   &err), AA_ERR_NOT_FOUND);
}

static void test_add_table(void **state)
{
	const char *const keys[] = { "domain", "ssl_verify" };
	const char *const values[] = { "\"my.example\"", "false" };
	const char *const path[] = { "sites", "my site" };
	aa_error err = { 0 };
	char *out = NULL, *expect;

	(void)state;
	assert_int_equal(aa_toml_edit_add_table(HAND, strlen(HAND), "t.toml", path, 2, keys,
						values, 2, &out, NULL, &err), AA_OK);
	expect = aa_asprintf("%s\n[sites.\"my site\"]\ndomain = \"my.example\"\n"
			     "ssl_verify = false\n", HAND);
	assert_string_equal(out, expect);
	free(out);
	free(expect);
	out = NULL;
	assert_int_equal(aa_toml_edit_add_table(HAND, strlen(HAND), "t.toml", PROD, 2, keys,
						values, 2, &out, NULL, &err), AA_ERR_USAGE);
	assert_null(out);
	assert_string_equal(err.message, "t.toml:8: sites.prod is already defined");
	/* a table under an inline one cannot be added */
	assert_int_equal(aa_toml_edit_add_table("sites = {}\n", 11, "t.toml", PROD, 2, keys,
						values, 2, &out, NULL, &err), AA_ERR_USAGE);
	assert_string_equal(err.message, "t.toml:1: sites is already defined, so a table under "
					 "it cannot be added");
	/* on an empty file: no leading blank line */
	assert_int_equal(aa_toml_edit_add_table("", 0, "t.toml", PROD, 2, keys, values, 1, &out,
						NULL, &err), AA_OK);
	assert_string_equal(out, "[sites.prod]\ndomain = \"my.example\"\n");
	free(out);
	/* a duplicate key would break the file: refused, nothing out */
	out = NULL;
	assert_int_equal(aa_toml_edit_add_table("", 0, "t.toml", PROD, 2,
						(const char *const[]){ "a", "a" }, values, 2, &out,
						NULL, &err), AA_ERR_GENERIC);
	assert_null(out);
	assert_non_null(strstr(err.message, "would break it"));
}

/* What `anaconda sites add --name short-name --domain foo.local
 * --no-remove-anaconda-com` (0.15) writes into a new file, byte for byte. */
static void test_same_text_as_anaconda_sites_add(void **state)
{
	const char *const com[] = { "sites", "anaconda.com" }, *const sn[] = { "sites", "short-name" };
	const char *const keys[] = { "domain" }, *const values[] = { "\"foo.local\"" };
	aa_error err = { 0 };
	char *a = NULL, *b = NULL, *c = NULL;

	(void)state;
	assert_int_equal(aa_toml_edit_add_table("", 0, "t", com, 2, NULL, NULL, 0, &a, NULL, &err),
			 AA_OK);
	assert_int_equal(aa_toml_edit_add_table(a, strlen(a), "t", sn, 2, keys, values, 1, &b,
						NULL, &err), AA_OK);
	c = edit_set(b, NULL, 0, "default_site", "\"anaconda.com\"");
	assert_string_equal(c, "default_site = \"anaconda.com\"\n\n[sites.\"anaconda.com\"]\n\n"
			       "[sites.short-name]\ndomain = \"foo.local\"\n");
	free(a);
	free(b);
	free(c);
}

static void test_string_lines_that_look_like_comments_stay(void **state)
{
	/* comment-looking lines of a multi-line string right above a header */
	const char *text = "[a]\ns = '''\n# x\n# y'''\n[b]\nk = 1\n# about c\n[c]\n";
	char *out = remove_table(text, (const char *const[]){ "b" }, 1);

	(void)state;
	assert_string_equal(out, "[a]\ns = '''\n# x\n# y'''\n# about c\n[c]\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_replaces_only_the_value_bytes),
		cmocka_unit_test(test_set_new_key_goes_after_the_last_pair),
		cmocka_unit_test(test_set_in_header_only_table_at_end_without_newline),
		cmocka_unit_test(test_set_top_level_in_file_without_top_level_pairs),
		cmocka_unit_test(test_crlf_file_gets_crlf_lines),
		cmocka_unit_test(test_quoting_round_trips),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_remove_key_takes_its_lines),
		cmocka_unit_test(test_remove_table_with_its_comments),
		cmocka_unit_test(test_remove_last_table_leaves_no_blank_tail),
		cmocka_unit_test(test_remove_table_takes_its_subtables),
		cmocka_unit_test(test_remove_table_refusals),
		cmocka_unit_test(test_add_table),
		cmocka_unit_test(test_same_text_as_anaconda_sites_add),
		cmocka_unit_test(test_string_lines_that_look_like_comments_stay),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
