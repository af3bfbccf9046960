/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_token.c - unit tests for common/token.c: every TokenInfo shape the
 * Python packages wrote (tests/fixtures/tokeninfo), byte-exact encoding,
 * repo tokens, expiry and domain aliases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "anaconda_auth.h"
#include "fixtures.h"
#include "jwt_samples.h"

#define NOW ((time_t)1750000000)

/* Decode tests/fixtures/tokeninfo/<name>.b64, expecting `want`. */
static aa_token_info *decode_fixture(const char *name, aa_status want,
				     aa_error *err)
{
	char path[256];
	size_t len = 0;
	char *b64;
	aa_token_info *info = (aa_token_info *)&len; /* must be overwritten */

	snprintf(path, sizeof(path), "tokeninfo/%s.b64", name);
	b64 = read_fixture(path, &len);
	aa_error_clear(err);
	assert_int_equal(aa_token_info_decode(b64, len, &info, err), want);
	free(b64);
	if (want != AA_OK) {
		assert_null(info);
		assert_int_equal(err->code, want);
		assert_true(strlen(err->message) > 0);
	}
	return info;
}

static aa_token_info *decode_ok(const char *name)
{
	aa_error err;
	aa_token_info *info = decode_fixture(name, AA_OK, &err);

	assert_non_null(info);
	return info;
}

static void assert_encodes_to_fixture(const aa_token_info *info,
				      const char *name)
{
	char path[256];
	char *want;
	size_t len = 0;
	aa_secret *b64 = NULL;
	aa_error err;

	snprintf(path, sizeof(path), "tokeninfo/%s.b64", name);
	want = read_fixture(path, &len);
	assert_int_equal(aa_token_info_encode(info, &b64, &err), AA_OK);
	assert_int_equal(aa_secret_len(b64), len);
	assert_string_equal(aa_secret_str(b64), want);
	aa_secret_free(b64);
	free(want);
}

/* ---- decoding every historical shape ------------------------------- */

static void test_decode_era_c(void **state)
{
	aa_token_info *info = decode_ok("era_c");

	(void)state;
	assert_string_equal(info->domain, "anaconda.com");
	assert_string_equal(aa_secret_str(info->api_key), JWT_VALID);
	assert_null(info->username);
	assert_int_equal(info->n_repo_tokens, 1);
	assert_string_equal(info->repo_tokens[0].org_name, "my-org");
	assert_string_equal(aa_secret_str(info->repo_tokens[0].token), "abc");
	assert_int_equal(info->version, 2);
	aa_token_info_free(info);
}

static void test_decode_era_c_full(void **state)
{
	aa_token_info *info = decode_ok("era_c_full");

	(void)state;
	assert_string_equal(info->username, "someone");
	assert_int_equal(info->n_repo_tokens, 3);
	assert_string_equal(info->repo_tokens[0].org_name, "org-one");
	assert_null(info->repo_tokens[1].org_name);
	assert_string_equal(aa_secret_str(info->repo_tokens[1].token), "t-legacy");
	assert_string_equal(info->repo_tokens[2].org_name, "org-two");
	aa_token_info_free(info);
}

static void test_decode_era_c_escapes(void **state)
{
	aa_token_info *info = decode_ok("era_c_escapes");

	(void)state;
	assert_string_equal(info->domain, "example.internal:8443");
	assert_string_equal(info->username,
			    "Zo\xc3\xab \"Z\" /x\\y\n\t\x01\xe2\x98\x83");
	assert_string_equal(info->repo_tokens[0].org_name, "caf\xc3\xa9");
	assert_string_equal(aa_secret_str(info->repo_tokens[0].token), "t/1");
	aa_token_info_free(info);
}

static void test_decode_era_c_without_key(void **state)
{
	aa_token_info *info = decode_ok("era_c_no_key");

	(void)state;
	assert_string_equal(info->domain, "anaconda.com");
	assert_null(info->api_key);
	assert_int_equal(info->n_repo_tokens, 0);
	assert_null(info->repo_tokens);
	assert_int_equal(info->version, 2);
	aa_token_info_free(info);
}

/* Eras A/B: pydantic v1 spacing, explicit nulls, no version. */
static void test_decode_era_ab(void **state)
{
	aa_token_info *info = decode_ok("era_ab");

	(void)state;
	assert_string_equal(info->domain, "anaconda.cloud");
	assert_string_equal(aa_secret_str(info->api_key), JWT_VALID);
	assert_null(info->username);
	assert_int_equal(info->n_repo_tokens, 0);
	assert_int_equal(info->version, 0);
	aa_token_info_free(info);
}

