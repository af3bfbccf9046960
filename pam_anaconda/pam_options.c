/* SPDX-License-Identifier: BSD-3-Clause */
/* pam_options.c - turns pam_anaconda's module arguments into a pa_options. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pam_options.h"
#include "util/aa_util.h"

/* Flags that pam_get_authtok() reads from argv itself; we only accept them. */
static const char *const authtok_flags[] = {
	"use_first_pass", "try_first_pass", "use_authtok", NULL,
};

static void complain(pa_complain_fn fn, void *ctx, const char *arg,
		     const char *why)
{
	if (fn)
		fn(ctx, arg, why);
}

/* The value of "name=value" when arg starts with prefix "name=", else NULL. */
static const char *value_of(const char *arg, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(arg, prefix, n) == 0 ? arg + n : NULL;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end = NULL;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int pa_valid_envvar(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > PA_MAX_ENVVAR_LEN)
		return 0;
	if (!(name[0] == '_' || (name[0] >= 'A' && name[0] <= 'Z') ||
	      (name[0] >= 'a' && name[0] <= 'z')))
		return 0;
	for (size_t i = 1; i < n; i++) {
		char c = name[i];

		if (!(c == '_' || (c >= 'A' && c <= 'Z') ||
		      (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

/*
 * A path under the home directory: relative, no "." or ".." component, no
 * empty component, printable. Anything else could point outside the home.
 */
int pa_valid_relpath(const char *path)
{
	const char *p = path;

	if (*path == '\0' || *path == '/' || strlen(path) > 1024)
		return 0;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);

		if (len == 0 || (len == 1 && p[0] == '.') ||
		    (len == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
				return 0;
		p += len;
		if (*p == '/')
			p++;
		if (slash && *p == '\0')
			return 0; /* trailing slash: a directory, not a file */
	}
	return 1;
}

/* host[:port] in the characters a DNS name, IPv4/IPv6 literal may use. */
int pa_valid_domain(const char *domain)
{
	return strlen(domain) <= PA_MAX_DOMAIN_LEN && aa_hostport_valid(domain);
}

/* A site key or domain: printable, no spaces, as long as a domain. */
int pa_valid_site(const char *site)
{
	size_t n = strlen(site);

	if (n == 0 || n > PA_MAX_SITE_LEN)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)site[i] <= 0x20 || (unsigned char)site[i] >= 0x7f)
			return 0;
	return 1;
}

static void set_option_defaults(pa_options *o)
{
	memset(o, 0, sizeof(*o));
	o->keyring = PA_DEFAULT_KEYRING;
	o->envvar = PA_DEFAULT_ENVVAR;
	o->export_mode = PA_EXPORT_ENV;
	o->warn_days = PA_DEFAULT_WARN_DAYS;
	o->match = PA_MATCH_NONE;
	o->verify_user = PA_DEFAULT_VERIFY_USER;
	o->timeout_s = PA_DEFAULT_TIMEOUT_S;
	o->ssl_verify = 1;
}

static int parse_flag(pa_options *o, const char *arg)
{
	if (strcmp(arg, "debug") == 0)
		o->debug = 1;
	else if (strcmp(arg, "quiet") == 0)
		o->quiet = 1;
	else if (strcmp(arg, "strict") == 0)
		o->strict = 1;
	else if (strcmp(arg, "store") == 0)
		o->store = 1;
	else if (strcmp(arg, "ignore_authinfo_unavail") == 0)
		o->ignore_authinfo_unavail = 1;
	else if (strcmp(arg, "allow_elevation") == 0)
		o->allow_elevation = 1;
	else {
		for (size_t i = 0; authtok_flags[i]; i++)
			if (strcmp(arg, authtok_flags[i]) == 0)
				return 1;
		return 0;
	}
	return 1;
}

/* A POSIX-portable login name: what useradd/adduser accept by default. */
int pa_valid_username(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > PA_MAX_USER_LEN || name[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!(c == '_' || c == '-' || c == '.' ||
		      (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

/* What parse_value made of one argument. */
enum value_result {
	VALUE_SET = 1,     /* parsed and applied */
	VALUE_UNKNOWN = 0, /* not a key=value option we know */
	VALUE_BAD = -1,    /* known, but the value is not allowed */
	VALUE_REMOVED = -2, /* an option that was removed for safety */
};

static enum value_result parse_value(pa_options *o, const char *arg)
{
	const char *v;

	if ((v = value_of(arg, "domain=")))
		return pa_valid_domain(v) ? (o->domain = v, VALUE_SET) : VALUE_BAD;
	if ((v = value_of(arg, "keyring=")))
		return pa_valid_relpath(v) ? (o->keyring = v, VALUE_SET) : VALUE_BAD;
	if ((v = value_of(arg, "envvar="))) {
		if (strcmp(v, PA_LEGACY_ENVVAR_ALIAS) == 0)
			v = PA_LEGACY_ENVVAR;
		return pa_valid_envvar(v) ? (o->envvar = v, VALUE_SET) : VALUE_BAD;
	}
	if ((v = value_of(arg, "export="))) {
		if (strcmp(v, "env") == 0)
			o->export_mode = PA_EXPORT_ENV;
		else if (strcmp(v, "none") == 0)
			o->export_mode = PA_EXPORT_NONE;
		else
			return VALUE_BAD;
		return VALUE_SET;
	}
	if ((v = value_of(arg, "warn_days=")))
		return parse_long(v, 0, PA_MAX_WARN_DAYS, &o->warn_days) ? VALUE_BAD : VALUE_SET;
	if ((v = value_of(arg, "timeout=")))
		return parse_long(v, 1, PA_MAX_TIMEOUT_S, &o->timeout_s) ? VALUE_BAD : VALUE_SET;
	if ((v = value_of(arg, "match="))) {
		/* email: anyone can register root@their.domain */
		if (strcmp(v, "email") == 0)
			return VALUE_REMOVED;
		return strcmp(v, "username") == 0 ? (o->match = PA_MATCH_USERNAME, VALUE_SET)
						   : VALUE_BAD;
	}
	if ((v = value_of(arg, "verify_user=")))
		return pa_valid_username(v) ? (o->verify_user = v, VALUE_SET) : VALUE_BAD;
	if ((v = value_of(arg, "usermap=")))
		return v[0] == '/' ? (o->usermap = v, VALUE_SET) : VALUE_BAD;
	if ((v = value_of(arg, "helper=")))
		return v[0] == '/' ? (o->helper = v, VALUE_SET) : VALUE_BAD;
	if ((v = value_of(arg, "ca=")))
		return v[0] == '/' ? (o->ca = v, VALUE_SET) : VALUE_BAD;
	/* No '$': the helper's settings loader would expand it, and the file
	 * it read would not be the one checked here. */
	if ((v = value_of(arg, "config=")))
		return v[0] == '/' && !strchr(v, '$') ? (o->config = v, VALUE_SET) : VALUE_BAD;
	if ((v = value_of(arg, "site=")))
		return pa_valid_site(v) ? (o->site = v, VALUE_SET) : VALUE_BAD;
	if ((v = value_of(arg, "ssl_verify=")))
		return (o->ssl_verify = aa_parse_bool(v)) < 0 ? VALUE_BAD : VALUE_SET;
	return VALUE_UNKNOWN;
}

/* Options that are fine alone but not together; -1 after complaining.
 * A site is read only from the administrator's file, never from a
 * default path that could be a user's; and site= and domain= could name
 * different services: neither may quietly win. */
static int check_combination(const pa_options *o, pa_complain_fn fn, void *ctx)
{
	if (o->site && !o->config) {
		complain(fn, ctx, o->site,
			 "site= needs config=/etc/anaconda-auth/config.toml (the administrator's file that defines it)");
		return -1;
	}
	if (o->site && o->domain) {
		complain(fn, ctx, o->domain,
			 "domain= and site= both choose the service; give one of them");
		return -1;
	}
	return 0;
}

int pa_options_parse(pa_options *o, int argc, const char **argv,
		     pa_complain_fn fn, void *ctx)
{
	int rc = 0;

	set_option_defaults(o);
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		enum value_result r;

		if (!arg)
			continue;
		if (parse_flag(o, arg))
			continue;
		r = parse_value(o, arg);
		if (r == VALUE_UNKNOWN) {
			complain(fn, ctx, arg, "unknown option, ignored");
			o->unknown++;
		} else if (r == VALUE_REMOVED) {
			complain(fn, ctx, arg,
				 "removed option (it let anyone choose the local user; bind accounts with usermap=)");
			rc = -1;
		} else if (r == VALUE_BAD) {
			complain(fn, ctx, arg, "invalid value");
			rc = -1;
		}
	}
	return check_combination(o, fn, ctx) ? -1 : rc;
}
