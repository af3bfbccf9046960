/* SPDX-License-Identifier: BSD-3-Clause */
/* session_bus.c - refuses a D-Bus session bus that is not the caller's own, so a key never goes to (or comes from) another user's Secret Service. */

/*
 * The address in DBUS_SESSION_BUS_ADDRESS is only a name: after the bus it
 * named has ended (a `dbus-run-session` left behind in a shell), another
 * user can start a bus and a keyring at the same path or abstract name, and
 * libsecret would hand them the key. So before the module connects:
 * - only unix sockets are accepted: other transports (tcp, autolaunch, ...)
 *   say nothing about who is listening;
 * - a socket on the filesystem must be owned by us, in a directory owned by
 *   us or root that nobody else can change (or sticky, like /tmp), so it
 *   cannot be swapped after this check;
 * - whoever listens must be us: SO_PEERCRED on a probe connection. That is
 *   the only check an abstract socket allows.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "session_bus.h"
#include "util/aa_util.h"

/* One unix socket from the address: a path, or an abstract name (no NUL added). */
struct bus_sock {
	char name[sizeof(((struct sockaddr_un *)0)->sun_path)];
	size_t len;
	int abstract;
	char shown[sizeof(((struct sockaddr_un *)0)->sun_path) + 20];
};

/* Decode a %-escaped address value into s->name; -1 when malformed or too long. */
static int decode_value(const char *v, size_t n, struct bus_sock *s)
{
	/* A path needs its NUL; an abstract name, the NUL byte in front of it. */
	size_t room = sizeof(s->name) - 1;

	s->len = 0;
	for (size_t i = 0; i < n; i++) {
		char c = v[i];

		if (c == '%') {
			int hi = i + 2 < n ? aa_hex_digit(v[i + 1]) : -1;
			int lo = hi >= 0 ? aa_hex_digit(v[i + 2]) : -1;

			if (lo < 0)
				return -1;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (s->len >= room)
			return -1;
		s->name[s->len++] = c;
	}
	if (!s->abstract)
		s->name[s->len] = '\0';
	return s->len && (s->abstract || !memchr(s->name, '\0', s->len)) ? 0 : -1;
}

/* How the socket is named in messages: control bytes shown as '?'. */
static void describe_socket(struct bus_sock *s)
{
	size_t k = 0;

	for (size_t i = 0; i < s->len && k + 1 < sizeof(s->shown); i++) {
		unsigned char c = (unsigned char)s->name[i];

		s->shown[k++] = (char)(c < 0x20 || c == 0x7f ? '?' : c);
	}
	s->shown[k] = '\0';
	if (s->abstract)
		snprintf(s->shown + k, sizeof(s->shown) - k, " (abstract socket)");
}

/* One key=value pair of a unix: address; path and abstract are what we need. */
static int take_pair(const char *p, size_t n, struct bus_sock *s, int *seen)
{
	const char *eq = memchr(p, '=', n);
	size_t klen;

	if (!eq)
		return -1;
	klen = (size_t)(eq - p);
	if ((klen == 4 && !strncmp(p, "path", 4)) ||
	    (klen == 8 && !strncmp(p, "abstract", 8))) {
		if ((*seen)++)
			return -1; /* two sockets in one address: which one would GLib use? */
		s->abstract = klen == 8;
		return decode_value(eq + 1, n - klen - 1, s);
	}
	return 0; /* guid=..., and keys we do not need */
}

static aa_status parse_entry(const char *e, size_t n, struct bus_sock *s,
			     aa_error *err)
{
	const char *colon = memchr(e, ':', n);
	const char *p, *end = e + n;
	int seen = 0;

	memset(s, 0, sizeof(*s));
	if (!colon)
		return aa_fail(err, AA_ERR_UNSUPPORTED,
			       "DBUS_SESSION_BUS_ADDRESS is not a D-Bus address (no transport)");
	if (colon - e != 4 || strncmp(e, "unix", 4))
		return aa_fail(err, AA_ERR_DENIED,
			       "the session bus address uses the '%.*s' transport, which cannot show who runs the bus",
			       (int)(colon - e < 32 ? colon - e : 32), e);
	for (p = colon + 1; p < end;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t len = (size_t)((comma ? comma : end) - p);

		if (len && take_pair(p, len, s, &seen) < 0)
			return aa_fail(err, AA_ERR_UNSUPPORTED,
				       "DBUS_SESSION_BUS_ADDRESS is not a valid unix socket address");
		p += len + 1;
	}
	if (!seen)
		return aa_fail(err, AA_ERR_UNSUPPORTED,
			       "DBUS_SESSION_BUS_ADDRESS names no socket to connect to (no path= or abstract=)");
	describe_socket(s);
	return AA_OK;
}

/* ---- who owns it ------------------------------------------------------- */

static aa_status not_yours(aa_error *err, const struct bus_sock *s,
			   const char *what, uid_t owner)
{
	return aa_fail(err, AA_ERR_DENIED,
		       "the session bus at %s %s uid %lu, not you (uid %lu)",
		       s->shown, what, (unsigned long)owner,
		       (unsigned long)geteuid());
}

/* The socket file and its directory: ours, and nobody else can replace it. */
static aa_status check_path(const struct bus_sock *s, aa_error *err)
{
	char dir[sizeof(s->name)];
	char *slash;
	struct stat sb;

	if (lstat(s->name, &sb) != 0)
		return aa_fail(err, AA_ERR_UNSUPPORTED,
			       "cannot connect to the D-Bus session bus at %s: %s",
			       s->shown, strerror(errno));
	if (!S_ISSOCK(sb.st_mode))
		return aa_fail(err, AA_ERR_DENIED,
			       "the session bus at %s is not a socket (a symbolic link or a file)",
			       s->shown);
	if (sb.st_uid != geteuid())
		return not_yours(err, s, "belongs to", sb.st_uid);
	memcpy(dir, s->name, s->len + 1);
	slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		slash[slash == dir] = '\0'; /* "/bus" -> "/" */
	if (lstat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return aa_fail(err, AA_ERR_UNSUPPORTED,
			       "cannot connect to the D-Bus session bus at %s: its directory cannot be examined",
			       s->shown);
	if (sb.st_uid != geteuid() && sb.st_uid != 0)
		return aa_fail(err, AA_ERR_DENIED,
			       "the session bus at %s is in %s, which belongs to uid %lu, not you (uid %lu)",
			       s->shown, dir, (unsigned long)sb.st_uid,
			       (unsigned long)geteuid());
	if ((sb.st_mode & (S_IWGRP | S_IWOTH)) && !(sb.st_mode & S_ISVTX))
		return aa_fail(err, AA_ERR_DENIED,
			       "the session bus at %s is in %s, which other users can change",
			       s->shown, dir);
	return AA_OK;
}

/* Whoever listens: a non-blocking probe connection and its SO_PEERCRED. */
static aa_status check_peer(const struct bus_sock *s, aa_error *err)
{
	struct sockaddr_un sa;
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	socklen_t salen;
	int fd, r, saved;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	/* An abstract name starts with a NUL byte and is exactly len bytes long. */
	memcpy(sa.sun_path + (s->abstract ? 1 : 0), s->name, s->len);
	salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + s->len +
			    (s->abstract ? 1 : 0));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return aa_fail(err, AA_ERR_UNSUPPORTED, "cannot create a socket: %s",
			       strerror(errno));
	/* Non-blocking: a full listen queue is EAGAIN, not a wait. */
	r = connect(fd, (struct sockaddr *)&sa, salen);
	if (r == 0)
		r = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen);
	saved = errno;
	close(fd);
	if (r != 0)
		return aa_fail(err, AA_ERR_UNSUPPORTED,
			       "cannot connect to the D-Bus session bus at %s: %s",
			       s->shown, strerror(saved));
	if (cred.uid != geteuid())
		return not_yours(err, s, "is run by", cred.uid);
	return AA_OK;
}

