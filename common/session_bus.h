/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * session_bus.h - whether the D-Bus session bus is the caller's own, decided
 * in plain C before the Secret Service module (and GLib) is loaded
 * (internal, not installed).
 */
#ifndef AA_SESSION_BUS_H
#define AA_SESSION_BUS_H

#include "internal.h"

/*
 * Check the bus DBUS_SESSION_BUS_ADDRESS names (or, when it is unset, the
 * socket $XDG_RUNTIME_DIR/bus that GLib would use):
 *   AA_OK              every address is a unix socket owned and served by
 *                      geteuid(); also when no bus is configured at all
 *                      (the module then says there is none)
 *   AA_ERR_DENIED      it belongs to another user, sits in a directory others
 *                      can change, or uses a transport whose owner cannot be
 *                      checked (tcp, autolaunch, ...); err says which
 *   AA_ERR_UNSUPPORTED it cannot be reached or the address is malformed
 * Never blocks: the probe connection is non-blocking and closed at once.
 */
AA_HIDDEN aa_status aa_session_bus_check(aa_error *err);

/* The same check for one address string (tests). */
AA_HIDDEN aa_status aa_session_bus_check_address(const char *address,
						 aa_error *err);

#endif /* AA_SESSION_BUS_H */
