/* cmd_migrate.c - 'migrate' (placeholder until system storage lands). */
#include "cli.h"

int cmd_migrate(struct cli *cli, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_fail(cli, AA_ERR_UNSUPPORTED, "'migrate' is not yet available");
}
