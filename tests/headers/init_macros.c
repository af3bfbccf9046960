/* SPDX-License-Identifier: BSD-3-Clause */
/* init_macros.c - the AA_*_INIT macros give warning-free, versioned structs in C99 and C++11. */
#include "anaconda_auth.h"

int main(void)
{
	aa_request req = AA_REQUEST_INIT;
	aa_login_options opts = AA_LOGIN_OPTIONS_INIT;

	req.url = "/api/account";
	opts.timeout_s = 60;
	return req.version == AA_REQUEST_VERSION && opts.version == AA_LOGIN_OPTIONS_VERSION &&
	       opts.open_browser == 1 ? 0 : 1;
}
