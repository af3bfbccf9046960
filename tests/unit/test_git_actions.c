/* SPDX-License-Identifier: BSD-3-Clause */
/* test_git_actions.c - unit tests for git-credential-anaconda/actions.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

#include "config_struct.h"
#include "../../git-credential-anaconda/actions.h"
#include "anaconda_auth.h"
#include "jwt_samples.h"
#include "../../git-credential-anaconda/protocol.h"

/* 2026-01-01: JWT_VALID is unexpired, JWT_EXPIRED is long gone. */
#define NOW ((time_t)1767225600)
#define DOMAIN "anaconda.cloud"

/* Another key for JWT_VALID's account (sub test-user), iat 1750000000. */
#define JWT_ROTATED \
	"eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAidGVzdC11c2VyIiwgImlhdCI6IDE3NTAwMDAwMDAsICJleHAiOiA0MTAyNDQ0ODAwfQ.bm90LWEtcmVhbC1zaWduYXR1cmU"
/* A valid key for another account (sub attacker). */
#define JWT_OTHER \
	"eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAiYXR0YWNrZXIiLCAiaWF0IjogMTc1MDAwMDAwMCwgImV4cCI6IDQxMDI0NDQ4MDB9.bm90LWEtcmVhbC1zaWduYXR1cmU"
/* A valid key that names no account (no sub). */
#define JWT_NO_SUB \
	"eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJpYXQiOiAxNzUwMDAwMDAwLCAiZXhwIjogNDEwMjQ0NDgwMH0.bm90LWEtcmVhbC1zaWduYXR1cmU"

struct fixture {
	char dir[64];
	char path[96];
	aa_config cfg;
	gca_ctx ctx;
	int login_calls;
	aa_status login_result;
	const char *login_stores; /* key the fake login stores, or NULL */
};

