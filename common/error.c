/* SPDX-License-Identifier: BSD-3-Clause */
/* error.c - status codes: their sentences, exit codes, and the error setter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const char *aa_strerror(aa_status code)
{
	switch (code) {
	case AA_OK: return "success";
	case AA_ERR_GENERIC: return "error";
	case AA_ERR_USAGE: return "invalid argument or setting";
	case AA_ERR_NOMEM: return "out of memory";
	case AA_ERR_PARSE: return "malformed input";
	case AA_ERR_NOT_FOUND: return "not logged in";
	case AA_ERR_EXPIRED: return "API key expired";
	case AA_ERR_LOGIN_REQUIRED: return "login required";
	case AA_ERR_AUTH: return "API key invalid or revoked";
	case AA_ERR_DENIED: return "login denied";
	case AA_ERR_TIMEOUT: return "timed out";
	case AA_ERR_NETWORK: return "network error";
	case AA_ERR_SERVER: return "server error";
	case AA_ERR_STORAGE: return "key storage error";
	case AA_ERR_READONLY: return "key storage is read-only";
	case AA_ERR_UNSUPPORTED: return "not supported";
	}
	return "unknown error";
}

int aa_exit_code(aa_status code)
{
	switch (code) {
	case AA_OK:
		return AA_EXIT_OK;
	case AA_ERR_USAGE:
		return AA_EXIT_USAGE;
	case AA_ERR_NOT_FOUND:
	case AA_ERR_LOGIN_REQUIRED:
	case AA_ERR_AUTH:
		return AA_EXIT_NOT_LOGGED_IN;
	case AA_ERR_EXPIRED:
		return AA_EXIT_EXPIRED;
	case AA_ERR_NETWORK:
	case AA_ERR_SERVER:
	case AA_ERR_TIMEOUT:
		return AA_EXIT_NETWORK;
	case AA_ERR_STORAGE:
	case AA_ERR_READONLY:
		return AA_EXIT_STORAGE;
	default:
		return AA_EXIT_ERROR;
	}
}

void aa_error_clear(aa_error *err)
{
	if (!err)
		return;
	err->code = AA_OK;
	err->message[0] = '\0';
}

aa_status aa_fail(aa_error *err, aa_status code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	/* messages quote what servers and browsers sent; every front-end prints them */
	aa_text_safe_inplace(err->message, 0);
	return code;
}

char *aa_strdup0(const char *s)
{
	return s ? strdup(s) : NULL;
}

char *aa_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *out = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&out, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : out;
}

size_t aa_strv_len(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

void aa_strv_free(char **v)
{
	if (!v)
		return;
	for (size_t i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}
