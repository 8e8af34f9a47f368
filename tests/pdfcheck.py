#!/usr/bin/env python3
"""Checks on an octavo PDF that need more than one tool.

usage: pdfcheck.py links FILE.pdf        internal links land on a page that shows their text
       pdfcheck.py area FILE.pdf THEME   no word outside the text area (headers and footers
                                         in their zones), on pages after the title page
       pdfcheck.py outline FILE.pdf N    the outline has N entries, each landing on a page
                                         that shows its title
       pdfcheck.py bars LAYOUT           in octavo's --layout dump, every listing's and
                                         admonition's left bar has a line beside it
       pdfcheck.py pagerefs FILE.pdf LAYOUT  every link that reads "page N" lands on the
                                         page labelled N
       pdfcheck.py sentences FILE.pdf FILE.epub EXPECT  each line of EXPECT is in the PDF's
                                         text and in the EPUB's, white space made single
       pdfcheck.py fragments FILE.pdf BOOK.xml  no word of 8 letters or more in the PDF's text
                                         that the book does not have (a hyphenated word's
                                         part given again)
       pdfcheck.py notecalls LAYOUT      in octavo's --layout dump of a book whose words are
                                         a letter and four digits: every note starts on the
                                         page of its call
       pdfcheck.py names FILE.pdf FILE.epub  the PDF's destinations and the EPUB's ids are one
                                         set: every link and outline entry of the PDF names a
                                         destination it has, and every link of the EPUB to a
                                         place in the book (not its own page-list marks or
                                         note marks) names one of the PDF's destinations
       pdfcheck.py struct FILE.pdf       in the structure tree, a list item's label comes
                                         before its body, which is whole (one LBody), and an
                                         element's text is one Span beside its links
"""
import re
import subprocess
import sys


def run(*args):
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def page_text(pdf, n):
    return " ".join(run("pdftotext", "-f", str(n), "-l", str(n), "-raw", pdf, "-").split())


def norm(s):
    return " ".join(re.sub(r"[.\u2010\u2013\u00ad\u2022]", " ", s).split())  # no list bullets


def links(pdf):
    bad = 0
    count = 0
    for line in run("mutool", "run", "tests/links.js", pdf).splitlines():
        page, bounds, uri = line.split("\t")
        if not uri.startswith("#page="):
            continue
        count += 1
        x0, y0, x1, y1 = (float(v) for v in bounds.split(","))
        text = run("pdftotext", "-f", page, "-l", page, "-x", str(int(x0)), "-y", str(int(y0) + 2),
                   "-W", str(int(x1 - x0) + 1), "-H", str(int(y1 - y0) - 3), "-raw", pdf, "-")
        words = norm(re.sub(r"\d+\s*$", "", re.sub(r"[\s.,;]+$", "", text.strip())))  # no dot leader, page number or comma
        target = int(re.match(r"#page=(\d+)", uri).group(1))
        if words and norm(words) not in norm(page_text(pdf, target)) and not words[:12] in norm(page_text(pdf, target)):
            print(f"page {page}: link \"{words}\" goes to page {target}, which does not show it")
            bad += 1
    print(f"{count} internal links checked")
    return bad == 0 and count > 0


def theme_values(path):
    vals = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"\s*([a-z-]+)\s*=\s*(\S+)", line)
        if m:
            vals[m.group(1)] = m.group(2)
    return vals


def length(v):
    m = re.match(r"([\d.]+)(mm|pt|in|cm)?$", v)
    n = float(m.group(1))
    return n * {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72, "pt": 1, None: 1}[m.group(2)]


def area(pdf, theme):
    t = theme_values(theme)
    top, bottom = length(t["margin-top"]), length(t["margin-bottom"])
    inner, outer = length(t["margin-inner"]), length(t["margin-outer"])
    facing = t.get("facing") == "true"
    xml = run("pdftotext", "-bbox", pdf, "-")
    bad = 0
    pages = xml.split("<page ")[1:]
    for i, pg in enumerate(pages, 1):
        if i == 1 and t.get("cover", "true") == "true":
            continue  # the cover is a picture of its own
        w, h = (float(v) for v in re.match(r'width="([\d.]+)" height="([\d.]+)"', pg).groups())
        for m in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', pg):
            x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
            lo = min(inner, outer) if facing else inner
            hi = w - (min(inner, outer) if facing else outer)
            # a hyphen added at a line break hangs into the margin (Pango sets it after
            # justifying); only it may pass the right edge, by at most its own width
            slack = 5.0 if m.group(5).endswith(("\u2010", "\u00ad")) else 1.5
            if x0 < lo - 1 or x1 > hi + slack or y0 < top - 30 or y1 > h - bottom + 40:
                print(f"page {i}: \"{m.group(5)}\" at ({x0:.1f},{y0:.1f})-({x1:.1f},{y1:.1f}) is outside the text area")
                bad += 1
    print(f"{len(pages)} pages checked")
    return bad == 0


