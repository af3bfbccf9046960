/* SPDX-License-Identifier: BSD-3-Clause */
/* test_login_page.c - unit tests for common/login_page.c: the private page that forwards the browser. */
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

#include "net_internal.h"

#define TARGET "https://a.example/authorize?state=S3CRET&code_challenge=CH\"<x>"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 4096);

	assert_non_null(f);
	assert_non_null(buf);
	assert_true(fread(buf, 1, 4095, f) > 0);
	fclose(f);
	return buf;
}

static void test_page_is_private_and_forwards(void **state)
{
	char base[] = "/tmp/aa-test-page-XXXXXX", path[256];
	aa_login_page pg;
	aa_error err = {0};
	struct stat st;
	char *text;

	(void)state;
	assert_non_null(mkdtemp(base));
	setenv("XDG_RUNTIME_DIR", base, 1); /* 0700 and ours, as the XDG spec promises */
	assert_int_equal(aa_login_page_write(TARGET, &pg, &err), AA_OK);
	assert_int_equal(strncmp(pg.dir, base, strlen(base)), 0);
	/* the URL names the page only */
	assert_int_equal(strncmp(pg.url, "file:///", 8), 0);
	assert_null(strstr(pg.url, "S3CRET"));
	assert_int_equal(stat(pg.dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/login.html", pg.dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_string_equal(pg.url + 7, path);
	text = slurp(path);
	assert_non_null(strstr(text, "http-equiv=\"refresh\" content=\"0;url="
				     "https://a.example/authorize?state=S3CRET&amp;code_challenge=CH&quot;&lt;x&gt;\""));
	free(text);
	snprintf(path, sizeof(path), "%s", pg.dir);
	aa_login_page_remove(&pg);
	/* removed, directory and all */
	assert_int_equal(stat(path, &st), -1);
	assert_null(pg.dir);
	assert_int_equal(rmdir(base), 0);
	unsetenv("XDG_RUNTIME_DIR");
}

static void test_shared_runtime_dir_not_used(void **state)
{
	char base[] = "/tmp/aa-test-page-XXXXXX", tmp[] = "/tmp/aa-test-tmp-XXXXXX";
	aa_login_page pg;
	aa_error err = {0};

	(void)state;
	assert_non_null(mkdtemp(base));
	assert_non_null(mkdtemp(tmp));
	assert_int_equal(chmod(base, 0777), 0);
	setenv("XDG_RUNTIME_DIR", base, 1);
	setenv("TMPDIR", tmp, 1);
	assert_int_equal(aa_login_page_write(TARGET, &pg, &err), AA_OK);
	/* a runtime directory others can enter is not the person's: TMPDIR instead */
	assert_int_equal(strncmp(pg.dir, tmp, strlen(tmp)), 0);
	aa_login_page_remove(&pg);
	assert_int_equal(rmdir(base), 0);
	assert_int_equal(rmdir(tmp), 0);
	unsetenv("XDG_RUNTIME_DIR");
	unsetenv("TMPDIR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_is_private_and_forwards),
		cmocka_unit_test(test_shared_runtime_dir_not_used),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
