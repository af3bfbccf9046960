/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * output.c - render a credential for `get`. Built by hand in one buffer
 * rather than with json-c so the only copy of the secret is one we wipe.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "output.h"

int ch_format_parse(const char *s)
{
	if (!strcmp(s, "header"))
		return CH_FORMAT_HEADER;
	if (!strcmp(s, "value"))
		return CH_FORMAT_VALUE;
	if (!strcmp(s, "json"))
		return CH_FORMAT_JSON;
	return -1;
}

static int header_safe(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

/* JSON-escape s (printable ASCII only, checked by the caller). */
static void put_json_escaped(char *out, size_t *pos, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			out[(*pos)++] = '\\';
		out[(*pos)++] = *s;
	}
}

static void put_json_str(char *out, size_t *pos, const char *s)
{
	out[(*pos)++] = '"';
	put_json_escaped(out, pos, s);
	out[(*pos)++] = '"';
}

static void put(char *out, size_t *pos, const char *s)
{
	size_t n = strlen(s);

	memcpy(out + *pos, s, n);
	*pos += n;
}

static void put_field(char *out, size_t *pos, const char *name, const char *value, int last)
{
	put_json_str(out, pos, name);
	put(out, pos, ": ");
	if (value)
		put_json_str(out, pos, value);
	else
		put(out, pos, "null");
	put(out, pos, last ? "}\n" : ", ");
}

aa_status ch_format_credential(const struct ch_credential *c,
				  const struct ch_target *t, ch_format f,
				  char **out, size_t *out_len, aa_error *err)
{
	const char *secret = aa_secret_str(c->secret);
	const char *names[] = { t->domain, t->host, c->org, c->kind, c->source };
	size_t cap = 2 * (strlen(secret) + strlen(c->scheme)) + 256, pos = 0;
	char *buf;

	*out = NULL;
	*out_len = 0;
	if (!header_safe(secret))
		return aa_fail(err, AA_ERR_PARSE, "the stored credential for %s has spaces or control characters an HTTP header cannot carry; store it again (anaconda-auth login, or token install)",
			       t->domain);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i]) {
			if (!header_safe(names[i]))
				return aa_fail(err, AA_ERR_PARSE, "a name in the stored entry for %s has unexpected characters; store it again",
					       t->host);
			cap += 2 * strlen(names[i]);
		}
	if (!(buf = malloc(cap)))
		return aa_oom(err);
	if (f == CH_FORMAT_HEADER)
		put(buf, &pos, "Authorization: ");
	if (f != CH_FORMAT_JSON) {
		put(buf, &pos, c->scheme);
		put(buf, &pos, " ");
		put(buf, &pos, secret);
		put(buf, &pos, "\n");
	} else {
		put(buf, &pos, "{\"header\": \"Authorization\", \"value\": \"");
		put(buf, &pos, c->scheme);
		put(buf, &pos, " ");
		put_json_escaped(buf, &pos, secret);
		put(buf, &pos, "\", ");
		put_field(buf, &pos, "scheme", c->scheme, 0);
		put_field(buf, &pos, "credential_type", c->kind, 0);
		put_field(buf, &pos, "source", c->source, 0);
		put_field(buf, &pos, "domain", t->domain, 0);
		put_field(buf, &pos, "host", t->host, 0);
		put_field(buf, &pos, "org", c->org, 1);
	}
	buf[pos] = '\0';
	*out = buf;
	*out_len = pos;
	return AA_OK;
}
