/* SPDX-License-Identifier: BSD-3-Clause */
/* test_pam_session.c - the expiry sentences the session hook shows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../pam_anaconda/pam_session.h"

#define DAY 86400
#define NOW ((time_t)1767225600) /* 2026-01-01 00:00:00 UTC */

static void test_days_left(void **state)
{
	char msg[256];

	(void)state;
	pa_expiry_message((int64_t)NOW + 3 * DAY, NOW, msg, sizeof(msg));
	assert_string_equal(msg,
		"Your Anaconda API key expires in 3 days (on 2026-01-04 UTC). Run 'anaconda-auth login' to renew it.");
	pa_expiry_message((int64_t)NOW + DAY, NOW, msg, sizeof(msg));
	assert_non_null(strstr(msg, "expires in 1 day (on"));
	/* a partial day counts as a day: 2 days and a minute -> 3 */
	pa_expiry_message((int64_t)NOW + 2 * DAY + 60, NOW, msg, sizeof(msg));
	assert_non_null(strstr(msg, "expires in 3 days"));
}

static void test_less_than_a_day(void **state)
{
	char msg[256];

	(void)state;
	pa_expiry_message((int64_t)NOW + 60, NOW, msg, sizeof(msg));
	assert_non_null(strstr(msg, "expires in less than a day (on 2026-01-01 UTC)"));
}

static void test_expired(void **state)
{
	char msg[256];

	(void)state;
	pa_expiry_message((int64_t)NOW, NOW, msg, sizeof(msg));
	assert_string_equal(msg,
		"Your Anaconda API key has expired. Run 'anaconda-auth login' to get a new one.");
	pa_expiry_message((int64_t)NOW - 10 * DAY, NOW, msg, sizeof(msg));
	assert_non_null(strstr(msg, "has expired"));
}

static void test_small_buffer_is_terminated(void **state)
{
	char msg[16];

	(void)state;
	pa_expiry_message((int64_t)NOW + 3 * DAY, NOW, msg, sizeof(msg));
	assert_int_equal(strlen(msg), sizeof(msg) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days_left),
		cmocka_unit_test(test_less_than_a_day),
		cmocka_unit_test(test_expired),
		cmocka_unit_test(test_small_buffer_is_terminated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
