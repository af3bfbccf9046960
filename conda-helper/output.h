/* SPDX-License-Identifier: BSD-3-Clause */
/* output.h - how `get` prints a credential: header, value or JSON. */
#ifndef CONDA_OUTPUT_H
#define CONDA_OUTPUT_H

#include "anaconda_auth.h"
#include "select.h"

typedef enum conda_format {
	CONDA_FORMAT_HEADER = 0, /* "Authorization: Bearer <key>" */
	CONDA_FORMAT_VALUE,      /* "Bearer <key>" */
	CONDA_FORMAT_JSON,       /* {"header": ..., "value": ..., ...} */
} conda_format;

/* "header" | "value" | "json" -> format; -1 for anything else. */
int conda_format_parse(const char *s);

/*
 * The text to print, ending in a newline. *out holds the secret: wipe it
 * (aa_free_secret_str). AA_ERR_PARSE when the secret has bytes an HTTP
 * header cannot carry (a CR/LF would let it inject headers).
 */
aa_status conda_format_credential(const struct conda_credential *c,
				  const struct conda_target *t, conda_format f,
				  char **out, size_t *out_len, aa_error *err);

#endif /* CONDA_OUTPUT_H */
