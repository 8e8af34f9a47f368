#!/bin/bash
# The command line as its users meet it (issue 9): the man page against --help, octavo new,
# octavo watch, the progress line, -v timings, make install / uninstall. Run by tests/run.sh
# from the top of the tree with OCTAVO and OUT set; prints "ok - ..." / "not ok - ..." lines.
# Needs mandoc, groff, man, script (bsdutils), python3, qpdf, poppler-utils, java + epubcheck.
set -u
OCTAVO=${OCTAVO:-./octavo}
OUT=${OUT:-tests/out}
D=$(realpath -m "$OUT/cli")
O=$(realpath "$OCTAVO") # absolute: some checks run in other folders
TOP=$PWD
PY=$(command -v /usr/bin/python3 || command -v python3)
BROCHURE=$TOP/book/international-commitment.xml
export SOURCE_DATE_EPOCH=1700000000
rm -rf "$D"
mkdir -p "$D"

PREFIX="cli: "
. tests/lib.sh
# quiet COMMAND...: succeeds when the command succeeds and prints nothing at all
quiet() {
	local out
	out=$("$@" 2>&1) || { printf '%s\n' "$out"; return 1; }
	[ -z "$out" ] || { printf '%s\n' "$out"; return 1; }
}

# ---- 0. start-up: what is loaded only when needed ----
# libzip (with libcrypto), librsvg and gdk-pixbuf are opened when an EPUB is written or an image
# drawn, not linked: a PDF alone, check and --help do not pay for them. A build that writes an
# EPUB with an SVG loads them and works (t-epub, t-pdf).
check "octavo links neither libzip, librsvg nor gdk-pixbuf (they are opened when needed)" bash -c "
	ldd '$O' > '$D/ldd' && grep -q libglib '$D/ldd' && ! grep -E 'libzip|librsvg|gdk_pixbuf|libcrypto' '$D/ldd'"

# ---- 1. the man page ----

