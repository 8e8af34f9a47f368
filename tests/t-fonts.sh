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
