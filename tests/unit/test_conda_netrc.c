/* SPDX-License-Identifier: BSD-3-Clause */
/* test_conda_netrc.c - the .netrc reader and updater: grammar, byte-for-byte keeping, round trips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "anaconda_auth.h"
#include "netrc.h"

static const struct ch_netrc_cred ours[] = {
	{ "repo.anaconda.cloud", "alice", "KEY.one_two-3" },
	{ "anaconda.cloud", "alice", "KEY.one_two-3" },
};
#define N_OURS (sizeof(ours) / sizeof(ours[0]))

static char *update(const char *in, size_t n)
{
	char *out = NULL;
	size_t len = 0;
	aa_error err;

	aa_error_clear(&err);
	assert_int_equal(ch_netrc_update(in, strlen(in), ours, n, &out, &len, &err), AA_OK);
	assert_int_equal(strlen(out), len);
	return out;
}

static struct ch_netrc parse(const char *in)
{
	struct ch_netrc nr;

	assert_int_equal(ch_netrc_parse(in, strlen(in), &nr, NULL), AA_OK);
	return nr;
}

/* ---- reader ---- */

static void test_parse_entries(void **state)
{
	const char *text =
		"# a comment machine fake\n"
		"machine a.example login u1 password p1 account acc\n"
		"machine \"b.example\" user \"u 2\" password p\\\"2\n"
		"macdef init\ncd /pub\nmachine inside.macdef\n\n"
		"machine c.example\n  login u3\n  password p3 # trailing\n"
		"default login anonymous password me@\n";
	struct ch_netrc nr = parse(text);
	const struct ch_netrc_entry *e;
	(void)state;

	assert_int_equal(nr.n, 5);
	e = ch_netrc_find(&nr, "A.EXAMPLE");
	assert_non_null(e);
	assert_string_equal(e->login, "u1");
	assert_string_equal(e->password, "p1");
	assert_string_equal(e->account, "acc");
	e = ch_netrc_find(&nr, "b.example");
	assert_string_equal(e->login, "u 2");
	assert_string_equal(e->password, "p\"2");
	assert_int_equal(nr.v[2].kind, NETRC_MACDEF);
	assert_string_equal(nr.v[2].name, "init");
	assert_false(nr.v[2].unterminated);
	assert_null(ch_netrc_find(&nr, "inside.macdef"));
	assert_null(ch_netrc_find(&nr, "fake"));
	e = ch_netrc_find(&nr, "c.example");
	assert_string_equal(e->password, "p3");
	assert_int_equal(nr.v[4].kind, NETRC_DEFAULT);
	assert_string_equal(nr.v[4].login, "anonymous");
	ch_netrc_free(&nr);
}

/* A large file (many entries, long tokens) reads whole and in order. */
static void test_parse_many_entries(void **state)
{
	enum { N = 5000 };
	size_t cap = (size_t)N * 64 + 8192, n = 0;
	char *text = malloc(cap);
	struct ch_netrc nr;
	const struct ch_netrc_entry *e;
	(void)state;

	assert_non_null(text);
	for (int i = 0; i < N; i++)
		n += (size_t)snprintf(text + n, cap - n,
				      "machine h%d.example login u%d password p%d\n", i, i, i);
	memset(text + n, 'x', 4096); /* one long token at the end */
	n += 4096;
	text[n] = '\0';
	assert_int_equal(ch_netrc_parse(text, n, &nr, NULL), AA_OK);
	assert_int_equal(nr.n, N);
	e = ch_netrc_find(&nr, "h4999.example");
	assert_non_null(e);
	assert_string_equal(e->login, "u4999");
	assert_string_equal(e->password, "p4999");
	assert_string_equal(ch_netrc_find(&nr, "h0.example")->password, "p0");
	ch_netrc_free(&nr);
	free(text);
}

static void test_parse_first_match_wins(void **state)
{
	struct ch_netrc nr = parse("machine h login one password 1\nmachine H login two password 2\n");
	(void)state;

	assert_string_equal(ch_netrc_find(&nr, "h")->login, "one");
	ch_netrc_free(&nr);
}

