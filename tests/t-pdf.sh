#!/bin/bash
# The PDF back end, checked with real tools: qpdf, poppler (pdfinfo, pdffonts, pdftotext),
# MuPDF (mutool). Run by tests/run.sh with OCTAVO and OUT set; prints ok / not ok lines.
set -u
O=${OCTAVO:-./octavo}
D=${OUT:-tests/out}/pdf
rm -rf "$D"; mkdir -p "$D"
BOOK=book/international-commitment.xml

t() {
	local name=$1; shift
	if "$@" > "$D/log" 2>&1; then echo "ok - pdf: $name"; else echo "not ok - pdf: $name"; sed 's/^/#   /' "$D/log" | head -15; fi
}

export SOURCE_DATE_EPOCH=1389571200
t "the brochure builds with no diagnostic" bash -c "$O build --pdf $D/a/ic.pdf --png $D/png --png-dpi 40 $BOOK 2> $D/err; rc=\$?; cat $D/err; [ \$rc -eq 0 ] && [ ! -s $D/err ]"
PDF=$D/a/ic.pdf
t "qpdf --check finds nothing" bash -c "qpdf --check $PDF && ! qpdf --check $PDF 2>&1 | grep -qi warning"
# (Debian's mutool says "ICC support is not available" for any file: not about ours)
t "mutool reads every page without a warning" bash -c "mutool draw -o /dev/null -F txt $PDF 2>&1 | grep -v 'ICC support is not available' | tee /dev/stderr | (! grep -qi 'warning\|error')"
t "every font is embedded and subset" bash -c "pdffonts $PDF | awk 'NR>2 && (\$(NF-4)!=\"yes\" || \$(NF-3)!=\"yes\"){print; bad=1} END{exit bad}'"
t "page size is the theme's (A5), page count is the layout's" bash -c "pdfinfo $PDF | grep -q 'Page size: *419.53 x 595.28' && $O build --pdf $D/c.pdf --layout $D/c.layout $BOOK && [ \$(pdfinfo $PDF | awk '/^Pages/{print \$2}') -eq \$(grep -c '^page ' $D/c.layout) ] && [ \$(grep -c '^page ' $D/c.layout) -ge 10 ]"
t "a JPEG is embedded as JPEG, not re-encoded" bash -c "$O build --pdf $D/jpg.pdf tests/docs/figures.xml 2>/dev/null && pdfimages -list $D/jpg.pdf | awk '\$9==\"jpeg\"{found=1} END{exit !found}'"
t "metadata: title, author, creator, producer (octavo, not Cairo alone), dates from SOURCE_DATE_EPOCH" bash -c "pdfinfo $PDF > $D/info; grep -q 'Title: *International Commitment' $D/info && grep -q 'Author: *Norwegian Ministry of Foreign Affairs' $D/info && grep -q 'Creator: *octavo' $D/info && grep -q 'Producer: *octavo [0-9.]* with cairo' $D/info && grep -q 'CreationDate: *Mon Jan 13 00:00:00 2014 UTC' $D/info"
t "XMP metadata: the /Info's and the EPUB's title, creators, language, subjects, abstract (without its title), rights and identifier" bash -c "
	for doc in book/international-commitment.xml tests/docs/info.xml tests/docs/gentext-de.xml tests/pdf/many-credits.xml; do b=\$(basename \$doc .xml)
		$O build -q --pdf $D/xmp-\$b.pdf --epub $D/xmp-\$b.epub \$doc 2>/dev/null && python3 tests/xmpcheck.py $D/xmp-\$b.pdf $D/xmp-\$b.epub 2014-01-13T00:00:00Z || { echo \$doc; exit 1; }; done &&
	pdfinfo $D/xmp-info.pdf | grep -qx 'Subject: *This book exists to exercise every metadata element that octavo understands.' && pdfinfo -meta $D/xmp-info.pdf | grep -q '<rdf:li>Printing -- Style manuals</rdf:li>'"
t "document language is set (/Lang)" bash -c "mutool show $PDF trailer/Root/Lang | grep -q 'en'"
t "page labels: cover, roman front matter, arabic body from 1" bash -c "mutool show $PDF trailer/Root/PageLabels | tr -d '\n' | grep -q '/P (Cover).*/P (i).*/S /D */St 1'"
t "notes called on the title and copyright pages are set, marks and text" bash -c "
	$O build -q --pdf $D/frontfn.pdf --epub $D/frontfn.epub tests/pdf/front-notes.xml && python3 tests/words.py $O tests/pdf/front-notes.xml pdf $D/frontfn.pdf &&
	pdftotext -f 2 -l 3 $D/frontfn.pdf - > $D/frontfn.txt && grep -qx 'Book1' $D/frontfn.txt && grep -qx 'Bsub2' $D/frontfn.txt && grep -q 'Legal3$' $D/frontfn.txt &&
	for n in '1 titlefn delta' '2 subfn alpha' '3 legalfn bravo' '4 absfn charlie'; do grep -qF \"\$n\" $D/frontfn.txt || { echo \"\$n\"; exit 1; }; done"
t "the copyright page has the edition and the release info, with a date or without (as the EPUB's)" bash -c "
	$O build -q --pdf $D/info.pdf tests/docs/info.xml && pdftotext $D/info.pdf - | tr '\n' ' ' > $D/info.txt &&
	grep -q 'Second edition' $D/info.txt && grep -q 'Published 2024. Draft 3, not for distribution' $D/info.txt &&
	cp -r tests/docs/img $D/ && grep -v '<date>\|<pubdate>' tests/docs/info.xml > $D/info-nodate.xml && $O build -q --pdf $D/info-nodate.pdf $D/info-nodate.xml &&
	pdftotext $D/info-nodate.pdf - | grep -qx 'Draft 3, not for distribution'"
t "metadata fidelity: the front pages of both outputs show every author's affiliation, email and address, the credits, the print and revision history" bash -c "
	for doc in info db4; do $O build -q --pdf $D/meta-\$doc.pdf --epub $D/meta-\$doc.epub tests/docs/\$doc.xml &&
		python3 tests/metacheck.py $O tests/docs/\$doc.xml $D/meta-\$doc.pdf $D/meta-\$doc.epub || exit 1; done"
t "front pages: a dozen authors and 40 revisions go on to further pages (an author with the lines under them), inside the text area, each value in both outputs, an email once" bash -c "
	$O build -q --pdf $D/many.pdf --epub $D/many.epub tests/pdf/many-credits.xml &&
	python3 tests/pdfcheck.py area $D/many.pdf styles/brochure.theme && python3 tests/metacheck.py $O tests/pdf/many-credits.xml $D/many.pdf $D/many.epub &&
	[ \$(pdftotext $D/many.pdf - | grep -c 'a7@example.org') -eq 1 ] && pdftotext -f 2 -l 2 $D/many.pdf - | grep -qx 'Example Press' &&
	pdftotext -f 3 -l 3 $D/many.pdf - | grep -m1 . | grep -qx 'Author Number [0-9]*'"
