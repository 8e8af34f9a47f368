#!/bin/bash
# Typography of the PDF: total-fit line breaking, hyphenation, widows, orphans, keeps and
# floats, measured with `octavo build --report` (JSON) and `--layout`, checked by
# tests/typo.py. Run by tests/run.sh with OCTAVO and OUT set; prints ok / not ok lines.
set -u
O=${OCTAVO:-./octavo}
D=${OUT:-tests/out}/typo
rm -rf "$D"; mkdir -p "$D"
BOOK=book/international-commitment.xml

t() {
	local name=$1; shift
	if "$@" > "$D/log" 2>&1; then echo "ok - typography: $name"; else echo "not ok - typography: $name"; sed 's/^/#   /' "$D/log" | head -15; fi
}

# themes that differ from brochure only in how lines are broken
sed 's/^justify = true/justify = true\nline-breaking = greedy/' styles/brochure.theme > "$D/greedy.theme"
sed 's/^hyphenate = true/hyphenate = false/; s/^letter-spacing = .*/letter-spacing = 0/' "$D/greedy.theme" > "$D/pango.theme"
sed 's/^letter-spacing = .*/letter-spacing = 0/' styles/brochure.theme > "$D/nols.theme"

# a long document of real prose, and the same in sections for facing pages
python3 tests/prose.py "$D/prose.xml"
python3 tests/prose.py "$D/sections.xml" --sections

for src in $BOOK "$D/prose.xml" tests/pdf/long-note.xml tests/pdf/long-table.xml tests/docs/lists.xml tests/docs/footnotes.xml tests/docs/lang.xml; do
	b=$(basename "$src" .xml)
	t "$b: no overfull line, widow, orphan or lonely heading; at most 2 hyphens in a row" bash -c "$O build --pdf $D/$b.pdf --report $D/$b.json $src 2>/dev/null && python3 tests/typo.py clean $D/$b.json"
done
t "the brochure is hyphenated" python3 tests/typo.py hyphenates $D/international-commitment.json
for src in $BOOK "$D/prose.xml"; do
	b=$(basename "$src" .xml)
	t "$b: interword spacing spreads at least 40% less than Pango's greedy breaking" bash -c "$O build -t $D/pango.theme --pdf $D/$b-pango.pdf --report $D/$b-pango.json $src && python3 tests/typo.py spread $D/$b.json $D/$b-pango.json 40"
	t "$b: letter-spacing narrows the interword spread by at least 30%" bash -c "$O build -t $D/nols.theme --pdf $D/$b-nols.pdf --report $D/$b-nols.json $src && python3 tests/typo.py spread $D/$b.json $D/$b-nols.json 30 && python3 tests/words.py $O $src pdf $D/$b.pdf"
	t "$b: and no more than greedy breaking with the same hyphenation" bash -c "$O build -t $D/greedy.theme --pdf $D/$b-greedy.pdf --report $D/$b-greedy.json $src && python3 tests/typo.py spread $D/$b.json $D/$b-greedy.json 0"
