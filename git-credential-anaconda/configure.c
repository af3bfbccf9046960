/* SPDX-License-Identifier: BSD-3-Clause */
/* configure.c - writes and removes git's credential.<url>.helper entries via `git config`. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "configure.h"
#include "hosts.h"
#include "util/aa_util.h"

#define HELPER_NAME "anaconda"
#define HELPER_FILE "git-credential-anaconda"

/*
 * Our entries: the empty reset line, "anaconda ..." and "/any/path/
 * git-credential-anaconda ...", so either form (or a path from an earlier
 * install elsewhere) is replaced or removed, and nothing else.
 */
#define OURS_REGEX \
	"^((" HELPER_NAME "|/([^[:space:]]*/)?" HELPER_FILE ")( .*)?)?$"

/* Why git's shell would misread a path: its characters that mean something. */
#define SHELL_USE ", which the shell that git runs helpers through would interpret"
static const struct {
	char c;
	const char *problem;
} shell_chars[] = {
	{ ' ', "contains a space, where the shell that git runs helpers through would split it" },
	{ '\'', "contains a single quote" SHELL_USE },
	{ '"', "contains a double quote" SHELL_USE },
	{ '$', "contains '$'" SHELL_USE },
	{ '`', "contains '`'" SHELL_USE },
	{ '\\', "contains a backslash" SHELL_USE },
	{ ';', "contains ';'" SHELL_USE },
	{ '&', "contains '&'" SHELL_USE },
	{ '|', "contains '|'" SHELL_USE },
	{ '<', "contains '<'" SHELL_USE },
	{ '>', "contains '>'" SHELL_USE },
	{ '(', "contains '('" SHELL_USE },
	{ ')', "contains ')'" SHELL_USE },
	{ '*', "contains '*'" SHELL_USE },
	{ '?', "contains '?'" SHELL_USE },
	{ '[', "contains '['" SHELL_USE },
	{ ']', "contains ']'" SHELL_USE },
	{ '{', "contains '{'" SHELL_USE },
	{ '}', "contains '}'" SHELL_USE },
	{ '~', "contains '~'" SHELL_USE },
	{ '!', "contains '!'" SHELL_USE },
	{ '#', "contains '#'" SHELL_USE },
};

/* Is host already served by the list (the domain or an earlier --host)? */
static int listed(const char *host, const char *domain, const char *const *hosts,
		  size_t before)
{
	if (gca_host_equal(host, domain))
		return 1;
	for (size_t i = 0; i < before; i++)
		if (gca_host_equal(host, hosts[i]))
			return 1;
	return 0;
}

char **gca_configure_urls(const char *domain, const char *const *hosts)
{
	char **v = NULL;
	size_t n = 0;

	if (aa_strv_push(&v, &n, aa_asprintf("https://%s", domain)) < 0)
		goto fail;
	for (size_t i = 0; hosts && hosts[i]; i++)
		if (!listed(hosts[i], domain, hosts, i) &&
		    aa_strv_push(&v, &n, aa_asprintf("https://%s", hosts[i])) < 0)
			goto fail;
	return v;
fail:
	aa_strv_free(v);
	return NULL;
}

char **gca_configure_legacy_urls(const char *domain)
{
	char **v = NULL;
	size_t n = 0;

	if (aa_strv_push(&v, &n, aa_asprintf("https://*.%s", domain)) < 0)
		goto fail;
	for (size_t i = 0; aa_anaconda_domains[i]; i++) {
		if (strcmp(domain, aa_anaconda_domains[i]) &&
		    aa_strv_push(&v, &n, aa_asprintf("https://%s", aa_anaconda_domains[i])) < 0)
			goto fail;
		if (strcmp(domain, aa_anaconda_domains[i]) &&
		    aa_strv_push(&v, &n, aa_asprintf("https://*.%s", aa_anaconda_domains[i])) < 0)
			goto fail;
	}
	return v;
fail:
	aa_strv_free(v);
	return NULL;
}

char *gca_configure_helper_value(const char *helper, const char *domain,
				 const char *host)
{
	if (!helper)
		helper = HELPER_NAME;
	return host ? aa_asprintf("%s --domain %s --host %s", helper, domain, host)
		    : aa_asprintf("%s --domain %s", helper, domain);
}

