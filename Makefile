# SPDX-License-Identifier: BSD-3-Clause
# anaconda-auth for C - GNU Makefile.
#
#   make                 library (shared + static), binaries, PAM module
#   make check           unit tests (cmocka) + integration tests (pytest)
#   make check SANITIZE=1  the same under ASan+UBSan (separate build dir)
#   make demo            end-to-end login against the bundled emulator
#   make demo-installed  the same with the installed programs (packages, make install)
#   make install-conda-plugin CONDA=/path/to/conda [CONDA_ENV=base]
#   make install/uninstall  honours PREFIX DESTDIR BINDIR LIBDIR PAMDIR ...
#   CPPFLAGS CFLAGS LDFLAGS are added; WERROR=1 makes warnings errors (check sets it)
#   make bench, make fuzz FUZZ_SECONDS=N, make lint, make clean

# The one version source; check_version.py holds the header, man pages and plugin to it.
VERSION    := $(shell cat VERSION)
SOVERSION  := 0

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
LIBEXECDIR ?= $(PREFIX)/libexec
DATADIR    ?= $(PREFIX)/share
MANDIR     ?= $(DATADIR)/man
# PAM loads modules only from its own directory: ask libpam (pam.pc names it
# from PAM 1.6 on), else the multiarch directory, else LIBDIR/security.
MULTIARCH  := $(or $(shell $(CC) -print-multiarch 2>/dev/null),$(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null))
PAMDIR     ?= $(or $(shell pkg-config --variable=securedir pam 2>/dev/null),$(if $(MULTIARCH),/usr/lib/$(MULTIARCH)/security),$(LIBDIR)/security)
PAMCONFIGDIR ?= $(DATADIR)/pam-configs
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MODULEDIR  ?= $(LIBDIR)/anaconda-auth
HELPERDIR  ?= $(LIBEXECDIR)/anaconda-auth
DESTDIR    ?=

CC         ?= cc
PYTHON     ?= /usr/bin/python3
SANITIZE   ?= 0

ifeq ($(SANITIZE),1)
B          := build/san
SANFLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT        := -O1
else
B          := build/default
SANFLAGS   :=
OPT        := -O2 -D_FORTIFY_SOURCE=2
endif

# -Werror only when asked (WERROR=1): make check/unit/integration and .ci/run ask;
# a packager's newer compiler must not fail the build on a new warning.
ifneq ($(filter check unit integration,$(MAKECMDGOALS)),)
WERROR     ?= 1
endif
WERROR     ?= 0
WARN     := -Wall -Wextra -Wpedantic $(if $(filter 1,$(WERROR)),-Werror) -Wshadow -Wconversion \
            -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
# Paths baked into binaries; tests override them through the environment.
PATHDEFS := -DAA_BINDIR='"$(BINDIR)"' -DAA_MODULEDIR='"$(MODULEDIR)"' \
            -DAA_HELPERDIR='"$(HELPERDIR)"'
# The version too: the header's own AA_VERSION must match it (a redefinition is an error).
PATHDEFS += -DAA_VERSION='"$(VERSION)"'
# Objects depend on a stamp holding those paths, so `make PREFIX=/usr` after a
# build for /usr/local recompiles instead of installing stale paths.
# (-Werror is in it too: `make check` after `make` recompiles with it.)
PATHS_STAMP := $(B)/paths.stamp
ifneq ($(file <$(PATHS_STAMP)),$(PATHDEFS) $(WERROR))
$(shell mkdir -p $(B))
$(file >$(PATHS_STAMP),$(PATHDEFS) $(WERROR))
endif
# Generated files holding install paths (the .pc) depend on this one.
INSTALL_STAMP := $(B)/install-paths.stamp
INSTALL_PATHS := $(PREFIX) $(LIBDIR) $(INCLUDEDIR) $(VERSION)
ifneq ($(file <$(INSTALL_STAMP)),$(INSTALL_PATHS))
$(shell mkdir -p $(B))
$(file >$(INSTALL_STAMP),$(INSTALL_PATHS))
endif
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE $(OPT) -g -fPIC -fvisibility=hidden \
            -fstack-protector-strong $(WARN) $(SANFLAGS) $(PATHDEFS) \
            -Icommon/include -Icommon
CFLAGS   ?=
CPPFLAGS ?=
LDFLAGS  ?=
ALL_CFLAGS  = $(BASE_CFLAGS) $(CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) -Wl,-z,relro,-z,now -Wl,--as-needed $(LDFLAGS)

# Libraries: JSON (+ libdl). libcurl is not linked: common/curl_lazy.c
# dlopens it on the first request, so commands that never reach a server never load it;
# common/crypto_lazy.c opens libcrypto (SHA-256) and libsodium (BLAKE2b) on the first
# hash the same way. They stay listed for the static library's users; --as-needed
# keeps them out of binaries that do not call them.
CORE_LIBS := -ljson-c -lcrypto -lsodium -ldl
PAM_LIBS  := -lpam
SECRET_CFLAGS := $(shell pkg-config --cflags libsecret-1 2>/dev/null)
SECRET_LIBS   := $(shell pkg-config --libs libsecret-1 2>/dev/null)

# Quiet by default like git's Makefile; V=1 shows the commands.
ifneq ($(V),1)
Q_CC = @echo '   CC     $@';
Q_LD = @echo '   LINK   $@';
Q_AR = @echo '   AR     $@';
endif

# ---- sources ---------------------------------------------------------
# keyring_secret.c is a loadable module (GLib stays out of the core).
LIB_SRCS    := $(filter-out common/keyring_secret.c,$(wildcard common/*.c common/util/*.c))
LIB_OBJS    := $(LIB_SRCS:%.c=$(B)/obj/%.o)
CLI_SRCS    := $(wildcard cli/*.c)
GIT_SRCS    := $(wildcard git-credential-anaconda/*.c)
CONDA_SRCS  := $(wildcard conda-helper/*.c)
PAM_SRCS    := $(wildcard pam_anaconda/pam_*.c)
PAMHELP_SRCS:= $(wildcard pam_anaconda/helper/*.c)

objs = $(1:%.c=$(B)/obj/%.o)
# Front-end objects other than main.o, linkable into unit tests.
logic = $(filter-out %/main.o,$(call objs,$(1)))

STATIC_LIB := $(B)/libanaconda-auth.a
SHARED_LIB := $(B)/libanaconda-auth.so.$(SOVERSION)
SECRET_MOD := $(B)/lib/anaconda-auth-secret.so
PAM_MOD    := $(B)/lib/pam_anaconda.so

BINS := $(if $(CLI_SRCS),$(B)/bin/anaconda-auth) \
        $(if $(GIT_SRCS),$(B)/bin/git-credential-anaconda) \
        $(if $(CONDA_SRCS),$(B)/bin/conda-credential-anaconda) \
        $(if $(PAMHELP_SRCS),$(B)/libexec/pam_anaconda_verify)
MODULES := $(if $(PAM_SRCS),$(PAM_MOD)) \
        $(if $(wildcard common/keyring_secret.c),$(SECRET_MOD))

UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
UNIT_BINS  := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)

.PHONY: headers
.PHONY: all check unit integration demo demo-installed install-conda-plugin install uninstall clean lint bench fuzz
all: $(STATIC_LIB) $(SHARED_LIB) $(BINS) $(MODULES) $(B)/anaconda-auth.pc

# ---- compile ---------------------------------------------------------
# -MMD: each object depends on exactly the headers it includes (the .d
# files are read back below), so touching a header rebuilds only its users.
$(B)/obj/%.o: %.c $(PATHS_STAMP)
	@mkdir -p $(dir $@)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -MMD -MP -DAA_BUILDING_LIBRARY -c -o $@ $<

$(B)/obj/common/keyring_secret.o: common/keyring_secret.c
	@mkdir -p $(dir $@)
	$(Q_CC)$(CC) $(ALL_CFLAGS) $(SECRET_CFLAGS) -Wno-pedantic -MMD -MP -c -o $@ $<

-include $(shell find $(B)/obj $(B)/tests -name '*.d' 2>/dev/null)

$(B)/obj/pam_anaconda/%.o: ALL_CFLAGS += -Ipam_anaconda
$(B)/obj/git-credential-anaconda/%.o: ALL_CFLAGS += -Igit-credential-anaconda
$(B)/obj/conda-helper/%.o: ALL_CFLAGS += -Iconda-helper
$(B)/obj/cli/%.o: ALL_CFLAGS += -Icli

# ---- libraries -------------------------------------------------------
$(STATIC_LIB): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(Q_AR)rm -f $@ && ar rcs $@ $^

$(SHARED_LIB): $(LIB_OBJS) common/libanaconda-auth.map
	$(Q_LD)$(CC) -shared -Wl,-soname,libanaconda-auth.so.$(SOVERSION) \
	    -Wl,--version-script=common/libanaconda-auth.map \
	    $(ALL_LDFLAGS) -o $@ $(LIB_OBJS) $(CORE_LIBS)
	ln -sf libanaconda-auth.so.$(SOVERSION) $(B)/libanaconda-auth.so

$(SECRET_MOD): $(B)/obj/common/keyring_secret.o $(STATIC_LIB)
	@mkdir -p $(dir $@)
	$(Q_LD)$(CC) -shared $(ALL_LDFLAGS) -o $@ $< $(SECRET_LIBS)

$(B)/anaconda-auth.pc: anaconda-auth.pc.in $(INSTALL_STAMP)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

# ---- binaries --------------------------------------------------------
# Front-ends link the static archive: only the objects they use come in,
# and --as-needed drops libraries they never call (the git helper has no libcrypto).
$(B)/bin/anaconda-auth: $(call objs,$(CLI_SRCS)) $(STATIC_LIB)
	@mkdir -p $(dir $@)
	$(Q_LD)$(CC) $(ALL_LDFLAGS) -o $@ $(call objs,$(CLI_SRCS)) $(STATIC_LIB) $(CORE_LIBS)

$(B)/bin/git-credential-anaconda: $(call objs,$(GIT_SRCS)) $(STATIC_LIB)
	@mkdir -p $(dir $@)
	$(Q_LD)$(CC) $(ALL_LDFLAGS) -o $@ $(call objs,$(GIT_SRCS)) $(STATIC_LIB) $(CORE_LIBS)

$(B)/bin/conda-credential-anaconda: $(call objs,$(CONDA_SRCS)) $(STATIC_LIB)
	@mkdir -p $(dir $@)
	$(Q_LD)$(CC) $(ALL_LDFLAGS) -o $@ $(call objs,$(CONDA_SRCS)) $(STATIC_LIB) $(CORE_LIBS)

# -z nodelete: libpam dlopens and dlcloses every module per pam_start/pam_end;
# keeping it mapped saves the reload in long-lived PAM programs (sshd, gdm) and
# sidesteps unload hazards in the libraries it pulls in.
$(PAM_MOD): $(call objs,$(PAM_SRCS)) $(STATIC_LIB) pam_anaconda/pam_anaconda.map
	@mkdir -p $(dir $@)
	$(Q_LD)$(CC) -shared $(ALL_LDFLAGS) -Wl,-z,nodelete \
	    -Wl,--version-script=pam_anaconda/pam_anaconda.map \
	    -o $@ $(call objs,$(PAM_SRCS)) $(STATIC_LIB) $(PAM_LIBS) $(CORE_LIBS)

$(B)/libexec/pam_anaconda_verify: $(call objs,$(PAMHELP_SRCS)) $(STATIC_LIB)
	@mkdir -p $(dir $@)
	$(Q_LD)$(CC) $(ALL_LDFLAGS) -o $@ $(call objs,$(PAMHELP_SRCS)) $(STATIC_LIB) $(CORE_LIBS)
	@chmod 0711 $@  # execute-only: not dumpable from execve on (pam_anaconda(8))

# ---- tests -----------------------------------------------------------
# tests/unit/test_<area>_*.c also links the logic objects of that front-end.
unit_extra = $(strip \
  $(if $(filter test_git%,$(1)),$(call logic,$(GIT_SRCS))) \
  $(if $(filter test_conda%,$(1)),$(call logic,$(CONDA_SRCS))) \
  $(if $(filter test_cli%,$(1)),$(call logic,$(CLI_SRCS))) \
  $(if $(filter test_pam%,$(1)),$(call logic,$(PAM_SRCS)) $(PAM_LIBS)))

.SECONDEXPANSION:
$(B)/tests/%: tests/unit/%.c $(STATIC_LIB) $$(filter %.o,$$(call unit_extra,$$*))
	@mkdir -p $(dir $@)
	$(Q_LD)$(CC) $(ALL_CFLAGS) -Wno-conversion -Itests/unit -Icli -Igit-credential-anaconda \
	    -Iconda-helper -Ipam_anaconda -MMD -MP -o $@ $< $(call unit_extra,$*) \
	    $(STATIC_LIB) $(ALL_LDFLAGS) -lcmocka $(CORE_LIBS)

# The TOML conformance tests' dumper (tests/integration/test_toml_conformance.py).
TOML_DUMP := $(B)/tests/toml_dump
$(TOML_DUMP): tests/toml/toml_dump.c $(STATIC_LIB)
	@mkdir -p $(dir $@)
	$(Q_LD)$(CC) $(ALL_CFLAGS) -o $@ $< $(STATIC_LIB) $(ALL_LDFLAGS) $(CORE_LIBS) -lm
all: $(TOML_DUMP)

unit: all $(UNIT_BINS) headers
	@set -e; cd tests/fixtures 2>/dev/null || true; \
	for t in $(UNIT_BINS); do echo "== $$t"; $(CURDIR)/$$t; done
	$(PYTHON) tests/layers/check_cycles.py $(B)
	$(PYTHON) tests/version/check_version.py

# Every public header compiles alone as C99 and as C++11 (tests/headers/).
CXX ?= g++
headers:
	@sh tests/headers/check_headers.sh '$(CC)' '$(CXX)' $(B)/headers

# The integration suite finds the build through AA_BUILD; with pytest-xdist it
# runs on every core (most tests wait on processes and sockets, not the CPU).
PYTEST_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PYTEST_XDIST = $(shell $(PYTHON) -c 'import xdist' 2>/dev/null && printf -- '-n %s' $(PYTEST_JOBS))
integration: all
	AA_BUILD=$(CURDIR)/$(B) AA_SANITIZE=$(SANITIZE) $(PYTHON) -m pytest -q -p no:cacheprovider \
	    $(PYTEST_XDIST) tests/integration $(PYTEST_ARGS)

# Unit tests first, then integration: sequential even under -j.
check:
	$(MAKE) unit
	$(MAKE) integration

demo: all
	AA_BUILD=$(CURDIR)/$(B) scripts/demo

# The same against the installed programs (packages or make install PREFIX=/usr).
demo-installed:
	scripts/demo --installed

# The conda plugin goes into the conda of your choice, never into Debian's own
# Python (PEP 668): CONDA names that conda, CONDA_ENV the environment conda
# runs from (a name, or a path with a /). Offline: no dependencies, no index.
CONDA     ?= conda
CONDA_ENV ?= base
install-conda-plugin:
	@command -v $(CONDA) >/dev/null || { echo "install-conda-plugin: no conda at '$(CONDA)'; name yours: make install-conda-plugin CONDA=/path/to/bin/conda" >&2; exit 2; }
	$(CONDA) run $(if $(findstring /,$(CONDA_ENV)),-p,-n) $(CONDA_ENV) python -m pip install \
	    --no-deps --no-index --no-build-isolation $(CURDIR)/conda-helper/python

# ---- install ---------------------------------------------------------
# The man pages name the default /usr/local paths; install them with ours.
MAN_PATHS = sed -e 's|/usr/local/libexec/anaconda-auth|$(HELPERDIR)|g' -e 's|/usr/local/bin|$(BINDIR)|g'
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) \
	    $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(PAMDIR) $(DESTDIR)$(MODULEDIR) \
	    $(DESTDIR)$(HELPERDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(PAMCONFIGDIR)
	for b in $(BINS); do case $$b in */libexec/pam_anaconda_verify) install -m 0711 $$b $(DESTDIR)$(HELPERDIR)/;; \
	    */libexec/*) install -m 0755 $$b $(DESTDIR)$(HELPERDIR)/;; \
	    *) install -m 0755 $$b $(DESTDIR)$(BINDIR)/;; esac; done
	install -m 0644 $(STATIC_LIB) $(DESTDIR)$(LIBDIR)/
	install -m 0755 $(SHARED_LIB) $(DESTDIR)$(LIBDIR)/
	ln -sf libanaconda-auth.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libanaconda-auth.so
	install -m 0644 common/include/anaconda_auth.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 0644 $(B)/anaconda-auth.pc $(DESTDIR)$(PKGCONFIGDIR)/
	if [ -f $(PAM_MOD) ]; then install -m 0644 $(PAM_MOD) $(DESTDIR)$(PAMDIR)/; fi
	if [ -f $(SECRET_MOD) ]; then install -m 0644 $(SECRET_MOD) $(DESTDIR)$(MODULEDIR)/; fi
	for m in docs/*.1 docs/*.8; do [ -f $$m ] || continue; d=$(DESTDIR)$(MANDIR)/man$${m##*.}; \
	    $(MAN_PATHS) $$m > $$d/$${m##*/} && chmod 0644 $$d/$${m##*/}; done
	if [ -f pam_anaconda/pam-configs/anaconda ]; then \
	    install -m 0644 pam_anaconda/pam-configs/anaconda $(DESTDIR)$(PAMCONFIGDIR)/anaconda; fi
	@# pam_anaconda auth verifies keys as a system account of its own
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v adduser >/dev/null; then \
	    getent passwd _anaconda-auth >/dev/null || { echo "adduser --system --group --no-create-home --home /nonexistent _anaconda-auth"; \
	    adduser --system --group --no-create-home --home /nonexistent --quiet _anaconda-auth; }; \
	else echo "pam_anaconda auth needs a system account: adduser --system --group --no-create-home --home /nonexistent _anaconda-auth"; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/anaconda-auth $(DESTDIR)$(BINDIR)/git-credential-anaconda \
	    $(DESTDIR)$(BINDIR)/conda-credential-anaconda \
	    $(DESTDIR)$(LIBDIR)/libanaconda-auth.a $(DESTDIR)$(LIBDIR)/libanaconda-auth.so \
	    $(DESTDIR)$(LIBDIR)/libanaconda-auth.so.$(SOVERSION) \
	    $(DESTDIR)$(INCLUDEDIR)/anaconda_auth.h $(DESTDIR)$(PKGCONFIGDIR)/anaconda-auth.pc \
	    $(DESTDIR)$(PAMDIR)/pam_anaconda.so $(DESTDIR)$(PAMCONFIGDIR)/anaconda
	rm -rf $(DESTDIR)$(MODULEDIR) $(DESTDIR)$(HELPERDIR)
	for m in docs/*.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$${m##*/}; done
	for m in docs/*.8; do rm -f $(DESTDIR)$(MANDIR)/man8/$${m##*/}; done

