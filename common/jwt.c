/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * jwt.c - read the claims of a JWT-shaped API key (exp, iat, sub, scopes)
 * without checking its signature, to decide offline whether it has expired.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_util.h"
#include "util/aa_util.h"

/* Longer keys are not ours; refusing early bounds the work on bad input. */
#define JWT_MAX_LEN (64u * 1024u)
/* Claims are flat; anything nested deeper than this is not a key payload. */
#define JWT_MAX_DEPTH 16
#define API_KEY_MAX_LEN 16384u

/* Decode one base64url segment and parse it as a JSON object. */
static json_object *segment_object(const char *seg, size_t len)
{
	unsigned char *raw = NULL;
	size_t raw_len = 0;
	json_object *obj;

	if (aa_base64url_decode(seg, len, &raw, &raw_len) != AA_OK)
		return NULL;
	obj = aa_json_parse_object((const char *)raw, raw_len, JWT_MAX_DEPTH,
				   AA_JSON_STRICT);
	aa_memzero(raw, raw_len);
	free(raw);
	return obj;
}

static int is_base64url_symbols(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '='))
			return 0;
	}
	return 1;
}

/* A NumericDate: integers as they are, finite numbers truncated. */
static int read_time_claim(json_object *claims, const char *name, int64_t *out)
{
	json_object *v;

	if (!json_object_object_get_ex(claims, name, &v))
		return 0;
	if (json_object_is_type(v, json_type_int)) {
		*out = json_object_get_int64(v);
		return 1;
	}
	if (json_object_is_type(v, json_type_double)) {
		double d = json_object_get_double(v);

		/* NaN fails both comparisons; the bounds are exactly +-2^63. */
		if (d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
			*out = (int64_t)d;
			return 1;
		}
	}
	return 0;
}

