/* SPDX-License-Identifier: BSD-3-Clause */
/* netrc.c - find .netrc entries in a buffer and rewrite ours, keeping every other byte. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/aa_util.h"
#include "netrc.h"

/* ---- lexer: the token rules of Python's netrc (curl agrees on the common cases) ---- */

struct lexer {
	const char *b;
	size_t len;
	size_t pos;
	int open_at_eof; /* a token ran into the end of the buffer unfinished */
	int open_quote;  /* ... inside a quote */
	int open_escape; /* ... right after a backslash */
	int ends_in_token; /* the last token met the end, not a separator */
	int has_last;    /* a token was read; last_end is where it ended */
	size_t last_end;
};

struct token {
	size_t start, end; /* raw bytes of the token */
	char *text;        /* decoded; holds secrets, wiped on free */
	size_t len;        /* of text, which may hold NUL bytes */
	int ended_line;    /* the bare token was ended by '\n' (consumed) */
};

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Raw bytes of the token starting at `at`, by the same rules next_token
 * decodes with (a backslash takes the next byte; a quoted token runs to
 * its closing quote, a bare one to whitespace).
 */
static size_t token_extent(const struct lexer *lx, size_t at)
{
	size_t i = at;
	int quoted = lx->b[i] == '"';

	if (quoted)
		i++;
	while (i < lx->len) {
		char c = lx->b[i++];

		if (c == '\\' && i < lx->len)
			i++;
		else if (quoted ? c == '"' : is_ws(c))
			break;
	}
	return i - at;
}

/* 1 token, 0 at the end, -1 out of memory. */
static int next_token(struct lexer *lx, struct token *t)
{
	size_t n = 0;

	memset(t, 0, sizeof(*t));
	while (lx->pos < lx->len && is_ws(lx->b[lx->pos]))
		lx->pos++;
	if (lx->pos >= lx->len)
		return 0;
	t->start = lx->pos;
	/* decoded text is never longer than the token's raw bytes: sized to
	 * those, not to the rest of the file (that made reading quadratic) */
	if (!(t->text = malloc(token_extent(lx, lx->pos) + 1)))
		return -1;
	if (lx->b[lx->pos] == '"') {
		lx->pos++;
		lx->open_at_eof = lx->open_quote = 1;
		while (lx->pos < lx->len) {
			char c = lx->b[lx->pos++];

			if (c == '"') {
				lx->open_at_eof = lx->open_quote = 0;
				break;
			}
			if (c == '\\' && lx->pos < lx->len)
				c = lx->b[lx->pos++];
			else if (c == '\\')
				lx->open_escape = 1;
			t->text[n++] = c;
		}
		t->end = lx->pos;
	} else {
		lx->ends_in_token = 1;
		while (lx->pos < lx->len) {
			char c = lx->b[lx->pos];

			if (is_ws(c)) {
				lx->ends_in_token = 0;
				t->end = lx->pos++;
				t->ended_line = c == '\n';
				break;
			}
			lx->pos++;
			if (c == '\\' && lx->pos < lx->len)
				c = lx->b[lx->pos++];
			else if (c == '\\')
				lx->open_at_eof = lx->open_escape = 1; /* it would escape what comes next */
			t->text[n++] = c;
			t->end = lx->pos;
		}
	}
	t->text[n] = '\0';
	t->len = n;
	lx->has_last = 1;
	lx->last_end = t->end;
	return 1;
}

static void token_clear(struct token *t)
{
	aa_free_secret_str(t->text);
	t->text = NULL;
}

/* A '#' token starts a comment that runs to the end of its line. */
static int skip_comment(struct lexer *lx, struct token *t)
{
	const char *nl;

	if (t->text[0] != '#')
		return 0;
	if (!t->ended_line) {
		nl = memchr(lx->b + lx->pos, '\n', lx->len - lx->pos);
		lx->pos = nl ? (size_t)(nl - lx->b) + 1 : lx->len;
	}
	token_clear(t);
	return 1;
}

