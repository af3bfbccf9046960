/* SPDX-License-Identifier: BSD-3-Clause */
/* test_keyring.c - the key storage API: aliases, the env layer, store_api_key, store unless valid, delete, forget, notices, fallbacks. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "config_struct.h"
#include "jwt_samples.h"
#include "keyring_backend.h"

static char tmpl[64];
static char *root;
static char kpath[PATH_MAX];
static char logged[4096];

static void log_line(void *ctx, const char *line)
{
	size_t n = strlen(logged);

	(void)ctx;
	snprintf(logged + n, sizeof(logged) - n, "%s\n", line);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpl, sizeof(tmpl), "/tmp/aa-keyring-XXXXXX");
	root = mkdtemp(tmpl);
	if (!root)
		return -1;
	snprintf(kpath, sizeof(kpath), "%s/.anaconda/keyring", root);
	logged[0] = '\0';
	unsetenv("ANACONDA_AUTH_SECRET_MODULE");
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);
	size_t n;

	assert_non_null(buf);
	if (!f) {
		free(buf);
		return NULL;
	}
	n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void put_keyring(const char *text, mode_t mode)
{
	char dir[PATH_MAX];
	int fd;

	snprintf(dir, sizeof(dir), "%s/.anaconda", root);
	assert_true(mkdir(dir, 0700) == 0 || errno == EEXIST);
	fd = open(kpath, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static aa_keyring *open_file(void)
{
	aa_keyring *kr = NULL;
	aa_error err;

	assert_int_equal(aa_keyring_open_file(kpath, &kr, &err), AA_OK);
	aa_keyring_set_log(kr, log_line, NULL);
	return kr;
}

static void store(aa_keyring *kr, const char *domain, const char *key)
{
	aa_error err;

	assert_int_equal(aa_keyring_store_api_key(kr, domain, key, &err), AA_OK);
}

/* One entry under exactly `domain`, aliases untouched (aa_keyring_set). */
static void put_entry(aa_keyring *kr, const char *domain, const char *key)
{
	aa_token_info *info = aa_token_info_new(domain);
	aa_error err;

	assert_non_null(info);
	assert_int_equal(aa_token_info_set_api_key(info, key), AA_OK);
	assert_int_equal(aa_keyring_set(kr, info, &err), AA_OK);
	aa_token_info_free(info);
}

static void expect_key(aa_keyring *kr, const char *domain, const char *key,
		       const char *stored_under, const char *backend)
{
	aa_token_info *info = NULL;
	aa_keyring_source src;
	aa_error err;

	assert_int_equal(aa_keyring_get(kr, domain, &info, &src, &err), AA_OK);
	assert_non_null(info->api_key);
	assert_string_equal(aa_secret_str(info->api_key), key);
	assert_string_equal(src.domain, stored_under);
	assert_string_equal(src.backend, backend);
	aa_token_info_free(info);
}

static void expect_absent(aa_keyring *kr, const char *domain)
{
	aa_token_info *info = NULL;
	aa_error err;

	assert_int_equal(aa_keyring_get(kr, domain, &info, NULL, &err),
			 AA_ERR_NOT_FOUND);
	assert_null(info);
	assert_non_null(strstr(err.message, "log in"));
}

static void test_round_trip(void **state)
{
	aa_keyring *kr = open_file();
	aa_token_info *info = aa_token_info_new("anaconda.cloud"), *got = NULL;
	aa_keyring_source src;
	aa_error err;

	(void)state;
	expect_absent(kr, "anaconda.cloud");
	assert_int_equal(aa_token_info_set_api_key(info, "key-1"), AA_OK);
	assert_int_equal(aa_token_info_set_repo_token(info, "org", "rt-1"), AA_OK);
	assert_int_equal(aa_keyring_set(kr, info, &err), AA_OK);
	assert_int_equal(aa_keyring_get(kr, "anaconda.cloud", &got, &src, &err), AA_OK);
	assert_string_equal(aa_secret_str(got->api_key), "key-1");
	assert_string_equal(aa_secret_str(aa_token_info_get_repo_token(got, "org")), "rt-1");
	assert_string_equal(src.backend, "file");
	assert_string_equal(src.location, kpath);
	assert_string_equal(src.domain, "anaconda.cloud");
	assert_string_equal(aa_keyring_backend_name(kr), "file");
	assert_string_equal(aa_keyring_location(kr), kpath);
	assert_null(aa_keyring_notice(kr));
	aa_token_info_free(info);
	aa_token_info_free(got);
	aa_keyring_close(kr);
}

static void test_alias_lookup(void **state)
{
	aa_keyring *kr = open_file();

	(void)state;
	store(kr, "anaconda.com", "com-key");
	expect_key(kr, "anaconda.cloud", "com-key", "anaconda.com", "file");
	expect_key(kr, "id.anaconda.cloud", "com-key", "anaconda.com", "file");
	aa_keyring_close(kr);
	assert_int_equal(unlink(kpath), 0);
	kr = open_file();
	store(kr, "anaconda.cloud", "cloud-key");
	expect_key(kr, "anaconda.com", "cloud-key", "anaconda.cloud", "file");
	/* The exact name wins over an alias. */
	put_entry(kr, "anaconda.com", "com-key");
	expect_key(kr, "anaconda.com", "com-key", "anaconda.com", "file");
	expect_key(kr, "anaconda.cloud", "cloud-key", "anaconda.cloud", "file");
	/* Outside the family there are no aliases. */
	expect_absent(kr, "other.example");
	aa_keyring_close(kr);
}

static void test_delete_removes_aliases_only(void **state)
{
	aa_keyring *kr = open_file();
	char **list = NULL;
	aa_error err;

	(void)state;
	store(kr, "anaconda.cloud", "a");
	store(kr, "other.example", "o");
	store(kr, "anaconda.com", "b");
	store(kr, "id.anaconda.cloud", "c");
	assert_int_equal(aa_keyring_delete(kr, "anaconda.cloud", &err), AA_OK);
	expect_absent(kr, "anaconda.com");
	expect_key(kr, "other.example", "o", "other.example", "file");
	assert_int_equal(aa_keyring_list_domains(kr, &list, &err), AA_OK);
	assert_string_equal(list[0], "other.example");
	assert_null(list[1]);
	aa_strv_free(list);
	/* Logging out twice is fine. */
	assert_int_equal(aa_keyring_delete(kr, "anaconda.cloud", &err), AA_OK);
	aa_keyring_close(kr);
}

