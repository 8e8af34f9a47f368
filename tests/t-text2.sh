#!/bin/bash
# The PDF's text and how it sets some words and paragraphs: a tab in a listing is white space
# in the text layer (what is copied from the PDF); a word that holds a hyphen is not hyphenated
# by the patterns; entries (bibliography, glossary, index, questions) are set alike, none of
# them indented as a paragraph after a paragraph, in the PDF as in the EPUB. Inputs in
# tests/text2/. Run by tests/run.sh with OCTAVO and OUT set; prints ok / not ok lines.
set -u
O=$(realpath "${OCTAVO:-./octavo}")
D=$(realpath -m "${OUT:-tests/out}/text2")
rm -rf "$D"; mkdir -p "$D"
export SOURCE_DATE_EPOCH=1700000000
# the hyphenation cache of this run alone: a word cached by an older build must not hide a change
export XDG_CACHE_HOME="$D/cache"
T=tests/text2

PREFIX="text2: "
. tests/lib.sh

# last_page PDF: the number of its last page
last_page() { pdfinfo "$1" | awk '/^Pages:/ { print $2 }'; }

# ---- 1. a tab in a listing is white space in the text layer ----
$O build -q -o "$D/tab" "$T/tab.xml" 2> "$D/tab.err"
P=$D/tab/tab.pdf
N=$(last_page "$P" 2>/dev/null || echo 1)
mutool draw -F txt -o "$D/tab.mutool" "$P" "$N" 2>/dev/null
pdftotext -layout -f "$N" -l "$N" "$P" "$D/tab.layout.txt" 2>/dev/null
# a line of the text: white space where each tab was, on one line with what follows
check "a tab in a programlisting is white space in the text layer (mutool): the line keeps its indent and its gap" \
	grep -E '^[[:space:]]+cc -o x x\.c[[:space:]]+# build$' "$D/tab.mutool"
check "a tab in a screen is white space in the text layer (mutool)" \
	grep -E '^[[:space:]]+done$' "$D/tab.mutool"
check "the tab is written as a tab (ActualText U+0009 over its spaces)" \
	bash -c "qpdf --qdf --object-streams=disable '$P' '$D/tab.qdf' && grep -a -q 'ActualText <feff0009>' '$D/tab.qdf'"
check "pdftotext -layout keeps the listing's line whole, with white space for its tabs" \
	grep -E '^[[:space:]]+cc -o x x\.c[[:space:]]+# build$' "$D/tab.layout.txt"
