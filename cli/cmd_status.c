/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_status.c - 'status': where the key for a domain is kept and when it expires. */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "util/aa_util.h"

static const char status_usage[] =
	"usage: anaconda-auth status [--domain D] [--json]\n"
	"Show the domain, the key storage, whether a key is stored, where it came\n"
	"from, its expiry (UTC) and its subject. Never prints the key itself.\n"
	"A key from the environment that is not an API key (a JWT with an expiry)\n"
	"is reported as such, naming the variable. A key from the keyring setting\n"
	"(ANACONDA_AUTH_KEYRING or a secrets file) is read-only and named as such.\n"
	"Exit: 0 valid key, 3 no key or not a valid one, 4 expired key, 6 storage error.\n";

/* What status found out, in one place for both output formats. */
struct status {
	const char *domain;
	const char *site;          /* the [sites.*] of config.toml in use, or NULL */
	const char *backend;       /* writable storage */
	const char *location;
	int found;
	aa_keyring_source src;
	aa_expiry expiry;
	int64_t exp;
	char subject[AA_FINGERPRINT_MAX];
	const char *env_var;       /* set when the environment key overrides */
	int invalid;               /* the environment key is not an API key */
};

/* An environment key that is not even shaped like an API key: say so
 * rather than "logged in" (0.15 cannot read its expiry either). */
static int env_key_invalid(const aa_token_info *info)
{
	aa_status rc;

	if (!info->api_key)
		return 1;
	rc = aa_api_key_check(aa_secret_str(info->api_key), AA_KEY_REQUIRE_JWT, time(NULL), NULL);
	return rc != AA_OK && rc != AA_ERR_EXPIRED;
}

static const char *expiry_word(aa_expiry e)
{
	return e == AA_EXPIRY_VALID ? "valid" : e == AA_EXPIRY_EXPIRED ? "expired" : "unknown";
}

static long days_left(int64_t exp)
{
	return (long)((exp - (int64_t)time(NULL)) / 86400);
}

static void print_text(const struct status *st)
{
	char when[64];

	printf("domain:    %s\n", st->domain);
	if (st->site)
		printf("site:      %s\n", st->site);
	printf("storage:   %s (%s)\n", st->backend, st->location ? st->location : "-");
	if (st->invalid) {
		printf("logged in: no\n");
		printf("key from:  %s (%s)\n", st->src.backend, st->env_var);
		printf("problem:   %s is set but is not a valid API key (an API key is a JWT with an "
		       "expiry); unset it to use the stored key, or set it to a current API key\n",
		       st->env_var);
		return;
	}
	if (!st->found) {
		printf("logged in: no (run: anaconda-auth login)\n");
		return;
	}
	printf("logged in: yes\n");
	printf("key from:  %s (%s), stored under %s\n", st->src.backend,
	       st->src.location ? st->src.location : "-", st->src.domain);
	printf("key:       %s\n", st->subject);
	if (st->expiry == AA_EXPIRY_UNKNOWN) {
		printf("expires:   unknown (the key is not a JWT with an exp claim)\n");
	} else {
		aa_format_utc(st->exp, when, sizeof(when));
		if (st->expiry == AA_EXPIRY_EXPIRED)
			printf("expires:   %s (EXPIRED; run: anaconda-auth login)\n", when);
		else
			printf("expires:   %s (%ld days left)\n", when, days_left(st->exp));
	}
	if (st->env_var)
		printf("note:      %s is set and overrides any stored key\n", st->env_var);
	else if (!strcmp(st->src.backend, "inline"))
		printf("note:      %s is read-only and overrides the stored key for %s\n",
		       st->src.location ? st->src.location : "the keyring setting", st->domain);
}

