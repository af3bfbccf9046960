/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_sites.c - 'sites': list and show the sites of config.toml, remove one, and confirm/write every change. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd_sites.h"
#include "sites.h"
#include "util/aa_util.h"

static const char sites_usage[] =
	"usage: anaconda-auth sites <list|show|add|modify|remove> [options]\n"
	"Manage the [sites.NAME] tables of config.toml ($ANACONDA_CONFIG_TOML, else\n"
	"~/.anaconda/config.toml), as 'anaconda sites' of anaconda-auth 0.15 does:\n"
	"  list                          name, domain, default and logged-in state of each site\n"
	"  show [NAME|DOMAIN] [--all] [--show-hidden]\n"
	"                                the settings of a site (default: the default site) as JSON\n"
	"  add --domain D [--name N] ... add a site ('anaconda-auth sites add --help')\n"
	"  modify (--name N | --domain D) ...  change a site\n"
	"  remove NAME|DOMAIN            remove a site\n"
	"Changes keep every other byte of the file; they are shown as a diff and\n"
	"confirmed on a terminal, written with --yes, only shown with --dry-run.\n"
	"Exit: 0 ok, 1 refused or not written, 2 usage or an invalid value,\n"
	"      6 the file could not be written (it is left as it was).\n";

/* ---- list ------------------------------------------------------------------ */

static const char list_usage[] =
	"usage: anaconda-auth sites list\n"
	"List the configured sites: name, domain, whether it is the default, and\n"
	"whether a key is stored for its domain. No site configured: the default\n"
	"domain's site. Details: anaconda-auth sites show [NAME|DOMAIN].\n";

/* Whether a key is stored (or given) for the site now selected in cli->cfg. */
static int logged_in(struct cli *cli)
{
	aa_keyring *kr = NULL;
	aa_token_info *info = NULL;
	aa_error err;
	int yes;

	aa_error_clear(&err);
	if (aa_keyring_open(cli->cfg, &kr, &err) != AA_OK)
		return 0;
	yes = aa_keyring_get(kr, aa_config_domain(cli->cfg), &info, NULL, &err) == AA_OK;
	aa_token_info_free(info);
	aa_keyring_close(kr);
	return yes;
}

static int select_site(struct cli *cli, const char *name)
{
	aa_error err;

	aa_error_clear(&err);
	if (aa_config_set(cli->cfg, "site", name, "sites", &err) != AA_OK)
		return cli_fail_err(cli, &err);
	return 0;
}

static int no_args(struct fe *fe, void *ctx, int key, const char *v)
{
	(void)ctx;
	(void)key;
	return fe_usage_error(fe, "sites", "unexpected argument '%s'", v);
}

static int sites_list(struct cli *cli, int argc, char **argv)
{
	struct aa_sites *s = NULL;
	int code = fe_parse(&cli->fe, "sites list", list_usage, NULL, NULL, argc, argv, no_args,
			    NULL, 0, NULL);
	long def;

	if (code != FE_GO_ON)
		return code;
	code = sites_open(cli, &s);
	if (code)
		return code;
	def = aa_sites_default(s);
	printf("%-20s %-32s %-12s %s\n", "Site name", "Domain name", "Default site", "Logged in");
	if (aa_sites_count(s) == 0)
		printf("%-20s %-32s %-12s %s\n", AA_DEFAULT_DOMAIN, AA_DEFAULT_DOMAIN, "yes",
		       logged_in(cli) ? "yes" : "no");
	for (size_t i = 0; i < aa_sites_count(s) && !code; i++) {
		char *domain = aa_sites_domain(s, i);

		code = select_site(cli, aa_sites_name(s, i));
		if (!code)
			printf("%-20s %-32s %-12s %s\n", aa_sites_name(s, i), domain ? domain : "-",
			       (long)i == def ? "yes" : "no", logged_in(cli) ? "yes" : "no");
		free(domain);
	}
	aa_sites_free(s);
	return code;
}

/* ---- show ------------------------------------------------------------------ */

static const char show_usage[] =
	"usage: anaconda-auth sites show [NAME|DOMAIN] [--all] [--show-hidden]\n"
	"Print the settings in effect for a site (default: the default site) as\n"
	"JSON; --all: every configured site. The fields 0.15 hides (api_key,\n"
	"client_id, keyring_path, ...) only with --show-hidden; an API key is shown\n"
	"as its fingerprint, header values never.\n";

/* 0.15's hidden fields (and ours that are plumbing like them). */
static const char *const hidden[] = {
	"api_key", "auth_domain", "auth_domain_override", "client_id", "hash_hostname",
	"keyring", "keyring_path", "preferred_token_storage", "login_success_path",
	"login_error_path", "openid_config_path", "oidc_request_headers", "redirect_uri",
	"secret_collection", NULL,
};

