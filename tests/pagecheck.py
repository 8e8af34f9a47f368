#!/usr/bin/env python3
"""The print edition's pages in the EPUB, "page N" references and the index (issue 6), checked
against the PDF with poppler, qpdf and MuPDF. Standard library only.

usage: pagecheck.py pages EPUB PDF THEME    every print page has its marker in the EPUB, in order,
                                            in the page list and the NCX; after the marker of a
                                            body page come the first words pdftotext finds on it
       pagecheck.py xrefs EPUB PDF THEME    every "page N" reference: the PDF shows the same words,
                                            its target is on page N (pdftotext) and after the
                                            EPUB's marker N, before marker N+1
       pagecheck.py index EPUB PDF THEME [--words] [--fonts] [--min N]
                                            the PDF's index says what the EPUB's says; every
                                            locator links to its page in both; with --words, each
                                            entry's pages are the pages where pdftotext finds its
                                            (made-up, only-where-indexed) term; with --fonts,
                                            preferred pages in bold, see and see also in italics;
                                            --min: at least so many entries
       pagecheck.py toc EPUB PDF THEME      the PDF's table of contents and the EPUB's page list
                                            agree: each heading comes after the marker of the page
                                            the contents give
       pagecheck.py order EPUB TERM...     the index entries come in this order

A word is a run of letters: numbers, list bullets and punctuation are not compared. Prints what
is wrong and exits 1, or exits 0.
"""
import json
import os
import html
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "epub"))
from epubtool import Book, XHTML, EPUB_TYPE  # noqa: E402

WORD = re.compile(r"[^\W\d_]+")
TOKEN = re.compile(r"[^\W_]+")
K = 6  # words compared after each marker
problems = []


def bad(msg):
    problems.append(msg)


def run(*args):
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


# ---- the PDF ----

