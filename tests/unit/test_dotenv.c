/* SPDX-License-Identifier: BSD-3-Clause */
/* test_dotenv.c - unit tests for common/dotenv.c: python-dotenv syntax and errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dotenv.h"

#define MAX_SEEN 16

/* What the parser reported, in order. */
struct seen {
	size_t n;
	char *name[MAX_SEEN];
	char *value[MAX_SEEN];
	unsigned line[MAX_SEEN];
	size_t stop_after; /* fail the callback after this many; 0 = never */
};

static aa_status record(const char *name, const char *value, unsigned line,
			void *ctx, aa_error *err)
{
	struct seen *s = ctx;

	if (s->n >= MAX_SEEN)
		return aa_fail(err, AA_ERR_GENERIC, "too many");
	s->name[s->n] = strdup(name);
	s->value[s->n] = strdup(value);
	s->line[s->n] = line;
	s->n++;
	if (s->stop_after && s->n == s->stop_after)
		return aa_fail(err, AA_ERR_USAGE, "stopped by the callback");
	return AA_OK;
}

static void seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->name[i]);
		free(s->value[i]);
	}
	memset(s, 0, sizeof(*s));
}

static aa_status parse(const char *text, struct seen *s, aa_error *err)
{
	memset(s, 0, sizeof(*s));
	aa_error_clear(err);
	return aa_dotenv_parse(text, strlen(text), record, s, err);
}

/* Parse `text` expecting success and exactly one assignment. */
static void expect_one(const char *text, const char *name, const char *value,
		       unsigned line)
{
	struct seen s;
	aa_error err;

	assert_int_equal(parse(text, &s, &err), AA_OK);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.name[0], name);
	assert_string_equal(s.value[0], value);
	assert_int_equal(s.line[0], line);
	seen_free(&s);
}

/* Parse `text` expecting AA_ERR_PARSE naming `line`. */
static void expect_error(const char *text, unsigned line)
{
	struct seen s;
	aa_error err;
	char want[32];

	assert_int_equal(parse(text, &s, &err), AA_ERR_PARSE);
	assert_int_equal(err.code, AA_ERR_PARSE);
	snprintf(want, sizeof(want), ".env line %u:", line);
	assert_non_null(strstr(err.message, want));
	assert_null(strchr(err.message, '\n'));
	seen_free(&s);
}

static void test_simple_assignments(void **state)
{
	struct seen s;
	aa_error err;

	(void)state;
	assert_int_equal(parse("A=1\nB=two\nC=three", &s, &err), AA_OK);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.name[0], "A");
	assert_string_equal(s.value[0], "1");
	assert_string_equal(s.name[1], "B");
	assert_string_equal(s.value[1], "two");
	assert_int_equal(s.line[1], 2);
	assert_string_equal(s.value[2], "three"); /* no final newline */
	assert_int_equal(s.line[2], 3);
	seen_free(&s);
}

static void test_export_prefix(void **state)
{
	(void)state;
	expect_one("export ANACONDA_AUTH_DOMAIN=x.example\n",
		   "ANACONDA_AUTH_DOMAIN", "x.example", 1);
	expect_one("export\tA=1", "A", "1", 1);
	/* "export" alone is an ordinary name */
	expect_one("export=1", "export", "1", 1);
}

static void test_blank_lines_and_comments(void **state)
{
	(void)state;
	expect_one("\n# a comment\n   \n\t# indented comment\nA=1 # inline\n\n",
		   "A", "1", 5);
	expect_one("  # only=comment\nB=2", "B", "2", 2);
}

static void test_unquoted_values(void **state)
{
	(void)state;
	expect_one("  A =   spaced value   \n", "A", "spaced value", 1);
	/* '#' only starts a comment after whitespace */
	expect_one("A=x#y", "A", "x#y", 1);
	expect_one("A=x\t#y", "A", "x", 1);
	/* python-dotenv: right after '=' a '#' is part of the value */
	expect_one("A= #not-a-comment", "A", "#not-a-comment", 1);
	expect_one("A=a'b\"c\\n", "A", "a'b\"c\\n", 1);
	expect_one("A=${HOME}/x", "A", "${HOME}/x", 1);
}

static void test_empty_values(void **state)
{
	(void)state;
	expect_one("A=\n", "A", "", 1);
	expect_one("A=''\n", "A", "", 1);
	expect_one("A=\"\"  # c\n", "A", "", 1);
	expect_one("A = # c\n", "A", "# c", 1);
}

static void test_single_quotes_are_literal(void **state)
{
	(void)state;
	expect_one("A='a\\nb $x # c'", "A", "a\\nb $x # c", 1);
	expect_one("A='it\\'s'", "A", "it's", 1);
	expect_one("A='back\\\\slash'", "A", "back\\slash", 1);
	expect_one("A='  kept  ' # c", "A", "  kept  ", 1);
}

static void test_double_quote_escapes(void **state)
{
	(void)state;
	expect_one("A=\"l1\\nl2\\t\\\"q\\\" \\\\ \\'\"", "A", "l1\nl2\t\"q\" \\ '", 1);
	/* unknown escapes stay as written */
	expect_one("A=\"\\x\\d\"", "A", "\\x\\d", 1);
	expect_one("A=\"has # hash\" # comment", "A", "has # hash", 1);
}

