/* SPDX-License-Identifier: BSD-3-Clause */
/* test_git_protocol.c - unit tests for git-credential-anaconda/protocol.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "anaconda_auth.h"
#include "../../git-credential-anaconda/protocol.h"

static aa_status parse(const char *text, size_t len, gca_request *req, aa_error *err)
{
	aa_error_clear(err);
	return gca_request_parse(text, len, req, NULL, err);
}

#define PARSE_STR(s, req, err) parse((s), sizeof(s) - 1, (req), (err))

static void test_basic_description(void **state)
{
	gca_request req;
	aa_error err;

	(void)state;
	assert_int_equal(PARSE_STR("protocol=https\nhost=anaconda.cloud\n"
				   "username=u\npassword=a=b=c\n\n", &req, &err), AA_OK);
	assert_string_equal(req.protocol, "https");
	assert_string_equal(req.host, "anaconda.cloud");
	assert_string_equal(req.username, "u");
	/* split at the first '=' only */
	assert_string_equal(req.password, "a=b=c");
	assert_null(req.path);
	gca_request_free(&req);
	assert_null(req.password);
}

static void test_crlf_and_eof_without_newline(void **state)
{
	gca_request req;
	aa_error err;

	(void)state;
	assert_int_equal(PARSE_STR("protocol=https\r\nhost=h:8443\r\npath=x.git", &req, &err), AA_OK);
	assert_string_equal(req.protocol, "https");
	assert_string_equal(req.host, "h:8443");
	assert_string_equal(req.path, "x.git");
	gca_request_free(&req);
}

static void test_blank_line_ends_input(void **state)
{
	const char text[] = "host=a\n\r\nhost=b\n";
	gca_request req;
	aa_error err;
	size_t used = 0;

	(void)state;
	aa_error_clear(&err);
	assert_int_equal(gca_request_parse(text, sizeof(text) - 1, &req, &used, &err), AA_OK);
	assert_string_equal(req.host, "a");
	assert_int_equal(used, 9);
	gca_request_free(&req);
}

static void test_unknown_keys_ignored_last_wins(void **state)
{
	gca_request req;
	aa_error err;

	(void)state;
	assert_int_equal(PARSE_STR("future_thing=1\nhost=a\nhost=b\nurl=https://x\n=novalue\n"
				   "password=\n", &req, &err), AA_OK);
	assert_string_equal(req.host, "b");
	/* an empty value is present and empty, not absent */
	assert_non_null(req.password);
	assert_string_equal(req.password, "");
	gca_request_free(&req);
}

static void test_multi_valued_kept_in_order_and_cleared(void **state)
{
	gca_request req;
	aa_error err;

	(void)state;
	assert_int_equal(PARSE_STR("capability[]=authtype\ncapability[]=state\n"
				   "wwwauth[]=Basic realm=\"a\"\nwwwauth[]=Bearer\n"
				   "state[]=x\nstate[]=\nstate[]=y\n", &req, &err), AA_OK);
	assert_int_equal(req.capability.n, 2);
	assert_string_equal(req.capability.v[0], "authtype");
	assert_string_equal(req.capability.v[1], "state");
	assert_true(gca_request_has_capability(&req, "authtype"));
	assert_false(gca_request_has_capability(&req, "auth"));
	assert_int_equal(req.wwwauth.n, 2);
	assert_string_equal(req.wwwauth.v[0], "Basic realm=\"a\"");
	assert_string_equal(req.wwwauth.v[1], "Bearer");
	/* git's rule: an empty key[]= clears what came before */
	assert_int_equal(req.state.n, 1);
	assert_string_equal(req.state.v[0], "y");
	gca_request_free(&req);
	assert_int_equal(req.capability.n, 0);
}

