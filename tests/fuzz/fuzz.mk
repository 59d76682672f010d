# tests/fuzz/fuzz.mk - libFuzzer targets for shmtool's parsers.
#
# Included from the top Makefile (or: make -f Makefile -f tests/fuzz/fuzz.mk).
# Every name here starts with FUZZ_/fuzz; nothing here touches CFLAGS,
# build/ or build-san/: the fuzz build lives in build-fuzz/.
#
#   make fuzz-build                 build build-fuzz/fuzz_NAME for every target
#   make fuzz [FUZZ_TIME=60]        run each target FUZZ_TIME s (default 60)
#   make fuzz-smoke [FUZZ_TIME=20]  the same, 20 s by default (CI)
#   make -j2 fuzz ...               run two targets at a time
#   make fuzz-clean
#
# Each run works on a copy of tests/fuzz/corpus/NAME in build-fuzz/corpus-NAME
# (the repository's seeds are never flooded; what a run finds is kept there
# for the next run until fuzz-clean), first replays the saved
# crashers tests/fuzz/crashers/NAME-*, writes crash files to
# build-fuzz/NAME-crash-*, and its log to build-fuzz/NAME.log.  The
# executions per target go to build-fuzz/stats.txt and to standard output
# as "fuzz: NAME: N execs in S s".  Any crash, leak, timeout or sanitizer
# report fails the run.

# Keep the includer's default goal.
FUZZ_SAVED_GOAL := $(.DEFAULT_GOAL)
FUZZ_MK := $(lastword $(MAKEFILE_LIST))

FUZZ_TARGETS := size target mode duration columns ftok maps sysvipc owner \
                procstat name_escape pgshm inventory

FUZZ_DIR        := build-fuzz
FUZZ_SRC_DIR    := tests/fuzz
FUZZ_CC         ?= clang
FUZZ_PKG_CONFIG ?= pkg-config
FUZZ_PKGS       := libbsd smartcols
FUZZ_PKG_CFLAGS  = $(shell $(FUZZ_PKG_CONFIG) --cflags $(FUZZ_PKGS))
FUZZ_PKG_LIBS    = $(shell $(FUZZ_PKG_CONFIG) --libs $(FUZZ_PKGS))
FUZZ_COMMON     := -std=gnu11 -g -O1 -fno-omit-frame-pointer \
                   -fno-sanitize-recover=undefined -D_GNU_SOURCE -Isrc
FUZZ_OBJ_FLAGS  := -fsanitize=fuzzer-no-link,address,undefined
FUZZ_BIN_FLAGS  := -fsanitize=fuzzer,address,undefined
# libFuzzer options for every run (FUZZ_TIME is added per goal).
FUZZ_OPTS       ?= -timeout=10 -rss_limit_mb=2048

# The tool's sources the targets need: the parsers (parse.c, num.c,
# procfmt.c, pgshm.c),
# name_escape (text.c), messages and I/O loops (msg.c, io.c) and the
# column table (columns.c, which pulls in procscan.c, paths.c and
# fdseg.c's shmem device probe).  No main.c, no backends, no libsmartcols
# code.
FUZZ_LIB_SRCS := src/parse.c src/num.c src/procfmt.c src/msg.c src/io.c src/text.c src/columns.c \
                 src/procscan.c src/paths.c src/pgshm.c src/fdseg.c