static const char *char_problem(unsigned char c)
{
	/* Tabs and newlines too: the shell splits at them or ends the command. */
	if (c < 0x20 || c == 0x7f)
		return "contains a control character" SHELL_USE;
	for (size_t i = 0; i < sizeof(shell_chars) / sizeof(shell_chars[0]); i++)
		if (shell_chars[i].c == (char)c)
			return shell_chars[i].problem;
	return NULL;
}

const char *gca_configure_path_problem(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	if (!path || path[0] != '/')
		return "is not an absolute path";
	if (!slash || strcmp(slash + 1, HELPER_FILE))
		return "does not end in /" HELPER_FILE
		       ", so unconfigure could not recognise it";
	for (const char *p = path; *p; p++) {
		const char *problem = char_problem((unsigned char)*p);

		if (problem)
			return problem;
	}
	return NULL;
}

/* A copy of path fit for a message: control characters become '?'. */
static char *path_for_message(const char *path)
{
	char *copy = aa_strdup0(path);

	for (char *p = copy; p && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return copy;
}

char *gca_configure_own_path(char **why)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	const char *problem;
	char *real, *shown;

	*why = NULL;
	if (n < 0 || (size_t)n >= sizeof(self) - 1) {
		*why = aa_asprintf("cannot read this program's path from /proc/self/exe (%s)",
				   n < 0 ? strerror(errno) : "too long");
		return NULL;
	}
	self[n] = '\0';
	real = realpath(self, NULL);
	if (!real) {
		shown = path_for_message(self);
		*why = aa_asprintf("cannot resolve this program's path '%s' (%s)",
				   shown ? shown : "", strerror(errno));
		free(shown);
		return NULL;
	}
	problem = gca_configure_path_problem(real);
	if (!problem)
		return real;
	shown = path_for_message(real);
	*why = aa_asprintf("this program's path '%s' %s", shown ? shown : "", problem);
	free(shown);
	free(real);
	return NULL;
}

int gca_configure_in_build_tree(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *stamp;
	int found;

	if (!slash || slash - path < 4 || strncmp(slash - 4, "/bin", 4))
		return 0;
	stamp = aa_asprintf("%.*s/paths.stamp", (int)(slash - 4 - path), path);
	found = stamp && access(stamp, F_OK) == 0;
	free(stamp);
	return found;
}

/*
 * Run `git config <scope> args...` with argv (no shell). Returns git's exit
 * status, or -1 when it could not run. Its stdout is discarded (a lookup
 * is answered by the status alone); `quiet` discards stderr too.
 */
