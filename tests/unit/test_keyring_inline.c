/* SPDX-License-Identifier: BSD-3-Clause */
/* test_keyring_inline.c - the `keyring` setting: its shape check, the read-only backend, its place among the layers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "config_struct.h"
#include "keyring_backend.h"

#define KEY "eyJhbGciOiJub25lIn0.eyJzdWIiOiJjaSJ9.c2ln"

/* base64 TokenInfo for domain holding key, malloc'd. */
static char *entry(const char *domain, const char *key)
{
	aa_token_info *info = aa_token_info_new(domain);
	aa_secret *b64 = NULL;
	char *out;

	assert_non_null(info);
	assert_int_equal(aa_token_info_set_api_key(info, key), AA_OK);
	assert_int_equal(aa_token_info_encode(info, &b64, NULL), AA_OK);
	out = strdup(aa_secret_str(b64));
	aa_secret_free(b64);
	aa_token_info_free(info);
	return out;
}

/* {"Anaconda Cloud": {domain: entry(domain, key)}} as text, malloc'd. */
static char *keyring_text(const char *domain, const char *key)
{
	char *e = entry(domain, key);
	char *t = aa_asprintf("{\"Anaconda Cloud\": {\"%s\": \"%s\"}, \"other\": {}}", domain, e);

	free(e);
	return t;
}

static aa_status parse(const char *text, const char **why)
{
	json_object *doc = NULL;
	aa_status rc = aa_keyring_inline_parse(text, strlen(text), &doc, why);

	if (rc == AA_OK)
		assert_non_null(doc);
	else
		assert_null(doc);
	json_object_put(doc);
	return rc;
}

/* ---- the shape ----------------------------------------------------- */

static void test_shapes_accepted(void **state)
{
	const char *why = NULL;
	char *t = keyring_text("anaconda.com", KEY);

	(void)state;
	assert_int_equal(parse(t, &why), AA_OK);
	assert_int_equal(parse("{}", &why), AA_OK);
	assert_int_equal(parse("{\"s\": {\"u\": \"p\"}, \"s2\": {}}", &why), AA_OK);
	assert_int_equal(parse(" {\"s\": {}}\n", &why), AA_OK);
	free(t);
}

/* Every wrong shape is one phrase, as 0.15's Dict[str, Dict[str, str]]. */
static void test_shapes_refused(void **state)
{
	static const struct {
		const char *text;
		const char *why;
	} cases[] = {
		{ "", "is empty" },
		{ " \n\t", "is empty" },
		{ "{not json", "is not valid JSON" },
		{ "[]", "is not a JSON object" },
		{ "null", "is not a JSON object" },
		{ "7", "is not a JSON object" },
		{ "\"text\"", "is not a JSON object" },
		{ "{\"Anaconda Cloud\": \"eyJ9\"}", "not an object" },
		{ "{\"Anaconda Cloud\": {}, \"x\": 1}", "not an object of domain: text" },
		{ "{\"Anaconda Cloud\": {\"d\": 1}}", "not text" },
		{ "{\"x\": {\"d\": null}}", "not text" },
		{ "{\"s\": {}} trailing", "is not valid JSON" },
		{ "{\"s\": {}}{}", "is not valid JSON" },
	};
	const char *why;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why = NULL;
		assert_int_equal(parse(cases[i].text, &why), AA_ERR_PARSE);
		assert_non_null(why);
		if (!strstr(why, cases[i].why))
			fail_msg("case %zu: '%s' does not say '%s'", i, why, cases[i].why);
	}
}

/* Deep nesting and a NUL byte inside are refused; nothing crashes. */
static void test_hostile_text(void **state)
{
	size_t n = 200000;
	char *deep = malloc(n + 1);
	const char with_nul[] = "{\"s\": {\"u\": \"p\0q\"}}";
	json_object *doc = NULL;
	const char *why = NULL;

	(void)state;
	assert_non_null(deep);
	memset(deep, '[', n);
	deep[n] = '\0';
	assert_int_equal(parse(deep, &why), AA_ERR_PARSE);
	for (size_t i = 0; i + 5 < n; i += 5)
		memcpy(deep + i, "{\"a\":", 5);
	assert_int_equal(parse(deep, &why), AA_ERR_PARSE);
	free(deep);
	assert_int_equal(aa_keyring_inline_parse(with_nul, sizeof(with_nul) - 1, &doc, &why),
			 AA_ERR_PARSE);
	assert_null(doc);
}

