/* SPDX-License-Identifier: BSD-3-Clause */
/* keyring_system.c - loads the Secret Service backend module, so GLib stays out of the core. */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "config_struct.h"
#include "keyring_backend.h"
#include "session_bus.h"

#ifndef AA_MODULEDIR
#define AA_MODULEDIR "/usr/local/lib/anaconda-auth"
#endif

/* Tests stand in for the module with an in-process opener. */
static aa_secret_backend_open_fn test_opener;

void aa_keyring_system_set_opener(aa_secret_backend_open_fn fn)
{
	test_opener = fn;
}

aa_status aa_keyring_system_open(const aa_config *cfg,
				 struct aa_keyring_backend **out,
				 void **handle, aa_error *err)
{
	/* secure_getenv: a setuid caller must not load a module named by the user. */
	const char *path = secure_getenv(AA_SECRET_MODULE_ENV);
	char *own = NULL;
	aa_secret_backend_open_fn open_fn;
	aa_status rc;
	void *h;

	*out = NULL;
	*handle = NULL;
	if (test_opener)
		return test_opener(cfg, out, err);
	/* Before GLib ever connects: a key must not go to another user's keyring. */
	rc = aa_session_bus_check(err);
	if (rc != AA_OK)
		return rc;
	if (!path || !*path) {
		own = aa_asprintf("%s/%s", AA_MODULEDIR, AA_SECRET_MODULE_NAME);
		if (!own)
			return aa_oom(err);
		path = own;
	}
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		rc = aa_fail(err, AA_ERR_UNSUPPORTED,
			     "the Secret Service module %s could not be loaded (%s)",
			     path, dlerror());
		free(own);
		return rc;
	}
	*(void **)(&open_fn) = dlsym(h, AA_SECRET_BACKEND_SYMBOL);
	if (!open_fn) {
		rc = aa_fail(err, AA_ERR_UNSUPPORTED,
			     "%s is not an anaconda-auth Secret Service module (no %s)",
			     path, AA_SECRET_BACKEND_SYMBOL);
		dlclose(h);
		free(own);
		return rc;
	}
	free(own);
	aa_error_clear(err);
	rc = open_fn(cfg, out, err);
	if (rc == AA_OK && (!*out || (*out)->abi != AA_KEYRING_BACKEND_ABI)) {
		if (*out && (*out)->close)
			(*out)->close(*out);
		*out = NULL;
		rc = aa_fail(err, AA_ERR_UNSUPPORTED,
			     "the Secret Service module does not match this library version");
	}
	if (rc != AA_OK) {
		if (err && !err->message[0])
			aa_fail(err, rc, "the Secret Service is not available");
		dlclose(h);
		return rc;
	}
	*handle = h;
	return AA_OK;
}
