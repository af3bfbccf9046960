/* SPDX-License-Identifier: BSD-3-Clause */
/* output.h - how `get` prints a credential: header, value or JSON. */
#ifndef CONDA_OUTPUT_H
#define CONDA_OUTPUT_H

#include "anaconda_auth.h"
#include "select.h"

typedef enum ch_format {
	CH_FORMAT_HEADER = 0, /* "Authorization: Bearer <key>" */
	CH_FORMAT_VALUE,      /* "Bearer <key>" */
	CH_FORMAT_JSON,       /* {"header": ..., "value": ..., ...} */
} ch_format;

/* "header" | "value" | "json" -> format; -1 for anything else. */
int ch_format_parse(const char *s);

/*
 * The text to print, ending in a newline. *out holds the secret: wipe it
 * (aa_free_secret_str). AA_ERR_PARSE when the secret has bytes an HTTP
 * header cannot carry (a CR/LF would let it inject headers).
 */
aa_status ch_format_credential(const struct ch_credential *c,
				  const struct ch_target *t, ch_format f,
				  char **out, size_t *out_len, aa_error *err);

#endif /* CONDA_OUTPUT_H */
