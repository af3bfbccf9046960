/* SPDX-License-Identifier: BSD-3-Clause */
/* curl_lazy.c - opens libcurl on first network use and fills the table of the libcurl functions we call. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "curl_lazy.h"

/* Everything below is guarded by `lock`; the table never changes once filled. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static aa_curl_api api;
static int loaded;
static int load_failed;       /* remembered, with the reason in `why` */
static char why[512];        /* as long as aa_error.message */
static int global_ready;
static const char *soname = AA_CURL_SONAME;

/* Put dlsym's answer into a function-pointer slot (POSIX gives them one representation). */
static int resolve_symbol(void *h, const char *name, void *slot)
{
	void *p = dlsym(h, name);

	if (!p) {
		snprintf(why, sizeof(why),
			 "cannot load libcurl (%s): it has no %s; install libcurl4 7.85 or later",
			 soname, name);
		return -1;
	}
	memcpy(slot, &p, sizeof(p));
	return 0;
}

#define RESOLVE(field) resolve_symbol(h, "curl_" #field, &t->field)

static int resolve_all(void *h, aa_curl_api *t)
{
	return RESOLVE(global_init) || RESOLVE(easy_init) || RESOLVE(easy_setopt) ||
	       RESOLVE(easy_perform) || RESOLVE(easy_getinfo) || RESOLVE(easy_cleanup) ||
	       RESOLVE(easy_strerror) || RESOLVE(slist_append) || RESOLVE(slist_free_all) ||
	       RESOLVE(url) || RESOLVE(url_set) || RESOLVE(url_get) || RESOLVE(url_cleanup) ||
	       RESOLVE(url_strerror) || RESOLVE(free);
}

#undef RESOLVE

static int load_locked(void)
{
	aa_curl_api t;
	void *h;

	if (loaded)
		return 0;
	if (load_failed)
		return -1;
	/* RTLD_LOCAL: curl's many dependencies stay out of the global symbol scope */
	h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(why, sizeof(why), "cannot load libcurl (%s): %s; install libcurl4",
			 soname, dlerror());
		load_failed = 1;
		return -1;
	}
	memset(&t, 0, sizeof(t));
	if (resolve_all(h, &t) != 0) {
		dlclose(h);
		load_failed = 1;
		return -1;
	}
	/* Never closed: libcurl keeps global state for the life of the process. */
	api = t;
	loaded = 1;
	return 0;
}

const aa_curl_api *aa_curl(aa_error *err)
{
	const aa_curl_api *out = &api;

	pthread_mutex_lock(&lock);
	if (load_locked() != 0) {
		aa_fail(err, AA_ERR_UNSUPPORTED, "%s", why);
		out = NULL;
	}
	pthread_mutex_unlock(&lock);
	return out;
}

const aa_curl_api *aa_curl_for_transfers(aa_error *err)
{
	const aa_curl_api *out = &api;
	CURLcode rc;

	pthread_mutex_lock(&lock);
	if (load_locked() != 0) {
		aa_fail(err, AA_ERR_UNSUPPORTED, "%s", why);
		out = NULL;
	} else if (!global_ready) {
		/* curl_global_init is not thread-safe everywhere: the lock covers it */
		rc = api.global_init(CURL_GLOBAL_DEFAULT);
		if (rc == CURLE_OK) {
			global_ready = 1;
		} else {
			aa_fail(err, AA_ERR_NETWORK, "cannot initialise libcurl: %s",
				api.easy_strerror(rc));
			out = NULL;
		}
	}
	pthread_mutex_unlock(&lock);
	return out;
}

int aa_curl_test_use_soname(const char *name)
{
	int rc = -1;

	pthread_mutex_lock(&lock);
	if (!loaded) {
		soname = name;
		load_failed = 0;
		rc = 0;
	}
	pthread_mutex_unlock(&lock);
	return rc;
}
