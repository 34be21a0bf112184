# détente: one hand-written Makefile. Settings first; outputs go to build/.
# `make` builds build/detente and build/libdetente.a; see README.md for the rest.

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKGS    := lua5.4 libuv jansson zlib sqlite3
CFLAGS  ?= -O2 -g
WARN    := -std=c17 -Wall -Wextra -Wmissing-prototypes -Wredundant-decls -Wshadow -Werror \
           -D_POSIX_C_SOURCE=200809L
# Evaluated when used, not when the Makefile is read: on a fresh machine
# `make run` installs pkg-config and the libraries (deps) before it compiles.
DEPCFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
DEPLIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm -lpthread
# The program and the benches link Lua statically (liblua5.4.a, in liblua5.4-dev), as
# Debian's lua5.4 interpreter is: a call into the shared library goes through its PLT,
# and the engine makes some thirty lua_* calls per hook (10% of a hook-heavy run).
# libdetente.a, the unit tests and embedders are unchanged; without the archive, the
# shared library.
LUA_A     = $(wildcard $(shell pkg-config --variable=libdir lua5.4 2>/dev/null)/liblua5.4.a)
PROGLIBS  = $(if $(LUA_A),$(filter-out -llua5.4,$(DEPLIBS)) $(LUA_A) -lm -ldl,$(DEPLIBS))
# The browser transport of `serve`: HTTP parsing, WebSocket framing, SHA-1 for
# the WebSocket handshake (Debian ships no pkg-config files for the first two).
WEBLIBS   = -lwslay -lhttp_parser -lnettle
CMOCKA_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
BUILD   ?= build
Q       := $(if $(V),,@)
STDLIB_DIR := $(PREFIX)/share/detente/stdlib

# ---- sources, grouped by layer (STYLE.md) ----
CORE    := errors simtime rng queue arena sim state arsenal treaty proposal decision journal stats \
           pattern suggest
RUNTIME := lrt
BINDING := l_init l_fields l_handle l_pattern l_order l_time l_sched l_state l_arsenal l_treaty \
           l_proposal l_decision l_rng l_data l_scenario l_session
SERVICE := output runs batch_spec store summary series merge db html report view aar aar_export \
           run_html sensitivity resume batch session turns
# The program's own objects: the live session's server (libuv), its protocol
# and the command line. They stay out of libdetente.a, so an embedder needs no
# libuv; the program links them itself.
PROGRAM := cli protocol hub people serve
WEB     := web serve_web
COMMAND := cmd_run cmd_check cmd_serve cmd_join cmd_replay cmd_mc cmd_merge cmd_report cmd_score \
           cmd_sensitivity main
# The installed headers: the public API. Every other header is internal.
PUBLIC_HEADERS := engine/detente.h engine/errors.h

LIB_OBJS := $(patsubst %,$(BUILD)/obj/%.o,$(CORE) $(RUNTIME) $(BINDING) $(SERVICE))
CMD_OBJS := $(patsubst %,$(BUILD)/obj/%.o,$(PROGRAM) $(filter-out main,$(COMMAND)))
WEB_OBJS := $(patsubst %,$(BUILD)/obj/%.o,$(WEB)) $(BUILD)/obj/web_assets.o
WEB_FILES := $(shell find web -type f 2>/dev/null | LC_ALL=C sort)
MAIN_OBJ := $(BUILD)/obj/main.o
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
BENCHES := $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/bench_*.c))

ALL_CFLAGS = $(WARN) $(CFLAGS) $(EXTRA_CFLAGS) $(DEPCFLAGS) -Iengine \
             -DDT_STDLIB_DIR='"$(STDLIB_DIR)"'

.PHONY: all run test check bench install uninstall clean deps lint fuzz fuzz-build tsan mutants \
        soak-serve test-cluster
all: $(BUILD)/detente $(BUILD)/libdetente.a

$(BUILD)/obj/%.o: engine/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# The pages are compiled into the program (tools/embed_assets.sh).
$(BUILD)/gen/web_assets.c: tools/embed_assets.sh $(WEB_FILES)
	@mkdir -p $(dir $@)
	$(Q)sh tools/embed_assets.sh web > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/web_assets.o: $(BUILD)/gen/web_assets.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libdetente.a: $(LIB_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/detente: $(MAIN_OBJ) $(CMD_OBJS) $(WEB_OBJS) $(BUILD)/libdetente.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) $^ $(PROGLIBS) $(WEBLIBS) -o $@

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libdetente.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-unused-parameter $(LDFLAGS) $< $(BUILD)/libdetente.a $(DEPLIBS) \
	  $(CMOCKA_LIBS) -o $@

