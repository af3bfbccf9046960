/* SPDX-License-Identifier: BSD-3-Clause */
/* test_curl_lazy.c - unit tests for common/curl_lazy.c: loading libcurl on demand, and the sentence when it is missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "curl_lazy.h"
#include "net_internal.h"

static void test_missing_library_is_one_sentence(void **state)
{
	aa_error err = {0};

	(void)state;
	assert_int_equal(aa_curl_test_use_soname("libcurl-not-installed.so.4"), 0);
	assert_null(aa_curl(&err));
	assert_int_equal(err.code, AA_ERR_UNSUPPORTED);
	assert_non_null(strstr(err.message, "cannot load libcurl (libcurl-not-installed.so.4)"));
	assert_non_null(strstr(err.message, "install libcurl4"));
	assert_null(strchr(err.message, '\n'));
}

static void test_callers_report_the_missing_library(void **state)
{
	aa_error err = {0};
	aa_loopback_uri lb;

	(void)state;
	assert_int_equal(aa_curl_test_use_soname("libcurl-not-installed.so.4"), 0);
	assert_null(aa_curl(NULL));
	assert_null(aa_curl_for_transfers(&err));
	assert_int_equal(err.code, AA_ERR_UNSUPPORTED);
	aa_error_clear(&err);
	assert_null(aa_url_join("https://anaconda.com/", "api/x", &err));
	assert_int_equal(err.code, AA_ERR_UNSUPPORTED);
	assert_non_null(strstr(err.message, "install libcurl4"));
	assert_null(aa_url_host("https://anaconda.com/"));
	aa_error_clear(&err);
	assert_int_equal(aa_url_loopback("http://127.0.0.1:8000/cb", &lb, &err), AA_ERR_UNSUPPORTED);
	aa_loopback_uri_free(&lb);
}

static void test_library_without_curl_symbols_is_refused(void **state)
{
	aa_error err = {0};

	(void)state;
	assert_int_equal(aa_curl_test_use_soname("libc.so.6"), 0);
	assert_null(aa_curl(&err));
	assert_int_equal(err.code, AA_ERR_UNSUPPORTED);
	assert_non_null(strstr(err.message, "(libc.so.6): it has no curl_global_init"));
}

static void test_loads_once_and_then_stays(void **state)
{
	aa_error err = {0};
	const aa_curl_api *cu;
	char *url;

	(void)state;
	assert_int_equal(aa_curl_test_use_soname(AA_CURL_SONAME), 0);
	cu = aa_curl_for_transfers(&err);
	if (!cu) {
		fail_msg("%s", err.message);
		return;
	}
	assert_ptr_equal(aa_curl(&err), cu);
	assert_non_null(cu->easy_setopt);
	assert_non_null(cu->free);
	/* the soname cannot change under a loaded table */
	assert_int_equal(aa_curl_test_use_soname("libc.so.6"), -1);
	url = aa_url_join("https://anaconda.com/", "api/x", &err);
	assert_non_null(url);
	assert_string_equal(url, "https://anaconda.com/api/x");
	free(url);
}

int main(void)
{
	/* order matters: the loaded library cannot be unloaded, so it comes last */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_library_is_one_sentence),
		cmocka_unit_test(test_callers_report_the_missing_library),
		cmocka_unit_test(test_library_without_curl_symbols_is_refused),
		cmocka_unit_test(test_loads_once_and_then_stays),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
