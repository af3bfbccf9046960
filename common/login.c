/* SPDX-License-Identifier: BSD-3-Clause */
/* login.c - the whole login: discovery, choosing and running a flow, then minting the API key. */
#include <stdlib.h>

#include "config_struct.h"
#include "login_say.h"
#include "net_internal.h"

/* The device flow unless asked otherwise: 0.15's use_device_flow defaults to true. */
aa_login_flow aa_login_pick_flow(const aa_config *cfg, aa_login_flow requested)
{
	if (requested != AA_FLOW_AUTO)
		return requested;
	return cfg->use_device_flow == 0 ? AA_FLOW_BROWSER : AA_FLOW_DEVICE;
}

static aa_status run_flow(aa_client *c, const aa_config *cfg, const aa_oidc *oidc,
			  const aa_login_options *opts, aa_secret **access, aa_error *err)
{
	aa_login_flow flow = aa_login_pick_flow(cfg, opts->flow);

	/* Only the default chose the device flow here, so the browser flow may still work. */
	if (flow == AA_FLOW_DEVICE && !oidc->device_authorization_endpoint &&
	    opts->flow == AA_FLOW_AUTO && cfg->use_device_flow != 1) {
		aa_login_say(opts, "%s", "The login service does not offer the device flow; "
			     "using the browser flow instead.");
		flow = AA_FLOW_BROWSER;
	}
	if (flow == AA_FLOW_DEVICE)
		return aa_login_device(c, cfg, oidc, opts, access, err);
	return aa_login_browser(c, cfg, oidc, opts, access, err);
}

aa_status aa_login(const aa_config *cfg, const aa_login_options *opts,
		   aa_secret **api_key_out, aa_error *err)
{
	const aa_login_options defaults = AA_LOGIN_OPTIONS_INIT;
	aa_secret *access = NULL;
	aa_client *c = NULL;
	aa_oidc oidc = {0};
	aa_status st;

	*api_key_out = NULL;
	if (!opts)
		opts = &defaults;
	if (opts->version < 1 || opts->version > AA_LOGIN_OPTIONS_VERSION)
		return aa_fail(err, AA_ERR_USAGE,
			       "aa_login_options version %u is not one this library knows (1 to %d): "
			       "initialise it with AA_LOGIN_OPTIONS_INIT", opts->version,
			       AA_LOGIN_OPTIONS_VERSION);
	st = aa_client_new(cfg, &c, err);
	if (st == AA_OK)
		st = aa_oidc_discover(c, cfg, &oidc, err);
	if (st == AA_OK)
		st = run_flow(c, cfg, &oidc, opts, &access, err);
	if (st == AA_OK)
		st = aa_api_key_create(cfg, aa_secret_str(access), opts->scopes, opts->tags,
				       api_key_out, err);
	aa_secret_free(access);
	aa_oidc_free(&oidc);
	aa_client_free(c);
	return st;
}
