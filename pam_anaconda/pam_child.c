/* SPDX-License-Identifier: BSD-3-Clause */
/* pam_child.c - fork + exec of a helper with dropped credentials, a clean environment, one pipe each way and a deadline. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pam_child.h"
#include "util/aa_util.h"

static int remaining_ms(long deadline)
{
	long left = deadline - aa_monotonic_ms();

	return left < 0 ? 0 : (int)(left > 60000 ? 60000 : left);
}

/* Close every descriptor from 3 up; async-signal-safe. */
static void close_from_3(long max_fd)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
		return;
#endif
	for (long fd = 3; fd < max_fd; fd++)
		close((int)fd);
}

/*
 * In the child, between fork and execve: only async-signal-safe calls,
 * because the host may be multi-threaded (gdm, polkit).
 */
static void exec_child(const pa_child *c, int request, int reply, int devnull,
		       long max_fd)
{
	struct sigaction dfl;
	sigset_t none;
	int in, out, err;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL); /* fails harmlessly for KILL/STOP */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	/* Copies above 2 first: a host with 0..2 closed may have been given
	 * one of our pipes there, and dup2 onto itself would keep CLOEXEC. */
	in = fcntl(request, F_DUPFD_CLOEXEC, 3);
	out = fcntl(reply, F_DUPFD_CLOEXEC, 3);
	err = fcntl(devnull, F_DUPFD_CLOEXEC, 3);
	if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
	    dup2(err, 2) < 0)
		_exit(PA_CHILD_EXIT_NOEXEC);
	close_from_3(max_fd);

	/* The helper dies with its parent and can never gain privileges. */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (c->drop) {
		if (setgroups(c->n_groups, c->groups) != 0 ||
		    setresgid(c->gid, c->gid, c->gid) != 0 ||
		    setresuid(c->uid, c->uid, c->uid) != 0 ||
		    getuid() != c->uid || geteuid() != c->uid ||
		    getgid() != c->gid || getegid() != c->gid)
			_exit(PA_CHILD_EXIT_NOPRIV);
	}
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	execve(c->path, (char *const *)c->argv, (char *const *)c->envp);
	_exit(PA_CHILD_EXIT_NOEXEC);
}

/*
 * The request pipe, filled before the child exists: nothing to write
 * later, so no SIGPIPE can reach the host and a child that never reads
 * cannot block us. *read_end is the child's stdin.
 */
static int request_pipe(const char *in, size_t len, int *read_end, char *why,
			size_t why_len)
{
	int p[2], ok;

	if (pipe2(p, O_CLOEXEC) != 0) {
		snprintf(why, why_len, "cannot create a pipe: %s", strerror(errno));
		return -1;
	}
	/* non-blocking: input larger than the pipe is an error, not a hang */
	ok = fcntl(p[1], F_SETFL, O_NONBLOCK) == 0;
	while (ok && len > 0) {
		ssize_t n = write(p[1], in, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EAGAIN;
			ok = 0;
			break;
		}
		in += n;
		len -= (size_t)n;
	}
	close(p[1]);
	if (!ok) {
		snprintf(why, why_len, "cannot fill the request pipe: %s",
			 strerror(errno));
		close(p[0]);
		return -1;
	}
	*read_end = p[0];
	return 0;
}

/* Read until EOF into out (excess counted, discarded). 1 on timeout. */
static int read_output(int fd, char *out, size_t out_len, size_t *total,
		       long deadline)
{
	size_t used = 0;
	char scratch[256];

	*total = 0;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int r = poll(&p, 1, remaining_ms(deadline));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return 1;
		if (used + 1 < out_len)
			n = read(fd, out + used, out_len - 1 - used);
		else
			n = read(fd, scratch, sizeof(scratch));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;
		if (used + 1 < out_len)
			used += (size_t)n;
		*total += (size_t)n;
	}
	if (out_len)
		out[used] = '\0';
	return 0;
}

/* Reap the child before the deadline, else kill it. 1 when it had to be killed. */
static int reap(pid_t pid, long deadline, int *status)
{
	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);
		struct timespec tick = { 0, 2 * 1000 * 1000 };

		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
		if (remaining_ms(deadline) == 0)
			break;
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return 1;
}

static pa_child_status verdict(int status, int timed_out, int *exit_code,
			       char *why, size_t why_len)
{
	if (timed_out) {
		snprintf(why, why_len, "the helper did not finish in time");
		return PA_CHILD_TIMEOUT;
	}
	if (WIFSIGNALED(status)) {
		snprintf(why, why_len, "the helper was killed by signal %d",
			 WTERMSIG(status));
		return PA_CHILD_DIED;
	}
	*exit_code = WEXITSTATUS(status);
	if (*exit_code == PA_CHILD_EXIT_NOEXEC) {
		snprintf(why, why_len, "the helper could not be started");
		return PA_CHILD_SPAWN_FAILED;
	}
	if (*exit_code == PA_CHILD_EXIT_NOPRIV) {
		snprintf(why, why_len, "the helper could not drop privileges");
		return PA_CHILD_DIED;
	}
	return PA_CHILD_OK;
}

pa_child_status pa_child_run(const pa_child *c, char *out, size_t out_len,
			     size_t *out_total, int *exit_code, char *why,
			     size_t why_len)
{
	long deadline = aa_monotonic_ms() + c->timeout_ms;
	long max_fd = sysconf(_SC_OPEN_MAX);
	struct sigaction dfl, saved;
	int reply[2], request, devnull, status = 0, late = 0, reaped;
	size_t total = 0;
	pid_t pid;

	*exit_code = -1;
	if (out_total)
		*out_total = 0;
	if (out_len)
		out[0] = '\0';
	if (max_fd < 0 || max_fd > 65536)
		max_fd = 65536;
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0) {
		snprintf(why, why_len, "cannot open /dev/null: %s", strerror(errno));
		return PA_CHILD_SPAWN_FAILED;
	}
	if (request_pipe(c->input, c->input_len, &request, why, why_len) != 0) {
		close(devnull);
		return PA_CHILD_SPAWN_FAILED;
	}
	if (pipe2(reply, O_CLOEXEC) != 0) {
		snprintf(why, why_len, "cannot create a pipe: %s", strerror(errno));
		close(request);
		close(devnull);
		return PA_CHILD_SPAWN_FAILED;
	}
	/* The host's SIGCHLD handler (sshd has one) must not reap our child. */
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &dfl, &saved);

	pid = fork();
	if (pid == 0)
		exec_child(c, request, reply[1], devnull, max_fd);
	close(request);
	close(reply[1]);
	close(devnull);
	if (pid < 0) {
		snprintf(why, why_len, "cannot fork: %s", strerror(errno));
		close(reply[0]);
		sigaction(SIGCHLD, &saved, NULL);
		return PA_CHILD_SPAWN_FAILED;
	}
	if (read_output(reply[0], out, out_len, &total, deadline) == 1)
		late = 1;
	close(reply[0]);
	if (out_total)
		*out_total = total;
	reaped = reap(pid, late ? aa_monotonic_ms() : deadline, &status);
	sigaction(SIGCHLD, &saved, NULL);
	if (reaped < 0) {
		snprintf(why, why_len, "the helper's exit status was lost: %s",
			 strerror(errno));
		return PA_CHILD_DIED;
	}
	if (reaped == 1)
		late = 1;
	return verdict(status, late, exit_code, why, why_len);
}
