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
export -f epubcheck_clean; export EPUBCHECK

# text_of PDF: the PDF's words on one line, each run of white space made one space
text_of() { pdftotext -enc UTF-8 "$1" - | tr -s ' \n' '  '; }
# words_of EPUB: every content document's words, tags stripped, one line
words_of() { unzip -p "$1" 'OEBPS/*.xhtml' | sed 's/<[^>]*>/ /g' | tr -s ' \n' '  '; }
# line_of EPUB: the same, tags dropped (the words inline markup sets apart stay as written)
line_of() { unzip -p "$1" 'OEBPS/*.xhtml' | sed 's/<[^>]*>//g; s/&#38;/\&/g; s/&amp;/\&/g' | tr -s ' \n' '  '; }
export -f text_of words_of line_of

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

# ---- 2. refentry (man pages), and unknown containers of blocks ----
$O build -o "$D/ref" "$R/refentry.xml" 2> "$D/ref.err"
check "refnamediv: \"w005, w006 — w007 purpose\" in both outputs" bash -c "
	text_of '$D/ref/refentry.pdf' | grep -q 'w005, w006 — w007 purpose' &&
	line_of '$D/ref/refentry.epub' | grep -q 'w005, w006 — w007 purpose'"
check "a refentry is a division titled by its refentrytitle (else its first refname), in the contents" bash -c "
	$O dump '$R/refentry.xml' > '$D/ref.dump' &&
	grep -A1 '^    section<refentry>' '$D/ref.dump' | grep -q title &&
	sed -n '/^toc/,\$p' '$D/ref.dump' | grep -q '\"w004\"' && sed -n '/^toc/,\$p' '$D/ref.dump' | grep -q '\"w019\"' &&
	sed -n '/^toc/,\$p' '$D/ref.dump' | grep -q 'reference I \"w002 Reference\"'"
check "refsynopsisdiv is a section titled Synopsis; refsect1/2 and refsection are sections" bash -c "
	grep -A2 'section<refsynopsisdiv>' '$D/ref.dump' | grep -q '\"Synopsis\"' &&
	grep -q 'section<refsect1>' '$D/ref.dump' && grep -q 'section<refsect2>' '$D/ref.dump' &&
	grep -q 'section<refsection>' '$D/ref.dump'"
check "a refentry's programlisting keeps its lines; its title does not run into its paragraph (PDF)" bash -c "
	pdftotext -enc UTF-8 '$D/ref/refentry.pdf' - > '$D/ref.txt' &&
	grep -qx ' *w011 a' '$D/ref.txt' && grep -qx ' *w012 b' '$D/ref.txt' && grep -qx 'w009 Description' '$D/ref.txt'"
check "a refentry: the xref to it shows its title; no chapter number taken by it" bash -c "
	text_of '$D/ref/refentry.pdf' | grep -q 'w018 see w004' && grep -q 'chapter number=1' '$D/ref.dump'"
check "a refentry: all its words in both outputs, no warning" bash -c "
	[ ! -s '$D/ref.err' ] &&
	for i in \$(seq -w 1 20); do w=w0\$i
		text_of '$D/ref/refentry.pdf' | grep -qw \$w || { echo PDF \$w; exit 1; }
		words_of '$D/ref/refentry.epub' | grep -qw \$w || { echo EPUB \$w; exit 1; }
	done"
check "refentry: epubcheck finds nothing" epubcheck_clean "$D/ref/refentry.epub"
$O build -q -o "$D/unk" "$R/unknown.xml" 2> "$D/unk.err"
check "an unknown element's info is not the chapter's: its author is no byline, a warning says so" bash -c "
	$O dump '$R/unknown.xml' 2> '$D/unk.derr' > '$D/unk.dump' && ! grep -q 'byline' '$D/unk.dump' &&
	! grep -q 'Tess' '$D/unk.dump' && grep -q 'unknown.xml:6:40: warning: <author> in the info of <task> is not shown' '$D/unk.derr'"
check "an unknown element's title is a heading where it stands" grep -A1 'bridgehead<title>' "$D/unk.dump" -m1
check "blocks deep in unknown elements stay blocks, a listing keeps its lines" bash -c "
	grep -B1 'text \"w006 msgtext.\"' '$D/unk.dump' | grep -q '^    para' &&
	grep -B1 'text \"w007 explan.\"' '$D/unk.dump' | grep -q '^    para' &&
	grep -q 'text \"w008 line one\\\\nw009 line two\"' '$D/unk.dump'"

