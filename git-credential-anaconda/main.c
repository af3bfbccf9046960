/* SPDX-License-Identifier: BSD-3-Clause */
/* main.c - entry point of git-credential-anaconda. */
#include "app.h"

int main(int argc, char **argv)
{
	return gca_main(argc, argv);
}