/* Many values (and a clear in the middle) keep every value, in order. */
static void test_many_values(void **state)
{
	enum { N = 3000 };
	size_t cap = (size_t)N * 24 + 64, n = 0;
	char *text = malloc(cap);
	gca_request req;
	aa_error err;

	(void)state;
	assert_non_null(text);
	for (int i = 0; i < N; i++) {
		if (i == 10)
			n += (size_t)snprintf(text + n, cap - n, "state[]=\n");
		n += (size_t)snprintf(text + n, cap - n, "state[]=v%d\n", i);
	}
	assert_int_equal(parse(text, n, &req, &err), AA_OK);
	assert_int_equal(req.state.n, N - 10);
	assert_string_equal(req.state.v[0], "v10");
	assert_string_equal(req.state.v[N - 11], "v2999");
	gca_request_free(&req);
	free(text);
}

static void test_rejects_nul(void **state)
{
	const char text[] = "protocol=https\npassword=ab\0cd\n";
	gca_request req;
	aa_error err;

	(void)state;
	assert_int_equal(parse(text, sizeof(text) - 1, &req, &err), AA_ERR_PARSE);
	assert_non_null(strstr(err.message, "NUL"));
	/* nothing survives a rejected description */
	assert_null(req.protocol);
	assert_null(req.password);
}

static void test_rejects_bare_cr(void **state)
{
	gca_request req;
	aa_error err;

	(void)state;
	assert_int_equal(PARSE_STR("host=a\rhost=b\n", &req, &err), AA_ERR_PARSE);
	assert_non_null(strstr(err.message, "carriage return"));
	assert_null(req.host);
	/* a CR before the CR of CRLF is still bare */
	assert_int_equal(PARSE_STR("host=a\r\r\n", &req, &err), AA_ERR_PARSE);
	/* a CR at the end of input without LF is bare too */
	assert_int_equal(PARSE_STR("host=a\r", &req, &err), AA_ERR_PARSE);
}

static void test_rejects_line_without_equals(void **state)
{
	gca_request req;
	aa_error err;

	(void)state;
	assert_int_equal(PARSE_STR("protocol=https\nnonsense\n", &req, &err), AA_ERR_PARSE);
	assert_null(req.protocol);
}

static void test_line_length_limit(void **state)
{
	size_t n = GCA_MAX_LINE;
	char *text = malloc(n + 2);
	gca_request req;
	aa_error err;

	(void)state;
	assert_non_null(text);
	/* exactly 65535 bytes including the newline is allowed */
	memcpy(text, "wwwauth[]=", 10);
	memset(text + 10, 'x', n - 11);
	text[n - 1] = '\n';
	assert_int_equal(parse(text, n, &req, &err), AA_OK);
	assert_int_equal(strlen(req.wwwauth.v[0]), n - 11);
	gca_request_free(&req);
	/* one byte more is refused */
	memset(text + 10, 'x', n - 10);
	text[n] = '\n';
	assert_int_equal(parse(text, n + 1, &req, &err), AA_ERR_PARSE);
	assert_non_null(strstr(err.message, "65535"));
	free(text);
}

/* A long wwwauth[] line must never let a following host= take effect
 * (git's "not confused by long header" case). */
static void test_long_line_does_not_inject(void **state)
{
	size_t n = 70000;
	char *text = malloc(n + 64);
	gca_request req;
	aa_error err;
	size_t len;

	(void)state;
	memcpy(text, "host=badguy.example.com\nwwwauth[]=", 34);
	memset(text + 34, 'A', n);
	len = 34 + n;
	memcpy(text + len, "host=victim.example.com\n", 24);
	len += 24;
	assert_int_equal(parse(text, len, &req, &err), AA_ERR_PARSE);
	assert_null(req.host);
	free(text);
}

static void test_read_from_pipe_stops_at_blank_line(void **state)
{
	int fds[2];
	gca_request req;
	aa_error err;
	const char text[] = "protocol=https\nhost=anaconda.cloud\n\nhost=ignored\n";

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	/* the writer stays open: the reader must not wait for EOF */
	aa_error_clear(&err);
	assert_int_equal(gca_request_read(fds[0], &req, &err), AA_OK);
	assert_string_equal(req.host, "anaconda.cloud");
	gca_request_free(&req);
	close(fds[0]);
	close(fds[1]);
}

