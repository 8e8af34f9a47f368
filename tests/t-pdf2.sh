#!/bin/bash
# The PDF's links and destinations, and input that Cairo or the typesetting took badly: each
# check here failed before the fix it came with. Run by tests/run.sh with OCTAVO and OUT set;
# prints one "ok - pdf2: ..." or "not ok - pdf2: ..." line per check, "# ..." lines to explain
# a failure. Needs qpdf, pdftotext and python3 (standard library only).
set -u
OCTAVO=${OCTAVO:-./octavo}
OUT=${OUT:-tests/out}
D=$OUT/pdf2
PY=$(command -v /usr/bin/python3 || command -v python3)
CK="$PY tests/pdf2/check.py"
export SOURCE_DATE_EPOCH=1700000000
rm -rf "$D"
mkdir -p "$D"

PREFIX="pdf2: "
. tests/lib.sh

# ---- footnote destinations: at the top of their own note's first line, once the page's note
# area is final (a later note on the page raises it), on the page where the line is (a note
# carried on to the next page), in every theme (book: facing pages, spread evening) ----
note_dests() {
	local pdf=$1 bad=0
	for x in fn1:Alpha fn2:Bravo fn5:Echo fn7:Golf fn10:Juliet fnlong:Kilo fnp3:Zulu fnanc:Yankee; do
		$CK dest "$pdf" "${x%%:*}" "${x#*:}" || bad=1
	done
	return $bad
}
for th in brochure handout book; do
	$OCTAVO build -q -t $th --pdf "$D/notes-$th.pdf" tests/pdf2/notes.xml 2> "$D/notes-$th.err"
	check "$th: every footnote's destination (and a note's paragraph's, an anchor's in a note) is at the top of its own line" \
		note_dests "$D/notes-$th.pdf"
done

# ---- a link to any element with an id is a PDF link: a variable list's entry, a glossary's
# entry (and the glossary's See and See also), a table row (CALS and HTML), a title with an id
# of its own, a paragraph in a footnote; each destination where the target's words start ----
$OCTAVO build -q --pdf "$D/targets.pdf" tests/pdf2/targets.xml 2> "$D/targets.err"
all_links() {
	local bad=0
	for n in vle li tr td bq note1 prog fnpara phr mo ge ge2 gt bib1 il ttl sl vl em tr2 htr; do
		$CK link "$D/targets.pdf" $n || bad=1
	done
	$CK nodest "$D/targets.pdf" || bad=1
	return $bad
}
check "a link to each of 21 kinds of target is a link, to a named destination" all_links
target_places() {
	local bad=0
	for x in tr2:Rowword htr:Htmlword ttl:Titled vle:Term ge:Gterm ge2:Hterm fnpara:Note; do
		$CK dest "$D/targets.pdf" "${x%%:*}" "${x#*:}" || bad=1
	done
	return $bad
}
check "a row's, a title's, a list or glossary entry's and a note paragraph's destination is where its words start" target_places

# ---- ids (DocBook 4: any characters) and URLs with "(", ")" or "\": Cairo writes names and
# URIs into the PDF as they are, so they were a failed build, a corrupt PDF or a changed URI.
# URIs are percent-encoded, names made safe the same way for links, destinations, outline ----
$OCTAVO build -q --pdf "$D/parens.pdf" tests/pdf2/parens.xml 2> "$D/parens.err"
check "ids and URLs with parentheses and backslashes: the PDF is made, and qpdf --check passes it" \
	bash -c "[ -s '$D/parens.pdf' ] && qpdf --check '$D/parens.pdf'"
paren_links() {
	local bad=0
	for x in tolinkone:Alpha tolinktwo:Bravo tolinkthree:Charlie; do
		$CK linkto "$D/parens.pdf" "${x%%:*}" "${x#*:}" || bad=1
	done
	$CK nodest "$D/parens.pdf" || bad=1
	$PY tests/pdfcheck.py outline "$D/parens.pdf" 2 || bad=1
	return $bad
}
check "links to ids with parentheses and backslashes land on their targets; the outline's entries on their chapters" paren_links
paren_uris() {
	local bad=0
	for u in 'https://example.com/smile:%29' 'https://en.wikipedia.org/wiki/Foo_%28bar' 'https://example.com/x%29%28' \
		'https://example.com/C:%5Cnew%5Ctable' 'https://en.wikipedia.org/wiki/Foo_(bar)'; do
		$CK uri "$D/parens.pdf" "$u" || bad=1
	done
	return $bad
}
check "URLs with parentheses and backslashes: the links' URIs are the URLs, percent-encoded (balanced parentheses kept)" paren_uris

