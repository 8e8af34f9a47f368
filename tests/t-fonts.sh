#!/bin/bash
# The EPUB's fonts are subsets (issue 8): each covers every character of the book that the
# bundled font covers, is smaller, keeps its copyright and licence, and drops Reserved Font
# Names from its primary names (tests/fontcheck.py). Run by tests/run.sh with OCTAVO and OUT.
set -u
OCTAVO=${OCTAVO:-./octavo}
OUT=${OUT:-tests/out}
D=$OUT/fonts
PY=$(command -v /usr/bin/python3 || command -v python3)
export SOURCE_DATE_EPOCH=1700000000
rm -rf "$D"
mkdir -p "$D"
for src in book/international-commitment.xml tests/docs/lang.xml tests/docs/inlines.xml tests/docs/verbatim.xml; do
	b=$(basename "$src" .xml)
	if log=$($OCTAVO build -q --epub "$D/$b.epub" "$src" 2>&1 && "$PY" tests/fontcheck.py "$D/$b.epub" fonts 2>&1); then
		echo "ok - fonts: $b: every embedded font is a subset that covers the text, with its licence and names"
	else
		echo "not ok - fonts: $b: every embedded font is a subset that covers the text, with its licence and names"
		printf '%s\n' "$log" | sed 's/^/#   /' | head -20
	fi
done

# The PDF is set with the bundled fonts alone while they have every character (issue 8: no
# sort of the system's fonts); a character they lack makes octavo set the book again with the
# system's fonts after them, with the warning that names the system font, as before.
cat > "$D/fallback.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<book xmlns="http://docbook.org/ns/docbook" version="5.0" xml:lang="en">
  <info><title>Fallback</title></info>
  <chapter><title>One</title>
    <para>Plain text first, then a character of no bundled font: &#x10900;.</para>
    <programlisting>mono with one: &#x10901;</programlisting>
  </chapter>
</book>
XML
fallback() {
	"$OCTAVO" build --pdf "$D/fallback.pdf" "$D/fallback.xml" 2> "$D/fallback.err" || { cat "$D/fallback.err"; return 1; }
	grep -q 'are in none of the bundled fonts: drawn with the system font' "$D/fallback.err" || { cat "$D/fallback.err"; return 1; }
	pdffonts "$D/fallback.pdf" | grep -qi 'Phoenician' || { pdffonts "$D/fallback.pdf"; return 1; }
	[ "$(grep -c 'none of the bundled fonts' "$D/fallback.err")" -eq 2 ] || { cat "$D/fallback.err"; return 1; }
}
if log=$(fallback 2>&1); then
	echo "ok - fonts: a character no bundled font has: set again with the system's fonts, one warning per paragraph"
else
	echo "not ok - fonts: a character no bundled font has: set again with the system's fonts, one warning per paragraph"
	printf '%s\n' "$log" | sed 's/^/#   /' | head -20
fi
# a cover title the heading font lacks is set with the system's fonts from the start
sed 's|<title>Fallback</title>|<title>Fallback \&#x10900;</title>|' "$D/fallback.xml" > "$D/fallback-cover.xml"
if log=$("$OCTAVO" build -q --pdf "$D/fallback-cover.pdf" "$D/fallback-cover.xml" 2>&1 && pdffonts "$D/fallback-cover.pdf" | grep -qi 'Phoenician'); then
	echo "ok - fonts: a cover title the bundled heading font lacks is drawn with a system font"
else
	echo "not ok - fonts: a cover title the bundled heading font lacks is drawn with a system font"
	printf '%s\n' "$log" | sed 's/^/#   /' | head -20
fi