static struct fixture *current;

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	aa_error err;

	snprintf(f->dir, sizeof(f->dir), "/tmp/test_git_actions.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/keyring", f->dir);
	f->cfg.domain = (char *)DOMAIN;
	f->cfg.keyring_path = f->path; /* what the actions open after a login */
	f->ctx.cfg = &f->cfg;
	f->ctx.now = NOW;
	aa_error_clear(&err);
	assert_int_equal(aa_keyring_open_file(f->path, &f->ctx.kr, &err), AA_OK);
	current = f;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	gca_ctx_close(&f->ctx);
	unlink(f->path);
	/* the library may leave a lock file next to the keyring */
	{
		char lock[128];

		snprintf(lock, sizeof(lock), "%s.lock", f->path);
		unlink(lock);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* gca_ctx_close() drops the keyring; the tests reopen the same file. */
static aa_keyring *kr(struct fixture *f)
{
	aa_error err;

	if (!f->ctx.kr)
		assert_int_equal(aa_keyring_open_file(f->path, &f->ctx.kr, &err), AA_OK);
	return f->ctx.kr;
}

static void store_key(struct fixture *f, const char *domain, const char *key)
{
	aa_error err;

	aa_error_clear(&err);
	assert_int_equal(aa_keyring_store_api_key(kr(f), domain, key, &err), AA_OK);
}

static char *stored_key(struct fixture *f, const char *domain)
{
	aa_token_info *info = NULL;
	aa_error err;
	char *key = NULL;

	aa_error_clear(&err);
	if (aa_keyring_get(kr(f), domain, &info, NULL, &err) == AA_OK && info->api_key)
		key = strdup(aa_secret_str(info->api_key));
	aa_token_info_free(info);
	return key;
}

static void request(gca_request *req, const char *text)
{
	aa_error err;

	aa_error_clear(&err);
	assert_int_equal(gca_request_parse(text, strlen(text), req, NULL, &err), AA_OK);
}

static aa_status get(struct fixture *f, const char *text, char **out, aa_error *err)
{
	gca_request req;
	size_t len;
	aa_status st;

	request(&req, text);
	aa_error_clear(err);
	st = gca_get(&f->ctx, &req, out, &len, err);
	gca_request_free(&req);
	return st;
}

static aa_status fake_login(gca_ctx *ctx, aa_error *err)
{
	(void)ctx;
	(void)err;
	current->login_calls++;
	if (current->login_stores)
		store_key(current, DOMAIN, current->login_stores);
	return current->login_result;
}

static void test_get_prints_key_and_expiry(void **state)
{
	struct fixture *f = *state;
	char *out = NULL;
	aa_error err;

	store_key(f, DOMAIN, JWT_VALID);
	assert_int_equal(get(f, "protocol=https\nhost=anaconda.cloud\n", &out, &err), AA_OK);
	assert_non_null(out);
	assert_string_equal(out, "username=" GCA_DEFAULT_USERNAME "\npassword=" JWT_VALID
			    "\npassword_expiry_utc=4102444800\n");
	aa_free_secret_str(out);
}

static void test_get_username_sources(void **state)
{
	struct fixture *f = *state;
	aa_token_info *info = aa_token_info_new(DOMAIN);
	char *out = NULL;
	aa_error err;

	assert_int_equal(aa_token_info_set_api_key(info, JWT_VALID), AA_OK);
	info->username = strdup("alice");
	assert_int_equal(aa_keyring_set(kr(f), info, &err), AA_OK);
	aa_token_info_free(info);
	assert_int_equal(get(f, "protocol=https\nhost=anaconda.cloud\n", &out, &err), AA_OK);
	assert_non_null(strstr(out, "username=alice\n"));
	aa_free_secret_str(out);
	/* --username wins */
	f->ctx.username = "bob";
	assert_int_equal(get(f, "protocol=https\nhost=anaconda.cloud\n", &out, &err), AA_OK);
	assert_non_null(strstr(out, "username=bob\n"));
	aa_free_secret_str(out);
	/* a username git already has is not overridden */
	assert_int_equal(get(f, "protocol=https\nhost=anaconda.cloud\nusername=carol\n",
			     &out, &err), AA_OK);
	assert_null(strstr(out, "username="));
	assert_non_null(strstr(out, "password=" JWT_VALID "\n"));
	aa_free_secret_str(out);
}

static void test_get_bearer_with_capability(void **state)
{
	struct fixture *f = *state;
	char *out = NULL;
	aa_error err;

	store_key(f, DOMAIN, JWT_VALID);
	assert_int_equal(get(f, "capability[]=authtype\nprotocol=https\nhost=anaconda.cloud\n",
			     &out, &err), AA_OK);
	assert_string_equal(out, "capability[]=authtype\nauthtype=Bearer\ncredential=" JWT_VALID
			    "\npassword_expiry_utc=4102444800\n");
	aa_free_secret_str(out);
}

static void test_get_key_without_exp_has_no_expiry(void **state)
{
	struct fixture *f = *state;
	char *out = NULL;
	aa_error err;

	store_key(f, DOMAIN, "plain-api-key");
	assert_int_equal(get(f, "protocol=https\nhost=anaconda.cloud\n", &out, &err), AA_OK);
	assert_string_equal(out, "username=anaconda\npassword=plain-api-key\n");
	aa_free_secret_str(out);
}

static void test_get_foreign_host_is_silent(void **state)
{
	struct fixture *f = *state;
	char *out = NULL;
	aa_error err;

	store_key(f, DOMAIN, JWT_VALID);
	assert_int_equal(get(f, "protocol=https\nhost=github.com\n", &out, &err), AA_OK);
	assert_null(out);
	assert_string_equal(err.message, "");
	assert_int_equal(get(f, "protocol=http\nhost=anaconda.cloud\n", &out, &err), AA_OK);
	assert_null(out);
	assert_int_equal(get(f, "host=anaconda.cloud\n", &out, &err), AA_OK);
	assert_null(out);
}

/* Only the domain and the --host names: a subdomain or family host gets nothing. */
static void test_get_serves_only_the_named_hosts(void **state)
{
	static const char *const hosts[] = { "repo.anaconda.cloud", NULL };
	struct fixture *f = *state;
	char *out = NULL;
	aa_error err;

	store_key(f, DOMAIN, JWT_VALID);
	assert_int_equal(get(f, "protocol=https\nhost=repo.anaconda.cloud\n", &out, &err), AA_OK);
	assert_null(out);
	assert_string_equal(err.message, "");
	assert_int_equal(get(f, "protocol=https\nhost=anaconda.com\n", &out, &err), AA_OK);
	assert_null(out);
	f->ctx.hosts = hosts;
	assert_int_equal(get(f, "protocol=https\nhost=repo.anaconda.cloud\n", &out, &err), AA_OK);
	assert_non_null(out);
	assert_non_null(strstr(out, "password=" JWT_VALID "\n"));
	aa_free_secret_str(out);
	assert_int_equal(get(f, "protocol=https\nhost=conda.anaconda.org\n", &out, &err), AA_OK);
	assert_null(out);
}

static void test_get_no_key_says_login(void **state)
{
	struct fixture *f = *state;
	char *out = NULL;
	aa_error err;

	assert_int_equal(get(f, "protocol=https\nhost=anaconda.cloud\n", &out, &err),
			 AA_ERR_NOT_FOUND);
	assert_null(out);
	assert_non_null(strstr(err.message, "anaconda-auth login"));
}

static void test_get_expired_says_login(void **state)
{
	struct fixture *f = *state;
	char *out = NULL;
	aa_error err;

	store_key(f, DOMAIN, JWT_EXPIRED);
	assert_int_equal(get(f, "protocol=https\nhost=anaconda.cloud\n", &out, &err),
			 AA_ERR_EXPIRED);
	assert_null(out);
	assert_non_null(strstr(err.message, "expired"));
	assert_non_null(strstr(err.message, "anaconda-auth login"));
}

static void test_get_login_runs_then_answers(void **state)
{
	struct fixture *f = *state;
	char *out = NULL;
	aa_error err;

	f->ctx.login = 1;
	f->ctx.run_login = fake_login;
	f->login_result = AA_OK;
	f->login_stores = JWT_VALID;
	store_key(f, DOMAIN, JWT_EXPIRED);
	assert_int_equal(get(f, "protocol=https\nhost=anaconda.cloud\n", &out, &err), AA_OK);
	assert_int_equal(f->login_calls, 1);
	assert_non_null(out);
	assert_non_null(strstr(out, "password=" JWT_VALID "\n"));
	aa_free_secret_str(out);
	/* a valid key needs no login */
	assert_int_equal(get(f, "protocol=https\nhost=anaconda.cloud\n", &out, &err), AA_OK);
	assert_int_equal(f->login_calls, 1);
	aa_free_secret_str(out);
}

static void test_get_login_without_terminal_keeps_message(void **state)
{
	struct fixture *f = *state;
	char *out = NULL;
	aa_error err;

	f->ctx.login = 1;
	f->ctx.run_login = fake_login;
	f->login_result = AA_ERR_UNSUPPORTED;
	assert_int_equal(get(f, "protocol=https\nhost=anaconda.cloud\n", &out, &err),
			 AA_ERR_NOT_FOUND);
	assert_int_equal(f->login_calls, 1);
	assert_null(out);
	assert_non_null(strstr(err.message, "anaconda-auth login"));
	/* not for foreign hosts */
	assert_int_equal(get(f, "protocol=https\nhost=example.com\n", &out, &err), AA_OK);
	assert_int_equal(f->login_calls, 1);
}

/* gca_store; *outcome (may be NULL) gets what it did. */
static aa_status store_outcome(struct fixture *f, const char *text,
			       gca_store_outcome *outcome)
{
	gca_request req;
	gca_store_result res;
	aa_error err;
	aa_status st;

	request(&req, text);
	aa_error_clear(&err);
	memset(&res, 0x5a, sizeof(res));
	st = gca_store(&f->ctx, &req, &res, &err);
	gca_request_free(&req);
	assert_true(res.outcome == GCA_STORE_NOTHING || res.outcome == GCA_STORE_KEPT ||
		    res.outcome == GCA_STORE_STORED);
	if (res.outcome == GCA_STORE_STORED)
		assert_non_null(memchr(res.account, '\0', sizeof(res.account)));
	if (outcome)
		*outcome = res.outcome;
	return st;
}

static aa_status store(struct fixture *f, const char *text)
{
	return store_outcome(f, text, NULL);
}

static void assert_stored(struct fixture *f, const char *want)
{
	char *key = stored_key(f, DOMAIN);

	assert_non_null(key);
	assert_string_equal(key, want);
	free(key);
}

static void test_store_keeps_a_key_when_none_is_stored(void **state)
{
	struct fixture *f = *state;
	gca_store_outcome got = GCA_STORE_NOTHING;

	assert_int_equal(store_outcome(f, "protocol=https\nhost=anaconda.cloud\nusername=x\npassword="
				       JWT_VALID "\n", &got), AA_OK);
	assert_int_equal(got, GCA_STORE_STORED);
	assert_stored(f, JWT_VALID);
	/* git approves every success: the same key again says nothing */
	assert_int_equal(store_outcome(f, "protocol=https\nhost=anaconda.cloud\npassword="
				       JWT_VALID "\n", &got), AA_OK);
	assert_int_equal(got, GCA_STORE_NOTHING);
	assert_stored(f, JWT_VALID);
}

static void test_store_replaces_an_expired_key_of_any_account(void **state)
{
	struct fixture *f = *state;
	gca_store_outcome got = GCA_STORE_NOTHING;

	store_key(f, DOMAIN, JWT_EXPIRED); /* sub old-user, expired: nothing valid */
	assert_int_equal(store_outcome(f, "protocol=https\nhost=anaconda.cloud\npassword="
				       JWT_OTHER "\n", &got), AA_OK);
	assert_int_equal(got, GCA_STORE_STORED);
	assert_stored(f, JWT_OTHER);
}

/*
 * A valid stored key is never replaced, whatever account git's key names:
 * an unverified `sub` (a forged same-account JWT) proves nothing.
 */
static void test_store_never_replaces_a_valid_key(void **state)
{
	static const char *const stored[] = { JWT_VALID, "plain-api-key", JWT_NO_SUB, JWT_NO_EXP };
	static const char *const offered[] = { JWT_OTHER, JWT_ROTATED, JWT_NO_SUB };
	struct fixture *f = *state;
	gca_store_outcome got = GCA_STORE_NOTHING;
	char text[1024];

	for (size_t i = 0; i < sizeof(stored) / sizeof(stored[0]); i++) {
		store_key(f, DOMAIN, stored[i]);
		for (size_t j = 0; j < sizeof(offered) / sizeof(offered[0]); j++) {
			if (!strcmp(stored[i], offered[j]))
				continue;
			snprintf(text, sizeof(text), "protocol=https\nhost=anaconda.cloud\n"
				 "username=x\npassword=%s\n", offered[j]);
			assert_int_equal(store_outcome(f, text, &got), AA_OK);
			assert_int_equal(got, GCA_STORE_KEPT);
			assert_stored(f, stored[i]);
			snprintf(text, sizeof(text), "capability[]=authtype\nprotocol=https\n"
				 "host=anaconda.cloud\nauthtype=Bearer\ncredential=%s\n",
				 offered[j]);
			assert_int_equal(store_outcome(f, text, &got), AA_OK);
			assert_int_equal(got, GCA_STORE_KEPT);
			assert_stored(f, stored[i]);
		}
	}
}

/*
 * The key a concurrent `anaconda-auth login` stores, the moment the next
 * writer asks for the keyring's lock: after git's store looked, before it
 * writes. This flock stands in for libc's within this test program.
 */
static const char *login_at_lock;

int flock(int fd, int op)
{
	const char *key = login_at_lock;

	if (key && (op & LOCK_EX)) {
		aa_keyring *other = NULL;
		aa_error err;

		login_at_lock = NULL; /* the login's own lock is a plain one */
		aa_error_clear(&err);
		assert_int_equal(aa_keyring_open_file(current->path, &other, &err), AA_OK);
		assert_int_equal(aa_keyring_store_api_key(other, DOMAIN, key, &err), AA_OK);
		aa_keyring_close(other);
	}
	return (int)syscall(SYS_flock, fd, op);
}

static void test_store_keeps_a_key_a_login_stored_meanwhile(void **state)
{
	struct fixture *f = *state;
	gca_store_outcome got = GCA_STORE_NOTHING;

	store_key(f, DOMAIN, JWT_EXPIRED); /* nothing valid when git's store looks */
	login_at_lock = JWT_VALID;
	assert_int_equal(store_outcome(f, "protocol=https\nhost=anaconda.cloud\npassword="
				       JWT_OTHER "\n", &got), AA_OK);
	assert_null(login_at_lock); /* the login did run in between */
	assert_int_equal(got, GCA_STORE_KEPT);
	assert_stored(f, JWT_VALID);
}

static void test_store_keeps_repo_tokens(void **state)
{
	struct fixture *f = *state;
	aa_token_info *info = aa_token_info_new(DOMAIN);
	aa_error err;

	assert_int_equal(aa_token_info_set_api_key(info, JWT_EXPIRED), AA_OK);
	assert_int_equal(aa_token_info_set_repo_token(info, "org1", "repo-tok"), AA_OK);
	assert_int_equal(aa_keyring_set(kr(f), info, &err), AA_OK);
	aa_token_info_free(info);
	assert_int_equal(store(f, "protocol=https\nhost=anaconda.cloud\npassword=" JWT_ROTATED "\n"),
			 AA_OK);
	assert_int_equal(aa_keyring_get(kr(f), DOMAIN, &info, NULL, &err), AA_OK);
	assert_string_equal(aa_secret_str(info->api_key), JWT_ROTATED);
	assert_non_null(aa_token_info_get_repo_token(info, "org1"));
	aa_token_info_free(info);
}

static void test_store_ignores_what_is_not_a_fresh_key(void **state)
{
	struct fixture *f = *state;
	char *key;

	store_key(f, DOMAIN, "old-key");
	/* not a JWT, expired, no password, foreign host, a subdomain, ephemeral */
	assert_int_equal(store(f, "protocol=https\nhost=anaconda.cloud\npassword=hunter2\n"), AA_OK);
	assert_int_equal(store(f, "protocol=https\nhost=anaconda.cloud\npassword=" JWT_EXPIRED "\n"),
			 AA_OK);
	assert_int_equal(store(f, "protocol=https\nhost=anaconda.cloud\npassword=" JWT_NO_EXP "\n"),
			 AA_OK);
	assert_int_equal(store(f, "protocol=https\nhost=anaconda.cloud\nusername=u\n"), AA_OK);
	assert_int_equal(store(f, "protocol=https\nhost=github.com\npassword=" JWT_VALID "\n"), AA_OK);
	assert_int_equal(store(f, "protocol=https\nhost=repo.anaconda.cloud\npassword=" JWT_VALID "\n"),
			 AA_OK);
	assert_int_equal(store(f, "protocol=http\nhost=anaconda.cloud\npassword=" JWT_VALID "\n"), AA_OK);
	assert_int_equal(store(f, "protocol=https\nhost=anaconda.cloud\nephemeral=1\npassword="
			       JWT_VALID "\n"), AA_OK);
	key = stored_key(f, DOMAIN);
	assert_string_equal(key, "old-key");
	free(key);
}

static void test_store_bearer_credential(void **state)
{
	struct fixture *f = *state;
	char *key;

	assert_int_equal(store(f, "capability[]=authtype\nprotocol=https\nhost=anaconda.cloud\n"
			       "authtype=Bearer\ncredential=" JWT_VALID "\n"), AA_OK);
	key = stored_key(f, DOMAIN);
	assert_string_equal(key, JWT_VALID);
	free(key);
}

static aa_status erase(struct fixture *f, const char *text, int *erased)
{
	gca_request req;
	aa_error err;
	aa_status st;

	request(&req, text);
	aa_error_clear(&err);
	st = gca_erase(&f->ctx, &req, erased, &err);
	gca_request_free(&req);
	return st;
}

static void test_erase_only_when_equal(void **state)
{
	struct fixture *f = *state;
	int erased = -1;
	char *key;

	store_key(f, DOMAIN, JWT_VALID);
	/* absent password, different password, foreign host: kept */
	assert_int_equal(erase(f, "protocol=https\nhost=anaconda.cloud\nusername=anaconda\n",
			       &erased), AA_OK);
	assert_int_equal(erased, 0);
	assert_int_equal(erase(f, "protocol=https\nhost=anaconda.cloud\npassword=other\n",
			       &erased), AA_OK);
	assert_int_equal(erase(f, "protocol=https\nhost=anaconda.cloud\npassword=" JWT_VALID "x\n",
			       &erased), AA_OK);
	assert_int_equal(erase(f, "protocol=https\nhost=example.com\npassword=" JWT_VALID "\n",
			       &erased), AA_OK);
	assert_int_equal(erased, 0);
	key = stored_key(f, DOMAIN);
	assert_string_equal(key, JWT_VALID);
	free(key);
	/* equal: deleted */
	assert_int_equal(erase(f, "protocol=https\nhost=anaconda.cloud\npassword=" JWT_VALID "\n",
			       &erased), AA_OK);
	assert_int_equal(erased, 1);
	key = stored_key(f, DOMAIN);
	assert_null(key);
	free(key);
	/* nothing left: still fine */
	assert_int_equal(erase(f, "protocol=https\nhost=anaconda.cloud\npassword=" JWT_VALID "\n",
			       &erased), AA_OK);
	assert_int_equal(erased, 0);
}

static void test_erase_keeps_repo_tokens(void **state)
{
	struct fixture *f = *state;
	aa_token_info *info = aa_token_info_new(DOMAIN);
	aa_error err;
	int erased = 0;

	assert_int_equal(aa_token_info_set_api_key(info, JWT_VALID), AA_OK);
	assert_int_equal(aa_token_info_set_repo_token(info, "org1", "repo-tok"), AA_OK);
	assert_int_equal(aa_keyring_set(kr(f), info, &err), AA_OK);
	aa_token_info_free(info);
	assert_int_equal(erase(f, "protocol=https\nhost=anaconda.cloud\npassword=" JWT_VALID "\n",
			       &erased), AA_OK);
	assert_int_equal(erased, 1);
	assert_int_equal(aa_keyring_get(kr(f), DOMAIN, &info, NULL, &err), AA_OK);
	assert_null(info->api_key);
	assert_non_null(aa_token_info_get_repo_token(info, "org1"));
	aa_token_info_free(info);
}

static void test_erase_refuses_when_store_unreadable(void **state)
{
	struct fixture *f = *state;
	gca_request req;
	aa_error err;
	int erased = 0;
	FILE *fp;

	/* a damaged keyring: erase must report, not delete */
	gca_ctx_close(&f->ctx);
	fp = fopen(f->path, "w");
	fputs("{not json", fp);
	fclose(fp);
	request(&req, "protocol=https\nhost=anaconda.cloud\npassword=" JWT_VALID "\n");
	aa_error_clear(&err);
	assert_int_not_equal(gca_erase(&f->ctx, &req, &erased, &err), AA_OK);
	gca_request_free(&req);
	assert_int_equal(erased, 0);
	fp = fopen(f->path, "r");
	{
		char buf[32] = { 0 };

		assert_non_null(fgets(buf, sizeof(buf), fp));
		assert_string_equal(buf, "{not json");
	}
	fclose(fp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_get_prints_key_and_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_username_sources, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_bearer_with_capability, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_key_without_exp_has_no_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_foreign_host_is_silent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_serves_only_the_named_hosts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_no_key_says_login, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_expired_says_login, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_login_runs_then_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_login_without_terminal_keeps_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_keeps_a_key_when_none_is_stored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_replaces_an_expired_key_of_any_account, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_never_replaces_a_valid_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_keeps_a_key_a_login_stored_meanwhile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_keeps_repo_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_ignores_what_is_not_a_fresh_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_bearer_credential, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erase_only_when_equal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erase_keeps_repo_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erase_refuses_when_store_unreadable, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