static void test_delete_without_keyring_creates_nothing(void **state)
{
	aa_keyring *kr = open_file();
	aa_error err;

	(void)state;
	assert_int_equal(aa_keyring_delete(kr, "anaconda.cloud", &err), AA_OK);
	assert_int_equal(access(kpath, F_OK), -1);
	aa_keyring_close(kr);
}

static void test_store_api_key_keeps_repo_tokens(void **state)
{
	aa_keyring *kr = open_file();
	aa_token_info *info = aa_token_info_new("anaconda.cloud"), *got = NULL;
	aa_error err;

	(void)state;
	info->username = strdup("alice");
	assert_int_equal(aa_token_info_set_api_key(info, "old"), AA_OK);
	assert_int_equal(aa_token_info_set_repo_token(info, "org-a", "ta"), AA_OK);
	assert_int_equal(aa_token_info_set_repo_token(info, "org-b", "tb"), AA_OK);
	assert_int_equal(aa_keyring_set(kr, info, &err), AA_OK);
	aa_token_info_free(info);
	store(kr, "anaconda.cloud", "new");
	assert_int_equal(aa_keyring_get(kr, "anaconda.cloud", &got, NULL, &err), AA_OK);
	assert_string_equal(aa_secret_str(got->api_key), "new");
	assert_string_equal(got->username, "alice");
	assert_int_equal(got->n_repo_tokens, 2);
	assert_string_equal(aa_secret_str(aa_token_info_get_repo_token(got, "org-b")), "tb");
	assert_int_equal(got->version, 2);
	aa_token_info_free(got);
	aa_keyring_close(kr);
}

static void test_store_api_key_refreshes_alias_entries(void **state)
{
	aa_keyring *kr = open_file();
	aa_token_info *got = NULL;
	aa_error err;
	char *text;

	(void)state;
	/* {"api_key": "old", "username": "bob"} under the 0.8+ name */
	put_keyring("{\"Anaconda Cloud\": {\"anaconda.com\": \"eyJhcGlfa2V5IjogIm9sZCIsICJ1c2VybmFtZSI6ICJib2IifQ==\"}}", 0600);
	store(kr, "anaconda.cloud", "new");
	text = slurp(kpath);
	assert_non_null(text);
	/* The alias entry stays where it was (first) and the domain's is added... */
	assert_non_null(strstr(text, "{\"Anaconda Cloud\": {\"anaconda.com\": \""));
	assert_non_null(strstr(text, "\"anaconda.cloud\": \""));
	/* ...but no absent alias is created */
	assert_null(strstr(text, "id.anaconda.cloud"));
	free(text);
	expect_key(kr, "anaconda.cloud", "new", "anaconda.cloud", "file");
	/* the alias entry holds the new key and keeps the rest of itself */
	expect_key(kr, "anaconda.com", "new", "anaconda.com", "file");
	assert_int_equal(aa_keyring_get(kr, "anaconda.com", &got, NULL, &err), AA_OK);
	assert_string_equal(got->username, "bob");
	assert_string_equal(got->domain, "anaconda.com");
	aa_token_info_free(got);
	/* a domain outside the family stores under itself only */
	store(kr, "other.example", "other");
	expect_key(kr, "anaconda.com", "new", "anaconda.com", "file");
	aa_keyring_close(kr);
}

static ino_t inode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_ino;
}

static void test_forget_takes_only_that_key(void **state)
{
	aa_keyring *kr = open_file();
	char **list = NULL;
	ino_t before;
	int removed = -1;
	aa_error err;

	(void)state;
	put_entry(kr, "anaconda.cloud", "a");
	put_entry(kr, "anaconda.com", "a");
	put_entry(kr, "id.anaconda.cloud", "other");
	put_entry(kr, "other.example", "a");
	assert_int_equal(aa_keyring_forget_api_key(kr, "anaconda.cloud", "a",
						   &removed, &err), AA_OK);
	/* Both aliases holding it; not the alias with another key, nor another domain. */
	assert_int_equal(removed, 2);
	assert_int_equal(aa_keyring_list_domains(kr, &list, &err), AA_OK);
	assert_string_equal(list[0], "id.anaconda.cloud");
	assert_string_equal(list[1], "other.example");
	assert_null(list[2]);
	aa_strv_free(list);
	/* Nothing of ours left: the file is not even rewritten. */
	before = inode_of(kpath);
	assert_int_equal(aa_keyring_forget_api_key(kr, "anaconda.cloud", "a",
						   &removed, &err), AA_OK);
	assert_int_equal(removed, 0);
	assert_true(inode_of(kpath) == before);
	aa_keyring_close(kr);
}

static void test_forget_keeps_a_key_stored_meanwhile(void **state)
{
	aa_keyring *kr = open_file(), *other = open_file();
	int removed = -1;
	aa_error err;

	(void)state;
	store(kr, "anaconda.cloud", "refused");
	/* Another process logs in between git's lookup and its erase. */
	store(other, "anaconda.cloud", "fresh");
	assert_int_equal(aa_keyring_forget_api_key(kr, "anaconda.cloud", "refused",
						   &removed, &err), AA_OK);
	assert_int_equal(removed, 0);
	expect_key(kr, "anaconda.cloud", "fresh", "anaconda.cloud", "file");
	aa_keyring_close(other);
	aa_keyring_close(kr);
}

static void test_forget_keeps_repo_tokens(void **state)
{
	aa_keyring *kr = open_file();
	aa_token_info *info = aa_token_info_new("anaconda.cloud"), *got = NULL;
	int removed = -1;
	aa_error err;

	(void)state;
	assert_int_equal(aa_token_info_set_api_key(info, "k"), AA_OK);
	assert_int_equal(aa_token_info_set_repo_token(info, "org-a", "ta"), AA_OK);
	assert_int_equal(aa_keyring_set(kr, info, &err), AA_OK);
	aa_token_info_free(info);
	assert_int_equal(aa_keyring_forget_api_key(kr, "anaconda.cloud", "k",
						   &removed, &err), AA_OK);
	assert_int_equal(removed, 1);
	assert_int_equal(aa_keyring_get(kr, "anaconda.cloud", &got, NULL, &err), AA_OK);
	assert_null(got->api_key);
	assert_string_equal(aa_secret_str(aa_token_info_get_repo_token(got, "org-a")), "ta");
	aa_token_info_free(got);
	assert_int_equal(aa_keyring_forget_api_key(kr, "", "k", NULL, &err), AA_ERR_USAGE);
	assert_int_equal(aa_keyring_forget_api_key(kr, "anaconda.cloud", "", NULL, &err),
			 AA_ERR_USAGE);
	aa_keyring_close(kr);
}

