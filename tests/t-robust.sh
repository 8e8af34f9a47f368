#!/bin/bash
# Robustness (issue 7): pathological but valid books build in bounded time and memory and lose
# no word; the nesting limit; outputs are atomic (a failed build writes nothing and keeps the
# previous output); write failures; nothing outside the book's folder is read and the network
# is never used; builds are reproducible. Run by tests/run.sh with OCTAVO and OUT set; prints
# ok / not ok lines, and "# " lines with what was measured.
set -u
O=${OCTAVO:-./octavo}
D=${OUT:-tests/out}/robust
rm -rf "$D"; mkdir -p "$D"
export SOURCE_DATE_EPOCH=1700000000
PY=$(command -v /usr/bin/python3 || command -v python3)
# sanitizer builds run several times slower and larger: the bounds grow with them
SLOW=1
case $O in *asan*) SLOW=6;; esac

t() {
	local name=$1; shift
	if "$@" > "$D/log" 2>&1; then
		echo "ok - robust: $name"
	else
		echo "not ok - robust: $name"; sed 's/^/#   /' "$D/log" | head -15
	fi
}

# ---- 1. pathological but valid books (tests/robust/gen.py writes them here) ----
P=$D/patho
$PY tests/robust/gen.py "$P"
cases=( # the longest first: two run at a time and the others fill the second slot
	"big-para:a 1 MB paragraph" "many-chapters:10,000 chapters"
	"long-word:a 200,000-letter word" "many-footnotes:10,000 footnotes"
	"deep-quote:20,000 nested blockquotes" "deep-list:20,000 nested lists"
	"deep-inline:20,000 nested inline elements" "big-table:a 5,000-row table")
# two at a time (2 cores); each writes its own result file, printed here in order
for c in "${cases[@]}"; do printf '%s\0%s\0' "${c%%:*}" "${c#*:}"; done |
	xargs -0 -n 2 -P 2 bash tests/robust/case.sh "$O" "$P" "$SLOW"
for c in "${cases[@]}"; do cat "$P/${c%%:*}.result" 2>/dev/null || echo "not ok - robust: ${c%%:*}: no result"; done
t "deep-quote: check validates 20,000 levels against the schema without a warning" bash -c "
	$PY tests/robust/measure.py $((60 * SLOW)) $((1200 * SLOW)) $O check '$P/deep-quote.xml' 2> '$P/check.err' && [ ! -s '$P/check.err' ]"
t "deep-list: dump is linear: deep lines give their level as [N]" bash -c "
	$O dump '$P/deep-list.xml' > '$P/deep-list.dump' && [ \$(stat -c %s '$P/deep-list.dump') -lt 20000000 ] &&
	grep -q '^ \{80\}\[40002\] para ' '$P/deep-list.dump'"
