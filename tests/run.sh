#!/bin/bash
# The whole test suite. Every part prints TAP-style lines; the last line is the total:
# "N passed, N failed". Exit status 1 when anything failed.
# Run from the top of the source tree (make check does).
set -u
cd "$(dirname "$0")/.."
OCTAVO=${OCTAVO:-./octavo}
OUT=tests/out
rm -rf "$OUT"; mkdir -p "$OUT"
# octavo's one file outside its outputs, the hyphenation cache, kept out of the user's home:
# the first build of each language compiles its patterns, as on a fresh machine
export XDG_CACHE_HOME="$PWD/$OUT/cache"
pass=0; fail=0

ok()   { pass=$((pass + 1)); echo "ok - $*"; }
bad()  { fail=$((fail + 1)); echo "not ok - $*"; }
check() { local name=$1; shift; if "$@" >"$OUT/last.log" 2>&1; then ok "$name"; else bad "$name"; sed 's/^/#   /' "$OUT/last.log" | head -20; fi; }

# 1. unit tests (GTest, TAP)
for t in tests/unit/test-*; do
	case $t in *.c) continue;; esac
	[ -x "$t" ] || continue
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "$(basename "$t"): ${line#ok }";;
		"not ok "*) bad "$(basename "$t"): ${line#not ok }";;
		"# "*) echo "$line";;
		"octavo-unit-exit 0") ;;
		"octavo-unit-exit "*) bad "$(basename "$t"): the binary ended with status ${line#octavo-unit-exit } (a crash or an abort: its later tests never ran)";;
		esac
	done < <("$t" --tap 2>&1; echo "octavo-unit-exit $?")
done

# 2. golden dumps: tests/docs/NAME.xml -> tests/docs/NAME.dump
for src in tests/docs/*.xml; do
	gold=${src%.xml}.dump
	[ -f "$gold" ] || continue
	check "dump $(basename "$src")" bash -c "$OCTAVO dump '$src' > '$OUT/$(basename "$gold")' && diff -u '$gold' '$OUT/$(basename "$gold")'"
done

# 3. every test document and the brochure check clean (warnings allowed only where a
#    .warnings file lists them)
for src in tests/docs/*.xml book/international-commitment.xml; do
	grep -q '<book\|<article' "$src" || continue
	exp=${src%.xml}.warnings
	check "check $(basename "$src") is clean" bash -c "
		$OCTAVO check '$src' 2> '$OUT/check.err'; rc=\$?
		[ \$rc -eq 0 ] || { cat '$OUT/check.err'; exit 1; }
		if [ -f '$exp' ]; then diff -u '$exp' '$OUT/check.err'; else [ ! -s '$OUT/check.err' ] || { cat '$OUT/check.err'; exit 1; }; fi"
done

# 4. bad inputs: tests/bad/NAME.xml with NAME.expect ("exit N", then lines that stderr must contain)
for src in tests/bad/*.xml; do
	exp=${src%.xml}.expect
	[ -f "$exp" ] || continue
	check "bad $(basename "$src")" tests/bad-one.sh "$OCTAVO" "$src" "$exp" "$OUT"
done

# 5. the command line
check "cli: --help exits 0 and names the commands" bash -c "$OCTAVO --help | grep -q 'build BOOK.xml'"
check "cli: --version" bash -c "$OCTAVO --version | grep -Eq '^octavo [0-9]+\.[0-9]+'"
check "cli: no command is a usage error (2)" bash -c "$OCTAVO >/dev/null 2>&1; [ \$? -eq 2 ]"
check "cli: unknown command is a usage error (2)" bash -c "$OCTAVO frobnicate x.xml >/dev/null 2>&1; [ \$? -eq 2 ]"
check "cli: unknown option is a usage error (2)" bash -c "$OCTAVO build --nope book/international-commitment.xml >/dev/null 2>&1; [ \$? -eq 2 ]"
check "cli: missing book file is an I/O failure (3)" bash -c "$OCTAVO check /nonexistent/book.xml 2>&1 | grep -q 'nonexistent'; $OCTAVO check /nonexistent/book.xml 2>/dev/null; [ \$? -eq 3 ]"
check "cli: unknown theme is a usage error (2)" bash -c "$OCTAVO check -t nosuchtheme book/international-commitment.xml 2>&1 | grep -q 'theme \"nosuchtheme\"'; $OCTAVO check -t nosuchtheme book/international-commitment.xml 2>/dev/null; [ \$? -eq 2 ]"
check "cli: --strict makes warnings fail (1)" bash -c "$OCTAVO check --strict tests/bad/unknown-element.xml 2>/dev/null; [ \$? -eq 1 ]"
check "cli: -q hides warnings" bash -c "[ -z \"\$($OCTAVO check -q tests/bad/unknown-element.xml 2>&1)\" ]"
for cmd in build check dump; do
	check "cli: $cmd --help names the command and its options" bash -c "$OCTAVO $cmd --help > $OUT/help.txt && grep -q 'octavo $cmd \\[OPTION' $OUT/help.txt && for o in --theme --strict --quiet --verbose; do grep -q -- \"\$o\" $OUT/help.txt || { echo \"no \$o\"; exit 1; }; done"
done
check "cli: build --help lists every build option of the README" bash -c "$OCTAVO build --help > $OUT/help.txt && for o in --output --epub --pdf --png --png-dpi --layout --report --no-print-pages; do grep -q -- \"\$o\" $OUT/help.txt || { echo \"no \$o\"; exit 1; }; grep -q -- \"\$o\" README.md || { echo \"README lacks \$o\"; exit 1; }; done"

# 6. themes
for th in styles/*.theme; do
	check "theme $(basename "$th") loads" bash -c "$OCTAVO check -t '$th' book/international-commitment.xml"
done
for th in tests/themes/*.theme; do
	[ -f "$th" ] || continue
	exp=${th%.theme}.expect
	check "bad theme $(basename "$th")" tests/bad-one.sh "$OCTAVO" "$th" "$exp" "$OUT"
done

# 7. back ends (each script prints its own ok/not ok lines, and ends with status 0: a script
# that stops early, a syntax error or a killed shell, fails here rather than skip its checks)
for t in tests/t-*.sh; do
	[ -f "$t" ] || continue
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "${line#ok - }";;
		"not ok "*) bad "${line#not ok - }";;
		"#-status 0") ;;
		"#-status "*) bad "$t ended with status ${line#\#-status } (its later checks never ran)";;
		*) echo "$line";;
		esac
	done < <(OCTAVO=$OCTAVO OUT=$OUT bash "$t" 2>&1; echo "#-status $?")
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