/* aa_keyring_store_api_key_unless_valid at the present time; returns *stored. */
static int store_unless_valid(aa_keyring *kr, const char *domain, const char *key,
			      aa_status want)
{
	int stored = -1;
	aa_error err;

	assert_int_equal(aa_keyring_store_api_key_unless_valid(kr, domain, key, time(NULL),
							       &stored, &err), want);
	assert_true(stored == 0 || stored == 1);
	return stored;
}

static void test_unless_valid_stores_when_nothing_is_stored(void **state)
{
	aa_keyring *kr = open_file();

	(void)state;
	assert_int_equal(store_unless_valid(kr, "anaconda.cloud", JWT_VALID, AA_OK), 1);
	expect_key(kr, "anaconda.cloud", JWT_VALID, "anaconda.cloud", "file");
	aa_keyring_close(kr);
}

static void test_unless_valid_keeps_a_valid_key(void **state)
{
	static const char *const valid[] = { JWT_VALID, JWT_NO_EXP, "not-a-jwt" };
	aa_keyring *kr = open_file();
	ino_t before;

	(void)state;
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		store(kr, "anaconda.cloud", valid[i]);
		before = inode_of(kpath);
		assert_int_equal(store_unless_valid(kr, "anaconda.cloud", JWT_FLOAT_EXP, AA_OK), 0);
		expect_key(kr, "anaconda.cloud", valid[i], "anaconda.cloud", "file");
		assert_true(inode_of(kpath) == before); /* not even rewritten */
	}
	aa_keyring_close(kr);
}

static void test_unless_valid_replaces_an_expired_key(void **state)
{
	aa_keyring *kr = open_file();
	aa_token_info *info = aa_token_info_new("anaconda.cloud"), *got = NULL;
	aa_error err;

	(void)state;
	assert_int_equal(aa_token_info_set_api_key(info, JWT_EXPIRED), AA_OK);
	assert_int_equal(aa_token_info_set_repo_token(info, "org-a", "ta"), AA_OK);
	assert_int_equal(aa_keyring_set(kr, info, &err), AA_OK);
	aa_token_info_free(info);
	assert_int_equal(store_unless_valid(kr, "anaconda.cloud", JWT_VALID, AA_OK), 1);
	assert_int_equal(aa_keyring_get(kr, "anaconda.cloud", &got, NULL, &err), AA_OK);
	assert_string_equal(aa_secret_str(got->api_key), JWT_VALID);
	assert_string_equal(aa_secret_str(aa_token_info_get_repo_token(got, "org-a")), "ta");
	aa_token_info_free(got);
	aa_keyring_close(kr);
}

static void test_unless_valid_looks_at_the_aliases(void **state)
{
	aa_keyring *kr = open_file();
	char **list = NULL;
	aa_error err;

	(void)state;
	/* A valid key under an alias is the person's key for the domain too. */
	store(kr, "anaconda.com", JWT_VALID);
	assert_int_equal(store_unless_valid(kr, "anaconda.cloud", JWT_NO_EXP, AA_OK), 0);
	assert_int_equal(aa_keyring_list_domains(kr, &list, &err), AA_OK);
	assert_string_equal(list[0], "anaconda.com");
	assert_null(list[1]);
	aa_strv_free(list);
	/* Expired there: the key goes under the domain asked for. */
	store(kr, "anaconda.com", JWT_EXPIRED);
	assert_int_equal(store_unless_valid(kr, "anaconda.cloud", JWT_NO_EXP, AA_OK), 1);
	expect_key(kr, "anaconda.cloud", JWT_NO_EXP, "anaconda.cloud", "file");
	/* Another domain is not an alias. */
	assert_int_equal(store_unless_valid(kr, "other.example", JWT_VALID, AA_OK), 1);
	assert_int_equal(aa_keyring_store_api_key_unless_valid(kr, "", "k", 0, NULL, &err),
			 AA_ERR_USAGE);
	assert_int_equal(aa_keyring_store_api_key_unless_valid(kr, "anaconda.cloud", "", 0,
							       NULL, &err), AA_ERR_USAGE);
	aa_keyring_close(kr);
}

/* Another process logs in after this one looked and before it writes. */
static void test_unless_valid_keeps_a_key_stored_meanwhile(void **state)
{
	aa_keyring *kr = open_file(), *other = open_file();

	(void)state;
	store(kr, "anaconda.cloud", JWT_EXPIRED);
	expect_key(kr, "anaconda.cloud", JWT_EXPIRED, "anaconda.cloud", "file");
	store(other, "anaconda.cloud", JWT_NO_EXP);
	assert_int_equal(store_unless_valid(kr, "anaconda.cloud", JWT_VALID, AA_OK), 0);
	expect_key(kr, "anaconda.cloud", JWT_NO_EXP, "anaconda.cloud", "file");
	aa_keyring_close(other);
	aa_keyring_close(kr);
}

/*
 * A login on an alias domain that lands the moment the next writer asks for
 * the keyring's lock: after any look outside the lock, before the write.
 * This flock stands in for libc's within this test program.
 */
static const char *alias_login_at_lock;

int flock(int fd, int op)
{
	const char *key = alias_login_at_lock;

	if (key && (op & LOCK_EX)) {
		aa_keyring *other = open_file();

		alias_login_at_lock = NULL; /* the login's own lock is a plain one */
		store(other, "anaconda.com", key);
		aa_keyring_close(other);
	}
	return (int)syscall(SYS_flock, fd, op);
}

static void test_unless_valid_keeps_an_alias_key_stored_meanwhile(void **state)
{
	aa_keyring *kr = open_file();
	char **list = NULL;
	aa_error err;

	(void)state;
	store(kr, "other.example", JWT_VALID); /* the file exists, no family entry */
	alias_login_at_lock = JWT_NO_EXP;
	assert_int_equal(store_unless_valid(kr, "anaconda.cloud", JWT_VALID, AA_OK), 0);
	assert_null(alias_login_at_lock); /* the login did run in between */
	/* no anaconda.cloud entry shadows the key the login stored */
	assert_int_equal(aa_keyring_list_domains(kr, &list, &err), AA_OK);
	for (size_t i = 0; list[i]; i++)
		assert_string_not_equal(list[i], "anaconda.cloud");
	aa_strv_free(list);
	expect_key(kr, "anaconda.cloud", JWT_NO_EXP, "anaconda.com", "file");
	aa_keyring_close(kr);
}

