/* SPDX-License-Identifier: BSD-3-Clause */
/* test_jwt.c - unit tests for common/jwt.c: claims, expiry and API-key shape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "anaconda_auth.h"
#include "jwt_samples.h"

#define NOW ((time_t)1750000000) /* 2025-06-15, between the sample iat and exp */
#define EXP_2100 INT64_C(4102444800)

static void test_decode_valid(void **state)
{
	aa_jwt_claims c;
	aa_error err;

	(void)state;
	assert_int_equal(aa_jwt_decode(JWT_VALID, &c, &err), AA_OK);
	assert_true(c.has_exp);
	assert_int_equal(c.exp, EXP_2100);
	assert_true(c.has_iat);
	assert_int_equal(c.iat, 1700000000);
	assert_string_equal(c.sub, "test-user");
	assert_non_null(c.scopes);
	assert_string_equal(c.scopes[0], "cloud:read");
	assert_string_equal(c.scopes[1], "cloud:write");
	assert_null(c.scopes[2]);
	aa_jwt_claims_free(&c);
	assert_null(c.sub);
	assert_null(c.scopes);
}

static void test_decode_no_exp(void **state)
{
	aa_jwt_claims c;

	(void)state;
	assert_int_equal(aa_jwt_decode(JWT_NO_EXP, &c, NULL), AA_OK);
	assert_false(c.has_exp);
	assert_true(c.has_iat);
	assert_null(c.scopes);
	aa_jwt_claims_free(&c);
}

static void test_decode_float_times_truncate(void **state)
{
	aa_jwt_claims c;

	(void)state;
	assert_int_equal(aa_jwt_decode(JWT_FLOAT_EXP, &c, NULL), AA_OK);
	assert_true(c.has_exp);
	assert_int_equal(c.exp, EXP_2100);
	assert_true(c.has_iat);
	assert_int_equal(c.iat, 1700000000);
	assert_null(c.sub);
	aa_jwt_claims_free(&c);
}

static void test_decode_scope_string(void **state)
{
	aa_jwt_claims c;

	(void)state;
	assert_int_equal(aa_jwt_decode(JWT_SCOPE_STRING, &c, NULL), AA_OK);
	assert_non_null(c.scopes);
	assert_string_equal(c.scopes[0], "cloud:read");
	assert_string_equal(c.scopes[1], "repo:read");
	assert_null(c.scopes[2]);
	aa_jwt_claims_free(&c);
}

static void test_decode_ignores_wrong_types(void **state)
{
	aa_jwt_claims c;

	(void)state;
	assert_int_equal(aa_jwt_decode(JWT_WRONG_TYPES, &c, NULL), AA_OK);
	assert_false(c.has_exp);
	assert_false(c.has_iat);
	assert_null(c.sub);
	assert_null(c.scopes);
	aa_jwt_claims_free(&c);

	assert_int_equal(aa_jwt_decode(JWT_MIXED_SCOPES, &c, NULL), AA_OK);
	assert_true(c.has_exp);
	assert_int_equal(c.exp, -5);
	assert_string_equal(c.scopes[0], "a");
	assert_string_equal(c.scopes[1], "b");
	assert_null(c.scopes[2]);
	aa_jwt_claims_free(&c);

	assert_int_equal(aa_jwt_decode(JWT_HUGE_EXP, &c, NULL), AA_OK);
	assert_false(c.has_exp);
	aa_jwt_claims_free(&c);
}

static void test_decode_unsigned(void **state)
{
	aa_jwt_claims c;

	(void)state;
	assert_int_equal(aa_jwt_decode(JWT_UNSIGNED, &c, NULL), AA_OK);
	assert_string_equal(c.sub, "u");
	aa_jwt_claims_free(&c);
}

static void expect_not_jwt(const char *text)
{
	aa_jwt_claims c;
	aa_error err;

	aa_error_clear(&err);
	assert_int_equal(aa_jwt_decode(text, &c, &err), AA_ERR_PARSE);
	assert_int_equal(err.code, AA_ERR_PARSE);
	assert_true(strlen(err.message) > 0);
	assert_false(c.has_exp);
	assert_null(c.sub);
	assert_null(c.scopes);
	if (text && *text)
		assert_null(strstr(err.message, text));
	aa_jwt_claims_free(&c);
}

static void test_decode_rejects_malformed(void **state)
{
	(void)state;
	expect_not_jwt(NULL);
	expect_not_jwt("");
	expect_not_jwt("plain-api-key");
	expect_not_jwt("a.b");
	expect_not_jwt("a.b.c.d");
	expect_not_jwt("..");
	expect_not_jwt(".e30.c2ln");
	expect_not_jwt("e30..c2ln");
	expect_not_jwt("e30.!!!.c2ln");
	expect_not_jwt("e30.e30.c2l*");
	expect_not_jwt(JWT_ARRAY_PAYLOAD);
	expect_not_jwt(JWT_TRAILING_GARBAGE);
	expect_not_jwt(JWT_BAD_HEADER);
	expect_not_jwt(JWT_VALID "."); /* four parts */
}

/* Deeper than our limit of 16 but within json-c's default of 32. */
static void test_decode_rejects_deep_nesting(void **state)
{
	char payload[200], jwt[400];
	char *seg;
	size_t n = 0;

	(void)state;
	payload[n++] = '{';
	memcpy(payload + n, "\"a\":", 4);
	n += 4;
	for (int i = 0; i < 20; i++)
		payload[n++] = '[';
	for (int i = 0; i < 20; i++)
		payload[n++] = ']';
	payload[n++] = '}';
	seg = aa_base64url_encode(payload, n);
	assert_non_null(seg);
	snprintf(jwt, sizeof(jwt), "e30.%s.c2ln", seg);
	free(seg);
	expect_not_jwt(jwt);
}

