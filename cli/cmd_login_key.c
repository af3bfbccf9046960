/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_login_key.c - 'login': dispatch, and the headless path that stores a key read from stdin. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "util/aa_util.h"

#define KEY_MAX 16384

static const char login_key_usage[] =
	"usage: anaconda-auth login --with-api-key [--domain D] < key-file\n"
	"Read one API key (made elsewhere, e.g. with 'api-key --create') from stdin,\n"
	"check its shape and expiry, and store it for the domain, keeping any repo\n"
	"tokens already stored there. On a terminal the key is read without echo.\n";

/* Say where the key went and when it expires (fingerprint only). */
static void report_stored(struct cli *cli, aa_keyring *kr, const char *key)
{
	char fp[AA_FINGERPRINT_MAX], when[64];
	int64_t exp = 0;
	aa_expiry e = aa_key_expiry(key, time(NULL), &exp);

	aa_fingerprint(key, fp, sizeof(fp));
	if (e == AA_EXPIRY_UNKNOWN)
		snprintf(when, sizeof(when), "an unknown date (not a JWT with exp)");
	else
		aa_format_utc(exp, when, sizeof(when));
	fprintf(stderr, "%s: stored the API key (%s) for %s in %s storage (%s); it expires %s\n",
		cli->fe.prog, fp, aa_config_domain(cli->cfg), aa_keyring_backend_name(kr),
		aa_keyring_location(kr) ? aa_keyring_location(kr) : "-", when);
	if (aa_config_api_key_source(cli->cfg))
		fprintf(stderr, "%s: note: %s is set and overrides the stored key\n",
			cli->fe.prog, aa_config_api_key_source(cli->cfg));
}

static int store_key(struct cli *cli, const char *key)
{
	aa_keyring *kr = NULL;
	aa_error err;
	int code;

	aa_error_clear(&err);
	if (aa_api_key_check(key, 0, time(NULL), &err) != AA_OK)
		return cli_fail_err(cli, &err);
	code = cli_open_keyring(cli, &kr);
	if (code)
		return code;
	if (aa_keyring_store_api_key(kr, aa_config_domain(cli->cfg), key, &err) != AA_OK)
		code = cli_fail_err(cli, &err);
	else
		report_stored(cli, kr, key);
	cli_close_keyring(cli, kr);
	return code;
}

static const struct fe_opt login_key_opts[] = {
	{ "with-api-key", 256, FE_NONE, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL },
};

static int on_login_key_opt(struct fe *fe, void *ctx, int key, const char *v)
{
	(void)ctx;
	if (key == FE_ARG)
		return fe_usage_error(fe, "login --with-api-key", "unexpected argument '%s'", v);
	return 0;
}

static int login_with_api_key(struct cli *cli, int argc, char **argv)
{
	char buf[KEY_MAX + 2];
	int code;

	code = cli_parse(cli, login_key_usage, login_key_opts, argc, argv, on_login_key_opt, NULL);
	if (code != FE_GO_ON)
		return code;
	if (cli_read_line("Paste your Anaconda API key: ", buf, sizeof(buf)) < 0) {
		aa_memzero(buf, sizeof(buf));
		return cli_fail(cli, AA_ERR_PARSE,
				"the API key on stdin is longer than %d bytes; is it the right file?",
				KEY_MAX);
	}
	if (!buf[0])
		return cli_fail(cli, AA_ERR_USAGE,
				"no API key on stdin (pipe one in: anaconda-auth login --with-api-key < key.txt)");
	code = store_key(cli, buf);
	aa_memzero(buf, sizeof(buf));
	return code;
}

int cli_cmd_login(void *ctx, int argc, char **argv)
{
	struct cli *cli = ctx;
	if (fe_has_flag(argc, argv, "--with-api-key"))
		return login_with_api_key(cli, argc, argv);
	return cli_cmd_login_interactive(cli, argc, argv);
}
