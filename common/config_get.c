/* SPDX-License-Identifier: BSD-3-Clause */
/* config_get.c - the public getters of the opaque aa_config. */
#include "config_struct.h"

const char *aa_config_domain(const aa_config *cfg)
{
	return cfg ? cfg->domain : NULL;
}

const aa_secret *aa_config_api_key(const aa_config *cfg)
{
	return cfg ? cfg->api_key : NULL;
}

const char *aa_config_api_key_source(const aa_config *cfg)
{
	return cfg ? cfg->api_key_source : NULL;
}

const char *aa_config_keyring_source(const aa_config *cfg)
{
	return cfg ? cfg->keyring_inline_source : NULL;
}

aa_storage aa_config_storage(const aa_config *cfg)
{
	return cfg ? cfg->storage : AA_STORAGE_FILE;
}

int aa_config_use_unified_repo_api_key(const aa_config *cfg)
{
	return cfg ? cfg->use_unified_repo_api_key : 0;
}

const char *aa_config_keyring_path(const aa_config *cfg)
{
	return cfg ? cfg->keyring_path : NULL;
}

const char *aa_config_notices(const aa_config *cfg)
{
	return cfg ? cfg->notices : NULL;
}
