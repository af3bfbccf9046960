/* SPDX-License-Identifier: BSD-3-Clause */
/* test_util.c - unit tests for common/util/: the shared small helpers. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "jwt_samples.h"
#include "util/aa_util.h"

static void test_parse_bool(void **state)
{
	(void)state;
	assert_int_equal(aa_parse_bool("yes"), 1);
	assert_int_equal(aa_parse_bool("TRUE"), 1);
	assert_int_equal(aa_parse_bool("1"), 1);
	assert_int_equal(aa_parse_bool("Off"), 0);
	assert_int_equal(aa_parse_bool("0"), 0);
	assert_int_equal(aa_parse_bool("maybe"), -1);
	assert_int_equal(aa_parse_bool(""), -1);
}

static void test_hex_digit(void **state)
{
	(void)state;
	assert_int_equal(aa_hex_digit('0'), 0);
	assert_int_equal(aa_hex_digit('a'), 10);
	assert_int_equal(aa_hex_digit('F'), 15);
	assert_int_equal(aa_hex_digit('g'), -1);
	assert_int_equal(aa_hex_digit('%'), -1);
}

static void test_format_utc(void **state)
{
	char buf[AA_UTC_TEXT];

	(void)state;
	aa_format_utc(1000000000, buf, sizeof(buf));
	assert_string_equal(buf, "2001-09-09 01:46 UTC");
	aa_format_utc(INT64_MAX, buf, sizeof(buf));
	assert_string_equal(buf, "@9223372036854775807");
}

static void test_expiry_message(void **state)
{
	aa_error err = {0};

	(void)state;
	assert_int_equal(aa_check_not_expired(JWT_VALID, 1700000000, "k", "f", &err), AA_OK);
	assert_int_equal(aa_check_not_expired("not-a-jwt", 1700000000, "k", "f", &err), AA_OK);
	assert_int_equal(aa_check_not_expired(JWT_EXPIRED, 1700000000, "the key", "log in", &err),
			 AA_ERR_EXPIRED);
	assert_string_equal(err.message, "the key expired on 2001-09-09 01:46 UTC; log in");
}

static void test_write_all_and_grow(void **state)
{
	int p[2];
	char got[6] = {0};
	char *buf = malloc(4);

	(void)state;
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(aa_write_all(p[1], "hello", 5), 0);
	assert_int_equal(read(p[0], got, 5), 5);
	assert_string_equal(got, "hello");
	close(p[0]);
	assert_int_equal(aa_write_all(p[1], "x", 1), -1); /* EPIPE, no reader */
	close(p[1]);

	assert_non_null(buf);
	memcpy(buf, "abc", 4);
	buf = aa_grow_wiped(buf, 4, 64);
	assert_non_null(buf);
	assert_string_equal(buf, "abc");
	free(buf);
	buf = aa_grow_wiped(NULL, 0, 8);
	assert_non_null(buf);
	free(buf);
}

static void test_monotonic(void **state)
{
	long a = aa_monotonic_ms(), b = aa_monotonic_ms();

	(void)state;
	assert_true(b >= a);
	assert_true(aa_monotonic_s() >= (double)a / 1000.0 - 1.0);
}

static void test_strv(void **state)
{
	char **v = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(aa_strv_push(&v, &n, strdup("a")), 0);
	assert_int_equal(aa_strv_push(&v, &n, strdup("b")), 0);
	assert_int_equal(aa_strv_push(&v, &n, NULL), -1);
	assert_int_equal(n, 2);
	assert_null(v[2]);
	assert_true(aa_strv_has(v, n, "b"));
	assert_false(aa_strv_has(v, 1, "b"));
	aa_strv_free(v);
}

static void test_percent(void **state)
{
	char *s;
	size_t n;
	int broken;

	(void)state;
	s = aa_percent_encode("a b/c~");
	assert_string_equal(s, "a+b%2Fc~");
	free(s);
	s = aa_percent_decode("a+b%2Fc%zz%", 11, &n, &broken);
	assert_string_equal(s, "a b/c%zz%");
	assert_int_equal(broken, 2);
	free(s);
	s = aa_percent_decode("x%00y", 5, &n, &broken);
	assert_int_equal(n, 3);
	assert_int_equal(broken, 0);
	assert_int_equal(strlen(s), 1);
	free(s);
}

static void test_hostport(void **state)
{
	const char *why = NULL;
	char *s;

	(void)state;
	s = aa_hostport_normalize(" https://u@Repo.Example_1.test:8443/x ", &why);
	assert_string_equal(s, "repo.example_1.test:8443");
	free(s);
	assert_null(aa_hostport_normalize("ftp://x", &why));
	assert_null(aa_hostport_normalize("a b", &why));
	assert_null(aa_hostport_normalize("host:0", &why));
	assert_true(aa_hostport_valid("Anaconda.Cloud"));
	assert_true(aa_hostport_valid("[::1]:8443"));
	assert_true(aa_hostport_valid("my_host:443"));
	assert_false(aa_hostport_valid("https://anaconda.cloud"));
	assert_false(aa_hostport_valid("x@y"));
	assert_false(aa_hostport_valid("a/b"));
	assert_false(aa_hostport_valid("a;b"));
	assert_false(aa_hostport_valid("host:"));
	assert_true(aa_host_char('_'));
	assert_false(aa_host_char('@'));
}

static void test_anaconda_names(void **state)
{
	const char *one[2];
	const char *const *f;

	(void)state;
	f = aa_domain_aliases("anaconda.com", one);
	assert_string_equal(f[0], "anaconda.com");
	assert_string_equal(f[1], "id.anaconda.cloud");
	f = aa_domain_aliases("example.test", one);
	assert_string_equal(f[0], "example.test");
	assert_null(f[1]);
	assert_true(aa_host_in_list("REPO.anaconda.cloud", aa_repo_token_hosts));
	assert_false(aa_host_in_list("repo.anaconda.cloud:8443", aa_repo_token_hosts));
	assert_true(aa_host_in_list("repo.continuum.io", aa_repo_api_key_hosts));
	assert_true(aa_host_in_list(AA_DEFAULT_DOMAIN, aa_anaconda_domains));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_bool),
		cmocka_unit_test(test_hex_digit),
		cmocka_unit_test(test_format_utc),
		cmocka_unit_test(test_expiry_message),
		cmocka_unit_test(test_write_all_and_grow),
		cmocka_unit_test(test_monotonic),
		cmocka_unit_test(test_strv),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_hostport),
		cmocka_unit_test(test_anaconda_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