static void test_decode_era_ab_repo_tokens(void **state)
{
	aa_token_info *info = decode_ok("era_ab_repo_tokens");

	(void)state;
	assert_string_equal(info->domain, "id.anaconda.cloud");
	assert_int_equal(info->n_repo_tokens, 2);
	assert_string_equal(info->repo_tokens[0].org_name, "org-one");
	assert_null(info->repo_tokens[1].org_name);
	assert_int_equal(info->version, 0);
	aa_token_info_free(info);
}

static void test_decode_era_b_version1(void **state)
{
	aa_token_info *info = decode_ok("era_b_version1");

	(void)state;
	assert_int_equal(info->version, 1);
	assert_string_equal(aa_secret_str(info->api_key), JWT_VALID);
	aa_token_info_free(info);
}

static void test_decode_null_key(void **state)
{
	aa_token_info *info = decode_ok("era_ab_null_key");

	(void)state;
	assert_null(info->api_key);
	assert_string_equal(info->domain, "anaconda.cloud");
	aa_token_info_free(info);
}

static void test_decode_navigator(void **state)
{
	aa_token_info *info = decode_ok("navigator");

	(void)state;
	assert_string_equal(info->username, "navuser");
	assert_string_equal(info->domain, "anaconda.cloud");
	assert_string_equal(aa_secret_str(info->api_key), JWT_VALID);
	assert_int_equal(info->n_repo_tokens, 0);
	aa_token_info_free(info);
}

static void test_decode_ignores_unknown_keys(void **state)
{
	aa_token_info *info = decode_ok("unknown_keys");

	(void)state;
	assert_string_equal(aa_secret_str(info->api_key), JWT_VALID);
	assert_int_equal(info->n_repo_tokens, 1);
	assert_string_equal(info->repo_tokens[0].org_name, "my-org");
	assert_int_equal(info->version, 3);
	aa_token_info_free(info);
}

static void test_decode_empty_object(void **state)
{
	aa_token_info *info = decode_ok("empty_object");

	(void)state;
	assert_null(info->domain);
	assert_null(info->api_key);
	assert_null(info->username);
	assert_int_equal(info->n_repo_tokens, 0);
	assert_int_equal(info->version, 0);
	aa_token_info_free(info);
}

/* ---- rejecting what no writer produced ------------------------------ */

static void test_decode_rejects_bad_shapes(void **state)
{
	static const char *const bad[] = {
		"bad_not_object", "bad_api_key_type", "bad_repo_tokens_type",
		"bad_repo_token_no_token", "bad_org_name_type", "bad_version_type",
		"bad_truncated",
	};
	aa_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		decode_fixture(bad[i], AA_ERR_PARSE, &err);
		assert_null(strstr(err.message, "eyJ"));
	}
}

static void decode_text(const char *text, aa_status want, aa_error *err)
{
	aa_token_info *info = NULL;

	aa_error_clear(err);
	assert_int_equal(aa_token_info_decode(text, strlen(text), &info, err), want);
	assert_null(info);
}

static void test_decode_rejects_non_base64(void **state)
{
	aa_error err;

	(void)state;
	decode_text("not base64!", AA_ERR_PARSE, &err);
	assert_non_null(strstr(err.message, "base64"));
	decode_text("", AA_ERR_PARSE, &err);
	/* base64 of the text "null" and of "[]" */
	decode_text("bnVsbA==", AA_ERR_PARSE, &err);
	decode_text("W10=", AA_ERR_PARSE, &err);
}

/* A bad field next to a key: the message names the field, never the key. */
static void test_decode_error_hides_secrets(void **state)
{
	static const char json[] =
		"{\"api_key\":\"SUPERSECRETKEY\",\"username\":5,"
		"\"repo_tokens\":[{\"token\":\"SECRETREPO\",\"org_name\":[]}]}";
	static const char json2[] =
		"{\"api_key\":\"SUPERSECRETKEY\","
		"\"repo_tokens\":[{\"token\":\"SECRETREPO\",\"org_name\":[]}]}";
	char *b64;
	aa_error err;

	(void)state;
	b64 = aa_base64_encode(json, strlen(json));
	decode_text(b64, AA_ERR_PARSE, &err);
	assert_non_null(strstr(err.message, "username"));
	assert_null(strstr(err.message, "SECRET"));
	free(b64);
	b64 = aa_base64_encode(json2, strlen(json2));
	decode_text(b64, AA_ERR_PARSE, &err);
	assert_non_null(strstr(err.message, "org_name"));
	assert_null(strstr(err.message, "SECRET"));
	free(b64);
}

