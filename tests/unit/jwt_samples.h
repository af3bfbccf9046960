/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * jwt_samples.h - test JWTs for the unit tests, generated with Python's json
 * and base64 modules. Fake signatures: nothing here is a real key.
 */
#ifndef JWT_SAMPLES_H
#define JWT_SAMPLES_H

/* sub test-user, scopes [cloud:read, cloud:write], iat 1700000000, exp 4102444800 (2100-01-01) */
#define JWT_VALID \
	"eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAidGVzdC11c2VyIiwgInNjb3BlcyI6IFsiY2xvdWQ6cmVhZCIsICJjbG91ZDp3cml0ZSJdLCAiaWF0IjogMTcwMDAwMDAwMCwgImV4cCI6IDQxMDI0NDQ4MDAsICJ2ZXIiOiAiYXBpOjEifQ.bm90LWEtcmVhbC1zaWduYXR1cmU"
/* sub old-user, iat 900000000, exp 1000000000 (2001-09-09) */
#define JWT_EXPIRED \
	"eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAib2xkLXVzZXIiLCAiaWF0IjogOTAwMDAwMDAwLCAiZXhwIjogMTAwMDAwMDAwMH0.bm90LWEtcmVhbC1zaWduYXR1cmU"
/* sub test-user, iat 1700000000, no exp */
#define JWT_NO_EXP \
	"eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAidGVzdC11c2VyIiwgImlhdCI6IDE3MDAwMDAwMDB9.bm90LWEtcmVhbC1zaWduYXR1cmU"
/* exp 4102444800.75, iat 1700000000.5 (floats) */
#define JWT_FLOAT_EXP \
	"eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJleHAiOiA0MTAyNDQ0ODAwLjc1LCAiaWF0IjogMTcwMDAwMDAwMC41fQ.bm90LWEtcmVhbC1zaWduYXR1cmU"
/* scope "cloud:read  repo:read" (OAuth string form), exp 4102444800 */
#define JWT_SCOPE_STRING \
	"eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzY29wZSI6ICJjbG91ZDpyZWFkICByZXBvOnJlYWQiLCAiZXhwIjogNDEwMjQ0NDgwMH0.bm90LWEtcmVhbC1zaWduYXR1cmU"
/* exp "4102444800" (string), iat true, sub 5, scopes 7 */
#define JWT_WRONG_TYPES \
	"eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJleHAiOiAiNDEwMjQ0NDgwMCIsICJpYXQiOiB0cnVlLCAic3ViIjogNSwgInNjb3BlcyI6IDd9.bm90LWEtcmVhbC1zaWduYXR1cmU"
/* scopes ["a", 1, null, "b"], exp -5 */
#define JWT_MIXED_SCOPES \
	"eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzY29wZXMiOiBbImEiLCAxLCBudWxsLCAiYiJdLCAiZXhwIjogLTV9.bm90LWEtcmVhbC1zaWduYXR1cmU"
/* exp 1e300 (out of range) */
#define JWT_HUGE_EXP \
	"eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJleHAiOiAxZSszMDB9.bm90LWEtcmVhbC1zaWduYXR1cmU"
/* sub "evil\nuser\u00e9" with control and non-ASCII characters, exp 4102444800 */
#define JWT_SUB_CONTROL \
	"eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAiZXZpbFxudXNlclx1MDBlOSIsICJleHAiOiA0MTAyNDQ0ODAwfQ.bm90LWEtcmVhbC1zaWduYXR1cmU"
/* alg none, empty signature; sub u, exp 4102444800 */
#define JWT_UNSIGNED \
	"eyJhbGciOiAibm9uZSIsICJ0eXAiOiAiSldUIn0.eyJzdWIiOiAidSIsICJleHAiOiA0MTAyNDQ0ODAwfQ."
/* payload is a JSON array */
#define JWT_ARRAY_PAYLOAD "e30.WzEsMl0.c2ln"
/* payload is an object followed by garbage */
#define JWT_TRAILING_GARBAGE "e30.e30geA.c2ln"
/* header is not JSON */
#define JWT_BAD_HEADER "bm90IGpzb24.e30.c2ln"

#endif /* JWT_SAMPLES_H */
