/* SPDX-License-Identifier: BSD-3-Clause */
/* keyring.c - the key storage API: the env and inline layers, the writable store and the file fallback, alias-aware. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "config_struct.h"
#include "keyring_backend.h"
#include "util/aa_util.h"

#define MAX_LAYERS 4
#define FAMILY_MAX 3 /* anaconda.cloud, anaconda.com, id.anaconda.cloud */

struct aa_keyring {
	/* Read order: env (if a key is configured), given, store, file fallback. */
	struct aa_keyring_backend *env;
	struct aa_keyring_backend *given;    /* the `keyring` setting, read-only */
	struct aa_keyring_backend *store;    /* where writes go */
	struct aa_keyring_backend *fallback; /* the file behind the system store */
	void *module;                        /* dlopen handle of the system store */
	int system_missing;                  /* system wanted but unavailable */
	int system_refused;                  /* ... because the bus is someone else's */
	char *system_why;                    /* why, for the log set later and write warnings */
	char *unread_why;                    /* the system store exists but could not be read */
	aa_log_fn log;
	void *log_ctx;
	char *notice;                        /* notices so far, one per line */
};

/* ---- reporting ------------------------------------------------------- */

static void note_once(aa_keyring *kr, const char *line)
{
	size_t have = kr->notice ? strlen(kr->notice) : 0;
	char *grown;

	/* The same warning from every read is said once. */
	if (kr->notice) {
		const char *p = strstr(kr->notice, line);
		size_t n = strlen(line);

		if (p && (p == kr->notice || p[-1] == '\n') &&
		    (p[n] == '\n' || p[n] == '\0'))
			return;
	}
	grown = realloc(kr->notice, have + strlen(line) + 2);
	if (!grown)
		return;
	if (have)
		grown[have++] = '\n';
	memcpy(grown + have, line, strlen(line) + 1);
	kr->notice = grown;
}

static void report(void *ctx, int level, const char *line)
{
	aa_keyring *kr = ctx;

	if (level == AA_REPORT_NOTICE)
		note_once(kr, line);
	if (kr->log)
		kr->log(kr->log_ctx, line);
}

static void attach(aa_keyring *kr, struct aa_keyring_backend *be)
{
	if (be) {
		be->report = report;
		be->report_ctx = kr;
	}
}

/* ---- open / close ---------------------------------------------------- */

static aa_keyring *keyring_new(void)
{
	return calloc(1, sizeof(aa_keyring));
}

/* The file backend as the writable store. */
static aa_status attach_file(aa_keyring *kr, const char *path, aa_error *err)
{
	aa_status rc = aa_keyring_file_backend_open(path, &kr->store, err);

	if (rc == AA_OK)
		attach(kr, kr->store);
	return rc;
}

aa_status aa_keyring_open_file(const char *path, aa_keyring **out,
			       aa_error *err)
{
	aa_keyring *kr = keyring_new();
	aa_status rc;

	*out = NULL;
	if (!kr)
		return aa_oom(err);
	rc = attach_file(kr, path, err);
	if (rc != AA_OK) {
		free(kr);
		return rc;
	}
	*out = kr;
	return AA_OK;
}

/* Why the system store, which may hold the key, could not be read; the first reason counts. */
static void remember_unread(aa_keyring *kr, const char *why)
{
	if (!kr->unread_why)
		kr->unread_why = aa_strdup0(why && *why ? why : "unknown reason");
}

/* The Secret Service in front of the file; without it, the file alone. */
static void open_system(aa_keyring *kr, const aa_config *cfg)
{
	struct aa_keyring_backend *file = kr->store;
	aa_error why;

	aa_error_clear(&why);
	if (aa_keyring_system_open(cfg, &kr->store, &kr->module, &why) != AA_OK) {
		kr->store = file;
		kr->system_missing = 1;
		kr->system_why = aa_strdup0(why.message);
		/* A stuck or locked service may hold the key; a missing one holds nothing. */
		if (why.code != AA_ERR_UNSUPPORTED && why.code != AA_ERR_DENIED)
			remember_unread(kr, why.message);
		aa_reportf(report, kr, AA_REPORT_LOG,
			"system key storage unavailable (%s); using %s",
			why.message, file->location);
		/* Another user's bus is worth a word even when only reading. */
		if (why.code == AA_ERR_DENIED) {
			kr->system_refused = 1;
			aa_reportf(report, kr, AA_REPORT_NOTICE,
				"not using the Secret Service: %s; using %s",
				why.message, file->location);
		}
		return;
	}
	attach(kr, kr->store);
	kr->fallback = file;
}

/*
 * Without HOME or keyring_path there is nowhere to store, but a key in the
 * environment still serves reads: a store that has nothing and takes nothing.
 */
static aa_status none_get(struct aa_keyring_backend *be, const char *domain,
			  char **b64_out, aa_error *err)
{
	(void)be;
	*b64_out = NULL;
	return aa_fail(err, AA_ERR_NOT_FOUND, "no key stored for %s", domain);
}

