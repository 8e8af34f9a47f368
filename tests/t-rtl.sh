#!/bin/bash
# Right-to-left books in the EPUB: the style sheet's rules that set a side (text-align: left,
# border-left, padding-left, margin-left ...) have [dir="rtl"] mirrors, so that headings,
# captions, cells and notes of a Hebrew or Arabic page start at the right and its rules and
# indents stand on the right, as in the PDF; reading systems that ignore them keep the
# left-to-right result. Run by tests/run.sh with OCTAVO and OUT set; prints one "ok - rtl: ..."
# or "not ok - rtl: ..." line per check, "# ..." lines to explain a failure. Needs java and
# epubcheck (make deps) and python3 (standard library only).
set -u
OCTAVO=${OCTAVO:-./octavo}
OUT=${OUT:-tests/out}
D=$OUT/rtl
PY=$(command -v /usr/bin/python3 || command -v python3)
SRC=tests/epub/rtl.xml
export SOURCE_DATE_EPOCH=1700000000
rm -rf "$D"
mkdir -p "$D"

PREFIX="rtl: "
. tests/lib.sh

# The fixture, its twin with the Hebrew chapter's language a private tag (the same text, the
# same fonts, nothing right to left), an English book and the many-languages book (an Arabic
# chapter, and an Arabic paragraph in an English one).
sed 's/xml:lang="he"/xml:lang="x-he"/' "$SRC" > "$D/twin.xml"
$OCTAVO build --epub "$D/rtl.epub" "$SRC" 2> "$D/rtl.err"
$OCTAVO build --epub "$D/twin.epub" "$D/twin.xml" 2> "$D/twin.err"
$OCTAVO build --epub "$D/lists.epub" tests/docs/lists.xml 2> "$D/lists.err"
$OCTAVO build --epub "$D/lang.epub" tests/docs/lang.xml 2> "$D/lang.err"
for b in rtl twin lists lang; do
	unzip -p "$D/$b.epub" OEBPS/style.css > "$D/$b.css" 2>/dev/null
done
unzip -p "$D/rtl.epub" OEBPS/chapter-2.xhtml > "$D/rtl.chapter-2.xhtml" 2>/dev/null

# css.py FILE.css [TWIN.css]: the checks on the style sheet, by its own reading of the CSS.
cat > "$D/css.py" <<'EOF'
import re
import sys

MODE, CSS = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
RTL = '[dir="rtl"]'


def rules(css):
    """(selectors, [(prop, value)], text) of each plain rule, in order; at-rules skipped."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out, pos = [], 0
    for m in re.finditer(r"([^{}]*)\{([^{}]*)\}", css):
        sel = " ".join(m.group(1).split())
        if sel.startswith("@"):  # @font-face (the first one after @charset)
            continue
        decls = []
        for d in re.findall(r'(?:[^;"]|"[^"]*")+', m.group(2)):
            if ":" in d:
                p, v = d.split(":", 1)
                decls.append((p.strip(), " ".join(v.split())))
        out.append(([s.strip() for s in sel.split(",")], decls, m.group(0)))
    return out


KINDS = {  # kind: (shorthand, longhand pattern, cleared, box shorthand)
    "border": ("border", "border-%s", "none", False),
    "border-width": ("border-width", "border-%s-width", "0", True),
    "border-style": ("border-style", "border-%s-style", "none", True),
    "border-color": ("border-color", "border-%s-color", "currentColor", True),
    "margin": ("margin", "margin-%s", "0", True),
    "padding": ("padding", "padding-%s", "0", True),
}


def sides(decls):
    """{kind: [left, right]} (None: not set) and the text-align of a rule's declarations."""
    h, align = {}, None
    for p, v in decls:
        if p == "text-align":
            align = v
        for k, (all_, side, _, boxed) in KINDS.items():
            if p == side % "left":
                h.setdefault(k, [None, None])[0] = v
            elif p == side % "right":
                h.setdefault(k, [None, None])[1] = v
            elif p == all_:
                w = v.split() if boxed else [v]
                if 1 <= len(w) <= 4:
                    h[k] = [w[3] if len(w) == 4 else w[1] if len(w) >= 2 else w[0], w[1] if len(w) >= 2 else w[0]]
    return h, align


def physical(h, align):
    """Whether a rule's sides differ (a side set alone, or unlike values) or it aligns left or right."""
    return align in ("left", "right") or any(l != r for l, r in h.values())


