/* SPDX-License-Identifier: BSD-3-Clause */
/* test_sites.c - unit tests for common/sites_edit.c and sites_file.c: lookups, 0.15's rules, values as TOML, the masked diff. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sites.h"

static char dir[64], path[96];

static const char TWO[] =
	"# mine\n"
	"[sites.prod]\n"
	"domain = \"Prod.Example.com\"\n"
	"\n"
	"[sites.dev]\n"
	"domain = \"dev.example.com\"\n"
	"api_key = \"sekrit-key\"\n";

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/aa-test-sites-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/config.toml", dir);
	setenv("ANACONDA_CONFIG_TOML", path, 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	unsetenv("ANACONDA_CONFIG_TOML");
	return 0;
}

static struct aa_sites *open_with(const char *text)
{
	struct aa_sites *s = NULL;
	FILE *f;

	unlink(path);
	if (text) {
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(text, f);
		fclose(f);
		chmod(path, 0600);
	}
	assert_int_equal(aa_sites_open(&s, NULL), AA_OK);
	return s;
}

static void test_find_by_name_or_domain(void **state)
{
	struct aa_sites *s = open_with(TWO);
	aa_error err;
	long idx = -5;
	char *d;

	(void)state;
	assert_int_equal(aa_sites_count(s), 2);
	assert_string_equal(aa_sites_name(s, 1), "dev");
	d = aa_sites_domain(s, 0);
	assert_string_equal(d, "prod.example.com");
	free(d);
	assert_int_equal(aa_sites_find(s, "dev", &idx, NULL), AA_OK);
	assert_int_equal(idx, 1);
	assert_int_equal(aa_sites_find(s, "https://prod.example.com/", &idx, NULL), AA_OK);
	assert_int_equal(idx, 0);
	assert_int_equal(aa_sites_default(s), 0); /* no default_site: the first */
	assert_int_equal(aa_sites_find(s, "nosuch", &idx, &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "no site 'nosuch'"));
	aa_sites_free(s);
}

static void test_ambiguous_domain_is_refused(void **state)
{
	struct aa_sites *s = open_with("[sites.a]\ndomain = \"x.example\"\n"
				       "[sites.b]\ndomain = \"x.example\"\n");
	aa_error err;
	long idx;

	(void)state;
	assert_int_equal(aa_sites_find(s, "x.example", &idx, &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "more than one site"));
	assert_int_equal(aa_sites_remove(s, "x.example", &err), AA_ERR_GENERIC);
	assert_false(aa_sites_changed(s));
	aa_sites_free(s);
}

static void test_add_writes_values_as_toml(void **state)
{
	struct aa_sites *s = open_with(NULL);
	const struct aa_site_value v[] = {
		{ "domain", "HTTPS://New.Example:8443/path", AA_SITE_TEXT, "--domain" },
		{ "ssl_verify", "false", AA_SITE_BOOL, "--no-ssl-verify" },
		{ "extra_headers", "{\"X-A\": \"q\\\"uote\", \"X B\": \"2\"}", AA_SITE_JSON,
		  "--extra-headers" },
	};

	(void)state;
	/* "X B" is no header name: the settings' validator refuses it */
	assert_int_equal(aa_sites_add(s, NULL, v, 3, 0, 1, NULL), AA_ERR_USAGE);
	assert_false(aa_sites_changed(s));
	assert_int_equal(aa_sites_add(s, NULL, v, 2, 0, 1, NULL), AA_OK);
	assert_string_equal(s->text, "default_site = \"new.example:8443\"\n\n"
				     "[sites.\"new.example:8443\"]\n"
				     "domain = \"new.example:8443\"\nssl_verify = false\n");
	aa_sites_free(s);
	s = open_with(NULL);
	assert_int_equal(aa_sites_add(s, "n", (struct aa_site_value[]){
		{ "domain", "n.example", AA_SITE_TEXT, "--domain" },
		{ "extra_headers", "{\"X-A\": \"q\\\"uote\"}", AA_SITE_JSON, "--extra-headers" },
		{ "keyring", "{\"Anaconda Cloud\": {\"n.example\": \"abc\"}}", AA_SITE_JSON,
		  "--keyring" } }, 3, 0, 1, NULL), AA_OK);
	assert_non_null(strstr(s->text, "extra_headers = { X-A = \"q\\\"uote\" }\n"));
	assert_non_null(strstr(s->text, "keyring = { \"Anaconda Cloud\" = { \"n.example\" = \"abc\" } }\n"));
	assert_true(s->holds_secret);
	aa_sites_free(s);
}

