/* SPDX-License-Identifier: BSD-3-Clause */
/* login_device.c - the device authorization flow (RFC 8628): show a code, poll until approved. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config_struct.h"
#include "login_say.h"
#include "net_internal.h"
#include "oauth.h"

#define GRANT_DEVICE "urn:ietf:params:oauth:grant-type:device_code"
#define DEFAULT_INTERVAL_S 5
#define DEFAULT_EXPIRES_S 300
#define SLOW_DOWN_S 5 /* RFC 8628 3.5 */

typedef struct device_auth {
	aa_secret *device_code;
	char *user_code;
	char *verification_uri;
	char *verification_uri_complete; /* may be NULL */
	long expires_in;
	long interval;
} device_auth;

static void device_auth_free(device_auth *d)
{
	aa_secret_free(d->device_code);
	free(d->user_code);
	free(d->verification_uri);
	free(d->verification_uri_complete);
	memset(d, 0, sizeof(*d));
}

static long member_long(json_object *doc, const char *name, long fallback)
{
	json_object *v;

	if (!json_object_object_get_ex(doc, name, &v) || !json_object_is_type(v, json_type_int))
		return fallback;
	return (long)json_object_get_int64(v);
}

static aa_status parse_device_auth(const aa_config *cfg, json_object *doc, const char *host,
				   device_auth *d, aa_error *err)
{
	const char *code = aa_json_str(doc, "device_code");
	const char *user = aa_json_str(doc, "user_code");
	const char *uri = aa_json_str(doc, "verification_uri");
	const char *complete = aa_json_str(doc, "verification_uri_complete");

	aa_status st;

	if (!code || !*code || !user || !*user || !uri || !*uri)
		return aa_fail(err, AA_ERR_SERVER,
			       "the device authorization reply from %s lacks device_code, user_code "
			       "or verification_uri", host);
	/* both are shown to the person and one is opened in their browser */
	st = aa_url_check_shown(cfg, "verification_uri", uri, err);
	if (st == AA_OK && complete)
		st = aa_url_check_shown(cfg, "verification_uri_complete", complete, err);
	if (st != AA_OK)
		return st;
	d->device_code = aa_secret_from_str(code);
	d->user_code = strdup(user);
	d->verification_uri = strdup(uri);
	d->verification_uri_complete = aa_strdup0(complete);
	d->expires_in = member_long(doc, "expires_in", DEFAULT_EXPIRES_S);
	d->interval = member_long(doc, "interval", DEFAULT_INTERVAL_S);
	if (d->interval < 1)
		d->interval = 1;
	if (d->expires_in < 1)
		d->expires_in = DEFAULT_EXPIRES_S;
	if (!d->device_code || !d->user_code || !d->verification_uri ||
	    (complete && !d->verification_uri_complete))
		return aa_oom(err);
	return AA_OK;
}

static aa_status start_device(aa_client *c, const aa_config *cfg, const char *endpoint,
			      device_auth *d, aa_error *err)
{
	const char *const pairs[] = {"client_id", cfg->client_id, "scope", AA_LOGIN_SCOPES, NULL};
	char *form = aa_form_encode(pairs);
	char *host = aa_url_host(endpoint);
	json_object *doc = NULL;
	aa_status st;

	if (!form || !host)
		st = aa_oom(err);
	else
		st = aa_oauth_post(c, endpoint, form, &doc, NULL, err);
	if (st == AA_OK)
		st = parse_device_auth(cfg, doc, host, d, err);
	aa_json_put_wiped(doc);
	free(form);
	free(host);
	return st;
}

/*
 * The browser gets a private page that forwards to the verification URL:
 * verification_uri_complete carries the user code, and another local user
 * who read it in the browser's command line could approve the code with
 * their own account first.
 */
static void show_code(const aa_login_options *opts, const device_auth *d, aa_login_page *page)
{
	aa_error err = {0};

	aa_login_say(opts, "%s", "To log in, open this page in a browser on any device:");
	aa_login_say(opts, "  %s", d->verification_uri);
	aa_login_say(opts, "and enter the code: %s", d->user_code);
	aa_login_say(opts, "The code expires in %ld:%02ld.", d->expires_in / 60, d->expires_in % 60);
	if (opts->open_browser) {
		const char *url = d->verification_uri_complete ? d->verification_uri_complete
							       : d->verification_uri;

		if (aa_login_page_open(url, page, &err) != AA_OK)
			aa_login_say(opts, "(%s)", err.message);
	}
}

