/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_config_sources.c - unit tests for the settings engine: the chain of
 * sources and their origins, site selection, the secrets directory,
 * .condarc and typo warnings (common/config*.c), with config.toml given as
 * a hand-built struct config_file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "settings_env.h"

#include "config_struct.h"
#include "anaconda_auth.h"
#include "config_engine.h"
#include "util/aa_util.h"

/* The file the fake loader hands over (then owned by the engine), or none. */
static struct config_file *next_file;
static int loader_calls;

static aa_status fake_loader(const char *path, struct config_file **out, aa_error *err)
{
	(void)path;
	(void)err;
	loader_calls++;
	*out = next_file;
	next_file = NULL;
	return AA_OK;
}

struct fixture {
	char dir[64];
	char oldcwd[4096];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char secrets[128];

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/aa-test-sources-XXXXXX");
	if (!mkdtemp(f->dir) || !getcwd(f->oldcwd, sizeof(f->oldcwd)) || chdir(f->dir) != 0) {
		free(f);
		return -1;
	}
	clear_anaconda_env();
	unsetenv("CONDARC");
	setenv("HOME", f->dir, 1);
	snprintf(secrets, sizeof(secrets), "%s/secrets", f->dir);
	setenv("ANACONDA_SECRETS_DIR", secrets, 1);
	cfg_file_loader = fake_loader;
	next_file = NULL;
	loader_calls = 0;
	*state = f;
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int rc = chdir(f->oldcwd);

