/* SPDX-License-Identifier: BSD-3-Clause */
/* test_keyring_file.c - the file backend: Python-identical text, safety refusals, locking, atomic rewrites. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "keyring_backend.h"

static char tmpl[64];
static char *root;
static char kpath[PATH_MAX];
static char last_report[1024];
static int n_notices;

static char *at(const char *rel)
{
	static char buf[4][PATH_MAX];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", root, rel);
	return buf[i];
}

static void capture(void *ctx, int level, const char *line)
{
	(void)ctx;
	snprintf(last_report, sizeof(last_report), "%s", line);
	if (level == AA_REPORT_NOTICE)
		n_notices++;
}

static struct aa_keyring_backend *open_at(const char *path)
{
	struct aa_keyring_backend *be = NULL;
	aa_error err;

	assert_int_equal(aa_keyring_file_backend_open(path, &be, &err), AA_OK);
	be->report = capture;
	return be;
}

static void write_file(const char *path, const char *text, size_t len,
		       mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void put_keyring(const char *text, mode_t mode)
{
	assert_int_equal(mkdir(at(".anaconda"), 0700) == 0 || errno == EEXIST, 1);
	write_file(kpath, text, strlen(text), mode);
}

/* The whole file, or NULL when it does not exist. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = calloc(1, 4 << 20);
	assert_non_null(buf);
	n = fread(buf, 1, (4 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void assert_file_text(const char *path, const char *want)
{
	char *got = slurp(path);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static int count_entries(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, prefix, strlen(prefix)))
			n++;
	closedir(d);
	return n;
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpl, sizeof(tmpl), "/tmp/aa-kfile-XXXXXX");
	root = mkdtemp(tmpl);
	if (!root)
		return -1;
	snprintf(kpath, sizeof(kpath), "%s/.anaconda/keyring", root);
	last_report[0] = '\0';
	n_notices = 0;
	unsetenv(AA_LOCK_TIMEOUT_ENV);
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 32];

	(void)state;
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s'; rm -rf '%s'", root, root);
	return system(cmd) == 0 ? 0 : -1;
}

static void expect_get(struct aa_keyring_backend *be, const char *domain,
		       const char *want)
{
	char *v = NULL;
	aa_error err;

	assert_int_equal(be->get(be, domain, &v, &err), AA_OK);
	assert_string_equal(v, want);
	free(v);
}

static aa_status get_status(struct aa_keyring_backend *be, const char *domain,
			    aa_error *err)
{
	char *v = NULL;
	aa_status rc = be->get(be, domain, &v, err);

	free(v);
	return rc;
}

/* ---- format ---------------------------------------------------------- */

static void test_missing_file_is_empty(void **state)
{
	struct aa_keyring_backend *be = open_at(kpath);
	const char *doms[] = { "anaconda.cloud", NULL };
	char **list = NULL;
	int removed = -1;
	aa_error err;

	(void)state;
	assert_int_equal(get_status(be, "anaconda.cloud", &err), AA_ERR_NOT_FOUND);
	assert_int_equal(be->list(be, &list, &err), AA_OK);
	assert_null(list[0]);
	aa_strv_free(list);
	assert_int_equal(be->del(be, doms, &removed, &err), AA_OK);
	assert_int_equal(removed, 0);
	/* Neither reading nor deleting creates anything. */
	assert_int_equal(access(at(".anaconda"), F_OK), -1);
	be->close(be);
}

