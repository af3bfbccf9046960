/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_keyring_migrate.c - moving keys between the keyring file and the
 * Secret Service (keyring_migrate.c) against an in-memory stand-in store
 * opened through the module ABI: a key is never in neither place, and a
 * failed move leaves the source exactly as it was.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config_struct.h"
#include "keyring_backend.h"

#define SLOTS 4

static char dir[] = "/tmp/test_keyring_migrate.XXXXXX";
static char kpath[PATH_MAX], lpath[PATH_MAX];

/* ---- the stand-in Secret Service ---------------------------------------- */

static struct {
	char *dom[SLOTS], *val[SLOTS];
	int unavailable, refuse_writes, garble_writes;
} store;

static aa_status store_fail(aa_error *err, aa_status code, const char *msg)
{
	err->code = code;
	snprintf(err->message, sizeof(err->message), "%s", msg);
	return code;
}

static int slot_of(const char *d)
{
	for (int i = 0; i < SLOTS; i++)
		if (store.dom[i] && strcmp(store.dom[i], d) == 0)
			return i;
	return -1;
}

static aa_status st_get(struct aa_keyring_backend *be, const char *d, char **out, aa_error *err)
{
	int i = slot_of(d);

	(void)be;
	if (i < 0)
		return store_fail(err, AA_ERR_NOT_FOUND, "no entry");
	*out = strdup(store.val[i]);
	return AA_OK;
}

static aa_status st_set(struct aa_keyring_backend *be, const char *d, const char *v,
			aa_error *err)
{
	int i = slot_of(d);

	(void)be;
	if (store.refuse_writes)
		return store_fail(err, AA_ERR_STORAGE, "the collection is locked");
	for (int k = 0; i < 0 && k < SLOTS; k++)
		if (!store.dom[k])
			store.dom[i = k] = strdup(d);
	assert_true(i >= 0);
	free(store.val[i]);
	/* a store that keeps something else than it was given */
	store.val[i] = strdup(store.garble_writes ? "Z2FyYmxlZA" : v);
	return AA_OK;
}

static aa_status st_del(struct aa_keyring_backend *be, const char *const *ds, int *removed,
			aa_error *err)
{
	(void)be;
	(void)err;
	for (size_t k = 0; ds[k]; k++) {
		int i = slot_of(ds[k]);

		if (i < 0)
			continue;
		free(store.dom[i]);
		free(store.val[i]);
		store.dom[i] = store.val[i] = NULL;
		if (removed)
			(*removed)++;
	}
	return AA_OK;
}

static aa_status st_list(struct aa_keyring_backend *be, char ***out, aa_error *err)
{
	char **v = calloc(SLOTS + 1, sizeof(*v));
	size_t n = 0;

	(void)be;
	(void)err;
	for (int i = 0; i < SLOTS; i++)
		if (store.dom[i])
			v[n++] = strdup(store.dom[i]);
	*out = v;
	return AA_OK;
}

static void st_close(struct aa_keyring_backend *be)
{
	free(be);
}

static aa_status st_open(const aa_config *cfg, struct aa_keyring_backend **out, aa_error *err)
{
	struct aa_keyring_backend *be;

	(void)cfg;
	if (store.unavailable)
		return store_fail(err, AA_ERR_UNSUPPORTED, "no Secret Service on the session bus");
	be = calloc(1, sizeof(*be));
	assert_non_null(be);
	be->abi = AA_KEYRING_BACKEND_ABI;
	be->name = "system";
	be->location = "the stand-in collection";
	be->writable = 1;
	be->get = st_get;
	be->set = st_set;
	be->del = st_del;
	be->list = st_list;
	be->close = st_close;
	*out = be;
	return AA_OK;
}

/* ---- helpers --------------------------------------------------------------- */

static int setup(void **state)
{
	(void)state;
	memset(&store, 0, sizeof(store));
	if (!mkdtemp(dir))
		return -1;
	snprintf(kpath, sizeof(kpath), "%s/keyring", dir);
	snprintf(lpath, sizeof(lpath), "%s/keyring.lock", dir);
	aa_keyring_system_set_opener(st_open);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	aa_keyring_system_set_opener(NULL);
	for (int i = 0; i < SLOTS; i++) {
		free(store.dom[i]);
		free(store.val[i]);
	}
	unlink(kpath);
	unlink(lpath);
	rmdir(dir);
	/* mkdtemp filled in the X's: put the template back for the next test */
	memcpy(dir, "/tmp/test_keyring_migrate.XXXXXX", sizeof(dir));
	return 0;
}

