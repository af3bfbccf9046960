/* SPDX-License-Identifier: BSD-3-Clause */
/* test_base64.c - unit tests for common/base64.c (RFC 4648 vectors, strictness). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "anaconda_auth.h"

/* RFC 4648 section 10. */
static const struct {
	const char *plain, *b64, *b64url;
} vectors[] = {
	{ "", "", "" },
	{ "f", "Zg==", "Zg" },
	{ "fo", "Zm8=", "Zm8" },
	{ "foo", "Zm9v", "Zm9v" },
	{ "foob", "Zm9vYg==", "Zm9vYg" },
	{ "fooba", "Zm9vYmE=", "Zm9vYmE" },
	{ "foobar", "Zm9vYmFy", "Zm9vYmFy" },
};

static void expect_decode(const char *in, int url, const char *want,
			  size_t want_len)
{
	unsigned char *out = (unsigned char *)"sentinel";
	size_t len = 99;
	aa_status st = url ? aa_base64url_decode(in, strlen(in), &out, &len)
			   : aa_base64_decode(in, strlen(in), &out, &len);

	assert_int_equal(st, AA_OK);
	assert_non_null(out);
	assert_int_equal(len, want_len);
	assert_memory_equal(out, want, want_len);
	assert_int_equal(out[len], '\0');
	free(out);
}

static void expect_reject(const char *in, size_t in_len, int url)
{
	unsigned char *out = (unsigned char *)"sentinel";
	size_t len = 99;
	aa_status st = url ? aa_base64url_decode(in, in_len, &out, &len)
			   : aa_base64_decode(in, in_len, &out, &len);

	assert_int_equal(st, AA_ERR_PARSE);
	assert_null(out);
	assert_int_equal(len, 0);
}

static void test_rfc4648_encode(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		size_t n = strlen(vectors[i].plain);
		char *s = aa_base64_encode(vectors[i].plain, n);
		char *u = aa_base64url_encode(vectors[i].plain, n);

		assert_string_equal(s, vectors[i].b64);
		assert_string_equal(u, vectors[i].b64url);
		free(s);
		free(u);
	}
}

static void test_rfc4648_decode(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const char *p = vectors[i].plain;

		expect_decode(vectors[i].b64, 0, p, strlen(p));
		expect_decode(vectors[i].b64url, 0, p, strlen(p));
		expect_decode(vectors[i].b64url, 1, p, strlen(p));
		/* base64url readers accept the padded form too. */
		expect_decode(vectors[i].b64, 1, p, strlen(p));
	}
}

static void test_alphabets_differ(void **state)
{
	const unsigned char raw[] = { 0xfb, 0xff, 0xbf };
	char *s = aa_base64_encode(raw, sizeof(raw));
	char *u = aa_base64url_encode(raw, sizeof(raw));

	(void)state;
	assert_string_equal(s, "+/+/");
	assert_string_equal(u, "-_-_");
	expect_decode("+/+/", 0, (const char *)raw, sizeof(raw));
	expect_decode("-_-_", 1, (const char *)raw, sizeof(raw));
	expect_reject("-_-_", 4, 0);
	expect_reject("+/+/", 4, 1);
	free(s);
	free(u);
}

static void test_round_trip_all_lengths_and_bytes(void **state)
{
	unsigned char raw[300];

	(void)state;
	for (size_t i = 0; i < sizeof(raw); i++)
		raw[i] = (unsigned char)(i * 7 + 3);
	for (size_t n = 0; n <= sizeof(raw); n++) {
		for (int url = 0; url <= 1; url++) {
			char *enc = url ? aa_base64url_encode(raw, n)
					: aa_base64_encode(raw, n);
			unsigned char *dec = NULL;
			size_t len = 0;
			aa_status st;

			assert_non_null(enc);
			st = url ? aa_base64url_decode(enc, strlen(enc), &dec, &len)
				 : aa_base64_decode(enc, strlen(enc), &dec, &len);
			assert_int_equal(st, AA_OK);
			assert_int_equal(len, n);
			assert_memory_equal(dec, raw, n);
			free(enc);
			free(dec);
		}
	}
}

static void test_rejects_garbage(void **state)
{
	static const char *const bad[] = {
		"Zm9v\n", " Zm9v", "Zm 9v", "Zm9v!", "Zm9v\t", "Zm=9v",
		"=Zm9v", "Zg=", "Zg===", "Zm8==", "Zm9v=", "Zm9vY", "Z",
		"Zm9vYg=", "====", "Zg==Zg==", "Zh==", "Zm9=",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		expect_reject(bad[i], strlen(bad[i]), 0);
		expect_reject(bad[i], strlen(bad[i]), 1);
	}
}

static void test_rejects_embedded_nul_and_null_input(void **state)
{
	(void)state;
	expect_reject("Zm\0v", 4, 0);
	expect_reject(NULL, 4, 0);
	expect_reject(NULL, 4, 1);
}

static void test_decode_uses_explicit_length(void **state)
{
	unsigned char *out = NULL;
	size_t len = 0;

	(void)state;
	/* Only the first four symbols count; the rest of the string is not read. */
	assert_int_equal(aa_base64_decode("Zm9vYmFy", 4, &out, &len), AA_OK);
	assert_int_equal(len, 3);
	assert_memory_equal(out, "foo", 3);
	free(out);
}

static void test_encode_refuses_null_data(void **state)
{
	char *s;

	(void)state;
	assert_null(aa_base64_encode(NULL, 1));
	assert_null(aa_base64url_encode(NULL, 1));
	s = aa_base64_encode(NULL, 0);
	assert_string_equal(s, "");
	free(s);
	/* A length whose encoding cannot be represented fails cleanly. */
	assert_null(aa_base64_encode("x", SIZE_MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4648_encode),
		cmocka_unit_test(test_rfc4648_decode),
		cmocka_unit_test(test_alphabets_differ),
		cmocka_unit_test(test_round_trip_all_lengths_and_bytes),
		cmocka_unit_test(test_rejects_garbage),
		cmocka_unit_test(test_rejects_embedded_nul_and_null_input),
		cmocka_unit_test(test_decode_uses_explicit_length),
		cmocka_unit_test(test_encode_refuses_null_data),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
