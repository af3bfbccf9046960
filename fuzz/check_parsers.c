/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_parsers.c - property checks for the parsers of untrusted local input
 * (base64, JWT, TokenInfo, the keyring file, .env, git's credential
 * protocol, .netrc), run by the fuzz harnesses and by the regression test.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "dotenv.h"
#include "checks.h"
#include "config_struct.h"
#include "internal.h"
#include "keyring_backend.h"
#include "keyring_json.h"
#include "netrc.h"
#include "protocol.h"

/* A NUL-terminated copy of the input (parsers of C strings get this). */
static char *cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s) {
		if (size)
			memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

static int str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* An error sentence is filled, terminated and not empty. */
static int message_ok(const aa_error *err)
{
	return memchr(err->message, '\0', sizeof(err->message)) && err->message[0];
}

/* ---- base64 ------------------------------------------------------------ */

static size_t strip_padding(const char *s, size_t n)
{
	while (n && s[n - 1] == '=')
		n--;
	return n;
}

/* encode -> decode gives the bytes back, in both alphabets. */
static const char *base64_round_trip(const uint8_t *data, size_t size, int url)
{
	char *enc = url ? aa_base64url_encode(data, size) : aa_base64_encode(data, size);
	unsigned char *dec = NULL;
	size_t dec_len = 0, want = url ? (size * 4 + 2) / 3 : (size + 2) / 3 * 4;
	const char *why = NULL;
	aa_status st;

	if (!enc)
		return "base64 encode returned NULL";
	if (strlen(enc) != want)
		why = "base64 encode wrote an unexpected length";
	else if (url && strpbrk(enc, "+/="))
		why = "base64url encode used '+', '/' or '='";
	st = url ? aa_base64url_decode(enc, strlen(enc), &dec, &dec_len)
		 : aa_base64_decode(enc, strlen(enc), &dec, &dec_len);
	if (!why && st != AA_OK)
		why = "base64 decode refused what encode wrote";
	else if (!why && (dec_len != size || (size && memcmp(dec, data, size)) || dec[dec_len]))
		why = "base64 decode(encode(x)) is not x";
	free(enc);
	free(dec);
	return why;
}

/* Arbitrary text: what decodes is canonical, so it re-encodes to itself. */
static const char *base64_decode_any(const uint8_t *data, size_t size, int url)
{
	const char *in = (const char *)data;
	unsigned char *dec = NULL;
	size_t dec_len = 0, n;
	const char *why = NULL;
	char *enc;
	aa_status st;

	st = url ? aa_base64url_decode(in, size, &dec, &dec_len)
		 : aa_base64_decode(in, size, &dec, &dec_len);
	if (st != AA_OK)
		return dec ? "base64 decode failed but returned a buffer" : NULL;
	if (dec_len > size / 4 * 3 + 2 || dec[dec_len] != '\0')
		why = "base64 decode wrote more than the input can hold";
	enc = url ? aa_base64url_encode(dec, dec_len) : aa_base64_encode(dec, dec_len);
	n = strip_padding(in, size);
	if (!why && (!enc || strip_padding(enc, strlen(enc)) != n || memcmp(enc, in, n)))
		why = "base64 decode accepted text that is not what an encoder writes";
	free(enc);
	free(dec);
	return why;
}

const char *fuzz_check_base64(const uint8_t *data, size_t size)
{
	const char *why = base64_round_trip(data, size, 0);

	if (!why)
		why = base64_round_trip(data, size, 1);
	if (!why)
		why = base64_decode_any(data, size, 0);
	if (!why)
		why = base64_decode_any(data, size, 1);
	return why;
}

/* ---- JWT ----------------------------------------------------------------- */

static int printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

static const char *jwt_expiry_agrees(const char *key, const aa_jwt_claims *c)
{
	int64_t exp = 0;

	if (!c->has_exp)
		return aa_key_expiry(key, 0, NULL) == AA_EXPIRY_UNKNOWN
			       ? NULL : "a JWT without exp has a known expiry";
	if (aa_key_expiry(key, (time_t)c->exp, &exp) != AA_EXPIRY_EXPIRED || exp != c->exp)
		return "a key is not expired at its own exp";
	if (c->exp > INT64_MIN && aa_key_expiry(key, (time_t)(c->exp - 1), NULL) != AA_EXPIRY_VALID)
		return "a key is not valid just before its exp";
	return NULL;
}

/* Messages about a key never quote it (long enough not to match by chance). */
static const char *key_check_quiet(const char *key)
{
	aa_error err = { 0 };

	for (unsigned flags = 0; flags <= AA_KEY_REQUIRE_JWT; flags++) {
		aa_error_clear(&err);
		if (aa_api_key_check(key, flags, 1700000000, &err) == AA_OK)
			continue;
		if (!message_ok(&err))
			return "aa_api_key_check failed without a message";
		if (strlen(key) >= 12 && strstr(err.message, key))
			return "aa_api_key_check quoted the key in its message";
	}
	return NULL;
}

const char *fuzz_check_jwt(const uint8_t *data, size_t size)
{
	char *key = cstr(data, size), fp[AA_FINGERPRINT_MAX + 8];
	aa_jwt_claims claims;
	aa_error err = { 0 };
	const char *why = NULL;

	if (!key)
		return NULL;
	if (aa_jwt_decode(key, &claims, &err) == AA_OK) {
		why = jwt_expiry_agrees(key, &claims);
	} else if (!message_ok(&err)) {
		why = "aa_jwt_decode failed without a message";
	}
	memset(fp, 'x', sizeof(fp));
	aa_fingerprint(key, fp, AA_FINGERPRINT_MAX);
	if (!why && (!memchr(fp, '\0', AA_FINGERPRINT_MAX) || !printable(fp) || !fp[0]))
		why = "aa_fingerprint wrote an unterminated, empty or unprintable fingerprint";
	if (!why && claims.sub && claims.sub[0] && strncmp(fp, "sub:", 4))
		why = "aa_fingerprint of a JWT with a subject does not show it";
	if (!why)
		why = key_check_quiet(key);
	aa_jwt_claims_free(&claims);
	free(key);
	return why;
}

/* ---- TokenInfo ----------------------------------------------------------- */

static const char *secret_str(const aa_secret *s)
{
	return s ? aa_secret_str(s) : NULL;
}

static int same_token_info(const aa_token_info *a, const aa_token_info *b)
{
	if (!str_eq(a->domain, b->domain) || !str_eq(a->username, b->username) ||
	    !str_eq(secret_str(a->api_key), secret_str(b->api_key)) ||
	    a->n_repo_tokens != b->n_repo_tokens)
		return 0;
	for (size_t i = 0; i < a->n_repo_tokens; i++)
		if (!str_eq(a->repo_tokens[i].org_name, b->repo_tokens[i].org_name) ||
		    !str_eq(secret_str(a->repo_tokens[i].token),
			    secret_str(b->repo_tokens[i].token)))
			return 0;
	return 1;
}

/* Editing what was read keeps working: add, find and delete a repo token. */
static const char *token_info_edit(aa_token_info *info)
{
	const aa_secret *t;

	if (aa_token_info_set_repo_token(info, "fuzz-org", "fuzz-token") != AA_OK)
		return "aa_token_info_set_repo_token failed on a decoded TokenInfo";
	t = aa_token_info_get_repo_token(info, "fuzz-org");
	if (!t || strcmp(aa_secret_str(t), "fuzz-token"))
		return "a repo token just set is not found";
	if (aa_token_info_delete_repo_token(info, "fuzz-org") != 1 ||
	    aa_token_info_get_repo_token(info, "fuzz-org"))
		return "a repo token just set cannot be deleted";
	(void)aa_token_info_expiry(info, 1700000000, NULL);
	return NULL;
}

/* decode -> encode -> decode keeps every field; encoding is stable. */
static const char *token_info_round_trip(aa_token_info *first)
{
	aa_secret *b64 = NULL, *again = NULL;
	aa_token_info *second = NULL;
	aa_error err = { 0 };
	const char *why = NULL;

	if (aa_token_info_encode(first, &b64, &err) != AA_OK)
		return "a decoded TokenInfo cannot be encoded";
	if (aa_token_info_decode(aa_secret_str(b64), aa_secret_len(b64), &second, &err) != AA_OK)
		why = "an encoded TokenInfo does not decode";
	else if (!same_token_info(first, second) || second->version != 2)
		why = "decode(encode(decode(x))) differs from decode(x)";
	else if (aa_token_info_encode(second, &again, &err) != AA_OK ||
		 aa_secret_len(again) != aa_secret_len(b64) ||
		 memcmp(aa_secret_str(again), aa_secret_str(b64), aa_secret_len(b64)))
		why = "encoding a TokenInfo twice gives different text";
	aa_secret_free(b64);
	aa_secret_free(again);
	aa_token_info_free(second);
	return why;
}

const char *fuzz_check_token_info(const uint8_t *data, size_t size)
{
	aa_token_info *info = NULL;
	aa_error err = { 0 };
	const char *why;
	aa_status st;

	st = aa_token_info_decode((const char *)data, size, &info, &err);
	if (st != AA_OK)
		return info ? "a failed decode returned a TokenInfo"
		       : message_ok(&err) ? NULL : "a failed decode left no message";
	why = token_info_round_trip(info);
	if (!why)
		why = token_info_edit(info);
	if (!why)
		why = token_info_round_trip(info);
	aa_token_info_free(info);
	return why;
}

/* ---- keyring file -------------------------------------------------------- */

#define FUZZ_DOMAIN "fuzz.example"
#define FUZZ_KEY "fuzz-api-key"

static const char *const keyring_domains[] = {
	"anaconda.cloud", "anaconda.com", "id.anaconda.cloud", "example.internal:8443", NULL };

/* What aa_keyring_file_parse makes of arbitrary text: an answer, never a crash. */
static const char *keyring_lookup_any(const char *text, size_t len)
{
	for (size_t i = 0; keyring_domains[i]; i++) {
		aa_token_info *info = NULL;
		aa_error err = { 0 };
		aa_status st = aa_keyring_file_parse(text, len, keyring_domains[i], &info, &err);

		int ok = st == AA_OK ? info != NULL : info == NULL && message_ok(&err);

		aa_token_info_free(info);
		if (!ok)
			return "aa_keyring_file_parse answered inconsistently";
	}
	return NULL;
}

/* Serialise like the file backend does (json.dump spacing). */
static const char *keyring_dump(json_object *doc, struct aa_kbuf *out)
{
	return aa_keyring_json_dump(doc, out) == AA_OK && out->p
		       ? NULL : "a parsed keyring cannot be written";
}

static const char *keyring_reparse_same(const struct aa_kbuf *text)
{
	json_object *doc = NULL;
	const char *why = NULL, *phrase;
	struct aa_kbuf again = { 0 };

	if (aa_keyring_json_parse(text->p, text->len, &doc, &phrase) != AA_OK)
		return "a written keyring does not parse";
	why = keyring_dump(doc, &again);
	if (!why && (again.len != text->len || memcmp(again.p, text->p, text->len)))
		why = "writing a re-parsed keyring changes it";
	aa_kbuf_free(&again);
	json_object_put(doc);
	return why;
}

/* Store an entry the way file_set does and read it back; every other byte stays. */
static const char *keyring_store_entry(json_object *doc, const struct aa_kbuf *before)
{
	aa_token_info *info = aa_token_info_new(FUZZ_DOMAIN), *got = NULL;
	json_object *svc = NULL;
	aa_secret *b64 = NULL;
	struct aa_kbuf text = { 0 };
	const char *why = NULL;
	int had_svc, had_entry;

	had_svc = json_object_object_get_ex(doc, AA_KEYRING_SERVICE, &svc);
	had_entry = had_svc && json_object_object_get_ex(svc, FUZZ_DOMAIN, NULL);
	if (!info || aa_token_info_set_api_key(info, FUZZ_KEY) != AA_OK ||
	    aa_token_info_encode(info, &b64, NULL) != AA_OK)
		goto out;
	if (!had_svc) {
		svc = json_object_new_object();
		json_object_object_add(doc, AA_KEYRING_SERVICE, svc);
	}
	json_object_object_add(svc, FUZZ_DOMAIN, json_object_new_string(aa_secret_str(b64)));
	why = keyring_dump(doc, &text);
	if (!why && aa_keyring_file_parse(text.p, text.len, FUZZ_DOMAIN, &got, NULL) != AA_OK)
		why = "an entry just written is not found in the keyring";
	else if (!why && (!got->api_key || strcmp(aa_secret_str(got->api_key), FUZZ_KEY)))
		why = "an entry just written reads back a different key";
	if (!why && !had_entry) {
		/* Taking the entry out again must give the text we started from. */
		json_object_object_del(svc, FUZZ_DOMAIN);
		if (!had_svc)
			json_object_object_del(doc, AA_KEYRING_SERVICE);
		aa_kbuf_free(&text);
		why = keyring_dump(doc, &text);
		if (!why && (text.len != before->len || memcmp(text.p, before->p, text.len)))
			why = "storing one entry changed other parts of the keyring";
	}
out:
	aa_kbuf_free(&text);
	aa_token_info_free(got);
	aa_token_info_free(info);
	aa_secret_free(b64);
	return why;
}

const char *fuzz_check_keyring(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *phrase = NULL, *why;
	json_object *doc = NULL;
	struct aa_kbuf written = { 0 };
	aa_status st;

	why = keyring_lookup_any(text, size);
	if (why)
		return why;
	st = aa_keyring_json_parse(text, size, &doc, &phrase);
	if (st != AA_OK)
		return doc ? "a refused keyring returned a document"
		       : (st == AA_ERR_PARSE && phrase) ? NULL : "a refused keyring has no reason";
	why = keyring_dump(doc, &written);
	if (!why)
		why = keyring_reparse_same(&written);
	if (!why)
		why = keyring_store_entry(doc, &written);
	aa_kbuf_free(&written);
	json_object_put(doc);
	return why;
}

/* ---- the keyring setting (ANACONDA_AUTH_KEYRING) ---------------------------- */

#define KS_SOURCE "ANACONDA_AUTH_KEYRING"

/* Each domain it lists reads back, or is one message that quotes nothing stored. */
static const char *keyring_setting_lookups(struct aa_keyring_backend *be)
{
	char **domains = NULL;
	const char *why = NULL;
	aa_error err = { 0 };

	if (be->list(be, &domains, &err) != AA_OK)
		return "an accepted keyring setting cannot list its domains";
	for (size_t i = 0; domains[i] && !why; i++) {
		char *b64 = NULL;
		aa_token_info *info = NULL;
		aa_status st = be->get(be, domains[i], &b64, &err);

		if (st == AA_OK && aa_token_info_decode(b64, strlen(b64), &info, NULL) != AA_OK)
			why = "an entry the keyring setting served does not decode";
		else if (st == AA_ERR_USAGE && strncmp(err.message, KS_SOURCE ": the entry for ",
						       strlen(KS_SOURCE ": the entry for ")))
			why = "a damaged entry's message does not name the setting";
		else if (st != AA_OK && st != AA_ERR_USAGE)
			why = "a listed domain of the keyring setting is not found";
		aa_token_info_free(info);
		aa_free_secret_str(b64);
	}
	aa_strv_free(domains);
	return why;
}

/*
 * Any text as the setting: it is a keyring of the file's shape for every
 * service, or refused with a reason; the message names the setting and its
 * reason and nothing of the value; what it holds reads back.
 */
const char *fuzz_check_keyring_setting(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *why = NULL, *phrase = NULL;
	struct aa_keyring_backend *be = NULL;
	json_object *doc = NULL;
	aa_config cfg = { 0 };
	aa_error err = { 0 };
	char want[128];
	aa_status st;

	st = aa_keyring_inline_parse(text, size, &doc, &phrase);
	json_object_put(doc);
	if (st != AA_OK && (!phrase || doc))
		return "a refused keyring setting has no reason, or a document";
	cfg.keyring_inline = aa_secret_new(text, size);
	cfg.keyring_inline_source = KS_SOURCE;
	if (!cfg.keyring_inline)
		return NULL;
	/* a refused value is a setting to fix: AA_ERR_USAGE, exit 2 */
	if (aa_keyring_inline_open(&cfg, &be, &err) != (st == AA_OK ? AA_OK : AA_ERR_USAGE)) {
		why = "opening the keyring setting disagrees with checking it";
	} else if (st != AA_OK) {
		snprintf(want, sizeof(want), "%s %s", KS_SOURCE, phrase);
		if (strcmp(err.message, want))
			why = "a refused keyring setting's message says more than its source and reason";
	} else {
		why = keyring_setting_lookups(be);
	}
	if (be)
		be->close(be);
	aa_secret_free(cfg.keyring_inline);
	return why;
}

/* ---- .env ---------------------------------------------------------------- */

struct dotenv_seen {
	size_t size;
	unsigned max_line;   /* lines in the text */
	unsigned last_line;
	unsigned calls;
	unsigned stop_at;    /* 0: never; else fail the call with this number */
	const char *why;
};

static aa_status dotenv_record(const char *name, const char *value, unsigned line,
			       void *ctx, aa_error *err)
{
	struct dotenv_seen *s = ctx;

	s->calls++;
	if (!name || !value || !name[0])
		s->why = "a .env assignment has no name";
	else if (strlen(name) > s->size || strlen(value) > s->size)
		s->why = "a .env name or value is longer than the text";
	else if (line < 1 || line > s->max_line || line < s->last_line)
		s->why = "a .env assignment has an impossible line number";
	s->last_line = line;
	if (s->stop_at && s->calls == s->stop_at)
		return aa_fail(err, AA_ERR_GENERIC, "stopped by the callback");
	return AA_OK;
}

static unsigned count_lines(const char *t, size_t n)
{
	unsigned lines = 1;

	for (size_t i = 0; i < n; i++)
		if (t[i] == '\n' || (t[i] == '\r' && (i + 1 == n || t[i + 1] != '\n')))
			lines++;
	return lines;
}

const char *fuzz_check_dotenv(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct dotenv_seen s = { size, count_lines(text, size), 0, 0, 0, NULL };
	aa_error err = { 0 };
	aa_status st = aa_dotenv_parse(text, size, dotenv_record, &s, &err);

	if (s.why)
		return s.why;
	if (st != AA_OK && (!message_ok(&err) || !strstr(err.message, ".env line ")))
		return "a .env error does not say which line";
	if (st != AA_OK || s.calls == 0)
		return NULL;
	/* A callback's refusal stops the parse and is what the parse returns. */
	memset(&s, 0, sizeof(s));
	s.size = size;
	s.max_line = count_lines(text, size);
	s.stop_at = 1;
	aa_error_clear(&err);
	st = aa_dotenv_parse(text, size, dotenv_record, &s, &err);
	if (st != AA_ERR_GENERIC || s.calls != 1)
		return "a callback's error did not stop the .env parse";
	return s.why;
}

/* ---- git credential protocol --------------------------------------------- */

struct text {
	char *p;
	size_t len, cap;
	int too_long; /* a line longer than git allows */
};

static void text_put(struct text *t, const char *key, const char *value)
{
	size_t k = strlen(key), v = strlen(value), need = k + v + 2;

	if (need > GCA_MAX_LINE)
		t->too_long = 1;
	if (t->len + need + 2 > t->cap) {
		size_t cap = (t->len + need + 2) * 2;
		char *p = realloc(t->p, cap);

		if (!p)
			abort();
		t->p = p;
		t->cap = cap;
	}
	memcpy(t->p + t->len, key, k);
	t->p[t->len + k] = '=';
	memcpy(t->p + t->len + k + 1, value, v);
	t->p[t->len + k + 1 + v] = '\n';
	t->len += need;
}

#define SCALARS(r) { r->protocol, r->host, r->path, r->username, r->password, \
		     r->password_expiry_utc, r->oauth_refresh_token, r->authtype, \
		     r->credential, r->ephemeral }