static int git_config(const gca_configure_opts *o, const char *const *args,
		      int quiet)
{
	const char *argv[16];
	size_t n = 0;
	int status;
	pid_t pid;

	argv[n++] = "git";
	argv[n++] = "config";
	argv[n++] = o->scope ? o->scope : "--global";
	if (o->scope && !strcmp(o->scope, "--file"))
		argv[n++] = o->file;
	for (size_t i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, 1);
			if (quiet)
				dup2(null, 2);
		}
		execvp(o->git ? o->git : "git", (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static aa_status git_failed(aa_error *err, const char *what, const char *url, int rc)
{
	if (rc == 127 || rc < 0)
		return aa_fail(err, AA_ERR_GENERIC,
			       "cannot run git to %s the helper for %s (is git installed and on PATH?)",
			       what, url);
	return aa_fail(err, AA_ERR_GENERIC,
		       "git config failed (exit status %d) while trying to %s the helper for %s",
		       rc, what, url);
}

static char *helper_key(const char *url)
{
	return aa_asprintf("credential.%s.helper", url);
}

/* Exit status 5 means "nothing matched", which is fine when removing. */
static int unset_ours(const gca_configure_opts *o, const char *key)
{
	const char *args[] = { "--unset-all", key, OURS_REGEX, NULL };
	int rc = git_config(o, args, 0);

	return rc == 5 ? 0 : rc;
}

static aa_status configure_one(const gca_configure_opts *o, const char *url,
			       const char *value, aa_error *err)
{
	char *key = helper_key(url);
	const char *reset[] = { "--add", key, "", NULL };
	const char *add[] = { "--add", key, value, NULL };
	int rc;

	if (!key)
		return aa_oom(err);
	/* Running configure twice must not stack duplicate entries. */
	rc = unset_ours(o, key);
	if (rc == 0)
		rc = git_config(o, reset, 0);
	if (rc == 0)
		rc = git_config(o, add, 0);
	free(key);
	return rc == 0 ? AA_OK : git_failed(err, "configure", url, rc);
}

/* Remove the [credential "<url>"] section when nothing else is left in it. */
static int remove_empty_section(const gca_configure_opts *o, const char *url)
{
	char *section = aa_asprintf("credential.%s", url);
	char *pattern = NULL;
	size_t len = 0;
	int rc = -1;

	if (!section)
		return -1;
	/* A regex that matches exactly this section's keys. */
	pattern = malloc(2 * strlen(section) + 8);
	if (pattern) {
		pattern[len++] = '^';
		for (const char *p = section; *p; p++) {
			if (strchr(".^$*+?()[]{}|\\", *p))
				pattern[len++] = '\\';
			pattern[len++] = *p;
		}
		memcpy(pattern + len, "\\.", 3);
		{
			const char *probe[] = { "--get-regexp", pattern, NULL };
			const char *remove[] = { "--remove-section", section, NULL };

			rc = git_config(o, probe, 1);
			rc = rc == 1 ? git_config(o, remove, 1) : 0;
		}
	}
	free(pattern);
	free(section);
	return rc;
}

/* git runs helper strings through the shell: the domain must be inert there. */
static int shell_safe_domain(const char *d)
{
	if (!d || !*d)
		return 0;
	for (; *d; d++)
		if (!((*d >= 'a' && *d <= 'z') || (*d >= 'A' && *d <= 'Z') ||
		      (*d >= '0' && *d <= '9') || strchr(".-_:", *d)))
			return 0;
	return 1;
}

/* Check what goes into git's shell command before anything is written. */
static aa_status check_opts(const gca_configure_opts *o, aa_error *err)
{
	if (o->helper && gca_configure_path_problem(o->helper))
		return aa_fail(err, AA_ERR_USAGE,
			       "the helper path '%s' cannot be given to git; configure with --by-name",
			       o->helper);
	if (!shell_safe_domain(o->domain))
		return aa_fail(err, AA_ERR_USAGE,
			       "the domain '%s' is not a plain host[:port]; give one with --domain",
			       o->domain ? o->domain : "");
	for (size_t i = 0; o->hosts && o->hosts[i]; i++)
		if (!gca_host_valid(o->hosts[i]))
			return aa_fail(err, AA_ERR_USAGE,
				       "the host '%s' is not a plain host[:port]; check --host",
				       o->hosts[i]);
	return AA_OK;
}

/* Remove our entries under each URL (and the section, when left empty). */
static aa_status remove_all(const gca_configure_opts *o, char **urls, aa_error *err)
{
	for (size_t i = 0; urls[i]; i++) {
		char *key = helper_key(urls[i]);
		int rc = key ? unset_ours(o, key) : -1;

		free(key);
		if (rc != 0)
			return git_failed(err, "remove", urls[i], rc);
		remove_empty_section(o, urls[i]);
	}
	return AA_OK;
}

/*
 * The first URL is the domain's own (helper pinned to the domain); each
 * later one is a --host's, whose helper also names that host.
 */
static aa_status install_all(const gca_configure_opts *o, char **urls, aa_error *err)
{
	aa_status st = AA_OK;

	for (size_t i = 0; urls[i] && st == AA_OK; i++) {
		const char *host = i ? urls[i] + strlen("https://") : NULL;
		char *value = gca_configure_helper_value(o->helper, o->domain, host);

		st = value ? configure_one(o, urls[i], value, err)
			   : aa_oom(err);
		free(value);
	}
	return st;
}

static aa_status for_each_url(const gca_configure_opts *o, int install,
			      aa_error *err)
{
	char **urls = NULL, **legacy = NULL;
	aa_status st = check_opts(o, err);

	if (st != AA_OK)
		return st;
	urls = gca_configure_urls(o->domain, o->hosts);
	legacy = gca_configure_legacy_urls(o->domain);
	if (!urls || !legacy) {
		aa_oom(err);
		st = AA_ERR_NOMEM;
	}
	/* The wide entries of earlier versions go either way: narrow is the rule now. */
	if (st == AA_OK)
		st = remove_all(o, legacy, err);
	if (st == AA_OK)
		st = install ? install_all(o, urls, err) : remove_all(o, urls, err);
	aa_strv_free(urls);
	aa_strv_free(legacy);
	return st;
}

aa_status gca_configure(const gca_configure_opts *o, aa_error *err)
{
	return for_each_url(o, 1, err);
}

aa_status gca_unconfigure(const gca_configure_opts *o, aa_error *err)
{
	return for_each_url(o, 0, err);
}
