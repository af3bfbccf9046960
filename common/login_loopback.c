/*
 * login_loopback.c - the tiny HTTP server on the redirect URI that receives
 * the browser flow's authorization code. It answers unrelated requests
 * (favicon, probes) with 404 and keeps waiting until the callback or the
 * deadline.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net_internal.h"

/* How long one connection may take to send its request line. */
#define REQUEST_READ_S 5.0
#define REQUEST_MAX 8192

static aa_status bind_failed(const aa_loopback_uri *u, int e, aa_error *err)
{
	if (e == EADDRINUSE)
		return aa_fail(err, AA_ERR_GENERIC,
			       "port %u on %s is already in use, so the login redirect cannot be "
			       "received; stop the program using it, or use 'anaconda-auth login --device'",
			       u->port, u->host);
	return aa_fail(err, AA_ERR_GENERIC, "cannot listen on %s port %u for the login redirect: %s",
		       u->host, u->port, strerror(e));
}

static int open_listener(const aa_loopback_uri *u)
{
	int one = 1, fd, family = strchr(u->host, ':') ? AF_INET6 : AF_INET;
	struct sockaddr_storage ss;
	socklen_t len;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)u->port);
		inet_pton(AF_INET6, u->host, &a->sin6_addr);
		len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)u->port);
		inet_pton(AF_INET, u->host, &a->sin_addr);
		len = sizeof(*a);
	}
	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	/* a previous login's TIME_WAIT must not block this one; a live listener still does */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 8) != 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

aa_status aa_loopback_listen(const char *redirect_uri, aa_loopback *lb, aa_error *err)
{
	aa_status st;

	lb->fd = -1;
	st = aa_url_loopback(redirect_uri, &lb->uri, err);
	if (st != AA_OK)
		return st;
	lb->fd = open_listener(&lb->uri);
	if (lb->fd < 0) {
		st = bind_failed(&lb->uri, errno, err);
		aa_loopback_uri_free(&lb->uri);
	}
	return st;
}

void aa_loopback_close(aa_loopback *lb)
{
	if (lb->fd >= 0)
		close(lb->fd);
	lb->fd = -1;
	aa_loopback_uri_free(&lb->uri);
}

static void send_all(int fd, const char *text)
{
	size_t len = strlen(text);

	while (len > 0) {
		ssize_t n = send(fd, text, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		text += n;
		len -= (size_t)n;
	}
}

static void reply_404(int fd)
{
	send_all(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}

static void reply_redirect(int fd, const char *location)
{
	char *text = aa_asprintf("HTTP/1.1 307 Temporary Redirect\r\nLocation: %s\r\n"
				 "Content-Length: 0\r\nCache-Control: no-store\r\n"
				 "Connection: close\r\n\r\n", location);

	if (text)
		send_all(fd, text);
	free(text);
}

/* Read until the end of the request line, or give up at the deadline. */
static int read_request_line(int fd, char *buf, size_t cap, double deadline)
{
	size_t len = 0;

	buf[0] = '\0';
	while (len + 1 < cap && !strstr(buf, "\r\n")) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		double left = deadline - aa_monotonic_s();
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)(left * 1000) + 1) <= 0)
			return -1;
		n = recv(fd, buf + len, cap - 1 - len, 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return -1;
		len += (size_t)n;
		buf[len] = '\0';
	}
	return strstr(buf, "\r\n") ? 0 : -1;
}

/* What a request turned out to be. */
enum callback { CB_OTHER, CB_CODE, CB_FAILED };

