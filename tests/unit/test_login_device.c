/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_login_device.c - the device flow (login_device.c) against a scripted
 * login service: the file is compiled in here, and this test supplies what it
 * calls below it (oauth.c's form posts, login_say.c's messages and clock), so
 * the polling rules of RFC 8628 run without a server and without sleeping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* The flow under test reads this fake clock: the library's own lives in
 * util/clock.o beside clocks other objects need, so it is renamed here. */
#define aa_monotonic_s fake_monotonic_s
#include "config_struct.h"
#include "../../common/login_device.c"

/* ---- the layer below, scripted ------------------------------------------ */

static const char *device_reply;    /* JSON of the device authorization reply */
/* per token request: "ok" or an OAuth error code; after the NULL, pending forever */
static const char *const *polls;
static int n_polls;
static double clock_s;              /* every reading moves it 10 s: no real sleeping */
static double poll_at[16];
static char said[2048];

double fake_monotonic_s(void)
{
	clock_s += 10.0;
	return clock_s;
}

void aa_login_say(const aa_login_options *opts, const char *fmt, ...)
{
	va_list ap;
	size_t used = strlen(said);

	(void)opts;
	va_start(ap, fmt);
	vsnprintf(said + used, sizeof(said) - used, fmt, ap);
	va_end(ap);
	strncat(said, "\n", sizeof(said) - strlen(said) - 1);
}

aa_status aa_oauth_post(aa_client *c, const char *endpoint, const char *form,
			json_object **doc, char **oauth_error, aa_error *err)
{
	(void)c;
	(void)oauth_error;
	assert_string_equal(endpoint, "https://auth.example.test/device");
	assert_non_null(strstr(form, "client_id=the-client"));
	*doc = json_tokener_parse(device_reply);
	return *doc ? AA_OK : aa_fail(err, AA_ERR_PARSE, "bad reply");
}

aa_status aa_oauth_token_request(aa_client *c, const char *endpoint, const char *form,
				 aa_secret **access, char **oauth_error, aa_error *err)
{
	const char *next = *polls;

	(void)c;
	if (next)
		polls++;
	assert_string_equal(endpoint, "https://auth.example.test/token");
	assert_non_null(strstr(form, "device_code=dev-123"));
	assert_true(n_polls < 16);
	poll_at[n_polls++] = clock_s;
	*access = NULL;
	*oauth_error = NULL;
	if (!next)
		next = "authorization_pending";
	if (strcmp(next, "ok") == 0) {
		*access = aa_secret_from_str("access-token");
		return AA_OK;
	}
	*oauth_error = strdup(next);
	return aa_fail(err, AA_ERR_AUTH, "refused: %s", next);
}

/* ---- the flow ------------------------------------------------------------ */

#define GOOD_REPLY "{\"device_code\": \"dev-123\", \"user_code\": \"ABCD-EFGH\"," \
	" \"verification_uri\": \"https://example.test/device\", \"interval\": 5," \
	" \"expires_in\": 600}"

static aa_status run(const char *reply, const char *const *script, aa_secret **access,
		     aa_error *err)
{
	static char domain[] = "example.test", client[] = "the-client";
	static char dev[] = "https://auth.example.test/device";
	static char tok[] = "https://auth.example.test/token";
	aa_config cfg = {0};
	aa_oidc oidc = {NULL, tok, dev};
	aa_login_options opts = AA_LOGIN_OPTIONS_INIT;

	cfg.domain = domain;
	cfg.client_id = client;
	opts.open_browser = 0;
	device_reply = reply;
	polls = script;
	n_polls = 0;
	clock_s = 0;
	said[0] = '\0';
	aa_error_clear(err);
	return aa_login_device(NULL, &cfg, &oidc, &opts, access, err);
}

