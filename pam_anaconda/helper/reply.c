/* reply.c - writes the helper's single answer line. */
#include <stdio.h>

#include "helper.h"

void helper_reply(const char *word, const char *text)
{
	fputs(word, stdout);
	if (text && *text) {
		fputc(' ', stdout);
		for (; *text; text++)
			fputc((unsigned char)*text < 0x20 || *text == 0x7f ? '?'
									  : *text,
			      stdout);
	}
	fputc('\n', stdout);
	fflush(stdout);
}