static void fill_config(aa_config *cfg, const char *env_key)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->domain = strdup("anaconda.cloud");
	cfg->keyring_path = strdup(kpath);
	cfg->storage = AA_STORAGE_FILE;
	if (env_key) {
		cfg->api_key = aa_secret_from_str(env_key);
		cfg->api_key_source = "ANACONDA_AUTH_API_KEY";
	}
}

static void free_config(aa_config *cfg)
{
	free(cfg->domain);
	free(cfg->keyring_path);
	aa_secret_free(cfg->api_key);
}

static void test_env_layer_wins_and_writes_go_to_file(void **state)
{
	aa_keyring *kr = NULL;
	aa_keyring_source src;
	aa_token_info *info = NULL;
	aa_config cfg;
	aa_error err;

	(void)state;
	fill_config(&cfg, "env-key");
	put_keyring("{\"Anaconda Cloud\": {\"anaconda.cloud\": \"eyJhcGlfa2V5IjogInN0b3JlZCJ9\"}}", 0600);
	assert_int_equal(aa_keyring_open(&cfg, &kr, &err), AA_OK);
	assert_int_equal(aa_keyring_get(kr, "anaconda.cloud", &info, &src, &err), AA_OK);
	assert_string_equal(aa_secret_str(info->api_key), "env-key");
	assert_string_equal(src.backend, "env");
	assert_string_equal(src.location, "ANACONDA_AUTH_API_KEY");
	aa_token_info_free(info);
	/* An alias of the configured domain is served by the env key too. */
	expect_key(kr, "anaconda.com", "env-key", "anaconda.cloud", "env");
	/* Another domain is not. */
	expect_absent(kr, "other.example");
	/* Writes still reach the store (the Python ConfigKeyring refuses them). */
	assert_string_equal(aa_keyring_backend_name(kr), "file");
	store(kr, "anaconda.cloud", "login-key");
	expect_key(kr, "anaconda.cloud", "env-key", "anaconda.cloud", "env");
	aa_keyring_close(kr);
	kr = open_file();
	expect_key(kr, "anaconda.cloud", "login-key", "anaconda.cloud", "file");
	aa_keyring_close(kr);
	/* Logout removes the stored key even while the env key is set. */
	assert_int_equal(aa_keyring_open(&cfg, &kr, &err), AA_OK);
	assert_int_equal(aa_keyring_delete(kr, "anaconda.cloud", &err), AA_OK);
	aa_keyring_close(kr);
	kr = open_file();
	expect_absent(kr, "anaconda.cloud");
	aa_keyring_close(kr);
	free_config(&cfg);
}

static void test_env_key_without_keyring_path(void **state)
{
	aa_keyring *kr = NULL;
	aa_config cfg;
	aa_error err;
	char **list = NULL;

	(void)state;
	fill_config(&cfg, "env-key");
	free(cfg.keyring_path);
	cfg.keyring_path = NULL;
	/* No HOME: the env key still serves reads ... */
	assert_int_equal(aa_keyring_open(&cfg, &kr, &err), AA_OK);
	expect_key(kr, "anaconda.cloud", "env-key", "anaconda.cloud", "env");
	expect_absent(kr, "other.example");
	assert_string_equal(aa_keyring_backend_name(kr), "none");
	assert_null(aa_keyring_location(kr));
	assert_int_equal(aa_keyring_list_domains(kr, &list, &err), AA_OK);
	assert_null(list[0]);
	aa_strv_free(list);
	/* ... and writes say what is missing. */
	assert_int_equal(aa_keyring_store_api_key(kr, "anaconda.cloud", "k", &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "keyring_path"));
	assert_int_equal(aa_keyring_delete(kr, "anaconda.cloud", &err), AA_ERR_USAGE);
	aa_keyring_close(kr);
	/* Without an env key there is nothing to open. */
	aa_secret_free(cfg.api_key);
	cfg.api_key = NULL;
	kr = (aa_keyring *)1;
	assert_int_equal(aa_keyring_open(&cfg, &kr, &err), AA_ERR_USAGE);
	assert_null(kr);
	free_config(&cfg);
}

static void test_system_unavailable_falls_back_to_file(void **state)
{
	aa_keyring *kr = NULL;
	aa_config cfg;
	aa_error err;
	char *text;

	(void)state;
	fill_config(&cfg, NULL);
	cfg.storage = AA_STORAGE_SYSTEM;
	setenv("ANACONDA_AUTH_SECRET_MODULE", "/nonexistent/anaconda-auth-secret.so", 1);
	assert_int_equal(aa_keyring_open(&cfg, &kr, &err), AA_OK);
	aa_keyring_set_log(kr, log_line, NULL);
	assert_string_equal(aa_keyring_backend_name(kr), "file");
	assert_string_equal(aa_keyring_location(kr), kpath);
	store(kr, "anaconda.cloud", "k");
	assert_non_null(aa_keyring_notice(kr));
	assert_non_null(strstr(aa_keyring_notice(kr), "system key storage is unavailable"));
	assert_non_null(strstr(aa_keyring_notice(kr), kpath));
	assert_non_null(strstr(logged, kpath));
	expect_key(kr, "anaconda.cloud", "k", "anaconda.cloud", "file");
	aa_keyring_close(kr);
	text = slurp(kpath);
	assert_non_null(text);
	free(text);
	unsetenv("ANACONDA_AUTH_SECRET_MODULE");
	free_config(&cfg);
}

/* ---- a stand-in Secret Service, through the module ABI ---------------- */

static struct fake_sys {
	char *dom[8], *val[8];
	int fail_open, fail_get, fail_set;
} sys_;

static void fake_err(aa_error *err, aa_status code, const char *msg)
{
	err->code = code;
	snprintf(err->message, sizeof(err->message), "%s", msg);
}

static int fake_find(const char *d)
{
	for (int i = 0; i < 8; i++)
		if (sys_.dom[i] && !strcmp(sys_.dom[i], d))
			return i;
	return -1;
}

