/* SPDX-License-Identifier: BSD-3-Clause */
/* test_keyring_env.c - the read-only env backend: one synthesised entry for the configured domain. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config_struct.h"
#include "keyring_backend.h"

static struct aa_keyring_backend *open_env(const char *domain, const char *key,
					   const char *source)
{
	aa_config cfg = {0};
	struct aa_keyring_backend *be = NULL;
	aa_error err = {0};

	cfg.domain = (char *)(uintptr_t)domain;
	cfg.api_key = aa_secret_from_str(key);
	cfg.api_key_source = source;
	assert_int_equal(aa_keyring_env_open(&cfg, &be, &err), AA_OK);
	aa_secret_free(cfg.api_key);
	assert_non_null(be);
	return be;
}

/* The key comes back as a TokenInfo for the configured domain, as Python's ConfigKeyring. */
static void test_get_synthesises_token_info(void **state)
{
	struct aa_keyring_backend *be = open_env("example.test", "key-123", "ANACONDA_AUTH_API_KEY");
	aa_token_info *info = NULL;
	char *b64 = NULL;
	aa_error err = {0};

	(void)state;
	assert_int_equal(be->abi, AA_KEYRING_BACKEND_ABI);
	assert_string_equal(be->name, "env");
	assert_string_equal(be->location, "ANACONDA_AUTH_API_KEY");
	assert_int_equal(be->writable, 0);
	assert_int_equal(be->get(be, "example.test", &b64, &err), AA_OK);
	assert_int_equal(aa_token_info_decode(b64, strlen(b64), &info, &err), AA_OK);
	assert_string_equal(aa_secret_str(info->api_key), "key-123");
	aa_token_info_free(info);
	free(b64);
	be->close(be);
}

/* Another domain has no entry here; the message names the variable. */
static void test_other_domain_not_found(void **state)
{
	struct aa_keyring_backend *be = open_env("example.test", "key-123", "ANACONDA_AUTH_API_KEY");
	char *b64 = (char *)1;
	aa_error err = {0};

	(void)state;
	assert_int_equal(be->get(be, "other.test", &b64, &err), AA_ERR_NOT_FOUND);
	assert_null(b64);
	assert_non_null(strstr(err.message, "ANACONDA_AUTH_API_KEY"));
	assert_null(strstr(err.message, "key-123"));
	be->close(be);
}

/* Writes are refused (the variable cannot be changed from here), never half done. */
static void test_writes_refused(void **state)
{
	struct aa_keyring_backend *be = open_env("example.test", "key-123", "ANACONDA_AUTH_API_KEY");
	const char *const doms[] = {"example.test", NULL};
	int removed = 7;
	aa_error err = {0};

	(void)state;
	assert_int_equal(be->set(be, "example.test", "eyJ9", &err), AA_ERR_READONLY);
	assert_non_null(strstr(err.message, "unset it"));
	assert_int_equal(be->del(be, doms, &removed, &err), AA_ERR_READONLY);
	assert_int_equal(removed, 0);
	be->close(be);
}

/* list names the one domain; with no domain set it is the default one. */
static void test_list_and_default_domain(void **state)
{
	struct aa_keyring_backend *be = open_env(NULL, "key-123", NULL);
	char **doms = NULL;
	aa_error err = {0};

	(void)state;
	assert_string_equal(be->location, "the API key setting");
	assert_int_equal(be->list(be, &doms, &err), AA_OK);
	assert_string_equal(doms[0], "anaconda.com");
	assert_null(doms[1]);
	free(doms[0]);
	free(doms);
	be->close(be);
}

/* No key configured: there is no env layer at all. */
static void test_no_key_no_backend(void **state)
{
	aa_config cfg = {0};
	struct aa_keyring_backend *be = (struct aa_keyring_backend *)1;
	aa_error err = {0};

	(void)state;
	assert_int_equal(aa_keyring_env_open(&cfg, &be, &err), AA_ERR_NOT_FOUND);
	assert_null(be);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_synthesises_token_info),
		cmocka_unit_test(test_other_domain_not_found),
		cmocka_unit_test(test_writes_refused),
		cmocka_unit_test(test_list_and_default_domain),
		cmocka_unit_test(test_no_key_no_backend),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