static aa_status none_fail(aa_error *err)
{
	return aa_fail(err, AA_ERR_USAGE,
		       "no keyring path is set; set HOME or keyring_path");
}

static aa_status none_set(struct aa_keyring_backend *be, const char *domain,
			  const char *b64, aa_error *err)
{
	(void)be;
	(void)domain;
	(void)b64;
	return none_fail(err);
}

static aa_status none_del(struct aa_keyring_backend *be,
			  const char *const *domains, int *removed,
			  aa_error *err)
{
	(void)be;
	(void)domains;
	if (removed)
		*removed = 0;
	return none_fail(err);
}

static aa_status none_list(struct aa_keyring_backend *be, char ***domains,
			   aa_error *err)
{
	(void)be;
	*domains = calloc(1, sizeof(char *));
	return *domains ? AA_OK : aa_oom(err);
}

static void none_close(struct aa_keyring_backend *be)
{
	free(be);
}

static aa_status attach_none(aa_keyring *kr, aa_error *err)
{
	struct aa_keyring_backend *be = calloc(1, sizeof(*be));

	if (!be)
		return aa_oom(err);
	be->abi = AA_KEYRING_BACKEND_ABI;
	be->name = "none";
	be->get = none_get;
	be->set = none_set;
	be->del = none_del;
	be->list = none_list;
	be->close = none_close;
	kr->store = be;
	aa_error_clear(err);
	return AA_OK;
}

/* The configured storage, with the settings' key and keyring in front when with_key. */
static aa_status open_configured(const aa_config *cfg, int with_key,
				 aa_keyring **out, aa_error *err)
{
	const aa_secret *key = with_key ? cfg->api_key : NULL;
	const aa_secret *given = with_key ? cfg->keyring_inline : NULL;
	aa_keyring *kr = keyring_new();
	aa_status rc;

	*out = NULL;
	if (!kr)
		return aa_oom(err);
	if ((!cfg->keyring_path || !*cfg->keyring_path) && (key || given))
		rc = attach_none(kr, err);
	else
		rc = attach_file(kr, cfg->keyring_path, err);
	if (rc == AA_OK && key) {
		rc = aa_keyring_env_open(cfg, &kr->env, err);
		attach(kr, kr->env);
	}
	/* As 0.15's ConfigKeyring: after the API key, before every store. */
	if (rc == AA_OK && given) {
		rc = aa_keyring_inline_open(cfg, &kr->given, err);
		attach(kr, kr->given);
	}
	if (rc != AA_OK) {
		aa_keyring_close(kr);
		return rc;
	}
	if (cfg->storage == AA_STORAGE_SYSTEM && kr->store->close != none_close)
		open_system(kr, cfg);
	*out = kr;
	return AA_OK;
}

aa_status aa_keyring_open(const aa_config *cfg, aa_keyring **out,
			  aa_error *err)
{
	return open_configured(cfg, 1, out, err);
}

aa_status aa_keyring_open_store(const aa_config *cfg, aa_keyring **out,
				aa_error *err)
{
	return open_configured(cfg, 0, out, err);
}

void aa_keyring_close(aa_keyring *kr)
{
	if (!kr)
		return;
	if (kr->env)
		kr->env->close(kr->env);
	if (kr->given)
		kr->given->close(kr->given);
	if (kr->store)
		kr->store->close(kr->store);
	if (kr->fallback)
		kr->fallback->close(kr->fallback);
	if (kr->module)
		dlclose(kr->module);
	free(kr->notice);
	free(kr->system_why);
	free(kr->unread_why);
	free(kr);
}

void aa_keyring_set_log(aa_keyring *kr, aa_log_fn fn, void *ctx)
{
	if (!kr)
		return;
	kr->log = fn;
	kr->log_ctx = ctx;
	/* The fallback happened in aa_keyring_open, before there was a log to tell. */
	if (fn && kr->system_missing)
		aa_reportf(report, kr, AA_REPORT_LOG, "system key storage unavailable (%s); using %s",
			kr->system_why ? kr->system_why : "unknown reason",
			kr->store->location);
}

const char *aa_keyring_notice(const aa_keyring *kr)
{
	return kr ? kr->notice : NULL;
}

const char *aa_keyring_backend_name(const aa_keyring *kr)
{
	return kr && kr->store ? kr->store->name : NULL;
}

const char *aa_keyring_location(const aa_keyring *kr)
{
	return kr && kr->store ? kr->store->location : NULL;
}

/* ---- reading --------------------------------------------------------- */

static size_t read_layers(aa_keyring *kr, struct aa_keyring_backend **l)
{
	size_t n = 0;

	if (kr->env)
		l[n++] = kr->env;
	if (kr->given)
		l[n++] = kr->given;
	l[n++] = kr->store;
	if (kr->fallback)
		l[n++] = kr->fallback;
	return n;
}

