/* SPDX-License-Identifier: BSD-3-Clause */
/* test_diff.c - unit tests for common/util/diff.c: unified line diffs as difflib writes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/aa_util.h"

static void check(const char *a, const char *b, const char *want)
{
	struct aa_kbuf out = { 0 };

	assert_int_equal(aa_line_diff(a, strlen(a), b, strlen(b), "a", "b", &out), 0);
	assert_string_equal(out.p ? out.p : "", want);
	aa_kbuf_free(&out);
}

static void test_equal_is_empty(void **state)
{
	(void)state;
	check("", "", "");
	check("x\ny\n", "x\ny\n", "");
}

static void test_from_and_to_nothing(void **state)
{
	(void)state;
	check("", "a\nb\n", "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+a\n+b\n");
	check("a\n", "", "--- a\n+++ b\n@@ -1 +0,0 @@\n-a\n");
}

static void test_context_of_three(void **state)
{
	(void)state;
	check("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nX\n6\n7\n8\n",
	      "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+X\n 6\n 7\n 8\n");
}

static void test_far_changes_are_two_hunks(void **state)
{
	(void)state;
	check("a\n1\n2\n3\n4\n5\n6\n7\nb\n", "A\n1\n2\n3\n4\n5\n6\n7\nB\n",
	      "--- a\n+++ b\n@@ -1,4 +1,4 @@\n-a\n+A\n 1\n 2\n 3\n"
	      "@@ -6,4 +6,4 @@\n 5\n 6\n 7\n-b\n+B\n");
	/* six equal lines between: one hunk */
	check("a\n1\n2\n3\n4\n5\n6\nb\n", "A\n1\n2\n3\n4\n5\n6\nB\n",
	      "--- a\n+++ b\n@@ -1,8 +1,8 @@\n-a\n+A\n 1\n 2\n 3\n 4\n 5\n 6\n-b\n+B\n");
}

static void test_insert_in_the_middle(void **state)
{
	(void)state;
	check("[a]\nx = 1\n\n[b]\n", "[a]\nx = 1\ny = 2\n\n[b]\n",
	      "--- a\n+++ b\n@@ -1,4 +1,5 @@\n [a]\n x = 1\n+y = 2\n \n [b]\n");
}

static void test_common_lines_inside_a_change_stay(void **state)
{
	(void)state;
	/* the LCS keeps "k" as context between the two changes */
	check("a\nk\nb\n", "x\nk\ny\n", "--- a\n+++ b\n@@ -1,3 +1,3 @@\n-a\n+x\n k\n-b\n+y\n");
}

static void test_missing_newline_and_crlf(void **state)
{
	(void)state;
	check("a\nb", "a\nb\n",
	      "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
	check("a\r\nb\r\n", "a\r\nc\r\n", "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n");
}

static void test_large_texts_stay_correct(void **state)
{
	struct aa_kbuf a = { 0 }, b = { 0 }, out = { 0 };
	char line[32];
	size_t minus = 0, plus = 0;

	(void)state;
	/* beyond the LCS table's size: every middle line removed, then added */
	for (int i = 0; i < 3000; i++) {
		snprintf(line, sizeof(line), "a%d\n", i);
		aa_kbuf_puts(&a, line);
		snprintf(line, sizeof(line), "b%d\n", i);
		aa_kbuf_puts(&b, line);
	}
	assert_int_equal(aa_line_diff(a.p, a.len, b.p, b.len, "a", "b", &out), 0);
	for (const char *p = out.p; p && *p; p = strchr(p, '\n') + 1) {
		minus += *p == '-' && p[1] != '-';
		plus += *p == '+' && p[1] != '+';
	}
	assert_int_equal(minus, 3000);
	assert_int_equal(plus, 3000);
	aa_kbuf_free(&a);
	aa_kbuf_free(&b);
	aa_kbuf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equal_is_empty),
		cmocka_unit_test(test_from_and_to_nothing),
		cmocka_unit_test(test_context_of_three),
		cmocka_unit_test(test_far_changes_are_two_hunks),
		cmocka_unit_test(test_insert_in_the_middle),
		cmocka_unit_test(test_common_lines_inside_a_change_stay),
		cmocka_unit_test(test_missing_newline_and_crlf),
		cmocka_unit_test(test_large_texts_stay_correct),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
