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
