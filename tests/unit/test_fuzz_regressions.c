/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_fuzz_regressions.c - replays every committed fuzz input (the seed
 * corpora in fuzz/corpus/ and the crashes found, in fuzz/regressions/)
 * through the same property checks the libFuzzer harnesses run, so `make
 * unit` (and `make check SANITIZE=1`, valgrind) catch a regression without
 * clang or libFuzzer.
 *
 * The checks, the front-end parsers and the fake transport are compiled
 * into this file (#include of their .c files): the unit-test rule links only
 * the library archive. The reply checks that need the HTTP client's JSON
 * code (discovery, token, device, API key, account) only run in the fuzz
 * build, where -Wl,--wrap replaces aa_client_request; here the repo-token
 * replies run over the fake transport, and aa_client_request /
 * aa_response_free below stand in for http.c (which this binary must not
 * link: nothing in the parsers' objects needs it).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "../../conda-helper/netrc.c"
#include "../../conda-helper/repo_api.c"
#include "../../fuzz/check_parsers.c"
#include "../../fuzz/check_repo.c"
#include "../../fuzz/check_settings.c"
#include "../../fuzz/check_toml.c"
#include "../../fuzz/fake_http.c"
#include "../../git-credential-anaconda/protocol.c"
#include "../../pam_anaconda/pam_usermap.c"

aa_status aa_client_request(aa_client *c, const aa_request *req, aa_response *resp,
			    aa_error *err)
{
	(void)c;
	return fake_http_request(req, resp, err);
}

void aa_response_free(aa_response *resp)
{
	if (!resp)
		return;
	if (resp->body) {
		aa_memzero(resp->body, resp->body_len);
		free(resp->body);
	}
	free(resp->content_type);
	memset(resp, 0, sizeof(*resp));
}

typedef const char *(*check_fn)(const uint8_t *data, size_t size);

static const struct harness {
	const char *name; /* fuzz/fuzz_<name>.c, fuzz/corpus/<name>/ */
	check_fn check;
} harnesses[] = {
	{ "base64", fuzz_check_base64 },
	{ "jwt", fuzz_check_jwt },
	{ "token_info", fuzz_check_token_info },
	{ "keyring", fuzz_check_keyring },
	{ "keyring_setting", fuzz_check_keyring_setting },
	{ "dotenv", fuzz_check_dotenv },
	{ "git_protocol", fuzz_check_git_protocol },
	{ "netrc", fuzz_check_netrc },
	{ "settings", fuzz_check_settings },
	{ "usermap", fuzz_check_usermap },
	{ "repo_token", fuzz_check_repo_token },
	{ "toml", fuzz_check_toml },
};

/*
 * Inputs that still violate a property because the bug they show is not
 * fixed yet (reported; see fuzz/README.md). They are replayed and reported
 * as skipped while they fail; once one passes, move it out of this list.
 */
static const char *const known_open[] = {
	NULL, /* none: the netrc findings were fixed in dbbe973 */
};

/* The fuzz/ directory: `make unit` runs us from tests/fixtures. */
static const char *fuzz_dir(void)
{
	static const char *const candidates[] = { "../../fuzz", "fuzz", "../fuzz" };
	const char *env = getenv("FUZZ_DIR");
	struct stat st;

	if (env && *env)
		return env;
	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		char *p = aa_asprintf("%s/corpus", candidates[i]);
		int found = p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);

		free(p);
		if (found)
			return candidates[i];
	}
	return NULL;
}

static uint8_t *read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int is_known_open(const char *harness, const char *file)
{
	for (size_t i = 0; known_open[i]; i++) {
		size_t n = strlen(harness);

		if (!strncmp(known_open[i], harness, n) && known_open[i][n] == '/' &&
		    !strcmp(known_open[i] + n + 1, file))
			return 1;
	}
	return 0;
}

struct tally {
	unsigned replayed, failed, still_open;
};

