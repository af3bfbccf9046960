/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * login_loopback.c - the tiny HTTP server on the redirect URI that receives
 * the browser flow's authorization code. Any local user can connect to it,
 * so only the callback that carries this login's state counts: everything
 * else (favicon, probes, wrong state, error= without the state) gets 404 and
 * the wait goes on, and every connection is polled at once with a short
 * deadline of its own, so idle ones cannot hold it up.
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

#include "login_say.h"
#include "net_internal.h"

/* How long one connection may take to send its request line. */
#define REQUEST_READ_S 3.0
#define REQUEST_MAX 8192
/* Connections served at once; a new one beyond this pushes out the oldest. */
#define MAX_CONNS 16

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
	if (bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 64) != 0) {
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

/* What a request turned out to be. */
enum callback { CB_OTHER, CB_CODE, CB_FAILED };

/* Compare without an early exit, so timing tells nothing about the state. */
static int same_state(const char *got, const char *want)
{
	size_t n = strlen(want);
	unsigned char diff = 0;

	if (!got || strlen(got) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(got[i] ^ want[i]);
	return diff == 0;
}

/*
 * Interpret "GET /path?query HTTP/1.1". Only our path with our state is the
 * callback; anything else is someone else's request (CB_OTHER), error=
 * included, or any local user could end the login.
 */
static enum callback check_callback(const char *line, const aa_loopback *lb, const char *state,
				    aa_secret **code, aa_error *err)
{
	const char *target, *q;
	char *query, *got_state, *got_code, *error;
	size_t plen;
	enum callback cb = CB_FAILED;

	if (strncmp(line, "GET ", 4) != 0)
		return CB_OTHER;
	target = line + 4;
	plen = strcspn(target, "? \r");
	if (plen != strlen(lb->uri.path) || strncmp(target, lb->uri.path, plen) != 0)
		return CB_OTHER;
	q = target[plen] == '?' ? target + plen + 1 : "";
	/* the query ends at the space before "HTTP/1.1" */
	query = strndup(q, strcspn(q, " \r"));
	got_state = query ? aa_form_get(query, "state") : NULL;
	got_code = query ? aa_form_get(query, "code") : NULL;
	error = query ? aa_form_get(query, "error") : NULL;
	aa_free_secret_str(query);
	if (!same_state(got_state, state))
		cb = CB_OTHER;
	else if (error && strcmp(error, "access_denied") == 0)
		aa_fail(err, AA_ERR_DENIED, "the login was refused in the browser (access_denied)");
	else if (error)
		aa_fail(err, AA_ERR_AUTH, "the login service reported an error in the browser: %.100s", error);
	else if (!got_code || !*got_code)
		aa_fail(err, AA_ERR_SERVER, "the login redirect carried no authorization code");
	else if (!(*code = aa_secret_from_str(got_code)))
		aa_oom(err);
	else
		cb = CB_CODE;
	free(got_state);
	free(error);
	aa_free_secret_str(got_code);
	return cb;
}

/* One client connection still sending its request line. */
struct conn {
	int fd;       /* -1: slot free */
	size_t len;
	double until; /* monotonic deadline for the request line */
	char buf[REQUEST_MAX];
};

static void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	/* the request line may have held the code */
	aa_memzero(c->buf, c->len);
	c->fd = -1;
	c->len = 0;
}

/* A free slot, or the one whose deadline comes first (its client is the slowest). */
static struct conn *free_slot(struct conn *conns)
{
	struct conn *oldest = &conns[0];

	for (size_t i = 0; i < MAX_CONNS; i++) {
		if (conns[i].fd < 0)
			return &conns[i];
		if (conns[i].until < oldest->until)
			oldest = &conns[i];
	}
	conn_close(oldest);
	return oldest;
}

/* Take every waiting connection off the listener. */
static void accept_all(aa_loopback *lb, struct conn *conns)
{
	for (int i = 0; i < MAX_CONNS; i++) {
		int fd = accept4(lb->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		struct conn *c;

		if (fd < 0)
			return;
		c = free_slot(conns);
		c->fd = fd;
		c->len = 0;
		c->until = aa_monotonic_s() + REQUEST_READ_S;
	}
}

/* Read what c has sent; once its request line is complete, answer and close it. */
static enum callback serve(aa_loopback *lb, struct conn *c, const char *state,
			   const char *ok_url, const char *bad_url, aa_secret **code, aa_error *err)
{
	enum callback cb = CB_OTHER;
	ssize_t n = recv(c->fd, c->buf + c->len, REQUEST_MAX - 1 - c->len, 0);

	if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
		return CB_OTHER;
	if (n <= 0) {
		conn_close(c);
		return CB_OTHER;
	}
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	if (!strstr(c->buf, "\r\n")) {
		if (c->len + 1 >= REQUEST_MAX) {
			reply_404(c->fd);
			conn_close(c);
		}
		return CB_OTHER;
	}
	cb = check_callback(c->buf, lb, state, code, err);
	if (cb == CB_OTHER)
		reply_404(c->fd);
	else
		reply_redirect(c->fd, cb == CB_CODE ? ok_url : bad_url);
	conn_close(c);
	return cb;
}

/* Poll the listener and every connection once; the callback's outcome, else CB_OTHER. */
static enum callback poll_round(aa_loopback *lb, struct conn *conns, double until,
				const char *state, const char *ok_url, const char *bad_url,
				aa_secret **code, aa_error *err)
{
	struct pollfd p[MAX_CONNS + 1];
	struct conn *who[MAX_CONNS + 1];
	nfds_t n = 1;
	double now = aa_monotonic_s(), left;
	enum callback cb = CB_OTHER;

	p[0] = (struct pollfd){.fd = lb->fd, .events = POLLIN};
	for (size_t i = 0; i < MAX_CONNS; i++) {
		if (conns[i].fd < 0)
			continue;
		if (conns[i].until <= now) {
			conn_close(&conns[i]); /* idle too long: it does not get to hold a slot */
			continue;
		}
		if (conns[i].until < until)
			until = conns[i].until;
		who[n] = &conns[i];
		p[n++] = (struct pollfd){.fd = conns[i].fd, .events = POLLIN};
	}
	left = until - now;
	if (poll(p, n, left > 0 ? (int)(left * 1000) + 1 : 0) <= 0)
		return CB_OTHER;
	for (nfds_t i = 1; i < n && cb == CB_OTHER; i++)
		if (p[i].revents)
			cb = serve(lb, who[i], state, ok_url, bad_url, code, err);
	if (cb == CB_OTHER && (p[0].revents & POLLIN))
		accept_all(lb, conns);
	return cb;
}

aa_status aa_loopback_wait(aa_loopback *lb, const char *state, const char *success_url,
			   const char *error_url, int timeout_s, const aa_login_ui *ui,
			   aa_secret **code, aa_error *err)
{
	double deadline = aa_monotonic_s() + timeout_s, next_tick = 0;
	struct conn *conns = malloc(MAX_CONNS * sizeof(*conns));
	enum callback cb = CB_OTHER;

	*code = NULL;
	if (!conns)
		return aa_oom(err);
	for (size_t i = 0; i < MAX_CONNS; i++) {
		conns[i].fd = -1;
		conns[i].len = 0;
	}
	while (cb == CB_OTHER && aa_monotonic_s() < deadline) {
		double now = aa_monotonic_s();

		/* the spinner counts seconds, however busy the listener is */
		if (now >= next_tick) {
			if (ui && ui->waiting)
				ui->waiting(ui->ctx, 0);
			next_tick = now + 1.0;
		}
		cb = poll_round(lb, conns, next_tick < deadline ? next_tick : deadline, state,
				success_url, error_url, code, err);
	}
	for (size_t i = 0; i < MAX_CONNS; i++)
		conn_close(&conns[i]);
	free(conns);
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