enum keyword { KW_NONE, KW_MACHINE, KW_DEFAULT, KW_MACDEF, KW_LOGIN, KW_PASSWORD, KW_ACCOUNT };

static int is_word(const struct token *t, const char *w)
{
	/* a NUL inside a token must not make "macdef\0x" read as "macdef" */
	return t->len == strlen(w) && !strncasecmp(t->text, w, t->len);
}

static enum keyword keyword(const struct token *t)
{
	/* curl reads keywords case-insensitively; Python only in lower case */
	if (is_word(t, "machine")) return KW_MACHINE;
	if (is_word(t, "default")) return KW_DEFAULT;
	if (is_word(t, "macdef")) return KW_MACDEF;
	if (is_word(t, "login") || is_word(t, "user")) return KW_LOGIN;
	if (is_word(t, "password")) return KW_PASSWORD;
	if (is_word(t, "account")) return KW_ACCOUNT;
	return KW_NONE;
}

/* ---- parser ---- */

static void entry_clear(struct ch_netrc_entry *e)
{
	free(e->name);
	aa_free_secret_str(e->login);
	aa_free_secret_str(e->password);
	aa_free_secret_str(e->account);
	memset(e, 0, sizeof(*e));
}

void ch_netrc_free(struct ch_netrc *nr)
{
	if (!nr)
		return;
	for (size_t i = 0; i < nr->n; i++)
		entry_clear(&nr->v[i]);
	free(nr->v);
	nr->v = NULL;
	nr->n = 0;
	nr->cap = 0;
}

static int push_entry(struct ch_netrc *nr, struct ch_netrc_entry *e)
{
	if (nr->n == nr->cap) { /* doubling: a file of many entries stays linear */
		size_t cap = nr->cap ? 2 * nr->cap : 8;
		struct ch_netrc_entry *v = realloc(nr->v, cap * sizeof(*v));

		if (!v)
			return -1;
		nr->v = v;
		nr->cap = cap;
	}
	nr->v[nr->n++] = *e;
	memset(e, 0, sizeof(*e));
	return 0;
}

/* login/password/account: take the next token as the value. 0 ok, -1 nomem. */
static int read_value(struct lexer *lx, struct ch_netrc_entry *e, char **field)
{
	struct token v;
	int r = next_token(lx, &v);

	if (r == 0)
		lx->open_at_eof = 1; /* whatever is appended would become the value */
	if (r <= 0)
		return r;
	aa_free_secret_str(*field);
	*field = v.text;
	e->end = v.end;
	return 0;
}

/* The tokens after `machine NAME` or `default`, up to the next top-level keyword. */
static int read_followers(struct lexer *lx, struct ch_netrc_entry *e)
{
	for (;;) {
		struct lexer saved = *lx; /* to push the next keyword back */
		struct token t;
		enum keyword kw;
		int r = next_token(lx, &t);

		if (r <= 0)
			return r;
		if (skip_comment(lx, &t))
			continue;
		kw = keyword(&t);
		token_clear(&t);
		if (kw == KW_MACHINE || kw == KW_DEFAULT || kw == KW_MACDEF) {
			*lx = saved;
			return 0;
		}
		e->end = t.end;
		if (kw == KW_LOGIN)
			r = read_value(lx, e, &e->login);
		else if (kw == KW_PASSWORD)
			r = read_value(lx, e, &e->password);
		else if (kw == KW_ACCOUNT)
			r = read_value(lx, e, &e->account);
		/* anything else is junk curl skips (Python refuses the file) */
		if (r < 0)
			return r;
	}
}

