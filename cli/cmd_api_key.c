/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_api_key.c - 'api-key': print the key in effect for a domain, or mint one (--create). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "util/aa_util.h"

static const char api_key_usage[] =
	"usage: anaconda-auth api-key [--domain D]\n"
	"       anaconda-auth api-key --create [--scopes a,b] [--tag T]\n"
	"Print the API key in effect (ANACONDA_AUTH_API_KEY, else the stored key) on\n"
	"stdout, nothing else. With --create, mint a new key with the current one.\n"
	"Exit: 0 ok, 3 not logged in, 4 key expired, 6 storage error.\n";

/* Refuse an expired key with the date and the fix; unknown expiry passes. */
static int check_expiry(struct cli *cli, const aa_token_info *info)
{
	char what[320];
	aa_error err;

	snprintf(what, sizeof(what), "the API key for %s", aa_config_domain(cli->cfg));
	aa_error_clear(&err);
	if (aa_check_not_expired(aa_secret_str(info->api_key), time(NULL), what,
				 "run: anaconda-auth login", &err) == AA_OK)
		return 0;
	return cli_fail_err(cli, &err);
}

int cli_cmd_api_key(void *ctx, int argc, char **argv)
{
	struct cli *cli = ctx;
	aa_token_info *info = NULL;
	aa_keyring *kr = NULL;
	aa_error err;
	aa_status rc;
	int code;

	if (fe_has_flag(argc, argv, "--create"))
		return cli_cmd_api_key_create(cli, argc, argv);
	code = cli_parse(cli, api_key_usage, NULL, argc, argv, NULL, NULL);
	if (code != FE_GO_ON)
		return code;
	code = cli_open_keyring(cli, &kr);
	if (code)
		return code;
	aa_error_clear(&err);
	rc = aa_keyring_get(kr, aa_config_domain(cli->cfg), &info, NULL, &err);
	if (rc == AA_ERR_NOT_FOUND || (rc == AA_OK && !info->api_key))
		code = cli_fail(cli, AA_ERR_NOT_FOUND,
				"not logged in to %s (run: anaconda-auth login)", aa_config_domain(cli->cfg));
	else if (rc != AA_OK)
		code = cli_fail_err(cli, &err);
	else
		code = check_expiry(cli, info);
	if (!code) {
		fputs(aa_secret_str(info->api_key), stdout);
		fputc('\n', stdout);
		if (fflush(stdout) != 0)
			code = cli_fail(cli, AA_ERR_GENERIC, "cannot write the key to stdout");
	}
	aa_token_info_free(info);
	cli_close_keyring(cli, kr);
	return code;
}