/* More than the keyring file's cap (1 MiB) is refused before parsing. */
static void test_size_cap(void **state)
{
	size_t n = AA_KEYRING_MAX_BYTES + 1;
	char *big = malloc(n + 1);
	json_object *doc = NULL;
	const char *why = NULL;

	(void)state;
	assert_non_null(big);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	big[n] = '\0';
	assert_int_equal(aa_keyring_inline_parse(big, n, &doc, &why), AA_ERR_PARSE);
	assert_string_equal(why, "is larger than 1 MiB");
	/* the same object just under the cap is fine */
	big[n - 2] = '}';
	assert_int_equal(aa_keyring_inline_parse(big, n - 1, &doc, &why), AA_OK);
	json_object_put(doc);
	free(big);
}

/* ---- the backend ----------------------------------------------------- */

static struct aa_keyring_backend *open_inline(const char *text, const char *source)
{
	aa_config cfg = {0};
	struct aa_keyring_backend *be = NULL;
	aa_error err = {0};

	cfg.keyring_inline = aa_secret_from_str(text);
	cfg.keyring_inline_source = source;
	assert_int_equal(aa_keyring_inline_open(&cfg, &be, &err), AA_OK);
	aa_secret_free(cfg.keyring_inline);
	assert_non_null(be);
	return be;
}

static void test_get_exact_domain(void **state)
{
	char *t = keyring_text("anaconda.com", KEY);
	struct aa_keyring_backend *be = open_inline(t, "ANACONDA_AUTH_KEYRING");
	char *b64 = NULL, *want = entry("anaconda.com", KEY);
	aa_error err = {0};

	(void)state;
	assert_string_equal(be->name, "inline");
	assert_string_equal(be->location, "ANACONDA_AUTH_KEYRING");
	assert_int_equal(be->writable, 0);
	assert_int_equal(be->get(be, "anaconda.com", &b64, &err), AA_OK);
	assert_string_equal(b64, want);
	aa_free_secret_str(b64);
	b64 = NULL;
	/* the backend is exact; aliases are keyring.c's business */
	assert_int_equal(be->get(be, "anaconda.cloud", &b64, &err), AA_ERR_NOT_FOUND);
	assert_null(b64);
	assert_non_null(strstr(err.message, "ANACONDA_AUTH_KEYRING"));
	free(want);
	free(t);
	be->close(be);
}

/* A damaged entry: a setting to fix, named, its text never shown. */
static void test_damaged_entry(void **state)
{
	static const char *const bad[] = {
		"{\"Anaconda Cloud\": {\"d.test\": \"!!!secretbytes!!!\"}}",
		"{\"Anaconda Cloud\": {\"d.test\": \"c2VjcmV0Ynl0ZXM=\"}}", /* not JSON inside */
		"{\"Anaconda Cloud\": {\"d.test\": \"\"}}",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct aa_keyring_backend *be = open_inline(bad[i], "/run/secrets/anaconda_auth_keyring");
		char *b64 = NULL;
		aa_error err = {0};

		assert_int_equal(be->get(be, "d.test", &b64, &err), AA_ERR_USAGE);
		assert_null(b64);
		assert_non_null(strstr(err.message, "/run/secrets/anaconda_auth_keyring: the entry for d.test"));
		assert_null(strstr(err.message, "secretbytes"));
		assert_null(strstr(err.message, "c2Vj"));
		be->close(be);
	}
}

static void test_writes_refused_and_list(void **state)
{
	char *t = keyring_text("anaconda.com", KEY);
	struct aa_keyring_backend *be = open_inline(t, NULL);
	const char *const doms[] = {"anaconda.com", NULL};
	char **list = NULL;
	int removed = 7;
	aa_error err = {0};

	(void)state;
	assert_string_equal(be->location, "the keyring setting");
	assert_int_equal(be->set(be, "anaconda.com", "eyJ9", &err), AA_ERR_READONLY);
	assert_non_null(strstr(err.message, "read-only"));
	assert_int_equal(be->del(be, doms, &removed, &err), AA_ERR_READONLY);
	assert_int_equal(removed, 0);
	assert_int_equal(be->list(be, &list, &err), AA_OK);
	assert_string_equal(list[0], "anaconda.com");
	assert_null(list[1]);
	aa_strv_free(list);
	free(t);
	be->close(be);
}

static void test_open_refuses_a_bad_value(void **state)
{
	aa_config cfg = {0};
	struct aa_keyring_backend *be = (struct aa_keyring_backend *)1;
	aa_error err = {0};

	(void)state;
	assert_int_equal(aa_keyring_inline_open(&cfg, &be, &err), AA_ERR_NOT_FOUND);
	assert_null(be);
	cfg.keyring_inline = aa_secret_from_str("[\"eyJzZWNyZXQi\"]");
	cfg.keyring_inline_source = "ANACONDA_AUTH_KEYRING";
	assert_int_equal(aa_keyring_inline_open(&cfg, &be, &err), AA_ERR_USAGE);
	assert_null(be);
	assert_string_equal(err.message, "ANACONDA_AUTH_KEYRING is not a JSON object");
	aa_secret_free(cfg.keyring_inline);
}