static void test_parse_lenient(void **state)
{
	const char *odd[] = { "", "   \n\n", "machine", "machine h login", "password x",
			      "macdef m\nno blank line", "machine \"unterminated", "\\",
			      "machine h port 22 protocol https login u password p", "#",
			      "default", "macdef", NULL };
	(void)state;

	for (int i = 0; odd[i]; i++) {
		struct ch_netrc nr = parse(odd[i]);

		ch_netrc_free(&nr);
	}
	struct ch_netrc nr = parse("machine h port 22 login u password p");
	assert_string_equal(ch_netrc_find(&nr, "h")->password, "p");
	ch_netrc_free(&nr);
	nr = parse("macdef m\nbody");
	assert_true(nr.v[0].unterminated);
	ch_netrc_free(&nr);
}

static void test_parse_size_limit(void **state)
{
	size_t n = NETRC_MAX_BYTES + 1;
	char *big = malloc(n);
	struct ch_netrc nr;
	aa_error err;
	(void)state;

	memset(big, ' ', n);
	aa_error_clear(&err);
	assert_int_equal(ch_netrc_parse(big, n, &nr, &err), AA_ERR_PARSE);
	assert_true(err.message[0] != '\0');
	free(big);
}

/* ---- writer ---- */

static void test_token_ok(void **state)
{
	char long_tok[5000];
	(void)state;

	assert_true(ch_netrc_token_ok("eyJh.bGc_i-OiJ9"));
	assert_false(ch_netrc_token_ok(""));
	assert_false(ch_netrc_token_ok(NULL));
	assert_false(ch_netrc_token_ok("a b"));
	assert_false(ch_netrc_token_ok("a\tb"));
	assert_false(ch_netrc_token_ok("a\nb"));
	assert_false(ch_netrc_token_ok("a\"b"));
	assert_false(ch_netrc_token_ok("a'b"));
	assert_false(ch_netrc_token_ok("a\\b"));
	assert_false(ch_netrc_token_ok("#ab"));
	assert_false(ch_netrc_token_ok("caf\xc3\xa9"));
	memset(long_tok, 'a', sizeof(long_tok) - 1);
	long_tok[sizeof(long_tok) - 1] = '\0';
	assert_false(ch_netrc_token_ok(long_tok));
}

