/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli.h - what the anaconda-auth commands share: the parsed global options,
 * the resolved settings, and the printing helpers. One file per command.
 */
#ifndef AA_CLI_H
#define AA_CLI_H

#include <stdio.h>

#include "anaconda_auth.h"

struct cli {
	const char *prog;      /* "anaconda-auth" */
	int verbose;           /* -v: diagnostics on stderr, never secrets */
	aa_config cfg;         /* settings after .env, env and global flags */
};

/* Print "anaconda-auth: <message>" on stderr; returns aa_exit_code(code). */
int cli_fail(const struct cli *cli, aa_status code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Print an aa_error the same way; returns its exit code. */
int cli_fail_err(const struct cli *cli, const aa_error *err);
/* A diagnostic line on stderr when -v was given. */
void cli_verbose(const struct cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* aa_log_fn that forwards to cli_verbose (ctx is the struct cli). */
void cli_log(void *ctx, const char *line);

/*
 * Apply a per-command flag that names a setting (--domain D, --ssl-verify,
 * --storage S ...). Returns 1 when argv[*i] was such a flag (consuming its
 * value), 0 when not, -1 on a bad value (message printed).
 */
int cli_setting_flag(struct cli *cli, int argc, char **argv, int *i);

/* Print each line of `notices` as "anaconda-auth: <line>" on stderr. */
void cli_show_notices(const struct cli *cli, const char *notices);

/* Open the key storage the settings choose, with -v logging; exit code or 0. */
int cli_open_keyring(struct cli *cli, aa_keyring **out);
/* Print the storage's notices (fixed permissions, file moved aside), then close. */
void cli_close_keyring(struct cli *cli, aa_keyring *kr);
/* "2027-01-31 12:00:00 UTC" for a Unix time. */
void cli_format_time(int64_t t, char *buf, size_t len);
/* Parse only the setting flags (and --help via `usage`); 0 ok, else exit code. */
int cli_parse_settings_only(struct cli *cli, int argc, char **argv,
			    const char *usage);

/* Each command: argv[0] is the command name. Returns the exit code. */
int cmd_status(struct cli *cli, int argc, char **argv);
int cmd_api_key(struct cli *cli, int argc, char **argv);
int cmd_login(struct cli *cli, int argc, char **argv);
int cmd_logout(struct cli *cli, int argc, char **argv);
int cmd_whoami(struct cli *cli, int argc, char **argv);
int cmd_request(struct cli *cli, int argc, char **argv);
int cmd_migrate(struct cli *cli, int argc, char **argv);

/* Network parts of login/api-key, in cmd_login.c (login issue). */
int cmd_login_interactive(struct cli *cli, int argc, char **argv);
int cmd_api_key_create(struct cli *cli, int argc, char **argv);

#endif /* AA_CLI_H */
