/* SPDX-License-Identifier: BSD-3-Clause */
/* test_fe.c - unit tests for common/fe.c (option tables on getopt_long, dispatch). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config_struct.h"
#include "fe.h"

enum { OPT_NAME = 256, OPT_FLAG };

static const struct fe_opt opts[] = {
	{ "name", OPT_NAME, FE_VALUE, NULL, NULL },
	{ "flag", OPT_FLAG, FE_NONE, NULL, NULL },
	{ "data", 'd', FE_VALUE, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL },
};

/* What the callback saw, in order: "key=value" words joined by spaces. */
struct seen {
	char text[256];
};

static int record(struct fe *fe, void *ctx, int key, const char *value)
{
	struct seen *s = ctx;
	size_t n = strlen(s->text);

	(void)fe;
	snprintf(s->text + n, sizeof(s->text) - n, "%s%d=%s", n ? " " : "", key,
		 value ? value : "-");
	return 0;
}

static struct fe quiet_fe(void)
{
	struct fe fe = { .prog = "prog", .version = "1" };

	return fe;
}

static int parse(struct fe *fe, int argc, char **argv, struct seen *s)
{
	memset(s, 0, sizeof(*s));
	return fe_parse(fe, "cmd", "usage\n", opts, NULL, argc, argv, record, s, 0, NULL);
}

static void test_both_value_spellings(void **state)
{
	char *argv[] = { "cmd", "--name", "a", "--name=b", "--name=", "-d", "x", "-dy", NULL };
	struct fe fe = quiet_fe();
	struct seen s;

	(void)state;
	assert_int_equal(parse(&fe, 8, argv, &s), FE_GO_ON);
	assert_string_equal(s.text, "256=a 256=b 256= 100=x 100=y");
}

static void test_options_anywhere_and_in_order(void **state)
{
	char *argv[] = { "cmd", "first", "--flag", "second", "-v", "--verbose", NULL };
	struct fe fe = quiet_fe();
	struct seen s;

	(void)state;
	assert_int_equal(parse(&fe, 6, argv, &s), FE_GO_ON);
	assert_string_equal(s.text, "1=first 257=- 1=second");
	assert_int_equal(fe.verbose, 2);
}

static void test_double_dash_ends_options(void **state)
{
	char *argv[] = { "cmd", "--flag", "--", "--name", "-v", NULL };
	struct fe fe = quiet_fe();
	struct seen s;

	(void)state;
	assert_int_equal(parse(&fe, 5, argv, &s), FE_GO_ON);
	assert_string_equal(s.text, "257=- 1=--name 1=-v");
	assert_int_equal(fe.verbose, 0);
}

static void test_usage_errors_exit_2(void **state)
{
	char *unknown[] = { "cmd", "--nope", NULL };
	char *missing[] = { "cmd", "--name", NULL };
	char *abbrev[] = { "cmd", "--nam", "x", NULL };
	char *longer[] = { "cmd", "--namex", "x", NULL };
	char *value_on_flag[] = { "cmd", "--flag=1", NULL };
	char *short_unknown[] = { "cmd", "-q", NULL };
	struct fe fe = quiet_fe();
	struct seen s;

	(void)state;
	assert_int_equal(parse(&fe, 2, unknown, &s), FE_EXIT_USAGE);
	assert_int_equal(parse(&fe, 2, missing, &s), FE_EXIT_USAGE);
	assert_int_equal(parse(&fe, 3, abbrev, &s), FE_EXIT_USAGE);
	assert_int_equal(parse(&fe, 3, longer, &s), FE_EXIT_USAGE);
	assert_int_equal(parse(&fe, 2, value_on_flag, &s), FE_EXIT_USAGE);
	assert_int_equal(parse(&fe, 2, short_unknown, &s), FE_EXIT_USAGE);
	assert_string_equal(s.text, "");
}

static void test_help_and_version_exit_0(void **state)
{
	char *help[] = { "cmd", "--flag", "-h", "--nope", NULL };
	char *version[] = { "cmd", "-V", NULL };
	char *long_help[] = { "cmd", "x", "--help", NULL };
	struct fe fe = quiet_fe();
	struct seen s;

	(void)state;
	assert_int_equal(parse(&fe, 4, help, &s), 0);
	assert_int_equal(parse(&fe, 2, version, &s), 0);
	assert_int_equal(parse(&fe, 3, long_help, &s), 0);
}

static void test_stop_at_first_argument(void **state)
{
	char *argv[] = { "prog", "-v", "--flag", "sub", "--name", "x", NULL };
	struct fe fe = quiet_fe();
	struct seen s = { { 0 } };
	int next = 0;

	(void)state;
	assert_int_equal(fe_parse(&fe, NULL, "usage\n", opts, NULL, 6, argv, record, &s, 1, &next),
			 FE_GO_ON);
	assert_int_equal(next, 3);
	assert_string_equal(argv[next], "sub");
	assert_string_equal(s.text, "257=-");
	assert_int_equal(fe.verbose, 1);
}

static void test_setting_flags_reach_the_config(void **state)
{
	char *argv[] = { "cmd", "--domain=one.example", "--no-ssl-verify", "--storage", "file", NULL };
	char *bad[] = { "cmd", "--storage=floppy", NULL };
	struct fe fe = quiet_fe();
	aa_config *cfg = NULL;
	aa_error err;

	(void)state;
	aa_error_clear(&err);
	assert_int_equal(aa_config_load(&cfg, 0, &err), AA_OK);
	fe.cfg = cfg;
	assert_int_equal(fe_parse(&fe, "cmd", "u\n", NULL, fe_setting_flags, 5, argv, NULL, NULL,
				  0, NULL), FE_GO_ON);
	assert_string_equal(cfg->domain, "one.example");
	assert_int_equal(cfg->ssl_verify, 0);
	assert_int_equal(fe_parse(&fe, "cmd", "u\n", NULL, fe_setting_flags, 2, bad, NULL, NULL,
				  0, NULL), FE_EXIT_USAGE);
	aa_config_free(cfg);
}

static int run_one(void *ctx, int argc, char **argv)
{
	(void)argv;
	return *(int *)ctx + argc;
}

static void test_find_cmd(void **state)
{
	static const struct fe_cmd cmds[] = {
		{ "get", run_one, "get it" },
		{ "put", run_one, "put it" },
		{ NULL, NULL, NULL },
	};
	int base = 40;

	(void)state;
	assert_ptr_equal(fe_find_cmd(cmds, "put"), &cmds[1]);
	assert_null(fe_find_cmd(cmds, "pu"));
	assert_int_equal(fe_find_cmd(cmds, "get")->run(&base, 2, NULL), 42);
}

static void test_wants_help(void **state)
{
	char *yes[] = { "prog", "-v", "--version", "cmd", NULL };
	char *after[] = { "prog", "cmd", "--help", NULL };
	char *no[] = { "prog", "--", "--help", NULL };

	(void)state;
	assert_true(fe_wants_help(4, yes));
	assert_false(fe_wants_help(3, after));
	assert_false(fe_wants_help(3, no));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_both_value_spellings),
		cmocka_unit_test(test_options_anywhere_and_in_order),
		cmocka_unit_test(test_double_dash_ends_options),
		cmocka_unit_test(test_usage_errors_exit_2),
		cmocka_unit_test(test_help_and_version_exit_0),
		cmocka_unit_test(test_stop_at_first_argument),
		cmocka_unit_test(test_setting_flags_reach_the_config),
		cmocka_unit_test(test_find_cmd),
		cmocka_unit_test(test_wants_help),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
