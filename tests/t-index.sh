#!/bin/bash
# One pagination for both outputs (issue 6): the print pages in the EPUB (markers, page list,
# NCX pageList), "page N" references and the generated index, checked against the PDF with
# pdftotext, qpdf and MuPDF (tests/pagecheck.py) and with epubcheck. Run by tests/run.sh with
# OCTAVO and OUT set; prints ok / not ok lines.
set -u
O=${OCTAVO:-./octavo}
D=${OUT:-tests/out}/index
PY=$(command -v /usr/bin/python3 || command -v python3)
PC="$PY tests/pagecheck.py"
BOOK=book/international-commitment.xml
FIX=tests/pdf/pages.xml
export SOURCE_DATE_EPOCH=1389571200
rm -rf "$D"; mkdir -p "$D"

t() {
	local name=$1; shift
	if "$@" > "$D/log" 2>&1; then echo "ok - index: $name"; else echo "not ok - index: $name"; sed 's/^/#   /' "$D/log" | head -25; fi
}

# build: the fixture (lists, a table over pages, code, notes, quotations, a figure, page
# references, an index of made-up words), the brochure in three themes, a Norwegian book whose
# index the theme asks for
build() { # NAME THEME SOURCE
	$O build -t "$2" -o "$D/$1" "$3" 2> "$D/$1.err" && [ ! -s "$D/$1.err" ] || { cat "$D/$1.err"; return 1; }
}
t "the fixture builds without a diagnostic, typeset twice (the index's page numbers)" bash -c "
	$O build -v -o $D/fix $FIX 2> $D/fix.err || { cat $D/fix.err; exit 1; }
	! grep -v '^octavo: ' $D/fix.err | grep . && grep -q 'typeset pass 2' $D/fix.err && ! grep -q 'typeset pass 3' $D/fix.err"
t "the brochure builds in the brochure, book and handout themes" bash -c "
	$(declare -f build); O=$O D=$D; build ic brochure $BOOK && build ic-book book $BOOK && build ic-handout handout $BOOK"
t "a book with a figure that waits for the next page builds" bash -c "$(declare -f build); O=$O D=$D; build fl brochure tests/pdf/float-index.xml"
t "a theme setting adds an index at the back of a book without <index> (Norwegian)" bash -c "
	$(declare -f build); O=$O D=$D; build nb tests/pdf/index.theme tests/pdf/index-nb.xml && build nb-none brochure tests/pdf/index-nb.xml &&
	unzip -l $D/nb/index-nb.epub | grep -q 'index-1.xhtml' && ! unzip -l $D/nb-none/index-nb.epub | grep -q 'index-1.xhtml' &&
	pdftotext $D/nb/index-nb.pdf - | grep -q '^Register' && ! pdftotext $D/nb-none/index-nb.pdf - | grep -q '^Register'"

FE=$D/fix/pages.epub FP=$D/fix/pages.pdf
IE=$D/ic/international-commitment.epub IP=$D/ic/international-commitment.pdf

# 1. the print pages in the EPUB
t "page list: the fixture's pages, each body page begins with the PDF's words after its marker" $PC pages $FE $FP styles/brochure.theme
t "page list: the brochure" $PC pages $IE $IP styles/brochure.theme
t "page list: a figure waiting for the next page, the text flowing on: the pages follow the text" \
	$PC pages $D/fl/float-index.epub $D/fl/float-index.pdf styles/brochure.theme
t "page list: the brochure in the book theme (facing pages, blank pages before chapters)" \
	$PC pages $D/ic-book/international-commitment.epub $D/ic-book/international-commitment.pdf styles/book.theme
t "page list: the brochure in the handout theme" \
	$PC pages $D/ic-handout/international-commitment.epub $D/ic-handout/international-commitment.pdf styles/handout.theme
