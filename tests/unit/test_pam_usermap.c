/* test_pam_usermap.c - the account-to-local-user map: lookups, comments, malformed lines, file checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../pam_anaconda/pam_usermap.h"

static const char map[] =
	"# account   local\n"
	"bob alice\n"
	"\talice\tcarol  # trailing comment\n"
	"\n"
	"broken-line-with-one-field\n"
	"a b c\n"
	"dave dave\r\n"
	"last eve";

static void test_lookup(void **state)
{
	(void)state;
	assert_true(pa_usermap_allows(map, "bob", "alice"));
	assert_true(pa_usermap_allows(map, "alice", "carol"));
	assert_true(pa_usermap_allows(map, "dave", "dave"));
	assert_true(pa_usermap_allows(map, "last", "eve"));
	assert_false(pa_usermap_allows(map, "alice", "alice"));
	assert_false(pa_usermap_allows(map, "bo", "alice"));
	assert_false(pa_usermap_allows(map, "bob", "alic"));
	assert_false(pa_usermap_allows(map, "a", "b"));  /* three fields */
	assert_false(pa_usermap_allows(map, NULL, "alice"));
	assert_false(pa_usermap_allows(map, "", "alice"));
	assert_false(pa_usermap_allows(map, "#", "account"));
}

static void test_has_local(void **state)
{
	(void)state;
	assert_true(pa_usermap_has_local(map, "alice"));
	assert_true(pa_usermap_has_local(map, "eve"));
	assert_false(pa_usermap_has_local(map, "bob"));
	assert_false(pa_usermap_has_local(map, "local"));
	assert_false(pa_usermap_has_local("", "alice"));
}

static void test_bad_lines(void **state)
{
	(void)state;
	assert_int_equal(pa_usermap_bad_lines(map), 2);
	assert_int_equal(pa_usermap_bad_lines("# only\n\n"), 0);
}

static void test_load_checks_the_file(void **state)
{
	char dir[] = "/tmp/aa-usermap-XXXXXX", path[64], link[80], why[200];
	char *text = NULL;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/map", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("bob alice\n", f);
	fclose(f);
	chmod(path, 0644);
	if (geteuid() == 0) {
		assert_int_equal(pa_usermap_load(path, &text, why, sizeof(why)), 0);
		assert_true(pa_usermap_allows(text, "bob", "alice"));
		free(text);
	} else {
		/* not root: the file is ours, and only root's map is trusted */
		assert_int_equal(pa_usermap_load(path, &text, why, sizeof(why)), -1);
		assert_string_equal(why, "not owned by root");
	}
	chmod(path, 0666);
	assert_int_equal(pa_usermap_load(path, &text, why, sizeof(why)), -1);
	assert_null(text);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(pa_usermap_load(link, &text, why, sizeof(why)), -1);
	unlink(link);
	unlink(path);
	assert_int_equal(pa_usermap_load(path, &text, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "No such file"));
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_has_local),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_load_checks_the_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
