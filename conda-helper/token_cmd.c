/* token_cmd.c - `token install|list|remove`: repo tokens kept in the TokenInfo. */
#include "conda_helper.h"

int cmd_token(struct ch *ch, int argc, char **argv)
{
	(void)ch;
	(void)argc;
	(void)argv;
	return ch_fail(AA_ERR_UNSUPPORTED, "token is not available yet");
}