/* One backend's raw value for any of the names; NOT_FOUND when none. */
static aa_status get_raw(aa_keyring *kr, struct aa_keyring_backend *be,
			 const char *const *names, char **b64, const char **hit,
			 aa_error *err)
{
	for (size_t i = 0; names[i]; i++) {
		aa_status rc = be->get(be, names[i], b64, err);

		if (rc == AA_OK) {
			*hit = names[i];
			return AA_OK;
		}
		if (rc == AA_ERR_NOT_FOUND)
			continue;
		/* A broken Secret Service must not hide the file behind it. */
		if (be == kr->store && kr->fallback) {
			aa_reportf(report, kr, AA_REPORT_LOG,
				"reading from %s failed (%s); trying %s", be->name,
				err ? err->message : aa_strerror(rc),
				kr->fallback->location);
			remember_unread(kr, err ? err->message : aa_strerror(rc));
			return AA_ERR_NOT_FOUND;
		}
		return rc;
	}
	return AA_ERR_NOT_FOUND;
}

static aa_status decode_into(const char *b64, aa_token_info **out,
			     aa_error *err)
{
	return aa_token_info_decode(b64, strlen(b64), out, err);
}

static void fill_source(aa_keyring_source *src,
			const struct aa_keyring_backend *be, const char *domain)
{
	if (!src)
		return;
	src->backend = be->name;
	src->location = be->location;
	snprintf(src->domain, sizeof(src->domain), "%s", domain);
}

aa_status aa_keyring_get(aa_keyring *kr, const char *domain,
			 aa_token_info **out, aa_keyring_source *src,
			 aa_error *err)
{
	aa_error local;
	struct aa_keyring_backend *layers[MAX_LAYERS];
	const char *one[2];
	const char *const *names;
	size_t n;

	if (!err)
		err = &local; /* backends may write err directly */

	*out = NULL;
	if (!kr || !domain || !*domain)
		return aa_fail(err, AA_ERR_USAGE, "no domain given to look up");
	names = aa_domain_aliases(domain, one);
	n = read_layers(kr, layers);
	for (size_t i = 0; i < n; i++) {
		char *b64 = NULL;
		const char *hit = NULL;
		aa_status rc = get_raw(kr, layers[i], names, &b64, &hit, err);

		if (rc == AA_ERR_NOT_FOUND)
			continue;
		if (rc != AA_OK)
			return rc;
		rc = decode_into(b64, out, err);
		aa_free_secret_str(b64);
		if (rc != AA_OK)
			return aa_fail(err, rc,
				       "the key stored for %s in %s is damaged; log in again",
				       hit, layers[i]->location ? layers[i]->location
								: layers[i]->name);
		fill_source(src, layers[i], hit);
		aa_error_clear(err);
		return AA_OK;
	}
	/* Not "not found": the key may well be in the store that did not answer. */
	if (kr->unread_why)
		return aa_fail(err, AA_ERR_STORAGE,
			       "no API key for %s in %s, and the Secret Service could not be read: %s",
			       domain, kr->fallback ? kr->fallback->location : kr->store->location,
			       kr->unread_why);
	return aa_fail(err, AA_ERR_NOT_FOUND,
		       "no API key stored for %s; log in with: anaconda-auth login",
		       domain);
}

/* ---- writing --------------------------------------------------------- */

/* After a write: say so when it went to the file instead of the Secret Service. */
static void note_stored(aa_keyring *kr)
{
	if (kr->system_missing && !kr->system_refused)
		aa_reportf(report, kr, AA_REPORT_NOTICE,
			"warning: system key storage is unavailable (%s); the key was stored in %s",
			kr->system_why ? kr->system_why : "unknown reason",
			kr->store->location);
}

/* Store raw b64, falling back to the file when the Secret Service fails. */
static aa_status put_raw(aa_keyring *kr, const char *domain, const char *b64,
			 aa_error *err)
{
	aa_status rc;

	rc = kr->store->set(kr->store, domain, b64, err);
	if (rc == AA_OK)
		note_stored(kr);
	if (rc == AA_OK || !kr->fallback)
		return rc;
	aa_reportf(report, kr, AA_REPORT_NOTICE,
		"warning: could not store the key in the Secret Service (%s); stored it in %s instead",
		err ? err->message : aa_strerror(rc), kr->fallback->location);
	aa_error_clear(err);
	return kr->fallback->set(kr->fallback, domain, b64, err);
}

aa_status aa_keyring_set(aa_keyring *kr, const aa_token_info *info,
			 aa_error *err)
{
	aa_error local;
	aa_secret *b64 = NULL;
	aa_status rc;

	if (!err)
		err = &local; /* backends may write err directly */

	if (!kr || !info || !info->domain || !*info->domain)
		return aa_fail(err, AA_ERR_USAGE, "the entry to store names no domain");
	rc = aa_token_info_encode(info, &b64, err);
	if (rc != AA_OK)
		return rc;
	rc = put_raw(kr, info->domain, aa_secret_str(b64), err);
	aa_secret_free(b64);
	return rc;
}

