/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config_condarc.c - the few settings anaconda-auth 0.15 takes from conda's
 * .condarc (ssl_verify, proxy_servers, client_ssl_cert, client_ssl_cert_key),
 * read from the files conda reads for a person, with a small YAML subset:
 * top-level `key: scalar` lines and the one-level proxy_servers mapping.
 * Anything else in the files is not ours and is skipped without a word.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "config_engine.h"
#include "util/aa_util.h"

#define CONDARC_MAX_BYTES (256u * 1024u)

/* conda's name -> our setting's name. */
static const struct {
	const char *conda, *setting;
} names[] = {
	{ "ssl_verify", "ssl_verify" },
	{ "proxy_servers", "proxy_servers" },
	{ "client_ssl_cert", "client_cert" },
	{ "client_ssl_cert_key", "client_cert_key" },
};

/* One file being read. */
struct rc_file {
	aa_config *cfg;
	struct cfg_values *out;
	const char *shown;  /* "~/.condarc" */
	char *text;
	unsigned line;
};

/* Trim blanks at both ends, drop a " # comment" and one pair of quotes. */
static char *scalar(char *s)
{
	char *end, *hash;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '"' || *s == '\'') {
		end = strchr(s + 1, *s);
		if (end) {
			*end = '\0';
			return s + 1;
		}
	}
	hash = strstr(s, " #");
	if (hash)
		*hash = '\0';
	if (*s == '#')
		*s = '\0';
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* YAML 1.1 booleans as the text our setters take; other text as it is. */
static const char *yaml_value(const char *v)
{
	static const char *const yes[] = { "true", "yes", "on", NULL };
	static const char *const no[] = { "false", "no", "off", NULL };

	for (size_t k = 0; yes[k]; k++) {
		if (strcasecmp(v, yes[k]) == 0)
			return "true";
		if (strcasecmp(v, no[k]) == 0)
			return "false";
	}
	return v;
}

static aa_status condarc_put(struct rc_file *f, const char *setting, const char *value,
		     unsigned line, aa_error *err)
{
	int i = cfg_find(setting);
	struct cfg_value *slot;
	char *v, *o;

	if (i < 0)
		return AA_OK; /* a setting this build does not have yet */
	slot = &f->out->v[i][0];
	v = strdup(value);
	o = aa_asprintf("%s:%u", f->shown, line);
	if (!v || !o) {
		free(v);
		free(o);
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	aa_free_secret_str(slot->value);
	free(slot->origin);
	slot->value = v;
	slot->origin = o;
	return AA_OK;
}

/* The indented `scheme: url` lines after `proxy_servers:`, as a JSON object. */
static aa_status proxy_block(struct rc_file *f, char **next, unsigned line, aa_error *err)
{
	json_object *obj = json_object_new_object();
	char *p = *next, *eol, *colon;
	aa_status rc = AA_OK;

	if (!obj)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	while (p && (*p == ' ' || *p == '\t')) {
		eol = strchr(p, '\n');
		if (eol)
			*eol = '\0';
		colon = strchr(p, ':');
		if (colon && *scalar(p) && *scalar(colon + 1)) {
			*colon = '\0';
			json_object_object_add(obj, scalar(p), json_object_new_string(scalar(colon + 1)));
		}
		f->line++;
		p = eol ? eol + 1 : NULL;
	}
	*next = p;
	if (json_object_object_length(obj) > 0)
		rc = condarc_put(f, "proxy_servers",
			 json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN), line, err);
	json_object_put(obj);
	return rc;
}

/* The setting behind a top-level conda key, or NULL when it is not one of ours. */
static const char *our_setting(const char *key)
{
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		if (strcmp(key, names[k].conda) == 0)
			return names[k].setting;
	}
	return NULL;
}

static aa_status parse(struct rc_file *f, aa_error *err)
{
	char *p = f->text;
	aa_status rc = AA_OK;

	while (rc == AA_OK && p && *p) {
		char *start = p, *eol = strchr(p, '\n'), *colon, *value;
		const char *setting;
		unsigned line = ++f->line;

		if (eol)
			*eol = '\0';
		p = eol ? eol + 1 : NULL;
		/* Only top-level keys: an indented line belongs to another key. */
		colon = *start != ' ' && *start != '\t' && *start != '#' ? strchr(start, ':') : NULL;
		if (!colon)
			continue;
		*colon = '\0';
		setting = our_setting(scalar(start));
		value = scalar(colon + 1);
		if (!setting)
			continue;
		if (strcmp(setting, "proxy_servers") == 0 && !*value)
			rc = proxy_block(f, &p, line, err);
		else if (*value && strcmp(value, "~") != 0 && strcasecmp(value, "null") != 0 &&
			 *value != '{' && *value != '[')
			rc = condarc_put(f, setting, yaml_value(value), line, err);
	}
	return rc;
}

/*
 * Why a .condarc with these stat results is not read, or NULL: like ./.env,
 * a file someone else could change must not turn TLS checks off.
 */
static const char *condarc_distrust(const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		return "it is not a regular file";
	if (st->st_uid != getuid() && st->st_uid != 0)
		return "it belongs to another user";
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return "it is writable by other users";
	return NULL;
}

static aa_status read_one(aa_config *cfg, struct cfg_values *out, const char *path,
			  aa_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct rc_file f = { .cfg = cfg, .out = out };
	const char *why = NULL;
	struct stat st;
	char *shown;
	size_t len;
	aa_status rc;

	if (fd < 0)
		return AA_OK; /* conda skips a missing or unreadable file too */
	if (fstat(fd, &st) != 0 || (why = condarc_distrust(&st)) != NULL ||
	    aa_read_fd(fd, CONDARC_MAX_BYTES, &f.text, &len) != 0) {
		close(fd);
		shown = cfg_shown_path(path);
		rc = shown ? cfg_notice(cfg, err, "ignoring %s: %s", shown,
					why ? why : errno == EFBIG ? "it is larger than 256 KiB" :
					strerror(errno)) :
		     aa_fail(err, AA_ERR_NOMEM, "out of memory");
		free(shown);
		return rc;
	}
	close(fd);
	shown = cfg_shown_path(path);
	f.shown = shown;
	rc = shown ? parse(&f, err) : aa_fail(err, AA_ERR_NOMEM, "out of memory");
	free(f.text);
	free(shown);
	return rc;
}

aa_status cfg_read_condarc(aa_config *cfg, struct aa_config_state *st, aa_error *err)
{
	const char *home = secure_getenv("HOME"), *condarc = secure_getenv("CONDARC");
	/* Lowest first, as conda's search path: a later file wins. */
	const char *rel[] = { ".config/conda/.condarc", ".conda/.condarc", ".condarc" };
	aa_status rc;

	st->condarc = calloc(1, sizeof(*st->condarc));
	if (!st->condarc)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	rc = read_one(cfg, st->condarc, "/etc/conda/.condarc", err);
	for (size_t k = 0; rc == AA_OK && home && *home && k < sizeof(rel) / sizeof(rel[0]); k++) {
		char *path = aa_asprintf("%s/%s", home, rel[k]);

		rc = path ? read_one(cfg, st->condarc, path, err) :
		     aa_fail(err, AA_ERR_NOMEM, "out of memory");
		free(path);
	}
	if (rc == AA_OK && condarc && *condarc)
		rc = read_one(cfg, st->condarc, condarc, err);
	return rc;
}