done
t "hyphenated words are whole in the text layer (ActualText)" bash -c "$O build --pdf $D/w.pdf --layout $D/w.layout $BOOK && python3 tests/typo.py whole $D/w.layout $D/w.pdf"
t "a hyphenated word of letters and digits is whole in the text layer" bash -c "$O build -t $D/nols.theme --pdf $D/hd.pdf --layout $D/hd.layout tests/pdf/hyphen-digits.xml && grep -q '\"-\$' $D/hd.layout && python3 tests/words.py $O tests/pdf/hyphen-digits.xml pdf $D/hd.pdf"
t "a literal broken after an underscore keeps every word in the text layer" bash -c "$O build --pdf $D/bu.pdf tests/pdf/break-underscore.xml && for w in lima kilo mike; do [ \$(pdftotext $D/bu.pdf - | grep -o \$w | wc -l) -eq \$(grep -o \$w tests/pdf/break-underscore.xml | wc -l) ] || { echo \"\$w\"; exit 1; }; done"
t "headings, code, URLs and capitals are never hyphenated" bash -c "$O build --pdf $D/nh.pdf --layout $D/nh.layout --report $D/nh.json tests/pdf/nohyph.xml && python3 tests/typo.py nohyphen $D/nh.layout && python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))[\"total\"]; sys.exit(t[\"overfull_lines\"] != 0)' $D/nh.json"
t "a language without patterns is not hyphenated, with one warning" bash -c "printf '<book xmlns=\"http://docbook.org/ns/docbook\" version=\"5.0\" xml:lang=\"tlh\"><title>T</title><chapter><title>C</title><para>%s</para><para>%s</para></chapter></book>' \"\$(printf 'qapla%.0s batlh ' \$(seq 200))\" \"\$(printf 'Heghlu%.0s meH ' \$(seq 200))\" > $D/tlh.xml && $O build --pdf $D/tlh.pdf --layout $D/tlh.layout $D/tlh.xml 2> $D/tlh.err; [ \$(grep -c 'no hyphenation patterns for language \"tlh\"' $D/tlh.err) -eq 1 ] && python3 tests/typo.py nohyphen $D/tlh.layout"
langs_hyphenated() { # every language octavo writes its own words in has its patterns (make deps)
	local l
	for l in en de fr es it nl pt pt-BR nb nn sv da; do
		printf '<book xmlns="http://docbook.org/ns/docbook" version="5.0" xml:lang="%s"><title>L</title><chapter><title>C</title><para>%s</para></chapter></book>' \
			"$l" "$(printf 'internationalization responsibility extraordinarily administration %.0s' $(seq 30))" > "$D/lang-$l.xml"
		$O build --pdf "$D/lang-$l.pdf" --report "$D/lang-$l.json" "$D/lang-$l.xml" 2> "$D/lang-$l.err" || { cat "$D/lang-$l.err"; return 1; }
		! grep -q 'no hyphenation patterns' "$D/lang-$l.err" || { echo "$l:"; cat "$D/lang-$l.err"; return 1; }
		python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["total"]["hyphenated_lines"] == 0)' "$D/lang-$l.json" ||
			{ echo "$l: no line hyphenated"; return 1; }
	done
}
t "every language of the generated text is hyphenated with its own patterns" langs_hyphenated
t "a 200,000-letter word is set, broken, every letter kept" bash -c "python3 -c 'print(\"<book xmlns=\\\"http://docbook.org/ns/docbook\\\" version=\\\"5.0\\\" xml:lang=\\\"en\\\"><title>W</title><chapter><title>C</title><para>start \" + \"xyzzyplugh\" * 20000 + \" end</para></chapter></book>\")' > $D/word.xml && $O build --pdf $D/word.pdf --report $D/word.json $D/word.xml && python3 tests/words.py $O $D/word.xml pdf $D/word.pdf && python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))[\"total\"]; sys.exit(t[\"overfull_lines\"] != 0 or t[\"lines\"] < 100)' $D/word.json"
t "a figure too tall for the rest of its page waits; the text flows on" bash -c "$O build --pdf $D/float.pdf --layout $D/float.layout tests/pdf/float.xml && awk '/^page /{p++} /Paragraph 3\\./{t=p} /image /{i=p} END{exit !(t && i == t + 1)}' $D/float.layout && python3 tests/words.py $O tests/pdf/float.xml pdf $D/float.pdf"
t "book theme: facing pages end on one baseline where spaces between blocks allow" bash -c "$O build -t book --pdf $D/sp.pdf --layout $D/sp.layout $D/sections.xml && python3 tests/typo.py spreads $D/sp.layout \$(awk -F' *= *' '/^leading/{print \$2+0}' styles/book.theme)"
t "book theme: continuous prose: 75% of spreads level (no paragraph loosened past the tolerance), more than without facing pages" bash -c "python3 tests/prose.py $D/prose2.xml --times 2 && sed 's/^facing = true/facing = false/' styles/book.theme > $D/single.theme && $O build -t book --pdf $D/sp2.pdf --layout $D/sp2.layout --report $D/sp2.json $D/prose2.xml && $O build -t $D/single.theme --pdf $D/sp1.pdf --layout $D/sp1.layout $D/prose2.xml && python3 tests/typo.py clean $D/sp2.json && python3 tests/words.py $O $D/prose2.xml pdf $D/sp2.pdf && a=\$(python3 tests/typo.py spreads $D/sp2.layout 14.5 | tail -1) && b=\$(python3 tests/typo.py spreads $D/sp1.layout 14.5 | tail -1) && echo \"facing: \$a; single: \$b\" && set -- \$a \$b && [ \$((\$1 * 100)) -ge \$((\$3 * 75)) ] && [ \$1 -gt \${10} ]"
t "a table shorter than a page is not split: it waits, the text flows on" bash -c "$O build --pdf $D/ft.pdf --layout $D/ft.layout tests/pdf/float-table.xml && awk '/^page /{p++} /Paragraph 3\\./{t=p} /\"Row 0\"/{a=p} /\"Row 17\"/{b=p} END{exit !(t && a == t + 1 && b == a)}' $D/ft.layout && pdftotext -raw $D/ft.pdf - > $D/ft.txt && for w in \$(seq -f 'Row %g' 0 17 | tr ' ' _) \$(seq -f 'Paragraph %g.' 0 5 | tr ' ' _); do grep -q \"\${w//_/ }\" $D/ft.txt || { echo \"lost: \$w\"; exit 1; }; done"
t "ragged text (handout) evens the rag: no overfull line" bash -c "$O build -t handout --pdf $D/h.pdf --report $D/h.json $BOOK && python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))[\"total\"]; sys.exit(t[\"overfull_lines\"] != 0 or t[\"justified_lines\"] != 0)' $D/h.json"
t "the EPUB asks for hyphens: auto and has no soft hyphen in its text" bash -c "$O build --epub $D/b.epub $BOOK && unzip -p $D/b.epub '*.css' | grep -q 'hyphens: auto' && ! unzip -p $D/b.epub '*.xhtml' | grep -q \$'\\xc2\\xad' && unzip -p $D/b.epub 'OEBPS/*.xhtml' | grep -q 'xml:lang=\"en\"'"
t "a table that fits under the text before it stays there, or waits while the text after it fills the page" bash -c "$O build --pdf $D/tg.pdf --layout $D/tg.layout tests/pdf/table-gap.xml && awk '/^page /{p++} /normal implication\\./{i=p} /\"Table[^0-9]*1\\./{t=p} /The commercial approach/{c=p} END{exit !(i && t && c && (t == i || c == i))}' $D/tg.layout && python3 tests/words.py $O tests/pdf/table-gap.xml pdf $D/tg.pdf"
t "an informal figure or table keeps its place in the text: no text is moved ahead of it" bash -c "$O build --pdf $D/inf.pdf --layout $D/inf.layout tests/pdf/informal.xml && awk '/Paragraph 1\\./{a=NR} /^  image /{i=NR} /Paragraph 2\\./{b=NR} /table below:/{c=NR} /\"key 0\"/{k=NR} /\"key 19\"/{l=NR} /table above shows/{d=NR} END{exit !(a && a < i && i < b && c && c < k && k < l && l < d)}' $D/inf.layout && python3 tests/words.py $O tests/pdf/informal.xml pdf $D/inf.pdf"
head_with_row() { # a page with a table's header row has a line of a body row under it
	local src b
	for src in tests/pdf/head-alone.xml tests/pdf/tall-row-notes.xml; do
		b=$(basename "$src" .xml)
		$O build --pdf "$D/hw-$b.pdf" --layout "$D/hw-$b.layout" "$src" && python3 tests/words.py $O "$src" pdf "$D/hw-$b.pdf" || return 1
		awk '/^page /{if (h) {print "a header alone at the foot of page " p; bad = 1} p++; h = 0}
			/^  line .*"Head B"/{h = 1; next} /^  line / && !/"(Head|A)"$/{h = 0}
			END{exit bad || h}' "$D/hw-$b.layout" || { echo "$src"; return 1; }
	done
}
t "a table's header row stands with the first line(s) of its first body row" head_with_row
t "a heading is never left alone above a table that does not fit under it" bash -c "$O build --pdf $D/ht.pdf --layout $D/ht.layout --report $D/ht.json tests/pdf/heading-table.xml && python3 tests/typo.py clean $D/ht.json && python3 tests/words.py $O tests/pdf/heading-table.xml pdf $D/ht.pdf && awk '/^page /{if (h) {print \"alone: \" h; bad = 1} h = \"\"} /^  line .*\"(Opening|Foot|Middle|Section at the foot|Section in the middle)\"\$/{h = \$0; next} /^  line /{h = \"\"} END{exit bad || h != \"\"}' $D/ht.layout"
t "the report counts a chapter's opening heading left alone" bash -c "$O build --pdf $D/lo.pdf --report $D/lo.json tests/pdf/lonely-opening.xml && python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))[\"total\"][\"lonely_headings\"] != 1)' $D/lo.json"
t "a paragraph going on under a table that waited starts the usual space below it" bash -c "$O build --pdf $D/fg.pdf --layout $D/fg.layout tests/pdf/float-gap.xml && for w in Lorem consequat; do [ \$(pdftotext $D/fg.pdf - | grep -o \$w | wc -l) -eq \$(grep -o \$w tests/pdf/float-gap.xml | wc -l) ] || { echo \$w; exit 1; }; done && awk '/^page /{r = -1} /^  rule [0-9.]+ [0-9.]+ 323\\.2 0\\.0\$/{r = \$3; next} /^  line 48\\.2 /{if (r >= 0 && \$3 - r < 15) {print \"a line \" \$3 - r \" pt under a rule: \" \$0; bad = 1}} /^  /{r = -1} END{exit bad || !NR}' $D/fg.layout"
listing_lines() { # no listing leaves a single line at a page's foot or top
	$O build --pdf $D/ll.pdf --layout $D/ll.layout tests/pdf/listing-lines.xml && python3 tests/words.py $O tests/pdf/listing-lines.xml pdf $D/ll.pdf &&
	python3 -c '
import re, sys
pages, page = {}, 0
for l in open(sys.argv[1]):
    page += l.startswith("page ")
    m = re.match(r"  line [\d.]+ [\d.]+ \"(code|tail) line \d+;\"", l)
    if m:
        pages.setdefault(m.group(1), []).append(page)
bad = [(k, p) for k, ps in pages.items() for p in set(ps) if len(set(ps)) > 1 and ps.count(p) < 2]
print(bad if bad else "")
sys.exit(bool(bad) or not pages)' $D/ll.layout
}
t "a listing leaves at least two lines at a page's foot and at the next page's top" listing_lines
t "a table that waits for the next page stays before a later one taller than a page (the reading order, in both outputs)" bash -c "$O build -o $D/fo tests/pdf/float-order.xml && pdftotext -raw $D/fo/float-order.pdf - | grep -o '^Table [0-9]' | tr '\n' ' ' | grep -qx 'Table 1 Table 2 ' && python3 tests/pagecheck.py pages $D/fo/float-order.epub $D/fo/float-order.pdf styles/brochure.theme"
t "an admonition's label never alone at a page's foot: nested ones go on together; nor a heading above another heading" bash -c "$O build -o $D/anf tests/pdf/admon-nested-foot.xml --report $D/anf.json && python3 tests/pagecheck.py pages $D/anf/admon-nested-foot.epub $D/anf/admon-nested-foot.pdf styles/brochure.theme && python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))[\"total\"][\"lonely_headings\"] != 0)' $D/anf.json && $O build -t book -o $D/hhf tests/pdf/head-head-foot.xml --report $D/hhf.json && python3 tests/pagecheck.py pages $D/hhf/head-head-foot.epub $D/hhf/head-head-foot.pdf styles/book.theme && python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))[\"total\"][\"lonely_headings\"] != 0)' $D/hhf.json"
t "a table's header row taller than a third of a page is set once: every body row is on a page" bash -c "$O build --pdf $D/th.pdf tests/pdf/tall-header.xml && [ \$(pdftotext $D/th.pdf - | grep -c 'Value') -eq \$(grep -o '<entry>Value' tests/pdf/tall-header.xml | wc -l) ] && [ \$(pdfinfo $D/th.pdf | awk '/^Pages/{print \$2}') -lt 20 ]"
t "a table's caption is never the last thing on its page, also when its first row calls notes" bash -c "$O build --pdf $D/cn.pdf --layout $D/cn.layout tests/pdf/caption-notes.xml && awk '/^page /{if (c) {print \"caption alone: \" c; bad = 1} c = \"\"} /^  line .*\"Table [0-9]+\\./{c = \$0; next} /^  line /{c = \"\"} END{exit bad || c != \"\" || !NR}' $D/cn.layout"
t "a word in a script set with a fallback font (Arabic) does not open its line wider than the others" bash -c "$O build --pdf $D/ms.pdf --layout $D/ms.layout tests/pdf/mixed-scripts.xml && python3 tests/words.py $O tests/pdf/mixed-scripts.xml pdf $D/ms.pdf && awk '/^page /{p = -1} /^  line /{if (p > 0 && \$3 - p > 14.05 && \$3 - p < 20) {print \"a line step of \" \$3 - p; bad = 1} p = \$3} END{exit bad || !NR}' $D/ms.layout"