/* The entry stored under exactly `domain` in the stores (not env), or a new one. */
static aa_status load_exact(aa_keyring *kr, const char *domain,
			    aa_token_info **out, aa_error *err)
{
	struct aa_keyring_backend *stores[2] = { kr->store, kr->fallback };
	const char *names[2] = { domain, NULL };

	for (size_t i = 0; i < 2 && stores[i]; i++) {
		char *b64 = NULL;
		const char *hit;
		aa_status rc = get_raw(kr, stores[i], names, &b64, &hit, err);

		if (rc == AA_ERR_NOT_FOUND)
			continue;
		/*
		 * An unreadable store (a corrupt file is moved aside by the
		 * write) gets a fresh entry; the write reports what stays wrong.
		 */
		if (rc != AA_OK) {
			aa_reportf(report, kr, AA_REPORT_LOG, "starting a new entry for %s: %s",
				domain, err ? err->message : aa_strerror(rc));
			aa_error_clear(err);
			break;
		}
		rc = decode_into(b64, out, err);
		aa_free_secret_str(b64);
		if (rc == AA_OK)
			return AA_OK;
		/* A damaged entry is replaced by the new login. */
		aa_reportf(report, kr, AA_REPORT_LOG, "replacing a damaged entry for %s", domain);
		aa_error_clear(err);
		break;
	}
	*out = aa_token_info_new(domain);
	return *out ? AA_OK : aa_oom(err);
}

/* The entry for domain with `key` in place of its API key (fresh if absent or damaged). */
static aa_status with_new_key(aa_token_info *info, const char *domain,
			      const char *key, aa_secret **b64, aa_error *err)
{
	aa_status rc;

	free(info->domain);
	info->domain = strdup(domain);
	rc = info->domain ? aa_token_info_set_api_key(info, key) : AA_ERR_NOMEM;
	if (rc != AA_OK)
		return aa_fail(err, rc, "out of memory");
	info->version = 2;
	return aa_token_info_encode(info, b64, err);
}

struct key_edit {
	aa_keyring *kr;
	const char *domain;
	const char *key;
	time_t now;
};

/*
 * The account a key names, for a notice: its JWT subject ("sub:..."), or
 * NULL when it has none. Not aa_fingerprint(): hashing would pull libcrypto
 * into the git helper and the PAM module, which store keys but never hash.
 */
static char *key_subject(const char *key)
{
	aa_jwt_claims claims;
	char *sub = NULL;

	if (aa_jwt_decode(key, &claims, NULL) != AA_OK)
		return NULL;
	if (claims.sub && *claims.sub)
		sub = aa_asprintf("sub:%s", claims.sub);
	aa_jwt_claims_free(&claims);
	return sub;
}

/*
 * An alias entry (another generation's name for the account) that held
 * another account's valid key is about to get this one: say so, by
 * subject, so a person signed in as two accounts learns that one name
 * now answers for the other. Keys without a subject name no account, so
 * there is nothing to compare.
 */
static void note_other_account(struct key_edit *e, const char *name,
			       const aa_token_info *info)
{
	char *was, *now;

	if (!strcasecmp(name, e->domain) || !info->api_key ||
	    aa_key_expiry(aa_secret_str(info->api_key), e->now, NULL) == AA_EXPIRY_EXPIRED)
		return;
	was = key_subject(aa_secret_str(info->api_key));
	now = key_subject(e->key);
	if (was && now && strcmp(was, now)) {
		/* a subject is text from a token: no control characters on a terminal */
		aa_text_safe_inplace(was, 0);
		aa_text_safe_inplace(now, 0);
		aa_reportf(report, e->kr, AA_REPORT_NOTICE,
			"the entry for %s held a valid key of another account (%s); it now holds %s's",
			name, was, now);
	}
	free(was);
	free(now);
}

/*
 * Runs under the file lock for the domain and each alias entry stored:
 * current entry in, the entry with the new key out (its username, repo
 * tokens and own domain name kept, so each Python generation still finds
 * the entry it reads).
 */
static aa_status replace_key(const char *name, const char *current,
			     char **next, void *ctx, aa_error *err)
{
	struct key_edit *e = ctx;
	aa_token_info *info = NULL;
	aa_secret *b64 = NULL;
	aa_status rc;

	if (current && aa_token_info_decode(current, strlen(current), &info, err) != AA_OK) {
		aa_reportf(report, e->kr, AA_REPORT_LOG, "replacing a damaged entry for %s", name);
		aa_error_clear(err);
		info = NULL;
	}
	if (info)
		note_other_account(e, name, info);
	else
		info = aa_token_info_new(name);
	if (!info)
		return aa_oom(err);
	rc = with_new_key(info, name, e->key, &b64, err);
	aa_token_info_free(info);
	if (rc != AA_OK)
		return rc;
	*next = strdup(aa_secret_str(b64));
	aa_secret_free(b64);
	return *next ? AA_OK : aa_oom(err);
}