t "the EPUB has a copyright page for a revision and print history alone, as the PDF" bash -c "
	$O build -q --pdf $D/rho.pdf --epub $D/rho.epub tests/pdf/revhistory-only.xml &&
	python3 tests/metacheck.py $O tests/pdf/revhistory-only.xml $D/rho.pdf $D/rho.epub && unzip -l $D/rho.epub | grep -q copyright.xhtml"
t "an author in the info of a paragraph or a figure is a warning, not a byline inside it" bash -c "
	printf '%s' '<?xml version=\"1.0\"?><book xmlns=\"http://docbook.org/ns/docbook\" version=\"5.0\"><title>B</title><chapter><title>C</title><para><info><author><personname>Ann</personname></author></info>Text.</para></chapter></book>' > $D/pinfo.xml &&
	$O build --pdf $D/pinfo.pdf --epub $D/pinfo.epub $D/pinfo.xml 2> $D/pinfo.err && grep -q 'pinfo.xml:1:.*warning: <author> in the info of <para> is not shown' $D/pinfo.err &&
	! unzip -p $D/pinfo.epub OEBPS/chapter-1.xhtml | grep -q '<p[^>]*><p' && pdftotext $D/pinfo.pdf - | grep -qx 'Text.'"
t "a theme's [words] replace the words of a language octavo has none for, in both outputs (contents, a note's label, landmarks, set-in, the copyright sign)" bash -c "
	$O build -q -t tests/pdf/words.theme --pdf $D/words.pdf --epub $D/words.epub tests/pdf/words-sk.xml &&
	java -jar /usr/bin/epubcheck $D/words.epub 2>&1 | grep -q 'Messages: 0 fatals / 0 errors / 0 warnings' &&
	pdftotext $D/words.pdf - | tr -d '\f' > $D/words.txt && grep -qx 'Obsah' $D/words.txt && grep -qx 'Poznámka' $D/words.txt &&
	grep -qF 'Vysádzané písmami Gentium Book Plus a Noto Sans programom octavo' $D/words.txt && grep -qx '© 2024 Autor' $D/words.txt &&
	unzip -p $D/words.epub OEBPS/content.opf | grep -qF '<dc:rights>© 2024 Autor</dc:rights>' &&
	unzip -p $D/words.epub OEBPS/nav.xhtml | grep -q 'Obsah' && unzip -p $D/words.epub OEBPS/nav.xhtml | grep -q 'Orientačné body' &&
	unzip -p $D/words.epub OEBPS/chapter-1.xhtml | grep -q 'Poznámka' &&
	$O build -q --pdf $D/words-en.pdf tests/pdf/words-sk.xml && pdftotext $D/words-en.pdf - | tr -d '\f' | grep -qx 'Contents'"
t "Czech and Russian books: their own words, a page reference's abbreviation bound to its number, index letters in the language's order, in both outputs" bash -c "
	$O build -q --pdf $D/wcs.pdf --epub $D/wcs.epub tests/pdf/words-cs.xml &&
	java -jar /usr/bin/epubcheck $D/wcs.epub 2>&1 | grep -q 'Messages: 0 fatals / 0 errors / 0 warnings' &&
	pdftotext $D/wcs.pdf - | tr -d '\f' > $D/wcs.txt && grep -qx 'Obsah' $D/wcs.txt && grep -qx 'Rejstřík' $D/wcs.txt &&
	grep -qx 'Viz Druhá a s. 2.' $D/wcs.txt && test \"\$(grep -x 'C\|Č\|H\|Ch\|Z\|Ž' $D/wcs.txt | tr '\n' ' ')\" = 'C Č H Ch Z Ž ' &&
	unzip -p $D/wcs.epub OEBPS/chapter-1.xhtml | grep -qF 'class=\"xref\">s.</a> <a' &&
	test \"\$(unzip -p $D/wcs.epub OEBPS/index-1.xhtml | grep -o '<h2>[^<]*</h2>' | tr -d '\n')\" = '<h2>C</h2><h2>Č</h2><h2>H</h2><h2>Ch</h2><h2>Z</h2><h2>Ž</h2>' &&
	$O build -q -t book --pdf $D/wru.pdf --epub $D/wru.epub tests/pdf/words-ru.xml &&
	pdftotext $D/wru.pdf - | tr -d '\f' > $D/wru.txt && grep -qx 'Содержание' $D/wru.txt && grep -qx 'Глава 1' $D/wru.txt &&
	grep -qx 'См. Рисунок 1 и Глава 2, Вторая на странице 3.' $D/wru.txt && grep -qx 'Совет' $D/wru.txt && grep -qx 'Урок. Первый абзац.' $D/wru.txt &&
	test \"\$(grep -A2 -x 'Е' $D/wru.txt | tr '\n' ' ')\" = 'Е ёж, 1 ель, 1 ' &&
	unzip -p $D/wru.epub OEBPS/nav.xhtml | grep -q 'Ориентиры' && unzip -p $D/wru.epub OEBPS/chapter-1.xhtml | grep -q 'Рисунок.*1'"
t "a chapter's own authors, a section's own release info stand under its title in both outputs, and the text after them starts unindented" bash -c "
	pdftotext $D/meta-info.pdf - | grep -A1 -x 'Where the title lives inside info' | sed -n 2p | grep -qx 'Jan Tschichold' &&
	pdftotext $D/meta-info.pdf - | grep -A1 -x 'A Section With Info' | grep -qx 'Revised in spring' &&
	unzip -p $D/meta-info.epub OEBPS/chapter-1.xhtml | grep -qF '<p class=\"byline\"><em>Revised in spring</em></p>' &&
	unzip -p $D/meta-info.epub OEBPS/chapter-1.xhtml | tr -d '\n' | grep -q 'Where the title lives inside info</p><p class=\"byline\"><em>Jan Tschichold</em></p>' &&
	unzip -p $D/meta-info.epub OEBPS/style.css | grep -qF 'p.byline + p { text-indent: 0; }'"
t "key combinations and menu choices are joined the same in both outputs: Ctrl+S, File → Export → PDF (Ctrl+E), Esc :q" bash -c "
	$O build -q --pdf $D/inl.pdf --epub $D/inl.epub tests/docs/inlines.xml &&
	for out in \"\$(pdftotext $D/inl.pdf - | tr '\n' ' ')\" \"\$(unzip -p $D/inl.epub 'OEBPS/chapter-*.xhtml' | sed 's/<[^>]*>//g' | tr '\n' ' ')\"; do
		for want in 'Press Ctrl+S or' 'File → Export → PDF (Ctrl+E);' 'leave with Esc :q.'; do
			printf '%s' \"\$out\" | sed 's/\xc2\xa0/ /g; s/( /(/g; s/ \\+ /+/g' | grep -qF \"\$want\" || { echo \"no '\$want' in: \$out\" | cut -c1-400; exit 1; }; done; done"
t "key combinations outside DocBook's model: a separator written in the source is kept, not doubled; an index term or a note adds none" bash -c "
	$O build -q --pdf $D/keys.pdf tests/pdf/keys-odd.xml 2>/dev/null && pdftotext $D/keys.pdf - | tr '\n' ' ' > $D/keys.txt &&
	grep -qF 'Copy with Ctrl + C or Ctrl+V1 and Edit → Paste (Ctrl+V, Shift+Ins).' $D/keys.txt || { cat $D/keys.txt; exit 1; }"