def roman(n):
    out = ""
    for v, s in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                 (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= v:
            out, n = out + s, n - v
    return out


def pdf_labels(pdf):
    """The page label of every page, from the PDF's /PageLabels (qpdf --json)."""
    n = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", pdf)).group(1))
    ranges = json.loads(run("qpdf", "--json=2", "--json-key=pagelabels", pdf))["pagelabels"]
    labels = []
    for i in range(n):
        r = max((r for r in ranges if r["index"] <= i), key=lambda r: r["index"], default=None)
        if r is None:
            labels.append(str(i + 1))
            continue
        d = r["label"]
        prefix = d.get("/P", "")[2:] if d.get("/P", "").startswith("u:") else d.get("/P", "")
        num = d.get("/St", 1) + i - r["index"]
        style = d.get("/S")
        labels.append(prefix + ("" if style is None else str(num) if style == "/D" else roman(num) if style == "/r"
                                else roman(num).upper() if style == "/R" else str(num)))
    return labels


def theme_box(theme, keys=("margin-top", "margin-bottom"), dflts=(51.02, 56.69)):
    vals = {}
    for line in open(theme, encoding="utf-8"):
        m = re.match(r"\s*([a-z-]+)\s*=\s*(\S+)", line)
        if m:
            vals[m.group(1)] = m.group(2)

    def length(v, dflt):
        if v is None:
            return dflt
        m = re.match(r"([\d.]+)(mm|pt|in|cm)?$", v)
        return float(m.group(1)) * {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72, "pt": 1, None: 1}[m.group(2)]
    return tuple(length(vals.get(k), d) for k, d in zip(keys, dflts))


def bbox_words(pdf, n):
    """Page n's words: (xMin, yMin, xMax, word)."""
    out = run("pdftotext", "-bbox", "-f", str(n), "-l", str(n), pdf, "-")
    return [(float(a), float(b), float(c), html.unescape(w)) for a, b, c, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)</word>', out)]


# ---- display pages ----

def blind(pdf_path, *marks):
    """Display pages print no number: the first page whose words hold each mark (a phrase) does
    not show its own page label as a word, and a page near it does (the check can fail)."""
    labels = pdf_labels(pdf_path)
    for mark in marks:
        found = False
        for n, label in enumerate(labels, 1):
            words = [w[3] for w in bbox_words(pdf_path, n)]
            if mark not in " ".join(words):
                continue
            found = True
            if label in words:
                bad(f"page {label} ({mark}) prints its number")
            numbered = [k for k in range(n - 3, n + 4) if k != n and 0 < k <= len(labels) and labels[k - 1] in
                        [w[3] for w in bbox_words(pdf_path, k)]]
            if not numbered:
                bad(f"no page near page {label} ({mark}) prints its number either")
            break
        if not found:
            bad(f"no page holds {mark!r}")
    print(f"{len(marks)} display pages checked")


# ---- front matter ----

def front(pdf_path, theme):
    """With facing pages: the cover's back is "Inside cover", the front pages are numbered from
    the title page (i), so right-hand pages are odd; each numbered front page with text has
    its number at its outer edge and its text at its own side's margins."""
    labels = pdf_labels(pdf_path)
    inner, outer = theme_box(theme, ("margin-inner", "margin-outer"), (56.69, 56.69))
    if labels[:3] != ["Cover", "Inside cover", "i"]:
        bad(f"front pages {labels[:3]}, expected Cover, Inside cover, i")
    romans = [(n, l) for n, l in enumerate(labels, 1) if re.fullmatch(r"[ivxlc]+", l)]
    checked = 0
    for n, label in romans:
        verso = n % 2 == 0
        ws = bbox_words(pdf_path, n)
        if not ws:
            continue
        number = max(ws, key=lambda t: t[1])
        if number[3] != label:
            continue  # no number printed (the title page)
        text = [w for w in ws if w is not number]
        if verso != (number[0] < inner + outer):
            bad(f"page {label} ({'left' if verso else 'right'}-hand): its number at x {number[0]:.1f}")
        if text and abs(min(w[0] for w in text) - (outer if verso else inner)) > 1:
            bad(f"page {label}: text from x {min(w[0] for w in text):.1f}, margin {outer if verso else inner:.1f}")
        checked += 1
    print(f"{checked} front pages checked")
    if checked < 1:
        bad("no numbered front page")


def toc_keep(pdf_path):
    """No contents page ends with an entry whose first subentry starts the next page."""
    labels = pdf_labels(pdf_path)
    pages = [n for n, l in enumerate(labels, 1) if re.fullmatch(r"[ivxlc]+", l)]
    entries = {}
    for n in pages:
        text = run("pdftotext", "-layout", "-f", str(n), "-l", str(n), pdf_path, "-")
        lines = [l for l in text.splitlines() if re.search(r"\.\s*\.\s*\.|\.{4,}", l)]
        if lines:
            entries[n] = lines
    for n in entries:
        if n + 1 in entries:
            last, first = entries[n][-1], entries[n + 1][0]
            indent = lambda l: len(l) - len(l.lstrip())
            if indent(first) > indent(last):
                bad(f"contents page {labels[n - 1]} ends with {last.split('  ')[0].strip()!r}, its first subentry on the next page")
    print(f"{len(entries)} contents pages checked")


def toc_leaders(pdf_path, em):
    """On the contents pages, each line's leader dots start within 2 em of its title and end
    within 1 em of its page number."""
    em = float(em)
    pages = [i for i, l in enumerate(pdf_labels(pdf_path), 1) if re.fullmatch(r"[ivxlc]+", l)]
    lines = 0
    for n in pages:
        ws = bbox_words(pdf_path, n)
        if not any(w[3] == "Contents" for w in ws):
            continue
        rows = {}
        for w in ws:
            rows.setdefault(round(w[1]), []).append(w)
        found = []
        for y, row in sorted(rows.items()):
            row.sort()
            dots = [w for w in row if w[3] == "."]
            if dots:
                found.append((dots, [w for w in row if w[2] <= dots[0][0] and w[3] != "."],
                              [w for w in row if w[0] >= dots[-1][2] and w[3] != "."]))
        # the numbers stand right-aligned in a column: the leaders end near its left edge
        column = min((after[0][0] for _, _, after in found if after), default=None)
        for dots, before, after in found:
            if before and dots[0][0] - before[-1][2] > 2 * em:
                bad(f"page {n}: leaders start {dots[0][0] - before[-1][2]:.1f} pt after {before[-1][3]!r}")
            if after and column - dots[-1][2] > em:
                bad(f"page {n}: leaders end {column - dots[-1][2]:.1f} pt before the page numbers")
            lines += 1
    print(f"{lines} contents lines checked")
    if lines == 0:
        bad("no contents line with leaders")


def toc_hang(pdf_path, first, second):
    """On the contents page, the line after the one that starts a title with the word first
    starts with the word second, at first's x: a wrapped title stands clear of its number."""
    n = next(i for i, l in enumerate(pdf_labels(pdf_path), 1) if re.fullmatch(r"[ivxlc]+", l) and
             any(w[3] == "Contents" for w in bbox_words(pdf_path, i)))
    ws = bbox_words(pdf_path, n)
    a = next(w for w in ws if w[3] == first)
    b = next((w for w in ws if w[3] == second and w[1] > a[1]), None)
    if b is None or abs(a[0] - b[0]) > 0.5:
        bad(f"contents: {second!r} at x {b and round(b[0], 1)}, its title's first word {first!r} at {a[0]:.1f}")


class Pdf:
    def __init__(self, path, theme):
        self.path = path
        self.labels = pdf_labels(path)
        self.top, self.bottom = theme_box(theme)
        w, h = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", run("pdfinfo", path)).groups()
        self.w, self.h = float(w), float(h)
        self._text = {}

    def page_of(self, label):
        return self.labels.index(label) + 1 if label in self.labels else None

    def body_text(self, n):
        """The text of page n between the running header and the page number, in drawing order
        (one pdftotext for all pages: the crop applies to each)."""
        if not self._text:
            t = run("pdftotext", "-raw", "-x", "0", "-y", str(int(self.top - 3)), "-W", str(int(self.w)),
                    "-H", str(int(self.h - self.top - self.bottom + 6)), self.path, "-")
            for i, page in enumerate(t.split("\f"), 1):
                self._text[i] = page
        return self._text.get(n, "")


def joined(text):
    """Text with the hyphens added at line breaks taken out."""
    text = re.sub(r"[\u00ad\u2010]\s*\n", "", text)
    return text.replace("\u00ad", "")


def words(text):
    return WORD.findall(joined(text))


def tokens(text):
    return TOKEN.findall(joined(text))


# ---- the EPUB: its text in reading order, with the markers and ids in it ----

def local(tag):
    return tag[len(XHTML):] if tag.startswith(XHTML) else tag


class Stream:
    """Everything in the spine in reading order: ("w", word) ("mark", label, file) ("id", id, file).
    Footnotes (set at the end of a file, at the foot of a page in the PDF) and hidden navs are
    left out. A marker inside a table body notes the words of the table's head (the PDF sets
    the head again at the top of a page)."""

    def __init__(self, book):
        self.items = []
        self.thead = {}
        self.noteref = {}
        self.note_ids = {}
        self.floats = []  # (where, words) of each figure and table: the PDF may set them later
        self.files = {}
        for href in book.spine:
            body = book.doc(href).find(f"{XHTML}body")
            self.files[href] = len(self.items)
            self.walk(body, href, None)
        self.marks = [i for i, it in enumerate(self.items) if it[0] == "mark"]
        self.ids = {it[1]: i for i, it in enumerate(self.items) if it[0] == "id"}
        self.ids.update(self.note_ids)

    def walk(self, el, href, thead):
        tag = local(el.tag)
        etype = (el.get(EPUB_TYPE) or "").split()
        if "footnote" in etype:
            # set at the foot of its page in the PDF: what is in it counts where its mark is
            at = self.noteref.get(el.get("id"), len(self.items))
            for sub in el.iter():
                if sub.get("id"):
                    self.note_ids[sub.get("id")] = at
            self.text(el.tail)
            return
        if tag == "nav" and el.get("hidden") is not None:
            self.text(el.tail)
            return
        if "noteref" in etype and (el.get("href") or "").startswith("#"):
            self.noteref[el.get("href")[1:]] = len(self.items)
        if "pagebreak" in etype:
            if thead:
                self.thead[len(self.items)] = thead
            self.items.append(("mark", el.get("aria-label"), href))
            self.text(el.tail)
            return
        if el.get("id"):
            self.items.append(("id", el.get("id"), href))
        if tag in ("figure", "table") and "blockquote" not in (el.get("class") or "").split():
            self.floats.append((len(self.items), words(txt(el))))
        if tag == "table":
            head = el.find(f"{XHTML}thead")
            thead_words = words("".join(head.itertext())) if head is not None else None
            self.text(el.text)
            for c in el:
                self.walk(c, href, thead_words if local(c.tag) == "tbody" else None)
                # the tail is written by walk
            self.text(el.tail)
            return
        self.text(el.text)
        for c in el:
            self.walk(c, href, thead)
        self.text(el.tail)

    def text(self, s):
        for w in words(s or ""):
            self.items.append(("w", w))

    def words_after(self, i, n):
        out = []
        for it in self.items[i + 1:]:
            if it[0] == "w":
                out.append(it[1])
                if len(out) == n:
                    break
        return out

    def mark_index(self, label):
        for i in self.marks:
            if self.items[i][1] == label:
                return i
        return None


def page_list(book):
    nav = book.doc([h for h, (_, _, p) in book.manifest.items() if "nav" in p][0])
    for n in nav.iter(f"{XHTML}nav"):
        if "page-list" in (n.get(EPUB_TYPE) or "").split():
            return [(a.text, a.get("href")) for a in n.iter(f"{XHTML}a")]
    return []


# ---- pages ----

def pages(epub, pdf_path, theme):
    book = Book(epub)
    pdf = Pdf(pdf_path, theme)
    st = Stream(book)
    labels = [st.items[i][1] for i in st.marks]
    if labels != pdf.labels:
        bad(f"markers in reading order {labels}\n  but the PDF's pages are {pdf.labels}")
    # a page starts before a quotation's opening mark, and after a word's closing mark or
    # note call: a marker never stands inside them
    for href in book.spine:
        raw = book.read(href).decode()
        for m in re.finditer(r'([“‘„«‹‚]\u00a0?)<span epub:type="pagebreak"[^>]*aria-label="([^"]*)"/>|'
                             r'<span epub:type="pagebreak"[^>]*aria-label="([^"]*)"/>(\u00a0?[”’»›]|<sup)', raw):
            bad(f"marker {m.group(2) or m.group(3)} in {href} inside a quotation mark or before a note call: "
                f"{raw[max(m.start() - 30, 0):m.end() + 30]!r}")
    plist = page_list(book)
    if [p[0] for p in plist] != pdf.labels:
        bad(f"page list {[p[0] for p in plist]} is not the PDF's pages {pdf.labels}")
    for label, href in plist:
        f, _, frag = href.partition("#")
        at = st.mark_index(label)
        if at is None or frag != "page-" + re.sub(r"[ \t\r\n#%?/:\"'<>&]", "-", label) or st.items[at][2] != (f or "nav.xhtml"):
            bad(f"page list entry {label} -> {href} does not point at its marker")
    ncx = book.read("toc.ncx").decode()
    n_targets = len(re.findall(r"<pageTarget ", ncx))
    if n_targets != len(pdf.labels):
        bad(f"the NCX has {n_targets} pageTargets for {len(pdf.labels)} pages")
    front_files = {"Cover": "cover.xhtml", "Inside cover": "cover.xhtml"}
    checked = 0
    prev_text = ""
    for n, label in enumerate(pdf.labels, 1):
        at = st.mark_index(label)
        if at is None:
            bad(f"page {label}: no marker")
            continue
        if label in front_files and st.items[at][2] != front_files[label]:
            bad(f"page {label}: marker in {st.items[at][2]}")
        if not label.isdigit():
            # front matter: generated in each output, its words differ; but a contents page
            # after the first begins with a line of the contents, as its marker in the nav
            text = pdf.body_text(n)
            pw, ew = words(text)[:2], st.words_after(at, 2)
            if st.items[at][2] == "nav.xhtml" and "Contents" not in words(text) and pw != ew:
                bad(f"contents page {label}: the PDF begins {pw}, the EPUB after its marker {ew}")
            continue
        text = pdf.body_text(n)
        pw = words(text)
        ew = st.words_after(at, K)
        if not pw:
            # a blank page shares the next page's place: the next thing after its marker is a marker
            following = [it for it in st.items[at + 1:] if it[0] in ("w", "mark")][:1]
            if following and following[0][0] == "w":
                bad(f"page {label} is blank in the PDF, but words follow its marker: {ew}")
            prev_text = text
            continue
        if re.search(r"[\u00ad\u2010-]\s*$", joined_tail(prev_text)):
            pw = pw[1:]  # the page begins with the end of a word broken on the previous page
        head = st.thead.get(at)
        if head and pw[:len(head)] == head:
            pw = pw[len(head):]  # a table's header row, set again
        # a figure or table that waited for this page while the text flowed on: its place in
        # the EPUB (the source's) is before this page's marker, the text goes on after it
        for where, fw in st.floats:
            if where < at and fw and pw[:len(fw)] == fw and pw[:K] != ew[:K]:
                pw = pw[len(fw):]
        k = min(K, len(pw), len(ew))
        if k == 0 or pw[:k] != ew[:k]:
            bad(f"page {label}: the PDF begins {pw[:K]}, the EPUB after marker {label}: {ew}")
        checked += 1
        prev_text = text
    print(f"{len(labels)} markers, {checked} body pages compared word for word")
    if checked == 0:
        bad("no body page compared")


def joined_tail(text):
    """The last body line of a page's text (before its footnotes we cannot tell; good enough:
    the last non-empty line)."""
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-1] if lines else ""


