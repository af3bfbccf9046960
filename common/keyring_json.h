/* SPDX-License-Identifier: BSD-3-Clause */
/* keyring_json.h - the keyring file format written the way Python's json.dump writes it. */
#ifndef AA_KEYRING_JSON_H
#define AA_KEYRING_JSON_H

#include <stddef.h>

#include "internal.h"
#include "json_util.h" /* struct aa_kbuf, the wiping text buffer */

/* An empty keyring document that wipes its strings when freed, like the
 * ones aa_keyring_json_parse() returns. NULL when out of memory. */
AA_HIDDEN struct json_object *aa_keyring_json_new(void);

/* json.dump(doc) with default separators and ensure_ascii, no newline. */
AA_HIDDEN aa_status aa_keyring_json_dump(struct json_object *doc,
					 struct aa_kbuf *out);

/* 1 when text[0..len) holds only blanks (an empty keyring). */
AA_HIDDEN int aa_keyring_text_blank(const char *text, size_t len);

#endif /* AA_KEYRING_JSON_H */
