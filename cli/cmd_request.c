/* cmd_request.c - the 'request' command (placeholder until the login work lands). */
#include "cli.h"

int cmd_request(struct cli *cli, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_fail(cli, AA_ERR_UNSUPPORTED, "'request' is not yet available");
}
