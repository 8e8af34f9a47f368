# octavo: DocBook → EPUB 3 + PDF.  `make book` builds the brochure, `make check` runs every test.
PKGS = libxml-2.0 libzip cairo pangocairo pangoft2 fontconfig harfbuzz harfbuzz-subset glib-2.0 gio-2.0 librsvg-2.0 \
	gdk-pixbuf-2.0 zlib
CC ?= cc
PREFIX ?= /usr/local
VERSION = 0.1.0
CFLAGS ?= -O2 -g
WARN = -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes -Wshadow -Wno-unused-parameter
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# librsvg and gdk-pixbuf: their headers only; src/image.c loads them when an image needs them,
# and src/epub/package.c loads libzip when an EPUB is written
LINK_PKGS = $(filter-out librsvg-2.0 gdk-pixbuf-2.0 libzip,$(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(LINK_PKGS) 2>/dev/null) -lhyphen
ALL_CFLAGS = $(CFLAGS) $(WARN) -std=gnu11 $(PKG_CFLAGS) -DOCTAVO_VERSION='"$(VERSION)"' \
	-DOCTAVO_DATADIR='"$(PREFIX)/share/octavo"'

SRC = $(wildcard src/*.c src/epub/*.c src/pdf/*.c)
SRC := $(filter-out src/main.c,$(SRC))
OBJ = $(SRC:.c=.o)
HDR = $(wildcard src/*.h src/epub/*.h src/pdf/*.h)

BOOK = book/international-commitment.xml

# Debian packages: to build, to test, and the hyphenation patterns.
DEB_BUILD = build-essential pkg-config libxml2-dev libzip-dev libcairo2-dev libpango1.0-dev \
	libharfbuzz-dev libglib2.0-dev libhyphen-dev librsvg2-dev zlib1g-dev
# fonts-noto-core: a system font for a character no bundled font has (Phoenician, tests/t-fonts.sh)
DEB_TEST = epubcheck default-jre-headless poppler-utils qpdf mupdf-tools libxml2-utils python3 \
	pandoc mandoc groff-base bsdutils fonts-noto-core
# calibre is large (hundreds of MB with Qt): only make check-readers installs it
DEB_READERS = calibre
# the languages octavo writes its own words in (src/gentext.c; Debian has no Finnish patterns),
# and Greek
DEB_RUN = hyphen-en-us hyphen-en-gb hyphen-no hyphen-de hyphen-fr hyphen-el hyphen-ru hyphen-es hyphen-it \
	hyphen-nl hyphen-pt-pt hyphen-pt-br hyphen-sv hyphen-da hyphen-cs hyphen-pl
DEB_ALL = $(DEB_BUILD) $(DEB_TEST) $(DEB_RUN)
# make bench only: the peers, the timer, the profiler (not needed to build or test)
DEB_BENCH = weasyprint pandoc linux-perf poppler-utils libxml2-utils python3

.PHONY: all deps book check check-readers clean asan valgrind install uninstall bench fuzz fuzz-build

all: octavo

octavo: $(OBJ) src/main.o
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

src/%.o: src/%.c $(HDR)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

deps:
	@./.ci/deps.sh $(DEB_ALL)

book: deps
	@$(MAKE) --no-print-directory octavo
	./octavo build $(BOOK) -o out

# Tests: every runner prints TAP; tests/summary.sh adds up "N passed, N failed".
TEST_BINS = tests/unit/test-model tests/unit/test-reader tests/unit/test-index tests/unit/test-lines tests/unit/test-hyph \
	tests/unit/test-gentext

tests/unit/%: tests/unit/%.c $(OBJ) $(HDR)
	$(CC) $(ALL_CFLAGS) -Isrc -DTEST_DIR='"$(CURDIR)/tests"' -o $@ $< $(OBJ) $(PKG_LIBS) -lm

check: deps
	@$(MAKE) --no-print-directory octavo $(TEST_BINS)
	@tests/run.sh

# Real reading systems beyond make check's (MuPDF, poppler, qpdf): calibre's ebook-convert
# reads the EPUBs of the brochure, the test documents and a pandoc-converted book.
check-readers: octavo
	@./.ci/deps.sh $(DEB_TEST) $(DEB_READERS)
	@tests/readers-calibre.sh

# make install [PREFIX=/usr/local] [DESTDIR=staging]: the program, its themes, fonts and schema
# in $(PREFIX)/share/octavo (found from the program's own place, so a moved PREFIX still
# works), the manual in $(MANDIR)/man1.
DESTDIR ?=
BINDIR = $(PREFIX)/bin
DATADIR = $(PREFIX)/share/octavo
MANDIR = $(PREFIX)/share/man

install: octavo
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/styles $(DESTDIR)$(DATADIR)/fonts \
		$(DESTDIR)$(DATADIR)/docs/schema $(DESTDIR)$(MANDIR)/man1
	install -m 755 octavo $(DESTDIR)$(BINDIR)/octavo
	install -m 644 styles/*.theme $(DESTDIR)$(DATADIR)/styles
	install -m 644 fonts/*.ttf fonts/*.txt fonts/README.md $(DESTDIR)$(DATADIR)/fonts
	install -m 644 docs/schema/octavo.rng $(DESTDIR)$(DATADIR)/docs/schema
	install -m 644 docs/octavo.1 $(DESTDIR)$(MANDIR)/man1/octavo.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/octavo $(DESTDIR)$(MANDIR)/man1/octavo.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -f octavo src/*.o $(TEST_BINS) bench/floor
	rm -rf tests/out build-asan build-fuzz build/bench

# The benchmark (not part of check): octavo against WeasyPrint, pandoc and the Pango/Cairo
# floor; regenerates the tables of docs/performance.md (bench/run.py says how to tune it).
BENCH_PKGS = libxml-2.0 cairo pangocairo pangoft2 fontconfig glib-2.0

bench/floor: bench/floor.c
	$(CC) $(CFLAGS) $(WARN) -std=gnu11 $(shell pkg-config --cflags $(BENCH_PKGS)) -o $@ $< \
		$(shell pkg-config --libs $(BENCH_PKGS))

bench: deps
	@./.ci/deps.sh $(DEB_BENCH)
	@$(MAKE) --no-print-directory octavo bench/floor
	python3 bench/run.py

# Sanitizers: the whole suite against a build with AddressSanitizer and UBSan (objects kept
# apart in build-asan/). Known leaks inside fontconfig/Pango/GLib set-up: tests/lsan.supp.
ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer
ASAN_OBJ = $(patsubst src/%.c,build-asan/%.o,$(SRC) src/main.c)

build-asan/%.o: src/%.c $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_FLAGS) $(WARN) -std=gnu11 $(PKG_CFLAGS) -DOCTAVO_VERSION='"$(VERSION)"' -DOCTAVO_DATADIR='"$(PREFIX)/share/octavo"' -c -o $@ $<

build-asan/octavo: $(ASAN_OBJ)
	$(CC) $(ASAN_FLAGS) -o $@ $^ $(PKG_LIBS) -lm

asan: deps
	@$(MAKE) --no-print-directory build-asan/octavo octavo $(TEST_BINS)
	@ln -sf ../styles ../fonts ../docs build-asan/ 2>/dev/null; \
	G_SLICE=always-malloc G_DEBUG=gc-friendly \
	ASAN_OPTIONS=detect_leaks=1:intercept_tls_get_addr=0 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 OCTAVO=build-asan/octavo tests/run.sh

# valgrind memcheck over the brochure and every test document: no errors, nothing
# definitely lost in octavo's own code.
valgrind: octavo
	@tests/valgrind.sh

# Fuzzing: libFuzzer harnesses in tests/fuzz/ (the reader and resolve stage, both back ends, the images,
# the theme reader), built with clang, AddressSanitizer and UBSan into build-fuzz/.
# `make fuzz FUZZ_SECONDS=N` runs each for N seconds, one after the other, at low priority;
# the corpora grow in build-fuzz/corpus/, crashes land in build-fuzz/crashes/ (see
# tests/fuzz/README.md). Needs clang (installed here when missing).
CLANG ?= clang
FUZZ_SECONDS ?= 60
FUZZERS ?= reader render theme image
FUZZ_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_OBJ = $(patsubst src/%.c,build-fuzz/obj/%.o,$(SRC))

build-fuzz/obj/%.o: src/%.c $(HDR)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(WARN) -std=gnu11 $(PKG_CFLAGS) -DOCTAVO_VERSION='"$(VERSION)"' -DOCTAVO_DATADIR='"$(CURDIR)"' -c -o $@ $<

build-fuzz/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/fuzz.h $(FUZZ_OBJ)
	$(CLANG) $(FUZZ_FLAGS) -fsanitize=fuzzer $(WARN) -std=gnu11 $(PKG_CFLAGS) -Isrc -o $@ $< $(FUZZ_OBJ) $(PKG_LIBS) -lm

fuzz-build:
	@./.ci/deps.sh clang $(DEB_BUILD)
	@$(MAKE) --no-print-directory $(addprefix build-fuzz/fuzz-,$(FUZZERS))

fuzz: fuzz-build
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZERS)
