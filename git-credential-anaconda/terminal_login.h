/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * terminal_login.h - `--login`: run `anaconda-auth login --device` on the
 * person's terminal and wait for it, so a git command can go on afterwards.
 */
#ifndef GCA_TERMINAL_LOGIN_H
#define GCA_TERMINAL_LOGIN_H

#include "actions.h"

/*
 * AA_ERR_UNSUPPORTED (without a word) when nobody can be asked: no
 * /dev/tty, or GIT_TERMINAL_PROMPT is false. Otherwise the login's result:
 * AA_OK when it exited 0, else an error naming its exit status.
 */
aa_status gca_terminal_login(gca_ctx *ctx, aa_error *err);

/*
 * Where anaconda-auth is: next to our own executable, then $AA_BINDIR (or
 * the configured bindir), else just the name for a PATH search.
 * Returns a malloc'd string.
 */
char *gca_find_cli(void);

#endif /* GCA_TERMINAL_LOGIN_H */
