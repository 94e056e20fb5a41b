# xenabi: one non-recursive Makefile.  V=1 shows full command lines;
# CFLAGS/LDFLAGS are the user's, ours are in XA_CFLAGS.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
CC ?= cc
CFLAGS ?= -O2 -g
PKG_CONFIG ?= pkg-config
VERSION := 0.1.0

PKGS := libdw libelf sqlite3 jansson nettle libxml-2.0

# xenabi-cc, clang kept running between probes, is built with the clang
# the probes run (the one on PATH) and its LLVM's libraries
# (libclang-14-dev, libclang-cpp14-dev, llvm-14-dev).  Without them
# xenabi runs a clang process per probe: the same results, slower.
CXX_CLANG := $(realpath $(shell command -v clang 2>/dev/null))
LLVM_CONFIG ?= $(dir $(CXX_CLANG))llvm-config
LLVM_DIR := $(shell $(LLVM_CONFIG) --prefix 2>/dev/null)
CC_SERVER := $(if $(and $(CXX_CLANG),$(LLVM_DIR),$(wildcard $(LLVM_DIR)/include/clang/Driver/Driver.h),$(wildcard $(LLVM_DIR)/lib/libclang-cpp.so)),xenabi-cc)
LIBEXECDIR ?= $(PREFIX)/libexec/xenabi
XA_CFLAGS := -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -D_GNU_SOURCE -Ilib \
	-DXENABI_VERSION='"$(VERSION)"' -DXENABI_DATADIR='"$(DATADIR)"' \
	-DXENABI_LIBEXECDIR='"$(LIBEXECDIR)"' \
	$(if $(CC_SERVER),-DXENABI_CC_CLANG='"$(CXX_CLANG)"') \
	$(shell $(PKG_CONFIG) --cflags $(PKGS))
XA_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS)) -lpthread

ifneq ($(V),1)
Q := @
quiet = @printf '  %-7s %s\n' $(1) $(2);
endif

B := build
LIB_SRCS := lib/model.c lib/abi.c lib/run.c lib/ccsrv.c lib/source.c lib/git.c lib/walk.c lib/probe.c lib/dwarf.c \
	lib/consts.c lib/scan.c lib/store.c lib/encode.c lib/diff.c lib/lint.c lib/suppress.c lib/report.c lib/baseline.c lib/history.c lib/rules.c lib/hypercall.c lib/hcdiff.c lib/hcold.c
