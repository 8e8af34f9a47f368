#!/bin/bash
# The EPUB's markup for assistive technology: table header scopes and rowheader="firstcol",
# the language of the words octavo writes itself, and heading levels (qanda divisions,
# bridgeheads). Run by tests/run.sh from the top of the tree with OCTAVO and OUT set; prints
# one "ok - ..." or "not ok - ..." line per check, "# ..." lines to explain a failure. Needs
# java and epubcheck (make deps) and python3 (standard library only).
set -u
OCTAVO=${OCTAVO:-./octavo}
OUT=${OUT:-tests/out}
D=$OUT/epubmarkup
PY=$(command -v /usr/bin/python3 || command -v python3)
export SOURCE_DATE_EPOCH=1700000000
rm -rf "$D"
mkdir -p "$D"

PREFIX=
. tests/lib.sh

# build NAME: tests/epub/NAME.xml into $D/NAME.epub and $D/NAME.pdf, then epubcheck it
build() {
	$OCTAVO build -q --epub "$D/$1.epub" --pdf "$D/$1.pdf" "tests/epub/$1.xml" || return 1
	if [ -f /usr/bin/epubcheck ] && command -v java >/dev/null; then
		epubcheck_clean "$D/$1.epub"
	fi
}
for b in markup-tables markup-heads markup-rtl markup-lang-chapter; do
	build "$b" > "$D/$b.log" 2>&1 &
done
wait

# py NAME SCRIPT ARGS...: run a python check on an EPUB (ARGS after the script)
py() { "$PY" - "$@"; }

# 1. table headers (WCAG 1.3.1): the scope of every header cell
check "epubmarkup: tables: a row of th outside thead heads columns (scope=col); rowheader=\"firstcol\" (table or tgroup) makes each body row's first cell a row header; epubcheck clean" bash -c "
	cat '$D/markup-tables.log'; [ -s '$D/markup-tables.epub' ] || exit 1
	unzip -p '$D/markup-tables.epub' OEBPS/chapter-1.xhtml > '$D/tables.xhtml' || exit 1
	'$PY' - '$D/tables.xhtml' <<-'EOF'
		import sys, xml.etree.ElementTree as ET
		H = '{http://www.w3.org/1999/xhtml}'
		cells = {}
		for c in ET.parse(sys.argv[1]).iter():
		    if c.tag in (H + 'th', H + 'td'):
		        cells[''.join(c.itertext()).strip()] = (c.tag[len(H):], c.get('scope'))
		want = {'City': ('th', 'col'), 'Population': ('th', 'col'), 'Oslo': ('th', 'row'), '700k': ('td', None),
		        'Bergen': ('th', 'row'), '465': ('td', None), 'Tromsø': ('th', 'row'), '77k': ('td', None),
		        'Name': ('th', 'col'), 'a': ('td', None), 'b': ('td', None),
		        'First': ('th', 'col'), 'Second': ('th', 'col'), 'Row': ('th', 'row'), '1': ('td', None), '2': ('td', None)}
		bad = ['%s: %r, want %r' % (k, cells.get(k), v) for k, v in want.items() if cells.get(k) != v]
		sys.exit('\n'.join(bad) if bad else 0)
	EOF"

