/* SPDX-License-Identifier: BSD-3-Clause */
/* main.c - anaconda-auth: global options, settings, and dispatch to one command. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "login", cmd_login, "log in and store an API key (--with-api-key: read one from stdin)" },
	{ "logout", cmd_logout, "delete the stored key for the domain (and its aliases)" },
	{ "whoami", cmd_whoami, "show the account behind the key" },
	{ "api-key", cmd_api_key, "print the stored API key (--create: mint a new one)" },
	{ "status", cmd_status, "show where the key is stored and when it expires" },
	{ "request", cmd_request, "send an authenticated HTTP request, like curl" },
	{ "migrate", cmd_migrate, "move the stored key between file and system storage" },
};

static void usage(FILE *out)
{
	fputs("usage: anaconda-auth [-v] [--domain D] [--storage file|system] <command> [options]\n"
	      "\n"
	      "Commands:\n", out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fputs("\n"
	      "Options for every command:\n"
	      "  --domain D            Anaconda domain (default anaconda.cloud)\n"
	      "  --ssl-verify[=V]      verify TLS (default), or V = a CA bundle path\n"
	      "  --no-ssl-verify       do not verify TLS certificates (unsafe)\n"
	      "  --storage file|system keep the key in ~/.anaconda/keyring or the Secret Service\n"
	      "  --keyring-path P      use P as the file keyring\n"
	      "  -v, --verbose         diagnostics on stderr (never secrets)\n"
	      "  -h, --help            this help;  'anaconda-auth <command> --help' for a command\n"
	      "  -V, --version         print the version\n"
	      "\n"
	      "Settings are read from ./.env, then ANACONDA_AUTH_* (or the older ANACONDA_CLOUD_*)\n"
	      "environment variables, then these flags.\n"
	      "\n"
	      "Exit codes: 0 ok, 1 error, 2 usage, 3 not logged in (no key, or 401/403),\n"
	      "            4 key expired, 5 network or server error, 6 storage error.\n", out);
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* Global options before the command; returns the command's index or -1 to exit. */
static int parse_globals(struct cli *cli, int argc, char **argv, int *exit_code)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		int r;

		if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
			cli->verbose++;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			*exit_code = AA_EXIT_OK;
			return -1;
		} else if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
			printf("anaconda-auth %s\n", AA_VERSION);
			*exit_code = AA_EXIT_OK;
			return -1;
		} else if ((r = cli_setting_flag(cli, argc, argv, &i)) != 0) {
			if (r < 0) {
				*exit_code = AA_EXIT_USAGE;
				return -1;
			}
		} else {
			fprintf(stderr, "%s: unknown option '%s' (see --help)\n", cli->prog, argv[i]);
			*exit_code = AA_EXIT_USAGE;
			return -1;
		}
	}
	if (i >= argc) {
		usage(stderr);
		*exit_code = AA_EXIT_USAGE;
		return -1;
	}
	return i;
}

/* Global setting flags must win over .env and the environment, so the
 * settings are loaded first and the flags applied on top of them. */
static int wants_help_only(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] != '-')
			return 0;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help") ||
		    !strcmp(argv[i], "-V") || !strcmp(argv[i], "--version"))
			return 1;
	}
	return 0;
}

/* Warnings of the HTTP layer (a server's Min-Api-Version): always one line on stderr. */
static void warn_line(void *ctx, const char *line)
{
	fprintf(stderr, "%s: %s\n", (const char *)ctx, line);
}

int main(int argc, char **argv)
{
	struct cli cli = { .prog = "anaconda-auth" };
	const struct command *cmd;
	aa_error err;
	int code = AA_EXIT_OK;
	int first;

	aa_forbid_core_dumps(); /* best effort: a refusal changes nothing else */
	aa_http_set_warn(warn_line, (void *)"anaconda-auth");
	aa_error_clear(&err);
	if (!wants_help_only(argc, argv) &&
	    aa_config_load(&cli.cfg, AA_CONFIG_DOTENV, &err) != AA_OK) {
		code = cli_fail_err(&cli, &err);
		aa_config_free(&cli.cfg);
		return code;
	}
	cli_show_notices(&cli, cli.cfg.notices);
	first = parse_globals(&cli, argc, argv, &code);
	if (first < 0) {
		aa_config_free(&cli.cfg);
		return code;
	}
	cmd = find_command(argv[first]);
	if (!cmd) {
		fprintf(stderr, "%s: unknown command '%s' (see --help)\n", cli.prog, argv[first]);
		aa_config_free(&cli.cfg);
		return AA_EXIT_USAGE;
	}
	code = cmd->run(&cli, argc - first, argv + first);
	aa_config_free(&cli.cfg);
	return code;
}
