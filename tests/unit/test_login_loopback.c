/* SPDX-License-Identifier: BSD-3-Clause */
/* test_login_loopback.c - unit tests for common/login_loopback.c with a real client in a child process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "net_internal.h"

#define OK_URL "https://d.example/app/local-login-success"
#define BAD_URL "https://d.example/app/local-login-error"

static unsigned free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

/* One request; returns the reply's head (static buffer) or NULL. */
static const char *send_request(unsigned port, const char *target)
{
	static char reply[2048];
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	char req[512];
	ssize_t n;
	size_t len = 0;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0)
		return NULL;
	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", target);
	if (write(fd, req, strlen(req)) < 0)
		return NULL;
	while (len + 1 < sizeof(reply) && (n = read(fd, reply + len, sizeof(reply) - 1 - len)) > 0)
		len += (size_t)n;
	reply[len] = '\0';
	close(fd);
	return reply;
}

/* Child: send each target in turn; exit 0 only if every reply matched. */
static pid_t client(unsigned port, const char *const *targets, const char *const *expect)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		for (size_t i = 0; targets[i]; i++) {
			const char *r = send_request(port, targets[i]);

			if (!r || !strstr(r, expect[i]))
				_exit(1 + (int)i);
		}
		_exit(0);
	}
	return pid;
}