/* A string claim without embedded NULs, copied; NULL if absent or odd. */
static char *read_string_claim(json_object *claims, const char *name)
{
	json_object *v;
	const char *s;

	if (!json_object_object_get_ex(claims, name, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	s = json_object_get_string(v);
	if (strlen(s) != (size_t)json_object_get_string_len(v))
		return NULL;
	return strdup(s);
}

static char **scopes_from_array(json_object *arr)
{
	size_t n = json_object_array_length(arr), k = 0;
	char **v = calloc(n + 1, sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		json_object *item = json_object_array_get_idx(arr, i);

		if (!json_object_is_type(item, json_type_string))
			continue;
		v[k] = strdup(json_object_get_string(item));
		if (!v[k]) {
			aa_strv_free(v);
			return NULL;
		}
		k++;
	}
	return v;
}

/* OAuth's "scope" form: one string of space-separated names. */
static char **scopes_from_string(const char *s)
{
	size_t n = 0, k = 0;
	char **v;

	for (const char *p = s; *p; p++)
		if (*p != ' ' && (p == s || p[-1] == ' '))
			n++;
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return NULL;
	while (*s) {
		size_t len;

		while (*s == ' ')
			s++;
		len = strcspn(s, " ");
		if (!len)
			break;
		v[k] = strndup(s, len);
		if (!v[k]) {
			aa_strv_free(v);
			return NULL;
		}
		k++;
		s += len;
	}
	return v;
}

static char **read_scopes(json_object *claims)
{
	json_object *v;

	if (!json_object_object_get_ex(claims, "scopes", &v) &&
	    !json_object_object_get_ex(claims, "scope", &v))
		return NULL;
	if (json_object_is_type(v, json_type_array))
		return scopes_from_array(v);
	if (json_object_is_type(v, json_type_string))
		return scopes_from_string(json_object_get_string(v));
	return NULL;
}

/* Locate the payload of header.payload.signature; 0 when the shape is wrong. */
static int split_jwt(const char *jwt, size_t len, size_t *pay_off,
		     size_t *pay_len)
{
	const char *d1 = memchr(jwt, '.', len), *d2;
	size_t sig_off;

	if (!d1)
		return 0;
	d2 = memchr(d1 + 1, '.', len - (size_t)(d1 + 1 - jwt));
	if (!d2)
		return 0;
	sig_off = (size_t)(d2 + 1 - jwt);
	if (memchr(d2 + 1, '.', len - sig_off))
		return 0;
	*pay_off = (size_t)(d1 + 1 - jwt);
	*pay_len = (size_t)(d2 - d1 - 1);
	return d1 != jwt && *pay_len &&
	       is_base64url_symbols(d2 + 1, len - sig_off);
}

aa_status aa_jwt_decode(const char *jwt, aa_jwt_claims *out, aa_error *err)
{
	size_t len, pay_off, pay_len;
	json_object *header, *claims;

	if (!out)
		return aa_fail(err, AA_ERR_USAGE, "no place to put the JWT claims was given");
	memset(out, 0, sizeof(*out));
	if (!jwt)
		return aa_fail(err, AA_ERR_PARSE, "no JWT was given");
	len = strnlen(jwt, JWT_MAX_LEN + 1);
	if (len > JWT_MAX_LEN)
		return aa_fail(err, AA_ERR_PARSE,
			       "the token is too long to be a JWT; check that only the token was copied");
	if (!split_jwt(jwt, len, &pay_off, &pay_len))
		return aa_fail(err, AA_ERR_PARSE,
			       "the token is not a JWT (three dot-separated base64url parts); check that the whole token was copied");
	header = segment_object(jwt, pay_off - 1);
	if (!header)
		return aa_fail(err, AA_ERR_PARSE,
			       "the JWT header is not base64url-encoded JSON; check that the whole token was copied");
	json_object_put(header);
	claims = segment_object(jwt + pay_off, pay_len);
	if (!claims)
		return aa_fail(err, AA_ERR_PARSE,
			       "the JWT payload is not a base64url-encoded JSON object; check that the whole token was copied");
	out->has_exp = read_time_claim(claims, "exp", &out->exp);
	out->has_iat = read_time_claim(claims, "iat", &out->iat);
	out->sub = read_string_claim(claims, "sub");
	out->scopes = read_scopes(claims);
	json_object_put(claims);
	return AA_OK;
}

void aa_jwt_claims_free(aa_jwt_claims *claims)
{
	if (!claims)
		return;
	free(claims->sub);
	aa_strv_free(claims->scopes);
	memset(claims, 0, sizeof(*claims));
}

aa_expiry aa_key_expiry(const char *key, time_t now, int64_t *exp_out)
{
	aa_jwt_claims claims;
	aa_expiry result = AA_EXPIRY_UNKNOWN;

	if (aa_jwt_decode(key, &claims, NULL) != AA_OK)
		return AA_EXPIRY_UNKNOWN;
	if (claims.has_exp) {
		if (exp_out)
			*exp_out = claims.exp;
		result = claims.exp <= (int64_t)now ? AA_EXPIRY_EXPIRED
						    : AA_EXPIRY_VALID;
	}
	aa_jwt_claims_free(&claims);
	return result;
}

/* Whitespace, quotes and backslashes would break the headers and files keys go into. */
static int is_key_char(unsigned char c)
{
	return c > ' ' && c < 0x7f && c != '"' && c != '\'' && c != '\\';
}

aa_status aa_api_key_check(const char *key, unsigned flags, time_t now,
			   aa_error *err)
{
	size_t len;
	int64_t exp = 0;
	aa_expiry ex;

	if (!key || !*key)
		return aa_fail(err, AA_ERR_PARSE, "the API key is empty; pass the key itself");
	len = strnlen(key, API_KEY_MAX_LEN + 1);
	if (len > API_KEY_MAX_LEN)
		return aa_fail(err, AA_ERR_PARSE,
			       "the API key is longer than %u characters; check that only the key was pasted",
			       API_KEY_MAX_LEN);
	for (size_t i = 0; i < len; i++)
		if (!is_key_char((unsigned char)key[i]))
			return aa_fail(err, AA_ERR_PARSE,
				       "the API key has whitespace, a quote, a backslash or a non-printable character at position %zu; paste only the key itself",
				       i + 1);
	ex = aa_key_expiry(key, now, &exp);
	if (ex == AA_EXPIRY_UNKNOWN && (flags & AA_KEY_REQUIRE_JWT))
		return aa_fail(err, AA_ERR_PARSE,
			       "the API key is not a JWT with an expiry (exp) claim; paste the key exactly as Anaconda issued it");
	if (ex == AA_EXPIRY_EXPIRED) {
		return aa_check_not_expired(key, now, "the API key",
					    "create a new key or log in again (anaconda-auth login)",
					    err);
	}
	return AA_OK;
}