def mirror_of(h, align):
    """What the mirror of a rule must set: the physical declarations swapped."""
    want = {}
    for k, (l, r) in h.items():
        _, side, clear, _ = KINDS[k]
        want[side % "left"] = r if r is not None else clear
        want[side % "right"] = l if l is not None else clear
    if align is not None:
        want["text-align"] = {"left": "right", "right": "left"}.get(align, align)
    return want


def effective(decls):
    """The values a reading system that knows no start, end or inline-* keeps."""
    eff = {}
    for p, v in decls:
        if "inline-" not in p and not (p == "text-align" and v in ("start", "end")):
            eff[p] = v
    return eff


all_rules = rules(CSS)
base = [r for r in all_rules if not any(RTL in s for s in r[0])]
mirrors = [r for r in all_rules if any(RTL in s for s in r[0])]
bad = []

if not mirrors:
    print("the style sheet has no [dir=\"rtl\"] rule")
    sys.exit(1)

if MODE == "named":
    # the rules the right-to-left page needs, as a reading system that knows only the old CSS reads them
    need = [
        ("h1", "text-align", "right"), ("h6", "text-align", "right"), ("th", "text-align", "right"),
        ("td", "text-align", "right"), ("td p", "text-align", "right"), ("th p", "text-align", "right"),
        ("aside.footnote p", "text-align", "right"), ("p.title", "text-align", "right"),
        ("figure.example", "text-align", "right"), ("figure.example > figcaption", "text-align", "right"),
        ("div.caption", "text-align", "right"), ("section.copyright-page p", "text-align", "right"),
        ("ul.index-entries", "text-align", "right"), ("pre", "text-align", "right"),
        ("p.attribution", "text-align", "left"),
        ("aside.admonition", "border-right-style", "solid"), ("aside.admonition", "border-right-width", "3px"),
        ("aside.admonition", "border-left-style", "none"), ("aside.admonition", "padding-right", "0.9em"),
        ("aside.admonition", "border-right-color", None),
        ("figure.example", "border-right-style", "solid"), ("figure.example", "border-left-style", "none"),
        ("ul", "padding-right", "1.6em"), ("ol", "padding-right", "1.6em"), ("ul", "padding-left", "0"),
        ("dd", "margin-right", "1.6em"), ("dd", "margin-left", "0"),
        ("blockquote.epigraph", "margin-right", "25%"), ("blockquote.epigraph", "margin-left", "0"),
        ("li.index-entry", "padding-right", "2.4em"), ("nav ol ol", "padding-right", "1.4em"),
    ]
    for sel, prop, val in need:
        got = [effective(d).get(prop) for s, d, _ in mirrors if f"{RTL} {sel}" in s and prop in effective(d)]
        if not got or (val is not None and got[-1] != val):
            bad.append(f"[dir=\"rtl\"] {sel} {{ {prop}: {val or '...'} }}: found {got or 'no such rule'}")

elif MODE == "mirrors":
    # every base rule that sets a side or an alignment is restated under [dir="rtl"] (an
    # ancestor's and the element's own), after the base rules and in their order, its
    # physical sides swapped; the side set alone in the base rule cleared in the mirror
    last = -1
    for sels, decls, text in base:
        h, align = sides(decls)
        if not h and align is None:
            continue
        if any(s.startswith("img.block.align-") for s in sels):  # an image aligned left stays left
            continue
        want = mirror_of(h, align)
        for i, (msels, mdecls, mtext) in enumerate(mirrors):
            if i <= last:
                continue
            variants = []
            for s in sels:
                at = s.find("::")
                own = s + RTL if at < 0 else s[:at] + RTL + s[at:]
                variants += [f"{RTL} {s}", own]
            if msels == variants:
                eff = effective(mdecls)
                wrong = [f"{p}: {eff.get(p)} (want {v})" for p, v in want.items() if eff.get(p) != v]
                if physical(h, align):
                    # the newer properties agree with the base rule's sides
                    for k, (l, r) in h.items():
                        _, side, clear, _ = KINDS[k]
                        l, r = l if l is not None else clear, r if r is not None else clear
                        if l != r:
                            d = dict(mdecls)
                            if d.get(side % "inline-start") != l or d.get(side % "inline-end") != r:
                                wrong.append(f"{side % 'inline-start'}/{side % 'inline-end'}: not {l}/{r}")
                    if align in ("left", "right") and mdecls[-1] != ("text-align", "start" if align == "left" else "end"):
                        wrong.append("no text-align: start/end after the physical one")
                if wrong:
                    bad.append(f"{text.strip()}\n  its mirror {mtext.strip()}\n  wrong: {'; '.join(wrong)}")
                last = i
                break
        else:
            bad.append(f"no [dir=\"rtl\"] mirror, in order, of: {text.strip()}")
    if last < 0:
        bad.append("no mirror found at all")

