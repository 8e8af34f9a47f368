#!/bin/bash
# The PDF's flow (src/pdf/flow.c, lines.c): where blocks go and what they keep. Each check
# builds a small document of tests/flow/ and reads its --layout (one line per item: "line X Y
# TEXT", "rule X Y W H", "image X Y W H FILE") or the PDF itself. Run by tests/run.sh with
# OCTAVO and OUT set; prints ok / not ok lines, and ends with status 0.
set -u
O=$(realpath "${OCTAVO:-./octavo}")
D=$(realpath -m "${OUT:-tests/out}/flow")
F=$(realpath tests/flow)
rm -rf "$D"; mkdir -p "$D"
export SOURCE_DATE_EPOCH=1700000000

PREFIX="flow: "
. tests/lib.sh

# build NAME XML [THEME]: NAME's PDF, EPUB, layout ($D/NAME/l.txt) and report ($D/NAME/r.json)
build() {
	local name=$1 xml=$2 theme=${3:-}
	$O build -q ${theme:+-t "$theme"} -o "$D/$name" --layout "$D/$name/l.txt" --report "$D/$name/r.json" "$xml" \
		2> "$D/$name.err" || { echo "build of $xml failed"; cat "$D/$name.err"; }
}
# page_items NAME LABEL: the layout's items on the body page labelled LABEL
page_items() {
	awk -v want="$2" '/^page /{on = ($0 ~ " body label=" want "( |$)")} on && /^  /' "$D/$1/l.txt"
}

# ---- tables take each page's own left edge ----
build first-table "$F/first-table.xml"
check "a table opening an article starts at the left margin, not at the page's edge" \
	bash -c "$(declare -f page_items); D=$D; page_items first-table 1 | awk '/^  rule/{n++; if (\$2 + 0 < 40) bad = 1} END{exit !(n && !bad)}'"
build tbl-facing "$F/tbl-facing.xml" "$F/facing-asym.theme"
# a verso's text area starts at its outer margin (10mm), a recto's at its inner one (30mm)
check "facing pages: a table's rows on a verso stand at the verso's margin, on a recto at the recto's" \
	bash -c "$(declare -f page_items); D=$D; page_items tbl-facing 2 | awk '/^  rule/{if (\$2 + 0 > 30) bad = 1; n++} END{exit !(n && !bad)}' &&
		 page_items tbl-facing 3 | awk '/^  rule/{if (\$2 + 0 < 80) bad = 1; n++} END{exit !(n && !bad)}'"

# ---- hyphenation: max-lines 0 (no limit) and values over 7 ----
# a 390-letter word in a narrow measure: every line of it can end with a hyphen
for t in 0 100; do
	build hy$t "$F/hy-long.xml" "$F/hy$t.theme"
	check "[hyphenation] max-lines = $t: more than 7 hyphenated lines in a row, every break inside the word hyphenated" \
		python3 -c "
import json, sys
p = json.load(open('$D/hy$t/r.json'))['paragraphs'][0]
print(p)
sys.exit(not (p['max_consecutive_hyphenated'] > 7 and p['hyphenated'] == p['lines'] - 1))"
done
sed 's/^max-lines = .*/max-lines = 2/' "$F/hy0.theme" > "$D/hy2.theme"
build hy2 "$F/hy-long.xml" "$D/hy2.theme"
check "[hyphenation] max-lines = 2 still holds" \
	python3 -c "
import json, sys
p = json.load(open('$D/hy2/r.json'))['paragraphs'][0]
print(p)
sys.exit(p['max_consecutive_hyphenated'] != 2)"

# ---- the first paragraph after a block that is not a paragraph is not indented ----
# (the EPUB's rule, p + p); the paragraph after a paragraph is
build after-list "$F/after-list.xml"
check "after a list, a quotation, a note, a figure, a formal paragraph, a table or code the next paragraph is not indented; after a paragraph it is" \
	bash -c "$(declare -f page_items); D=$D; page_items after-list 1 | awk '
		/\"First paragraph/{x0 = \$2}
		/\"Second paragraph/{x1 = \$2}
		/\"After the /{n++; if (\$2 != x0) {bad = 1; print}}
		END{print n, x0, x1; exit !(n == 7 && !bad && x1 > x0 + 5)}'"