static const char *const scalar_names[] = {
	"protocol", "host", "path", "username", "password", "password_expiry_utc",
	"oauth_refresh_token", "authtype", "credential", "ephemeral" };
#define N_SCALARS (sizeof(scalar_names) / sizeof(scalar_names[0]))

/* The description git would send to give us this request, blank line included. */
static void print_request(const gca_request *r, struct text *t)
{
	const char *v[] = SCALARS(r);
	const gca_list *lists[] = { &r->capability, &r->wwwauth, &r->state };
	static const char *const list_names[] = { "capability[]", "wwwauth[]", "state[]" };

	for (size_t i = 0; i < N_SCALARS; i++)
		if (v[i])
			text_put(t, scalar_names[i], v[i]);
	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < lists[i]->n; j++)
			text_put(t, list_names[i], lists[i]->v[j]);
	if (!t->p && !(t->p = malloc(t->cap = 16)))
		abort();
	t->p[t->len++] = '\n';
}

static int same_list(const gca_list *a, const gca_list *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]))
			return 0;
	return 1;
}

static int same_request(const gca_request *a, const gca_request *b)
{
	const char *va[] = SCALARS(a), *vb[] = SCALARS(b);

	for (size_t i = 0; i < N_SCALARS; i++)
		if (!str_eq(va[i], vb[i]))
			return 0;
	return same_list(&a->capability, &b->capability) && same_list(&a->wwwauth, &b->wwwauth) &&
	       same_list(&a->state, &b->state);
}