CMD_SRCS := cmd/xenabi.c cmd/scan.c cmd/list.c cmd/show.c cmd/diff.c cmd/baselines.c cmd/history.c cmd/log.c
LIB_OBJS := $(LIB_SRCS:%.c=$(B)/%.o) $(B)/lib/schema.o $(B)/lib/manifest.o $(B)/lib/abirules.o $(B)/lib/digest.o
CMD_OBJS := $(CMD_SRCS:%.c=$(B)/%.o)
SCHEMA := $(sort $(wildcard schema/*.sql))

UNIT_TESTS := $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test-*.c))

# The shipped baselines: text in baselines/, a database in $(B).
BASELINES := $(wildcard baselines/layouts baselines/constants baselines/sets \
	baselines/manifest baselines/releases/*)
SHIPPED := $(if $(BASELINES),$(B)/baselines.db)

all: xenabi $(CC_SERVER) $(SHIPPED)

xenabi: $(CMD_OBJS) $(B)/libxenabi.a
	$(call quiet,LINK,$@)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(XA_LIBS)

# C++, the one file: clang's driver and front end have no C interface.
# Written for clang 14 (Debian bookworm's); against another whose API
# moved it may not build, and xenabi works on without it.
xenabi-cc: cmd/xenabi-cc.cc
	$(call quiet,CXX,$@)$(CXX_CLANG)++ $(shell $(LLVM_CONFIG) --cxxflags) -O2 -g -Wall -Wextra \
		-Wno-unused-parameter -DXENABI_CC_CLANG='"$(CXX_CLANG)"' -o $@ $< \
		$(shell $(LLVM_CONFIG) --ldflags) -lclang-cpp $(shell $(LLVM_CONFIG) --libs) || \
	{ rm -f $@; echo "make: xenabi-cc did not build against $(CXX_CLANG): each probe runs a clang process (slower, the same results)" >&2; }

$(B)/baselines.db: xenabi $(BASELINES)
	$(call quiet,GEN,$@)rm -f $@.tmp && ./xenabi baselines load baselines --db $@.tmp && mv $@.tmp $@

# Remake baselines/ from Xen's release tags (XEN_GIT=path/to/xen.git);
# what did not change is not scanned again.
baselines: xenabi
	@test -n "$(XEN_GIT)" || { echo "make baselines: set XEN_GIT to a clone of xen-project/xen"; exit 2; }
	./xenabi baselines generate --git "$(XEN_GIT)" --db $(B)/baselines-work.db baselines
	@rm -f $(B)/baselines.db && $(MAKE) --no-print-directory $(B)/baselines.db

$(B)/libxenabi.a: $(LIB_OBJS)
	$(call quiet,AR,$@)rm -f $@ && ar rcs $@ $^

$(B)/%.o: %.c lib/xenabi.h lib/xa.h cmd/cmd.h
	@mkdir -p $(dir $@)
	$(call quiet,CC,$@)$(CC) $(XA_CFLAGS) $(CFLAGS) -c -o $@ $<

# The schema scripts become C strings: schema/NNN-what.sql is version NNN.
$(B)/lib/schema.c: $(SCHEMA) Makefile
	@mkdir -p $(dir $@)
	$(call quiet,GEN,$@)( echo '#include "xa.h"'; \
	  echo 'const struct xa_schema_step xa_schema_steps[] = {'; \
	  for f in $(SCHEMA); do \
	    v=$$(basename $$f | sed 's/^0*\([0-9][0-9]*\)-.*/\1/'); \
	    echo "{ $$v,"; sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$$/\\n"/' $$f; echo '},'; \
	  done; \
	  echo '};'; \
	  echo 'const size_t xa_schema_nsteps = sizeof(xa_schema_steps) / sizeof(xa_schema_steps[0]);' ) > $@.tmp && mv $@.tmp $@

# The continuation manifest, data, becomes one C string.
$(B)/lib/manifest.c: lib/continuations.txt Makefile
	@mkdir -p $(dir $@)
	$(call quiet,GEN,$@)( echo 'const char xa_continuations_manifest[] ='; \
	  sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$$/\\n"/' $<; echo ';' ) > $@.tmp && mv $@.tmp $@

# Xen's ABI rules, data, become one C string too.
$(B)/lib/abirules.c: lib/abirules.txt Makefile
	@mkdir -p $(dir $@)
	$(call quiet,GEN,$@)( echo 'const char xa_abirules_manifest[] ='; \
	  sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$$/\\n"/' $<; echo ';' ) > $@.tmp && mv $@.tmp $@

# What decides a diff's findings, as built: the library's sources and
# data.  log keeps findings under it, so another build compares again.
$(B)/lib/digest.c: $(LIB_SRCS) lib/xenabi.h lib/xa.h lib/continuations.txt lib/abirules.txt Makefile
	@mkdir -p $(dir $@)
	$(call quiet,GEN,$@)echo "const char xa_build_digest[] = \"$$(cat $(LIB_SRCS) lib/xenabi.h lib/xa.h lib/continuations.txt lib/abirules.txt | sha256sum | cut -c1-32)\";" > $@.tmp && mv $@.tmp $@

$(B)/lib/digest.o: $(B)/lib/digest.c
	$(call quiet,CC,$@)$(CC) $(XA_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/lib/abirules.o: $(B)/lib/abirules.c
	$(call quiet,CC,$@)$(CC) $(XA_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/lib/manifest.o: $(B)/lib/manifest.c
	$(call quiet,CC,$@)$(CC) $(XA_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/lib/schema.o: $(B)/lib/schema.c lib/xa.h lib/xenabi.h
	$(call quiet,CC,$@)$(CC) $(XA_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(B)/libxenabi.a
	@mkdir -p $(dir $@)
	$(call quiet,CC,$@)$(CC) $(XA_CFLAGS) $(CFLAGS) $(shell $(PKG_CONFIG) --cflags cmocka) \
		-o $@ $< $(B)/libxenabi.a $(XA_LIBS) $(shell $(PKG_CONFIG) --libs cmocka)

test: xenabi $(CC_SERVER) $(SHIPPED) $(UNIT_TESTS)
	@LC_ALL=C TZ=UTC CMOCKA_MESSAGE_OUTPUT=TAP XENABI=$(CURDIR)/xenabi \
		prove -e '' $(UNIT_TESTS) $(sort $(wildcard tests/cli/t[0-9]*.sh))

# Sanitizer build in its own tree, then the whole suite under it.
check-asan:
	$(MAKE) B=build-asan CC=clang CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
		LDFLAGS='-fsanitize=address,undefined' XENABI_BIN=xenabi-asan xenabi-asan test-asan

xenabi-asan: $(CMD_OBJS) $(B)/libxenabi.a
	$(call quiet,LINK,$@)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(XA_LIBS)

test-asan: xenabi-asan $(CC_SERVER) $(UNIT_TESTS)
	@LC_ALL=C TZ=UTC CMOCKA_MESSAGE_OUTPUT=TAP XENABI=$(CURDIR)/xenabi-asan \
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		prove -e '' $(UNIT_TESTS) $(sort $(wildcard tests/cli/t[0-9]*.sh))

# The threaded scan under ThreadSanitizer: the scan tests, whose every
# scan runs its units on several threads, and log's two chains (libelf and
# libdw are not instrumented: what they do inside is not seen).
TSAN_TESTS := tests/cli/t1000-scan.sh tests/cli/t1120-limits.sh tests/cli/t1150-cc-server.sh tests/cli/t1200-git.sh tests/cli/t5000-log.sh tests/cli/t5020-log-chains.sh tests/cli/t1400-zeroext.sh tests/cli/t9010-real-layouts.sh
check-tsan:
	$(MAKE) B=build-tsan CC=clang CFLAGS='-O1 -g -fsanitize=thread -fno-omit-frame-pointer' \
		LDFLAGS='-fsanitize=thread' XENABI_BIN=xenabi-tsan xenabi-tsan test-tsan

xenabi-tsan: $(CMD_OBJS) $(B)/libxenabi.a
	$(call quiet,LINK,$@)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(XA_LIBS)

test-tsan: xenabi-tsan $(CC_SERVER)
	@LC_ALL=C TZ=UTC XENABI=$(CURDIR)/xenabi-tsan \
		TSAN_OPTIONS='halt_on_error=1 exitcode=66' prove -e '' $(TSAN_TESTS)

# Only dwarf.c may include elfutils, only store.c sqlite; every header compiles alone.
check: all
	@bad=$$(grep -l -E '#include <(elfutils/|dwarf\.h|libelf\.h|gelf\.h)' lib/*.c cmd/*.c | grep -v '^lib/dwarf\.c$$'); \
	 test -z "$$bad" || { echo "elfutils included outside lib/dwarf.c: $$bad"; exit 1; }
	@bad=$$(grep -l '#include <sqlite3\.h>' lib/*.c cmd/*.c | grep -v '^lib/store\.c$$'); \
	 test -z "$$bad" || { echo "sqlite3.h included outside lib/store.c: $$bad"; exit 1; }
	@bad=$$(grep -l -E '\b(exit|printf|puts)\(' lib/*.c); \
	 test -z "$$bad" || { echo "lib/ must not print or exit: $$bad"; exit 1; }
	@for h in lib/xenabi.h lib/xa.h cmd/cmd.h; do \
	   echo "#include \"$$h\"" | $(CC) $(XA_CFLAGS) -I. -x c -fsyntax-only - || exit 1; done
	@echo "check: ok"

bench: xenabi $(CC_SERVER)
	@tests/bench/run

# Fuzz the parsers of what other programs write, and of what a person may
# edit: compiler diagnostics, objects, baselines.  FUZZ_SECONDS per target; seeds come from the fixture's probes.
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined
fuzz: xenabi
	$(MAKE) B=build-fuzz CC=clang CFLAGS='$(FUZZ_CFLAGS)' build-fuzz/libxenabi.a
	@mkdir -p build-fuzz/corpus-dwarf build-fuzz/corpus-blame build-fuzz/corpus-baseline build-fuzz/corpus-hcdefs build-fuzz/corpus-findings build-fuzz/corpus-literal build-fuzz/corpus-values
	@cp tests/cli/expect/diff.json tests/cli/expect/hypercalls-diff.json build-fuzz/corpus-findings/
	@for l in 0 2147483648 0x80000000UL 017777777777 '(0x10)' 1ull 0xffffffffffffffff 18446744073709551616; do \
		printf '%s' "$$l" >build-fuzz/corpus-literal/$$(echo "$$l" | tr -c 'a-zA-Z0-9' _); done
	@printf 'v xa_v0 5\nv xa_t0 9\nv xa_x3 8\nv xa_end 6\ns xa_s1 3\nab\n\ns xa_s2 0\n\n' >build-fuzz/corpus-values/lines
	@printf 'v xa_v18446744073709551615 1\ns xa_s0 5\na\nb\nc\n' >build-fuzz/corpus-values/edges
	@for f in tests/fixtures/hcall/*/xen/include/hypercall-defs.c; do \
		clang -E -P -undef -DCONFIG_X86 -DCONFIG_PV -DCONFIG_PV32 -DCONFIG_HVM -DCONFIG_COMPAT -DCONFIG_ARM \
			-x c $$f -o build-fuzz/corpus-hcdefs/$$(echo $$f | cut -d/ -f4).txt || exit 1; done
	@d=$$(mktemp -d) && XENABI_KEEP_PROBES=1 TMPDIR=$$d XENABI_BASELINES= ./xenabi scan --release fuzz \
		--tree tests/fixtures/mini --db $$d/f.db >/dev/null && \
		cp $$d/xenabi.*/*.o build-fuzz/corpus-dwarf/ && \
		cp $$d/xenabi.*/*.err build-fuzz/corpus-blame/ && \
		XENABI_BASELINES= ./xenabi scan --release cont --tree tests/fixtures/cont/new --db $$d/f.db >/dev/null && \
		XENABI_BASELINES= ./xenabi scan --release hcall --tree tests/fixtures/hcall/new --db $$d/f.db >/dev/null && \
		./xenabi baselines write $$d/bl --db $$d/f.db && \
		for r in $$d/bl/releases/*; do \
			{ cat $$d/bl/layouts; printf '\0'; cat $$d/bl/constants; printf '\0'; \
			  cat $$d/bl/sets; printf '\0'; cat $$r; } >build-fuzz/corpus-baseline/$$(basename $$r); \
		done; rm -rf $$d
	@for t in blame dwarf baseline hcdefs findings literal values; do \
		clang $(XA_CFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined \
			-o build-fuzz/fuzz-$$t tests/fuzz/fuzz-$$t.c build-fuzz/libxenabi.a $(XA_LIBS) && \
		build-fuzz/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=1024 \
			build-fuzz/corpus-$$t || exit 1; done

# Rewrite the golden outputs of the command-line tests, for review.
golden: xenabi
	@for t in tests/cli/t[0-9]*.sh; do GOLDEN=1 XENABI=$(CURDIR)/xenabi sh $$t >/dev/null; done
	@git status --short tests/cli/expect

# Where Debian puts them: the program, its baselines, xenabi(1), the bash
# completion.  uninstall removes exactly what install put.
install: xenabi $(CC_SERVER) $(SHIPPED)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 xenabi $(DESTDIR)$(BINDIR)/xenabi
	$(if $(CC_SERVER),install -d $(DESTDIR)$(LIBEXECDIR))
	$(if $(CC_SERVER),install -m 755 xenabi-cc $(DESTDIR)$(LIBEXECDIR)/xenabi-cc)
	install -m 644 cmd/xenabi.1 $(DESTDIR)$(MANDIR)/man1/xenabi.1
	install -m 644 cmd/xenabi.bash-completion $(DESTDIR)$(BASHCOMPDIR)/xenabi
	$(if $(SHIPPED),install -d $(DESTDIR)$(DATADIR)/xenabi)
	$(if $(SHIPPED),install -m 644 $(SHIPPED) $(DESTDIR)$(DATADIR)/xenabi/baselines.db)

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/xenabi $(DESTDIR)$(MANDIR)/man1/xenabi.1 \
		$(DESTDIR)$(BASHCOMPDIR)/xenabi $(DESTDIR)$(DATADIR)/xenabi/baselines.db \
		$(DESTDIR)$(LIBEXECDIR)/xenabi-cc
	-rmdir $(DESTDIR)$(DATADIR)/xenabi $(DESTDIR)$(LIBEXECDIR) 2>/dev/null

style:
	clang-format -i lib/*.c lib/*.h cmd/*.c cmd/*.h tests/unit/*.c

clean:
	rm -rf build build-asan build-tsan build-fuzz xenabi xenabi-cc xenabi-asan xenabi-tsan

.PHONY: all test check check-asan test-asan check-tsan test-tsan bench fuzz golden install uninstall style clean baselines
.DELETE_ON_ERROR:
