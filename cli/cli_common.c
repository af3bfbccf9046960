/* cli_common.c - messages, verbose logging and setting flags shared by the commands. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "util/aa_util.h"

int cli_fail(const struct cli *cli, aa_status code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return aa_exit_code(code);
}

int cli_fail_err(const struct cli *cli, const aa_error *err)
{
	const char *msg = err->message[0] ? err->message : aa_strerror(err->code);

	return cli_fail(cli, err->code, "%s", msg);
}

void cli_verbose(const struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	if (!cli->verbose)
		return;
	fprintf(stderr, "%s: ", cli->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_log(void *ctx, const char *line)
{
	cli_verbose(ctx, "%s", line);
}

/* Flags that are settings: flag name, setting name, fixed value (NULL = takes one). */
static const struct setting_flag {
	const char *flag;
	const char *field;
	const char *fixed;
} setting_flags[] = {
	{ "--domain", "domain", NULL },
	{ "--ssl-verify", "ssl_verify", "1" },
	{ "--no-ssl-verify", "ssl_verify", "0" },
	{ "--storage", "preferred_token_storage", NULL },
	{ "--keyring-path", "keyring_path", NULL },
};

/* Match "--flag", "--flag=value"; *value gets the inline value or NULL. */
static int flag_matches(const char *arg, const char *flag, const char **value)
{
	size_t n = strlen(flag);

	if (strncmp(arg, flag, n))
		return 0;
	if (arg[n] == '\0') {
		*value = NULL;
		return 1;
	}
	if (arg[n] == '=') {
		*value = arg + n + 1;
		return 1;
	}
	return 0;
}

int cli_setting_flag(struct cli *cli, int argc, char **argv, int *i)
{
	for (size_t k = 0; k < sizeof(setting_flags) / sizeof(setting_flags[0]); k++) {
		const struct setting_flag *f = &setting_flags[k];
		const char *value;
		size_t shown;
		aa_error err;

		if (!flag_matches(argv[*i], f->flag, &value))
			continue;
		if (!value)
			value = f->fixed;
		if (!value) {
			if (*i + 1 >= argc) {
				cli_fail(cli, AA_ERR_USAGE, "%s needs a value", f->flag);
				return -1;
			}
			value = argv[++*i];
		}
		aa_error_clear(&err);
		shown = cli->cfg.notices ? strlen(cli->cfg.notices) : 0;
		if (aa_config_set(&cli->cfg, f->field, value, f->flag, &err) != AA_OK) {
			cli_fail_err(cli, &err);
			return -1;
		}
		/* A flag can make a .env setting moot; say so (the rest was said). */
		if (cli->cfg.notices && strlen(cli->cfg.notices) > shown)
			cli_show_notices(cli, cli->cfg.notices + shown + (shown > 0));
		return 1;
	}
	return 0;
}

int cli_open_keyring(struct cli *cli, aa_keyring **out)
{
	aa_error err;

	aa_error_clear(&err);
	if (aa_keyring_open(&cli->cfg, out, &err) != AA_OK)
		return cli_fail_err(cli, &err);
	aa_keyring_set_log(*out, cli_log, cli);
	return 0;
}

void cli_show_notices(const struct cli *cli, const char *notices)
{
	/* Notices are few and short: one stderr line each, never a secret. */
	while (notices && *notices) {
		size_t n = strcspn(notices, "\n");

		fprintf(stderr, "%s: %.*s\n", cli->prog, (int)n, notices);
		notices += n + (notices[n] == '\n');
	}
}

void cli_close_keyring(struct cli *cli, aa_keyring *kr)
{
	/* With -v every notice already went out through the log callback. */
	cli_show_notices(cli, kr && !cli->verbose ? aa_keyring_notice(kr) : NULL);
	aa_keyring_close(kr);
}

void cli_format_time(int64_t t, char *buf, size_t len)
{
	aa_format_utc(t, buf, len);
}

int cli_parse_settings_only(struct cli *cli, int argc, char **argv,
			    const char *usage)
{
	for (int i = 1; i < argc; i++) {
		int r;

		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return -1;
		}
		r = cli_setting_flag(cli, argc, argv, &i);
		if (r < 0)
			return AA_EXIT_USAGE;
		if (r == 0) {
			cli_fail(cli, AA_ERR_USAGE, "%s: unknown argument '%s' (see --help)",
				 argv[0], argv[i]);
			return AA_EXIT_USAGE;
		}
	}
	return 0;
}