static void test_decode_rejects_embedded_nul_and_deep_json(void **state)
{
	static const char nul[] = "{\"api_key\":\"ab\\u0000cd\"}";
	char deep[128];
	size_t n = 0;
	char *b64;
	aa_error err;

	(void)state;
	b64 = aa_base64_encode(nul, strlen(nul));
	decode_text(b64, AA_ERR_PARSE, &err);
	free(b64);
	memcpy(deep, "{\"x\":", 5);
	n = 5;
	for (int i = 0; i < 30; i++)
		deep[n++] = '[';
	for (int i = 0; i < 30; i++)
		deep[n++] = ']';
	deep[n++] = '}';
	b64 = aa_base64_encode(deep, n);
	decode_text(b64, AA_ERR_PARSE, &err);
	free(b64);
}

static void test_decode_null_arguments(void **state)
{
	aa_token_info *info = NULL;

	(void)state;
	assert_int_equal(aa_token_info_decode("e30=", 4, NULL, NULL), AA_ERR_USAGE);
	assert_int_equal(aa_token_info_decode(NULL, 4, &info, NULL), AA_ERR_PARSE);
	assert_null(info);
}

/* ---- encoding: byte for byte what anaconda-auth writes -------------- */

static void test_encode_matches_python_era_c(void **state)
{
	aa_token_info *info = aa_token_info_new("anaconda.com");

	(void)state;
	assert_non_null(info);
	assert_int_equal(aa_token_info_set_api_key(info, JWT_VALID), AA_OK);
	assert_int_equal(aa_token_info_set_repo_token(info, "my-org", "abc"), AA_OK);
	assert_encodes_to_fixture(info, "era_c");
	aa_token_info_free(info);
}

static void test_encode_matches_python_no_key(void **state)
{
	aa_token_info *info = aa_token_info_new("anaconda.com");

	(void)state;
	assert_encodes_to_fixture(info, "era_c_no_key");
	aa_token_info_free(info);
}

/* Hard-coded: what pydantic 2 writes for TokenInfo(domain="d.example"). */
static void test_encode_exact_json(void **state)
{
	aa_token_info *info = aa_token_info_new("d.example");
	aa_secret *b64 = NULL;
	unsigned char *raw = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(aa_token_info_encode(info, &b64, NULL), AA_OK);
	assert_int_equal(aa_base64_decode(aa_secret_str(b64), aa_secret_len(b64),
					  &raw, &len), AA_OK);
	assert_string_equal((char *)raw,
			    "{\"domain\":\"d.example\",\"repo_tokens\":[],\"version\":2}");
	free(raw);
	aa_secret_free(b64);
	aa_token_info_free(info);
}

/* Decoding then encoding what anaconda-auth wrote gives the same bytes. */
static void test_round_trip_era_c_fixtures(void **state)
{
	static const char *const names[] = {
		"era_c", "era_c_full", "era_c_escapes", "era_c_no_key", "era_c_expired",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		aa_token_info *info = decode_ok(names[i]);

		assert_encodes_to_fixture(info, names[i]);
		aa_token_info_free(info);
	}
}

/* An old entry is upgraded: nulls dropped, version 2, same content. */
static void test_round_trip_upgrades_era_ab(void **state)
{
	static const char want[] =
		"{\"domain\":\"id.anaconda.cloud\",\"api_key\":\"" JWT_VALID "\","
		"\"repo_tokens\":[{\"token\":\"t-1\",\"org_name\":\"org-one\"},"
		"{\"token\":\"t-legacy\"}],\"version\":2}";
	aa_token_info *info = decode_ok("era_ab_repo_tokens"), *again = NULL;
	aa_secret *b64 = NULL;
	unsigned char *raw = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(aa_token_info_encode(info, &b64, NULL), AA_OK);
	assert_int_equal(aa_base64_decode(aa_secret_str(b64), aa_secret_len(b64),
					  &raw, &len), AA_OK);
	assert_string_equal((char *)raw, want);
	assert_int_equal(aa_token_info_decode(aa_secret_str(b64), aa_secret_len(b64),
					      &again, NULL), AA_OK);
	assert_string_equal(again->domain, info->domain);
	assert_string_equal(aa_secret_str(again->api_key), JWT_VALID);
	assert_int_equal(again->n_repo_tokens, 2);
	assert_int_equal(again->version, 2);
	free(raw);
	aa_secret_free(b64);
	aa_token_info_free(info);
	aa_token_info_free(again);
}