/* gca_request_read from a pipe holding the text agrees with gca_request_parse. */
static const char *git_read_agrees(const char *text, size_t len, aa_status parsed,
				   const gca_request *want)
{
	gca_request got;
	const char *why = NULL;
	aa_status st;
	int fds[2];

	if (len > 60000 || pipe(fds) < 0)
		return NULL; /* stays within the pipe's buffer: no writer thread needed */
	if (len && write(fds[1], text, len) != (ssize_t)len)
		abort();
	close(fds[1]);
	st = gca_request_read(fds[0], &got, NULL);
	close(fds[0]);
	if ((st == AA_OK) != (parsed == AA_OK))
		why = "reading a description from a pipe and parsing it disagree on its validity";
	else if (st == AA_OK && !same_request(&got, want))
		why = "reading a description from a pipe and parsing it give different requests";
	gca_request_free(&got);
	return why;
}

/* What `get` prints for this request reads back as the same credential. */
static const char *git_answer_round_trip(const gca_request *r, int bearer)
{
	gca_answer a = { r->username, r->password, bearer, 1, 1700000000 };
	gca_request back;
	char *out = NULL;
	size_t out_len = 0;
	const char *why = NULL;

	if (bearer)
		a.username = NULL;
	if (gca_answer_format(&a, &out, &out_len, NULL) != AA_OK)
		return NULL; /* a value too long for git is refused, as documented */
	if (strlen(out) != out_len) {
		aa_free_secret_str(out);
		return "the answer's length is not the length of its text";
	}
	if (gca_request_parse(out, out_len, &back, NULL, NULL) != AA_OK)
		why = "an answer we print is not a valid description";
	else if (bearer ? (!str_eq(back.credential, a.password) || !str_eq(back.authtype, "Bearer"))
			: (!str_eq(back.username, a.username) || !str_eq(back.password, a.password)))
		why = "an answer we print reads back as a different credential";
	else if (!str_eq(back.password_expiry_utc, "1700000000"))
		why = "the expiry we print reads back differently";
	gca_request_free(&back);
	aa_free_secret_str(out);
	return why;
}