/* A macdef body: the rest of the name's line, then lines up to an empty one. */
static void read_macdef_body(struct lexer *lx, struct ch_netrc_entry *e)
{
	size_t p = lx->pos;

	for (;;) {
		const char *nl = memchr(lx->b + p, '\n', lx->len - p);
		size_t q;

		if (!nl) {
			e->end = lx->len;
			e->unterminated = 1;
			break;
		}
		q = (size_t)(nl - lx->b);
		if (q == p || (q == p + 1 && lx->b[p] == '\r')) {
			e->end = q + 1;
			break;
		}
		p = q + 1;
	}
	lx->pos = e->end;
}

static int read_entry(struct lexer *lx, struct token *kwtok, enum keyword kw, struct ch_netrc_entry *e)
{
	struct token name;
	int r;

	e->start = kwtok->start;
	e->end = kwtok->end;
	e->kind = kw == KW_MACHINE ? NETRC_MACHINE : kw == KW_DEFAULT ? NETRC_DEFAULT : NETRC_MACDEF;
	if (kw == KW_MACHINE || kw == KW_MACDEF) {
		/* a name token that ended its line tells the macdef body where to start */
		if ((r = next_token(lx, &name)) < 0)
			return -1;
		if (r == 0) {
			/* whatever is appended would become the name */
			lx->open_at_eof = 1;
			e->unterminated = kw == KW_MACDEF;
			return 0;
		}
		e->name = name.text;
		e->end = name.end;
	}
	if (kw == KW_MACDEF) {
		read_macdef_body(lx, e);
		return 0;
	}
	return read_followers(lx, e);
}

static void mark_open(struct ch_netrc *nr, const struct lexer *lx, int junk, size_t item,
		      int has_prev, size_t prev_end)
{
	if (!lx->open_at_eof || nr->open_at_eof)
		return;
	nr->open_at_eof = 1;
	nr->open_in_junk = junk;
	nr->open_quote = lx->open_quote;
	nr->open_escape = lx->open_escape;
	nr->open_item = item;
	nr->open_has_prev = has_prev;
	nr->open_prev_end = prev_end;
}

aa_status ch_netrc_parse(const char *buf, size_t len, struct ch_netrc *out, aa_error *err)
{
	struct lexer lx = { buf, len, 0, 0, 0, 0, 0, 0, 0 };

	memset(out, 0, sizeof(*out));
	out->open_item = len;
	if (len > NETRC_MAX_BYTES)
		return aa_fail(err, AA_ERR_PARSE, "the .netrc file is larger than %u bytes; it is not a netrc file we can safely rewrite",
			       NETRC_MAX_BYTES);
	for (;;) {
		struct ch_netrc_entry e;
		struct token t;
		enum keyword kw;
		int has_prev = lx.has_last;
		size_t prev_end = lx.last_end;
		int r = next_token(&lx, &t);

		if (r == 0) {
			/* an escaped newline at the very end is no separator */
			out->ends_in_token = lx.ends_in_token;
			return AA_OK;
		}
		if (r < 0)
			break;
		if (skip_comment(&lx, &t)) {
			mark_open(out, &lx, 1, t.start, has_prev, prev_end);
			continue;
		}
		kw = keyword(&t);
		aa_free_secret_str(t.text);
		if (kw != KW_MACHINE && kw != KW_DEFAULT && kw != KW_MACDEF) {
			/* top-level junk: curl skips it */
			mark_open(out, &lx, 1, t.start, has_prev, prev_end);
			continue;
		}
		memset(&e, 0, sizeof(e));
		e.has_prev = has_prev;
		e.prev_end = prev_end;
		if (read_entry(&lx, &t, kw, &e) < 0 || push_entry(out, &e) < 0) {
			entry_clear(&e);
			break;
		}
		mark_open(out, &lx, 0, t.start, has_prev, prev_end);
	}
	ch_netrc_free(out);
	return aa_fail(err, AA_ERR_NOMEM, "out of memory while reading the .netrc file");
}

