/* SPDX-License-Identifier: BSD-3-Clause */
/* cmd_request.c - 'request': one authenticated HTTPS request, like curl; the body goes to stdout. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "internal.h"

#define BODY_MAX (8u * 1024u * 1024u)

static const char request_usage[] =
	"usage: anaconda-auth request [-X METHOD] [-d DATA|@file|@-] [-H 'Name: value']... PATH\n"
	"Send a request to https://<domain>/PATH (or an absolute https:// URL) with\n"
	"the API key in effect, and write the reply body to stdout. -d sends DATA\n"
	"(JSON when it starts with { or [, else a form) and makes the default method POST.\n"
	"METHOD is an HTTP token (e.g. GET, DELETE). The key goes only to the domain's\n"
	"host; redirects are not followed.\n"
	"Exit: 0 for 2xx, 3 login required or key refused, 4 key expired,\n"
	"5 any other status (the status line goes to stderr) or a network error.\n";

struct request_args {
	const char *method;
	const char *data;     /* -d argument as given */
	const char **headers; /* NULL-terminated */
	size_t n_headers;
	const char *path;
};

/* -d @file / @- / literal text -> a malloc'd body. */
static int load_body(struct cli *cli, const char *data, char **body, size_t *len)
{
	int fd, rc;

	if (data[0] != '@') {
		*body = strdup(data);
		*len = strlen(data);
		return *body ? 0 : fe_oom(&cli->fe);
	}
	fd = strcmp(data, "@-") == 0 ? dup(STDIN_FILENO) : open(data + 1, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cli_fail(cli, AA_ERR_USAGE, "cannot read %s: %s", data + 1, strerror(errno));
	rc = aa_read_fd(fd, BODY_MAX, body, len);
	close(fd);
	if (rc != 0)
		return cli_fail(cli, AA_ERR_USAGE, "cannot read %s: %s", data + 1,
				errno == EFBIG ? "larger than 8 MiB" : strerror(errno));
	return 0;
}

static const char *guess_type(const char *body)
{
	body += strspn(body, " \t\r\n");
	return (*body == '{' || *body == '[') ? "application/json"
					      : "application/x-www-form-urlencoded";
}

static const struct fe_opt request_opts[] = {
	{ "request", 'X', FE_VALUE, NULL, NULL },
	{ "data", 'd', FE_VALUE, NULL, NULL },
	{ "header", 'H', FE_VALUE, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL },
};

static int on_request_opt(struct fe *fe, void *ctx, int key, const char *v)
{
	struct request_args *a = ctx;

	switch (key) {
	case 'X': a->method = v; break;
	case 'd': a->data = v; break;
	case 'H':
		if (!strchr(v, ':'))
			return fe_usage_error(fe, "request", "-H needs 'Name: value' (got '%s')", v);
		a->headers[a->n_headers++] = v;
		break;
	default:
		if (a->path)
			return fe_usage_error(fe, "request", "unexpected argument '%s'", v);
		a->path = v;
	}
	return 0;
}

/* Returns FE_GO_ON to go on, else an exit code. */
static int parse_request_args(struct cli *cli, int argc, char **argv, struct request_args *a)
{
	int code = cli_parse(cli, request_usage, request_opts, argc, argv, on_request_opt, a);

	if (code != FE_GO_ON)
		return code;
	if (!a->path)
		return cli_fail(cli, AA_ERR_USAGE, "request: which PATH? (see --help)");
	return FE_GO_ON;
}

static int print_reply(struct cli *cli, aa_status st, const aa_request *req, const aa_response *resp,
		  const aa_error *err)
{
	if (resp->body_len && fwrite(resp->body, 1, resp->body_len, stdout) != resp->body_len)
		return cli_fail(cli, AA_ERR_GENERIC, "cannot write the reply to stdout");
	if (fflush(stdout) != 0)
		return cli_fail(cli, AA_ERR_GENERIC, "cannot write the reply to stdout");
	if (st == AA_OK)
		return AA_EXIT_OK;
	if (st == AA_ERR_SERVER && resp->status)
		return cli_fail(cli, st, "HTTP %ld from %s %s", resp->status, req->method, req->url);
	return cli_fail_err(cli, err);
}

int cli_cmd_request(void *ctx, int argc, char **argv)
{
	struct cli *cli = ctx;
	struct request_args a = {0};
	aa_request req = AA_REQUEST_INIT;
	aa_response resp = {0};
	aa_client *c = NULL;
	char *body = NULL;
	size_t body_len = 0;
	aa_error err;
	aa_status st;
	int code;

	a.headers = calloc((size_t)argc + 1, sizeof(*a.headers));
	if (!a.headers)
		return fe_oom(&cli->fe);
	code = parse_request_args(cli, argc, argv, &a);
	if (code == FE_GO_ON && a.data)
		code = load_body(cli, a.data, &body, &body_len) ? AA_EXIT_USAGE : FE_GO_ON;
	aa_error_clear(&err);
	if (code == FE_GO_ON && aa_client_new(cli->cfg, &c, &err) != AA_OK)
		code = cli_fail_err(cli, &err);
	if (code == FE_GO_ON) {
		req.method = a.method ? a.method : (body ? "POST" : "GET");
		req.url = a.path;
		req.body = body;
		req.body_len = body_len;
		req.content_type = body ? guess_type(body) : NULL;
		req.headers = a.headers;
		st = aa_client_request(c, &req, &resp, &err);
		code = print_reply(cli, st, &req, &resp, &err);
	}
	aa_response_free(&resp);
	aa_client_free(c);
	if (body) {
		aa_memzero(body, body_len);
		free(body);
	}
	free(a.headers);
	return code;
}