# ---- "page N" references ----

def element_by_id(book, href, frag):
    doc = book.doc(href)
    for el in doc.iter():
        if el.get("id") == frag:
            return el
    return None


def xrefs(epub, pdf_path, theme):
    book = Book(epub)
    pdf = Pdf(pdf_path, theme)
    st = Stream(book)
    found = 0
    all_text = {n: tokens(pdf.body_text(n)) for n in range(1, len(pdf.labels) + 1)}
    for href in book.spine:
        doc = book.doc(href)
        for a in doc.iter(f"{XHTML}a"):
            if a.get("class") != "xref-page":
                continue
            found += 1
            label = a.text
            # the link before it: the xref's words and its target
            parent = next(p for p in doc.iter() if a in list(p))
            kids = list(parent)
            first = kids[kids.index(a) - 1]
            said = tokens("".join(first.itertext())) + [label]
            f, _, frag = first.get("href").partition("#")
            f = f or href
            # the PDF prints the same words somewhere
            if not any(contains(t, said) for t in all_text.values()):
                bad(f"\"{' '.join(said)}\" is not in the PDF")
            # the target is on page N of the PDF
            target = element_by_id(book, f, frag)
            tw = words("".join(target.itertext()))[:3] if target is not None else []
            n = pdf.page_of(label)
            if n is None or not tw or not contains(words(pdf.body_text(n)), tw):
                bad(f"\"{' '.join(said)}\": page {label} of the PDF does not show {tw}")
            # ... and between markers N and N+1 in the EPUB
            # ... and between markers N and N+1 in the EPUB (not a figure or table: the PDF may
            # set one on a later page than the text around it, the EPUB keeps the source's order)
            at, pos = st.mark_index(label), st.ids.get(frag)
            nxt = [i for i in st.marks if i > (at if at is not None else 0)]
            floating = target is not None and local(target.tag) in ("figure", "table")
            if not floating and (at is None or pos is None or pos < at or (nxt and pos > nxt[0])):
                bad(f"\"{' '.join(said)}\": the target #{frag} is not after marker {label} and before the next")
            ph, _, pfrag = a.get("href").partition("#")
            if pfrag != f"page-{label}":
                bad(f"page link {a.get('href')} does not name marker {label}")
    print(f"{found} page references checked")
    if found == 0:
        bad("no page reference found")