const struct ch_netrc_entry *ch_netrc_find(const struct ch_netrc *nr, const char *host)
{
	for (size_t i = 0; i < nr->n; i++)
		if (nr->v[i].kind == NETRC_MACHINE && nr->v[i].name &&
		    !strcasecmp(nr->v[i].name, host))
			return &nr->v[i];
	return NULL;
}

/* ---- writing ---- */

/* curl keeps at most 4 KiB per token */
#define NETRC_TOKEN_MAX 4095

int ch_netrc_token_ok(const char *s)
{
	size_t n = 0;

	if (!s || !*s)
		return 0;
	for (; *s; s++, n++) {
		unsigned char c = (unsigned char)*s;

		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\'' || c == '\\' || c == '#')
			return 0;
	}
	return n <= NETRC_TOKEN_MAX;
}

char *ch_netrc_host_normalize(const char *input, aa_error *err)
{
	const char *p = input ? input : "", *sep = strstr(p, "://"), *end, *at, *h;
	size_t n;
	char *host;

	if (sep && (size_t)(sep - p) < strcspn(p, "/"))
		p = sep + 3;
	end = p + strcspn(p, "/?#");
	for (at = end; at > p && at[-1] != '@'; at--)
		;
	h = at;
	if (*h == '[') {
		const char *close = memchr(h, ']', (size_t)(end - h));

		h++;
		n = close ? (size_t)(close - h) : 0;
	} else {
		const char *colon = memchr(h, ':', (size_t)(end - h));

		n = colon ? (size_t)(colon - h) : (size_t)(end - h);
	}
	for (size_t i = 0; i < n; i++)
		if (!aa_host_char((unsigned char)h[i]) && h[i] != ':')
			n = 0;
	if (n == 0 || n > 253) {
		aa_fail(err, AA_ERR_USAGE, "'%.200s' is not a host name; give hosts like repo.anaconda.cloud", p);
		return NULL;
	}
	if (!(host = strndup(h, n))) {
		aa_oom(err);
		return NULL;
	}
	for (char *c = host; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return host;
}

static aa_status check_cred(const struct ch_netrc_cred *c, aa_error *err)
{
	if (!ch_netrc_token_ok(c->host) || strchr(c->host, ':'))
		return aa_fail(err, AA_ERR_USAGE, "'%.200s' cannot be written as a .netrc machine name; give a bare host name",
			       c->host ? c->host : "");
	if (!ch_netrc_token_ok(c->login))
		return aa_fail(err, AA_ERR_USAGE, "the login for %s is empty or contains whitespace, quotes, '#' or a backslash, which .netrc readers disagree on; choose another with --login",
			       c->host);
	if (!ch_netrc_token_ok(c->password))
		return aa_fail(err, AA_ERR_USAGE, "the key for %s is empty, longer than 4095 bytes, or contains whitespace, quotes, '#' or a backslash, which .netrc readers disagree on; it cannot be exported",
			       c->host);
	return AA_OK;
}

static size_t cred_line_len(const struct ch_netrc_cred *c)
{
	return strlen("machine  login  password \n") + strlen(c->host) +
	       strlen(c->login) + strlen(c->password);
}

/* Append "machine H login U password P\n" at out + *pos (space reserved). */
static void put_cred(char *out, size_t *pos, const struct ch_netrc_cred *c)
{
	const char *parts[] = { "machine ", c->host, " login ", c->login,
				" password ", c->password, "\n" };

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		size_t n = strlen(parts[i]);

		memcpy(out + *pos, parts[i], n);
		*pos += n;
	}
}

static aa_status block_size(const struct ch_netrc_cred *creds, size_t n, size_t *size, aa_error *err)
{
	aa_status st;

	*size = 0;
	for (size_t i = 0; i < n; i++) {
		if ((st = check_cred(&creds[i], err)) != AA_OK)
			return st;
		*size += cred_line_len(&creds[i]);
	}
	return AA_OK;
}

