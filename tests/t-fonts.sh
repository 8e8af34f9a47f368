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
# a character the theme's font lacks but another bundled font has (the third level's list
# mark, U+25E6, is only in Noto Sans Mono; Hebrew and Chinese in inline code, which the mono
# font lacks): set with that bundled font, in one typesetting, never with a system font (which
# would make the PDF depend on the machine)
cat > "$D/bundled.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<book xmlns="http://docbook.org/ns/docbook" version="5.0" xml:lang="en">
  <info><title>Bundled</title></info>
  <chapter><title>One</title>
    <para>A white bullet in the text: &#x25E6;, code in two scripts: <code>label = "&#x5E9;&#x5DC;&#x5D5;&#x5DD; &#x4F60;&#x597D;"</code>,
      and lists three deep:</para>
    <itemizedlist><listitem><para>One.</para><itemizedlist><listitem><para>Two.</para>
      <itemizedlist><listitem><para>Three.</para></listitem></itemizedlist></listitem></itemizedlist></listitem></itemizedlist>
  </chapter>
</book>
XML
bundled_only() {
	"$OCTAVO" build --pdf "$D/bundled.pdf" "$D/bundled.xml" 2> "$D/bundled.err" || { cat "$D/bundled.err"; return 1; }
	! grep -q 'bundled fonts' "$D/bundled.err" || { cat "$D/bundled.err"; return 1; }
	pdffonts "$D/bundled.pdf" > "$D/bundled.fonts" || return 1
	grep -q 'NotoSansMono' "$D/bundled.fonts" && grep -q 'NotoSansHebrew' "$D/bundled.fonts" || { cat "$D/bundled.fonts"; return 1; }
	# every embedded font is a bundled one
	! awk 'NR > 2 { sub(/^[A-Z]+\+/, "", $1); print $1 }' "$D/bundled.fonts" |
		grep -Ev '^(GentiumBookPlus|NotoSans|NotoSansMono|NotoNaskhArabic|NotoSansHebrew|DroidSansFallback)(-[A-Za-z]+)?$' ||
		{ cat "$D/bundled.fonts"; return 1; }
}
if log=$(bundled_only 2>&1); then
	echo "ok - fonts: a character the theme's font lacks and a bundled font has: set with the bundled font, no system font"
else
	echo "not ok - fonts: a character the theme's font lacks and a bundled font has: set with the bundled font, no system font"
	printf '%s\n' "$log" | sed 's/^/#   /' | head -20
fi
# the EPUB names those bundled fonts too, in the PDF's order, after the theme's family of each
# font stack, and embeds their subsets; a book its theme's fonts set wholly names none
epub_fallback() {
	local css="$D/bundled.css"
	"$OCTAVO" build -q --epub "$D/bundled.epub" "$D/bundled.xml" || return 1
	unzip -p "$D/bundled.epub" OEBPS/style.css > "$css" || return 1
	grep -A1 '^body {' "$css" | grep -qxF '  font-family: "Gentium Book Plus", "Noto Sans Hebrew", "Noto Sans Mono", "Droid Sans Fallback", serif;' &&
		grep -A1 '^pre, code, kbd, samp, .mono {' "$css" | grep -qxF '  font-family: "Noto Sans Mono", "Noto Sans Hebrew", "Droid Sans Fallback", monospace;' ||
		{ cat "$css"; return 1; }
	for f in NotoSansHebrew-Regular DroidSansFallbackFull; do
		grep -qF "src: url(fonts/$f.ttf);" "$css" && unzip -l "$D/bundled.epub" | grep -q "OEBPS/fonts/$f.ttf\$" ||
			{ echo "$f is not embedded"; return 1; }
	done
	"$PY" tests/fontcheck.py "$D/bundled.epub" fonts || return 1
	"$OCTAVO" build -q --epub "$D/plain.epub" "$D/svg/t.xml" || return 1
	unzip -p "$D/plain.epub" OEBPS/style.css | grep -A1 '^body {' | grep -qxF '  font-family: "Gentium Book Plus", serif;' ||
		{ unzip -p "$D/plain.epub" OEBPS/style.css; return 1; }
}
# a cover title the heading font lacks is set with the system's fonts from the start
sed 's|<title>Fallback</title>|<title>Fallback \&#x10900;</title>|' "$D/fallback.xml" > "$D/fallback-cover.xml"
if log=$("$OCTAVO" build -q --pdf "$D/fallback-cover.pdf" "$D/fallback-cover.xml" 2>&1 && pdffonts "$D/fallback-cover.pdf" | grep -qi 'Phoenician'); then
	echo "ok - fonts: a cover title the bundled heading font lacks is drawn with a system font"
