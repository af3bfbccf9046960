/* SPDX-License-Identifier: BSD-3-Clause */
/* keyring_inline.c - the read-only backend for a whole keyring given as the `keyring` setting (ANACONDA_AUTH_KEYRING, a secrets file). */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "config_struct.h"
#include "keyring_backend.h"
#include "keyring_json.h"
#include "util/aa_util.h"

struct inline_be {
	struct aa_keyring_backend base;
	json_object *doc; /* {service: {domain: base64}}; wipes its strings when freed */
	char *source;     /* the variable or file it came from, for messages */
};

static struct inline_be *ib_of(struct aa_keyring_backend *be)
{
	return (struct inline_be *)be;
}

/*
 * 0.15 validates the setting as Dict[str, Dict[str, str]]: every service,
 * not only ours, must be an object of text values.
 */
static aa_status check_every_service(json_object *doc, const char **why)
{
	json_object_object_foreach(doc, service, entries) {
		(void)service;
		if (!json_object_is_type(entries, json_type_object)) {
			*why = "has a service that is not an object of domain: text entries";
			return AA_ERR_PARSE;
		}
		json_object_object_foreach(entries, domain, val) {
			(void)domain;
			if (!json_object_is_type(val, json_type_string)) {
				*why = "has a stored key that is not text";
				return AA_ERR_PARSE;
			}
		}
	}
	return AA_OK;
}

aa_status aa_keyring_inline_parse(const char *text, size_t len,
				  json_object **doc, const char **why)
{
	aa_status rc;

	*doc = NULL;
	*why = NULL;
	if (len > AA_KEYRING_MAX_BYTES) {
		*why = "is larger than 1 MiB";
		return AA_ERR_PARSE;
	}
	/* An empty keyring file reads as {}; an empty setting is a mistake. */
	if (aa_keyring_text_blank(text, len)) {
		*why = "is empty";
		return AA_ERR_PARSE;
	}
	rc = aa_keyring_json_parse(text, len, doc, why);
	if (rc == AA_OK && check_every_service(*doc, why) != AA_OK) {
		json_object_put(*doc);
		*doc = NULL;
		rc = AA_ERR_PARSE;
	}
	return rc;
}

/* The raw entry under exactly `domain`, checked to be a readable TokenInfo. */
static aa_status inline_get(struct aa_keyring_backend *be, const char *domain,
			    char **b64_out, aa_error *err)
{
	struct inline_be *ib = ib_of(be);
	json_object *svc = NULL, *val = NULL;
	aa_token_info *info = NULL;
	const char *b64;
	size_t len;

	*b64_out = NULL;
	if (!json_object_object_get_ex(ib->doc, AA_KEYRING_SERVICE, &svc) ||
	    !json_object_object_get_ex(svc, domain, &val))
		return aa_fail(err, AA_ERR_NOT_FOUND, "%s holds no key for %s",
			       ib->source, domain);
	b64 = json_object_get_string(val);
	len = (size_t)json_object_get_string_len(val);
	/* A setting to fix (exit 2), said here: "log in again" would not help. */
	if (aa_token_info_decode(b64, len, &info, NULL) != AA_OK)
		return aa_fail(err, AA_ERR_USAGE,
			       "%s: the entry for %s is not a stored key (base64 of a TokenInfo JSON); "
			       "copy it again from a working ~/.anaconda/keyring",
			       ib->source, domain);
	aa_token_info_free(info);
	*b64_out = strndup(b64, len);
	return *b64_out ? AA_OK : aa_fail(err, AA_ERR_NOMEM, "out of memory");
}

static aa_status inline_set(struct aa_keyring_backend *be, const char *domain,
			    const char *b64, aa_error *err)
{
	(void)domain;
	(void)b64;
	return aa_fail(err, AA_ERR_READONLY,
		       "the keys in %s are read-only; change or unset it instead",
		       ib_of(be)->source);
}

static aa_status inline_del(struct aa_keyring_backend *be,
			    const char *const *domains, int *removed,
			    aa_error *err)
{
	(void)domains;
	if (removed)
		*removed = 0;
	return inline_set(be, NULL, NULL, err);
}

static aa_status inline_list(struct aa_keyring_backend *be, char ***domains,
			     aa_error *err)
{
	json_object *svc = NULL;
	size_t n = 0;
	char **v;

	*domains = NULL;
	if (json_object_object_get_ex(ib_of(be)->doc, AA_KEYRING_SERVICE, &svc))
		n = (size_t)json_object_object_length(svc);
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	n = 0;
	if (svc) {
		json_object_object_foreach(svc, domain, val) {
			(void)val;
			if (!(v[n++] = strdup(domain))) {
				aa_strv_free(v);
				return aa_fail(err, AA_ERR_NOMEM, "out of memory");
			}
		}
	}
	*domains = v;
	return AA_OK;
}

static void inline_close(struct aa_keyring_backend *be)
{
	struct inline_be *ib = ib_of(be);

	if (!ib)
		return;
	json_object_put(ib->doc);
	free(ib->source);
	free(ib);
}

aa_status aa_keyring_inline_open(const aa_config *cfg,
				 struct aa_keyring_backend **out, aa_error *err)
{
	struct inline_be *ib;
	const char *source, *why = NULL;
	aa_status rc;

	*out = NULL;
	if (!cfg->keyring_inline)
		return aa_fail(err, AA_ERR_NOT_FOUND, "no keyring setting");
	source = cfg->keyring_inline_source ? cfg->keyring_inline_source : "the keyring setting";
	ib = calloc(1, sizeof(*ib));
	if (!ib)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	ib->source = strdup(source);
	rc = ib->source ? aa_keyring_inline_parse(aa_secret_str(cfg->keyring_inline),
						  aa_secret_len(cfg->keyring_inline),
						  &ib->doc, &why)
			: AA_ERR_NOMEM;
	if (rc != AA_OK) {
		inline_close(&ib->base);
		if (rc == AA_ERR_NOMEM)
			return aa_fail(err, rc, "out of memory");
		return aa_fail(err, AA_ERR_USAGE, "%s %s", source, why);
	}
	ib->base.abi = AA_KEYRING_BACKEND_ABI;
	ib->base.name = "inline";
	ib->base.location = ib->source;
	ib->base.writable = 0;
	ib->base.get = inline_get;
	ib->base.set = inline_set;
	ib->base.del = inline_del;
	ib->base.list = inline_list;
	ib->base.close = inline_close;
	*out = &ib->base;
	return AA_OK;
}
