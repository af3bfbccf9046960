/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fe.c - the front-end kit: option tables parsed with getopt_long, the
 * shared setting flags, subcommand lookup and "prog: message" output.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fe.h"

/* Keys of the kit's own options and of setting flags (index added). */
enum { KEY_HELP = 'h', KEY_VERSION = 'V', KEY_VERBOSE = 'v', KEY_SETTING = 0x1000 };

const struct fe_opt fe_setting_flags[] = {
	{ "domain", 0, FE_VALUE, "domain", NULL },
	{ "ssl-verify", 0, FE_OPTIONAL, "ssl_verify", "1" },
	{ "no-ssl-verify", 0, FE_NONE, "ssl_verify", "0" },
	{ "storage", 0, FE_VALUE, "preferred_token_storage", NULL },
	{ "keyring-path", 0, FE_VALUE, "keyring_path", NULL },
	{ "at", 0, FE_VALUE, "site", NULL },
	{ NULL, 0, 0, NULL, NULL },
};

void fe_vreportf(const struct fe *fe, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", fe->prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void fe_reportf(const struct fe *fe, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fe_vreportf(fe, fmt, ap);
	va_end(ap);
}

void fe_verbosef(const struct fe *fe, const char *fmt, ...)
{
	va_list ap;

	if (!fe->verbose)
		return;
	va_start(ap, fmt);
	fe_vreportf(fe, fmt, ap);
	va_end(ap);
}

int fe_usage_error(const struct fe *fe, const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", fe->prog);
	if (cmd)
		fprintf(stderr, "%s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see %s%s%s --help)\n", fe->prog, cmd ? " " : "", cmd ? cmd : "");
	return FE_EXIT_USAGE;
}

int fe_oom(const struct fe *fe)
{
	fe_reportf(fe, "%s", aa_strerror(AA_ERR_NOMEM));
	return aa_exit_code(AA_ERR_NOMEM);
}

void fe_show_notices(const struct fe *fe, const char *notices)
{
	/* Notices are few and short: one stderr line each, never a secret. */
	while (notices && *notices) {
		size_t n = strcspn(notices, "\n");

		fprintf(stderr, "%s: %.*s\n", fe->prog, (int)n, notices);
		notices += n + (notices[n] == '\n');
	}
}

int fe_apply_setting(struct fe *fe, const char *field, const char *value,
		     const char *flag)
{
	const char *notices = aa_config_notices(fe->cfg);
	size_t shown = notices ? strlen(notices) : 0;
	aa_error err;

	if (!fe->cfg)
		return 0; /* --help before any settings were loaded: nothing to set */
	aa_error_clear(&err);
	if (aa_config_set(fe->cfg, field, value, flag, &err) != AA_OK) {
		fe_reportf(fe, "%s", err.message[0] ? err.message : aa_strerror(err.code));
		return FE_EXIT_USAGE;
	}
	/* A flag can make a .env setting moot; say so (the rest was said). */
	notices = aa_config_notices(fe->cfg);
	if (notices && strlen(notices) > shown)
		fe_show_notices(fe, notices + shown + (shown > 0));
	return 0;
}

void fe_warn_line(void *prog, const char *line)
{
	fprintf(stderr, "%s: %s\n", (const char *)prog, line);
}

const struct fe_cmd *fe_find_cmd(const struct fe_cmd *cmds, const char *name)
{
	for (; cmds->name; cmds++)
		if (!strcmp(cmds->name, name))
			return cmds;
	return NULL;
}

int fe_has_flag(int argc, char **argv, const char *flag)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], flag))
			return 1;
	return 0;
}

int fe_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help") ||
		    !strcmp(argv[i], "-V") || !strcmp(argv[i], "--version"))
			return 1;
	return 0;
}

void fe_list_cmds(FILE *out, const struct fe_cmd *cmds)
{
	int width = 9;

	for (const struct fe_cmd *c = cmds; c->name; c++)
		if ((int)strlen(c->name) + 1 > width)
			width = (int)strlen(c->name) + 1;
	for (; cmds->name; cmds++)
		fprintf(out, "  %-*s %s\n", width, cmds->name, cmds->summary);
}

static size_t table_len(const struct fe_opt *t)
{
	size_t n = 0;

	while (t && (t[n].name || t[n].key))
		n++;
	return n;
}

/* The getopt tables for one parse: the caller's, the settings, the kit's. */
struct tables {
	struct option *longs;
	char shorts[128];
	const struct fe_opt *opts, *settings;
};

static void add_opt(struct tables *t, size_t *nl, size_t *ns, const char *name,
		    int arg, int key)
{
	int has = arg == FE_VALUE ? required_argument :
		  arg == FE_OPTIONAL ? optional_argument : no_argument;

	if (name)
		t->longs[(*nl)++] = (struct option){ name, has, NULL, key };
	if (key > 0 && key < 128 && *ns + 3 < sizeof(t->shorts)) {
		t->shorts[(*ns)++] = (char)key;
		if (arg == FE_VALUE)
			t->shorts[(*ns)++] = ':';
	}
}

