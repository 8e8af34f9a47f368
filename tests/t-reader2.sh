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
export -f epubcheck_clean; export EPUBCHECK

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

# ---- 3. DocBook 4 graphic and inlinegraphic ----
$O build -o "$D/db4" "$R/db4.xml" 2> "$D/db4.err"
check "graphic and inlinegraphic are read, not unknown elements (build and check)" bash -c "
	! grep -q 'unknown element' '$D/db4.err' && $O check '$R/db4.xml' > '$D/db4-check.err' 2>&1 && [ ! -s '$D/db4-check.err' ] || { cat '$D/db4.err' '$D/db4-check.err'; exit 1; }"
check "graphic in the model: an inline image, a block image, and a figure's picture" bash -c "
	$O dump '$R/db4.xml' > '$D/db4.dump' &&
	grep -A1 '^      inlinemediaobject<inlinegraphic>' '$D/db4.dump' | grep -q 'image<inlinegraphic> fileref=\"dot.png\" width=\"12pt\"' &&
	grep -A1 '^    mediaobject<graphic>' '$D/db4.dump' | grep -q 'image<graphic> fileref=\"dot.jpg\" width=\"1in\"' &&
	grep -A4 '^    figure #f1' '$D/db4.dump' | grep -q 'image<graphic> fileref=\"shape.svg\"'"
check "graphic in the EPUB: the three images, inline, centred block, and the figure's" bash -c "
	x=\$(xhtml_of '$D/db4/db4.epub') &&
	grep -q '<img src=\"images/dot.png\"[^>]*class=\"inline\"' <<< \"\$x\" &&
	grep -q '<img src=\"images/dot.jpg\"[^>]*class=\"block align-center\"' <<< \"\$x\" &&
	grep -q '<img src=\"images/shape.svg\"' <<< \"\$x\" && unzip -l '$D/db4/db4.epub' | grep -q 'images/shape.svg'"
check "graphic in the PDF: the PNG and the JPEG are images of the page, the figure keeps its caption" bash -c "
	pdfimages -list '$D/db4/db4.pdf' > '$D/db4.images' &&
	[ \$(grep -c ' image ' '$D/db4.images') -eq 2 ] && grep -q ' jpeg ' '$D/db4.images' &&
	text_of '$D/db4/db4.pdf' | grep -q 'Figure 1. A shape\|Figure 1 A shape\|Figure 1: A shape'"

# ---- 4. a title where no title can stand ----
$O build -o "$D/titles" "$R/titles.xml" 2> "$D/titles.err"
check "a <title> after a chapter's paragraph, and one after a section's, are warnings at their places" bash -c "
	grep -qF 'titles.xml:26:19: warning: <title> here is not a title: <chapter> has its title already' '$D/titles.err' &&
	grep -qF 'titles.xml:28:7: warning: <title> here is not a title: <section> has its title already' '$D/titles.err'"
check "titles where DocBook has them (info, partintro, formalpara, lists, procedure and step, table, qandaset …) are no warning" bash -c "
	[ \$(grep -vc 'titleabbrev' '$D/titles.err') -eq 2 ] || { cat '$D/titles.err'; exit 1; }"
check "DocBook 4: a title both in a division's info and after it is its title once, not also a paragraph" bash -c "
	$O dump '$R/titles4.xml' > '$D/titles4.dump' 2> '$D/titles4.err' &&
	! grep -q 'phrase<title>' '$D/titles4.dump' && [ \$(grep -c 'text \"Old titles\"' '$D/titles4.dump') -eq 1 ] &&
	grep -qF 'titles4.xml:6:55: warning: <title> \"S old\" of <sect1> is not used: its own <title> \"S\" is' '$D/titles4.err' &&
	[ \$(wc -l < '$D/titles4.err') -eq 1 ]"

# ---- 5. a glossary's See and See also end with a stop ----
$O build -q -o "$D/gl" "$R/glossary.xml"
for out in pdf epub; do
	if [ $out = pdf ]; then get="text_of '$D/gl/glossary.pdf'"; else get="xhtml_of '$D/gl/glossary.epub' | sed 's/<[^>]*>//g'"; fi
	check "$out: \"See artifact.\" and \"See also artifact.\" (an otherterm's), \"See also pipeline.\" (written over two lines), \"See also Is it a step?\" (its own)" bash -c "
		x=\$($get) && grep -q 'See artifact\\.' <<< \"\$x\" && grep -q 'See also artifact\\.' <<< \"\$x\" &&
		grep -q 'See also pipeline\\.' <<< \"\$x\" && grep -q 'See also Is it a step? ' <<< \"\$x\" && ! grep -q 'step?\\.' <<< \"\$x\""
done

# ---- 6. remarks: left out unless the theme shows them ----
$O build -q -o "$D/rm-off" "$R/remark.xml"
$O build -t "$R/remarks.theme" -o "$D/rm-on" "$R/remark.xml" 2> "$D/rm-on.err"
check "by default a remark is not in the model, and a link to its id goes to its place" bash -c "
	$O dump '$R/remark.xml' > '$D/rm.dump' && ! grep -q 'remark>\\|TODO\\|Editorial' '$D/rm.dump' &&
	grep -q 'anchor #rm-block' '$D/rm.dump' && grep -q 'text \"Visible. Done.\"' '$D/rm.dump'"
check "by default no remark in the PDF or the EPUB; no word lost (words.py); the EPUB is valid" bash -c "
	! text_of '$D/rm-off/remark.pdf' | grep -q 'TODO\\|Editorial' && text_of '$D/rm-off/remark.pdf' | grep -q 'Visible. Done.' &&
	! xhtml_of '$D/rm-off/remark.epub' | grep -q 'TODO\\|Editorial' &&
	python3 tests/words.py '$O' '$R/remark.xml' pdf '$D/rm-off/remark.pdf' && epubcheck_clean '$D/rm-off/remark.epub'"
check "[text] remarks = true (a known setting): both remarks in the PDF and, in italics, in the EPUB" bash -c "
	[ ! -s '$D/rm-on.err' ] &&
	text_of '$D/rm-on/remark.pdf' | grep -q 'TODO: ask legal before publishing Done.' &&
	text_of '$D/rm-on/remark.pdf' | grep -q 'Editorial: check the second quote.' &&
	x=\$(xhtml_of '$D/rm-on/remark.epub') && grep -q 'class=\"remark italic\">TODO: ask legal' <<< \"\$x\" &&
	grep -q 'id=\"rm-block\" class=\"remark italic\">Editorial' <<< \"\$x\" &&
	$O dump -t '$R/remarks.theme' '$R/remark.xml' | grep -q 'phrase<remark> style=italic'"
check "[text] remarks takes true or false: another value is an error at its place" bash -c "
	! $O build -q -t '$R/remarks-bad.theme' -o '$D/rm-bad' '$R/remark.xml' 2> '$D/rm-bad.err' &&
	grep -q 'remarks-bad.theme:2:11: error: remarks: \"sometimes\" is not true or false' '$D/rm-bad.err'"
check "DocBook 4: a title after a division's info and text is still a misplaced one; a title over two lines is the same title" bash -c "
	$O dump '$R/titles4-late.xml' > '$D/titles4-late.dump' 2> '$D/titles4-late.err';
	grep -qF 'titles4-late.xml:3:89: warning: <title> here is not a title: <chapter> has its title already' '$D/titles4-late.err' &&
	[ \$(wc -l < '$D/titles4-late.err') -eq 1 ] && [ \$(grep -c 'phrase<title>' '$D/titles4-late.dump') -eq 1 ]"
