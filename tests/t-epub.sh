#!/bin/bash
# The EPUB back end (issue 3). Run by tests/run.sh from the top of the tree with OCTAVO and
# OUT set; prints one "ok - ..." or "not ok - ..." line per check, "# ..." lines to explain a
# failure. Needs java and epubcheck (make deps) and python3 (standard library only).
#
# Golden XHTML: tests/epub/golden/DOC.FILE.xhtml is FILE of tests/docs/DOC.xml's EPUB. After a
# deliberate change, regenerate with   OCTAVO_REGOLD=1 bash tests/t-epub.sh   and read the diff.
set -u
OCTAVO=${OCTAVO:-./octavo}
OUT=${OUT:-tests/out}
D=$OUT/epub
PY=$(command -v /usr/bin/python3 || command -v python3) # not a slow version-manager shim
TOOL="$PY tests/epub/epubtool.py"
EPUBCHECK="java -Xss1024k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar /usr/bin/epubcheck"
BROCHURE=book/international-commitment.xml
export SOURCE_DATE_EPOCH=1700000000
rm -rf "$D"
mkdir -p "$D"

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
# check NAME COMMAND...: ok when the command succeeds; its output explains a failure.
check() {
	local name=$1 log
	shift
	if log=$("$@" 2>&1); then
		ok "$name"
	else
		notok "$name"
		printf '%s\n' "$log" | sed '/^$/d; s/^/#   /' | head -25
	fi
}

