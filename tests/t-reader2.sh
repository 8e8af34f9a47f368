#!/bin/bash
# The reader, second round: an indented author group in a bibliography entry, an index term's
# unknown children, DocBook 4 graphic and inlinegraphic, a misplaced title, the stop after a
# glossary's See and See also, and remarks (left out unless the theme shows them). Inputs in
# tests/reader2/. Run by tests/run.sh with OCTAVO and OUT set; prints ok / not ok lines.
set -u
O=$(realpath "${OCTAVO:-./octavo}")
D=$(realpath -m "${OUT:-tests/out}/reader2")
R=tests/reader2
rm -rf "$D"; mkdir -p "$D"
export SOURCE_DATE_EPOCH=1700000000
PREFIX="reader2: "
. tests/lib.sh

# text_of PDF: the PDF's words on one line each run of white space made one space
text_of() { pdftotext -enc UTF-8 "$1" - | tr -s ' \n' '  '; }
# xhtml_of EPUB: every content document's markup, one line
xhtml_of() { unzip -p "$1" 'OEBPS/*.xhtml' | tr -s ' \n' '  '; }
export -f text_of xhtml_of

# ---- 1. an author group written one author to a line ----
$O build -q -o "$D/ag" "$R/authorgroup.xml" 2> "$D/ag.err"
check "an indented author group: names joined by a comma, the stop right after the last (model)" bash -c "
	$O dump '$R/authorgroup.xml' > '$D/ag.dump' &&
	[ \$(grep -c 'text \", \"' '$D/ag.dump') -eq 2 ] && [ \$(grep -c 'text \" \"' '$D/ag.dump') -eq 2 ]" # the two after the abbrevs
check "an indented author group in the PDF: \"Jez Humble, David Farley. Continuous Delivery.\" twice" bash -c "
	[ \$(text_of '$D/ag/authorgroup.pdf' | grep -o 'Jez Humble, David Farley. Continuous Delivery.' | wc -l) -eq 2 ]" 
check "an indented author group in the EPUB: \"Jez Humble, David Farley.\" twice, no space before the stop" bash -c "
	x=\$(xhtml_of '$D/ag/authorgroup.epub' | sed 's/<[^>]*>//g') &&
	[ \$(grep -o 'Jez Humble, David Farley\\. ' <<< \"\$x\" | wc -l) -eq 2 ] && ! grep -q 'Farley \\.' <<< \"\$x\""
check "one author written over three lines: \"Ann Lee. Book.\", no space before the stop" bash -c "
	$O dump '$R/author-indented.xml' | grep -A1 'text \"Ann Lee\"' | tail -1 | grep -q 'text \". \"'"

# ---- 2. an index term's children that are none of its parts ----
for cmd in check build; do
	if [ $cmd = build ]; then $O build -o "$D/idx" "$R/indexterm.xml" 2> "$D/idx-$cmd.err"; else $O check "$R/indexterm.xml" 2> "$D/idx-$cmd.err"; fi
	check "$cmd: a misspelt <secondry> in an indexterm is a warning at its place, naming its lost words" \
		grep -qF 'indexterm.xml:5:51: warning: unknown element <secondry> in <indexterm> (dropped, and its words "lost subentry")' "$D/idx-$cmd.err"
	check "$cmd: <significance> written as an indexterm's child is a warning at its place" \
		grep -qF 'indexterm.xml:6:50: warning: unknown element <significance> in <indexterm>' "$D/idx-$cmd.err"
	check "$cmd: a known element astray in an indexterm is a warning; its real parts are not" bash -c "
		grep -qF 'indexterm.xml:7:78: warning: <emphasis> is no part of an <indexterm>' '$D/idx-$cmd.err' &&
		! grep -q '<secondary>\|<primary>' '$D/idx-$cmd.err'"
done
