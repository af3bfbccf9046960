/* SPDX-License-Identifier: BSD-3-Clause */
/* main.c - anaconda-auth: global options, settings, and dispatch to one command. */
#include <stdio.h>

#include "cli.h"

static const struct fe_cmd commands[] = {
	{ "login", cli_cmd_login, "log in and store an API key (--with-api-key: read one from stdin)" },
	{ "logout", cli_cmd_logout, "delete the stored key for the domain (and its aliases)" },
	{ "whoami", cli_cmd_whoami, "show the account behind the key" },
	{ "api-key", cli_cmd_api_key, "print the stored API key (--create: mint a new one)" },
	{ "status", cli_cmd_status, "show where the key is stored and when it expires" },
	{ "request", cli_cmd_request, "send an authenticated HTTP request, like curl" },
	{ "migrate", cli_cmd_migrate, "move the stored key between file and system storage" },
	{ "config", cli_cmd_config, "show every setting in effect and where it came from" },
	{ "sites", cli_cmd_sites, "list, show, add, modify or remove the sites of config.toml" },
	{ NULL, NULL, NULL },
};

static const char usage_head[] =
	"usage: anaconda-auth [-v] [--domain D] [--storage file|system] <command> [options]\n"
	"\n"
	"Commands:\n";

static const char usage_tail[] =
	"\n"
	"Options for every command (before or after it):\n"
	"  --domain D            Anaconda domain (default anaconda.com)\n"
	"  --ssl-verify[=V]      verify TLS (default), or V = a CA bundle path\n"
	"  --no-ssl-verify       do not verify TLS certificates (unsafe)\n"
	"  --storage file|system keep the key in ~/.anaconda/keyring or the Secret Service\n"
	"  --keyring-path P      use P as the file keyring\n"
	"  --at SITE             use the [sites.SITE] table of config.toml (a name or domain)\n"
	"  -v, --verbose         diagnostics on stderr (never secrets)\n"
	"  -h, --help            this help;  'anaconda-auth <command> --help' for a command\n"
	"  -V, --version         print the version\n"
	"Values go as '--domain D' or '--domain=D'; '--' ends the options.\n"
	"\n"
	"Settings, highest first: these flags, ANACONDA_AUTH_* (or the older ANACONDA_CLOUD_*)\n"
	"variables, the secrets directory, ./.env, the site of ~/.anaconda/config.toml,\n"
	"[plugin.cloud], [plugin.auth], conda's .condarc, defaults ('anaconda-auth config').\n"
	"\n"
	"Exit codes: 0 ok, 1 error, 2 usage, 3 not logged in (no key, or 401/403),\n"
	"            4 key expired, 5 network or server error, 6 storage error.\n";

static void usage(FILE *out)
{
	fputs(usage_head, out);
	fe_list_cmds(out, commands);
	fputs(usage_tail, out);
}

/* Settings first: the setting flags must win over .env and the environment. */
static int load_settings(struct cli *cli)
{
	aa_error err;

	aa_error_clear(&err);
	if (aa_config_load(&cli->cfg, AA_CONFIG_DOTENV, &err) != AA_OK)
		return cli_fail_err(cli, &err);
	cli->fe.cfg = cli->cfg;
	fe_show_notices(&cli->fe, aa_config_notices(cli->cfg));
	return FE_GO_ON;
}

int main(int argc, char **argv)
{
	struct cli cli = { .fe = { .prog = "anaconda-auth", .version = AA_VERSION, .help = usage } };
	const struct fe_cmd *cmd;
	int help_only, code, first = argc;

	aa_forbid_core_dumps(); /* best effort: a refusal changes nothing else */
	aa_http_set_warn(fe_warn_line, (void *)"anaconda-auth");
	/* --help and --version need no settings (a broken .env must not stop them) */
	help_only = fe_wants_help(argc, argv);
	code = help_only ? FE_GO_ON : load_settings(&cli);
	if (code == FE_GO_ON)
		code = fe_parse_globals(&cli.fe, fe_setting_flags, argc, argv, &first);
	if (code == FE_GO_ON && help_only) {
		/* the -h was a value ("--domain -h"): load, then parse again */
		cli.fe.verbose = 0;
		aa_config_free(cli.cfg); /* what the flags set on the empty one */
		cli.cfg = NULL;
		code = load_settings(&cli);
		if (code == FE_GO_ON)
			code = fe_parse_globals(&cli.fe, fe_setting_flags, argc, argv, &first);
	}
	if (code == FE_GO_ON) {
		cmd = fe_find_cmd(commands, argv[first]);
		code = cmd ? cmd->run(&cli, argc - first, argv + first) :
			fe_usage_error(&cli.fe, NULL, "unknown command '%s'", argv[first]);
	}
	aa_config_free(cli.cfg);
	return code;
}
