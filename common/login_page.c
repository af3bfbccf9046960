/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * login_page.c - a private page that forwards the browser to a login URL,
 * so the browser's command line (which every local user can read in
 * /proc/PID/cmdline) names only that page and never the URL's state,
 * PKCE challenge or device code.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net_internal.h"
#include "util/aa_util.h"

#define PAGE_NAME "login.html"

/* Where the page's directory goes: the person's runtime directory, else $TMPDIR or /tmp. */
static const char *base_dir(void)
{
	const char *run = getenv("XDG_RUNTIME_DIR"), *tmp = getenv("TMPDIR");
	struct stat st;

	/* the runtime directory is only used when it is what the XDG spec promises */
	if (run && run[0] == '/' && stat(run, &st) == 0 && S_ISDIR(st.st_mode) &&
	    st.st_uid == geteuid() && (st.st_mode & 077) == 0)
		return run;
	return tmp && tmp[0] == '/' ? tmp : "/tmp";
}

/* s with &, <, >, " and ' escaped for an HTML attribute (malloc'd). */
static char *html_attr(const char *s)
{
	char *out = malloc(strlen(s) * 6 + 1), *o = out;

	if (!out)
		return NULL;
	for (; *s; s++) {
		const char *rep = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
				: *s == '"' ? "&quot;" : *s == '\'' ? "&#39;" : NULL;

		if (rep) {
			memcpy(o, rep, strlen(rep));
			o += strlen(rep);
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

/* file:// URL of an absolute path, percent-encoding all but unreserved bytes and '/'. */
static char *file_url(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen("file://") + strlen(path) * 3 + 1), *o;

	if (!out)
		return NULL;
	memcpy(out, "file://", strlen("file://"));
	o = out + strlen("file://");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._~-", *p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

/* The page: an immediate refresh to the target, and a link for browsers that refuse it. */
static char *page_text(const char *target)
{
	char *attr = html_attr(target), *text;

	if (!attr)
		return NULL;
	text = aa_asprintf("<!doctype html>\n<html><head><meta charset=\"utf-8\">\n"
			   "<meta name=\"referrer\" content=\"no-referrer\">\n"
			   "<meta http-equiv=\"refresh\" content=\"0;url=%s\">\n"
			   "<title>Anaconda login</title></head>\n"
			   "<body><p>Opening the Anaconda login page&hellip; "
			   "If nothing happens, <a href=\"%s\">continue here</a>.</p></body></html>\n",
			   attr, attr);
	aa_free_secret_str(attr);
	return text;
}

/* Make the fresh 0700 directory; pg->dir and pg->dirfd are set on success. */
static aa_status make_private_dir(aa_login_page *pg, aa_error *err)
{
	struct stat st;

	pg->dir = aa_asprintf("%s/anaconda-auth-login-XXXXXX", base_dir());
	if (!pg->dir)
		return aa_oom(err);
	if (!mkdtemp(pg->dir)) {
		int e = errno;

		free(pg->dir);
		pg->dir = NULL;
		return aa_fail(err, AA_ERR_GENERIC, "cannot create a private directory for the login page "
			       "in %s: %s", base_dir(), strerror(e));
	}
	pg->dirfd = open(pg->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	/* mkdtemp made it 0700 and ours; anything else means someone swapped it */
	if (pg->dirfd < 0 || fstat(pg->dirfd, &st) != 0 || st.st_uid != geteuid() ||
	    (st.st_mode & 0777) != 0700)
		return aa_fail(err, AA_ERR_GENERIC, "the private directory %s for the login page was "
			       "replaced by someone else; not using it", pg->dir);
	return AA_OK;
}

aa_status aa_login_page_write(const char *target, aa_login_page *pg, aa_error *err)
{
	char *text = NULL, *path = NULL;
	aa_status st;

	memset(pg, 0, sizeof(*pg));
	pg->dirfd = -1;
	st = make_private_dir(pg, err);
	if (st == AA_OK && (!(text = page_text(target)) ||
			    !(path = aa_asprintf("%s/%s", pg->dir, PAGE_NAME)) ||
			    !(pg->url = file_url(path))))
		st = aa_oom(err);
	if (st == AA_OK && text) {
		int fd = openat(pg->dirfd, PAGE_NAME,
				O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

		if (fd < 0 || aa_write_all(fd, text, strlen(text)) != 0)
			st = aa_fail(err, AA_ERR_GENERIC, "cannot write the login page %s: %s", path,
				     strerror(errno));
		if (fd >= 0 && close(fd) != 0 && st == AA_OK)
			st = aa_fail(err, AA_ERR_GENERIC, "cannot write the login page %s: %s", path,
				     strerror(errno));
	}
	aa_free_secret_str(text);
	free(path);
	if (st != AA_OK)
		aa_login_page_remove(pg);
	return st;
}

void aa_login_page_remove(aa_login_page *pg)
{
	if (pg->dirfd >= 0) {
		unlinkat(pg->dirfd, PAGE_NAME, 0);
		close(pg->dirfd);
	}
	if (pg->dir)
		rmdir(pg->dir);
	free(pg->dir);
	free(pg->url);
	memset(pg, 0, sizeof(*pg));
	pg->dirfd = -1;
}

aa_status aa_login_page_open(const char *target, aa_login_page *pg, aa_error *err)
{
	aa_status st = aa_login_page_write(target, pg, err);

	return st == AA_OK ? aa_browser_open(pg->url, err) : st;
}
