/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * curl_lazy.h - libcurl opened with dlopen on first network use, so programs
 * that never talk to a server never pay for loading its ~30 libraries.
 * curl's header still gives the types and constants; only calls go through
 * the table.
 */
#ifndef AA_CURL_LAZY_H
#define AA_CURL_LAZY_H

#include <curl/curl.h>

#include "internal.h"

/* The soname we open: the ABI our <curl/curl.h> describes. */
#define AA_CURL_SONAME "libcurl.so.4"

/* The libcurl functions the network code calls, named without "curl_". */
typedef struct aa_curl_api {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *h, CURLoption opt, ...);
	CURLcode (*easy_perform)(CURL *h);
	CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *h);
	const char *(*easy_strerror)(CURLcode rc);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
	void (*slist_free_all)(struct curl_slist *list);
	CURLU *(*url)(void);
	CURLUcode (*url_set)(CURLU *u, CURLUPart part, const char *s, unsigned int flags);
	CURLUcode (*url_get)(const CURLU *u, CURLUPart part, char **s, unsigned int flags);
	void (*url_cleanup)(CURLU *u);
	const char *(*url_strerror)(CURLUcode rc);
	void (*free)(void *p);
} aa_curl_api;

/*
 * The table, opening libcurl on the first call (thread-safe, once per
 * process; a failure is remembered). NULL with err set (AA_ERR_UNSUPPORTED,
 * "cannot load libcurl ...; install libcurl4") when it cannot be loaded.
 * Enough for the URL API; transfers want aa_curl_for_transfers().
 */
AA_HIDDEN const aa_curl_api *aa_curl(aa_error *err);

/* The same, after curl_global_init() has run once: for easy handles. */
AA_HIDDEN const aa_curl_api *aa_curl_for_transfers(aa_error *err);

/*
 * Tests: open `soname` instead of libcurl.so.4 from now on, forgetting an
 * earlier failure. Refused (returns -1) once libcurl is loaded.
 */
AA_HIDDEN int aa_curl_test_use_soname(const char *soname);

#endif /* AA_CURL_LAZY_H */
