/* SPDX-License-Identifier: BSD-3-Clause */
/* test_pam_options.c - pam_anaconda's argument parser: defaults, every option, bad values, unknown words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../pam_anaconda/pam_options.h"

typedef struct complaints {
	int n;
	char last[256];
} complaints;

static void record(void *ctx, const char *arg, const char *why)
{
	complaints *c = ctx;

	c->n++;
	snprintf(c->last, sizeof(c->last), "%s: %s", why, arg);
}

static int parse(pa_options *o, complaints *c, int argc, const char **argv)
{
	memset(c, 0, sizeof(*c));
	return pa_options_parse(o, argc, argv, record, c);
}

static void test_defaults(void **state)
{
	pa_options o;
	complaints c;

	(void)state;
	assert_int_equal(parse(&o, &c, 0, NULL), 0);
	assert_int_equal(c.n, 0);
	assert_int_equal(o.debug + o.quiet + o.strict + o.store, 0);
	assert_null(o.domain);
	assert_string_equal(o.keyring, ".anaconda/keyring");
	assert_string_equal(o.envvar, "ANACONDA_AUTH_API_KEY");
	assert_int_equal(o.export_mode, PA_EXPORT_ENV);
	assert_int_equal(o.warn_days, 14);
	assert_int_equal(o.match, PA_MATCH_NONE);
	assert_string_equal(o.verify_user, "_anaconda-auth");
	assert_int_equal(o.allow_elevation + o.unknown, 0);
	assert_int_equal(o.timeout_s, 10);
	assert_int_equal(o.ssl_verify, 1);
	assert_null(o.usermap);
	assert_null(o.helper);
	assert_null(o.ca);
	assert_null(o.config);
	assert_null(o.site);
}

static void test_every_option(void **state)
{
	const char *argv[] = {
		"debug", "quiet", "strict", "store", "ignore_authinfo_unavail",
		"domain=cloud.example.org:8443", "keyring=conf/keys.json",
		"envvar=MY_KEY", "export=none", "warn_days=30", "timeout=3",
		"match=username", "usermap=/etc/security/anaconda.map",
		"verify_user=_aa-verify", "allow_elevation",
		"helper=/opt/verify", "ca=/etc/ca.pem", "ssl_verify=no",
		"use_first_pass", "try_first_pass", "use_authtok",
	};
	pa_options o;
	complaints c;

	(void)state;
	assert_int_equal(parse(&o, &c, (int)(sizeof(argv) / sizeof(argv[0])), argv), 0);
	assert_int_equal(c.n, 0);
	assert_true(o.debug && o.quiet && o.strict && o.store &&
		    o.ignore_authinfo_unavail);
	assert_string_equal(o.domain, "cloud.example.org:8443");
	assert_string_equal(o.keyring, "conf/keys.json");
	assert_string_equal(o.envvar, "MY_KEY");
	assert_int_equal(o.export_mode, PA_EXPORT_NONE);
	assert_int_equal(o.warn_days, 30);
	assert_int_equal(o.timeout_s, 3);
	assert_int_equal(o.match, PA_MATCH_USERNAME);
	assert_string_equal(o.verify_user, "_aa-verify");
	assert_true(o.allow_elevation);
	assert_string_equal(o.usermap, "/etc/security/anaconda.map");
	assert_string_equal(o.helper, "/opt/verify");
	assert_string_equal(o.ca, "/etc/ca.pem");
	assert_int_equal(o.ssl_verify, 0);
}

static void test_unknown_words_are_reported_and_ignored(void **state)
{
	const char *argv[] = { "frobnicate", "debug", "keyfile=x" };
	pa_options o;
	complaints c;

	(void)state;
	assert_int_equal(parse(&o, &c, 3, argv), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.last, "unknown option, ignored: keyfile=x");
	assert_int_equal(o.unknown, 2); /* auth refuses to run with these */
	assert_true(o.debug);
}

static void test_match_email_was_removed(void **state)
{
	const char *argv[] = { "match=email" };
	pa_options o;
	complaints c;

	(void)state;
	assert_int_equal(parse(&o, &c, 1, argv), -1);
	assert_int_equal(c.n, 1);
	assert_non_null(strstr(c.last, "removed option"));
	assert_int_equal(o.match, PA_MATCH_NONE);
}