/*
 * The encoder writes JSON itself (json-c's serialiser leaves freed copies
 * of the key); it must write exactly what json-c wrote before, which is
 * what pydantic writes: compact, UTF-8 as is, '/' unescaped.
 */
static void test_encode_matches_json_c(void **state)
{
	static const char odd[] = "q\" b\\ s/ \b\f\n\r\t\x01\x1f\x7f \xc3\xa9 \xf0\x9f\x98\x80";
	aa_token_info *info = aa_token_info_new(odd);
	json_object *obj = json_object_new_object(), *arr = json_object_new_array(),
		    *item = json_object_new_object(), *item2 = json_object_new_object();
	aa_secret *b64 = NULL;
	unsigned char *raw = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(aa_token_info_set_api_key(info, odd), AA_OK);
	assert_int_equal(aa_token_info_set_repo_token(info, "org \xc3\xa9", odd), AA_OK);
	assert_int_equal(aa_token_info_set_repo_token(info, "two", "t2"), AA_OK);
	info->username = strdup("user");
	json_object_object_add(obj, "domain", json_object_new_string(odd));
	json_object_object_add(obj, "api_key", json_object_new_string(odd));
	json_object_object_add(obj, "username", json_object_new_string("user"));
	json_object_object_add(item, "token", json_object_new_string(odd));
	json_object_object_add(item, "org_name", json_object_new_string("org \xc3\xa9"));
	json_object_object_add(item2, "token", json_object_new_string("t2"));
	json_object_object_add(item2, "org_name", json_object_new_string("two"));
	json_object_array_add(arr, item);
	json_object_array_add(arr, item2);
	json_object_object_add(obj, "repo_tokens", arr);
	json_object_object_add(obj, "version", json_object_new_int(2));

	assert_int_equal(aa_token_info_encode(info, &b64, NULL), AA_OK);
	assert_int_equal(aa_base64_decode(aa_secret_str(b64), aa_secret_len(b64),
					  &raw, &len), AA_OK);
	assert_string_equal((char *)raw,
			    json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
								 JSON_C_TO_STRING_NOSLASHESCAPE));
	free(raw);
	aa_secret_free(b64);
	aa_token_info_free(info);
	json_object_put(obj);
}

static void test_encode_refuses_bad_input(void **state)
{
	aa_token_info *info = aa_token_info_new("anaconda.com");
	aa_secret *b64 = (aa_secret *)info; /* must be reset */
	aa_error err;

	(void)state;
	assert_int_equal(aa_token_info_encode(NULL, &b64, &err), AA_ERR_USAGE);
	assert_null(b64);
	assert_int_equal(aa_token_info_encode(info, NULL, &err), AA_ERR_USAGE);
	assert_int_equal(aa_token_info_set_repo_token(info, "o", "t"), AA_OK);
	aa_secret_free(info->repo_tokens[0].token);
	info->repo_tokens[0].token = NULL;
	assert_int_equal(aa_token_info_encode(info, &b64, &err), AA_ERR_USAGE);
	assert_null(b64);
	aa_token_info_free(info);
}

/* ---- editing ------------------------------------------------------- */

static void test_new_and_free(void **state)
{
	aa_token_info *info = aa_token_info_new("anaconda.com");
	aa_token_info *bare = aa_token_info_new(NULL);

	(void)state;
	assert_string_equal(info->domain, "anaconda.com");
	assert_int_equal(info->version, 2);
	assert_null(info->api_key);
	assert_null(bare->domain);
	aa_token_info_free(info);
	aa_token_info_free(bare);
	aa_token_info_free(NULL);
}

static void test_set_api_key(void **state)
{
	aa_token_info *info = aa_token_info_new("anaconda.com");

	(void)state;
	assert_int_equal(aa_token_info_set_api_key(info, "k1"), AA_OK);
	assert_string_equal(aa_secret_str(info->api_key), "k1");
	assert_int_equal(aa_token_info_set_api_key(info, "k2"), AA_OK);
	assert_string_equal(aa_secret_str(info->api_key), "k2");
	assert_int_equal(aa_token_info_set_api_key(info, NULL), AA_OK);
	assert_null(info->api_key);
	assert_int_equal(aa_token_info_set_api_key(NULL, "k"), AA_ERR_USAGE);
	aa_token_info_free(info);
}

