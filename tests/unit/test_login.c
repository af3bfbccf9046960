/* SPDX-License-Identifier: BSD-3-Clause */
/* test_login.c - unit tests for common/login*.c logic: flow choice and the authorize URL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config_struct.h"
#include "net_internal.h"

static void set_display(const char *display, const char *wayland, const char *browser)
{
	unsetenv("DISPLAY");
	unsetenv("WAYLAND_DISPLAY");
	unsetenv("BROWSER");
	if (display)
		setenv("DISPLAY", display, 1);
	if (wayland)
		setenv("WAYLAND_DISPLAY", wayland, 1);
	if (browser)
		setenv("BROWSER", browser, 1);
}

static void test_flags_win(void **state)
{
	aa_config cfg = {.use_device_flow = 1};

	(void)state;
	set_display(":0", NULL, NULL);
	assert_int_equal(aa_login_pick_flow(&cfg, AA_FLOW_BROWSER), AA_FLOW_BROWSER);
	cfg.use_device_flow = 0;
	set_display(NULL, NULL, NULL);
	assert_int_equal(aa_login_pick_flow(&cfg, AA_FLOW_DEVICE), AA_FLOW_DEVICE);
}

static void test_setting_next(void **state)
{
	aa_config cfg = {.use_device_flow = 1};

	(void)state;
	set_display(":0", NULL, "firefox");
	assert_int_equal(aa_login_pick_flow(&cfg, AA_FLOW_AUTO), AA_FLOW_DEVICE);
	cfg.use_device_flow = 0;
	set_display(NULL, NULL, NULL);
	assert_int_equal(aa_login_pick_flow(&cfg, AA_FLOW_AUTO), AA_FLOW_BROWSER);
}

/* Unset means the device flow, display or not, as 0.15's default. */
static void test_device_by_default(void **state)
{
	aa_config cfg = {.use_device_flow = -1};

	(void)state;
	set_display(NULL, NULL, NULL);
	assert_int_equal(aa_login_pick_flow(&cfg, AA_FLOW_AUTO), AA_FLOW_DEVICE);
	set_display(":0", NULL, NULL);
	assert_int_equal(aa_login_pick_flow(&cfg, AA_FLOW_AUTO), AA_FLOW_DEVICE);
	set_display(NULL, "wayland-0", "w3m");
	assert_int_equal(aa_login_pick_flow(&cfg, AA_FLOW_AUTO), AA_FLOW_DEVICE);
	assert_int_equal(aa_login_pick_flow(&cfg, AA_FLOW_BROWSER), AA_FLOW_BROWSER);
	set_display(NULL, NULL, NULL);
}

static void test_authorize_url(void **state)
{
	char *url;

	(void)state;
	url = aa_authorize_url("https://id.example/authorize", "cid", "st4te",
			       "http://127.0.0.1:8000/auth/oidc",
			       "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
	assert_string_equal(url, "https://id.example/authorize?client_id=cid&response_type=code"
				 "&scope=openid+email+profile+offline_access&state=st4te"
				 "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8000%2Fauth%2Foidc"
				 "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
				 "&code_challenge_method=S256");
	free(url);
	/* an endpoint with its own query keeps it */
	url = aa_authorize_url("https://id.example/a?tenant=x", "c", "s", "http://127.0.0.1:1/", "ch");
	assert_non_null(strstr(url, "/a?tenant=x&client_id=c&"));
	free(url);
}

/* The options can grow: INIT gives the defaults; an unknown version is refused. */
static void test_options_version(void **state)
{
	aa_login_options opts = AA_LOGIN_OPTIONS_INIT;
	aa_config cfg = {0};
	aa_secret *key = (aa_secret *)1;
	aa_error err = {0};

	(void)state;
	assert_int_equal(opts.version, AA_LOGIN_OPTIONS_VERSION);
	assert_int_equal(opts.flow, AA_FLOW_AUTO);
	assert_int_equal(opts.open_browser, 1);
	assert_int_equal(opts.timeout_s, 300);
	assert_null(opts.ui.say);
	opts.version = 0;
	assert_int_equal(aa_login(&cfg, &opts, &key, &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "AA_LOGIN_OPTIONS_INIT"));
	assert_null(key);
	opts.version = AA_LOGIN_OPTIONS_VERSION + 1;
	assert_int_equal(aa_login(&cfg, &opts, &key, &err), AA_ERR_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flags_win),
		cmocka_unit_test(test_setting_next),
		cmocka_unit_test(test_device_by_default),
		cmocka_unit_test(test_authorize_url),
		cmocka_unit_test(test_options_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