aa_status ch_netrc_render(const struct ch_netrc_cred *creds, size_t n, char **out,
		       size_t *out_len, aa_error *err)
{
	size_t size, pos = 0;
	aa_status st;

	*out = NULL;
	*out_len = 0;
	if ((st = block_size(creds, n, &size, err)) != AA_OK)
		return st;
	if (!(*out = malloc(size + 1)))
		return aa_oom(err);
	for (size_t i = 0; i < n; i++)
		put_cred(*out, &pos, &creds[i]);
	(*out)[pos] = '\0';
	*out_len = pos;
	return AA_OK;
}

struct range {
	size_t s, e;
	int whole_line;
};

static int is_ours(const struct ch_netrc_entry *e, const struct ch_netrc_cred *creds, size_t n)
{
	if (e->kind != NETRC_MACHINE || !e->name)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(e->name, creds[i].host))
			return 1;
	return 0;
}

static size_t line_begin_if_blank(const char *b, size_t at)
{
	size_t p = at;

	while (p > 0 && (b[p - 1] == ' ' || b[p - 1] == '\t'))
		p--;
	return (p == 0 || b[p - 1] == '\n') ? p : at;
}

/*
 * The start of at's line when only blanks precede it there, unless that
 * would take away the separator after the previous token (a newline escaped
 * by a backslash belongs to that token, and the blanks after it end it).
 */
static size_t safe_line_begin(const char *b, size_t at, int has_prev, size_t prev_end)
{
	size_t bol = line_begin_if_blank(b, at);

	return (!has_prev || bol > prev_end) ? bol : at;
}

/* The bytes an entry of ours takes: whole lines when it has them alone. */
static struct range removal_range(const char *b, size_t len, const struct ch_netrc_entry *e)
{
	struct range r = { e->start, e->end, 0 };
	size_t bol = safe_line_begin(b, e->start, e->has_prev, e->prev_end), eol = e->end;

	while (eol < len && (b[eol] == ' ' || b[eol] == '\t' || b[eol] == '\r'))
		eol++;
	if ((bol < e->start || bol == 0 || b[bol - 1] == '\n') && (eol == len || b[eol] == '\n')) {
		r.s = bol;
		r.e = eol < len ? eol + 1 : eol;
		r.whole_line = 1;
	} else {
		while (r.e < len && (b[r.e] == ' ' || b[r.e] == '\t'))
			r.e++;
	}
	return r;
}

/* Where our block goes: where our first whole-line entry was, else before default, else the end. */
static size_t insertion_point(const char *b, size_t len, const struct ch_netrc *nr,
			      const struct range *rs, size_t nrs)
{
	size_t p = len;

	for (size_t i = 0; i < nrs; i++)
		if (rs[i].whole_line)
			return rs[i].s;
	for (size_t i = 0; i < nr->n; i++)
		if (nr->v[i].kind == NETRC_DEFAULT) {
			p = safe_line_begin(b, nr->v[i].start, nr->v[i].has_prev, nr->v[i].prev_end);
			break;
		}
	/*
	 * Appended bytes would become part of a token left open at the end: go
	 * before its entry. (Stray tokens are closed instead: our entries before
	 * them would take them in as their own.)
	 */
	if (nr->open_at_eof && !nr->open_in_junk && p > nr->open_item)
		p = safe_line_begin(b, nr->open_item, nr->open_has_prev, nr->open_prev_end);
	for (size_t i = 0; i < nrs; i++)
		if (p >= rs[i].s && p < rs[i].e)
			return rs[i].s;
	return p;
}

struct outbuf {
	char *p;
	size_t n;
};

static void out_put(struct outbuf *o, const char *s, size_t n)
{
	memcpy(o->p + o->n, s, n);
	o->n += n;
}

/* What ends the file's last construct before our lines are appended. */
enum closer { CLOSE_NONE = 0, CLOSE_MACDEF = 1, CLOSE_ESCAPE = 2, CLOSE_QUOTE = 4, CLOSE_TOKEN = 8 };

