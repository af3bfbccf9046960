/* SPDX-License-Identifier: BSD-3-Clause */
/* helper.c - messages, option parsing and stdout writing every conda-credential-anaconda command shares. */
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
static const struct fe say_fe = { .prog = CH_PROG };
#define SAY(fmt) do { \
		va_list ap_; \
		va_start(ap_, fmt); \
		fe_vreportf(&say_fe, fmt, ap_); \
		va_end(ap_); \
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

void ch_log(void *ctx, const char *line)
{
	const struct ch *ch = ctx;

	fe_verbosef(&ch->fe, "%s", line);
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

/* Wraps a command's option callback: --repo-url is every command's. */
struct parse_ctx {
	struct ch *ch;
	fe_opt_fn fn;
	void *ctx;
};

static int on_opt(struct fe *fe, void *ctx, int key, const char *value)
{
	struct parse_ctx *p = ctx;

	if (key != CH_OPT_REPO_URL)
		return p->fn(fe, p->ctx, key, value);
	p->ch->repo_url = value;
	return 0;
}

int ch_parse(struct ch *ch, const char *cmd, const char *usage, const struct fe_opt *opts,
	     int argc, char **argv, fe_opt_fn fn, void *ctx)
{
	struct parse_ctx p = { ch, fn, ctx };
	return fe_parse(&ch->fe, cmd, usage, opts, fe_setting_flags, argc, argv,
			on_opt, &p, 0, NULL);
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
	return env && *env ? env : CH_DEFAULT_REPO_URL;
}