/*
 * Writes go to the store; the `keyring` setting is read-only and read
 * first. When it holds an entry for domain (or an alias), the write does
 * not change the key in effect: say so, naming where it comes from.
 */
static void note_given(aa_keyring *kr, const char *domain, const char *what)
{
	const char *one[2];
	const char *const *names;
	aa_error ignored;

	if (!kr->given)
		return;
	names = aa_domain_aliases(domain, one);
	for (size_t i = 0; names[i]; i++) {
		char *b64 = NULL;
		aa_status rc;

		aa_error_clear(&ignored);
		rc = kr->given->get(kr->given, names[i], &b64, &ignored);
		aa_free_secret_str(b64);
		if (rc == AA_ERR_NOT_FOUND)
			continue;
		aa_reportf(report, kr, AA_REPORT_NOTICE,
			"note: the key for %s in %s (read-only) %s",
			names[i], kr->given->location, what);
		return;
	}
}

/* domain as spelled, then its aliases: the names a new key is written under. */
static void family_names(const char *domain, const char *out[FAMILY_MAX + 1])
{
	const char *one[2];
	const char *const *all = aa_domain_aliases(domain, one);
	size_t n = 0;

	out[n++] = domain;
	for (size_t i = 1; all[i] && n < FAMILY_MAX; i++)
		out[n++] = all[i];
	out[n] = NULL;
}

/*
 * Outside the file keyring (no transaction): give an alias entry that is
 * already stored the new key, keeping the rest of it. Absent is fine.
 */
static aa_status refresh_alias(aa_keyring *kr, const char *alias,
			       const char *key, aa_error *err)
{
	const char *name[2] = { alias, NULL };
	const char *hit;
	char *raw = NULL;
	aa_token_info *info = NULL;
	aa_secret *b64 = NULL;
	aa_status rc = get_raw(kr, kr->store, name, &raw, &hit, err);

	if (rc == AA_ERR_NOT_FOUND) {
		aa_error_clear(err);
		return AA_OK;
	}
	if (rc != AA_OK)
		return rc;
	rc = decode_into(raw, &info, err);
	aa_free_secret_str(raw);
	if (rc != AA_OK) { /* a damaged alias entry gets a fresh one */
		aa_error_clear(err);
		info = aa_token_info_new(alias);
		if (!info)
			return aa_oom(err);
	}
	rc = with_new_key(info, alias, key, &b64, err);
	aa_token_info_free(info);
	if (rc == AA_OK)
		rc = kr->store->set(kr->store, alias, aa_secret_str(b64), err);
	aa_secret_free(b64);
	return rc;
}

aa_status aa_keyring_store_api_key(aa_keyring *kr, const char *domain,
				   const char *key, aa_error *err)
{
	aa_error local;
	aa_token_info *info = NULL;
	aa_secret *b64 = NULL;
	const char *names[FAMILY_MAX + 1];
	aa_status rc;

	if (!err)
		err = &local; /* backends may write err directly */

	if (!kr || !domain || !*domain || !key || !*key)
		return aa_fail(err, AA_ERR_USAGE, "a domain and an API key are needed to store one");
	family_names(domain, names);
	if (aa_keyring_is_file(kr->store)) {
		struct key_edit e = { kr, domain, key, time(NULL) };

		/*
		 * One locked read-modify-write of the domain and every alias
		 * entry already there: a concurrent repo-token update is kept,
		 * and no older Python generation is left reading a stale key.
		 */
		rc = aa_keyring_file_edit_names(kr->store, names, replace_key, &e, err);
		if (rc == AA_OK) {
			note_stored(kr);
			note_given(kr, domain, "is used instead of the key just stored");
		}
		return rc;
	}
	rc = load_exact(kr, domain, &info, err);
	if (rc != AA_OK)
		return rc;
	rc = with_new_key(info, domain, key, &b64, err);
	aa_token_info_free(info);
	if (rc != AA_OK)
		return rc;
	rc = put_raw(kr, domain, aa_secret_str(b64), err);
	aa_secret_free(b64);
	for (size_t i = 1; names[i] && rc == AA_OK; i++)
		rc = refresh_alias(kr, names[i], key, err);
	if (rc == AA_OK)
		note_given(kr, domain, "is used instead of the key just stored");
	return rc;
}

aa_status aa_keyring_delete(aa_keyring *kr, const char *domain, aa_error *err)
{
	aa_error local;
	const char *one[2];
	const char *const *names;
	aa_status rc, frc = AA_OK;

	if (!err)
		err = &local; /* backends may write err directly */

	if (!kr || !domain || !*domain)
		return aa_fail(err, AA_ERR_USAGE, "no domain given to log out of");
	names = aa_domain_aliases(domain, one);
	/* The file behind a Secret Service may hold an older copy: clear both. */
	if (kr->fallback) {
		frc = kr->fallback->del(kr->fallback, names, NULL, err);
		if (frc != AA_OK)
			return frc;
	}
	rc = kr->store->del(kr->store, names, NULL, err);
	if (rc == AA_OK)
		note_given(kr, domain, "is still in effect; unset it to log out");
	return rc;
}