t "page list: contents longer than a page: each contents page's marker stands before the line that begins it (brochure, book)" bash -c "
	$O build -q -o $D/tl tests/pdf/toc-long.xml && $PC pages $D/tl/toc-long.epub $D/tl/toc-long.pdf styles/brochure.theme &&
	$O build -q -t book -o $D/tlb tests/pdf/toc-long.xml && $PC pages $D/tlb/toc-long.epub $D/tlb/toc-long.pdf styles/book.theme &&
	java -jar /usr/bin/epubcheck $D/tl/toc-long.epub 2>&1 | grep -q 'Messages: 0 fatals / 0 errors / 0 warnings'"
t "page list: a generated 100-page book (book, brochure): markers outside quotation marks, after a word's note call, with a note's label" bash -c "
	python3 bench/gen.py 100 $D/g100 > /dev/null &&
	$O build -q -t book -o $D/g100b $D/g100/book-100.xml && $PC pages $D/g100b/book-100.epub $D/g100b/book-100.pdf styles/book.theme &&
	$O build -q -o $D/g100r $D/g100/book-100.xml && $PC pages $D/g100r/book-100.epub $D/g100r/book-100.pdf styles/brochure.theme"
t "page list: a page that begins with a quotation: its marker before the opening mark" bash -c "
	$O build -q -o $D/biq tests/pdf/break-in-quote.xml && $PC pages $D/biq/break-in-quote.epub $D/biq/break-in-quote.pdf styles/brochure.theme"
t "a marker in the middle of a paragraph, between words (the fixture and a long text have one)" bash -c "
	python3 tests/prose.py $D/prose.xml && $O build -q --epub $D/prose.epub $D/prose.xml &&
	unzip -p $FE 'OEBPS/*.xhtml' | grep -Eq '[a-z,;.] <span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-[0-9]+\" aria-label=\"[0-9]+\"/>[A-Za-z]' &&
	unzip -p $D/prose.epub 'OEBPS/*.xhtml' | grep -Eq '[a-z,;.] <span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-[0-9]+\" aria-label=\"[0-9]+\"/>[A-Za-z]'"
t "no marker inside a word" bash -c "! unzip -p $FE 'OEBPS/*.xhtml' | grep -Eq '[[:alpha:]]<span epub:type=\"pagebreak\"[^>]*/>[[:alpha:]]'"
t "front matter: Cover, i, ii, iii in cover, title, copyright and nav pages" bash -c "
	unzip -p $IE OEBPS/cover.xhtml | grep -q 'id=\"page-Cover\"' && unzip -p $IE OEBPS/titlepage.xhtml | grep -q 'id=\"page-i\"' &&
	unzip -p $IE OEBPS/copyright.xhtml | grep -q 'id=\"page-ii\"' && unzip -p $IE OEBPS/nav.xhtml | grep -q 'id=\"page-iii\"'"
t "package: printPageNumbers, the page break source (dc:source, source-of pagination), NCX page counts" bash -c "
	opf=\$(unzip -p $IE OEBPS/content.opf); ncx=\$(unzip -p $IE OEBPS/toc.ncx); n=\$(pdfinfo $IP | awk '/^Pages/{print \$2}')
	printf '%s' \"\$opf\" | grep -q '<meta property=\"schema:accessibilityFeature\">printPageNumbers</meta>' &&
	printf '%s' \"\$opf\" | grep -q '<dc:source id=\"print-source\">International Commitment, PDF edition (octavo, theme brochure)</dc:source>' &&
	printf '%s' \"\$opf\" | grep -q '<meta refines=\"#print-source\" property=\"source-of\">pagination</meta>' &&
	printf '%s' \"\$ncx\" | grep -q \"<meta name=\\\"dtb:totalPageCount\\\" content=\\\"\$n\\\"/>\" &&
	printf '%s' \"\$ncx\" | grep -q '<pageTarget id=\"pt-5\" type=\"normal\" value=\"1\"'"
