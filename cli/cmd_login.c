/* cmd_login.c - interactive login and API-key minting (placeholder until the login work lands). */
#include "cli.h"

int cmd_login_interactive(struct cli *cli, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_fail(cli, AA_ERR_UNSUPPORTED,
			"interactive login is not yet available; use 'login --with-api-key'");
}

int cmd_api_key_create(struct cli *cli, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_fail(cli, AA_ERR_UNSUPPORTED, "'api-key --create' is not yet available");
}
