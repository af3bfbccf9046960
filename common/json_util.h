/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * json_util.h - the json-c parsing and wiping that several library files
 * share; separate from internal.h so only JSON users include json-c.
 */
#ifndef AA_JSON_UTIL_H
#define AA_JSON_UTIL_H

#include <stddef.h>

#include <json-c/json.h>

#include "internal.h"
#include "util/aa_util.h"

/* Flags for aa_json_parse_object(). */
enum {
	/* RFC 8259 only (json-c's strict mode). */
	AA_JSON_STRICT = 1u << 0,
	/* Whitespace may follow the object; otherwise it must end at len. */
	AA_JSON_TRAILING_SPACE = 1u << 1,
	/* The text holds secrets: the tokener's buffer never reallocs and is
	 * cleared, a rejected document is wiped before it is freed, and the
	 * returned one wipes itself when freed (aa_json_wipe_on_free). */
	AA_JSON_SECRET = 1u << 2,
};

/* Parse len bytes of text as one JSON object nested at most max_depth
 * deep; NULL for anything else (or no memory). */
AA_HIDDEN json_object *aa_json_parse_object(const char *text, size_t len,
					    int max_depth, unsigned flags);

/* Overwrite every string in the tree: json-c frees them without clearing. */
AA_HIDDEN void aa_json_wipe_strings(json_object *o);

/* aa_json_wipe_strings() then json_object_put(); NULL is fine. */
AA_HIDDEN void aa_json_put_wiped(json_object *doc);

/*
 * Make every string now in doc wipe itself when json-c frees it (also when
 * an entry is deleted or replaced), and doc wipe every string it then holds
 * (also ones added later) when it is freed: a plain json_object_put() of
 * such a document leaves no secret behind. Uses json-c's userdata slot.
 */
AA_HIDDEN void aa_json_wipe_on_free(json_object *doc);

/*
 * A tokener for len bytes of secret text: its scratch buffer is grown to
 * hold the whole text before parsing, so json-c never reallocs it (which
 * would free a copy of the last string read). NULL when out of memory.
 */
AA_HIDDEN json_tokener *aa_json_tokener_new_secret(int max_depth, size_t len);

/* Clear the tokener's scratch buffer, then free it; NULL is fine. */
AA_HIDDEN void aa_json_tokener_free_wiped(json_tokener *tok);

/* The secret-safe text buffer struct aa_kbuf lives in util/aa_util.h. */
/* The JSON string literal for n bytes of s. ascii: escape everything outside
 * printable ASCII as \uXXXX (Python's ensure_ascii); otherwise only what
 * JSON requires, with UTF-8 kept as it is (pydantic, json-c). */
AA_HIDDEN void aa_kbuf_put_string(struct aa_kbuf *b, const char *s, size_t n,
				  int ascii);

#endif
