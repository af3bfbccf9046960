/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli.h - what the anaconda-auth commands share: the parsed global options,
 * the resolved settings, and the printing helpers. One file per command.
 */
#ifndef AA_CLI_H
#define AA_CLI_H

#include <stdio.h>

#include "anaconda_auth.h"
#include "fe.h"

struct cli {
	struct fe fe;          /* prog "anaconda-auth", -v count; fe.cfg = cfg */
	aa_config *cfg;        /* settings after .env, env and global flags */
};

/* Print "anaconda-auth: <message>" on stderr; returns aa_exit_code(code). */
int cli_fail(const struct cli *cli, aa_status code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Print an aa_error the same way; returns its exit code. */
int cli_fail_err(const struct cli *cli, const aa_error *err);
/* aa_log_fn that forwards to fe_verbosef (ctx is the struct cli). */
void cli_log(void *ctx, const char *line);

/* Open the key storage the settings choose, with -v logging; exit code or 0. */
int cli_open_keyring(struct cli *cli, aa_keyring **out);
/* Print the storage's notices (fixed permissions, file moved aside), then close. */
void cli_close_keyring(struct cli *cli, aa_keyring *kr);
/*
 * Read one line from stdin into buf (line end stripped); on a terminal
 * `prompt` goes to stderr and the line is read without echo (a secret).
 * 0, or -1 when the line does not fit.
 */
int cli_read_line(const char *prompt, char *buf, size_t size);
/*
 * Parse a command's argv (argv[0] names it) with its option table, the
 * setting flags, -v, -h and -V. Returns FE_GO_ON, or the exit code.
 */
int cli_parse(struct cli *cli, const char *usage, const struct fe_opt *opts,
	      int argc, char **argv, fe_opt_fn fn, void *ctx);

/* Each command (a struct fe_cmd: cli is the struct cli): argv[0] is the command name. */
int cli_cmd_status(void *cli, int argc, char **argv);
int cli_cmd_api_key(void *cli, int argc, char **argv);
int cli_cmd_login(void *cli, int argc, char **argv);
int cli_cmd_logout(void *cli, int argc, char **argv);
int cli_cmd_whoami(void *cli, int argc, char **argv);
int cli_cmd_request(void *cli, int argc, char **argv);
int cli_cmd_migrate(void *cli, int argc, char **argv);
int cli_cmd_config(void *cli, int argc, char **argv);
int cli_cmd_sites(void *cli, int argc, char **argv);

/* Network parts of login/api-key, in cmd_login.c (login issue). */
int cli_cmd_login_interactive(struct cli *cli, int argc, char **argv);
int cli_cmd_api_key_create(struct cli *cli, int argc, char **argv);

#endif /* AA_CLI_H */