t "questions and answers: labelled Q: and A: (own labels, numbers) and set unindented in both outputs" bash -c "
	$O build -q --pdf $D/qa.pdf --epub $D/qa.epub --layout $D/qa.layout tests/docs/qanda.xml && pdftotext $D/qa.pdf $D/qa.txt &&
	q=\$(sed -n 's/^  line \\([0-9.]*\\) [0-9.]* \"Q: How.*/\\1/p' $D/qa.layout) && a=\$(sed -n 's/^  line \\([0-9.]*\\) [0-9.]* \"A: Run.*/\\1/p' $D/qa.layout) &&
	[ -n \"\$q\" ] && [ \"\$q\" = \"\$a\" ] || { echo \"Q at '\$q', A at '\$a'\"; exit 1; }
	grep -qx 'Q: How do I build the book?' $D/qa.txt &&
	grep -qx 'Q: How do I build the book?' $D/qa.txt && grep -qx 'A: Run make book.' $D/qa.txt && grep -qx 'Q7 Why two outputs?' $D/qa.txt &&
	grep -qx '1. First?' $D/qa.txt && grep -qx '2. Second?' $D/qa.txt && grep -qx 'Frequently Asked' $D/qa.txt &&
	tr '\n' ' ' < $D/qa.txt | grep -qF 'Links land on Q: How do I build the book?, on an entry' &&
	grep -A2 -x 'Q: Can answers hold questions?' $D/qa.txt | tr '\n' '|' | grep -qx 'Q: Can answers hold questions?|A:|Q: Inner question?|' &&
	python3 tests/pdfcheck.py links $D/qa.pdf &&
	x=\$(unzip -p $D/qa.epub OEBPS/chapter-1.xhtml) &&
	printf '%s' \"\$x\" | grep -q '<p id=\"q-build\" class=\"question\"><strong class=\"label\">Q:</strong> How do I build the book?</p>' &&
	printf '%s' \"\$x\" | grep -qF '<p class=\"answer\"><strong class=\"label\">A:</strong> Run ' &&
	python3 tests/pdfcheck.py area $D/qa.pdf styles/brochure.theme &&
	unzip -p $D/qa.epub OEBPS/style.css | grep -qF 'p.question, p.answer { text-indent: 0; }'"
t "callouts: a listing's marks and its callout list's entries carry the same numbers in both outputs; an areaspec's areas marked at their lines' ends" bash -c "
	$O build --pdf $D/co.pdf --epub $D/co.epub tests/docs/callouts.xml 2> $D/co.err && [ ! -s $D/co.err ] &&
	$O build --pdf $D/area.pdf --epub $D/area.epub tests/pdf/areaspec.xml 2> $D/area.err &&
	grep -q 'areaspec.xml:28:13: warning: <area units=\"calspair\" coords=\"1,1 2,2\">: no line to mark' $D/area.err &&
	grep -q 'areaspec.xml:28:68: warning: area at line 9: the listing has 2 lines; marked at its end' $D/area.err &&
	[ \$(wc -l < $D/area.err) -eq 2 ] &&
	pdftotext -layout $D/area.pdf - | sed 's/^ *//' | tr -s ' ' > $D/area.txt &&
	grep -qx 'ls (1)' $D/area.txt && grep -qx 'cd out (2)' $D/area.txt && grep -qx 'make (2) (3)' $D/area.txt && grep -qx 'hi (2)' $D/area.txt &&
	grep -qx 'second (1)' $D/area.txt &&
	grep -A1 -x '(3)' $D/area.txt | grep -qx 'All three.' && python3 tests/pdfcheck.py links $D/area.pdf &&
	unzip -p $D/area.epub OEBPS/chapter-1.xhtml | grep -qF '(2)</span> <span id=\"a3\" class=\"co bold\">(3)</span>' &&
	pdftotext -layout $D/co.pdf - | tr -s ' ' > $D/co.txt &&
	grep -qF 'int main(void) (1)' $D/co.txt && grep -qF 'return 0; (2)' $D/co.txt && grep -qF 'Mark (2) ends the program; (1) starts it.' $D/co.txt &&
	grep -A1 -x '(1)' $D/co.txt | grep -qF 'The program starts here.' && grep -A1 -x '(2)' $D/co.txt | grep -qF 'Zero means success.' &&
	grep -A1 -x '(2)' $D/co.txt | grep -qF 'Change to the folder.' && grep -A1 -x '(1)' $D/co.txt | grep -qF 'List it.' &&
	x=\$(unzip -p $D/co.epub OEBPS/chapter-1.xhtml | tr -d '\n') &&
	printf '%s' \"\$x\" | grep -qF 'return 0; <span id=\"co-ret\" class=\"co bold\">(2)</span>' &&
	printf '%s' \"\$x\" | grep -q '<dt[^>]*>(2)</dt><dd[^>]*><p[^>]*>Zero means success.</p>'"
t "callouts: a listing's co marks number on after its areas; an areaset whose areas all have ids is a link target; an xref to a question that starts with a list shows its first words" bash -c "
	$O build --pdf $D/cs.pdf --epub $D/cs.epub tests/pdf/callout-series.xml 2> $D/cs.err &&
	grep -q 'callout-series.xml:37:29: warning: <area units=\"other\" coords=\"x\">: no line to mark' $D/cs.err && [ \$(wc -l < $D/cs.err) -eq 1 ] &&
	pdftotext -layout $D/cs.pdf - | sed 's/^ *//' | tr -s ' ' > $D/cs.txt &&
	grep -qx 'beta (2)' $D/cs.txt && grep -qx 'gamma (2)' $D/cs.txt && grep -qx 'delta (3)' $D/cs.txt &&
	grep -A1 -x '(3)' $D/cs.txt | grep -qx 'The co after the areas.' &&
	grep -qF 'The set is (2), its first area (2), the co (3); the question is Q: Which of' $D/cs.txt &&
	python3 tests/pdfcheck.py links $D/cs.pdf &&
	x=\$(unzip -p $D/cs.epub OEBPS/chapter-1.xhtml | tr -d '\n') &&
	printf '%s' \"\$x\" | grep -qF '<span id=\"s-set\" class=\"co bold\"><span id=\"s-two\" class=\"co bold\">(2)</span></span>' &&
	printf '%s' \"\$x\" | grep -qF '<a href=\"#q-list\" class=\"xref\">Q: Which of these outputs does octavo write by default when it…</a>' &&
	printf '%s' \"\$x\" | grep -qF 'two <span id=\"t-co\" class=\"co bold\">(2)</span> <span id=\"t-two\" class=\"co bold\">(1)</span>' &&
	printf '%s' \"\$x\" | grep -qF 'Then <a href=\"#t-set\" class=\"xref\">(1)</a>, <a href=\"#t-co\" class=\"xref\">(2)</a>, <a href=\"#q-items\" class=\"xref\">Q: Red, green or yellow Blue</a> and <a href=\"#q-empty\" class=\"xref\">Q:</a>.'"
t "a listing's or an admonition's left bar is drawn only beside its lines: none at the foot of a page its block left (the manual, admonitions, callouts)" bash -c "
	for f in bench/manual/fs.xml tests/docs/admonitions.xml tests/pdf/callout-series.xml; do
		$O build -q --pdf $D/bars.pdf --layout $D/bars.layout \$f 2>/dev/null && python3 tests/pdfcheck.py bars $D/bars.layout || exit 1
	done"
t "a note called on a page's last line, or in a table's last row on a page, starts on that page" bash -c "
	$O build -q --pdf $D/naf.pdf --layout $D/naf.layout tests/pdf/notes-at-foot.xml && python3 tests/pdfcheck.py notecalls $D/naf.layout &&
	python3 tests/words.py $O tests/pdf/notes-at-foot.xml pdf $D/naf.pdf"
t "a cell spanning rows, taller than a page (CALS and HTML): every word set once, inside the text area" bash -c "
	$O build -q --pdf $D/rs.pdf tests/pdf/rowspan-tall.xml &&
	pdftotext -raw $D/rs.pdf - | grep -o '[vwxyz][0-9]\{4\}' | sort > $D/rs.got &&
	grep -o '[vwxyz][0-9]\{4\}' tests/pdf/rowspan-tall.xml | sort > $D/rs.want && diff $D/rs.want $D/rs.got > /dev/null &&
	python3 tests/pdfcheck.py area $D/rs.pdf styles/brochure.theme"
t "narrow cells: a word hyphenated twice, or broken before a dash after it, is given once and whole in the text layer" bash -c "
	$O build -q --pdf $D/hn.pdf tests/pdf/hyphen-narrow.xml && python3 tests/pdfcheck.py fragments $D/hn.pdf tests/pdf/hyphen-narrow.xml &&
	python3 tests/words.py $O tests/pdf/hyphen-narrow.xml pdf $D/hn.pdf"
t "inline markup against white space: each of 31 sentences reads the same in the PDF's text and the EPUB's (quotes, links without words, names, keys, endterms, bibliography, citations in brackets); a citation naming an entry links to it in both" bash -c "
	$O build -q -o $D/iw tests/pdf/inline-words.xml &&
	python3 tests/pdfcheck.py sentences $D/iw/inline-words.pdf $D/iw/inline-words.epub tests/pdf/inline-words.expect &&
	[ \$(unzip -p $D/iw/inline-words.epub OEBPS/chapter-1.xhtml | grep -o 'href=\"#b1\"' | wc -l) -eq 3 ] &&
	$O build -q --pdf $D/iw.pdf --layout $D/iw.layout tests/pdf/inline-words.xml && [ \$(grep -c '^ *link .*#b1\$' $D/iw.layout) -eq 3 ]"
t "words made from markup read the same in both outputs: a link holding only a space before a stop, a callout for two marks, an xref to an unlabelled question, a product name's sign, a key's otherfunction, a glossary term linked without words, glossary acronyms (after, before, empty), an empty sortas, an xref in a quotation to a title with one, a run-in title's stop" bash -c "
	$O build -q -o $D/gw tests/pdf/gen-words.xml &&
	python3 tests/pdfcheck.py sentences $D/gw/gen-words.pdf $D/gw/gen-words.epub tests/pdf/gen-words.expect &&
	unzip -p $D/gw/gen-words.epub OEBPS/chapter-1.xhtml | grep -qF '<a href=\"glossary-1.xhtml#g-widget\">widgets</a>' &&
	unzip -p $D/gw/gen-words.epub OEBPS/index-1.xhtml | grep -qF '<h2>Z</h2>'"
t "label attributes: a section's own label numbers its subsections (X.1), the next section counts on (A.2), per-chapter tables under a labelled chapter (A.1), in headings, captions and xrefs of both outputs" bash -c "
	$O build -q -t tests/pdf/numbers.theme -o $D/lb tests/docs/labels.xml &&
	pdftotext $D/lb/labels.pdf - > $D/lb/pdf.txt && unzip -p $D/lb/labels.epub OEBPS/chapter-1.xhtml > $D/lb/ch.xhtml &&
	for w in 'X.1 Inside' 'A.2 Next' 'Section X.1, Inside' 'Figure Z. A figure' 'Table A.1. A table'; do grep -qF \"\$w\" $D/lb/pdf.txt || exit 1; done &&
	grep -q '<h3><span class=\"label\">X.1</span>.*Inside</h3>' $D/lb/ch.xhtml &&
	grep -q '<caption><span class=\"label\">Table.*A.1.</span>.*A table</caption>' $D/lb/ch.xhtml &&
	grep -q '>Section.*X.1, Inside</a>' $D/lb/ch.xhtml"
t "words once lost: a block's subtitle, an attribution out of its place or not its quotation's first, a text object beside a caption and no image, an entity inside an entity in the metadata, an equation's lone alt" bash -c "
	$O build -q -o $D/lw tests/pdf/lost-words.xml && python3 tests/words.py $O tests/pdf/lost-words.xml pdf $D/lw/lost-words.pdf &&
	pdftotext $D/lw/lost-words.pdf - | grep -q 'Printed by Lantern Press' &&
	$O check tests/pdf/lost-words.xml 2>&1 | grep -q 'lost-words.xml:14:1: warning: a written <toc> is not shown' &&
	unzip -p $D/lw/lost-words.epub OEBPS/content.opf | grep -q '>Printed by Lantern Press</dc:publisher>' &&
	x=\$(unzip -p $D/lw/lost-words.epub OEBPS/chapter-1.xhtml) &&
	for w in Sidebarsub Examplesub Tablesub Notesub Listsub Firstattr Secondattr Strayattr Textobject Captionwords Altinline Altblock; do
		printf '%s' \"\$x\" | grep -q \"\$w\" || { echo \"EPUB: no \$w\"; exit 1; }; done"
t "a line stretched past its tolerance opens its spaces, not its letters: its words stay whole in the text layer" bash -c "
	$O build -q --pdf $D/lc.pdf tests/pdf/letter-cap.xml && pdftotext -raw $D/lc.pdf - | grep -q '^x2400z x2401z x2402z'"
t "display pages print no number: the copyright page, a part's title page alone (book theme)" bash -c "
	$O build -q -t book --pdf $D/bl1.pdf $BOOK && python3 tests/pagecheck.py blind $D/bl1.pdf 'Set in Gentium' &&
	$O build -q -t book --pdf $D/bl2.pdf tests/docs/gentext-de.xml && python3 tests/pagecheck.py blind $D/bl2.pdf 'Teil I Der Teil'"
t "an ordered list's widest label (VIII.) stays inside the text area" bash -c "
	$O build -q --pdf $D/rl.pdf tests/docs/lists.xml && python3 tests/pdfcheck.py area $D/rl.pdf styles/brochure.theme"
t "a heading of several lines is balanced: no short word alone on its last line" bash -c "
	$O build -q --pdf $D/bal.pdf tests/pdf/toc-wrap.xml &&
	pdftotext -f 5 -l 5 $D/bal.pdf - | sed '/^x\$/,\$d' | tail -1 | awk '{ exit !(NF >= 3) }'"
t "a glossary is set as a variable list: terms at the margin, definitions and See (also) indented alike, unindented; levels 4 and 5 of sections in bold italic" bash -c "
	$O build -q --pdf $D/gl.pdf --layout $D/gl.layout tests/docs/divisions.xml &&
	awk '/\"Glossary\"/{m=\$2} /\"folio\"|\"eightvo\"|\"octavo\"/{if (\$2 != m) bad=1; t++} /\"A sheet folded once|\"See also octavo.\"|\"See octavo.\"/{if (d == \"\") d=\$2; if (\$2 != d || \$2 <= m) bad=1; n++} END{exit bad || t != 3 || n != 3}' $D/gl.layout &&
	pdffonts -f 9 -l 9 $D/gl.pdf | grep -q 'NotoSans-BoldItalic'"
t "simplelist type=inline runs in the text, its members joined by commas, in both outputs" bash -c "
	$O build -q -o $D/sl tests/docs/lists.xml && pdftotext $D/sl/lists.pdf - | grep -qx 'A4, Letter, Legal' &&
	unzip -p $D/sl/lists.epub OEBPS/chapter-1.xhtml | grep -q '<span class=\"member\">A4</span>, <span class=\"member\">Letter</span>, '"
t "contents: an entry is never the last line of its page when its first subentry starts the next" bash -c "
	$O build -q --pdf $D/tk.pdf tests/pdf/toc-long.xml && python3 tests/pagecheck.py toc-keep $D/tk.pdf"
t "a table's header words in narrow columns are hyphenated, never cut with no hyphen" bash -c "
	$O build -q --pdf $D/hh.pdf --layout $D/hh.layout tests/pdf/header-hyphen.xml &&
	awk -F'\"' '/^  line / && NF >= 3 { w = \$2; if (w ~ /^(Measure|Conversa|Observa|Recom|menda|Contribu|Mainte)/ && w !~ /(ment|tion|nance)\$/ && \$3 != \"-\") { print \"cut: \" w; bad = 1 }; n++ } END { exit bad || n < 10 }' $D/hh.layout"
t "metadata with no place in either output is a warning at its place; the publisher's address stands under its name in both" bash -c "
	$O build -o $D/mu tests/pdf/meta-unshown.xml 2> $D/mu.err; cat $D/mu.err
	for w in '6:41: warning: <personblurb> of <author>' '8:1: warning: <address> in <info>' '9:1: warning: <productname> in <info>' '10:1: warning: <bibliomisc> in <info>'; do
		grep -q \"tests/pdf/meta-unshown.xml:\$w\" $D/mu.err || { echo \"no: \$w\"; exit 1; }; done
	pdftotext $D/mu/meta-unshown.pdf - | grep -A1 -x 'Lantern Press' | grep -qx 'Bergen' &&
	unzip -p $D/mu/meta-unshown.epub OEBPS/titlepage.xhtml | grep -q 'publisher-address\">Bergen<'"
t "a column of numbers is set flush right, its head too, in both outputs; a head over two columns is centred" bash -c "
	$O build -q -o $D/num tests/docs/tables-cals.xml &&
	pdftotext -bbox -f 5 -l 5 $D/num/tables-cals.pdf - | awk -F'\"' '/>(229|1\\.5)</ { x[++n] = \$6 } END { d = x[1] - x[2]; exit !(n == 2 && d < 0.5 && d > -0.5) }' &&
	x=\$(unzip -p $D/num/tables-cals.epub OEBPS/chapter-1.xhtml) &&
	printf '%s' \"\$x\" | grep -q '<td class=\"align-right\">152' &&
	printf '%s' \"\$x\" | grep -q '<th scope=\"col\" class=\"align-right\">Width' &&
	printf '%s' \"\$x\" | grep -q 'colspan=\"2\" class=\"align-center\">Size (mm)' &&
	printf '%s' \"\$x\" | grep -q '<td>Octavo'"
t "book theme: the front matter numbered from the title page (the cover's back is Inside cover), numbers and margins on each page's own side" bash -c "
	$O build -q -t book --pdf $D/fm.pdf $BOOK && python3 tests/pagecheck.py front $D/fm.pdf styles/book.theme &&
	$O build -q -t book --pdf $D/fm2.pdf tests/pdf/toc-long.xml && python3 tests/pagecheck.py front $D/fm2.pdf styles/book.theme"
t "contents: a wrapped title's next line stands under its first word, not under its number" bash -c "
	$O build -q -t book --pdf $D/tw.pdf tests/pdf/toc-wrap.xml && python3 tests/pagecheck.py toc-hang $D/tw.pdf Blocks onto &&
	python3 tests/pagecheck.py toc-hang $D/tw.pdf An onto"
t "running heads: a chapter's titleabbrev, an untitled glossary's word (not the book's title)" bash -c "
	$O build -q --pdf $D/rh.pdf tests/pdf/running-head.xml && n=\$(pdfinfo $D/rh.pdf | awk '/^Pages/{print \$2}') &&
	heads=\$(for p in \$(seq 1 \$n); do pdftotext -f \$p -l \$p $D/rh.pdf - | head -1; done) &&
	[ \$(echo \"\$heads\" | grep -cx 'Short head') -ge 1 ] && [ \$(echo \"\$heads\" | grep -cx 'Glossary') -ge 2 ]"
t "a wrapped code line's mark stands inside the text block, not in the margin" bash -c "
	$O build -q --pdf $D/cw.pdf --layout $D/cw.layout tests/pdf/code-wrap.xml &&
	python3 -c 'import re, sys; sys.path.insert(0, \"tests\"); from pagecheck import theme_box
(outer,) = theme_box(\"styles/brochure.theme\", (\"margin-outer\",), (0,))
marks = [float(m) for m in re.findall(r\"^  mark ([\\d.]+) \", open(sys.argv[1]).read(), re.M)]
sys.exit(not marks or max(marks) + 3 > 419.53 - outer + 0.05)' $D/cw.layout"
t "scripts without italics: Arabic and Hebrew italics set upright (no slant), Arabic emphasis bold, in both outputs; French italic" bash -c "
	$O build -q -o $D/up tests/pdf/upright.xml && mutool draw -F trace -o $D/up.trace $D/up/upright.pdf 5 2> /dev/null &&
	! grep -E 'font=\"[A-Z]+\+Noto(NaskhArabic|SansHebrew)[^\"]*\".*trm=\"[0-9.]+ 0 [1-9]' $D/up.trace &&
	grep -q 'NotoNaskhArabic-Bold' $D/up.trace && grep -q 'GentiumBookPlus-Italic' $D/up.trace &&
	unzip -p $D/up/upright.epub OEBPS/style.css | grep -qF 'em:lang(ar)' &&
	unzip -l $D/up/upright.epub | grep -q 'NotoNaskhArabic-Bold' &&
	java -jar /usr/bin/epubcheck $D/up/upright.epub 2>&1 | grep -q 'Messages: 0 fatals / 0 errors / 0 warnings'"
t "contents: leader dots start within 2 em of a title and end within an em of its page number (brochure; a long contents in the book theme)" bash -c "
	python3 tests/pagecheck.py toc-leaders $PDF 10.5 && $O build -q -t book --pdf $D/tlk.pdf tests/pdf/toc-long.xml &&
	python3 tests/pagecheck.py toc-leaders $D/tlk.pdf 10.5"
t "hyphenated words keep the punctuation after them in the text layer: no line of pdftotext starts with it (45 hyphenated lines)" bash -c "
	$O build -q --pdf $D/hp.pdf --report $D/hp.json tests/pdf/hyphen-punct.xml &&
	python3 -c \"import json, sys; sys.exit(json.load(open('$D/hp.json'))['total']['hyphenated_lines'] < 20)\" &&
	pdftotext -raw $D/hp.pdf - | grep -v '^\. \. \.' > $D/hp.txt && ! grep -n '^[,.;:)”]' $D/hp.txt &&
	python3 tests/words.py $O tests/pdf/hyphen-punct.xml pdf $D/hp.pdf"
t "tagged PDF: a list item's label is read before its body, which is one element; an element's text is one Span beside its links (the lists, the manual)" bash -c "
	for f in tests/docs/lists.xml tests/pdf/deep-links.xml bench/manual/fs.xml; do
		$O build -q --pdf $D/struct.pdf \$f 2>/dev/null && python3 tests/pdfcheck.py struct $D/struct.pdf || exit 1
	done"
t "a link to a block lands on the page the block begins on, also when the block went on whole to the next page (120 page references)" bash -c "
	$O build -q --pdf $D/dests.pdf --layout $D/dests.layout tests/pdf/dests.xml && python3 tests/pdfcheck.py pagerefs $D/dests.pdf $D/dests.layout"
t "a figure's title and its media object's caption are set in the EPUB's order, their notes numbered and listed in order" bash -c "
	$O build -q --pdf $D/fign.pdf tests/pdf/figure-notes.xml && pdftotext $D/fign.pdf - > $D/fign.txt &&
	[ \"\$(grep -n -e '^Figure 1. A figure2\$' -e '^Caption words3.\$' $D/fign.txt | cut -d: -f2- | tr '\n' '|')\" = 'Figure 1. A figure2|Caption words3.|' ] &&
	[ \"\$(grep -E '^[1-4] [A-Z][a-z]+ note\.\$' $D/fign.txt | cut -c1 | tr -d '\n')\" = 1234 ]"
t "a figure that fits a page with its caption but not the space left floats, the text after it going on before it" bash -c "
	$O build -q --pdf $D/fc.pdf tests/pdf/float-caption.xml &&
	pdftotext $D/fc.pdf - | awk 'BEGIN { p = 1 } /\f/ { p++ } /^AFTERTEXT follows/ { a = p } /^Figure 1\. Fig/ { f = p } END { exit !(a && f && a < f) }'"
t "inheritnum: a list's items are numbered after their list's item, 3.a., 3.b., the same in both outputs" bash -c "
	$O build -q --pdf $D/inh.pdf --epub $D/inh.epub tests/docs/lists.xml &&
	pdftotext $D/inh.pdf - | grep -qx '3.a. three minutes for black tea;' && pdftotext $D/inh.pdf - | grep -qx '3.b. two minutes for green tea.' &&
	unzip -p $D/inh.epub OEBPS/chapter-1.xhtml | grep -qF '<li><p><span class=\"label\">3.b.</span> two minutes for green tea.</p>' &&
	unzip -p $D/inh.epub OEBPS/chapter-1.xhtml | grep -qF '<ol type=\"a\" class=\"inherit\">' && unzip -p $D/inh.epub OEBPS/style.css | grep -qF 'ol.inherit { list-style: none; }'"
t "ordered lists in ordered lists are numbered 1., a., i., A., then as the one written before, the same in both outputs" bash -c "
	$O build -q --pdf $D/nn.pdf --epub $D/nn.epub tests/pdf/nested-numbers.xml &&
	[ \"\$(pdftotext $D/nn.pdf - | grep -oE '^[0-9a-zA-Z]+\. ' | tr -d ' \n')\" = '1.a.i.A.b.I.1.2.' ] &&
	[ \"\$(unzip -p $D/nn.epub OEBPS/chapter-1.xhtml | grep -o '<ol[^>]*>' | tr -d '\n')\" = '<ol><ol type=\"a\"><ol type=\"i\"><ol type=\"A\"><ol type=\"I\"><ol>' ]"
t "text fidelity: every word of the brochure, in order" python3 tests/words.py "$O" $BOOK pdf $PDF
t "no text outside the text area" python3 tests/pdfcheck.py area $PDF styles/brochure.theme
t "internal links land on the page that shows their text" python3 tests/pdfcheck.py links $PDF
t "outline: one entry per TOC entry, each on its page" bash -c "n=\$($O dump $BOOK | sed -n '/^toc/,/^footnotes/p' | grep -c '^  '); python3 tests/pdfcheck.py outline $PDF \$n"
t "external links are URI annotations" bash -c "mutool run tests/links.js $PDF | grep -q 'https://undocs.org/S/RES/1325(2000)'"
t "one PNG preview per page; body pages are not blank" bash -c "n=\$(pdfinfo $PDF | awk '/^Pages/{print \$2}'); [ \$(ls $D/png | wc -l) -eq \$n ] && python3 tests/pngink.py \$(ls $D/png/*.png | tail -n 8)"
t "reproducible: a second build elsewhere is byte-identical" bash -c "mkdir -p $D/b && cp -r book $D/b/ && sleep 1 && $O build --pdf $D/b/ic.pdf $D/b/book/international-commitment.xml && cmp $PDF $D/b/ic.pdf"
t "packed in one pass: object streams, one cross-reference stream, within 3 % of qpdf's packing, an /ID that follows the content" bash -c "
	[ \$(grep -ac '^%%EOF' $PDF) -eq 1 ] && [ \$(grep -ac '^startxref' $PDF) -eq 1 ] && ! grep -aq '^xref' $PDF || { echo 'not one cross-reference stream'; exit 1; }
	qpdf --show-xref $PDF | grep -q 'compressed; stream =' || { echo 'no object streams'; exit 1; }
	qpdf --object-streams=generate $PDF $D/packed.pdf && a=\$(stat -c %s $PDF) && r=\$(stat -c %s $D/packed.pdf) && echo \"\$a bytes, qpdf's \$r\" && [ \$a -le \$((r * 103 / 100)) ] || exit 1
	id() { qpdf --show-object=trailer \$1 | grep -o '/ID \\[ <[0-9a-f]*> <[0-9a-f]*> \\]'; }
	a=\$(id $PDF) && [ -n \"\$a\" ] && [ \"\$a\" = \"\$(id $D/b/ic.pdf)\" ] || { echo \"no /ID, or not the same: \$a\"; exit 1; }
	mkdir -p $D/idb && cp -r book $D/idb/ && sed -i '0,/peace/s//quiet/' $D/idb/book/ch-un.xml &&
	$O build --pdf $D/idb/ic.pdf $D/idb/book/international-commitment.xml && b=\$(id $D/idb/ic.pdf) && echo \"\$a\" && echo \"\$b\" && [ -n \"\$b\" ] && [ \"\$a\" != \"\$b\" ]"
t "handout theme: A4 pages" bash -c "$O build -t handout --pdf $D/h.pdf $BOOK && pdfinfo $D/h.pdf | grep -q 'Page size: *595.28 x 841.89' && python3 tests/pdfcheck.py area $D/h.pdf styles/handout.theme"
t "book theme: 6x9in facing pages, the body opens on a right-hand page" bash -c "$O build -t book --pdf $D/k.pdf $BOOK && pdfinfo $D/k.pdf | grep -q 'Page size: *432 x 648' && mutool show $D/k.pdf trailer/Root/PageLabels | tr -d '\n' | grep -Eq '(0|2|4|6|8) <<  */S /D' && python3 tests/pdfcheck.py area $D/k.pdf styles/book.theme"

# every test document: builds, qpdf-clean, no word lost
for src in tests/docs/*.xml; do
	grep -q '<book\|<article' "$src" || continue
	b=$(basename "$src" .xml)
	t "$b builds, passes qpdf and keeps every word" bash -c "$O build --pdf $D/docs/$b.pdf $src 2>$D/docs-$b.err; [ -f $D/docs/$b.pdf ] && qpdf --check $D/docs/$b.pdf >/dev/null && python3 tests/words.py $O $src pdf $D/docs/$b.pdf"
done
t "a failed build leaves the previous PDF untouched" bash -c "cp $PDF $D/keep.pdf && ! $O build --pdf $D/keep.pdf tests/bad/dangling-xref.xml 2>/dev/null && cmp $PDF $D/keep.pdf && [ -z \"\$(ls -A $D | grep '^\.keep')\" ]"

# golden page layouts: boxes and page breaks as text (tests/layout/NAME.layout)
for gold in tests/layout/*.layout; do
	b=$(basename "$gold" .layout)
	t "layout of $b matches its golden file" bash -c "$O build --pdf $D/lay-$b.pdf --layout $D/$b.layout tests/docs/$b.xml && diff -u $gold $D/$b.layout"
done
t "tagged PDF: Document, headings, paragraphs, figures with their alt text" bash -c "pdfinfo $PDF | grep -q 'Tagged: *yes' && $O build --pdf $D/fig.pdf tests/docs/figures.xml 2>/dev/null && qpdf --qdf --object-streams=disable $D/fig.pdf $D/figq.pdf && grep -aq '/S /Figure' $D/figq.pdf && grep -aq '/Alt (A small red dot on white)' $D/figq.pdf && qpdf --qdf --object-streams=disable $PDF $D/icq.pdf && grep -aq '/S /Document' $D/icq.pdf && grep -aq '/S /H1' $D/icq.pdf && grep -aq '/S /P' $D/icq.pdf"
tagged_alt() {
	$O build --pdf $D/fa.pdf tests/docs/figures-alt.xml &&
	python3 tests/tagcheck.py $D/fa.pdf de 'Ein Bild über Öl (rot) \ “zitiert”' '' '(unbalanced paren and a backslash at the end \' &&
	python3 tests/tagcheck.py $PDF en
}
t "tagged PDF: MarkInfo, one Document owning every top element, alt text escaped or UTF-16 at any depth" tagged_alt
t "tagged PDF: lists as L/LI/Lbl/LBody, tables as Table/TR/TH/TD" bash -c "$O build --pdf $D/tl.pdf tests/docs/lists.xml && qpdf --qdf --object-streams=disable $D/tl.pdf $D/tlq.pdf && for s in L LI Lbl LBody; do grep -aq \"/S /\$s\\b\" $D/tlq.pdf || { echo no \$s; exit 1; }; done && $O build --pdf $D/tt.pdf tests/docs/tables-cals.xml && qpdf --qdf --object-streams=disable $D/tt.pdf $D/ttq.pdf && for s in Table TR TH TD; do grep -aq \"/S /\$s\\b\" $D/ttq.pdf || { echo no \$s; exit 1; }; done"
# footnotes: each a Note element, their links links (a URI in tests/docs/footnotes.xml, an xref
# here), their text in the tag tree's order
note_links() {
	$O build --pdf $D/fn.pdf tests/docs/footnotes.xml 2>/dev/null && qpdf --qdf --object-streams=disable $D/fn.pdf $D/fnq.pdf &&
	[ "$(grep -ac '/S /Note\b' $D/fnq.pdf)" -eq "$(grep -o '<footnote[ >]' tests/docs/footnotes.xml | wc -l)" ] &&
	grep -aq '/URI (https://example.org/aldus)' $D/fnq.pdf || { echo "footnotes.xml: Note elements or the URI missing"; return 1; }
	cat > $D/fnx.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<article xmlns="http://docbook.org/ns/docbook" version="5.0" xml:lang="en"><title>Notes</title>
<section xml:id="s1"><title>One</title><para>Called here<footnote><para>See <xref linkend="s2"/>.</para></footnote>.</para></section>
<section xml:id="s2"><title>Two</title><para>After.</para></section></article>
XML
	$O build --pdf $D/fnx.pdf $D/fnx.xml && python3 tests/pdfcheck.py links $D/fnx.pdf > $D/fnx.links && cat $D/fnx.links &&
	[ "$(mutool run tests/links.js $D/fnx.pdf | awk -F'\t' '$1 == 5' | wc -l)" -ge 2 ] && python3 tests/tagcheck.py $D/fnx.pdf en
}
t "footnotes are Note elements, and their links are links" note_links
t "lists seven deep: every text in a structure element, the deepest paragraph's link too" bash -c "$O build --pdf $D/deep.pdf tests/pdf/deep-links.xml && qpdf --check $D/deep.pdf && python3 tests/tagcheck.py $D/deep.pdf en && python3 tests/words.py $O tests/pdf/deep-links.xml pdf $D/deep.pdf"
t "HTML tables: rows written after a thead, a tfoot, an anchor or stray text are set, head first, in the PDF" bash -c "
	for b in html-rows html-rows-stray; do $O build -q --pdf $D/\$b.pdf tests/pdf/\$b.xml 2>/dev/null && python3 tests/words.py $O tests/pdf/\$b.xml pdf $D/\$b.pdf || exit 1; done &&
	pdftotext $D/html-rows.pdf - | tr '\\n' ' ' | tr -s ' ' | grep -q 'headB headB2 cellB1 cellB2 cellB3 cellB4'"
t "an id on a tgroup is its table's (a link to it goes there); one on a colspec is a warning at it, and a link to it an error" bash -c "
	$O check tests/pdf/tgroup-id.xml 2> $D/tg.err; rc=\$?; cat $D/tg.err; [ \$rc -eq 1 ] &&
	grep -qx 'tests/pdf/tgroup-id.xml:4:55: warning: <colspec xml:id=\"cs\">: a column is no place to link to; links to it will fail' $D/tg.err &&
	grep -c error $D/tg.err | grep -qx 1 && grep -q 'link to \"cs\"' $D/tg.err"
t "a table over several pages repeats its header row on each" bash -c "$O build --pdf $D/long.pdf tests/pdf/long-table.xml && n=\$(pdfinfo $D/long.pdf | awk '/^Pages/{print \$2}') && [ \$n -ge 8 ] && for p in \$(seq 6 \$n); do pdftotext -f \$p -l \$p $D/long.pdf - | grep -q '^Article' || { echo \"page \$p has no header row\"; exit 1; }; done && python3 tests/words.py $O tests/pdf/long-table.xml pdf $D/long.pdf"
t "a footnote too long for its page continues on the next, no word lost" bash -c "$O build --pdf $D/ln.pdf --layout $D/ln.layout tests/pdf/long-note.xml && python3 tests/words.py $O tests/pdf/long-note.xml pdf $D/ln.pdf && [ \$(grep -c '^  notes' $D/ln.layout) -ge 2 ] && python3 tests/pdfcheck.py area $D/ln.pdf styles/brochure.theme"
for src in tests/pdf/tall-row.xml tests/pdf/list-labels.xml; do
	b=$(basename "$src" .xml)
	t "$b keeps every word inside the text area" bash -c "$O build --pdf $D/$b.pdf --layout $D/$b.layout $src && python3 tests/words.py $O $src pdf $D/$b.pdf && python3 tests/pdfcheck.py area $D/$b.pdf styles/brochure.theme"
done
# above the notes of a page (the brochure: A5, 20 mm bottom margin, 10.5 pt text) no line of the
# text (its descent, a quarter of its size, below the baseline) nor rule reaches
above_notes() {
	python3 -c '
import re, sys
bottom = 595.28 - 20 / 25.4 * 72
page, bad = [], 0
def check(items, notes):
    global bad
    for kind, y, text in items:
        if y + (10.5 / 4 if kind == "line" else 0) > bottom - notes:
            print("into the notes (%.1f pt high): %s at %.1f %s" % (notes, kind, y, text)); bad = 1
items = []
for l in open(sys.argv[1]):
    if l.startswith("page "):
        items = []
    m = re.match(r"  (line|rule) [\d.]+ ([\d.]+)(.*)", l)
    if m:
        items.append((m.group(1), float(m.group(2)), m.group(3)))
    m = re.match(r"  notes ([\d.]+)", l)
    if m:
        check(items, float(m.group(1)))
sys.exit(bad)' "$1"
}
tall_notes() {
	local n p
	$O build --pdf $D/trn.pdf --layout $D/trn.layout tests/pdf/tall-row-notes.xml 2> $D/trn.err && [ ! -s $D/trn.err ] &&
	python3 tests/words.py $O tests/pdf/tall-row-notes.xml pdf $D/trn.pdf && python3 tests/pdfcheck.py area $D/trn.pdf styles/brochure.theme &&
	python3 tests/pdfcheck.py links $D/trn.pdf && above_notes $D/trn.layout &&
	qpdf --qdf --object-streams=disable $D/trn.pdf $D/trnq.pdf && grep -aq '/URI (https://example.org/tall)' $D/trnq.pdf || return 1
	n=$(pdfinfo $D/trn.pdf | awk '/^Pages/{print $2}')
	for p in $(seq 1 "$n"); do
		pdftotext -f "$p" -l "$p" $D/trn.pdf - > $D/trn.txt
		grep -q 'Middle call[0-9]' $D/trn.txt || continue
		grep -q 'Footnote from the long cell' $D/trn.txt && break
		echo "the long cell's note is not on page $p, with its call"; return 1
	done
	# the long cell first: the short one's note goes below it, here or on the next page
	sed -E 's#<row>(<entry xml:id="cellb">.*</entry>)(<entry><para>tx0.*</entry>)</row>#<row>\2\1</row>#' tests/pdf/tall-row-notes.xml > $D/trs.xml &&
	grep -q '<row><entry><para>tx0' $D/trs.xml && $O build --pdf $D/trs.pdf --layout $D/trs.layout $D/trs.xml &&
	above_notes $D/trs.layout && [ "$(pdftotext $D/trs.pdf - | grep -c 'Footnote from the short cell')" -eq 1 ] || return 1
	# the call in the short cell links to the page its note went to
	n=$(pdfinfo $D/trs.pdf | awk '/^Pages/{print $2}')
	for p in $(seq 1 "$n"); do pdftotext -f "$p" -l "$p" $D/trs.pdf - | grep -q 'Footnote from the short cell' && break; done
	mutool run tests/links.js $D/trs.pdf | grep -q "#page=$p&" || { echo "no link to page $p, where the short cell's note is"; return 1; }
	for q in $(seq 1 "$n"); do pdftotext -f "$q" -l "$q" $D/trs.pdf - | grep -q '^Short2' && break; done
	[ "$q" != "$p" ] || { echo "the note is on its call's page: this test needs it carried"; return 1; }
	mutool run tests/links.js $D/trs.pdf | awk -F'\t' -v q="$q" -v p="$p" '$1 == q && $3 ~ "#page=" p "&" {found = 1} END {exit !found}' ||
		{ echo "the call on page $q does not link to page $p"; return 1; }
}
# a footnote carried to the next page of a facing-pages book: its lines at that page's margin
# (the book theme: 22 mm inside, on the left of a right-hand page; 16 mm outside)
carried_margin() {
	$O build -t book --pdf $D/lnb.pdf --layout $D/lnb.layout tests/pdf/long-note.xml && awk '
		/^page/ { n = $4; sub(/label=/, "", n); want = (n % 2 == 1 ? 22 : 16) / 25.4 * 72; pg = $2 }
		/^    line/ { seen++; if ($2 - want > 10 || want - $2 > 0.1) { print "page " pg ": a note line at " $2 ", the margin at " want; bad = 1 } }
		END { exit bad || seen == 0 }' $D/lnb.layout &&
	[ "$(grep -c '^  notes' $D/lnb.layout)" -ge 2 ]
}
t "a footnote carried to the next page keeps that page's margin (facing pages): its lines at the margin, or hung after its number" carried_margin
t "a table row taller than a page keeps its cells' notes, links and ids, and its text above the notes" tall_notes
t "a note in a repeated table header is set once" bash -c "[ \$(pdftotext $D/tall-row.pdf - | grep -c 'A note in the header') -eq 1 ]"
t "list labels: 1. and A. on one line, 2. beside a table, 4. for an empty item" bash -c "grep -q '\"1.\"' $D/list-labels.layout && grep -q '\"A.\"' $D/list-labels.layout && grep -q '\"2.\"' $D/list-labels.layout && grep -q '\"4.\"' $D/list-labels.layout && [ \$(grep -E '\"(1|A)\\.\"' $D/list-labels.layout | awk '{print \$3}' | sort -u | wc -l) -eq 1 ]"
t "a bad SOURCE_DATE_EPOCH is a warning, not a crash" bash -c "SOURCE_DATE_EPOCH=99999999999999 $O build -o $D/sde $BOOK 2>&1 | grep -q 'SOURCE_DATE_EPOCH' && [ -f $D/sde/international-commitment.pdf ]"