struct forget_edit {
	const char *key;
	int removed;
};

/*
 * An aa_keyring_edit_fn: the stored entry `current` with the key of the
 * forget_edit in ctx taken out: *next NULL to delete the entry, or the text
 * to keep (unchanged when the entry holds another key).
 */
static aa_status without_key(const char *current, char **next, void *ctx,
			     aa_error *err)
{
	struct forget_edit *e = ctx;
	aa_token_info *info = NULL;
	aa_secret *b64 = NULL;
	aa_status rc;

	*next = NULL;
	if (!current)
		return AA_OK;
	/* A damaged entry or another key is not ours to touch. */
	if (aa_token_info_decode(current, strlen(current), &info, NULL) != AA_OK ||
	    !info->api_key || !aa_secret_equal(info->api_key, e->key)) {
		aa_token_info_free(info);
		*next = strdup(current);
		return *next ? AA_OK : aa_oom(err);
	}
	e->removed++;
	if (info->n_repo_tokens == 0) {
		aa_token_info_free(info);
		return AA_OK;
	}
	aa_secret_free(info->api_key);
	info->api_key = NULL;
	rc = aa_token_info_encode(info, &b64, err);
	aa_token_info_free(info);
	if (rc != AA_OK)
		return rc;
	*next = strdup(aa_secret_str(b64));
	aa_secret_free(b64);
	return *next ? AA_OK : aa_oom(err);
}

/* Forget the key stored under exactly `name` in one backend. */
static aa_status forget_in(struct aa_keyring_backend *be, const char *name,
			   struct forget_edit *e, aa_error *err)
{
	const char *one[2] = { name, NULL };
	char *current = NULL, *next = NULL;
	aa_status rc;

	if (aa_keyring_is_file(be))
		return aa_keyring_file_edit(be, name, without_key, e, err);
	rc = be->get(be, name, &current, err);
	if (rc == AA_ERR_NOT_FOUND) {
		aa_error_clear(err);
		return AA_OK;
	}
	if (rc != AA_OK)
		return rc;
	rc = without_key(current, &next, e, err);
	if (rc == AA_OK && !next)
		rc = be->del(be, one, NULL, err);
	else if (rc == AA_OK && strcmp(next, current))
		rc = be->set(be, name, next, err);
	aa_free_secret_str(current);
	aa_free_secret_str(next);
	return rc;
}

aa_status aa_keyring_forget_api_key(aa_keyring *kr, const char *domain,
				    const char *key, int *removed,
				    aa_error *err)
{
	aa_error local;
	struct forget_edit e = { key, 0 };
	struct aa_keyring_backend *stores[2];
	const char *one[2];
	const char *const *names;
	aa_status rc = AA_OK;

	if (!err)
		err = &local; /* backends may write err directly */
	if (removed)
		*removed = 0;
	if (!kr || !domain || !*domain || !key || !*key)
		return aa_fail(err, AA_ERR_USAGE, "a domain and an API key are needed to remove a key");
	/* As in aa_keyring_delete: the file behind a Secret Service first. */
	stores[0] = kr->fallback;
	stores[1] = kr->store;
	names = aa_domain_aliases(domain, one);
	for (size_t i = 0; i < 2 && rc == AA_OK; i++)
		for (size_t j = 0; stores[i] && names[j] && rc == AA_OK; j++)
			rc = forget_in(stores[i], names[j], &e, err);
	if (removed)
		*removed = e.removed;
	return rc;
}

struct keep_edit {
	struct key_edit store; /* what to write when nothing valid is there */
	time_t now;
	int valid;  /* an entry looked at holds a valid key */
	int stored; /* the key was written */
	int undone; /* ... then taken back: an alias held a valid key */
};

/* Whether a stored entry holds an API key that has not expired at `now`. */
static int holds_valid_key(const char *current, time_t now)
{
	aa_token_info *info = NULL;
	int valid;

	/* A damaged entry holds nothing anyone can use. */
	if (!current ||
	    aa_token_info_decode(current, strlen(current), &info, NULL) != AA_OK)
		return 0;
	/* A key whose expiry cannot be read is one the person may be using. */
	valid = info->api_key &&
		aa_key_expiry(aa_secret_str(info->api_key), now, NULL) != AA_EXPIRY_EXPIRED;
	aa_token_info_free(info);
	return valid;
}

/*
 * An aa_keyring_edit_named_fn, run under the file lock over the domain
 * (always first) and each alias entry stored: the domain gets the key
 * unless it holds a valid one; an alias holding a valid key undoes that
 * (an error leaves the whole file as it was), so a login that wrote an
 * alias a moment ago is never shadowed by this key. Aliases are kept as
 * they are.
 */
