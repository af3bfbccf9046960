/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_sites.h - what the 'sites' command's files share (cmd_sites.c, cmd_sites_edit.c). */
#ifndef AA_CMD_SITES_H
#define AA_CMD_SITES_H

#include "cli.h"

struct aa_sites;

/* How a change is confirmed: --yes, --dry-run, or asked on a terminal. */
enum sites_confirm { SITES_ASK, SITES_YES, SITES_DRY_RUN };

/* Open config.toml for a change; an exit code, or 0 with *out set. */
int sites_open(struct cli *cli, struct aa_sites **out);
/* Show, confirm and write the change held by s (freed); returns the exit code. */
int sites_finish(struct cli *cli, struct aa_sites *s, enum sites_confirm how);

/* 'sites add' and 'sites modify' (argv[0] names the subcommand). */
int cli_cmd_sites_add(struct cli *cli, int argc, char **argv);
int cli_cmd_sites_modify(struct cli *cli, int argc, char **argv);

#endif /* AA_CMD_SITES_H */