def contains(seq, sub):
    n = len(sub)
    return any(seq[i:i + n] == sub for i in range(len(seq) - n + 1))


# ---- the index ----

def txt(el):
    return "".join(el.itertext())


def index_entries(book):
    """(term, [(first label, last label, first href, last href, bold)], xref terms, italic words, file)."""
    out = []
    for href in book.spine:
        doc = book.doc(href)
        for li in doc.iter(f"{XHTML}li"):
            if "index-entry" not in (li.get(EPUB_TYPE) or "").split():
                continue
            term, locs = None, []

            def scan(el):
                nonlocal term
                et = (el.get(EPUB_TYPE) or "").split()
                if "index-entry-list" in et:
                    return
                if "index-term" in et and term is None:
                    term = "".join(el.itertext())
                if "index-locator-range" in et:
                    a = list(el.iter(f"{XHTML}a"))
                    locs.append((txt(a[0]), txt(a[-1]), a[0].get("href"), a[-1].get("href"), False))
                    return
                if "index-locator" in et:
                    strong = el.find(f"{XHTML}strong")
                    t = txt(el)
                    locs.append((t, t, el.get("href"), el.get("href"), strong is not None))
                    return
                for c in el:
                    scan(c)
            for c in li:
                scan(c)
            out.append((term, locs, href))
    return out