static void test_bad_values_fail(void **state)
{
	static const char *const bad[] = {
		"keyring=/etc/shadow", "keyring=../x", "keyring=a/../b",
		"keyring=a//b", "keyring=./a", "keyring=a/", "keyring=",
		"envvar=", "envvar=9A", "envvar=A-B", "envvar=A B",
		"export=keyring", "warn_days=-1", "warn_days=1x",
		"warn_days=99999", "timeout=0", "timeout=301", "timeout=",
		"match=sub", "usermap=map", "helper=verify", "ca=ca.pem",
		"ssl_verify=maybe", "domain=", "domain=a/b", "domain=a b",
		"domain=x@y", "verify_user=", "verify_user=a b",
		"verify_user=-x", "verify_user=a/b",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *argv[] = { bad[i] };
		pa_options o;
		complaints c;

		assert_int_equal(parse(&o, &c, 1, argv), -1);
		assert_int_equal(c.n, 1);
		assert_non_null(strstr(c.last, "invalid value"));
	}
}

static void test_a_bad_value_keeps_the_default(void **state)
{
	const char *argv[] = { "keyring=/etc/shadow" };
	pa_options o;
	complaints c;

	(void)state;
	parse(&o, &c, 1, argv);
	assert_string_equal(o.keyring, ".anaconda/keyring");
}

/* seed-era tools read only the old name; "legacy" names it without a typo risk */
static void test_envvar_legacy_is_the_seed_name(void **state)
{
	const char *argv[] = { "envvar=legacy" };
	pa_options o;
	complaints c;

	(void)state;
	assert_int_equal(parse(&o, &c, 1, argv), 0);
	assert_string_equal(o.envvar, "ANACONDA_CLOUD_API_KEY");
}

static void test_validators(void **state)
{
	(void)state;
	assert_true(pa_valid_envvar("_A1"));
	assert_false(pa_valid_envvar("A=B"));
	assert_true(pa_valid_relpath(".anaconda/keyring"));
	assert_true(pa_valid_relpath("..hidden/x"));
	assert_false(pa_valid_relpath("a/\n"));
	assert_true(pa_valid_domain("[::1]:8443"));
	assert_false(pa_valid_domain("a;b"));
}

/* site= reads only the administrator's file, and never competes with domain=. */
static void test_site_and_config(void **state)
{
	const char *ok[] = { "config=/etc/anaconda-auth/config.toml", "site=work" };
	const char *by_domain[] = { "site=https://work.example:8443/x",
				    "config=/etc/a.toml" };
	const char *alone[] = { "config=/etc/a.toml" };
	const char *with_domain[] = { "config=/etc/a.toml", "domain=example.org" };
	const char *no_config[] = { "site=work" };
	const char *both[] = { "config=/etc/a.toml", "site=work",
			       "domain=example.org" };
	const char *relative[] = { "config=etc/a.toml", "site=work" };
	const char *empty[] = { "config=/etc/a.toml", "site=" };
	const char *dollar[] = { "config=/etc/$HOME/a.toml" };
	const char *ctrl[] = { "config=/etc/a.toml", "site=wo\x01rk" };
	pa_options o;
	complaints c;

	(void)state;
	assert_int_equal(parse(&o, &c, 2, ok), 0);
	assert_string_equal(o.config, "/etc/anaconda-auth/config.toml");
	assert_string_equal(o.site, "work");
	assert_int_equal(parse(&o, &c, 2, by_domain), 0);
	assert_string_equal(o.site, "https://work.example:8443/x");
	assert_int_equal(parse(&o, &c, 1, alone), 0);
	assert_null(o.site);
	assert_int_equal(parse(&o, &c, 2, with_domain), 0);
	assert_int_equal(parse(&o, &c, 1, no_config), -1);
	assert_non_null(strstr(c.last, "site= needs config="));
	assert_int_equal(parse(&o, &c, 3, both), -1);
	assert_non_null(strstr(c.last, "domain= and site= both"));
	assert_int_equal(parse(&o, &c, 2, relative), -1);
	assert_int_equal(parse(&o, &c, 2, empty), -1);
	assert_int_equal(parse(&o, &c, 1, dollar), -1);
	assert_int_equal(parse(&o, &c, 2, ctrl), -1);
	assert_true(pa_valid_site("anaconda.com"));
	assert_false(pa_valid_site("a b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_option),
		cmocka_unit_test(test_unknown_words_are_reported_and_ignored),
		cmocka_unit_test(test_match_email_was_removed),
		cmocka_unit_test(test_bad_values_fail),
		cmocka_unit_test(test_a_bad_value_keeps_the_default),
		cmocka_unit_test(test_envvar_legacy_is_the_seed_name),
		cmocka_unit_test(test_validators),
		cmocka_unit_test(test_site_and_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