static aa_status fake_get(struct aa_keyring_backend *be, const char *d,
			  char **out, aa_error *err)
{
	int i = fake_find(d);

	(void)be;
	if (sys_.fail_get) {
		fake_err(err, AA_ERR_STORAGE, "the collection is locked");
		return AA_ERR_STORAGE;
	}
	if (i < 0) {
		fake_err(err, AA_ERR_NOT_FOUND, "none");
		return AA_ERR_NOT_FOUND;
	}
	*out = strdup(sys_.val[i]);
	return AA_OK;
}

static aa_status fake_set(struct aa_keyring_backend *be, const char *d,
			  const char *v, aa_error *err)
{
	int i = fake_find(d);

	(void)be;
	if (sys_.fail_set) {
		fake_err(err, AA_ERR_STORAGE, "the collection is locked");
		return AA_ERR_STORAGE;
	}
	for (int k = 0; i < 0 && k < 8; k++)
		if (!sys_.dom[k]) {
			i = k;
			sys_.dom[k] = strdup(d);
		}
	free(sys_.val[i]);
	sys_.val[i] = strdup(v);
	return AA_OK;
}

static aa_status fake_del(struct aa_keyring_backend *be,
			  const char *const *ds, int *removed, aa_error *err)
{
	(void)be;
	(void)err;
	for (size_t k = 0; ds[k]; k++) {
		int i = fake_find(ds[k]);

		if (i >= 0) {
			free(sys_.dom[i]);
			free(sys_.val[i]);
			sys_.dom[i] = sys_.val[i] = NULL;
			if (removed)
				(*removed)++;
		}
	}
	return AA_OK;
}

static aa_status fake_list(struct aa_keyring_backend *be, char ***out,
			   aa_error *err)
{
	char **v = calloc(9, sizeof(*v));
	size_t n = 0;

	(void)be;
	(void)err;
	for (int i = 0; i < 8; i++)
		if (sys_.dom[i])
			v[n++] = strdup(sys_.dom[i]);
	*out = v;
	return AA_OK;
}

static void fake_close(struct aa_keyring_backend *be)
{
	free(be);
}

static aa_status fake_open(const aa_config *cfg, struct aa_keyring_backend **out,
			   aa_error *err)
{
	struct aa_keyring_backend *be;

	(void)cfg;
	if (sys_.fail_open) {
		fake_err(err, AA_ERR_UNSUPPORTED, "no Secret Service on the session bus");
		return AA_ERR_UNSUPPORTED;
	}
	be = calloc(1, sizeof(*be));
	be->abi = AA_KEYRING_BACKEND_ABI;
	be->name = "system";
	be->location = "default collection";
	be->writable = 1;
	be->get = fake_get;
	be->set = fake_set;
	be->del = fake_del;
	be->list = fake_list;
	be->close = fake_close;
	*out = be;
	return AA_OK;
}

static void fake_reset(void)
{
	for (int i = 0; i < 8; i++) {
		free(sys_.dom[i]);
		free(sys_.val[i]);
	}
	memset(&sys_, 0, sizeof(sys_));
}

static aa_keyring *open_system(void)
{
	aa_keyring *kr = NULL;
	aa_config cfg;
	aa_error err;

	fill_config(&cfg, NULL);
	cfg.storage = AA_STORAGE_SYSTEM;
	aa_keyring_system_set_opener(fake_open);
	assert_int_equal(aa_keyring_open(&cfg, &kr, &err), AA_OK);
	aa_keyring_system_set_opener(NULL);
	aa_keyring_set_log(kr, log_line, NULL);
	free_config(&cfg);
	return kr;
}

static void test_system_store_used_with_file_behind(void **state)
{
	aa_keyring *kr;
	char **list = NULL;
	aa_error err;

	(void)state;
	fake_reset();
	put_keyring("{\"Anaconda Cloud\": {\"other.example\": \"eyJhcGlfa2V5IjogIm9sZCJ9\"}}", 0600);
	kr = open_system();
	assert_string_equal(aa_keyring_backend_name(kr), "system");
	assert_string_equal(aa_keyring_location(kr), "default collection");
	store(kr, "anaconda.cloud", "sys-key");
	assert_int_equal(fake_find("anaconda.cloud"), 0);
	expect_key(kr, "anaconda.com", "sys-key", "anaconda.cloud", "system");
	/* Entries only the file has are still found (python-keyring's chainer). */
	expect_key(kr, "other.example", "old", "other.example", "file");
	assert_int_equal(aa_keyring_list_domains(kr, &list, &err), AA_OK);
	assert_string_equal(list[0], "anaconda.cloud");
	assert_string_equal(list[1], "other.example");
	assert_null(list[2]);
	aa_strv_free(list);
	/* Logout clears both stores. */
	assert_int_equal(aa_keyring_delete(kr, "other.example", NULL), AA_OK);
	assert_int_equal(aa_keyring_delete(kr, "anaconda.cloud", NULL), AA_OK);
	expect_absent(kr, "anaconda.cloud");
	expect_absent(kr, "other.example");
	assert_null(aa_keyring_notice(kr));
	aa_keyring_close(kr);
	fake_reset();
}

static void test_store_refreshes_alias_entries_in_system_store(void **state)
{
	aa_keyring *kr;

	(void)state;
	fake_reset();
	kr = open_system();
	put_entry(kr, "id.anaconda.cloud", "seed-era");
	store(kr, "anaconda.cloud", "new");
	expect_key(kr, "id.anaconda.cloud", "new", "id.anaconda.cloud", "system");
	expect_key(kr, "anaconda.cloud", "new", "anaconda.cloud", "system");
	/* no entry is invented for the alias that had none */
	assert_int_equal(fake_find("anaconda.com"), -1);
	aa_keyring_close(kr);
	fake_reset();
}

static void test_forget_in_system_store_and_file_behind(void **state)
{
	aa_keyring *kr;
	int removed = -1;
	aa_error err;

	(void)state;
	fake_reset();
	/* An older copy of the same key in the file, as after a migration. */
	put_keyring("{\"Anaconda Cloud\": {\"anaconda.cloud\": \"eyJhcGlfa2V5IjogIm9sZCJ9\"}}", 0600);
	kr = open_system();
	put_entry(kr, "anaconda.cloud", "old");
	put_entry(kr, "anaconda.com", "kept");
	assert_int_equal(aa_keyring_forget_api_key(kr, "anaconda.cloud", "old",
						   &removed, &err), AA_OK);
	assert_int_equal(removed, 2);
	assert_int_equal(fake_find("anaconda.cloud"), -1);
	expect_key(kr, "anaconda.cloud", "kept", "anaconda.com", "system");
	aa_keyring_close(kr);
	fake_reset();
}

