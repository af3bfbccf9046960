/* SPDX-License-Identifier: BSD-3-Clause */
/* test_pam_child.c - the helper runner: separate request/reply pipes, exit codes, deadline, signals, fds, credentials. */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../pam_anaconda/pam_child.h"

static const char *const clean_env[] = { "A=1", "PATH=/usr/bin:/bin", NULL };

static pa_child_status run_sh(const char *script, const char *input,
			      long timeout_ms, char *out, size_t out_len,
			      int *code)
{
	const char *argv[] = { "sh", "-c", script, NULL };
	char why[256];
	pa_child c;

	memset(&c, 0, sizeof(c));
	c.path = "/bin/sh";
	c.argv = argv;
	c.envp = clean_env;
	c.input = input;
	c.input_len = strlen(input);
	c.timeout_ms = timeout_ms;
	return pa_child_run(&c, out, out_len, NULL, code, why, sizeof(why));
}

static void test_input_and_output(void **state)
{
	char out[128];
	int code;

	(void)state;
	assert_int_equal(run_sh("read k; echo \"got:$k\"", "s3cret\n", 10000,
				out, sizeof(out), &code), PA_CHILD_OK);
	assert_int_equal(code, 0);
	assert_string_equal(out, "got:s3cret\n");
}

static void test_environment_is_only_what_we_pass(void **state)
{
	char out[128];
	int code;

	(void)state;
	setenv("AA_LEAK_CHECK", "leaked", 1);
	assert_int_equal(run_sh("echo \"$A:$HOME:$AA_LEAK_CHECK\"", "", 10000,
				out, sizeof(out), &code), PA_CHILD_OK);
	assert_string_equal(out, "1::\n");
}

static void test_output_is_truncated_not_overflowed(void **state)
{
	char out[8];
	int code;

	(void)state;
	assert_int_equal(run_sh("echo 0123456789abcdef", "", 10000, out,
				sizeof(out), &code), PA_CHILD_OK);
	assert_string_equal(out, "0123456");
}

static void test_total_counts_what_did_not_fit(void **state)
{
	const char *argv[] = { "sh", "-c", "printf 0123456789abcdef", NULL };
	char out[8], why[256];
	size_t total = 0;
	pa_child c;
	int code;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.path = "/bin/sh";
	c.argv = argv;
	c.envp = clean_env;
	c.input = "";
	c.timeout_ms = 10000;
	assert_int_equal(pa_child_run(&c, out, sizeof(out), &total, &code, why,
				      sizeof(why)), PA_CHILD_OK);
	assert_string_equal(out, "0123456");
	assert_int_equal(total, 16);
}

static void test_request_and_reply_are_separate_pipes(void **state)
{
	char out[256];
	int code;

	(void)state;
	/* two different pipes; the request end cannot carry an answer back,
	 * the reply end cannot be read for the request */
	assert_int_equal(run_sh("[ -p /dev/stdin ] && [ -p /dev/stdout ] &&"
				" [ \"$(stat -L -c %i /dev/stdin)\" != \"$(stat -L -c %i /dev/stdout)\" ] && echo pipes;"
				" (echo forged >&0) 2>/dev/null && echo wrote-request;"
				" (read x <&1) 2>/dev/null && echo read-reply; cat >/dev/null",
				"key", 10000, out, sizeof(out), &code), PA_CHILD_OK);
	assert_string_equal(out, "pipes\n");
}

static void test_host_with_closed_standard_fds(void **state)
{
	int save0 = dup(0), save1 = dup(1), code;
	pa_child_status st;
	char out[64];

	(void)state;
	fflush(stdout);
	close(0);
	close(1); /* our pipes may now be created as fds 0 and 1 */
	st = run_sh("read k; echo \"got:$k\"", "s3cret\n", 10000, out,
		    sizeof(out), &code);
	dup2(save0, 0);
	dup2(save1, 1);
	close(save0);
	close(save1);
	assert_int_equal(st, PA_CHILD_OK);
	assert_string_equal(out, "got:s3cret\n");
}

static void test_exit_codes_and_failures(void **state)
{
	const char *argv[] = { "nope", NULL };
	char out[64], why[256];
	pa_child c;
	int code;

	(void)state;
	assert_int_equal(run_sh("exit 3", "", 10000, out, sizeof(out), &code),
			 PA_CHILD_OK);
	assert_int_equal(code, 3);
	assert_int_equal(run_sh("kill -9 $$", "", 10000, out, sizeof(out), &code),
			 PA_CHILD_DIED);
	memset(&c, 0, sizeof(c));
	c.path = "/nonexistent/helper";
	c.argv = argv;
	c.envp = clean_env;
	c.input = "";
	c.timeout_ms = 10000;
	assert_int_equal(pa_child_run(&c, out, sizeof(out), NULL, &code, why, sizeof(why)),
			 PA_CHILD_SPAWN_FAILED);
}

