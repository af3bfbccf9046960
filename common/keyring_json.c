/* SPDX-License-Identifier: BSD-3-Clause */
/* keyring_json.c - the keyring file format: strict parsing and byte-exact Python json.dump output. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "json_util.h"
#include "keyring_backend.h"
#include "keyring_json.h"

int aa_keyring_text_blank(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n", text[i]))
			return 0;
	return 1;
}

/* Only our service must have the shape we use; other services are kept as they are. */
static aa_status check_shape(json_object *doc, const char **why)
{
	json_object *svc;

	if (!json_object_is_type(doc, json_type_object)) {
		*why = "is not a JSON object";
		return AA_ERR_PARSE;
	}
	if (!json_object_object_get_ex(doc, AA_KEYRING_SERVICE, &svc))
		return AA_OK;
	if (!json_object_is_type(svc, json_type_object)) {
		*why = "has an \"" AA_KEYRING_SERVICE "\" entry that is not an object";
		return AA_ERR_PARSE;
	}
	json_object_object_foreach(svc, key, val) {
		(void)key;
		if (!json_object_is_type(val, json_type_string)) {
			*why = "has a stored key that is not text";
			return AA_ERR_PARSE;
		}
	}
	return AA_OK;
}

json_object *aa_keyring_json_new(void)
{
	json_object *doc = json_object_new_object();

	aa_json_wipe_on_free(doc);
	return doc;
}

/* The keyring's stored values are base64 TokenInfo: the tokener never
 * reallocs its buffer, and every string wipes itself when freed. */
aa_status aa_keyring_json_parse(const char *text, size_t len,
				json_object **doc, const char **why)
{
	json_tokener *tok;
	json_object *obj;
	size_t end;

	*doc = NULL;
	*why = NULL;
	if (len == 0 || aa_keyring_text_blank(text, len)) {
		*doc = aa_keyring_json_new();
		return *doc ? AA_OK : AA_ERR_NOMEM;
	}
	if (memchr(text, '\0', len) || len > (size_t)INT32_MAX - 64) {
		*why = "is not valid JSON";
		return AA_ERR_PARSE;
	}
	tok = aa_json_tokener_new_secret(JSON_TOKENER_DEFAULT_DEPTH, len);
	if (!tok)
		return AA_ERR_NOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS |
				    JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, text, (int)len);
	end = json_tokener_get_parse_end(tok);
	/* A bare literal ("null", "1") is only complete at its terminator. */
	if (!obj && json_tokener_get_error(tok) == json_tokener_continue)
		obj = json_tokener_parse_ex(tok, "", 1);
	aa_json_wipe_on_free(obj);
	/* A NULL object with success is the text "null". */
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    !aa_keyring_text_blank(text + end, len - end)) {
		aa_json_tokener_free_wiped(tok);
		json_object_put(obj);
		*why = "is not valid JSON";
		return AA_ERR_PARSE;
	}
	aa_json_tokener_free_wiped(tok);
	if (check_shape(obj, why) != AA_OK) {
		json_object_put(obj);
		return AA_ERR_PARSE;
	}
	*doc = obj;
	return AA_OK;
}

/* ---- output -------------------------------------------------------- */

/* Python's json.dump escapes everything outside printable ASCII. */
static void put_string(struct aa_kbuf *b, const char *s, size_t n)
{
	aa_kbuf_put_string(b, s, n, 1);
}

static void put_value(struct aa_kbuf *b, json_object *v);

static void put_object(struct aa_kbuf *b, json_object *o)
{
	int first = 1;

	aa_kbuf_put(b, "{", 1);
	json_object_object_foreach(o, key, val) {
		if (!first)
			aa_kbuf_puts(b, ", ");
		first = 0;
		put_string(b, key, strlen(key));
		aa_kbuf_puts(b, ": ");
		put_value(b, val);
	}
	aa_kbuf_put(b, "}", 1);
}

static void put_array(struct aa_kbuf *b, json_object *a)
{
	size_t n = json_object_array_length(a);

	aa_kbuf_put(b, "[", 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			aa_kbuf_puts(b, ", ");
		put_value(b, json_object_array_get_idx(a, i));
	}
	aa_kbuf_put(b, "]", 1);
}

static void put_value(struct aa_kbuf *b, json_object *v)
{
	char num[32];

	switch (json_object_get_type(v)) {
	case json_type_null:
		aa_kbuf_puts(b, "null");
		break;
	case json_type_boolean:
		aa_kbuf_puts(b, json_object_get_boolean(v) ? "true" : "false");
		break;
	case json_type_int:
		snprintf(num, sizeof(num), "%" PRId64, json_object_get_int64(v));
		aa_kbuf_puts(b, num);
		break;
	case json_type_double:
		/* json-c keeps the text it parsed, which is what Python wrote. */
		aa_kbuf_puts(b, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
		break;
	case json_type_string:
		put_string(b, json_object_get_string(v),
			   (size_t)json_object_get_string_len(v));
		break;
	case json_type_array:
		put_array(b, v);
		break;
	case json_type_object:
		put_object(b, v);
		break;
	}
}

aa_status aa_keyring_json_dump(json_object *doc, struct aa_kbuf *out)
{
	memset(out, 0, sizeof(*out));
	put_value(out, doc);
	if (out->oom) {
		aa_kbuf_free(out);
		return AA_ERR_NOMEM;
	}
	return AA_OK;
}
