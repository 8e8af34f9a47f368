#!/bin/bash
# The side outputs (--png DIR, --layout FILE, --report FILE) are all or nothing with the EPUB
# and the PDF: written to temporary files (a temporary folder for the pages) and put in place
# only when the whole build succeeds; a failed or stopped build leaves none of them and keeps
# the previous ones. And watch: a failed build that makes and removes its output folder does
# not start another build. Run by tests/run.sh with OCTAVO and OUT set; prints ok / not ok
# lines, and ends with status 0.
set -u
O=$(realpath "${OCTAVO:-./octavo}")
D=$(realpath -m "${OUT:-tests/out}/outputs")
rm -rf "$D"; mkdir -p "$D"
export SOURCE_DATE_EPOCH=1700000000
PY=$(command -v /usr/bin/python3 || command -v python3)
# sanitizer builds run several times slower: the waits grow with them
SLOW=1
case $O in *asan*) SLOW=6;; esac

PREFIX="outputs: "
. tests/lib.sh

# the book (figures.xml, six pages), and an edit of it whose outputs differ
B=$D/book
mkdir -p "$B"
cp -r tests/docs/img "$B/"
cp tests/docs/figures.xml "$B/b.xml"
sed 's|Pictures in the Text|Other Pictures|' "$B/b.xml" > "$B/edit.xml"

# ---- 1. a failed build writes no side output and keeps the previous ones ----
K=$D/keep
mkdir -p "$K"
$O build -q -o "$D/out" --png "$D/png" --png-dpi 40 --layout "$D/l.txt" --report "$D/r.json" "$B/b.xml" 2> "$D/good.err"
cp -r "$D/png" "$K/png"; cp "$D/l.txt" "$D/r.json" "$D/out/b.pdf" "$K/"
# same_side: the layout, the report and the pages are those of the good build, and nothing
# else (no temporary file) is beside them
same_side() {
	cmp "$K/l.txt" "$D/l.txt" && cmp "$K/r.json" "$D/r.json" && diff -r "$K/png" "$D/png" &&
	[ "$(ls -A "$D/png")" = "$(ls -A "$K/png")" ] &&
	[ -z "$(ls -A "$D" | grep '^\.')" ] || { ls -lA "$D" "$D/png"; return 1; }
}
check "a build whose EPUB cannot be written (/dev/full, found last) writes no page, layout or report: the previous ones are kept byte for byte" bash -c "$(declare -f same_side)
	$O build -q --epub /dev/full --pdf '$D/new.pdf' --png '$D/png' --png-dpi 40 --layout '$D/l.txt' --report '$D/r.json' '$B/edit.xml' 2> '$D/err'; rc=\$?
	cat '$D/good.err' '$D/err'; [ -s '$K/l.txt' ] && [ -s '$K/r.json' ] && [ \$(ls '$K/png' | wc -l) -eq 6 ] && [ \$rc -eq 3 ] && grep -q 'cannot write /dev/full: No space left on device' '$D/err' &&
	[ ! -e '$D/new.pdf' ] && K='$K' D='$D' same_side"
check "the same, built in one thread" bash -c "$(declare -f same_side)
	OCTAVO_THREADS=1 $O build -q --epub /dev/full --pdf '$D/new.pdf' --png '$D/png' --png-dpi 40 --layout '$D/l.txt' --report '$D/r.json' '$B/edit.xml' 2> '$D/err'; rc=\$?
	cat '$D/err'; [ \$rc -eq 3 ] && [ ! -e '$D/new.pdf' ] && K='$K' D='$D' same_side"
check "a failed build makes no --png folder, layout or report (nor their folders)" bash -c "
	$O build -q --epub /dev/full --pdf '$D/n1/new.pdf' --png '$D/n2/deep/png' --layout '$D/n3/l.txt' --report '$D/n4/r.json' '$B/edit.xml' 2> '$D/err'; rc=\$?
	cat '$D/err'; [ \$rc -eq 3 ] && for n in n1 n2 n3 n4; do [ ! -e '$D/'\$n ] || { find '$D/'\$n; exit 1; }; done"