/* Interpret "GET /path?query HTTP/1.1" on our redirect path. */
static enum callback check_callback(const char *line, const aa_loopback *lb, const char *state,
				    aa_secret **code, aa_error *err)
{
	const char *target, *q;
	char *got_state, *got_code, *error;
	size_t plen;
	enum callback cb = CB_FAILED;

	if (strncmp(line, "GET ", 4) != 0)
		return CB_OTHER;
	target = line + 4;
	plen = strcspn(target, "? \r");
	if (plen != strlen(lb->uri.path) || strncmp(target, lb->uri.path, plen) != 0)
		return CB_OTHER;
	q = target[plen] == '?' ? target + plen + 1 : "";
	{
		/* the query ends at the space before "HTTP/1.1" */
		char *query = strndup(q, strcspn(q, " \r"));

		got_state = query ? aa_form_get(query, "state") : NULL;
		got_code = query ? aa_form_get(query, "code") : NULL;
		error = query ? aa_form_get(query, "error") : NULL;
		aa_free_secret_str(query);
	}
	if (error && strcmp(error, "access_denied") == 0)
		aa_fail(err, AA_ERR_DENIED, "the login was refused in the browser (access_denied)");
	else if (error)
		aa_fail(err, AA_ERR_AUTH, "the login service reported an error in the browser: %.100s", error);
	else if (!got_state || strcmp(got_state, state) != 0)
		aa_fail(err, AA_ERR_AUTH,
			"the login redirect does not belong to this login attempt (state mismatch); "
			"run 'anaconda-auth login' again");
	else if (!got_code || !*got_code)
		aa_fail(err, AA_ERR_SERVER, "the login redirect carried no authorization code");
	else if (!(*code = aa_secret_from_str(got_code)))
		aa_fail(err, AA_ERR_NOMEM, "out of memory");
	else
		cb = CB_CODE;
	free(got_state);
	free(error);
	aa_free_secret_str(got_code);
	return cb;
}

/* Serve one connection; CB_OTHER means keep waiting. */
static enum callback serve_one(aa_loopback *lb, int fd, const char *state,
			       const char *ok_url, const char *bad_url, double deadline,
			       aa_secret **code, aa_error *err)
{
	char *buf = malloc(REQUEST_MAX);
	double read_until = aa_monotonic_s() + REQUEST_READ_S;
	enum callback cb = CB_OTHER;

	if (!buf)
		return CB_OTHER;
	if (read_until > deadline)
		read_until = deadline;
	if (read_request_line(fd, buf, REQUEST_MAX, read_until) == 0) {
		cb = check_callback(buf, lb, state, code, err);
		if (cb == CB_OTHER)
			reply_404(fd);
		else
			reply_redirect(fd, cb == CB_CODE ? ok_url : bad_url);
	}
	aa_memzero(buf, REQUEST_MAX);
	free(buf);
	return cb;
}

aa_status aa_loopback_wait(aa_loopback *lb, const char *state, const char *success_url,
			   const char *error_url, int timeout_s, const aa_login_ui *ui,
			   aa_secret **code, aa_error *err)
{
	double deadline = aa_monotonic_s() + timeout_s;
	enum callback cb = CB_OTHER;

	*code = NULL;
	while (cb == CB_OTHER) {
		struct pollfd p = {.fd = lb->fd, .events = POLLIN};
		double left = deadline - aa_monotonic_s();
		int conn;

		if (left <= 0)
			break;
		if (ui && ui->waiting)
			ui->waiting(ui->ctx, 0);
		if (poll(&p, 1, left < 1.0 ? (int)(left * 1000) + 1 : 1000) <= 0)
			continue;
		conn = accept4(lb->fd, NULL, NULL, SOCK_CLOEXEC);
		if (conn < 0)
			continue;
		cb = serve_one(lb, conn, state, success_url, error_url, deadline, code, err);
		close(conn);
	}
	if (ui && ui->waiting)
		ui->waiting(ui->ctx, 1);
	if (cb == CB_CODE)
		return AA_OK;
	if (cb == CB_FAILED)
		return err ? err->code : AA_ERR_AUTH;
	return aa_fail(err, AA_ERR_TIMEOUT,
		       "no login arrived at http://%s%s%s:%u%s within %d s; run 'anaconda-auth login' "
		       "again, or 'anaconda-auth login --device' if the browser runs on another machine",
		       strchr(lb->uri.host, ':') ? "[" : "", lb->uri.host,
		       strchr(lb->uri.host, ':') ? "]" : "", lb->uri.port, lb->uri.path, timeout_s);
}