static void test_repo_tokens_set_get_delete(void **state)
{
	aa_token_info *info = aa_token_info_new("anaconda.com");

	(void)state;
	assert_null(aa_token_info_get_repo_token(info, "a"));
	assert_int_equal(aa_token_info_set_repo_token(info, "a", "ta"), AA_OK);
	assert_int_equal(aa_token_info_set_repo_token(info, "b", "tb"), AA_OK);
	assert_int_equal(aa_token_info_set_repo_token(info, "a", "ta2"), AA_OK);
	assert_int_equal(info->n_repo_tokens, 2);
	assert_string_equal(aa_secret_str(aa_token_info_get_repo_token(info, "a")), "ta2");
	assert_string_equal(aa_secret_str(aa_token_info_get_repo_token(info, "b")), "tb");
	assert_null(aa_token_info_get_repo_token(info, "c"));
	assert_null(aa_token_info_get_repo_token(info, NULL));
	assert_int_equal(aa_token_info_delete_repo_token(info, "a"), 1);
	assert_int_equal(aa_token_info_delete_repo_token(info, "a"), 0);
	assert_int_equal(aa_token_info_delete_repo_token(info, NULL), 0);
	assert_int_equal(info->n_repo_tokens, 1);
	assert_string_equal(info->repo_tokens[0].org_name, "b");
	aa_token_info_delete_all_repo_tokens(info);
	assert_int_equal(info->n_repo_tokens, 0);
	assert_null(aa_token_info_get_repo_token(info, "b"));
	assert_int_equal(aa_token_info_set_repo_token(info, NULL, "t"), AA_ERR_USAGE);
	assert_int_equal(aa_token_info_set_repo_token(info, "o", NULL), AA_ERR_USAGE);
	assert_int_equal(aa_token_info_set_repo_token(NULL, "o", "t"), AA_ERR_USAGE);
	aa_token_info_free(info);
}

/* A legacy entry without org_name is kept and never matched by name. */
static void test_repo_tokens_keep_legacy_unnamed(void **state)
{
	aa_token_info *info = decode_ok("era_c_full");

	(void)state;
	assert_int_equal(aa_token_info_set_repo_token(info, "org-two", "new"), AA_OK);
	assert_int_equal(info->n_repo_tokens, 3);
	assert_int_equal(aa_token_info_delete_repo_token(info, "org-one"), 1);
	assert_int_equal(info->n_repo_tokens, 2);
	assert_null(info->repo_tokens[0].org_name);
	assert_string_equal(aa_secret_str(info->repo_tokens[1].token), "new");
	aa_token_info_free(info);
}

/* A hand-edited file may name an org twice; setting it leaves one entry. */
static void test_repo_tokens_duplicate_org_collapses(void **state)
{
	static const char json[] =
		"{\"domain\":\"anaconda.com\",\"repo_tokens\":["
		"{\"token\":\"t1\",\"org_name\":\"o\"},{\"token\":\"x\",\"org_name\":\"p\"},"
		"{\"token\":\"t2\",\"org_name\":\"o\"}]}";
	char *b64 = aa_base64_encode(json, strlen(json));
	aa_token_info *info = NULL;

	(void)state;
	assert_int_equal(aa_token_info_decode(b64, strlen(b64), &info, NULL), AA_OK);
	assert_int_equal(info->n_repo_tokens, 3);
	assert_int_equal(aa_token_info_set_repo_token(info, "o", "t3"), AA_OK);
	assert_int_equal(info->n_repo_tokens, 2);
	assert_string_equal(aa_secret_str(aa_token_info_get_repo_token(info, "o")), "t3");
	assert_string_equal(info->repo_tokens[1].org_name, "p");
	assert_int_equal(aa_token_info_delete_repo_token(info, "o"), 1);
	assert_int_equal(info->n_repo_tokens, 1);
	free(b64);
	aa_token_info_free(info);
}

/* ---- expiry -------------------------------------------------------- */

