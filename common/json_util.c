/*
 * json_util.c - strict, bounded parsing of JSON objects and wiping of
 * json-c documents that held secrets, shared by the library's JSON readers.
 */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>

#include "json_util.h"

void aa_json_wipe_strings(json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_string:
		/* json-c has no wiping free; the buffer is ours to clear before the put */
		aa_memzero((char *)(uintptr_t)json_object_get_string(o),
			   (size_t)json_object_get_string_len(o));
		break;
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(o); i++)
			aa_json_wipe_strings(json_object_array_get_idx(o, i));
		break;
	case json_type_object: {
		json_object_object_foreach(o, key, val) {
			(void)key;
			aa_json_wipe_strings(val);
		}
		break;
	}
	default:
		break;
	}
}

void aa_json_put_wiped(json_object *doc)
{
	if (!doc)
		return;
	aa_json_wipe_strings(doc);
	json_object_put(doc);
}

static int only_space(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Whether the tokener stopped at an accepted end of the text. */
static int ends_well(const char *text, size_t len, size_t end, unsigned flags)
{
	if (end == len)
		return 1;
	return end < len && (flags & AA_JSON_TRAILING_SPACE) &&
	       only_space(text + end, len - end);
}

json_object *aa_json_parse_object(const char *text, size_t len, int max_depth,
				  unsigned flags)
{
	json_tokener *tok;
	json_object *obj;

	if (!text || len > INT_MAX)
		return NULL;
	tok = json_tokener_new_ex(max_depth);
	if (!tok)
		return NULL;
	if (flags & AA_JSON_STRICT)
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, text, (int)len);
	/* NULL also when the text ended early: a cut-off document is not JSON */
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    !ends_well(text, len, json_tokener_get_parse_end(tok), flags) ||
	    !json_object_is_type(obj, json_type_object)) {
		if (flags & AA_JSON_SECRET)
			aa_json_wipe_strings(obj);
		json_object_put(obj);
		obj = NULL;
	}
	/* The tokener's scratch buffer still holds the last string it read. */
	if ((flags & AA_JSON_SECRET) && tok->pb && tok->pb->buf)
		aa_memzero(tok->pb->buf, (size_t)tok->pb->size);
	json_tokener_free(tok);
	return obj;
}