static void test_forget_in_a_locked_system_store_changes_nothing(void **state)
{
	aa_keyring *kr;
	int removed = -1;
	aa_error err;

	(void)state;
	fake_reset();
	kr = open_system();
	store(kr, "anaconda.cloud", "k");
	sys_.fail_get = 1;
	assert_int_equal(aa_keyring_forget_api_key(kr, "anaconda.cloud", "k",
						   &removed, &err), AA_ERR_STORAGE);
	assert_int_equal(removed, 0);
	assert_non_null(strstr(err.message, "locked"));
	sys_.fail_get = 0;
	assert_true(fake_find("anaconda.cloud") >= 0);
	expect_key(kr, "anaconda.cloud", "k", "anaconda.cloud", "system");
	aa_keyring_close(kr);
	fake_reset();
}

static void test_unless_valid_in_system_store_and_file_behind(void **state)
{
	aa_keyring *file = open_file(), *kr;
	int stored = -1;
	aa_error err;

	(void)state;
	fake_reset();
	/* A valid key in the file behind the Secret Service is the person's. */
	store(file, "anaconda.com", JWT_VALID);
	kr = open_system();
	assert_int_equal(store_unless_valid(kr, "anaconda.cloud", JWT_NO_EXP, AA_OK), 0);
	assert_int_equal(fake_find("anaconda.cloud"), -1);
	/* Once it expired, the Secret Service gets the new key, and keeps it. */
	store(file, "anaconda.com", JWT_EXPIRED);
	assert_int_equal(store_unless_valid(kr, "anaconda.cloud", JWT_NO_EXP, AA_OK), 1);
	expect_key(kr, "anaconda.cloud", JWT_NO_EXP, "anaconda.cloud", "system");
	assert_int_equal(store_unless_valid(kr, "anaconda.cloud", JWT_VALID, AA_OK), 0);
	expect_key(kr, "anaconda.cloud", JWT_NO_EXP, "anaconda.cloud", "system");
	/* A locked collection cannot be read: nothing is guessed or written. */
	store(kr, "anaconda.cloud", JWT_EXPIRED);
	sys_.fail_get = 1;
	assert_int_equal(aa_keyring_store_api_key_unless_valid(kr, "anaconda.cloud", JWT_VALID,
							       time(NULL), &stored, &err),
			 AA_ERR_STORAGE);
	assert_int_equal(stored, 0);
	sys_.fail_get = 0;
	expect_key(kr, "anaconda.cloud", JWT_EXPIRED, "anaconda.cloud", "system");
	aa_keyring_close(kr);
	aa_keyring_close(file);
	fake_reset();
}

static void test_locked_system_store_falls_back_to_file(void **state)
{
	aa_keyring *kr;

	(void)state;
	fake_reset();
	kr = open_system();
	sys_.fail_set = 1;
	store(kr, "anaconda.cloud", "k");
	assert_non_null(aa_keyring_notice(kr));
	assert_non_null(strstr(aa_keyring_notice(kr), "the collection is locked"));
	assert_non_null(strstr(aa_keyring_notice(kr), kpath));
	assert_int_equal(fake_find("anaconda.cloud"), -1);
	/* Reading while locked: the file answers, and the log says why. */
	sys_.fail_get = 1;
	expect_key(kr, "anaconda.cloud", "k", "anaconda.cloud", "file");
	assert_non_null(strstr(logged, "reading from system failed"));
	aa_keyring_close(kr);
	fake_reset();
}

static void test_system_open_failure_uses_file(void **state)
{
	aa_keyring *kr;

	(void)state;
	fake_reset();
	sys_.fail_open = 1;
	kr = open_system();
	assert_string_equal(aa_keyring_backend_name(kr), "file");
	store(kr, "anaconda.cloud", "k");
	assert_non_null(strstr(aa_keyring_notice(kr), "system key storage is unavailable"));
	expect_key(kr, "anaconda.cloud", "k", "anaconda.cloud", "file");
	aa_keyring_close(kr);
	fake_reset();
}

/* ---- aa_keyring_update: one locked read-modify-write ------------------ */

static aa_status add_token(aa_token_info *info, void *ctx, int *changed,
			   aa_error *err)
{
	(void)err;
	*changed = 1;
	return aa_token_info_set_repo_token(info, ctx, "rt");
}

static aa_status no_change(aa_token_info *info, void *ctx, int *changed,
			   aa_error *err)
{
	(void)info;
	(void)ctx;
	(void)err;
	*changed = 0;
	return AA_OK;
}

static void expect_token(aa_keyring *kr, const char *domain, const char *org)
{
	aa_token_info *info = NULL;
	aa_error err;

	assert_int_equal(aa_keyring_get(kr, domain, &info, NULL, &err), AA_OK);
	assert_non_null(aa_token_info_get_repo_token(info, org));
	aa_token_info_free(info);
}

static void test_update_edits_the_stored_entry(void **state)
{
	aa_keyring *kr = open_file();
	aa_error err;
	char *before;

	(void)state;
	/* The entry lives under an alias: that one is edited, the key kept. */
	store(kr, "anaconda.com", "k");
	assert_int_equal(aa_keyring_update(kr, "anaconda.cloud", add_token, "acme", &err), AA_OK);
	expect_key(kr, "anaconda.cloud", "k", "anaconda.com", "file");
	expect_token(kr, "anaconda.cloud", "acme");
	before = slurp(kpath);
	assert_non_null(strstr(before, "anaconda.com"));
	assert_null(strstr(before, "\"anaconda.cloud\""));
	/* Nothing changed: nothing written, nothing created. */
	assert_int_equal(aa_keyring_update(kr, "other.example", no_change, NULL, &err), AA_OK);
	free(before);
	before = slurp(kpath);
	assert_null(strstr(before, "other.example"));
	/* A new entry when there is none. */
	assert_int_equal(aa_keyring_update(kr, "other.example", add_token, "o", &err), AA_OK);
	expect_token(kr, "other.example", "o");
	free(before);
	aa_keyring_close(kr);
}

