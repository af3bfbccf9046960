/* keyring_json.h - the keyring file format written the way Python's json.dump writes it. */
#ifndef AA_KEYRING_JSON_H
#define AA_KEYRING_JSON_H

#include <stddef.h>

#include "internal.h"

struct json_object;

/* A growable text buffer that is wiped when it grows and when freed. */
struct aa_kbuf {
	char *p;
	size_t len, cap;
	int oom;
};

/* json.dump(doc) with default separators and ensure_ascii, no newline. */
AA_HIDDEN aa_status aa_keyring_json_dump(struct json_object *doc,
					 struct aa_kbuf *out);
AA_HIDDEN void aa_kbuf_free(struct aa_kbuf *b);

#endif /* AA_KEYRING_JSON_H */
