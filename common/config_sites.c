/* SPDX-License-Identifier: BSD-3-Clause */
/* config_sites.c - choose the [sites.<name>] table of config.toml as anaconda-auth 0.15 does. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_engine.h"
#include "util/aa_util.h"

char *cfg_shown_path(const char *path)
{
	const char *home = secure_getenv("HOME");
	size_t n = home ? strlen(home) : 0;

	if (n > 1 && strncmp(path, home, n) == 0 && path[n] == '/')
		return aa_asprintf("~%s", path + n);
	return strdup(path);
}

/* A site key as TOML writes it: bare when it can be, else quoted. */
static int bare_key(const char *k)
{
	if (!*k)
		return 0;
	for (; *k; k++) {
		if (!isalnum((unsigned char)*k) && *k != '_' && *k != '-')
			return 0;
	}
	return 1;
}

char *cfg_file_origin(const struct aa_config_state *st, const struct config_table *t,
		      unsigned line)
{
	const struct config_file *f = st->file;
	const char *shown = st->file_shown ? st->file_shown : f->path;

	if (t == &f->plugin_auth)
		return aa_asprintf("%s:%u [plugin.auth]", shown, line);
	if (t == &f->plugin_cloud)
		return aa_asprintf("%s:%u [plugin.cloud]", shown, line);
	for (size_t k = 0; k < f->n_sites; k++) {
		const char *name = f->sites[k].name;

		if (t == &f->sites[k].table)
			return aa_asprintf(bare_key(name) ? "%s:%u [sites.%s]" : "%s:%u [sites.\"%s\"]",
					   shown, line, name);
	}
	return aa_asprintf("%s:%u", shown, line);
}

/* A site's domain, normalised; one without a domain has the default, as in 0.15. */
static int site_has_domain(const struct config_site *s, const char *domain)
{
	const struct config_entry *e = config_table_find(&s->table, "domain");
	const char *why;
	char *d = e ? aa_hostport_normalize(e->value, &why) : NULL;
	int same = strcmp(d ? d : AA_DEFAULT_DOMAIN, domain) == 0;

	free(d);
	return same;
}

/* The sites' names, "a, b", for messages; malloc'd. */
static char *site_list(const struct config_file *f)
{
	char *out = strdup("");

	for (size_t k = 0; f && out && k < f->n_sites; k++) {
		char *next = aa_asprintf("%s%s%s", out, k ? ", " : "", f->sites[k].name);

		free(out);
		out = next;
	}
	return out;
}

/* The one site whose domain is `domain`: 1 found, 0 none, -1 several (err set). */
static int find_domain(const struct aa_config_state *st, const char *domain,
		       const char *origin, long *idx, aa_error *err)
{
	const struct config_file *f = st->file;
	char *names = NULL, *next;
	int n = 0;

	for (size_t k = 0; f && k < f->n_sites; k++) {
		if (!site_has_domain(&f->sites[k], domain))
			continue;
		*idx = (long)k;
		next = aa_asprintf("%s%s%s", names ? names : "", names ? ", " : "", f->sites[k].name);
		free(names);
		names = next;
		n++;
	}
	if (n > 1)
		aa_fail(err, AA_ERR_USAGE,
			"%s: the domain %s matches more than one site in %s (%s); choose one with --at NAME",
			origin, domain, st->file_shown ? st->file_shown : f->path,
			names ? names : "");
	free(names);
	return n > 1 ? -1 : n;
}

/* 0.15's lookup of --at and default_site: a site key, else the domain of one site. */
static aa_status find_at(const struct aa_config_state *st, const char *at,
			 const char *origin, long *idx, aa_error *err)
{
	const struct config_file *f = st->file;
	char *names, *domain;
	const char *why;
	aa_status rc;
	int n;

	for (size_t k = 0; f && k < f->n_sites; k++) {
		if (strcmp(f->sites[k].name, at) == 0) {
			*idx = (long)k;
			return AA_OK;
		}
	}
	domain = aa_hostport_normalize(at, &why);
	n = domain ? find_domain(st, domain, origin, idx, err) : 0;
	if (n != 0 || (domain && strcmp(domain, AA_DEFAULT_DOMAIN) == 0)) {
		free(domain);
		return n < 0 ? AA_ERR_USAGE : AA_OK; /* n == 0: the synthesised default site */
	}
	free(domain);
	names = site_list(f);
	if (!names)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	if (*names)
		rc = aa_fail(err, AA_ERR_USAGE, "%s: no site '%s' in %s; the sites are: %s",
			     origin, at, st->file_shown, names);
	else
		rc = aa_fail(err, AA_ERR_USAGE,
			     "%s: no site '%s': no [sites.*] are configured, only %s is known",
			     origin, at, AA_DEFAULT_DOMAIN);
	free(names);
	return rc;
}

