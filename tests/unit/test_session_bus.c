/* SPDX-License-Identifier: BSD-3-Clause */
/* test_session_bus.c - the session-bus owner check against real sockets: ours, another uid's, in unsafe directories, and addresses it cannot judge. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "session_bus.h"

#define OTHER_UID 65534

static char tmpl[64];
static char *root;
static char sock_path[96];
static char addr[256];
static int listener = -1;

static int setup(void **state)
{
	(void)state;
	snprintf(tmpl, sizeof(tmpl), "/tmp/aa-bus-XXXXXX");
	root = mkdtemp(tmpl);
	if (!root)
		return -1;
	snprintf(sock_path, sizeof(sock_path), "%s/bus", root);
	unsetenv("DBUS_SESSION_BUS_ADDRESS");
	unsetenv("XDG_RUNTIME_DIR");
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	if (listener >= 0)
		close(listener);
	listener = -1;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

/* A listening socket of ours: at a path, or (name starting '@') abstract. */
static int listen_on(const char *name, int backlog)
{
	struct sockaddr_un sa;
	int abstract = name[0] == '@';
	size_t n = strlen(name);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path + abstract, name + abstract, n - (size_t)abstract);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa,
			      (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n)), 0);
	assert_int_equal(listen(fd, backlog), 0);
	return fd;
}

static aa_status check(const char *address, aa_error *err)
{
	aa_error_clear(err);
	return aa_session_bus_check_address(address, err);
}

static void expect(const char *address, aa_status want, const char *words)
{
	aa_error err;

	assert_int_equal(check(address, &err), want);
	if (words)
		assert_non_null(strstr(err.message, words));
}

static void own_path_bus(void)
{
	listener = listen_on(sock_path, 8);
	snprintf(addr, sizeof(addr), "unix:path=%s,guid=0123456789abcdef", sock_path);
}

static void skip_unless_root(void)
{
	if (geteuid() != 0)
		skip();
}

/* ---- addresses it cannot judge --------------------------------------- */

static void test_other_transports_are_not_trusted(void **state)
{
	(void)state;
	expect("tcp:host=127.0.0.1,port=4000", AA_ERR_DENIED,
	       "uses the 'tcp' transport, which cannot show who runs the bus");
	expect("autolaunch:", AA_ERR_DENIED, "'autolaunch' transport");
	expect("unixexec:path=/bin/sh", AA_ERR_DENIED, "'unixexec' transport");
}

static void test_malformed_addresses_are_unusable(void **state)
{
	(void)state;
	expect("garbage", AA_ERR_UNSUPPORTED, "not a D-Bus address");
	expect("unix:guid=00", AA_ERR_UNSUPPORTED, "names no socket");
	expect("unix:tmpdir=/tmp", AA_ERR_UNSUPPORTED, "names no socket");
	expect("unix:path=/a,abstract=b", AA_ERR_UNSUPPORTED, "not a valid unix socket address");
	expect("unix:path=/a%zz", AA_ERR_UNSUPPORTED, "not a valid unix socket address");
	expect("unix:path=/a%2", AA_ERR_UNSUPPORTED, "not a valid unix socket address");
	expect("unix:path=/a%00b", AA_ERR_UNSUPPORTED, "not a valid unix socket address");
	expect("unix:path=", AA_ERR_UNSUPPORTED, "not a valid unix socket address");
	expect("", AA_ERR_UNSUPPORTED, NULL);
}

static void test_missing_socket_cannot_be_reached(void **state)
{
	(void)state;
	snprintf(addr, sizeof(addr), "unix:path=%s/none", root);
	expect(addr, AA_ERR_UNSUPPORTED, "cannot connect to the D-Bus session bus at");
}

/* ---- our own bus ------------------------------------------------------- */

static void test_own_socket_is_trusted(void **state)
{
	(void)state;
	own_path_bus();
	expect(addr, AA_OK, NULL);
}

static void test_escaped_path_is_decoded(void **state)
{
	char escaped[512];
	const char *p;
	size_t k;

	(void)state;
	own_path_bus();
	/* Every '/' as %2f and the "aa-bus" dash as %2D: the same socket. */
	k = (size_t)snprintf(escaped, sizeof(escaped), "unix:path=");
	for (p = sock_path; *p && k + 4 < sizeof(escaped); p++)
		k += (size_t)(*p == '/' ? snprintf(escaped + k, 4, "%%2f")
			      : *p == '-' ? snprintf(escaped + k, 4, "%%2D")
			      : snprintf(escaped + k, 2, "%c", *p));
	expect(escaped, AA_OK, NULL);
}

static void test_own_abstract_socket_is_trusted(void **state)
{
	char name[64];

	(void)state;
	snprintf(name, sizeof(name), "@/tmp/aa-test-bus-%ld", (long)getpid());
	listener = listen_on(name, 8);
	snprintf(addr, sizeof(addr), "unix:abstract=%s,guid=00", name + 1);
	expect(addr, AA_OK, NULL);
}

static void test_sticky_shared_directory_is_fine(void **state)
{
	(void)state;
	own_path_bus();
	assert_int_equal(chmod(root, 01777), 0);
	expect(addr, AA_OK, NULL);
}

