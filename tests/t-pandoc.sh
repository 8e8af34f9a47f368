#!/bin/bash
# Markdown through pandoc (issue 9): tests/pandoc/field-notes.md (headings, nested lists, a
# table with a caption, footnotes, an image, external and internal links) converted with
# `pandoc -s -t docbook5` and `-t docbook4`, each as pandoc writes it by default (an article of
# sections) and with --top-level-division=chapter (an article holding chapters); then
# `octavo build` and `octavo check`. The DocBook 5 books' outputs are checked in detail; the
# DocBook 4 ones must make the same model. Also the EPUB of `octavo new` through epubcheck.
# Run by tests/run.sh with OCTAVO and OUT set; prints "ok - ..." / "not ok - ..." lines.
set -u
OCTAVO=${OCTAVO:-./octavo}
OUT=${OUT:-tests/out}
D=$(realpath -m "$OUT/pandoc")
O=$(realpath "$OCTAVO")
PY=$(command -v /usr/bin/python3 || command -v python3)
TOOL="$PY tests/epub/epubtool.py"
export SOURCE_DATE_EPOCH=1700000000
rm -rf "$D"
mkdir -p "$D"
cp -r tests/pandoc/field-notes.md tests/pandoc/img "$D/"

PREFIX="pandoc: "
. tests/lib.sh

if ! command -v pandoc > /dev/null; then
	notok "pandoc is not installed (make deps)"
	exit 0
fi

