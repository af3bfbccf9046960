/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fake_http.c - replies from the fuzz input in place of the network, and a
 * simulated clock so the device flow's polling costs no real time.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fake_http.h"
#include "internal.h"

#define SEPARATOR "\n---\n"
#define SEPARATOR_LEN 5

static struct {
	const char *p;     /* what is left of the input */
	size_t left;
	int active;
	int exhausted;
	unsigned requests;
	double clock;      /* simulated seconds */
} conv;

void fake_http_begin(const uint8_t *data, size_t size)
{
	conv.p = (const char *)data;
	conv.left = size;
	conv.active = 1;
	conv.exhausted = 0;
	conv.requests = 0;
	conv.clock = 1000.0;
}

unsigned fake_http_requests(void)
{
	return conv.requests;
}

void fake_http_end(void)
{
	memset(&conv, 0, sizeof(conv));
}

/* The next reply: its status, body and body length. 0 when none is left. */
static int next_reply(long *status, const char **body, size_t *len)
{
	const char *sep = NULL;
	size_t n;

	if (conv.exhausted)
		return 0;
	for (size_t i = 0; i + SEPARATOR_LEN <= conv.left && !sep; i++)
		if (!memcmp(conv.p + i, SEPARATOR, SEPARATOR_LEN))
			sep = conv.p + i;
	n = sep ? (size_t)(sep - conv.p) : conv.left;
	*status = 200;
	*body = conv.p;
	*len = n;
	if (n >= 4 && conv.p[3] == '\n' && conv.p[0] >= '0' && conv.p[0] <= '9' &&
	    conv.p[1] >= '0' && conv.p[1] <= '9' && conv.p[2] >= '0' && conv.p[2] <= '9') {
		*status = (conv.p[0] - '0') * 100 + (conv.p[1] - '0') * 10 + (conv.p[2] - '0');
		*body += 4;
		*len -= 4;
	}
	if (sep) {
		conv.p = sep + SEPARATOR_LEN;
		conv.left -= n + SEPARATOR_LEN;
	} else {
		conv.exhausted = 1;
	}
	return 1;
}

/* What aa_client_request promises its callers, with the reply from the input. */
aa_status fake_http_request(const aa_request *req, aa_response *resp, aa_error *err)
{
	const char *body;
	size_t len;
	long status;

	memset(resp, 0, sizeof(*resp));
	conv.requests++;
	if (!req || !req->url)
		return aa_fail(err, AA_ERR_USAGE, "no URL given for the request");
	if (req->body && strlen(req->body) < req->body_len)
		abort(); /* the caller claims more body than it has */
	if (!next_reply(&status, &body, &len) || status == 0)
		return aa_fail(err, AA_ERR_NETWORK, "the request to the fake server failed");
	resp->status = status;
	resp->body = malloc(len + 1);
	resp->content_type = strdup("application/json");
	if (!resp->body || !resp->content_type)
		abort();
	memcpy(resp->body, body, len);
	resp->body[len] = '\0';
	resp->body_len = len;
	resp->sent_auth = !(req->flags & AA_REQ_ANONYMOUS);
	if (status >= 200 && status <= 299)
		return AA_OK;
	if (status == 401 || status == 403)
		return aa_fail(err, resp->sent_auth ? AA_ERR_AUTH : AA_ERR_LOGIN_REQUIRED,
			       "the fake server answered HTTP %ld", status);
	return aa_fail(err, AA_ERR_SERVER, "the fake server answered HTTP %ld", status);
}

int fake_http_active(void)
{
	return conv.active;
}

void fake_http_sleep(const struct timespec *req)
{
	conv.clock += (double)req->tv_sec + (double)req->tv_nsec / 1e9;
}

double fake_http_clock(void)
{
	conv.clock += 0.001; /* time passes a little with every look at the clock */
	return conv.clock;
}