/* Replay every file of <fuzz>/<kind>/<harness>/; print what failed. */
static void replay_dir(const char *kind, const struct harness *h, struct tally *t)
{
	char *dir = aa_asprintf("%s/%s/%s", fuzz_dir(), kind, h->name);
	struct dirent *e;
	DIR *d;

	assert_non_null(dir);
	d = opendir(dir);
	if (!d) {
		free(dir);
		return; /* not every harness has regressions */
	}
	while ((e = readdir(d)) != NULL) {
		char *path;
		uint8_t *data;
		size_t len;
		const char *why;

		if (e->d_name[0] == '.')
			continue;
		path = aa_asprintf("%s/%s", dir, e->d_name);
		assert_non_null(path);
		data = read_whole(path, &len);
		why = h->check(data, len);
		t->replayed++;
		if (why && is_known_open(h->name, e->d_name)) {
			t->still_open++;
		} else if (why) {
			print_error("%s: %s\n", path, why);
			t->failed++;
		} else if (is_known_open(h->name, e->d_name)) {
			print_message("note: %s passes now; remove it from known_open\n", path);
		}
		free(data);
		free(path);
	}
	closedir(d);
	free(dir);
}

static void replay_harness(void **state)
{
	const struct harness *h = *state;
	struct tally t = { 0, 0, 0 };

	if (!fuzz_dir())
		skip(); /* run from an unpacked tarball without fuzz/ */
	replay_dir("corpus", h, &t);
	replay_dir("regressions", h, &t);
	assert_true(t.replayed > 0); /* every harness has a seed corpus */
	assert_int_equal(t.failed, 0);
	if (t.still_open) {
		print_message("%s: %u known-open input(s) still fail (fuzz/README.md)\n",
			      h->name, t.still_open);
		skip();
	}
}

/* The crash fuzz_repo_token found: {"org_id": null} in a subscription. */
static void org_id_null_does_not_crash(void **state)
{
	static const char replies[] =
		"{\"token\":\"t\"}\n---\n"
		"[{\"id\":\"o1\",\"name\":\"my-org\"}]\n---\n"
		"{\"subscriptions\":[{\"org_id\":null},{\"org_id\":\"o1\"}]}";
	char **names = NULL;
	aa_error err = { 0 };

	(void)state;
	fake_http_begin((const uint8_t *)replies, sizeof(replies) - 1);
	{
		aa_secret *token = NULL;
		char *expires = NULL;

		assert_int_equal(ch_repo_issue_token(NULL, "my-org", &token, &expires, &err), AA_OK);
		aa_secret_free(token);
		free(expires);
	}
	assert_int_equal(ch_repo_list_orgs(NULL, &names, &err), AA_OK);
	fake_http_end();
	assert_non_null(names);
	assert_string_equal(names[0], "my-org");
	assert_null(names[1]);
	aa_strv_free(names);
}

/*
 * The netrc bugs fuzz_netrc found, spelled out: a file that ends mid-entry
 * must be refused (AA_ERR_PARSE) or updated so that a reader finds our entry.
 */
static void netrc_update_at_unfinished_end(void **state)
{
	static const char *const texts[] = {
		"machine a login b password \"open",
		"machine a login b password open\\",
		"machine a login b password c\nmachine ",
		"macdef",
	};
	const struct ch_netrc_cred cred = { "repo.anaconda.cloud", "u", "tok" };
	unsigned readable = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct ch_netrc nr = { 0 };
		char *out = NULL;
		size_t out_len = 0;
		const struct ch_netrc_entry *e;

		aa_status st = ch_netrc_update(texts[i], strlen(texts[i]), &cred, 1, &out,
					    &out_len, NULL);

		/* Refusing such a file is as good as writing it right. */
		if (st == AA_ERR_PARSE) {
			readable++;
			continue;
		}
		assert_int_equal(st, AA_OK);
		assert_int_equal(ch_netrc_parse(out, out_len, &nr, NULL), AA_OK);
		e = ch_netrc_find(&nr, cred.host);
		readable += e && e->password && !strcmp(e->password, "tok");
		ch_netrc_free(&nr);
		aa_free_secret_str(out);
	}
	assert_int_equal(readable, sizeof(texts) / sizeof(texts[0]));
}

int main(void)
{
	struct CMUnitTest tests[sizeof(harnesses) / sizeof(harnesses[0]) + 2];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(harnesses) / sizeof(harnesses[0]); i++) {
		struct CMUnitTest t = { harnesses[i].name, replay_harness, NULL, NULL,
					(void *)(uintptr_t)&harnesses[i] };

		tests[n++] = t;
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(org_id_null_does_not_crash);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(netrc_update_at_unfinished_end);
	return _cmocka_run_group_tests("fuzz_regressions", tests, n, NULL, NULL);
}
