/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * token.c - TokenInfo, the value stored per domain: base64 of a small JSON
 * document holding the API key and repo tokens, read in every shape the
 * Python packages ever wrote and written the way anaconda-auth writes it now.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json_util.h"

/* TokenInfo is object > array > object; deeper input is not ours. */
#define TOKEN_MAX_DEPTH 16
#define TOKEN_INFO_VERSION 2

/* Every message ends with the same advice: a bad entry is fixed by logging in. */
#define RELOGIN "; log in again (anaconda-auth login) to replace it"

aa_token_info *aa_token_info_new(const char *domain)
{
	aa_token_info *info = calloc(1, sizeof(*info));

	if (!info)
		return NULL;
	info->version = TOKEN_INFO_VERSION;
	if (domain) {
		info->domain = strdup(domain);
		if (!info->domain) {
			free(info);
			return NULL;
		}
	}
	return info;
}

static void repo_token_clear(aa_repo_token *t)
{
	free(t->org_name);
	aa_secret_free(t->token);
	t->org_name = NULL;
	t->token = NULL;
}

void aa_token_info_delete_all_repo_tokens(aa_token_info *info)
{
	if (!info)
		return;
	for (size_t i = 0; i < info->n_repo_tokens; i++)
		repo_token_clear(&info->repo_tokens[i]);
	free(info->repo_tokens);
	info->repo_tokens = NULL;
	info->n_repo_tokens = 0;
}

void aa_token_info_free(aa_token_info *info)
{
	if (!info)
		return;
	aa_token_info_delete_all_repo_tokens(info);
	aa_secret_free(info->api_key);
	free(info->domain);
	free(info->username);
	free(info);
}

/* ---- JSON helpers ---------------------------------------------------- */

/*
 * An optional string member: *out points into obj, NULL when absent or
 * null. Other types, and strings with NUL bytes, are AA_ERR_PARSE.
 */
static aa_status get_opt_string(json_object *obj, const char *name,
				const char *what, const char **out,
				aa_error *err)
{
	json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(obj, name, &v) || !v)
		return AA_OK;
	if (json_object_is_type(v, json_type_string) &&
	    strlen(json_object_get_string(v)) == (size_t)json_object_get_string_len(v)) {
		*out = json_object_get_string(v);
		return AA_OK;
	}
	return aa_fail(err, AA_ERR_PARSE, "the stored login has %s \"%s\" that is not a string" RELOGIN,
		       what, name);
}

/* ---- decode ---------------------------------------------------------- */

static aa_status read_repo_token(json_object *item, aa_repo_token *t,
				 aa_error *err)
{
	const char *token, *org;
	aa_status st;

	if (!json_object_is_type(item, json_type_object))
		return aa_fail(err, AA_ERR_PARSE,
			       "the stored login has a repo token that is not a JSON object" RELOGIN);
	st = get_opt_string(item, "token", "a repo token field", &token, err);
	if (st == AA_OK)
		st = get_opt_string(item, "org_name", "a repo token field", &org, err);
	if (st != AA_OK)
		return st;
	if (!token)
		return aa_fail(err, AA_ERR_PARSE,
			       "the stored login has a repo token without a \"token\" value" RELOGIN);
	t->token = aa_secret_from_str(token);
	t->org_name = aa_strdup0(org);
	if (!t->token || (org && !t->org_name))
		return aa_fail(err, AA_ERR_NOMEM, "out of memory while reading the stored login");
	return AA_OK;
}

static aa_status read_repo_tokens(json_object *obj, aa_token_info *info,
				  aa_error *err)
{
	json_object *arr;
	size_t n;

	if (!json_object_object_get_ex(obj, "repo_tokens", &arr) || !arr)
		return AA_OK;
	if (!json_object_is_type(arr, json_type_array))
		return aa_fail(err, AA_ERR_PARSE,
			       "the stored login has \"repo_tokens\" that is not a list" RELOGIN);
	n = json_object_array_length(arr);
	if (!n)
		return AA_OK;
	info->repo_tokens = calloc(n, sizeof(*info->repo_tokens));
	if (!info->repo_tokens)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory while reading the stored login");
	for (size_t i = 0; i < n; i++) {
		aa_status st = read_repo_token(json_object_array_get_idx(arr, i),
					       &info->repo_tokens[i], err);

		info->n_repo_tokens = i + 1; /* so a failure frees what was read */
		if (st != AA_OK)
			return st;
	}
	return AA_OK;
}

/* Absent or null means a writer older than versioning: reported as 0. */
static aa_status read_version(json_object *obj, aa_token_info *info,
			      aa_error *err)
{
	json_object *v;
	int64_t n;

	info->version = 0;
	if (!json_object_object_get_ex(obj, "version", &v) || !v)
		return AA_OK;
	if (!json_object_is_type(v, json_type_int))
		return aa_fail(err, AA_ERR_PARSE,
			       "the stored login has a \"version\" that is not a whole number" RELOGIN);
	n = json_object_get_int64(v);
	if (n < 0 || n > INT_MAX)
		return aa_fail(err, AA_ERR_PARSE,
			       "the stored login has an out-of-range \"version\"" RELOGIN);
	info->version = (int)n;
	return AA_OK;
}