/* Sleep until `until` (monotonic), ticking the UI about once a second with
 * the time left before `deadline`. */
static void wait_until(double until, double deadline, const aa_login_ui *ui)
{
	for (;;) {
		double now = aa_monotonic_s(), left = until - now;
		struct timespec ts;

		if (left <= 0)
			return;
		if (ui->countdown)
			ui->countdown(ui->ctx, (long)(deadline - now + 0.999));
		else if (ui->waiting)
			ui->waiting(ui->ctx, 0);
		if (left > 1.0)
			left = 1.0;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		/* EINTR just re-checks the clock; SIGINT's default action ends us */
		nanosleep(&ts, NULL);
	}
}

/* One token request. *done is set when the loop must stop. */
static aa_status poll_once(aa_client *c, const aa_config *cfg, const aa_oidc *oidc,
			   device_auth *d, aa_secret **access, int *done, aa_error *err)
{
	const char *const pairs[] = {
		"grant_type", GRANT_DEVICE,
		"device_code", aa_secret_str(d->device_code),
		"client_id", cfg->client_id,
		NULL,
	};
	char *form = aa_form_encode(pairs), *oerr = NULL;
	aa_status st;

	if (!form)
		return aa_oom(err);
	st = aa_oauth_token_request(c, oidc->token_endpoint, form, access, &oerr, err);
	aa_free_secret_str(form);
	*done = 1;
	if (st == AA_OK || !oerr) {
		free(oerr);
		return st;
	}
	if (strcmp(oerr, "authorization_pending") == 0) {
		*done = 0;
	} else if (strcmp(oerr, "slow_down") == 0) {
		d->interval += SLOW_DOWN_S;
		*done = 0;
	} else if (strcmp(oerr, "access_denied") == 0) {
		st = aa_fail(err, AA_ERR_DENIED, "the login was refused on the verification page");
	} else if (strcmp(oerr, "expired_token") == 0) {
		st = aa_fail(err, AA_ERR_TIMEOUT,
			     "the code %s expired before it was approved; run 'anaconda-auth login' again",
			     d->user_code);
	}
	free(oerr);
	if (!*done)
		aa_error_clear(err);
	return *done ? st : AA_OK;
}

static aa_status poll_for_token(aa_client *c, const aa_config *cfg, const aa_oidc *oidc,
				const aa_login_options *opts, device_auth *d,
				aa_secret **access, aa_error *err)
{
	long limit = opts->timeout_s > 0 && opts->timeout_s < d->expires_in ? opts->timeout_s
									    : d->expires_in;
	double deadline = aa_monotonic_s() + (double)limit;
	aa_status st = AA_OK;
	int done = 0;

	while (!done) {
		double next = aa_monotonic_s() + (double)d->interval;

		/* RFC 8628 3.5: wait `interval` before every poll, the first included */
		if (next > deadline) {
			st = aa_fail(err, AA_ERR_TIMEOUT,
				     "the login was not approved within %ld s; run 'anaconda-auth login' again",
				     limit);
			break;
		}
		wait_until(next, deadline, &opts->ui);
		st = poll_once(c, cfg, oidc, d, access, &done, err);
	}
	if (opts->ui.waiting)
		opts->ui.waiting(opts->ui.ctx, 1);
	return st;
}

aa_status aa_login_device(aa_client *c, const aa_config *cfg, const aa_oidc *oidc,
			  const aa_login_options *opts, aa_secret **access, aa_error *err)
{
	aa_login_page page = {.dirfd = -1};
	device_auth d = {0};
	aa_status st;

	*access = NULL;
	if (!oidc->device_authorization_endpoint) {
		char *host = aa_url_host(oidc->token_endpoint);

		st = aa_fail(err, AA_ERR_UNSUPPORTED,
			     "the login service at %s does not offer the device flow; "
			     "use 'anaconda-auth login --browser'", host ? host : cfg->domain);
		free(host);
		return st;
	}
	if (!cfg->client_id || !*cfg->client_id)
		return aa_fail(err, AA_ERR_USAGE, "no client_id is set; set ANACONDA_AUTH_CLIENT_ID");
	st = start_device(c, cfg, oidc->device_authorization_endpoint, &d, err);
	if (st == AA_OK) {
		show_code(opts, &d, &page);
		st = poll_for_token(c, cfg, oidc, opts, &d, access, err);
	}
	aa_login_page_remove(&page);
	device_auth_free(&d);
	return st;
}