static void out_block(struct outbuf *o, const struct ch_netrc_cred *creds, size_t n, unsigned close)
{
	/* a lone backslash escapes the space; then the quote can end */
	if (close & CLOSE_ESCAPE)
		out_put(o, " ", 1);
	if (close & CLOSE_QUOTE)
		out_put(o, "\"", 1);
	/* the last byte may be an escaped newline: only a new one separates */
	if (close & (CLOSE_TOKEN | CLOSE_QUOTE | CLOSE_ESCAPE))
		out_put(o, "\n", 1);
	else if (o->n && o->p[o->n - 1] != '\n')
		out_put(o, "\n", 1);
	/* an unterminated macdef would swallow our lines: end it with its blank line */
	if (close & CLOSE_MACDEF)
		out_put(o, "\n", 1);
	for (size_t i = 0; i < n; i++)
		put_cred(o->p, &o->n, &creds[i]);
}

static aa_status collect_ranges(const char *buf, size_t len, const struct ch_netrc *nr,
				const struct ch_netrc_cred *creds, size_t n,
				struct range **rs, size_t *nrs, aa_error *err)
{
	*nrs = 0;
	if (!(*rs = calloc(nr->n + 1, sizeof(**rs))))
		return aa_oom(err);
	for (size_t i = 0; i < nr->n; i++) {
		struct range r;

		if (!is_ours(&nr->v[i], creds, n))
			continue;
		r = removal_range(buf, len, &nr->v[i]);
		if (*nrs && r.s < (*rs)[*nrs - 1].e)
			r.s = (*rs)[*nrs - 1].e;
		if (r.e < r.s)
			r.e = r.s;
		(*rs)[(*nrs)++] = r;
	}
	return AA_OK;
}

aa_status ch_netrc_update(const char *buf, size_t len, const struct ch_netrc_cred *creds,
		       size_t n, char **out, size_t *out_len, aa_error *err)
{
	struct ch_netrc nr;
	struct range *rs = NULL;
	struct outbuf o = { NULL, 0 };
	size_t nrs = 0, block, p, pos = 0;
	int inserted = 0;
	unsigned close = CLOSE_NONE;
	aa_status st;

	*out = NULL;
	*out_len = 0;
	if ((st = block_size(creds, n, &block, err)) != AA_OK)
		return st;
	if ((st = ch_netrc_parse(buf, len, &nr, err)) != AA_OK)
		return st;
	if ((st = collect_ranges(buf, len, &nr, creds, n, &rs, &nrs, err)) != AA_OK)
		goto done;
	p = insertion_point(buf, len, &nr, rs, nrs);
	if (p == len && nr.n && nr.v[nr.n - 1].unterminated && nr.v[nr.n - 1].kind == NETRC_MACDEF)
		close |= CLOSE_MACDEF;
	if (p == len && nr.ends_in_token)
		close |= CLOSE_TOKEN;
	if (p == len && nr.open_at_eof && nr.open_in_junk)
		close |= (nr.open_escape ? CLOSE_ESCAPE : 0) | (nr.open_quote ? CLOSE_QUOTE : 0);
	if (!(o.p = malloc(len + block + 5))) {
		st = aa_oom(err);
		goto done;
	}
	rs[nrs].s = rs[nrs].e = len; /* sentinel: the tail is kept */
	for (size_t i = 0; i <= nrs; i++) {
		if (!inserted && p >= pos && p <= rs[i].s) {
			out_put(&o, buf + pos, p - pos);
			out_block(&o, creds, n, close);
			out_put(&o, buf + p, rs[i].s - p);
			inserted = 1;
		} else {
			out_put(&o, buf + pos, rs[i].s - pos);
		}
		pos = rs[i].e;
	}
	o.p[o.n] = '\0';
	*out = o.p;
	*out_len = o.n;
done:
	free(rs);
	ch_netrc_free(&nr);
	return st;
}
