/* SPDX-License-Identifier: BSD-3-Clause */
/* keyring_migrate.c - moves a stored entry between the file keyring and the Secret Service without a moment where it is in neither, under the keyring lock. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config_struct.h"
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

/* One name being moved, and what the move found. */
struct move {
	struct pair *p;
	const char *name;
	int force;
	const char *source; /* the source's value (system -> file) */
	char *written;      /* what went into the target, to read back */
	int moved, already;
};

static void key_print(const aa_token_info *info, char *out, size_t len)
{
	if (info && info->api_key)
		aa_fingerprint(aa_secret_str(info->api_key), out, len);
	else
		snprintf(out, len, "no API key");
}

/* The target's repo tokens, username and key that the source lacks. */
static aa_status keep_from_target(aa_token_info *src, const aa_token_info *dst)
{
	aa_status rc = AA_OK;

	if (!src->api_key && dst->api_key)
		rc = aa_token_info_set_api_key(src, aa_secret_str(dst->api_key));
	if (rc == AA_OK && !src->username && dst->username &&
	    !(src->username = strdup(dst->username)))
		rc = AA_ERR_NOMEM;
	for (size_t i = 0; rc == AA_OK && i < dst->n_repo_tokens; i++) {
		const aa_repo_token *t = &dst->repo_tokens[i];

		if (t->org_name && t->token && !aa_token_info_get_repo_token(src, t->org_name))
			rc = aa_token_info_set_repo_token(src, t->org_name, aa_secret_str(t->token));
	}
	return rc;
}

/*
 * What the target gets: the source's entry. An entry already there with
 * the same key (or none) keeps what only it has; one with a different key
 * is another account's, replaced only when forced.
 */
static aa_status merged(struct move *m, const char *source, const char *target,
			char **out, aa_error *err)
{
	aa_token_info *src = NULL, *dst = NULL;
	aa_secret *b64 = NULL;
	char have[AA_FINGERPRINT_MAX], moving[AA_FINGERPRINT_MAX];
	aa_status rc;

	if (!target || m->force)
		return (*out = strdup(source)) ? AA_OK : aa_oom(err);
	if (aa_token_info_decode(source, strlen(source), &src, NULL) != AA_OK)
		return aa_fail(err, AA_ERR_STORAGE, "the entry for %s in %s is damaged, so nothing was moved; log in again",
			       m->name, where(m->p->from));
	if (aa_token_info_decode(target, strlen(target), &dst, NULL) != AA_OK) {
		aa_token_info_free(src);
		return aa_fail(err, AA_ERR_STORAGE, "%s already has an entry for %s that cannot be read, so nothing was moved (migrate --force replaces it)",
			       where(m->p->to), m->name);
	}
	if (src->api_key && dst->api_key && !aa_secret_equal(src->api_key, aa_secret_str(dst->api_key))) {
		key_print(dst, have, sizeof(have));
		key_print(src, moving, sizeof(moving));
		rc = aa_fail(err, AA_ERR_STORAGE,
			     "%s already holds a different key for %s (%s; the key to move is %s), so nothing was moved; run migrate --force to replace it, or log out of the one you do not want",
			     where(m->p->to), m->name, have, moving);
	} else {
		rc = keep_from_target(src, dst);
		if (rc == AA_OK)
			rc = aa_token_info_encode(src, &b64, err);
		else
			rc = aa_fail(err, rc, "out of memory");
		if (rc == AA_OK && !(*out = strdup(aa_secret_str(b64))))
			rc = aa_oom(err);
	}
	aa_secret_free(b64);
	aa_token_info_free(src);
	aa_token_info_free(dst);
	return rc;
}

/* Read back what was written to the target: it must be there, byte for byte. */
static aa_status check_target(struct move *m, aa_error *err)
{
	char *back = NULL;
	aa_error e;
	int same;

	aa_error_clear(&e);
	if (m->p->to->get(m->p->to, m->name, &back, &e) != AA_OK)
		return aa_fail(err, AA_ERR_STORAGE,
			       "the key for %s was written to %s but could not be read back, so it stays in %s: %s",
			       m->name, where(m->p->to), where(m->p->from), e.message);
	same = !strcmp(back, m->written);
	aa_free_secret_str(back);
	return same ? AA_OK
		    : aa_fail(err, AA_ERR_STORAGE,
			      "the key for %s read back from %s differs from what was written; it stays in %s",
			      m->name, where(m->p->to), where(m->p->from));
}

/* Write `source` into the Secret Service (merged with what it holds) and read it back. */
static aa_status put_in_system(struct move *m, const char *source, aa_error *err)
{
	char *target = NULL;
	aa_error e;
	aa_status rc;

	aa_error_clear(&e);
	rc = m->p->to->get(m->p->to, m->name, &target, &e);
	if (rc != AA_OK && rc != AA_ERR_NOT_FOUND)
		return aa_fail(err, rc, "cannot read %s, so the key for %s stays in %s: %s",
			       where(m->p->to), m->name, where(m->p->from), e.message);
	rc = merged(m, source, target, &m->written, err);
	aa_free_secret_str(target);
	if (rc != AA_OK)
		return rc;
	aa_error_clear(&e);
	rc = m->p->to->set(m->p->to, m->name, m->written, &e);
	if (rc != AA_OK)
		return aa_fail(err, rc, "cannot store the key for %s in %s, so it stays in %s: %s",
			       m->name, where(m->p->to), where(m->p->from), e.message);
	return check_target(m, err);
}

