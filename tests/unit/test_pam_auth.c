/* test_pam_auth.c - the helper's answer lines and the account-to-user binding rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../pam_anaconda/pam_auth.h"

static pa_reply parse(const char *text, char *buf, size_t len)
{
	pa_reply r;

	snprintf(buf, len, "%s", text);
	pa_reply_parse(buf, &r);
	return r;
}

static void test_ok_lines(void **state)
{
	char buf[256];
	pa_reply r;

	(void)state;
	r = parse("ok alice alice@example.com\n", buf, sizeof(buf));
	assert_int_equal(r.kind, PA_REPLY_KIND_OK);
	assert_string_equal(r.username, "alice");
	assert_string_equal(r.email, "alice@example.com");
	r = parse("ok - -", buf, sizeof(buf));
	assert_int_equal(r.kind, PA_REPLY_KIND_OK);
	assert_null(r.username);
	assert_null(r.email);
}

static void test_refusals_and_trouble(void **state)
{
	char buf[256];
	pa_reply r;

	(void)state;
	r = parse("invalid Your API key has been revoked.\n", buf, sizeof(buf));
	assert_int_equal(r.kind, PA_REPLY_KIND_INVALID);
	assert_string_equal(r.reason, "Your API key has been revoked.");
	r = parse("expired", buf, sizeof(buf));
	assert_int_equal(r.kind, PA_REPLY_KIND_EXPIRED);
	assert_string_equal(r.reason, "");
	r = parse("unavailable timed out\n", buf, sizeof(buf));
	assert_int_equal(r.kind, PA_REPLY_KIND_UNAVAILABLE);
	assert_string_equal(r.reason, "timed out");
}

static void test_nonsense_is_bad(void **state)
{
	static const char *const lines[] = {
		"", "\n", "ok", "ok alice", "ok alice a@b extra", "ok  a@b",
		"OK alice a@b", "okay alice a@b", "yes", "ok al\tice a@b",
		"ok alice a@b\x01",
	};
	char buf[256];

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		assert_int_equal(parse(lines[i], buf, sizeof(buf)).kind,
				 PA_REPLY_KIND_BAD);
}

static void test_match_username(void **state)
{
	pa_options o;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.match = PA_MATCH_USERNAME;
	assert_true(pa_identity_matches(&o, NULL, "alice", "alice", NULL));
	assert_false(pa_identity_matches(&o, NULL, "alice", "Alice", "alice@x"));
	assert_false(pa_identity_matches(&o, NULL, "alice", "alice2", NULL));
	assert_false(pa_identity_matches(&o, NULL, "alice", NULL, "alice@x"));
}

static void test_match_email(void **state)
{
	pa_options o;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.match = PA_MATCH_EMAIL;
	assert_true(pa_identity_matches(&o, NULL, "alice", "zz", "alice@example.com"));
	assert_true(pa_identity_matches(&o, NULL, "a@b", NULL, "a@b@example.com"));
	assert_false(pa_identity_matches(&o, NULL, "alice", "alice", "alicex@example.com"));
	assert_false(pa_identity_matches(&o, NULL, "alice", "alice", "ali@example.com"));
	assert_false(pa_identity_matches(&o, NULL, "alice", "alice", "alice"));
	assert_false(pa_identity_matches(&o, NULL, "", "alice", "@example.com"));
	assert_false(pa_identity_matches(&o, NULL, "alice", "alice", NULL));
}

static void test_usermap_wins_over_match(void **state)
{
	pa_options o;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.match = PA_MATCH_USERNAME;
	assert_true(pa_identity_matches(&o, "bob alice\n", "alice", "bob", NULL));
	assert_false(pa_identity_matches(&o, "bob alice\n", "alice", "alice", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok_lines),
		cmocka_unit_test(test_refusals_and_trouble),
		cmocka_unit_test(test_nonsense_is_bad),
		cmocka_unit_test(test_match_username),
		cmocka_unit_test(test_match_email),
		cmocka_unit_test(test_usermap_wins_over_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
