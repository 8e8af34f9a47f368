#!/bin/bash
# Real reading systems (issue 9), beyond the validators: MuPDF lays out and renders each EPUB
# (every chapter there, the model's words in order, images drawn); poppler (pdftoppm), MuPDF
# (mutool draw) and qpdf open each PDF without a warning. Books: the brochure, the figures test
# document (PNG, JPEG and SVG images), a Markdown book through pandoc, and the book `octavo new`
# makes. calibre, too heavy for make check, is in `make check-readers` (tests/readers-calibre.sh).
# Run by tests/run.sh with OCTAVO and OUT set; prints "ok - ..." / "not ok - ..." lines.
set -u
OCTAVO=${OCTAVO:-./octavo}
OUT=${OUT:-tests/out}
D=$(realpath -m "$OUT/readers")
O=$(realpath "$OCTAVO")
PY=$(command -v /usr/bin/python3 || command -v python3)
export SOURCE_DATE_EPOCH=1700000000
rm -rf "$D"
mkdir -p "$D"

PREFIX="readers: "
. tests/lib.sh

# the books: NAME SOURCE [RRGGBB colours of its images, which no theme uses]
"$O" new "$D/new-book" > /dev/null
if command -v pandoc > /dev/null; then
	cp -r tests/pandoc/field-notes.md tests/pandoc/img "$D/"
	(cd "$D" && pandoc -s -t docbook5 --top-level-division=chapter field-notes.md -o field-notes.xml)
else
	notok "pandoc is not installed (make deps)"
fi
books="brochure:book/international-commitment.xml: figures:tests/docs/figures.xml:c81e1e,f0d020,2050c0
	field-notes:$D/field-notes.xml:d0101a new-book:$D/new-book/new-book.xml:"
for b in $books; do
	IFS=: read -r bk src colors <<< "$b"
	[ -f "$src" ] || continue
	E=$D/$bk.epub
	P=$D/$bk.pdf
	check "$bk: builds" bash -c "'$O' build --epub '$E' --pdf '$P' '$src' 2>/dev/null"
	# shellcheck disable=SC2086
	check "$bk: MuPDF renders the EPUB: every chapter, every word in order${colors:+, its images}, no warning" \
		"$PY" tests/readers.py mupdf-epub "$O" "$src" "$E" "$D/mupdf-$bk" ${colors//,/ }
	poppler() {
		local pages
		pages=$(pdfinfo "$P" | sed -n 's/^Pages: *//p')
		pdftoppm -r 24 -png "$P" "$D/pp-$bk" 2> "$D/pp-$bk.err" || return 1
		[ ! -s "$D/pp-$bk.err" ] || { cat "$D/pp-$bk.err"; return 1; }
		[ "$(ls "$D"/pp-"$bk"-*.png | wc -l)" -eq "$pages" ] || { echo "not $pages pages"; return 1; }
		"$PY" tests/pngink.py "$D"/pp-"$bk"-*.png
	}
	check "$bk: poppler (pdftoppm) draws every page of the PDF, none blank, no warning" poppler
	mupdf() {
		# (Debian's mutool says "ICC support is not available" of any file: not about ours)
		mutool draw -q -r 24 -o "$D/mu-$bk-%d.png" "$P" 2>&1 | grep -v '^warning: ICC support is not available$' > "$D/mu-$bk.err"
		[ ! -s "$D/mu-$bk.err" ] || { cat "$D/mu-$bk.err"; return 1; }
		[ "$(ls "$D"/mu-"$bk"-*.png | wc -l)" -eq "$(pdfinfo "$P" | sed -n 's/^Pages: *//p')" ]
	}
	check "$bk: MuPDF (mutool draw) draws every page of the PDF, no warning" mupdf
	check "$bk: qpdf --check: no error, no warning" bash -c "qpdf --check '$P' > '$D/qpdf-$bk.log' 2>&1 &&
		grep -q '^No syntax or stream encoding errors found' '$D/qpdf-$bk.log' && ! grep -qi 'warning' '$D/qpdf-$bk.log' || { cat '$D/qpdf-$bk.log'; exit 1; }"
done
