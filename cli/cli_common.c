/* SPDX-License-Identifier: BSD-3-Clause */
/* cli_common.c - messages, verbose logging and option parsing shared by the commands. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "util/aa_util.h"

int cli_fail(const struct cli *cli, aa_status code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fe_vreportf(&cli->fe, fmt, ap);
	va_end(ap);
	return aa_exit_code(code);
}

int cli_fail_err(const struct cli *cli, const aa_error *err)
{
	const char *msg = err->message[0] ? err->message : aa_strerror(err->code);

	return cli_fail(cli, err->code, "%s", msg);
}

void cli_log(void *ctx, const char *line)
{
	const struct cli *cli = ctx;

	fe_verbosef(&cli->fe, "%s", line);
}

int cli_open_keyring(struct cli *cli, aa_keyring **out)
{
	aa_error err;

	aa_error_clear(&err);
	if (aa_keyring_open(cli->cfg, out, &err) != AA_OK)
		return cli_fail_err(cli, &err);
	aa_keyring_set_log(*out, cli_log, cli);
	return 0;
}

void cli_close_keyring(struct cli *cli, aa_keyring *kr)
{
	/* With -v every notice already went out through the log callback. */
	fe_show_notices(&cli->fe, kr && !cli->fe.verbose ? aa_keyring_notice(kr) : NULL);
	aa_keyring_close(kr);
}

int cli_parse(struct cli *cli, const char *usage, const struct fe_opt *opts,
	      int argc, char **argv, fe_opt_fn fn, void *ctx)
{
	return fe_parse(&cli->fe, argv[0], usage, opts, fe_setting_flags,
			argc, argv, fn, ctx, 0, NULL);
}

int cli_read_line(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO);
	int echo_off = 0;
	size_t n;

	if (tty && tcgetattr(STDIN_FILENO, &old) == 0) {
		fputs(prompt, stderr);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		echo_off = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
	}
	if (!fgets(buf, (int)size, stdin))
		buf[0] = '\0';
	if (echo_off) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	n = strlen(buf);
	if (n == size - 1 && buf[n - 1] != '\n')
		return -1;
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return 0;
}