t "deep-quote: indentation stops at half the measure, text keeps its width" bash -c "
	$O build --pdf '$P/dq.pdf' --layout '$P/dq.layout' '$P/deep-quote.xml' &&
	awk '\$1 == \"page\" { kind = \$3 } \$1 == \"line\" && kind == \"body\" { n++; if (\$2 + 0 > 48.2 + 323.2 / 2) { print; bad = 1 } }
	     END { if (n < 20000) { print n \" body lines\"; bad = 1 } exit bad }' '$P/dq.layout'"

# ---- 2. the nesting limit: 100,000 levels build; one more is an error, not a crash ----
$PY - "$D" <<'PY'
import sys
head = ('<?xml version="1.0"?>\n<book xmlns="http://docbook.org/ns/docbook" version="5.0">\n'
        '<title>Deep</title>\n<chapter><title>C</title>\n')
for name, quotes in (("limit", 99_997), ("too-deep", 99_998)):  # + book, chapter, para
    with open(f"{sys.argv[1]}/{name}.xml", "w") as f:
        f.write(head + "<blockquote>\n" * quotes + "<para>x</para>" + "</blockquote>" * quotes + "\n</chapter></book>\n")
PY
t "100,000 levels of elements read and resolve (dump)" bash -c "$PY tests/robust/measure.py $((60 * SLOW)) $((1200 * SLOW)) $O dump '$D/limit.xml' > '$D/limit.dump' && grep -q '^ *\[99999\] para .*limit.xml:100002:1' '$D/limit.dump'"
t "one level more is an error at its place (exit 1, nothing written)" bash -c "
	timeout $((60 * SLOW)) $O build -o '$D/deep-out' '$D/too-deep.xml' 2> '$D/deep.err'; rc=\$?
	cat '$D/deep.err'; [ \$rc -eq 1 ] && grep -q '^$D/too-deep.xml:100003:1: error: elements nest more than 100000 levels deep\$' '$D/deep.err' && [ ! -e '$D/deep-out' ]"

$PY - "$D" <<'PY'
import sys
n = 90_000
with open(f"{sys.argv[1]}/deep-parts.xml", "w") as f:
    f.write('<?xml version="1.0"?>\n<book xmlns="http://docbook.org/ns/docbook" version="5.0"><info><title>D</title><author>'
            + "<personname>" * n + "Deep" + "</personname>" * n + "<affiliation><address>" + "<street>" * n + "Lane"
            + "</street>" * n + "<email>e@example.org</email></address></affiliation></author></info>\n<chapter><title>C</title>"
            + '<qandaset defaultlabel="number"><qandaentry><question><para>' + "<emphasis>" * n + "first" + "</emphasis>" * n
            + "</para></question></qandaentry><qandaentry><question><para>second</para></question></qandaentry></qandaset>"
            + "<programlisting>" + "<emphasis>" * n + "x <co/>" + "</emphasis>" * n + " y <co/></programlisting></chapter></book>\n")
PY
t "90,000 levels inside an author, a question and a listing: names, numbers and marks found without recursion" bash -c "
	timeout $((60 * SLOW)) $O dump '$D/deep-parts.xml' > '$D/deep-parts.dump' &&
	head -1 '$D/deep-parts.dump' | grep -qF 'author=\"Deep\" email=\"e@example.org\" address=\"Lane\"' &&
	grep -q 'text \"2.\"' '$D/deep-parts.dump' && grep -q 'text \"(2)\"' '$D/deep-parts.dump'"

$PY - "$D" <<'PY'
import sys
def book(name, titles):
    with open(f"{sys.argv[1]}/{name}.xml", "w") as f:
        f.write('<?xml version="1.0"?>\n<book xmlns="http://docbook.org/ns/docbook" version="5.0"><title>T</title><chapter><title>C</title>\n'
                + "".join(f'<section xml:id="s{i}"><title>S{i} {t}</title><para>x</para></section>\n' for i, t in enumerate(titles))
                + "</chapter></book>\n")
n = 100_000  # each section's title holds an xref to the next section (forward), or to the one before
book("title-chain", [f'<xref linkend="s{i + 1}"/>' for i in range(n - 1)] + ["end"])
book("title-chain-back", ["end"] + [f'<xref linkend="s{i - 1}"/>' for i in range(1, n)])
book("title-fan", [" ".join([f'<xref linkend="s{i + 1}"/>'] * 8) for i in range(8)] + ["end"])  # 8 xrefs a title
PY
t "100,000 titles each holding an xref to the next: no recursion past 8 titles, an error at the xref whose words would go deeper" bash -c "
	timeout $((60 * SLOW)) $O check '$D/title-chain.xml' 2> '$D/chain.err'; rc=\$?
	head -3 '$D/chain.err'; [ \$rc -eq 1 ] &&
	head -1 '$D/chain.err' | grep -qxF '$D/title-chain.xml:3:32: error: xref to \"s1\": its words would take in xrefs in titles nested more than 8 deep'"
t "the same chain written backwards: the same rule, not the book's order, and bounded memory" bash -c "
	$PY tests/robust/measure.py $((60 * SLOW)) $((600 * SLOW)) $O check '$D/title-chain-back.xml' 2> '$D/chain-back.err'; rc=\$?
	head -3 '$D/chain-back.err'; [ \$rc -eq 1 ] &&
	grep -m1 error '$D/chain-back.err' | grep -qF 'title-chain-back.xml:13:34: error: xref to \"s9\": its words would take in xrefs in titles nested more than 8 deep'"
t "8 xrefs in each of 9 titles: the words an xref takes in are cut at 2,000 bytes (8^8 copies otherwise)" bash -c "
	$PY tests/robust/measure.py $((60 * SLOW)) $((600 * SLOW)) $O check '$D/title-fan.xml' 2> '$D/fan.err'; rc=\$?
	head -3 '$D/fan.err'; [ \$rc -eq 0 ] && grep -q 'warning: the words an xref shows of this <title> are cut at 2000 bytes' '$D/fan.err'"

# ---- 3. outputs: all or nothing, never a damaged previous output, write failures ----
A=$D/atomic
mkdir -p "$A/book" "$A/out"
cp -r tests/docs/img "$A/book/"
cp tests/docs/figures.xml "$A/book/b.xml"
$O build -o "$A/out" "$A/book/b.xml" 2>/dev/null
cp "$A/out/b.epub" "$A/keep.epub"; cp "$A/out/b.pdf" "$A/keep.pdf"
same_outputs() { cmp "$A/keep.epub" "$A/out/b.epub" && cmp "$A/keep.pdf" "$A/out/b.pdf" && [ "$(ls -A "$A/out")" = "$(printf 'b.epub\nb.pdf')" ]; }
t "a good build writes both outputs" bash -c "[ -s '$A/keep.epub' ] && [ -s '$A/keep.pdf' ]"
t "a build with an input error keeps both previous outputs, byte for byte" bash -c "$(declare -f same_outputs)
	sed 's|</chapter>|<para><xref linkend=\"nowhere\"/></para></chapter>|' tests/docs/figures.xml > '$A/book/b.xml'
	$O build -o '$A/out' '$A/book/b.xml'; [ \$? -eq 1 ] && A='$A' same_outputs"
cp tests/docs/figures.xml "$A/book/b.xml"
t "a damaged image fails the build and keeps both previous outputs" bash -c "$(declare -f same_outputs)
	cp tests/bad/img/truncated.png '$A/book/img/dot.png'
	$O build -o '$A/out' '$A/book/b.xml' 2> '$A/err'; rc=\$?; cp tests/docs/img/dot.png '$A/book/img/dot.png'
	cat '$A/err'; [ \$rc -eq 1 ] && grep -q 'b.xml:[0-9]*:[0-9]*: error: image \"img/dot.png\": it is damaged' '$A/err' &&
	A='$A' same_outputs"
t "/dev/full as the PDF: 'No space left on device', exit 3, the EPUB beside it not written either" bash -c "$(declare -f same_outputs)
	sed 's|Pictures in the Text|Another Title|' '$A/book/b.xml' > '$A/book/other.xml'
	$O build --epub '$A/out/b.epub' --pdf /dev/full '$A/book/other.xml' 2> '$A/err'; rc=\$?
	cat '$A/err'; [ \$rc -eq 3 ] && grep -q '^octavo: error: cannot write /dev/full: No space left on device' '$A/err' &&
	A='$A' same_outputs"
t "/dev/full as the EPUB: exit 3" bash -c "
	$O build --epub /dev/full '$A/book/b.xml' 2> '$A/err'; rc=\$?; cat '$A/err'
	[ \$rc -eq 3 ] && grep -q 'cannot write /dev/full: No space left on device' '$A/err'"
t "a device or pipe is written into, not replaced: the PDF through /dev/stdout" bash -c "
	$O build --pdf /dev/stdout '$A/book/b.xml' 2>/dev/null | head -c 5 | grep -q '^%PDF-'"
t "a full disk (a file size limit) leaves no partial or temporary file, keeps the outputs, exit 3" bash -c "$(declare -f same_outputs)
	(trap '' XFSZ; ulimit -f 64; $O build -o '$A/out' '$A/book/b.xml' 2> '$A/err'); rc=\$?; cat '$A/err'
	[ \$rc -eq 3 ] && grep -q 'cannot write $A/out/b.epub: .*File too large' '$A/err' &&
	A='$A' same_outputs"
t "a full disk while the PDF is written: exit 3, the message names the PDF" bash -c "$(declare -f same_outputs)
	(trap '' XFSZ; ulimit -f 40; $O build --pdf '$A/out/b.pdf' '$A/book/b.xml' 2> '$A/err'); rc=\$?; cat '$A/err'
	[ \$rc -eq 3 ] && grep -q '$A/out/b.pdf' '$A/err' && A='$A' same_outputs"
# a folder that cannot be written: root writes anywhere, so as root the build runs as nobody
asuser=()
if [ "$(id -u)" -eq 0 ]; then asuser=(setpriv --reuid=nobody --regid=nogroup --clear-groups); fi
mkdir -p "$A/ro"; chmod 555 "$A/ro"; chmod 755 "$D" "$A" "$A/book"
t "an output folder that cannot be written: exit 3, the message names the folder, nothing written" bash -c "
	${asuser[*]} $O build -o '$A/ro' '$A/book/b.xml' 2> '$A/err'; rc=\$?; cat '$A/err'
	[ \$rc -eq 3 ] && grep -q '^octavo: error: cannot write in the folder $A/ro: Permission denied' '$A/err' && [ -z \"\$(ls -A '$A/ro')\" ]"
t "an output folder that cannot be made (a file is in the way): exit 3" bash -c "
	$O build -o '$A/keep.pdf/sub' '$A/book/b.xml' 2> '$A/err'; rc=\$?; cat '$A/err'
	[ \$rc -eq 3 ] && grep -q 'cannot create the folder $A/keep.pdf/sub: Not a directory' '$A/err'"
t "an output that is a folder: exit 3" bash -c "
	$O build --pdf '$A/out' '$A/book/b.xml' 2> '$A/err'; rc=\$?; cat '$A/err'; [ \$rc -eq 3 ] && grep -q 'cannot write $A/out: Is a directory' '$A/err'"
t "an output that is the book itself is refused; the book is untouched" bash -c "
	cp '$A/book/b.xml' '$A/b.xml.keep'; $O build --pdf '$A/book/b.xml' '$A/book/b.xml' 2> '$A/err'; rc=\$?; cat '$A/err'
	[ \$rc -eq 3 ] && grep -q 'it is a file of the book' '$A/err' && cmp '$A/b.xml.keep' '$A/book/b.xml'"
t "a report, a layout or an output over the book, its theme or its image is refused; two outputs into one file (./x and x) are refused" bash -c "
	cp styles/brochure.theme '$A/book/t.theme'; cp '$A/book/b.xml' '$A/b.xml.keep'; cp '$A/book/t.theme' '$A/t.keep'
	for o in '--report $A/book/b.xml' '--layout $A/book/./b.xml' '--epub $A/book/t.theme' '--report $A/book/img/dot.png'; do
		$O build -t '$A/book/t.theme' --pdf '$A/r.pdf' \$o '$A/book/b.xml' 2> '$A/err'; rc=\$?
		[ \$rc -eq 3 ] && grep -q 'it is a file of the book' '$A/err' || { echo \"\$o: exit \$rc\"; cat '$A/err'; exit 1; }
	done
	cmp '$A/b.xml.keep' '$A/book/b.xml' && cmp '$A/t.keep' '$A/book/t.theme' && [ ! -e '$A/r.pdf' ] &&
	(cd '$A' && $(realpath $O) build --epub two.out --pdf ./two.out book/b.xml 2> err2); rc=\$?
	[ \$rc -eq 3 ] && grep -q 'cannot write two outputs to one file' '$A/err2' && [ ! -e '$A/two.out' ]"
t "a build stopped by SIGTERM leaves no temporary file and no folder it made; one whose device reader goes (SIGPIPE) leaves no temporary file" bash -c "
	python3 bench/gen.py 500 '$A/sig' > /dev/null && rm -rf '$A/sig/new' && mkdir -p '$A/tmp'
	$O build -q -o '$A/sig/new/out' '$A/sig/book-500.xml' & pid=\$!
	for i in \$(seq 1000); do ls -A '$A/sig/new/out' 2>/dev/null | grep -q . && break; sleep 0.01; done
	kill -TERM \$pid; wait \$pid; rc=\$?
	[ \$rc -eq 143 ] || { echo \"exit \$rc\"; exit 1; }
	[ ! -e '$A/sig/new' ] || { find '$A/sig/new'; exit 1; }
	TMPDIR='$A/tmp' $O build -q --pdf /dev/stdout '$A/sig/book-500.xml' | head -c 100 > /dev/null
	[ -z \"\$(ls -A '$A/tmp')\" ] || { ls -A '$A/tmp'; exit 1; }"
# the same at the earliest moment: a stop while the outputs' folders and temporary files are
# being made (a file made and not yet in the stop's list was left behind, 4 to 13 times in 60)
t "a build stopped by SIGTERM as its output folder appears leaves nothing behind, 40 times out of 40" bash -c "
	python3 bench/gen.py 100 '$A/race' > /dev/null || exit 1
	left=0
	for i in \$(seq 40); do
		rm -rf '$A/race/new'
		$O build -q -o '$A/race/new/out' --png '$A/race/new/png' '$A/race/book-100.xml' 2> /dev/null & pid=\$!
		until [ -e '$A/race/new' ] || ! kill -0 \$pid 2> /dev/null; do :; done
		[ \$((i % 2)) = 0 ] && sleep 0.001
		kill -TERM \$pid 2> /dev/null; wait \$pid
		[ -e '$A/race/new' ] && { left=\$((left + 1)); find '$A/race/new' | head -3; }
	done
	[ \$left -eq 0 ] || { echo \"\$left of 40 left something\"; exit 1; }"
t "an output through a symlink replaces the file it names and keeps the link" bash -c "
	cp '$A/keep.pdf' '$A/target.pdf'; ln -sf target.pdf '$A/link.pdf'
	$O build --pdf '$A/link.pdf' tests/docs/lists.xml 2>/dev/null && [ -L '$A/link.pdf' ] && ! cmp -s '$A/target.pdf' '$A/keep.pdf'"
chmod 755 "$A/ro"

# ---- 4. nothing outside the book's folder is read, the network is never used ----
# A canary folder beside the book; the book names it every way a book can name a file. An
# LD_PRELOAD library (tests/robust/watch.c) records every path octavo opens and refuses and
# records any IPv4/IPv6 socket, connection or name lookup.
C=$D/confine
mkdir -p "$C/secret" "$C/book/img"
echo "CANARY-TEXT-7f3a" > "$C/secret/canary.txt"
printf '<chapter xmlns="http://docbook.org/ns/docbook"><title>CANARY-XML-7f3a</title><para>x</para></chapter>\n' > "$C/secret/canary.xml"
cp tests/docs/img/dot.png "$C/secret/canary.png"
cp tests/docs/img/dot.png "$C/book/img/dot.png"
echo '<!ENTITY canary "CANARY-DTD-7f3a">' > "$C/secret/canary.dtd"
ln -sf ../secret/canary.xml "$C/book/link.xml"
ln -sf ../../secret/canary.png "$C/book/img/link.png"
ABS=$(cd "$C/secret" && pwd)
cat > "$C/book/read.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE book PUBLIC "-//OASIS//DTD DocBook XML V4.5//EN" "http://www.oasis-open.org/docbook/xml/4.5/docbookx.dtd" [
<!ENTITY rel SYSTEM "../secret/canary.txt">
<!ENTITY abs SYSTEM "file://$ABS/canary.txt">
<!ENTITY net SYSTEM "http://example.com/canary.txt">
<!ENTITY % dtd SYSTEM "../secret/canary.dtd">
%dtd;
]>
<book xmlns:xi="http://www.w3.org/2001/XInclude">
  <title>Hostile</title>
  <chapter><title>Reads</title>
    <para>&rel; &abs; &net;</para>
    <xi:include href="../secret/canary.xml"/>
    <xi:include href="$ABS/canary.xml"/>
    <xi:include href="link.xml"/>
    <xi:include href="http://example.com/canary.xml"/>
    <para><xi:include href="../secret/canary.txt" parse="text"/></para>
    <para><xi:include href="file://$ABS/canary.txt" parse="text"/></para>
  </chapter>
</book>
XML
cat > "$C/book/img/outside.svg" <<XML
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="20" height="20">
  <image xlink:href="../../secret/canary.png" width="10" height="10"/>
  <image href="file://$ABS/canary.png" width="10" height="10"/>
  <image href="http://example.com/canary.png" width="10" height="10"/>
</svg>
XML
cat > "$C/book/images.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<book xmlns="http://docbook.org/ns/docbook" version="5.0">
  <title>Hostile Images</title>
  <chapter><title>Pictures</title>
    <para>A good one: <inlinemediaobject><imageobject><imagedata fileref="img/dot.png"/></imageobject><textobject><phrase>dot</phrase></textobject></inlinemediaobject>.</para>
    <mediaobject><imageobject><imagedata fileref="../secret/canary.png"/></imageobject></mediaobject>
    <mediaobject><imageobject><imagedata fileref="$ABS/canary.png"/></imageobject></mediaobject>
    <mediaobject><imageobject><imagedata fileref="img/link.png"/></imageobject></mediaobject>
    <mediaobject><imageobject><imagedata fileref="http://example.com/canary.png"/></imageobject><textobject><phrase>remote</phrase></textobject></mediaobject>
    <mediaobject><imageobject><imagedata fileref="img/outside.svg"/></imageobject></mediaobject>
  </chapter>
</book>
XML
W=$D/watch.so
cc -shared -fPIC -o "$W" tests/robust/watch.c -ldl 2>"$D/watch.err" || cat "$D/watch.err"
watched() { # watched LOG COMMAND...: run with the watcher
	local log=$1; shift
	rm -f "$log"
	OCTAVO_WATCH_LOG=$log LD_PRELOAD=$W ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" "$@"
}
for cmd in "build -o $C/out $C/book/read.xml" "check $C/book/read.xml" "build -o $C/out $C/book/images.xml"; do
	name=$(echo "$cmd" | awk '{print $1 " " $NF}' | sed "s|$C/book/||")
	t "$name: every way out of the folder refused, no canary opened, no network" bash -c "
		$(declare -f watched); W='$W'; watched '$C/log' $O $cmd 2> '$C/err'; rc=\$?
		cat '$C/err'
		[ \$rc -eq 1 ] || { echo \"exit \$rc\"; exit 1; }
		grep -q '^open .*$(basename "${cmd##* }")\$' '$C/log' || { echo 'the watcher saw nothing: not a valid test'; exit 1; }
		! grep '/secret/\|^net' '$C/log' && ! grep -rq 'CANARY-' '$C/err' && [ ! -e '$C/out' ]"
done
t "read.xml: each refusal is reported at its place" bash -c "
	$O build -o '$C/out' '$C/book/read.xml' 2> '$C/err'
	for l in 12 13 14 15 16 17 18; do grep -q \"read.xml:\$l:[0-9]*: error:\" '$C/err' || { echo \"nothing at line \$l\"; cat '$C/err'; exit 1; }; done"
t "images.xml: each refusal is reported at its place; the remote image is a warning" bash -c "
	$O build -o '$C/out' '$C/book/images.xml' 2> '$C/err'
	for l in 6 7 8; do grep -q \"images.xml:\$l:[0-9]*: error: image .*outside the book's folder\" '$C/err' || { echo \"line \$l\"; cat '$C/err'; exit 1; }; done
	grep -q 'images.xml:9:[0-9]*: warning: image \"http://example.com/canary.png\" is remote and is not fetched' '$C/err' &&
	grep -q 'images.xml:10:[0-9]*: error: image \"img/outside.svg\": it refers to \"../../secret/canary.png\" outside itself' '$C/err'"

# ---- 5. reproducible: two builds in different folders, at different times, are identical ----
R=$D/repro
mkdir -p "$R/one" "$R/a/much/deeper/folder"
cp -r tests/docs "$R/one/"; cp -r tests/docs "$R/a/much/deeper/folder/"
t "figures and includes: EPUB and PDF byte-identical across folders, times, zones and locales" bash -c "
	$O build -o '$R/out1' '$R/one/docs/figures.xml' 2>/dev/null && $O build -o '$R/out1' '$R/one/docs/xinclude.xml' 2>/dev/null &&
	sleep 1 &&
	(cd '$R/a/much/deeper/folder/docs' && TZ=Pacific/Kiritimati LC_ALL=C.UTF-8 '$PWD/$O' build -o ../../out2 figures.xml 2>/dev/null &&
	 TZ=America/Los_Angeles '$PWD/$O' build -o ../../out2 xinclude.xml 2>/dev/null) &&
	for f in figures.epub figures.pdf xinclude.epub xinclude.pdf; do cmp '$R/out1/'\$f '$R/a/much/deeper/out2/'\$f || exit 1; done"

# ---- 6. special files never hang a build ----
F=$D/fifo
mkdir -p "$F"; rm -f "$F/pipe"; mkfifo "$F/pipe"
cat > "$F/book.xml" <<'XML'
<?xml version="1.0"?>
<book xmlns="http://docbook.org/ns/docbook" xmlns:xi="http://www.w3.org/2001/XInclude" version="5.0">
  <title>Pipes</title>
  <chapter><title>C</title>
    <para><xi:include href="pipe" parse="text"/></para>
    <xi:include href="pipe"/>
  </chapter>
</book>
XML
sed 's|<para><xi:include href="pipe" parse="text"/></para>|<mediaobject><imageobject><imagedata fileref="pipe"/></imageobject></mediaobject>|; /<xi:include href="pipe"\/>/d' "$F/book.xml" > "$F/image.xml"
t "a FIFO named as an XInclude is an error at its place, not a wait forever" bash -c "
	timeout $((30 * SLOW)) $O build -o '$F/out' '$F/book.xml' 2> '$F/err'; rc=\$?; cat '$F/err'
	[ \$rc -eq 1 ] && grep -q 'book.xml:5:[0-9]*: error: cannot read XInclude \"pipe\": it is not a plain file' '$F/err' &&
	grep -q 'book.xml:6:[0-9]*: error: cannot read XInclude \"pipe\": it is not a plain file' '$F/err'"
t "a FIFO named as an image is an error at its place" bash -c "
	timeout $((30 * SLOW)) $O build -o '$F/out' '$F/image.xml' 2> '$F/err'; rc=\$?; cat '$F/err'
	[ \$rc -eq 1 ] && grep -q 'image.xml:5:[0-9]*: error: image \"pipe\" is not a plain file' '$F/err' && [ ! -e '$F/out' ]"