# ---- quality ---------------------------------------------------------
LINT_DIRS := common cli git-credential-anaconda conda-helper pam_anaconda bench
LINT_SRCS  = $(filter-out common/keyring_secret.c,$(wildcard $(addsuffix /*.c,$(LINT_DIRS)) pam_anaconda/helper/*.c))
TIDY_FLAGS := -std=c11 -D_GNU_SOURCE -Icommon/include -Icommon -Ipam_anaconda \
              -Igit-credential-anaconda -Iconda-helper -Icli -Ibench

# clang-tidy runs one file at a time: given several files at once, clang-tidy 14
# reports a false "uninitialized va_list" in variadic functions.
lint:
	@scripts/spdx --check  # every source file names its licence (scripts/spdx adds it)
	$(PYTHON) tests/layers/check_static_names.py  # no static helper written twice
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
	    --inline-suppr -D_GNU_SOURCE -Icommon/include -Icommon \
	    $(LINT_DIRS)
	@set -e; for f in $(LINT_SRCS); do echo "   TIDY   $$f"; \
	    clang-tidy --quiet $$f -- $(TIDY_FLAGS); done
	@echo "   TIDY   common/keyring_secret.c"; \
	    clang-tidy --quiet common/keyring_secret.c -- $(TIDY_FLAGS) $(SECRET_CFLAGS)

-include bench/bench.mk
-include fuzz/fuzz.mk

clean:
	rm -rf build
