/* cmd_whoami.c - the 'whoami' command (placeholder until the login work lands). */
#include "cli.h"

int cmd_whoami(struct cli *cli, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_fail(cli, AA_ERR_UNSUPPORTED, "'whoami' is not yet available");
}