static void test_read_rejects_overlong_line_early(void **state)
{
	int fds[2];
	gca_request req;
	aa_error err;
	char *big = malloc(80000);
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	memset(big, 'x', 80000);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		(void)!write(fds[1], big, 80000);
		_exit(0);
	}
	close(fds[1]);
	aa_error_clear(&err);
	assert_int_equal(gca_request_read(fds[0], &req, &err), AA_ERR_PARSE);
	close(fds[0]);
	waitpid(pid, NULL, 0);
	free(big);
}

static void test_read_empty_input(void **state)
{
	int fds[2];
	gca_request req;
	aa_error err;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	close(fds[1]);
	aa_error_clear(&err);
	assert_int_equal(gca_request_read(fds[0], &req, &err), AA_OK);
	assert_null(req.host);
	close(fds[0]);
}

static void test_format_username_password(void **state)
{
	gca_answer a = { .username = "anaconda", .password = "k.e.y",
			 .has_expiry = 1, .expiry_utc = 4102444800 };
	aa_error err;
	char *out;
	size_t len;

	(void)state;
	aa_error_clear(&err);
	assert_int_equal(gca_answer_format(&a, &out, &len, &err), AA_OK);
	assert_string_equal(out, "username=anaconda\npassword=k.e.y\n"
			    "password_expiry_utc=4102444800\n");
	assert_int_equal(len, strlen(out));
	aa_free_secret_str(out);
}

static void test_format_bearer(void **state)
{
	gca_answer a = { .username = "ignored", .password = "k", .bearer = 1 };
	aa_error err;
	char *out;
	size_t len;

	(void)state;
	aa_error_clear(&err);
	assert_int_equal(gca_answer_format(&a, &out, &len, &err), AA_OK);
	assert_string_equal(out, "capability[]=authtype\nauthtype=Bearer\ncredential=k\n");
	aa_free_secret_str(out);
}

static void test_format_refuses_line_breaks(void **state)
{
	gca_answer a = { .username = "evil\nhost=x", .password = "k" };
	gca_answer b = { .username = "u", .password = "k\r" };
	aa_error err;
	char *out;
	size_t len;

	(void)state;
	aa_error_clear(&err);
	assert_int_equal(gca_answer_format(&a, &out, &len, &err), AA_ERR_PARSE);
	assert_null(out);
	assert_int_equal(gca_answer_format(&b, &out, &len, &err), AA_ERR_PARSE);
	assert_null(out);
}

static void test_format_empty_answer(void **state)
{
	gca_answer a = { 0 };
	aa_error err;
	char *out;
	size_t len;

	(void)state;
	aa_error_clear(&err);
	assert_int_equal(gca_answer_format(&a, &out, &len, &err), AA_OK);
	assert_string_equal(out, "");
	assert_int_equal(len, 0);
	aa_free_secret_str(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_description),
		cmocka_unit_test(test_crlf_and_eof_without_newline),
		cmocka_unit_test(test_blank_line_ends_input),
		cmocka_unit_test(test_unknown_keys_ignored_last_wins),
		cmocka_unit_test(test_multi_valued_kept_in_order_and_cleared),
		cmocka_unit_test(test_many_values),
		cmocka_unit_test(test_rejects_nul),
		cmocka_unit_test(test_rejects_bare_cr),
		cmocka_unit_test(test_rejects_line_without_equals),
		cmocka_unit_test(test_line_length_limit),
		cmocka_unit_test(test_long_line_does_not_inject),
		cmocka_unit_test(test_read_from_pipe_stops_at_blank_line),
		cmocka_unit_test(test_read_rejects_overlong_line_early),
		cmocka_unit_test(test_read_empty_input),
		cmocka_unit_test(test_format_username_password),
		cmocka_unit_test(test_format_bearer),
		cmocka_unit_test(test_format_refuses_line_breaks),
		cmocka_unit_test(test_format_empty_answer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
