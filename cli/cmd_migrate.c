/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_migrate.c - 'migrate': move the stored key between the file keyring and the Secret Service. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char migrate_usage[] =
	"usage: anaconda-auth migrate --to system|file [--force] [--domain D]\n"
	"Move the stored entry for the domain (and its aliases) from the file\n"
	"keyring into the Secret Service (--to system) or back (--to file). The\n"
	"entry is written to the target and read back before it is removed from\n"
	"the source; if anything fails it stays where it was. A different key\n"
	"already in the target is not replaced unless --force is given (the\n"
	"message names both by fingerprint); the same key is harmless.\n"
	"Exit: 0 moved (or already there), 3 no key stored, 6 storage error or\n"
	"a different key in the target.\n";

/* --to value -> storage; -1 when it is neither word. */
static int parse_target(const char *s)
{
	if (!strcmp(s, "system"))
		return AA_STORAGE_SYSTEM;
	if (!strcmp(s, "file") || !strcmp(s, "anaconda-keyring"))
		return AA_STORAGE_FILE;
	return -1;
}

enum { OPT_TO = 256, OPT_FORCE };

static const struct fe_opt migrate_opts[] = {
	{ "to", OPT_TO, FE_VALUE, NULL, NULL },
	{ "force", OPT_FORCE, FE_NONE, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL },
};

struct migrate_args {
	int to;
	unsigned flags;
};

static int on_migrate_opt(struct fe *fe, void *ctx, int key, const char *v)
{
	struct migrate_args *a = ctx;

	if (key == OPT_FORCE) {
		a->flags |= AA_MIGRATE_FORCE;
	} else if (key == OPT_TO) {
		a->to = parse_target(v);
		if (a->to < 0)
			return fe_usage_error(fe, "migrate",
					      "--to '%s' is not a storage; use system or file", v);
	} else {
		return fe_usage_error(fe, "migrate", "unexpected argument '%s'", v);
	}
	return 0;
}

static int parse_args(struct cli *cli, int argc, char **argv, int *to,
		      unsigned *flags)
{
	struct migrate_args a = { .to = -1 };
	int code = cli_parse(cli, migrate_usage, migrate_opts, argc, argv, on_migrate_opt, &a);

	if (code != FE_GO_ON)
		return code;
	*to = a.to;
	*flags = a.flags;
	if (*to < 0)
		return cli_fail(cli, AA_ERR_USAGE, "migrate: say where to: --to system or --to file");
	return FE_GO_ON;
}

int cli_cmd_migrate(void *ctx, int argc, char **argv)
{
	struct cli *cli = ctx;
	const char *word;
	aa_error err;
	int to = -1, moved = 0, code;
	unsigned flags = 0;

	code = parse_args(cli, argc, argv, &to, &flags);
	if (code != FE_GO_ON)
		return code;
	word = to == AA_STORAGE_SYSTEM ? "system" : "file";
	aa_error_clear(&err);
	if (aa_keyring_migrate_flags(cli->cfg, aa_config_domain(cli->cfg), (aa_storage)to,
				     flags, &moved, &err) != AA_OK)
		return cli_fail_err(cli, &err);
	if (moved)
		fprintf(stderr, "%s: moved the key for %s to %s storage\n", cli->fe.prog,
			aa_config_domain(cli->cfg), word);
	else
		fprintf(stderr, "%s: the key for %s is already in %s storage; nothing to move\n",
			cli->fe.prog, aa_config_domain(cli->cfg), word);
	if (to == AA_STORAGE_SYSTEM && aa_config_storage(cli->cfg) != AA_STORAGE_SYSTEM)
		fprintf(stderr, "%s: note: to read it from there, set ANACONDA_AUTH_PREFERRED_TOKEN_STORAGE=system\n",
			cli->fe.prog);
	return AA_EXIT_OK;
}
