/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * app.h - the git-credential-anaconda command line: options, dispatch on
 * the action git names last, and what reaches stdout and stderr.
 */
#ifndef GCA_APP_H
#define GCA_APP_H

#define GCA_PROG "git-credential-anaconda"

/* Run the helper; returns the process exit code. */
int gca_main(int argc, char **argv);

#endif /* GCA_APP_H */