static int is_hidden(const char *name)
{
	for (size_t i = 0; hidden[i]; i++)
		if (!strcmp(hidden[i], name))
			return 1;
	return 0;
}

/* One site's settings in effect (cli->cfg has it selected). */
static json_object *site_json(const struct cli *cli, int show_hidden, int with_name)
{
	json_object *o = json_object_new_object();
	const char *site = aa_config_site(cli->cfg, NULL);
	aa_error err;

	if (with_name)
		json_object_object_add(o, "site", site ? json_object_new_string(site) : NULL);
	for (size_t i = 0; i < aa_config_count(); i++) {
		struct aa_config_item it;
		json_object *v;

		if (aa_config_item(cli->cfg, i, &it, &err) != AA_OK)
			continue;
		if (!show_hidden && is_hidden(it.name)) {
			free(it.value);
			continue;
		}
		v = !it.value ? NULL :
		    !strcmp(it.value, "true") ? json_object_new_boolean(1) :
		    !strcmp(it.value, "false") ? json_object_new_boolean(0) :
		    json_object_new_string(it.value);
		json_object_object_add(o, it.name, v);
		free(it.value);
	}
	return o;
}

struct show_opts {
	int all, show_hidden;
	const char *site;
};

enum { OPT_ALL = 256, OPT_SHOW_HIDDEN };

static const struct fe_opt show_opts[] = {
	{ "all", OPT_ALL, FE_NONE, NULL, NULL },
	{ "show-hidden", OPT_SHOW_HIDDEN, FE_NONE, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL },
};

static int on_show_opt(struct fe *fe, void *ctx, int key, const char *v)
{
	struct show_opts *o = ctx;

	if (key == OPT_ALL)
		o->all = 1;
	else if (key == OPT_SHOW_HIDDEN)
		o->show_hidden = 1;
	else if (o->site)
		return fe_usage_error(fe, "sites show", "unexpected argument '%s'", v);
	else
		o->site = v;
	return 0;
}

