/* SPDX-License-Identifier: BSD-3-Clause */
/* test_url_shown.c - unit tests for common/url_shown.c: which server URLs may be shown or opened. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "config_struct.h"
#include "net_internal.h"

static aa_status check(const char *domain, const char *auth_domain, const char *url, aa_error *err)
{
	aa_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.domain = (char *)domain;
	cfg.auth_domain = (char *)auth_domain;
	return aa_url_check_shown(&cfg, "verification_uri", url, err);
}

static void test_accepted(void **state)
{
	static const char *const good[] = {
		"https://anaconda.cloud/device",
		"https://auth.anaconda.com/activate?user_code=BCDF-GHJK",
		"https://anaconda.org",
		"https://ID.Anaconda.Cloud:443/x#frag",
		"https://localhost:8443/device",       /* the configured domain, its port */
		"https://login.example.org/device",    /* the auth domain */
		NULL,
	};
	aa_error err = {0};

	(void)state;
	for (size_t i = 0; good[i]; i++)
		assert_int_equal(check("localhost:8443", "login.example.org", good[i], &err), AA_OK);
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
		"--gpu-launcher=/bin/sh -c id",
		"-https://anaconda.cloud/",
		"file:///etc/passwd",
		"http://anaconda.cloud/device",
		"http://evil.example/",
		"https://evil.example/device",
		"https://anaconda.cloud.evil.example/",
		"https://evilanaconda.cloud/",
		"https://anaconda.cloud@evil.example/",
		"https://anaconda.cloud:8443/",       /* an Anaconda domain on another port */
		"https://localhost:9999/",            /* the configured host on another port */
		"https://anaconda.cloud/\x1b[2J",
		"https://anaconda.cloud/a b",
		"https://anaconda.cloud\\@evil.example/",
		"https://a..anaconda.cloud/",
		"https:///anaconda.cloud",
		"javascript:alert(1)",
		"",
		NULL,
	};
	aa_error err = {0};

	(void)state;
	for (size_t i = 0; bad[i]; i++) {
		assert_int_equal(check("localhost:8443", NULL, bad[i], &err), AA_ERR_SERVER);
		/* one line naming the field */
		assert_non_null(strstr(err.message, "unsafe verification_uri"));
		assert_null(strchr(err.message, '\n'));
		assert_null(strchr(err.message, 0x1b));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
