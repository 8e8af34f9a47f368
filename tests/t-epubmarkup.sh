#!/bin/bash
# The EPUB's markup for assistive technology: table header scopes and rowheader="firstcol". Run by tests/run.sh from the
# top of the tree with OCTAVO and OUT set; prints one "ok - ..." or "not ok - ..." line per
# check, "# ..." lines to explain a failure. Needs java and epubcheck (make deps) and python3
# (standard library only).
set -u
OCTAVO=${OCTAVO:-./octavo}
OUT=${OUT:-tests/out}
D=$OUT/epubmarkup
PY=$(command -v /usr/bin/python3 || command -v python3)
EPUBCHECK="java -Xss1024k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar /usr/bin/epubcheck"
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

# build NAME: tests/epub/NAME.xml into $D/NAME.epub and $D/NAME.pdf, then epubcheck it
build() {
	$OCTAVO build -q --epub "$D/$1.epub" --pdf "$D/$1.pdf" "tests/epub/$1.xml" || return 1
	if [ -f /usr/bin/epubcheck ] && command -v java >/dev/null; then
		$EPUBCHECK "$D/$1.epub" > "$D/$1.check" 2>&1
		grep -q '^Messages: 0 fatals / 0 errors / 0 warnings' "$D/$1.check" || {
			grep -E 'ERROR|WARNING|FATAL|Messages' "$D/$1.check"; return 1; }
	fi
}
for b in markup-tables; do
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
