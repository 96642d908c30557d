# svclint: hand-written Makefile.  `make` builds ./svclint, `make check` runs every test,
# `make demo` lints examples/.  Quiet unless V=1; objects in $(BUILD)/.

BUILD    ?= build
PREFIX   ?= /usr/local
DESTDIR  ?=
MANDIR   ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
CC       ?= cc
CFLAGS   ?= -O2 -g
PKG_CONFIG ?= pkg-config
NM       ?= nm
OBJCOPY  ?= objcopy

# -Wformat=2 includes -Wformat-nonliteral: findings keep their format strings until the end of the run
# (diag_list.defer in linter/diag.h), so every format must be a string literal.
WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings \
            -Wvla -Wformat=2
ifeq ($(CI),true)
WARNINGS += -Werror
endif
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif

# Install missing libraries before anything else needs their flags (not for clean/uninstall).
NEEDS_DEPS := $(filter-out clean uninstall,$(or $(MAKECMDGOALS),all))
ifneq ($(NEEDS_DEPS),)
ifeq ($(shell $(PKG_CONFIG) --exists yaml-0.1 libpcre2-8 check 2>/dev/null && echo ok),)
$(info svclint: pkg-config cannot find yaml-0.1, libpcre2-8 or check; running scripts/install-deps.sh)
DEPS_STATUS := $(shell sh scripts/install-deps.sh >&2; echo $$?)
ifneq ($(DEPS_STATUS),0)
$(error svclint: installing the build dependencies failed; see the messages above)
endif
endif
endif

# The integration tests run real tools: `make check` installs the missing ones first.
ifneq ($(filter check integration,$(MAKECMDGOALS)),)
TEST_TOOLS_OK := $(shell command -v git >/dev/null 2>&1 && command -v pre-commit >/dev/null 2>&1 && \
	command -v vim >/dev/null 2>&1 && command -v groff >/dev/null 2>&1 && command -v script >/dev/null 2>&1 && \
	{ python3 -c 'import jsonschema' 2>/dev/null || /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; } && echo ok)
ifeq ($(TEST_TOOLS_OK),)
$(info svclint: git, pre-commit, vim, groff, script or python3-jsonschema is missing; running scripts/install-deps.sh)
TOOLS_STATUS := $(shell sh scripts/install-deps.sh >&2; echo $$?)
ifneq ($(TOOLS_STATUS),0)
$(error svclint: installing the test tools failed; see the messages above)
endif
endif
endif

LIB_CFLAGS := $(shell $(PKG_CONFIG) --cflags yaml-0.1 libpcre2-8 2>/dev/null)
SHARED_YAML_LIBS := $(shell $(PKG_CONFIG) --libs yaml-0.1 2>/dev/null)

# libyaml on the parse pool (linter/parse_pool.h): a copy of the static libyaml whose malloc, realloc,
# free and strdup are svclint's.  Without a libyaml.a that scripts/pool-libyaml.sh accepts, or with
# YAML_POOL=0, the shared libyaml.
YAML_POOL ?= 1
ifeq ($(YAML_POOL),1)
ifneq ($(NEEDS_DEPS),)
YAML_ARCHIVE := $(shell $(PKG_CONFIG) --variable=libdir yaml-0.1 2>/dev/null)/libyaml.a
YAML_POOL_REFUSED := $(shell sh scripts/pool-libyaml.sh --check "$(YAML_ARCHIVE)" 2>&1)
ifeq ($(YAML_POOL_REFUSED),)
POOLED_YAML := $(BUILD)/libyaml-pooled.a
else
$(info svclint: $(YAML_POOL_REFUSED); linking the shared libyaml, without the parse pool)
endif
endif
endif
LIB_LIBS   := $(if $(POOLED_YAML),$(POOLED_YAML),$(SHARED_YAML_LIBS)) \
              $(shell $(PKG_CONFIG) --libs libpcre2-8 2>/dev/null) -lpthread
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARNINGS) $(CFLAGS) -Ilinter -Itests -I$(BUILD) $(LIB_CFLAGS) -MMD -MP

