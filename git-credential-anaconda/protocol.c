/* SPDX-License-Identifier: BSD-3-Clause */
/* protocol.c - reader and printer of git's key=value credential protocol. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/aa_util.h"
#include "protocol.h"

static void list_clear(gca_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		aa_free_secret_str(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
	l->cap = 0;
}

void gca_request_free(gca_request *req)
{
	char **scalars[] = { &req->protocol, &req->host, &req->path,
			     &req->username, &req->password,
			     &req->password_expiry_utc, &req->oauth_refresh_token,
			     &req->authtype, &req->credential, &req->ephemeral };

	for (size_t i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++) {
		aa_free_secret_str(*scalars[i]);
		*scalars[i] = NULL;
	}
	list_clear(&req->capability);
	list_clear(&req->wwwauth);
	list_clear(&req->state);
}

int gca_request_has_capability(const gca_request *req, const char *name)
{
	for (size_t i = 0; i < req->capability.n; i++)
		if (!strcmp(req->capability.v[i], name))
			return 1;
	return 0;
}

static char *dup_value(const char *v, size_t n)
{
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, v, n);
		s[n] = '\0';
	}
	return s;
}

/* git's rule for key[]: each value appends, an empty value clears the list. */
static aa_status list_add(gca_list *l, const char *v, size_t n)
{
	char **grown;

	if (n == 0) {
		list_clear(l);
		return AA_OK;
	}
	if (l->n == l->cap) { /* doubling: many values stay linear */
		size_t cap = l->cap ? 2 * l->cap : 4;

		grown = realloc(l->v, cap * sizeof(*grown));
		if (!grown)
			return AA_ERR_NOMEM;
		l->v = grown;
		l->cap = cap;
	}
	l->v[l->n] = dup_value(v, n);
	if (!l->v[l->n])
		return AA_ERR_NOMEM;
	l->n++;
	return AA_OK;
}

static aa_status set_scalar(char **slot, const char *v, size_t n)
{
	char *s = dup_value(v, n);

	if (!s)
		return AA_ERR_NOMEM;
	aa_free_secret_str(*slot);
	*slot = s;
	return AA_OK;
}

/* The slot a single-valued key fills, or NULL for keys we do not use. */
static char **scalar_slot(gca_request *req, const char *key, size_t klen)
{
	static const struct {
		const char *name;
		size_t off;
	} keys[] = {
		{ "protocol", offsetof(gca_request, protocol) },
		{ "host", offsetof(gca_request, host) },
		{ "path", offsetof(gca_request, path) },
		{ "username", offsetof(gca_request, username) },
		{ "password", offsetof(gca_request, password) },
		{ "password_expiry_utc", offsetof(gca_request, password_expiry_utc) },
		{ "oauth_refresh_token", offsetof(gca_request, oauth_refresh_token) },
		{ "authtype", offsetof(gca_request, authtype) },
		{ "credential", offsetof(gca_request, credential) },
		{ "ephemeral", offsetof(gca_request, ephemeral) },
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].name) == klen && !memcmp(keys[i].name, key, klen))
			return (char **)(void *)((char *)req + keys[i].off);
	return NULL;
}

static gca_list *list_slot(gca_request *req, const char *key, size_t klen)
{
	if (klen == 12 && !memcmp(key, "capability[]", 12))
		return &req->capability;
	if (klen == 9 && !memcmp(key, "wwwauth[]", 9))
		return &req->wwwauth;
	if (klen == 7 && !memcmp(key, "state[]", 7))
		return &req->state;
	return NULL;
}

static aa_status store_attribute(gca_request *req, const char *line, size_t n,
				 aa_error *err)
{
	const char *eq = memchr(line, '=', n);
	size_t klen, vlen;
	char **slot;
	gca_list *list;
	aa_status st = AA_OK;

	if (!eq)
		return aa_fail(err, AA_ERR_PARSE,
			       "a credential line has no '=' (expected key=value lines from git)");
	klen = (size_t)(eq - line);
	vlen = n - klen - 1;
	if ((slot = scalar_slot(req, line, klen)) != NULL)
		st = set_scalar(slot, eq + 1, vlen);
	else if ((list = list_slot(req, line, klen)) != NULL)
		st = list_add(list, eq + 1, vlen);
	/* Unknown keys are ignored on purpose: newer gits send more of them. */
	if (st != AA_OK)
		return aa_fail(err, st, "out of memory while reading the credential description");
	return AA_OK;
}

/*
 * One line starting at text[pos]: sets *content_len (without LF or CRLF)
 * and *next (the offset after the line). A line that is too long or that
 * holds NUL or a bare CR is rejected before anything is stored.
 */
static aa_status split_line(const char *text, size_t len, size_t pos,
			    size_t *content_len, size_t *next, aa_error *err)
{
	const char *line = text + pos;
	const char *lf = memchr(line, '\n', len - pos);
	size_t n = lf ? (size_t)(lf - line) : len - pos;
	size_t total = n + (lf ? 1 : 0);

	if (total > GCA_MAX_LINE)
		return aa_fail(err, AA_ERR_PARSE,
			       "a credential line is longer than %u bytes (git's limit)",
			       GCA_MAX_LINE);
	*next = pos + total;
	if (lf && n > 0 && line[n - 1] == '\r')
		n--;
	if (memchr(line, '\0', n))
		return aa_fail(err, AA_ERR_PARSE,
			       "a credential value contains a NUL byte");
	if (memchr(line, '\r', n))
		return aa_fail(err, AA_ERR_PARSE,
			       "a credential value contains a carriage return");
	*content_len = n;
	return AA_OK;
}

