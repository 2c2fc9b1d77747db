# SPDX-License-Identifier: GPL-2.0-or-later
# rlm_phonecert: FreeRADIUS 3.2 module deciding Cisco IP phone LSC/MIC trust.
#
#   make            build the module (build/rlm_phonecert.so)
#   make run        install what is missing, build, start a demo server on 127.0.0.1
#   make fleet      the same for a fleet: two servers, memcached, PostgreSQL (doc/fleet.md)
#   make test       install what is missing, build, run every test
#   make test-other-release   the whole of .ci/run again in a root of the
#                   other Debian release (12 <-> 13)
#   make install    install module and raddb files (honours DESTDIR, PREFIX)
#   make deb        build the Debian package freeradius-phonecert (build/deb/)

CC      ?= cc
BUILD   := build
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Werror=implicit-function-declaration -Wformat=2 -Wshadow
CORE_CFLAGS := -std=c99 -D_GNU_SOURCE -fPIC $(WARN) $(CPPFLAGS) $(CFLAGS)
# Debian built radiusd with NDEBUG: without it struct rad_request has another layout.
FR_CFLAGS   := $(CORE_CFLAGS) -DNDEBUG -I$(BUILD)/fr-include -include freeradius/build.h \
               -Wno-unused-parameter -Wno-shadow -Wno-format-nonliteral
LDLIBS_SSL  := -lssl -lcrypto

# The version, one definition: the package's (debian/changelog). phonecert
# --version and the module's start-up line (freeradius -X) print it.
# What is read off installed packages is set with '=', read when a recipe
# runs: on a fresh machine `make test` installs those packages in the same run.
PHONECERT_VERSION = $(shell dpkg-parsechangelog -l debian/changelog -S Version)
VERSION_CFLAGS    = -DPHONECERT_VERSION='"$(PHONECERT_VERSION)"'

