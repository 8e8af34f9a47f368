#!/bin/bash
# Greedy (first fit) against total-fit line breaking on the same text, fonts and measure,
# with and without letter-spacing (the brochure theme's letter-spacing = 0.015em):
# interword-spacing spread from `octavo build --report`, and the time of each (median of 5
# runs after a warm-up, PDF only). Inputs: the brochure and a long real text (the GPL's
# paragraphs). Prints a Markdown table (docs/typography.md keeps the last one).
# usage: bench/linebreak.sh [OCTAVO]
set -eu
O=${1:-./octavo}
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
sed 's/^justify = true/justify = true\nline-breaking = greedy/' styles/brochure.theme > "$D/greedy.theme"
sed 's/^letter-spacing = .*/letter-spacing = 0/' styles/brochure.theme > "$D/total-nols.theme"
sed 's/^letter-spacing = .*/letter-spacing = 0/' "$D/greedy.theme" > "$D/greedy-nols.theme"
sed 's/^hyphenate = true/hyphenate = false/' "$D/greedy-nols.theme" > "$D/pango.theme"
python3 tests/prose.py "$D/prose.xml" --times 4
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
echo "| input | breaking | lines | hyphenated | space sd (em) | ratio sd | time (s) |"
echo "|---|---|---|---|---|---|---|"
for src in book/international-commitment.xml "$D/prose.xml"; do
	for mode in pango greedy-nols total-nols greedy total-fit; do
		th=styles/brochure.theme
		[ "$mode" = total-fit ] || th=$D/$mode.theme
		"$O" build -t "$th" --pdf "$D/x.pdf" --report "$D/r.json" "$src" # warm-up and the report
		tm=$(for i in 1 2 3 4 5; do /usr/bin/time -f %e "$O" build -t "$th" --pdf "$D/x.pdf" "$src" 2>&1 >/dev/null | tail -1; done | median)
		python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["total"]
name = {"pango": "greedy, no hyphens (Pango)", "greedy-nols": "greedy, hyphens", "total-nols": "total fit, hyphens",
        "greedy": "greedy, hyphens, letter-spacing", "total-fit": "total fit, hyphens, letter-spacing"}[sys.argv[3]]
print("| %s | %s | %d | %d | %.4f | %.3f | %s |" % (sys.argv[2], name, t["lines"], t["hyphenated_lines"], t["space_sd_em"], t["ratio_sd"], sys.argv[4]))
' "$D/r.json" "$(basename "$src" .xml)" "$mode" "$tm"
	done
done