static aa_status store_unless_any_valid(const char *name, const char *current,
					char **next, void *ctx, aa_error *err)
{
	struct keep_edit *e = ctx;
	aa_status rc;

	*next = NULL;
	if (holds_valid_key(current, e->now)) {
		e->valid = 1;
		if (e->stored) {
			e->stored = 0;
			e->undone = 1;
			return aa_fail(err, AA_ERR_STORAGE, "a valid key is stored under %s", name);
		}
	} else if (!e->valid && !strcasecmp(name, e->store.domain)) {
		rc = replace_key(name, current, next, &e->store, err);
		e->stored = rc == AA_OK;
		return rc;
	}
	if (!current)
		return AA_OK;
	*next = strdup(current);
	return *next ? AA_OK : aa_oom(err);
}

/* Whether one backend holds a valid key under exactly `name`. */
static aa_status valid_in(struct aa_keyring_backend *be, const char *name,
			  struct keep_edit *e, aa_error *err)
{
	char *current = NULL;
	aa_status rc = be->get(be, name, &current, err);

	if (rc == AA_ERR_NOT_FOUND) {
		aa_error_clear(err);
		return AA_OK;
	}
	if (rc != AA_OK)
		return rc; /* unreadable: never guess that nothing is there */
	if (holds_valid_key(current, e->now))
		e->valid = 1;
	aa_free_secret_str(current);
	return AA_OK;
}

aa_status aa_keyring_store_api_key_unless_valid(aa_keyring *kr,
						const char *domain,
						const char *key, time_t now,
						int *stored, aa_error *err)
{
	aa_error local;
	struct keep_edit e = { { kr, domain, key, now }, now, 0, 0, 0 };
	const char *one[2];
	const char *const *names;
	const char *family[FAMILY_MAX + 1];
	aa_status rc = AA_OK;

	if (!err)
		err = &local; /* backends may write err directly */
	if (stored)
		*stored = 0;
	if (!kr || !domain || !*domain || !key || !*key)
		return aa_fail(err, AA_ERR_USAGE, "a domain and an API key are needed to store one");
	/* The file behind a Secret Service: another place a valid key is read from. */
	names = aa_domain_aliases(domain, one);
	for (size_t j = 0; kr->fallback && names[j] && rc == AA_OK && !e.valid; j++)
		rc = valid_in(kr->fallback, names[j], &e, err);
	if (rc != AA_OK || e.valid)
		return rc;
	if (aa_keyring_is_file(kr->store)) {
		/*
		 * The domain and every alias looked at and the domain written in
		 * one locked pass: a login writing an alias meanwhile is either
		 * seen here or waits for the lock and replaces this key after.
		 */
		family_names(domain, family);
		rc = aa_keyring_file_edit_names(kr->store, family, store_unless_any_valid, &e, err);
		if (e.undone) {
			aa_error_clear(err);
			rc = AA_OK;
		}
		if (rc == AA_OK && e.stored)
			note_stored(kr);
	} else {
		/* Secret Service: read, compare, write (no lock spans its items). */
		for (size_t j = 0; names[j] && rc == AA_OK && !e.valid; j++)
			rc = valid_in(kr->store, names[j], &e, err);
		if (rc == AA_OK && !e.valid) {
			rc = aa_keyring_store_api_key(kr, domain, key, err);
			e.stored = rc == AA_OK;
		}
	}
	if (stored)
		*stored = e.stored;
	return rc;
}

struct entry_edit {
	const char *name;        /* the keyring name being edited */
	const char *location;    /* for messages */
	aa_keyring_update_fn fn;
	void *ctx;
};

/*
 * An aa_keyring_edit_fn: decode the stored entry (a new one when there is
 * none), let the caller's function change it, encode the result. A damaged
 * entry is reported, never replaced: it may hold a key the person needs.
 */
static aa_status edit_token_info(const char *current, char **next, void *ctx,
			    aa_error *err)
{
	struct entry_edit *e = ctx;
	aa_token_info *info = NULL;
	aa_secret *b64 = NULL;
	aa_status rc;
	int changed = 0;

	*next = NULL;
	if (current && aa_token_info_decode(current, strlen(current), &info, err) != AA_OK)
		return aa_fail(err, AA_ERR_STORAGE,
			       "the entry stored for %s in %s is damaged, so it was not changed; log in again",
			       e->name, e->location);
	if (!info && !(info = aa_token_info_new(e->name)))
		return aa_oom(err);
	rc = e->fn(info, e->ctx, &changed, err);
	if (rc == AA_OK && changed)
		rc = aa_token_info_encode(info, &b64, err);
	aa_token_info_free(info);
	if (rc != AA_OK || (!changed && !current))
		return rc;
	*next = strdup(changed ? aa_secret_str(b64) : current);
	aa_secret_free(b64);
	return *next ? AA_OK : aa_oom(err);
}

/* The name (domain or alias) that holds an entry in be; domain when none does. */
static const char *stored_name(struct aa_keyring_backend *be,
			       const char *const *names)
{
	for (size_t i = 0; names[i]; i++) {
		char *b64 = NULL;
		aa_error ignored;

		aa_error_clear(&ignored);
		if (be->get(be, names[i], &b64, &ignored) == AA_OK) {
			aa_free_secret_str(b64);
			return names[i];
		}
	}
	return names[0];
}

