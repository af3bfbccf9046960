/* SPDX-License-Identifier: BSD-3-Clause */
/* helper.c - messages, options and stdout writing every conda-credential-anaconda command shares. */
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conda_helper.h"
#include "internal.h"
#include "select.h"

/* Every message: "conda-credential-anaconda: <text>\n" on stderr. */
#define SAY(fmt) do { \
		va_list ap_; \
		fputs(CH_PROG ": ", stderr); \
		va_start(ap_, fmt); \
		vfprintf(stderr, fmt, ap_); \
		va_end(ap_); \
		fputc('\n', stderr); \
	} while (0)

int ch_fail(aa_status code, const char *fmt, ...)
{
	SAY(fmt);
	return aa_exit_code(code);
}

int ch_fail_err(const aa_error *err)
{
	return ch_fail(err->code, "%s", err->message[0] ? err->message : aa_strerror(err->code));
}

int ch_usage_error(const char *fmt, ...)
{
	SAY(fmt);
	return AA_EXIT_USAGE;
}

void ch_verbose(const struct ch *ch, const char *fmt, ...)
{
	if (ch->verbose)
		SAY(fmt);
}

void ch_log(void *ctx, const char *line)
{
	ch_verbose(ctx, "%s", line);
}

int ch_flag_value(int argc, char **argv, int *i, const char *name, const char **value)
{
	int r = aa_arg_value(argc, argv, i, name, value);

	if (r < 0)
		ch_usage_error("%s needs a value (see --help)", name);
	return r;
}

int ch_print_secret(const char *text, size_t len)
{
	/* write(2), not stdio: no unwiped copy is left in a stdio buffer */
	while (len) {
		ssize_t w = write(STDOUT_FILENO, text, len);

		if (w <= 0)
			return ch_fail(AA_ERR_GENERIC, "cannot write to standard output");
		text += w;
		len -= (size_t)w;
	}
	return AA_EXIT_OK;
}

static int apply(struct ch *ch, const char *field, const char *value, const char *origin)
{
	aa_error err;

	aa_error_clear(&err);
	if (aa_config_set(&ch->cfg, field, value, origin, &err) != AA_OK) {
		ch_fail_err(&err);
		return -1;
	}
	return 1;
}

int ch_common_flag(struct ch *ch, int argc, char **argv, int *i)
{
	static const struct { const char *flag, *field; } valued[] = {
		{ "--domain", "domain" },
		{ "--storage", "preferred_token_storage" },
		{ "--keyring-path", "keyring_path" },
	};
	const char *a = argv[*i], *v = NULL;
	int r;

	if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
		ch->verbose++;
		return 1;
	}
	if (!strcmp(a, "--no-ssl-verify"))
		return apply(ch, "ssl_verify", "0", a);
	if (!strcmp(a, "--ssl-verify"))
		return apply(ch, "ssl_verify", "1", a);
	if (!strncmp(a, "--ssl-verify=", 13))
		return apply(ch, "ssl_verify", a + 13, "--ssl-verify");
	for (size_t k = 0; k < sizeof(valued) / sizeof(valued[0]); k++) {
		if ((r = ch_flag_value(argc, argv, i, valued[k].flag, &v)) != 0)
			return r < 0 ? -1 : apply(ch, valued[k].field, v, valued[k].flag);
	}
	if ((r = ch_flag_value(argc, argv, i, "--repo-url", &v)) != 0) {
		if (r > 0)
			ch->repo_url = v;
		return r;
	}
	return 0;
}

const char *ch_home(void)
{
	const char *h = getenv("HOME");
	struct passwd *pw;

	if (h && *h)
		return h;
	pw = getpwuid(getuid());
	return pw && pw->pw_dir && *pw->pw_dir ? pw->pw_dir : NULL;
}

const char *ch_repo_url(const struct ch *ch)
{
	const char *env = getenv("CONDA_TOKEN_REPO_URL");

	if (ch->repo_url && *ch->repo_url)
		return ch->repo_url;
	return env && *env ? env : CONDA_DEFAULT_REPO_URL;
}
