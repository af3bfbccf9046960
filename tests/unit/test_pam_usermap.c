/* SPDX-License-Identifier: BSD-3-Clause */
/* test_pam_usermap.c - the account-to-local-user map: lookups by id and username, comments, malformed lines, file checks. */
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

#define BOB_ID "9b2e6c1a-0d4f-4e8b-a7c3-5f1e2d3c4b5a"

static const char map[] =
	"# account   local\n"
	"bob alice\n"
	"9B2E6C1A-0D4F-4E8B-A7C3-5F1E2D3C4B5A root\n"
	"\talice\tcarol  # trailing comment\n"
	"\n"
	"broken-line-with-one-field\n"
	"a b c\n"
	"dave dave\r\n"
	"last eve";

static void test_lookup_by_username(void **state)
{
	(void)state;
	assert_true(pa_usermap_allows(map, NULL, "bob", "alice"));
	assert_true(pa_usermap_allows(map, NULL, "alice", "carol"));
	assert_true(pa_usermap_allows(map, NULL, "dave", "dave"));
	assert_true(pa_usermap_allows(map, NULL, "last", "eve"));
	assert_false(pa_usermap_allows(map, NULL, "alice", "alice"));
	assert_false(pa_usermap_allows(map, NULL, "bo", "alice"));
	assert_false(pa_usermap_allows(map, NULL, "bob", "alic"));
	assert_false(pa_usermap_allows(map, NULL, "a", "b"));  /* three fields */
	assert_false(pa_usermap_allows(map, NULL, NULL, "alice"));
	assert_false(pa_usermap_allows(map, NULL, "", "alice"));
	assert_false(pa_usermap_allows(map, NULL, "#", "account"));
}

static void test_lookup_by_account_id(void **state)
{
	(void)state;
	/* an id line: the id (any case), never a username that looks like it */
	assert_true(pa_usermap_allows(map, BOB_ID, "whoever", "root"));
	assert_false(pa_usermap_allows(map, NULL, BOB_ID, "root"));
	assert_false(pa_usermap_allows(map, "9b2e6c1a-0d4f-4e8b-a7c3-5f1e2d3c4b5b",
				       "bob", "root"));
	assert_false(pa_usermap_allows(map, BOB_ID, "bob", "bob"));
	/* a username line is not an id */
	assert_false(pa_usermap_allows(map, "bob", NULL, "alice"));
	assert_true(pa_usermap_allows(map, BOB_ID, "bob", "alice"));
}

static void test_uuid_shape(void **state)
{
	(void)state;
	assert_true(pa_is_uuid(BOB_ID, 36));
	assert_false(pa_is_uuid(BOB_ID, 35));
	assert_false(pa_is_uuid("9b2e6c1a00d4f-4e8b-a7c3-5f1e2d3c4b5a", 36));
	assert_false(pa_is_uuid("9b2e6c1g-0d4f-4e8b-a7c3-5f1e2d3c4b5a", 36));
}

/* An id written any other way is a bad line, never a username binding. */
static void test_misspelt_id_is_no_username(void **state)
{
	static const char *const forms[] = {
		"9b2e6c1a0d4f4e8ba7c35f1e2d3c4b5a",
		"{9b2e6c1a-0d4f-4e8b-a7c3-5f1e2d3c4b5a}",
		"urn:uuid:9b2e6c1a-0d4f-4e8b-a7c3-5f1e2d3c4b5a",
		"9b2e6c1a-0d4f-4e8b-a7c3-5f1e2d3c4b5",
		"cafe",
		"dead-beef",
		"a:b",
	};
	char line[128];

	(void)state;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		snprintf(line, sizeof(line), "%s root\n", forms[i]);
		assert_false(pa_usermap_allows(line, NULL, forms[i], "root"));
		assert_false(pa_usermap_allows(line, BOB_ID, forms[i], "root"));
		assert_int_equal(pa_usermap_bad_lines(line), 1);
	}
	/* the canonical id, and names that are not hex, stay good */
	assert_int_equal(pa_usermap_bad_lines(BOB_ID " root\nbobcat alice\n"), 0);
	assert_true(pa_usermap_allows("bobcat alice\n", NULL, "bobcat", "alice"));
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
		assert_true(pa_usermap_allows(text, NULL, "bob", "alice"));
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
		cmocka_unit_test(test_lookup_by_username),
		cmocka_unit_test(test_lookup_by_account_id),
		cmocka_unit_test(test_uuid_shape),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_misspelt_id_is_no_username),
		cmocka_unit_test(test_load_checks_the_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
