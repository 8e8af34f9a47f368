#!/bin/bash
# The reader, third round: an article or book inside a book (its info its own, never the
# book's), refentry and unknown containers of blocks, unknown inlines set apart (citerefentry,
# cmdsynopsis, segmentedlist), bibliography fields, info that is not shown said with a warning,
# an empty olink, and a theme name that does not exist. Inputs in tests/reader3/. Run by
# tests/run.sh with OCTAVO and OUT set; prints ok / not ok lines.
set -u
O=$(realpath "${OCTAVO:-./octavo}")
D=$(realpath -m "${OUT:-tests/out}/reader3")
R=tests/reader3
rm -rf "$D"; mkdir -p "$D"
export SOURCE_DATE_EPOCH=1700000000
PREFIX="reader3: "
. tests/lib.sh

# text_of PDF: the PDF's words on one line, each run of white space made one space
text_of() { pdftotext -enc UTF-8 "$1" - | tr -s ' \n' '  '; }
# words_of EPUB: every content document's words, tags stripped, one line
words_of() { unzip -p "$1" 'OEBPS/*.xhtml' | sed 's/<[^>]*>/ /g' | tr -s ' \n' '  '; }
export -f text_of words_of

# ---- 1. an article or a book inside a book: its info is its own ----
$O build -q -o "$D/na" "$R/nested-article.xml" 2> "$D/na.err"
check "a nested article's author is not the book's: PDF Info Author is empty, the OPF has no dc:creator" bash -c "
	! pdfinfo '$D/na/nested-article.pdf' | grep -q 'Ann Author' &&
	! unzip -p '$D/na/nested-article.epub' OEBPS/content.opf | grep -qE 'dc:creator|dc:rights|1999'"
check "a nested article's info is its own byline (\"First Paper Ann Author · 1999\") in both outputs" bash -c "
	text_of '$D/na/nested-article.pdf' | grep -q 'First Paper Ann Author · 1999' &&
	words_of '$D/na/nested-article.epub' | grep -q 'First Paper Ann Author · 1999'"
check "a nested article: the book's title page keeps only its editor" bash -c "
	! text_of '$D/na/nested-article.pdf' | grep -q 'Copyright'"
$O build -q -o "$D/nb" "$R/nested-book.xml" 2> "$D/nb.err"
check "a nested book is a division of the outer one: its author w005 not the book's creator" bash -c "
	! unzip -p '$D/nb/nested-book.epub' OEBPS/content.opf | grep -q 'w005' &&
	$O dump '$R/nested-book.xml' | grep -qE '^ *part .*book|part \"book\"|^ *part'"
check "a nested book and article keep all their words in both outputs" bash -c "
	for w in w001 w002 w003 w004 w005 w006 w007 w008 w009 w010 w011 w012 w013 w014; do
		text_of '$D/nb/nested-book.pdf' | grep -qw \$w || { echo PDF \$w; exit 1; }
		words_of '$D/nb/nested-book.epub' | grep -qw \$w || { echo EPUB \$w; exit 1; }
	done"