	clear_anaconda_env();
	config_file_free(next_file);
	next_file = NULL;
	nftw(f->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return rc;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static void expect_load_error(unsigned flags, const char *want)
{
	aa_config *cfg = NULL;
	aa_error err;

	aa_error_clear(&err);
	assert_int_equal(aa_config_load(&cfg, flags, &err), AA_ERR_USAGE);
	if (!strstr(err.message, want))
		fail_msg("message '%s' lacks '%s'", err.message, want);
	assert_null(strchr(err.message, '\n'));
}

static void add(struct config_table *t, const char *key, const char *value, unsigned line)
{
	assert_int_equal(config_table_add(t, key, value, line), 0);
}

/* A file as 0.15 writes it: [plugin.auth], [plugin.cloud], two sites. */
static struct config_file *sample_file(void)
{
	struct config_file *f = config_file_new("/home/x/.anaconda/config.toml");
	struct config_site *s;

	assert_non_null(f);
	f->plugin_auth.line = 1;
	add(&f->plugin_auth, "client_id", "from-plugin-auth", 2);
	add(&f->plugin_auth, "ssl_verify", "true", 3);
	f->plugin_cloud.line = 5;
	add(&f->plugin_cloud, "client_id", "from-plugin-cloud", 6);
	s = config_file_add_site(f, "work", 8);
	assert_non_null(s);
	add(&s->table, "domain", "work.example", 9);
	add(&s->table, "client_id", "from-site-work", 10);
	s = config_file_add_site(f, "anaconda.com", 12);
	assert_non_null(s);
	add(&s->table, "domain", "anaconda.com", 13);
	return f;
}

static void mkdir_secrets(void)
{
	assert_int_equal(mkdir("secrets", 0700), 0);
}

static void assert_origin(const aa_config *cfg, const char *name, const char *want)
{
	const char *got = aa_config_origin(cfg, name);

	if (!got || strcmp(got, want) != 0)
		fail_msg("origin of %s is '%s', not '%s'", name, got ? got : "(null)", want);
}

/* The file with the tables from `layer` (4 site, 5 [plugin.cloud], 6 [plugin.auth]) down. */
static struct config_file *layered_file(size_t layer)
{
	struct config_file *f = config_file_new("/home/x/.anaconda/config.toml");
	struct config_site *s = config_file_add_site(f, "work", 8);

	add(&s->table, "domain", "work.example", 9);
	if (layer <= 4)
		add(&s->table, "client_id", "from-site-work", 10);
	if (layer <= 5)
		add(&f->plugin_cloud, "client_id", "from-plugin-cloud", 6);
	if (layer <= 6)
		add(&f->plugin_auth, "client_id", "from-plugin-auth", 2);
	return f;
}

/* Each source beats the next: flag > env > secrets > .env > site > [plugin.cloud] > [plugin.auth] > default. */
static void test_each_layer_beats_the_next(void **state)
{
	static const char *const want[] = {
		"from-flag", "from-env", "from-secrets", "from-dotenv", "from-site-work",
		"from-plugin-cloud", "from-plugin-auth", "b4ad7f1d-c784-46b5-a9fe-106e50441f5a",
	};
	aa_config *cfg = NULL;
	aa_error err;

	(void)state;
	mkdir_secrets();
	for (size_t layer = 0; layer < sizeof(want) / sizeof(want[0]); layer++) {
		next_file = layered_file(layer);
		unlink("secrets/anaconda_auth_client_id");
		unlink(".env");
		unsetenv("ANACONDA_AUTH_CLIENT_ID");
		if (layer <= 1)
			setenv("ANACONDA_AUTH_CLIENT_ID", "from-env", 1);
		if (layer <= 2)
			write_file("secrets/anaconda_auth_client_id", "from-secrets\n", 0600);
		if (layer <= 3)
			write_file(".env", "ANACONDA_AUTH_CLIENT_ID=from-dotenv\n", 0600);
		load_ok(&cfg, AA_CONFIG_DOTENV);
		if (layer == 0)
			assert_int_equal(aa_config_set(cfg, "client_id", "from-flag", "--client-id", &err), AA_OK);
		assert_string_equal(cfg->client_id, want[layer]);
		aa_config_free(cfg);
	}
}

/* The origins name the flag, variable, file, line and table. */
static void test_origins(void **state)
{
	aa_config *cfg = NULL;
	aa_error err;

	(void)state;
	mkdir_secrets();
	next_file = sample_file();
	setenv("ANACONDA_DEFAULT_SITE", "work", 1);
	setenv("ANACONDA_AUTH_TIMEOUT", "5", 1);
	write_file("secrets/anaconda_auth_connect_timeout", "7\n", 0600);
	write_file(".env", "# a comment\n\nANACONDA_AUTH_LOGGING_LEVEL=DEBUG\n", 0600);
	load_ok(&cfg, AA_CONFIG_DOTENV);
	assert_int_equal(aa_config_set(cfg, "keyring_path", "/k", "--keyring-path", &err), AA_OK);
	assert_origin(cfg, "timeout", "ANACONDA_AUTH_TIMEOUT");
	assert_non_null(strstr(aa_config_origin(cfg, "connect_timeout"),
			       "/secrets/anaconda_auth_connect_timeout"));
	assert_origin(cfg, "logging_level", "./.env:3");
	assert_origin(cfg, "keyring_path", "--keyring-path");
	assert_origin(cfg, "domain", "/home/x/.anaconda/config.toml:9 [sites.work]");
	assert_origin(cfg, "client_id", "/home/x/.anaconda/config.toml:10 [sites.work]");
	assert_origin(cfg, "ssl_verify", "/home/x/.anaconda/config.toml:3 [plugin.auth]");
	assert_origin(cfg, "hash_hostname", "default");
	assert_null(aa_config_origin(cfg, "no_such_setting"));
	aa_config_free(cfg);
}

/* A site named with a dot is shown quoted, as TOML writes it. */
static void test_origin_quotes_dotted_site(void **state)
{
	aa_config *cfg = NULL;
	const char *why;

	(void)state;
	next_file = sample_file();
	setenv("ANACONDA_DEFAULT_SITE", "anaconda.com", 1);
	load_ok(&cfg, 0);
	assert_string_equal(aa_config_site(cfg, &why), "anaconda.com");
	assert_string_equal(why, "ANACONDA_DEFAULT_SITE");
	assert_origin(cfg, "domain", "/home/x/.anaconda/config.toml:13 [sites.\"anaconda.com\"]");
	/* A site value left out falls back to the lower tables. */
	assert_string_equal(cfg->client_id, "from-plugin-cloud");
	aa_config_free(cfg);
}

static void test_secrets_never_shown(void **state)
{
	struct aa_config_item it;
	aa_config *cfg = NULL;
	aa_error err;

	(void)state;
	setenv("ANACONDA_AUTH_API_KEY", "s3cret-key-value", 1);
	setenv("ANACONDA_AUTH_EXTRA_HEADERS", "{\"X-Token\": \"hidden-value\"}", 1);
	load_ok(&cfg, 0);
	for (size_t i = 0; i < aa_config_count(); i++) {
		assert_int_equal(aa_config_item(cfg, i, &it, &err), AA_OK);
		if (it.value) {
			assert_null(strstr(it.value, "s3cret"));
			assert_null(strstr(it.value, "hidden-value"));
		}
		if (!strcmp(it.name, "api_key"))
			assert_non_null(strstr(it.value ? it.value : "", "(set, key sha256:"));
		if (!strcmp(it.name, "extra_headers"))
			assert_string_equal(it.value ? it.value : "", "X-Token (values hidden)");
		free(it.value);
	}
	aa_config_free(cfg);
}

/* ---- site selection ---- */

static const char *site_of(const aa_config *cfg)
{
	const char *name = aa_config_site(cfg, NULL);

	return name ? name : "(none)";
}

static void test_site_by_at_name_and_domain(void **state)
{
	aa_config *cfg = NULL;
	aa_error err;

	(void)state;
	next_file = sample_file();
	load_ok(&cfg, 0);
	assert_int_equal(aa_config_set(cfg, "site", "work", "--at", &err), AA_OK);
	assert_string_equal(site_of(cfg), "work");
	assert_string_equal(cfg->domain, "work.example");
	assert_string_equal(cfg->client_id, "from-site-work");
	/* by its domain, too */
	assert_int_equal(aa_config_set(cfg, "site", "anaconda.com", "--at", &err), AA_OK);
	assert_string_equal(site_of(cfg), "anaconda.com");
	assert_string_equal(cfg->client_id, "from-plugin-cloud");
	aa_config_free(cfg);

	next_file = sample_file();
	load_ok(&cfg, 0);
	assert_int_equal(aa_config_set(cfg, "site", "https://work.example/", "--at", &err), AA_OK);
	assert_string_equal(site_of(cfg), "work");
	aa_config_free(cfg);
}

static void test_site_by_higher_domain(void **state)
{
	aa_config *cfg = NULL;
	aa_error err;

	(void)state;
	next_file = sample_file();
	config_file_set_default_site(next_file, "anaconda.com", 1);
	setenv("ANACONDA_AUTH_DOMAIN", "work.example", 1);
	load_ok(&cfg, 0);
	assert_string_equal(site_of(cfg), "work");
	assert_string_equal(cfg->client_id, "from-site-work");
	aa_config_free(cfg);

	/* an older name of the variable, too: it ranks with the environment */
	unsetenv("ANACONDA_AUTH_DOMAIN");
	setenv("ANACONDA_CLOUD_API_DOMAIN", "work.example", 1);
	next_file = sample_file();
	config_file_set_default_site(next_file, "anaconda.com", 1);
	load_ok(&cfg, 0);
	assert_string_equal(site_of(cfg), "work");
	aa_config_free(cfg);
	unsetenv("ANACONDA_CLOUD_API_DOMAIN");

	/* a --domain flag picks the site too, after loading */
	unsetenv("ANACONDA_AUTH_DOMAIN");
	next_file = sample_file();
	load_ok(&cfg, 0);
	assert_string_equal(site_of(cfg), "work"); /* the first site */
	assert_int_equal(aa_config_set(cfg, "domain", "anaconda.com", "--domain", &err), AA_OK);
	assert_string_equal(site_of(cfg), "anaconda.com");
	assert_string_equal(cfg->client_id, "from-plugin-cloud");
	assert_origin(cfg, "domain", "--domain");
	/* a domain no site has: no site values */
	assert_int_equal(aa_config_set(cfg, "domain", "other.example", "--domain", &err), AA_OK);
	assert_string_equal(site_of(cfg), "(none)");
	assert_string_equal(cfg->domain, "other.example");
	aa_config_free(cfg);
}

static void test_site_ambiguous_domain(void **state)
{
	struct config_site *s;

	(void)state;
	next_file = sample_file();
	s = config_file_add_site(next_file, "work2", 20);
	add(&s->table, "domain", "WORK.example", 21);
	setenv("ANACONDA_AUTH_DOMAIN", "work.example", 1);
	expect_load_error(0, "matches more than one site");
	next_file = sample_file();
	s = config_file_add_site(next_file, "work2", 20);
	add(&s->table, "domain", "work.example", 21);
	expect_load_error(0, "(work, work2)");
}

static void test_site_default_site_key_domain_first_synth(void **state)
{
	aa_config *cfg = NULL;

	(void)state;
	next_file = sample_file();
	config_file_set_default_site(next_file, "anaconda.com", 1);
	load_ok(&cfg, 0);
	assert_string_equal(site_of(cfg), "anaconda.com");
	aa_config_free(cfg);

	next_file = sample_file();
	config_file_set_default_site(next_file, "work.example", 1); /* a domain */
	load_ok(&cfg, 0);
	assert_string_equal(site_of(cfg), "work");
	assert_string_equal(cfg->domain, "work.example");
	aa_config_free(cfg);

	next_file = sample_file(); /* no default_site: the first site */
	load_ok(&cfg, 0);
	assert_string_equal(site_of(cfg), "work");
	aa_config_free(cfg);

	next_file = config_file_new("/c.toml"); /* no sites: the default domain */
	load_ok(&cfg, 0);
	assert_string_equal(site_of(cfg), AA_DEFAULT_DOMAIN);
	aa_config_free(cfg);

	load_ok(&cfg, 0); /* no file at all */
	assert_string_equal(site_of(cfg), AA_DEFAULT_DOMAIN);
	aa_config_free(cfg);
}

static void test_site_unknown_at(void **state)
{
	aa_config *cfg = NULL;
	aa_error err;

	(void)state;
	next_file = sample_file();
	load_ok(&cfg, 0);
	aa_error_clear(&err);
	assert_int_equal(aa_config_set(cfg, "site", "nosuch", "--at", &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "--at: no site 'nosuch'"));
	assert_non_null(strstr(err.message, "the sites are: work, anaconda.com"));
	/* the settings stay as they were */
	assert_string_equal(site_of(cfg), "work");
	assert_string_equal(cfg->domain, "work.example");
	aa_config_free(cfg);

	load_ok(&cfg, 0);
	assert_int_equal(aa_config_set(cfg, "site", "nosuch", "--at", &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "no [sites.*] are configured"));
	aa_config_free(cfg);

	setenv("ANACONDA_DEFAULT_SITE", "nosuch", 1);
	next_file = sample_file();
	expect_load_error(0, "ANACONDA_DEFAULT_SITE: no site 'nosuch'");
}

/* An explicit --at wins over a domain from the environment (0.15: the domain). */
static void test_site_at_beats_env_domain(void **state)
{
	aa_config *cfg = NULL;
	aa_error err;

	(void)state;
	next_file = sample_file();
	setenv("ANACONDA_AUTH_DOMAIN", "anaconda.com", 1);
	load_ok(&cfg, 0);
	assert_string_equal(site_of(cfg), "anaconda.com");
	assert_int_equal(aa_config_set(cfg, "site", "work", "--at", &err), AA_OK);
	assert_string_equal(site_of(cfg), "work");
	assert_string_equal(cfg->domain, "anaconda.com"); /* the environment still wins */
	assert_string_equal(cfg->client_id, "from-site-work");
	aa_config_free(cfg);
}

/* Every value of the file is checked, used or not; the line is named. */
static void test_invalid_file_value_names_line(void **state)
{
	struct config_site *s;

	(void)state;
	next_file = sample_file();
	s = config_file_add_site(next_file, "broken", 30);
	add(&s->table, "use_device_flow", "maybe", 31);
	expect_load_error(0, "/home/x/.anaconda/config.toml:31 [sites.broken] use_device_flow: 'maybe'");
}

static void test_no_file_no_load(void **state)
{
	aa_config *cfg = NULL;

	(void)state;
	cfg_file_loader = config_file_load; /* the real one: no file, no error */
	load_ok(&cfg, 0);
	assert_null(cfg->state->file);
	aa_config_free(cfg);
	cfg_file_loader = fake_loader;
}

/* ---- secrets directory ---- */

static void test_secrets_any_case(void **state)
{
	aa_config *cfg = NULL;

	(void)state;
	mkdir_secrets();
	write_file("secrets/ANACONDA_AUTH_DOMAIN", "upper.example\n", 0644);
	write_file("secrets/Anaconda_Auth_Api_Key", "  secret-api-key\r\n", 0400);
	load_ok(&cfg, 0);
	assert_string_equal(cfg->domain, "upper.example");
	assert_string_equal(aa_secret_str(cfg->api_key), "secret-api-key");
	assert_non_null(strstr(cfg->api_key_source, "secrets/Anaconda_Auth_Api_Key"));
	aa_config_free(cfg);

	/* the lower-case name, as 0.15 writes it, wins over another spelling */
	write_file("secrets/anaconda_auth_domain", "lower.example\n", 0644);
	load_ok(&cfg, 0);
	assert_string_equal(cfg->domain, "lower.example");
	aa_config_free(cfg);
}

static void test_secrets_refused(void **state)
{
	aa_config *cfg = NULL;

	(void)state;
	mkdir_secrets();
	assert_int_equal(mkdir("secrets/anaconda_auth_domain", 0700), 0);
	assert_int_equal(mkfifo("secrets/anaconda_auth_client_id", 0600), 0);
	write_file("secrets/anaconda_auth_logging_level", "DEBUG", 0666);
	load_ok(&cfg, 0); /* a FIFO must not hang the load */
	assert_string_equal(cfg->domain, AA_DEFAULT_DOMAIN);
	assert_string_equal(cfg->logging_level, "WARNING");
	assert_non_null(strstr(cfg->notices, "anaconda_auth_domain: it is not a regular file"));
	assert_non_null(strstr(cfg->notices, "anaconda_auth_client_id: it is not a regular file"));
	assert_non_null(strstr(cfg->notices, "anaconda_auth_logging_level: any user can write it"));
	aa_config_free(cfg);
}

static void test_secrets_dir_absent_or_env_wins(void **state)
{
	aa_config *cfg = NULL;

	(void)state;
	load_ok(&cfg, 0); /* no directory: nothing */
	assert_null(cfg->notices);
	aa_config_free(cfg);
	mkdir_secrets();
	write_file("secrets/anaconda_auth_domain", "secret.example", 0600);
	setenv("ANACONDA_AUTH_DOMAIN", "env.example", 1);
	load_ok(&cfg, 0);
	assert_string_equal(cfg->domain, "env.example");
	aa_config_free(cfg);
}

/* ---- .condarc ---- */

static void test_condarc_subset(void **state)
{
	aa_config *cfg = NULL;

	(void)state;
	write_file(".condarc",
		   "channels:\n  - defaults\n"
		   "ssl_verify: False  # corporate proxy\n"
		   "proxy_servers:\n  http: http://proxy:3128\n  https: http://proxy:3128\n"
		   "custom_multichannels: {a: [b, c]}\n"
		   "- not: yaml we know\n", 0600);
	load_ok(&cfg, 0);
	assert_int_equal(cfg->ssl_verify, 0);
	assert_string_equal(aa_config_origin(cfg, "ssl_verify"), "~/.condarc:3");
	aa_config_free(cfg);

	/* $CONDARC beats ~/.condarc; [plugin.auth] beats both */
	write_file("other.condarc", "ssl_verify: true\n", 0600);
	setenv("CONDARC", "other.condarc", 1);
	load_ok(&cfg, 0);
	assert_int_equal(cfg->ssl_verify, 1);
	assert_string_equal(aa_config_origin(cfg, "ssl_verify"), "other.condarc:1");
	aa_config_free(cfg);
	unsetenv("CONDARC");
	next_file = sample_file();
	load_ok(&cfg, 0);
	assert_int_equal(cfg->ssl_verify, 1);
	assert_string_equal(aa_config_origin(cfg, "ssl_verify"),
			    "/home/x/.anaconda/config.toml:3 [plugin.auth]");
	aa_config_free(cfg);
}

static void test_condarc_writable_by_others_ignored(void **state)
{
	aa_config *cfg = NULL;

	(void)state;
	write_file(".condarc", "ssl_verify: false\n", 0666);
	load_ok(&cfg, 0);
	assert_int_equal(cfg->ssl_verify, 1);
	assert_non_null(strstr(cfg->notices, "ignoring ~/.condarc: it is writable by other users"));
	aa_config_free(cfg);
}

/* ---- typos ---- */

static void test_typos(void **state)
{
	struct config_site *s;
	aa_config *cfg = NULL;

	(void)state;
	mkdir_secrets();
	setenv("ANACONDA_AUTH_DOMIAN", "x", 1);
	setenv("ANACONDA_AUTH_PROXY_SERVERS__HTTPS", "http://p:1", 1); /* 0.15's nested form */
	setenv("ANACONDA_AUTH_SECRET_MODULE", "/x", 1);                 /* ours, not a setting */
	write_file(".env", "ANACONDA_AUTH_SSL_VERIFI=1\nOTHER_TOOL=1\n", 0600);
	write_file("secrets/anaconda_auth_api_kye", "k", 0600);
	write_file("secrets/other_secret", "k", 0600);
	next_file = sample_file();
	add(&next_file->plugin_auth, "domian", "x.example", 4);
	add(&next_file->plugin_auth, "proxy_servers", "{\"https\":\"http://p:1\"}", 5);
	s = config_file_add_site(next_file, "t", 40);
	add(&s->table, "clinet_id", "x", 41);
	load_ok(&cfg, AA_CONFIG_DOTENV);
	assert_non_null(strstr(cfg->notices,
		"warning: ANACONDA_AUTH_DOMIAN is not a setting; did you mean ANACONDA_AUTH_DOMAIN?"));
	assert_non_null(strstr(cfg->notices,
		"warning: ./.env:1: ANACONDA_AUTH_SSL_VERIFI is not a setting; did you mean ANACONDA_AUTH_SSL_VERIFY?"));
	assert_non_null(strstr(cfg->notices,
		"anaconda_auth_api_kye is not a setting; did you mean anaconda_auth_api_key?"));
	assert_non_null(strstr(cfg->notices,
		"warning: /home/x/.anaconda/config.toml:4 [plugin.auth]: domian is not a setting; did you mean domain?"));
	assert_non_null(strstr(cfg->notices,
		"config.toml:41 [sites.t]: clinet_id is not a setting; did you mean client_id?"));
	assert_null(strstr(cfg->notices, "PROXY"));
	assert_null(strstr(cfg->notices, "proxy"));
	assert_null(strstr(cfg->notices, "SECRET_MODULE"));
	assert_null(strstr(cfg->notices, "OTHER_TOOL"));
	assert_null(strstr(cfg->notices, "other_secret"));
	aa_config_free(cfg);
}

static void test_nearest(void **state)
{
	const char *const names[] = { "domain", "api_key", "ssl_verify" };

	(void)state;
	assert_string_equal(cfg_nearest("domian", names, 3), "domain");
	assert_string_equal(cfg_nearest("API_KEY", names, 3), "api_key");
	assert_string_equal(cfg_nearest("sslverify", names, 3), "ssl_verify");
	assert_null(cfg_nearest("x", names, 0));
}

/* [plugin.cloud] gets 0.15's deprecation warning, once. */
static void test_plugin_cloud_warns_once(void **state)
{
	const char *first;
	aa_config *cfg = NULL;
	aa_error err;

	(void)state;
	next_file = sample_file();
	setenv("ANACONDA_DEFAULT_SITE", "anaconda.com", 1);
	load_ok(&cfg, 0);
	first = strstr(cfg->notices, "warning: client_id set in the legacy [plugin.cloud]");
	assert_non_null(first);
	/* resolving again (a flag picks the site) does not repeat it */
	assert_int_equal(aa_config_set(cfg, "site", "anaconda.com", "--at", &err), AA_OK);
	first = strstr(cfg->notices, "[plugin.cloud]");
	assert_null(strstr(first + 1, "[plugin.cloud]"));
	aa_config_free(cfg);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_each_layer_beats_the_next),
		T(test_origins),
		T(test_origin_quotes_dotted_site),
		T(test_secrets_never_shown),
		T(test_site_by_at_name_and_domain),
		T(test_site_by_higher_domain),
		T(test_site_ambiguous_domain),
		T(test_site_default_site_key_domain_first_synth),
		T(test_site_unknown_at),
		T(test_site_at_beats_env_domain),
		T(test_invalid_file_value_names_line),
		T(test_no_file_no_load),
		T(test_secrets_any_case),
		T(test_secrets_refused),
		T(test_secrets_dir_absent_or_env_wins),
		T(test_condarc_subset),
		T(test_condarc_writable_by_others_ignored),
		T(test_typos),
		T(test_nearest),
		T(test_plugin_cloud_warns_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