static void file_put(const char *domain, const char *key)
{
	aa_keyring *kr = NULL;
	aa_token_info *info = aa_token_info_new(domain);
	aa_error err = {0};

	assert_int_equal(aa_token_info_set_api_key(info, key), AA_OK);
	assert_int_equal(aa_keyring_open_file(kpath, &kr, &err), AA_OK);
	assert_int_equal(aa_keyring_set(kr, info, &err), AA_OK);
	aa_keyring_close(kr);
	aa_token_info_free(info);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);

	assert_non_null(buf);
	if (f) {
		size_t n = fread(buf, 1, 65535, f);

		buf[n] = '\0';
		fclose(f);
	}
	return buf;
}

static const char *stored_key(const char *domain)
{
	static char key[256];
	aa_token_info *info = NULL;
	int i = slot_of(domain);

	if (i < 0)
		return NULL;
	assert_int_equal(aa_token_info_decode(store.val[i], strlen(store.val[i]), &info, NULL),
			 AA_OK);
	snprintf(key, sizeof(key), "%s", aa_secret_str(info->api_key));
	aa_token_info_free(info);
	return key;
}

static aa_status migrate(aa_storage to, int *moved, aa_error *err)
{
	aa_config cfg = {0};
	char domain[] = "anaconda.cloud";

	cfg.domain = domain;
	cfg.keyring_path = kpath;
	cfg.storage = AA_STORAGE_FILE;
	aa_error_clear(err);
	return aa_keyring_migrate(&cfg, domain, to, moved, err);
}

/* ---- tests ----------------------------------------------------------------- */

/* File -> Secret Service -> file: the entry and its alias go both ways. */
static void test_round_trip_with_alias(void **state)
{
	aa_error err;
	char *text;
	int moved = 0;

	(void)state;
	file_put("anaconda.cloud", "key-one");
	file_put("anaconda.com", "key-one");
	assert_int_equal(migrate(AA_STORAGE_SYSTEM, &moved, &err), AA_OK);
	assert_int_equal(moved, 2);
	assert_string_equal(stored_key("anaconda.cloud"), "key-one");
	assert_string_equal(stored_key("anaconda.com"), "key-one");
	text = slurp(kpath);
	assert_null(strstr(text, "anaconda.cloud"));
	free(text);

	assert_int_equal(migrate(AA_STORAGE_FILE, &moved, &err), AA_OK);
	assert_int_equal(moved, 2);
	assert_null(stored_key("anaconda.cloud"));
	text = slurp(kpath);
	assert_non_null(strstr(text, "anaconda.cloud"));
	assert_non_null(strstr(text, "anaconda.com"));
	free(text);
}

/* A Secret Service that refuses the write: the file keeps the key, unchanged. */
static void test_refused_write_leaves_the_file(void **state)
{
	aa_error err;
	char *before, *after;

	(void)state;
	file_put("anaconda.cloud", "key-one");
	before = slurp(kpath);
	store.refuse_writes = 1;
	assert_int_equal(migrate(AA_STORAGE_SYSTEM, NULL, &err), AA_ERR_STORAGE);
	assert_non_null(strstr(err.message, "stays in"));
	after = slurp(kpath);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* What reads back differs from what was written: nothing leaves the file. */
static void test_bad_read_back_leaves_the_file(void **state)
{
	aa_error err;
	char *before, *after;

	(void)state;
	file_put("anaconda.cloud", "key-one");
	before = slurp(kpath);
	store.garble_writes = 1;
	assert_int_equal(migrate(AA_STORAGE_SYSTEM, NULL, &err), AA_ERR_STORAGE);
	after = slurp(kpath);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* No Secret Service at all: an error, nothing changes. */
static void test_no_secret_service(void **state)
{
	aa_error err;
	char *before, *after;

	(void)state;
	file_put("anaconda.cloud", "key-one");
	before = slurp(kpath);
	store.unavailable = 1;
	assert_int_equal(migrate(AA_STORAGE_SYSTEM, NULL, &err), AA_ERR_STORAGE);
	after = slurp(kpath);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* Neither store has a key: not found, and no file appears. */
static void test_nothing_to_move(void **state)
{
	aa_error err;

	(void)state;
	assert_int_equal(migrate(AA_STORAGE_SYSTEM, NULL, &err), AA_ERR_NOT_FOUND);
	assert_int_equal(access(kpath, F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip_with_alias, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_write_leaves_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_read_back_leaves_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_secret_service, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_to_move, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