aa_status cfg_find_site(struct config_file *f, const char *shown, const char *at,
			const char *origin, long *idx, aa_error *err)
{
	struct aa_config_state st;
	char *copy = strdup(shown);
	aa_status rc;

	if (!copy)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	memset(&st, 0, sizeof(st));
	st.file = f;
	st.file_shown = copy;
	*idx = -1;
	rc = find_at(&st, at, origin, idx, err);
	free(copy);
	return rc;
}

/* Record the choice; idx -1 with a name is the synthesised default site. */
static aa_status choose_site(struct aa_config_state *st, long idx, const char *name,
			char *origin, aa_error *err)
{
	char *copy = NULL;

	if (idx >= 0)
		name = st->file->sites[idx].name;
	if ((name && !(copy = strdup(name))) || !origin) {
		free(copy);
		free(origin);
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	st->site = idx;
	free(st->site_name);
	free(st->site_origin);
	st->site_name = copy;
	st->site_origin = origin;
	return AA_OK;
}

/* --at, ANACONDA_DEFAULT_SITE or default_site, looked up as 0.15's _find_at. */
static aa_status choose_at(struct aa_config_state *st, const char *at, char *origin,
			   aa_error *err)
{
	long idx = -1;
	aa_status rc = origin ? find_at(st, at, origin, &idx, err) :
		       aa_fail(err, AA_ERR_NOMEM, "out of memory");

	if (rc != AA_OK) {
		free(origin);
		return rc;
	}
	return choose_site(st, idx, AA_DEFAULT_DOMAIN, origin, err);
}

/* A domain from a source above the sites: the one site with it, if any. */
static aa_status choose_by_domain(struct aa_config_state *st, const char *domain,
				  aa_error *err)
{
	long idx = -1;
	int n = find_domain(st, domain, "the domain", &idx, err);

	if (n < 0)
		return AA_ERR_USAGE;
	if (n == 0 && strcmp(domain, AA_DEFAULT_DOMAIN) != 0)
		return choose_site(st, -1, NULL, strdup("no site has this domain"), err);
	return choose_site(st, idx, AA_DEFAULT_DOMAIN, aa_asprintf("its domain %s", domain), err);
}

aa_status cfg_select_site(struct aa_config_state *st, const char *domain, aa_error *err)
{
	const struct config_file *f = st->file;
	const char *env = secure_getenv("ANACONDA_DEFAULT_SITE");

	/* An explicit --at names the site; 0.15's --at went through
	 * ANACONDA_DEFAULT_SITE and so came after the domain rule. */
	if (st->at)
		return choose_at(st, st->at, strdup(st->at_origin), err);
	if (domain)
		return choose_by_domain(st, domain, err);
	if (env && *env)
		return choose_at(st, env, strdup("ANACONDA_DEFAULT_SITE"), err);
	if (f && f->default_site)
		return choose_at(st, f->default_site,
				 aa_asprintf("%s:%u default_site", st->file_shown,
					     f->default_site_line), err);
	if (f && f->n_sites)
		return choose_site(st, 0, NULL, aa_asprintf("the first site of %s", st->file_shown), err);
	return choose_site(st, -1, AA_DEFAULT_DOMAIN, strdup("default"), err);
}

/* As cfg_select_site without any other source: --at (`at`), else
 * default_site, else the first site, else the default domain. */
aa_status config_file_site_domain(const struct config_file *f, const char *at,
				  const char *origin, char **domain, aa_error *err)
{
	struct aa_config_state st;
	const struct config_entry *e = NULL;
	const char *why;
	long idx = -1;
	aa_status rc = AA_OK;

	*domain = NULL;
	memset(&st, 0, sizeof(st));
	st.file = (struct config_file *)f;
	st.file_shown = f->path;
	if (at)
		rc = find_at(&st, at, origin, &idx, err);
	else if (f->default_site)
		rc = find_at(&st, f->default_site, "default_site", &idx, err);
	else if (f->n_sites)
		idx = 0;
	if (rc != AA_OK)
		return rc;
	if (idx >= 0)
		e = config_table_find(&f->sites[idx].table, "domain");
	/* No site at all: the domain of [plugin.cloud], else [plugin.auth],
	 * as the library resolves it (the verifier's domain). */
	if (!at && !f->default_site && !f->n_sites) {
		e = config_table_find(&f->plugin_cloud, "domain");
		if (!e)
			e = config_table_find(&f->plugin_auth, "domain");
	}
	*domain = e ? aa_hostport_normalize(e->value, &why) : strdup(AA_DEFAULT_DOMAIN);
	if (!*domain)
		return e ? aa_fail(err, AA_ERR_USAGE, "%s: [%s%s] domain: %s", f->path,
				   idx >= 0 ? "sites." : "plugin", idx >= 0 ? f->sites[idx].name : "", why)
			 : aa_fail(err, AA_ERR_NOMEM, "out of memory");
	return AA_OK;
}
