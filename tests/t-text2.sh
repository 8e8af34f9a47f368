#!/bin/bash
# The PDF's text and how it sets some words and paragraphs: a tab in a listing is white space
# in the text layer (what is copied from the PDF); a word that holds a hyphen is not hyphenated
# by the patterns; entries (bibliography, glossary, index, questions) are set alike, none of
# them indented as a paragraph after a paragraph, in the PDF as in the EPUB. Inputs in
# tests/text2/. Run by tests/run.sh with OCTAVO and OUT set; prints ok / not ok lines.
set -u
O=$(realpath "${OCTAVO:-./octavo}")
D=$(realpath -m "${OUT:-tests/out}/text2")
rm -rf "$D"; mkdir -p "$D"
export SOURCE_DATE_EPOCH=1700000000
# the hyphenation cache of this run alone: a word cached by an older build must not hide a change
export XDG_CACHE_HOME="$D/cache"
T=tests/text2

PREFIX="text2: "
. tests/lib.sh

# last_page PDF: the number of its last page
last_page() { pdfinfo "$1" | awk '/^Pages:/ { print $2 }'; }

# ---- 1. a tab in a listing is white space in the text layer ----
$O build -q -o "$D/tab" "$T/tab.xml" 2> "$D/tab.err"
P=$D/tab/tab.pdf
N=$(last_page "$P" 2>/dev/null || echo 1)
mutool draw -F txt -o "$D/tab.mutool" "$P" "$N" 2>/dev/null
pdftotext -layout -f "$N" -l "$N" "$P" "$D/tab.layout.txt" 2>/dev/null
# a line of the text: white space where each tab was, on one line with what follows
check "a tab in a programlisting is white space in the text layer (mutool): the line keeps its indent and its gap" \
	grep -E '^[[:space:]]+cc -o x x\.c[[:space:]]+# build$' "$D/tab.mutool"
check "a tab in a screen is white space in the text layer (mutool)" \
	grep -E '^[[:space:]]+done$' "$D/tab.mutool"
check "the tab is written as a tab (ActualText U+0009 over its spaces)" \
	bash -c "qpdf --qdf --object-streams=disable '$P' '$D/tab.qdf' && grep -a -q 'ActualText <feff0009>' '$D/tab.qdf'"
check "pdftotext -layout keeps the listing's line whole, with white space for its tabs" \
	grep -E '^[[:space:]]+cc -o x x\.c[[:space:]]+# build$' "$D/tab.layout.txt"

# ---- 2. a word that holds a hyphen is not hyphenated by the patterns ----
# The layout writes a line as  line X Y "text"  with a - after it when the line ends in a
# hyphen octavo added. A word between spaces: after the line's last space (or its quote).
$O build -q --pdf "$D/hyph.pdf" --layout "$D/hyph.layout" "$T/hyph.xml" 2> "$D/hyph.err"
check "no word that holds a hyphen (U+002D, U+2010, U+2011) is hyphenated by the patterns (\"Non-break-\" / \"ing\")" \
	bash -c "! grep -P '[ \"][^ \"]*[-\x{2010}\x{2011}][^ \"]*[^\x{00AD}]\"-\$' '$D/hyph.layout'"
check "such a word still breaks after its own hyphen (\"Non-\" / \"breaking\")" \
	grep -q -- '-"$' "$D/hyph.layout"
check "words without a hyphen are still hyphenated" \
	grep -q -P '[ "][^ "\x{00AD}-]+"-$' "$D/hyph.layout"
# (words.py is not run on it: it reads U+00AD in the model as a gap between words)
$O build -q --pdf "$D/shy.pdf" --layout "$D/shy.layout" "$T/shy.xml" 2> "$D/shy.err"
check "an author's soft hyphen in a word that holds a hyphen still breaks it (Non-break&#173;ing)" \
	grep -q -P 'Non-break\x{00AD}"-$' "$D/shy.layout"
check "hyph.xml: no word lost (words.py)" python3 tests/words.py "$O" "$T/hyph.xml" pdf "$D/hyph.pdf"

