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

# ---- 2. a word that holds a hyphen is not hyphenated by the patterns ----
# The layout writes a line as  line X Y "text"  with a - after it when the line ends in a
# hyphen octavo added. A word between spaces: after the line's last space (or its quote).
$O build -q --pdf "$D/hyph.pdf" --layout "$D/hyph.layout" "$T/hyph.xml" 2> "$D/hyph.err"
check "no word that holds a hyphen (U+002D, U+2010, U+2011) is hyphenated by the patterns (\"Non-break-\" / \"ing\")" \
	bash -c "! grep -P '[ \"][^ \"]*[-\x{2010}\x{2011}][^ \"]*[^\x{00AD}]\"-\$' '$D/hyph.layout'"
check "such a word still breaks after its own hyphen (\"Non-\" / \"breaking\")" \
	grep -q -- '-"$' "$D/hyph.layout"
check "words without a hyphen are still hyphenated" \
	grep -q -P '[ "][^ "\x{00AD}-]+"-$' "$D/hyph.layout"
# (words.py is not run on it: it reads U+00AD in the model as a gap between words)
$O build -q --pdf "$D/shy.pdf" --layout "$D/shy.layout" "$T/shy.xml" 2> "$D/shy.err"
check "an author's soft hyphen in a word that holds a hyphen still breaks it (Non-break&#173;ing)" \
	grep -q -P 'Non-break\x{00AD}"-$' "$D/shy.layout"
check "hyph.xml: no word lost (words.py)" python3 tests/words.py "$O" "$T/hyph.xml" pdf "$D/hyph.pdf"