/* ---- among the layers (keyring.c) ---------------------------------- */

struct world {
	char dir[64];
	char path[96];
	aa_config cfg;
};

static int world_setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));

	if (!w)
		return -1;
	snprintf(w->dir, sizeof(w->dir), "/tmp/aa-inline-XXXXXX");
	if (!mkdtemp(w->dir)) {
		free(w);
		return -1;
	}
	snprintf(w->path, sizeof(w->path), "%s/keyring", w->dir);
	w->cfg.domain = (char *)(uintptr_t)"anaconda.com";
	w->cfg.keyring_path = w->path;
	*state = w;
	return 0;
}

static int world_teardown(void **state)
{
	struct world *w = *state;
	char lock[128];

	snprintf(lock, sizeof(lock), "%s.lock", w->path);
	unlink(w->path);
	unlink(lock);
	rmdir(w->dir);
	aa_secret_free(w->cfg.keyring_inline);
	aa_secret_free(w->cfg.api_key);
	free(w);
	return 0;
}

static void set_inline(struct world *w, const char *domain, const char *key)
{
	char *t = keyring_text(domain, key);

	aa_secret_free(w->cfg.keyring_inline);
	w->cfg.keyring_inline = aa_secret_from_str(t);
	w->cfg.keyring_inline_source = "ANACONDA_AUTH_KEYRING";
	free(t);
}

/* The key in effect and where it was found, via the public API. */
static aa_status key_in_effect(struct world *w, const char *domain, char *key, size_t size,
			       aa_keyring_source *src)
{
	aa_keyring *kr = NULL;
	aa_token_info *info = NULL;
	aa_status rc;

	assert_int_equal(aa_keyring_open(&w->cfg, &kr, NULL), AA_OK);
	rc = aa_keyring_get(kr, domain, &info, src, NULL);
	if (rc == AA_OK) {
		snprintf(key, size, "%s", aa_secret_str(info->api_key));
		/* src points into kr: copy what the test looks at */
		src->backend = !strcmp(src->backend, "inline") ? "inline" :
			       !strcmp(src->backend, "env") ? "env" : "file";
		src->location = NULL;
	}
	aa_token_info_free(info);
	aa_keyring_close(kr);
	return rc;
}

/* An entry under another name of the family is found, read-only, before the file. */
static void test_alias_family_and_priority_over_the_file(void **state)
{
	struct world *w = *state;
	aa_keyring *kr = NULL;
	aa_keyring_source src;
	char key[256];

	assert_int_equal(aa_keyring_open_file(w->path, &kr, NULL), AA_OK);
	assert_int_equal(aa_keyring_store_api_key(kr, "anaconda.com", "file-key", NULL), AA_OK);
	aa_keyring_close(kr);
	set_inline(w, "id.anaconda.cloud", KEY);
	assert_int_equal(key_in_effect(w, "anaconda.com", key, sizeof(key), &src), AA_OK);
	assert_string_equal(key, KEY);
	assert_string_equal(src.backend, "inline");
	assert_string_equal(src.domain, "id.anaconda.cloud");
	/* a domain it does not hold comes from the file */
	assert_int_equal(aa_keyring_open_file(w->path, &kr, NULL), AA_OK);
	assert_int_equal(aa_keyring_store_api_key(kr, "example.org", "own-key", NULL), AA_OK);
	aa_keyring_close(kr);
	assert_int_equal(key_in_effect(w, "example.org", key, sizeof(key), &src), AA_OK);
	assert_string_equal(key, "own-key");
	assert_string_equal(src.backend, "file");
}

/* The API key setting comes first, as in 0.15's ConfigKeyring. */
static void test_api_key_first(void **state)
{
	struct world *w = *state;
	aa_keyring_source src;
	char key[256];

	set_inline(w, "anaconda.com", KEY);
	w->cfg.api_key = aa_secret_from_str("env-key");
	w->cfg.api_key_source = "ANACONDA_AUTH_API_KEY";
	assert_int_equal(key_in_effect(w, "anaconda.com", key, sizeof(key), &src), AA_OK);
	assert_string_equal(key, "env-key");
	assert_string_equal(src.backend, "env");
}