# ---- 3. entries are set alike: none indented as a paragraph after a paragraph ----
# lines FILE: "X Y text" for each line of a layout file, or of MuPDF's text of an EPUB
lines_of() {
	case $1 in
	*.epub)
		mutool draw -q -F stext -o - "$1" 2>/dev/null | python3 -c '
import re, sys
x = None
for l in sys.stdin:
    m = re.search(r"<line bbox=\"([\d.]+) ([\d.]+)", l)
    if m:
        x, y, t = m.group(1), m.group(2), ""
        continue
    m = re.search(r" c=\"([^\"]*)\"", l)
    if m and x is not None:
        t += m.group(1)
    if "</line>" in l and x is not None:
        print(x, y, t)
        x = None';;
	*) sed -n 's/^  line \([0-9.]*\) \([0-9.]*\) "\(.*\)"-\{0,1\}$/\1 \2 \3/p' "$1";;
	esac
}
# same_x FILE FIRST OTHER...: the line that starts with each OTHER starts where FIRST's does
same_x() {
	local f=$1 x0 x
	shift
	lines_of "$f" > "$f.lines"
	x0=$(grep -F -m1 " $1" "$f.lines" | cut -d' ' -f1)
	[ -n "$x0" ] || { echo "no line starts with $1"; cat "$f.lines"; return 1; }
	for w in "${@:2}"; do
		x=$(grep -F -m1 " $w" "$f.lines" | cut -d' ' -f1)
		[ "$x" = "$x0" ] || { echo "\"$w\" starts at x=$x, \"$1\" at x=$x0"; return 1; }
	done
}
# indented FILE FIRST NEXT: running text still is: NEXT starts right of FIRST
indented() {
	lines_of "$1" > "$1.lines"
	python3 -c 'import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if b > a + 1 else 1)' \
		"$(grep -F -m1 " $2" "$1.lines" | cut -d' ' -f1)" "$(grep -F -m1 " $3" "$1.lines" | cut -d' ' -f1)"
}
# spaced FILE A B C D: the step from A's line to B's (two entries) is more than from C's to D's
# (two lines of one entry): paragraph-space between the entries
spaced() {
	lines_of "$1" > "$1.lines"
	y() { grep -F -m1 " $2" "$1.lines" | cut -d' ' -f2; }
	python3 -c 'import sys; a, b, c, d = map(float, sys.argv[1:]); sys.exit(0 if b - a > d - c + 1 else 1)' \
		"$(y "$1" "$2")" "$(y "$1" "$3")" "$(y "$1" "$4")" "$(y "$1" "$5")" || { cat "$1.lines"; return 1; }
}
E=$D/entries
$O build -q -o "$E" --layout "$E.layout" "$T/entries.xml" 2> "$D/entries.err"
for f in "$E.layout" "$E/entries.epub"; do
	kind=PDF; case $f in *.epub) kind=EPUB;; esac
	check "$kind: every biblioentry starts flush left, as the first" same_x "$f" "[Humble10]" "[Beyer16]" "[Kim16]"
	check "$kind: every bibliomixed starts flush left, as the first" same_x "$f" "Fowler, Martin" "Humble, Jez" "Forsgren, Nicole"
	check "$kind: every indexentry of an index written out starts flush left, as the first" same_x "$f" "artifact, 1" "build, 2" "canary, 3"
	check "$kind: questions and answers start flush left" same_x "$f" "Q: What is the first" "A: The first" "Q: What is the second" "A: The third"
	check "$kind: a paragraph after a paragraph is still indented" indented "$f" "A paragraph." "A paragraph after a paragraph"
done
check "EPUB: the stylesheet sets no first-line indent on an entry" \
	bash -c "unzip -p '$E/entries.epub' OEBPS/style.css | grep -qF 'p.biblioentry, p.bibliomixed, p.indexentry { text-indent: 0; }'"