static void test_expiry(void **state)
{
	aa_token_info *info = decode_ok("era_c");
	aa_token_info *old = decode_ok("era_c_expired");
	aa_token_info *none = decode_ok("era_c_no_key");
	int64_t exp = 0;

	(void)state;
	assert_int_equal(aa_token_info_expiry(info, NOW, &exp), AA_EXPIRY_VALID);
	assert_int_equal(exp, INT64_C(4102444800));
	assert_false(aa_token_expired(info, NOW));
	assert_int_equal(aa_token_info_expiry(old, NOW, &exp), AA_EXPIRY_EXPIRED);
	assert_int_equal(exp, 1000000000);
	assert_true(aa_token_expired(old, NOW));
	assert_int_equal(aa_token_info_expiry(none, NOW, NULL), AA_EXPIRY_EXPIRED);
	assert_true(aa_token_expired(none, NOW));
	assert_true(aa_token_expired(NULL, NOW));
	/* A key that is not a JWT: expiry unknown, so not reported as expired. */
	assert_int_equal(aa_token_info_set_api_key(none, "opaque-key"), AA_OK);
	assert_int_equal(aa_token_info_expiry(none, NOW, NULL), AA_EXPIRY_UNKNOWN);
	assert_false(aa_token_expired(none, NOW));
	assert_int_equal(aa_token_info_set_api_key(none, JWT_NO_EXP), AA_OK);
	assert_false(aa_token_expired(none, NOW));
	aa_token_info_free(info);
	aa_token_info_free(old);
	aa_token_info_free(none);
}

/* ---- domain aliases ------------------------------------------------ */

static void assert_aliases(const char *domain, const char *a, const char *b,
			   const char *c)
{
	const char *one[2] = { "unused", "unused" };
	const char *const *v = aa_domain_aliases(domain, one);

	assert_non_null(v);
	assert_string_equal(v[0], a);
	if (!b) {
		assert_null(v[1]);
		return;
	}
	assert_string_equal(v[1], b);
	assert_string_equal(v[2], c);
	assert_null(v[3]);
}

static void test_domain_aliases(void **state)
{
	const char *one[2] = { "x", "x" };
	const char *const *v;

	(void)state;
	assert_aliases("anaconda.com", "anaconda.com", "id.anaconda.cloud", "anaconda.cloud");
	assert_aliases("anaconda.cloud", "anaconda.cloud", "anaconda.com", "id.anaconda.cloud");
	assert_aliases("id.anaconda.cloud", "id.anaconda.cloud", "anaconda.com", "anaconda.cloud");
	assert_aliases("Anaconda.COM", "anaconda.com", "id.anaconda.cloud", "anaconda.cloud");
	assert_aliases("example.internal:8443", "example.internal:8443", NULL, NULL);
	assert_aliases("anaconda.com:8443", "anaconda.com:8443", NULL, NULL);
	assert_aliases("repo.anaconda.cloud", "repo.anaconda.cloud", NULL, NULL);
	v = aa_domain_aliases("example.org", one);
	assert_ptr_equal(v, one);
	assert_string_equal(one[0], "example.org");
	assert_null(one[1]);
	v = aa_domain_aliases(NULL, one);
	assert_null(v[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_era_c),
		cmocka_unit_test(test_decode_era_c_full),
		cmocka_unit_test(test_decode_era_c_escapes),
		cmocka_unit_test(test_decode_era_c_without_key),
		cmocka_unit_test(test_decode_era_ab),
		cmocka_unit_test(test_decode_era_ab_repo_tokens),
		cmocka_unit_test(test_decode_era_b_version1),
		cmocka_unit_test(test_decode_null_key),
		cmocka_unit_test(test_decode_navigator),
		cmocka_unit_test(test_decode_ignores_unknown_keys),
		cmocka_unit_test(test_decode_empty_object),
		cmocka_unit_test(test_decode_rejects_bad_shapes),
		cmocka_unit_test(test_decode_rejects_non_base64),
		cmocka_unit_test(test_decode_error_hides_secrets),
		cmocka_unit_test(test_decode_rejects_embedded_nul_and_deep_json),
		cmocka_unit_test(test_decode_null_arguments),
		cmocka_unit_test(test_encode_matches_python_era_c),
		cmocka_unit_test(test_encode_matches_python_no_key),
		cmocka_unit_test(test_encode_exact_json),
		cmocka_unit_test(test_round_trip_era_c_fixtures),
		cmocka_unit_test(test_round_trip_upgrades_era_ab),
		cmocka_unit_test(test_encode_matches_json_c),
		cmocka_unit_test(test_encode_refuses_bad_input),
		cmocka_unit_test(test_new_and_free),
		cmocka_unit_test(test_set_api_key),
		cmocka_unit_test(test_repo_tokens_set_get_delete),
		cmocka_unit_test(test_repo_tokens_keep_legacy_unnamed),
		cmocka_unit_test(test_repo_tokens_duplicate_org_collapses),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_domain_aliases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