static void test_update_leaves_a_damaged_entry(void **state)
{
	aa_keyring *kr = open_file();
	aa_error err;
	char *after;

	(void)state;
	put_keyring("{\"Anaconda Cloud\": {\"anaconda.cloud\": \"!!not base64\"}}", 0600);
	assert_int_equal(aa_keyring_update(kr, "anaconda.cloud", add_token, "acme", &err),
			 AA_ERR_STORAGE);
	assert_non_null(strstr(err.message, "damaged"));
	after = slurp(kpath);
	assert_string_equal(after, "{\"Anaconda Cloud\": {\"anaconda.cloud\": \"!!not base64\"}}");
	free(after);
	aa_keyring_close(kr);
}

static void test_update_in_the_system_store(void **state)
{
	aa_keyring *kr;
	aa_error err;

	(void)state;
	fake_reset();
	kr = open_system();
	store(kr, "anaconda.cloud", "sys-key");
	assert_int_equal(aa_keyring_update(kr, "anaconda.cloud", add_token, "acme", &err), AA_OK);
	expect_key(kr, "anaconda.cloud", "sys-key", "anaconda.cloud", "system");
	expect_token(kr, "anaconda.cloud", "acme");
	aa_keyring_close(kr);
	fake_reset();
}

/* ---- migrate against the stand-in Secret Service ----------------------- */

static char *entry_b64(const char *key, const char *org)
{
	aa_token_info *info = aa_token_info_new("anaconda.cloud");
	aa_secret *b64 = NULL;
	char *out;

	assert_int_equal(aa_token_info_set_api_key(info, key), AA_OK);
	if (org)
		assert_int_equal(aa_token_info_set_repo_token(info, org, "rt"), AA_OK);
	assert_int_equal(aa_token_info_encode(info, &b64, NULL), AA_OK);
	out = strdup(aa_secret_str(b64));
	aa_secret_free(b64);
	aa_token_info_free(info);
	return out;
}

static void sys_put(const char *key, const char *org)
{
	char *b64 = entry_b64(key, org);
	aa_error err;

	assert_int_equal(fake_set(NULL, "anaconda.cloud", b64, &err), AA_OK);
	free(b64);
}

static aa_status migrate(aa_storage to, unsigned flags, aa_error *err)
{
	aa_config cfg;
	aa_status rc;

	fill_config(&cfg, NULL);
	aa_keyring_system_set_opener(fake_open);
	aa_error_clear(err);
	rc = aa_keyring_migrate_flags(&cfg, "anaconda.cloud", to, flags, NULL, err);
	aa_keyring_system_set_opener(NULL);
	free_config(&cfg);
	return rc;
}

static void expect_sys_key(const char *key)
{
	aa_token_info *info = NULL;
	int i = fake_find("anaconda.cloud");

	assert_true(i >= 0);
	assert_int_equal(aa_token_info_decode(sys_.val[i], strlen(sys_.val[i]), &info, NULL), AA_OK);
	assert_string_equal(aa_secret_str(info->api_key), key);
	aa_token_info_free(info);
}

static void test_migrate_refuses_a_different_key(void **state)
{
	aa_keyring *kr = open_file();
	aa_error err;

	(void)state;
	fake_reset();
	store(kr, "anaconda.cloud", "file-key");
	sys_put("sys-key", NULL);
	assert_int_equal(migrate(AA_STORAGE_SYSTEM, 0, &err), AA_ERR_STORAGE);
	assert_non_null(strstr(err.message, "already holds a different key"));
	assert_null(strstr(err.message, "file-key"));
	assert_null(strstr(err.message, "sys-key"));
	expect_sys_key("sys-key");
	expect_key(kr, "anaconda.cloud", "file-key", "anaconda.cloud", "file");
	assert_int_equal(migrate(AA_STORAGE_FILE, 0, &err), AA_ERR_STORAGE);
	expect_sys_key("sys-key");
	expect_key(kr, "anaconda.cloud", "file-key", "anaconda.cloud", "file");
	/* Told to: the file's entry replaces it. */
	assert_int_equal(migrate(AA_STORAGE_SYSTEM, AA_MIGRATE_FORCE, &err), AA_OK);
	expect_sys_key("file-key");
	expect_absent(kr, "anaconda.cloud");
	aa_keyring_close(kr);
	fake_reset();
}

static void test_migrate_same_key_keeps_the_targets_tokens(void **state)
{
	aa_keyring *kr = open_file();
	aa_token_info *info = NULL;
	aa_error err;

	(void)state;
	fake_reset();
	sys_put("k", "acme");
	store(kr, "anaconda.cloud", "k");
	assert_int_equal(migrate(AA_STORAGE_SYSTEM, 0, &err), AA_OK);
	expect_absent(kr, "anaconda.cloud");
	/* And back: the file gets it whole, the Secret Service lets it go. */
	assert_int_equal(migrate(AA_STORAGE_FILE, 0, &err), AA_OK);
	assert_int_equal(fake_find("anaconda.cloud"), -1);
	assert_int_equal(aa_keyring_get(kr, "anaconda.cloud", &info, NULL, &err), AA_OK);
	assert_string_equal(aa_secret_str(info->api_key), "k");
	assert_non_null(aa_token_info_get_repo_token(info, "acme"));
	aa_token_info_free(info);
	aa_keyring_close(kr);
	fake_reset();
}

/* Nothing in a file that does not exist: not even its directory is made. */
static void test_migrate_from_no_file_creates_nothing(void **state)
{
	char dir[PATH_MAX];
	aa_error err;

	(void)state;
	fake_reset();
	sys_put("k", NULL);
	assert_int_equal(migrate(AA_STORAGE_SYSTEM, 0, &err), AA_OK);
	snprintf(dir, sizeof(dir), "%s/.anaconda", root);
	assert_int_equal(access(dir, F_OK), -1);
	fake_reset();
	assert_int_equal(migrate(AA_STORAGE_SYSTEM, 0, &err), AA_ERR_NOT_FOUND);
	assert_int_equal(access(dir, F_OK), -1);
}

static void test_module_without_symbol_refused(void **state)
{
	struct aa_keyring_backend *be = NULL;
	void *handle = NULL;
	aa_config cfg;
	aa_error err;

	(void)state;
	fill_config(&cfg, NULL);
	setenv("ANACONDA_AUTH_SECRET_MODULE", "libc.so.6", 1);
	assert_int_equal(aa_keyring_system_open(&cfg, &be, &handle, &err), AA_ERR_UNSUPPORTED);
	assert_non_null(strstr(err.message, "not an anaconda-auth Secret Service module"));
	assert_null(be);
	assert_null(handle);
	unsetenv("ANACONDA_AUTH_SECRET_MODULE");
	free_config(&cfg);
}

