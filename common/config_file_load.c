/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config_file_load.c - ~/.anaconda/config.toml (read by toml.c) turned into
 * struct config_file: the tables anaconda-auth 0.15 reads, values as text.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_file.h"
#include "toml.h"
#include "util/aa_util.h"

/* ---- values as the text the settings' setters take ---------------------- */

static void json_string(struct aa_kbuf *b, const char *s, size_t len)
{
	char esc[8];

	aa_kbuf_puts(b, "\"");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			aa_kbuf_put(b, esc, 2);
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			aa_kbuf_puts(b, esc);
		} else {
			aa_kbuf_put(b, (const char *)&s[i], 1);
		}
	}
	aa_kbuf_puts(b, "\"");
}

static void json_value(struct aa_kbuf *b, const aa_toml_node *n);

/* A table as a JSON object, an array as a JSON array (depth is bounded by the reader). */
static void json_container(struct aa_kbuf *b, const aa_toml_node *n, int is_table)
{
	size_t count = aa_toml_count(n);

	aa_kbuf_puts(b, is_table ? "{" : "[");
	for (size_t i = 0; i < count; i++) {
		const char *key = NULL;
		size_t key_len = 0;
		const aa_toml_node *item = aa_toml_at_len(n, i, &key, &key_len);

		if (i)
			aa_kbuf_puts(b, ",");
		if (is_table) {
			json_string(b, key, key_len);
			aa_kbuf_puts(b, ":");
		}
		json_value(b, item);
	}
	aa_kbuf_puts(b, is_table ? "}" : "]");
}

static void json_value(struct aa_kbuf *b, const aa_toml_node *n)
{
	char num[64];
	int64_t i;
	double d;
	int flag;
	size_t len;
	const char *s;

	switch (aa_toml_type_of(n)) {
	case AA_TOML_STRING:
		s = aa_toml_string(n, &len);
		json_string(b, s, len);
		return;
	case AA_TOML_INTEGER:
		aa_toml_integer(n, &i);
		snprintf(num, sizeof(num), "%" PRId64, i);
		aa_kbuf_puts(b, num);
		return;
	case AA_TOML_FLOAT:
		aa_toml_float(n, &d);
		snprintf(num, sizeof(num), "%.17g", d);
		aa_kbuf_puts(b, num);
		return;
	case AA_TOML_BOOL:
		aa_toml_bool(n, &flag);
		aa_kbuf_puts(b, flag ? "true" : "false");
		return;
	case AA_TOML_TABLE:
	case AA_TOML_ARRAY:
		json_container(b, n, aa_toml_type_of(n) == AA_TOML_TABLE);
		return;
	default: /* date-times: their text, as a string */
		s = aa_toml_datetime(n);
		json_string(b, s, strlen(s));
		return;
	}
}

/*
 * Scalars as aa_config_set takes them (strings as they are, so an api_key
 * is never re-quoted); tables and arrays as compact JSON. NULL: no memory.
 */
static char *value_text(const aa_toml_node *n)
{
	struct aa_kbuf b = { 0 };
	const char *s;
	char *out;

	s = aa_toml_string(n, NULL);
	if (!s)
		s = aa_toml_datetime(n);
	if (s)
		aa_kbuf_puts(&b, s); /* text as it is: never re-quoted */
	else
		json_value(&b, n); /* numbers, booleans, tables, arrays */
	if (b.oom) {
		aa_kbuf_free(&b);
		return NULL;
	}
	out = aa_strdup0(b.p ? b.p : "");
	aa_kbuf_free(&b);
	return out;
}

/* ---- tables ------------------------------------------------------------- */

/*
 * A key or text value holding U+0000 would be cut short in C: "domain\u0000x"
 * would be read as domain (0.15 reads another key), "w\u0000" as site w.
 */
static aa_status nul_refused(const char *shown, const aa_toml_node *n, const char *key,
			     size_t key_len, aa_error *err)
{
	size_t len = 0;
	const char *s = aa_toml_string(n, &len);

	if (strlen(key) == key_len && (!s || strlen(s) == len))
		return AA_OK;
	return aa_fail(err, AA_ERR_USAGE, "%s:%u: %s holds U+0000 (\\u0000); remove it",
		       shown, aa_toml_line(n), strlen(key) == key_len ? key : "a key");
}

