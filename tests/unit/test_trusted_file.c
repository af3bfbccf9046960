/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_trusted_file.c - aa_file_trusted (a file only root could have
 * written, all the way up) and config_file_site_domain (the site of an
 * administrator's config.toml, no other source), both for pam_anaconda.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "internal.h"
#include "config_file.h"
#include "util/aa_util.h"

/* A private directory (0755, ours) holding one file "f" (0644, ours). */
static char dir[64], file[96];

static int setup(void **state)
{
	FILE *fp;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/aa-trusted-XXXXXX");
	if (!mkdtemp(dir) || chmod(dir, 0755) != 0)
		return -1;
	snprintf(file, sizeof(file), "%s/f", dir);
	fp = fopen(file, "w");
	if (!fp)
		return -1;
	fputs("x\n", fp);
	fclose(fp);
	return chmod(file, 0644);
}

static int teardown(void **state)
{
	char link[128];

	(void)state;
	snprintf(link, sizeof(link), "%s/l", dir);
	unlink(link);
	unlink(file);
	rmdir(dir);
	return 0;
}

static int trusted(const char *path)
{
	char why[256];

	return aa_file_trusted(path, geteuid(), why, sizeof(why));
}

static void test_ours_all_the_way_up(void **state)
{
	char why[256];

	(void)state;
	assert_int_equal(trusted(file), 0); /* /tmp is sticky: fine */
	assert_int_equal(trusted("/etc/passwd"), 0);
	/* someone else's: uid 12345 owns nothing here, root only if we are */
	if (geteuid() != 0) {
		assert_int_equal(aa_file_trusted(file, 0, why, sizeof(why)), -1);
		assert_non_null(strstr(why, "not owned by root"));
	}
}

static void test_writable_by_others(void **state)
{
	char why[256];

	(void)state;
	chmod(file, 0664);
	assert_int_equal(aa_file_trusted(file, geteuid(), why, sizeof(why)), -1);
	assert_non_null(strstr(why, "writable by group or others"));
	chmod(file, 0644);
	chmod(dir, 0777); /* not sticky: anyone could replace the file */
	assert_int_equal(aa_file_trusted(file, geteuid(), why, sizeof(why)), -1);
	assert_non_null(strstr(why, dir));
	chmod(dir, 01777); /* sticky: they cannot */
	assert_int_equal(trusted(file), 0);
	chmod(dir, 0755);
}

static void test_shapes(void **state)
{
	char link[128], why[256];

	(void)state;
	snprintf(link, sizeof(link), "%s/l", dir);
	assert_int_equal(symlink(file, link), 0);
	assert_int_equal(aa_file_trusted(link, geteuid(), why, sizeof(why)), -1);
	assert_non_null(strstr(why, "symbolic link"));
	assert_int_equal(trusted(dir), -1);            /* not a regular file */
	assert_int_equal(trusted("etc/passwd"), -1);   /* relative */
	assert_int_equal(trusted("/etc/../etc/passwd"), -1);
	assert_int_equal(trusted("/etc/"), -1);
	assert_int_equal(trusted("/nonexistent/config.toml"), -1);
}

/* [sites.work] work.example, [sites.lab] without a domain. */
static struct config_file *sites(const char *default_site)
{
	struct config_file *f = config_file_new("/etc/anaconda-auth/config.toml");
	struct config_site *s = config_file_add_site(f, "work", 2);

	config_table_add(&s->table, "domain", "https://Work.Example:8443/x", 3);
	config_file_add_site(f, "lab", 5);
	if (default_site)
		config_file_set_default_site(f, default_site, 1);
	return f;
}

static void expect_domain(struct config_file *f, const char *at,
			  const char *want)
{
	char *d = NULL;
	aa_error err;

	assert_int_equal(config_file_site_domain(f, at, "site=", &d, &err), AA_OK);
	assert_string_equal(d, want);
	free(d);
}

static void test_site_domain(void **state)
{
	struct config_file *f = sites(NULL), *g = sites("lab");
	struct config_file *none = config_file_new("/etc/a.toml");
	char *d = NULL;
	aa_error err;

	(void)state;
	expect_domain(f, "work", "work.example:8443");
	expect_domain(f, "work.example:8443", "work.example:8443"); /* by domain */
	expect_domain(f, "lab", AA_DEFAULT_DOMAIN);  /* no domain: the default */
	expect_domain(f, NULL, "work.example:8443"); /* the first site */
	expect_domain(g, NULL, AA_DEFAULT_DOMAIN);   /* default_site */
	expect_domain(none, NULL, AA_DEFAULT_DOMAIN);
	assert_int_equal(config_file_site_domain(f, "nosuch", "site=", &d, &err),
			 AA_ERR_USAGE);
	assert_null(d);
	assert_non_null(strstr(err.message, "no site 'nosuch'"));
	assert_non_null(strstr(err.message, "work, lab"));
	config_file_free(f);
	config_file_free(g);
	config_file_free(none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ours_all_the_way_up),
		cmocka_unit_test(test_writable_by_others),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_site_domain),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
