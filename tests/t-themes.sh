#!/bin/bash
# The theme reader and what its keys do in both outputs: [numbering] figures = chapter and
# sections = true with unnumbered chapters (numbers after the chapter's place, never the same
# number twice), [text] widows/orphans and paragraph-space in the EPUB's CSS as in the PDF, em
# in [page] of the body size, chapter-recto only with facing pages, and what the reader
# refuses or warns about (exponents, joined page sizes, keys and groups given twice, a key
# before the first group), each with the theme file's line and column. The themes and the
# book are in tests/themes2/ (a .theme with a .expect runs as tests/bad-one.sh runs
# tests/themes/). Run by tests/run.sh with OCTAVO and OUT set; prints ok / not ok lines, and
# ends with status 0.
set -u
O=$(realpath "${OCTAVO:-./octavo}")
D=$(realpath -m "${OUT:-tests/out}/themes2")
rm -rf "$D"; mkdir -p "$D"
export SOURCE_DATE_EPOCH=1700000000
T=tests/themes2
B=$T/chapters.xml

PREFIX="themes: "
. tests/lib.sh

# build NAME THEME [BOOK]: the EPUB, the PDF and its layout in $D/NAME/, the EPUB's CSS in
# $D/NAME/style.css, the text of both in $D/NAME/pdf.txt and $D/NAME/epub.txt
build() {
	local name=$1 theme=$2 book=${3:-$B}
	local base; base=$(basename "$book" .xml)
	mkdir -p "$D/$name"
	$O build -t "$theme" -o "$D/$name" --layout "$D/$name/layout.txt" "$book" 2> "$D/$name/err" || return 1
	unzip -p "$D/$name/$base.epub" OEBPS/style.css > "$D/$name/style.css"
	unzip -p "$D/$name/$base.epub" 'OEBPS/*.xhtml' | sed 's/<[^>]*>//g; s/\xc2\xa0/ /g' > "$D/$name/epub.txt"
	pdftotext -layout "$D/$name/$base.pdf" - | sed 's/\xc2\xa0/ /g' > "$D/$name/pdf.txt"
}
# has NAME TEXT...: each text is in both outputs' words
has() {
	local name=$1; shift
	for w in "$@"; do
		grep -qF -- "$w" "$D/$name/pdf.txt" || { echo "PDF lacks \"$w\""; return 1; }
		grep -qF -- "$w" "$D/$name/epub.txt" || { echo "EPUB lacks \"$w\""; return 1; }
	done
}
# lacks NAME TEXT...: neither output has it
lacks() {
	local name=$1; shift
	for w in "$@"; do
		if grep -qF -- "$w" "$D/$name/pdf.txt" "$D/$name/epub.txt"; then echo "\"$w\" is there"; return 1; fi
	done
}
pages() { pdfinfo "$1" | sed -n 's/^Pages: *//p'; }

# ---- the reader: what it refuses and warns about, at the theme's line and column ----
for exp in $T/*.expect; do
	th=${exp%.expect}.theme
	check "theme $(basename "$th"): $(sed -n '2p' "$exp" | sed 's/^[^ ]* //')" tests/bad-one.sh "$O" "$th" "$exp" "$D"
done
check "a page size of two lengths with an x between them still reads (6in x 9in: 432 x 648pt)" bash -c "
	$O build -q -t $T/size-x.theme -o $D/size-x $B && pdfinfo $D/size-x/chapters.pdf | grep -q 'Page size: *432 x 648 pts'"

# ---- [page]: em is of the body size ----
build em-margin $T/em-margin.theme; build pt-margin $T/pt-margin.theme
check "margins of 4em with a 10.5pt body are 42pt: the same layout as margins of 42pt" bash -c "
	cmp $D/em-margin/layout.txt $D/pt-margin/layout.txt && grep -q '^  line 42.0 ' $D/em-margin/layout.txt"
check "size = 40em 60em with a 10pt body is a page of 400 x 600pt" bash -c "
	$O build -q -t $T/em-size.theme -o $D/em-size $B && pdfinfo $D/em-size/chapters.pdf | grep -q 'Page size: *400 x 600 pts'"

# ---- [page] chapter-recto needs facing pages ----
build recto $T/recto.theme; build recto0 $T/recto0.theme
check "chapter-recto without facing pages adds no blank page (as many pages as without it)" bash -c "$(declare -f pages)
	[ \$(pages $D/recto/chapters.pdf) = \$(pages $D/recto0/chapters.pdf) ] && ! grep -q 'blank' $D/recto/layout.txt &&
	grep -q 'recto.theme:3:17: warning: chapter-recto needs facing = true' $D/recto/err"

# ---- [numbering] ----
build fig-chapter $T/fig-chapter.theme; build fig-book $T/fig-book.theme; build sec $T/sec.theme
check "figures = book: figures and tables numbered through the book (Figure 2, Table 2)" has fig-book "Figure 2. Yew" "Table 2. Fir" "Figure 3. Box"
check "figures = chapter with unnumbered chapters: numbered after the chapter's place, in both outputs (Figure 2.1, Table 2.1, Figure A.1)" \
	has fig-chapter "Figure 1.1. Oak" "Table 1.1. Ash" "Figure 2.1. Yew" "Table 2.1. Fir" "Figure A.1. Box" "Figure 2.1"
check "figures = chapter: an xref shows the same number (Figure 2.1), and no figure is 'Figure 2'" bash -c "
	$O dump -t $T/fig-chapter.theme $B > $D/fig-chapter.dump && grep -q 'xref -> #f2 gen=\"Figure.*2\.1\"' $D/fig-chapter.dump &&
	grep -q 'figure #f2 label=2.1 ' $D/fig-chapter.dump && ! grep -q 'Figure 2\\. ' $D/fig-chapter/pdf.txt $D/fig-chapter/epub.txt"
check "sections = true with unnumbered chapters: no two sections share a number (1.1, 2.1, A.1), in both outputs" \
	has sec "1.1 Elm" "2.1 Lime" "A.1 Pine" "Section 1.1, Elm" "Section 2.1, Lime"
check "sections = true with unnumbered chapters: the chapters themselves stay unnumbered" lacks sec "Chapter 1" "Chapter 2"

# ---- [text] in the EPUB's CSS ----
build widows $T/widows.theme
check "widows = 3, orphans = 4 reach the EPUB's CSS" bash -c "
	grep -q '^  orphans: 4;' $D/widows/style.css && grep -q '^  widows: 3;' $D/widows/style.css &&
	! grep -q 'orphans: 2\|widows: 2' $D/widows/style.css"
build para-space $T/para-space.theme; build para-space0 $T/para-space0.theme
check "paragraph-space with an indent: the PDF puts it above an unindented paragraph, and so does the CSS" bash -c "
	grep -q 'section > p:not(\[class\]).*' $D/para-space/style.css &&
	grep -A1 'section > p:not' $D/para-space/style.css | grep -q 'margin-top: 0.952em' &&
	grep -q 'section > p + p:not(\[class\]) { margin-top: 0; }' $D/para-space/style.css &&
	! cmp -s $D/para-space/style.css $D/para-space0/style.css &&
	! cmp -s $D/para-space/layout.txt $D/para-space0/layout.txt"
check "the EPUB with paragraph-space and an indent passes epubcheck" epubcheck_clean "$D/para-space/chapters.epub"
exit 0