/* Without a lock to hold (the Secret Service): read, change, write. */
static aa_status update_unlocked(aa_keyring *kr, const char *const *names,
				 struct entry_edit *e, aa_error *err)
{
	struct aa_keyring_backend *be = kr->store;
	char *current = NULL, *next = NULL;
	const char *hit = names[0];
	aa_status rc;

	rc = get_raw(kr, be, names, &current, &hit, err);
	if (rc == AA_ERR_NOT_FOUND && kr->fallback) {
		be = kr->fallback;
		rc = get_raw(kr, be, names, &current, &hit, err);
	}
	if (rc != AA_OK && rc != AA_ERR_NOT_FOUND)
		return rc;
	aa_error_clear(err);
	e->name = hit;
	e->location = be->location ? be->location : be->name;
	rc = edit_token_info(current, &next, e, err);
	if (rc == AA_OK && next && (!current || strcmp(next, current)))
		rc = put_raw(kr, hit, next, err);
	aa_free_secret_str(current);
	aa_free_secret_str(next);
	return rc;
}

aa_status aa_keyring_update(aa_keyring *kr, const char *domain,
			    aa_keyring_update_fn fn, void *ctx, aa_error *err)
{
	aa_error local;
	struct entry_edit e = { NULL, NULL, fn, ctx };
	const char *one[2];
	const char *const *names;

	if (!err)
		err = &local; /* backends may write err directly */
	if (!kr || !domain || !*domain || !fn)
		return aa_fail(err, AA_ERR_USAGE, "no domain given to update");
	names = aa_domain_aliases(domain, one);
	if (!aa_keyring_is_file(kr->store))
		return update_unlocked(kr, names, &e, err);
	/* The name is chosen before the lock; its entry is read and written under it. */
	e.name = stored_name(kr->store, names);
	e.location = kr->store->location;
	return aa_keyring_file_edit(kr->store, e.name, edit_token_info, &e, err);
}

aa_status aa_keyring_list_domains(aa_keyring *kr, char ***domains,
				  aa_error *err)
{
	aa_error local;
	char **a = NULL, **b = NULL, **all;
	size_t na, nb, n;
	aa_status rc;

	if (!err)
		err = &local; /* backends may write err directly */

	*domains = NULL;
	if (!kr)
		return aa_fail(err, AA_ERR_USAGE, "no keyring");
	rc = kr->store->list(kr->store, &a, err);
	if (rc != AA_OK)
		return rc;
	if (!kr->fallback) {
		*domains = a;
		return AA_OK;
	}
	rc = kr->fallback->list(kr->fallback, &b, err);
	if (rc != AA_OK) {
		aa_strv_free(a);
		return rc;
	}
	na = aa_strv_len(a);
	nb = aa_strv_len(b);
	all = realloc(a, (na + nb + 1) * sizeof(*all));
	if (!all) {
		aa_strv_free(a);
		aa_strv_free(b);
		return aa_oom(err);
	}
	n = na;
	for (size_t i = 0; i < nb; i++) {
		if (aa_strv_has(all, n, b[i]))
			free(b[i]);
		else
			all[n++] = b[i];
	}
	all[n] = NULL;
	free(b);
	*domains = all;
	return AA_OK;
}

/* ---- the file format, for readers that opened the file themselves ---- */

aa_status aa_keyring_file_parse(const char *text, size_t len,
				const char *domain, aa_token_info **out,
				aa_error *err)
{
	struct json_object *doc = NULL, *svc = NULL, *val = NULL;
	const char *one[2], *why = NULL;
	const char *const *names;
	aa_status rc;

	*out = NULL;
	if (!text || !domain)
		return aa_fail(err, AA_ERR_USAGE, "nothing to parse");
	rc = aa_keyring_json_parse(text, len, &doc, &why);
	if (rc == AA_ERR_NOMEM)
		return aa_fail(err, rc, "out of memory");
	if (rc != AA_OK)
		return aa_fail(err, AA_ERR_PARSE, "the keyring file %s", why);
	json_object_object_get_ex(doc, AA_KEYRING_SERVICE, &svc);
	names = aa_domain_aliases(domain, one);
	for (size_t i = 0; svc && names[i] && !val; i++)
		json_object_object_get_ex(svc, names[i], &val);
	if (!val) {
		json_object_put(doc);
		return aa_fail(err, AA_ERR_NOT_FOUND, "no API key stored for %s",
			       domain);
	}
	rc = aa_token_info_decode(json_object_get_string(val),
				  (size_t)json_object_get_string_len(val), out,
				  err);
	json_object_put(doc);
	return rc == AA_OK ? AA_OK
			   : aa_fail(err, AA_ERR_PARSE,
				     "the key stored for %s is damaged; log in again",
				     domain);
}