else
	echo "not ok - fonts: a cover title the bundled heading font lacks is drawn with a system font"
	printf '%s\n' "$log" | sed 's/^/#   /' | head -20
fi
# an SVG whose text uses a bundled family: the book is set in the same configuration as the
# SVG (the system's fonts after the bundled ones), so that family is embedded once, not once
# for the text and again for the SVG; an SVG of shapes alone leaves the book to the bundled
# fonts (tests/docs/figures.xml: the same outputs either way, checked by t-pdf's builds)
mkdir -p "$D/svg/img"
cat > "$D/svg/img/t.svg" <<'SVG'
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60" viewBox="0 0 200 60">
  <text x="10" y="20" font-family="Gentium Book Plus" font-size="14">Gentium in the image</text>
  <text x="10" y="40" font-family="serif" font-size="14">A generic family</text>
</svg>
SVG
cat > "$D/svg/t.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<book xmlns="http://docbook.org/ns/docbook" version="5.0" xml:lang="en">
  <info><title>Text in an image</title></info>
  <chapter><title>One</title><para>Body text in Gentium.</para>
    <figure><title>An image with text</title><mediaobject><imageobject><imagedata fileref="img/t.svg"/></imageobject>
      <textobject><phrase>Two lines of text</phrase></textobject></mediaobject></figure>
  </chapter>
</book>
XML
if log=$("$OCTAVO" build -q --pdf "$D/svg/t.pdf" "$D/svg/t.xml" 2>&1 && pdffonts "$D/svg/t.pdf" > "$D/svg/fonts.txt" &&
	grep -q 'GentiumBookPlus' "$D/svg/fonts.txt" && ! awk 'NR > 2 { sub(/^[A-Z]+\+/, "", $1); print $1, $2 }' "$D/svg/fonts.txt" | sort | uniq -d | grep -q .); then
	echo "ok - fonts: an SVG's text in a bundled family: that font is embedded once, not twice"
else
	echo "not ok - fonts: an SVG's text in a bundled family: that font is embedded once, not twice"
	printf '%s\n' "$log" | sed 's/^/#   /' | head -20
	cat "$D/svg/fonts.txt" 2>/dev/null | sed 's/^/#   /'
fi
if log=$(epub_fallback 2>&1); then
	echo "ok - fonts: the EPUB's font stacks name and embed the bundled fonts the PDF falls back to, and only those"
else
	echo "not ok - fonts: the EPUB's font stacks name and embed the bundled fonts the PDF falls back to, and only those"
	printf '%s\n' "$log" | sed 's/^/#   /' | head -20
fi

