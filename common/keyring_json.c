/* keyring_json.c - the keyring file format: strict parsing and byte-exact Python json.dump output. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "keyring_backend.h"
#include "keyring_json.h"

static int all_space(const char *text, size_t len)
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

aa_status aa_keyring_json_parse(const char *text, size_t len,
				json_object **doc, const char **why)
{
	json_tokener *tok;
	json_object *obj;
	size_t end;

	*doc = NULL;
	*why = NULL;
	if (len == 0 || all_space(text, len)) {
		*doc = json_object_new_object();
		return *doc ? AA_OK : AA_ERR_NOMEM;
	}
	if (memchr(text, '\0', len) || len > (size_t)INT32_MAX) {
		*why = "is not valid JSON";
		return AA_ERR_PARSE;
	}
	tok = json_tokener_new();
	if (!tok)
		return AA_ERR_NOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS |
				    JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, text, (int)len);
	end = json_tokener_get_parse_end(tok);
	/* A bare literal ("null", "1") is only complete at its terminator. */
	if (!obj && json_tokener_get_error(tok) == json_tokener_continue)
		obj = json_tokener_parse_ex(tok, "", 1);
	/* A NULL object with success is the text "null". */
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    !all_space(text + end, len - end)) {
		json_tokener_free(tok);
		json_object_put(obj);
		*why = "is not valid JSON";
		return AA_ERR_PARSE;
	}
	json_tokener_free(tok);
	if (check_shape(obj, why) != AA_OK) {
		json_object_put(obj);
		return AA_ERR_PARSE;
	}
	*doc = obj;
	return AA_OK;
}

/* ---- output -------------------------------------------------------- */

/* Grow the buffer, wiping the old copy: the text holds keys. */
static void put(struct aa_kbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (b->len + n + 1 > cap)
			cap *= 2;
		p = malloc(cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		if (b->p) {
			memcpy(p, b->p, b->len);
			aa_memzero(b->p, b->cap);
			free(b->p);
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void puts_(struct aa_kbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void put_u16(struct aa_kbuf *b, unsigned v)
{
	char hex[8];

	snprintf(hex, sizeof(hex), "\\u%04x", v & 0xffffu);
	put(b, hex, 6);
}

/* Decode one UTF-8 sequence at s; returns its length, or 0 if invalid. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t need;
	uint32_t v, min;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	if (s[0] < 0xe0) {
		need = 2, v = s[0] & 0x1fu, min = 0x80;
	} else if (s[0] < 0xf0) {
		need = 3, v = s[0] & 0x0fu, min = 0x800;
	} else {
		need = 4, v = s[0] & 0x07u, min = 0x10000;
	}
	if (n < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0u) != 0x80u)
			return 0;
		v = (v << 6) | (s[i] & 0x3fu);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return need;
}

/* A JSON string as Python's json.dump(ensure_ascii=True) writes it. */
static void put_string(struct aa_kbuf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;

	put(b, "\"", 1);
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		uint32_t cp;
		size_t k;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			size_t run = i;

			while (run < n && s[run] >= 0x20 && s[run] < 0x7f &&
			       s[run] != '"' && s[run] != '\\')
				run++;
			put(b, str + i, run - i);
			i = run;
			continue;
		}
		i++;
		switch (c) {
		case '"': puts_(b, "\\\""); continue;
		case '\\': puts_(b, "\\\\"); continue;
		case '\b': puts_(b, "\\b"); continue;
		case '\f': puts_(b, "\\f"); continue;
		case '\n': puts_(b, "\\n"); continue;
		case '\r': puts_(b, "\\r"); continue;
		case '\t': puts_(b, "\\t"); continue;
		default: break;
		}
		if (c < 0x80) {
			put_u16(b, c);
			continue;
		}
		k = utf8_decode(s + i - 1, n - i + 1, &cp);
		if (!k) {
			/* Not UTF-8 (only possible for text we were handed): keep the byte as a code point. */
			put_u16(b, c);
			continue;
		}
		i += k - 1;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			put_u16(b, 0xd800u + (cp >> 10));
			put_u16(b, 0xdc00u + (cp & 0x3ffu));
		} else {
			put_u16(b, cp);
		}
	}
	put(b, "\"", 1);
}

static void put_value(struct aa_kbuf *b, json_object *v);

static void put_object(struct aa_kbuf *b, json_object *o)
{
	int first = 1;

	put(b, "{", 1);
	json_object_object_foreach(o, key, val) {
		if (!first)
			puts_(b, ", ");
		first = 0;
		put_string(b, key, strlen(key));
		puts_(b, ": ");
		put_value(b, val);
	}
	put(b, "}", 1);
}

static void put_array(struct aa_kbuf *b, json_object *a)
{
	size_t n = json_object_array_length(a);

	put(b, "[", 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			puts_(b, ", ");
		put_value(b, json_object_array_get_idx(a, i));
	}
	put(b, "]", 1);
}

static void put_value(struct aa_kbuf *b, json_object *v)
{
	char num[32];

	switch (json_object_get_type(v)) {
	case json_type_null:
		puts_(b, "null");
		break;
	case json_type_boolean:
		puts_(b, json_object_get_boolean(v) ? "true" : "false");
		break;
	case json_type_int:
		snprintf(num, sizeof(num), "%" PRId64, json_object_get_int64(v));
		puts_(b, num);
		break;
	case json_type_double:
		/* json-c keeps the text it parsed, which is what Python wrote. */
		puts_(b, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
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

void aa_kbuf_free(struct aa_kbuf *b)
{
	if (b->p) {
		aa_memzero(b->p, b->cap);
		free(b->p);
	}
	memset(b, 0, sizeof(*b));
}