static int build_tables(const struct fe *fe, struct tables *t, int stop_at_arg)
{
	size_t no = table_len(t->opts), nset = table_len(t->settings);
	size_t nl = 0, ns = 0;

	t->longs = calloc(no + nset + 4, sizeof(*t->longs));
	if (!t->longs)
		return -1;
	/* '-' hands positionals over in order, '+' stops at the first one;
	 * ':' lets the kit word a missing value itself. */
	t->shorts[ns++] = stop_at_arg ? '+' : '-';
	t->shorts[ns++] = ':';
	add_opt(t, &nl, &ns, "help", FE_NONE, KEY_HELP);
	add_opt(t, &nl, &ns, "version", FE_NONE, KEY_VERSION);
	if (!fe->no_verbose)
		add_opt(t, &nl, &ns, "verbose", FE_NONE, KEY_VERBOSE);
	for (size_t i = 0; i < nset; i++)
		add_opt(t, &nl, &ns, t->settings[i].name, t->settings[i].arg,
			KEY_SETTING + (int)i);
	for (size_t i = 0; i < no; i++)
		add_opt(t, &nl, &ns, t->opts[i].name, t->opts[i].arg, t->opts[i].key);
	t->shorts[ns] = '\0';
	return 0;
}

/* The argv word that held the option getopt just returned. */
static const char *option_word(int argc, char **argv)
{
	int at = optind - 1;

	if (optarg && at > 0 && at < argc && argv[at] == optarg)
		at--;
	return at > 0 && at < argc ? argv[at] : "";
}

/* getopt_long takes unique abbreviations; the front-ends take exact names. */
static int abbreviated(const char *word, const char *name)
{
	size_t n;

	if (strncmp(word, "--", 2))
		return 0;
	n = strcspn(word + 2, "=");
	return strlen(name) != n || strncmp(word + 2, name, n);
}

static int on_key(struct fe *fe, const struct tables *t, const char *cmd,
		  const char *usage, int key, fe_opt_fn fn, void *ctx)
{
	switch (key) {
	case KEY_HELP:
		if (usage)
			fputs(usage, stdout);
		else if (fe->help)
			fe->help(stdout);
		return 0;
	case KEY_VERSION:
		printf("%s %s\n", fe->prog, fe->version);
		return 0;
	case KEY_VERBOSE:
		fe->verbose++;
		return FE_GO_ON;
	default:
		break;
	}
	if (key >= KEY_SETTING) {
		const struct fe_opt *s = &t->settings[key - KEY_SETTING];
		char flag[64];

		snprintf(flag, sizeof(flag), "--%s", s->name);
		return fe_apply_setting(fe, s->setting, optarg ? optarg : s->fixed, flag) ?
			FE_EXIT_USAGE : FE_GO_ON;
	}
	if (!fn)
		return fe_usage_error(fe, cmd, "unexpected argument '%s'", optarg ? optarg : "?");
	key = fn(fe, ctx, key, optarg);
	return key ? key : FE_GO_ON;
}

static int bad_option(const struct fe *fe, const char *cmd, int c, int argc,
		      char **argv)
{
	if (c == ':')
		return fe_usage_error(fe, cmd, "'%s' needs a value", argv[optind - 1]);
	if (optopt > 0 && optopt < 128 && !(optind > 0 && optind <= argc &&
					  !strncmp(argv[optind - 1], "--", 2)))
		return fe_usage_error(fe, cmd, "unknown option '-%c'", optopt);
	return fe_usage_error(fe, cmd, "unknown option '%s'", argv[optind - 1]);
}

int fe_parse(struct fe *fe, const char *cmd, const char *usage,
	     const struct fe_opt *opts, const struct fe_opt *settings,
	     int argc, char **argv, fe_opt_fn fn, void *ctx,
	     int stop_at_arg, int *next)
{
	struct tables t = { .opts = opts, .settings = settings };
	int code = FE_GO_ON, c, li;

	if (build_tables(fe, &t, stop_at_arg) < 0) {
		return fe_oom(fe);
	}
	optind = 0; /* glibc: start afresh on this argv */
	opterr = 0;
	while (code == FE_GO_ON &&
	       (c = getopt_long(argc, argv, t.shorts, t.longs, (li = -1, &li))) != -1) {
		if (c == '?' || c == ':')
			code = bad_option(fe, cmd, c, argc, argv);
		else if (li >= 0 && c != FE_ARG && abbreviated(option_word(argc, argv), t.longs[li].name))
			code = fe_usage_error(fe, cmd, "unknown option '%s'", option_word(argc, argv));
		else
			code = on_key(fe, &t, cmd, usage, c, fn, ctx);
	}
	/* After "--" every word is an argument. */
	for (int i = optind; code == FE_GO_ON && !stop_at_arg && i < argc; i++) {
		optarg = argv[i];
		code = on_key(fe, &t, cmd, usage, FE_ARG, fn, ctx);
	}
	if (next)
		*next = optind;
	free(t.longs);
	return code;
}

int fe_parse_globals(struct fe *fe, const struct fe_opt *settings, int argc,
		     char **argv, int *first)
{
	int code = fe_parse(fe, NULL, NULL, NULL, settings, argc, argv, NULL,
			    NULL, 1, first);

	if (code == FE_GO_ON && *first >= argc) {
		if (fe->help)
			fe->help(stderr);
		code = FE_EXIT_USAGE;
	}
	return code;
}
