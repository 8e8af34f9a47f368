#!/bin/bash
# The PDF's flow (src/pdf/flow.c, lines.c): where blocks go and what they keep. Each check
# builds a small document of tests/flow/ and reads its --layout (one line per item: "line X Y
# TEXT", "rule X Y W H", "image X Y W H FILE") or the PDF itself. Run by tests/run.sh with
# OCTAVO and OUT set; prints ok / not ok lines, and ends with status 0.
set -u
O=$(realpath "${OCTAVO:-./octavo}")
D=$(realpath -m "${OUT:-tests/out}/flow")
F=$(realpath tests/flow)
rm -rf "$D"; mkdir -p "$D"
export SOURCE_DATE_EPOCH=1700000000

PREFIX="flow: "
. tests/lib.sh

# build NAME XML [THEME]: NAME's PDF, EPUB, layout ($D/NAME/l.txt) and report ($D/NAME/r.json)
build() {
	local name=$1 xml=$2 theme=${3:-}
	$O build -q ${theme:+-t "$theme"} -o "$D/$name" --layout "$D/$name/l.txt" --report "$D/$name/r.json" "$xml" \
		2> "$D/$name.err" || { echo "build of $xml failed"; cat "$D/$name.err"; }
}
# page_items NAME LABEL: the layout's items on the body page labelled LABEL
page_items() {
	awk -v want="$2" '/^page /{on = ($0 ~ " body label=" want "( |$)")} on && /^  /' "$D/$1/l.txt"
}

# ---- tables take each page's own left edge ----
build first-table "$F/first-table.xml"
check "a table opening an article starts at the left margin, not at the page's edge" \
	bash -c "$(declare -f page_items); D=$D; page_items first-table 1 | awk '/^  rule/{n++; if (\$2 + 0 < 40) bad = 1} END{exit !(n && !bad)}'"
build tbl-facing "$F/tbl-facing.xml" "$F/facing-asym.theme"
# a verso's text area starts at its outer margin (10mm), a recto's at its inner one (30mm)
check "facing pages: a table's rows on a verso stand at the verso's margin, on a recto at the recto's" \
	bash -c "$(declare -f page_items); D=$D; page_items tbl-facing 2 | awk '/^  rule/{if (\$2 + 0 > 30) bad = 1; n++} END{exit !(n && !bad)}' &&
		 page_items tbl-facing 3 | awk '/^  rule/{if (\$2 + 0 < 80) bad = 1; n++} END{exit !(n && !bad)}'"