static void test_notice_for_readable_file(void **state)
{
	aa_keyring *kr = open_file();
	aa_token_info *info = NULL;
	aa_error err;
	const char *n;

	(void)state;
	put_keyring("{\"Anaconda Cloud\": {\"anaconda.cloud\": \"eyJhcGlfa2V5IjogImsifQ==\"}}", 0644);
	assert_int_equal(aa_keyring_get(kr, "anaconda.cloud", &info, NULL, &err), AA_OK);
	aa_token_info_free(info);
	assert_int_equal(aa_keyring_get(kr, "anaconda.cloud", &info, NULL, &err), AA_OK);
	aa_token_info_free(info);
	n = aa_keyring_notice(kr);
	assert_non_null(n);
	assert_non_null(strstr(n, "readable by other users"));
	/* Said once, however often it was read. */
	assert_null(strchr(n, '\n'));
	assert_non_null(strstr(logged, "readable by other users"));
	aa_keyring_close(kr);
}

static void test_corrupt_file_notice_on_store(void **state)
{
	aa_keyring *kr = open_file();
	aa_token_info *info = NULL;
	aa_error err;

	(void)state;
	put_keyring("{oops", 0600);
	assert_int_equal(aa_keyring_get(kr, "anaconda.cloud", &info, NULL, &err), AA_ERR_STORAGE);
	assert_non_null(strstr(err.message, "is not valid JSON; it will be moved aside on the next login"));
	store(kr, "anaconda.cloud", "k");
	assert_non_null(aa_keyring_notice(kr));
	assert_non_null(strstr(aa_keyring_notice(kr), "moved it aside"));
	expect_key(kr, "anaconda.cloud", "k", "anaconda.cloud", "file");
	aa_keyring_close(kr);
}

static void test_damaged_entry(void **state)
{
	aa_keyring *kr = open_file();
	aa_token_info *info = NULL;
	aa_error err;

	(void)state;
	put_keyring("{\"Anaconda Cloud\": {\"anaconda.cloud\": \"!!not base64!!\"}}", 0600);
	assert_int_equal(aa_keyring_get(kr, "anaconda.cloud", &info, NULL, &err), AA_ERR_PARSE);
	assert_non_null(strstr(err.message, "damaged"));
	/* A new login replaces it. */
	store(kr, "anaconda.cloud", "k");
	expect_key(kr, "anaconda.cloud", "k", "anaconda.cloud", "file");
	aa_keyring_close(kr);
}

static void test_file_parse(void **state)
{
	const char *text = "{\"x\": {}, \"Anaconda Cloud\": {\"anaconda.com\": \"eyJhcGlfa2V5IjogImsifQ==\"}}";
	aa_token_info *info = NULL;
	aa_error err;

	(void)state;
	assert_int_equal(aa_keyring_file_parse(text, strlen(text), "anaconda.cloud", &info, &err), AA_OK);
	assert_string_equal(aa_secret_str(info->api_key), "k");
	aa_token_info_free(info);
	info = NULL;
	assert_int_equal(aa_keyring_file_parse(text, strlen(text), "other.example", &info, &err), AA_ERR_NOT_FOUND);
	assert_int_equal(aa_keyring_file_parse("", 0, "anaconda.cloud", &info, &err), AA_ERR_NOT_FOUND);
	assert_int_equal(aa_keyring_file_parse("{x", 2, "anaconda.cloud", &info, &err), AA_ERR_PARSE);
	assert_int_equal(aa_keyring_file_parse("{\"Anaconda Cloud\": []}", 22, "anaconda.cloud", &info, &err), AA_ERR_PARSE);
	assert_null(info);
}

static void test_bad_arguments(void **state)
{
	aa_keyring *kr = open_file();
	aa_token_info *info = aa_token_info_new("anaconda.cloud"), *got = NULL;
	aa_error err;

	(void)state;
	free(info->domain);
	info->domain = NULL;
	assert_int_equal(aa_keyring_set(kr, info, &err), AA_ERR_USAGE);
	assert_int_equal(aa_keyring_store_api_key(kr, "anaconda.cloud", "", &err), AA_ERR_USAGE);
	assert_int_equal(aa_keyring_get(kr, "", &got, NULL, &err), AA_ERR_USAGE);
	assert_int_equal(aa_keyring_delete(kr, "", &err), AA_ERR_USAGE);
	aa_token_info_free(info);
	aa_keyring_close(kr);
	aa_keyring_close(NULL);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_round_trip),
		T(test_alias_lookup),
		T(test_delete_removes_aliases_only),
		T(test_delete_without_keyring_creates_nothing),
		T(test_store_api_key_keeps_repo_tokens),
		T(test_store_api_key_refreshes_alias_entries),
		T(test_forget_takes_only_that_key),
		T(test_forget_keeps_a_key_stored_meanwhile),
		T(test_forget_keeps_repo_tokens),
		T(test_unless_valid_stores_when_nothing_is_stored),
		T(test_unless_valid_keeps_a_valid_key),
		T(test_unless_valid_replaces_an_expired_key),
		T(test_unless_valid_looks_at_the_aliases),
		T(test_unless_valid_keeps_a_key_stored_meanwhile),
		T(test_unless_valid_keeps_an_alias_key_stored_meanwhile),
		T(test_env_layer_wins_and_writes_go_to_file),
		T(test_env_key_without_keyring_path),
		T(test_system_unavailable_falls_back_to_file),
		T(test_system_store_used_with_file_behind),
		T(test_store_refreshes_alias_entries_in_system_store),
		T(test_forget_in_system_store_and_file_behind),
		T(test_forget_in_a_locked_system_store_changes_nothing),
		T(test_unless_valid_in_system_store_and_file_behind),
		T(test_locked_system_store_falls_back_to_file),
		T(test_system_open_failure_uses_file),
		T(test_module_without_symbol_refused),
		T(test_update_edits_the_stored_entry),
		T(test_update_leaves_a_damaged_entry),
		T(test_update_in_the_system_store),
		T(test_migrate_refuses_a_different_key),
		T(test_migrate_same_key_keeps_the_targets_tokens),
		T(test_migrate_from_no_file_creates_nothing),
		T(test_notice_for_readable_file),
		T(test_corrupt_file_notice_on_store),
		T(test_damaged_entry),
		T(test_file_parse),
		T(test_bad_arguments),
	};

	/* Messages abbreviate $HOME; these tests expect full paths. */
	unsetenv("HOME");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
