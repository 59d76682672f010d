# bench/bench.mk - `make bench`: shmtool against lsof, fuser, lsipc, ipcs
# and cat (issue 7).  Included from the top Makefile (after its `all`, which
# defines $(BIN)), or used as:  make -f Makefile -f bench/bench.mk bench
#
#   make bench                                 the full run (~10 min, root)
#   make bench BENCH_PROCS=200 BENCH_PARTS=scan  a part, smaller
#   make bench-clean                           remove the built helpers
#
# Knobs (environment or make command line; see bench/README.md):
# BENCH_PROCS BENCH_SEGS BENCH_REPS BENCH_SIZES BENCH_SCALE_REPS
# BENCH_XFER_MB BENCH_XFER_REPS BENCH_PARTS.  Never part of `make check`.

BENCH_DIR     := bench
BENCH_CC      ?= cc
BENCH_CFLAGS  ?= -std=gnu11 -O2 -Wall -Wextra -Wformat=2 -Wshadow
BENCH_HELPERS := $(BENCH_DIR)/workload $(BENCH_DIR)/timeit $(BENCH_DIR)/floor
BENCH_VARS    := BENCH_PROCS BENCH_SEGS BENCH_REPS BENCH_SIZES BENCH_RM_SEGS BENCH_RM_REPS \
                 BENCH_SCALE_REPS BENCH_XFER_MB BENCH_XFER_REPS BENCH_PARTS

.PHONY: bench bench-helpers bench-clean

bench: $(BIN) $(BENCH_HELPERS)
	$(foreach v,$(BENCH_VARS),$(if $(value $(v)),$(v)='$($(v))')) \
	BENCH_CC='$(BENCH_CC)' SHMTOOL=$(CURDIR)/$(BIN) $(BENCH_DIR)/run.sh

bench-helpers: $(BENCH_HELPERS)

$(BENCH_HELPERS): $(BENCH_DIR)/%: $(BENCH_DIR)/%.c
	$(BENCH_CC) $(BENCH_CFLAGS) -o $@ $< -lrt

bench-clean:
	rm -f $(BENCH_HELPERS)
