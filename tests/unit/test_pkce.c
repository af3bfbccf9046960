/* SPDX-License-Identifier: BSD-3-Clause */
/* test_pkce.c - unit tests for common/pkce.c: the RFC 7636 Appendix B vector and fresh pairs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net_internal.h"

static void test_rfc7636_appendix_b(void **state)
{
	char challenge[AA_PKCE_CHALLENGE_LEN + 1];

	(void)state;
	assert_int_equal(aa_pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", challenge),
			 AA_OK);
	assert_string_equal(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static int unreserved_only(const char *s)
{
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~") ==
	       strlen(s);
}

static void test_new_pair(void **state)
{
	char challenge[AA_PKCE_CHALLENGE_LEN + 1], again[AA_PKCE_CHALLENGE_LEN + 1];
	aa_secret *v1 = NULL, *v2 = NULL;
	aa_error err = {0};

	(void)state;
	assert_int_equal(aa_pkce_new(&v1, challenge, &err), AA_OK);
	assert_int_equal(aa_secret_len(v1), AA_PKCE_VERIFIER_LEN);
	assert_true(aa_secret_len(v1) >= 43 && aa_secret_len(v1) <= 128);
	assert_true(unreserved_only(aa_secret_str(v1)));
	assert_int_equal(strlen(challenge), 43);
	assert_int_equal(aa_pkce_challenge(aa_secret_str(v1), again), AA_OK);
	assert_string_equal(challenge, again);
	assert_int_equal(aa_pkce_new(&v2, again, &err), AA_OK);
	assert_string_not_equal(aa_secret_str(v1), aa_secret_str(v2));
	aa_secret_free(v1);
	aa_secret_free(v2);
}

static void test_random_token(void **state)
{
	char *a = aa_random_token(24, NULL), *b = aa_random_token(24, NULL);

	(void)state;
	assert_int_equal(strlen(a), 32);
	assert_true(unreserved_only(a));
	assert_string_not_equal(a, b);
	free(a);
	free(b);
	assert_null(aa_random_token(4096, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc7636_appendix_b),
		cmocka_unit_test(test_new_pair),
		cmocka_unit_test(test_random_token),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