static aa_status check_sock(const struct bus_sock *s, aa_error *err)
{
	aa_status rc = s->abstract ? AA_OK : check_path(s, err);

	return rc == AA_OK ? check_peer(s, err) : rc;
}

static aa_status check_entry(const char *e, size_t n, aa_error *err)
{
	struct bus_sock s;
	aa_status rc = parse_entry(e, n, &s, err);

	return rc == AA_OK ? check_sock(&s, err) : rc;
}

aa_status aa_session_bus_check_address(const char *address, aa_error *err)
{
	const char *p = address, *end;

	if (!address || !*address)
		return aa_fail(err, AA_ERR_UNSUPPORTED, "no D-Bus session bus address");
	end = address + strlen(address);
	/*
	 * GLib tries the addresses of a list in turn, and a later one is used
	 * whenever an earlier one fails: every one must be ours.
	 */
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		size_t len = (size_t)((semi ? semi : end) - p);

		if (len) {
			aa_status rc = check_entry(p, len, err);

			if (rc != AA_OK)
				return rc;
		}
		p += len + 1;
	}
	aa_error_clear(err);
	return AA_OK;
}

/* GLib's fallback when no address is set, as the module accepts it: $XDG_RUNTIME_DIR/bus if it is a socket. */
static int runtime_bus(struct bus_sock *s)
{
	const char *run = getenv("XDG_RUNTIME_DIR");
	struct stat sb;

	memset(s, 0, sizeof(*s));
	if (!run || !*run || strlen(run) + 4 >= sizeof(s->name))
		return 0;
	snprintf(s->name, sizeof(s->name), "%s/bus", run);
	if (stat(s->name, &sb) != 0 || !S_ISSOCK(sb.st_mode))
		return 0;
	s->len = strlen(s->name);
	describe_socket(s);
	return 1;
}

aa_status aa_session_bus_check(aa_error *err)
{
	const char *addr = getenv("DBUS_SESSION_BUS_ADDRESS");
	struct bus_sock s;
	aa_status rc;

	if (addr && *addr)
		return aa_session_bus_check_address(addr, err);
	/* No bus at all is for the module to report. */
	if (!runtime_bus(&s))
		return AA_OK;
	rc = check_sock(&s, err);
	if (rc == AA_OK)
		aa_error_clear(err);
	return rc;
}
