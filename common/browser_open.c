/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * browser_open.c - show a URL in the person's browser: $BROWSER (or
 * xdg-open) started with fork+exec, never through a shell, and not waited for.
 * Only https:// and file:// URLs are passed, so the argument never starts
 * with '-'. No "--" is put before it: xdg-open refuses "--", and the
 * commands in $BROWSER are arbitrary programs that may take it for a URL.
 * The browser gets our environment without the variables that hold keys.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net_internal.h"

/* Copy `word` with every "%s" replaced by url; *used is set if one was. */
static char *substitute(const char *word, size_t len, const char *url, int *used)
{
	size_t cap = len + 1, n = 0;
	char *out;

	for (size_t i = 0; i + 1 < len; i++)
		if (word[i] == '%' && word[i + 1] == 's')
			cap += strlen(url);
	out = malloc(cap);
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (word[i] == '%' && i + 1 < len && word[i + 1] == 's') {
			memcpy(out + n, url, strlen(url));
			n += strlen(url);
			i++;
			*used = 1;
		} else {
			out[n++] = word[i];
		}
	}
	out[n] = '\0';
	return out;
}

char **aa_browser_argv(const char *command, const char *url)
{
	size_t max = strlen(command) / 2 + 3, argc = 0;
	char **argv = calloc(max, sizeof(*argv));
	const char *p = command;
	int used = 0;

	if (!argv)
		return NULL;
	while (*p) {
		size_t len;

		p += strspn(p, " \t");
		len = strcspn(p, " \t");
		if (len == 0)
			break;
		if (!(argv[argc++] = substitute(p, len, url, &used)))
			goto fail;
		p += len;
	}
	if (argc == 0)
		goto fail;
	if (!used && !(argv[argc++] = strdup(url)))
		goto fail;
	return argv;
fail:
	aa_strv_free(argv);
	return NULL;
}

static void quiet_stdio(void)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	/* the browser must not write into our output or hold our pipes open */
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
}

/*
 * Settings that hold keys. A browser is a large, long-lived program that
 * starts others (helpers, crash reporters) and keeps its environment in
 * /proc: it has no use for a key, so it never inherits one from us.
 */
static const char *const key_vars[] = {
	"ANACONDA_AUTH_API_KEY", "ANACONDA_CLOUD_API_KEY",
	"ANACONDA_AUTH_KEYRING", "ANACONDA_CLOUD_KEYRING", NULL,
};

static int is_key_var(const char *entry)
{
	for (size_t i = 0; key_vars[i]; i++) {
		size_t n = strlen(key_vars[i]);

		if (!strncmp(entry, key_vars[i], n) && entry[n] == '=')
			return 1;
	}
	return 0;
}

/* environ without key_vars: a vector of pointers into it, built before fork. */
static char **browser_environ(void)
{
	size_t n = 0, k = 0;
	char **envp;

	while (environ[n])
		n++;
	envp = calloc(n + 1, sizeof(*envp));
	for (size_t i = 0; envp && i < n; i++)
		if (!is_key_var(environ[i]))
			envp[k++] = environ[i];
	return envp;
}

/*
 * Start argv detached (double fork, so no zombie is left behind). Returns 0
 * when exec succeeded, else the errno of the failure.
 */
static int spawn_detached(char **argv)
{
	int pipefd[2], status = 0, child_errno = 0;
	char **envp = browser_environ();
	pid_t pid;

	if (!envp)
		return ENOMEM;
	if (pipe2(pipefd, O_CLOEXEC) != 0) {
		free(envp);
		return errno;
	}
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(pipefd[0]);
		close(pipefd[1]);
		free(envp);
		return e;
	}
	if (pid == 0) {
		close(pipefd[0]);
		setsid();
		if (fork() == 0) {
			quiet_stdio();
			execvpe(argv[0], argv, envp);
			child_errno = errno;
			if (write(pipefd[1], &child_errno, sizeof(child_errno)) < 0)
				_exit(127);
			_exit(127);
		}
		_exit(0);
	}
	close(pipefd[1]);
	free(envp);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	/* EOF without data means exec closed the pipe: the browser started */
	while (read(pipefd[0], &child_errno, sizeof(child_errno)) < 0 && errno == EINTR)
		;
	close(pipefd[0]);
	return child_errno;
}

static int try_command(const char *command, const char *url)
{
	char **argv = aa_browser_argv(command, url);
	int e;

	if (!argv)
		return ENOMEM;
	e = spawn_detached(argv);
	aa_strv_free(argv);
	return e;
}

aa_status aa_browser_open(const char *url, aa_error *err)
{
	const char *env = getenv("BROWSER");
	const char *what = env && *env ? "$BROWSER" : "xdg-open";
	char *list, *save = NULL;
	int e = ENOENT;

	/* anything else could be an option (--gpu-launcher=...) or a local program */
	if (strncmp(url, "https://", 8) != 0 && strncmp(url, "file:///", 8) != 0)
		return aa_fail(err, AA_ERR_USAGE, "not opening '%.80s' in a browser: only https:// "
			       "and file:// URLs are opened", url);
	if (!env || !*env)
		env = "xdg-open";
	list = strdup(env);
	if (!list)
		return aa_oom(err);
	/* $BROWSER may list several commands, colon-separated; the first that starts wins */
	for (char *cmd = strtok_r(list, ":", &save); cmd; cmd = strtok_r(NULL, ":", &save)) {
		e = try_command(cmd, url);
		if (e == 0)
			break;
	}
	free(list);
	if (e != 0)
		return aa_fail(err, AA_ERR_UNSUPPORTED, "could not start a browser (%s: %s)",
			       what, strerror(e));
	return AA_OK;
}