check "a full disk while the pages are written: exit 3, no partial page, the previous pages kept, no temporary folder" bash -c "
	$O build -q --pdf '$D/f.pdf' --png '$D/fpng' --png-dpi 300 '$B/b.xml' 2>/dev/null && cp -r '$D/fpng' '$K/fpng' &&
	[ \$(stat -c %s '$D/fpng/page-005.png') -gt 110000 ] || { ls -l '$D/fpng'; exit 1; }
	(trap '' XFSZ; ulimit -f 100; $O build -q --pdf '$D/f.pdf' --png '$D/fpng' --png-dpi 300 '$B/edit.xml' 2> '$D/err'); rc=\$?
	cat '$D/err'; [ \$rc -eq 3 ] && grep -q 'cannot write $D/fpng/page-005.png: ' '$D/err' &&
	diff -r '$K/fpng' '$D/fpng' && [ -z \"\$(ls -A '$D' | grep '^\.')\" ] || { ls -lA '$D' '$D/fpng'; exit 1; }
	(trap '' XFSZ; ulimit -f 100; $O build -q --pdf '$D/g.pdf' --png '$D/gnew/png' --png-dpi 300 '$B/edit.xml' 2> '$D/err'); rc=\$?
	cat '$D/err'; [ \$rc -eq 3 ] && [ ! -e '$D/gnew' ] || { find '$D/gnew'; exit 1; }"

# ---- 2. a good build puts every side output in place ----
check "a good build replaces the previous pages (other files in their folder kept), layout and report (through a link: the file it names, the link kept)" bash -c "
	ln -s r.json '$D/r-link.json'; echo old > '$D/r.json'; echo mine > '$D/png/notes.txt'
	$O build -q -o '$D/out' --png '$D/png' --png-dpi 40 --layout '$D/l.txt' --report '$D/r-link.json' '$B/edit.xml' &&
	! cmp -s '$K/l.txt' '$D/l.txt' && grep -q breaking '$D/r.json' && [ -L '$D/r-link.json' ] &&
	grep -q 'Other Pictures' '$D/l.txt' && ! cmp -s '$K/png/page-004.png' '$D/png/page-004.png' &&
	[ \"\$(ls -A '$D/png' | tr '\n' ' ')\" = 'notes.txt page-001.png page-002.png page-003.png page-004.png page-005.png page-006.png ' ] &&
	grep -qx mine '$D/png/notes.txt' && [ -z \"\$(ls -A '$D' | grep '^\.')\" ] &&
	[ \$(stat -c %a '$D/png/page-001.png') = \$(stat -c %a '$D/out/b.pdf') ] && [ \$(stat -c %a '$D/l.txt') = \$(stat -c %a '$D/out/b.pdf') ]"
check "--layout, --report and --png into folders not made yet: made, as for --pdf, with the usual modes" bash -c "
	$O build -q --pdf '$D/nd.pdf' --layout '$D/nd1/a/l.txt' --report '$D/nd2/r.json' --png '$D/nd3/png/' --png-dpi 40 '$B/b.xml' 2> '$D/err'; rc=\$?
	cat '$D/err'; [ \$rc -eq 0 ] && cmp '$D/nd1/a/l.txt' '$K/l.txt' && cmp '$D/nd2/r.json' '$K/r.json' && diff -r '$K/png' '$D/nd3/png' &&
	[ -z \"\$(ls -A '$D/nd3' | grep -v '^png\$')\" ] && [ \$(stat -c %a '$D/nd3/png') = \$(stat -c %a '$D/nd1/a') ] &&
	[ \$(stat -c %a '$D/nd3/png/page-001.png') = \$(stat -c %a '$D/nd.pdf') ] && [ \$(stat -c %a '$D/nd2/r.json') = \$(stat -c %a '$D/nd.pdf') ]"
check "--layout into a pipe is written into, not replaced" bash -c "
	mkfifo '$D/pipe'; timeout $((30 * SLOW)) cat '$D/pipe' > '$D/piped' & reader=\$!
	timeout $((60 * SLOW)) $O build -q --pdf '$D/p.pdf' --layout '$D/pipe' '$B/b.xml'; rc=\$?
	[ -p '$D/pipe' ] || { echo 'the pipe was replaced'; kill \$reader; exit 1; }
	wait \$reader; [ \$rc -eq 0 ] && cmp '$D/piped' '$K/l.txt'"

# ---- 3. a stopped build leaves no page, layout, report or temporary file ----
check "a build stopped by SIGTERM while it writes the pages leaves no page, layout, report, temporary file or folder it made" bash -c "
	$PY bench/gen.py 500 '$D/sig' > /dev/null && rm -rf '$D/sig/new'
	$O build -q --pdf '$D/sig/s.pdf' --png '$D/sig/new/png' --png-dpi 20 --layout '$D/sig/new/l.txt' --report '$D/sig/r.json' '$D/sig/book-500.xml' & pid=\$!
	for i in \$(seq $((3000 * SLOW))); do ls '$D/sig/new/png' '$D/sig/new/'.png.*/ 2>/dev/null | grep -q page-003 && break; sleep 0.01; done
	kill -TERM \$pid; wait \$pid; rc=\$?
	[ \$rc -eq 143 ] || { echo \"exit \$rc\"; exit 1; }
	[ ! -e '$D/sig/new' ] || { find '$D/sig/new' | head; exit 1; }
	[ -z \"\$(ls -A '$D/sig' | grep -v '^book-500.xml\$\\|^img\$')\" ] || { ls -A '$D/sig'; exit 1; }"

# ---- 4. watch: a failed build's own output folder is no reason to build again ----
W=$D/watch
mkdir -p "$W"
cat > "$W/book.xml" <<'XML'
<?xml version="1.0"?>
<book xmlns="http://docbook.org/ns/docbook" version="5.0">
  <info><title>Watch Loop</title></info>
  <chapter><title>One</title><para>x</para>
  <mediaobject><imageobject><imagedata fileref="pic.png"/></imageobject></mediaobject></chapter>
</book>
XML
watch_loop() {
	local log=$D/watch.log pid n
	(cd "$W" && exec "$O" watch -q book.xml) > "$log" 2>&1 &
	pid=$!
	for _ in $(seq $((300 * SLOW))); do [ "$(grep -c 'build failed' "$log")" -ge 1 ] && break; sleep 0.1; done
	sleep 1; touch "$W/book.xml"
	for _ in $(seq $((300 * SLOW))); do [ "$(grep -c 'build failed' "$log")" -ge 2 ] && break; sleep 0.1; done
	sleep $((3 * SLOW))
	kill -INT $pid; wait $pid
	n=$(grep -c 'build failed' "$log")
	echo "$n failed builds"; grep 'build failed' "$log" | head -5
	grep -q 'image "pic.png"' "$log" && [ "$n" -eq 2 ] && [ ! -e "$W/out" ]
}
check "watch: a build that fails after making out/ (and removes it): one touch, one rebuild, no loop" watch_loop
check "--png into a folder that holds a longer book's pages: its stale pages go, its other files stay" bash -c "
	rm -rf '$D/stale' && mkdir -p '$D/stale' && echo keep > '$D/stale/notes.txt' &&
	'$O' build -q --pdf '$D/stale/a.pdf' --png '$D/stale' book/international-commitment.xml &&
	[ -e '$D/stale/page-016.png' ] &&
	'$O' build -q --pdf '$D/stale/a.pdf' --png '$D/stale' tests/docs/lists.xml &&
	[ \$(ls '$D/stale' | grep -c '^page-') -eq \$(pdfinfo '$D/stale/a.pdf' | awk '/^Pages/{print \$2}') ] &&
	[ ! -e '$D/stale/page-016.png' ] && [ -e '$D/stale/notes.txt' ]"
check "--png into the book's folder where one of its images is named page-001.png: refused (exit 3), the image and a page-009.png there untouched" bash -c "
	P='$D/pngbook' && rm -rf \$P && mkdir -p \$P && cp tests/docs/img/dot.png \$P/page-001.png && echo old > \$P/page-009.png &&
	sed 's|img/dot.png|page-001.png|' tests/docs/figures.xml | grep -v 'shape.svg\|dot.jpg' > \$P/b.xml && grep -q page-001.png \$P/b.xml &&
	'$O' build -q -o \$P/out --png \$P \$P/b.xml; rc=\$?; [ \$rc -eq 3 ] && cmp tests/docs/img/dot.png \$P/page-001.png &&
	[ \$(cat \$P/page-009.png) = old ] && [ ! -e \$P/out ] &&
	'$O' build -q -o \$P/out --png \$P/pages \$P/b.xml && [ -e \$P/pages/page-001.png ] && cmp tests/docs/img/dot.png \$P/page-001.png"
true
