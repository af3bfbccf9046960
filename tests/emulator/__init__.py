# SPDX-License-Identifier: BSD-3-Clause
"""A local stand-in for Anaconda Cloud (HTTPS on loopback) used by the
integration tests; see harness.Emulator for the test-facing API."""
