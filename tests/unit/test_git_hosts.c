/* test_git_hosts.c - unit tests for git-credential-anaconda/hosts.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../git-credential-anaconda/hosts.h"

static void test_configured_domain_and_subdomains(void **state)
{
	(void)state;
	assert_true(gca_host_is_ours("https", "localhost:8443", "localhost:8443", 1));
	assert_true(gca_host_is_ours("https", "repo.localhost:8443", "localhost:8443", 1));
	assert_true(gca_host_is_ours("https", "a.b.example.com", "example.com", 1));
	assert_true(gca_host_is_ours("https", "EXAMPLE.com", "example.com", 1));
}

static void test_port_must_match(void **state)
{
	(void)state;
	assert_false(gca_host_is_ours("https", "localhost", "localhost:8443", 1));
	assert_false(gca_host_is_ours("https", "localhost:9999", "localhost:8443", 1));
	assert_false(gca_host_is_ours("https", "example.com:8443", "example.com", 1));
	/* 443 is https's own port */
	assert_true(gca_host_is_ours("https", "example.com:443", "example.com", 1));
	assert_true(gca_host_is_ours("https", "anaconda.cloud:443", "x.test", 0));
	assert_false(gca_host_is_ours("https", "anaconda.cloud:", "x.test", 0));
}

static void test_families_unless_narrowed(void **state)
{
	(void)state;
	assert_true(gca_host_is_ours("https", "anaconda.cloud", "localhost:1", 0));
	assert_true(gca_host_is_ours("https", "repo.anaconda.cloud", "localhost:1", 0));
	assert_true(gca_host_is_ours("https", "anaconda.com", "localhost:1", 0));
	assert_true(gca_host_is_ours("https", "conda.anaconda.org", "localhost:1", 0));
	assert_false(gca_host_is_ours("https", "anaconda.cloud", "localhost:1", 1));
	assert_false(gca_host_is_ours("https", "repo.anaconda.org", "localhost:1", 1));
}

static void test_lookalikes_are_not_ours(void **state)
{
	(void)state;
	assert_false(gca_host_is_ours("https", "evilanaconda.cloud", "anaconda.cloud", 0));
	assert_false(gca_host_is_ours("https", "anaconda.cloud.evil.com", "anaconda.cloud", 0));
	assert_false(gca_host_is_ours("https", "anaconda.cloud.", "anaconda.cloud", 0));
	assert_false(gca_host_is_ours("https", ".anaconda.cloud", "anaconda.cloud", 0));
	assert_false(gca_host_is_ours("https", "a..anaconda.cloud", "anaconda.cloud", 0));
	assert_false(gca_host_is_ours("https", "u@anaconda.cloud", "anaconda.cloud", 0));
	assert_false(gca_host_is_ours("https", "anaconda.cloud:44x", "anaconda.cloud", 0));
	assert_false(gca_host_is_ours("https", "", "anaconda.cloud", 0));
	assert_false(gca_host_is_ours("https", "github.com", "anaconda.cloud", 0));
	assert_false(gca_host_is_ours("https", "[::1]:8443", "[::1]:8443", 1));
}

static void test_only_https(void **state)
{
	(void)state;
	assert_false(gca_host_is_ours("http", "anaconda.cloud", "anaconda.cloud", 0));
	assert_false(gca_host_is_ours("HTTPS", "anaconda.cloud", "anaconda.cloud", 0));
	assert_false(gca_host_is_ours(NULL, "anaconda.cloud", "anaconda.cloud", 0));
	assert_false(gca_host_is_ours("https", NULL, "anaconda.cloud", 0));
	assert_false(gca_host_is_ours("ssh", "anaconda.cloud", "anaconda.cloud", 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_configured_domain_and_subdomains),
		cmocka_unit_test(test_port_must_match),
		cmocka_unit_test(test_families_unless_narrowed),
		cmocka_unit_test(test_lookalikes_are_not_ours),
		cmocka_unit_test(test_only_https),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
