/* SPDX-License-Identifier: BSD-3-Clause */
/* test_pam_runner.c - which helper modes the runner accepts, warns about or refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "../../pam_anaconda/pam_runner.h"

/* The installed helper, run by root, must be execute-only: readable, it is
 * dumpable from execve on and a process of the verifier's uid can take it
 * over (issue 11, attack 2). */
static void test_installed_helper_must_be_execute_only(void **state)
{
	(void)state;
	assert_int_equal(pa_helper_read_check(0711, 1, 1), PA_HELPER_READ_OK);
	assert_int_equal(pa_helper_read_check(0700, 1, 1), PA_HELPER_READ_OK);
	assert_int_equal(pa_helper_read_check(0755, 1, 1), PA_HELPER_READ_REFUSE);
	assert_int_equal(pa_helper_read_check(0751, 1, 1), PA_HELPER_READ_REFUSE);
	assert_int_equal(pa_helper_read_check(0715, 1, 1), PA_HELPER_READ_REFUSE);
}

/* helper= (tests' readable script probes) is warned about; without root
 * there is no verifier uid to take it over. */
static void test_named_helper_or_no_root_only_warns(void **state)
{
	(void)state;
	assert_int_equal(pa_helper_read_check(0755, 0, 1), PA_HELPER_READ_WARN);
	assert_int_equal(pa_helper_read_check(0751, 0, 1), PA_HELPER_READ_WARN);
	assert_int_equal(pa_helper_read_check(0711, 0, 1), PA_HELPER_READ_OK);
	assert_int_equal(pa_helper_read_check(0755, 1, 0), PA_HELPER_READ_OK);
	assert_int_equal(pa_helper_read_check(0755, 0, 0), PA_HELPER_READ_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_installed_helper_must_be_execute_only),
		cmocka_unit_test(test_named_helper_or_no_root_only_warns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
