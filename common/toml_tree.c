/* SPDX-License-Identifier: BSD-3-Clause */
/* toml_tree.c - the parsed TOML document: its memory, tables, lookups and accessors. */
#include <stdlib.h>
#include <string.h>

#include "toml_internal.h"

#define BLOCK_FIRST 4096u
#define BLOCK_MAX (64u * 1024u)
/* Tables with more entries than this get a hash index (big hostile files). */
#define INDEX_FROM 8u

/* ---- memory: one arena per document, wiped as a whole ---------------- */

void *aa_toml_alloc(aa_toml *doc, size_t n)
{
	struct aa_toml_block *b = doc->blocks;
	size_t align = sizeof(max_align_t), cap;

	n = (n + align - 1) / align * align;
	if (n == 0)
		n = align;
	if (!b || b->cap - b->used < n) {
		cap = b ? b->cap * 2 : BLOCK_FIRST;
		if (cap > BLOCK_MAX)
			cap = BLOCK_MAX;
		if (cap < n)
			cap = n;
		b = calloc(1, sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->cap = cap;
		b->next = doc->blocks;
		doc->blocks = b;
	}
	b->used += n;
	return (char *)b->data + (b->used - n);
}

aa_toml_node *aa_toml_new_node(aa_toml *doc, aa_toml_type type)
{
	aa_toml_node *n = aa_toml_alloc(doc, sizeof(*n));

	if (n)
		n->type = type; /* the arena's memory is zeroed */
	return n;
}

void aa_toml_free(aa_toml *doc)
{
	struct aa_toml_block *b, *next;

	if (!doc)
		return;
	for (b = doc->blocks; b; b = next) {
		next = b->next;
		aa_memzero(b->data, b->used); /* string values may be API keys */
		free(b);
	}
	if (doc->text) {
		aa_memzero(doc->text, doc->len);
		free(doc->text);
	}
	free(doc->sections);
	free(doc);
}

/* ---- tables ---------------------------------------------------------- */

/* FNV-1a: small, no state, good enough for keys of a config file. */
static uint32_t key_hash(const char *key, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 16777619u;
	}
	return h;
}

static int kid_is(const struct aa_toml_kid *k, const char *key, size_t len)
{
	return k->key_len == len && memcmp(k->key, key, len) == 0;
}

static void index_put(uint32_t *index, size_t cap, const struct aa_toml_kid *kids,
		      size_t i)
{
	size_t slot = key_hash(kids[i].key, kids[i].key_len) & (cap - 1);

	while (index[slot])
		slot = (slot + 1) & (cap - 1);
	index[slot] = (uint32_t)(i + 1);
}

/* Keep the index at most half full; the old one stays in the arena. */
static int index_update(aa_toml *doc, aa_toml_node *t)
{
	size_t n = t->u.t.n, cap = t->u.t.index_cap;

	if (n <= INDEX_FROM)
		return 0;
	if (cap >= 2 * n) {
		index_put(t->u.t.index, cap, t->u.t.kids, n - 1);
		return 0;
	}
	cap = cap ? cap * 2 : 64;
	while (cap < 2 * n)
		cap *= 2;
	t->u.t.index = aa_toml_alloc(doc, cap * sizeof(uint32_t));
	if (!t->u.t.index)
		return -1;
	t->u.t.index_cap = cap;
	for (size_t i = 0; i < n; i++)
		index_put(t->u.t.index, cap, t->u.t.kids, i);
	return 0;
}

aa_toml_node *aa_toml_find(const aa_toml_node *t, const char *key, size_t len)
{
	size_t slot, cap;

	if (!t || t->type != AA_TOML_TABLE)
		return NULL;
	cap = t->u.t.index_cap;
	if (!cap) {
		for (size_t i = 0; i < t->u.t.n; i++)
			if (kid_is(&t->u.t.kids[i], key, len))
				return t->u.t.kids[i].node;
		return NULL;
	}
	for (slot = key_hash(key, len) & (cap - 1); t->u.t.index[slot];
	     slot = (slot + 1) & (cap - 1)) {
		const struct aa_toml_kid *k = &t->u.t.kids[t->u.t.index[slot] - 1];

		if (kid_is(k, key, len))
			return k->node;
	}
	return NULL;
}

/* Room for one more element of `size` bytes in *items (doubling, in the arena). */
static int grow(aa_toml *doc, void **items, size_t n, size_t *cap, size_t size)
{
	void *bigger;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 4;
	bigger = aa_toml_alloc(doc, ncap * size);
	if (!bigger)
		return -1;
	if (n)
		memcpy(bigger, *items, n * size);
	*items = bigger;
	*cap = ncap;
	return 0;
}

