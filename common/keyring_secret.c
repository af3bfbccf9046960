/* SPDX-License-Identifier: BSD-3-Clause */
/* keyring_secret.c - the Secret Service key store (libsecret), built as the loadable module anaconda-auth-secret.so so GLib stays out of the core. */

/*
 * Items look exactly like the ones python-keyring writes, so the Python
 * tools and ours share them: attributes service="Anaconda Cloud",
 * username=<domain>, application="Python keyring library", schema
 * org.freedesktop.Secret.Generic, label "Password for '<domain>' on
 * 'Anaconda Cloud'", the base64 TokenInfo as the secret.
 *
 * Rules this file keeps:
 * - No libsecret call may block: every call is started asynchronously on a
 *   private main context and waited for with a deadline, after which its
 *   GCancellable fires (ANACONDA_AUTH_SECRET_TIMEOUT seconds, default 5).
 * - No prompt is ever shown: we never ask libsecret to unlock, so a locked
 *   collection is reported instead of a dialog nobody may see.
 * - No GLib warnings on stderr: GLib/libsecret messages go to the host's
 *   log callback (visible with -v).
 * - This module calls no libanaconda-auth function (see keyring_backend.h);
 *   hence its own small error helper.
 */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libsecret/secret.h>

#include "config_struct.h"
#include "keyring_backend.h"

#define APP_ID "Python keyring library"
#define TIMEOUT_ENV "ANACONDA_AUTH_SECRET_TIMEOUT"
#define TIMEOUT_DEFAULT_MS 5000L
/* After a cancel, how long a call may take to notice it before we give up on it. */
#define CANCEL_GRACE_US (1000L * 1000L)
#define UNLOCK_HINT "unlock it by logging in to the desktop or with: gnome-keyring-daemon --replace --unlock (it reads the password on stdin), or use --storage file"

