/* SPDX-License-Identifier: BSD-3-Clause */
/* test_browser_open.c - unit tests for common/browser_open.c: $BROWSER parsing and starting it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "net_internal.h"

#define URL "https://h.example/a?x=1&y=2"

static void test_url_appended(void **state)
{
	char **argv = aa_browser_argv("firefox", URL);

	(void)state;
	assert_string_equal(argv[0], "firefox");
	assert_string_equal(argv[1], URL);
	assert_null(argv[2]);
	aa_strv_free(argv);
	argv = aa_browser_argv("  firefox   --new-window\t", URL);
	assert_string_equal(argv[0], "firefox");
	assert_string_equal(argv[1], "--new-window");
	assert_string_equal(argv[2], URL);
	assert_null(argv[3]);
	aa_strv_free(argv);
}

static void test_percent_s_substituted(void **state)
{
	char **argv = aa_browser_argv("open-it --url=%s --quiet", URL);

	(void)state;
	assert_string_equal(argv[0], "open-it");
	assert_string_equal(argv[1], "--url=" URL);
	assert_string_equal(argv[2], "--quiet");
	assert_null(argv[3]);
	aa_strv_free(argv);
}

static void test_no_shell_meaning(void **state)
{
	/* shell syntax is just text: no shell ever sees the command or the URL */
	char **argv = aa_browser_argv("echo;rm", "$(id)`x`");

	(void)state;
	assert_string_equal(argv[0], "echo;rm");
	assert_string_equal(argv[1], "$(id)`x`");
	aa_strv_free(argv);
	assert_null(aa_browser_argv("   ", URL));
}

static int wait_for_file(const char *path)
{
	for (int i = 0; i < 500; i++) { /* bounded: 5 s */
		struct timespec ts = {0, 10 * 1000 * 1000};

		if (access(path, F_OK) == 0)
			return 1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

/* A stand-in browser in dir that writes its arguments, one a line, to dir/opened. */
static void make_recorder(const char *dir, char *cmd, size_t len)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/browser", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\nprintf '%%s\\n' \"$@\" > %s/opened.tmp && mv %s/opened.tmp %s/opened\n",
		dir, dir, dir);
	fclose(f);
	assert_int_equal(chmod(path, 0700), 0);
	/* the first command does not exist; the second is the recorder */
	snprintf(cmd, len, "/nonexistent/browser:%s", path);
}

static void remove_dir(const char *dir)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/browser", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/opened", dir);
	unlink(path);
	rmdir(dir);
}

static void test_starts_browser(void **state)
{
	char dir[] = "/tmp/aa-test-browser-XXXXXX", path[128], cmd[160], got[256] = "";
	aa_error err = {0};
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	make_recorder(dir, cmd, sizeof(cmd));
	setenv("BROWSER", cmd, 1);
	assert_int_equal(aa_browser_open("file:///run/user/1/page.html", &err), AA_OK);
	snprintf(path, sizeof(path), "%s/opened", dir);
	assert_true(wait_for_file(path));
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(got, sizeof(got), f));
	fclose(f);
	/* exactly one argument: the URL, with no "--" or anything else before it */
	assert_string_equal(got, "file:///run/user/1/page.html\n");
	remove_dir(dir);
	unsetenv("BROWSER");
}

static void test_refuses_option_like_and_other_urls(void **state)
{
	static const char *const bad[] = {
		"--gpu-launcher=/bin/sh -c id", "-new-tab", "http://h.example/", "javascript:alert(1)",
		"/etc/passwd", "", NULL,
	};
	char dir[] = "/tmp/aa-test-browser-XXXXXX", path[128], cmd[160];
	aa_error err = {0};

	(void)state;
	assert_non_null(mkdtemp(dir));
	make_recorder(dir, cmd, sizeof(cmd));
	setenv("BROWSER", cmd, 1);
	for (size_t i = 0; bad[i]; i++) {
		assert_int_equal(aa_browser_open(bad[i], &err), AA_ERR_USAGE);
		assert_non_null(strstr(err.message, "only https:// and file:// URLs"));
	}
	/* nothing was started: a later good URL is the first the recorder sees */
	assert_int_equal(aa_browser_open(URL, &err), AA_OK);
	snprintf(path, sizeof(path), "%s/opened", dir);
	assert_true(wait_for_file(path));
	remove_dir(dir);
	unsetenv("BROWSER");
}

static void test_no_browser_found(void **state)
{
	aa_error err = {0};

	(void)state;
	setenv("BROWSER", "/nonexistent/a:/nonexistent/b", 1);
	assert_int_equal(aa_browser_open(URL, &err), AA_ERR_UNSUPPORTED);
	assert_non_null(strstr(err.message, "could not start a browser"));
	unsetenv("BROWSER");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_appended),
		cmocka_unit_test(test_percent_s_substituted),
		cmocka_unit_test(test_no_shell_meaning),
		cmocka_unit_test(test_starts_browser),
		cmocka_unit_test(test_refuses_option_like_and_other_urls),
		cmocka_unit_test(test_no_browser_found),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
