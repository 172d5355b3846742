# actviz: draws neural-network activation functions through a small model.
#
# make            builds ./actviz
# make figures    installs missing packages, renders out/activations.*
# make test       installs missing packages, runs every test
# make sanitize   runs every test under ASan and UBSan
# make bench      times the default figure (see tests/bench.sh)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/actviz
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS ?= -O2 -g
# -ffp-contract=off: a fused multiply-add in x * w + b changes the last
# bit of a result, and the curves must not depend on the target CPU.
CFLAGS += -std=c11 -Wall -Wextra -ffp-contract=off -MMD -MP
CPPFLAGS += -D_POSIX_C_SOURCE=200809L

# Recursive (=) so pkg-config runs when a recipe needs the flags, after
# the deps target may have installed the packages.
GFX_PKGS = cairo pangocairo pangoft2 fontconfig libpng
GFX_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(GFX_PKGS))
GFX_LIBS = $(shell $(PKG_CONFIG) --libs $(GFX_PKGS))
JSON_CFLAGS = $(shell $(PKG_CONFIG) --cflags json-c)
JSON_LIBS = $(shell $(PKG_CONFIG) --libs json-c)
TEST_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka)
TEST_LIBS = $(shell $(PKG_CONFIG) --libs cmocka)

-include Makefile.local

CORE_OBJS = src/act.o src/init.o src/model.o src/train.o src/recipe.o \
	src/weights.o src/cnumeric.o
GFX_OBJS = src/fonts.o src/layout.o src/render.o src/backend.o \
	src/output.o src/data.o src/cli.o
OBJS = $(CORE_OBJS) $(GFX_OBJS) src/main.o
LIB = libactviz.a

CORE_TESTS = tests/test_act tests/test_init tests/test_model \
	tests/test_recipe tests/test_train tests/test_weights
GFX_TESTS = tests/test_cli tests/test_layout tests/test_output \
	tests/test_fonts
TESTS = $(CORE_TESTS) $(GFX_TESTS)

all: actviz $(LIB)

actviz: $(GFX_OBJS) src/main.o $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(GFX_OBJS) src/main.o $(LIB) \
	    $(GFX_LIBS) $(JSON_LIBS) -lm

# The model core, for other C programs too: see src/actviz.h.  It needs
# json-c and libm, and no cairo, pango or fontconfig.
$(LIB): $(CORE_OBJS)
	rm -f $@
	$(AR) rcs $@ $(CORE_OBJS)

$(CORE_OBJS): %.o: %.c
	$(CC) $(CPPFLAGS) $(CFLAGS) $(JSON_CFLAGS) -c -o $@ $<

$(GFX_OBJS) src/main.o: %.o: %.c
	$(CC) $(CPPFLAGS) $(CFLAGS) $(GFX_CFLAGS) -c -o $@ $<

# An installed actviz finds fonts.conf here when none sits beside it.
src/fonts.o: CPPFLAGS += -DACTVIZ_DATADIR='"$(DATADIR)"'

# Test programs link the modules they test, never src/main.o, and the
# shared helpers in tests/util.c.  util.c includes no cairo or pango
# header, so the core tests build without the graphics libraries.
TEST_DEFS = -Isrc -DACTVIZ_SOURCE_DIR='"$(CURDIR)"'
TEST_UTIL = tests/util.o

$(TEST_UTIL): tests/util.c
	$(CC) $(CPPFLAGS) $(TEST_DEFS) $(CFLAGS) $(TEST_CFLAGS) -c -o $@ \
	    tests/util.c

$(CORE_TESTS): %: %.c $(TEST_UTIL) $(LIB)
	$(CC) $(CPPFLAGS) $(TEST_DEFS) $(CFLAGS) $(TEST_CFLAGS) -o $@ $< \
	    $(TEST_UTIL) $(LIB) $(LDFLAGS) $(JSON_LIBS) $(TEST_LIBS) -lm

$(GFX_TESTS): %: %.c $(TEST_UTIL) $(LIB) $(GFX_OBJS)
	$(CC) $(CPPFLAGS) $(TEST_DEFS) $(CFLAGS) $(GFX_CFLAGS) \
	    $(TEST_CFLAGS) -o $@ $< $(TEST_UTIL) $(GFX_OBJS) $(LIB) \
	    $(LDFLAGS) $(GFX_LIBS) $(JSON_LIBS) $(TEST_LIBS) -lm

# deps and test-deps install missing packages where they can (root or
# sudo on Debian or Ubuntu) and otherwise name the packages to install.
deps:
	@sh tests/deps.sh build

test-deps:
	@sh tests/deps.sh test

figures: deps
	@$(MAKE) --no-print-directory actviz
	./actviz

check-build: actviz $(TESTS)

test: test-deps
	@$(MAKE) --no-print-directory check-build
	@sh tests/run.sh $(TESTS)

# Rebuilds with AddressSanitizer and UndefinedBehaviorSanitizer, runs
# every test (the command-line tests run the sanitized binary too), and
# removes the sanitized objects again.  Deep unwinding lets the
# suppressions in tests/lsan.supp match frames inside the libraries.
SAN_CFLAGS = -O1 -g -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=print_stacktrace=1

sanitize: test-deps
	@$(MAKE) --no-print-directory clean
	@$(MAKE) --no-print-directory CFLAGS='$(SAN_CFLAGS)' \
	    LDFLAGS='-fsanitize=address,undefined' check-build
	@$(SAN_ENV) sh tests/run.sh $(TESTS); status=$$?; \
	    $(MAKE) --no-print-directory clean >/dev/null; exit $$status

bench: deps
	@$(MAKE) --no-print-directory actviz
	@sh tests/bench.sh

CORE_HEADERS = src/actviz.h src/act.h src/init.h src/model.h \
	src/recipe.h src/train.h src/weights.h

install: actviz $(LIB)
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/fonts \
	    $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/actviz
	cp actviz $(DESTDIR)$(BINDIR)/actviz
	cp fonts/fonts.conf $(DESTDIR)$(DATADIR)/fonts/fonts.conf
	cp $(LIB) $(DESTDIR)$(LIBDIR)/$(LIB)
	cp $(CORE_HEADERS) $(DESTDIR)$(INCLUDEDIR)/actviz/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/actviz
	rm -f $(DESTDIR)$(DATADIR)/fonts/fonts.conf
	rm -f $(DESTDIR)$(LIBDIR)/$(LIB)
	rm -f $(CORE_HEADERS:src/%=$(DESTDIR)$(INCLUDEDIR)/actviz/%)
	-rmdir $(DESTDIR)$(DATADIR)/fonts $(DESTDIR)$(DATADIR) \
	    $(DESTDIR)$(INCLUDEDIR)/actviz

clean:
	rm -f actviz $(LIB) $(OBJS) $(TEST_UTIL) $(TESTS) src/*.d tests/*.d

.PHONY: all deps test-deps figures check-build test sanitize bench install uninstall clean

-include $(OBJS:.o=.d) $(TEST_UTIL:.o=.d) $(TESTS:=.d)