/* Pending and slow_down keep polling, slow_down 5 s slower; the code is shown. */
static void test_polls_until_approved(void **state)
{
	static const char *const script[] = {"authorization_pending", "slow_down", "ok", NULL};
	aa_secret *access = NULL;
	aa_error err;

	(void)state;
	assert_int_equal(run(GOOD_REPLY, script, &access, &err), AA_OK);
	assert_string_equal(aa_secret_str(access), "access-token");
	assert_int_equal(n_polls, 3);
	assert_true(poll_at[1] - poll_at[0] >= 5.0);
	assert_true(poll_at[2] - poll_at[1] >= 10.0);
	assert_non_null(strstr(said, "ABCD-EFGH"));
	assert_non_null(strstr(said, "https://example.test/device"));
	assert_non_null(strstr(said, "10:00"));
	aa_secret_free(access);
}

static void test_denied(void **state)
{
	static const char *const script[] = {"authorization_pending", "access_denied", NULL};
	aa_secret *access = NULL;
	aa_error err;

	(void)state;
	assert_int_equal(run(GOOD_REPLY, script, &access, &err), AA_ERR_DENIED);
	assert_null(access);
	assert_non_null(strstr(err.message, "refused"));
}

static void test_expired_code(void **state)
{
	static const char *const script[] = {"expired_token", NULL};
	aa_secret *access = NULL;
	aa_error err;

	(void)state;
	assert_int_equal(run(GOOD_REPLY, script, &access, &err), AA_ERR_TIMEOUT);
	assert_non_null(strstr(err.message, "ABCD-EFGH"));
}

/* An unknown OAuth error ends the wait with the service's own words. */
static void test_other_error_stops(void **state)
{
	static const char *const script[] = {"invalid_grant", NULL};
	aa_secret *access = NULL;
	aa_error err;

	(void)state;
	assert_int_equal(run(GOOD_REPLY, script, &access, &err), AA_ERR_AUTH);
	assert_int_equal(n_polls, 1);
}

/* Never approved: the wait ends at the timeout (300 s by default, shorter than expires_in). */
static void test_gives_up_at_expiry(void **state)
{
	static const char *const script[] = {NULL};
	aa_secret *access = NULL;
	aa_error err;

	(void)state;
	assert_int_equal(run(GOOD_REPLY, script, &access, &err), AA_ERR_TIMEOUT);
	assert_non_null(strstr(err.message, "300 s"));
	assert_true(n_polls > 1);
	assert_true(poll_at[n_polls - 1] <= 300.0 + 10.0);
}

/* A reply without the code, or with a verification URL off the Anaconda hosts, is refused. */
static void test_bad_device_replies(void **state)
{
	static const char *const script[] = {"ok", NULL};
	aa_secret *access = NULL;
	aa_error err;

	(void)state;
	assert_int_equal(run("{\"device_code\": \"dev-123\", \"verification_uri\": "
			     "\"https://example.test/device\"}", script, &access, &err),
			 AA_ERR_SERVER);
	assert_non_null(strstr(err.message, "user_code"));
	assert_int_equal(run("{\"device_code\": \"dev-123\", \"user_code\": \"X\", "
			     "\"verification_uri\": \"https://evil.test/device\"}",
			     script, &access, &err), AA_ERR_SERVER);
	assert_non_null(strstr(err.message, "verification_uri"));
	assert_int_equal(n_polls, 0);
	assert_null(access);
}

static void test_no_device_endpoint_or_client(void **state)
{
	static char domain[] = "example.test";
	static char tok[] = "https://auth.example.test/token";
	aa_config cfg = {0};
	aa_oidc oidc = {NULL, tok, NULL};
	aa_login_options opts = AA_LOGIN_OPTIONS_INIT;
	aa_secret *access = NULL;
	aa_error err = {0};

	(void)state;
	cfg.domain = domain;
	assert_int_equal(aa_login_device(NULL, &cfg, &oidc, &opts, &access, &err),
			 AA_ERR_UNSUPPORTED);
	assert_non_null(strstr(err.message, "--browser"));
	oidc.device_authorization_endpoint = tok;
	assert_int_equal(aa_login_device(NULL, &cfg, &oidc, &opts, &access, &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "client_id"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_polls_until_approved),
		cmocka_unit_test(test_denied),
		cmocka_unit_test(test_expired_code),
		cmocka_unit_test(test_other_error_stops),
		cmocka_unit_test(test_gives_up_at_expiry),
		cmocka_unit_test(test_bad_device_replies),
		cmocka_unit_test(test_no_device_endpoint_or_client),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
