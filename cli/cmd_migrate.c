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

static int parse_args(struct cli *cli, int argc, char **argv, int *to,
		      unsigned *flags)
{
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		int r;

		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(migrate_usage, stdout);
			return -1;
		}
		if (!strcmp(argv[i], "--force")) {
			*flags |= AA_MIGRATE_FORCE;
			continue;
		}
		if (!strncmp(argv[i], "--to=", 5))
			v = argv[i] + 5;
		else if (!strcmp(argv[i], "--to") && i + 1 < argc)
			v = argv[++i];
		else if (!strcmp(argv[i], "--to"))
			return cli_fail(cli, AA_ERR_USAGE, "--to needs a value: system or file");
		if (v) {
			*to = parse_target(v);
			if (*to < 0)
				return cli_fail(cli, AA_ERR_USAGE,
						"migrate: --to '%s' is not a storage; use system or file", v);
			continue;
		}
		r = cli_setting_flag(cli, argc, argv, &i);
		if (r < 0)
			return AA_EXIT_USAGE;
		if (r == 0)
			return cli_fail(cli, AA_ERR_USAGE, "migrate: unknown argument '%s' (see --help)", argv[i]);
	}
	if (*to < 0)
		return cli_fail(cli, AA_ERR_USAGE, "migrate: say where to: --to system or --to file");
	return 0;
}

int cmd_migrate(struct cli *cli, int argc, char **argv)
{
	const char *word;
	aa_error err;
	int to = -1, moved = 0, code;
	unsigned flags = 0;

	code = parse_args(cli, argc, argv, &to, &flags);
	if (code)
		return code < 0 ? AA_EXIT_OK : code;
	word = to == AA_STORAGE_SYSTEM ? "system" : "file";
	aa_error_clear(&err);
	if (aa_keyring_migrate_flags(&cli->cfg, cli->cfg.domain, (aa_storage)to,
				     flags, &moved, &err) != AA_OK)
		return cli_fail_err(cli, &err);
	if (moved)
		fprintf(stderr, "%s: moved the key for %s to %s storage\n", cli->prog,
			cli->cfg.domain, word);
	else
		fprintf(stderr, "%s: the key for %s is already in %s storage; nothing to move\n",
			cli->prog, cli->cfg.domain, word);
	if (to == AA_STORAGE_SYSTEM && cli->cfg.storage != AA_STORAGE_SYSTEM)
		fprintf(stderr, "%s: note: to read it from there, set ANACONDA_AUTH_PREFERRED_TOKEN_STORAGE=system\n",
			cli->prog);
	return AA_EXIT_OK;
}