const char *fuzz_check_git_protocol(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *why = NULL;
	gca_request first, second;
	struct text printed = { 0 };
	size_t consumed = 0, consumed2 = 0;
	aa_error err = { 0 };
	aa_status st = gca_request_parse(text, size, &first, &consumed, &err);

	why = git_read_agrees(text, size, st, &first);
	if (st != AA_OK)
		return why ? why : message_ok(&err) ? NULL : "a refused description has no message";
	if (!why && consumed > size)
		why = "the parser consumed more than it was given";
	print_request(&first, &printed);
	if (!why && !printed.too_long) {
		if (gca_request_parse(printed.p, printed.len, &second, &consumed2, NULL) != AA_OK)
			why = "a description printed from a parsed one is refused";
		else if (!same_request(&first, &second) || consumed2 != printed.len)
			why = "read -> print -> read changes the description";
		gca_request_free(&second);
	}
	if (!why)
		why = git_answer_round_trip(&first, gca_request_has_capability(&first, "authtype"));
	if (printed.p)
		aa_memzero(printed.p, printed.cap);
	free(printed.p);
	gca_request_free(&first);
	return why;
}

/* ---- .netrc -------------------------------------------------------------- */

static const struct ch_netrc_cred netrc_creds[] = {
	{ "repo.anaconda.cloud", "fuzz-user", "fuzz-token-1" },
	{ "conda.anaconda.org", "fuzz-user", "fuzz-token-2" },
	{ "x", "u", "p" },
};

