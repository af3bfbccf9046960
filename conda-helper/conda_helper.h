/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * conda_helper.h - what the conda-credential-anaconda commands share: the
 * resolved settings, the repo base URL, messages, and one entry point per
 * command (each in its own file).
 */
#ifndef CONDA_HELPER_H
#define CONDA_HELPER_H

#include "anaconda_auth.h"
#include "fe.h"

#define CH_PROG "conda-credential-anaconda"

struct ch {
	struct fe fe;         /* prog, -v count (diagnostics, never secrets); fe.cfg = cfg */
	aa_config *cfg;       /* defaults < environment < flags; never ./.env */
	const char *repo_url; /* --repo-url, else $CONDA_TOKEN_REPO_URL, else the default */
};

/* "conda-credential-anaconda: <message>" on stderr; returns aa_exit_code(code). */
int ch_fail(aa_status code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int ch_fail_err(const aa_error *err);
/* aa_log_fn that forwards to fe_verbosef (ctx is the struct ch). */
void ch_log(void *ctx, const char *line);

/* The option every command takes besides the kit's setting flags; tables end with it. */
#define CH_OPT_REPO_URL 0x800
#define CH_COMMON_OPTS { "repo-url", CH_OPT_REPO_URL, FE_VALUE, NULL, NULL }, \
	{ NULL, 0, 0, NULL, NULL }

/*
 * Parse command `cmd`'s argv (argv[0] is skipped) with its table, the setting
 * flags, -v, -h, -V. FE_GO_ON to go on, else the exit code (0 after
 * help/version).
 */
int ch_parse(struct ch *ch, const char *cmd, const char *usage, const struct fe_opt *opts,
	     int argc, char **argv, fe_opt_fn fn, void *ctx);

/* Write text (a secret) to stdout unbuffered; an exit code. */
int ch_print_secret(const char *text, size_t len);

/* Print a usage error; returns AA_EXIT_USAGE. */
int ch_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The repo-token channel base: --repo-url, $CONDA_TOKEN_REPO_URL, or the upstream default. */
const char *ch_repo_url(const struct ch *ch);

/* The home directory ($HOME, else the password database); NULL if none. */
const char *ch_home(void);

/* Shared by configure and token config (configure.c). */
/* A channel pattern: https://, then plain URL bytes (it goes into YAML quotes). */
aa_status ch_conf_check_pattern(const char *p, aa_error *err);
/* The pattern "scheme://<repo host[:port]>/" plus a star, for the repo URL in effect; NULL + err on failure. */
char *ch_conf_default_pattern(const struct ch *ch, aa_error *err);
/* Make a condarc.d directory through descriptors (prefix NULL: the person's, 0700). */
aa_status ch_conf_make_dir(const char *dir, const char *prefix, aa_error *err);

/* Each command (a struct fe_cmd: ch is the struct ch); argv[0] is its name. */
int ch_cmd_get(void *ch, int argc, char **argv);
int ch_cmd_token(void *ch, int argc, char **argv);
int ch_cmd_netrc(void *ch, int argc, char **argv);
int ch_cmd_configure(void *ch, int argc, char **argv);
int ch_cmd_unconfigure(void *ch, int argc, char **argv);

#endif /* CONDA_HELPER_H */