static int child_status(pid_t pid)
{
	int status = 0;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

static aa_status run(const char *const *targets, const char *const *expect, int timeout_s,
		     aa_secret **code, aa_error *err, int *client_rc)
{
	unsigned port = free_port();
	char uri[64];
	aa_loopback lb;
	aa_status st;
	pid_t pid;

	snprintf(uri, sizeof(uri), "http://127.0.0.1:%u/auth/oidc", port);
	assert_int_equal(aa_loopback_listen(uri, &lb, err), AA_OK);
	pid = client(port, targets, expect);
	st = aa_loopback_wait(&lb, "the-state", OK_URL, BAD_URL, timeout_s, NULL, code, err);
	aa_loopback_close(&lb);
	*client_rc = child_status(pid);
	return st;
}

static void test_code_after_unrelated_requests(void **state)
{
	const char *const targets[] = {"/favicon.ico", "/auth/oidc/x", "/auth/oidc?code=c0de&state=the-state", NULL};
	const char *const expect[] = {" 404 ", " 404 ", "Location: " OK_URL "\r\n", NULL};
	aa_secret *code = NULL;
	aa_error err = {0};
	int rc;

	(void)state;
	assert_int_equal(run(targets, expect, 10, &code, &err, &rc), AA_OK);
	assert_int_equal(rc, 0);
	assert_string_equal(aa_secret_str(code), "c0de");
	aa_secret_free(code);
}

/* Another local user's requests: none of them may end or change the login. */
static void test_stray_requests_do_not_end_the_wait(void **state)
{
	const char *const targets[] = {
		"/auth/oidc?code=evil&state=other",          /* wrong state */
		"/auth/oidc?code=evil",                      /* no state */
		"/auth/oidc?error=access_denied",            /* error= without the state */
		"/auth/oidc?error=server_error&state=other", /* error= with a wrong state */
		"/auth/oidcx?code=evil&state=the-state",     /* wrong path, right state */
		"/?code=evil&state=the-state",
		"/auth/oidc?code=c0de&state=the-state",
		NULL,
	};
	const char *const expect[] = {" 404 ", " 404 ", " 404 ", " 404 ", " 404 ", " 404 ",
				      "Location: " OK_URL "\r\n", NULL};
	aa_secret *code = NULL;
	aa_error err = {0};
	int rc;

	(void)state;
	assert_int_equal(run(targets, expect, 10, &code, &err, &rc), AA_OK);
	assert_int_equal(rc, 0);
	assert_string_equal(aa_secret_str(code), "c0de");
	aa_secret_free(code);
}

static int connect_port(unsigned port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Many connections that never finish their request line, held open while
 * the browser's callback comes: the listener must serve the callback anyway
 * (one at a time, each idle one would hold it for its whole read deadline).
 */
static void test_idle_connections_do_not_stall(void **state)
{
	enum { IDLE = 40 };
	unsigned port = free_port();
	char uri[64];
	aa_loopback lb;
	aa_secret *code = NULL;
	aa_error err = {0};
	pid_t pid;

	(void)state;
	snprintf(uri, sizeof(uri), "http://127.0.0.1:%u/auth/oidc", port);
	assert_int_equal(aa_loopback_listen(uri, &lb, &err), AA_OK);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fds[IDLE];
		const char *r;

		close(lb.fd); /* only the parent listens */
		alarm(20);
		for (int i = 0; i < IDLE; i++) {
			fds[i] = connect_port(port);
			/* half of them start a request line and stop */
			if (fds[i] >= 0 && i % 2 && write(fds[i], "GET /auth/oi", 12) < 0)
				_exit(2);
		}
		r = send_request(port, "/auth/oidc?code=c0de&state=the-state");
		_exit(r && strstr(r, "Location: " OK_URL "\r\n") ? 0 : 1);
	}
	/* one at a time, 40 idle connections would hold the server for minutes */
	assert_int_equal(aa_loopback_wait(&lb, "the-state", OK_URL, BAD_URL, 10, NULL, &code, &err),
			 AA_OK);
	aa_loopback_close(&lb);
	assert_int_equal(child_status(pid), 0);
	assert_string_equal(aa_secret_str(code), "c0de");
	aa_secret_free(code);
}

/* error= with this login's state is the login service's answer: it ends the login. */
static void test_error_with_our_state(void **state)
{
	const char *const targets[] = {"/auth/oidc?error=server_error%1B%5B2J&state=the-state", NULL};
	const char *const expect[] = {"Location: " BAD_URL "\r\n", NULL};
	aa_secret *code = NULL;
	aa_error err = {0};
	int rc;

	(void)state;
	assert_int_equal(run(targets, expect, 10, &code, &err, &rc), AA_ERR_AUTH);
	assert_int_equal(rc, 0);
	assert_null(code);
	/* the escape sequence the URL carried is not in the message */
	assert_non_null(strstr(err.message, "server_error[2J"));
	assert_null(strchr(err.message, 0x1b));
}

static void test_denied(void **state)
{
	const char *const targets[] = {"/auth/oidc?error=access_denied&state=the-state", NULL};
	const char *const expect[] = {" 307 ", NULL};
	aa_secret *code = NULL;
	aa_error err = {0};
	int rc;

	(void)state;
	assert_int_equal(run(targets, expect, 10, &code, &err, &rc), AA_ERR_DENIED);
	assert_int_equal(rc, 0);
}

static void test_timeout(void **state)
{
	const char *const targets[] = {"/favicon.ico", NULL};
	const char *const expect[] = {" 404 ", NULL};
	aa_secret *code = NULL;
	aa_error err = {0};
	int rc;

	(void)state;
	assert_int_equal(run(targets, expect, 1, &code, &err, &rc), AA_ERR_TIMEOUT);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(err.message, "within 1 s"));
	assert_non_null(strstr(err.message, "/auth/oidc"));
}

static void test_port_busy(void **state)
{
	unsigned port = free_port();
	char uri[64];
	aa_loopback lb, busy;
	aa_error err = {0};
	char want[32];

	(void)state;
	snprintf(uri, sizeof(uri), "http://127.0.0.1:%u/auth/oidc", port);
	assert_int_equal(aa_loopback_listen(uri, &lb, &err), AA_OK);
	assert_int_equal(aa_loopback_listen(uri, &busy, &err), AA_ERR_GENERIC);
	snprintf(want, sizeof(want), "port %u", port);
	assert_non_null(strstr(err.message, want));
	assert_non_null(strstr(err.message, "in use"));
	aa_loopback_close(&lb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_after_unrelated_requests),
		cmocka_unit_test(test_stray_requests_do_not_end_the_wait),
		cmocka_unit_test(test_idle_connections_do_not_stall),
		cmocka_unit_test(test_error_with_our_state),
		cmocka_unit_test(test_denied),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_port_busy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