static int netrc_ours(const struct ch_netrc_entry *e, const struct ch_netrc_cred *c, size_t n)
{
	if (e->kind != NETRC_MACHINE || !e->name)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(e->name, c[i].host))
			return 1;
	return 0;
}

static int same_entry(const struct ch_netrc_entry *a, const char *abuf,
		      const struct ch_netrc_entry *b, const char *bbuf)
{
	size_t alen = a->end - a->start, blen = b->end - b->start;

	if (a->kind != b->kind || !str_eq(a->name, b->name) || !str_eq(a->login, b->login) ||
	    !str_eq(a->password, b->password) || !str_eq(a->account, b->account))
		return 0;
	/* A macdef we had to close gains its blank line; everything else is byte for byte. */
	if (a->kind == NETRC_MACDEF && a->unterminated)
		return blen >= alen && !memcmp(abuf + a->start, bbuf + b->start, alen);
	return alen == blen && !memcmp(abuf + a->start, bbuf + b->start, alen);
}

/* Every entry that is not ours is still there, in order, as it was; ours once each. */
static const char *netrc_kept(const struct ch_netrc *before, const char *bbuf,
			      const struct ch_netrc *after, const char *abuf,
			      const struct ch_netrc_cred *c, size_t n)
{
	size_t j = 0, ours = 0;

	for (size_t i = 0; i < after->n; i++)
		ours += (size_t)netrc_ours(&after->v[i], c, n);
	if (ours != n)
		return "after an update our hosts do not appear exactly once each";
	for (size_t i = 0; i < before->n; i++) {
		if (netrc_ours(&before->v[i], c, n))
			continue;
		while (j < after->n && netrc_ours(&after->v[j], c, n))
			j++;
		if (j == after->n || !same_entry(&before->v[i], bbuf, &after->v[j], abuf))
			return "a .netrc update lost or changed an entry that is not ours";
		j++;
	}
	while (j < after->n && netrc_ours(&after->v[j], c, n))
		j++;
	if (j != after->n)
		return "a .netrc update added an entry that is not ours";
	for (size_t i = 0; i < n; i++) {
		const struct ch_netrc_entry *e = ch_netrc_find(after, c[i].host);

		if (!e || !str_eq(e->login, c[i].login) || !str_eq(e->password, c[i].password))
			return "after a .netrc update a reader does not find our credential";
	}
	return NULL;
}