# with paragraph-space, the entries (set as paragraphs that are not indented) are spaced alike
sed 's/^paragraph-space = .*/paragraph-space = 0.8em/' styles/brochure.theme > "$D/spaced.theme"
S=$D/spaced
$O build -q -t "$D/spaced.theme" -o "$S" --layout "$S.layout" "$T/entries.xml" 2> "$D/spaced.err"
for f in "$S.layout" "$S/entries.epub"; do
	kind=PDF; case $f in *.epub) kind=EPUB;; esac
	check "$kind, paragraph-space 0.8em: entries start flush left" same_x "$f" "[Humble10]" "[Beyer16]" "[Kim16]"
	check "$kind, paragraph-space 0.8em: paragraph-space between two entries" spaced "$f" "[Beyer16]" "[Kim16]" "[Humble10]" "Releases through"
done
check "entries.xml: no word lost (words.py)" python3 tests/words.py "$O" "$T/entries.xml" pdf "$E/entries.pdf"
check "entries.epub: epubcheck finds nothing" epubcheck_clean "$E/entries.epub"

# ---- 4. a tab in a listing moves to the next tab stop, every 8 columns, as in the EPUB ----
# tabstops.xml: lines whose tabs follow 0, 3, 7 and 8 characters; what follows each tab
# starts on a stop (read from the drawn page, MuPDF's stext: each character's x), the stops
# as far apart as the EPUB's tab-size says, in columns of the listing's monospaced face
$O build -q -o "$D/tabstops" --layout "$D/tabstops.layout" "$T/tabstops.xml" 2> "$D/tabstops.err"
P=$D/tabstops/tabstops.pdf
mutool draw -q -F stext -o "$D/tabstops.stext" "$P" "$(last_page "$P" 2>/dev/null || echo 1)" 2>/dev/null
TABSIZE=$(unzip -p "$D/tabstops/tabstops.epub" OEBPS/style.css 2>/dev/null | sed -n 's/^ *tab-size: *\([0-9]*\);.*/\1/p' | head -1)
# tab_stops STEXT: each word that follows a tab starts on the stop its line's tabs lead to
tab_stops() {
	python3 - "$1" "$TABSIZE" <<'PY'
import re, sys
lines, cur = [], None
for l in open(sys.argv[1]):
    if "<line " in l:
        cur = []
    m = re.search(r'<char .*? x="([\d.]+)".*? c="([^"]*)"', l)
    if m and cur is not None:
        cur.append((float(m.group(1)), m.group(2)))
    if "</line>" in l and cur is not None:
        lines.append(cur)
        cur = None
def word(w):  # the x of each character of the line that holds the word w, and where w starts
    for ln in lines:
        t = "".join(c for _, c in ln)
        i = t.find(w)
        if i >= 0 and (i == 0 or t[i - 1] == " ") and t[i + len(w):i + len(w) + 1] in ("", " "):
            return ln, ln[i][0]
    sys.exit("no line holds %r" % w)
tab = int(sys.argv[2])
ln, x0 = word("abcdefgh")
col = (ln[7][0] - ln[0][0]) / 7  # a column: the face's advance, measured on the page
print("tab-size %d, column %.3f pt, lines start at %.3f" % (tab, col, x0))
bad = 0
# (word, columns before the tab: the source; the stop it goes to)
for w, stop in (("zero", 1), ("three", 1), ("seven", 1), ("eight", 2), ("cd", 1), ("two", 2), ("one", 1), ("five", 1)):
    x = word(w)[1]
    want = x0 + stop * tab * col
    ok = abs(x - want) < 0.02
    bad += not ok
    print("%-6s x=%.3f, want %.3f (%d columns) %s" % (w, x, want, stop * tab, "" if ok else "WRONG"))
sys.exit(1 if bad else 0)
PY
}
check "EPUB: the listing's tab-size is 8" test "$TABSIZE" = 8
check "PDF: what follows a tab after 0, 3 or 7 characters starts at one x, 8 columns in (the EPUB's tab-size); after 8 characters at 16" \
	tab_stops "$D/tabstops.stext"
check "PDF: the tabs are still white space in the text layer (mutool): the line keeps its gap" \
	bash -c "mutool draw -q -F txt '$P' 2>/dev/null | grep -qE '^abcdefgh[[:space:]]+eight\$'"
check "PDF: the tab is still written as a tab (ActualText U+0009)" \
	bash -c "qpdf --qdf --object-streams=disable '$P' '$D/tabstops.qdf' && grep -a -q 'ActualText <feff0009>' '$D/tabstops.qdf'"