static void test_key_expiry(void **state)
{
	int64_t exp = 0;

	(void)state;
	assert_int_equal(aa_key_expiry(JWT_VALID, NOW, &exp), AA_EXPIRY_VALID);
	assert_int_equal(exp, EXP_2100);
	exp = 0;
	assert_int_equal(aa_key_expiry(JWT_EXPIRED, NOW, &exp), AA_EXPIRY_EXPIRED);
	assert_int_equal(exp, 1000000000);
	assert_int_equal(aa_key_expiry(JWT_VALID, NOW, NULL), AA_EXPIRY_VALID);
	exp = 42;
	assert_int_equal(aa_key_expiry(JWT_NO_EXP, NOW, &exp), AA_EXPIRY_UNKNOWN);
	assert_int_equal(exp, 42);
	assert_int_equal(aa_key_expiry("not-a-jwt", NOW, &exp), AA_EXPIRY_UNKNOWN);
	assert_int_equal(aa_key_expiry(NULL, NOW, &exp), AA_EXPIRY_UNKNOWN);
	assert_int_equal(aa_key_expiry("", NOW, NULL), AA_EXPIRY_UNKNOWN);
}

/* exp <= now is expired: the boundary second itself no longer counts. */
static void test_key_expiry_boundary(void **state)
{
	(void)state;
	assert_int_equal(aa_key_expiry(JWT_EXPIRED, (time_t)999999999, NULL),
			 AA_EXPIRY_VALID);
	assert_int_equal(aa_key_expiry(JWT_EXPIRED, (time_t)1000000000, NULL),
			 AA_EXPIRY_EXPIRED);
	assert_int_equal(aa_key_expiry(JWT_VALID, (time_t)EXP_2100 - 1, NULL),
			 AA_EXPIRY_VALID);
	assert_int_equal(aa_key_expiry(JWT_VALID, (time_t)EXP_2100, NULL),
			 AA_EXPIRY_EXPIRED);
}

static void test_api_key_check_shape(void **state)
{
	static const char *const bad[] = {
		"", "has space", "tab\tkey", "new\nline", "quote\"key",
		"apos'key", "back\\slash", "del\x7fkey", "high\xc3\xa9key",
	};
	aa_error err;

	(void)state;
	assert_int_equal(aa_api_key_check("plain-opaque-key_123", 0, NOW, &err), AA_OK);
	assert_int_equal(aa_api_key_check(JWT_VALID, 0, NOW, &err), AA_OK);
	assert_int_equal(aa_api_key_check(JWT_NO_EXP, 0, NOW, &err), AA_OK);
	assert_int_equal(aa_api_key_check(NULL, 0, NOW, &err), AA_ERR_PARSE);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		aa_error_clear(&err);
		assert_int_equal(aa_api_key_check(bad[i], 0, NOW, &err), AA_ERR_PARSE);
		assert_int_equal(err.code, AA_ERR_PARSE);
		if (*bad[i])
			assert_null(strstr(err.message, bad[i]));
	}
}

static void test_api_key_check_length_limit(void **state)
{
	char *key = malloc(16386);
	aa_error err;

	(void)state;
	assert_non_null(key);
	memset(key, 'k', 16384);
	key[16384] = '\0';
	assert_int_equal(aa_api_key_check(key, 0, NOW, &err), AA_OK);
	key[16384] = 'k';
	key[16385] = '\0';
	assert_int_equal(aa_api_key_check(key, 0, NOW, &err), AA_ERR_PARSE);
	assert_null(strstr(err.message, "kkkk"));
	free(key);
}

static void test_api_key_check_require_jwt(void **state)
{
	aa_error err;

	(void)state;
	assert_int_equal(aa_api_key_check(JWT_VALID, AA_KEY_REQUIRE_JWT, NOW, &err), AA_OK);
	assert_int_equal(aa_api_key_check("opaque", AA_KEY_REQUIRE_JWT, NOW, &err),
			 AA_ERR_PARSE);
	assert_int_equal(aa_api_key_check(JWT_NO_EXP, AA_KEY_REQUIRE_JWT, NOW, &err),
			 AA_ERR_PARSE);
	assert_null(strstr(err.message, JWT_NO_EXP));
}

static void test_api_key_check_expired(void **state)
{
	aa_error err;

	(void)state;
	aa_error_clear(&err);
	assert_int_equal(aa_api_key_check(JWT_EXPIRED, 0, NOW, &err), AA_ERR_EXPIRED);
	assert_int_equal(err.code, AA_ERR_EXPIRED);
	assert_non_null(strstr(err.message, "2001-09-09 01:46 UTC"));
	assert_null(strstr(err.message, JWT_EXPIRED));
	assert_int_equal(aa_api_key_check(JWT_EXPIRED, AA_KEY_REQUIRE_JWT, NOW, &err),
			 AA_ERR_EXPIRED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_valid),
		cmocka_unit_test(test_decode_no_exp),
		cmocka_unit_test(test_decode_float_times_truncate),
		cmocka_unit_test(test_decode_scope_string),
		cmocka_unit_test(test_decode_ignores_wrong_types),
		cmocka_unit_test(test_decode_unsigned),
		cmocka_unit_test(test_decode_rejects_malformed),
		cmocka_unit_test(test_decode_rejects_deep_nesting),
		cmocka_unit_test(test_key_expiry),
		cmocka_unit_test(test_key_expiry_boundary),
		cmocka_unit_test(test_api_key_check_shape),
		cmocka_unit_test(test_api_key_check_length_limit),
		cmocka_unit_test(test_api_key_check_require_jwt),
		cmocka_unit_test(test_api_key_check_expired),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
