/* test_browser_open.c - unit tests for common/browser_open.c: $BROWSER parsing and starting it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static void test_starts_browser(void **state)
{
	char dir[] = "/tmp/aa-test-browser-XXXXXX", path[128];
	aa_error err = {0};

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/opened", dir);
	/* the first command does not exist; the second (touch) "shows" the URL, a path here */
	setenv("BROWSER", "/nonexistent/browser:touch", 1);
	assert_int_equal(aa_browser_open(path, &err), AA_OK);
	assert_true(wait_for_file(path));
	unlink(path);
	rmdir(dir);
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
		cmocka_unit_test(test_no_browser_found),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
