/* SPDX-License-Identifier: BSD-3-Clause */
/* keyring_migrate.c - moves a stored entry between the file keyring and the Secret Service without a moment where it is in neither. */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "keyring_backend.h"

/* Both stores, opened directly: no fallback may quietly turn a write to the target into a write to the source. */
struct pair {
	struct aa_keyring_backend *file, *sys;
	struct aa_keyring_backend *from, *to;
	void *module;
};

static const char *where(const struct aa_keyring_backend *be)
{
	return be->location ? be->location : be->name;
}

static void close_pair(struct pair *p)
{
	if (p->file)
		p->file->close(p->file);
	if (p->sys)
		p->sys->close(p->sys);
	if (p->module)
		dlclose(p->module);
}

static aa_status open_pair(const aa_config *cfg, aa_storage to, struct pair *p,
			   aa_error *err)
{
	aa_error why;
	aa_status rc;

	memset(p, 0, sizeof(*p));
	rc = aa_keyring_file_backend_open(cfg->keyring_path, &p->file, err);
	if (rc != AA_OK)
		return rc;
	aa_error_clear(&why);
	rc = aa_keyring_system_open(cfg, &p->sys, &p->module, &why);
	if (rc != AA_OK) {
		close_pair(p);
		return aa_fail(err, AA_ERR_STORAGE,
			       "system key storage cannot be used, so nothing was moved: %s",
			       why.message);
	}
	p->file->report = p->sys->report = NULL;
	p->from = to == AA_STORAGE_SYSTEM ? p->file : p->sys;
	p->to = to == AA_STORAGE_SYSTEM ? p->sys : p->file;
	return AA_OK;
}

/* Copy one entry, read it back from the target, and only then delete it from the source. */
static aa_status move_one(struct pair *p, const char *name, const char *b64,
			  aa_error *err)
{
	const char *one[2] = { name, NULL };
	char *back = NULL;
	aa_error e;
	aa_status rc;
	int same;

	aa_error_clear(&e);
	rc = p->to->set(p->to, name, b64, &e);
	if (rc != AA_OK)
		return aa_fail(err, rc, "cannot store the key for %s in %s, so it stays in %s: %s",
			       name, where(p->to), where(p->from), e.message);
	rc = p->to->get(p->to, name, &back, &e);
	if (rc != AA_OK)
		return aa_fail(err, AA_ERR_STORAGE,
			       "the key for %s was written to %s but could not be read back, so it stays in %s: %s",
			       name, where(p->to), where(p->from), e.message);
	same = !strcmp(back, b64);
	aa_free_secret_str(back);
	if (!same)
		return aa_fail(err, AA_ERR_STORAGE,
			       "the key for %s read back from %s differs from what was written; it stays in %s",
			       name, where(p->to), where(p->from));
	rc = p->from->del(p->from, one, NULL, &e);
	if (rc != AA_OK)
		return aa_fail(err, rc,
			       "the key for %s is now in %s, but removing it from %s failed: %s",
			       name, where(p->to), where(p->from), e.message);
	return AA_OK;
}

/* Move every name (domain and aliases) the source holds; count what moved and what the target already had. */
static aa_status move_all(struct pair *p, const char *domain, int *moved,
			  int *already, aa_error *err)
{
	const char *one[2];
	const char *const *names = aa_domain_aliases(domain, one);
	aa_status rc = AA_OK;
	aa_error e;

	for (size_t i = 0; rc == AA_OK && names[i]; i++) {
		char *b64 = NULL;

		aa_error_clear(&e);
		rc = p->from->get(p->from, names[i], &b64, &e);
		if (rc == AA_ERR_NOT_FOUND) {
			rc = p->to->get(p->to, names[i], &b64, &e);
			if (rc == AA_OK)
				(*already)++;
			aa_free_secret_str(b64);
			/* A target we cannot read is no reason to stop looking at the source. */
			rc = AA_OK;
			continue;
		}
		if (rc != AA_OK)
			return aa_fail(err, rc, "cannot read the key for %s from %s: %s",
				       names[i], where(p->from), e.message);
		rc = move_one(p, names[i], b64, err);
		aa_free_secret_str(b64);
		if (rc == AA_OK)
			(*moved)++;
	}
	return rc;
}

aa_status aa_keyring_migrate(const aa_config *cfg, const char *domain,
			     aa_storage to, int *moved, aa_error *err)
{
	struct pair p;
	int n = 0, already = 0;
	aa_status rc;

	if (moved)
		*moved = 0;
	if (!cfg || !domain || !*domain)
		return aa_fail(err, AA_ERR_USAGE, "no domain given to migrate");
	if (to != AA_STORAGE_FILE && to != AA_STORAGE_SYSTEM)
		return aa_fail(err, AA_ERR_USAGE, "migrate to file or system storage");
	rc = open_pair(cfg, to, &p, err);
	if (rc != AA_OK)
		return rc;
	rc = move_all(&p, domain, &n, &already, err);
	if (rc == AA_OK && !n && !already)
		rc = aa_fail(err, AA_ERR_NOT_FOUND,
			     "no API key stored for %s in %s or %s; log in with: anaconda-auth login",
			     domain, where(p.file), where(p.sys));
	close_pair(&p);
	if (moved)
		*moved = n;
	return rc;
}
