/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_whoami.c - 'whoami': the account behind the key in effect (GET /api/account). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "internal.h"

static const char whoami_usage[] =
	"usage: anaconda-auth whoami [--json] [--domain D]\n"
	"Show the account behind the API key in effect: username, email, name and\n"
	"domain, and where the key came from (a variable, a secrets file, the\n"
	"keyring file or the system store); --json prints the server's account\n"
	"document instead. Control characters the server put in these fields\n"
	"are removed.\n"
	"Exit: 0 ok, 3 not logged in or key refused, 4 key expired, 5 network.\n";

/* "label value" with what the server sent made safe for a terminal. */
static void print_field(const char *label, const char *first, const char *sep, const char *last)
{
	char *text = aa_asprintf("%s%s%s", first, sep, last);

	aa_text_safe_inplace(text, 0);
	printf("%s%s\n", label, text ? text : "-");
	free(text);
}

/* Where the key in effect comes from, looked up as the client did (local only). */
static void print_key_source(struct cli *cli)
{
	aa_keyring *kr = NULL;
	aa_token_info *info = NULL;
	aa_keyring_source src;

	if (aa_keyring_open(cli->cfg, &kr, NULL) != AA_OK)
		return;
	memset(&src, 0, sizeof(src));
	if (aa_keyring_get(kr, aa_config_domain(cli->cfg), &info, &src, NULL) == AA_OK)
		printf("key from: %s\n", src.location ? src.location : src.backend);
	aa_token_info_free(info);
	aa_keyring_close(kr);
}

static void print_account(struct cli *cli, const aa_account *a)
{
	const char *first = a->first_name ? a->first_name : "";
	const char *last = a->last_name ? a->last_name : "";

	print_field("username: ", a->username ? a->username : "-", "", "");
	print_field("email:    ", a->email ? a->email : "-", "", "");
	if (*first || *last)
		print_field("name:     ", first, *first && *last ? " " : "", last);
	printf("domain:   %s\n", aa_config_domain(cli->cfg));
	print_key_source(cli);
}

/* The server's document, with control characters in its strings removed. */
static void print_account_json(const aa_account *a)
{
	char *text = aa_text_safe(a->json, AA_TEXT_KEEP_NEWLINES);

	printf("%s\n", text ? text : "{}");
	free(text);
}

static const struct fe_opt json_opts[] = {
	{ "json", 256, FE_NONE, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL },
};

static int on_whoami_opt(struct fe *fe, void *ctx, int key, const char *v)
{
	if (key == FE_ARG)
		return fe_usage_error(fe, "whoami", "unexpected argument '%s'", v);
	*(int *)ctx = 1;
	return 0;
}

int cli_cmd_whoami(void *ctx, int argc, char **argv)
{
	struct cli *cli = ctx;
	aa_account account;
	aa_client *c = NULL;
	aa_error err;
	int json = 0, code;

	code = cli_parse(cli, whoami_usage, json_opts, argc, argv, on_whoami_opt, &json);
	if (code != FE_GO_ON)
		return code;
	code = AA_EXIT_OK;
	aa_error_clear(&err);
	if (aa_client_new(cli->cfg, &c, &err) != AA_OK)
		return cli_fail_err(cli, &err);
	if (aa_account_fetch(c, &account, &err) != AA_OK) {
		code = cli_fail_err(cli, &err);
	} else {
		if (json)
			print_account_json(&account);
		else
			print_account(cli, &account);
		aa_account_free(&account);
		if (fflush(stdout) != 0)
			code = cli_fail(cli, AA_ERR_GENERIC, "cannot write to stdout");
	}
	aa_client_free(c);
	return code;
}
