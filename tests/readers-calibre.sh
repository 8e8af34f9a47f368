#!/bin/bash
# make check-readers: calibre (Debian's, hundreds of MB with Qt, so not in make check) reads the
# EPUBs of the brochure, every test document, a Markdown book through pandoc and the book
# `octavo new` makes. For each, ebook-convert EPUB -> TXT must keep every chapter and every word
# of the model in order, and EPUB -> HTMLZ every image with its alt text. Prints TAP lines and
# "N passed, N failed"; exit 1 when anything failed.
set -u
cd "$(dirname "$0")/.."
O=$(realpath "${OCTAVO:-./octavo}")
D=$(realpath -m "${OUT:-tests/out}/calibre")
PY=$(command -v /usr/bin/python3 || command -v python3)
export SOURCE_DATE_EPOCH=1700000000
rm -rf "$D"
mkdir -p "$D"
pass=0
fail=0
check() {
	local name=$1
	shift
	if "$@" > "$D/check.log" 2>&1; then
		pass=$((pass + 1))
		echo "ok - calibre: $name"
	else
		fail=$((fail + 1))
		echo "not ok - calibre: $name"
		sed '/^$/d; s/^/#   /' "$D/check.log" | head -20
	fi
}

command -v ebook-convert > /dev/null || { echo "not ok - calibre: ebook-convert is not installed (make check-readers installs calibre)"; echo "0 passed, 1 failed"; exit 1; }
echo "# $(ebook-convert --version 2>/dev/null | sed -n 1p)"

"$O" new "$D/new-book" > /dev/null
srcs="book/international-commitment.xml $D/new-book/new-book.xml"
if command -v pandoc > /dev/null; then
	cp -r tests/pandoc/field-notes.md tests/pandoc/img "$D/"
	(cd "$D" && pandoc -s -t docbook5 --top-level-division=chapter field-notes.md -o field-notes.xml) && srcs="$srcs $D/field-notes.xml"
fi
for src in tests/docs/*.xml; do
	grep -q '<book\|<article' "$src" && srcs="$srcs $src"
done

for src in $srcs; do
	b=$(basename "$src" .xml)
	e=$D/$b.epub
	"$O" build --epub "$e" "$src" 2> /dev/null || { check "$b: octavo builds the EPUB" false; continue; }
	to_text() {
		ebook-convert "$e" "$D/$b.txt" > "$D/$b.txt.log" 2>&1 || { tail -20 "$D/$b.txt.log"; return 1; }
		! grep -q 'Traceback' "$D/$b.txt.log" || { cat "$D/$b.txt.log"; return 1; }
		"$PY" tests/readers.py text "$O" "$src" "$D/$b.txt"
	}
	check "$b: ebook-convert EPUB -> TXT: every chapter, every word in order" to_text
	to_html() {
		ebook-convert "$e" "$D/$b.htmlz" > "$D/$b.htmlz.log" 2>&1 || { tail -20 "$D/$b.htmlz.log"; return 1; }
		! grep -q 'Traceback' "$D/$b.htmlz.log" || { cat "$D/$b.htmlz.log"; return 1; }
		rm -rf "$D/$b.html" && mkdir "$D/$b.html" && (cd "$D/$b.html" && unzip -q "../$b.htmlz") &&
			"$PY" tests/readers.py html-images "$e" "$D/$b.html"
	}
	check "$b: ebook-convert EPUB -> HTMLZ: every image, with its alt text" to_html
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