t "an EPUB built alone has the same page list" bash -c "
	mkdir -p $D/alone && $O build --epub $D/alone/ic.epub $BOOK && unzip -p $D/alone/ic.epub OEBPS/nav.xhtml > $D/alone.nav &&
	unzip -p $IE OEBPS/nav.xhtml | cmp - $D/alone.nav"
t "the PDF's table of contents and the EPUB's page list agree (brochure, book theme, fixture)" bash -c "
	$PC toc $IE $IP styles/brochure.theme && $PC toc $FE $FP styles/brochure.theme &&
	$PC toc $D/ic-book/international-commitment.epub $D/ic-book/international-commitment.pdf styles/book.theme"

# 2. "page N" references
t "page references: the PDF prints them, each target is on its page (pdftotext) and after its marker" $PC xrefs $FE $FP styles/brochure.theme
t "page references: page, select: page, select: title page" bash -c "
	x=\$(unzip -p $FE OEBPS/chapter-1.xhtml OEBPS/chapter-3.xhtml)
	printf '%s' \"\$x\" | grep -Eq '<a href=\"chapter-2.xhtml#sec-locks\" class=\"xref\">Lock Chambers on page</a> <a href=\"chapter-2.xhtml#page-[0-9]+\" class=\"xref-page\">[0-9]+</a>' &&
	printf '%s' \"\$x\" | grep -Eq '<a href=\"chapter-1.xhtml#sec-tides\" class=\"xref\">page</a> <a href=\"chapter-1.xhtml#page-[0-9]+\" class=\"xref-page\">[0-9]+</a>' &&
	pdftotext $FP - | tr '\n' ' ' | grep -Eq 'the figure on page [0-9]+;'"

# 3. the index
t "index: PDF and EPUB agree, each page number links to its page, pdftotext finds each term on exactly its pages, bold and italics" \
	$PC index $FE $FP styles/brochure.theme --words --fonts --min 11
t "index and page references with a figure that waits: the pages the text and the figure are on" bash -c "
	$PC index $D/fl/float-index.epub $D/fl/float-index.pdf styles/brochure.theme --words --min 3 &&
	$PC xrefs $D/fl/float-index.epub $D/fl/float-index.pdf styles/brochure.theme &&
	pdftotext -raw $D/fl/float-index.pdf - | grep -q '^frunt, 1\$' && pdftotext -f 6 -l 6 $D/fl/float-index.pdf - | grep -q 'Figure 1. A tall figure that waits'"
t "index: the brochure's index from its index terms" $PC index $IE $IP styles/brochure.theme --min 35
t "index: ranges with an en dash, see and see also, sub-entries (PDF)" bash -c "
	pdftotext -layout $FP - > $D/fix.txt && grep -Eq '^ebbon, [0-9]+–[0-9]+\$' $D/fix.txt && grep -Eq '^rangx, [0-9]+–[0-9]+\$' $D/fix.txt &&
	grep -q '^gorse. See quobb\$' $D/fix.txt && grep -Eq '^wemba, [0-9]+\\. See also dulse; quobb\$' $D/fix.txt &&
	grep -Eq '^ +plinth\$' $D/fix.txt && grep -Eq '^ +brack, [0-9]+\$' $D/fix.txt"
t "index: EPUB Indexes markup (index-group, index-entry-list, index-term, locator range, xref)" bash -c "
	x=\$(unzip -p $FE OEBPS/index-1.xhtml)
	for pat in '<section id=\"[^\"]*\" epub:type=\"index\" role=\"doc-index\" class=\"index\">' '<section epub:type=\"index-group\" class=\"index-group\">' \
		'<ul epub:type=\"index-entry-list\" class=\"index-entries\">' 'epub:type=\"index-entry\" class=\"index-entry\"><span epub:type=\"index-term\" class=\"index-term\">dulse</span>, <a href=\"chapter-2.xhtml#ov-[0-9]+\" epub:type=\"index-locator\"><strong>[0-9]+</strong></a>' \
		'<span epub:type=\"index-locator-range\" class=\"index-locator-range\"><a href=\"chapter-1.xhtml#ov-[0-9]+\" epub:type=\"index-locator\">[0-9]+</a>–<a' \
		'<em>See</em> <a href=\"#ov-[0-9]+\" epub:type=\"index-xref-preferred\"><span epub:type=\"index-term\" class=\"index-term\">quobb</span></a>'; do
		printf '%s' \"\$x\" | grep -Eq \"\$pat\" || { echo \"missing: \$pat\"; exit 1; }
	done"
