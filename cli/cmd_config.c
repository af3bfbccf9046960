/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_config.c - 'config': every setting in effect, its value and where it came from. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "util/aa_util.h"

static const char config_usage[] =
	"usage: anaconda-auth config [--json] [--at SITE] [--domain D] ...\n"
	"Show every setting in effect, its value and where it came from: a flag\n"
	"(--domain), a variable (ANACONDA_AUTH_DOMAIN), a secrets file\n"
	"(/run/secrets/anaconda_auth_domain), ./.env:LINE, config.toml:LINE [TABLE],\n"
	"a .condarc:LINE, or default; and the site of config.toml in use.\n"
	"An API key is shown as its fingerprint, header values not at all.\n"
	"Exit: 0 ok, 2 an invalid setting.\n";

static void print_settings_text(const struct cli *cli)
{
	const char *why = NULL, *site = aa_config_site(cli->cfg, &why);
	aa_error err;

	printf("site: %s (%s)\n\n", site ? site : "none", why ? why : "-");
	printf("%-26s %-38s %s\n", "SETTING", "VALUE", "FROM");
	for (size_t i = 0; i < aa_config_count(); i++) {
		struct aa_config_item it;

		if (aa_config_item(cli->cfg, i, &it, &err) != AA_OK)
			continue;
		printf("%-26s %-38s %s\n", it.name, it.value ? it.value : "-", it.origin);
		free(it.value);
	}
}

static void print_settings_json(const struct cli *cli)
{
	const char *why = NULL, *site = aa_config_site(cli->cfg, &why);
	json_object *o = json_object_new_object();
	json_object *s = json_object_new_object();
	json_object *all = json_object_new_object();
	aa_error err;

	json_object_object_add(s, "name", site ? json_object_new_string(site) : NULL);
	json_object_object_add(s, "from", why ? json_object_new_string(why) : NULL);
	json_object_object_add(o, "site", s);
	for (size_t i = 0; i < aa_config_count(); i++) {
		struct aa_config_item it;
		json_object *one;

		if (aa_config_item(cli->cfg, i, &it, &err) != AA_OK)
			continue;
		one = json_object_new_object();
		json_object_object_add(one, "value", it.value ? json_object_new_string(it.value) : NULL);
		json_object_object_add(one, "from", json_object_new_string(it.origin));
		json_object_object_add(all, it.name, one);
		free(it.value);
	}
	json_object_object_add(o, "settings", all);
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static const struct fe_opt json_opts[] = {
	{ "json", 256, FE_NONE, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL },
};

static int on_config_opt(struct fe *fe, void *ctx, int key, const char *v)
{
	if (key == FE_ARG)
		return fe_usage_error(fe, "config", "unexpected argument '%s'", v);
	*(int *)ctx = 1;
	return 0;
}

int cli_cmd_config(void *ctx, int argc, char **argv)
{
	struct cli *cli = ctx;
	int json = 0, code;

	code = cli_parse(cli, config_usage, json_opts, argc, argv, on_config_opt, &json);
	if (code != FE_GO_ON)
		return code;
	if (json)
		print_settings_json(cli);
	else
		print_settings_text(cli);
	return AA_EXIT_OK;
}
