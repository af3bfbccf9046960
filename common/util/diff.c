/* SPDX-License-Identifier: BSD-3-Clause */
/* diff.c - a unified line diff of two small texts (what `sites --dry-run` shows). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/aa_util.h"

#define CONTEXT 3
/* Above this many cells the changed middle is shown as all removed, then
 * all added: still a correct diff, never a slow one. */
#define LCS_MAX_CELLS (1024u * 1024u)

struct line {
	const char *p;
	size_t len; /* without the '\n' */
	int nl;     /* ends with '\n' */
};

enum op { EQ, DEL, ADD };

struct script {
	enum op *ops;
	size_t n;
};

static struct line *split(const char *s, size_t len, size_t *n)
{
	size_t count = 0, k = 0;
	struct line *v;

	for (size_t i = 0; i < len; i++)
		count += s[i] == '\n';
	count += len && s[len - 1] != '\n';
	v = calloc(count + 1, sizeof(*v));
	for (size_t i = 0; v && i < len; k++) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) : len;

		v[k] = (struct line){ s + i, end - i, nl != NULL };
		i = end + (nl != NULL);
	}
	*n = count;
	return v;
}

static int same(const struct line *a, const struct line *b)
{
	return a->len == b->len && a->nl == b->nl && memcmp(a->p, b->p, a->len) == 0;
}

/* The changed middle a[0..n) -> b[0..m) as ops, by longest common subsequence. */
static int middle(const struct line *a, size_t n, const struct line *b, size_t m,
		  struct script *s)
{
	uint32_t *t;
	size_t i = 0, j = 0, w = m + 1;

	if (n == 0 || m == 0 || (n + 1) * w > LCS_MAX_CELLS) {
		for (size_t k = 0; k < n; k++)
			s->ops[s->n++] = DEL;
		for (size_t k = 0; k < m; k++)
			s->ops[s->n++] = ADD;
		return 0;
	}
	t = calloc((n + 1) * w, sizeof(*t));
	if (!t)
		return -1;
	/* t[i][j]: LCS length of a[i..n) and b[j..m) */
	for (size_t x = n; x-- > 0;)
		for (size_t y = m; y-- > 0;)
			t[x * w + y] = same(&a[x], &b[y]) ? t[(x + 1) * w + y + 1] + 1 :
				       t[(x + 1) * w + y] >= t[x * w + y + 1] ? t[(x + 1) * w + y] :
				       t[x * w + y + 1];
	while (i < n || j < m) {
		if (i < n && j < m && same(&a[i], &b[j])) {
			s->ops[s->n++] = EQ;
			i++, j++;
		} else if (j == m || (i < n && t[(i + 1) * w + j] >= t[i * w + j + 1])) {
			s->ops[s->n++] = DEL;
			i++;
		} else {
			s->ops[s->n++] = ADD;
			j++;
		}
	}
	free(t);
	return 0;
}

/* difflib's range: "start" for one line, "start,count" else (start-1 when empty). */
static void range(struct aa_kbuf *out, size_t start, size_t count)
{
	char buf[48];

	if (count == 1)
		snprintf(buf, sizeof(buf), "%zu", start + 1);
	else
		snprintf(buf, sizeof(buf), "%zu,%zu", count ? start + 1 : start, count);
	aa_kbuf_puts(out, buf);
}

static void put_line(struct aa_kbuf *out, char mark, const struct line *l)
{
	aa_kbuf_put(out, &mark, 1);
	aa_kbuf_put(out, l->p, l->len);
	aa_kbuf_puts(out, l->nl ? "\n" : "\n\\ No newline at end of file\n");
}

/* One hunk: ops[from..to) starting at line ai of a and bj of b. */
static void hunk(struct aa_kbuf *out, const struct script *s, size_t from, size_t to,
		 const struct line *a, size_t ai, const struct line *b, size_t bj)
{
	size_t na = 0, nb = 0;

	for (size_t k = from; k < to; k++) {
		na += s->ops[k] != ADD;
		nb += s->ops[k] != DEL;
	}
	aa_kbuf_puts(out, "@@ -");
	range(out, ai, na);
	aa_kbuf_puts(out, " +");
	range(out, bj, nb);
	aa_kbuf_puts(out, " @@\n");
	for (size_t k = from; k < to; k++) {
		if (s->ops[k] == EQ)
			put_line(out, ' ', &a[ai]);
		if (s->ops[k] == DEL)
			put_line(out, '-', &a[ai]);
		if (s->ops[k] == ADD)
			put_line(out, '+', &b[bj]);
		ai += s->ops[k] != ADD;
		bj += s->ops[k] != DEL;
	}
}

/* Group the changes with CONTEXT lines around them into hunks. */
static void hunks(struct aa_kbuf *out, const struct script *s, const struct line *a,
		  const struct line *b)
{
	size_t k = 0, ai = 0, bj = 0;

	while (k < s->n) {
		size_t start, end, last, hai, hbj;

		while (k < s->n && s->ops[k] == EQ)
			k++, ai++, bj++;
		if (k == s->n)
			break;
		start = k > CONTEXT ? k - CONTEXT : 0;
		hai = ai - (k - start);
		hbj = bj - (k - start);
		/* extend while the next change is within 2*CONTEXT equal lines */
		last = k;
		for (end = k; end < s->n; end++) {
			if (s->ops[end] != EQ)
				last = end;
			else if (end - last > 2 * CONTEXT)
				break;
		}
		end = last + 1 + CONTEXT < s->n ? last + 1 + CONTEXT : s->n;
		hunk(out, s, start, end, a, hai, b, hbj);
		for (; k < end; k++) {
			ai += s->ops[k] != ADD;
			bj += s->ops[k] != DEL;
		}
	}
}

int aa_line_diff(const char *a, size_t alen, const char *b, size_t blen,
		 const char *label_a, const char *label_b, struct aa_kbuf *out)
{
	size_t na = 0, nb = 0, p = 0, q = 0;
	struct line *la = split(a, alen, &na), *lb = split(b, blen, &nb);
	struct script s = { NULL, 0 };
	int rc = -1;

	if (!la || !lb || !(s.ops = calloc(na + nb + 1, sizeof(*s.ops))))
		goto out;
	while (p < na && p < nb && same(&la[p], &lb[p]))
		p++;
	while (q < na - p && q < nb - p && same(&la[na - 1 - q], &lb[nb - 1 - q]))
		q++;
	for (size_t k = 0; k < p; k++)
		s.ops[s.n++] = EQ;
	if (middle(la + p, na - p - q, lb + p, nb - p - q, &s) < 0)
		goto out;
	for (size_t k = 0; k < q; k++)
		s.ops[s.n++] = EQ;
	if (p + q < na || p + q < nb) {
		aa_kbuf_puts(out, "--- ");
		aa_kbuf_puts(out, label_a);
		aa_kbuf_puts(out, "\n+++ ");
		aa_kbuf_puts(out, label_b);
		aa_kbuf_puts(out, "\n");
		hunks(out, &s, la, lb);
	}
	rc = out->oom ? -1 : 0;
out:
	free(la);
	free(lb);
	free(s.ops);
	return rc;
}