# ---- a part whose title is only white space: its page is its own in the page map (not the
# next chapter's), so "page N" names it and the EPUB's page marker stands in its file ----
part_page() {
	local t=$1 lab
	$OCTAVO build -q -t $t -o "$D/part-$t" tests/pdf2/untitled-part.xml || return 1
	$CK pageref "$D/part-$t/untitled-part.pdf" p2 "See Part II on page" || return 1
	lab=$($CK label "$D/part-$t/untitled-part.pdf" p2) || return 1
	unzip -p "$D/part-$t/untitled-part.epub" OEBPS/part-2.xhtml | grep -q "id=\"page-$lab\"" ||
		{ echo "no page-$lab marker in part-2.xhtml"; return 1; }
}
for t in brochure book; do
	check "$t: an untitled part's page: \"See Part II on page N\" names it, and its EPUB marker is in the part's file" part_page $t
done

# ---- noncharacters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF: legal XML) in the text, a title (the
# outline, the running header, the cover), the metadata, a URL and a DocBook 4 id: Cairo takes
# none, and the whole PDF was lost as an internal failure ----
nonchar_pdf() {
	local b=$1
	$OCTAVO build -q --pdf "$D/$b.pdf" tests/pdf2/$b.xml || return 1
	qpdf --check "$D/$b.pdf" > /dev/null || { qpdf --check "$D/$b.pdf" | tail -5; return 1; }
}
check "noncharacters in the text, titles, metadata and a URL: the PDF is made, and qpdf --check passes it" nonchar_pdf nonchar
check "noncharacters: every word of the book is in the PDF" \
	$PY tests/words.py "$OCTAVO" tests/pdf2/nonchar.xml pdf "$D/nonchar.pdf"
check "noncharacters: the links land (an id with one, DocBook 4), the URL's is percent-encoded" bash -c "
	$CK linkto '$D/nonchar.pdf' tolink Foxtrot && $CK uri '$D/nonchar.pdf' 'https://example.com/%EF%B7%90x' &&
	$OCTAVO build -q --pdf '$D/nonchar4.pdf' tests/pdf2/nonchar4.xml && qpdf --check '$D/nonchar4.pdf' > /dev/null &&
	$CK linkto '$D/nonchar4.pdf' tolink Golf && $CK nodest '$D/nonchar4.pdf'"
# the EPUB's drawn cover showed each noncharacter as a box of hex digits; now U+FFFD, as the PDF
nonchar_cover() {
	perl -pe 's/&#x(FD[D-E][0-9A-F]|[0-9A-F]*FFF[EF]);/&#xFFFD;/gi' tests/pdf2/nonchar.xml > "$D/nonchar-fffd.xml"
	! cmp -s tests/pdf2/nonchar.xml "$D/nonchar-fffd.xml" || { echo "no noncharacter replaced"; return 1; }
	for b in nonchar nonchar-fffd; do
		$OCTAVO build -q --epub "$D/$b.epub" "$([ $b = nonchar ] && echo tests/pdf2/nonchar.xml || echo "$D/$b.xml")" &&
			unzip -p "$D/$b.epub" OEBPS/images/cover.png > "$D/$b-cover.png" || return 1
	done
	[ -s "$D/nonchar-cover.png" ] && cmp "$D/nonchar-cover.png" "$D/nonchar-fffd-cover.png"
}
check "noncharacters: the EPUB's cover shows U+FFFD for each, as the PDF does" nonchar_cover

# ---- a word over many pages (a 300,000-letter listing line) is walked once for the page map,
# not once a page (quadratic: 14 s of CPU before, under 1 s after) ----
$PY -c "print('<?xml version=\"1.0\"?><book xmlns=\"http://docbook.org/ns/docbook\" version=\"5.0\"><title>W</title>'
	'<chapter><title>C</title><para>before</para><programlisting>' + 'a' * 300000 + '</programlisting>'
	'<para>after1.</para></chapter></book>')" > "$D/longword.xml"
long_word() {
	local t
	TIMEFORMAT=%U
	t=$( { time OCTAVO_THREADS=1 $OCTAVO build -q --pdf "$D/longword.pdf" "$D/longword.xml" 2> /dev/null; } 2>&1 ) || return 1
	echo "user time: $t s"
	awk -v t="$t" 'BEGIN { exit !(t < 4) }' || return 1
	[ "$(pdftotext "$D/longword.pdf" - | tr -cd a | wc -c)" -ge 300000 ] || { echo "letters lost"; return 1; }
}
check "a 300,000-letter word over many pages is set in linear time (under 4 s of CPU), every letter kept" long_word

# ---- language tags in any case (BCP 47): xml:lang="DE" and "DE-de" find the German patterns ----
lang_case() {
	local lang=$1
	sed "s/xml:lang=\"de\"/xml:lang=\"$lang\"/" tests/pdf2/hyph-de.xml > "$D/hyph-$lang.xml"
	$OCTAVO build --pdf "$D/hyph-$lang.pdf" --layout "$D/hyph-$lang.layout" "$D/hyph-$lang.xml" 2> "$D/hyph-$lang.err" || return 1
	! grep -q "no hyphenation patterns" "$D/hyph-$lang.err" || { cat "$D/hyph-$lang.err"; return 1; }
	grep -q '^  line .*"-$' "$D/hyph-$lang.layout" || { echo "no line ends hyphenated"; return 1; }
}
for lang in DE DE-de; do
	check "xml:lang=\"$lang\": the German patterns hyphenate the text, with no warning" lang_case $lang
done

# ---- a right-to-left title in the printed contents (tests/docs/lang.xml, chapter 3 in Arabic):
# set where the other entries start, its leaders after it (they were drawn over it, and the
# text layer read "ة.ي.رب.ع.ال. ة..."), its words whole in the text layer ----
rtl_toc() {
	$OCTAVO build -q --pdf "$D/lang.pdf" --layout "$D/lang.layout" tests/docs/lang.xml || return 1
	pdftotext -f 4 -l 4 "$D/lang.pdf" - | grep -q 'فصل باللغة العربية' || { pdftotext -f 4 -l 4 "$D/lang.pdf" - | tr '\f' '\n'; return 1; }
	$PY - "$D/lang.layout" <<'PYEOF'
import re, sys
page = re.search(r'^page 4 .*?(?=^page 5 )', open(sys.argv[1], encoding='utf-8').read(), re.M | re.S).group(0)
lines = [(float(x), t) for x, t in re.findall(r'^  line ([\d.]+) [\d.]+ "(.*)"', page, re.M)]
nb = next(x for x, t in lines if t.startswith('Et kapittel'))
ar, dots = [(x, t) for x, t in lines if 'العربية' in t][0], None
i = lines.index(ar)
dots = next(x for x, t in lines[i:] if t.startswith('. .'))
if abs(ar[0] - nb) > 0.5 or dots < ar[0] + 40:
    sys.exit(f'Arabic entry at x={ar[0]} (others at {nb}), its leaders from x={dots}')
PYEOF
}
check "a right-to-left title in the contents starts where the others do, its leaders after it, its words whole" rtl_toc

# ---- a table whose columns are narrower than a character overprints its cells: a warning at
# the table says so (and none for a table of 12 columns that fit) ----
narrow_cols() {
	$OCTAVO build --pdf "$D/cols40.pdf" tests/pdf2/table-cols40.xml 2> "$D/cols40.err" || return 1
	grep -q '^tests/pdf2/table-cols40.xml:4:1: warning: 40 of the table.s 40 columns are narrower than a character' "$D/cols40.err" ||
		{ cat "$D/cols40.err"; return 1; }
	$OCTAVO build --pdf "$D/cols12.pdf" tests/pdf2/table-cols12.xml 2> "$D/cols12.err" || return 1
	! grep -q 'narrower than a character' "$D/cols12.err" || { cat "$D/cols12.err"; return 1; }
}
check "a table with columns narrower than a character: a warning at the table (none when they fit)" narrow_cols

# ---- each Figure element's /Alt is its own picture's alt text (read from the element as the
# drawing begins it): an inline picture, figures, a picture in a footnote drawn after them ----
alts() {
	$OCTAVO build -q -t $1 --pdf "$D/alts-$1.pdf" tests/pdf2/alts.xml || return 1
	qpdf --json --json-key=qpdf "$D/alts-$1.pdf" | $PY -c "
import json, sys
objs = json.load(sys.stdin)['qpdf'][1]
alts = [v['value'].get('/Alt') for v in objs.values()
        if isinstance(v, dict) and isinstance(v.get('value'), dict) and v['value'].get('/S') == '/Figure']
want = ['u:Inline alt', 'u:First figure alt', 'u:Second figure alt', 'u:Note picture alt']
sys.exit(0 if alts == want else f'Figure /Alt: {alts}')"
}
for t in brochure book; do
	check "$t: each Figure element's /Alt is its own picture's alt text" alts $t
done

# ---- one set of names: resolve names every place the book gives no usable id for, and both
# outputs use its names, so every link of the EPUB into the book names a destination of the
# PDF (footnotes were fn-N in one and ov-N in the other; a paragraph in a table cell, a note
# on the title page had no destination in the PDF, and links to them were dropped) ----
one_set() {
	local bad=0 f b
	for f in tests/pdf2/targets-blocks.xml tests/pdf2/parens.xml tests/pdf/front-notes.xml tests/pdf/tall-row-notes.xml \
		tests/docs/footnotes.xml tests/docs/article.xml tests/docs/labels.xml tests/docs/gentext-de.xml \
		tests/docs/index-sortas.xml tests/docs/partintro-notes.xml; do
		b=$D/names-$(basename "$f" .xml)
		$OCTAVO build -q --pdf "$b.pdf" --epub "$b.epub" "$f" 2>/dev/null || { echo "# $f: build failed"; bad=1; continue; }
		$PY tests/pdfcheck.py names "$b.pdf" "$b.epub" | sed "s|^|# $f: |" | grep -v ' checked against ' ; [ "${PIPESTATUS[0]}" = 0 ] || bad=1
	done
	return $bad
}
check "every link of the EPUB into the book names a destination of the PDF, and every PDF link one it has" one_set
links_land() {
	$PY tests/pdfcheck.py links "$D/names-targets-blocks.pdf" | grep -q '^8 internal links checked'
}
check "links to paragraphs in table cells and nested tables, and note calls on the title page, are PDF links" links_land
