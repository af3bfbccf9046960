/* SPDX-License-Identifier: BSD-3-Clause */
/* test_pam_auth.c - the helper's answer: exactly one line, carrying this request's nonce. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../pam_anaconda/pam_auth.h"

#define NONCE "0123456789abcdef0123456789abcdef"

static pa_reply parse(const char *text, char *buf, size_t len)
{
	pa_reply r;

	snprintf(buf, len, "%s", text);
	pa_reply_parse(buf, strlen(text), NONCE, &r);
	return r;
}

static void test_ok_lines(void **state)
{
	char buf[256];
	pa_reply r;

	(void)state;
	r = parse(NONCE " ok 5f0c8a1e-2b3c-4d5e-8f90-a1b2c3d4e5f6 alice\n", buf,
		  sizeof(buf));
	assert_int_equal(r.kind, PA_REPLY_KIND_OK);
	assert_string_equal(r.account_id, "5f0c8a1e-2b3c-4d5e-8f90-a1b2c3d4e5f6");
	assert_string_equal(r.username, "alice");
	r = parse(NONCE " ok - -\n", buf, sizeof(buf));
	assert_int_equal(r.kind, PA_REPLY_KIND_OK);
	assert_null(r.account_id);
	assert_null(r.username);
}

static void test_refusals_and_trouble(void **state)
{
	char buf[256];
	pa_reply r;

	(void)state;
	r = parse(NONCE " invalid Your API key has been revoked.\n", buf, sizeof(buf));
	assert_int_equal(r.kind, PA_REPLY_KIND_INVALID);
	assert_string_equal(r.reason, "Your API key has been revoked.");
	r = parse(NONCE " expired\n", buf, sizeof(buf));
	assert_int_equal(r.kind, PA_REPLY_KIND_EXPIRED);
	assert_string_equal(r.reason, "");
	r = parse(NONCE " unavailable timed out\n", buf, sizeof(buf));
	assert_int_equal(r.kind, PA_REPLY_KIND_UNAVAILABLE);
	assert_string_equal(r.reason, "timed out");
	r = parse(NONCE " stored\n", buf, sizeof(buf));
	assert_int_equal(r.kind, PA_REPLY_KIND_STORED);
	r = parse(NONCE " error disk full\n", buf, sizeof(buf));
	assert_int_equal(r.kind, PA_REPLY_KIND_ERROR);
	assert_string_equal(r.reason, "disk full");
}

static void test_nonsense_is_bad(void **state)
{
	static const char *const lines[] = {
		"", "\n", NONCE "\n", NONCE " ok\n", NONCE " ok alice\n",
		NONCE " ok id alice extra\n", NONCE " ok  alice\n",
		NONCE " OK id alice\n", NONCE " okay id alice\n", NONCE " yes\n",
		NONCE " ok i\td alice\n", NONCE " ok id alice\x01\n",
		NONCE " stored now\n",
		/* forged: no nonce, another nonce, a nonce prefix */
		"ok id root\n", "ok root root@evil.example\n",
		"fedcba9876543210fedcba9876543210 ok id root\n",
		"0123456789abcdef ok id root\n", NONCE "ok id root\n",
		/* not exactly one line */
		NONCE " ok id alice", NONCE " ok id alice\n\n",
		NONCE " ok id alice\n" NONCE " ok id root\n",
		"ok id root\n" NONCE " ok id alice\n",
	};
	char buf[256];

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		assert_int_equal(parse(lines[i], buf, sizeof(buf)).kind,
				 PA_REPLY_KIND_BAD);
}

static void test_more_bytes_than_the_buffer_is_bad(void **state)
{
	char buf[128];
	pa_reply r;

	(void)state;
	/* what the module kept looks fine, but more came after it */
	snprintf(buf, sizeof(buf), "%s", NONCE " ok id alice\n");
	pa_reply_parse(buf, strlen(buf) + 40, NONCE, &r);
	assert_int_equal(r.kind, PA_REPLY_KIND_BAD);
	/* an embedded NUL hides the rest of the line */
	memcpy(buf, NONCE " ok id alice\n", sizeof(NONCE " ok id alice\n"));
	buf[sizeof(NONCE) + 3] = '\0';
	pa_reply_parse(buf, sizeof(NONCE " ok id alice\n") - 1, NONCE, &r);
	assert_int_equal(r.kind, PA_REPLY_KIND_BAD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok_lines),
		cmocka_unit_test(test_refusals_and_trouble),
		cmocka_unit_test(test_nonsense_is_bad),
		cmocka_unit_test(test_more_bytes_than_the_buffer_is_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