check "epubmarkup: tables: the PDF tags rowheader=\"firstcol\" cells as TH, as the EPUB" bash -c "
	[ -s '$D/markup-tables.pdf' ] || exit 1
	# the structure tree, uncompressed: TH elements (3 + 2 column heads, 3 row heads, 3 of the HTML table)
	qpdf --qdf --object-streams=disable '$D/markup-tables.pdf' '$D/tables-qdf.pdf' || exit 1
	n=\$(grep -a -c '/S /TH' '$D/tables-qdf.pdf')
	[ \"\$n\" -eq 11 ] || { echo \"\$n TH elements, want 11\"; exit 1; }"

# 2. the language of octavo's own words (WCAG 3.1.2): English where it has no words for the
#    book's language, marked en (and ltr) wherever it stands; the book's words in a part in
#    another language marked with the book's language
LANGCHECK='
import sys, zipfile, xml.etree.ElementTree as ET
H = "{http://www.w3.org/1999/xhtml}"
XL = "{http://www.w3.org/XML/1998/namespace}lang"
epub, words = sys.argv[1], sys.argv[2:]
z = zipfile.ZipFile(epub)
bad, seen = [], set()
def walk(e, lang, dirn, where):
    lang = e.get("lang") or lang
    if e.get("lang") != e.get(XL):
        bad.append("%s: <%s> lang %r but xml:lang %r" % (where, e.tag[len(H):], e.get("lang"), e.get(XL)))
    dirn = e.get("dir") or dirn
    for k in ("alt", "aria-label"):
        v = e.get(k)
        if v in words:
            seen.add(v)
            if lang.split("-")[0] != "en" or dirn != "ltr":
                bad.append("%s: %s=%r in lang=%s dir=%s" % (where, k, v, lang, dirn))
    t = "".join(e.itertext()).strip() if len(e) == 0 else (e.text or "").strip()
    for w in words:
        if t == w or t.startswith(w + "\u00a0"):
            seen.add(w)
            if lang.split("-")[0] != "en" or dirn != "ltr":
                bad.append("%s: %r in lang=%s dir=%s" % (where, t, lang, dirn))
    for c in e:
        walk(c, lang, dirn, where)
for n in z.namelist():
    if n.endswith(".xhtml"):
        root = ET.fromstring(z.read(n))
        walk(root, root.get("lang"), root.get("dir") or "ltr", n)
missing = sorted(set(words) - seen)
if missing:
    bad.append("never seen: %r" % missing)
sys.exit("\n".join(bad) if bad else 0)
'
check "epubmarkup: an Arabic book: every English word octavo writes (contents, landmarks, cover, page list, note, captions, glossary) is lang=en dir=ltr where it stands; epubcheck clean" bash -c "
	cat '$D/markup-rtl.log'; [ -s '$D/markup-rtl.epub' ] || exit 1
	'$PY' -c '$LANGCHECK' '$D/markup-rtl.epub' Contents Pages Landmarks Cover 'Title page' 'Start of content' Note Figure Table Glossary"
check "epubmarkup: an Arabic book: the package's English accessibility summary, dc:source and the NCX's page list label are xml:lang=en dir=ltr" bash -c "
	opf=\$(unzip -p '$D/markup-rtl.epub' OEBPS/content.opf) || exit 1
	printf '%s\n' \"\$opf\" | grep -q '<package [^>]*xml:lang=\"ar\" dir=\"rtl\"' || { echo 'package not ar, rtl'; exit 1; }
	printf '%s\n' \"\$opf\" | grep -q '<meta property=\"schema:accessibilitySummary\" xml:lang=\"en\" dir=\"ltr\">A reflowable' || { echo 'summary'; exit 1; }
	printf '%s\n' \"\$opf\" | grep -q '<dc:source id=\"print-source\" xml:lang=\"en\" dir=\"ltr\">' || { echo 'dc:source'; exit 1; }
	unzip -p '$D/markup-rtl.epub' OEBPS/toc.ncx | grep -q '<pageList><navLabel xml:lang=\"en\" dir=\"ltr\">' || { echo 'NCX pageList label'; exit 1; }"
check "epubmarkup: a German book's Hebrew chapter: its note's word is marked de, ltr; the German chapter's is not marked; epubcheck clean" bash -c "
	cat '$D/markup-lang-chapter.log'; [ -s '$D/markup-lang-chapter.epub' ] || exit 1
	unzip -p '$D/markup-lang-chapter.epub' OEBPS/chapter-2.xhtml | grep -qF '<p class=\"title\"><span lang=\"de\" xml:lang=\"de\" dir=\"ltr\">Anmerkung</span></p>' &&
	unzip -p '$D/markup-lang-chapter.epub' OEBPS/chapter-1.xhtml | grep -qF '<p class=\"title\">Anmerkung</p>' &&
	! unzip -p '$D/markup-lang-chapter.epub' OEBPS/nav.xhtml | grep -q 'lang=\"en\"'"

# 3. heading levels: none skipped going down, none inside a section at or above the section's
#    own heading (a bridgehead rendered as a higher level), a qandadiv below its set
HEADCHECK='
import sys, zipfile, re, xml.etree.ElementTree as ET
H = "{http://www.w3.org/1999/xhtml}"
z = zipfile.ZipFile(sys.argv[1])
bad, levels = [], {}
def level(e):
    m = re.fullmatch(H.replace("{", "\\{").replace("}", "\\}") + "h([1-6])", e.tag)
    return int(m.group(1)) if m else 0
def walk(e, own, where, seq):
    l = level(e)
    if l:
        text = "".join(e.itertext()).strip()
        levels[text] = l
        if seq and l > seq[-1] + 1:
            bad.append("%s: h%d then h%d (%s)" % (where, seq[-1], l, text))
        if own and l <= own[0] and own[1] is not e and not (l == own[0] == 6):
            bad.append("%s: h%d %r inside a section headed h%d" % (where, l, text, own[0]))
        seq.append(l)
    if e.tag == H + "section":
        first = next((c for c in e if level(c)), None)
        if first is not None:
            own = (level(first), first)
    for c in e:
        walk(c, own, where, seq)
for n in z.namelist():
    if n.endswith(".xhtml"):
        walk(ET.fromstring(z.read(n)), None, n, [])
for a, b in (("Questions in S2", "Division"), ("Division", "Inner division"), ("Questions in S2", "Second division"),
             ("S2", "Bridge rendered as sect1 in S2"), ("Chapter", "Bridge under the chapter"), ("A1", "Bridge in A1"),
             ("S2", "Questions in S2"), ("Chapter", "Division of an untitled set")):
    if a not in levels or b not in levels or levels[b] != min(levels[a] + 1, 6):
        bad.append("%r h%s, %r h%s: want the second a level below" % (a, levels.get(a), b, levels.get(b)))
sys.exit("\n".join(bad) if bad else 0)
'
check "epubmarkup: headings: a qandadiv a level below its set, a bridgehead a level below its section whatever its renderas, no level skipped; epubcheck clean" bash -c "
	cat '$D/markup-heads.log'; [ -s '$D/markup-heads.epub' ] || exit 1
	'$PY' -c '$HEADCHECK' '$D/markup-heads.epub'"
check "epubmarkup: headings: the review's case and the test documents skip no level and put none above its section" bash -c "
	for src in tests/docs/divisions.xml tests/docs/gentext-de.xml tests/epub/markup-heads.xml; do
		b=\$(basename \"\$src\" .xml)
		$OCTAVO build -q --epub '$D/'\$b-h.epub \"\$src\" || exit 1
		'$PY' -c '$HEADCHECK' '$D/'\$b-h.epub 2>&1 | grep -v 'want the second' | sed \"s|^|\$b: |\"
	done | grep . && exit 1 || exit 0"

# a book whose title is empty, white space, or only an anchor or an index term: named by its
# file, with a warning at the title, and an EPUB epubcheck passes (dc:title, <title>, the nav)
blank_titles() {
	local i=0 t
	for t in '<title/>' '<title>   </title>' '<title><anchor xml:id="a"/></title>' '<title><indexterm><primary>x</primary></indexterm></title>'; do
		i=$((i + 1))
		printf '<?xml version="1.0"?>\n<book xmlns="http://docbook.org/ns/docbook" version="5.0">%s<chapter><title>C</title><para>x</para></chapter></book>\n' "$t" > "$D/blank$i.xml"
		$OCTAVO build --epub "$D/blank$i.epub" "$D/blank$i.xml" 2> "$D/blank$i.err" || { cat "$D/blank$i.err"; return 1; }
		grep -q "blank$i.xml:2:[0-9]*: warning: the book's title is empty; \"blank$i.xml\" is used" "$D/blank$i.err" || { cat "$D/blank$i.err"; return 1; }
		unzip -p "$D/blank$i.epub" OEBPS/content.opf | grep -q "<dc:title id=\"title\">blank$i.xml</dc:title>" || { echo "blank$i: dc:title"; return 1; }
	done
	epubcheck_clean "$D/blank1.epub" && epubcheck_clean "$D/blank3.epub"
}
check "epubmarkup: a blank book title: the file's name, with a warning at the title; epubcheck passes" blank_titles

# an image given a width and a depth takes the largest size within both, its shape kept, as
# in the PDF: the one that binds, the other auto (a 2:1 image in 5cm x 1cm: 1cm high); an
# audioobject before the image is a warning, and the image and its alt text are used
media_sizes() {
	$OCTAVO build --epub "$D/depth.epub" --pdf "$D/depth.pdf" tests/epub/markup-depth.xml 2> "$D/depth.err" || { cat "$D/depth.err"; return 1; }
	unzip -p "$D/depth.epub" OEBPS/chapter-1.xhtml > "$D/depth.xhtml"
	grep -qF 'alt="depth binds" class="block" style="height: 1cm; width: auto;"' "$D/depth.xhtml" &&
	grep -qF 'alt="width binds" class="block" style="width: 2cm; height: auto;"' "$D/depth.xhtml" &&
	grep -qF 'alt="after audio" class="block" style="width: 2cm; height: auto;"' "$D/depth.xhtml" &&
	grep -q 'markup-depth.xml:5:[0-9]*: warning: <audioobject> is not shown' "$D/depth.err" &&
	[ "$(grep -c 'warning' "$D/depth.err")" -eq 1 ] &&
	[ "$(pdfimages -list "$D/depth.pdf" | tail -n +3 | wc -l)" -eq 3 ] || { cat "$D/depth.err" "$D/depth.xhtml"; return 1; }
}
check "epubmarkup: width and depth: the one that binds, the shape kept (as the PDF); an audioobject before an image is a warning, the image shown with its alt" media_sizes

# the copyright page reads as the PDF's: the legal notice, the abstract, the copyright line,
# "Published DATE"; the date is there and not on the title page, in both outputs
front_order() {
	$OCTAVO build -q --epub "$D/fo.epub" --pdf "$D/fo.pdf" book/international-commitment.xml || return 1
	unzip -p "$D/fo.epub" OEBPS/copyright.xhtml | sed 's/<[^>]*>/ /g' | tr -s ' \n' '  ' > "$D/fo-epub.txt"
	pdftotext -f 3 -l 3 "$D/fo.pdf" - | tr -s ' \n' '  ' > "$D/fo-pdf.txt"
	for f in "$D/fo-epub.txt" "$D/fo-pdf.txt"; do
		grep -q 'last updated 13 January 2014\. International engagement .* Copyright © 2014 Norwegian Ministry of Foreign Affairs Published 2014-01-13' "$f" || { echo "$f:"; cat "$f"; return 1; }
	done
	! unzip -p "$D/fo.epub" OEBPS/titlepage.xhtml | grep -q 2014 && ! pdftotext -f 2 -l 2 "$D/fo.pdf" - | grep -q 2014
}
check "epubmarkup: the copyright page in the PDF's order (notices, copyright, Published DATE), the date on neither title page" front_order

# a media object's image objects by role: role="fo" in the PDF, role="html" in the EPUB, else
# the first (DocBook's convention)
media_roles() {
	$OCTAVO build -q --epub "$D/roles.epub" --pdf "$D/roles.pdf" tests/epub/markup-roles.xml || return 1
	unzip -p "$D/roles.epub" OEBPS/chapter-1.xhtml | grep -o '<img [^>]*>' > "$D/roles.img"
	pdfimages -list "$D/roles.pdf" | tail -n +3 | awk '{print $4 "x" $5}' > "$D/roles.pdfimg"
	[ "$(sed -n 1p "$D/roles.img" | grep -c 'wide.png')" -eq 1 ] && [ "$(sed -n 2p "$D/roles.img" | grep -c 'dot.png')" -eq 1 ] &&
	[ "$(cat "$D/roles.pdfimg" | tr '\n' ' ')" = "8x8 8x8 " ] || { cat "$D/roles.img" "$D/roles.pdfimg"; return 1; }
}
check "epubmarkup: image objects by role: role=\"fo\" in the PDF, role=\"html\" in the EPUB, else the first" media_roles