/* What we write: libsecret adds xdg:schema=org.freedesktop.Secret.Generic, as python-keyring's libsecret backend does. */
static const SecretSchema store_schema = {
	"org.freedesktop.Secret.Generic", SECRET_SCHEMA_NONE,
	{
		{ "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
		{ "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
		{ "application", SECRET_SCHEMA_ATTRIBUTE_STRING },
		{ NULL, 0 },
	},
	0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

/* What we match: service and username only, like python-keyring's SecretService backend, so items from secretstorage or secret-tool (no xdg:schema, no application) are found too. */
static const SecretSchema match_schema = {
	"org.freedesktop.Secret.Generic", SECRET_SCHEMA_DONT_MATCH_NAME,
	{
		{ "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
		{ "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
		{ "application", SECRET_SCHEMA_ATTRIBUTE_STRING },
		{ NULL, 0 },
	},
	0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

static const char *const log_domains[] = {
	"libsecret", "GLib", "GLib-GIO", "GLib-GObject",
};
#define N_LOG_DOMAINS (sizeof(log_domains) / sizeof(log_domains[0]))

struct secret_store {
	struct aa_keyring_backend be; /* first member: the host sees only this */
	GMainContext *ctx;            /* every libsecret callback runs here */
	SecretService *service;
	SecretCollection *collection;
	char *location;               /* "Secret Service collection 'login'" */
	long timeout_ms;
	int broken;                   /* a call ignored its cancel; stop using D-Bus */
	guint log_ids[N_LOG_DOMAINS];
};

/* One bounded operation (open, get, set, del, list): a deadline and its cancel. */
struct op {
	struct secret_store *st;
	GCancellable *cancel;
	gint64 deadline;              /* monotonic microseconds */
	int timed_out;
};

/* One started call; heap-allocated so a call we abandon can still complete into it. */
struct pending {
	GAsyncResult *res;
};

/* ---- errors and reports ---------------------------------------------- */

AA_PRINTF(3, 4)
static aa_status fail(aa_error *err, aa_status code, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return code;
}

AA_PRINTF(2, 3)
static void say(struct secret_store *st, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!st->be.report)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	st->be.report(st->be.report_ctx, AA_REPORT_LOG, line);
}

/* GLib and libsecret messages go to the host's log (-v), never to stderr. */
static void on_glib_log(const gchar *domain, GLogLevelFlags level,
			const gchar *message, gpointer data)
{
	(void)level;
	say(data, "%s: %s", domain ? domain : "GLib", message ? message : "");
}

static void capture_glib_logs(struct secret_store *st)
{
	GLogLevelFlags levels = G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING |
				G_LOG_LEVEL_MESSAGE | G_LOG_FLAG_RECURSION;

	for (size_t i = 0; i < N_LOG_DOMAINS; i++)
		st->log_ids[i] = g_log_set_handler(log_domains[i], levels,
						   on_glib_log, st);
}

static void release_glib_logs(struct secret_store *st)
{
	for (size_t i = 0; i < N_LOG_DOMAINS; i++)
		if (st->log_ids[i])
			g_log_remove_handler(log_domains[i], st->log_ids[i]);
}

/* A failed call as one sentence; timeouts, missing service and locks each say what to do. */
static aa_status fail_gerror(struct op *op, aa_error *err, GError *gerr,
			     const char *doing)
{
	aa_status rc;

	if (op->timed_out || (gerr && g_error_matches(gerr, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
		rc = fail(err, AA_ERR_STORAGE,
			  "the Secret Service did not answer within %ld ms while %s; if the keyring daemon is stuck, restart it with: gnome-keyring-daemon --replace",
			  op->st->timeout_ms, doing);
	else if (!gerr)
		rc = fail(err, AA_ERR_STORAGE,
			  "the Secret Service asked for a confirmation while %s and it was dismissed",
			  doing);
	else if (g_error_matches(gerr, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
		 g_error_matches(gerr, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
		 (gerr->domain == G_DBUS_ERROR && gerr->code >= G_DBUS_ERROR_SPAWN_EXEC_FAILED &&
		  gerr->code <= G_DBUS_ERROR_SPAWN_FAILED))
		rc = fail(err, AA_ERR_UNSUPPORTED,
			  "no Secret Service is running on the session bus; start gnome-keyring-daemon (or KeePassXC), or use --storage file");
	else if (gerr->domain == G_IO_ERROR && !strcmp(doing, "connecting"))
		rc = fail(err, AA_ERR_UNSUPPORTED,
			  "cannot connect to the D-Bus session bus named by DBUS_SESSION_BUS_ADDRESS: %s",
			  gerr->message);
	else if (g_error_matches(gerr, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
		rc = fail(err, AA_ERR_STORAGE,
			  "the Secret Service collection is locked; " UNLOCK_HINT);
	else {
		g_dbus_error_strip_remote_error(gerr);
		rc = fail(err, AA_ERR_STORAGE, "the Secret Service failed while %s: %s",
			  doing, gerr->message);
	}
	if (gerr)
		g_error_free(gerr);
	return rc;
}

/* ---- bounded calls --------------------------------------------------- */

static long timeout_from_env(void)
{
	const char *s = getenv(TIMEOUT_ENV);
	char *end;
	double secs;

	if (!s || !*s)
		return TIMEOUT_DEFAULT_MS;
	secs = strtod(s, &end);
	if (*end || !(secs > 0) || secs > 3600)
		return TIMEOUT_DEFAULT_MS;
	return (long)(secs * 1000.0);
}

static void op_begin(struct op *op, struct secret_store *st)
{
	op->st = st;
	op->cancel = g_cancellable_new();
	op->deadline = g_get_monotonic_time() + (gint64)st->timeout_ms * 1000;
	op->timed_out = 0;
	g_main_context_push_thread_default(st->ctx);
}

static void op_end(struct op *op)
{
	g_main_context_pop_thread_default(op->st->ctx);
	g_object_unref(op->cancel);
}

static void on_ready(GObject *src, GAsyncResult *res, gpointer data)
{
	struct pending *p = data;

	(void)src;
	p->res = g_object_ref(res);
}

static gboolean wake_up(gpointer data)
{
	(void)data;
	return G_SOURCE_REMOVE;
}

/*
 * Run the private context until the call behind p completes. At the
 * deadline the cancellable fires; a call that still does not finish within
 * the grace period is abandoned (p is leaked on purpose: the late
 * completion writes into it) and the store stops using D-Bus.
 */
static GAsyncResult *await(struct op *op, struct pending *p)
{
	while (!p->res) {
		gint64 now = g_get_monotonic_time();
		GSource *timer;

		if (now >= op->deadline) {
			if (op->timed_out) {
				op->st->broken = 1;
				return NULL;
			}
			op->timed_out = 1;
			g_cancellable_cancel(op->cancel);
			op->deadline = now + CANCEL_GRACE_US;
			continue;
		}
		timer = g_timeout_source_new((guint)((op->deadline - now) / 1000 + 1));
		g_source_set_callback(timer, wake_up, NULL, NULL);
		g_source_attach(timer, op->st->ctx);
		g_main_context_iteration(op->st->ctx, TRUE);
		g_source_destroy(timer);
		g_source_unref(timer);
	}
	return p->res;
}

static struct pending *pending_new(void)
{
	return g_new0(struct pending, 1);
}

/* The result of a finished call, or NULL (timeout); frees p unless abandoned. */
static GAsyncResult *finish(struct op *op, struct pending *p)
{
	GAsyncResult *res = await(op, p);

	if (res)
		g_free(p);
	return res;
}

/* ---- helpers on items ------------------------------------------------ */

static GHashTable *match_attrs(const char *domain)
{
	GHashTable *a = g_hash_table_new(g_str_hash, g_str_equal);

	g_hash_table_insert(a, (gpointer)"service", (gpointer)AA_KEYRING_SERVICE);
	if (domain)
		g_hash_table_insert(a, (gpointer)"username", (gpointer)domain);
	return a;
}

/* Items in our collection for domain (or every domain when NULL). */
static aa_status search(struct op *op, const char *domain, int load_secrets,
			GList **items, aa_error *err)
{
	struct secret_store *st = op->st;
	struct pending *p = pending_new();
	GHashTable *attrs = match_attrs(domain);
	SecretSearchFlags flags = SECRET_SEARCH_ALL;
	GAsyncResult *res;
	GError *gerr = NULL;

	if (load_secrets)
		flags |= SECRET_SEARCH_LOAD_SECRETS;
	/* No SECRET_SEARCH_UNLOCK: unlocking could pop up a prompt. */
	secret_collection_search(st->collection, &match_schema, attrs, flags,
				 op->cancel, on_ready, p);
	g_hash_table_unref(attrs);
	res = finish(op, p);
	if (!res)
		return fail_gerror(op, err, NULL, "searching");
	*items = secret_collection_search_finish(st->collection, res, &gerr);
	g_object_unref(res);
	if (gerr)
		return fail_gerror(op, err, gerr, "searching");
	return AA_OK;
}

static void free_items(GList *items)
{
	g_list_free_full(items, g_object_unref);
}

/* Clear the bytes of a value we are done with (libsecret frees, not always wipes). */
static void wipe_value(SecretValue *v)
{
	gsize n = 0;
	const gchar *p = secret_value_get(v, &n);

	if (p && n)
		explicit_bzero((void *)p, n);
	secret_value_unref(v);
}

/* Copy the secret of the first unlocked item that has one into *out (malloc'd); NULL when none. */
static aa_status first_secret(GList *items, char **out, int *locked)
{
	*out = NULL;
	for (GList *l = items; l; l = l->next) {
		SecretItem *item = l->data;
		SecretValue *v;
		const gchar *p;
		gsize n = 0;

		if (secret_item_get_locked(item)) {
			*locked = 1;
			continue;
		}
		v = secret_item_get_secret(item);
		if (!v)
			continue;
		p = secret_value_get(v, &n);
		if (p && n && !memchr(p, '\0', n)) {
			*out = malloc(n + 1);
			if (*out) {
				memcpy(*out, p, n);
				(*out)[n] = '\0';
			}
			wipe_value(v);
			return *out ? AA_OK : AA_ERR_NOMEM;
		}
		wipe_value(v);
	}
	return AA_OK;
}

static aa_status delete_item(struct op *op, SecretItem *item, aa_error *err)
{
	struct pending *p = pending_new();
	GAsyncResult *res;
	GError *gerr = NULL;
	gboolean ok;

	secret_item_delete(item, op->cancel, on_ready, p);
	res = finish(op, p);
	if (!res)
		return fail_gerror(op, err, NULL, "deleting an item");
	ok = secret_item_delete_finish(item, res, &gerr);
	g_object_unref(res);
	return ok ? AA_OK : fail_gerror(op, err, gerr, "deleting an item");
}

static const char *item_path(SecretItem *item)
{
	return g_dbus_proxy_get_object_path(G_DBUS_PROXY(item));
}

/* ---- the backend operations ------------------------------------------ */

static aa_status refuse_broken(struct secret_store *st, aa_error *err)
{
	(void)st;
	return fail(err, AA_ERR_STORAGE,
		    "the Secret Service stopped answering earlier in this run; try again");
}

static aa_status secret_get(struct aa_keyring_backend *be, const char *domain,
			    char **b64_out, aa_error *err)
{
	struct secret_store *st = (struct secret_store *)be;
	GList *items = NULL;
	struct op op;
	aa_status rc;
	int locked = 0;
	char *b64;

	*b64_out = NULL;
	if (st->broken)
		return refuse_broken(st, err);
	op_begin(&op, st);
	rc = search(&op, domain, 1, &items, err);
	op_end(&op);
	if (rc != AA_OK)
		return rc;
	if (!items)
		return fail(err, AA_ERR_NOT_FOUND, "no key for %s in the Secret Service", domain);
	rc = first_secret(items, &b64, &locked);
	free_items(items);
	if (rc != AA_OK)
		return fail(err, rc, "out of memory");
	if (!b64 && locked)
		return fail(err, AA_ERR_STORAGE,
			    "the Secret Service item for %s is locked; " UNLOCK_HINT, domain);
	if (!b64)
		return fail(err, AA_ERR_STORAGE,
			    "the Secret Service item for %s holds no secret; log in again to replace it",
			    domain);
	*b64_out = b64;
	return AA_OK;
}

/* Other items for the same domain (e.g. written by secretstorage without xdg:schema) go, so one remains. */
static aa_status drop_duplicates(struct op *op, const char *domain,
				 const char *keep, aa_error *err)
{
	GList *items = NULL;
	aa_status rc = search(op, domain, 0, &items, err);

	for (GList *l = items; rc == AA_OK && l; l = l->next) {
		if (!strcmp(item_path(l->data), keep))
			continue;
		rc = delete_item(op, l->data, err);
		if (rc == AA_OK)
			say(op->st, "removed an older Secret Service item for %s", domain);
	}
	free_items(items);
	return rc;
}

static aa_status create_item(struct op *op, const char *domain, const char *b64,
			     aa_error *err)
{
	struct secret_store *st = op->st;
	struct pending *p = pending_new();
	SecretValue *value = secret_value_new(b64, -1, "text/plain");
	GHashTable *attrs = match_attrs(domain);
	gchar *label = g_strdup_printf("Password for '%s' on '%s'", domain,
				       AA_KEYRING_SERVICE);
	SecretItem *item;
	GAsyncResult *res;
	GError *gerr = NULL;
	aa_status rc;

	g_hash_table_insert(attrs, (gpointer)"application", (gpointer)APP_ID);
	secret_item_create(st->collection, &store_schema, attrs, label, value,
			   SECRET_ITEM_CREATE_REPLACE, op->cancel, on_ready, p);
	g_hash_table_unref(attrs);
	g_free(label);
	res = finish(op, p);
	/* Only now: the call encodes the value after it starts. */
	wipe_value(value);
	if (!res)
		return fail_gerror(op, err, NULL, "storing the key");
	item = secret_item_create_finish(res, &gerr);
	g_object_unref(res);
	if (!item)
		return fail_gerror(op, err, gerr, "storing the key");
	rc = drop_duplicates(op, domain, item_path(item), err);
	g_object_unref(item);
	return rc;
}

static aa_status secret_set(struct aa_keyring_backend *be, const char *domain,
			    const char *b64, aa_error *err)
{
	struct secret_store *st = (struct secret_store *)be;
	struct op op;
	aa_status rc;

	if (st->broken)
		return refuse_broken(st, err);
	op_begin(&op, st);
	rc = create_item(&op, domain, b64, err);
	op_end(&op);
	return rc;
}

static aa_status secret_del(struct aa_keyring_backend *be,
			    const char *const *domains, int *removed,
			    aa_error *err)
{
	struct secret_store *st = (struct secret_store *)be;
	aa_status rc = AA_OK;
	struct op op;
	int n = 0;

	if (removed)
		*removed = 0;
	if (st->broken)
		return refuse_broken(st, err);
	op_begin(&op, st);
	for (size_t i = 0; rc == AA_OK && domains[i]; i++) {
		GList *items = NULL;

		rc = search(&op, domains[i], 0, &items, err);
		if (items)
			n++;
		for (GList *l = items; rc == AA_OK && l; l = l->next)
			rc = delete_item(&op, l->data, err);
		free_items(items);
	}
	op_end(&op);
	if (removed)
		*removed = n;
	return rc;
}

/* Append name to the malloc'd vector unless it is there already. */
static int strv_add_unique(char ***v, size_t *n, const char *name)
{
	char **grown;

	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], name))
			return 0;
	grown = realloc(*v, (*n + 2) * sizeof(**v));
	if (!grown)
		return -1;
	*v = grown;
	grown[*n] = strdup(name);
	if (!grown[*n])
		return -1;
	grown[++*n] = NULL;
	return 0;
}

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static aa_status secret_list(struct aa_keyring_backend *be, char ***domains,
			     aa_error *err)
{
	struct secret_store *st = (struct secret_store *)be;
	GList *items = NULL;
	char **v = calloc(1, sizeof(*v));
	size_t n = 0;
	struct op op;
	aa_status rc;

	*domains = NULL;
	if (!v)
		return fail(err, AA_ERR_NOMEM, "out of memory");
	if (st->broken) {
		free(v);
		return refuse_broken(st, err);
	}
	op_begin(&op, st);
	rc = search(&op, NULL, 0, &items, err);
	op_end(&op);
	for (GList *l = items; rc == AA_OK && l; l = l->next) {
		GHashTable *attrs = secret_item_get_attributes(l->data);
		const char *user = attrs ? g_hash_table_lookup(attrs, "username") : NULL;

		if (user && *user && strv_add_unique(&v, &n, user) < 0)
			rc = fail(err, AA_ERR_NOMEM, "out of memory");
		if (attrs)
			g_hash_table_unref(attrs);
	}
	free_items(items);
	if (rc != AA_OK) {
		strv_free(v);
		return rc;
	}
	*domains = v;
	return AA_OK;
}

static void secret_close(struct aa_keyring_backend *be)
{
	struct secret_store *st = (struct secret_store *)be;

	if (!st)
		return;
	if (st->collection)
		g_object_unref(st->collection);
	if (st->service)
		g_object_unref(st->service);
	/* Let the proxies' last idle callbacks run before the context goes. */
	if (!st->broken) {
		while (g_main_context_iteration(st->ctx, FALSE))
			;
		g_main_context_unref(st->ctx);
	}
	release_glib_logs(st);
	g_free(st->location);
	free(st);
}

/* ---- opening --------------------------------------------------------- */

/*
 * GLib would otherwise "autolaunch" a bus through X11 (dbus-launch) when
 * DBUS_SESSION_BUS_ADDRESS is unset; over SSH that fails slowly or starts
 * stray daemons. We accept the variable or a systemd user bus socket only.
 */
static int session_bus_present(void)
{
	const char *addr = getenv("DBUS_SESSION_BUS_ADDRESS");
	const char *run = getenv("XDG_RUNTIME_DIR");
	char path[4096];
	struct stat sb;

	if (addr && *addr)
		return 1;
	if (!run || !*run)
		return 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/bus", run) >= sizeof(path))
		return 0;
	return stat(path, &sb) == 0 && S_ISSOCK(sb.st_mode);
}

/*
 * Once loaded, never unloaded: libsecret registers GObject types and GDBus
 * keeps a worker thread, neither of which survives its code being unmapped
 * by the host's dlclose().
 */
static void pin_module(void)
{
	Dl_info info;

	if (dladdr((void *)pin_module, &info) && info.dli_fname)
		(void)dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
}

static aa_status connect_service(struct op *op, aa_error *err)
{
	struct pending *p = pending_new();
	GAsyncResult *res;
	GError *gerr = NULL;

	secret_service_open(SECRET_TYPE_SERVICE, NULL, SECRET_SERVICE_OPEN_SESSION,
			    op->cancel, on_ready, p);
	res = finish(op, p);
	if (!res)
		return fail_gerror(op, err, NULL, "connecting");
	op->st->service = secret_service_open_finish(res, &gerr);
	g_object_unref(res);
	return op->st->service ? AA_OK : fail_gerror(op, err, gerr, "connecting");
}

/*
 * The host checked the bus address before loading us; this checks the
 * connection GLib actually made (it resolves the address again), so a bus
 * swapped in between, or an address GLib reads differently, still cannot
 * receive a key: the peer of the socket must be us.
 */
static aa_status check_bus_peer(struct secret_store *st, aa_error *err)
{
	GDBusConnection *conn = g_dbus_proxy_get_connection(G_DBUS_PROXY(st->service));
	GIOStream *stream = conn ? g_dbus_connection_get_stream(conn) : NULL;
	GSocket *sock = stream && G_IS_SOCKET_CONNECTION(stream)
		? g_socket_connection_get_socket(G_SOCKET_CONNECTION(stream)) : NULL;
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (!sock || getsockopt(g_socket_get_fd(sock), SOL_SOCKET, SO_PEERCRED,
				&cred, &len) != 0)
		return fail(err, AA_ERR_DENIED,
			    "the session bus connection is not a local socket, so who runs the bus cannot be checked");
	if (cred.uid != geteuid())
		return fail(err, AA_ERR_DENIED,
			    "the session bus is run by uid %lu, not you (uid %lu)",
			    (unsigned long)cred.uid, (unsigned long)geteuid());
	return AA_OK;
}

/* The collection the settings name, by alias: "default", "session", "login" ... */
static aa_status find_collection(struct op *op, const char *alias, aa_error *err)
{
	struct secret_store *st = op->st;
	struct pending *p = pending_new();
	GAsyncResult *res;
	GError *gerr = NULL;

	secret_collection_for_alias(st->service, alias, SECRET_COLLECTION_NONE,
				    op->cancel, on_ready, p);
	res = finish(op, p);
	if (!res)
		return fail_gerror(op, err, NULL, "opening the collection");
	st->collection = secret_collection_for_alias_finish(res, &gerr);
	g_object_unref(res);
	if (gerr)
		return fail_gerror(op, err, gerr, "opening the collection");
	/* UNSUPPORTED, as no service at all: a service without a keyring holds no key. */
	if (!st->collection)
		return fail(err, AA_ERR_UNSUPPORTED,
			    "the Secret Service has no '%s' collection, so no keyring was created yet; log in to the desktop once, or create one with: gnome-keyring-daemon --unlock (it reads a new password on stdin)",
			    alias);
	return AA_OK;
}

/* The collection's own name ("login" for the alias "default"), for messages. */
static const char *collection_name(struct secret_store *st)
{
	const char *path = g_dbus_proxy_get_object_path(G_DBUS_PROXY(st->collection));
	const char *last = path ? strrchr(path, '/') : NULL;

	return last && last[1] ? last + 1 : "?";
}

static aa_status check_unlocked(struct secret_store *st, aa_error *err)
{
	if (!secret_collection_get_locked(st->collection))
		return AA_OK;
	return fail(err, AA_ERR_STORAGE,
		    "the Secret Service collection '%s' is locked; " UNLOCK_HINT,
		    collection_name(st));
}

static void describe(struct secret_store *st)
{
	st->location = g_strdup_printf("Secret Service collection '%s'",
				       collection_name(st));
	st->be.location = st->location;
}

static struct secret_store *store_new(void)
{
	struct secret_store *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->be.abi = AA_KEYRING_BACKEND_ABI;
	st->be.name = "system";
	st->be.writable = 1;
	st->be.get = secret_get;
	st->be.set = secret_set;
	st->be.del = secret_del;
	st->be.list = secret_list;
	st->be.close = secret_close;
	st->timeout_ms = timeout_from_env();
	return st;
}

__attribute__((visibility("default")))
aa_status aa_secret_backend_open(const aa_config *cfg,
				 struct aa_keyring_backend **out,
				 aa_error *err);

aa_status aa_secret_backend_open(const aa_config *cfg,
				 struct aa_keyring_backend **out,
				 aa_error *err)
{
	const char *name = cfg && cfg->secret_collection && *cfg->secret_collection
		? cfg->secret_collection : SECRET_COLLECTION_DEFAULT;
	struct secret_store *st;
	struct op op;
	aa_status rc;

	*out = NULL;
	if (!session_bus_present())
		return fail(err, AA_ERR_UNSUPPORTED,
			    "no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set, as in an SSH login without a desktop");
	st = store_new();
	if (!st)
		return fail(err, AA_ERR_NOMEM, "out of memory");
	pin_module();
	capture_glib_logs(st);
	st->ctx = g_main_context_new();
	op_begin(&op, st);
	rc = connect_service(&op, err);
	if (rc == AA_OK)
		rc = check_bus_peer(st, err);
	if (rc == AA_OK)
		rc = find_collection(&op, name, err);
	op_end(&op);
	if (rc == AA_OK)
		rc = check_unlocked(st, err);
	if (rc != AA_OK) {
		secret_close(&st->be);
		return rc;
	}
	describe(st);
	*out = &st->be;
	return AA_OK;
}
