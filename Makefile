# shmtool - System V and POSIX shared memory from one command line.
#
#   make deps     install the Debian build and test dependencies (apt-get)
#   make          build ./shmtool
#   make check    unit tests (cmocka) and end-to-end tests
#   make install  PREFIX=/usr/local DESTDIR=
#   make dist     dist/shmtool-VERSION.tar.gz, a tarball that builds alone
#   make deb      dist/shmtool_VERSION_ARCH.deb (dpkg-buildpackage -b)
#   make check-packaging  the package, lintian, dpkg -i/-r, promtool,
#                 node_exporter, systemd-analyze verify (root; slow)

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
# systemd looks in /usr/local/lib/systemd/system too; Debian's package
# passes /lib/systemd/system.  zsh: Debian's own zsh reads
# /usr/share/zsh/vendor-completions (the package passes it), a local one
# PREFIX/share/zsh/site-functions.
UNITDIR ?= $(PREFIX)/lib/systemd/system
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
UNITS   := shmtool-metrics.service shmtool-metrics.timer \
           shmtool-clean.service shmtool-clean.timer
VERSION := 0.1.0

CC      ?= cc
PKG_CONFIG ?= pkg-config
PKGS    := libbsd smartcols

WARN    := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes
ifneq ($(CI),)
WARN    += -Werror
endif
ifneq ($(WERROR),)
WARN    += -Werror
endif

OPT     ?= -O2 -g
SAN_FLAGS :=
ifneq ($(SANITIZE),)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=all
OPT     := -O1 -g
endif

CPPFLAGS += -D_GNU_SOURCE

# `shmtool -V` also says which commit it was built from: `git describe`
# when this is a git tree (a worktree's .git is a file), else what `make
# dist` recorded in .git-describe, else nothing.  Never the describe of a
# repository this tree merely sits in (an unpacked tarball under a clone).
GIT_DESCRIBE := $(if $(wildcard .git),$(shell git describe --tags --always \
                  --dirty 2>/dev/null),$(shell cat .git-describe 2>/dev/null))
GIT_DESCRIBE := $(shell printf '%s' '$(subst ',,$(GIT_DESCRIBE))' | tr -cd 'A-Za-z0-9._+~-')
CFLAGS  += -std=gnu11 $(OPT) $(WARN) $(SAN_FLAGS)
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS))
# -pthread: the /proc scan runs in two threads where two CPUs are free.
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS)) -pthread
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka)
CMOCKA_LIBS   = $(shell $(PKG_CONFIG) --libs cmocka)

