/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * checks.h - the property checks the fuzz harnesses run on each input,
 * shared with tests/unit/test_fuzz_regressions.c so every committed corpus
 * entry and every crash found is replayed by `make unit` as well.
 *
 * Each check returns NULL when the input passed (a parser refusing it is a
 * pass), or a sentence naming the property that failed. Memory errors are
 * the sanitizers' business; these checks add what a sanitizer cannot see.
 */
#ifndef FUZZ_CHECKS_H
#define FUZZ_CHECKS_H

#include <stddef.h>
#include <stdint.h>

/* Parsers of files and of git's stdin (check_parsers.c). */
const char *fuzz_check_base64(const uint8_t *data, size_t size);
const char *fuzz_check_jwt(const uint8_t *data, size_t size);
const char *fuzz_check_token_info(const uint8_t *data, size_t size);
const char *fuzz_check_keyring(const uint8_t *data, size_t size);
const char *fuzz_check_keyring_setting(const uint8_t *data, size_t size);
const char *fuzz_check_dotenv(const uint8_t *data, size_t size);
const char *fuzz_check_git_protocol(const uint8_t *data, size_t size);
const char *fuzz_check_netrc(const uint8_t *data, size_t size);

/* config.toml: the reader and its edits (check_toml.c). */
const char *fuzz_check_toml(const uint8_t *data, size_t size);

/* Settings values and pam_anaconda's usermap file (check_settings.c). */
const char *fuzz_check_settings(const uint8_t *data, size_t size);
const char *fuzz_check_usermap(const uint8_t *data, size_t size);

/*
 * Replies of the servers the client talks to (check_replies.c, check_repo.c). The input is
 * one or more HTTP replies for the fake transport (fake_http.h).
 */
const char *fuzz_check_discovery(const uint8_t *data, size_t size);
const char *fuzz_check_token_reply(const uint8_t *data, size_t size);
const char *fuzz_check_device(const uint8_t *data, size_t size);
const char *fuzz_check_api_key(const uint8_t *data, size_t size);
const char *fuzz_check_account(const uint8_t *data, size_t size);
const char *fuzz_check_repo_token(const uint8_t *data, size_t size);

/* The harness body: run a check, abort with its sentence on failure. */
#define FUZZ_HARNESS(check)                                              \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);     \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)      \
	{                                                                 \
		const char *why = check(data, size);                      \
		if (why) {                                                \
			fprintf(stderr, "property violated: %s\n", why);  \
			abort();                                          \
		}                                                         \
		return 0;                                                 \
	}

#endif /* FUZZ_CHECKS_H */