/* Writes go to the file and say the inline entry still wins; logout likewise. */
static void test_writes_go_to_the_store_with_a_note(void **state)
{
	struct world *w = *state;
	aa_keyring *kr = NULL;
	aa_keyring_source src;
	const char *notice;
	char key[256];

	set_inline(w, "anaconda.cloud", KEY);
	assert_int_equal(aa_keyring_open(&w->cfg, &kr, NULL), AA_OK);
	assert_int_equal(aa_keyring_store_api_key(kr, "anaconda.com", "new-key", NULL), AA_OK);
	notice = aa_keyring_notice(kr);
	assert_non_null(notice);
	assert_non_null(strstr(notice, "the key for anaconda.cloud in ANACONDA_AUTH_KEYRING (read-only) is used instead"));
	assert_null(strstr(notice, KEY));
	assert_int_equal(aa_keyring_delete(kr, "anaconda.com", NULL), AA_OK);
	assert_non_null(strstr(aa_keyring_notice(kr), "is still in effect; unset it to log out"));
	aa_keyring_close(kr);
	assert_int_equal(key_in_effect(w, "anaconda.com", key, sizeof(key), &src), AA_OK);
	assert_string_equal(key, KEY);
	/* a write for a domain it does not hold says nothing */
	assert_int_equal(aa_keyring_open(&w->cfg, &kr, NULL), AA_OK);
	assert_int_equal(aa_keyring_store_api_key(kr, "example.org", "k2", NULL), AA_OK);
	assert_null(aa_keyring_notice(kr));
	aa_keyring_close(kr);
}

/* Without HOME or keyring_path, the setting alone still serves reads. */
static void test_no_keyring_path(void **state)
{
	struct world *w = *state;
	aa_keyring_source src;
	char key[256];

	w->cfg.keyring_path = NULL;
	set_inline(w, "anaconda.com", KEY);
	assert_int_equal(key_in_effect(w, "anaconda.com", key, sizeof(key), &src), AA_OK);
	assert_string_equal(key, KEY);
}

/* ---- the setting ------------------------------------------------------ */

static void test_config_from_environment(void **state)
{
	char *t = keyring_text("anaconda.com", KEY);
	aa_config *cfg = NULL;
	aa_error err = {0};

	(void)state;
	setenv("ANACONDA_SECRETS_DIR", "/nonexistent-aa-test", 1);
	setenv("ANACONDA_CONFIG_TOML", "/nonexistent-aa-test/config.toml", 1);
	setenv("ANACONDA_CLOUD_KEYRING", "{\"s\": {}}", 1);
	assert_int_equal(aa_config_load(&cfg, 0, &err), AA_OK);
	assert_string_equal(aa_config_keyring_source(cfg), "ANACONDA_CLOUD_KEYRING");
	aa_config_free(cfg);
	setenv("ANACONDA_AUTH_KEYRING", t, 1);
	assert_int_equal(aa_config_load(&cfg, 0, &err), AA_OK);
	assert_string_equal(aa_config_keyring_source(cfg), "ANACONDA_AUTH_KEYRING");
	assert_string_equal(aa_secret_str(cfg->keyring_inline), t);
	assert_int_equal(aa_config_set(cfg, "keyring", "{}", "--keyring", &err), AA_OK);
	assert_string_equal(aa_config_keyring_source(cfg), "command line");
	aa_config_free(cfg);
	unsetenv("ANACONDA_CLOUD_KEYRING");
	/* a stray byte after a real keyring: one line, the value never in it */
	t[strlen(t) - 1] = 'x';
	setenv("ANACONDA_AUTH_KEYRING", t, 1);
	assert_int_equal(aa_config_load(&cfg, 0, &err), AA_ERR_USAGE);
	assert_null(cfg);
	assert_non_null(strstr(err.message, "ANACONDA_AUTH_KEYRING: the keyring is not valid JSON"));
	assert_null(strstr(err.message, "eyJ"));
	assert_null(strchr(err.message, '\n'));
	unsetenv("ANACONDA_AUTH_KEYRING");
	unsetenv("ANACONDA_SECRETS_DIR");
	unsetenv("ANACONDA_CONFIG_TOML");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes_accepted),
		cmocka_unit_test(test_shapes_refused),
		cmocka_unit_test(test_hostile_text),
		cmocka_unit_test(test_size_cap),
		cmocka_unit_test(test_get_exact_domain),
		cmocka_unit_test(test_damaged_entry),
		cmocka_unit_test(test_writes_refused_and_list),
		cmocka_unit_test(test_open_refuses_a_bad_value),
		cmocka_unit_test_setup_teardown(test_alias_family_and_priority_over_the_file,
						world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(test_api_key_first, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(test_writes_go_to_the_store_with_a_note,
						world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(test_no_keyring_path, world_setup, world_teardown),
		cmocka_unit_test(test_config_from_environment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
