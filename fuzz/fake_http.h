/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fake_http.h - a transport for the reply harnesses: the fuzz input is the
 * servers' side of the conversation, handed out one reply per request.
 *
 * The harnesses are linked with -Wl,--wrap=aa_client_request (and
 * nanosleep, aa_monotonic_s; see fake_wrap.c), so the login, account and
 * repo-token code runs unchanged above it: only libcurl is left out.
 *
 * Input format: replies separated by a line "---" ("\n---\n"). A reply may
 * start with a three-digit HTTP status and a newline ("404\n{...}"); without
 * one it is a 200. Status 000 stands for "no reply" (a network failure).
 * Requests made after the last reply fail as a network error.
 */
#ifndef FUZZ_FAKE_HTTP_H
#define FUZZ_FAKE_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "anaconda_auth.h"

/* Start a conversation on this input (the input must outlive it). */
void fake_http_begin(const uint8_t *data, size_t size);
/* Requests made since fake_http_begin. */
unsigned fake_http_requests(void);
/* Back to the real nanosleep and clock. */
void fake_http_end(void);

/* 1 between fake_http_begin and fake_http_end. */
int fake_http_active(void);
/* aa_client_request's contract, answered with the next reply of the input. */
aa_status fake_http_request(const aa_request *req, aa_response *resp, aa_error *err);
/* The simulated clock: sleeping advances it, every reading a little too. */
void fake_http_sleep(const struct timespec *req);
double fake_http_clock(void);

#endif /* FUZZ_FAKE_HTTP_H */
