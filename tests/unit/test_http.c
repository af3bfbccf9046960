/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_http.c - unit tests for common/http.c that need no server: key
 * resolution order, expired keys refused before sending, https-only,
 * transport errors, and JSON reply checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "settings_env.h"

#include "config_struct.h"
#include "jwt_samples.h"
#include "net_internal.h"

struct fixture {
	char dir[64];
	char keyring[128];
	aa_config *cfg;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	aa_error err = {0};

	snprintf(f->dir, sizeof(f->dir), "/tmp/aa-test-http-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->keyring, sizeof(f->keyring), "%s/keyring", f->dir);
	clear_anaconda_env();
	/* port 1 on loopback: nothing listens, so a request that goes out fails fast */
	setenv("ANACONDA_AUTH_DOMAIN", "127.0.0.1:1", 1);
	setenv("ANACONDA_AUTH_KEYRING_PATH", f->keyring, 1);
	if (aa_config_load(&f->cfg, 0, &err) != AA_OK)
		fail_msg("aa_config_load: %s", err.message);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	aa_config_free(f->cfg);
	unlink(f->keyring);
	rmdir(f->dir);
	clear_anaconda_env();
	free(f);
	return 0;
}

static void store_key(struct fixture *f, const char *key)
{
	aa_keyring *kr = NULL;
	aa_error err = {0};

	assert_int_equal(aa_keyring_open_file(f->keyring, &kr, &err), AA_OK);
	if (aa_keyring_store_api_key(kr, f->cfg->domain, key, &err) != AA_OK)
		fail_msg("store: %s", err.message);
	aa_keyring_close(kr);
}

static void test_no_key_is_anonymous(void **state)
{
	struct fixture *f = *state;
	const aa_secret *key = (const aa_secret *)1;
	aa_client *c = NULL;

	assert_int_equal(aa_client_new(f->cfg, &c, NULL), AA_OK);
	assert_int_equal(aa_client_key(c, &key, NULL), AA_OK);
	assert_null(key);
	aa_client_free(c);
}

static void test_key_order(void **state)
{
	struct fixture *f = *state;
	const aa_secret *key = NULL;
	aa_client *c = NULL;
	aa_error err = {0};

	store_key(f, "stored-key");
	assert_int_equal(aa_client_new(f->cfg, &c, NULL), AA_OK);
	assert_int_equal(aa_client_key(c, &key, &err), AA_OK);
	assert_string_equal(aa_secret_str(key), "stored-key");
	aa_client_free(c);

	assert_int_equal(aa_config_set(f->cfg, "api_key", "settings-key", "test", &err), AA_OK);
	assert_int_equal(aa_client_new(f->cfg, &c, NULL), AA_OK);
	assert_int_equal(aa_client_key(c, &key, &err), AA_OK);
	assert_string_equal(aa_secret_str(key), "settings-key");
	assert_int_equal(aa_client_set_api_key(c, "explicit-key"), AA_OK);
	assert_int_equal(aa_client_key(c, &key, &err), AA_OK);
	assert_string_equal(aa_secret_str(key), "explicit-key");
	assert_int_equal(aa_client_set_api_key(c, "bad\r\nkey"), AA_ERR_USAGE);
	aa_client_free(c);
}

static void test_expired_stored_key_refused_before_sending(void **state)
{
	struct fixture *f = *state;
	const aa_request req = {.version = AA_REQUEST_VERSION, .url = "/api/account"};
	aa_response resp;
	aa_client *c = NULL;
	aa_error err = {0};

	store_key(f, JWT_EXPIRED);
	assert_int_equal(aa_client_new(f->cfg, &c, NULL), AA_OK);
	/* nothing listens on the domain: EXPIRED (not NETWORK) proves no request left */
	assert_int_equal(aa_client_request(c, &req, &resp, &err), AA_ERR_EXPIRED);
	assert_non_null(strstr(err.message, "expired on"));
	assert_non_null(strstr(err.message, "anaconda-auth login"));
	assert_null(strstr(err.message, JWT_EXPIRED));
	assert_int_equal(resp.status, 0);
	aa_response_free(&resp);

	/* an anonymous request does not care about the key */
	{
		const aa_request anon = {.version = AA_REQUEST_VERSION, .url = "/x", .flags = AA_REQ_ANONYMOUS};

		assert_int_equal(aa_client_request(c, &anon, &resp, &err), AA_ERR_NETWORK);
		aa_response_free(&resp);
	}
	aa_client_free(c);
}

static void test_expired_env_key_names_variable(void **state)
{
	struct fixture *f = *state;
	const aa_secret *key = NULL;
	aa_client *c = NULL;
	aa_error err = {0};

	aa_config_free(f->cfg);
	setenv("ANACONDA_AUTH_API_KEY", JWT_EXPIRED, 1);
	assert_int_equal(aa_config_load(&f->cfg, 0, &err), AA_OK);
	assert_int_equal(aa_client_new(f->cfg, &c, NULL), AA_OK);
	assert_int_equal(aa_client_key(c, &key, &err), AA_ERR_EXPIRED);
	assert_non_null(strstr(err.message, "ANACONDA_AUTH_API_KEY"));
	aa_client_free(c);
}

static void test_https_only(void **state)
{
	struct fixture *f = *state;
	const aa_request req = {.version = AA_REQUEST_VERSION, .url = "http://127.0.0.1:1/api/account"};
	aa_response resp;
	aa_client *c = NULL;
	aa_error err = {0};

	assert_int_equal(aa_client_new(f->cfg, &c, NULL), AA_OK);
	assert_int_equal(aa_client_request(c, &req, &resp, &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "https://"));
	aa_client_free(c);
}

/* A method is an RFC 9110 token: CR/LF or spaces never reach the wire. */
static void test_method_must_be_a_token(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = { "GET\r\nX-Injected: y", "GET /x HTTP/1.1", "",
					   "G\tET", "PO\x80ST", "GET\n" };
	aa_request req = {.version = AA_REQUEST_VERSION, .url = "api/account"};
	aa_response resp;
	aa_client *c = NULL;
	aa_error err = {0};

	assert_int_equal(aa_client_new(f->cfg, &c, NULL), AA_OK);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		req.method = bad[i];
		assert_int_equal(aa_client_request(c, &req, &resp, &err), AA_ERR_USAGE);
		assert_non_null(strstr(err.message, "HTTP method"));
		assert_null(strpbrk(err.message, "\r\n"));
	}
	/* tokens go on (and fail to connect: nothing listens on port 1) */
	req.method = "PROPFIND";
	assert_int_equal(aa_client_request(c, &req, &resp, &err), AA_ERR_NETWORK);
	req.method = "M-SEARCH!~";
	assert_int_equal(aa_client_request(c, &req, &resp, &err), AA_ERR_NETWORK);
	aa_client_free(c);
}

