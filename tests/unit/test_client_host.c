/* SPDX-License-Identifier: BSD-3-Clause */
/* test_client_host.c - unit tests for common/client_host.c and common/api_version.c (the 0.15 request headers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "net_internal.h"

/* Values from Python: base64.urlsafe_b64encode(hashlib.blake2b(name,
 * digest_size=16, person=b"hostname").digest()).strip(b"="). */
static void test_hash_matches_python(void **state)
{
	char *h;

	(void)state;
	h = aa_hostname_hash("myhost");
	assert_non_null(h);
	assert_string_equal(h, "BqZ6rxgPMg3GxNGGblejIA");
	free(h);
	h = aa_hostname_hash("");
	assert_non_null(h);
	assert_string_equal(h, "pBRGfDo-K0ggZHxzgvETZw");
	free(h);
}

static void test_client_hostname_plain_and_hashed(void **state)
{
	char *plain = aa_client_hostname(0), *hashed = aa_client_hostname(1), *want;
	char name[256] = "";

	(void)state;
	assert_non_null(plain);
	assert_non_null(hashed);
	assert_int_equal(gethostname(name, sizeof(name) - 1), 0);
	/* the plain value is the host name (minus a ".local" we cannot set here) */
	assert_int_equal(strncmp(name, plain, strlen(plain)), 0);
	want = aa_hostname_hash(plain);
	assert_string_equal(hashed, want);
	assert_int_equal(strlen(hashed), 22); /* 16 bytes, no padding */
	assert_null(strchr(hashed, '='));
	free(want);
	free(plain);
	free(hashed);
}

static void test_api_version_below(void **state)
{
	(void)state;
	assert_true(aa_api_version_below("1.2.3", "1.2.4"));
	assert_true(aa_api_version_below("1.2.3", "1.10.0"));
	assert_true(aa_api_version_below("2023.01.01", "2024.1.1"));
	assert_true(aa_api_version_below("1.0.0-alpha", "1.0.0"));
	assert_true(aa_api_version_below("1.0.0-alpha.1", "1.0.0-alpha.beta"));
	assert_true(aa_api_version_below("1.0.0-alpha", "1.0.0-alpha.1"));
	assert_true(aa_api_version_below("1.0.0-2", "1.0.0-10"));
	assert_false(aa_api_version_below("1.2.3", "1.2.3"));
	assert_false(aa_api_version_below("1.2.3+build5", "1.2.3"));
	assert_false(aa_api_version_below("1.10.0", "1.9.9"));
	assert_false(aa_api_version_below("1.0.0", "1.0.0-rc.1"));
	assert_false(aa_api_version_below("2024.01.01", "2023.12.31"));
	/* not comparable: no warning */
	assert_false(aa_api_version_below("1.2", "9.9.9"));
	assert_false(aa_api_version_below("1.2.3", "v2.0.0"));
	assert_false(aa_api_version_below("1.2.3", "2.0.0-"));
	assert_false(aa_api_version_below("1.2.3", ""));
	assert_false(aa_api_version_below(NULL, "2.0.0"));
	assert_false(aa_api_version_below("1.2.3", "99999999999999999999.0.0"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_matches_python),
		cmocka_unit_test(test_client_hostname_plain_and_hashed),
		cmocka_unit_test(test_api_version_below),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
