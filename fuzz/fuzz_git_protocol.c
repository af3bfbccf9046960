/* fuzz_git_protocol.c - libFuzzer harness for the git credential protocol reader and printer. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "anaconda_auth.h"
#include "../git-credential-anaconda/protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gca_request req;
	aa_error err;
	size_t used = 0;

	aa_error_clear(&err);
	if (gca_request_parse((const char *)data, size, &req, &used, &err) != AA_OK)
		return 0;
	if (used > size)
		__builtin_trap();
	/* Whatever was read must be printable again without a line break. */
	if (req.username && req.password) {
		gca_answer a = { .username = req.username, .password = req.password,
				 .bearer = gca_request_has_capability(&req, "authtype") };
		char *out = NULL;
		size_t len = 0;

		if (gca_answer_format(&a, &out, &len, &err) == AA_OK) {
			if (strlen(out) != len)
				__builtin_trap();
			aa_free_secret_str(out);
		}
	}
	gca_request_free(&req);
	return 0;
}