# The web layer is the program's, not the library's: its test links it alone.
$(BUILD)/tests/test_web: tests/unit/test_web.c $(BUILD)/obj/web.o $(BUILD)/obj/web_assets.o \
                         $(BUILD)/libdetente.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-unused-parameter $(LDFLAGS) $^ $(DEPLIBS) $(WEBLIBS) $(CMOCKA_LIBS) \
	  -o $@

# protocol.c is the program's too (the session protocol's parsing).
$(BUILD)/tests/test_protocol: tests/unit/test_protocol.c $(BUILD)/obj/protocol.o \
                              $(BUILD)/libdetente.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-unused-parameter $(LDFLAGS) $^ $(DEPLIBS) $(CMOCKA_LIBS) -o $@

$(BUILD)/bench/%: bench/%.c $(BUILD)/libdetente.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) $< $(BUILD)/libdetente.a $(PROGLIBS) -o $@

# ---- fuzzing the browser transport (libFuzzer, clang from Debian) ----
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
$(BUILD)/fuzz/fuzz_web: tests/fuzz/fuzz_web.c engine/web.c $(BUILD)/gen/web_assets.c
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -std=c17 -D_POSIX_C_SOURCE=200809L \
	  -Iengine $(DEPCFLAGS) $^ -o $@ $(DEPLIBS) $(WEBLIBS)

# Runs the web harness for FUZZ_SECONDS, growing a corpus in build/ from the
# committed seeds; a crash leaves its input in build/fuzz/.
fuzz-web: $(BUILD)/fuzz/fuzz_web
	@mkdir -p $(BUILD)/fuzz/corpus-web
	$(Q)cd $(BUILD)/fuzz && ./fuzz_web -max_total_time=$(FUZZ_SECONDS) -max_len=80000 corpus-web \
	  $(CURDIR)/tests/fuzz/corpus/web

# ---- the two commands of the README ----
run: deps all
	$(BUILD)/detente run $(RUN_SCENARIO)

RUN_FLAGSHIP := scripts/new_start_2026.lua
RUN_SCENARIO ?= $(if $(wildcard $(RUN_FLAGSHIP)),$(RUN_FLAGSHIP),examples/hooks.lua)

# With clang present the fuzz harnesses are built too: run_all.sh runs each
# committed corpus once and a short smoke (tests/fuzz/run.sh).
test: deps all $(UNIT_TESTS)
	$(Q)if command -v $(FUZZ_CC) >/dev/null 2>&1; then $(MAKE) --no-print-directory fuzz-build; fi
	$(Q)BUILD=$(BUILD) tests/run_all.sh

# docs/batch.md's Slurm recipe on a one-node Slurm (munged, slurmctld and
# slurmd started and stopped by the script; needs root): 4 shards, one
# cancelled and rerun, merged byte for byte equal to one local mc. Under a
# minute. Skips (exit 77) only without Slurm or root; under CI a skip fails.
# Not part of test; .ci/run runs it.
test-cluster: deps all
	$(Q)DETENTE_BIN=$(BUILD)/detente tests/cluster/slurm.sh || [ $$? -eq 77 ]

# The long soak of serve's crash safety: kill -9 at 1,000 random moments
# (make test runs 200). About 4 minutes.
soak-serve: all
	$(Q)DETENTE=$(abspath $(BUILD))/detente SERVE_KILL_CYCLES=$${SERVE_KILL_CYCLES:-1000} \
	  SERVE_KILL_TURN_CYCLES=$${SERVE_KILL_TURN_CYCLES:-500} \
	  python3 -B tests/cli/serve_crash.py kill kill_turns

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer, in a
# build tree of its own so the normal build is untouched.
check: deps
	$(Q)$(MAKE) --no-print-directory BUILD=build/san CFLAGS="-O1 -g" EXTRA_CFLAGS="$(SANFLAGS)" \
	  LDFLAGS="$(SANFLAGS)" all $(patsubst $(BUILD)/%,build/san/%,$(UNIT_TESTS))
	$(Q)ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 BUILD=build/san \
	  tests/run_all.sh