int aa_toml_table_add(aa_toml *doc, aa_toml_node *t, const char *key, size_t key_len,
		      aa_toml_node *value)
{
	void *kids = t->u.t.kids;

	if (t->u.t.n >= UINT32_MAX - 1 ||
	    grow(doc, &kids, t->u.t.n, &t->u.t.cap, sizeof(struct aa_toml_kid)) < 0)
		return -1;
	t->u.t.kids = kids;
	t->u.t.kids[t->u.t.n].key = key;
	t->u.t.kids[t->u.t.n].key_len = key_len;
	t->u.t.kids[t->u.t.n].node = value;
	t->u.t.n++;
	value->parent = t;
	return index_update(doc, t);
}

int aa_toml_array_add(aa_toml *doc, aa_toml_node *a, aa_toml_node *value)
{
	void *items = a->u.a.items;

	if (grow(doc, &items, a->u.a.n, &a->u.a.cap, sizeof(aa_toml_node *)) < 0)
		return -1;
	a->u.a.items = items;
	a->u.a.items[a->u.a.n++] = value;
	value->parent = a;
	return 0;
}

/* ---- accessors ------------------------------------------------------- */

const aa_toml_node *aa_toml_root(const aa_toml *doc)
{
	return doc ? doc->root : NULL;
}

const char *aa_toml_text(const aa_toml *doc, size_t *len)
{
	if (len)
		*len = doc ? doc->len : 0;
	return doc ? doc->text : NULL;
}

aa_toml_type aa_toml_type_of(const aa_toml_node *n)
{
	return n ? n->type : AA_TOML_TABLE;
}

const char *aa_toml_type_name(aa_toml_type t)
{
	static const char *const names[] = {
		"string", "integer", "float", "boolean", "offset date-time",
		"local date-time", "local date", "local time", "array", "table",
	};

	return (size_t)t < sizeof(names) / sizeof(names[0]) ? names[t] : "value";
}

size_t aa_toml_count(const aa_toml_node *n)
{
	if (!n)
		return 0;
	if (n->type == AA_TOML_TABLE)
		return n->u.t.n;
	if (n->type == AA_TOML_ARRAY)
		return n->u.a.n;
	return 0;
}

const aa_toml_node *aa_toml_at_len(const aa_toml_node *n, size_t i, const char **key,
				   size_t *key_len)
{
	if (key)
		*key = NULL;
	if (key_len)
		*key_len = 0;
	if (!n || i >= aa_toml_count(n))
		return NULL;
	if (n->type == AA_TOML_ARRAY)
		return n->u.a.items[i];
	if (key)
		*key = n->u.t.kids[i].key;
	if (key_len)
		*key_len = n->u.t.kids[i].key_len;
	return n->u.t.kids[i].node;
}

const aa_toml_node *aa_toml_at(const aa_toml_node *n, size_t i, const char **key)
{
	return aa_toml_at_len(n, i, key, NULL);
}

const aa_toml_node *aa_toml_get(const aa_toml_node *t, const char *key)
{
	return key ? aa_toml_find(t, key, strlen(key)) : NULL;
}

const aa_toml_node *aa_toml_get_path(const aa_toml_node *t, const char *const *path,
				     size_t n)
{
	for (size_t i = 0; t && i < n; i++)
		t = aa_toml_get(t, path[i]);
	return t;
}

const char *aa_toml_string(const aa_toml_node *n, size_t *len)
{
	if (!n || n->type != AA_TOML_STRING)
		return NULL;
	if (len)
		*len = n->u.s.len;
	return n->u.s.p;
}

int aa_toml_bool(const aa_toml_node *n, int *out)
{
	if (!n || n->type != AA_TOML_BOOL)
		return 0;
	*out = n->u.b;
	return 1;
}

int aa_toml_integer(const aa_toml_node *n, int64_t *out)
{
	if (!n || n->type != AA_TOML_INTEGER)
		return 0;
	*out = n->u.i;
	return 1;
}

int aa_toml_float(const aa_toml_node *n, double *out)
{
	if (!n || n->type != AA_TOML_FLOAT)
		return 0;
	*out = n->u.f;
	return 1;
}

const char *aa_toml_datetime(const aa_toml_node *n)
{
	if (!n || n->type < AA_TOML_OFFSET_DATETIME || n->type > AA_TOML_LOCAL_TIME)
		return NULL;
	return n->u.s.p;
}

unsigned aa_toml_line(const aa_toml_node *n)
{
	return n ? n->where.line : 0;
}

aa_toml_where aa_toml_where_of(const aa_toml_node *n)
{
	aa_toml_where none = { 0 };

	return n ? n->where : none;
}