static const char *netrc_update_check(const char *buf, size_t len,
				      const struct ch_netrc_cred *c, size_t n)
{
	struct ch_netrc before = { 0 }, after = { 0 };
	char *out = NULL, *out2 = NULL;
	size_t out_len = 0, out2_len = 0;
	const char *why = NULL;
	aa_error err = { 0 };
	aa_status st;

	if (ch_netrc_parse(buf, len, &before, NULL) != AA_OK)
		return NULL; /* only size or memory can fail it */
	st = ch_netrc_update(buf, len, c, n, &out, &out_len, &err);
	if (st != AA_OK) {
		/* A file it cannot safely rewrite may be refused, with a reason. */
		ch_netrc_free(&before);
		return st == AA_ERR_PARSE && message_ok(&err)
			       ? NULL : "ch_netrc_update failed on a file ch_netrc_parse read, without a reason";
	}
	if (ch_netrc_parse(out, out_len, &after, NULL) != AA_OK)
		why = "an updated .netrc does not parse";
	else
		why = netrc_kept(&before, buf, &after, out, c, n);
	if (!why && ch_netrc_update(out, out_len, c, n, &out2, &out2_len, NULL) != AA_OK)
		why = "a .netrc we wrote cannot be updated again";
	else if (!why && (out2_len != out_len || memcmp(out, out2, out_len)))
		why = "updating a .netrc twice with the same credentials changes it again";
	ch_netrc_free(&before);
	ch_netrc_free(&after);
	aa_free_secret_str(out);
	aa_free_secret_str(out2);
	return why;
}