def outline(pdf, want):
    entries = [l for l in run("mutool", "show", pdf, "outline").splitlines() if "#page=" in l]
    ok = len(entries) == want
    if not ok:
        print(f"outline has {len(entries)} entries, the TOC {want}")
    for e in entries:
        title = re.search(r'"(.*)"', e).group(1)
        page = int(re.search(r"#page=(\d+)", e).group(1))
        if norm(title) not in norm(page_text(pdf, page)):
            print(f"outline entry \"{title}\" goes to page {page}, which does not show it")
            ok = False
    return ok


def bars(layout):
    """Every left bar (a listing's, an admonition's: a vertical rule in octavo's --layout dump)
    has a line of the page beside it: none is left at the foot of a page whose block went on."""
    bad = 0
    pages = re.split(r"^page ", open(layout).read(), flags=re.M)[1:]
    for pg in pages:
        name = pg.split()[0]
        lines = [float(y) for y in re.findall(r"^  line [\d.]+ ([\d.]+) ", pg, re.M)]
        for y, h in re.findall(r"^  rule [\d.]+ ([\d.-]+) 0\.0 ([\d.-]+)", pg, re.M):
            y, h = float(y), float(h)
            if h <= 0 or not any(y - 2 <= ly <= y + h + 14 for ly in lines):
                print(f"page {name}: a bar from {y:.1f} down {h:.1f} pt with no line beside it")
                bad += 1
    print(f"{len(pages)} pages checked")
    return bad == 0


def pagerefs(pdf, layout):
    """Every link that reads "page N" lands on the page labelled N (labels from octavo's --layout
    dump): a destination goes with its block when the block moves on to the next page."""
    labels = {int(k): v for k, v in re.findall(r"^page (\d+) .*?label=(\S+)", open(layout).read(), re.M)}
    bad = count = 0
    for line in run("mutool", "run", "tests/links.js", pdf).splitlines():
        page, bounds, uri = line.split("\t")
        m = re.match(r"#page=(\d+)", uri)
        if not m:
            continue
        x0, y0, x1, y1 = (float(v) for v in bounds.split(","))
        text = " ".join(run("pdftotext", "-f", page, "-l", page, "-x", str(int(x0)), "-y", str(int(y0) + 2),
                            "-W", str(int(x1 - x0) + 1), "-H", str(int(y1 - y0) - 3), "-raw", pdf, "-").split())
        ref = re.fullmatch(r"page (\S+)", text)
        if not ref:
            continue
        count += 1
        if labels.get(int(m.group(1))) != ref.group(1):
            print(f"page {page}: \"{text}\" lands on the page labelled {labels.get(int(m.group(1)))}")
            bad += 1
    print(f"{count} page references checked")
    return bad == 0 and count > 0


def sentences(pdf, epub, expect):
    """Each line of expect (a sentence as a reader sees it) is in the PDF's text and in the
    EPUB's XHTML text, white space made single spaces: no word glued, lost or doubled."""
    import html
    import zipfile
    pdf_text = " ".join(run("pdftotext", "-raw", pdf, "-").split())
    with zipfile.ZipFile(epub) as z:
        pages = [z.read(n).decode("utf-8") for n in sorted(z.namelist())
                 if n.endswith(".xhtml") and not n.endswith("nav.xhtml")]
    epub_text = " ".join(html.unescape(re.sub(r"<[^>]*>", "", " ".join(
        re.sub(r"</(p|h\d|li|td|th|div)>", " ", p) for p in pages))).split())
    bad = count = 0
    for want in open(expect, encoding="utf-8").read().splitlines():
        if not want.strip():
            continue
        count += 1
        for name, text in (("PDF", pdf_text), ("EPUB", epub_text)):
            if " ".join(want.split()) not in text:
                print(f"{name} lacks: {want}")
                bad += 1
    print(f"{count} sentences checked")
    return bad == 0 and count > 0


def fragments(pdf, book):
    """Every long lowercase word of the PDF's text is a word of the book: a word hyphenated at a
    line's end is given whole once, with no part of it again on the next line."""
    have = set(re.findall(r"[a-z]{8,}", re.sub(r"<[^>]*>", " ", open(book, encoding="utf-8").read())))
    out = re.findall(r"[a-z]{8,}", run("pdftotext", "-raw", pdf, "-"))
    bad = sorted(set(w for w in out if w not in have))
    for w in bad:
        print(f"not in the book: {w}")
    print(f"{len(out)} long words checked")
    return not bad and len(out) > 0


