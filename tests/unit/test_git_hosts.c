/* SPDX-License-Identifier: BSD-3-Clause */
/* test_git_hosts.c - unit tests for git-credential-anaconda/hosts.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../git-credential-anaconda/hosts.h"

static const char *const none[] = { NULL };

static void test_exactly_the_configured_domain(void **state)
{
	(void)state;
	assert_true(gca_host_is_ours("https", "localhost:8443", "localhost:8443", NULL));
	assert_true(gca_host_is_ours("https", "EXAMPLE.com", "example.com", none));
	/* subdomains are other hosts: a family is never served as a whole */
	assert_false(gca_host_is_ours("https", "repo.localhost:8443", "localhost:8443", NULL));
	assert_false(gca_host_is_ours("https", "a.b.example.com", "example.com", NULL));
	assert_false(gca_host_is_ours("https", "repo.anaconda.cloud", "anaconda.cloud", NULL));
	assert_false(gca_host_is_ours("https", "id.anaconda.cloud", "anaconda.cloud", NULL));
}

static void test_port_must_match(void **state)
{
	(void)state;
	assert_false(gca_host_is_ours("https", "localhost", "localhost:8443", NULL));
	assert_false(gca_host_is_ours("https", "localhost:9999", "localhost:8443", NULL));
	assert_false(gca_host_is_ours("https", "example.com:8443", "example.com", NULL));
	/* 443 is https's own port */
	assert_true(gca_host_is_ours("https", "example.com:443", "example.com", NULL));
	assert_true(gca_host_is_ours("https", "example.com", "example.com:443", NULL));
	assert_false(gca_host_is_ours("https", "example.com:", "example.com", NULL));
	assert_false(gca_host_is_ours("https", "example.com", "example.com:", NULL));
}

static void test_families_are_not_served_by_default(void **state)
{
	(void)state;
	assert_false(gca_host_is_ours("https", "anaconda.cloud", "localhost:1", NULL));
	assert_false(gca_host_is_ours("https", "repo.anaconda.cloud", "localhost:1", NULL));
	assert_false(gca_host_is_ours("https", "anaconda.com", "anaconda.cloud", NULL));
	assert_false(gca_host_is_ours("https", "conda.anaconda.org", "anaconda.cloud", NULL));
}

static void test_named_hosts_exactly(void **state)
{
	static const char *const hosts[] = { "repo.anaconda.cloud", "git.example:8443", NULL };

	(void)state;
	assert_true(gca_host_is_ours("https", "repo.anaconda.cloud", "anaconda.cloud", hosts));
	assert_true(gca_host_is_ours("https", "Git.Example:8443", "anaconda.cloud", hosts));
	assert_true(gca_host_is_ours("https", "anaconda.cloud", "anaconda.cloud", hosts));
	assert_false(gca_host_is_ours("https", "x.repo.anaconda.cloud", "anaconda.cloud", hosts));
	assert_false(gca_host_is_ours("https", "git.example", "anaconda.cloud", hosts));
	assert_false(gca_host_is_ours("https", "conda.anaconda.org", "anaconda.cloud", hosts));
	assert_false(gca_host_is_ours("http", "repo.anaconda.cloud", "anaconda.cloud", hosts));
}

static void test_lookalikes_are_not_ours(void **state)
{
	(void)state;
	assert_false(gca_host_is_ours("https", "evilanaconda.cloud", "anaconda.cloud", NULL));
	assert_false(gca_host_is_ours("https", "anaconda.cloud.evil.com", "anaconda.cloud", NULL));
	assert_false(gca_host_is_ours("https", "anaconda.cloud.", "anaconda.cloud", NULL));
	assert_false(gca_host_is_ours("https", ".anaconda.cloud", "anaconda.cloud", NULL));
	assert_false(gca_host_is_ours("https", "a..anaconda.cloud", "anaconda.cloud", NULL));
	assert_false(gca_host_is_ours("https", "u@anaconda.cloud", "anaconda.cloud", NULL));
	assert_false(gca_host_is_ours("https", "anaconda.cloud:44x", "anaconda.cloud", NULL));
	assert_false(gca_host_is_ours("https", "", "anaconda.cloud", NULL));
	assert_false(gca_host_is_ours("https", "github.com", "anaconda.cloud", NULL));
	assert_false(gca_host_is_ours("https", "[::1]:8443", "[::1]:8443", NULL));
}

static void test_only_https(void **state)
{
	(void)state;
	assert_false(gca_host_is_ours("http", "anaconda.cloud", "anaconda.cloud", NULL));
	assert_false(gca_host_is_ours("HTTPS", "anaconda.cloud", "anaconda.cloud", NULL));
	assert_false(gca_host_is_ours(NULL, "anaconda.cloud", "anaconda.cloud", NULL));
	assert_false(gca_host_is_ours("https", NULL, "anaconda.cloud", NULL));
	assert_false(gca_host_is_ours("ssh", "anaconda.cloud", "anaconda.cloud", NULL));
}

static void test_valid_host_names(void **state)
{
	(void)state;
	assert_true(gca_host_valid("repo.anaconda.cloud"));
	assert_true(gca_host_valid("localhost:8443"));
	assert_false(gca_host_valid("*.anaconda.cloud"));
	assert_false(gca_host_valid("a b"));
	assert_false(gca_host_valid("host:"));
	assert_false(gca_host_valid("host;rm"));
	assert_false(gca_host_valid(""));
	assert_false(gca_host_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exactly_the_configured_domain),
		cmocka_unit_test(test_port_must_match),
		cmocka_unit_test(test_families_are_not_served_by_default),
		cmocka_unit_test(test_named_hosts_exactly),
		cmocka_unit_test(test_lookalikes_are_not_ours),
		cmocka_unit_test(test_only_https),
		cmocka_unit_test(test_valid_host_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