static void test_add_refuses_an_existing_name(void **state)
{
	struct aa_sites *s = open_with(TWO);
	const struct aa_site_value v[] = { { "domain", "dev.example.com", AA_SITE_TEXT, "--domain" } };
	aa_error err;

	(void)state;
	assert_int_equal(aa_sites_add(s, "dev", v, 1, 0, 1, &err), AA_ERR_GENERIC);
	assert_non_null(strstr(err.message, "already exists"));
	assert_false(aa_sites_changed(s));
	aa_sites_free(s);
}

static void test_remove_moves_the_default(void **state)
{
	struct aa_sites *s = open_with("default_site = \"dev.example.com\"\n\n" "[sites.prod]\n"
				       "domain = \"prod.example.com\"\n\n[sites.dev]\n"
				       "domain = \"dev.example.com\"\n");

	(void)state;
	assert_int_equal(aa_sites_default(s), 1); /* default_site may be a domain */
	assert_int_equal(aa_sites_remove(s, "dev", NULL), AA_OK);
	assert_string_equal(s->text, "default_site = \"prod\"\n\n[sites.prod]\n"
				     "domain = \"prod.example.com\"\n");
	aa_sites_free(s);
}

static void test_diff_hides_keys(void **state)
{
	struct aa_sites *s = open_with(TWO);
	const struct aa_site_value v[] = {
		{ "api_key", "new-sekrit", AA_SITE_TEXT, "--api-key" },
	};
	struct aa_kbuf d = { 0 };

	(void)state;
	assert_int_equal(aa_sites_modify(s, "prod", v, 1, 1, NULL), AA_OK);
	assert_int_equal(aa_sites_diff(s, &d, NULL), AA_OK);
	assert_null(strstr(d.p, "sekrit"));
	assert_non_null(strstr(d.p, "+api_key = \"(hidden)\"\n"));
	assert_non_null(strstr(d.p, "+default_site = \"prod\"\n"));
	aa_kbuf_free(&d);
	aa_sites_free(s);
}

static void test_a_file_changed_meanwhile_is_not_overwritten(void **state)
{
	struct aa_sites *s = open_with(TWO);
	aa_error err;
	char buf[512];
	FILE *f;
	size_t n;

	(void)state;
	assert_int_equal(aa_sites_remove(s, "dev", NULL), AA_OK);
	f = fopen(path, "a"); /* another writer, between our read and our write */
	assert_non_null(f);
	fputs("# theirs\n", f);
	fclose(f);
	assert_int_equal(aa_sites_write(s, &err), AA_ERR_STORAGE);
	assert_non_null(strstr(err.message, "changed while this command ran"));
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "[sites.dev]"));
	assert_non_null(strstr(buf, "# theirs"));
	aa_sites_free(s);
	/* written when nothing changed meanwhile */
	s = open_with(TWO);
	assert_int_equal(aa_sites_remove(s, "dev", NULL), AA_OK);
	assert_int_equal(aa_sites_write(s, &err), AA_OK);
	aa_sites_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_find_by_name_or_domain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ambiguous_domain_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_writes_values_as_toml, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_refuses_an_existing_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove_moves_the_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diff_hides_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_file_changed_meanwhile_is_not_overwritten,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
