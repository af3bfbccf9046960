/* SPDX-License-Identifier: BSD-3-Clause */
/* test_fsutil.c - aa_open_nofollow refuses symlinks anywhere and never hangs; aa_read_fd reads whole files with a cap. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

#include "internal.h"

static char tmpl[] = "/tmp/aa-fsutil-XXXXXX";
static char *root;

static char *at(const char *rel)
{
	static char buf[4][PATH_MAX];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", root, rel);
	return buf[i];
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpl, sizeof(tmpl), "/tmp/aa-fsutil-XXXXXX");
	root = mkdtemp(tmpl);
	return root ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_opens_regular_file(void **state)
{
	char *text = NULL;
	size_t len = 0;
	int fd;

	(void)state;
	write_file(at("f"), "hello");
	fd = aa_open_nofollow(at("f"), O_RDONLY, 0, 0);
	assert_true(fd >= 0);
	/* The fd is blocking again and close-on-exec. */
	assert_false(fcntl(fd, F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(aa_read_fd(fd, 100, &text, &len), 0);
	assert_int_equal(len, 5);
	assert_string_equal(text, "hello");
	free(text);
	close(fd);
}

static void test_relative_path(void **state)
{
	char cwd[PATH_MAX];
	int fd;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(mkdir(at("rel"), 0700), 0);
	write_file(at("rel/f"), "x");
	assert_int_equal(chdir(root), 0);
	fd = aa_open_nofollow("rel/f", O_RDONLY, 0, 0);
	assert_true(fd >= 0);
	close(fd);
	fd = aa_open_nofollow("./rel//f", O_RDONLY, 0, 0);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(chdir(cwd), 0);
}

static void test_symlink_last_component_refused(void **state)
{
	(void)state;
	write_file(at("real"), "secret");
	assert_int_equal(symlink(at("real"), at("link")), 0);
	errno = 0;
	assert_int_equal(aa_open_nofollow(at("link"), O_RDONLY, 0, 0), -1);
	assert_int_equal(errno, ELOOP);
}

/* A link a user made; as root, hand it to nobody so it is not trusted. */
static void user_symlink(const char *target, const char *link)
{
	assert_int_equal(symlink(target, link), 0);
	if (geteuid() == 0)
		assert_int_equal(lchown(link, 65534, 65534), 0);
}

static void test_symlink_parent_refused(void **state)
{
	(void)state;
	assert_int_equal(mkdir(at("realdir"), 0700), 0);
	write_file(at("realdir/f"), "secret");
	user_symlink(at("realdir"), at("linkdir"));
	errno = 0;
	assert_int_equal(aa_open_nofollow(at("linkdir/f"), O_RDONLY, 0, 0), -1);
	assert_int_equal(errno, ELOOP);
	/* Also when asked to create directories: a link is never replaced or followed. */
	errno = 0;
	assert_int_equal(aa_open_nofollow(at("linkdir/new/f"), O_RDONLY, 0, 1), -1);
	assert_int_equal(errno, ELOOP);
	assert_int_equal(access(at("realdir/new"), F_OK), -1);
}

/* /home -> /var/home: a root-owned link in a directory only root can write. */
static void test_root_owned_dir_link_followed(void **state)
{
	int fd;

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(mkdir(at("sys"), 0755), 0);
	assert_int_equal(mkdir(at("var"), 0755), 0);
	write_file(at("var/f"), "x");
	assert_int_equal(symlink("../var", at("sys/home")), 0);
	fd = aa_open_nofollow(at("sys/home/f"), O_RDONLY, 0, 0);
	assert_true(fd >= 0);
	close(fd);
	/* Not as the last component ... */
	assert_int_equal(symlink("var/f", at("sys/flink")), 0);
	errno = 0;
	assert_int_equal(aa_open_nofollow(at("sys/flink"), O_RDONLY, 0, 0), -1);
	assert_int_equal(errno, ELOOP);
	/* ... nor where others could have replaced it. */
	assert_int_equal(chmod(at("sys"), 0777), 0);
	errno = 0;
	assert_int_equal(aa_open_nofollow(at("sys/home/f"), O_RDONLY, 0, 0), -1);
	assert_int_equal(errno, ELOOP);
}

static void test_creates_missing_dirs_0700(void **state)
{
	struct stat st;
	int fd;

	(void)state;
	fd = aa_open_nofollow(at("a/b/c/file"), O_WRONLY | O_CREAT | O_EXCL,
			      0600, 1);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(stat(at("a/b"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(at("a/b/c/file"), &st), 0);
	assert_true(S_ISREG(st.st_mode));
	/* A directory as the target is made too. */
	fd = aa_open_nofollow(at("x/y"), O_RDONLY | O_DIRECTORY, 0, 1);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(stat(at("x/y"), &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0700);
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	return st.st_mode & 07777;
}

static void test_make_dir_sets_the_mode_despite_the_umask(void **state)
{
	mode_t old = umask(077);
	int fd;

	(void)state;
	fd = aa_make_dir(at("p/q/conf.d"), 0755, 1);
	umask(old);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(mode_of(at("p/q/conf.d")), 0755);
	/* Parents are only made, private. */
	assert_int_equal(mode_of(at("p/q")), 0700);
}

static void test_make_dir_leaves_an_existing_one_alone(void **state)
{
	int fd;

	(void)state;
	assert_int_equal(mkdir(at("d"), 0700), 0);
	assert_int_equal(chmod(at("d"), 0711), 0);
	fd = aa_make_dir(at("d/"), 0755, 0);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(mode_of(at("d")), 0711);
}

static void test_make_dir_refuses_a_symlink_and_changes_nothing(void **state)
{
	(void)state;
	write_file(at("target"), "x");
	assert_int_equal(chmod(at("target"), 0600), 0);
	assert_int_equal(symlink(at("target"), at("conf.d")), 0);
	errno = 0;
	assert_int_equal(aa_make_dir(at("conf.d"), 0755, 1), -1);
	assert_int_equal(errno, ELOOP);
	assert_int_equal(mode_of(at("target")), 0600);
	/* A symlinked parent is refused as well. */
	assert_int_equal(mkdir(at("real"), 0700), 0);
	assert_int_equal(symlink(at("real"), at("link")), 0);
	errno = 0;
	assert_int_equal(aa_make_dir(at("link/conf.d"), 0755, 1), -1);
	assert_int_equal(errno, ELOOP);
	assert_int_equal(access(at("real/conf.d"), F_OK), -1);
}

/*
 * The attacker of finding F5 (someone who can write the directory): right
 * after our mkdirat, the new entry is renamed away and an empty directory
 * of ours (the victim, 0700) is renamed in under the same name. This
 * mkdirat replaces libc's for the code linked into this test.
 */
static int swap_armed;
static int swap_parent = -1;

static int same_dir(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int mkdirat(int dirfd, const char *name, mode_t mode)
{
	int rc = (int)syscall(SYS_mkdirat, dirfd, name, mode);

	if (rc == 0 && swap_armed && same_dir(dirfd, swap_parent)) {
		swap_armed = 0;
		if (renameat(dirfd, name, dirfd, "moved-away") < 0 ||
		    renameat(dirfd, "victim", dirfd, name) < 0)
			fail_msg("the swap failed: %s", strerror(errno));
	}
	return rc;
}

static void test_make_dir_never_changes_a_directory_swapped_in(void **state)
{
	struct stat st;
	int victim, fd;

	(void)state;
	assert_int_equal(mkdir(at("victim"), 0700), 0);
	assert_int_equal(chmod(at("victim"), 0700), 0);
	victim = open(at("victim"), O_RDONLY | O_DIRECTORY);
	swap_parent = open(root, O_RDONLY | O_DIRECTORY);
	assert_true(victim >= 0 && swap_parent >= 0);
	swap_armed = 1;
	fd = aa_make_dir(at("condarc.d"), 0755, 0);
	swap_armed = 0;
	/* the victim, wherever it is now, keeps its mode */
	assert_int_equal(fstat(victim, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	/* and what we made is in place with the mode asked for, or we failed */
	if (fd >= 0) {
		assert_int_equal(fstat(fd, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0755);
		assert_int_equal(mode_of(at("condarc.d")), 0755);
		close(fd);
	}
	close(victim);
	close(swap_parent);
	swap_parent = -1;
}

/* Nothing but the directory is left behind: no staging directory. */
static void test_make_dir_leaves_no_staging_directory(void **state)
{
	int fd, n = 0;
	DIR *d;
	struct dirent *e;

	(void)state;
	fd = aa_make_dir(at("one"), 0750, 0);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(mode_of(at("one")), 0750);
	d = opendir(root);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	assert_int_equal(n, 1);
}

static void test_make_dir_without_parents(void **state)
{
	(void)state;
	errno = 0;
	assert_int_equal(aa_make_dir(at("nope/conf.d"), 0755, 0), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(access(at("nope"), F_OK), -1);
	assert_int_equal(aa_make_dir("", 0755, 1), -1);
}

static void test_missing_without_create(void **state)
{
	(void)state;
	errno = 0;
	assert_int_equal(aa_open_nofollow(at("nope/f"), O_RDONLY, 0, 0), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(access(at("nope"), F_OK), -1);
	assert_int_equal(aa_open_nofollow("", O_RDONLY, 0, 0), -1);
}

static void test_file_as_directory(void **state)
{
	(void)state;
	write_file(at("plain"), "x");
	errno = 0;
	assert_int_equal(aa_open_nofollow(at("plain/f"), O_RDONLY, 0, 1), -1);
	assert_int_equal(errno, ENOTDIR);
}

static void test_fifo_does_not_hang(void **state)
{
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	int fd;

	(void)state;
	assert_int_equal(mkfifo(at("fifo"), 0600), 0);
	/* Without O_NONBLOCK this open would wait for a writer forever. */
	alarm(10);
	fd = aa_open_nofollow(at("fifo"), O_RDONLY, 0, 0);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	/* No writer: reading sees end of file rather than blocking. */
	assert_int_equal(aa_read_fd(fd, 100, &text, &len), 0);
	assert_int_equal(len, 0);
	alarm(0);
	free(text);
	close(fd);
}

static void test_read_cap(void **state)
{
	char big[5000];
	char *text = (char *)1;
	size_t len = 7;
	int fd;

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	write_file(at("big"), big);
	fd = aa_open_nofollow(at("big"), O_RDONLY, 0, 0);
	assert_true(fd >= 0);
	errno = 0;
	assert_int_equal(aa_read_fd(fd, 4998, &text, &len), -1);
	assert_int_equal(errno, EFBIG);
	assert_null(text);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(aa_read_fd(fd, 4999, &text, &len), 0);
	assert_int_equal(len, 4999);
	assert_int_equal(strlen(text), 4999);
	free(text);
	close(fd);
}

static void test_read_pipe_grows(void **state)
{
	int p[2];
	char chunk[1000], *text = NULL;
	size_t len = 0;

	(void)state;
	memset(chunk, 'z', sizeof(chunk));
	assert_int_equal(pipe(p), 0);
	for (int i = 0; i < 50; i++)
		assert_int_equal(write(p[1], chunk, sizeof(chunk)), sizeof(chunk));
	close(p[1]);
	assert_int_equal(aa_read_fd(p[0], 100000, &text, &len), 0);
	assert_int_equal(len, 50000);
	assert_int_equal(text[49999], 'z');
	assert_int_equal(text[50000], '\0');
	free(text);
	close(p[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_opens_regular_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_last_component_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_parent_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_owned_dir_link_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_creates_missing_dirs_0700, setup, teardown),
		cmocka_unit_test_setup_teardown(test_make_dir_sets_the_mode_despite_the_umask, setup, teardown),
		cmocka_unit_test_setup_teardown(test_make_dir_leaves_an_existing_one_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_make_dir_refuses_a_symlink_and_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_make_dir_without_parents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_make_dir_never_changes_a_directory_swapped_in, setup, teardown),
		cmocka_unit_test_setup_teardown(test_make_dir_leaves_no_staging_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_without_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_as_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_does_not_hang, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_pipe_grows, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