CORE_SRC := $(wildcard rlm_phonecert/core/*.c)
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
CORE_LIB := $(BUILD)/libphonecert.a
MODULE   := $(BUILD)/rlm_phonecert.so

MODULE_DIR  ?= /usr/lib/freeradius
RADDB_DIR   ?= /etc/freeradius/3.0
# radiusd reads some files after dropping to Debian's freerad user (the SQLite schema): group-readable by it.
RADDB_GROUP ?= $(shell [ "$$(id -u)" = 0 ] && getent group freerad >/dev/null && echo freerad || id -gn)

.PHONY: all deps test-deps run test unit integration test-valgrind test-other-release install clean
all: deps $(MODULE)

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

$(BUILD)/fr-include/.stamp: scripts/fr-headers.sh
	scripts/fr-headers.sh $(BUILD)/fr-include
	@touch $@

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -MMD -MP -c -o $@ $<

$(CORE_LIB): $(CORE_OBJ)
	$(AR) rcs $@ $^

# The FreeRADIUS glue, and the configuration reader it shares with the CLI
# (config/: FreeRADIUS' parser -> the core's types): compiled against
# FreeRADIUS' headers, linked with the core. The module exports only its
# module_t (rlm_phonecert/module/exports.map).
MODULE_SRC := $(wildcard rlm_phonecert/module/*.c)
MODULE_OBJ := $(MODULE_SRC:%.c=$(BUILD)/%.o)
CONFIG_SRC := $(wildcard rlm_phonecert/config/*.c)
CONFIG_OBJ := $(CONFIG_SRC:%.c=$(BUILD)/%.o)
FR_OBJ     := $(MODULE_OBJ) $(CONFIG_OBJ) $(BUILD)/rlm_phonecert/cli/raddb.o

$(FR_OBJ): $(BUILD)/%.o: %.c $(BUILD)/fr-include/.stamp
	@mkdir -p $(dir $@)
	$(CC) $(FR_CFLAGS) -MMD -MP -c -o $@ $<

# The fleet block list's reader (module/fleet_blocklist.c) and the check of
# its db option (config/) talk to PostgreSQL with libpq (libpq-dev).
$(MODULE_OBJ) $(CONFIG_OBJ): FR_CFLAGS += -I$(PQ_INCLUDE)

$(BUILD)/rlm_phonecert/module/rlm_phonecert.o: FR_CFLAGS += $(VERSION_CFLAGS)
$(BUILD)/rlm_phonecert/module/rlm_phonecert.o: debian/changelog

$(MODULE): $(MODULE_OBJ) $(CONFIG_OBJ) $(CORE_LIB) rlm_phonecert/module/exports.map
	$(CC) -shared $(LDFLAGS) -Wl,--version-script=rlm_phonecert/module/exports.map -o $@ \
		$(MODULE_OBJ) $(CONFIG_OBJ) $(CORE_LIB) $(LDLIBS_SSL) -lpq -ltalloc -lpthread

-include $(CORE_OBJ:.o=.d) $(MODULE_OBJ:.o=.d) $(CONFIG_OBJ:.o=.d)

# Tests
TEST_PKI   := $(BUILD)/test-pki
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
INTEGRATION := $(sort $(wildcard tests/integration/test-*.sh))

$(BUILD)/tests/unit/%: tests/unit/%.c tests/unit/pki_support.h $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -Irlm_phonecert -o $@ $< $(CORE_LIB) -lcmocka $(LDLIBS_SSL) $(UNIT_LDFLAGS)

# test_writers answers for made-up groups itself (its own getgrgid_r, in front of the system's).
$(BUILD)/tests/unit/test_writers $(BUILD)/asan/tests/unit/test_writers: UNIT_LDFLAGS := -Wl,--wrap=getgrgid_r

$(TEST_PKI)/.complete: tests/pki/make-pki.sh
	rm -rf $(TEST_PKI)
	tests/pki/make-pki.sh $(TEST_PKI)

test: test-deps all $(UNIT_BIN) $(TEST_PKI)/.complete
	@$(MAKE) --no-print-directory unit integration fuzz-smoke sanitize

unit: $(UNIT_BIN) $(TEST_PKI)/.complete
	@status=0; for t in $(UNIT_BIN); do PHONECERT_TEST_PKI=$(TEST_PKI) $$t || status=1; done; exit $$status

integration: $(MODULE) $(TEST_PKI)/.complete
	@status=0; for t in $(INTEGRATION); do bash $$t || status=1; done; exit $$status

# The integration suites with radiusd under valgrind memcheck (CI runs it too).
test-valgrind: test-deps all $(TEST_PKI)/.complete
	bash tests/integration/valgrind.sh

# .ci/run in a debootstrapped root of the other release (needs root).
test-other-release: test-deps
	scripts/test-other-release.sh $(RELEASE)

run: all
	scripts/run-demo.sh

# The fleet of doc/fleet.md on this machine, no container engine: two servers,
# memcached, PostgreSQL and a CoA receiver on 127.0.0.1; Ctrl-C (or make
# fleet-stop) stops what it started.
.PHONY: fleet fleet-stop
fleet: all
	@scripts/install-deps.sh fleet
	scripts/run-fleet.sh start

fleet-stop:
	scripts/run-fleet.sh stop

# Admins who build from source add phonecert to an existing Debian FreeRADIUS
# (the package, make deb, does the same with dpkg): install-files puts the
# module where radiusd looks for modules (MODULE_DIR, /usr/lib/freeradius:
# FreeRADIUS' libdir), the dictionary, the module, inventory and inventory cache configuration
# (mods-available and the inventory writer's site in sites-available, nothing
# enabled), the fleet's shared TLS session store (the memcached rlm_cache and
# its tls-cache site, not enabled), the switch reply and post-auth policies and Cisco's bundle into RADDB_DIR, the programs and man pages under
# PREFIX (/usr/local). install also adds the dictionary include and makes the
# inventory's directory STATE_DIR, owned by freerad (the package's postinst
# does both at installation time).
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
STATE_DIR ?= /var/lib/freeradius
RADDB_FILES := dictionary.phonecert:0644 mods-available/phonecert:0640 policy.d/phonecert:0640 \
	certs/phonecert/manufacturing.pem:0644 certs/phonecert/SOURCES.md:0644 mods-available/sql_phonecert:0640 mods-available/cache_phonecert:0640 sites-available/phonecert-inventory:0640 \
	mods-available/cache_phonecert_tls:0640 sites-available/phonecert-tls-cache:0640 \
	$(foreach f,connection.conf queries.conf queries-count.conf queries-unverified.conf queries-prune.conf \
		$(foreach d,sqlite postgresql,$(d)/schema.sql $(d)/0002-retention.sql $(d)/open.conf),mods-config/sql/phonecert/$(f):0640)
MAN_PAGES := rlm_phonecert/cli/phonecert.1 scripts/phonecert-test.1 rlm_phonecert/module/phonecert.5
# The fleet (doc/fleet.md): the inventory's migration 3, and the roles of a PostgreSQL one.
RADDB_FILES += $(foreach d,sqlite postgresql,mods-config/sql/phonecert/$(d)/0003-fleet.sql:0640) \
	mods-config/sql/phonecert/postgresql/fleet-roles.sql:0640 mods-config/sql/phonecert/queries-switch.conf:0640

.PHONY: install-files install-state
install: install-files install-state
	@echo "Installed. Enable: ln -s ../mods-available/phonecert $(RADDB_DIR)/mods-enabled/ (see doc/installation.md)"

install-files: all
	install -D -m 0644 $(MODULE) $(DESTDIR)$(MODULE_DIR)/rlm_phonecert.so
	for f in $(RADDB_FILES); do \
		install -D -g $(RADDB_GROUP) -m $${f#*:} raddb/$${f%:*} $(DESTDIR)$(RADDB_DIR)/$${f%:*} || exit 1; \
	done
	install -D -m 0755 $(CLI) $(DESTDIR)$(BINDIR)/phonecert
	install -D -m 0755 scripts/phonecert-test $(DESTDIR)$(BINDIR)/phonecert-test
	for m in $(MAN_PAGES); do \
		install -D -m 0644 $$m $(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/} || exit 1; \
	done

install-state: install-files
	scripts/add-dictionary-include.sh $(DESTDIR)$(RADDB_DIR)/dictionary
	install -d -m 0750 $(DESTDIR)$(STATE_DIR)
	! getent passwd freerad >/dev/null || [ "$$(id -u)" != 0 ] || chown freerad:freerad $(DESTDIR)$(STATE_DIR)

clean:
	rm -rf $(BUILD)

# The Debian package, built by dpkg-buildpackage (debian/) from a copy of the
# work tree (uncommitted changes included) into build/deb/, then checked by
# lintian (no errors allowed). The copy gets the FreeRADIUS headers
# that scripts/fr-headers.sh assembled.
DEB_DIR := $(BUILD)/deb
DEB      = $(DEB_DIR)/freeradius-phonecert_$(PHONECERT_VERSION)_$(shell dpkg --print-architecture).deb
.PHONY: deb
deb: $(BUILD)/fr-include/.stamp
	@scripts/install-deps.sh deb
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_DIR)/src/build
	tar --exclude=./build --exclude=./.git -c . | tar -C $(DEB_DIR)/src -x
	cp -a $(BUILD)/fr-include $(DEB_DIR)/src/build/
	cd $(DEB_DIR)/src && dpkg-buildpackage -b -us -uc >../dpkg-buildpackage.log 2>&1 || { tail -n 30 ../dpkg-buildpackage.log; exit 1; }
	lintian --fail-on error --tag-display-limit 0 $(DEB) $(DEB_DIR)/*.changes
	@echo "Built $(DEB)"

# ---- phonecert command-line tool (rlm_phonecert/cli) ------------------------
# build/phonecert: the core, OpenSSL, and FreeRADIUS' own configuration parser
# (libfreeradius-server, as radmin uses it) with the module's configuration
# reader (config/). Built by `all` (so before the integration tests) and
# installed with its man page by `install`.
$(BUILD)/rlm_phonecert/cli/main.o: CORE_CFLAGS += $(VERSION_CFLAGS)
$(BUILD)/rlm_phonecert/cli/main.o: debian/changelog
# cli/: main.c, the commands of one file (inspect, lint, block) and what they
# share; a folder each for capture/ (its packet parsing, no libpcap but
# pcap_source.c, is also the fuzzer's), report/ (gathering and one renderer
# per format) and inventory/ (the database, SQLite and PostgreSQL, and migrate).
CAPTURE_PARSE_SRC := $(addprefix rlm_phonecert/cli/capture/,buf.c dissect.c eap.c engine.c radius.c tcp.c tls.c)
CLI_SRC := $(wildcard rlm_phonecert/cli/*.c rlm_phonecert/cli/capture/*.c rlm_phonecert/cli/report/*.c \
	rlm_phonecert/cli/inventory/*.c)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
CLI     := $(BUILD)/phonecert

all: $(CLI)
integration: $(CLI)

# report reads the phone inventory: SQLite (libsqlite3-dev) and PostgreSQL
# (libpq-dev; its headers are in pg_config's include directory); capture
# reads pcap and pcapng files with libpcap (libpcap-dev).
# libfreeradius-server has no SONAME and lives in FreeRADIUS' private directory;
# where FreeRADIUS was built with PCRE, it leaves pcre's symbols to the program.
FR_LIBDIR   := /usr/lib/freeradius
FR_PCRE     = $(shell grep -q '^\#define HAVE_PCRE 1' /usr/include/freeradius/autoconf.h 2>/dev/null && echo -lpcre)
FR_LDLIBS   = -L$(FR_LIBDIR) -Wl,-rpath,$(FR_LIBDIR) -lfreeradius-server -lfreeradius-radius -ltalloc $(FR_PCRE)
CLI_LDLIBS  = -lsqlite3 -lpq -lpcap $(FR_LDLIBS)
PQ_INCLUDE  = $(or $(shell pg_config --includedir 2>/dev/null),/usr/include/postgresql)
$(BUILD)/rlm_phonecert/cli/inventory/db_postgres.o: CORE_CFLAGS += -I$(PQ_INCLUDE)

# lint checks the CertificateRequest against the installed FreeRADIUS' TLS record size.
FR_TLS_H       := /usr/include/freeradius/tls.h
FR_MAX_RECORD  = $(shell sed -n 's/^\#define[[:space:]]*MAX_RECORD_SIZE[[:space:]]*\([0-9]*\).*/\1/p' $(FR_TLS_H) 2>/dev/null)
FR_VERSION     = $(shell dpkg-query -W -f='$${Version}' libfreeradius-dev 2>/dev/null | sed 's/^[0-9]*://; s/[+~-].*//')
$(BUILD)/rlm_phonecert/cli/lint.o: CORE_CFLAGS += -DFR_MAX_RECORD_SIZE=$(FR_MAX_RECORD) -DFR_VERSION='"$(FR_VERSION)"'
$(BUILD)/rlm_phonecert/cli/lint.o: $(FR_TLS_H)

$(CLI): $(CLI_OBJ) $(CONFIG_OBJ) $(CORE_LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(CONFIG_OBJ) $(CORE_LIB) $(LDLIBS_SSL) $(CLI_LDLIBS)

-include $(CLI_OBJ:.o=.d)
# ---- end of the phonecert command-line tool ---------------------------------

# ---- benchmark (bench/): `make bench`, never part of `make test` -------------
# End to end (stock FreeRADIUS vs phonecert, eapol_test), core verification
# cost, the inventory under a flood of strangers, report --expected with
# CUCM's lists at scale and shared session resumption across two servers;
# writes bench/RESULTS.md.
# Settings: BENCH_N, BENCH_R, BENCH_FLOOD_N, BENCH_EXPECTED_N, BENCH_FLEET_N, BENCH_STORM_N, BENCH_STORM_P (bench/README.md).
BENCH_CORE := $(BUILD)/bench/core_bench

.PHONY: bench bench-deps bench-profile bench-flood bench-expected bench-fleet bench-writer
bench: all bench-deps $(TEST_PKI)/.complete $(BENCH_CORE)
	bench/run.sh

bench-deps:
	@scripts/install-deps.sh bench

# Instruction counts per authentication under callgrind (PROFILE_N; bench/README.md).
bench-profile: all bench-deps $(TEST_PKI)/.complete
	bench/profile.sh

# Only the inventory under a flood of strangers (BENCH_FLOOD_N; bench/README.md, section 5).
bench-flood: all bench-deps $(TEST_PKI)/.complete
	bench/flood.sh

# Only CUCM's phone lists at scale: report --expected, 50,000 against 50,000 (BENCH_EXPECTED_N; bench/README.md, section 6).
bench-expected: all bench-deps $(TEST_PKI)/.complete
	bench/expected.sh

# Only shared session resumption across two servers and the boot storm (BENCH_FLEET_N, BENCH_STORM_N, BENCH_STORM_P; bench/README.md, section 7).
bench-fleet: all bench-deps $(TEST_PKI)/.complete
	bench/fleet.sh

# Only what a written inventory entry costs, step by step (BENCH_WRITER_N, BENCH_WRITER_PAUSE; bench/README.md, section 8).
bench-writer: all bench-deps $(TEST_PKI)/.complete
	bench/writer.sh

$(BENCH_CORE): bench/core_bench.c $(CORE_LIB) $(wildcard rlm_phonecert/core/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -Irlm_phonecert/core -o $@ $< $(CORE_LIB) $(LDLIBS_SSL)
# ---- end of the benchmark ----------------------------------------------------

# ---- fuzzing (libFuzzer) and sanitizers (ASan + UBSan) ----------------------
#   make fuzz          builds tests/fuzz/fuzz_*.c into build/fuzz/ and runs each
#                      for FUZZ_SECONDS; crashes go to build/fuzz/crashes/<target>/
#   make fuzz-smoke    the same, FUZZ_SMOKE_SECONDS each (part of `make test`)
#   make sanitize      the unit tests on the core, built with ASan + UBSan
# Both compile the core sources again with the instrumentation (never
# libphonecert.a). llvm-symbolizer (Debian's llvm, on PATH) makes stack traces readable.
FUZZ_CC            ?= clang
SAN_CC             ?= clang
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_RSS_MB        ?= 2048
FUZZ_TIMEOUT       ?= 10
FUZZ_DIR   := $(BUILD)/fuzz
FUZZ_SRC   := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES := $(FUZZ_SRC:tests/fuzz/%.c=%)
FUZZ_BIN   := $(FUZZ_NAMES:%=$(FUZZ_DIR)/%)
FUZZ_OBJ   := $(CORE_SRC:%.c=$(FUZZ_DIR)/obj/%.o)
# fuzz_capture also links the capture parser (frames in, handshakes out: no libpcap).
FUZZ_CAPTURE_OBJ := $(CAPTURE_PARSE_SRC:%.c=$(FUZZ_DIR)/obj/%.o)
SAN_DIR    := $(BUILD)/asan
SAN_OBJ    := $(CORE_SRC:%.c=$(SAN_DIR)/%.o)
SAN_BIN    := $(UNIT_SRC:tests/unit/%.c=$(SAN_DIR)/tests/unit/%)
INSTR_CFLAGS := -std=c99 -D_GNU_SOURCE $(WARN) -g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: fuzz fuzz-smoke sanitize

$(FUZZ_OBJ) $(FUZZ_CAPTURE_OBJ): $(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(INSTR_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -MMD -MP -c -o $@ $<

$(FUZZ_DIR)/fuzz_capture: FUZZ_EXTRA_OBJ = $(FUZZ_CAPTURE_OBJ)
$(FUZZ_DIR)/fuzz_capture: $(FUZZ_CAPTURE_OBJ)
$(FUZZ_BIN): $(FUZZ_DIR)/%: tests/fuzz/%.c tests/fuzz/fuzz_result.h $(FUZZ_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(INSTR_CFLAGS) -fsanitize=fuzzer,address,undefined -Irlm_phonecert -o $@ $< $(FUZZ_OBJ) $(FUZZ_EXTRA_OBJ) $(LDLIBS_SSL)

# Seeds from the PKI the fuzzers load (its keys change when it is regenerated).
# They start build/fuzz/corpus/<target>, where each target also writes what it
# finds; it reads the committed seeds of tests/fuzz/corpus/<target> as well.
$(FUZZ_DIR)/corpus/.complete: tests/fuzz/make-seeds.sh $(TEST_PKI)/.complete
	rm -rf $(FUZZ_DIR)/corpus
	tests/fuzz/make-seeds.sh $(TEST_PKI) $(FUZZ_DIR)/corpus

fuzz: $(FUZZ_BIN) $(FUZZ_DIR)/corpus/.complete $(TEST_PKI)/.complete
	@passed=0; failed=0; \
	for t in $(FUZZ_NAMES); do \
		mkdir -p $(FUZZ_DIR)/corpus/$$t $(FUZZ_DIR)/crashes/$$t; \
		seeds=; [ ! -d tests/fuzz/corpus/$$t ] || seeds=tests/fuzz/corpus/$$t; \
		echo "fuzz: $$t for $(FUZZ_SECONDS)s (log: $(FUZZ_DIR)/$$t.log)"; \
		if PHONECERT_TEST_PKI=$(TEST_PKI) $(FUZZ_DIR)/$$t -max_total_time=$(FUZZ_SECONDS) \
			-rss_limit_mb=$(FUZZ_RSS_MB) -timeout=$(FUZZ_TIMEOUT) -print_final_stats=1 \
			-artifact_prefix=$(FUZZ_DIR)/crashes/$$t/ \
			$(FUZZ_DIR)/corpus/$$t $$seeds >$(FUZZ_DIR)/$$t.log 2>&1; then \
			passed=$$((passed + 1)); grep -E '^Done' $(FUZZ_DIR)/$$t.log | sed 's/^/  /'; \
		else \
			failed=$$((failed + 1)); echo "fuzz: $$t FAILED:"; tail -n 60 $(FUZZ_DIR)/$$t.log; \
			art=$$(sed -n 's/.*Test unit written to //p' $(FUZZ_DIR)/$$t.log | tail -n 1); \
			echo "fuzz: reproduce with PHONECERT_TEST_PKI=$(TEST_PKI) $(FUZZ_DIR)/$$t $${art:-$(FUZZ_DIR)/crashes/$$t/<file>}"; \
		fi; \
	done; \
	echo "fuzz: $$passed passed, $$failed failed"; [ $$failed -eq 0 ]

fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS)

$(SAN_OBJ): $(SAN_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(SAN_CC) $(INSTR_CFLAGS) -fsanitize=address,undefined -MMD -MP -c -o $@ $<

$(SAN_BIN): $(SAN_DIR)/tests/unit/%: tests/unit/%.c tests/unit/pki_support.h $(SAN_OBJ)
	@mkdir -p $(dir $@)
	$(SAN_CC) $(INSTR_CFLAGS) -fsanitize=address,undefined -Irlm_phonecert -o $@ $< $(SAN_OBJ) -lcmocka $(LDLIBS_SSL) $(UNIT_LDFLAGS)

sanitize: $(SAN_BIN) $(TEST_PKI)/.complete
	@passed=0; failed=0; \
	for t in $(SAN_BIN); do \
		if PHONECERT_TEST_PKI=$(TEST_PKI) ASAN_OPTIONS=detect_leaks=1 \
			UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 $$t; then passed=$$((passed + 1)); \
		else failed=$$((failed + 1)); echo "sanitize: $$t FAILED"; fi; \
	done; \
	echo "sanitize: $$passed passed, $$failed failed"; [ $$failed -eq 0 ]

-include $(FUZZ_OBJ:.o=.d) $(FUZZ_CAPTURE_OBJ:.o=.d) $(SAN_OBJ:.o=.d)
# ---- end of fuzzing and sanitizers ------------------------------------------