check "tabstops.xml: no word lost (words.py)" python3 tests/words.py "$O" "$T/tabstops.xml" pdf "$P"

# ---- 5. a list item's or a definition's second paragraph is spaced, not indented ----
# ---- 6. a bibliography entry hangs: its later lines indented, its first word out ----
# hang.xml: lists, a variable list and a glossary whose items hold two paragraphs; entries
# (biblioentry, bibliomixed) longer than a line. Each in the brochure and the book themes.
# hangs FILE FIRST EM: the line after the one that starts with FIRST (the entry's second)
# starts 1.5 ems right of it (EM: an em, in points)
hangs() {
	lines_of "$1" > "$1.lines"
	python3 - "$1.lines" "$2" "$3" <<'PY'
import sys
rows = [l.rstrip("\n").split(" ", 2) for l in open(sys.argv[1])]
rows = [r for r in rows if len(r) == 3]
for i, (x, y, t) in enumerate(rows[:-1]):
    if t.startswith(sys.argv[2]):
        hang, want = float(rows[i + 1][0]) - float(x), 1.5 * float(sys.argv[3])
        print("%r then %r: hang %.2f pt, want %.2f" % (t, rows[i + 1][2], hang, want))
        sys.exit(0 if abs(hang - want) < 0.3 else 1)
sys.exit("no line starts with %r" % sys.argv[2])
PY
}
for th in brochure book; do
	H=$D/hang-$th
	$O build -q -t "styles/$th.theme" -o "$H" --layout "$H.layout" "$T/hang.xml" 2> "$H.err"
	size=$(sed -n '/^\[fonts\]/,/^\[/s/^size = \([0-9.]*\)pt$/\1/p' "styles/$th.theme")
	for f in "$H.layout" "$H/hang.epub"; do
		kind="PDF ($th)"; em=$size
		# MuPDF sets an EPUB at 11 pt, whatever the theme's size
		case $f in *.epub) kind="EPUB ($th)"; em=11;; esac
		# (an EPUB line of MuPDF's holds an item's mark: the item's text starts where a definition's does)
		check "$kind: a list item's second paragraph is not indented" same_x "$f" "Definition first paragraph." "Item second paragraph"
		check "$kind: an ordered list item's second paragraph is not indented" same_x "$f" "Definition first paragraph." "Numbered second paragraph"
		check "$kind: a variablelist definition's second paragraph is not indented" same_x "$f" "Definition first paragraph." "Definition second paragraph"
		check "$kind: a glossary definition's second paragraph is not indented" same_x "$f" "Glossdef first paragraph." "Glossdef second paragraph"
		check "$kind: running text's paragraph after a paragraph is still indented" indented "$f" "A paragraph." "A paragraph after a paragraph"
		check "$kind: every bibliography entry's first line starts flush left" same_x "$f" "[Humble10]" "[Beyer16]" "Forsgren, Nicole" "Fowler, Martin"
		check "$kind: a biblioentry's later lines hang 1.5 em in" hangs "$f" "[Humble10]" "$em"
		check "$kind: a bibliomixed's later lines hang 1.5 em in" hangs "$f" "Forsgren, Nicole" "$em"
	done
	check "EPUB ($th): the stylesheet hangs a bibliography entry 1.5 em" \
		bash -c "unzip -p '$H/hang.epub' OEBPS/style.css | grep -qF 'p.biblioentry, p.bibliomixed { padding-left: 1.5em; text-indent: -1.5em; }'"
	check "EPUB ($th): the stylesheet sets no first-line indent on a list item's or a definition's later paragraph" \
		bash -c "unzip -p '$H/hang.epub' OEBPS/style.css | grep -qF 'li > p + p, dd > p + p { text-indent: 0;'"
done
check "hang.xml: no word lost (words.py)" python3 tests/words.py "$O" "$T/hang.xml" pdf "$D/hang-book/hang.pdf"
check "hang.epub: epubcheck finds nothing" epubcheck_clean "$D/hang-book/hang.epub"