# The cache of subsets ($XDG_CACHE_HOME/octavo/subsets): a build that finds a font's subset for
# its characters takes it instead of cutting and deflating the font again. Cold and warm builds
# give the same EPUB; damaged cache files are ignored and written again; a book with one more
# character misses and gets a subset that has it; OCTAVO_NO_CACHE writes nothing.
subset_cache() {
	local C="$D/cache" book=book/international-commitment.xml f
	rm -rf "$C"; mkdir -p "$D/sc"
	XDG_CACHE_HOME="$C" "$OCTAVO" build -q --epub "$D/sc/cold.epub" "$book" || return 1
	[ "$(ls "$C/octavo/subsets" | wc -l)" -ge 4 ] || { echo "no subsets cached"; ls -R "$C"; return 1; }
	cp -r "$C/octavo/subsets" "$D/sc/good"
	XDG_CACHE_HOME="$C" "$OCTAVO" build -q --epub "$D/sc/warm.epub" "$book" || return 1
	cmp "$D/sc/cold.epub" "$D/sc/warm.epub" || { echo "warm differs from cold"; return 1; }
	# damage each file: cut short, one byte changed in the data, one in the id
	for f in "$C"/octavo/subsets/*; do
		case $(( $(ls "$C"/octavo/subsets | grep -n "^$(basename "$f")\$" | cut -d: -f1) % 3 )) in
		0) head -c 100 "$f" > "$f.t" && mv "$f.t" "$f" ;;
		1) printf 'X' | dd of="$f" bs=1 seek=$(( $(stat -c %s "$f") - 50 )) conv=notrunc 2>/dev/null ;;
		2) printf 'X' | dd of="$f" bs=1 seek=30 conv=notrunc 2>/dev/null ;;
		esac
	done
	XDG_CACHE_HOME="$C" "$OCTAVO" build -q --epub "$D/sc/damaged.epub" "$book" || return 1
	cmp "$D/sc/cold.epub" "$D/sc/damaged.epub" || { echo "a damaged cache changed the EPUB"; return 1; }
	diff -r "$D/sc/good" "$C/octavo/subsets" || { echo "the damaged files were not written again"; return 1; }
	# one more character (U+0110, D with stroke): another key, a subset that covers it
	cp -r book "$D/sc/src" && sed '0,/<para>/s|<para>|<para>\&#x110; |' book/preface-introduction.xml > "$D/sc/src/preface-introduction.xml"
	XDG_CACHE_HOME="$C" "$OCTAVO" build -q --epub "$D/sc/more.epub" "$D/sc/src/international-commitment.xml" || return 1
	unzip -p "$D/sc/more.epub" 'OEBPS/*.xhtml' | grep -q 'Đ' || { echo "the new character is not in the text"; return 1; }
	"$PY" tests/fontcheck.py "$D/sc/more.epub" fonts || return 1
	rm -rf "$C"
	OCTAVO_NO_CACHE=1 XDG_CACHE_HOME="$C" "$OCTAVO" build -q --epub "$D/sc/off.epub" "$book" || return 1
	cmp "$D/sc/cold.epub" "$D/sc/off.epub" && [ ! -e "$C/octavo/subsets" ] || { echo "OCTAVO_NO_CACHE: a cache was written, or the EPUB differs"; return 1; }
}
if log=$(subset_cache 2>&1); then
	echo "ok - fonts: the cache of subsets: warm = cold, damaged files ignored and rewritten, a new character misses, OCTAVO_NO_CACHE"
else
	echo "not ok - fonts: the cache of subsets: warm = cold, damaged files ignored and rewritten, a new character misses, OCTAVO_NO_CACHE"
	printf '%s\n' "$log" | sed 's/^/#   /' | head -20
fi

# The cache of drawn covers ($XDG_CACHE_HOME/octavo/covers): a build whose cover an earlier one
# drew takes its PNG. Warm = cold; a hit writes nothing (a miss always writes: the file stays
# the same file); a damaged file is ignored and written again; another title is another cover;
# OCTAVO_NO_CACHE writes nothing.
cover_cache() {
	local C="$D/cc" book=book/international-commitment.xml f ino
	rm -rf "$C" "$D/cv"; mkdir -p "$D/cv"
	XDG_CACHE_HOME="$C" "$OCTAVO" build -q --epub "$D/cv/cold.epub" "$book" || return 1
	[ "$(ls "$C/octavo/covers" | wc -l)" -eq 1 ] || { echo "not one cover cached"; ls -R "$C"; return 1; }
	f=$(ls "$C"/octavo/covers/*) && ino=$(stat -c %i "$f") && cp "$f" "$D/cv/good"
	XDG_CACHE_HOME="$C" "$OCTAVO" build -q --epub "$D/cv/warm.epub" "$book" || return 1
	cmp "$D/cv/cold.epub" "$D/cv/warm.epub" || { echo "warm differs from cold"; return 1; }
	[ "$(stat -c %i "$f")" = "$ino" ] || { echo "the warm build drew the cover again"; return 1; }
	printf 'X' | dd of="$f" bs=1 seek=$(( $(stat -c %s "$f") - 50 )) conv=notrunc 2>/dev/null
	XDG_CACHE_HOME="$C" "$OCTAVO" build -q --epub "$D/cv/damaged.epub" "$book" || return 1
	cmp "$D/cv/cold.epub" "$D/cv/damaged.epub" || { echo "a damaged cache changed the EPUB"; return 1; }
	cmp "$D/cv/good" "$f" || { echo "the damaged file was not written again"; return 1; }
	cp -r book "$D/cv/src" && sed -i '0,/<title>[^<]*</s|<title>\([^<]*\)<|<title>\1 Again<|' "$D/cv/src/$(basename "$book")"
	grep -q 'Again</title>' "$D/cv/src/$(basename "$book")" || { echo "the title was not changed"; return 1; }
	XDG_CACHE_HOME="$C" "$OCTAVO" build -q --epub "$D/cv/other.epub" "$D/cv/src/$(basename "$book")" || return 1
	! cmp -s <(unzip -p "$D/cv/cold.epub" OEBPS/images/cover.png) <(unzip -p "$D/cv/other.epub" OEBPS/images/cover.png) ||
		{ echo "another title, the same cover"; return 1; }
	OCTAVO_NO_CACHE=1 XDG_CACHE_HOME="$D/cv/off" "$OCTAVO" build -q --epub "$D/cv/off.epub" "$book" || return 1
	cmp "$D/cv/cold.epub" "$D/cv/off.epub" && [ ! -e "$D/cv/off" ] || { echo "OCTAVO_NO_CACHE: a cache was written, or the EPUB differs"; return 1; }
	# the system's fontconfig rules are the drawing's too: other rules (no antialiasing), another cover
	cat > "$D/cv/fonts.conf" <<'XML'
<?xml version="1.0"?>
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <match target="font"><edit name="antialias" mode="assign"><bool>false</bool></edit></match>
</fontconfig>
XML
	FONTCONFIG_FILE="$(realpath "$D")/cv/fonts.conf" XDG_CACHE_HOME="$C" "$OCTAVO" build -q --epub "$D/cv/rules.epub" "$book" || return 1
	FONTCONFIG_FILE="$(realpath "$D")/cv/fonts.conf" OCTAVO_NO_CACHE=1 "$OCTAVO" build -q --epub "$D/cv/rules-off.epub" "$book" || return 1
	cmp "$D/cv/rules.epub" "$D/cv/rules-off.epub" || { echo "other fontconfig rules: the cached cover served"; return 1; }
	! cmp -s "$D/cv/cold.epub" "$D/cv/rules.epub" || { echo "other fontconfig rules drew the same cover: not a valid test"; return 1; }
}
if log=$(cover_cache 2>&1); then
	echo "ok - fonts: the cache of drawn covers: warm = cold and draws nothing, a damaged file rewritten, another title or other fontconfig rules miss, OCTAVO_NO_CACHE"
else
	echo "not ok - fonts: the cache of drawn covers: warm = cold and draws nothing, a damaged file rewritten, another title or other fontconfig rules miss, OCTAVO_NO_CACHE"
	printf '%s\n' "$log" | sed 's/^/#   /' | head -20
fi

# An EPUB alone without print pages is not typeset, but it still needs the system's fonts
# when the theme names an installed family (checked against them) or the cover's title has
# characters the bundled heading font lacks (drawn with them): the same cover as the EPUB
# with print pages, and the same EPUB as with both outputs.
pageless_fonts() {
	sed 's/^body = .*/body = Noto Serif/' styles/brochure.theme > "$D/installed.theme"
	"$OCTAVO" build -q -t "$D/installed.theme" --epub "$D/np-theme.epub" --no-print-pages "$D/fallback.xml" || return 1
	"$OCTAVO" build -q --epub "$D/np-cover.epub" --no-print-pages "$D/fallback-cover.xml" 2> /dev/null || return 1
	"$OCTAVO" build -q --epub "$D/p-cover.epub" "$D/fallback-cover.xml" 2> /dev/null || return 1
	"$OCTAVO" build -q -o "$D/np-both" --no-print-pages "$D/fallback-cover.xml" 2> /dev/null || return 1
	unzip -p "$D/np-cover.epub" OEBPS/images/cover.png > "$D/np-cover.png" && unzip -p "$D/p-cover.epub" OEBPS/images/cover.png > "$D/p-cover.png" &&
		cmp "$D/np-cover.png" "$D/p-cover.png" || { echo "the cover differs from the EPUB with print pages"; return 1; }
	cmp "$D/np-cover.epub" "$D/np-both/fallback-cover.epub" || { echo "the EPUB alone differs from the one built with the PDF"; return 1; }
}
if log=$(pageless_fonts 2>&1); then
	echo "ok - fonts: an EPUB without print pages uses the system's fonts where the theme or the cover needs them"
else
	echo "not ok - fonts: an EPUB without print pages uses the system's fonts where the theme or the cover needs them"
	printf '%s\n' "$log" | sed 's/^/#   /' | head -20
fi
