#!/bin/bash
# One pathological book of tests/robust/gen.py, end to end: build both outputs under a time and
# memory bound (tests/robust/measure.py), then qpdf --check and the text fidelity of the PDF
# and the EPUB. Writes ok / not ok lines (and a "# " line with the time and memory measured)
# to DIR/CASE.result; t-robust.sh runs two cases at a time and prints the results in order.
# usage: case.sh OCTAVO DIR SLOW CASE "DESCRIPTION"   (SLOW multiplies the bounds)
O=$1 P=$2 SLOW=$3 c=$4 what=$5
PY=$(command -v /usr/bin/python3 || command -v python3)
R=$P/$c.result
: > "$R"
t() {
	local name=$1; shift
	if "$@" > "$P/$c.log" 2>&1; then
		echo "ok - robust: $c: $name" >> "$R"
	else
		{ echo "not ok - robust: $c: $name"; sed 's/^/#   /' "$P/$c.log" | head -8 | cut -c1-300; } >> "$R"
	fi
}
t "$what builds (EPUB and PDF) in bounded time and memory" bash -c "
	$PY tests/robust/measure.py $((120 * SLOW)) $((1200 * SLOW)) '$O' build -o '$P/out' '$P/$c.xml' > '$P/$c.measure' 2> '$P/$c.err'
	rc=\$?; cat '$P/$c.measure'; [ \$rc -eq 0 ] || { head -5 '$P/$c.err'; exit 1; }
	[ -s '$P/out/$c.epub' ] && [ -s '$P/out/$c.pdf' ] && ! grep -q error '$P/$c.err'"
echo "# $c: build took $(head -1 "$P/$c.measure" 2>/dev/null) (wall time, peak memory)" >> "$R"
t "the PDF passes qpdf --check and keeps every word" bash -c "
	qpdf --check '$P/out/$c.pdf' > /dev/null && $PY tests/robust/fidelity.py '$O' '$P/$c.xml' pdf '$P/out/$c.pdf' styles/brochure.theme"
t "the EPUB keeps every word" $PY tests/robust/fidelity.py "$O" "$P/$c.xml" epub "$P/out/$c.epub"