# 1. build every book: the test documents, the brochure, the EPUB fixtures that build, and a
#    book with a chapter of about 700 KB (its pages are cut to a bounded size)
books=()
$PY tests/epub/longbook.py "$D/longbook.xml"
for src in tests/docs/*.xml "$BROCHURE" tests/epub/remote-image.xml tests/epub/case-names.xml "$D/longbook.xml"; do
	grep -q '<book\|<article' "$src" || continue
	books+=("$src")
done
for src in "${books[@]}"; do
	b=$(basename "$src" .xml)
	check "epub: build $b" bash -c "$OCTAVO build --epub '$D/$b.epub' '$src' 2> '$D/$b.err' && test -s '$D/$b.epub' || { cat '$D/$b.err'; exit 1; }"
	$OCTAVO dump "$src" > "$D/$b.dump" 2>/dev/null
done

# ... and the brochure in every theme (numbered chapters, no indent, no printed TOC, a body
# font that is not bundled)
themes=()
for th in styles/*.theme tests/epub/*.theme; do
	t=theme-$(basename "$th" .theme)
	themes+=("$t")
	check "epub: build the brochure with $th" bash -c "$OCTAVO build -t '$th' --epub '$D/$t.epub' '$BROCHURE' 2> '$D/$t.err' || { cat '$D/$t.err'; exit 1; }"
done

# 2. epubcheck: 0 fatals, 0 errors, 0 warnings for each. One JVM for all books when java can
#    run a source file (tests/epub/EpubCheckMany.java), else one JVM per book.
if [ -f /usr/bin/epubcheck ] && command -v java >/dev/null; then
	java -Xss1024k -cp /usr/bin/epubcheck tests/epub/EpubCheckMany.java "$D"/*.epub >/dev/null 2>&1 ||
		ls "$D"/*.epub | xargs -P 2 -I{} sh -c "$EPUBCHECK '{}' > '{}.check' 2>&1"
	for b in $(for src in "${books[@]}"; do basename "$src" .xml; done) "${themes[@]}"; do
		check "epub: epubcheck $b: 0 errors, 0 warnings" bash -c "
			grep -q '^Messages: 0 fatals / 0 errors / 0 warnings' '$D/$b.epub.check' || { grep -E 'ERROR|WARNING|FATAL|Messages' '$D/$b.epub.check'; exit 1; }"
	done
else
	notok "epub: epubcheck is not installed (make deps)"
fi

# a long chapter in pages of at most 160 KB (one long section cut before its own sections),
# in reading order, the short chapter whole; every section's heading as in one page
check "epub: a 700 KB chapter is cut into pages of at most 160 KB at its sections, in reading order; a short one is not" $PY - "$D/longbook.epub" <<'PY'
import posixpath, re, sys, zipfile
sys.path.insert(0, "tests/epub")
from epubtool import Book
z = zipfile.ZipFile(sys.argv[1])
book = Book(sys.argv[1])
pages = [h for h in book.spine if h.startswith("chapter-1")]
sizes = {h: len(z.read(posixpath.join(book.base, h))) for h in pages}
assert len(pages) >= 4 and max(sizes.values()) <= 160 * 1024, sizes
assert [h for h in book.spine if h.startswith("chapter-2")] == ["chapter-2.xhtml"], book.spine
heads = []
for h in pages:
    heads += re.findall(r'<(h[1-6])[^>]*>(?:<[^>]*>)*(?:Section|Part) (\d+)(?: of section (\d+))?', z.read(posixpath.join(book.base, h)).decode())
secs = [int(n) for t, n, inner in heads if not inner]
assert secs == list(range(1, 31)), secs
assert all(t == "h2" for t, n, inner in heads if not inner) and all(t == "h3" for t, n, inner in heads if inner), heads
after = [h for h in pages if "A paragraph after section 7, before section 8." in z.read(posixpath.join(book.base, h)).decode()]
assert len(after) == 1, after
PY

# 3. per book: the package (mimetype, manifest = files, nav, NCX), links, notes, images,
#    cover, accessibility metadata; and text fidelity against the model
for src in "${books[@]}"; do
	b=$(basename "$src" .xml)
	e=$D/$b.epub
	check "epub: $b: package, links, footnotes, images, cover, accessibility, no heading level skipped" bash -c "$TOOL all '$e' >/dev/null"
	check "epub: $b: every word of the model is in the XHTML, in order" $TOOL words "$D/$b.dump" "$e"
done

# 4. the package in detail (the brochure)
E=$D/international-commitment.epub
check "epub: the brochure builds without a warning" bash -c "[ ! -s '$D/international-commitment.err' ] || { cat '$D/international-commitment.err'; exit 1; }"
check "epub: mimetype is the first entry, stored (zipinfo)" bash -c "zipinfo '$E' | sed -n 3p | grep -Eq ' stor .* mimetype\$'"
check "epub: OPF version 3.0 with identifier, title, language, creator, publisher, date, rights, description" bash -c "
	unzip -p '$E' OEBPS/content.opf > '$D/opf.xml'
	for pat in 'version=\"3.0\"' '<dc:identifier id=\"bookid\">urn:uuid:[0-9a-f-]\{36\}</dc:identifier>' \
		'<dc:title id=\"title\">International Commitment</dc:title>' '<dc:language>en</dc:language>' \
		'<dc:creator id=\"creator-1\">Norwegian Ministry of Foreign Affairs</dc:creator>' \
		'<dc:publisher>' '<dc:date>2014-01-13</dc:date>' '<dc:rights>Copyright' '<dc:description>International engagement' \
		'<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>'; do
		grep -q \"\$pat\" '$D/opf.xml' || { echo \"missing: \$pat\"; exit 1; }
	done"
check "epub: the ISBN is the identifier when the book has one" bash -c "unzip -p '$D/info.epub' OEBPS/content.opf | grep -q '<dc:identifier id=\"bookid\">urn:isbn:9780306406157</dc:identifier>'"
check "epub: the identifier names the book, not its text: a corrected word keeps it; a biblioid class=doi is urn:doi:; the drawn cover's alt says its words" bash -c "
	sed 's/Boil the water/Boil fresh water/' tests/docs/lists.xml > '$D/id-b.xml' && cp tests/docs/lists.xml '$D/id-a.xml' &&
	$OCTAVO build -q --epub '$D/id-a.epub' '$D/id-a.xml' && $OCTAVO build -q --epub '$D/id-b.epub' '$D/id-b.xml' &&
	a=\$(unzip -p '$D/id-a.epub' OEBPS/content.opf | grep -o '<dc:identifier[^<]*') && b=\$(unzip -p '$D/id-b.epub' OEBPS/content.opf | grep -o '<dc:identifier[^<]*') &&
	[ -n \"\$a\" ] && [ \"\$a\" = \"\$b\" ] && ! cmp -s '$D/id-a.epub' '$D/id-b.epub' &&
	sed 's|<title>Lists</title>|<info><title>Lists</title><biblioid class=\"doi\">doi:10.1000/xyz</biblioid></info>|' tests/docs/lists.xml > '$D/id-c.xml' &&
	grep -q biblioid '$D/id-c.xml' && $OCTAVO build -q --epub '$D/id-c.epub' '$D/id-c.xml' &&
	unzip -p '$D/id-c.epub' OEBPS/content.opf | grep -q '>urn:doi:10.1000/xyz</dc:identifier>' &&
	unzip -p '$E' OEBPS/cover.xhtml | grep -q 'alt=\"International Commitment: Norway.s engagement for peace and security, Norwegian Ministry of Foreign Affairs\"'"
check "epub: every font file is used by the CSS, every @font-face file is in the package" bash -c "
	css=\$(unzip -p '$E' OEBPS/style.css)
	files=\$(unzip -Z1 '$E' | grep '^OEBPS/fonts/' | sed 's|^OEBPS/||' | sort)
	urls=\$(printf '%s\n' \"\$css\" | grep -o 'url([^)]*)' | sed 's/url(//; s/)//' | sort -u)
	[ -n \"\$files\" ] && [ \"\$files\" = \"\$urls\" ] || { echo \"files: \$files\"; echo \"urls: \$urls\"; exit 1; }
	# the brochure uses no code and no bold body text: no mono face, no Gentium bold
	! printf '%s\n' \"\$files\" | grep -q 'Mono\|GentiumBookPlus-Bold'"
check "epub: CSS from the theme (fonts, leading, colours, justification, hyphenation, indent)" bash -c "
	css=\$(unzip -p '$E' OEBPS/style.css)
	# Droid Sans Fallback after the theme's families: the Japanese of the colophon, as the PDF sets it
	for pat in 'font-family: \"Gentium Book Plus\", \"Droid Sans Fallback\", serif' \
		'font-family: \"Noto Sans\", \"Droid Sans Fallback\", sans-serif' 'line-height: 1.333' \
		'color: #1a1a1a' 'color: #1d3557' 'a { color: #1d4e89' 'text-align: justify' 'hyphens: auto' 'p + p { text-indent: 1.2em; }'; do
		printf '%s\n' \"\$css\" | grep -qF \"\$pat\" || { echo \"missing: \$pat\"; exit 1; }
	done"

check "epub: themes: numbered headings; no printed TOC keeps the nav out of the reading order; no @font-face for a font not bundled" bash -c "
	$TOOL xhtml '$D/theme-book.epub' chapter-1.xhtml | grep -qF '<h1><span class=\"label label-line\">Chapter 1</span> UN' &&
	unzip -p '$D/theme-no-toc.epub' OEBPS/content.opf | grep -qF '<itemref idref=\"nav\" linear=\"no\"/>' &&
	unzip -p '$D/theme-no-toc.epub' OEBPS/style.css | grep -qF 'font-family: \"DejaVu Serif\", \"Droid Sans Fallback\", serif' &&
	! unzip -Z1 '$D/theme-no-toc.epub' | grep -q Gentium &&
	unzip -p '$D/theme-no-toc.epub' OEBPS/style.css | grep -qF 'p + p { margin-top: 0.5em; }'"

check "epub: a German book's generated words are German in both outputs (labels, captions, notes, index, page references, contents, navigation); a run-in title keeps its footnote; a glossary's See also names the term; a paragraph may end in an xref" bash -c "
	$OCTAVO build -q -t book --epub '$D/de.epub' --pdf '$D/de.pdf' tests/docs/gentext-de.xml || exit 1
	x=\$(unzip -p '$D/de.epub' OEBPS/nav.xhtml OEBPS/part-1.xhtml OEBPS/chapter-1.xhtml OEBPS/chapter-2.xhtml OEBPS/appendix-1.xhtml \
		OEBPS/glossary-1.xhtml OEBPS/index-1.xhtml | sed 's/\\xc2\\xa0/ /g') # no-break spaces as spaces
	p=\$(pdftotext '$D/de.pdf' - | tr '\n' ' ')
	for w in '<h1>Inhalt</h1>' '>Umschlag</a>' '>Titelseite</a>' '>Beginn des Inhalts</a>' '<h2>Seiten</h2>' \
		'Kapitel 1</span>' 'Anhang A</span>' 'Abbildung 1.' 'Tabelle 1.' 'Beispiel 1.' '>Warnung<' '>Anmerkung<' \
		'Kapitel 2 auf Seite' '>Stichwortverzeichnis<' '>Siehe auch<' 'Teil I</span>' 'Eine Fußnote im Titel.' \
		'Siehe auch <a href=\"#gl-steg\" class=\"xref\">Steg</a>' 'Verweis: <a href=\"chapter-1.xhtml#eins\" class=\"xref\">Kapitel 1' \
		'>Nichts zu sehen</p>'; do
		printf '%s\n' \"\$x\" | grep -qF \"\$w\" || { echo \"EPUB: missing \$w\"; exit 1; }
	done
	for w in 'Inhalt' 'Kapitel 1' 'Anhang A' 'Abbildung 1.' 'Tabelle 1.' 'Beispiel 1.' 'Warnung' 'Anmerkung' 'Kapitel 2 auf Seite' \
		'Stichwortverzeichnis' 'Siehe auch Fluss' 'Veröffentlicht 2026' 'Gesetzt in Gentium Book Plus und Noto Sans' 'Teil I' \
		'Ein „Titel“1. Der Absatz' 'Eine Fußnote im Titel.' 'Siehe auch Steg' 'Siehe Brücke' 'Verweis: Kapitel 1, Der Anfang' \
		'Nichts zu sehen'; do
		printf '%s\n' \"\$p\" | grep -qF \"\$w\" || { echo \"PDF: missing \$w\"; exit 1; }
	done
	! printf '%s\n%s\n' \"\$x\" \"\$p\" | grep -E 'Part|Chapter|Appendix|Figure|Contents|Warning|See also|on page|Landmarks' || exit 1
	pdfinfo -f 1 -l 1 '$D/de.pdf' > /dev/null && qpdf --check '$D/de.pdf' > /dev/null"

check "epub: quotation marks by language, two deep, the same in the EPUB and the PDF" bash -c "
	$OCTAVO build -q --epub '$D/q.epub' --pdf '$D/q.pdf' tests/docs/quotes.xml || exit 1
	marks() { grep -o '[«»„“”‘’‚‹›]' | tr -d '\n'; }
	e=\$(unzip -p '$D/q.epub' OEBPS/chapter-1.xhtml | sed 's/<[^>]*>//g' | marks)
	p=\$(pdftotext -f 5 -l 5 '$D/q.pdf' - | marks)
	[ \"\$e\" = \"\$p\" ] || { echo \"EPUB: \$e\"; echo \"PDF:  \$p\"; exit 1; }
	# German „ ‚ ‘ “, French « ‹ › », Russian « „ “ »
	unzip -p '$D/q.epub' OEBPS/chapter-1.xhtml | grep -qF 'Deutsch: „außen ‚innen‘ außen“' &&
	unzip -p '$D/q.epub' OEBPS/chapter-1.xhtml | grep -qF 'Русский: «снаружи „внутри“ снаружи»' &&
	pdftotext '$D/q.pdf' - | grep -qF 'Français : « dehors ‹ dedans › dehors »' &&
	# a title's quotation: in the contents, the heading and a reference (PDF), the nav and the reference (EPUB)
	[ \$(pdftotext '$D/q.pdf' - | grep -c 'The “Harbour”') -ge 3 ] &&
	unzip -p '$D/q.epub' OEBPS/nav.xhtml | grep -qF '>The “Harbour”</a>' &&
	unzip -p '$D/q.epub' OEBPS/chapter-1.xhtml | grep -qF 'class=\"xref\">The “Harbour”</a>'"

list_marks() { # the marks a reader sees in the EPUB (from the list classes) = the PDF's marks
	$OCTAVO build -q --epub "$D/marks.epub" --pdf "$D/marks.pdf" tests/epub/marks.xml || return 1
	unzip -p "$D/marks.epub" OEBPS/chapter-1.xhtml > "$D/marks.xhtml" && pdftotext "$D/marks.pdf" "$D/marks.txt" || return 1
	python3 - "$D/marks.xhtml" "$D/marks.txt" <<-'EOF'
		import re, sys
		import xml.etree.ElementTree as ET
		H = "{http://www.w3.org/1999/xhtml}"
		css = {"mark-disc": "•", "mark-dash": "–", "mark-circle": "◦", "mark-square": "▪", "mark-none": "", "simplelist": ""}
		def walk(e, out, mark=None, depth=0):
		    # a ul without a mark class: a reading system's own style (disc, then circle, then square)
		    if e.tag == H + "ul":
		        cls = (e.get("class") or "").split()
		        mark = next((css[c] for c in cls if c in css), ["•", "◦", "▪"][min(depth, 2)])
		    elif e.tag == H + "ol":
		        mark = "#"
		    if e.tag == H + "li" and mark is not None:
		        out.append(mark)
		        mark = None
		    for c in e:
		        walk(c, out, mark if e.tag != H + "li" else None, depth + (e.tag in (H + "ul", H + "ol")))
		epub = []
		walk(ET.parse(sys.argv[1]).getroot(), epub)
		pdf = []
		for line in open(sys.argv[2], encoding="utf-8"):
		    m = re.match(r"(?:1 )?([•–◦▪]) ", line)
		    if m:
		        pdf.append(m.group(1))
		    elif re.match(r"\d+\. ", line):
		        pdf.append("#")
		    elif line.strip() in ("unmarked", "member"):
		        pdf.append("")
		want = ["•", "–", "◦", "•", "▪", "", "–", "#", "–", "–", "", "◦"]
		if epub != want or pdf != want:
		    sys.exit("EPUB %r\nPDF  %r\nwant %r" % (epub, pdf, want))
	EOF
}
check "epub: a publisher who is the first author is named once on the title page, as in the PDF" bash -c "
	[ \$(unzip -p '$E' OEBPS/titlepage.xhtml | grep -c 'Norwegian Ministry of Foreign Affairs') -eq 1 ] &&
	unzip -p '$D/info.epub' OEBPS/titlepage.xhtml | grep -q 'class=\"publisher\">Example Press<'"
check "epub: editors, translators and other credits are contributors with their MARC roles, after the creators" bash -c "
	opf=\$(unzip -p '$D/info.epub' OEBPS/content.opf | tr -d '\n' | sed 's/>[[:space:]]*</></g') &&
	for r in 'Hermann Zapf.\{0,120\}>edt<' 'Eric Gill.\{0,120\}>trl<' 'Stanley Morison.\{0,120\}>ctb<' 'Grace Brewster Hopper.\{0,120\}>aut<'; do
		printf '%s' \"\$opf\" | grep -q \"\$r\" || { echo \"no \$r\"; exit 1; }; done &&
	printf '%s' \"\$opf\" | grep -q '<dc:creator id=\"creator-5\">Society of Typographic Aficionados</dc:creator><meta[^>]*>aut</meta><dc:contributor id=\"contributor-1\">Hermann Zapf<'"
kept_words() { # words DocBook does not expect where they stand are kept, in both outputs
	cat > "$D/kept.xml" <<-'EOF'
		<?xml version="1.0" encoding="UTF-8"?>
		<book xmlns="http://docbook.org/ns/docbook" version="5.0" xml:lang="en"><title>Kept</title>
		  <chapter xml:id="c1"><title>One</title>
		    <para>See <xref linkend="c1">the first chapter</xref> here.</para>
		    <mediaobject><textobject><para>Textonly alpha</para></textobject></mediaobject>
		    <para>In <inlinemediaobject><textobject><phrase>Inlineonly bravo</phrase></textobject></inlinemediaobject> line.</para>
		    <informaltable><tgroup cols="1"><tbody><row><para>Rowpara charlie</para><entry>Cell</entry></row></tbody></tgroup></informaltable>
		  </chapter>
		</book>
	EOF
	$OCTAVO build --epub "$D/kept.epub" --pdf "$D/kept.pdf" "$D/kept.xml" 2> "$D/kept.err" || { cat "$D/kept.err"; return 1; }
	grep -q 'kept.xml:4:.*warning: <xref> with content: set as a <link> to "c1"' "$D/kept.err" &&
		grep -q 'kept.xml:7:.*warning: text in <row> outside every cell: set after the table' "$D/kept.err" || { cat "$D/kept.err"; return 1; }
	for w in 'See the first chapter here.' 'Textonly alpha' 'In Inlineonly bravo line.' 'Rowpara charlie'; do
		pdftotext "$D/kept.pdf" - | grep -qF "$w" || { echo "PDF: $w"; return 1; }
		unzip -p "$D/kept.epub" OEBPS/chapter-1.xhtml | sed 's/<[^>]*>//g' | grep -qF "$w" || { echo "EPUB: $w"; return 1; }
	done
}
check "epub: an xref with words, a media object with only a text object, a para in a table row keep their words in both outputs" kept_words
author_note() { # a note in an author's name: a warning, and the name not glued to the note's words
	printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' \
		'<book xmlns="http://docbook.org/ns/docbook" version="5.0"><info><title>B</title>' \
		'<author><personname>Auth<footnote><para>authfn alpha</para></footnote></personname></author></info>' \
		'<chapter><title>One</title><para>Body.</para></chapter></book>' > "$D/an.xml"
	$OCTAVO build --epub "$D/an.epub" --pdf "$D/an.pdf" "$D/an.xml" 2> "$D/an.err" || { cat "$D/an.err"; return 1; }
	grep -q 'an.xml:3:.*warning: a footnote in <personname> is not shown' "$D/an.err" || { cat "$D/an.err"; return 1; }
	unzip -p "$D/an.epub" OEBPS/content.opf | grep -q '>Auth</dc:creator>' && ! pdftotext "$D/an.pdf" - | grep -q 'Authauthfn'
}
check "epub: a footnote in an author's name is a warning, not words glued to the name" author_note
check "epub: list marks by depth, mark attribute, simple list and note are the same in the EPUB and the PDF" list_marks

# 5. reproducibility: two builds in different folders are byte-identical
mkdir -p "$D/r1" "$D/r2/deeper"
check "epub: two builds with SOURCE_DATE_EPOCH are byte-identical" bash -c "
	$OCTAVO build --epub '$D/r1/a.epub' '$BROCHURE' 2>/dev/null && (cd '$D/r2/deeper' && TZ=Asia/Tokyo '$(realpath "$OCTAVO")' build --epub b.epub '$PWD/$BROCHURE' 2>/dev/null) &&
	cmp '$D/r1/a.epub' '$D/r2/deeper/b.epub' && cmp '$D/r1/a.epub' '$E'"
check "epub: every entry deflated ahead reads back whole: sizes and CRC-32 (unzip -t), the mimetype and PNGs stored" bash -c "
	for e in '$E' '$D'/*.epub; do unzip -tq \"\$e\" > /dev/null || { unzip -t \"\$e\" | grep -v ' OK\$'; exit 1; }; done
	zipinfo '$E' | grep -E 'OEBPS/(.*\\.xhtml|style\\.css|content\\.opf|toc\\.ncx|fonts/.*)\$' | grep -v ' defN ' && exit 1
	zipinfo '$E' | grep -E '\\.png\$' | grep -qv ' stor ' && exit 1; true"
check "epub: zip entry times come from SOURCE_DATE_EPOCH (UTC)" bash -c "zipinfo '$E' | sed -n 3p | grep -q '23-Nov-14 22:13'"

# 6. footnotes, cross-references, images, cover, accessibility, languages
F=$D/footnotes.epub
check "epub: footnote: noteref link in sup, aside epub:type=footnote, back-link" bash -c "
	x=\$($TOOL xhtml '$F' chapter-1.xhtml)
	printf '%s' \"\$x\" | grep -qF '<sup id=\"fnref-1\" class=\"noteref\"><a href=\"#fn-venice\" epub:type=\"noteref\" role=\"doc-noteref\">1</a></sup>' &&
	printf '%s' \"\$x\" | grep -qF '<aside id=\"fn-venice\" epub:type=\"footnote\" role=\"doc-footnote\" class=\"footnote first\">' &&
	printf '%s' \"\$x\" | grep -qF '<a href=\"#fnref-1\" role=\"doc-backlink\" class=\"backlink\">1</a> Aldus Manutius' &&
	printf '%s' \"\$x\" | grep -qF '<a href=\"#fn-long\" epub:type=\"noteref\" role=\"doc-noteref\">2</a>'"
check "epub: footnotes are numbered per chapter and sit at the end of their chapter's file" bash -c "
	x=\$($TOOL xhtml '$F' chapter-2.xhtml)
	printf '%s' \"\$x\" | grep -qF 'role=\"doc-noteref\">1</a>' && printf '%s' \"\$x\" | tail -4 | grep -q '</aside>'"
X=$D/xrefs.epub
check "epub: xref across files: href is FILE#id, the id is in that file, the text is the generated one" bash -c "
	$TOOL xhtml '$X' chapter-2.xhtml | grep -qF '<a href=\"chapter-1.xhtml#sec-target\" class=\"xref\">A Section Worth Citing</a>' &&
	$TOOL xhtml '$X' chapter-2.xhtml | grep -qF '<a href=\"chapter-3.xhtml#ch-last\" class=\"xref\">Last Words</a>' &&
	$TOOL xhtml '$X' chapter-2.xhtml | sed 's/\\xc2\\xa0/ /g' | grep -qF '<a href=\"chapter-1.xhtml#fig-target\" class=\"xref\">Figure 1</a>' &&
	$TOOL xhtml '$X' chapter-1.xhtml | grep -qF '<section id=\"sec-target\" class=\"section\">' &&
	$TOOL xhtml '$X' chapter-1.xhtml | grep -qF '<span id=\"anc-label\"></span>'"
check "epub: a target without an id gets a generated one (TOC entry), the section has it" bash -c "
	id=\$($TOOL xhtml '$D/article.epub' nav.xhtml | sed -n 's|.*<a href=\"text-1.xhtml#\\(ov-[0-9]*\\)\">Cleaning Up</a>.*|\\1|p')
	[ -n \"\$id\" ] && $TOOL xhtml '$D/article.epub' text-1.xhtml | grep -qF \"<section id=\\\"\$id\\\" class=\\\"section\\\">\""
G=$D/figures.epub
check "epub: images: PNG, JPEG, SVG in the manifest with their media types" bash -c "
	opf=\$(unzip -p '$G' OEBPS/content.opf)
	printf '%s' \"\$opf\" | grep -qF 'href=\"images/img/dot.png\" media-type=\"image/png\"' &&
	printf '%s' \"\$opf\" | grep -qF 'href=\"images/img/dot.jpg\" media-type=\"image/jpeg\"' &&
	printf '%s' \"\$opf\" | grep -qF 'href=\"images/img/shape.svg\" media-type=\"image/svg+xml\"'"
check "epub: images: alt text from the source; an image without alt text is a warning at file:line:col" bash -c "
	$TOOL xhtml '$G' chapter-1.xhtml | grep -qF '<img src=\"images/img/dot.png\" alt=\"A small red dot on white\"' &&
	grep -q '^tests/docs/figures.xml:23:11: warning: image \"img/dot.jpg\" has no alt text' '$D/figures.err'"
check "epub: accessibility: alternativeText only when every image has alt text" bash -c "
	! unzip -p '$G' OEBPS/content.opf | grep -q 'alternativeText' &&
	unzip -p '$G' OEBPS/content.opf | grep -q '<meta property=\"schema:accessMode\">visual</meta>' &&
	! unzip -p '$E' OEBPS/content.opf | grep -q 'accessMode\">visual' &&
	unzip -p '$E' OEBPS/content.opf | grep -q '<meta property=\"schema:accessibilityHazard\">none</meta>'"
check "epub: cover: drawn PNG (decoded whole, not blank) marked cover-image, cover.xhtml first in the spine" bash -c "
	unzip -p '$E' OEBPS/content.opf | grep -qF '<item id=\"images-cover.png\" href=\"images/cover.png\" media-type=\"image/png\" properties=\"cover-image\"/>' &&
	unzip -p '$E' OEBPS/images/cover.png > '$D/cover.png' && \$PY tests/pngink.py '$D/cover.png' &&
	unzip -p '$E' OEBPS/content.opf | grep -m1 '<itemref' | grep -q 'idref=\"cover\"'"
check "epub: cover: the book's own cover image when its info has one" bash -c "
	unzip -p '$D/info.epub' OEBPS/images/cover.png | cmp - tests/docs/img/dot.png &&
	$TOOL xhtml '$D/info.epub' cover.xhtml | grep -qF 'alt=\"Cover: a single red dot\" role=\"doc-cover\"'"
check "epub: languages: lang and xml:lang where the source marks one, right-to-left pages" bash -c "
	$TOOL xhtml '$D/lang.epub' chapter-1.xhtml | grep -qF '<p lang=\"de\" xml:lang=\"de\">' &&
	$TOOL xhtml '$D/lang.epub' chapter-3.xhtml | grep -qF 'lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\">' &&
	$TOOL xhtml '$D/lang.epub' chapter-3.xhtml | grep -qF '<span lang=\"en\" xml:lang=\"en\" dir=\"ltr\">EPUB</span>'"
check "epub: a contents entry in another language than the book's says so (lang, dir) in the navigation" bash -c "
	$TOOL xhtml '$D/lang.epub' nav.xhtml | grep -qF 'lang=\"nb\" xml:lang=\"nb\">Et kapittel på norsk</a>' &&
	$TOOL xhtml '$D/lang.epub' nav.xhtml | grep -qF 'lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\">' &&
	$TOOL xhtml '$D/lang.epub' nav.xhtml | grep -qF '<a href=\"chapter-1.xhtml#ch-lang-mixed\">'"
check "epub: header cells say what they head: the source's scope, else their column (in a head) or row" bash -c "
	$TOOL xhtml '$D/tables-html.epub' chapter-1.xhtml | grep -qF '<th scope=\"col\">Designer</th>' &&
	$TOOL xhtml '$D/tables-html.epub' chapter-1.xhtml | grep -qF '<th scope=\"row\">Garamond</th>' &&
	$TOOL xhtml '$D/tables-html.epub' chapter-1.xhtml | grep -qF '<th scope=\"col\" rowspan=\"2\"' &&
	! unzip -p '$D/tables-html.epub' 'OEBPS/*.xhtml' | grep -o '<th[ >][^>]*' | grep -v scope"
check "epub: verbatim text keeps its whitespace exactly" bash -c "
	$TOOL xhtml '$D/whitespace.epub' chapter-1.xhtml | grep -qF \"\$(printf '<pre class=\"programlisting\"><code>  but here   spaces\n    stay   exactly\n\tas written.</code></pre>')\""

# 7. remote and missing images
R=$D/remote-image.epub
check "epub: a remote image is a warning at file:line:col, not fetched, its alt text shown" bash -c "
	grep -q '^tests/epub/remote-image.xml:11:22: warning: image \"https://example.org/harbour-map.png\" is remote' '$D/remote-image.err' &&
	! unzip -p '$R' OEBPS/content.opf | grep -q 'example.org\|remote-resources' &&
	$TOOL xhtml '$R' chapter-1.xhtml | grep -qF '<span class=\"image-remote\">A map of the harbour at low tide</span>'"
mkdir -p "$D/missing"
check "epub: octavo check reads the images as a build does: a missing one is the same error, exit 1" bash -c "
	$OCTAVO check tests/epub/missing-image.xml 2> '$D/check-missing.err'; rc=\$?
	[ \$rc -eq 1 ] && grep -q '^tests/epub/missing-image.xml:11:22: error: image \"img/no-such-picture.png\"' '$D/check-missing.err' || { echo \"exit \$rc\"; cat '$D/check-missing.err'; exit 1; }"
check "epub: a missing image is an error at file:line:col, exit 1, no EPUB written" bash -c "
	$OCTAVO build --epub '$D/missing/m.epub' tests/epub/missing-image.xml 2> '$D/missing.err'; rc=\$?
	[ \$rc -eq 1 ] || { echo \"exit \$rc\"; exit 1; }
	grep -q '^tests/epub/missing-image.xml:11:22: error: image \"img/no-such-picture.png\"' '$D/missing.err' || { cat '$D/missing.err'; exit 1; }
	[ -z \"\$(ls -A '$D/missing')\" ] || { ls -A '$D/missing'; exit 1; }"

check "epub: images named alike but for case get names that differ otherwise (img/dot.png, img/Dot.png); a page number alone is one link" bash -c "
	unzip -Z1 '$D/case-names.epub' | grep -i 'dot' | tr 'A-Z' 'a-z' | sort | uniq -d | grep -q . && exit 1
	[ \$(unzip -Z1 '$D/case-names.epub' | grep -ci 'dot') -eq 2 ] &&
	unzip -p '$D/case-names.epub' OEBPS/chapter-1.xhtml | grep -qF 'See page <a href=\"#page-1\" class=\"xref-page\">1</a>.' &&
	! unzip -p '$D/case-names.epub' OEBPS/chapter-1.xhtml | grep -q '<a [^>]*></a>' &&
	[ \$(unzip -p '$D/case-names.epub' OEBPS/chapter-1.xhtml | grep -o '<img ' | wc -l) -eq 3 ]"

# 8. golden XHTML for small documents
for g in tests/epub/golden/*.xhtml; do
	[ -f "$g" ] || continue
	name=$(basename "$g" .xhtml)
	doc=${name%%.*}
	file=${name#*.}.xhtml
	if [ -n "${OCTAVO_REGOLD:-}" ]; then
		$TOOL xhtml "$D/$doc.epub" "$file" > "$g"
	fi
	check "epub: golden $doc $file" bash -c "$TOOL xhtml '$D/$doc.epub' '$file' | diff -u '$g' -"
done