static aa_status read_token_info(json_object *obj, aa_token_info *info,
				 aa_error *err)
{
	const char *domain, *key, *user;
	aa_status st;

	st = get_opt_string(obj, "domain", "a field", &domain, err);
	if (st == AA_OK)
		st = get_opt_string(obj, "api_key", "a field", &key, err);
	if (st == AA_OK)
		st = get_opt_string(obj, "username", "a field", &user, err);
	if (st == AA_OK)
		st = read_version(obj, info, err);
	if (st != AA_OK)
		return st;
	info->domain = aa_strdup0(domain);
	info->username = aa_strdup0(user);
	info->api_key = key ? aa_secret_from_str(key) : NULL;
	if ((domain && !info->domain) || (user && !info->username) ||
	    (key && !info->api_key))
		return aa_fail(err, AA_ERR_NOMEM, "out of memory while reading the stored login");
	return read_repo_tokens(obj, info, err);
}

aa_status aa_token_info_decode(const char *b64, size_t len,
			       aa_token_info **out, aa_error *err)
{
	unsigned char *raw = NULL;
	size_t raw_len = 0;
	json_object *obj;
	aa_token_info *info;
	aa_status st;

	if (!out)
		return aa_fail(err, AA_ERR_USAGE, "no place to put the stored login was given");
	*out = NULL;
	st = aa_base64_decode(b64, len, &raw, &raw_len);
	if (st == AA_ERR_NOMEM)
		return aa_fail(err, st, "out of memory while reading the stored login");
	if (st != AA_OK)
		return aa_fail(err, AA_ERR_PARSE, "the stored login is not valid base64" RELOGIN);
	obj = aa_json_parse_object((const char *)raw, raw_len, TOKEN_MAX_DEPTH,
				   AA_JSON_STRICT | AA_JSON_SECRET);
	aa_memzero(raw, raw_len);
	free(raw);
	if (!obj)
		return aa_fail(err, AA_ERR_PARSE, "the stored login is not a JSON object" RELOGIN);
	info = calloc(1, sizeof(*info));
	st = info ? read_token_info(obj, info, err)
		  : aa_fail(err, AA_ERR_NOMEM, "out of memory while reading the stored login");
	aa_json_put_wiped(obj);
	if (st != AA_OK) {
		aa_token_info_free(info);
		return st;
	}
	*out = info;
	return AA_OK;
}

/* ---- encode ---------------------------------------------------------- */

/*
 * The JSON is written straight into a wiping buffer, not through json-c:
 * json-c serialises into a buffer it grows with realloc, which frees copies
 * of the key unwiped.
 */

/* ,"key":"value" (no comma first); nothing when s is NULL (pydantic's exclude_none). */
static void put_member(struct aa_kbuf *b, int *first, const char *key,
		       const char *s, size_t len)
{
	if (!s)
		return;
	aa_kbuf_puts(b, *first ? "\"" : ",\"");
	*first = 0;
	aa_kbuf_puts(b, key);
	aa_kbuf_puts(b, "\":");
	aa_kbuf_put_string(b, s, len, 0);
}

static void put_cstr(struct aa_kbuf *b, int *first, const char *key,
		     const char *s)
{
	put_member(b, first, key, s, s ? strlen(s) : 0);
}

static void put_secret(struct aa_kbuf *b, int *first, const char *key,
		       const aa_secret *s)
{
	if (s)
		put_member(b, first, key, aa_secret_str(s), aa_secret_len(s));
}

/* Field order is pydantic's: domain, api_key, username, repo_tokens, version. */
static void token_info_json(struct aa_kbuf *b, const aa_token_info *info)
{
	char tail[32];
	int first = 1;

	aa_kbuf_puts(b, "{");
	put_cstr(b, &first, "domain", info->domain);
	put_secret(b, &first, "api_key", info->api_key);
	put_cstr(b, &first, "username", info->username);
	aa_kbuf_puts(b, first ? "\"repo_tokens\":[" : ",\"repo_tokens\":[");
	for (size_t i = 0; i < info->n_repo_tokens; i++) {
		int item_first = 1;

		aa_kbuf_puts(b, i ? ",{" : "{");
		put_secret(b, &item_first, "token", info->repo_tokens[i].token);
		put_cstr(b, &item_first, "org_name", info->repo_tokens[i].org_name);
		aa_kbuf_puts(b, "}");
	}
	snprintf(tail, sizeof(tail), "],\"version\":%d}", TOKEN_INFO_VERSION);
	aa_kbuf_puts(b, tail);
}