ifeq ($(V),1)
Q :=
else
Q := @
endif

CORE_SRC  := $(filter-out linter/main.c,$(sort $(wildcard linter/*.c)))
RULE_SRC  := $(sort $(wildcard rules/*.c))
TEST_SRC  := $(sort $(wildcard tests/test_*.c)) tests/runner.c
CORE_OBJ  := $(CORE_SRC:%.c=$(BUILD)/%.o) $(RULE_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ  := $(TEST_SRC:%.c=$(BUILD)/%.o)
LIB       := $(BUILD)/libsvclint.a
BIN       := $(BUILD)/svclint
TEST_BIN  := $(BUILD)/test-svclint

.PHONY: all check unit fixtures cli-test pool-test integration demo install uninstall clean sanitize fuzz bench hdr-check FORCE

all: $(BIN)
# Only the default build dir refreshes ./svclint: `make BUILD=/tmp/x check` leaves it to its owner.
ifeq ($(BUILD),build)
all: svclint
endif

svclint: $(BIN)
	$(Q)cp $(BIN) svclint

# rules.def and suites.def are made from the file names, so adding a rule or a suite edits no list.
$(BUILD)/rules.def: FORCE
	@mkdir -p $(BUILD)
	@for f in $(RULE_SRC); do n=$${f#rules/}; n=$${n%.c}; echo "RULE($$n)" | tr '-' '_'; done \
		| LC_ALL=C sort > $@.tmp
	@cmp -s $@.tmp $@ 2>/dev/null && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/suites.def: FORCE
	@mkdir -p $(BUILD)
	@for f in $(filter tests/test_%,$(TEST_SRC)); do n=$${f#tests/test_}; echo "SUITE($${n%.c})"; done > $@.tmp
	@cmp -s $@.tmp $@ 2>/dev/null && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/linter/rule.o: $(BUILD)/rules.def
$(TEST_OBJ): $(BUILD)/suites.def

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -c $< -o $@

$(LIB): $(CORE_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# The static libyaml's objects call parse_pool_*(), which libsvclint.a (before it on the command line)
# provides: doc.o's call to parse_pool_release() brings in parse_pool.o, which defines them all.
$(BUILD)/libyaml-pooled.a: $(YAML_ARCHIVE) scripts/pool-libyaml.sh
	@mkdir -p $(BUILD)
	@$(if $(Q),echo "  POOL    $@")
	$(Q)NM="$(NM)" OBJCOPY="$(OBJCOPY)" sh scripts/pool-libyaml.sh $(YAML_ARCHIVE) $@

# Whether this build's libyaml is on the parse pool, for tests/test_parse_pool.c.
$(BUILD)/parse-pool.def: FORCE
	@mkdir -p $(BUILD)
	@echo "#define SVCLINT_PARSE_POOL $(if $(POOLED_YAML),1,0)" > $@.tmp
	@cmp -s $@.tmp $@ 2>/dev/null && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/tests/test_parse_pool.o: $(BUILD)/parse-pool.def

$(BIN): $(BUILD)/linter/main.o $(LIB) $(POOLED_YAML)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter-out $(POOLED_YAML),$^) $(LIB_LIBS)

$(TEST_BIN): $(TEST_OBJ) $(LIB) $(POOLED_YAML)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter-out $(POOLED_YAML),$^) $(CHECK_LIBS) $(LIB_LIBS)

check: all unit cli-test hostile integration pool-test

unit: $(TEST_BIN) $(BIN)
	$(Q)SVCLINT=$(BIN) $(TEST_BIN)

fixtures: $(BIN)
	$(Q)bash tests/fixtures.sh $(BIN)

# Shell tests of context, configuration, baselines, formats, editors, pre-commit and the man page,
# with the real tools (pre-commit, vim, python3-jsonschema, groff): a missing tool fails under CI=true.
INTEGRATION_TESTS := tests/context.sh tests/config.sh tests/baseline.sh tests/formats.sh tests/editors.sh \
                     tests/precommit.sh tests/people.sh

integration: $(BIN)
	$(Q)for t in $(INTEGRATION_TESTS); do bash $$t $(BIN) || exit 1; done

cli-test: $(BIN)
	$(Q)bash tests/cli.sh $(BIN)

# scripts/pool-libyaml.sh on small archives: what it accepts, refuses (and why) and leaves.
pool-test:
	$(Q)CC="$(CC)" bash tests/pool-libyaml.sh

demo: all
	@echo "$$ ./svclint examples/"
	@./svclint examples/; echo "(exit status $$?: examples/broken-*.yaml are broken on purpose; etcd-*.yaml are right)"

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/svclint
	install -m 644 docs/svclint.1 $(DESTDIR)$(MANDIR)/man1/svclint.1
	install -m 644 completion/svclint.bash $(DESTDIR)$(BASHCOMPDIR)/svclint

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/svclint $(DESTDIR)$(MANDIR)/man1/svclint.1 $(DESTDIR)$(BASHCOMPDIR)/svclint

hdr-check:
	$(Q)for h in linter/*.h; do \
		echo "#include \"$${h#linter/}\"" | $(CC) $(filter-out -MMD -MP,$(ALL_CFLAGS)) -x c -fsyntax-only - || exit 1; \
	done; echo "hdr-check: every header compiles alone"

# ---- hostile input: generated limits and walking tests, sanitizers, fuzzing, valgrind ----
# `make sanitize` runs every test under ASan and UBSan in $(SANITIZE_BUILD); `make fuzz` builds the
# libFuzzer target with clang in $(FUZZ_BUILD) and runs it FUZZ_SECONDS; `make valgrind` runs the unit
# suites and every fixture under valgrind.  Each first probes its toolchain and has
# scripts/install-deps.sh install only the packages that are missing.  The sanitized builds also check
# that each kept node's position is read with its own object (SVCLINT_CHECK_NODES: object.h).
SANITIZE_BUILD ?= build/sanitize
SANITIZE_FLAGS ?= -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all -DSVCLINT_CHECK_NODES
FUZZ_BUILD   ?= build/fuzz
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_ARGS    ?=
FUZZ_FLAGS   ?= -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all -DSVCLINT_CHECK_NODES
VALGRIND_BUILD ?= build/valgrind
# Any sanitizer report aborts (a signal), so no test can mistake it for exit 1, "findings".
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1

# The runtime a compiler's sanitizers need, by its major version (clang or gcc).
san_package = $(shell v=$$($(1) -dumpversion 2>/dev/null | cut -d. -f1); \
	if $(1) --version 2>/dev/null | grep -q clang; then echo "libclang-rt-$$v-dev"; \
	elif [ -n "$$v" ]; then echo "libgcc-$$v-dev"; else echo "$(1)"; fi)

hostile: $(BIN)
	$(Q)for tool in strace python3 setpriv; do command -v $$tool >/dev/null 2>&1 || missing="$$missing $$tool"; done; \
		[ -z "$$missing" ] || SVCLINT_EXTRA_PACKAGES="$$(echo $$missing | sed 's/setpriv/util-linux/')" sh scripts/install-deps.sh
	$(Q)bash tests/hostile.sh $(BIN)
	$(Q)bash tests/wrong-types.sh $(BIN)

sanitize:
	$(Q)echo 'int main(void){return 0;}' | $(CC) -fsanitize=address,undefined -x c - -o /dev/null 2>/dev/null || \
		SVCLINT_EXTRA_PACKAGES="$(call san_package,$(CC))" sh scripts/install-deps.sh
	$(Q)$(SAN_ENV) $(MAKE) --no-print-directory BUILD=$(SANITIZE_BUILD) CFLAGS="$(SANITIZE_FLAGS)" unit cli-test hostile

$(BUILD)/fuzz-lint: fuzz/fuzz_lint.c $(LIB) $(POOLED_YAML)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $< $(LIB) $(LIB_LIBS)

fuzz:
	$(Q)command -v $(FUZZ_CC) >/dev/null 2>&1 || SVCLINT_EXTRA_PACKAGES="clang libclang-rt-dev" sh scripts/install-deps.sh
	$(Q)echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){(void)d;(void)n;return 0;}' | \
		$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -x c - -o /dev/null 2>/dev/null || \
		SVCLINT_EXTRA_PACKAGES="$(call san_package,$(FUZZ_CC))" sh scripts/install-deps.sh
	$(Q)$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) \
		CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" $(FUZZ_BUILD)/fuzz-lint
	$(Q)sh fuzz/seeds.sh $(FUZZ_BUILD)/seeds
	$(Q)mkdir -p $(FUZZ_BUILD)/corpus
	$(SAN_ENV) $(FUZZ_BUILD)/fuzz-lint -max_total_time=$(FUZZ_SECONDS) -timeout=20 -rss_limit_mb=2560 \
		-max_len=65536 -dict=fuzz/yaml.dict -artifact_prefix=$(FUZZ_BUILD)/ -print_final_stats=1 \
		$(FUZZ_ARGS) $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/seeds

valgrind:
	$(Q)command -v valgrind >/dev/null 2>&1 || SVCLINT_EXTRA_PACKAGES=valgrind sh scripts/install-deps.sh
	$(Q)$(MAKE) --no-print-directory BUILD=$(VALGRIND_BUILD) CFLAGS="-O1 -g -DSVCLINT_VALGRIND" $(VALGRIND_BUILD)/svclint \
		$(VALGRIND_BUILD)/test-svclint
	$(Q)bash tests/valgrind.sh $(VALGRIND_BUILD)

clean:
	rm -rf $(BUILD) svclint

FORCE:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---- benchmark: `make bench` (BENCH_APPS="2000 20000 100000" by default; see bench/run.sh) ----
BENCH_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 $(WARNINGS)

$(BUILD)/bench-gen: bench/gen.c
	@mkdir -p $(BUILD)
	$(Q)$(CC) $(BENCH_CFLAGS) -o $@ $<

# The floor is libyaml as anyone links it: the shared library on the C library's allocator.
$(BUILD)/bench-floor: bench/floor.c
	@mkdir -p $(BUILD)
	$(Q)$(CC) $(BENCH_CFLAGS) $(LIB_CFLAGS) -o $@ $< $(SHARED_YAML_LIBS)

# The same floor with libyaml on svclint's parse pool: how much of svclint's lead over the floor
# the pool makes (bench/run.sh prints both).
$(BUILD)/bench-floor-pooled: bench/floor.c linter/parse_pool.c $(POOLED_YAML)
	@mkdir -p $(BUILD)
	$(Q)$(CC) $(BENCH_CFLAGS) -DFLOOR_PARSE_POOL -Ilinter $(LIB_CFLAGS) -o $@ bench/floor.c linter/parse_pool.c \
		$(POOLED_YAML)

$(BUILD)/bench-rss: bench/rss.c
	@mkdir -p $(BUILD)
	$(Q)$(CC) $(BENCH_CFLAGS) -o $@ $<

# yamllint (Debian's package) is what the table compares against; without it that line says skipped.
# bench/orphans.sh then times the near-miss search on one namespace of thousands of unpaired objects.
bench: $(BIN) $(BUILD)/bench-gen $(BUILD)/bench-floor $(BUILD)/bench-rss $(if $(POOLED_YAML),$(BUILD)/bench-floor-pooled)
	$(Q)command -v yamllint >/dev/null 2>&1 || SVCLINT_EXTRA_PACKAGES=yamllint sh scripts/install-deps.sh || \
		echo "bench: yamllint could not be installed; its comparison is skipped" >&2
	$(Q)bash bench/run.sh $(BUILD)
	$(Q)bash bench/orphans.sh $(BUILD)