def index(epub, pdf_path, theme, want_words, want_fonts, minimum):
    book = Book(epub)
    pdf = Pdf(pdf_path, theme)
    st = Stream(book)
    entries = index_entries(book)
    if len(entries) < minimum:
        bad(f"{len(entries)} index entries, fewer than {minimum}")
    if not entries:
        return
    index_file = entries[0][2]
    index_pages = sorted({pdf.page_of(st.items[i][1]) for i in st.marks if st.items[i][2] == index_file})
    body_pages = [n for n in range(1, len(pdf.labels) + 1) if n < index_pages[0]]
    pdf_index = tokens("\n".join(pdf.body_text(n) for n in index_pages))
    nlocs = 0
    for term, locs, _ in entries:
        # the PDF prints the entry as the EPUB does
        want = tokens(term)
        for first, last, _, _, _ in locs:
            want += tokens(first) + ([] if first == last else tokens(last))
        if not contains(pdf_index, want):
            bad(f"index entry {term}: the PDF's index does not read {want}")
        # every locator: its anchor lies on the page it names (after that marker, before the next)
        for first, last, h1, h2, _ in locs:
            nlocs += 1
            for label, h in ((first, h1), (last, h2)):
                frag = h.partition("#")[2]
                at, pos = st.mark_index(label), st.ids.get(frag)
                nxt = [i for i in st.marks if at is not None and i > at]
                if at is None or pos is None or pos < at or (nxt and pos > nxt[0]):
                    bad(f"index entry {term}: locator {label} -> #{frag} is not on page {label} of the EPUB")
        if want_words and locs:
            pages_named = set()
            for first, last, _, _, _ in locs:
                a, b = pdf.page_of(first), pdf.page_of(last)
                pages_named |= set(range(a, b + 1))
            seen = {n for n in body_pages if term in words(pdf.body_text(n))}
            ends = {pdf.page_of(x) for f, l, _, _, _ in locs for x in (f, l)}
            if not seen <= pages_named or not ends <= seen:
                bad(f"index entry {term}: pages {[pdf.labels[n - 1] for n in sorted(pages_named)]}, "
                    f"but pdftotext finds it on {[pdf.labels[n - 1] for n in sorted(seen)]}")
    # the PDF's locators are links to the pages they name
    links = 0
    for line in run("mutool", "run", "tests/links.js", pdf_path).splitlines():
        page, bounds, uri = line.split("\t")
        if int(page) not in index_pages or not uri.startswith("#page="):
            continue
        x0, y0, x1, y1 = (float(v) for v in bounds.split(","))
        text = "".join(c for line in chars(pdf_path, int(page)) for (x, y, c, _) in line
                       if x0 <= x <= x1 and y0 <= y <= y1).strip()
        target = int(re.match(r"#page=(\d+)", uri).group(1))
        if re.fullmatch(r"[0-9ivxlcdm]+", text):
            links += 1
            if pdf.labels[target - 1] != text:
                bad(f"PDF index: the locator {text} on page {pdf.labels[int(page) - 1]} links to page {pdf.labels[target - 1]}")
    want = sum(1 if f == l else 2 for _, locs, _ in entries for (f, l, _, _, _) in locs)
    if links != want:
        bad(f"PDF index: {links} locator links for {want} page numbers")
    if want_fonts:
        fonts(pdf_path, index_pages, entries)
    print(f"{len(entries)} entries, {nlocs} locators, {links} locator links in the PDF checked")