/* The first line, taken as a host a person typed. */
static const char *netrc_host_check(const char *buf, size_t len)
{
	size_t n = strcspn(buf, "\n");
	char *line = strndup(buf, n < len ? n : len), *host;
	const char *why = NULL;

	if (!line)
		return NULL;
	host = ch_netrc_host_normalize(line, NULL);
	for (const char *p = host; p && *p && !why; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("-._:", *p)))
			why = "ch_netrc_host_normalize returned a character a host cannot have";
	if (host && (!host[0] || strlen(host) > 253))
		why = "ch_netrc_host_normalize returned an empty or overlong host";
	free(host);
	free(line);
	return why;
}

/* The first byte picks which of our hosts to write; the rest is the file. */
const char *fuzz_check_netrc(const uint8_t *data, size_t size)
{
	struct ch_netrc_cred chosen[3];
	size_t n = 0;
	char *buf;
	const char *why;

	if (size == 0)
		return NULL;
	for (size_t i = 0; i < 3; i++)
		if (data[0] & (1u << i))
			chosen[n++] = netrc_creds[i];
	buf = cstr(data + 1, size - 1);
	if (!buf)
		return NULL;
	why = netrc_update_check(buf, size - 1, chosen, n);
	if (!why)
		why = netrc_host_check(buf, size - 1);
	free(buf);
	return why;
}
