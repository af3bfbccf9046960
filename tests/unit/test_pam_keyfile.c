/* SPDX-License-Identifier: BSD-3-Clause */
/* test_pam_keyfile.c - the checks on an open keyring file and the unprivileged read path. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../pam_anaconda/pam_keyfile.h"

static char dir[] = "/tmp/aa-pamkf-XXXXXX";

static char *at(const char *rel, char *buf)
{
	snprintf(buf, PATH_MAX, "%s/%s", dir, rel);
	return buf;
}

static void put(const char *rel, const char *text, mode_t mode)
{
	char p[PATH_MAX];
	FILE *f = fopen(at(rel, p), "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(p, mode);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static pa_keyfile_status read_as_me(const char *rel, pa_keyfile *kf)
{
	char p[PATH_MAX];

	memset(kf, 0, sizeof(*kf));
	return pa_keyfile_open_read(at(rel, p), getuid(), 64, kf);
}

static void test_check_stat(void **state)
{
	struct stat st;
	char why[200];

	(void)state;
	memset(&st, 0, sizeof(st));
	st.st_mode = S_IFREG | 0600;
	st.st_uid = 1000;
	st.st_size = 10;
	assert_int_equal(pa_keyfile_check_stat(&st, 1000, 64, why, sizeof(why)), 0);
	st.st_mode = S_IFREG | 0644;
	assert_int_equal(pa_keyfile_check_stat(&st, 1000, 64, why, sizeof(why)), 0);
	st.st_mode = S_IFREG | 0620;
	assert_int_equal(pa_keyfile_check_stat(&st, 1000, 64, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "writable by group or others (mode 620"));
	st.st_mode = S_IFREG | 0602;
	assert_int_equal(pa_keyfile_check_stat(&st, 1000, 64, why, sizeof(why)), -1);
	st.st_mode = S_IFIFO | 0600;
	assert_int_equal(pa_keyfile_check_stat(&st, 1000, 64, why, sizeof(why)), -1);
	assert_string_equal(why, "not a regular file");
	st.st_mode = S_IFREG | 0600;
	st.st_uid = 0;
	assert_int_equal(pa_keyfile_check_stat(&st, 1000, 64, why, sizeof(why)), -1);
	assert_string_equal(why, "owned by uid 0, not by the user (uid 1000)");
	st.st_uid = 1000;
	st.st_size = 65;
	assert_int_equal(pa_keyfile_check_stat(&st, 1000, 64, why, sizeof(why)), -1);
	assert_string_equal(why, "larger than 64 bytes");
}

static void test_reads_a_good_file(void **state)
{
	pa_keyfile kf;

	(void)state;
	put("good", "{\"x\": 1}", 0644);
	assert_int_equal(read_as_me("good", &kf), PA_KF_OK);
	assert_string_equal(kf.text, "{\"x\": 1}");
	assert_int_equal(kf.len, 8);
	assert_true(kf.too_open);
	pa_keyfile_free(&kf);
	assert_null(kf.text);
	put("private", "{}", 0600);
	assert_int_equal(read_as_me("private", &kf), PA_KF_OK);
	assert_false(kf.too_open);
	pa_keyfile_free(&kf);
}

static void test_refusals(void **state)
{
	char p[PATH_MAX], q[PATH_MAX];
	pa_keyfile kf;

	(void)state;
	assert_int_equal(read_as_me("missing", &kf), PA_KF_MISSING);
	assert_int_equal(read_as_me("missing/dir/file", &kf), PA_KF_MISSING);
	put("target", "{}", 0600);
	assert_int_equal(symlink(at("target", p), at("link", q)), 0);
	assert_int_equal(read_as_me("link", &kf), PA_KF_UNSAFE);
	assert_non_null(strstr(kf.reason, "symbolic link"));
	assert_int_equal(mkfifo(at("fifo", p), 0600), 0);
	assert_int_equal(read_as_me("fifo", &kf), PA_KF_UNSAFE);
	assert_string_equal(kf.reason, "not a regular file");
	put("writable", "{}", 0666);
	assert_int_equal(read_as_me("writable", &kf), PA_KF_UNSAFE);
	put("big", "0123456789012345678901234567890123456789012345678901234567890123456789", 0600);
	assert_int_equal(read_as_me("big", &kf), PA_KF_UNSAFE);
	assert_null(kf.text);
	assert_int_equal(mkdir(at("realdir", p), 0700), 0);
	put("realdir/keyring", "{}", 0600);
	assert_int_equal(symlink(at("realdir", p), at("dirlink", q)), 0);
	/* root-owned links in root-only dirs are trusted (/home -> /var/home);
	 * a link in a home is the user's */
	if (geteuid() == 0)
		assert_int_equal(lchown(q, 65534, 65534), 0);
	assert_int_equal(read_as_me("dirlink/keyring", &kf), PA_KF_UNSAFE);
	assert_int_equal(read_as_me("realdir/keyring", &kf), PA_KF_OK);
	pa_keyfile_free(&kf);
}

static void test_unreadable_when_not_root(void **state)
{
	pa_keyfile kf;

	(void)state;
	if (geteuid() == 0)
		skip(); /* root reads anything; the integration tests drop to a user */
	put("noperm", "{}", 0000);
	assert_int_equal(read_as_me("noperm", &kf), PA_KF_UNREADABLE);
	assert_non_null(strstr(kf.reason, "Permission denied"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_stat),
		cmocka_unit_test(test_reads_a_good_file),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_unreadable_when_not_root),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