/* The source has nothing under this name: count it if the target has it. */
static void note_already(struct move *m)
{
	char *there = NULL;
	aa_error e;

	aa_error_clear(&e);
	if (m->p->to->get(m->p->to, m->name, &there, &e) == AA_OK)
		m->already++;
	aa_free_secret_str(there);
}

/* No keyring file: nothing to move out of it, and no reason to make its directory and lock. */
static int no_file(const struct pair *p)
{
	struct stat st;

	return fstatat(AT_FDCWD, p->file->location, &st, AT_SYMLINK_NOFOLLOW) < 0 &&
	       errno == ENOENT;
}

/*
 * File -> system, as an edit of the file entry under the keyring lock: no
 * login or token install can change the entry between our read and its
 * removal, so nothing written meanwhile is lost.
 */
static aa_status move_out_of_file(const char *current, char **next, void *ctx,
				  aa_error *err)
{
	struct move *m = ctx;
	aa_status rc;

	*next = NULL;
	if (!current) {
		note_already(m);
		return AA_OK;
	}
	rc = put_in_system(m, current, err);
	if (rc != AA_OK) /* an error writes nothing: the entry stays */
		return rc;
	m->moved++;
	return AA_OK;
}

/* System -> file, the file side under the keyring lock: current is the file's entry. */
static aa_status move_into_file(const char *current, char **next, void *ctx,
				aa_error *err)
{
	struct move *m = ctx;
	aa_status rc = merged(m, m->source, current, &m->written, err);

	*next = NULL;
	if (rc != AA_OK) /* an error writes nothing: the file's entry stays */
		return rc;
	*next = strdup(m->written);
	return *next ? AA_OK : aa_oom(err);
}

/* Remove the moved value from the Secret Service, unless it changed meanwhile. */
static aa_status drop_from_system(struct move *m, aa_error *err)
{
	const char *one[2] = { m->name, NULL };
	char *now = NULL;
	aa_error e;
	aa_status rc;

	aa_error_clear(&e);
	rc = m->p->from->get(m->p->from, m->name, &now, &e);
	if (rc == AA_OK && strcmp(now, m->source)) {
		aa_free_secret_str(now);
		return aa_fail(err, AA_ERR_STORAGE,
			       "the key for %s is now in %s, but %s changed meanwhile, so its entry was kept (run migrate again)",
			       m->name, where(m->p->to), where(m->p->from));
	}
	aa_free_secret_str(now);
	if (rc == AA_OK)
		rc = m->p->from->del(m->p->from, one, NULL, &e);
	if (rc != AA_OK && rc != AA_ERR_NOT_FOUND)
		return aa_fail(err, rc,
			       "the key for %s is now in %s, but removing it from %s failed: %s",
			       m->name, where(m->p->to), where(m->p->from), e.message);
	return AA_OK;
}

static aa_status move_from_system(struct move *m, aa_error *err)
{
	char *source = NULL;
	aa_error e;
	aa_status rc;

	aa_error_clear(&e);
	rc = m->p->from->get(m->p->from, m->name, &source, &e);
	if (rc == AA_ERR_NOT_FOUND) {
		note_already(m);
		return AA_OK;
	}
	if (rc != AA_OK)
		return aa_fail(err, rc, "cannot read the key for %s from %s: %s",
			       m->name, where(m->p->from), e.message);
	m->source = source;
	rc = aa_keyring_file_edit(m->p->to, m->name, move_into_file, m, err);
	if (rc == AA_OK)
		rc = check_target(m, err);
	if (rc == AA_OK)
		rc = drop_from_system(m, err);
	if (rc == AA_OK)
		m->moved++;
	aa_free_secret_str(source);
	m->source = NULL;
	return rc;
}

/* Move every name (domain and aliases) the source holds; count what moved and what the target already had. */
static aa_status move_all(struct pair *p, const char *domain, int force,
			  int *moved, int *already, aa_error *err)
{
	const char *one[2];
	const char *const *names = aa_domain_aliases(domain, one);
	aa_status rc = AA_OK;

	for (size_t i = 0; rc == AA_OK && names[i]; i++) {
		struct move m = { p, names[i], force, NULL, NULL, 0, 0 };

		if (p->from == p->file && no_file(p))
			note_already(&m);
		else if (p->from == p->file)
			rc = aa_keyring_file_edit(p->file, names[i], move_out_of_file, &m, err);
		else
			rc = move_from_system(&m, err);
		aa_free_secret_str(m.written);
		*moved += m.moved;
		*already += m.already;
	}
	return rc;
}

aa_status aa_keyring_migrate_flags(const aa_config *cfg, const char *domain,
				   aa_storage to, unsigned flags, int *moved,
				   aa_error *err)
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
	rc = move_all(&p, domain, (flags & AA_MIGRATE_FORCE) != 0, &n, &already, err);
	if (rc == AA_OK && !n && !already)
		rc = aa_fail(err, AA_ERR_NOT_FOUND,
			     "no API key stored for %s in %s or %s; log in with: anaconda-auth login",
			     domain, where(p.file), where(p.sys));
	close_pair(&p);
	if (moved)
		*moved = n;
	return rc;
}

aa_status aa_keyring_migrate(const aa_config *cfg, const char *domain,
			     aa_storage to, int *moved, aa_error *err)
{
	return aa_keyring_migrate_flags(cfg, domain, to, 0, moved, err);
}