def names(pdf, epub):
    import zipfile
    qdf = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf, "-"], capture_output=True,
                         check=True).stdout.decode("latin-1")
    have = set(re.findall(r"\(((?:[^()\\]|\\.)*)\)\s*\[\s*\d+ 0 R\s*/XYZ", qdf))  # the name tree's
    used = re.findall(r"/D(?:est)? \(((?:[^()\\]|\\.)*)\)", qdf)
    bad = sorted(set(u for u in used if u not in have))
    for u in bad:
        print(f"the PDF links to \"{u}\", a destination it does not have")
    wanted = []
    with zipfile.ZipFile(epub) as z:
        for name in z.namelist():
            if name.endswith(".xhtml"):
                text = z.read(name).decode("utf-8")
                wanted += re.findall(r'href="[^"#:]*#([^"]+)"', text)  # within the book
    skip = re.compile(r"^(page-.*|fnref-.*|toc|landmarks|page-list)$")
    checked = [w for w in wanted if not skip.match(w)]
    missing = sorted(set(w for w in checked if w not in have))
    for w in missing:
        print(f"the EPUB links to \"{w}\", which is no destination of the PDF")
    print(f"{len(used)} PDF links and {len(checked)} EPUB links checked against {len(have)} destinations")
    return not bad and not missing and len(checked) > 0


def notecalls(layout):
    """Every footnote starts on the page its call is on: a call is the number right after a
    word of a letter and four digits ("w01916": note 6); a note's start is a note line that
    begins with its number."""
    bad = count = 0
    for pg in re.split(r"^page ", open(layout).read(), flags=re.M)[1:]:
        body, _, notes = pg.partition("\n  notes ")
        calls = set(re.findall(r"\b[a-z]\d{4}(\d+)", body))
        for start in re.findall(r'^    line \S+ \S+ "(\d+)\s', notes, re.M):
            count += 1
            if start not in calls:
                print(f"page {pg.split()[0]}: note {start} starts here, its call is on another page")
                bad += 1
    print(f"{count} notes checked")
    return bad == 0 and count > 0


def struct(pdf):
    """A list item (LI) reads its label (Lbl) first, then its body in one LBody; an element with
    links has its text in one Span, the links beside it, not a Span between each two links.
    Cairo makes an element of each tag begun, so each page has elements of its own: these
    hold within a page."""
    import os
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        q = os.path.join(tmp, "q.pdf")
        subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf, q], check=True)
        s = open(q, "rb").read().decode("latin1")
    objs = {int(n): o for n, o in re.findall(r"\n(\d+) 0 obj\n(.*?)\nendobj", s, re.S)}
    tag = {n: re.search(r"/S /(\w+)", o).group(1) for n, o in objs.items() if "/Type /StructElem" in o}
    bad = 0
    for n, t in tag.items():
        k = re.search(r"/K (\[.*?\]|\d+ 0 R)", objs[n], re.S)
        kids = [tag.get(int(r)) for r in re.findall(r"(\d+) 0 R", k.group(1))] if k else []
        kids = [x for x in kids if x]
        if t == "LI" and ("Lbl" in kids and "LBody" in kids and kids.index("Lbl") > kids.index("LBody")
                          or kids.count("LBody") > 1):
            print(f"object {n}: a list item of {kids}")
            bad += 1
        if kids.count("Span") > 1:
            print(f"object {n}: a {t} of {kids}")
            bad += 1
    lists = sum(1 for t in tag.values() if t == "LI")
    print(f"{len(tag)} structure elements checked, {lists} list items")
    return bad == 0 and lists > 0


def main():
    what = sys.argv[1]
    ok = {"links": lambda: links(sys.argv[2]), "area": lambda: area(sys.argv[2], sys.argv[3]),
          "bars": lambda: bars(sys.argv[2]), "pagerefs": lambda: pagerefs(sys.argv[2], sys.argv[3]),
          "struct": lambda: struct(sys.argv[2]), "names": lambda: names(sys.argv[2], sys.argv[3]),
          "sentences": lambda: sentences(sys.argv[2], sys.argv[3], sys.argv[4]),
          "fragments": lambda: fragments(sys.argv[2], sys.argv[3]), "notecalls": lambda: notecalls(sys.argv[2]),
          "outline": lambda: outline(sys.argv[2], int(sys.argv[3]))}[what]()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
