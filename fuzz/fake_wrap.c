/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fake_wrap.c - the --wrap entry points of the fuzz link: while a fake
 * conversation runs, requests, sleeps and clock readings go to fake_http.c.
 */
#include <time.h>

#include "fake_http.h"

aa_status __wrap_aa_client_request(aa_client *c, const aa_request *req, aa_response *resp,
				   aa_error *err);
aa_status __real_aa_client_request(aa_client *c, const aa_request *req, aa_response *resp,
				   aa_error *err);
int __wrap_nanosleep(const struct timespec *req, struct timespec *rem);
int __real_nanosleep(const struct timespec *req, struct timespec *rem);
double __wrap_aa_monotonic_s(void);
double __real_aa_monotonic_s(void);

aa_status __wrap_aa_client_request(aa_client *c, const aa_request *req, aa_response *resp,
				   aa_error *err)
{
	if (!fake_http_active())
		return __real_aa_client_request(c, req, resp, err);
	return fake_http_request(req, resp, err);
}

int __wrap_nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (!fake_http_active())
		return __real_nanosleep(req, rem);
	fake_http_sleep(req);
	return 0;
}

double __wrap_aa_monotonic_s(void)
{
	if (!fake_http_active())
		return __real_aa_monotonic_s();
	return fake_http_clock();
}
