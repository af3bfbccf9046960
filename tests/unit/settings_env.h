/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * settings_env.h - what the settings unit tests share: a clean environment
 * (no ANACONDA_* variable of the machine leaks in) and a load that must work.
 * Include after <cmocka.h>.
 */
#ifndef TEST_SETTINGS_ENV_H
#define TEST_SETTINGS_ENV_H

#include <stdlib.h>
#include <string.h>

#include "anaconda_auth.h"

extern char **environ;

/* Unset every ANACONDA_* variable. */
static inline void clear_anaconda_env(void)
{
	for (;;) {
		char name[256];
		char **e = environ;
		size_t n;

		while (*e && strncmp(*e, "ANACONDA_", 9) != 0)
			e++;
		if (!*e)
			return;
		n = strcspn(*e, "=");
		assert_true(n < sizeof(name));
		memcpy(name, *e, n);
		name[n] = '\0';
		unsetenv(name);
	}
}

/* aa_config_load, failing the test with the library's message. */
static inline void load_ok(aa_config **cfg, unsigned flags)
{
	aa_error err;

	aa_error_clear(&err);
	if (aa_config_load(cfg, flags, &err) != AA_OK)
		fail_msg("aa_config_load failed: %s", err.message);
}

#endif /* TEST_SETTINGS_ENV_H */
