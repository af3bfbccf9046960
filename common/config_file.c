/* SPDX-License-Identifier: BSD-3-Clause */
/* config_file.c - build, search and free the config.toml data (config_file.h). */
#include <stdlib.h>
#include <string.h>

#include "config_file.h"

struct config_file *config_file_new(const char *path)
{
	struct config_file *f = calloc(1, sizeof(*f));

	if (f && !(f->path = strdup(path ? path : ""))) {
		free(f);
		return NULL;
	}
	return f;
}

int config_file_set_default_site(struct config_file *f, const char *name,
				 unsigned line)
{
	char *copy = strdup(name);

	if (!copy)
		return -1;
	free(f->default_site);
	f->default_site = copy;
	f->default_site_line = line;
	return 0;
}

struct config_site *config_file_add_site(struct config_file *f, const char *name,
					 unsigned line)
{
	struct config_site *v = realloc(f->sites, (f->n_sites + 1) * sizeof(*v));
	struct config_site *s;

	if (!v)
		return NULL;
	f->sites = v;
	s = &v[f->n_sites];
	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	if (!s->name)
		return NULL;
	s->table.line = line;
	f->n_sites++;
	return s;
}

int config_table_add(struct config_table *t, const char *key, const char *value,
		     unsigned line)
{
	struct config_entry *v = realloc(t->entries, (t->n + 1) * sizeof(*v));
	struct config_entry *e;

	if (!v)
		return -1;
	t->entries = v;
	e = &v[t->n];
	e->key = strdup(key);
	e->value = strdup(value);
	e->line = line;
	if (!e->key || !e->value) {
		free(e->key);
		aa_free_secret_str(e->value);
		return -1;
	}
	t->n++;
	return 0;
}

const struct config_entry *config_table_find(const struct config_table *t,
					     const char *key)
{
	for (size_t i = t->n; i-- > 0;) {
		if (strcmp(t->entries[i].key, key) == 0)
			return &t->entries[i];
	}
	return NULL;
}

static void table_free(struct config_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->entries[i].key);
		aa_free_secret_str(t->entries[i].value);
	}
	free(t->entries);
}

void config_file_free(struct config_file *f)
{
	if (!f)
		return;
	table_free(&f->plugin_auth);
	table_free(&f->plugin_cloud);
	for (size_t i = 0; i < f->n_sites; i++) {
		free(f->sites[i].name);
		table_free(&f->sites[i].table);
	}
	free(f->sites);
	free(f->default_site);
	free(f->path);
	free(f);
}