static void test_deadline_kills_the_child(void **state)
{
	char out[64];
	int code;

	(void)state;
	assert_int_equal(run_sh("echo $$; exec sleep 60", "", 300, out,
				sizeof(out), &code), PA_CHILD_TIMEOUT);
	/* the pid it printed is gone: killed and reaped */
	assert_int_equal(kill((pid_t)atoi(out), 0), -1);
	/* a child that closes stdout but keeps running is bounded too */
	assert_int_equal(run_sh("exec >&- ; sleep 60", "", 300, out, sizeof(out),
				&code), PA_CHILD_TIMEOUT);
	/* and one that never reads its input */
	assert_int_equal(run_sh("sleep 60", "key", 300, out, sizeof(out), &code),
			 PA_CHILD_TIMEOUT);
}

static int chld_calls;

static void on_chld(int sig)
{
	(void)sig;
	chld_calls++;
}

static void test_sigchld_disposition_is_restored(void **state)
{
	struct sigaction sa, now;
	char out[64];
	int code;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_chld;
	sigaction(SIGCHLD, &sa, NULL);
	chld_calls = 0;
	assert_int_equal(run_sh("exit 4", "", 10000, out, sizeof(out), &code),
			 PA_CHILD_OK);
	assert_int_equal(code, 4);
	assert_int_equal(chld_calls, 0); /* the host's handler never saw our child */
	sigaction(SIGCHLD, NULL, &now);
	assert_ptr_equal(now.sa_handler, on_chld);

	/* SIG_IGN would auto-reap and lose the exit status */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGCHLD, &sa, NULL);
	assert_int_equal(run_sh("exit 5", "", 10000, out, sizeof(out), &code),
			 PA_CHILD_OK);
	assert_int_equal(code, 5);
	sigaction(SIGCHLD, NULL, &now);
	assert_ptr_equal(now.sa_handler, SIG_IGN);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
}

static void test_no_descriptor_leaks_into_the_child(void **state)
{
	char out[256];
	int code, fd = open("/dev/null", O_RDONLY);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(dup2(fd, 42), 42);
	assert_int_equal(run_sh("[ -e /proc/self/fd/42 ] && echo leaked || echo clean",
				"", 10000, out, sizeof(out), &code), PA_CHILD_OK);
	assert_string_equal(out, "clean\n");
	close(42);
	close(fd);
}

static void test_blocked_signals_are_not_inherited(void **state)
{
	sigset_t set, old;
	char out[64];
	int code;

	(void)state;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, &old);
	assert_int_equal(run_sh("kill -TERM $$; sleep 5; echo survived", "",
				10000, out, sizeof(out), &code), PA_CHILD_DIED);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void test_credentials_are_dropped(void **state)
{
	const char *argv[] = { "sh", "-c", "echo $(id -u):$(id -g):$(id -G)", NULL };
	char out[64], why[256];
	pa_child c;
	int code;

	(void)state;
	if (geteuid() != 0)
		skip();
	memset(&c, 0, sizeof(c));
	c.path = "/bin/sh";
	c.argv = argv;
	c.envp = clean_env;
	c.input = "";
	c.timeout_ms = 10000;
	c.drop = 1;
	c.uid = 65534;
	c.gid = 65534;
	assert_int_equal(pa_child_run(&c, out, sizeof(out), NULL, &code, why, sizeof(why)),
			 PA_CHILD_OK);
	assert_string_equal(out, "65534:65534:65534\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_input_and_output),
		cmocka_unit_test(test_environment_is_only_what_we_pass),
		cmocka_unit_test(test_output_is_truncated_not_overflowed),
		cmocka_unit_test(test_total_counts_what_did_not_fit),
		cmocka_unit_test(test_request_and_reply_are_separate_pipes),
		cmocka_unit_test(test_host_with_closed_standard_fds),
		cmocka_unit_test(test_exit_codes_and_failures),
		cmocka_unit_test(test_deadline_kills_the_child),
		cmocka_unit_test(test_sigchld_disposition_is_restored),
		cmocka_unit_test(test_no_descriptor_leaks_into_the_child),
		cmocka_unit_test(test_blocked_signals_are_not_inherited),
		cmocka_unit_test(test_credentials_are_dropped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
