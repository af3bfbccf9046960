/* SPDX-License-Identifier: BSD-3-Clause */
/* terminal_login.c - runs the device-flow login on /dev/tty for `get --login`. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "terminal_login.h"

#ifndef AA_BINDIR
#define AA_BINDIR "/usr/local/bin"
#endif

#define CLI_NAME "anaconda-auth"

static int prompts_disabled(void)
{
	const char *v = getenv("GIT_TERMINAL_PROMPT");

	return v && (!strcmp(v, "0") || !strcasecmp(v, "false") ||
		     !strcasecmp(v, "no") || !strcasecmp(v, "off"));
}

static char *executable_in(const char *dir)
{
	char *path = aa_asprintf("%s/%s", dir, CLI_NAME);

	if (path && access(path, X_OK) == 0)
		return path;
	free(path);
	return NULL;
}

char *gca_find_cli(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	const char *bindir = getenv("AA_BINDIR");
	char *found = NULL;

	if (n > 0) {
		char *slash;

		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			found = executable_in(self[0] ? self : "/");
		}
	}
	if (!found)
		found = executable_in(bindir && *bindir ? bindir : AA_BINDIR);
	return found ? found : aa_strdup0(CLI_NAME);
}

/* In the child: the terminal becomes stdio, and the cwd is one we trust. */
static void exec_login(int tty, const char *cli, const char *domain)
{
	char *argv[] = { (char *)CLI_NAME, (char *)"--domain", (char *)domain,
			 (char *)"login", (char *)"--device", NULL };

	if (dup2(tty, 0) < 0 || dup2(tty, 1) < 0 || dup2(tty, 2) < 0)
		_exit(127);
	/* git runs us inside a repository; the CLI must not read its ./.env. */
	if (chdir("/") != 0)
		_exit(127);
	if (strchr(cli, '/'))
		execv(cli, argv);
	else
		execvp(cli, argv);
	_exit(127);
}

aa_status gca_terminal_login(gca_ctx *ctx, aa_error *err)
{
	int tty, status = 0;
	char *cli;
	pid_t pid;

	if (prompts_disabled())
		return AA_ERR_UNSUPPORTED;
	tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (tty < 0)
		return AA_ERR_UNSUPPORTED;
	cli = gca_find_cli();
	if (!cli) {
		close(tty);
		return aa_fail(err, AA_ERR_NOMEM, "out of memory while starting the login");
	}
	pid = fork();
	if (pid == 0)
		exec_login(tty, cli, aa_config_domain(ctx->cfg));
	close(tty);
	if (pid < 0) {
		int e = errno;

		free(cli);
		return aa_fail(err, AA_ERR_GENERIC, "cannot start %s login: %s",
			       CLI_NAME, strerror(e));
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		free(cli);
		return AA_OK;
	}
	aa_fail(err, AA_ERR_LOGIN_REQUIRED,
		"'%s login --device' did not finish (%s %d); run it yourself, then retry",
		cli, WIFEXITED(status) ? "exit status" : "signal",
		WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	free(cli);
	return AA_ERR_LOGIN_REQUIRED;
}
