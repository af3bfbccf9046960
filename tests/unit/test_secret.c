/* SPDX-License-Identifier: BSD-3-Clause */
/* test_secret.c - unit tests for common/secret.c and common/process.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cmocka.h>

#include "anaconda_auth.h"

static void test_new_copies_and_terminates(void **state)
{
	char raw[] = { 'a', 'b', '\0', 'c' };
	aa_secret *s = aa_secret_new(raw, sizeof(raw));

	(void)state;
	assert_non_null(s);
	assert_int_equal(aa_secret_len(s), 4);
	assert_memory_equal(aa_secret_str(s), raw, sizeof(raw));
	assert_int_equal(aa_secret_str(s)[4], '\0');
	raw[0] = 'x';
	assert_int_equal(aa_secret_str(s)[0], 'a');
	aa_secret_free(s);
}

static void test_empty_and_null_inputs(void **state)
{
	aa_secret *s = aa_secret_new(NULL, 0);

	(void)state;
	assert_non_null(s);
	assert_int_equal(aa_secret_len(s), 0);
	assert_string_equal(aa_secret_str(s), "");
	aa_secret_free(s);
	assert_null(aa_secret_new(NULL, 3));
	assert_null(aa_secret_from_str(NULL));
	assert_null(aa_secret_dup(NULL));
	assert_null(aa_secret_str(NULL));
	assert_int_equal(aa_secret_len(NULL), 0);
	assert_null(aa_secret_new("x", SIZE_MAX));
	aa_secret_free(NULL);
	aa_free_secret_str(NULL);
	aa_memzero(NULL, 10);
}

static void test_from_str_and_dup(void **state)
{
	aa_secret *s = aa_secret_from_str("key-123");
	aa_secret *d;

	(void)state;
	assert_non_null(s);
	assert_string_equal(aa_secret_str(s), "key-123");
	assert_int_equal(aa_secret_len(s), 7);
	d = aa_secret_dup(s);
	assert_non_null(d);
	assert_ptr_not_equal(aa_secret_str(d), aa_secret_str(s));
	assert_string_equal(aa_secret_str(d), "key-123");
	aa_secret_free(s);
	aa_secret_free(d);
}

static void test_equal(void **state)
{
	aa_secret *s = aa_secret_from_str("abcdef");
	aa_secret *e = aa_secret_from_str("");

	(void)state;
	assert_true(aa_secret_equal(s, "abcdef"));
	assert_false(aa_secret_equal(s, "abcdeg"));
	assert_false(aa_secret_equal(s, "bbcdef"));
	assert_false(aa_secret_equal(s, "abcde"));
	assert_false(aa_secret_equal(s, "abcdefg"));
	assert_false(aa_secret_equal(s, ""));
	assert_false(aa_secret_equal(s, NULL));
	assert_false(aa_secret_equal(NULL, "abcdef"));
	assert_true(aa_secret_equal(e, ""));
	assert_false(aa_secret_equal(e, "a"));
	aa_secret_free(s);
	aa_secret_free(e);
}

static void test_equal_stops_at_embedded_nul(void **state)
{
	aa_secret *s = aa_secret_new("ab\0c", 4);

	(void)state;
	assert_false(aa_secret_equal(s, "ab"));
	aa_secret_free(s);
}

static void test_memzero_clears(void **state)
{
	char buf[16];

	(void)state;
	memset(buf, 'k', sizeof(buf));
	aa_memzero(buf, sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
}

static void test_free_secret_str(void **state)
{
	char *s = strdup("token-value");

	(void)state;
	assert_non_null(s);
	aa_free_secret_str(s); /* valgrind/ASan check it is freed exactly once */
}

static void test_forbid_core_dumps(void **state)
{
	struct rlimit rl;

	(void)state;
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0L, 0L, 0L, 0L), 1);
	assert_int_equal(aa_forbid_core_dumps(), 0);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0L, 0L, 0L, 0L), 0);
	assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
	assert_true(rl.rlim_cur == 0 && rl.rlim_max == 0);
	/* Calling it again is fine. */
	assert_int_equal(aa_forbid_core_dumps(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_copies_and_terminates),
		cmocka_unit_test(test_empty_and_null_inputs),
		cmocka_unit_test(test_from_str_and_dup),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_equal_stops_at_embedded_nul),
		cmocka_unit_test(test_memzero_clears),
		cmocka_unit_test(test_free_secret_str),
		cmocka_unit_test(test_forbid_core_dumps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