FUZZ_LIB_OBJS := $(FUZZ_LIB_SRCS:src/%.c=$(FUZZ_DIR)/%.o)
# fuzz_inventory runs the whole inventory (backends, summary, output): it
# alone links the rest of the tool but main.c, from an archive, so that
# only what it calls comes in (and a new src/*.c needs no edit here).
FUZZ_INV_SRCS := $(filter-out src/main.c $(FUZZ_LIB_SRCS),$(wildcard src/*.c))
FUZZ_INV_OBJS := $(FUZZ_INV_SRCS:src/%.c=$(FUZZ_DIR)/%.o)
FUZZ_INV_LIB  := $(FUZZ_DIR)/libshmtool-fuzz.a
# Its own warnings: the top Makefile's (-Werror with CI= or WERROR=).
FUZZ_INV_WARN := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
                 -Wmissing-prototypes $(if $(CI)$(WERROR),-Werror)
FUZZ_BINS     := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
FUZZ_RUNS     := $(FUZZ_TARGETS:%=fuzz-run-%)

.PHONY: fuzz fuzz-smoke fuzz-build fuzz-clean $(FUZZ_RUNS)

fuzz-build: $(FUZZ_BINS)

$(FUZZ_DIR):
	mkdir -p $@

$(FUZZ_LIB_OBJS) $(FUZZ_INV_OBJS): $(FUZZ_DIR)/%.o: src/%.c $(wildcard src/*.h) $(FUZZ_MK) | $(FUZZ_DIR)
	$(FUZZ_CC) $(FUZZ_COMMON) $(FUZZ_OBJ_FLAGS) $(FUZZ_PKG_CFLAGS) -c -o $@ $<

$(FUZZ_INV_LIB): $(FUZZ_INV_OBJS) $(FUZZ_LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_DIR)/fuzz_inventory: FUZZ_EXTRA_LIBS = $(FUZZ_INV_LIB)
$(FUZZ_DIR)/fuzz_inventory: FUZZ_WARN = $(FUZZ_INV_WARN)
$(FUZZ_DIR)/fuzz_inventory: $(FUZZ_INV_LIB)

$(FUZZ_BINS): $(FUZZ_DIR)/fuzz_%: $(FUZZ_SRC_DIR)/fuzz_%.c $(FUZZ_LIB_OBJS) $(wildcard src/*.h) | $(FUZZ_DIR)
	$(FUZZ_CC) $(FUZZ_COMMON) $(or $(FUZZ_WARN),-Wall -Wextra) $(FUZZ_BIN_FLAGS) $(FUZZ_PKG_CFLAGS) \
		-o $@ $< $(FUZZ_LIB_OBJS) $(FUZZ_EXTRA_LIBS) $(FUZZ_PKG_LIBS)

# The run time: FUZZ_TIME if given, else 60 s for fuzz and 20 s for
# fuzz-smoke (target-specific, so the fuzz-run-NAME prerequisites see it).
fuzz:       FUZZ_RUN_TIME = $(if $(FUZZ_TIME),$(FUZZ_TIME),60)
fuzz-smoke: FUZZ_RUN_TIME = $(if $(FUZZ_TIME),$(FUZZ_TIME),20)
FUZZ_RUN_TIME ?= $(if $(FUZZ_TIME),$(FUZZ_TIME),60)

# One target: replay its crashers, then fuzz a scratch copy of its corpus.
# Never fails itself (so every target runs); it leaves NAME.rc and
# NAME.stat for the summary below.
$(FUZZ_RUNS): fuzz-run-%: $(FUZZ_DIR)/fuzz_%
	@name=$*; bin=$(FUZZ_DIR)/fuzz_$$name; log=$(FUZZ_DIR)/$$name.log; \
	corpus=$(FUZZ_DIR)/corpus-$$name; \
	rm -f $(FUZZ_DIR)/$$name.rc $(FUZZ_DIR)/$$name.stat $$log; \
	mkdir -p $$corpus; \
	if [ -d $(FUZZ_SRC_DIR)/corpus/$$name ]; then \
		cp -p $(FUZZ_SRC_DIR)/corpus/$$name/. $$corpus/ -R; fi; \
	rc=0; \
	crashers=$$(ls $(FUZZ_SRC_DIR)/crashers/$$name-* 2>/dev/null); \
	if [ -n "$$crashers" ]; then \
		$$bin $$crashers >$$log 2>&1 || rc=$$?; \
		if [ $$rc -ne 0 ]; then echo "fuzz: $$name: a saved crasher fails again"; fi; \
	fi; \
	if [ $$rc -eq 0 ]; then \
		echo "fuzz: $$name: fuzzing for $(FUZZ_RUN_TIME) s"; \
		t0=$$(date +%s); \
		$$bin -max_total_time=$(FUZZ_RUN_TIME) -print_final_stats=1 \
			$(FUZZ_OPTS) -artifact_prefix=$(FUZZ_DIR)/$$name- \
			$$corpus >>$$log 2>&1 || rc=$$?; \
		t1=$$(date +%s); \
	else t0=0; t1=0; fi; \
	n=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log | tail -n 1); \
	echo "fuzz: $$name: $${n:-0} execs in $$((t1 - t0)) s" > $(FUZZ_DIR)/$$name.stat; \
	echo $$rc > $(FUZZ_DIR)/$$name.rc; \
	if [ $$rc -ne 0 ]; then \
		echo "fuzz: $$name: FAILED (exit $$rc); log: $$log"; \
		sed -n '/==ERROR\|runtime error\|invariant failed\|deadly signal\|does not\|not reversible/,$$p' \
			$$log | head -n 40; \
		ls $(FUZZ_DIR)/$$name-crash-* $(FUZZ_DIR)/$$name-leak-* \
			$(FUZZ_DIR)/$$name-timeout-* $(FUZZ_DIR)/$$name-oom-* 2>/dev/null \
			| sed 's/^/fuzz: crash file: /'; \
	fi

# The summary: every target's line, then fail if any target failed.
fuzz fuzz-smoke: $(FUZZ_RUNS)
	@rm -f $(FUZZ_DIR)/stats.txt; fail=; \
	for name in $(FUZZ_TARGETS); do \
		cat $(FUZZ_DIR)/$$name.stat >> $(FUZZ_DIR)/stats.txt; \
		cat $(FUZZ_DIR)/$$name.stat; \
		[ "$$(cat $(FUZZ_DIR)/$$name.rc)" = 0 ] || fail="$$fail $$name"; \
	done; \
	if [ -n "$$fail" ]; then echo "fuzz: FAILED:$$fail"; exit 1; fi; \
	echo "fuzz: all $(words $(FUZZ_TARGETS)) targets ran $(FUZZ_RUN_TIME) s without a crash"

fuzz-clean:
	rm -rf $(FUZZ_DIR)

.DEFAULT_GOAL := $(FUZZ_SAVED_GOAL)
