/* SPDX-License-Identifier: BSD-3-Clause */
/* main.c - conda-credential-anaconda: settings, then dispatch to one command. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "conda_helper.h"

static int ch_cmd_help(void *ch, int argc, char **argv);

static const struct fe_cmd commands[] = {
	{ "get", ch_cmd_get, "print the credential for a conda channel URL" },
	{ "token", ch_cmd_token, "install, set, list or uninstall repo tokens; config points conda at the repo" },
	{ "netrc", ch_cmd_netrc, "print .netrc entries, or update ~/.netrc with --write" },
	{ "configure", ch_cmd_configure, "make conda use this helper for Anaconda channels" },
	{ "unconfigure", ch_cmd_unconfigure, "undo configure" },
	{ NULL, NULL, NULL },
};

static const char usage_head[] = "usage: " CH_PROG " <command> [options]\n\nCommands:\n";

static const char usage_tail[] =
	"\n"
	"Options for every command:\n"
	"  --domain D            Anaconda domain (default anaconda.com)\n"
	"  --repo-url U          repo-token channel base (default $CONDA_TOKEN_REPO_URL,\n"
	"                        else https://repo.anaconda.cloud/repo/)\n"
	"  --ssl-verify[=CA]     verify TLS (default), or with the CA bundle CA\n"
	"  --no-ssl-verify       do not verify TLS certificates (unsafe)\n"
	"  --storage file|system --keyring-path P   where the key is kept\n"
	"  --at SITE             the [sites.SITE] of ~/.anaconda/config.toml (name or domain)\n"
	"  -v, --verbose         diagnostics on stderr (never secrets)\n"
	"  -h, --help            help ('" CH_PROG " <command> --help' for a command)\n"
	"Values go as '--domain D' or '--domain=D'; '--' ends the options.\n"
	"\n"
	"Settings come from ANACONDA_AUTH_* (or older ANACONDA_CLOUD_*) variables and\n"
	"these flags; ./.env is never read. 'anaconda-auth login' stores the key.\n"
	"Exit codes: 0 ok, 1 error, 2 usage, 3 no credential, 4 key expired,\n"
	"            5 network or server error, 6 storage error.\n";

static void help(FILE *out)
{
	fputs(usage_head, out);
	fe_list_cmds(out, commands);
	fputs(usage_tail, out);
}

/* "conda-credential-anaconda help": the same as --help. */
static int ch_cmd_help(void *ch, int argc, char **argv)
{
	(void)ch, (void)argc, (void)argv;
	help(stdout);
	return AA_EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct fe_cmd help_cmd = { "help", ch_cmd_help, NULL };
	const struct fe_cmd *cmd;
	struct ch ch;
	aa_error err;
	int code, first = argc;

	/* everything this helper creates is private to the person */
	umask(077);
	aa_forbid_core_dumps(); /* best effort: a refusal changes nothing else */
	aa_http_set_warn(fe_warn_line, (void *)CH_PROG);
	memset(&ch, 0, sizeof(ch));
	ch.fe = (struct fe){ .prog = CH_PROG, .version = AA_VERSION,
			   .help = help };
	code = fe_parse_globals(&ch.fe, NULL, argc, argv, &first);
	if (code != FE_GO_ON)
		return code;
	cmd = !strcmp(argv[first], "help") ? &help_cmd : fe_find_cmd(commands, argv[first]);
	if (!cmd)
		return fe_usage_error(&ch.fe, NULL, "unknown command '%s'", argv[first]);
	aa_error_clear(&err);
	/* no AA_CONFIG_DOTENV: conda runs us in directories the person does not control */
	if (aa_config_load(&ch.cfg, 0, &err) != AA_OK)
		return ch_fail_err(&err);
	ch.fe.cfg = ch.cfg;
	code = cmd->run(&ch, argc - first, argv + first);
	aa_config_free(ch.cfg);
	return code;
}
