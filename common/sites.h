/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sites.h - the [sites.*] tables of config.toml as `anaconda-auth sites`
 * changes them: 0.15's rules for add/modify/remove, every value checked by
 * the settings' own validators, edits through toml_edit.c (every byte the
 * command does not own stays), a masked diff, and a safe write (backup,
 * atomic replace, mode kept). Internal: front-ends link it statically.
 *
 * Files: sites_file.c (reading and writing the file), sites_edit.c (the
 * rules and the values).
 */
#ifndef AA_SITES_H
#define AA_SITES_H

#include <stddef.h>

#include "internal.h"
#include "util/aa_util.h"

/* How a value is written into config.toml. */
enum aa_site_kind {
	AA_SITE_TEXT, /* a TOML string */
	AA_SITE_BOOL, /* "true" / "false" */
	AA_SITE_JSON, /* a JSON object, written as a TOML inline table */
};

/* One value for a site, as a flag gave it. */
struct aa_site_value {
	const char *key;   /* the name config.toml uses: "ssl_verify" */
	const char *value; /* text, "true"/"false", or a JSON object; may be a secret */
	enum aa_site_kind kind;
	const char *flag;  /* "--ssl-verify": begins error messages */
};

/* The file as read, and the text being made. */
struct aa_sites;

/*
 * Read $ANACONDA_CONFIG_TOML or ~/.anaconda/config.toml (a missing file is
 * an empty one). Refused with one line: a symbolic link, not a regular
 * file, owned by another user, writable by others, too large (AA_ERR_STORAGE);
 * not valid TOML (AA_ERR_USAGE, "file:line: ...").
 */
AA_HIDDEN aa_status aa_sites_open(struct aa_sites **out, aa_error *err);
/* Wipes the texts (they may hold an API key); NULL is fine. */
AA_HIDDEN void aa_sites_free(struct aa_sites *s);

/* Whether a proxy_servers JSON text names a user (user@ or user:password@), '@' escaped or not. */
AA_HIDDEN int aa_sites_proxy_has_userinfo(const char *json);

/* The file's name for people ("~/.anaconda/config.toml"). */
AA_HIDDEN const char *aa_sites_shown(const struct aa_sites *s);
/* The configured sites as read, in document order. */
AA_HIDDEN size_t aa_sites_count(const struct aa_sites *s);
AA_HIDDEN const char *aa_sites_name(const struct aa_sites *s, size_t i);
/* Site i's domain, normalised (the default domain when it has none); malloc'd. */
AA_HIDDEN char *aa_sites_domain(const struct aa_sites *s, size_t i);
/* The default site as 0.15 finds it (default_site, else the first): its index, or -1. */
AA_HIDDEN long aa_sites_default(const struct aa_sites *s);
/* A site by NAME or DOMAIN as 0.15: *idx its index, -1 for the unconfigured default domain. */
AA_HIDDEN aa_status aa_sites_find(const struct aa_sites *s, const char *at, long *idx,
				  aa_error *err);

/*
 * The changes; each is checked first and nothing changes on an error.
 * add: a new [sites.NAME] (NAME: name, else the normalised domain, which
 * v must hold); refused when NAME exists (AA_ERR_GENERIC). The first site
 * becomes default_site, as does any with make_default. remove_anaconda_com
 * (0.15's default) drops a [sites."anaconda.com"]; without it an empty file
 * keeps anaconda.com as a site and the default, as 0.15 writes it.
 * modify: set v in the site `at` (a name or domain).
 * remove: refused for the only site; a default_site naming the removed
 * site moves to the first one left.
 */
AA_HIDDEN aa_status aa_sites_add(struct aa_sites *s, const char *name,
				 const struct aa_site_value *v, size_t n, int make_default,
				 int remove_anaconda_com, aa_error *err);
AA_HIDDEN aa_status aa_sites_modify(struct aa_sites *s, const char *at,
				    const struct aa_site_value *v, size_t n, int make_default,
				    aa_error *err);
AA_HIDDEN aa_status aa_sites_remove(struct aa_sites *s, const char *at, aa_error *err);

/* Lines worth telling the person about the change ("removed ..."), or NULL. */
AA_HIDDEN const char *aa_sites_notices(const struct aa_sites *s);
/* 1 when the new text differs from the file. */
AA_HIDDEN int aa_sites_changed(const struct aa_sites *s);
/* The change as a unified diff, values of api_key and keyring masked. */
AA_HIDDEN aa_status aa_sites_diff(const struct aa_sites *s, struct aa_kbuf *out,
				  aa_error *err);

/*
 * Write the new text: the directory is made 0700 when missing; under a lock
 * on it the file is read again and must be unchanged; the old file is
 * copied to config.backup.YYYYmmdd_HHMMSS_ffffff.toml (the 5 newest are
 * kept); then an atomic replace with the old file's mode (0600 for a new
 * one, and 0600 when an API key or keyring goes into a file others could
 * read), never through a symbolic link. Any failure leaves the file as it
 * was (AA_ERR_STORAGE).
 */
AA_HIDDEN aa_status aa_sites_write(struct aa_sites *s, aa_error *err);

/* ---- between sites_file.c and sites_edit.c ------------------------------- */

struct config_file;

struct aa_sites {
	char *path, *dir, *name, *shown;
	int exists;
	unsigned mode;             /* the file's permission bits */
	char *orig;                /* the file's bytes ("" when missing) */
	size_t orig_len;
	struct config_file *file;  /* what they say */
	char *text;                /* the new text */
	size_t len;
	int holds_secret;          /* the change writes an api_key or keyring */
	char *notices;
};

/* Append a line to s->notices; -1 when out of memory. */
AA_HIDDEN int aa_sites_notice(struct aa_sites *s, const char *line);

#endif /* AA_SITES_H */