static void test_runtime_dir_bus_is_checked_when_no_address(void **state)
{
	aa_error err;

	(void)state;
	/* Nothing configured: nothing to judge (the module says there is no bus). */
	assert_int_equal(aa_session_bus_check(&err), AA_OK);
	setenv("XDG_RUNTIME_DIR", root, 1);
	assert_int_equal(aa_session_bus_check(&err), AA_OK);
	own_path_bus();
	assert_int_equal(aa_session_bus_check(&err), AA_OK);
	if (geteuid() != 0)
		return;
	assert_int_equal(chown(sock_path, OTHER_UID, OTHER_UID), 0);
	aa_error_clear(&err);
	assert_int_equal(aa_session_bus_check(&err), AA_ERR_DENIED);
	assert_non_null(strstr(err.message, "belongs to uid 65534"));
}

/* ---- somebody else's --------------------------------------------------- */

static void test_socket_of_another_uid_is_refused(void **state)
{
	char want[256];

	(void)state;
	skip_unless_root();
	own_path_bus();
	assert_int_equal(chown(sock_path, OTHER_UID, OTHER_UID), 0);
	snprintf(want, sizeof(want),
		 "the session bus at %s belongs to uid %d, not you (uid %lu)",
		 sock_path, OTHER_UID, (unsigned long)geteuid());
	expect(addr, AA_ERR_DENIED, want);
}

static void test_directory_of_another_uid_is_refused(void **state)
{
	(void)state;
	skip_unless_root();
	own_path_bus();
	assert_int_equal(chown(root, OTHER_UID, OTHER_UID), 0);
	expect(addr, AA_ERR_DENIED, "which belongs to uid 65534");
}

static void test_directory_others_can_change_is_refused(void **state)
{
	(void)state;
	own_path_bus();
	assert_int_equal(chmod(root, 0777), 0);
	expect(addr, AA_ERR_DENIED, "which other users can change");
	assert_int_equal(chmod(root, 0770), 0);
	expect(addr, AA_ERR_DENIED, "which other users can change");
}

static void test_symlink_to_a_socket_is_refused(void **state)
{
	char link[128];

	(void)state;
	own_path_bus();
	snprintf(link, sizeof(link), "%s/link", root);
	assert_int_equal(symlink(sock_path, link), 0);
	snprintf(addr, sizeof(addr), "unix:path=%s", link);
	expect(addr, AA_ERR_DENIED, "is not a socket");
}

/* Abstract sockets have no owner on disk: the listener's uid decides. */
static void test_abstract_socket_run_by_another_uid_is_refused(void **state)
{
	char name[64];
	int ready[2];
	pid_t pid;
	char c;

	(void)state;
	skip_unless_root();
	snprintf(name, sizeof(name), "@/tmp/aa-test-foreign-%ld", (long)getpid());
	assert_int_equal(pipe(ready), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(ready[0]);
		if (setresgid(OTHER_UID, OTHER_UID, OTHER_UID) != 0 ||
		    setresuid(OTHER_UID, OTHER_UID, OTHER_UID) != 0)
			_exit(1);
		listener = listen_on(name, 8);
		if (write(ready[1], "y", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	snprintf(addr, sizeof(addr), "unix:abstract=%s", name + 1);
	expect(addr, AA_ERR_DENIED, "(abstract socket) is run by uid 65534, not you");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* GLib falls through to the next address when one fails: all must be ours. */
static void test_every_address_of_a_list_must_be_ours(void **state)
{
	char list[2 * sizeof(addr) + 8];

	(void)state;
	own_path_bus();
	snprintf(list, sizeof(list), "%s;tcp:host=127.0.0.1,port=4000", addr);
	expect(list, AA_ERR_DENIED, "'tcp' transport");
	snprintf(list, sizeof(list), "%s;;%s", addr, addr);
	expect(list, AA_OK, NULL);
}

/* A bus that accepts no more connections is "cannot connect", at once. */
static void test_full_listen_queue_does_not_block(void **state)
{
	int extra[64];
	size_t n = 0;

	(void)state;
	own_path_bus();
	close(listener);
	listener = -1;
	unlink(sock_path);
	listener = listen_on(sock_path, 0);
	/* Fill the queue: nobody accepts. */
	for (; n < sizeof(extra) / sizeof(extra[0]); n++) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		extra[n] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
		if (connect(extra[n], (struct sockaddr *)&sa, sizeof(sa)) != 0) {
			assert_int_equal(errno, EAGAIN);
			close(extra[n]);
			break;
		}
	}
	expect(addr, AA_ERR_UNSUPPORTED, "cannot connect to the D-Bus session bus at");
	while (n > 0)
		close(extra[--n]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_other_transports_are_not_trusted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_addresses_are_unusable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_socket_cannot_be_reached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_own_socket_is_trusted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escaped_path_is_decoded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_own_abstract_socket_is_trusted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sticky_shared_directory_is_fine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runtime_dir_bus_is_checked_when_no_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_socket_of_another_uid_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory_of_another_uid_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory_others_can_change_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_to_a_socket_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abstract_socket_run_by_another_uid_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_address_of_a_list_must_be_ours, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_listen_queue_does_not_block, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