static void test_multiline_quoted_value(void **state)
{
	struct seen s;
	aa_error err;

	(void)state;
	assert_int_equal(parse("A=\"x\ny\"\nB='p\r\nq'\nC=3\n", &s, &err), AA_OK);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.value[0], "x\ny");
	assert_int_equal(s.line[0], 1);
	assert_string_equal(s.value[1], "p\r\nq");
	assert_int_equal(s.line[1], 3);
	assert_string_equal(s.name[2], "C");
	assert_int_equal(s.line[2], 5);
	seen_free(&s);
}

static void test_crlf_and_cr_line_ends(void **state)
{
	struct seen s;
	aa_error err;

	(void)state;
	assert_int_equal(parse("A=1\r\n# c\r\nB='2'\r\n", &s, &err), AA_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.value[0], "1");
	assert_string_equal(s.value[1], "2");
	assert_int_equal(s.line[1], 3);
	seen_free(&s);
	assert_int_equal(parse("A=1\rB=2\r", &s, &err), AA_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.value[0], "1");
	assert_int_equal(s.line[1], 2);
	seen_free(&s);
}

static void test_quoted_name(void **state)
{
	(void)state;
	expect_one("'A'=1", "A", "1", 1);
	expect_error("'A=1", 1);
}

static void test_name_without_value_is_skipped(void **state)
{
	(void)state;
	expect_one("JUSTNAME\nA=1\nOTHER # comment\n", "A", "1", 2);
}

static void test_byte_order_mark(void **state)
{
	(void)state;
	expect_one("\xEF\xBB\xBF" "A=1\n", "A", "1", 1);
}

static void test_malformed_lines_name_the_line(void **state)
{
	(void)state;
	expect_error("A=1\n=value\n", 2);
	expect_error("A=1\nB C=2\n", 2);
	expect_error("A=\"unterminated\n\n", 1);
	expect_error("A=1\nB='open", 2);
	expect_error("A=\"v\" junk\n", 1);
	expect_error("\n\nexport =x\n", 3);
	expect_error("A=1\r\nB=\"x\" y\r\n", 2);
}

static void test_errors_never_quote_the_text(void **state)
{
	struct seen s;
	aa_error err;

	(void)state;
	assert_int_equal(parse("ANACONDA_AUTH_API_KEY=\"s3cret-key-value\n", &s, &err),
			 AA_ERR_PARSE);
	assert_null(strstr(err.message, "s3cret"));
	assert_int_equal(parse("ANACONDA_AUTH_API_KEY='s3cret' trailing\n", &s, &err),
			 AA_ERR_PARSE);
	assert_null(strstr(err.message, "s3cret"));
	assert_null(strstr(err.message, "trailing"));
	seen_free(&s);
}

static void test_nul_byte_is_refused(void **state)
{
	static const char text[] = "A=1\nB=x\0y\n";
	struct seen s = { 0 };
	aa_error err;

	(void)state;
	assert_int_equal(aa_dotenv_parse(text, sizeof(text) - 1, record, &s, &err),
			 AA_ERR_PARSE);
	assert_non_null(strstr(err.message, ".env line 2:"));
	assert_int_equal(s.n, 0); /* nothing is reported from a file with a NUL */
	seen_free(&s);
}

static void test_callback_error_stops_the_parse(void **state)
{
	struct seen s = { 0 };
	aa_error err;
	const char *text = "A=1\nB=2\nC=3\n";

	(void)state;
	s.stop_after = 2;
	assert_int_equal(aa_dotenv_parse(text, strlen(text), record, &s, &err),
			 AA_ERR_USAGE);
	assert_int_equal(s.n, 2);
	assert_string_equal(err.message, "stopped by the callback");
	seen_free(&s);
}

static void test_empty_input(void **state)
{
	struct seen s = { 0 };

	(void)state;
	assert_int_equal(aa_dotenv_parse(NULL, 0, record, &s, NULL), AA_OK);
	assert_int_equal(aa_dotenv_parse("", 0, record, &s, NULL), AA_OK);
	assert_int_equal(parse("\n\n  \n# x", &s, NULL), AA_OK);
	assert_int_equal(s.n, 0);
	assert_int_equal(aa_dotenv_parse(NULL, 3, record, &s, NULL), AA_ERR_USAGE);
}

static void test_later_assignment_reported_after_earlier(void **state)
{
	struct seen s;
	aa_error err;

	(void)state;
	assert_int_equal(parse("A=1\nA=2\n", &s, &err), AA_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.value[1], "2");
	seen_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_assignments),
		cmocka_unit_test(test_export_prefix),
		cmocka_unit_test(test_blank_lines_and_comments),
		cmocka_unit_test(test_unquoted_values),
		cmocka_unit_test(test_empty_values),
		cmocka_unit_test(test_single_quotes_are_literal),
		cmocka_unit_test(test_double_quote_escapes),
		cmocka_unit_test(test_multiline_quoted_value),
		cmocka_unit_test(test_crlf_and_cr_line_ends),
		cmocka_unit_test(test_quoted_name),
		cmocka_unit_test(test_name_without_value_is_skipped),
		cmocka_unit_test(test_byte_order_mark),
		cmocka_unit_test(test_malformed_lines_name_the_line),
		cmocka_unit_test(test_errors_never_quote_the_text),
		cmocka_unit_test(test_nul_byte_is_refused),
		cmocka_unit_test(test_callback_error_stops_the_parse),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_later_assignment_reported_after_earlier),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
