/* SPDX-License-Identifier: BSD-3-Clause */
/* main.c - conda-credential-anaconda: settings, then dispatch to one command. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "conda_helper.h"

struct command {
	const char *name;
	int (*run)(struct ch *ch, int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "get", cmd_get, "print the credential for a conda channel URL" },
	{ "token", cmd_token, "install, set, list or uninstall repo tokens; config points conda at the repo" },
	{ "netrc", cmd_netrc, "print .netrc entries, or update ~/.netrc with --write" },
	{ "configure", cmd_configure, "make conda use this helper for Anaconda channels" },
	{ "unconfigure", cmd_unconfigure, "undo configure" },
};

static int usage(FILE *out)
{
	fputs("usage: " CH_PROG " <command> [options]\n\nCommands:\n", out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fputs("\n"
	      "Options for every command:\n"
	      "  --domain D            Anaconda domain (default anaconda.cloud)\n"
	      "  --repo-url U          repo-token channel base (default $CONDA_TOKEN_REPO_URL,\n"
	      "                        else https://repo.anaconda.cloud/repo/)\n"
	      "  --ssl-verify[=CA]     verify TLS (default), or with the CA bundle CA\n"
	      "  --no-ssl-verify       do not verify TLS certificates (unsafe)\n"
	      "  --storage file|system --keyring-path P   where the key is kept\n"
	      "  -v, --verbose         diagnostics on stderr (never secrets)\n"
	      "\n"
	      "Settings come from ANACONDA_AUTH_* (or older ANACONDA_CLOUD_*) variables and\n"
	      "these flags; ./.env is never read. 'anaconda-auth login' stores the key.\n"
	      "Exit codes: 0 ok, 1 error, 2 usage, 3 no credential, 4 key expired,\n"
	      "            5 network or server error, 6 storage error.\n", out);
	return out == stdout ? AA_EXIT_OK : AA_EXIT_USAGE;
}

/* Warnings of the HTTP layer (a server's Min-Api-Version): always one line on stderr. */
static void warn_line(void *ctx, const char *line)
{
	fprintf(stderr, "%s: %s\n", (const char *)ctx, line);
}

int main(int argc, char **argv)
{
	struct ch ch;
	aa_error err;
	int code;

	/* everything this helper creates is private to the person */
	umask(077);
	aa_forbid_core_dumps(); /* best effort: a refusal changes nothing else */
	aa_http_set_warn(warn_line, (void *)CH_PROG);
	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))
		return usage(stdout);
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf(CH_PROG " %s\n", AA_VERSION);
		return AA_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		memset(&ch, 0, sizeof(ch));
		aa_error_clear(&err);
		/* no AA_CONFIG_DOTENV: conda runs us in directories the person does not control */
		if (aa_config_load(&ch.cfg, 0, &err) != AA_OK)
			return ch_fail_err(&err);
		code = commands[i].run(&ch, argc - 1, argv + 1);
		aa_config_free(&ch.cfg);
		return code;
	}
	fprintf(stderr, CH_PROG ": unknown command '%s' (see --help)\n", argv[1]);
	return AA_EXIT_USAGE;
}
