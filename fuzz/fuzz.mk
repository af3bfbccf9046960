# SPDX-License-Identifier: BSD-3-Clause
# fuzz/fuzz.mk - libFuzzer harnesses (included by the root Makefile).
#
#   make fuzz-build              build every harness into build/fuzz/bin/
#   make fuzz FUZZ_SECONDS=N     build, then run each harness N seconds (default 60),
#                                one after another, on a copy of its seed corpus
#   make fuzz FUZZ_ONLY="netrc git_protocol"   just those harnesses
#   make fuzz FUZZ_RUNS=10000000 each harness for that many executions instead
#
# The library and the front-end parsers are compiled again with clang and
# -fsanitize=fuzzer-no-link,address,undefined into build/fuzz/obj/; the gcc
# objects of the normal build are never reused. New inputs go to
# build/fuzz/corpus-run/<harness>/, crashes to build/fuzz/artifacts/;
# the committed corpus in fuzz/corpus/ is only read.

FUZZ_B       := build/fuzz
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_ONLY    ?=
FUZZ_RUNS    ?=

FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer
FUZZ_INC     := -Icommon/include -Icommon -Igit-credential-anaconda -Iconda-helper -Ipam_anaconda -Ifuzz
FUZZ_CFLAGS  := -std=c11 -D_GNU_SOURCE -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
                $(FUZZ_INC) $(filter-out -Werror,$(WARN)) -Wno-unused-command-line-argument
# Our own files must stay warning-free.
FUZZ_OWN_CFLAGS := $(FUZZ_CFLAGS) -Werror
# The fake transport stands in for libcurl; see fuzz/fake_http.h.
FUZZ_WRAP    := -Wl,--wrap=aa_client_request -Wl,--wrap=nanosleep \
                -Wl,--wrap=aa_monotonic_s
FUZZ_LIBS    := -ljson-c -lcurl -lcrypto -lsodium -ldl

# Front-end parsers the harnesses reach (they are not in the library).
FUZZ_FRONT_SRCS := git-credential-anaconda/protocol.c conda-helper/netrc.c \
                   conda-helper/repo_api.c pam_anaconda/pam_usermap.c
FUZZ_SUPPORT_SRCS := fuzz/check_parsers.c fuzz/check_settings.c fuzz/check_replies.c fuzz/check_repo.c \
                     fuzz/fake_http.c fuzz/fake_wrap.c fuzz/check_toml.c
FUZZ_HARNESS_SRCS := $(wildcard fuzz/fuzz_*.c)
FUZZ_NAMES   := $(patsubst fuzz/%.c,%,$(FUZZ_HARNESS_SRCS))
FUZZ_BINS    := $(FUZZ_NAMES:%=$(FUZZ_B)/bin/%)

FUZZ_LIB     := $(FUZZ_B)/libanaconda-auth-fuzz.a
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=$(FUZZ_B)/obj/%.o)
FUZZ_FRONT_OBJS := $(FUZZ_FRONT_SRCS:%.c=$(FUZZ_B)/obj/%.o)
FUZZ_SUPPORT_OBJS := $(FUZZ_SUPPORT_SRCS:%.c=$(FUZZ_B)/obj/%.o)
FUZZ_HEADERS := $(wildcard common/include/*.h common/*.h fuzz/*.h \
                  git-credential-anaconda/*.h conda-helper/*.h)

.PHONY: fuzz fuzz-build

$(FUZZ_B)/obj/fuzz/%.o: fuzz/%.c $(FUZZ_HEADERS)
	@mkdir -p $(dir $@)
	$(Q_CC)$(FUZZ_CC) $(FUZZ_OWN_CFLAGS) -c -o $@ $<

$(FUZZ_B)/obj/%.o: %.c $(FUZZ_HEADERS)
	@mkdir -p $(dir $@)
	$(Q_CC)$(FUZZ_CC) $(FUZZ_CFLAGS) -DAA_BUILDING_LIBRARY -c -o $@ $<

$(FUZZ_LIB): $(FUZZ_LIB_OBJS)
	$(Q_AR)rm -f $@ && ar rcs $@ $^

$(FUZZ_B)/bin/%: $(FUZZ_B)/obj/fuzz/%.o $(FUZZ_SUPPORT_OBJS) $(FUZZ_FRONT_OBJS) $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(Q_LD)$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $< $(FUZZ_SUPPORT_OBJS) \
	    $(FUZZ_FRONT_OBJS) $(FUZZ_LIB) $(FUZZ_WRAP) $(FUZZ_LIBS)

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	FUZZ_B=$(FUZZ_B) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) fuzz/run $(or $(FUZZ_ONLY),$(FUZZ_NAMES:fuzz_%=%))

# Keep the objects the pattern rules make, so a second build is incremental.
.SECONDARY: $(FUZZ_SUPPORT_OBJS) $(FUZZ_FRONT_OBJS) $(FUZZ_NAMES:%=$(FUZZ_B)/obj/fuzz/%.o)
