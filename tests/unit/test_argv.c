/* SPDX-License-Identifier: BSD-3-Clause */
/* test_argv.c - unit tests for common/argv.c (--name V / --name=V option values). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

static void test_separate_value_moves_past_it(void **state)
{
	char *argv[] = { "prog", "--domain", "example.com", "rest", NULL };
	const char *v = NULL;
	int i = 1;

	(void)state;
	assert_int_equal(aa_arg_value(4, argv, &i, "--domain", &v), 1);
	assert_string_equal(v, "example.com");
	assert_int_equal(i, 2);
}

static void test_inline_value_even_empty(void **state)
{
	char *argv[] = { "prog", "--domain=a.b", "--domain=", NULL };
	const char *v = NULL;
	int i = 1;

	(void)state;
	assert_int_equal(aa_arg_value(3, argv, &i, "--domain", &v), 1);
	assert_string_equal(v, "a.b");
	assert_int_equal(i, 1);
	i = 2;
	assert_int_equal(aa_arg_value(3, argv, &i, "--domain", &v), 1);
	assert_string_equal(v, "");
}

static void test_other_arguments_do_not_match(void **state)
{
	char *argv[] = { "prog", "--domainx", "--dom", "domain", NULL };
	const char *v = "untouched";

	(void)state;
	for (int i = 1; i < 4; i++) {
		int j = i;

		assert_int_equal(aa_arg_value(4, argv, &j, "--domain", &v), 0);
		assert_int_equal(j, i);
	}
	assert_string_equal(v, "untouched");
}

static void test_missing_value(void **state)
{
	char *argv[] = { "prog", "--domain", NULL };
	const char *v = "untouched";
	int i = 1;

	(void)state;
	assert_int_equal(aa_arg_value(2, argv, &i, "--domain", &v), -1);
	assert_int_equal(i, 1);
	assert_string_equal(v, "untouched");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_separate_value_moves_past_it),
		cmocka_unit_test(test_inline_value_even_empty),
		cmocka_unit_test(test_other_arguments_do_not_match),
		cmocka_unit_test(test_missing_value),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
