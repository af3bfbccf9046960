/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * keyring_backend.h - the interface every key store implements (env, file,
 * and the dlopen'ed Secret Service module): raw base64 values by domain.
 *
 * Module ABI (anaconda-auth-secret.so, loaded by keyring_system.c):
 *
 *   aa_status aa_secret_backend_open(const aa_config *cfg,
 *                                    struct aa_keyring_backend **out,
 *                                    aa_error *err);
 *
 * The module fills a struct whose first member `abi` is
 * AA_KEYRING_BACKEND_ABI, and returns AA_OK; or it returns an error
 * (AA_ERR_UNSUPPORTED / AA_ERR_STORAGE when no Secret Service is
 * reachable) with err->message set, and the host falls back to the file.
 * The ABI uses only plain C types, malloc/free and the public structs
 * aa_config and aa_error, because a program that links libanaconda-auth
 * statically does not export aa_* symbols to modules: a module must not
 * call library functions (write err->code / err->message itself).
 * Strings the module returns are malloc'd; the host wipes and free()s them.
 * The host never passes a NULL err.
 * The host sets `report`/`report_ctx` after open and before any call.
 */
#ifndef AA_KEYRING_BACKEND_H
#define AA_KEYRING_BACKEND_H

#include "internal.h"

#define AA_KEYRING_BACKEND_ABI 1u

/* Levels for aa_keyring_backend.report. */
enum {
	AA_REPORT_LOG = 0,    /* diagnostics for the log callback only      */
	AA_REPORT_NOTICE = 1, /* also kept for aa_keyring_notice()          */
};

struct aa_keyring_backend {
	unsigned abi;           /* AA_KEYRING_BACKEND_ABI                    */
	const char *name;       /* "env", "file" or "system"                 */
	const char *location;   /* path, collection or variable; may be NULL */
	int writable;           /* 0: set/del answer AA_ERR_READONLY         */

	/* The base64 TokenInfo stored under exactly `domain`, malloc'd in
	 * *b64_out; AA_ERR_NOT_FOUND when there is none. */
	aa_status (*get)(struct aa_keyring_backend *be, const char *domain,
			 char **b64_out, aa_error *err);
	/* Store b64 under domain, replacing any value. */
	aa_status (*set)(struct aa_keyring_backend *be, const char *domain,
			 const char *b64, aa_error *err);
	/* Remove every listed domain (NULL-terminated) in one step; absent
	 * ones are fine. *removed (may be NULL) gets how many were there. */
	aa_status (*del)(struct aa_keyring_backend *be,
			 const char *const *domains, int *removed,
			 aa_error *err);
	/* Domains that have an entry: malloc'd, NULL-terminated vector of
	 * malloc'd strings. */
	aa_status (*list)(struct aa_keyring_backend *be, char ***domains,
			  aa_error *err);
	/* Release everything, including the struct. */
	void (*close)(struct aa_keyring_backend *be);

	/* Set by the host: how a backend says something (never a secret). */
	void (*report)(void *ctx, int level, const char *line);
	void *report_ctx;
};

/* The symbol a Secret Service module exports. */
typedef aa_status (*aa_secret_backend_open_fn)(const aa_config *cfg,
					       struct aa_keyring_backend **out,
					       aa_error *err);
#define AA_SECRET_BACKEND_SYMBOL "aa_secret_backend_open"
#define AA_SECRET_MODULE_NAME "anaconda-auth-secret.so"
#define AA_SECRET_MODULE_ENV "ANACONDA_AUTH_SECRET_MODULE"

/* Lock wait for file writes: ANACONDA_AUTH_LOCK_TIMEOUT (seconds) or 10 s. */
#define AA_LOCK_TIMEOUT_ENV "ANACONDA_AUTH_LOCK_TIMEOUT"
#define AA_LOCK_TIMEOUT_DEFAULT_MS 10000L

/* Backends built into the library. */
AA_HIDDEN aa_status aa_keyring_env_open(const aa_config *cfg,
					struct aa_keyring_backend **out,
					aa_error *err);
/*
 * The `keyring` setting (cfg->keyring_inline) as a read-only backend named
 * "inline", located at the setting's source. A value that is not a keyring
 * is AA_ERR_USAGE with one line naming the source.
 */
AA_HIDDEN aa_status aa_keyring_inline_open(const aa_config *cfg,
					   struct aa_keyring_backend **out,
					   aa_error *err);
/*
 * Check the text of the `keyring` setting: at most 1 MiB of JSON shaped
 * like the keyring file ({service: {domain: text}} for every service).
 * AA_ERR_PARSE sets *why to a phrase such as "is not valid JSON". The
 * document wipes its strings when freed.
 */
struct json_object;
AA_HIDDEN aa_status aa_keyring_inline_parse(const char *text, size_t len,
					    struct json_object **doc,
					    const char **why);
AA_HIDDEN aa_status aa_keyring_file_backend_open(const char *path,
						 struct aa_keyring_backend **out,
						 aa_error *err);
/*
 * Read-modify-write one entry of a file backend under its lock, so a
 * concurrent writer cannot slip in between: fn gets the current value
 * (NULL when there is none) and returns the new one, malloc'd, in *next.
 * A NULL *next removes the entry; a value equal to the current one writes
 * nothing.
 */
typedef aa_status (*aa_keyring_edit_fn)(const char *current, char **next,
					 void *ctx, aa_error *err);
AA_HIDDEN int aa_keyring_is_file(const struct aa_keyring_backend *be);
AA_HIDDEN aa_status aa_keyring_file_edit(struct aa_keyring_backend *be,
					 const char *domain,
					 aa_keyring_edit_fn fn, void *ctx,
					 aa_error *err);
/*
 * aa_keyring_file_edit over several names under one lock, as one write:
 * names[0] is always edited (created when absent), each later name only
 * when it already has an entry. fn is told which name it edits. An error
 * from any call leaves the whole file as it was.
 */
typedef aa_status (*aa_keyring_edit_named_fn)(const char *name,
					       const char *current, char **next,
					       void *ctx, aa_error *err);
AA_HIDDEN aa_status aa_keyring_file_edit_names(struct aa_keyring_backend *be,
					       const char *const *names,
					       aa_keyring_edit_named_fn fn,
					       void *ctx, aa_error *err);
/* Override the lock wait of a file backend (tests; ms >= 0). */
AA_HIDDEN void aa_keyring_file_set_lock_timeout(struct aa_keyring_backend *be,
						long ms);

/*
 * Load the Secret Service module and open it. On AA_OK *handle holds the
 * dlopen handle to dlclose after be->close(). Any failure (no module, no
 * symbol, no Secret Service) is an error the caller reports and survives.
 * AA_ERR_DENIED: the session bus is not the caller's own (see
 * session_bus.h); the message says whose, for the person to read.
 */
AA_HIDDEN aa_status aa_keyring_system_open(const aa_config *cfg,
					   struct aa_keyring_backend **out,
					   void **handle, aa_error *err);

/* Tests only: open the system store with fn instead of the module (NULL undoes). */
AA_HIDDEN void aa_keyring_system_set_opener(aa_secret_backend_open_fn fn);

/*
 * Parse keyring-file text into its JSON object and check the shape
 * ({service: {domain: text}} for our service; empty text is {}).
 * AA_ERR_PARSE sets *why to a phrase such as "is not valid JSON".
 * The document wipes its strings when freed (they are keys).
 * Used by the file backend and aa_keyring_file_parse().
 */
struct json_object;
AA_HIDDEN aa_status aa_keyring_json_parse(const char *text, size_t len,
					  struct json_object **doc,
					  const char **why);

#endif /* AA_KEYRING_BACKEND_H */