static void test_set_writes_python_text(void **state)
{
	struct aa_keyring_backend *be = open_at(kpath);
	struct stat st;
	aa_error err;

	(void)state;
	assert_int_equal(be->set(be, "anaconda.cloud", "ZXlK", &err), AA_OK);
	assert_file_text(kpath, "{\"Anaconda Cloud\": {\"anaconda.cloud\": \"ZXlK\"}}");
	assert_int_equal(stat(kpath, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(at(".anaconda"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(be->set(be, "anaconda.com", "QUFB", &err), AA_OK);
	assert_int_equal(be->set(be, "anaconda.cloud", "bmV3", &err), AA_OK);
	/* Replacing keeps the position, adding appends, like a Python dict. */
	assert_file_text(kpath, "{\"Anaconda Cloud\": {\"anaconda.cloud\": \"bmV3\", \"anaconda.com\": \"QUFB\"}}");
	expect_get(be, "anaconda.com", "QUFB");
	expect_get(be, "anaconda.cloud", "bmV3");
	/* No temp files are left behind. */
	assert_int_equal(count_entries(at(".anaconda"), "keyring.tmp"), 0);
	be->close(be);
}

static void test_other_services_preserved(void **state)
{
	struct aa_keyring_backend *be = open_at(kpath);
	char **list = NULL;
	aa_error err;

	(void)state;
	put_keyring("{\"s\": {\"u\": \"p\"}, \"Anaconda Cloud\": {\"x\": \"1\"},"
		    "\"s2\":{\"n\":[1,2.50,true,null,{}],\"e\":\"\\u00e9\\ud83d\\ude00\\n\\t\\\"\\\\\\u007f/\"},"
		    "\"empty\": {}}", 0600);
	assert_int_equal(be->set(be, "anaconda.cloud", "ZXlK", &err), AA_OK);
	assert_file_text(kpath,
			 "{\"s\": {\"u\": \"p\"}, \"Anaconda Cloud\": {\"x\": \"1\", \"anaconda.cloud\": \"ZXlK\"}, "
			 "\"s2\": {\"n\": [1, 2.50, true, null, {}], \"e\": \"\\u00e9\\ud83d\\ude00\\n\\t\\\"\\\\\\u007f/\"}, "
			 "\"empty\": {}}");
	assert_int_equal(be->list(be, &list, &err), AA_OK);
	assert_string_equal(list[0], "x");
	assert_string_equal(list[1], "anaconda.cloud");
	assert_null(list[2]);
	aa_strv_free(list);
	be->close(be);
}

static void test_delete_keeps_the_rest(void **state)
{
	struct aa_keyring_backend *be = open_at(kpath);
	const char *doms[] = { "anaconda.cloud", "anaconda.com", "gone", NULL };
	int removed = 0;
	aa_error err;

	(void)state;
	put_keyring("{\"Anaconda Cloud\": {\"anaconda.com\": \"a\", \"other.example\": \"b\", \"anaconda.cloud\": \"c\"}, \"s\": {\"u\": \"p\"}}", 0600);
	assert_int_equal(be->del(be, doms, &removed, &err), AA_OK);
	assert_int_equal(removed, 2);
	assert_file_text(kpath, "{\"Anaconda Cloud\": {\"other.example\": \"b\"}, \"s\": {\"u\": \"p\"}}");
	doms[0] = "other.example";
	doms[1] = NULL;
	assert_int_equal(be->del(be, doms, &removed, &err), AA_OK);
	/* The empty service stays, as Python leaves it. */
	assert_file_text(kpath, "{\"Anaconda Cloud\": {}, \"s\": {\"u\": \"p\"}}");
	be->close(be);
}

static void test_empty_and_blank_files(void **state)
{
	const char *texts[] = { "", " \n\t\r\n" };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct aa_keyring_backend *be = open_at(kpath);
		aa_error err;

		put_keyring(texts[i], 0600);
		assert_int_equal(get_status(be, "anaconda.cloud", &err), AA_ERR_NOT_FOUND);
		assert_int_equal(be->set(be, "d", "v", &err), AA_OK);
		assert_file_text(kpath, "{\"Anaconda Cloud\": {\"d\": \"v\"}}");
		assert_int_equal(count_entries(at(".anaconda"), "keyring.corrupt"), 0);
		be->close(be);
	}
}

/* ---- corrupt files ------------------------------------------------------- */

static void test_corrupt_read_is_an_error(void **state)
{
	const char *bad[] = {
		"{\"Anaconda Cloud\": ", "[1, 2]", "\"text\"",
		"{\"Anaconda Cloud\": \"x\"}", "{\"Anaconda Cloud\": {\"a\": 1}}",
		"{\"a\": 1} trailing", "{\"a\": \"b\",}", "{\"a\": \"\xff\"}",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct aa_keyring_backend *be = open_at(kpath);
		aa_error err;

		put_keyring(bad[i], 0600);
		assert_int_equal(get_status(be, "a", &err), AA_ERR_STORAGE);
		assert_non_null(strstr(err.message, "~/.anaconda/keyring") ?
				err.message : strstr(err.message, kpath));
		assert_non_null(strstr(err.message, "it will be moved aside on the next login"));
		be->close(be);
	}
}

static void test_nul_byte_is_corrupt(void **state)
{
	struct aa_keyring_backend *be = open_at(kpath);
	aa_error err;

	(void)state;
	assert_int_equal(mkdir(at(".anaconda"), 0700), 0);
	write_file(kpath, "{\"a\": \"b\0\"}", 11, 0600);
	assert_int_equal(get_status(be, "a", &err), AA_ERR_STORAGE);
	assert_non_null(strstr(err.message, "not valid JSON"));
	be->close(be);
}

static void test_corrupt_moved_aside_on_write(void **state)
{
	struct aa_keyring_backend *be = open_at(kpath);
	char aside[PATH_MAX];
	DIR *d;
	struct dirent *e;
	struct stat st;
	aa_error err;

	(void)state;
	put_keyring("not json {", 0644);
	assert_int_equal(be->set(be, "anaconda.cloud", "ZXlK", &err), AA_OK);
	assert_file_text(kpath, "{\"Anaconda Cloud\": {\"anaconda.cloud\": \"ZXlK\"}}");
	assert_true(n_notices >= 1);
	assert_non_null(strstr(last_report, "moved it aside to"));
	assert_non_null(strstr(last_report, "keyring.corrupt-"));
	assert_int_equal(count_entries(at(".anaconda"), "keyring.corrupt-"), 1);
	d = opendir(at(".anaconda"));
	assert_non_null(d);
	aside[0] = '\0';
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "keyring.corrupt-", 16))
			snprintf(aside, sizeof(aside), "%s/%s", at(".anaconda"), e->d_name);
	closedir(d);
	/* keyring.corrupt-YYYYmmddTHHMMSSZ, the old bytes, made private. */
	assert_int_equal(strlen(strrchr(aside, '-') + 1), 16);
	assert_int_equal(strrchr(aside, '-')[9], 'T');
	assert_int_equal(strrchr(aside, '-')[16], 'Z');
	assert_file_text(aside, "not json {");
	assert_int_equal(stat(aside, &st), 0);
	assert_int_equal(st.st_mode & 077, 0);
	be->close(be);
}

/* A second name for another file: neither chmod-ed nor renamed. */
static void test_corrupt_hard_link_left_untouched(void **state)
{
	struct aa_keyring_backend *be = open_at(kpath);
	struct stat st;
	aa_error err;

	(void)state;
	write_file(at("other"), "not json {", 10, 0400);
	assert_int_equal(mkdir(at(".anaconda"), 0700), 0);
	assert_int_equal(link(at("other"), kpath), 0);
	aa_error_clear(&err);
	assert_int_equal(be->set(be, "anaconda.cloud", "ZXlK", &err), AA_ERR_STORAGE);
	assert_non_null(strstr(err.message, "has 2 hard links"));
	assert_non_null(strstr(err.message, "left untouched"));
	assert_int_equal(stat(at("other"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0400);
	assert_int_equal(st.st_nlink, 2);
	assert_int_equal(count_entries(at(".anaconda"), "keyring.corrupt-"), 0);
	assert_file_text(kpath, "not json {");
	be->close(be);
}

/* The directory a write makes is 0700 whatever the umask. */
static void test_made_directory_is_private(void **state)
{
	struct aa_keyring_backend *be = open_at(kpath);
	mode_t old = umask(0);
	struct stat st;
	aa_error err;

	(void)state;
	assert_int_equal(be->set(be, "anaconda.cloud", "ZXlK", &err), AA_OK);
	umask(old);
	assert_int_equal(stat(at(".anaconda"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	be->close(be);
}

/* ---- unsafe files -------------------------------------------------------- */

static void test_group_readable_warned_and_fixed(void **state)
{
	struct aa_keyring_backend *be = open_at(kpath);
	struct stat st;
	aa_error err;

	(void)state;
	put_keyring("{\"Anaconda Cloud\": {\"d\": \"v\"}}", 0644);
	expect_get(be, "d", "v");
	assert_int_equal(n_notices, 1);
	assert_non_null(strstr(last_report, "readable by other users"));
	assert_non_null(strstr(last_report, "chmod 600"));
	assert_int_equal(be->set(be, "d", "w", &err), AA_OK);
	assert_int_equal(n_notices, 2);
	assert_non_null(strstr(last_report, "private (mode 600) now"));
	assert_int_equal(stat(kpath, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	/* Fixed: no more warnings. */
	expect_get(be, "d", "w");
	assert_int_equal(n_notices, 2);
	be->close(be);
}

static void test_world_writable_refused(void **state)
{
	const mode_t modes[] = { 0666, 0620, 0602 };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct aa_keyring_backend *be = open_at(kpath);
		char want[2 * PATH_MAX + 128];
		aa_error err;

		put_keyring("{\"Anaconda Cloud\": {\"d\": \"v\"}}", modes[i]);
		assert_int_equal(get_status(be, "d", &err), AA_ERR_STORAGE);
		snprintf(want, sizeof(want), "cannot use %s: it is writable by other users (run: chmod 600 %s)",
			 kpath, kpath);
		assert_string_equal(err.message, want);
		assert_int_equal(be->set(be, "d", "w", &err), AA_ERR_STORAGE);
		assert_file_text(kpath, "{\"Anaconda Cloud\": {\"d\": \"v\"}}");
		be->close(be);
	}
}

static void test_other_owner_refused(void **state)
{
	struct aa_keyring_backend *be;
	aa_error err;

	(void)state;
	if (geteuid() != 0)
		skip();
	be = open_at(kpath);
	put_keyring("{\"Anaconda Cloud\": {\"d\": \"v\"}}", 0600);
	assert_int_equal(chown(kpath, 65534, 65534), 0);
	assert_int_equal(get_status(be, "d", &err), AA_ERR_STORAGE);
	assert_non_null(strstr(err.message, "owned by another user"));
	assert_int_equal(be->set(be, "d", "w", &err), AA_ERR_STORAGE);
	assert_file_text(kpath, "{\"Anaconda Cloud\": {\"d\": \"v\"}}");
	be->close(be);
}

static void test_symlinked_file_refused(void **state)
{
	struct aa_keyring_backend *be = open_at(kpath);
	aa_error err;

	(void)state;
	assert_int_equal(mkdir(at(".anaconda"), 0700), 0);
	write_file(at("elsewhere"), "{\"Anaconda Cloud\": {\"d\": \"v\"}}", 31, 0600);
	assert_int_equal(symlink(at("elsewhere"), kpath), 0);
	assert_int_equal(get_status(be, "d", &err), AA_ERR_STORAGE);
	assert_non_null(strstr(err.message, "symbolic link"));
	assert_int_equal(be->set(be, "d", "w", &err), AA_ERR_STORAGE);
	assert_non_null(strstr(err.message, "symbolic link"));
	/* Neither the link nor its target changed. */
	assert_file_text(at("elsewhere"), "{\"Anaconda Cloud\": {\"d\": \"v\"}}");
	be->close(be);
}

static void test_symlinked_parent_refused(void **state)
{
	struct aa_keyring_backend *be = open_at(kpath);
	aa_error err;

	(void)state;
	assert_int_equal(mkdir(at("real"), 0700), 0);
	write_file(at("real/keyring"), "{\"Anaconda Cloud\": {\"d\": \"v\"}}", 31, 0600);
	assert_int_equal(symlink(at("real"), at(".anaconda")), 0);
	/* As root, make it a user's link: root-owned ones in root's dirs are trusted. */
	if (geteuid() == 0)
		assert_int_equal(lchown(at(".anaconda"), 65534, 65534), 0);
	assert_int_equal(get_status(be, "d", &err), AA_ERR_STORAGE);
	assert_non_null(strstr(err.message, "symbolic link"));
	assert_int_equal(be->set(be, "d", "w", &err), AA_ERR_STORAGE);
	assert_non_null(strstr(err.message, "symbolic link"));
	assert_file_text(at("real/keyring"), "{\"Anaconda Cloud\": {\"d\": \"v\"}}");
	be->close(be);
}

static void test_fifo_refused_without_hanging(void **state)
{
	struct aa_keyring_backend *be = open_at(kpath);
	aa_error err;

	(void)state;
	assert_int_equal(mkdir(at(".anaconda"), 0700), 0);
	assert_int_equal(mkfifo(kpath, 0600), 0);
	alarm(10);
	assert_int_equal(get_status(be, "d", &err), AA_ERR_STORAGE);
	assert_non_null(strstr(err.message, "not a regular file"));
	assert_int_equal(be->set(be, "d", "w", &err), AA_ERR_STORAGE);
	alarm(0);
	be->close(be);
}

static void test_oversized_refused(void **state)
{
	struct aa_keyring_backend *be = open_at(kpath);
	size_t n = AA_KEYRING_MAX_BYTES + 10;
	char *big = malloc(n);
	aa_error err;

	(void)state;
	assert_non_null(big);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	assert_int_equal(mkdir(at(".anaconda"), 0700), 0);
	write_file(kpath, big, n, 0600);
	free(big);
	assert_int_equal(get_status(be, "d", &err), AA_ERR_STORAGE);
	assert_non_null(strstr(err.message, "larger than"));
	be->close(be);
}

/* ---- locking and failures ---------------------------------------------- */

static void test_lock_timeout(void **state)
{
	struct aa_keyring_backend *be;
	char lock[PATH_MAX + 8];
	aa_error err;
	int fd;

	(void)state;
	put_keyring("{\"Anaconda Cloud\": {\"d\": \"v\"}}", 0600);
	snprintf(lock, sizeof(lock), "%s.lock", kpath);
	fd = open(lock, O_RDWR | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	/* The environment knob ... */
	setenv(AA_LOCK_TIMEOUT_ENV, "0.1", 1);
	be = open_at(kpath);
	unsetenv(AA_LOCK_TIMEOUT_ENV);
	assert_int_equal(be->set(be, "d", "w", &err), AA_ERR_STORAGE);
	assert_non_null(strstr(err.message, "locked by another process"));
	/* ... and the internal setter. */
	aa_keyring_file_set_lock_timeout(be, 50);
	assert_int_equal(be->set(be, "d", "w", &err), AA_ERR_STORAGE);
	assert_non_null(strstr(err.message, "locked by another process"));
	/* Readers take no lock. */
	expect_get(be, "d", "v");
	flock(fd, LOCK_UN);
	assert_int_equal(be->set(be, "d", "w", &err), AA_OK);
	expect_get(be, "d", "w");
	close(fd);
	be->close(be);
}

static void test_failed_write_keeps_old_file(void **state)
{
	struct aa_keyring_backend *be = open_at(kpath);
	const char *old = "{\"Anaconda Cloud\": {\"d\": \"v\"}}";
	struct rlimit saved, small;
	char big[4096];
	aa_error err;

	(void)state;
	put_keyring(old, 0600);
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	/* A file-size limit makes write() fail the way a full disk does. */
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
	small = saved;
	small.rlim_cur = 100;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	assert_int_equal(be->set(be, "d", big, &err), AA_ERR_STORAGE);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_non_null(strstr(err.message, "cannot write"));
	assert_non_null(strstr(err.message, "left unchanged"));
	assert_non_null(strstr(err.message, strerror(EFBIG)));
	assert_file_text(kpath, old);
	assert_int_equal(count_entries(at(".anaconda"), "keyring.tmp"), 0);
	be->close(be);
}

static void test_readonly_dir_keeps_old_file(void **state)
{
	struct aa_keyring_backend *be;
	const char *old = "{\"Anaconda Cloud\": {\"d\": \"v\"}}";
	aa_error err;

	(void)state;
	if (geteuid() == 0)
		skip(); /* root ignores directory permissions */
	be = open_at(kpath);
	assert_int_equal(be->set(be, "d", "v", &err), AA_OK);
	assert_int_equal(chmod(at(".anaconda"), 0500), 0);
	assert_int_equal(be->set(be, "d", "w", &err), AA_ERR_STORAGE);
	assert_non_null(strstr(err.message, strerror(EACCES)));
	assert_int_equal(chmod(at(".anaconda"), 0700), 0);
	assert_file_text(kpath, old);
	be->close(be);
}

/* 64 readers and one writer: every read sees a whole old or new file. */
static void test_concurrent_readers_never_see_torn_file(void **state)
{
	struct aa_keyring_backend *be = open_at(kpath);
	char small[8] = "short", large[20000];
	pid_t kids[65];
	aa_error err;
	int bad = 0;

	(void)state;
	memset(large, 'L', sizeof(large) - 1);
	large[sizeof(large) - 1] = '\0';
	assert_int_equal(be->set(be, "d", small, &err), AA_OK);
	for (int k = 0; k < 65; k++) {
		kids[k] = fork();
		assert_true(kids[k] >= 0);
		if (kids[k] > 0)
			continue;
		alarm(60);
		for (int i = 0; i < 40; i++) {
			char *v = NULL;

			if (k == 0) {
				if (be->set(be, "d", i % 2 ? small : large, &err) != AA_OK)
					_exit(2);
				continue;
			}
			if (be->get(be, "d", &v, &err) != AA_OK)
				_exit(3);
			if (strcmp(v, small) && strcmp(v, large))
				_exit(4);
			free(v);
		}
		_exit(0);
	}
	for (int k = 0; k < 65; k++) {
		int st = 0;

		assert_int_equal(waitpid(kids[k], &st, 0), kids[k]);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad++;
	}
	assert_int_equal(bad, 0);
	be->close(be);
}

static aa_status append_x(const char *current, char **next, void *ctx,
			  aa_error *err)
{
	int *calls = ctx;

	(*calls)++;
	if (current && !strcmp(current, "refuse"))
		return aa_fail(err, AA_ERR_PARSE, "refused");
	*next = aa_asprintf("%sx", current ? current : "new:");
	return AA_OK;
}

static void test_edit_under_lock(void **state)
{
	struct aa_keyring_backend *be = open_at(kpath);
	int calls = 0;
	aa_error err;

	(void)state;
	assert_true(aa_keyring_is_file(be));
	assert_int_equal(aa_keyring_file_edit(be, "d", append_x, &calls, &err), AA_OK);
	assert_int_equal(aa_keyring_file_edit(be, "d", append_x, &calls, &err), AA_OK);
	assert_int_equal(calls, 2);
	assert_file_text(kpath, "{\"Anaconda Cloud\": {\"d\": \"new:xx\"}}");
	/* A failing edit writes nothing. */
	assert_int_equal(be->set(be, "d", "refuse", &err), AA_OK);
	assert_int_equal(aa_keyring_file_edit(be, "d", append_x, &calls, &err), AA_ERR_PARSE);
	assert_file_text(kpath, "{\"Anaconda Cloud\": {\"d\": \"refuse\"}}");
	be->close(be);
}

static void test_bad_paths(void **state)
{
	struct aa_keyring_backend *be = NULL;
	aa_error err;

	(void)state;
	assert_int_equal(aa_keyring_file_backend_open("", &be, &err), AA_ERR_USAGE);
	assert_int_equal(aa_keyring_file_backend_open("/tmp/dir/", &be, &err), AA_ERR_USAGE);
	assert_null(be);
}

static void test_parent_is_a_file(void **state)
{
	struct aa_keyring_backend *be = open_at(kpath);
	aa_error err;

	(void)state;
	write_file(at(".anaconda"), "x", 1, 0600);
	assert_int_equal(get_status(be, "d", &err), AA_ERR_STORAGE);
	assert_non_null(strstr(err.message, "not a directory"));
	assert_int_equal(be->set(be, "d", "v", &err), AA_ERR_STORAGE);
	be->close(be);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_missing_file_is_empty),
		T(test_set_writes_python_text),
		T(test_other_services_preserved),
		T(test_delete_keeps_the_rest),
		T(test_empty_and_blank_files),
		T(test_corrupt_read_is_an_error),
		T(test_nul_byte_is_corrupt),
		T(test_corrupt_moved_aside_on_write),
		T(test_corrupt_hard_link_left_untouched),
		T(test_made_directory_is_private),
		T(test_group_readable_warned_and_fixed),
		T(test_world_writable_refused),
		T(test_other_owner_refused),
		T(test_symlinked_file_refused),
		T(test_symlinked_parent_refused),
		T(test_fifo_refused_without_hanging),
		T(test_oversized_refused),
		T(test_lock_timeout),
		T(test_failed_write_keeps_old_file),
		T(test_readonly_dir_keeps_old_file),
		T(test_concurrent_readers_never_see_torn_file),
		T(test_edit_under_lock),
		T(test_bad_paths),
		T(test_parent_is_a_file),
	};

	/* Messages abbreviate $HOME; these tests expect full paths. */
	unsetenv("HOME");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
