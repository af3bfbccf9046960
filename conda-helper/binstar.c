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

char *binstar_dir(void)
{
	const char *d = getenv("BINSTAR_CONFIG_DIR"), *x = getenv("XDG_CONFIG_HOME"), *h;

	if (d && *d)
		return aa_asprintf("%s/data", d);
	if (x && *x == '/')
		return aa_asprintf("%s/binstar", x);
	h = ch_home();
	return h ? aa_asprintf("%s/.config/binstar", h) : NULL;
}

char *binstar_quote_plus(const char *s)
{
	char *out = malloc(3 * strlen(s) + 1), *o = out;

	if (!out)
		return NULL;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || strchr("_.-~", c)) {
			*o++ = (char)c;
		} else if (c == ' ') {
			*o++ = '+';
		} else {
			snprintf(o, 4, "%%%02X", c);
			o += 3;
		}
	}
	*o = '\0';
	return out;
}

char *binstar_unquote_plus(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	if (!out)
		return NULL;
	for (; *s; s++) {
		if (*s == '+') {
			*o++ = ' ';
		} else if (*s == '%') {
			int hi = aa_hex_digit(s[1]), lo = hi < 0 ? -1 : aa_hex_digit(s[2]);

			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
				free(out);
				return NULL;
			}
			*o++ = (char)(hi * 16 + lo);
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

char *binstar_token_path(const char *dir, const char *url)
{
	char *q = binstar_quote_plus(url), *p = q ? aa_asprintf("%s/%s" TOKEN_SUFFIX, dir, q) : NULL;

	free(q);
	return p;
}

/* The URL a token file name stands for, when its host[:port] is hostport. */
static char *matching_url(const char *name, const char *hostport)
{
	size_t n = strlen(name), sl = strlen(TOKEN_SUFFIX);
	char *quoted, *url;
	struct conda_url u;

	if (n <= sl || strcmp(name + n - sl, TOKEN_SUFFIX) || name[0] == '.')
		return NULL;
	quoted = strndup(name, n - sl);
	url = quoted ? binstar_unquote_plus(quoted) : NULL;
	free(quoted);
	if (!url || conda_url_parse(url, &u, NULL) != AA_OK) {
		free(url);
		return NULL;
	}
	if (strcmp(u.hostport, hostport)) {
		free(url);
		url = NULL;
	}
	conda_url_free(&u);
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

aa_status binstar_find_token(const char *dir, const char *hostport, aa_secret **out,
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
	st = path ? read_token(path, out, err) : aa_fail(err, AA_ERR_NOMEM, "out of memory");
	free(path);
	free(best);
	if (st == AA_OK && url_out)
		*url_out = best_url;
	else
		free(best_url);
	return st;
}

aa_status binstar_write_token(const char *dir, const char *url, const char *token,
			      aa_error *err)
{
	char *path = binstar_token_path(dir, url);
	aa_status st;

	if (!path)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	st = ch_write_file(path, token, strlen(token), 0600, 1, err);
	free(path);
	return st;
}

aa_status binstar_remove_token(const char *dir, const char *url, aa_error *err)
{
	char *path = binstar_token_path(dir, url);
	aa_status st;

	if (!path)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	st = ch_remove_file(path, err);
	free(path);
	return st;
}
