# khtools: small Unix filters for Vietnamese administrative documents.
#
#   make            build bin/khextract, bin/khvalidate, bin/khcite, bin/khmerge
#   make check      run every test; the last line is "N passed, N failed"
#   make demo       install missing dependencies, build, run the pipeline on samples/
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
DATADIR	?= $(PREFIX)/share/khtools

CC	?= cc
CFLAGS	?= -O2 -g
PKGS	= libxml-2.0 libzip libpcre2-8 libutf8proc libmd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN	= -Wall -Wextra -Wno-unused-parameter
ALL_CPPFLAGS = -Iinclude -D_GNU_SOURCE -DKH_DATADIR='"$(DATADIR)"' $(PKG_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS = -std=c99 $(WARN) $(CFLAGS)
LDLIBS	+= $(PKG_LIBS)

# Objects of a flavour (sanitizers, coverage) go to their own folder.
O	?= obj
TOOLS	= khextract khvalidate khcite khmerge
LIBSRC	= $(wildcard lib/*.c)
LIBOBJ	= $(LIBSRC:%.c=$(O)/%.o)
LIBA	= $(O)/libkh.a
UNITSRC	= $(wildcard tests/unit/*.c)
UNITBIN	= $(UNITSRC:tests/unit/%.c=$(O)/tests/unit/%)
HDRS	= $(wildcard include/*.h lib/*.h)
BIN	?= bin

all: deps-check $(TOOLS:%=$(BIN)/%) $(UNITBIN)

deps-check:
	@pkg-config --exists $(PKGS) || { \
	    echo "missing build dependencies; run scripts/install-deps" >&2; \
	    pkg-config --print-errors --exists $(PKGS); exit 1; }

$(O)/%.o: %.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(LIBA): $(LIBOBJ)
	@rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

$(BIN)/%: $(O)/cmd/%/main.o $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBA) $(LDLIBS)

$(O)/tests/unit/%: $(O)/tests/unit/%.o $(LIBA)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBA) $(LDLIBS)

check: all
	@tests/run $(O) $(BIN)

# The same suite with AddressSanitizer and UndefinedBehaviorSanitizer.
check-asan:
	$(MAKE) O=obj-asan BIN=bin-asan \
	    CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    LDFLAGS="-fsanitize=address,undefined" check

# The same suite with every program run under valgrind.
check-valgrind: all
	@KH_VALGRIND=1 tests/run $(O) $(BIN)

# Side by side with pandoc, docx2txt and the floor (scripts/bench).
bench: all
	scripts/bench

demo:
	scripts/install-deps
	$(MAKE) all
	scripts/demo

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(DATADIR)
	for t in $(TOOLS); do install -m 755 $(BIN)/$$t $(DESTDIR)$(BINDIR)/$$t; \
	    if [ -f cmd/$$t/$$t.1 ]; then \
	    install -m 644 cmd/$$t/$$t.1 $(DESTDIR)$(MANDIR)/man1/$$t.1; fi; done
	for m in man/*.5; do install -m 644 $$m $(DESTDIR)$(MANDIR)/man5/; done
	for m in man/*.7; do install -m 644 $$m $(DESTDIR)$(MANDIR)/man7/; done
	cp -R data/. $(DESTDIR)$(DATADIR)/

uninstall:
	for t in $(TOOLS); do rm -f $(DESTDIR)$(BINDIR)/$$t $(DESTDIR)$(MANDIR)/man1/$$t.1; done
	for m in man/*.5; do rm -f $(DESTDIR)$(MANDIR)/man5/$${m#man/}; done
	for m in man/*.7; do rm -f $(DESTDIR)$(MANDIR)/man7/$${m#man/}; done
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf obj obj-asan bin bin-asan

.PHONY: all bench check check-asan check-valgrind demo install uninstall clean deps-check
.SECONDARY:
