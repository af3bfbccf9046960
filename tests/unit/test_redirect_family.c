/* SPDX-License-Identifier: BSD-3-Clause */
/* test_redirect_family.c - unit tests for aa_host_redirect_ok (common/domain.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "config_struct.h"
#include "util/aa_util.h"

static void test_within_a_family(void **state)
{
	(void)state;
	assert_true(aa_host_redirect_ok("anaconda.cloud", "anaconda.com"));
	assert_true(aa_host_redirect_ok("anaconda.com", "auth.anaconda.com"));
	assert_true(aa_host_redirect_ok("id.anaconda.cloud", "anaconda.com"));
	assert_true(aa_host_redirect_ok("Anaconda.Cloud:8443", "anaconda.com:8443"));
	assert_true(aa_host_redirect_ok("anaconda.org", "conda.anaconda.org"));
	/* any host may move within itself */
	assert_true(aa_host_redirect_ok("localhost:8443", "localhost:8443"));
	assert_true(aa_host_redirect_ok("anaconda.com", "anaconda.com:443"));
	assert_true(aa_host_redirect_ok("[::1]:8443", "[::1]:8443"));
}

static void test_never_out_of_it(void **state)
{
	(void)state;
	assert_false(aa_host_redirect_ok("anaconda.cloud", "evil.example"));
	assert_false(aa_host_redirect_ok("anaconda.com", "anaconda.org"));
	assert_false(aa_host_redirect_ok("anaconda.com", "anaconda.com.evil.example"));
	assert_false(aa_host_redirect_ok("anaconda.com", "evilanaconda.com"));
	assert_false(aa_host_redirect_ok("anaconda.com", "anaconda.com:8443"));
	assert_false(aa_host_redirect_ok("anaconda.cloud:8443", "anaconda.com"));
	/* a host outside the families has none: only itself */
	assert_false(aa_host_redirect_ok("team.example", "other.team.example"));
	assert_false(aa_host_redirect_ok("localhost:8443", "anaconda.com:8443"));
	assert_false(aa_host_redirect_ok("team.example", "anaconda.com"));
	assert_false(aa_host_redirect_ok(NULL, "anaconda.com"));
	assert_false(aa_host_redirect_ok("anaconda.com", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_within_a_family),
		cmocka_unit_test(test_never_out_of_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
