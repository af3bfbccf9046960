/* SPDX-License-Identifier: BSD-3-Clause */
/* test_form.c - unit tests for common/form.c: x-www-form-urlencoded encoding and query lookup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net_internal.h"

static void test_escape(void **state)
{
	char *s;

	(void)state;
	s = aa_percent_encode("openid email profile");
	assert_string_equal(s, "openid+email+profile");
	free(s);
	s = aa_percent_encode("http://127.0.0.1:8000/auth/oidc");
	assert_string_equal(s, "http%3A%2F%2F127.0.0.1%3A8000%2Fauth%2Foidc");
	free(s);
	s = aa_percent_encode("A-z_0.9~&=+%\xc3\xa9");
	assert_string_equal(s, "A-z_0.9~%26%3D%2B%25%C3%A9");
	free(s);
	s = aa_percent_encode("");
	assert_string_equal(s, "");
	free(s);
}

static void test_encode_pairs(void **state)
{
	const char *const pairs[] = {
		"grant_type", "urn:ietf:params:oauth:grant-type:device_code",
		"skipped", NULL,
		"client_id", "abc def",
		NULL,
	};
	const char *const none[] = {NULL};
	char *s;

	(void)state;
	s = aa_form_encode(pairs);
	assert_string_equal(s, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code"
			       "&client_id=abc+def");
	free(s);
	s = aa_form_encode(none);
	assert_string_equal(s, "");
	free(s);
}

static void test_get(void **state)
{
	const char *q = "code=a%2Fb+c&state=xyz&empty=&flag&error_description=no%20way";
	char *v;

	(void)state;
	v = aa_form_get(q, "code");
	assert_string_equal(v, "a/b c");
	free(v);
	v = aa_form_get(q, "state");
	assert_string_equal(v, "xyz");
	free(v);
	v = aa_form_get(q, "empty");
	assert_string_equal(v, "");
	free(v);
	v = aa_form_get(q, "flag");
	assert_string_equal(v, "");
	free(v);
	v = aa_form_get(q, "error_description");
	assert_string_equal(v, "no way");
	free(v);
	assert_null(aa_form_get(q, "missing"));
	assert_null(aa_form_get("", "code"));
}

static void test_get_broken_escapes(void **state)
{
	char *v;

	(void)state;
	/* a broken or cut-off escape is kept literally, never read past the end */
	v = aa_form_get("a=%zz%4", "a");
	assert_string_equal(v, "%zz%4");
	free(v);
	v = aa_form_get("a=%", "a");
	assert_string_equal(v, "%");
	free(v);
	v = aa_form_get("st%61te=1", "state");
	assert_string_equal(v, "1");
	free(v);
}

static void test_round_trip(void **state)
{
	const char *value = "x y/z?&=%+~\x01";
	const char *const pairs[] = {"k", value, NULL};
	char *enc, *dec;

	(void)state;
	enc = aa_form_encode(pairs);
	dec = aa_form_get(enc, "k");
	assert_string_equal(dec, value);
	free(enc);
	free(dec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_encode_pairs),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_get_broken_escapes),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