elif MODE == "additive":
    # the base rules are exactly the twin's (a book without right-to-left text); every added
    # rule is under [dir="rtl"] only, comes after the base rules, and uses no :dir()
    twin = open(sys.argv[3], encoding="utf-8").read()
    if [r[2] for r in rules(twin)] != [r[2] for r in base]:
        a, b = [r[2] for r in rules(twin)], [r[2] for r in base]
        diff = [x for x in b if x not in a][:3] + [x for x in a if x not in b][:3]
        bad.append(f"the left-to-right rules differ from the twin's: {diff}")
    if any(RTL in s for s in re.findall(r"[^{}]*\{", twin)):
        bad.append("the twin, with nothing right to left, has [dir=\"rtl\"] rules")
    for sels, decls, text in mirrors:
        if not all(RTL in s for s in sels):
            bad.append(f"a selector without [dir=\"rtl\"]: {text.strip()}")
    first = all_rules.index(mirrors[0])
    later_base = [r[2] for r in all_rules[first:] if r in base and not any(":lang(" in s for s in r[0])]
    if later_base:
        bad.append(f"left-to-right rules after the mirrors: {later_base[:3]}")
    if ":dir(" in CSS:
        bad.append(":dir() in the style sheet")

for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF

check "a book with a Hebrew chapter builds without a warning, its page is dir=\"rtl\", its style sheet has right-to-left rules" bash -c "
	[ -s '$D/rtl.epub' ] && [ ! -s '$D/rtl.err' ] || { echo 'build failed:'; cat '$D/rtl.err'; exit 1; }
	grep -q '<html [^>]*lang=\"he\"[^>]* dir=\"rtl\"' '$D/rtl.chapter-2.xhtml' || { echo 'the chapter page is not dir=rtl'; exit 1; }
	grep -qF '[dir=\"rtl\"] h1' '$D/rtl.css' || { echo 'no [dir=\"rtl\"] h1 rule in the CSS'; exit 1; }"

check "headings, cells, captions, titles, footnotes, examples, pre, index, copyright page start at the right; admonition and example rules, list, dd and epigraph indents on the right" \
	$PY "$D/css.py" named "$D/rtl.css"

check "every rule that sets a side or an alignment has its [dir=\"rtl\"] mirror (an ancestor's dir and the element's own), sides swapped, start/end after, in the base rules' order" \
	$PY "$D/css.py" mirrors "$D/rtl.css"

check "old reading systems keep the left-to-right result: the left-to-right rules are those of the same book with nothing right to left, every added rule is under [dir=\"rtl\"], no :dir()" \
	$PY "$D/css.py" additive "$D/rtl.css" "$D/twin.css"

check "the mirrors are written when the book has right-to-left text (an Arabic chapter and paragraph in tests/docs/lang.xml), not for an English book (tests/docs/lists.xml)" bash -c "
	[ -s '$D/lang.css' ] && [ -s '$D/lists.css' ] || { cat '$D/lang.err' '$D/lists.err'; exit 1; }
	grep -qF '[dir=\"rtl\"] h1' '$D/lang.css' || { echo 'lang.xml: no [dir=\"rtl\"] rules'; exit 1; }
	$PY '$D/css.py' mirrors '$D/lang.css' || exit 1
	! grep -qF 'dir=' '$D/lists.css' || { echo 'lists.xml: [dir] rules in an English book'; exit 1; }"

if [ -f /usr/bin/epubcheck ] && command -v java >/dev/null; then
	rtl_epubcheck() {
		grep -qF '[dir="rtl"]' "$D/rtl.css" || { echo 'no [dir="rtl"] rules to check'; return 1; }
		epubcheck_clean "$D/rtl.epub"
	}
	check "epubcheck: the right-to-left book with its mirrored style sheet: 0 errors, 0 warnings" rtl_epubcheck
else
	notok "epubcheck is not installed (make deps)"
fi
exit 0