static void print_json(const struct status *st)
{
	json_object *o = json_object_new_object();
	json_object *storage = json_object_new_object();

	json_object_object_add(o, "domain", json_object_new_string(st->domain));
	json_object_object_add(o, "site", st->site ? json_object_new_string(st->site) : NULL);
	json_object_object_add(storage, "backend", json_object_new_string(st->backend));
	json_object_object_add(storage, "location",
			       st->location ? json_object_new_string(st->location) : NULL);
	json_object_object_add(o, "storage", storage);
	json_object_object_add(o, "logged_in", json_object_new_boolean(st->found && !st->invalid));
	if (st->invalid)
		json_object_object_add(o, "problem", json_object_new_string("invalid key in environment"));
	if (st->found) {
		json_object_object_add(o, "source", json_object_new_string(st->src.backend));
		json_object_object_add(o, "source_location",
				       st->src.location ? json_object_new_string(st->src.location)
							: NULL);
		json_object_object_add(o, "stored_domain", json_object_new_string(st->src.domain));
		json_object_object_add(o, "subject", json_object_new_string(st->subject));
		json_object_object_add(o, "expiry", json_object_new_string(expiry_word(st->expiry)));
		if (st->expiry != AA_EXPIRY_UNKNOWN) {
			char when[64];

			aa_format_utc(st->exp, when, sizeof(when));
			json_object_object_add(o, "expires_at", json_object_new_string(when));
			json_object_object_add(o, "exp", json_object_new_int64(st->exp));
			json_object_object_add(o, "days_left", json_object_new_int64(days_left(st->exp)));
		}
	}
	json_object_object_add(o, "from_environment",
			       json_object_new_boolean(st->found && !strcmp(st->src.backend, "env")));
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static const struct fe_opt json_opts[] = {
	{ "json", 256, FE_NONE, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL },
};

static int on_status_opt(struct fe *fe, void *ctx, int key, const char *v)
{
	if (key == FE_ARG)
		return fe_usage_error(fe, "status", "unexpected argument '%s'", v);
	*(int *)ctx = 1;
	return 0;
}

int cli_cmd_status(void *ctx, int argc, char **argv)
{
	struct cli *cli = ctx;
	struct status st = { .domain = aa_config_domain(cli->cfg) };
	aa_token_info *info = NULL;
	aa_keyring *kr = NULL;
	aa_error err;
	aa_status rc;
	int json = 0, code;

	code = cli_parse(cli, status_usage, json_opts, argc, argv, on_status_opt, &json);
	if (code != FE_GO_ON)
		return code;
	st.domain = aa_config_domain(cli->cfg);
	st.site = aa_config_site(cli->cfg, NULL);
	code = cli_open_keyring(cli, &kr);
	if (code)
		return code;
	st.backend = aa_keyring_backend_name(kr);
	st.location = aa_keyring_location(kr);
	aa_error_clear(&err);
	rc = aa_keyring_get(kr, st.domain, &info, &st.src, &err);
	if (rc != AA_OK && rc != AA_ERR_NOT_FOUND) {
		cli_close_keyring(cli, kr);
		return cli_fail_err(cli, &err);
	}
	st.found = rc == AA_OK;
	if (st.found) {
		st.expiry = aa_token_info_expiry(info, time(NULL), &st.exp);
		aa_fingerprint(info->api_key ? aa_secret_str(info->api_key) : "",
			       st.subject, sizeof(st.subject));
		if (!strcmp(st.src.backend, "env")) {
			st.env_var = st.src.location;
			st.invalid = env_key_invalid(info);
		}
	}
	if (st.invalid && json)
		fprintf(stderr, "%s: %s is set but is not a valid API key\n", cli->fe.prog, st.env_var);
	if (json)
		print_json(&st);
	else
		print_text(&st);
	code = !st.found || st.invalid ? AA_EXIT_NOT_LOGGED_IN :
	       st.expiry == AA_EXPIRY_EXPIRED ? AA_EXIT_EXPIRED : AA_EXIT_OK;
	aa_token_info_free(info);
	cli_close_keyring(cli, kr);
	return code;
}
