/* SPDX-License-Identifier: BSD-3-Clause */
/* test_fingerprint.c - unit tests for common/fingerprint.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "anaconda_auth.h"
#include "jwt_samples.h"

static void test_jwt_sub(void **state)
{
	char fp[AA_FINGERPRINT_MAX];

	(void)state;
	aa_fingerprint(JWT_VALID, fp, sizeof(fp));
	assert_string_equal(fp, "sub:test-user");
}

/* sha256("opaque-key") starts 9603d1 (checked with Python's hashlib). */
static void test_hash_when_not_jwt(void **state)
{
	char fp[AA_FINGERPRINT_MAX];

	(void)state;
	aa_fingerprint("opaque-key", fp, sizeof(fp));
	assert_string_equal(fp, "sha256:9603d1");
	aa_fingerprint("", fp, sizeof(fp));
	assert_string_equal(fp, "sha256:e3b0c4");
}

static void test_hash_when_jwt_has_no_sub(void **state)
{
	char fp[AA_FINGERPRINT_MAX];

	(void)state;
	/* The hash of the whole key text, checked with Python's hashlib. */
	aa_fingerprint(JWT_FLOAT_EXP, fp, sizeof(fp));
	assert_string_equal(fp, "sha256:26bd48");
}

static void test_sub_is_sanitised(void **state)
{
	char fp[AA_FINGERPRINT_MAX];

	(void)state;
	aa_fingerprint(JWT_SUB_CONTROL, fp, sizeof(fp));
	assert_string_equal(fp, "sub:evil?user??");
}

static void test_truncates_to_buffer(void **state)
{
	char fp[8];
	char big[AA_FINGERPRINT_MAX + 50];

	(void)state;
	memset(fp, 'x', sizeof(fp));
	aa_fingerprint(JWT_VALID, fp, sizeof(fp));
	assert_string_equal(fp, "sub:tes");
	aa_fingerprint("opaque-key", fp, 1);
	assert_string_equal(fp, "");
	memset(big, 'x', sizeof(big));
	aa_fingerprint(JWT_VALID, big, sizeof(big));
	assert_true(strlen(big) < AA_FINGERPRINT_MAX);
	aa_fingerprint(NULL, big, sizeof(big));
	assert_string_equal(big, "(none)");
	aa_fingerprint("k", NULL, 10);
	aa_fingerprint("k", fp, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jwt_sub),
		cmocka_unit_test(test_hash_when_not_jwt),
		cmocka_unit_test(test_hash_when_jwt_has_no_sub),
		cmocka_unit_test(test_sub_is_sanitised),
		cmocka_unit_test(test_truncates_to_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