aa_status gca_request_parse(const char *text, size_t len, gca_request *req,
			    size_t *consumed, aa_error *err)
{
	size_t pos = 0;

	memset(req, 0, sizeof(*req));
	while (pos < len) {
		size_t n = 0, next = len;
		aa_status st = split_line(text, len, pos, &n, &next, err);

		if (st == AA_OK && n == 0) {
			pos = next;
			break;
		}
		if (st == AA_OK)
			st = store_attribute(req, text + pos, n, err);
		if (st != AA_OK) {
			gca_request_free(req);
			return st;
		}
		pos = next;
	}
	if (consumed)
		*consumed = pos;
	return AA_OK;
}

/*
 * Offset just past the blank line that ends the description, or 0 while
 * it has not arrived. *scan remembers where the unfinished line starts.
 * *too_long is set as soon as a line exceeds git's limit.
 */
static size_t find_end(const char *buf, size_t len, size_t *scan, int *too_long)
{
	while (*scan < len) {
		const char *lf = memchr(buf + *scan, '\n', len - *scan);
		size_t n;

		if (!lf) {
			if (len - *scan > GCA_MAX_LINE)
				*too_long = 1;
			return 0;
		}
		n = (size_t)(lf - (buf + *scan));
		if (n == 0 || (n == 1 && buf[*scan] == '\r'))
			return (size_t)(lf - buf) + 1;
		*scan += n + 1;
	}
	return 0;
}

aa_status gca_request_read(int fd, gca_request *req, aa_error *err)
{
	size_t cap = 4096, used = 0, scan = 0, end = 0;
	char *buf = malloc(cap);
	int too_long = 0;
	aa_status st;

	memset(req, 0, sizeof(*req));
	if (!buf)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory while reading the credential description");
	while (!end && !too_long) {
		ssize_t r;

		if (used == cap) {
			char *bigger;

			if (cap >= GCA_MAX_INPUT) {
				aa_memzero(buf, used);
				free(buf);
				return aa_fail(err, AA_ERR_PARSE,
					       "the credential description is larger than %u bytes",
					       GCA_MAX_INPUT);
			}
			bigger = aa_grow_wiped(buf, used, cap * 2);
			if (!bigger) {
				aa_memzero(buf, used); /* it may hold a password */
				free(buf);
				return aa_fail(err, AA_ERR_NOMEM, "out of memory while reading the credential description");
			}
			buf = bigger;
			cap *= 2;
		}
		r = read(fd, buf + used, cap - used);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			aa_memzero(buf, used);
			free(buf);
			return aa_fail(err, AA_ERR_GENERIC,
				       "cannot read the credential description from git: %s",
				       strerror(e));
		}
		if (r == 0)
			break;
		used += (size_t)r;
		end = find_end(buf, used, &scan, &too_long);
	}
	/* Whatever follows the blank line is not ours to interpret. */
	st = gca_request_parse(buf, end ? end : used, req, NULL, err);
	aa_memzero(buf, cap);
	free(buf);
	return st;
}

/* Protocol values may not carry a line break or NUL; git would refuse a CR. */
static int value_ok(const char *v)
{
	return strpbrk(v, "\r\n") == NULL;
}

static aa_status add_line(char **out, size_t *len, size_t *cap,
			  const char *key, const char *value, aa_error *err)
{
	size_t k = strlen(key), v = strlen(value), need = k + 1 + v + 1;

	if (!value_ok(value))
		return aa_fail(err, AA_ERR_PARSE,
			       "the stored %s contains a line break and cannot be given to git", key);
	if (need > GCA_MAX_LINE)
		return aa_fail(err, AA_ERR_PARSE,
			       "the stored %s is longer than git accepts", key);
	if (*len + need + 1 > *cap) {
		size_t ncap = (*len + need + 1) * 2;
		char *bigger = aa_grow_wiped(*out, *len, ncap);

		if (!bigger)
			return aa_fail(err, AA_ERR_NOMEM, "out of memory while formatting the answer");
		*out = bigger;
		*cap = ncap;
	}
	memcpy(*out + *len, key, k);
	(*out)[*len + k] = '=';
	memcpy(*out + *len + k + 1, value, v);
	(*out)[*len + k + 1 + v] = '\n';
	*len += need;
	(*out)[*len] = '\0';
	return AA_OK;
}

aa_status gca_answer_format(const gca_answer *a, char **out, size_t *out_len,
			    aa_error *err)
{
	size_t len = 0, cap = 256;
	char *buf = malloc(cap);
	char expiry[24];
	aa_status st = AA_OK;

	*out = NULL;
	*out_len = 0;
	if (!buf)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory while formatting the answer");
	buf[0] = '\0';
	if (a->bearer) {
		st = add_line(&buf, &len, &cap, "capability[]", "authtype", err);
		if (st == AA_OK)
			st = add_line(&buf, &len, &cap, "authtype", "Bearer", err);
		if (st == AA_OK && a->password)
			st = add_line(&buf, &len, &cap, "credential", a->password, err);
	} else {
		if (a->username)
			st = add_line(&buf, &len, &cap, "username", a->username, err);
		if (st == AA_OK && a->password)
			st = add_line(&buf, &len, &cap, "password", a->password, err);
	}
	if (st == AA_OK && a->has_expiry) {
		snprintf(expiry, sizeof(expiry), "%" PRId64, a->expiry_utc);
		st = add_line(&buf, &len, &cap, "password_expiry_utc", expiry, err);
	}
	if (st != AA_OK) {
		aa_memzero(buf, cap);
		free(buf);
		return st;
	}
	*out = buf;
	*out_len = len;
	return AA_OK;
}