# Objects of the tool; main.o alone holds main().
LIB_SRCS := $(filter-out src/main.c,$(sort $(wildcard src/*.c)))
# Sanitizer builds live apart, so they never clobber the normal build.
ifneq ($(SANITIZE),)
BUILD    := build-san
else
BUILD    := build
endif
BIN      := $(if $(SANITIZE),$(BUILD)/shmtool,shmtool)
LIB_OBJS := $(LIB_SRCS:src/%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/main.o

UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
E2E_HELPER := tests/e2e/shmhelper
E2E_HOLDER := tests/e2e/shmholder
E2E_STRESS := tests/e2e/shmstress

# Debian packages.  DEB_BUILD_PKGS are debian/control's Build-Depends
# (but debhelper-compat; check-packaging compares them); the rest test,
# lint the docs, and build and check the package.
DEB_BUILD_PKGS := pkg-config libbsd-dev libsmartcols-dev libcmocka-dev
DEB_PKGS := build-essential $(DEB_BUILD_PKGS) \
            util-linux jq bsdextrautils mandoc groff-base \
            lsof psmisc procps postgresql bash-completion zsh fish \
            clang libclang-rt-14-dev valgrind strace time \
            debhelper dpkg-dev fakeroot lintian systemd man-db \
            prometheus prometheus-node-exporter curl

# FORCE: see describe.stamp
.PHONY: FORCE check-layers all deps check check-unit check-e2e check-fixtures check-readme check-docs \
        check-valgrind clean install uninstall lint-man dist deb check-packaging \
        print-deb-build-pkgs

all: $(BIN)

$(BIN): $(LIB_OBJS) $(MAIN_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/%.o: src/%.c src/*.h Makefile | $(BUILD)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

# Only version.o carries the version; it is rebuilt when the describe
# changes (the stamp is rewritten only then).
$(BUILD)/version.o: CPPFLAGS += -DSHMTOOL_VERSION='"$(VERSION)"' \
	-DSHMTOOL_GIT_DESCRIBE='"$(GIT_DESCRIBE)"'
$(BUILD)/version.o: $(BUILD)/describe.stamp
$(BUILD)/describe.stamp: FORCE | $(BUILD)
	@printf '%s %s\n' '$(VERSION)' '$(GIT_DESCRIBE)' | cmp -s - $@ || \
		printf '%s %s\n' '$(VERSION)' '$(GIT_DESCRIBE)' >$@
FORCE:

$(BUILD) $(BUILD)/tests:
	mkdir -p $@

# Unit tests: tests/unit/test_NAME.c links the tool's objects (not main.o).
# A test may list syscalls to intercept in a "// WRAP: sym sym" line.
$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS) tests/unit/*.h | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) $(CMOCKA_CFLAGS) -Isrc \
		-o $@ $< $(LIB_OBJS) \
		$(addprefix -Wl$(,)--wrap=,$(shell sed -n 's|^// WRAP:||p' $<)) \
		$(PKG_LIBS) $(CMOCKA_LIBS)

, := ,

$(E2E_HELPER) $(E2E_HOLDER) $(E2E_STRESS): %: %.c
	$(CC) -std=gnu11 -Wall -Wextra -Wformat=2 -Wshadow -Werror -O2 \
		-pthread -o $@ $< -lrt

deps:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	if dpkg-query -W -f='$${Status}\n' $(DEB_PKGS) 2>/dev/null | \
	   grep -vq '^install ok installed$$' || \
	   [ "$$(dpkg-query -W -f='$${Status}\n' $(DEB_PKGS) 2>/dev/null | wc -l)" -ne $(words $(DEB_PKGS)) ]; then \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(DEB_PKGS); \
	else \
		echo "deps: all $(words $(DEB_PKGS)) Debian packages are installed"; \
	fi

check: check-layers check-unit check-fixtures check-e2e check-readme check-docs

# The layer rules of docs/ARCHITECTURE.md (grep level), and proof that the
# check fails when a rule is broken.
check-layers:
	tests/layers/check.sh
	tests/layers/selftest.sh

check-unit: $(UNIT_TESTS)
	@set -e; for t in $(UNIT_TESTS); do echo "== $$t"; $$t; done

check-e2e: $(BIN) $(E2E_HELPER) $(E2E_HOLDER) $(E2E_STRESS)
	SHMTOOL=$(CURDIR)/$(BIN) SHMHELPER=$(CURDIR)/$(E2E_HELPER) \
		SHMHOLDER=$(CURDIR)/$(E2E_HOLDER) \
		tests/e2e/run.sh

check-fixtures: $(BIN)
	SHMTOOL=$(CURDIR)/$(BIN) tests/fixtures/check.sh

check-readme: $(BIN)
	SHMTOOL=$(CURDIR)/$(BIN) tests/readme/check.sh

# Every command and its main options under valgrind memcheck: no errors,
# no definite leaks (tests/valgrind/run.sh; root, in private namespaces).
check-valgrind: $(BIN) $(E2E_HOLDER)
	SHMTOOL=$(CURDIR)/$(BIN) SHMHOLDER=$(CURDIR)/$(E2E_HOLDER) \
		tests/valgrind/run.sh

lint-man:
	mandoc -Tlint -W style man/shmtool.1
	groff -man -ww -z man/shmtool.1

# Docs: man page lint, help/man/completion drift, completions in real shells,
# install/uninstall.
check-docs: $(BIN)
	SHMTOOL=$(CURDIR)/$(BIN) tests/docs/run.sh

# Completions go where bash-completion, zsh and fish look for them; the
# systemd units (not enabled) run $(BINDIR)/shmtool.
install: shmtool
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
		$(DESTDIR)$(FISHCOMPDIR) $(DESTDIR)$(UNITDIR)
	install -m 0755 shmtool $(DESTDIR)$(BINDIR)/shmtool
	install -m 0644 man/shmtool.1 $(DESTDIR)$(MANDIR)/man1/shmtool.1
	install -m 0644 completions/shmtool.bash $(DESTDIR)$(BASHCOMPDIR)/shmtool
	install -m 0644 completions/_shmtool $(DESTDIR)$(ZSHCOMPDIR)/_shmtool
	install -m 0644 completions/shmtool.fish \
		$(DESTDIR)$(FISHCOMPDIR)/shmtool.fish
	for u in $(UNITS); do \
		sed 's|/usr/bin/shmtool|$(BINDIR)/shmtool|g' systemd/$$u \
			>$(DESTDIR)$(UNITDIR)/$$u.tmp && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$u.tmp && \
		mv -f $(DESTDIR)$(UNITDIR)/$$u.tmp $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/shmtool $(DESTDIR)$(MANDIR)/man1/shmtool.1 \
		$(DESTDIR)$(BASHCOMPDIR)/shmtool \
		$(DESTDIR)$(ZSHCOMPDIR)/_shmtool \
		$(DESTDIR)$(FISHCOMPDIR)/shmtool.fish \
		$(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS))

# A release tarball that builds by itself: the tracked files as they are
# in the work tree (so that make deb packs what is being tested), and the
# describe in .git-describe, which -V then reports without git.
DIST_NAME := shmtool-$(VERSION)
DIST_TAR  := dist/$(DIST_NAME).tar.gz
dist:
	@[ -e .git ] || { echo "make dist: not a git tree" >&2; exit 1; }
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	mkdir -p "$$tmp/$(DIST_NAME)" dist; \
	git ls-files -z | xargs -0 sh -c 'for f; do \
		if [ -e "$$f" ] || [ -L "$$f" ]; then printf "%s\0" "$$f"; fi; \
	done' sh | tar -c --null -T - | tar -x -C "$$tmp/$(DIST_NAME)"; \
	printf '%s\n' '$(GIT_DESCRIBE)' >"$$tmp/$(DIST_NAME)/.git-describe"; \
	tar -C "$$tmp" --owner=0 --group=0 --numeric-owner --sort=name \
		-czf "$(DIST_TAR).tmp" "$(DIST_NAME)"; \
	mv -f "$(DIST_TAR).tmp" "$(DIST_TAR)"; \
	echo "dist: $(DIST_TAR) ($(GIT_DESCRIBE))"

# The Debian package, built from the dist tarball in a scratch directory
# (dpkg-buildpackage writes into the parent of the tree it builds), so
# this tree gets no build products; they land in dist/, with the build's
# log.  This make's own flags and variables (-s, SANITIZE=1) stay out of
# the package's build.
deb: dist
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	tar -C "$$tmp" -xzf "$(DIST_TAR)"; \
	(cd "$$tmp/$(DIST_NAME)" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		dpkg-buildpackage -us -uc -b) \
		>"$$tmp/build.log" 2>&1 || { tail -40 "$$tmp/build.log"; exit 1; }; \
	rm -f dist/*.deb dist/*.changes dist/*.buildinfo; \
	cp "$$tmp"/*.deb "$$tmp"/*.changes "$$tmp"/*.buildinfo dist/; \
	cp "$$tmp/build.log" dist/build.log; \
	ls dist/*.deb

print-deb-build-pkgs:
	@echo $(DEB_BUILD_PKGS)

# The package and the units on this machine, as root: make deb, lintian,
# dpkg -i and -r, promtool, node_exporter, systemd-analyze verify
# (tests/packaging/run.sh).
check-packaging: $(BIN)
	SHMTOOL=$(CURDIR)/$(BIN) tests/packaging/run.sh

clean: fuzz-clean bench-clean
	rm -rf build build-san shmtool $(E2E_HELPER) $(E2E_HOLDER) \
		$(E2E_STRESS) dist

# libFuzzer targets (make fuzz, make fuzz-smoke) and benchmarks (make
# bench); neither is part of make check.
include tests/fuzz/fuzz.mk
include bench/bench.mk
