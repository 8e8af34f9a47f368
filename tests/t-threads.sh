#!/bin/bash
# Both outputs on two cores (issue 8): the EPUB is written in a second thread while the PDF is
# drawn; the PDF's pages are drawn in another as they are set; the EPUB's cover is drawn in one
# while its pages are written, and its entries are deflated by a pool. Every output file, every
# message and the exit status must be those of a build in one thread (OCTAVO_THREADS=1);
# OCTAVO_THREADS=2 uses the threads even on one processor.
# Run by tests/run.sh from the top of the tree with OCTAVO and OUT set.
set -u
OCTAVO=${OCTAVO:-./octavo}
OUT=${OUT:-tests/out}
D=$OUT/threads
export SOURCE_DATE_EPOCH=1700000000
rm -rf "$D"
mkdir -p "$D"

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
check() {
	local name=$1 log
	shift
	if log=$("$@" 2>&1); then
		ok "$name"
	else
		notok "$name"
		printf '%s\n' "$log" | sed '/^$/d; s/^/#   /' | head -25
	fi
}

# same SRC [OPTIONS...]: build SRC in one thread and in two (both outputs, then each alone,
# then the EPUB alone without the print pages); the files, the messages and the exit status
# must not differ.
same() {
	local src=$1 name out rc1 rc2
	shift
	name=$(basename "$src" .xml)
	for outs in both epub pdf np; do
		for n in 1 2; do
			out=$D/$name-$outs-$n
			mkdir -p "$out"
			case $outs in
			both) OCTAVO_THREADS=$n "$OCTAVO" build "$@" -o "$out" "$src" 2> "$out.err" ;;
			epub) OCTAVO_THREADS=$n "$OCTAVO" build "$@" --epub "$out/$name.epub" "$src" 2> "$out.err" ;;
			pdf) OCTAVO_THREADS=$n "$OCTAVO" build "$@" --pdf "$out/$name.pdf" "$src" 2> "$out.err" ;;
			np) OCTAVO_THREADS=$n "$OCTAVO" build "$@" --no-print-pages --epub "$out/$name.epub" "$src" 2> "$out.err" ;;
			esac
			echo $? > "$out.rc"
		done
		diff "$D/$name-$outs-1.rc" "$D/$name-$outs-2.rc" || return 1
		diff -u "$D/$name-$outs-1.err" "$D/$name-$outs-2.err" || return 1
		diff -r "$D/$name-$outs-1" "$D/$name-$outs-2" || return 1
	done
}

check "threads: the brochure: the same EPUB, PDF and messages in one thread and in two" same book/international-commitment.xml
for doc in tests/docs/lang.xml tests/docs/figures.xml tests/docs/footnotes.xml tests/docs/info.xml; do
	check "threads: $(basename "$doc"): the same outputs and messages in one thread and in two" same "$doc"
done
check "threads: --strict with warnings: the same failure, messages and (no) outputs" same tests/bad/unknown-element.xml --strict
for bad in tests/bad/dangling-xref.xml tests/bad/duplicate-id.xml; do
	check "threads: $(basename "$bad"): the same errors and exit status" same "$bad"
done
# warnings from both back ends, in an order the merge must keep: a remote image (met by both),
# a remote cover image (the EPUB draws a cover instead), characters in no bundled font (PDF)
cat > "$D/warn.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<book xmlns="http://docbook.org/ns/docbook" version="5.0" xml:lang="en">
  <info><title>Warnings from both sides</title><author><personname>A. Writer</personname></author>
    <cover><mediaobject><imageobject><imagedata fileref="https://example.org/cover.png"/></imageobject></mediaobject></cover></info>
  <chapter><title>One</title>
    <para>A remote figure: <inlinemediaobject><imageobject><imagedata fileref="http://example.org/a.png"/></imageobject></inlinemediaobject>.</para>
    <para>Rare characters: &#x1F600; &#x10900; and an <frobnicate>unknown</frobnicate> element.</para>
  </chapter>
  <chapter><title>Two</title><para>Another remote one: <inlinemediaobject><imageobject><imagedata fileref="http://example.org/b.png"/></imageobject></inlinemediaobject>.</para></chapter>