# Mutation testing: each tests/mutants/*.patch (a small deliberate bug) applied
# alone to a scratch copy, rebuilt, and the tests it names run; prints a table
# of killed and surviving mutants and fails if one survives. Not part of test.
mutants: deps
	$(Q)tests/mutants/run.sh $(MUTANT)

bench: deps all $(BENCHES) $(BUILD)/bench/toy
	$(Q)BUILD=$(BUILD) bench/run_all.sh

# The toy model's C forms (bench/toy/README.md): plain Lua and libm, no engine.
$(BUILD)/bench/toy: bench/toy/toy.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) $< $(PROGLIBS) -o $@

# clang-tidy reads .clang-tidy (each disabled check is explained there).
# cppcheck does not expand Jansson's json_*_foreach macros: unknownMacro is
# suppressed for that reason alone.
# Line length: no line over 100 columns in the C and Lua sources and this
# Makefile. Passed over: LuaLS annotations (---@..., one line each by their
# syntax), a comment line that holds only a URL (a citation is not broken),
# and the hostile tests' one-line directives (-- setup: ...). tests/cli keeps
# its scenarios as they are: their tests name their line numbers.
WIDTH_C   := $(wildcard engine/*.[ch] tests/unit/*.[ch] tests/fuzz/*.[ch] tests/lib/*.c bench/*.c \
               bench/toy/*.c examples/*.c)
WIDTH_LUA := $(shell find stdlib tests/hostile -name '*.lua' | LC_ALL=C sort) \
             $(wildcard scripts/*.lua examples/*.lua bench/toy/*.lua tests/lua/*.lua \
               tests/scenarios/*.lua tests/fuzz/*.lua)
lint:
	$(Q)for f in engine/*.c; do clang-tidy --quiet $$f -- $(WARN) $(DEPCFLAGS) -Iengine 2>/dev/null; \
	  done | grep -E 'warning:|error:' || echo "clang-tidy: no findings"
	$(Q)cppcheck --quiet --std=c11 --enable=warning,portability --inline-suppr \
	  --suppress=unknownMacro -Iengine engine/ && echo "cppcheck: done"
	$(Q)awk 'length($$0) > 100 && !/^[ \t]*---@/ && !/^[ \t]*--+[ \t]*\(?https?:\/\/[^ ]*$$/ && \
	  !/^-- (setup|expect|message|exit|args|seconds|hostile):/ { \
	    print FILENAME ":" FNR ": longer than 100 columns"; n++ } \
	  END { if (!n) print "line length: none over 100 columns"; exit n > 0 }' \
	  $(WIDTH_C) $(WIDTH_LUA) Makefile

# ---- fuzzing: libFuzzer harnesses (clang), tests/fuzz/ ----
# The engine is built once more with clang, ASan, UBSan and coverage for the
# fuzzer (build/fuzzlib); each harness links it. `make fuzz` runs each harness
# for FUZZ_SECONDS and adds what it finds to the committed corpus
# (tests/fuzz/corpus/NAME); `make test` runs every corpus once and a short
# smoke (tests/fuzz/run.sh).
FUZZ_BUILD   := build/fuzzlib
FUZZ_SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZERS      := csv json protocol journal time lua_api
FUZZ_BINS    := $(patsubst %,$(FUZZ_BUILD)/fuzz_%,$(FUZZERS))

fuzz-build:
	$(Q)$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) CFLAGS="-O1 -g" \
	  EXTRA_CFLAGS="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" $(FUZZ_BUILD)/libdetente.a \
	  $(FUZZ_BUILD)/obj/protocol.o
	$(Q)$(MAKE) --no-print-directory $(FUZZ_BINS)

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/lua_harness.h $(FUZZ_BUILD)/libdetente.a \
                      $(FUZZ_BUILD)/obj/protocol.o
	@$(if $(Q),echo "  FUZZ    $<")
	$(Q)$(FUZZ_CC) $(WARN) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer $(DEPCFLAGS) -Iengine $< \
	  $(FUZZ_BUILD)/obj/protocol.o $(FUZZ_BUILD)/libdetente.a $(DEPLIBS) -o $@

fuzz: fuzz-build
	$(Q)for f in $(FUZZERS); do mkdir -p tests/fuzz/corpus/$$f; \
	  echo "== fuzz_$$f for $(FUZZ_SECONDS) s"; \
	  DETENTE_STDLIB=$$PWD/stdlib DT_FUZZ_DRIVER=tests/fuzz/api_driver.lua \
	  $(FUZZ_BUILD)/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_BUILD)/crash-$$f- tests/fuzz/corpus/$$f 2>&1 | \
	    grep -E '^stat::number_of_executed_units|ERROR|SUMMARY|Test unit written' || true; \
	done

# ThreadSanitizer: mc --threads 2 on the flagship and the isolation scenario.
tsan: deps
	$(Q)$(MAKE) --no-print-directory BUILD=build/tsan CC=$(FUZZ_CC) CFLAGS="-O1 -g" \
	  EXTRA_CFLAGS="-fsanitize=thread" LDFLAGS="-fsanitize=thread" build/tsan/detente
	$(Q)BUILD=build/tsan DETENTE=$$PWD/build/tsan/detente bash tests/fuzz/tsan.sh

# ---- installation ----
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/detente \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(STDLIB_DIR)
	install -m 755 $(BUILD)/detente $(DESTDIR)$(PREFIX)/bin/detente
	install -m 644 $(BUILD)/libdetente.a $(DESTDIR)$(PREFIX)/lib/libdetente.a
	install -m 644 $(PUBLIC_HEADERS) $(DESTDIR)$(PREFIX)/include/detente/
	sed -e 's|@PREFIX@|$(PREFIX)|' docs/detente.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/detente.pc
	install -m 644 docs/detente.1 $(DESTDIR)$(PREFIX)/share/man/man1/detente.1
	install -d $(DESTDIR)$(PREFIX)/share/detente/schema
	install -m 644 docs/schema/*.schema.json $(DESTDIR)$(PREFIX)/share/detente/schema/
	cp -R stdlib/. $(DESTDIR)$(STDLIB_DIR)/

uninstall:
	rm -rf $(DESTDIR)$(PREFIX)/bin/detente $(DESTDIR)$(PREFIX)/lib/libdetente.a \
	  $(DESTDIR)$(PREFIX)/include/detente $(DESTDIR)$(PREFIX)/lib/pkgconfig/detente.pc \
	  $(DESTDIR)$(PREFIX)/share/man/man1/detente.1 $(DESTDIR)$(PREFIX)/share/detente

# ---- dependencies from Debian's packages ----
# Build: the libraries and pkg-config. Tests: python3 (serve clients, CSV checks)
# and time (/usr/bin/time, peak memory in mc_memory.sh and make bench); lua-check
# (luacheck) and lua5.4 (luac5.4) for the editor support (tests/cli/editor.sh).
# Bench: lua5.4, the interpreter that runs the toy model's pure-Lua forms.
# Reports: chromium, chromium-driver, python3-selenium (render them headless),
# python3-html5lib (validate), python3-pil (a screenshot is not blank).
# The analysts' readers the outputs are checked with (tests/cli/readers.sh,
# analysis_examples.sh): R with jsonlite and readr, pandas, and jsonschema for
# docs/schema (tests/lib/json_check.py). make test-cluster: Slurm and munge.
DEB_PKGS := liblua5.4-dev libuv1-dev libcmocka-dev libjansson-dev zlib1g-dev libcsv-dev pkg-config \
            libwslay-dev libhttp-parser-dev nettle-dev libsqlite3-dev \
            python3 time lua5.4 chromium chromium-driver python3-selenium python3-html5lib \
            python3-pil python3-websockets \
            r-base-core r-cran-jsonlite r-cran-readr python3-pandas python3-jsonschema lua-check \
            clang libclang-rt-14-dev slurmctld slurmd slurm-client munge
# Installed without their recommended packages (a spreadsheet's whole desktop
# is not needed to check how it imports the runs file).
DEB_PKGS_LEAN := gnumeric
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
deps:
	$(Q)missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || \
	    missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi; \
	lean=""; for p in $(DEB_PKGS_LEAN); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || \
	    lean="$$lean $$p"; \
	done; \
	if [ -n "$$lean" ]; then \
	  echo "installing:$$lean"; \
	  $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	    $$lean; \
	fi

clean:
	rm -rf build

-include $(wildcard $(BUILD)/obj/*.d)
