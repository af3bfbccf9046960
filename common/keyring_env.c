/* SPDX-License-Identifier: BSD-3-Clause */
/* keyring_env.c - the read-only backend for an API key given in the environment (or a flag). */
#include <stdlib.h>
#include <string.h>

#include "config_struct.h"
#include "keyring_backend.h"
#include "util/aa_util.h"

struct env_be {
	struct aa_keyring_backend base;
	char *domain;      /* the configured domain: the only entry there is */
	aa_secret *key;
	char *source;      /* the variable it came from */
};

static struct env_be *eb_of(struct aa_keyring_backend *be)
{
	return (struct env_be *)be;
}

/* Like the Python ConfigKeyring: one synthesised TokenInfo for the configured domain. */
static aa_status env_be_get(struct aa_keyring_backend *be, const char *domain,
			 char **b64_out, aa_error *err)
{
	struct env_be *eb = eb_of(be);
	aa_token_info *info;
	aa_secret *b64 = NULL;
	aa_status rc;

	*b64_out = NULL;
	if (strcmp(domain, eb->domain) != 0)
		return aa_fail(err, AA_ERR_NOT_FOUND, "%s holds a key for %s, not %s",
			       eb->source, eb->domain, domain);
	info = aa_token_info_new(eb->domain);
	if (!info)
		return aa_oom(err);
	rc = aa_token_info_set_api_key(info, aa_secret_str(eb->key));
	if (rc == AA_OK)
		rc = aa_token_info_encode(info, &b64, err);
	else
		aa_fail(err, rc, "out of memory");
	aa_token_info_free(info);
	if (rc != AA_OK)
		return rc;
	*b64_out = strdup(aa_secret_str(b64));
	aa_secret_free(b64);
	return *b64_out ? AA_OK : aa_oom(err);
}

static aa_status env_be_set(struct aa_keyring_backend *be, const char *domain,
			 const char *b64, aa_error *err)
{
	(void)domain;
	(void)b64;
	return aa_fail(err, AA_ERR_READONLY,
		       "the API key from %s cannot be changed here; unset it to use the stored key",
		       eb_of(be)->source);
}

static aa_status env_be_del(struct aa_keyring_backend *be,
			 const char *const *domains, int *removed,
			 aa_error *err)
{
	(void)domains;
	if (removed)
		*removed = 0;
	return env_be_set(be, NULL, NULL, err);
}

static aa_status env_be_list(struct aa_keyring_backend *be, char ***domains,
			  aa_error *err)
{
	char **v = calloc(2, sizeof(*v));

	*domains = NULL;
	if (!v || !(v[0] = strdup(eb_of(be)->domain))) {
		free(v);
		return aa_oom(err);
	}
	*domains = v;
	return AA_OK;
}

static void env_be_close(struct aa_keyring_backend *be)
{
	struct env_be *eb = eb_of(be);

	if (!eb)
		return;
	free(eb->domain);
	aa_secret_free(eb->key);
	free(eb->source);
	free(eb);
}

aa_status aa_keyring_env_open(const aa_config *cfg,
			      struct aa_keyring_backend **out, aa_error *err)
{
	struct env_be *eb;

	*out = NULL;
	if (!cfg->api_key)
		return aa_fail(err, AA_ERR_NOT_FOUND, "no API key in the environment");
	eb = calloc(1, sizeof(*eb));
	if (!eb)
		return aa_oom(err);
	eb->domain = strdup(cfg->domain ? cfg->domain : AA_DEFAULT_DOMAIN);
	eb->key = aa_secret_dup(cfg->api_key);
	eb->source = strdup(cfg->api_key_source ? cfg->api_key_source
						: "the API key setting");
	if (!eb->domain || !eb->key || !eb->source) {
		env_be_close(&eb->base);
		return aa_oom(err);
	}
	eb->base.abi = AA_KEYRING_BACKEND_ABI;
	eb->base.name = "env";
	eb->base.location = eb->source;
	eb->base.writable = 0;
	eb->base.get = env_be_get;
	eb->base.set = env_be_set;
	eb->base.del = env_be_del;
	eb->base.list = env_be_list;
	eb->base.close = env_be_close;
	*out = &eb->base;
	return AA_OK;
}
