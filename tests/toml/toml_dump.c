/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * toml_dump.c - prints a TOML document as tagged JSON for the conformance
 * tests: a table is an object, an array a list, and every other value
 * {"type": T, "value": TEXT} (T: string, integer, float, bool, datetime,
 * datetime-local, date-local, time-local). Floats print with 17 digits (inf,
 * -inf, nan as words). Exit 0 and the JSON, or exit 1 and the error line.
 *
 *   toml_dump FILE             (or - for standard input)
 *   toml_dump --each FILE...   one line per file: "ok JSON" or "error MESSAGE"
 *                              (always exit 0: for the differential checks)
 *   toml_dump --load FILE      aa_toml_load_file, then print only the number of
 *                              top-level keys (for the freed-memory scanner:
 *                              no stdio buffer ever holds the file's text)
 *   toml_dump --edit FILE      the same, then set sites.x's domain to "edited"
 *                              and remove [sites.y]; prints only the new length
 *   toml_dump --set-key FILE   the same, then set sites.x's api_key to the text on
 *                              standard input (as `sites modify --api-key` would)
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "toml.h"

static void json_string(const char *s, size_t n)
{
	putchar('"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static const char *tag(aa_toml_type t)
{
	switch (t) {
	case AA_TOML_STRING: return "string";
	case AA_TOML_INTEGER: return "integer";
	case AA_TOML_FLOAT: return "float";
	case AA_TOML_BOOL: return "bool";
	case AA_TOML_OFFSET_DATETIME: return "datetime";
	case AA_TOML_LOCAL_DATETIME: return "datetime-local";
	case AA_TOML_LOCAL_DATE: return "date-local";
	case AA_TOML_LOCAL_TIME: return "time-local";
	default: return "?";
	}
}

static void scalar(const aa_toml_node *n)
{
	char buf[64];
	const char *s;
	size_t len;
	int64_t i;
	double f;
	int b;

	printf("{\"type\":\"%s\",\"value\":", tag(aa_toml_type_of(n)));
	if ((s = aa_toml_string(n, &len)) != NULL) {
		json_string(s, len);
	} else if (aa_toml_integer(n, &i)) {
		printf("\"%" PRId64 "\"", i);
	} else if (aa_toml_float(n, &f)) {
		if (isnan(f))
			snprintf(buf, sizeof(buf), "nan");
		else if (isinf(f))
			snprintf(buf, sizeof(buf), "%sinf", f < 0 ? "-" : "");
		else
			snprintf(buf, sizeof(buf), "%.17g", f);
		printf("\"%s\"", buf);
	} else if (aa_toml_bool(n, &b)) {
		printf("\"%s\"", b ? "true" : "false");
	} else {
		s = aa_toml_datetime(n);
		json_string(s, strlen(s));
	}
	putchar('}');
}

static void dump(const aa_toml_node *n)
{
	aa_toml_type t = aa_toml_type_of(n);
	const char *key;
	size_t key_len;

	if (t != AA_TOML_TABLE && t != AA_TOML_ARRAY) {
		scalar(n);
		return;
	}
	putchar(t == AA_TOML_TABLE ? '{' : '[');
	for (size_t i = 0; i < aa_toml_count(n); i++) {
		const aa_toml_node *c = aa_toml_at_len(n, i, &key, &key_len);

		if (i)
			putchar(',');
		if (t == AA_TOML_TABLE) {
			json_string(key, key_len);
			putchar(':');
		}
		dump(c);
	}
	putchar(t == AA_TOML_TABLE ? '}' : ']');
}

static char *slurp(FILE *f, size_t *len)
{
	size_t cap = 4096;
	char *buf = malloc(cap);

	*len = 0;
	while (buf) {
		size_t n = fread(buf + *len, 1, cap - *len, f);

		*len += n;
		if (n == 0)
			break;
		if (*len == cap) {
			char *bigger = realloc(buf, cap * 2);

			if (!bigger)
				free(buf);
			buf = bigger;
			cap *= 2;
		}
	}
	return buf;
}

/* Parse one file: 0 and the JSON printed, or 1 and the error line in msg. */
static int dump_file(const char *path, const char *prefix, aa_error *err)
{
	aa_toml *doc = NULL;
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char *text;
	size_t len;
	int rc = 0;

	if (!f) {
		snprintf(err->message, sizeof(err->message), "cannot open %s", path);
		return 2;
	}
	text = slurp(f, &len);
	if (f != stdin)
		fclose(f);
	if (!text) {
		snprintf(err->message, sizeof(err->message), "out of memory");
		return 2;
	}
	if (aa_toml_parse(text, len, path, &doc, err) != AA_OK) {
		rc = 1;
	} else {
		fputs(prefix, stdout);
		dump(aa_toml_root(doc));
		putchar('\n');
	}
	aa_toml_free(doc);
	free(text);
	return rc;
}

/* The key on standard input (read(2): no stdio buffer) as a TOML string. */
static char *key_from_stdin(void)
{
	char buf[4096];
	ssize_t n = read(0, buf, sizeof(buf) - 1);
	char *q;

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	q = aa_toml_quote(buf);
	aa_memzero(buf, sizeof(buf));
	return q;
}

/* Set sites.x's api_key in the loaded text; 0 or 1. */
static int set_key(const char *path, const char *text, size_t len)
{
	static const char *const x[] = { "sites", "x" };
	aa_error err = { 0 };
	char *value = key_from_stdin(), *out = NULL;
	size_t out_len = 0;
	int rc = 0;

	if (!value || aa_toml_edit_set(text, len, path, x, 2, "api_key", value, &out, &out_len,
				       &err) != AA_OK) {
		fprintf(stderr, "%s\n", value ? err.message : "no key on stdin");
		rc = 1;
	} else {
		printf("%zu\n", out_len);
	}
	if (value)
		aa_memzero(value, strlen(value));
	if (out)
		aa_memzero(out, out_len);
	free(value);
	free(out);
	return rc;
}

/* --load, --edit, --set-key: every copy of the text is the library's (and wiped). */
static int load_and_edit(const char *path, int edit)
{
	static const char *const x[] = { "sites", "x" }, *const y[] = { "sites", "y" };
	aa_error err = { 0 };
	aa_toml *doc = NULL;
	const char *text;
	char *out = NULL, *out2 = NULL;
	size_t len, out_len = 0, out2_len = 0;
	int rc = 0;

	if (aa_toml_load_file(path, NULL, &doc, &err) != AA_OK) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	printf("%zu\n", aa_toml_count(aa_toml_root(doc)));
	text = aa_toml_text(doc, &len);
	if (edit == 2) {
		rc = set_key(path, text, len);
	} else if (edit && (aa_toml_edit_set(text, len, path, x, 2, "domain", "\"edited\"", &out,
				      &out_len, &err) != AA_OK ||
		     aa_toml_edit_remove_table(out, out_len, path, y, 2, &out2, &out2_len,
					       &err) != AA_OK)) {
		fprintf(stderr, "%s\n", err.message);
		rc = 1;
	} else if (edit) {
		printf("%zu\n", out2_len);
	}
	if (out)
		aa_memzero(out, out_len);
	if (out2)
		aa_memzero(out2, out2_len);
	free(out);
	free(out2);
	aa_toml_free(doc);
	return rc;
}

int main(int argc, char **argv)
{
	aa_error err = { 0 };
	int rc;

	if (argc >= 2 && strcmp(argv[1], "--each") == 0) {
		for (int i = 2; i < argc; i++) {
			if (dump_file(argv[i], "ok ", &err) != 0)
				printf("error %s\n", err.message);
		}
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "--load") == 0)
		return load_and_edit(argv[2], 0);
	if (argc == 3 && strcmp(argv[1], "--edit") == 0)
		return load_and_edit(argv[2], 1);
	if (argc == 3 && strcmp(argv[1], "--set-key") == 0)
		return load_and_edit(argv[2], 2);
	if (argc != 2) {
		fprintf(stderr, "usage: toml_dump FILE|-, or toml_dump --each FILE...\n");
		return 2;
	}
	rc = dump_file(argv[1], "", &err);
	if (rc != 0)
		fprintf(stderr, "%s\n", err.message);
	return rc;
}
