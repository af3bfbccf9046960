/* SPDX-License-Identifier: BSD-3-Clause */
/* test_text_safe.c - unit tests for common/text_safe.c: server text made safe for a terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

static void check(const char *in, unsigned flags, const char *want)
{
	char *out = aa_text_safe(in, flags);

	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

static void test_escape_sequences_removed(void **state)
{
	(void)state;
	check("AB\x1b[2JCD", 0, "AB[2JCD");
	check("\x1b]0;owned\x07title", 0, "]0;ownedtitle");
	check("a\rb\nc\td\x7f" "e\x01", 0, "abcde");
	/* C1 controls in UTF-8: U+009B is CSI to many terminals */
	check("x\xc2\x9b" "31my", 0, "x31my");
	/* bidi overrides make a line read differently from what it says */
	check("user\xe2\x80\xae" "cod", 0, "usercod");
}

/* Marks and separators that reorder or break a line without being seen. */
static void test_bidi_marks_and_separators_removed(void **state)
{
	(void)state;
	check("a\xe2\x80\x8e" "b\xe2\x80\x8f" "c\xd8\x9c" "d", 0, "abcd"); /* LRM RLM ALM */
	check("line\xe2\x80\xa8" "next\xe2\x80\xa9" "para", 0, "linenextpara");
	/* neighbours that are ordinary text stay */
	check("\xe2\x80\x8d\xe2\x80\x90\xd8\x9b", 0, "\xe2\x80\x8d\xe2\x80\x90\xd8\x9b");
}

static void test_text_kept(void **state)
{
	(void)state;
	check("BCDF-GHJK", 0, "BCDF-GHJK");
	check("Zo\xc3\xab K\xc3\xb6nig \xe2\x9c\x93", 0, "Zo\xc3\xab K\xc3\xb6nig \xe2\x9c\x93");
	check("{\n  \"a\": \"b\x1b\"\n}", AA_TEXT_KEEP_NEWLINES, "{\n  \"a\": \"b\"\n}");
}

static void test_invalid_utf8_becomes_question_marks(void **state)
{
	(void)state;
	/* a lone 0x9B is CSI on a Latin-1 terminal */
	check("a\x9b" "b", 0, "a?b");
	check("\xc0\xaf", 0, "??");               /* overlong '/' */
	check("\xed\xa0\x80", 0, "???");          /* a UTF-16 surrogate */
	check("\xe2\x82", 0, "??");               /* cut short */
	assert_null(aa_text_safe(NULL, 0));
}

static void test_error_messages_are_safe(void **state)
{
	aa_error err = {0};

	(void)state;
	aa_fail(&err, AA_ERR_AUTH, "the service said: %s", "bad\x1b[31m red\x1b[0m");
	assert_string_equal(err.message, "the service said: bad[31m red[0m");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_sequences_removed),
		cmocka_unit_test(test_bidi_marks_and_separators_removed),
		cmocka_unit_test(test_text_kept),
		cmocka_unit_test(test_invalid_utf8_becomes_question_marks),
		cmocka_unit_test(test_error_messages_are_safe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