# alts PDF: the /Alt of the structure tree's elements, one a line, in order
alts() {
	qpdf --qdf --object-streams=disable "$1" "$1.qdf" && grep -a -o '/Alt ([^)]*)' "$1.qdf" | sed 's/^\/Alt (//; s/)$//'
}

# ---- an example's pictures, and a figure's pictures before its caption ----
build lost-example "$F/lost-example.xml"
check "every picture of an example and an informal example is drawn (3 images), with its alt text in the structure tree" \
	bash -c "$(declare -f alts); [ \$(pdfimages -list $D/lost-example/lost-example.pdf | tail -n +3 | wc -l) = 3 ] &&
		 [ \"\$(alts $D/lost-example/lost-example.pdf | tr '\n' ' ')\" = 'ALT-EX ALT-IEX ALT-EX2 ' ]"
build ex2 "$F/ex2.xml"
check "an example with two media objects draws both" \
	bash -c "[ \$(pdfimages -list $D/ex2/ex2.pdf | tail -n +3 | wc -l) = 2 ]"
build fig2media "$F/fig2media.xml"
check "a figure with two media objects: both images, then its caption" \
	bash -c "awk '/^  image/{n++; y = \$3} /\"Figure.+1\\./{c = \$3; if (n != 2 || y > c) bad = 1} END{exit !(n == 2 && c && !bad)}' $D/fig2media/l.txt"
check "a figure with two media objects: the alt text of each image" \
	bash -c "$(declare -f alts); [ \"\$(alts $D/fig2media/fig2media.pdf | tr '\n' ' ')\" = 'dot shape ' ]"
mkdir -p "$D/figures"; cp -r tests/docs/img "$D/figures/"; cp tests/docs/figures.xml "$D/figures/"
build figures-doc "$D/figures/figures.xml"
check "figures.xml: Figure 4's two images are on its caption's page, above it" \
	bash -c "awk '/^page /{p = \$0; n = 0} /^  image .*img\\/dot\\.png/{n = 1} /^  image .*img\\/shape\\.svg/ && n == 1{n = 2} /\"Figure.+4\\./{ok = (n == 2)} END{exit !ok}' $D/figures-doc/l.txt"

# ---- a block picture in a table cell or a footnote ----
build lost-cell "$F/lost-cell.xml"
check "a media object in a table cell and one in a footnote are drawn (2 images)" \
	bash -c "[ \$(pdfimages -list $D/lost-cell/lost-cell.pdf | tail -n +3 | wc -l) = 2 ]"
check "their alt text is in the structure tree, in order, and the note's text stays marked" \
	python3 tests/tagcheck.py "$D/lost-cell/lost-cell.pdf" en cell-alt fn-block-alt
build containers "$F/containers.xml"
check "containers.xml: every image is drawn (13), in an HTML table's cell and an entrytbl too" \
	bash -c "[ \$(pdfimages -list $D/containers/containers.pdf | tail -n +3 | wc -l) = 13 ]"
check "containers.xml: the PDF's figures have the EPUB's alt texts, in the same order" \
	bash -c "python3 tests/tagcheck.py $D/containers/containers.pdf en \$(unzip -p $D/containers/containers.epub '*.xhtml' | grep -o 'alt=\"ALT[^\"]*\"' | sed 's/alt=\"//; s/\"//')"
check "containers.xml: the PDF is sound (qpdf --check)" qpdf --check "$D/containers/containers.pdf"

# ---- depth and contentdepth: the largest size within width and depth, its shape kept ----
build depth "$F/depth.xml"
check "width 5cm depth 1cm, depth 1cm alone, width 2cm depth 5cm: each 2 x 1 cm; contentdepth 40cm: the measure's width, 2:1" \
	python3 -c "
import sys
ims = [l.split() for l in open('$D/depth/l.txt') if l.startswith('  image')]
sizes = [(float(i[3]), float(i[4])) for i in ims]
print(sizes)
cm = 72 / 2.54
ok = len(sizes) == 4 and all(abs(w - 2 * cm) < 0.2 and abs(h - cm) < 0.2 for w, h in sizes[:3])
w, h = sizes[3] if len(sizes) == 4 else (0, 1)
sys.exit(not (ok and w > 300 and abs(w / h - 2) < 0.01))"
check "an inline image with a width and a depth keeps its shape (x-ppi = y-ppi)" \
	bash -c "pdfimages -list $D/depth/depth.pdf | awk 'NR > 2 {n++; if (\$13 != \$14) bad = 1} END{exit !(n == 5 && !bad)}'"

# ---- inline images are Figure elements with their alt text ----
build inline-alt "$F/inline-alt.xml"
check "inline images in a paragraph, a cell and a note: each a Figure with its alt text, in the pages' order; every text still marked" \
	python3 tests/tagcheck.py "$D/inline-alt/inline-alt.pdf" en inline-one block inline-cell inline-cell-2 inline-note
check "inline-alt.xml: the PDF is sound (qpdf --check)" qpdf --check "$D/inline-alt/inline-alt.pdf"
check "inline-alt.xml: no word lost (words.py)" python3 tests/words.py "$O" "$F/inline-alt.xml" pdf "$D/inline-alt/inline-alt.pdf"

# ---- a nested table (entrytbl) is a table in its cell ----
build entrytbl-note "$F/entrytbl-note.xml"
check "an entrytbl's cells stand side by side: Copies | Cost, 500 | 900, 1000 | 1400 each on one baseline" \
	python3 -c "
import sys
at = {}
for l in open('$D/entrytbl-note/l.txt'):
    f = l.split(None, 3)
    if l.startswith('  line') and len(f) == 4:
        at[f[3].strip().strip('\"')] = (float(f[1]), float(f[2]))
print(at)
pairs = [('Copies', 'Cost'), ('500', '9001'), ('1000', '1400')]
ok = all(a in at and b in at and at[a][1] == at[b][1] and at[b][0] > at[a][0] + 20 for a, b in pairs)
ok = ok and at['Copies'][1] < at['500'][1] < at['1000'][1] and at['Copies'][0] > at['Print run'][0]
sys.exit(not ok)"
check "entrytbl-note.xml: no word lost, the nested cell's footnote too (words.py)" \
	python3 tests/words.py "$O" "$F/entrytbl-note.xml" pdf "$D/entrytbl-note/entrytbl-note.pdf"
check "entrytbl-note.xml: tagged structure sound (tagcheck.py), qpdf --check" \
	bash -c "python3 tests/tagcheck.py $D/entrytbl-note/entrytbl-note.pdf en && qpdf --check $D/entrytbl-note/entrytbl-note.pdf"
cell_labels() {
	"$O" build -q -o "$D/cell-labels" "$F/cell-labels.xml" || return 1
	local t
	t=$(pdftotext -raw "$D/cell-labels/cell-labels.pdf" - | tr '\n' ' ')
	for w in 'Warning Never open' 'Example 1. Opening sequence' 'Figure 1. The gate' '— The keeper' \
		'Note Inside a note' '— The quoter' 'Table 1. Tolls'; do
		printf '%s' "$t" | grep -qF "$w" || { echo "not in the PDF: $w"; return 1; }
	done
	printf '%s' "$t" | grep -qF 'Termword Definitionword.' || { echo "a bullet before a definition"; return 1; }
}
check "cell-labels.xml: blocks in a cell and a note keep their labels in the PDF (Warning, Example 1., Figure 1., Table 1., the attribution's dash), as in the EPUB; no bullet before a definition" cell_labels