t "index: sorted by the book's language: Norwegian æ ø å after z, in their letter groups" bash -c "
	$PC order $D/nb/index-nb.epub apple zebra Zürich ærlig Ærø øl Øst ål Ålesund år &&
	[ \"\$(unzip -p $D/nb/index-nb.epub OEBPS/index-1.xhtml | grep -o '<h2>[^<]*</h2>' | tr -d '\n')\" = '<h2>A</h2><h2>Z</h2><h2>Æ</h2><h2>Ø</h2><h2>Å</h2>' ]"
t "index: in the TOC, the landmarks, and the accessibility metadata" bash -c "
	unzip -p $IE OEBPS/nav.xhtml | grep -Eq '<a href=\"index-1.xhtml(#[^\"]*)?\">Index</a>' &&
	unzip -p $IE OEBPS/nav.xhtml | grep -q '<a epub:type=\"index\" href=\"index-1.xhtml\">Index</a>' &&
	unzip -p $IE OEBPS/content.opf | grep -q '<meta property=\"schema:accessibilityFeature\">index</meta>'"

# 3b. an EPUB without the print pages (--no-print-pages): built alone, the book is not typeset;
# "page N" references keep their words, the index names sections
NE=$D/np/pages.epub
t "--no-print-pages: an EPUB alone is built without typesetting, with no page list, markers or page metadata" bash -c "
	mkdir -p $D/np && $O build -v --no-print-pages --epub $NE $FIX 2> $D/np.err || { cat $D/np.err; exit 1; }
	! grep -v '^octavo: ' $D/np.err | grep . && ! grep -q 'typeset pass' $D/np.err && grep -q 'EPUB write' $D/np.err &&
	! unzip -p $NE 'OEBPS/*.xhtml' | grep -q 'pagebreak' && ! unzip -p $NE OEBPS/nav.xhtml | grep -q 'page-list' &&
	! unzip -p $NE OEBPS/toc.ncx | grep -q 'pageList' && ! unzip -p $NE OEBPS/content.opf | grep -Eq 'printPageNumbers|print-source'"
t "--no-print-pages: page references show their words alone (select: title page, page, select: page)" bash -c "
	x=\$(unzip -p $NE OEBPS/chapter-1.xhtml OEBPS/chapter-3.xhtml | sed 's/\\xc2\\xa0/ /g')
	printf '%s' \"\$x\" | grep -q '<a href=\"chapter-2.xhtml#sec-locks\" class=\"xref\">Lock Chambers</a>,' &&
	printf '%s' \"\$x\" | grep -q 'the tides on <a href=\"chapter-1.xhtml#sec-tides\" class=\"xref\">Tides and Their Tables</a>, and' &&
	printf '%s' \"\$x\" | grep -q 'the figure on <a href=\"chapter-2.xhtml#fig-dot\" class=\"xref\">Figure [0-9.]*</a>;' &&
	! printf '%s' \"\$x\" | grep -Eq 'xref-page|on page|page [?]'"
t "--no-print-pages: the index names the sections of its places: a range's two, see also kept" bash -c "
	x=\$(unzip -p $NE OEBPS/index-1.xhtml)
	printf '%s' \"\$x\" | grep -q 'index-term\">rangx</span>: <a href=\"chapter-2.xhtml#rng\" epub:type=\"index-locator\">Locks</a>; <a href=\"chapter-2.xhtml#[^\"]*\" epub:type=\"index-locator\">Lock Chambers</a></li>' &&
	printf '%s' \"\$x\" | grep -q 'index-term\">wemba</span>: <a href=\"chapter-3.xhtml#[^\"]*\" epub:type=\"index-locator\">Canals</a>. <em>See also</em>' &&
	! printf '%s' \"\$x\" | grep -Eq 'index-locator\">[0-9]'"
t "--no-print-pages with both outputs: the same EPUB as alone, the same PDF as without the option" bash -c "
	$O build -q --no-print-pages -o $D/np-both $FIX && cmp $D/np-both/pages.epub $NE && cmp $D/np-both/pages.pdf $FP"

# 4. epubcheck (one JVM), reproducibility
if [ -f /usr/bin/epubcheck ] && command -v java >/dev/null; then
	cp $FE $D/c-fix.epub; cp $D/nb/index-nb.epub $D/c-nb.epub; cp $D/ic-book/international-commitment.epub $D/c-book.epub
	cp $D/ic-handout/international-commitment.epub $D/c-handout.epub; cp $NE $D/c-no-pages.epub
	java -Xss1024k -cp /usr/bin/epubcheck tests/epub/EpubCheckMany.java $D/c-*.epub >/dev/null 2>&1 ||
		for e in $D/c-*.epub; do java -jar /usr/bin/epubcheck "$e" > "$e.check" 2>&1; done
	for e in $D/c-*.epub; do
		t "epubcheck $(basename $e .epub): 0 errors, 0 warnings (page list, index links)" bash -c "
			grep -q '^Messages: 0 fatals / 0 errors / 0 warnings' $e.check || { grep -E 'ERROR|WARNING|FATAL|Messages' $e.check; exit 1; }"
	done
else
	echo "not ok - index: epubcheck is not installed (make deps)"
fi
# 5. a later pass takes the paragraphs an earlier one set (text.c's memo): the same outputs as
# a build that sets every pass afresh, for books whose page numbers move, with paragraphs,
# table cells and list labels repeated word for word (each repeated paragraph is its own in
# the page map)
reuse_book() { # FILE: 6 chapters, each of the same paragraphs, a page reference ahead, a table, a list; an index
	{ printf '<?xml version="1.0" encoding="UTF-8"?>\n<book xmlns="http://docbook.org/ns/docbook" version="5.0" xml:lang="en"><info><title>Again</title></info>\n'
	for c in 1 2 3 4 5 6; do
		printf '<chapter xml:id="c%s"><title>Chapter %s</title>\n' $c $c
		for k in 1 2 3 4 5 6 7; do
			printf '<para>The same words come again here, and they are set the same way each time, with no change at all from one place to the next; the reader sees them %s.<indexterm><primary>again</primary></indexterm></para>\n' $((k % 2 ? 1 : 2))
		done
		printf '<para>Read more in <xref linkend="s%s" xrefstyle="select: title page"/>, or in <xref linkend="c1" xrefstyle="page"/>.<footnote><para>A note that says the same.</para></footnote></para>\n' $((c % 6 + 1))
		printf '<itemizedlist><listitem><para>One</para></listitem><listitem><para>One</para></listitem></itemizedlist>\n'
		printf '<informaltable><tgroup cols="2"><tbody><row><entry>yes</entry><entry>yes</entry></row><row><entry>no</entry><entry>yes</entry></row></tbody></tgroup></informaltable>\n'
		printf '<section xml:id="s%s"><title>Section %s</title><para>The section words<indexterm><primary>section %s</primary></indexterm> are short.</para></section></chapter>\n' $c $c $c
	done
	printf '<index/></book>\n'; } > "$1"
}
t "a later pass that takes what an earlier one set: the same EPUB and PDF as every pass set afresh" bash -c "
	$(declare -f reuse_book); reuse_book $D/again.xml
	for b in $D/again.xml $FIX tests/pdf/float-index.xml; do
		n=\$(basename \$b .xml)
		$O build -v -o $D/reuse-\$n \$b 2> $D/reuse-\$n.err && OCTAVO_REUSE=0 $O build -q -o $D/fresh-\$n \$b || exit 1
		grep -q 'typeset pass 2' $D/reuse-\$n.err || { echo \"\$n: one pass\"; exit 1; }
		cmp $D/reuse-\$n/\$n.epub $D/fresh-\$n/\$n.epub && cmp $D/reuse-\$n/\$n.pdf $D/fresh-\$n/\$n.pdf || exit 1
	done
	OCTAVO_REUSE=0 $O build -q -t book -o $D/fresh-book $BOOK && cmp $D/ic-book/international-commitment.pdf $D/fresh-book/international-commitment.pdf &&
	cmp $D/ic-book/international-commitment.epub $D/fresh-book/international-commitment.epub &&
	OCTAVO_REUSE=0 $O build -q -t tests/pdf/index.theme -o $D/fresh-nb tests/pdf/index-nb.xml && cmp $D/nb/index-nb.pdf $D/fresh-nb/index-nb.pdf"
t "two builds of the fixture are byte-identical (EPUB and PDF)" bash -c "
	$O build -o $D/again $FIX 2>/dev/null && cmp $D/again/pages.epub $FE && cmp $D/again/pages.pdf $FP"

# an index that opens with a paragraph of its own ("Page numbers in bold ...") got no entries:
# every term was lost, silently; the generated entries now follow its blocks
cat > "$D/intro.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<book xmlns="http://docbook.org/ns/docbook" version="5.0" xml:lang="en"><title>Locks</title>
<chapter><title>Gates</title><para>Gates<indexterm><primary>gatepost</primary></indexterm> open.</para></chapter>
<index><title>Index</title><para>Page numbers in bold refer to the main discussion.</para></index>
</book>
XML
t "an index opening with a paragraph: the paragraph, then the generated entries, in both outputs" bash -c "
	$O build -q -o $D/intro $D/intro.xml || exit 1
	pdftotext -raw $D/intro/intro.pdf - | tr '\n' ' ' | grep -q 'main discussion\. G gatepost, 1' || { pdftotext -raw $D/intro/intro.pdf - | tail -5; exit 1; }
	unzip -p $D/intro/intro.epub OEBPS/index-1.xhtml | sed 's/<[^>]*>/ /g' | tr -s ' \n' ' ' | grep -q 'main discussion\. G gatepost ,'"

# a second index (type="names") was an empty titled page in the PDF and the contents, and
# nothing in the EPUB (whose page list sent its page to the first index); an index with no terms
# to fill it the same: both are now left out of both outputs, with a warning
cat > "$D/two.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<book xmlns="http://docbook.org/ns/docbook" version="5.0" xml:lang="en"><title>Canals</title>
<chapter><title>Builders</title><para>Brindley<indexterm type="names"><primary>Brindley, James</primary></indexterm> dug.</para></chapter>
<index><title>Subject Index</title></index>
<index type="names"><title>Index of Names</title></index>
</book>
XML
t "a second index: left out of both outputs and the contents with a warning; its term in the first" bash -c "
	$O build -o $D/two $D/two.xml 2> $D/two.err || exit 1
	grep -q 'two.xml:5:[0-9]*: warning: a second <index> is left out' $D/two.err || { cat $D/two.err; exit 1; }
	! pdftotext $D/two/two.pdf - | grep -q 'Index of Names' && pdftotext -raw $D/two/two.pdf - | grep -q 'Brindley, James, 1' &&
	! unzip -p $D/two/two.epub OEBPS/nav.xhtml | grep -q 'Index of Names'"
