/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * base64.c - RFC 4648 base64 (keyring values) and base64url (JWT segments),
 * hand-written so the key-lookup path never loads libcrypto.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char std_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char url_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static char *encode(const void *data, size_t len, const char *alphabet,
		    int pad)
{
	const unsigned char *in = data;
	size_t groups, out_len, i, o = 0;
	char *out;

	if (!in && len)
		return NULL;
	groups = len / 3 + (len % 3 != 0);
	if (groups > (SIZE_MAX - 1) / 4)
		return NULL;
	out_len = groups * 4;
	out = malloc(out_len + 1);
	if (!out)
		return NULL;
	for (i = 0; i + 3 <= len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];

		out[o++] = alphabet[v >> 18 & 63];
		out[o++] = alphabet[v >> 12 & 63];
		out[o++] = alphabet[v >> 6 & 63];
		out[o++] = alphabet[v & 63];
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;

		out[o++] = alphabet[v >> 18 & 63];
		out[o++] = alphabet[v >> 12 & 63];
		if (pad) {
			out[o++] = '=';
			out[o++] = '=';
		}
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;

		out[o++] = alphabet[v >> 18 & 63];
		out[o++] = alphabet[v >> 12 & 63];
		out[o++] = alphabet[v >> 6 & 63];
		if (pad)
			out[o++] = '=';
	}
	out[o] = '\0';
	return out;
}

/* Value of one symbol, or -1 when it is not in the alphabet. */
static int symbol_value(char c, int url)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (url ? '-' : '+'))
		return 62;
	if (c == (url ? '_' : '/'))
		return 63;
	return -1;
}

/*
 * Padding is optional, but when present it must be exactly what an encoder
 * would have written. Returns the number of data symbols, or SIZE_MAX when
 * the length or padding cannot come from any encoder.
 */
static size_t data_symbols(const char *in, size_t in_len)
{
	size_t pad = 0, n;

	while (pad < in_len && pad < 3 && in[in_len - 1 - pad] == '=')
		pad++;
	n = in_len - pad;
	if (pad && (in_len % 4 != 0 || pad > 2 || (n % 4) + pad != 4))
		return SIZE_MAX;
	if (n % 4 == 1)
		return SIZE_MAX;
	return n;
}

static aa_status decode(const char *in, size_t in_len, int url,
			unsigned char **out, size_t *out_len)
{
	size_t n, cap, i, o = 0;
	uint32_t acc = 0;
	unsigned bits = 0;
	unsigned char *buf;

	*out = NULL;
	*out_len = 0;
	if (!in && in_len)
		return AA_ERR_PARSE;
	n = data_symbols(in, in_len);
	if (n == SIZE_MAX)
		return AA_ERR_PARSE;
	cap = n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0);
	buf = malloc(cap + 1);
	if (!buf)
		return AA_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		int v = symbol_value(in[i], url);

		if (v < 0)
			goto bad;
		acc = (acc << 6 | (uint32_t)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf[o++] = (unsigned char)(acc >> bits & 0xff);
		}
	}
	/* Leftover bits an encoder sets to zero: anything else is not canonical. */
	if (acc & ((1u << bits) - 1))
		goto bad;
	buf[o] = '\0';
	*out = buf;
	*out_len = o;
	return AA_OK;
bad:
	aa_memzero(buf, cap + 1);
	free(buf);
	return AA_ERR_PARSE;
}

char *aa_base64_encode(const void *data, size_t len)
{
	return encode(data, len, std_alphabet, 1);
}

aa_status aa_base64_decode(const char *in, size_t in_len, unsigned char **out,
			   size_t *out_len)
{
	return decode(in, in_len, 0, out, out_len);
}

char *aa_base64url_encode(const void *data, size_t len)
{
	return encode(data, len, url_alphabet, 0);
}

aa_status aa_base64url_decode(const char *in, size_t in_len,
			      unsigned char **out, size_t *out_len)
{
	return decode(in, in_len, 1, out, out_len);
}