static aa_status add_entries(struct config_table *t, const aa_toml_node *table,
			     const char *shown, aa_error *err)
{
	size_t count = aa_toml_count(table);

	t->line = aa_toml_line(table);
	for (size_t i = 0; i < count; i++) {
		const char *key = NULL;
		size_t key_len = 0;
		const aa_toml_node *v = aa_toml_at_len(table, i, &key, &key_len);
		char *text;
		int rc;

		if (nul_refused(shown, v, key, key_len, err) != AA_OK)
			return AA_ERR_USAGE;
		text = value_text(v);
		if (!text)
			return aa_fail(err, AA_ERR_NOMEM, "out of memory");
		rc = config_table_add(t, key, text, aa_toml_line(v));
		aa_free_secret_str(text);
		if (rc != 0)
			return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	return AA_OK;
}

static aa_status not_a_table(const char *shown, const aa_toml_node *n, const char *what,
			     aa_error *err)
{
	return aa_fail(err, AA_ERR_USAGE, "%s:%u: %s must be a table, not a %s", shown,
		       aa_toml_line(n), what, aa_toml_type_name(aa_toml_type_of(n)));
}

static aa_status read_plugins(struct config_file *f, const aa_toml_node *root,
			      const char *shown, aa_error *err)
{
	const aa_toml_node *plugin = aa_toml_get(root, "plugin");
	const aa_toml_node *t;
	aa_status rc = AA_OK;

	if (!plugin)
		return AA_OK;
	if (aa_toml_type_of(plugin) != AA_TOML_TABLE)
		return not_a_table(shown, plugin, "plugin", err);
	if ((t = aa_toml_get(plugin, "auth")) != NULL)
		rc = aa_toml_type_of(t) == AA_TOML_TABLE ? add_entries(&f->plugin_auth, t, shown, err) :
			not_a_table(shown, t, "plugin.auth", err);
	if (rc == AA_OK && (t = aa_toml_get(plugin, "cloud")) != NULL)
		rc = aa_toml_type_of(t) == AA_TOML_TABLE ? add_entries(&f->plugin_cloud, t, shown, err) :
			not_a_table(shown, t, "plugin.cloud", err);
	return rc;
}

static aa_status read_sites(struct config_file *f, const aa_toml_node *root,
			    const char *shown, aa_error *err)
{
	const aa_toml_node *sites = aa_toml_get(root, "sites");
	size_t count = aa_toml_count(sites);
	aa_status rc = AA_OK;

	if (sites && aa_toml_type_of(sites) != AA_TOML_TABLE)
		return not_a_table(shown, sites, "sites", err);
	for (size_t i = 0; rc == AA_OK && i < count; i++) {
		const char *name = NULL;
		size_t name_len = 0;
		const aa_toml_node *site = aa_toml_at_len(sites, i, &name, &name_len);
		struct config_site *s;

		if (aa_toml_type_of(site) != AA_TOML_TABLE)
			return not_a_table(shown, site, "each entry of sites", err);
		if (nul_refused(shown, site, name, name_len, err) != AA_OK)
			return AA_ERR_USAGE;
		s = config_file_add_site(f, name, aa_toml_line(site));
		rc = s ? add_entries(&s->table, site, shown, err) :
			aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	return rc;
}

static aa_status read_default_site(struct config_file *f, const aa_toml_node *root,
				   const char *shown, aa_error *err)
{
	const aa_toml_node *d = aa_toml_get(root, "default_site");
	const char *name;

	if (!d)
		return AA_OK;
	name = aa_toml_string(d, NULL);
	if (!name)
		return aa_fail(err, AA_ERR_USAGE, "%s:%u: default_site must be a string, not a %s",
			       shown, aa_toml_line(d), aa_toml_type_name(aa_toml_type_of(d)));
	if (config_file_set_default_site(f, name, aa_toml_line(d)) != 0)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	return AA_OK;
}

/* The tables of a parsed document into a new struct config_file. */
static aa_status from_doc(const aa_toml *doc, const char *path, const char *shown,
			  struct config_file **out, aa_error *err)
{
	const aa_toml_node *root = aa_toml_root(doc);
	struct config_file *f = config_file_new(path);
	aa_status rc;

	if (!f)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	rc = read_default_site(f, root, shown, err);
	if (rc == AA_OK)
		rc = read_plugins(f, root, shown, err);
	if (rc == AA_OK)
		rc = read_sites(f, root, shown, err);
	if (rc != AA_OK) {
		config_file_free(f);
		return rc;
	}
	*out = f;
	return AA_OK;
}

/* A bad settings file is exit 2. */
static aa_status usage_if_parse(aa_status rc, aa_error *err)
{
	if (rc == AA_ERR_PARSE) {
		rc = AA_ERR_USAGE;
		if (err)
			err->code = rc;
	}
	return rc;
}

aa_status config_file_parse(const char *text, size_t len, const char *path,
			    const char *shown, struct config_file **out, aa_error *err)
{
	aa_toml *doc = NULL;
	aa_status rc;

	*out = NULL;
	rc = usage_if_parse(aa_toml_parse(text, len, shown ? shown : path, &doc, err), err);
	if (rc == AA_OK)
		rc = from_doc(doc, path, shown ? shown : path, out, err);
	aa_toml_free(doc);
	return rc;
}

/*
 * Why a config.toml with these stat results is not read, or NULL: like
 * .condarc, a file someone else could change must not pick the domain, the
 * proxy or the TLS checks the person's key goes through.
 */
static const char *config_distrust(const struct stat *st)
{
	if (st->st_uid != getuid() && st->st_uid != 0)
		return "it belongs to another user";
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return "it is writable by other users";
	return NULL;
}

/* The parsed file, read through one descriptor that was checked first. */
static aa_status load_trusted(const char *path, aa_toml **doc, aa_error *err)
{
	/* O_NONBLOCK: a FIFO put there must not hang the program; refused by the reader */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	const char *why = NULL;
	struct stat st;
	aa_status rc;

	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
		return AA_ERR_NOT_FOUND;
	if (fd < 0)
		return aa_toml_load_file(path, path, doc, err); /* its own message */
	if (fstat(fd, &st) == 0 && (why = config_distrust(&st)) != NULL)
		rc = aa_fail(err, AA_ERR_USAGE,
			     "%s: not read, %s (it could choose where your key goes); "
			     "chown it to yourself and chmod go-w it", path, why);
	else
		rc = aa_toml_load_fd(fd, path, doc, err);
	close(fd);
	return rc;
}

aa_status config_file_load(const char *path, struct config_file **out, aa_error *err)
{
	aa_toml *doc = NULL;
	aa_status rc;

	*out = NULL;
	/* The usual case, no file, is one failed open and nothing loaded. */
	rc = load_trusted(path, &doc, err);
	if (rc == AA_ERR_NOT_FOUND) {
		aa_error_clear(err);
		return AA_OK;
	}
	rc = usage_if_parse(rc, err);
	if (rc == AA_OK)
		rc = from_doc(doc, path, path, out, err);
	aa_toml_free(doc);
	return rc;
}
