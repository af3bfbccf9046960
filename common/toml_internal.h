/* SPDX-License-Identifier: BSD-3-Clause */
/* toml_internal.h - the node layout and parser state shared by the toml_*.c files only. */
#ifndef AA_TOML_INTERNAL_H
#define AA_TOML_INTERNAL_H

#include <stdint.h>

#include "toml.h"

/* One table entry: its key (arena text, NUL-terminated) and value. */
struct aa_toml_kid {
	const char *key;
	size_t key_len;
	aa_toml_node *node;
};

struct aa_toml_node {
	aa_toml_type type;
	aa_toml_origin origin;    /* tables */
	unsigned char frozen;     /* inline table or static array: closed for good */
	unsigned char aot;        /* an array made by [[...]] */
	unsigned depth;           /* tables and arrays above it */
	unsigned section;         /* dotted tables: the section that made them */
	size_t stmt_before;       /* headers: where the statement before it ended
				     (comment lines between are real comments) */
	aa_toml_node *parent;
	aa_toml_where where;
	union {
		struct { char *p; size_t len; } s; /* strings and date-times */
		int64_t i;
		double f;
		int b;
		struct {
			struct aa_toml_kid *kids;
			size_t n, cap;
			uint32_t *index; /* open addressing, kid index + 1; big tables */
			size_t index_cap;
		} t;
		struct { aa_toml_node **items; size_t n, cap; } a;
	} u;
};

/* Memory of one document: blocks that are wiped and freed together. */
struct aa_toml_block {
	struct aa_toml_block *next;
	size_t used, cap;
	max_align_t data[];
};

/* A header section in document order (edits remove whole sections). */
struct aa_toml_section {
	aa_toml_node *table;
};

struct aa_toml {
	char *text;
	size_t len;
	aa_toml_node *root;
	struct aa_toml_block *blocks;
	struct aa_toml_section *sections;
	size_t nsections, sections_cap;
};

/* ---- arena and tree (toml_tree.c) ---------------------------------- */
AA_HIDDEN void *aa_toml_alloc(aa_toml *doc, size_t n);
AA_HIDDEN aa_toml_node *aa_toml_new_node(aa_toml *doc, aa_toml_type type);
/* 0, or -1 when out of memory. */
AA_HIDDEN int aa_toml_table_add(aa_toml *doc, aa_toml_node *table, const char *key,
				size_t key_len, aa_toml_node *value);
AA_HIDDEN int aa_toml_array_add(aa_toml *doc, aa_toml_node *array, aa_toml_node *value);
AA_HIDDEN aa_toml_node *aa_toml_find(const aa_toml_node *table, const char *key,
				     size_t key_len);

/* ---- lexing values (toml_lex.c) ------------------------------------ */

/* The cursor over the document and what the error line needs. */
struct aa_toml_parser {
	aa_toml *doc;
	const char *s;
	size_t len, pos;
	const char *filename;
	aa_error *err;
	int failed;
	unsigned section;  /* counts headers: dotted tables remember theirs */
	size_t stmt_end;   /* where the last key/value or header line ended */
	aa_toml_node *current;  /* the table key/value pairs go into */
	/* line counting is lazy: the line of line_off, moved forward on demand */
	size_t line_off, line_begin;
	unsigned line_no;
	/* a scratch buffer for decoded strings (grown, reused, wiped) */
	char *scratch;
	size_t scratch_cap;
};

/* Record an error at byte offset `at` ("FILE:LINE: ..."); returns AA_ERR_PARSE. */
AA_HIDDEN aa_status aa_toml_error(struct aa_toml_parser *p, size_t at,
				  const char *fmt, ...) AA_PRINTF(3, 4);
/* The 1-based line of offset `at` and the offset where that line begins. */
AA_HIDDEN unsigned aa_toml_line_at(struct aa_toml_parser *p, size_t at,
				   size_t *line_begin);

/* A string (basic, literal, multi-line) at p->pos; its decoded text goes into
 * the arena (*out, *out_len). Also used for quoted keys (multi_ok 0). */
AA_HIDDEN aa_status aa_toml_lex_string(struct aa_toml_parser *p, int multi_ok,
				       char **out, size_t *out_len);
/* A number, boolean or date-time at p->pos into node n (type set). */
AA_HIDDEN aa_status aa_toml_lex_scalar(struct aa_toml_parser *p, aa_toml_node *n);

/* 1 for A-Z a-z 0-9 _ - */
static inline int aa_toml_bare_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

#endif /* AA_TOML_INTERNAL_H */
