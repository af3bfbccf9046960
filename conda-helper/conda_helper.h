/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * conda_helper.h - what the conda-credential-anaconda commands share: the
 * resolved settings, the repo base URL, messages, and one entry point per
 * command (each in its own file).
 */
#ifndef CONDA_HELPER_H
#define CONDA_HELPER_H

#include "anaconda_auth.h"

#define CH_PROG "conda-credential-anaconda"

struct ch {
	int verbose;          /* -v: diagnostics on stderr, never secrets */
	aa_config cfg;        /* defaults < environment < flags; never ./.env */
	const char *repo_url; /* --repo-url, else $CONDA_TOKEN_REPO_URL, else the default */
};

/* "conda-credential-anaconda: <message>" on stderr; returns aa_exit_code(code). */
int ch_fail(aa_status code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int ch_fail_err(const aa_error *err);
void ch_verbose(const struct ch *ch, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ch_log(void *ctx, const char *line);

/*
 * Options every command takes (--domain, --ssl-verify[=V], --no-ssl-verify,
 * --storage, --keyring-path, --repo-url, -v). 1 when argv[*i] was one
 * (its value consumed), 0 when not, -1 on a bad value (message printed).
 */
int ch_common_flag(struct ch *ch, int argc, char **argv, int *i);

/* "--name V" or "--name=V": 1 and *value set when argv[*i] is it, -1 when V is missing. */
int ch_flag_value(int argc, char **argv, int *i, const char *name, const char **value);

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

int cmd_get(struct ch *ch, int argc, char **argv);
int cmd_token(struct ch *ch, int argc, char **argv);
int cmd_netrc(struct ch *ch, int argc, char **argv);
int cmd_configure(struct ch *ch, int argc, char **argv);
int cmd_unconfigure(struct ch *ch, int argc, char **argv);

#endif /* CONDA_HELPER_H */