aa_status aa_token_info_encode(const aa_token_info *info, aa_secret **b64_out,
			       aa_error *err)
{
	struct aa_kbuf text = { 0 };
	char *b64 = NULL;

	if (!b64_out)
		return aa_fail(err, AA_ERR_USAGE, "no place to put the encoded login was given");
	*b64_out = NULL;
	if (!info)
		return aa_fail(err, AA_ERR_USAGE, "no login to encode was given");
	for (size_t i = 0; i < info->n_repo_tokens; i++)
		if (!info->repo_tokens[i].token)
			return aa_fail(err, AA_ERR_USAGE,
				       "a repo token has no value; set it with aa_token_info_set_repo_token()");
	token_info_json(&text, info);
	if (!text.oom)
		b64 = aa_base64_encode(text.p, text.len);
	aa_kbuf_free(&text);
	if (b64)
		*b64_out = aa_secret_new(b64, strlen(b64));
	aa_free_secret_str(b64);
	if (!*b64_out)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory while encoding the login");
	return AA_OK;
}

/* ---- editing --------------------------------------------------------- */

aa_status aa_token_info_set_api_key(aa_token_info *info, const char *key)
{
	aa_secret *s = NULL;

	if (!info)
		return AA_ERR_USAGE;
	if (key) {
		s = aa_secret_from_str(key);
		if (!s)
			return AA_ERR_NOMEM;
	}
	aa_secret_free(info->api_key);
	info->api_key = s;
	return AA_OK;
}

static int same_org(const aa_repo_token *t, const char *org)
{
	return t->org_name && org && strcmp(t->org_name, org) == 0;
}

/* Remove every entry for org at index `from` or later; returns how many. */
static size_t remove_org_from(aa_token_info *info, const char *org, size_t from)
{
	size_t kept = from, removed = 0;

	for (size_t i = from; i < info->n_repo_tokens; i++) {
		if (same_org(&info->repo_tokens[i], org)) {
			repo_token_clear(&info->repo_tokens[i]);
			removed++;
		} else {
			info->repo_tokens[kept++] = info->repo_tokens[i];
		}
	}
	info->n_repo_tokens = kept;
	return removed;
}

static aa_status append_repo_token(aa_token_info *info, const char *org,
				   aa_secret *s)
{
	aa_repo_token *grown;
	char *org_copy = strdup(org);

	if (!org_copy)
		return AA_ERR_NOMEM;
	if (info->n_repo_tokens >= SIZE_MAX / sizeof(*grown) - 1) {
		free(org_copy);
		return AA_ERR_NOMEM;
	}
	grown = realloc(info->repo_tokens,
			(info->n_repo_tokens + 1) * sizeof(*grown));
	if (!grown) {
		free(org_copy);
		return AA_ERR_NOMEM;
	}
	info->repo_tokens = grown;
	grown[info->n_repo_tokens].org_name = org_copy;
	grown[info->n_repo_tokens].token = s;
	info->n_repo_tokens++;
	return AA_OK;
}

aa_status aa_token_info_set_repo_token(aa_token_info *info, const char *org,
				       const char *token)
{
	aa_secret *s;
	aa_status st;

	if (!info || !org || !token)
		return AA_ERR_USAGE;
	s = aa_secret_from_str(token);
	if (!s)
		return AA_ERR_NOMEM;
	for (size_t i = 0; i < info->n_repo_tokens; i++) {
		if (same_org(&info->repo_tokens[i], org)) {
			aa_secret_free(info->repo_tokens[i].token);
			info->repo_tokens[i].token = s;
			/* A hand-edited file may list the org twice; keep one. */
			remove_org_from(info, org, i + 1);
			return AA_OK;
		}
	}
	st = append_repo_token(info, org, s);
	if (st != AA_OK)
		aa_secret_free(s);
	return st;
}

const aa_secret *aa_token_info_get_repo_token(const aa_token_info *info,
					      const char *org)
{
	if (!info || !org)
		return NULL;
	for (size_t i = 0; i < info->n_repo_tokens; i++)
		if (same_org(&info->repo_tokens[i], org))
			return info->repo_tokens[i].token;
	return NULL;
}

int aa_token_info_delete_repo_token(aa_token_info *info, const char *org)
{
	if (!info || !org)
		return 0;
	return remove_org_from(info, org, 0) > 0;
}

/* ---- expiry and domains ---------------------------------------------- */

aa_expiry aa_token_info_expiry(const aa_token_info *info, time_t now,
			       int64_t *exp_out)
{
	if (!info || !info->api_key)
		return AA_EXPIRY_EXPIRED;
	return aa_key_expiry(aa_secret_str(info->api_key), now, exp_out);
}

int aa_token_expired(const aa_token_info *info, time_t now)
{
	return aa_token_info_expiry(info, now, NULL) == AA_EXPIRY_EXPIRED;
}