</book>
XML
check "threads: warnings from both back ends: the same messages in the same order" same "$D/warn.xml"
check "threads: a theme with a cover colour and a handout: the same outputs" same book/international-commitment.xml -t handout
# the body's pages drawn in a third thread while the layout goes on (pdf.c's drawer): a long
# generated book (tables whose header rows repeat, notes carried over, code and ruled blocks
# across pages, figures, an index), with facing pages (spreads evened before they are drawn)
# and without; and a book whose "page N" references need a second pass (drawn as it is set)
python3 bench/gen.py 40 "$D/gen" > /dev/null
check "threads: a generated book of 40 pages: pages drawn as they are set, the same outputs" same "$D/gen/book-40.xml"
check "threads: the same book with facing pages: the same outputs" same "$D/gen/book-40.xml" -t book
check "threads: a book of page references (two passes): the same outputs" same tests/docs/xrefs.xml -t book
# paragraphs shaped ahead by a second thread while the EPUB's pages are set (text.c): what
# the flow sets of them (body text, code, terms, headings, table cells, footnotes, a list in a
# footnote, a formal paragraph's first, a paragraph with an inline image, which is not shaped
# ahead) must be what it would set alone
for doc in tests/docs/tables-cals.xml tests/docs/tables-html.xml tests/docs/lists.xml tests/docs/verbatim.xml \
	tests/docs/inlines.xml tests/docs/divisions.xml; do
	check "threads: $(basename "$doc"): the same outputs and messages in one thread and in two" same "$doc"
done
cat > "$D/ahead.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<book xmlns="http://docbook.org/ns/docbook" version="5.0" xml:lang="en">
  <info><title>Shaped ahead</title></info>
  <chapter><title>One</title>
    <para>Body text with a note<footnote><para>A note.</para><itemizedlist><listitem><para>A list in it.</para></listitem></itemizedlist></footnote> and an icon <inlinemediaobject><imageobject><imagedata fileref="img/dot.png"/></imageobject><textobject><phrase>a dot</phrase></textobject></inlinemediaobject> in it.</para>
    <section><title>A numbered section</title>
      <formalpara><title>Run in</title><para>The formal paragraph's first paragraph, set with its title.</para></formalpara>
      <variablelist><varlistentry><term>A term<footnote><para>Its note.</para></footnote></term><listitem><para>Its definition.</para></listitem></varlistentry></variablelist>
      <programlisting>code, never hyphenated</programlisting>
      <literallayout>a literal
layout</literallayout>
      <informaltable><tgroup cols="2"><thead><row><entry>Head</entry><entry>Second head</entry></row></thead>
        <tbody><row><entry><para>A cell whose width is measured</para><para>and a second paragraph<footnote><para>A note in a cell.</para></footnote></para></entry><entry>short</entry></row></tbody></tgroup></informaltable>
    </section>
  </chapter>
</book>
XML
cp -r tests/docs/img "$D/" 2>/dev/null
check "threads: every kind of paragraph shaped ahead: the same outputs and messages in one thread and in two" same "$D/ahead.xml"
# and the second thread did shape them: -v counts the paragraphs it shaped
shaped_ahead() {
	local n
	OCTAVO_THREADS=2 "$OCTAVO" build -v --epub "$D/ahead-v.epub" "$D/gen/book-40.xml" 2> "$D/ahead-v.err" || return 1
	n=$(sed -n 's/.*typeset pass 1:.* \([0-9]*\) paragraphs shaped (\([0-9]*\) of them ahead.*/\2/p' "$D/ahead-v.err")
	[ -n "$n" ] && [ "$n" -gt 0 ] || { cat "$D/ahead-v.err"; return 1; }
	OCTAVO_THREADS=1 "$OCTAVO" build -v --epub "$D/ahead-1.epub" "$D/gen/book-40.xml" 2> "$D/ahead-1.err" || return 1
	! grep -q "of them ahead" "$D/ahead-1.err" || { cat "$D/ahead-1.err"; return 1; }
	# not beside the drawer: a PDF drawn as it is set is shaped by the layout alone
	OCTAVO_THREADS=2 "$OCTAVO" build -v --pdf "$D/ahead-v.pdf" "$D/gen/book-40.xml" 2> "$D/ahead-p.err" || return 1
	! grep -q "of them ahead" "$D/ahead-p.err" || { cat "$D/ahead-p.err"; return 1; }
}
check "threads: the EPUB's pages are set with paragraphs shaped ahead in a second thread (-v counts them); not in one thread" shaped_ahead
