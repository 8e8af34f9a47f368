#!/bin/bash
# Robustness (issue 7): pathological but valid books build in bounded time and memory and lose
# no word; the nesting limit; outputs are atomic (a failed build writes nothing and keeps the
# previous output); write failures; nothing outside the book's folder is read and the network
# is never used; builds are reproducible. Run by tests/run.sh with OCTAVO and OUT set; prints
# ok / not ok lines, and "# " lines with what was measured.
set -u
O=${OCTAVO:-./octavo}
D=${OUT:-tests/out}/robust
rm -rf "$D"; mkdir -p "$D"
export SOURCE_DATE_EPOCH=1700000000
PY=$(command -v /usr/bin/python3 || command -v python3)
# sanitizer builds run several times slower and larger: the bounds grow with them
SLOW=1
case $O in *asan*) SLOW=6;; esac

t() {
	local name=$1; shift
	if "$@" > "$D/log" 2>&1; then
		echo "ok - robust: $name"
	else
		echo "not ok - robust: $name"; sed 's/^/#   /' "$D/log" | head -15
	fi
}

# ---- 1. pathological but valid books (tests/robust/gen.py writes them here) ----
P=$D/patho
$PY tests/robust/gen.py "$P"
cases=(
	"deep-quote:20,000 nested blockquotes" "deep-list:20,000 nested lists"
	"deep-inline:20,000 nested inline elements" "long-word:a 200,000-letter word"
	"big-table:a 5,000-row table" "big-para:a 1 MB paragraph"
	"many-footnotes:10,000 footnotes" "many-chapters:10,000 chapters")
# two at a time (2 cores); each writes its own result file, printed here in order
for c in "${cases[@]}"; do printf '%s\0%s\0' "${c%%:*}" "${c#*:}"; done |
	xargs -0 -n 2 -P 2 bash tests/robust/case.sh "$O" "$P" "$SLOW"
for c in "${cases[@]}"; do cat "$P/${c%%:*}.result" 2>/dev/null || echo "not ok - robust: ${c%%:*}: no result"; done
t "deep-quote: check validates 20,000 levels against the schema without a warning" bash -c "
	$PY tests/robust/measure.py $((60 * SLOW)) $((1200 * SLOW)) $O check '$P/deep-quote.xml' 2> '$P/check.err' && [ ! -s '$P/check.err' ]"
t "deep-list: dump is linear: deep lines give their level as [N]" bash -c "
	$O dump '$P/deep-list.xml' > '$P/deep-list.dump' && [ \$(stat -c %s '$P/deep-list.dump') -lt 20000000 ] &&
	grep -q '^ \{80\}\[40002\] para ' '$P/deep-list.dump'"
t "deep-quote: indentation stops at half the measure, text keeps its width" bash -c "
	$O build --pdf '$P/dq.pdf' --layout '$P/dq.layout' '$P/deep-quote.xml' &&
	awk '\$1 == \"page\" { kind = \$3 } \$1 == \"line\" && kind == \"body\" { n++; if (\$2 + 0 > 48.2 + 323.2 / 2) { print; bad = 1 } }
	     END { if (n < 20000) { print n \" body lines\"; bad = 1 } exit bad }' '$P/dq.layout'"

# ---- 2. the nesting limit: 100,000 levels build; one more is an error, not a crash ----
$PY - "$D" <<'PY'
import sys
head = ('<?xml version="1.0"?>\n<book xmlns="http://docbook.org/ns/docbook" version="5.0">\n'
        '<title>Deep</title>\n<chapter><title>C</title>\n')
for name, quotes in (("limit", 99_997), ("too-deep", 99_998)):  # + book, chapter, para
    with open(f"{sys.argv[1]}/{name}.xml", "w") as f:
        f.write(head + "<blockquote>\n" * quotes + "<para>x</para>" + "</blockquote>" * quotes + "\n</chapter></book>\n")
PY
t "100,000 levels of elements read and resolve (dump)" bash -c "$PY tests/robust/measure.py $((60 * SLOW)) $((1200 * SLOW)) $O dump '$D/limit.xml' > '$D/limit.dump' && grep -q '^ *\[99999\] para .*limit.xml:100002:1' '$D/limit.dump'"
t "one level more is an error at its place (exit 1, nothing written)" bash -c "
	timeout $((60 * SLOW)) $O build -o '$D/deep-out' '$D/too-deep.xml' 2> '$D/deep.err'; rc=\$?
	cat '$D/deep.err'; [ \$rc -eq 1 ] && grep -q '^$D/too-deep.xml:100003:1: error: elements nest more than 100000 levels deep\$' '$D/deep.err' && [ ! -e '$D/deep-out' ]"
