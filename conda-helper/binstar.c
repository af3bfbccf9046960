/* SPDX-License-Identifier: BSD-3-Clause */
/* binstar.c - conda's legacy per-URL token files, as conda's anaconda_client gateway keeps them. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binstar.h"
#include "conda_helper.h"
#include "file.h"
#include "util/aa_util.h"
#include "select.h"

#define TOKEN_SUFFIX ".token"
#define TOKEN_MAX_BYTES 16384u

char *ch_binstar_dir(void)
{
	const char *d = getenv("BINSTAR_CONFIG_DIR"), *x = getenv("XDG_CONFIG_HOME"), *h;

	if (d && *d)
		return aa_asprintf("%s/data", d);
	if (x && *x == '/')
		return aa_asprintf("%s/binstar", x);
	h = ch_home();
	return h ? aa_asprintf("%s/.config/binstar", h) : NULL;
}

/* Python's unquote_plus, refusing a broken escape or a NUL byte. malloc'd. */
static char *unquote_plus(const char *s)
{
	size_t len = strlen(s), n;
	int broken;
	char *out = aa_percent_decode(s, len, &n, &broken);

	if (out && (broken || strlen(out) != n)) {
		free(out);
		return NULL;
	}
	return out;
}

char *ch_binstar_token_path(const char *dir, const char *url)
{
	char *q = aa_percent_encode(url), *p = q ? aa_asprintf("%s/%s" TOKEN_SUFFIX, dir, q) : NULL;

	free(q);
	return p;
}

/* The URL a token file name stands for, when its host[:port] is hostport. */
static char *matching_url(const char *name, const char *hostport)
{
	size_t n = strlen(name), sl = strlen(TOKEN_SUFFIX);
	char *quoted, *url;
	struct ch_url u;

	if (n <= sl || strcmp(name + n - sl, TOKEN_SUFFIX) || name[0] == '.')
		return NULL;
	quoted = strndup(name, n - sl);
	url = quoted ? unquote_plus(quoted) : NULL;
	free(quoted);
	if (!url || ch_url_parse(url, &u, NULL) != AA_OK) {
		free(url);
		return NULL;
	}
	if (strcmp(u.hostport, hostport)) {
		free(url);
		url = NULL;
	}
	ch_url_free(&u);
	return url;
}

static aa_status read_token(const char *path, aa_secret **out, aa_error *err)
{
	char *text;
	size_t len;
	aa_status st = ch_read_file(path, TOKEN_MAX_BYTES, &text, &len, NULL, NULL, err);

	if (st != AA_OK)
		return st;
	while (len && isspace((unsigned char)text[len - 1]))
		text[--len] = '\0';
	*out = len ? aa_secret_new(text, len) : NULL;
	aa_free_secret_str(text);
	return *out ? AA_OK : AA_ERR_NOT_FOUND;
}

aa_status ch_binstar_find_token(const char *dir, const char *hostport, aa_secret **out,
			     char **url_out, aa_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char *best = NULL, *best_url = NULL, *path;
	aa_status st;

	*out = NULL;
	if (!d)
		return AA_ERR_NOT_FOUND;
	while ((de = readdir(d)) != NULL) {
		char *url = matching_url(de->d_name, hostport);

		if (url && (!best || strcmp(de->d_name, best) < 0)) {
			free(best);
			free(best_url);
			best = strdup(de->d_name);
			best_url = url;
		} else {
			free(url);
		}
	}
	closedir(d);
	if (!best) {
		free(best_url);
		return AA_ERR_NOT_FOUND;
	}
	path = aa_asprintf("%s/%s", dir, best);
	st = path ? read_token(path, out, err) : aa_oom(err);
	free(path);
	free(best);
	if (st == AA_OK && url_out)
		*url_out = best_url;
	else
		free(best_url);
	return st;
}

aa_status ch_binstar_write_token(const char *dir, const char *url, const char *token,
			      aa_error *err)
{
	char *path = ch_binstar_token_path(dir, url);
	aa_status st;

	if (!path)
		return aa_oom(err);
	st = ch_write_file(path, token, strlen(token), 0600, 1, err);
	free(path);
	return st;
}

aa_status ch_binstar_remove_token(const char *dir, const char *url, aa_error *err)
{
	char *path = ch_binstar_token_path(dir, url);
	aa_status st;

	if (!path)
		return aa_oom(err);
	st = ch_remove_file(path, err);
	free(path);
	return st;
}
