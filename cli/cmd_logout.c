/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_logout.c - 'logout': delete the stored key for a domain and its aliases (local only). */
#include <stdio.h>

#include "cli.h"

static const char logout_usage[] =
	"usage: anaconda-auth logout [--domain D]\n"
	"Delete the stored entry for the domain and its aliases (anaconda.cloud,\n"
	"anaconda.com, id.anaconda.cloud name one account). Repo tokens stored with\n"
	"it go too. The key is not revoked on the server. Logging out twice is fine.\n";

int cli_cmd_logout(void *ctx, int argc, char **argv)
{
	struct cli *cli = ctx;
	aa_keyring *kr = NULL;
	aa_error err;
	int code;

	code = cli_parse(cli, logout_usage, NULL, argc, argv, NULL, NULL);
	if (code != FE_GO_ON)
		return code;
	code = cli_open_keyring(cli, &kr);
	if (code)
		return code;
	aa_error_clear(&err);
	if (aa_keyring_delete(kr, aa_config_domain(cli->cfg), &err) != AA_OK) {
		code = cli_fail_err(cli, &err);
	} else {
		fprintf(stderr, "%s: logged out of %s\n", cli->fe.prog, aa_config_domain(cli->cfg));
		if (aa_config_api_key_source(cli->cfg))
			fprintf(stderr, "%s: note: %s is still set in the environment\n",
				cli->fe.prog, aa_config_api_key_source(cli->cfg));
	}
	cli_close_keyring(cli, kr);
	return code;
}