_chars = {}


def chars(pdf, page):
    """The characters of a page: (centre x, centre y, character, font), from MuPDF's structured
    text, line by line (a line is a list)."""
    if (pdf, page) not in _chars:
        xml = run("mutool", "draw", "-F", "stext", "-o", "-", pdf, str(page))
        lines = []
        for line in re.findall(r"<line .*?</line>", xml, re.S):
            cs = []
            for font, body in re.findall(r'<font name="([^"]*)"[^>]*>(.*?)</font>', line, re.S):
                for quad, c in re.findall(r'<char quad="([^"]*)"[^>]*c="([^"]*)"', body):
                    q = [float(v) for v in quad.split()]
                    c = c.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
                    cs.append(((q[0] + q[6]) / 2, (q[1] + q[7]) / 2, c, font))
            lines.append(cs)
        _chars[(pdf, page)] = lines
    return _chars[(pdf, page)]


def fonts(pdf_path, index_pages, entries):
    lines = [[(c, f) for (_, _, c, f) in line] for p in index_pages for line in chars(pdf_path, p)]
    bold = [(t, l) for t, locs, _ in entries for (f, _, _, _, b) in locs if b for l in [f]]
    if not bold:
        bad("no preferred page (bold) in the index")
    for term, label in bold:
        ok = False
        for ln in lines:
            s = "".join(c for c, _ in ln)
            if s.startswith(term + ","):
                i = s.find(label, len(term))
                ok = i >= 0 and all("Bold" in ln[i + k][1] for k in range(len(label)))
        if not ok:
            bad(f"PDF index: the preferred page {label} of {term} is not bold")
    italic = 0
    for ln in lines:
        s = "".join(c for c, _ in ln)
        for m in re.finditer(r"\b([Ss]ee(?: also)?) ", s):
            italic += 1
            if not all("Italic" in ln[k][1] for k in range(m.start(1), m.end(1)) if ln[k][0] != " "):
                bad(f"PDF index: \"{m.group(1)}\" in \"{s}\" is not italic")
    if italic == 0:
        bad("no see or see also in the index")


