# rlm_phonecert: FreeRADIUS 3.2 module deciding Cisco IP phone LSC/MIC trust.
#
#   make            build the module (build/rlm_phonecert.so)
#   make run        install what is missing, build, start a demo server on 127.0.0.1
#   make test       install what is missing, build, run every test
#   make install    install module and raddb files (honours DESTDIR)

CC      ?= cc
BUILD   := build
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Werror=implicit-function-declaration -Wformat=2 -Wshadow
CORE_CFLAGS := -std=c99 -D_GNU_SOURCE -fPIC $(WARN) $(CFLAGS)
# Debian built radiusd with NDEBUG: without it struct rad_request has another layout.
FR_CFLAGS   := $(CORE_CFLAGS) -DNDEBUG -I$(BUILD)/fr-include -include freeradius/build.h \
               -Wno-unused-parameter -Wno-shadow -Wno-format-nonliteral
LDLIBS_SSL  := -lssl -lcrypto

CORE_SRC := $(wildcard rlm_phonecert/core/*.c)
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
CORE_LIB := $(BUILD)/libphonecert.a
MODULE   := $(BUILD)/rlm_phonecert.so

MODULE_DIR  ?= /usr/lib/freeradius
RADDB_DIR   ?= /etc/freeradius/3.0

.PHONY: all deps test-deps run test unit integration install clean
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

# The FreeRADIUS glue: compiled against FreeRADIUS' headers, linked with the core.
MODULE_SRC := $(wildcard rlm_phonecert/module/*.c)
MODULE_OBJ := $(MODULE_SRC:%.c=$(BUILD)/%.o)

$(BUILD)/rlm_phonecert/module/%.o: rlm_phonecert/module/%.c $(BUILD)/fr-include/.stamp
	@mkdir -p $(dir $@)
	$(CC) $(FR_CFLAGS) -MMD -MP -c -o $@ $<

$(MODULE): $(MODULE_OBJ) $(CORE_LIB)
	$(CC) -shared -o $@ $^ $(LDLIBS_SSL) -ltalloc -lpthread

-include $(CORE_OBJ:.o=.d) $(MODULE_OBJ:.o=.d)

# Tests
TEST_PKI   := $(BUILD)/test-pki
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
INTEGRATION := $(sort $(wildcard tests/integration/test-*.sh))

$(BUILD)/tests/unit/%: tests/unit/%.c tests/unit/pki_support.h $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -Irlm_phonecert -o $@ $< $(CORE_LIB) -lcmocka $(LDLIBS_SSL)

$(TEST_PKI)/.complete: tests/pki/make-pki.sh
	rm -rf $(TEST_PKI)
	tests/pki/make-pki.sh $(TEST_PKI)

test: test-deps all $(UNIT_BIN) $(TEST_PKI)/.complete
	@$(MAKE) --no-print-directory unit integration

unit: $(UNIT_BIN) $(TEST_PKI)/.complete
	@status=0; for t in $(UNIT_BIN); do PHONECERT_TEST_PKI=$(TEST_PKI) $$t || status=1; done; exit $$status

integration: $(MODULE) $(TEST_PKI)/.complete
	@status=0; for t in $(INTEGRATION); do bash $$t || status=1; done; exit $$status

run: all
	scripts/run-demo.sh

# Admins add phonecert to an existing Debian FreeRADIUS: the module, its
# dictionary, the module configuration (not enabled), the switch reply
# policy and Cisco's bundle.
install: all
	install -D -m 0644 $(MODULE) $(DESTDIR)$(MODULE_DIR)/rlm_phonecert.so
	install -D -m 0644 raddb/dictionary.phonecert $(DESTDIR)$(RADDB_DIR)/dictionary.phonecert
	install -D -m 0640 raddb/mods-available/phonecert $(DESTDIR)$(RADDB_DIR)/mods-available/phonecert
	install -D -m 0640 raddb/policy.d/phonecert $(DESTDIR)$(RADDB_DIR)/policy.d/phonecert
	install -D -m 0644 raddb/certs/phonecert/manufacturing.pem $(DESTDIR)$(RADDB_DIR)/certs/phonecert/manufacturing.pem
	install -D -m 0644 raddb/certs/phonecert/SOURCES.md $(DESTDIR)$(RADDB_DIR)/certs/phonecert/SOURCES.md
	scripts/add-dictionary-include.sh $(DESTDIR)$(RADDB_DIR)/dictionary
	@echo "Installed. Enable: ln -s ../mods-available/phonecert $(RADDB_DIR)/mods-enabled/ (see README.md)"

clean:
	rm -rf $(BUILD)
