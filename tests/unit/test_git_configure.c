/* SPDX-License-Identifier: BSD-3-Clause */
/* test_git_configure.c - unit tests for git-credential-anaconda/configure.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../git-credential-anaconda/configure.h"

#define GOOD "/usr/local/bin/git-credential-anaconda"

static void test_urls_are_the_domain_and_named_hosts_exactly(void **state)
{
	static const char *const hosts[] = { "repo.anaconda.cloud", "ANACONDA.cloud",
					     "repo.anaconda.cloud:443", "git.x:8443", NULL };
	char **v = gca_configure_urls("anaconda.cloud", NULL);

	(void)state;
	assert_non_null(v);
	assert_string_equal(v[0], "https://anaconda.cloud");
	assert_null(v[1]);
	aa_strv_free(v);
	/* a host already listed is written once */
	v = gca_configure_urls("anaconda.cloud", hosts);
	assert_string_equal(v[0], "https://anaconda.cloud");
	assert_string_equal(v[1], "https://repo.anaconda.cloud");
	assert_string_equal(v[2], "https://git.x:8443");
	assert_null(v[3]);
	aa_strv_free(v);
}

static void test_legacy_urls_are_the_old_wide_entries(void **state)
{
	char **v = gca_configure_legacy_urls("anaconda.cloud");

	(void)state;
	assert_string_equal(v[0], "https://*.anaconda.cloud");
	assert_string_equal(v[1], "https://anaconda.com");
	assert_string_equal(v[2], "https://*.anaconda.com");
	assert_string_equal(v[3], "https://anaconda.org");
	assert_string_equal(v[4], "https://*.anaconda.org");
	assert_null(v[5]);
	aa_strv_free(v);
	v = gca_configure_legacy_urls("localhost:8443");
	assert_string_equal(v[0], "https://*.localhost:8443");
	assert_string_equal(v[1], "https://anaconda.cloud");
	assert_string_equal(v[6], "https://*.anaconda.org");
	assert_null(v[7]);
	aa_strv_free(v);
}

static void test_helper_value_by_path_and_by_name(void **state)
{
	char *s;

	(void)state;
	s = gca_configure_helper_value(GOOD, "x.test", NULL);
	assert_string_equal(s, GOOD " --domain x.test");
	free(s);
	s = gca_configure_helper_value(GOOD, "x.test", "git.x.test");
	assert_string_equal(s, GOOD " --domain x.test --host git.x.test");
	free(s);
	s = gca_configure_helper_value(NULL, "x.test", NULL);
	assert_string_equal(s, "anaconda --domain x.test");
	free(s);
	s = gca_configure_helper_value(NULL, "x.test", "h:8443");
	assert_string_equal(s, "anaconda --domain x.test --host h:8443");
	free(s);
}

static void test_plain_absolute_paths_are_accepted(void **state)
{
	(void)state;
	assert_null(gca_configure_path_problem(GOOD));
	assert_null(gca_configure_path_problem("/git-credential-anaconda"));
	assert_null(gca_configure_path_problem(
		"/opt/anaconda-auth_0.1/x=y,z%@:+/git-credential-anaconda"));
	/* bytes above ASCII mean nothing to the shell */
	assert_null(gca_configure_path_problem("/home/j\xc3\xb6rg/bin/git-credential-anaconda"));
}

static void test_every_shell_character_is_refused(void **state)
{
	static const char unsafe[] = " \t\n\r\v\f'\"$`\\;&|<>()*?[]{}~!#\x01\x7f";
	char path[64];

	(void)state;
	for (const char *c = unsafe; *c; c++) {
		const char *problem;

		snprintf(path, sizeof(path), "/opt/a%cb/git-credential-anaconda", *c);
		problem = gca_configure_path_problem(path);
		assert_non_null(problem);
		assert_non_null(strstr(problem, "contains"));
	}
	assert_non_null(strstr(gca_configure_path_problem("/a b/git-credential-anaconda"),
			       "space"));
	assert_non_null(strstr(gca_configure_path_problem("/a$b/git-credential-anaconda"),
			       "'$'"));
}

static void test_relative_or_renamed_paths_are_refused(void **state)
{
	(void)state;
	assert_non_null(gca_configure_path_problem(NULL));
	assert_non_null(gca_configure_path_problem(""));
	assert_non_null(gca_configure_path_problem("git-credential-anaconda"));
	assert_non_null(gca_configure_path_problem("bin/git-credential-anaconda"));
	assert_non_null(strstr(gca_configure_path_problem("/usr/bin/gca-0.1"),
			       "unconfigure"));
	assert_non_null(gca_configure_path_problem("/usr/bin/git-credential-anaconda2"));
	assert_non_null(gca_configure_path_problem("/usr/bin/git-credential-anaconda/"));
}

/* This test program is not named git-credential-anaconda: it says so. */
static void test_own_path_of_another_program_explains_why(void **state)
{
	char *why = NULL;
	char *path = gca_configure_own_path(&why);

	(void)state;
	assert_null(path);
	assert_non_null(why);
	assert_non_null(strstr(why, "test_git_configure"));
	assert_non_null(strstr(why, "does not end in /git-credential-anaconda"));
	free(why);
}

/* A path that slipped past the check is refused before git is run. */
static void test_configure_refuses_an_unsafe_helper(void **state)
{
	gca_configure_opts o = { 0 };
	aa_error err;

	(void)state;
	aa_error_clear(&err);
	o.domain = "anaconda.cloud";
	o.git = "/nonexistent/git";
	o.helper = "/tmp/a;b/git-credential-anaconda";
	assert_int_equal(gca_configure(&o, &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "--by-name"));
}

/* A host that would mean something to git's shell is refused the same way. */
static void test_configure_refuses_an_unsafe_host(void **state)
{
	static const char *const hosts[] = { "a;touch x", NULL };
	gca_configure_opts o = { 0 };
	aa_error err;

	(void)state;
	aa_error_clear(&err);
	o.domain = "anaconda.cloud";
	o.git = "/nonexistent/git";
	o.hosts = hosts;
	assert_int_equal(gca_configure(&o, &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "--host"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urls_are_the_domain_and_named_hosts_exactly),
		cmocka_unit_test(test_legacy_urls_are_the_old_wide_entries),
		cmocka_unit_test(test_helper_value_by_path_and_by_name),
		cmocka_unit_test(test_plain_absolute_paths_are_accepted),
		cmocka_unit_test(test_every_shell_character_is_refused),
		cmocka_unit_test(test_relative_or_renamed_paths_are_refused),
		cmocka_unit_test(test_own_path_of_another_program_explains_why),
		cmocka_unit_test(test_configure_refuses_an_unsafe_helper),
		cmocka_unit_test(test_configure_refuses_an_unsafe_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