static void print_site_json(json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static int show_all(struct cli *cli, int show_hidden)
{
	struct aa_sites *s = NULL;
	json_object *all;
	int code = sites_open(cli, &s);

	if (code)
		return code;
	all = json_object_new_object();
	if (aa_sites_count(s) == 0)
		json_object_object_add(all, AA_DEFAULT_DOMAIN, site_json(cli, show_hidden, 0));
	for (size_t i = 0; i < aa_sites_count(s) && !code; i++) {
		code = select_site(cli, aa_sites_name(s, i));
		if (!code)
			json_object_object_add(all, aa_sites_name(s, i),
					       site_json(cli, show_hidden, 0));
	}
	aa_sites_free(s);
	if (code)
		json_object_put(all);
	else
		print_site_json(all);
	return code;
}

static int sites_show(struct cli *cli, int argc, char **argv)
{
	struct show_opts o = { 0, 0, NULL };
	int code = fe_parse(&cli->fe, "sites show", show_usage, show_opts, NULL, argc, argv,
			    on_show_opt, &o, 0, NULL);

	if (code != FE_GO_ON)
		return code;
	if (o.all)
		return show_all(cli, o.show_hidden);
	if (o.site && (code = select_site(cli, o.site)) != 0)
		return code;
	print_site_json(site_json(cli, o.show_hidden, 1));
	return AA_EXIT_OK;
}

/* ---- remove ---------------------------------------------------------------- */

static const char remove_usage[] =
	"usage: anaconda-auth sites remove NAME|DOMAIN [--yes|-y | --dry-run]\n"
	"Remove a site's table (and its sub-tables) from config.toml. The only site\n"
	"cannot be removed; a default_site naming the site moves to the first one\n"
	"left. --dry-run: print the diff, write nothing; --yes: write without asking.\n";

enum { OPT_YES = 'y', OPT_DRY_RUN = 300 };

static const struct fe_opt remove_opts[] = {
	{ "yes", OPT_YES, FE_NONE, NULL, NULL },
	{ "dry-run", OPT_DRY_RUN, FE_NONE, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL },
};

struct remove_opts {
	enum sites_confirm how;
	const char *site;
};

static int on_remove_opt(struct fe *fe, void *ctx, int key, const char *v)
{
	struct remove_opts *o = ctx;

	if (key == OPT_YES)
		o->how = SITES_YES;
	else if (key == OPT_DRY_RUN)
		o->how = SITES_DRY_RUN;
	else if (o->site)
		return fe_usage_error(fe, "sites remove", "unexpected argument '%s'", v);
	else
		o->site = v;
	return 0;
}

static int sites_remove(struct cli *cli, int argc, char **argv)
{
	struct remove_opts o = { SITES_ASK, NULL };
	struct aa_sites *s = NULL;
	aa_error err;
	int code = fe_parse(&cli->fe, "sites remove", remove_usage, remove_opts, NULL, argc,
			    argv, on_remove_opt, &o, 0, NULL);

	if (code != FE_GO_ON)
		return code;
	if (!o.site)
		return fe_usage_error(&cli->fe, "sites remove", "name the site to remove");
	code = sites_open(cli, &s);
	if (code)
		return code;
	aa_error_clear(&err);
	if (aa_sites_remove(s, o.site, &err) != AA_OK) {
		aa_sites_free(s);
		return cli_fail_err(cli, &err);
	}
	return sites_finish(cli, s, o.how);
}

/* ---- shared: open, confirm, write ------------------------------------------ */

int sites_open(struct cli *cli, struct aa_sites **out)
{
	aa_error err;

	aa_error_clear(&err);
	if (aa_sites_open(out, &err) != AA_OK)
		return cli_fail_err(cli, &err);
	return 0;
}

/* On a terminal: "Confirm: [y/N]". */
static int confirmed(void)
{
	char line[16];

	fputs("Confirm: [y/N] ", stderr);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return 0;
	line[strcspn(line, "\r\n")] = '\0';
	return !strcasecmp(line, "y") || !strcasecmp(line, "yes");
}

static int show_diff(struct cli *cli, const struct aa_sites *s)
{
	struct aa_kbuf d = { 0 };
	aa_error err;

	aa_error_clear(&err);
	if (aa_sites_diff(s, &d, &err) != AA_OK) {
		aa_kbuf_free(&d);
		return cli_fail_err(cli, &err);
	}
	fwrite(d.p ? d.p : "", 1, d.len, stdout);
	fflush(stdout);
	aa_kbuf_free(&d);
	return 0;
}

static int write_change(struct cli *cli, struct aa_sites *s)
{
	aa_error err;
	aa_status rc;

	aa_error_clear(&err);
	rc = aa_sites_write(s, &err);
	fe_show_notices(&cli->fe, aa_sites_notices(s));
	if (rc != AA_OK)
		return cli_fail_err(cli, &err);
	fprintf(stderr, "%s: updated %s\n", cli->fe.prog, aa_sites_shown(s));
	return AA_EXIT_OK;
}

int sites_finish(struct cli *cli, struct aa_sites *s, enum sites_confirm how)
{
	int code = 0;

	fe_show_notices(&cli->fe, aa_sites_notices(s));
	if (!aa_sites_changed(s)) {
		printf("No change to %s\n", aa_sites_shown(s));
		aa_sites_free(s);
		return AA_EXIT_OK;
	}
	if (how != SITES_YES)
		code = show_diff(cli, s);
	if (!code && how == SITES_ASK && !isatty(STDIN_FILENO))
		code = cli_fail(cli, AA_ERR_GENERIC,
				"%s was not written: confirm with --yes (or see the change with --dry-run)",
				aa_sites_shown(s));
	else if (!code && how == SITES_ASK && !confirmed())
		code = cli_fail(cli, AA_ERR_GENERIC, "%s was not written", aa_sites_shown(s));
	else if (!code && how != SITES_DRY_RUN)
		code = write_change(cli, s);
	aa_sites_free(s);
	return code;
}

/* ---- dispatch -------------------------------------------------------------- */

static int run_list(void *cli, int argc, char **argv) { return sites_list(cli, argc, argv); }
static int run_show(void *cli, int argc, char **argv) { return sites_show(cli, argc, argv); }
static int run_add(void *cli, int argc, char **argv) { return cli_cmd_sites_add(cli, argc, argv); }
static int run_modify(void *cli, int argc, char **argv) { return cli_cmd_sites_modify(cli, argc, argv); }
static int run_remove(void *cli, int argc, char **argv) { return sites_remove(cli, argc, argv); }

static const struct fe_cmd sub[] = {
	{ "list", run_list, "list the sites" },
	{ "show", run_show, "show a site's settings as JSON" },
	{ "add", run_add, "add a site" },
	{ "modify", run_modify, "change a site" },
	{ "remove", run_remove, "remove a site" },
	{ NULL, NULL, NULL },
};

int cli_cmd_sites(void *ctx, int argc, char **argv)
{
	struct cli *cli = ctx;
	const struct fe_cmd *c;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(sites_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? AA_EXIT_USAGE : AA_EXIT_OK;
	}
	c = fe_find_cmd(sub, argv[1]);
	if (!c)
		return fe_usage_error(&cli->fe, "sites", "unknown subcommand '%s'", argv[1]);
	return c->run(cli, argc - 1, argv + 1);
}