static void test_host_normalize(void **state)
{
	const char *cases[][2] = {
		{ "Repo.Anaconda.Cloud", "repo.anaconda.cloud" },
		{ "https://user@Repo.Anaconda.Cloud:8443/repo/x", "repo.anaconda.cloud" },
		{ "localhost:8443", "localhost" },
		{ "[::1]:8443", "::1" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *h = ch_netrc_host_normalize(cases[i][0], NULL);

		assert_string_equal(h, cases[i][1]);
		free(h);
	}
	assert_null(ch_netrc_host_normalize("", NULL));
	assert_null(ch_netrc_host_normalize("https:///x", NULL));
	assert_null(ch_netrc_host_normalize("ho st", NULL));
}

static void test_render(void **state)
{
	char *out;
	size_t len;
	(void)state;

	assert_int_equal(ch_netrc_render(ours, N_OURS, &out, &len, NULL), AA_OK);
	assert_string_equal(out, "machine repo.anaconda.cloud login alice password KEY.one_two-3\n"
				 "machine anaconda.cloud login alice password KEY.one_two-3\n");
	aa_free_secret_str(out);
}

static void test_render_refuses_unsafe(void **state)
{
	const struct ch_netrc_cred bad[] = {
		{ "h", "al ice", "k" }, { "h", "alice", "k\"ey" }, { "h", "alice", "" },
		{ "h:443", "alice", "k" }, { "h", "", "k" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *out = NULL;
		size_t len;
		aa_error err;

		aa_error_clear(&err);
		assert_int_equal(ch_netrc_update("", 0, &bad[i], 1, &out, &len, &err), AA_ERR_USAGE);
		assert_null(out);
		assert_null(strstr(err.message, "k\"ey"));
	}
}

static void test_update_empty_and_missing(void **state)
{
	char *out = update("", N_OURS);
	(void)state;

	assert_string_equal(out, "machine repo.anaconda.cloud login alice password KEY.one_two-3\n"
				 "machine anaconda.cloud login alice password KEY.one_two-3\n");
	aa_free_secret_str(out);
	out = update("machine other login o password p", 1);
	assert_string_equal(out, "machine other login o password p\n"
				 "machine repo.anaconda.cloud login alice password KEY.one_two-3\n");
	aa_free_secret_str(out);
}

static void test_update_replaces_in_place(void **state)
{
	const char *in =
		"# my netrc\n"
		"machine first login f password pf\n"
		"  machine REPO.anaconda.cloud login old password oldkey  \n"
		"machine last login l password pl\n";
	char *out = update(in, 1);
	(void)state;

	assert_string_equal(out,
		"# my netrc\n"
		"machine first login f password pf\n"
		"machine repo.anaconda.cloud login alice password KEY.one_two-3\n"
		"machine last login l password pl\n");
	aa_free_secret_str(out);
}

static void test_update_multiline_and_duplicates(void **state)
{
	const char *in =
		"machine repo.anaconda.cloud\n"
		"\tlogin old\n"
		"\tpassword oldkey\n"
		"\n"
		"machine keep login k password pk # note\n"
		"machine repo.anaconda.cloud login dup password dupkey\n";
	char *out = update(in, 1);
	(void)state;

	assert_string_equal(out,
		"machine repo.anaconda.cloud login alice password KEY.one_two-3\n"
		"\n"
		"machine keep login k password pk # note\n");
	aa_free_secret_str(out);
}

static void test_update_shared_line(void **state)
{
	const char *in = "machine a login x password y machine repo.anaconda.cloud login o password k machine b login z password w\n";
	char *out = update(in, 1);
	(void)state;

	assert_string_equal(out,
		"machine a login x password y machine b login z password w\n"
		"machine repo.anaconda.cloud login alice password KEY.one_two-3\n");
	aa_free_secret_str(out);
}

static void test_update_before_default_keeps_macdef(void **state)
{
	const char *in =
		"macdef init\n"
		"machine repo.anaconda.cloud login inside password macro\n"
		"\n"
		"default login anonymous password me@example\n";
	char *out = update(in, 1);
	(void)state;

	assert_string_equal(out,
		"macdef init\n"
		"machine repo.anaconda.cloud login inside password macro\n"
		"\n"
		"machine repo.anaconda.cloud login alice password KEY.one_two-3\n"
		"default login anonymous password me@example\n");
	aa_free_secret_str(out);
}

static void test_update_closes_unterminated_macdef(void **state)
{
	char *out = update("macdef init\ncd /pub", 1);
	struct ch_netrc nr;
	(void)state;

	assert_string_equal(out, "macdef init\ncd /pub\n\n"
				 "machine repo.anaconda.cloud login alice password KEY.one_two-3\n");
	nr = parse(out);
	assert_non_null(ch_netrc_find(&nr, "repo.anaconda.cloud"));
	ch_netrc_free(&nr);
	aa_free_secret_str(out);
}

/* A file that ends inside a token: our lines go before it, never into it. */
static void test_update_before_an_open_token(void **state)
{
	const char *open_quote = "machine a login x\nmachine b login \"never closed\nmachine c";
	const char *dangling = "machine a login x password y\\";
	char *out;
	struct ch_netrc nr;
	(void)state;

	out = update(open_quote, 1);
	assert_string_equal(out, "machine a login x\n"
				 "machine repo.anaconda.cloud login alice password KEY.one_two-3\n"
				 "machine b login \"never closed\nmachine c");
	nr = parse(out);
	assert_non_null(ch_netrc_find(&nr, "repo.anaconda.cloud"));
	assert_null(ch_netrc_find(&nr, "c"));
	ch_netrc_free(&nr);
	aa_free_secret_str(out);

	out = update(dangling, 1);
	assert_string_equal(out, "machine repo.anaconda.cloud login alice password KEY.one_two-3\n"
				 "machine a login x password y\\");
	aa_free_secret_str(out);
}

/* A stray token left open at the end is closed: our lines before it would adopt it. */
static void test_update_closes_an_open_stray_token(void **state)
{
	char *out, *again;
	(void)state;

	out = update("junk \"open \\", 1);
	assert_string_equal(out, "junk \"open \\ \"\n"
				 "machine repo.anaconda.cloud login alice password KEY.one_two-3\n");
	again = update(out, 1);
	assert_string_equal(again, out);
	aa_free_secret_str(again);
	aa_free_secret_str(out);
	out = update("macdef m\nx\n\nstray\\", 1);
	assert_string_equal(out, "macdef m\nx\n\nstray\\ \n"
				 "machine repo.anaconda.cloud login alice password KEY.one_two-3\n");
	aa_free_secret_str(out);
}

static void test_update_keeps_crlf_and_comments(void **state)
{
	const char *in = "# c1\r\nmachine x login a password b\r\n# c2 machine repo.anaconda.cloud\r\n";
	char *out = update(in, 1);
	(void)state;

	assert_int_equal(strncmp(out, in, strlen(in)), 0);
	aa_free_secret_str(out);
}

/* ---- fuzz-style round trips: random files from pieces, parse -> update -> parse ---- */

static uint64_t rng = 0x9e3779b97f4a7c15u;

static unsigned next_rand(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *const pieces[] = {
	"machine f1.example login u1 password p1\n",
	"machine f2.example\n  login u2\n  password \"p 2\"\n",
	"machine F3.Example login u3 password p3 account a3\n",
	"# comment with machine repo.anaconda.cloud\n",
	"\n",
	"   \t\n",
	"macdef m1\nmachine repo.anaconda.cloud login in password macro\n\n",
	"machine repo.anaconda.cloud login old password oldkey\n",
	"  machine Anaconda.Cloud\n\tlogin old\n\tpassword k2\n",
	"machine f4.example login u4 password p4 machine repo.anaconda.cloud login x password y\n",
	"machine f5.example user \"u\\\"5\" password p5 # trailing\n",
	"machine f6.example login u6 password p6",
	"junk tokens here\n",
	"machine f7.example port 22 login u7 password p7\r\n",
	"machine f8.example login \"open quote",
	"machine f9.example login u9 password dangling\\",
	"macdef m2\nbody\n\nstray \"open",
};

static char *random_file(void)
{
	size_t cap = 4096, n = 0;
	char *buf = calloc(1, cap);
	unsigned parts = next_rand(12);

	for (unsigned i = 0; i < parts; i++) {
		const char *p = pieces[next_rand(sizeof(pieces) / sizeof(pieces[0]))];

		/* a piece without its newline must not glue onto the next one */
		if (n && buf[n - 1] != '\n')
			buf[n++] = '\n';
		memcpy(buf + n, p, strlen(p));
		n += strlen(p);
	}
	if (next_rand(3) == 0) {
		const char *d = "default login anonymous password guest\n";

		if (n && buf[n - 1] != '\n')
			buf[n++] = '\n';
		memcpy(buf + n, d, strlen(d));
		n += strlen(d);
	}
	buf[n] = '\0';
	return buf;
}

static int is_our_host(const char *name)
{
	for (size_t i = 0; i < N_OURS; i++)
		if (name && !strcasecmp(name, ours[i].host))
			return 1;
	return 0;
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Every foreign entry survives: same fields, same raw bytes, same order. */
static void assert_foreign_kept(const char *in, const struct ch_netrc *before,
				const char *out, const struct ch_netrc *after)
{
	size_t j = 0;

	for (size_t i = 0; i < before->n; i++) {
		const struct ch_netrc_entry *e = &before->v[i];

		if (e->kind == NETRC_MACHINE && is_our_host(e->name))
			continue;
		while (j < after->n && after->v[j].kind == NETRC_MACHINE && is_our_host(after->v[j].name))
			j++;
		assert_true(j < after->n);
		assert_int_equal(after->v[j].kind, e->kind);
		assert_true(same_str(after->v[j].name, e->name));
		assert_true(same_str(after->v[j].login, e->login));
		assert_true(same_str(after->v[j].password, e->password));
		assert_true(same_str(after->v[j].account, e->account));
		if (!e->unterminated) {
			assert_int_equal(after->v[j].end - after->v[j].start, e->end - e->start);
			assert_memory_equal(out + after->v[j].start, in + e->start, e->end - e->start);
		}
		j++;
	}
}

static void assert_ours_once(const struct ch_netrc *after)
{
	for (size_t k = 0; k < N_OURS; k++) {
		size_t count = 0;

		for (size_t i = 0; i < after->n; i++)
			if (after->v[i].kind == NETRC_MACHINE && after->v[i].name &&
			    !strcasecmp(after->v[i].name, ours[k].host)) {
				count++;
				assert_string_equal(after->v[i].name, ours[k].host);
				assert_string_equal(after->v[i].login, ours[k].login);
				assert_string_equal(after->v[i].password, ours[k].password);
			}
		assert_int_equal(count, 1);
	}
	/* default stays last, as curl requires */
	for (size_t i = 0; i + 1 < after->n; i++)
		if (after->v[i].kind == NETRC_DEFAULT)
			assert_int_not_equal(after->v[i + 1].kind, NETRC_MACHINE);
}

static void test_round_trips(void **state)
{
	(void)state;

	for (int round = 0; round < 3000; round++) {
		char *in = random_file(), *out, *again;
		struct ch_netrc before = parse(in), after;

		out = update(in, N_OURS);
		after = parse(out);
		assert_ours_once(&after);
		assert_foreign_kept(in, &before, out, &after);
		again = update(out, N_OURS);
		assert_string_equal(again, out); /* idempotent */
		aa_free_secret_str(again);
		ch_netrc_free(&before);
		ch_netrc_free(&after);
		aa_free_secret_str(out);
		free(in);
	}
}

/* Arbitrary bytes never crash the reader or the updater. */
static void test_random_bytes(void **state)
{
	const char alphabet[] = "machine login password default macdef user account \"\\#\n\r\t ab";
	(void)state;

	for (int round = 0; round < 3000; round++) {
		size_t n = next_rand(200);
		char *buf = malloc(n + 1), *out;
		size_t len;
		struct ch_netrc nr;

		for (size_t i = 0; i < n; i++)
			buf[i] = next_rand(8) ? alphabet[next_rand(sizeof(alphabet) - 1)] : (char)next_rand(256);
		buf[n] = '\0';
		assert_int_equal(ch_netrc_parse(buf, n, &nr, NULL), AA_OK);
		ch_netrc_free(&nr);
		assert_int_equal(ch_netrc_update(buf, n, ours, N_OURS, &out, &len, NULL), AA_OK);
		assert_int_equal(ch_netrc_parse(out, len, &nr, NULL), AA_OK);
		ch_netrc_free(&nr);
		aa_free_secret_str(out);
		free(buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_entries),
		cmocka_unit_test(test_parse_first_match_wins),
		cmocka_unit_test(test_parse_many_entries),
		cmocka_unit_test(test_parse_lenient),
		cmocka_unit_test(test_parse_size_limit),
		cmocka_unit_test(test_token_ok),
		cmocka_unit_test(test_host_normalize),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_render_refuses_unsafe),
		cmocka_unit_test(test_update_empty_and_missing),
		cmocka_unit_test(test_update_replaces_in_place),
		cmocka_unit_test(test_update_multiline_and_duplicates),
		cmocka_unit_test(test_update_shared_line),
		cmocka_unit_test(test_update_before_default_keeps_macdef),
		cmocka_unit_test(test_update_closes_unterminated_macdef),
		cmocka_unit_test(test_update_before_an_open_token),
		cmocka_unit_test(test_update_closes_an_open_stray_token),
		cmocka_unit_test(test_update_keeps_crlf_and_comments),
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_random_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