# NAME: FORMAT and pandoc's extra options
variants="db5-article:docbook5: db5-chapters:docbook5:--top-level-division=chapter db4-article:docbook4: db4-chapters:docbook4:--top-level-division=chapter"
for v in $variants; do
	IFS=: read -r bk fmt extra <<< "$v"
	x=$D/$bk.xml
	convert_build() {
		(cd "$D" && pandoc -s -t "$fmt" $extra field-notes.md -o "$bk.xml") || return 1
		"$O" build -o "$D/out" "$x" 2> "$D/$bk.err" || { cat "$D/$bk.err"; return 1; }
		[ ! -s "$D/$bk.err" ] || { cat "$D/$bk.err"; return 1; }
		"$O" check "$x" 2> "$D/$bk.check" || { cat "$D/$bk.check"; return 1; }
		[ ! -s "$D/$bk.check" ] || { cat "$D/$bk.check"; return 1; }
		"$O" dump "$x" > "$D/$bk.dump"
	}
	check "$bk: pandoc -t $fmt${extra:+ $extra}, then octavo build and check: no diagnostic" convert_build
	E=$D/out/$bk.epub
	P=$D/out/$bk.pdf
	shape() { # an article; chapters only when pandoc was asked for them
		grep -q '^document<article>' "$D/$bk.dump" || { echo "not an article"; return 1; }
		local chapters
		chapters=$(grep -Ec '^  chapter(<[a-z0-9]+>)? .*@' "$D/$bk.dump")
		case $bk in
		*-chapters) [ "$chapters" -eq 2 ] || { echo "$chapters chapters"; return 1; } ;;
		*) [ "$chapters" -eq 0 ] && [ "$(grep -Ec '^  section(<[a-z0-9]+>)? .*@' "$D/$bk.dump")" -eq 2 ] || { echo "not two top sections"; return 1; } ;;
		esac
	}
	check "$bk: an article of $([ "${bk#*-}" = chapters ] && echo 'two chapters' || echo 'two sections')" shape
	if [ "$fmt" = docbook4 ]; then
		# the same model as from docbook5 (then the same outputs: checked there), but for what
		# pandoc's docbook4 writer leaves out: the subtitle and xml:lang
		same_model() {
			local five=$D/db5-${bk#*-}.dump
			norm() { sed -E 's/ @[^ ]+$//; s/<[a-z0-9]+>//; 1,2s/ (subtitle|lang)="[^"]*"//g; /^  subtitle$/,+1d' "$1"; }
			diff <(norm "$five") <(norm "$D/$bk.dump")
		}
		check "$bk: the same model as from docbook5 (less the subtitle and xml:lang pandoc's docbook4 drops)" same_model
		continue
	fi
	check "$bk: EPUB: package, links, footnotes, images with alt text" $TOOL all "$E"
	check "$bk: EPUB: every word of the model, in order" $TOOL words "$D/$bk.dump" "$E"
	check "$bk: PDF: qpdf --check passes, every word of the model in order" bash -c "qpdf --check '$P' >/dev/null && '$PY' tests/words.py '$O' '$x' pdf '$P'"
	pieces() {
		local xhtml text
		xhtml=$(for f in $(unzip -Z1 "$E" | grep -E '(text|chapter)-[0-9]+\.xhtml$'); do unzip -p "$E" "$f"; done)
		text=$(pdftotext -layout "$P" -)
		# the table: caption, header cells, rows, in both
		printf '%s' "$xhtml" | grep -q '<caption><span class="label">Table[^<0-9]*1\.</span>[^<]*Common papermaking fibres</caption>' || { echo "EPUB: table caption"; return 1; }
		printf '%s' "$xhtml" | grep -q '<th[^>]*>Length (mm)</th>' || { echo "EPUB: header cell"; return 1; }
		printf '%s' "$text" | grep -q 'Table[^A-Za-z0-9]*1\.[^A-Za-z]*Common papermaking fibres' || { echo "PDF: table caption"; return 1; }
		printf '%s' "$text" | grep -Eq 'Flax +30 +strong, crisp' || { echo "PDF: a table row"; return 1; }
		# footnotes: notes, and calls
		printf '%s' "$xhtml" | grep -q 'epub:type="footnote"' || { echo "EPUB: footnote"; return 1; }
		printf '%s' "$text" | grep -q 'inner bark of the mulberry' || { echo "PDF: footnote text"; return 1; }
		# the image: the PNG itself in the EPUB, one image in the PDF
		unzip -p "$E" OEBPS/images/img/red-block.png | cmp - tests/pandoc/img/red-block.png || { echo "EPUB: image"; return 1; }
		[ "$(pdfimages -list "$P" | tail -n +3 | wc -l)" -ge 1 ] || { echo "PDF: no image"; return 1; }
		# links: external ones as they were, the internal one to the right place
		printf '%s' "$xhtml" | grep -q 'href="https://example.org/paper-museum"' || { echo "EPUB: external link"; return 1; }
		printf '%s' "$xhtml" | grep -Eq 'href="[a-z]+-[0-9]+\.xhtml#drying"|href="#drying"' || { echo "EPUB: internal link"; return 1; }
		mutool run tests/links.js "$P" > "$D/$bk.links"
		grep -q 'https://example.org/paper-museum' "$D/$bk.links" || { echo "PDF: external link"; return 1; }
		grep -q 'https://example.org/drying-lofts' "$D/$bk.links" || { echo "PDF: bare URL link"; return 1; }
		grep -q '#page=' "$D/$bk.links" || { echo "PDF: internal link"; return 1; }
	}
	check "$bk: the table, footnotes, image and links are in both outputs" pieces
done

# epubcheck, in one JVM (seconds each start): both shapes of pandoc's DocBook 5 and the book
# octavo new makes
"$O" new "$D/new-book" > /dev/null && (cd "$D/new-book" && "$O" build -t style.theme new-book.xml 2>/dev/null)
cp "$D/new-book/out/new-book.epub" "$D/out/" 2>/dev/null
if [ -f /usr/bin/epubcheck ] && command -v java > /dev/null; then
	set -- "$D/out/db5-article.epub" "$D/out/db5-chapters.epub" "$D/out/new-book.epub"
	java -Xss1024k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp /usr/bin/epubcheck tests/epub/EpubCheckMany.java "$@" > /dev/null 2>&1
	for e in "$@"; do
		check "epubcheck $(basename "$e"): 0 errors, 0 warnings" bash -c "
			grep -q '^Messages: 0 fatals / 0 errors / 0 warnings' '$e.check' || { grep -E 'ERROR|WARNING|FATAL|Messages' '$e.check'; exit 1; }"
	done
else
	notok "epubcheck is not installed (make deps)"
fi