def toc(epub, pdf_path, theme):
    """The PDF's table of contents and the EPUB's page list agree: each entry's page number in
    the PDF is the marker before its heading in the EPUB."""
    book = Book(epub)
    pdf = Pdf(pdf_path, theme)
    st = Stream(book)
    nav = book.doc([h for h, (_, _, p) in book.manifest.items() if "nav" in p][0])
    entries = []
    for n in nav.iter(f"{XHTML}nav"):
        if "toc" in (n.get(EPUB_TYPE) or "").split():
            entries = [(" ".join(words(txt(a))), a.get("href")) for a in n.iter(f"{XHTML}a")]
    printed = {}
    for n, label in enumerate(pdf.labels, 1):
        if label.isdigit() or label == "Cover":
            continue
        for line in run("pdftotext", "-layout", "-f", str(n), "-l", str(n), pdf_path, "-").splitlines():
            m = re.match(r"\s*(.*?)\s*(?:\.\s?){3,}\s*(\S+)\s*$", line)  # leaders: "....." or ". . ."
            if m:
                printed[" ".join(words(m.group(1)))] = m.group(2)
    if not printed:
        bad("no TOC lines in the PDF")
    checked = 0
    for title, href in entries:
        key = next((k for k in printed if k and title.endswith(k)), None)
        if key is None:
            bad(f"TOC entry \"{title}\" is not in the PDF's contents")
            continue
        label = printed[key]
        f, _, frag = href.partition("#")
        pos = st.ids.get(frag) if frag else st.files.get(f)
        at = st.mark_index(label)
        nxt = [i for i in st.marks if at is not None and i > at]
        if at is None or pos is None or pos < at or (nxt and pos > nxt[0]):
            bad(f"TOC entry \"{title}\": the PDF says page {label}, the EPUB has it elsewhere")
        checked += 1
    print(f"{checked} TOC entries checked")


def order(epub, terms):
    got = [t for t, _, _ in index_entries(Book(epub)) if t in terms]
    if got != terms:
        bad(f"index order {got}, expected {terms}")


def main():
    what, args = sys.argv[1], sys.argv[2:]
    if what == "pages":
        pages(*args[:3])
    elif what == "xrefs":
        xrefs(*args[:3])
    elif what == "index":
        minimum = int(args[args.index("--min") + 1]) if "--min" in args else 1
        index(args[0], args[1], args[2], "--words" in args, "--fonts" in args, minimum)
    elif what == "toc":
        toc(*args[:3])
    elif what == "order":
        order(args[0], args[1:])
    elif what == "front":
        front(*args[:2])
    elif what == "toc-hang":
        toc_hang(*args[:3])
    elif what == "toc-leaders":
        toc_leaders(*args[:2])
    elif what == "toc-keep":
        toc_keep(args[0])
    elif what == "blind":
        blind(args[0], *args[1:])
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