/* The struct can grow: the INIT macro sets the version; an unknown one is refused. */
static void test_request_version(void **state)
{
	struct fixture *f = *state;
	aa_request req = AA_REQUEST_INIT;
	aa_response resp;
	aa_client *c = NULL;
	aa_error err = {0};

	assert_int_equal(req.version, AA_REQUEST_VERSION);
	assert_null(req.method);
	assert_int_equal(aa_client_new(f->cfg, &c, NULL), AA_OK);
	req.url = "api/account";
	req.version = 0;
	assert_int_equal(aa_client_request(c, &req, &resp, &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "AA_REQUEST_INIT"));
	req.version = AA_REQUEST_VERSION + 1;
	assert_int_equal(aa_client_request(c, &req, &resp, &err), AA_ERR_USAGE);
	/* the version this header knows goes on (and fails to connect: port 1) */
	req.version = AA_REQUEST_VERSION;
	assert_int_equal(aa_client_request(c, &req, &resp, &err), AA_ERR_NETWORK);
	aa_client_free(c);
}

static void test_connection_refused(void **state)
{
	struct fixture *f = *state;
	const aa_request req = {.version = AA_REQUEST_VERSION, .url = "api/account"};
	aa_response resp;
	aa_client *c = NULL;
	aa_error err = {0};

	assert_int_equal(aa_client_new(f->cfg, &c, NULL), AA_OK);
	assert_int_equal(aa_client_request(c, &req, &resp, &err), AA_ERR_NETWORK);
	assert_non_null(strstr(err.message, "127.0.0.1:1"));
	assert_int_equal(resp.status, 0);
	assert_null(resp.body);
	aa_client_free(c);
}

static void test_no_domain(void **state)
{
	aa_config cfg = {0};
	aa_client *c = (aa_client *)1;
	aa_error err = {0};

	(void)state;
	assert_int_equal(aa_client_new(&cfg, &c, &err), AA_ERR_USAGE);
	assert_null(c);
}

static aa_status parse(const char *body, size_t len, aa_error *err)
{
	aa_response resp = {.status = 200, .body = (char *)body, .body_len = len};
	json_object *doc = NULL;
	aa_status st = aa_http_json(&resp, "https://h.example:8443/x", &doc, err);

	json_object_put(doc);
	return st;
}

static void test_json_replies(void **state)
{
	aa_error err = {0};

	(void)state;
	assert_int_equal(parse("{\"a\": 1}", 8, &err), AA_OK);
	assert_int_equal(parse("{\"a\": 1}\n ", 10, &err), AA_OK);
	assert_int_equal(parse("{\"a\": 1", 7, &err), AA_ERR_SERVER);
	assert_string_equal(err.message,
			    "the server at h.example:8443 sent a reply that is not valid JSON");
	assert_int_equal(parse("{\"a\": 1} trailing", 17, &err), AA_ERR_SERVER);
	assert_int_equal(parse("[1, 2]", 6, &err), AA_ERR_SERVER);
	assert_int_equal(parse("<html>", 6, &err), AA_ERR_SERVER);
	assert_int_equal(parse("", 0, &err), AA_ERR_SERVER);
	assert_int_equal(parse("{}\0{}", 5, &err), AA_ERR_SERVER);
}

static void test_json_str(void **state)
{
	json_object *doc = json_tokener_parse("{\"s\": \"v\", \"n\": 3}");

	(void)state;
	assert_string_equal(aa_json_str(doc, "s"), "v");
	assert_null(aa_json_str(doc, "n"));
	assert_null(aa_json_str(doc, "missing"));
	assert_null(aa_json_str(NULL, "s"));
	json_object_put(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_key_is_anonymous, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expired_stored_key_refused_before_sending, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_expired_env_key_names_variable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_https_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_connection_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_method_must_be_a_token, setup, teardown),
		cmocka_unit_test(test_no_domain),
		cmocka_unit_test(test_json_replies),
		cmocka_unit_test(test_json_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
