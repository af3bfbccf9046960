/* pam_child.c - fork + exec of a helper with dropped credentials, a clean environment and a deadline. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pam_child.h"

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int remaining_ms(long deadline)
{
	long left = deadline - now_ms();

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
static void exec_child(const pa_child *c, int sock, int devnull, long max_fd)
{
	struct sigaction dfl;
	sigset_t none;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL); /* fails harmlessly for KILL/STOP */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	if (dup2(sock, 0) < 0 || dup2(sock, 1) < 0 || dup2(devnull, 2) < 0)
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

/* Send the input, then EOF. MSG_NOSIGNAL: a dead child must not SIGPIPE the host. */
static int send_input(int fd, const char *in, size_t len, long deadline)
{
	while (len > 0) {
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		ssize_t n;
		int r = poll(&p, 1, remaining_ms(deadline));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r == 0 ? 1 : -1;
		n = send(fd, in, len, MSG_NOSIGNAL);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -1; /* the child is gone; its exit status will say why */
		in += n;
		len -= (size_t)n;
	}
	shutdown(fd, SHUT_WR);
	return 0;
}

/* Read until EOF into out (excess discarded). 1 on timeout. */
static int read_output(int fd, char *out, size_t out_len, long deadline)
{
	size_t used = 0;
	char scratch[256];

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
			n = recv(fd, out + used, out_len - 1 - used, 0);
		else
			n = recv(fd, scratch, sizeof(scratch), 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;
		if (used + 1 < out_len)
			used += (size_t)n;
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
			     int *exit_code, char *why, size_t why_len)
{
	long deadline = now_ms() + c->timeout_ms;
	long max_fd = sysconf(_SC_OPEN_MAX);
	struct sigaction dfl, saved;
	int sv[2], devnull, status = 0, late = 0, reaped;
	pid_t pid;

	*exit_code = -1;
	if (out_len)
		out[0] = '\0';
	if (max_fd < 0 || max_fd > 65536)
		max_fd = 65536;
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0) {
		snprintf(why, why_len, "cannot open /dev/null: %s", strerror(errno));
		return PA_CHILD_SPAWN_FAILED;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		snprintf(why, why_len, "cannot create a socket pair: %s",
			 strerror(errno));
		close(devnull);
		return PA_CHILD_SPAWN_FAILED;
	}
	/* The host's SIGCHLD handler (sshd has one) must not reap our child. */
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &dfl, &saved);

	pid = fork();
	if (pid == 0)
		exec_child(c, sv[1], devnull, max_fd);
	close(sv[1]);
	close(devnull);
	if (pid < 0) {
		snprintf(why, why_len, "cannot fork: %s", strerror(errno));
		close(sv[0]);
		sigaction(SIGCHLD, &saved, NULL);
		return PA_CHILD_SPAWN_FAILED;
	}
	if (send_input(sv[0], c->input, c->input_len, deadline) == 1 ||
	    read_output(sv[0], out, out_len, deadline) == 1)
		late = 1;
	close(sv[0]);
	reaped = reap(pid, late ? now_ms() : deadline, &status);
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
