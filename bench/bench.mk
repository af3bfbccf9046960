# SPDX-License-Identifier: BSD-3-Clause
# bench/bench.mk - benchmarks (included by the root Makefile).
#
#   make bench                      build, then print the results table
#   make bench BENCH_N=500          process-start samples per side (default 500)
#   make bench BENCH_PAM_SESSIONS=2000 BENCH_CONTENTION_SECONDS=5
#
# The drivers are C (posix_spawn + CLOCK_MONOTONIC, libpam directly) so
# their own overhead is small and the same for both sides; bench/run makes
# the throw-away homes, keyrings and PAM service files they use.

BENCH_N                  ?= 500
BENCH_PAM_SESSIONS       ?= 1000
BENCH_CONTENTION_SECONDS ?= 10
BENCH_READERS            ?= 64

BENCH_B    := $(B)/bench
BENCH_UTIL := $(B)/obj/bench/bench_util.o
BENCH_BINS := $(BENCH_B)/aa_bench_cmp $(BENCH_B)/aa_bench_pam \
              $(BENCH_B)/aa_bench_contention

$(B)/obj/bench/%.o: ALL_CFLAGS += -Ibench

$(BENCH_B)/aa_bench_cmp: $(B)/obj/bench/bench_cmp.o $(BENCH_UTIL)
	@mkdir -p $(dir $@)
	$(Q_LD)$(CC) $(ALL_LDFLAGS) -o $@ $^

$(BENCH_B)/aa_bench_pam: $(B)/obj/bench/bench_pam.o $(BENCH_UTIL)
	@mkdir -p $(dir $@)
	$(Q_LD)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PAM_LIBS)

$(BENCH_B)/aa_bench_contention: $(B)/obj/bench/bench_contention.o $(BENCH_UTIL) $(STATIC_LIB)
	@mkdir -p $(dir $@)
	$(Q_LD)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CORE_LIBS)

.PHONY: bench-build
bench-build: all $(BENCH_BINS)

bench: bench-build
	BENCH_N=$(BENCH_N) BENCH_PAM_SESSIONS=$(BENCH_PAM_SESSIONS) \
	BENCH_CONTENTION_SECONDS=$(BENCH_CONTENTION_SECONDS) \
	BENCH_READERS=$(BENCH_READERS) bench/run $(CURDIR)/$(B)