# ---- 3. unknown inline siblings set apart: citerefentry, cmdsynopsis, segmentedlist, math ----
$O build -o "$D/glued" "$R/glued.xml" 2> "$D/glued.err"
pdftotext -enc UTF-8 "$D/glued/glued.pdf" "$D/glued.txt"
check "citerefentry: \"See ls(1) and mount(8).\" in both outputs" bash -c "
	text_of '$D/glued/glued.pdf' | grep -q 'See ls(1) and mount(8)\\.' &&
	line_of '$D/glued/glued.epub' | grep -q 'See ls(1) and mount(8)\\.'"
check "cmdsynopsis: \"tar [-v] {create | extract} file... [-z]\", sbr a line break, \"{dir}\" on the next" bash -c "
	grep -qx ' *tar \\[-v\\] {create | extract} file\\.\\.\\. \\[-z\\]' '$D/glued.txt' && grep -qx ' *{dir}' '$D/glued.txt' &&
	line_of '$D/glued/glued.epub' | grep -qF 'tar [-v] {create | extract} file... [-z]'"
check "sbr in a synopsis: a line break of its own" bash -c "grep -qx ' *cp src' '$D/glued.txt' && grep -qx ' *dest' '$D/glued.txt'"
check "segmentedlist: \"Capital: Paris\" and \"Country: France\" lines, each item a paragraph" bash -c "
	grep -qx ' *Capital: Paris' '$D/glued.txt' && grep -qx ' *Country: France' '$D/glued.txt' &&
	grep -qx ' *Capital: Rome' '$D/glued.txt' && grep -q 'Capitals' '$D/glued.txt' &&
	[ \$(unzip -p '$D/glued/glued.epub' 'OEBPS/*.xhtml' | grep -c '<p class=\"seglistitem\">') -eq 2 ]"
check "an equation's alt is shown, its MathML not glued to it (a warning says so)" bash -c "
	text_of '$D/glued/glued.pdf' | grep -q 'E equals m c squared' && ! text_of '$D/glued/glued.pdf' | grep -q 'squaredE' &&
	grep -q 'glued.xml:13:50: warning: MathML <math> is not set' '$D/glued.err'"
check "two unknown elements written together: their words set apart (\"expr term\")" bash -c "
	text_of '$D/glued/glued.pdf' | grep -q 'expr term' && words_of '$D/glued/glued.epub' | grep -q 'expr term'"
check "a written index entry: primaryie and secondaryie on lines of their own" bash -c "
	grep -q 'lock chamber, 12$' '$D/glued.txt' && grep -qx ' *filling, 14' '$D/glued.txt'"
check "glued: epubcheck finds nothing" epubcheck_clean "$D/glued/glued.epub"

# ---- 4. bibliography fields set apart ----
$O build -q -o "$D/bib" "$R/biblio.xml" 2> "$D/bib.err"
for out in pdf epub; do
	if [ $out = pdf ]; then get="text_of '$D/bib/biblio.pdf'"; else get="line_of '$D/bib/biblio.epub'"; fi
	check "$out: a copyright in an entry: \"© 1999, 2003 O'Reilly & Associates.\"" bash -c "$get | grep -qF \"© 1999, 2003 O'Reilly & Associates.\""
	check "$out: a publisher with its address: \"O'Reilly, Sebastopol, California.\"" bash -c "$get | grep -qF \"O'Reilly, Sebastopol, California. DocBook.\""
	check "$out: an othercredit's contrib set apart: \"Ann Lee indexer\"" bash -c "$get | grep -qF 'Norman Walsh, Ann Lee indexer.'"
	check "$out: fields after a block in the entry still end with a stop: \"1999-10. 2.\"" bash -c "$get | grep -qF '1999-10. 2.'"
	check "$out: a biblioset's fields set as the entry's: \"Knuth Donald. Breaking Paragraphs into Lines. Software Practice and Experience. 11.\"" \
		bash -c "$get | grep -qF 'Knuth Donald. Breaking Paragraphs into Lines. Software Practice and Experience. 11.'"
done

# ---- 5. what no output shows is a warning at its place, not dropped in silence ----
for f in silent-info db4-authorblurb block-info; do $O check "$R/$f.xml" > "$D/$f.err" 2>&1; done
warns() { grep -qF "$2" "$D/$1.err"; }
export -f warns; export D
check "an author's contrib: a warning at its place" bash -c "
	warns silent-info 'silent-info.xml:4:132: warning: <contrib> of <author> is not shown'"
