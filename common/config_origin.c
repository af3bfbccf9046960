/* SPDX-License-Identifier: BSD-3-Clause */
/* config_origin.c - what `anaconda-auth config` shows: each setting, its value and where it came from. */
#include <stdlib.h>
#include <string.h>

#include "config_struct.h"
#include "config_engine.h"
#include "util/aa_util.h"

size_t aa_config_count(void)
{
	return cfg_count();
}

const char *aa_config_origin(const aa_config *cfg, const char *name)
{
	int i = name ? cfg_find(name) : -1;

	if (!cfg || !cfg->state || i < 0)
		return NULL;
	return cfg->state->origin[i];
}

const char *aa_config_site(const aa_config *cfg, const char **why)
{
	const struct aa_config_state *st = cfg ? cfg->state : NULL;

	if (why)
		*why = st ? st->site_origin : NULL;
	return st ? st->site_name : NULL;
}

aa_status aa_config_item(const aa_config *cfg, size_t i, struct aa_config_item *out,
			 aa_error *err)
{
	memset(out, 0, sizeof(*out));
	if (!cfg || i >= cfg_count())
		return aa_fail(err, AA_ERR_USAGE, "aa_config_item: no such setting");
	out->name = cfg_name(i);
	out->origin = cfg->state && cfg->state->origin[i] ? cfg->state->origin[i] : "default";
	out->value = cfg_show(cfg, i);
	/* NULL is "unset" unless the text could not be made. */
	return AA_OK;
}