check "man: mandoc -T lint finds nothing" quiet mandoc -T lint -W warning docs/octavo.1
check "man: groff -ww finds nothing" quiet groff -ww -mandoc -z docs/octavo.1
man_renders() {
	local page
	page=$(MANWIDTH=80 MANPAGER=cat PAGER=cat man ./docs/octavo.1 2> "$D/man.err") || return 1
	[ ! -s "$D/man.err" ] || { cat "$D/man.err"; return 1; }
	for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS THEMES ENVIRONMENT FILES "EXIT STATUS" EXAMPLES "SEE ALSO"; do
		printf '%s\n' "$page" | grep -q "^$s\$" || { echo "no section $s"; return 1; }
	done
}
check "man: man ./docs/octavo.1 renders every section" man_renders
check "man: the commands and each command's options are those of --help" "$PY" tests/manopts.py "$O" docs/octavo.1
exit_statuses() { # the statuses --help names are the man page's EXIT STATUS list
	local help man
	help=$("$O" --help | grep '^Exit status:' | grep -o '[0-9] [A-Za-z]' | cut -c1 | sort | tr '\n' ' ')
	man=$(sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' docs/octavo.1 | sed -n 's/^\.It \([0-9]\)$/\1/p' | sort | tr '\n' ' ')
	[ -n "$help" ] && [ "$help" = "$man" ] || { echo "--help: $help; man: $man"; return 1; }
}
check "man: the exit statuses are those of --help" exit_statuses
environment() { # every variable the program reads is in ENVIRONMENT, and nothing else
	local src man
	src=$(grep -rho 'g_getenv("[A-Z_]*")' src | sed 's/g_getenv("\(.*\)")/\1/' | sort -u | tr '\n' ' ')
	man=$(sed -n '/^\.Sh ENVIRONMENT/,/^\.Sh /p' docs/octavo.1 | sed -n 's/^\.It Ev \([A-Z_]*\)$/\1/p' | sort -u | tr '\n' ' ')
	[ -n "$src" ] && [ "$src" = "$man" ] || { echo "read by src/: $src; in the man page: $man"; return 1; }
}
check "man: ENVIRONMENT lists every variable octavo reads" environment
theme_keys() { # THEMES names every key the theme reader knows (src/theme.c's known_keys), no other
	local src man
	src=$( (sed -n '/known_keys\[\] = {/,/NULL/p' src/theme.c | grep -o '"[a-z]*/[a-z0-9-]*"' | tr -d '"'
		sed -n '/ov_gentext_keys\[OV_GT_N + 1\] = {/,/};/p' src/gentext.c | grep -o '"[a-z-]*"' | tr -d '"' | sed 's|^|words/|') |
		sort | tr '\n' ' ')
	man=$(sed -n '/^\.Sh THEMES/,/^\.Sh /p' docs/octavo.1 | awk '
		/^\.It Li \[/ { g = $3; gsub(/[][]/, "", g); next }
		/^\.(It|El)/ { g = "" }
		g != "" && /^\.Cm / { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z][a-z0-9-]*$/) print g "/" $i }' | sort | tr '\n' ' ')
	[ -n "$src" ] && [ "$src" = "$man" ] || { echo "src/theme.c: $src"; echo "man THEMES: $man"; return 1; }
}
check "man: THEMES names every theme key src/theme.c knows" theme_keys
readme_usage() { # README's usage block names every command of --help
	for c in $("$O" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p'); do
		grep -q "^    octavo $c " README.md || { echo "README.md's usage lacks 'octavo $c'"; return 1; }
	done
}
check "README: the usage names every command" readme_usage

# ---- 2. octavo new ----

N="$D/My Book"
new_builds() {
	(cd "$D" && "$O" new "My Book" --title 'Tea & <Toast>' --lang nb) > "$D/new.out" || return 1
	for f in my-book.xml ch01.xml images/pages.svg style.theme Makefile README.md .gitignore; do
		[ -s "$N/$f" ] || { echo "no $f"; return 1; }
	done
	(cd "$N" && "$O" build -t style.theme my-book.xml) > "$D/new-build.err" 2>&1 || { cat "$D/new-build.err"; return 1; }
	[ ! -s "$D/new-build.err" ] || { cat "$D/new-build.err"; return 1; }
	[ -s "$N/out/my-book.epub" ] && [ -s "$N/out/my-book.pdf" ]
}
check "new: makes a folder that octavo build turns into an EPUB and a PDF, no diagnostic" new_builds
check "new: octavo check finds nothing (schema included)" bash -c "cd '$N' && out=\$('$O' check -t style.theme my-book.xml 2>&1) && [ -z \"\$out\" ] || { echo \"\$out\"; exit 1; }"
new_meta() {
	unzip -p "$N/out/my-book.epub" OEBPS/content.opf > "$D/new.opf"
	"$PY" -c '
import sys, xml.etree.ElementTree as ET
dc = "{http://purl.org/dc/elements/1.1/}"
opf = ET.parse(sys.argv[1])
got = (opf.find(".//" + dc + "title").text, opf.find(".//" + dc + "language").text)
assert got == ("Tea & <Toast>", "nb"), got' "$D/new.opf" || { echo "EPUB title and language"; return 1; }
	pdfinfo "$N/out/my-book.pdf" | grep -q '^Title: *Tea & <Toast>$' || { echo "PDF title"; return 1; }
	mutool show "$N/out/my-book.pdf" trailer/Root/Lang | grep -q 'nb' || { echo "PDF /Lang"; return 1; }
	pdftotext "$N/out/my-book.pdf" - | grep -q 'The first chapter' || { echo "PDF text"; return 1; }
}
check "new: --title and --lang reach both outputs (escaped in XML)" new_meta
check "new: the PDF passes qpdf --check" bash -c "qpdf --check '$N/out/my-book.pdf' >/dev/null"
check "new: the EPUB's package, links, notes and images check out" "$PY" tests/epub/epubtool.py all "$N/out/my-book.epub"
check "new: the folder's Makefile builds it" bash -c "rm -rf '$N/out' && make -s -C '$N' OCTAVO='$O' && [ -s '$N/out/my-book.epub' ] && [ -s '$N/out/my-book.pdf' ]"
new_refuses() {
	local before after rc
	before=$(cd "$N" && find . -type f | sort | xargs md5sum)
	"$O" new "$N" 2> "$D/refuse.err"
	rc=$?
	after=$(cd "$N" && find . -type f | sort | xargs md5sum)
	[ $rc -eq 2 ] || { echo "exit $rc"; return 1; }
	grep -q 'not empty' "$D/refuse.err" || { cat "$D/refuse.err"; return 1; }
	[ "$before" = "$after" ] || { echo "the folder changed"; return 1; }
}
check "new: a folder that is not empty is refused (2), left as it was" new_refuses
new_bad_lang() {
	local rc
	"$O" new "$D/badlang" --lang 'en_US!' 2> "$D/badlang.err"
	rc=$?
	[ $rc -eq 2 ] || { echo "exit $rc"; return 1; }
	grep -q 'language tag' "$D/badlang.err" || { cat "$D/badlang.err"; return 1; }
	[ ! -e "$D/badlang" ] || { echo "badlang was made"; return 1; }
	! ls -A "$D" | grep -q '^\.' || { ls -A "$D"; return 1; }
}
check "new: a bad --lang is bad usage (2) and leaves nothing behind" new_bad_lang
check "new: '.' is bad usage (2): new makes a folder" bash -c "mkdir '$D/dot' && cd '$D/dot' && '$O' new . 2> ../dot.err; rc=\$?; [ \$rc -eq 2 ] && grep -q 'not a new folder' ../dot.err && [ -z \"\$(ls -A)\" ] || { echo \"exit \$rc\"; cat ../dot.err; exit 1; }"
new_defaults() {
	mkdir "$D/field-guide_2" || return 1 # an empty folder may be used
	"$O" new "$D/field-guide_2" > /dev/null || return 1
	grep -q '<title>Field guide 2</title>' "$D/field-guide_2/field-guide-2.xml" || { echo "title"; return 1; }
	grep -q 'xml:lang="en"' "$D/field-guide_2/field-guide-2.xml" || { echo "lang"; return 1; }
	grep -q '^# Copied from .*brochure.theme' "$D/field-guide_2/style.theme" || { echo "theme"; return 1; }
}
check "new: an empty folder will do; the title comes from its name, en and brochure by default" new_defaults
check "new: -t copies another theme" bash -c "'$O' new -t handout '$D/h' >/dev/null && grep -q 'handout' '$D/h/style.theme' && grep -q '^size = A4' '$D/h/style.theme'"
# a name in another script keeps its letters ("bøker", not "b-ker"), the title its capital, and
# the "Build it:" line is a command the shell runs as printed (a quoted folder, this octavo)
new_unicode() {
	(cd "$D" && "$O" new "élan om bøker") > "$D/uni.out" || return 1
	[ -s "$D/élan om bøker/élan-om-bøker.xml" ] || { ls "$D/élan om bøker"; return 1; }
	grep -q '<title>Élan om bøker</title>' "$D/élan om bøker/élan-om-bøker.xml" || { echo "title"; return 1; }
	local cmd
	cmd=$(sed -n 's/^Build it:  \(.*\)   (or: .*/\1/p' "$D/uni.out")
	[ -n "$cmd" ] || { cat "$D/uni.out"; return 1; }
	(cd "$D" && env PATH=/usr/bin:/bin bash -c "$cmd" > /dev/null 2>&1) || { echo "not runnable: $cmd"; return 1; }
	[ -s "$D/élan om bøker/out/élan-om-bøker.pdf" ] && [ -s "$D/élan om bøker/out/élan-om-bøker.epub" ]
}
check "new: a non-ASCII name keeps its letters and capital, and the printed build command runs as it is" new_unicode

# ---- 3. octavo watch ----

W=$D/watch
"$O" new "$W" --title Watched > /dev/null
LOG=$D/watch.log
(cd "$W" && exec "$O" watch -t style.theme watch.xml) > "$LOG" 2>&1 &
WPID=$!
trap 'kill $WPID 2>/dev/null' EXIT
# until COMMAND...: wait for the command to succeed while watch runs (generous: 120 s)
until_ok() {
	for _ in $(seq 1200); do
		"$@" > /dev/null 2>&1 && return 0
		kill -0 $WPID 2>/dev/null || { echo "watch exited"; cat "$LOG"; return 1; }
		sleep 0.1
	done
	echo "timed out waiting for: $*"
	cat "$LOG"
	return 1
}
lines() { grep -c -- "$1" "$LOG"; }
has_epub() { unzip -p "$W/out/watch.epub" "$1" 2>/dev/null | grep -qF -- "$2"; }
built_after() { [ "$(lines ' built ')" -gt "$1" ]; }
failed_after() { [ "$(lines 'build failed')" -gt "$1" ]; }
LINE='^octavo: [0-9]{2}:[0-9]{2}:[0-9]{2} '

watch_first() {
	until_ok built_after 0 || return 1
	grep -Eq "${LINE}built out/watch.epub, out/watch.pdf in [0-9.]+ s; watching 4 files" "$LOG" || { cat "$LOG"; return 1; }
}
check "watch: builds at once and names what it watches (book, chapter, image, theme)" watch_first
watch_chapter() {
	local n
	n=$(lines ' built ')
	sed -i 's/This is where the book begins/This is where the watched book begins/' "$W/ch01.xml"
	until_ok bash -c "[ \$(grep -c ' built ' '$LOG') -gt $n ] && unzip -p '$W/out/watch.epub' OEBPS/chapter-1.xhtml | grep -q 'watched book'" || return 1
	grep -Eq "${LINE}ch01.xml changed: built out/watch.epub, out/watch.pdf in [0-9.]+ s\$" "$LOG" || { cat "$LOG"; return 1; }
	pdftotext "$W/out/watch.pdf" - | grep -q 'watched book' || { echo "not in the PDF"; return 1; }
}
check "watch: an included chapter saved (sed -i renames over it): rebuilt, new text in both outputs" watch_chapter
watch_image() {
	local n
	n=$(lines ' built ')
	sed 's/#fffdf6/#00a050/g' "$W/images/pages.svg" > "$D/pages.svg" && cat "$D/pages.svg" > "$W/images/pages.svg"
	until_ok bash -c "[ \$(grep -c ' built ' '$LOG') -gt $n ] && unzip -p '$W/out/watch.epub' OEBPS/images/images/pages.svg | grep -q '#00a050'" || return 1
	grep -Eq "${LINE}pages.svg changed: built" "$LOG" || { cat "$LOG"; return 1; }
}
check "watch: an image rewritten in place: rebuilt with the new image" watch_image
watch_theme() {
	local n
	n=$(lines ' built ')
	sed -i 's/^heading = #1d3557/heading = #7a1f5c/' "$W/style.theme"
	until_ok bash -c "[ \$(grep -c ' built ' '$LOG') -gt $n ] && unzip -p '$W/out/watch.epub' OEBPS/style.css | grep -q '#7a1f5c'" || return 1
	grep -Eq "${LINE}style.theme changed: built" "$LOG" || { cat "$LOG"; return 1; }
}
check "watch: the theme changed: rebuilt with the new colour" watch_theme
watch_broken() {
	local n
	n=$(lines 'build failed')
	cp "$W/out/watch.epub" "$D/good.epub" && cp "$W/out/watch.pdf" "$D/good.pdf"
	sed -i 's|</chapter>|<para>unclosed</chapter>|' "$W/ch01.xml"
	until_ok failed_after "$n" || return 1
	grep -Eq '^ch01.xml:[0-9]+:[0-9]+: error: ' "$LOG" || { echo "no file:line:col error"; cat "$LOG"; return 1; }
	grep -Eq "${LINE}ch01.xml changed: build failed in [0-9.]+ s \\([0-9]+ errors?\\); the last good outputs are kept\$" "$LOG" || { cat "$LOG"; return 1; }
	cmp "$W/out/watch.epub" "$D/good.epub" && cmp "$W/out/watch.pdf" "$D/good.pdf"
}
check "watch: a broken chapter: the error with file:line:col, a failure line, the last good outputs kept" watch_broken
watch_missing() {
	local n
	n=$(lines ' built ')
	sed -i 's|<para>unclosed</chapter>|</chapter>|' "$W/ch01.xml" # fixed: built again
	until_ok built_after "$n" || return 1
	n=$(lines 'build failed')
	sed -i 's|<xi:include href="ch01.xml"/>|<xi:include href="ch01.xml"/>\n  <xi:include href="ch02.xml"/>|' "$W/watch.xml"
	until_ok failed_after "$n" || return 1
	grep -q 'cannot read XInclude "ch02.xml"' "$LOG" || { cat "$LOG"; return 1; }
	n=$(lines ' built ')
	printf '<chapter xmlns="http://docbook.org/ns/docbook" version="5.0" xml:id="ch02">\n<title>Second</title>\n<para>A chapter that was missing.</para>\n</chapter>\n' > "$W/ch02.xml"
	until_ok bash -c "[ \$(grep -c ' built ' '$LOG') -gt $n ] && unzip -p '$W/out/watch.epub' OEBPS/chapter-2.xhtml | grep -q 'was missing'"
}
check "watch: after a failed build, the missing include appearing starts a build" watch_missing
watch_same() { # the outputs of many builds in one process equal those of one build
	(cd "$W" && "$O" build -t style.theme -o "$D/once" watch.xml) || return 1
	cmp "$W/out/watch.epub" "$D/once/watch.epub" && cmp "$W/out/watch.pdf" "$D/once/watch.pdf"
}
check "watch: its last outputs are byte-identical to one octavo build's" watch_same
watch_stop() {
	local rc
	kill -TERM $WPID
	wait $WPID
	rc=$?
	[ $rc -eq 0 ] || { echo "exit $rc"; return 1; }
	! ls -A "$W/out" | grep -q '^\.' || { echo "temporary files left:"; ls -A "$W/out"; return 1; }
}
check "watch: SIGTERM stops it with status 0, no temporary file left" watch_stop
trap - EXIT

# A rebuild takes the lines of every paragraph an edit left as it was: the brochure (two
# passes, page references, an index) with a theme of its own, under watch -v.
W=$D/reuse
mkdir -p "$W" && cp "$TOP"/book/*.xml "$W/" && cp "$TOP/styles/brochure.theme" "$W/style.theme"
LOG=$D/reuse.log
(cd "$W" && exec "$O" watch -v -t style.theme international-commitment.xml) > "$LOG" 2>&1 &
WPID=$!
trap 'kill $WPID 2>/dev/null' EXIT
# shaped N: how many paragraphs the Nth build shaped, over all its passes
shaped() {
	awk -v n="$1" '/ built / { b++ } / paragraphs? shaped/ && b == n - 1 {
		for (i = 1; i < NF; i++) if ($(i + 1) ~ /^paragraphs?$/) s += $i } END { print s + 0 }' "$LOG"
}
same_as_once() {
	rm -rf "$D/reuse-once"
	(cd "$W" && "$O" build -q -t style.theme -o "$D/reuse-once" international-commitment.xml) || return 1
	for f in international-commitment.epub international-commitment.pdf; do
		cmp "$W/out/$f" "$D/reuse-once/$f" || return 1
	done
}
watch_reuse() {
	local first edit
	until_ok built_after 0 || return 1
	sed -i 's/Much of Norway’s international peace/Much of Norway’s international work for peace/' "$W/ch-un.xml"
	until_ok built_after 1 || return 1
	first=$(shaped 1) edit=$(shaped 2)
	echo "paragraphs shaped: $first by the first build, $edit by the rebuild"
	[ "$first" -gt 100 ] && [ "$edit" -ge 1 ] && [ "$edit" -le 5 ] || { cat "$LOG"; return 1; }
	pdftotext "$W/out/international-commitment.pdf" - | tr '\n' ' ' | grep -q 'international work for peace' || return 1
	same_as_once
}
check "watch: a rebuild shapes only the edited paragraph; outputs byte-identical to one build's" watch_reuse
watch_reuse_theme() {
	# the hyphenation limits are read when a paragraph is shaped: the rebuild sets every one again
	sed -i 's/^min-left = 2/min-left = 4/' "$W/style.theme"
	until_ok built_after 2 || return 1
	[ "$(shaped 3)" -gt 100 ] || { cat "$LOG"; return 1; }
	same_as_once
}
check "watch: the theme's hyphenation limits changed: every paragraph set again, as one build sets them" watch_reuse_theme
watch_warns_again() {
	# a character no bundled font has (a system font sets it): every build warns, not the first alone
	sed -i 's/work for peace/work for peace \&#x10900;/' "$W/ch-un.xml"
	until_ok built_after 3 || return 1
	grep ' built ' "$LOG" | tail -1 | grep -q ', 1 warning$' || { cat "$LOG"; return 1; }
	sed -i 's|</acronym> is an important forum|</acronym> is a forum|' "$W/ch-un.xml"
	until_ok built_after 4 || return 1
	grep ' built ' "$LOG" | tail -1 | grep -q ', 1 warning$' || { cat "$LOG"; return 1; }
	[ "$(grep -c 'are in none of the bundled fonts' "$LOG")" -eq 2 ] || { cat "$LOG"; return 1; }
	same_as_once
}
check "watch: a character the system's fonts set: each rebuild warns again, outputs as one build's" watch_warns_again
kill $WPID
wait $WPID 2>/dev/null
trap - EXIT
check "watch: a book that does not exist is an I/O failure (3)" bash -c "'$O' watch '$D/nonexistent.xml' 2>/dev/null; [ \$? -eq 3 ]"

# ---- 4. progress and timings ----

progress_tty() {
	local pages
	script -qec "'$O' build -o '$D/tty' '$BROCHURE'" /dev/null > "$D/tty.out" || { cat -v "$D/tty.out"; return 1; }
	pages=$(pdfinfo "$D/tty/international-commitment.pdf" | sed -n 's/^Pages: *//p')
	"$PY" - "$D/tty.out" "$pages" <<-'EOF'
		import re, sys
		out, pages = open(sys.argv[1], "rb").read().decode(), sys.argv[2]
		shown = out.split("\r")
		for stage in ("parse", "resolve", "fonts", "EPUB write", "layout", "draw"):
		    assert any(s.startswith("octavo: " + stage) for s in shown), f"no {stage!r} in {shown}"
		assert re.search(r"chapter (\d+)/\1\b", out), "the last chapter is never shown"
		assert re.search(r"draw, page %s/%s\b" % (pages, pages), out), f"no 'draw, page {pages}/{pages}'"
		assert out.endswith("\r\x1b[K"), f"the line is not erased at the end: {out[-40:]!r}"
		assert "\n" not in out, "the progress wrote more than one line"
	EOF
}
check "progress: on a terminal, one line shows each stage, chapter n/N and pages, erased at the end" progress_tty
check "progress: -q shows nothing on a terminal" bash -c "script -qec \"'$O' build -q -o '$D/tty' '$BROCHURE'\" /dev/null > '$D/ttyq.out' && [ ! -s '$D/ttyq.out' ] || cat -v '$D/ttyq.out'"
check "progress: stderr not a terminal: a clean build prints nothing" quiet "$O" build -o "$D/notty" "$BROCHURE"
verbose() {
	local pages
	"$O" build -v -o "$D/v" "$BROCHURE" 2> "$D/v.err" || return 1
	pages=$(pdfinfo "$D/v/international-commitment.pdf" | sed -n 's/^Pages: *//p')
	grep -o '^octavo: [A-Za-z ]*[a-z] ' "$D/v.err" | sed 's/^octavo: //; s/ *$//' | tr '\n' ',' > "$D/v.stages"
	# the book is typeset first (twice: the brochure's index prints page numbers), then written;
	# both outputs are put in place together once both are complete (all or nothing). On two
	# cores the EPUB is written while the PDF is drawn, and its time is printed after it
	case "$(cat "$D/v.stages")" in
	"parse,resolve,fonts,typeset pass,typeset pass,layout,EPUB write,draw,wrote,wrote,") ;;
	"parse,resolve,fonts,typeset pass,typeset pass,layout,draw,EPUB write,wrote,wrote,") ;;
	*) cat "$D/v.err"; return 1 ;;
	esac
	OCTAVO_THREADS=1 "$O" build -v -o "$D/v1" "$BROCHURE" 2> "$D/v1.err" || return 1
	grep -o '^octavo: [A-Za-z ]*[a-z] ' "$D/v1.err" | sed 's/^octavo: //; s/ *$//' | tr '\n' ',' > "$D/v1.stages"
	[ "$(cat "$D/v1.stages")" = "parse,resolve,fonts,typeset pass,typeset pass,layout,EPUB write,draw,wrote,wrote," ] || { cat "$D/v1.err"; return 1; }
	grep -Eq "^octavo: draw +[0-9]+\.[0-9] ms  $pages pages  peak [0-9]+\.[0-9] MB\$" "$D/v.err" || { cat "$D/v.err"; return 1; }
	"$O" check -v "$BROCHURE" 2>&1 | grep -Eq '^octavo: validate +[0-9]+\.[0-9] ms  peak [0-9]+\.[0-9] MB$' || return 1
	# the peak never falls from a stage to the next, and is a plausible size (8 MB to 1 GB)
	sed -n 's/.*  peak \([0-9.]*\) MB$/\1/p' "$D/v.err" | awk 'NR > 1 && $1 < last { exit 1 } $1 < 8 || $1 > 1024 { exit 1 } { last = $1 } END { exit NR < 6 }' ||
		{ cat "$D/v.err"; return 1; }
}
check "-v: one timed line per stage (parse, resolve, fonts, layout and its passes, EPUB write, draw; validate for check), each with the peak memory so far" verbose
pdf_only_options() { # --png, --layout and --report with --epub alone: bad usage, nothing written
	local rc
	for o in "--png=$D/po-png" "--layout=$D/po.layout" "--report=$D/po.json"; do
		"$O" build "$BROCHURE" --epub "$D/po.epub" "$o" 2> "$D/po.err"
		rc=$?
		[ $rc -eq 2 ] || { echo "$o: exit $rc"; return 1; }
		grep -q -- '--png, --layout and --report show the PDF' "$D/po.err" || { cat "$D/po.err"; return 1; }
		[ ! -e "$D/po.epub" ] && [ ! -e "$D/po-png" ] && [ ! -e "$D/po.layout" ] && [ ! -e "$D/po.json" ] || { echo "$o: wrote a file"; return 1; }
	done
}
check "build: --png, --layout and --report with --epub alone are bad usage (2), nothing written" pdf_only_options
check "build: --no-print-pages with --pdf alone is bad usage (2), nothing written" bash -c "
	'$O' build '$BROCHURE' --pdf '$D/np.pdf' --no-print-pages 2> '$D/np.err'; rc=\$?
	[ \$rc -eq 2 ] && grep -q -- '--no-print-pages is about the EPUB' '$D/np.err' && [ ! -e '$D/np.pdf' ] || { echo \"exit \$rc\"; cat '$D/np.err'; exit 1; }"
swapped() { # a PDF named .epub (or an EPUB .pdf): --pdf and --epub swapped, bad usage
	local rc
	"$O" build "$BROCHURE" --pdf "$D/sw.epub" --epub "$D/sw.pdf" 2> "$D/sw.err"
	rc=$?
	[ $rc -eq 2 ] && grep -q 'swapped' "$D/sw.err" && [ ! -e "$D/sw.epub" ] && [ ! -e "$D/sw.pdf" ] || { echo "exit $rc"; cat "$D/sw.err"; return 1; }
}
check "build: --pdf X.epub or --epub X.pdf (swapped) is bad usage (2), nothing written" swapped
check "build: an unknown option is one line and a pointer to --help, not the whole help again" bash -c "
	'$O' build --pfd x 2> '$D/pfd.err'; rc=\$?
	[ \$rc -eq 2 ] && [ \$(wc -l < '$D/pfd.err') -eq 2 ] && grep -q 'octavo build --help' '$D/pfd.err' || { echo \"exit \$rc\"; cat '$D/pfd.err'; exit 1; }"

# ---- 5. make install / uninstall ----

S=$D/stage
install_files() {
	make -s install PREFIX=/opt/octavo DESTDIR="$S" > "$D/install.log" 2>&1 || { cat "$D/install.log"; return 1; }
	[ -x "$S/opt/octavo/bin/octavo" ] || { echo "no bin/octavo"; return 1; }
	for t in styles/*.theme docs/schema/octavo.rng; do
		cmp "$t" "$S/opt/octavo/share/octavo/$t" || return 1
	done
	[ "$(ls fonts/*.ttf | wc -l)" -eq "$(ls "$S"/opt/octavo/share/octavo/fonts/*.ttf | wc -l)" ] || { echo "fonts"; return 1; }
	cmp docs/octavo.1 "$S/opt/octavo/share/man/man1/octavo.1"
}
check "install: DESTDIR + PREFIX: the program, themes, fonts, schema and man page" install_files
install_runs() { # from another folder, without OCTAVO_DATADIR: it finds PREFIX/share/octavo
	(cd "$D" && env -u OCTAVO_DATADIR "$S/opt/octavo/bin/octavo" build -t handout -o "$D/inst" "$BROCHURE") > "$D/inst.err" 2>&1 || { cat "$D/inst.err"; return 1; }
	[ ! -s "$D/inst.err" ] || { cat "$D/inst.err"; return 1; }
	"$O" build -t handout -o "$D/tree" "$BROCHURE" || return 1
	cmp "$D/inst/international-commitment.pdf" "$D/tree/international-commitment.pdf" &&
		cmp "$D/inst/international-commitment.epub" "$D/tree/international-commitment.epub" || return 1
	quiet env -u OCTAVO_DATADIR "$S/opt/octavo/bin/octavo" check "$BROCHURE"
}
check "install: the installed octavo finds its themes, fonts and schema: same outputs as the tree's" install_runs
check "install: man renders the installed page" bash -c "MANPAGER=cat man -l '$S/opt/octavo/share/man/man1/octavo.1' 2>&1 | grep -q '^SYNOPSIS'"
uninstall() {
	make -s uninstall PREFIX=/opt/octavo DESTDIR="$S" || return 1
	[ -z "$(find "$S" -type f)" ] || { find "$S" -type f | head; return 1; }
}
check "uninstall: removes every file install wrote" uninstall
