#!/bin/bash
# One bad-input case: run octavo on it (bounded in time) and compare with NAME.expect:
#   exit N          the exit status octavo must return
#   any other line  text that must appear in octavo's stderr
#   build           (a .theme case) build with it, not just check: what only a build
#                   finds (fonts), and no output may be written
# For a .theme case the book is the brochure and the theme is the file.
octavo=$1 src=$2 exp=$3 out=$4
case $src in
*.theme) if grep -qx build "$exp"; then cmd=("$octavo" build -t "$src" -o "$out/badtheme" book/international-commitment.xml)
	else cmd=("$octavo" check -t "$src" book/international-commitment.xml); fi;;
*) cmd=("$octavo" build -o "$out/bad" "$src");;
esac
timeout 60 "${cmd[@]}" > "$out/bad.out" 2> "$out/bad.err"
rc=$?
want=$(sed -n 's/^exit //p' "$exp")
status=0
if [ "$rc" != "$want" ]; then echo "exit status $rc, expected $want"; status=1; fi
while IFS= read -r line; do
	case $line in exit*|build|"") continue;; esac
	grep -qF -- "$line" "$out/bad.err" || { echo "stderr lacks: $line"; status=1; }
done < "$exp"
# a failed build writes nothing
if [ "$want" != 0 ]; then
	if ls "$out"/bad/* "$out"/badtheme/* >/dev/null 2>&1; then echo "output written by a failed build:"; ls "$out"/bad "$out"/badtheme 2>/dev/null; status=1; fi
fi
[ $status -eq 0 ] || { echo "--- stderr:"; head -20 "$out/bad.err"; }
rm -rf "$out/bad" "$out/badtheme"
exit $status
