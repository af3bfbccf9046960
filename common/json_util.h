/*
 * json_util.h - the json-c parsing and wiping that several library files
 * share; separate from internal.h so only JSON users include json-c.
 */
#ifndef AA_JSON_UTIL_H
#define AA_JSON_UTIL_H

#include <stddef.h>

#include <json-c/json.h>

#include "internal.h"

/* Flags for aa_json_parse_object(). */
enum {
	/* RFC 8259 only (json-c's strict mode). */
	AA_JSON_STRICT = 1u << 0,
	/* Whitespace may follow the object; otherwise it must end at len. */
	AA_JSON_TRAILING_SPACE = 1u << 1,
	/* The text holds secrets: clear the tokener's buffer, and wipe the
	 * strings of a rejected document before freeing it. */
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

#endif