check "in a chapter's info: an author's email, copyright, revhistory, publisher, orgname, keywordset: warnings" bash -c "
	warns silent-info 'silent-info.xml:7:41: warning: <email> of <author> is not shown' &&
	for e in 8:1:copyright 9:1:revhistory 10:1:publisher 11:1:orgname 12:1:keywordset; do
		warns silent-info \"silent-info.xml:\${e%:*}: warning: <\${e##*:}> in the info of <chapter> is not shown\" || { echo \$e; exit 1; }
	done"
check "DocBook 4: an author's authorblurb and contrib: warnings" bash -c "
	warns db4-authorblurb 'db4-authorblurb.xml:3:102: warning: <authorblurb> of <author> is not shown' &&
	warns db4-authorblurb 'db4-authorblurb.xml:3:176: warning: <contrib> of <author> is not shown'"
check "a copyright in a figure's and a section's info: warnings" bash -c "
	warns block-info 'block-info.xml:5:31: warning: <copyright> in the info of <figure> is not shown' &&
	warns block-info 'block-info.xml:6:62: warning: <copyright> in the info of <section> is not shown'"
check "a section's and an example's titleabbrev: warnings" bash -c "
	warns block-info 'block-info.xml:6:32: warning: <titleabbrev> of <section> is not shown' &&
	warns block-info 'block-info.xml:7:26: warning: <titleabbrev> of <example> is not shown'"
$O build -q -o "$D/bi" "$R/block-info.xml" 2> /dev/null
check "an empty olink: a warning, and its target shown as text in both outputs" bash -c "
	warns block-info 'block-info.xml:4:12: warning: <olink> with no words' &&
	text_of '$D/bi/block-info.pdf' | grep -qF '[guide#install]' && line_of '$D/bi/block-info.epub' | grep -qF '[guide#install]'"

# ---- 6. a theme name that does not exist: the themes there are, and the nearest ----
$O check -t brochur "$R/glued.xml" > "$D/theme.err" 2>&1; rc=$?
check "a misspelt theme: exit 2, \"did you mean \\\"brochure\\\"?\" and the list of themes" bash -c "
	[ $rc -eq 2 ] && grep -qF 'theme \"brochur\" does not exist; did you mean \"brochure\"?' '$D/theme.err' &&
	for t in \$(ls styles | sed -n 's/\\.theme\$//p'); do grep -q \"themes:.*\\b\$t\\b\" '$D/theme.err' || { echo \$t; exit 1; }; done"
$O check -t zzzzzzzzzz "$R/glued.xml" > "$D/theme2.err" 2>&1
check "a theme name near none: the list, no guess" bash -c "
	grep -q 'theme \"zzzzzzzzzz\" does not exist (themes: ' '$D/theme2.err' && ! grep -q 'did you mean' '$D/theme2.err'"

# ---- every word of the model in both outputs (words.py), every EPUB valid ----
# epub_words BOOK EPUB: every word of the model (words.py's) is among the EPUB's words
epub_words() {
	python3 - "$O" "$1" "$2" <<'PY'
import sys, zipfile, re, html
sys.path.insert(0, "tests")
from words import model_words, WORD
o, book, epub = sys.argv[1:4]
z = zipfile.ZipFile(epub)
text = " ".join(html.unescape(re.sub(r"<[^>]*>", " ", re.sub(r"<head>.*?</head>", "", z.read(n).decode(), flags=re.S)))
                for n in z.namelist() if n.endswith(".xhtml"))
have = set(WORD.findall(text))
lost = [w for seq in model_words(o, book).values() for w in seq if w not in have]
print("lost in the EPUB:", lost[:10]) if lost else None
sys.exit(1 if lost else 0)
PY
}
export -f epub_words; export O
for f in nested-article nested-book refentry unknown glued biblio block-info; do
	[ -d "$D/w-$f" ] || $O build -q -o "$D/w-$f" "$R/$f.xml" 2> /dev/null
	check "$f: no word of the model lost in the PDF or the EPUB (words.py); the EPUB is valid" bash -c "
		python3 tests/words.py '$O' '$R/$f.xml' pdf '$D/w-$f/$f.pdf' &&
		epub_words '$R/$f.xml' '$D/w-$f/$f.epub' && epubcheck_clean '$D/w-$f/$f.epub'"
done
