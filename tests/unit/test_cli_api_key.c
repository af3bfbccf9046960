/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_cli_api_key.c - 'anaconda-auth api-key' (cli/cmd_api_key.c) run
 * in-process: the key in effect on stdout and nothing else, the documented
 * exit codes and one stderr line when there is none or it expired.
 */
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config_struct.h"
#include "cli.h"
#include "jwt_samples.h"

static char dir[] = "/tmp/test_cli_api_key.XXXXXX";
static char kpath[PATH_MAX], lpath[PATH_MAX];
static char out[4096], errs[4096];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(kpath, sizeof(kpath), "%s/keyring", dir);
	snprintf(lpath, sizeof(lpath), "%s/keyring.lock", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(kpath);
	unlink(lpath);
	rmdir(dir);
	return 0;
}

static void store(const char *key)
{
	aa_keyring *kr = NULL;
	aa_error err = {0};

	assert_int_equal(aa_keyring_open_file(kpath, &kr, &err), AA_OK);
	assert_int_equal(aa_keyring_store_api_key(kr, "example.test", key, &err), AA_OK);
	aa_keyring_close(kr);
}

/* Read what fd `target` got into buf, then put the old fd back. */
static void collect(int target, int saved, FILE *tmp, char *buf, size_t len)
{
	size_t n;

	fflush(target == 1 ? stdout : stderr);
	dup2(saved, target);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, len - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
}

/* Run `api-key` with these settings; stdout and stderr land in out/errs. */
static int run_api_key(const char *env_key)
{
	char *argv[] = {"api-key", NULL};
	char domain[] = "example.test";
	struct cli cli = {.fe = {.prog = "anaconda-auth"}};
	aa_config cfg = {0};
	FILE *o = tmpfile(), *e = tmpfile();
	int so, se, code;

	assert_non_null(o);
	assert_non_null(e);
	cli.cfg = cli.fe.cfg = &cfg;
	cfg.domain = domain;
	cfg.keyring_path = kpath;
	cfg.storage = AA_STORAGE_FILE;
	cfg.api_key = env_key ? aa_secret_from_str(env_key) : NULL;
	cfg.api_key_source = env_key ? "ANACONDA_AUTH_API_KEY" : NULL;
	fflush(stdout);
	fflush(stderr);
	so = dup(1);
	se = dup(2);
	dup2(fileno(o), 1);
	dup2(fileno(e), 2);
	code = cli_cmd_api_key(&cli, 1, argv);
	collect(1, so, o, out, sizeof(out));
	collect(2, se, e, errs, sizeof(errs));
	aa_secret_free(cfg.api_key);
	return code;
}

static void test_prints_the_stored_key_only(void **state)
{
	(void)state;
	store(JWT_VALID);
	assert_int_equal(run_api_key(NULL), AA_EXIT_OK);
	assert_string_equal(out, JWT_VALID "\n");
	assert_string_equal(errs, "");
	unlink(kpath);
}

static void test_env_key_wins(void **state)
{
	(void)state;
	store(JWT_VALID);
	assert_int_equal(run_api_key("env-key-123"), AA_EXIT_OK);
	assert_string_equal(out, "env-key-123\n");
	unlink(kpath);
}

static void test_not_logged_in(void **state)
{
	(void)state;
	assert_int_equal(run_api_key(NULL), AA_EXIT_NOT_LOGGED_IN);
	assert_string_equal(out, "");
	assert_non_null(strstr(errs, "anaconda-auth: not logged in to example.test"));
	assert_non_null(strstr(errs, "anaconda-auth login"));
}

/* An expired key is not printed: the line gives the date and the fix. */
static void test_expired_key_refused(void **state)
{
	(void)state;
	store(JWT_EXPIRED);
	assert_int_equal(run_api_key(NULL), AA_EXIT_EXPIRED);
	assert_string_equal(out, "");
	assert_non_null(strstr(errs, "expired on"));
	assert_null(strstr(errs, JWT_EXPIRED));
	unlink(kpath);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prints_the_stored_key_only),
		cmocka_unit_test(test_env_key_wins),
		cmocka_unit_test(test_not_logged_in),
		cmocka_unit_test(test_expired_key_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
