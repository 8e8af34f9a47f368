#!/usr/bin/env python3
"""Checks on an EPUB that octavo wrote, for tests/t-epub.sh. Standard library only.

    epubtool.py words DUMP EPUB   every word of the model (from `octavo dump`) is in the XHTML, in order
    epubtool.py package EPUB      mimetype first and stored; manifest = files in the zip; spine
    epubtool.py links EPUB        every internal href names a file in the package and an id in it
    epubtool.py notes EPUB        noterefs, footnote asides and their back-links
    epubtool.py images EPUB       image media types match the files' bytes; every img has alt
    epubtool.py cover EPUB        cover-image property on a PNG/JPEG/SVG; cover.xhtml first
    epubtool.py a11y EPUB         accessibility metadata present and justified
    epubtool.py headings EPUB     no page's headings skip a level going down (h2 then h4)
    epubtool.py all EPUB          package, links, notes, images, cover, a11y and headings at once
    epubtool.py xhtml EPUB FILE   print one XHTML file of the package (for golden files)

Each prints what is wrong on stderr and exits 1, or exits 0.
"""
import posixpath
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile

XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
OPF = "{http://www.idpf.org/2007/opf}"
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"

problems = []


def bad(msg):
    problems.append(msg)


class Book:
    """The package: zip, OPF folder, manifest (href -> (id, type, props)), spine (hrefs)."""

    def __init__(self, path):
        self.zip = zipfile.ZipFile(path)
        cont = ET.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = cont.find(f".//{CONTAINER}rootfile").get("full-path")
        self.base = posixpath.dirname(self.opf_path)
        self.opf = ET.fromstring(self.zip.read(self.opf_path))
        self.manifest = {}
        by_id = {}
        for it in self.opf.iter(f"{OPF}item"):
            href = urllib.parse.unquote(it.get("href"))
            self.manifest[href] = (it.get("id"), it.get("media-type"), (it.get("properties") or "").split())
            by_id[it.get("id")] = href
        self.spine = [by_id[i.get("idref")] for i in self.opf.iter(f"{OPF}itemref")]
        self._docs = {}

    def path(self, href):
        return posixpath.normpath(posixpath.join(self.base, href)) if self.base else href

    def read(self, href):
        return self.zip.read(self.path(href))

    def doc(self, href):
        if href not in self._docs:
            self._docs[href] = ET.fromstring(self.read(href))
        return self._docs[href]

    def xhtml(self):
        return [h for h, (_, t, _) in self.manifest.items() if t == "application/xhtml+xml"]

    def meta(self, prop):
        return [m.text or "" for m in self.opf.iter(f"{OPF}meta") if m.get("property") == prop]


# ---- words ----

INLINE = {"text", "emphasis", "code", "quote", "subscript", "superscript", "phrase", "link", "xref",
          "footnote", "footnoteref", "inlinemediaobject", "anchor", "indexterm", "image"}
WORD = re.compile(r"\w+", re.UNICODE)


def unquote_dump(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            if n == "x":
                out.append(chr(int(s[i + 2:i + 4], 16)))
                i += 4
                continue
            out.append({"n": "\n", "t": "\t"}.get(n, n))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


QUOTED = r'"((?:[^"\\]|\\.)*)"'


class Node:
    def __init__(self, typ, line):
        self.typ, self.line, self.kids = typ, line, []


def parse_dump(dump):
    """The dump's tree (one node a line, two spaces of indent a level) up to "toc"."""
    root = Node("root", "")
    stack = [(-1, root)]
    for line in dump.splitlines()[1:]:
        if line == "toc":
            break
        depth = (len(line) - len(line.lstrip(" "))) // 2
        body = line.strip()
        deep = re.match(r"\[(\d+)\] ", body)  # a deep line gives its level as "[N] "
        if deep:
            depth, body = int(deep.group(1)), body[deep.end():]
        node = Node(re.match(r"[a-z]+", body).group(0), body)
        while stack[-1][0] >= depth:
            stack.pop()
        stack[-1][1].kids.append(node)
        stack.append((depth, node))
    return root


def reading_order(node):
    """Children in the order the EPUB writes them: a table's foot last (XHTML wants tfoot last),
    a quotation's title first and attribution last (the source puts the attribution first)."""
    if node.typ == "table":
        first, last = "title", "tfoot"
    elif node.typ in ("blockquote", "epigraph"):
        first, last = "title", "attribution"
    else:
        return node.kids
    rank = lambda k: 0 if k.typ == first else 2 if k.typ == last else 1
    return sorted(node.kids, key=rank)  # stable


def model_streams(dump):
    """The model's words as three streams in reading order: the body, the footnotes, the book's
    info (the copyright page)."""
    streams = {"body": [], "notes": [], "info": []}

    def walk(node, stream, depth):
        if node.typ == "footnote":
            stream = "notes"
        elif node.typ == "info" and depth == 2:
            stream = "info"
        out = streams[stream]
        if node.typ not in INLINE:
            out.append(" ")
        if node.typ == "text":
            out.append(unquote_dump(re.match(r"text " + QUOTED, node.line).group(1)))
        elif node.typ in ("xref", "link"):
            m = re.search(r" gen=" + QUOTED, node.line)
            if m:
                out.append(unquote_dump(m.group(1)))
        for k in reading_order(node):
            walk(k, stream, depth + 1)
        if node.typ not in INLINE:
            out.append(" ")

    walk(parse_dump(dump), "body", 0)
    return {k: WORD.findall("".join(v)) for k, v in streams.items()}


BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "caption", "figcaption",
          "pre", "div", "section", "aside", "blockquote", "figure", "table", "tr", "ul", "ol", "dl", "br",
          "nav", "body", "footer"}


def xhtml_words(book):
    """The words of the XHTML in spine order; block boundaries separate words."""
    parts = []

    def walk(el):
        tag = el.tag.replace(XHTML, "")
        if tag in ("head", "script", "style"):
            return
        if tag == "sup" and "noteref" in (el.get("class") or "").split():
            parts.append(" ")  # a footnote mark: not a word of the text, and not part of one
            return
        if tag in BLOCKS:
            parts.append(" ")
        if el.text:
            parts.append(el.text)
        for c in el:
            walk(c)
            if c.tail:
                parts.append(c.tail)
        if tag in BLOCKS:
            parts.append(" ")

    for href in book.spine:
        walk(book.doc(href))
    return WORD.findall("".join(parts))


def subsequence(needle, hay):
    """Index in needle of the first word not found in order in hay, or -1."""
    j = 0
    for i, w in enumerate(needle):
        while j < len(hay) and hay[j] != w:
            j += 1
        if j == len(hay):
            return i
        j += 1
    return -1


def cmd_words(dump_path, epub):
    streams = model_streams(open(dump_path, encoding="utf-8").read())
    words = xhtml_words(Book(epub))
    for name, seq in streams.items():
        k = subsequence(seq, words)
        if k >= 0:
            bad(f"{name} text: word {k + 1} of {len(seq)} \"{seq[k]}\" (after \"{' '.join(seq[max(0, k - 6):k])}\") "
                "is missing or out of order in the XHTML")
    if not problems:
        print(f"# {sum(len(s) for s in streams.values())} words of the model found in order among {len(words)}")


# ---- package ----

def cmd_package(epub):
    z = zipfile.ZipFile(epub)
    infos = z.infolist()
    if not infos or infos[0].filename != "mimetype":
        bad("the first entry is not mimetype")
    elif infos[0].compress_type != zipfile.ZIP_STORED:
        bad("mimetype is compressed")
    elif z.read("mimetype") != b"application/epub+zip":
        bad("mimetype does not say application/epub+zip")
    elif infos[0].extra:
        bad("mimetype has an extra field")
    book = Book(epub)
    files = {i.filename for i in infos} - {"mimetype", "META-INF/container.xml", book.opf_path}
    listed = {book.path(h) for h in book.manifest}
    for f in sorted(files - listed):
        bad(f"{f} is in the zip but not in the manifest")
    for f in sorted(listed - files):
        bad(f"{f} is in the manifest but not in the zip")
    if book.opf.get("version") != "3.0":
        bad("package version is not 3.0")
    navs = [h for h, (_, _, p) in book.manifest.items() if "nav" in p]
    if len(navs) != 1:
        bad("not exactly one nav document")
    elif book.doc(navs[0]).find(f".//{XHTML}nav[@{EPUB_TYPE}='toc']") is None:
        bad("the nav has no epub:type=\"toc\" nav")
    if book.opf.find(f"{OPF}spine").get("toc") is None or not any(t == "application/x-dtbncx+xml" for _, t, _ in book.manifest.values()):
        bad("no NCX")


# ---- links ----

def ids_of(book, href):
    return {el.get("id") for el in book.doc(href).iter() if el.get("id")}


def cmd_links(epub):
    book = Book(epub)
    n = 0
    for href in book.xhtml():
        for a in book.doc(href).iter(f"{XHTML}a"):
            target = a.get("href")
            if target is None or re.match(r"[a-z][a-z0-9+.-]*:", target):
                continue
            path, _, frag = target.partition("#")
            dest = posixpath.normpath(posixpath.join(posixpath.dirname(href), path)) if path else href
            n += 1
            if dest not in book.manifest:
                bad(f"{href}: link to {target}: no such file in the package")
            elif frag and frag not in ids_of(book, dest):
                bad(f"{href}: link to {target}: no id \"{frag}\" in {dest}")
    print(f"# {n} internal links checked")


# ---- footnotes ----

def cmd_notes(epub):
    book = Book(epub)
    n = 0
    for href in book.xhtml():
        doc = book.doc(href)
        asides = {el.get("id"): el for el in doc.iter(f"{XHTML}aside") if el.get(EPUB_TYPE) == "footnote"}
        for aside_id, aside in asides.items():
            if aside.get("role") != "doc-footnote":
                bad(f"{href}: footnote {aside_id} without role=\"doc-footnote\"")
            back = [a for a in aside.iter(f"{XHTML}a") if a.get("role") == "doc-backlink"]
            if len(back) != 1:
                bad(f"{href}: footnote {aside_id} has {len(back)} back-links")
            elif back[0].get("href", "").lstrip("#") not in ids_of(book, href) or not back[0].get("href", "").startswith("#"):
                bad(f"{href}: footnote {aside_id}: back-link {back[0].get('href')} goes nowhere on this page")
        for a in doc.iter(f"{XHTML}a"):
            if a.get(EPUB_TYPE) != "noteref":
                continue
            n += 1
            if a.get("role") != "doc-noteref":
                bad(f"{href}: noteref without role=\"doc-noteref\"")
            target = a.get("href", "")
            path, _, frag = target.partition("#")
            dest = path or href
            if dest == href and frag not in asides:
                bad(f"{href}: noteref {target} does not point at a footnote aside")
            elif dest != href and frag not in ids_of(book, dest):
                bad(f"{href}: noteref {target} points nowhere")
    print(f"# {n} notes checked")


# ---- images ----

MAGIC = [(b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8", "image/jpeg"), (b"GIF8", "image/gif")]


def sniff(data):
    for magic, t in MAGIC:
        if data.startswith(magic):
            return t
    if b"<svg" in data[:4096]:
        return "image/svg+xml"
    return None


def cmd_images(epub):
    book = Book(epub)
    for href, (_, t, _) in book.manifest.items():
        if t.startswith("image/") and sniff(book.read(href)) != t:
            bad(f"{href}: media type {t}, but the bytes say {sniff(book.read(href))}")
    for href in book.xhtml():
        for img in book.doc(href).iter(f"{XHTML}img"):
            src = posixpath.normpath(posixpath.join(posixpath.dirname(href), urllib.parse.unquote(img.get("src", ""))))
            if src not in book.manifest:
                bad(f"{href}: img {img.get('src')} is not in the manifest")
            if img.get("alt") is None:
                bad(f"{href}: img {img.get('src')} without an alt attribute")
            print(f"# {href}: {src} alt={img.get('alt')!r}")


def cmd_cover(epub):
    book = Book(epub)
    covers = [h for h, (_, _, p) in book.manifest.items() if "cover-image" in p]
    if len(covers) != 1:
        bad(f"{len(covers)} items have the cover-image property")
        return
    t = book.manifest[covers[0]][1]
    if sniff(book.read(covers[0])) != t or t not in ("image/png", "image/jpeg", "image/svg+xml", "image/gif"):
        bad(f"the cover image {covers[0]} is not a {t} file")
    first = book.spine[0]
    imgs = [i.get("src") for i in book.doc(first).iter(f"{XHTML}img")]
    if posixpath.basename(first) != "cover.xhtml" or [posixpath.normpath(posixpath.join(posixpath.dirname(first), s)) for s in imgs] != [covers[0]]:
        bad(f"the first page of the spine ({first}) does not show the cover image")
    print(f"# cover {covers[0]} ({t})")


# ---- accessibility ----

def cmd_a11y(epub):
    book = Book(epub)
    for prop in ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
                 "schema:accessibilityHazard", "schema:accessibilitySummary", "dcterms:modified"):
        if not book.meta(prop):
            bad(f"no {prop}")
    modified = book.meta("dcterms:modified")
    if modified and not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", modified[0]):
        bad(f"dcterms:modified {modified[0]} is not CCYY-MM-DDThh:mm:ssZ")
    cover = [h for h, (_, _, p) in book.manifest.items() if "cover-image" in p]
    imgs, alts, headings, tocs = 0, 0, 0, 0
    for href in book.xhtml():
        doc = book.doc(href)
        for img in doc.iter(f"{XHTML}img"):
            src = posixpath.normpath(posixpath.join(posixpath.dirname(href), img.get("src", "")))
            if src in cover:
                continue
            imgs += 1
            alts += bool(img.get("alt"))
        headings += sum(1 for el in doc.iter() if re.fullmatch(XHTML.replace("{", r"\{").replace("}", r"\}") + r"h[1-6]", str(el.tag)))
        tocs += sum(1 for n in doc.iter(f"{XHTML}nav") if n.get(EPUB_TYPE) == "toc")
    features = set(book.meta("schema:accessibilityFeature"))
    modes = set(book.meta("schema:accessMode"))
    if ("alternativeText" in features) != (imgs > 0 and alts == imgs):
        bad(f"alternativeText claimed={'alternativeText' in features}, but {alts} of {imgs} images have alt text")
    if ("visual" in modes) != (imgs > 0):
        bad(f"accessMode visual claimed={'visual' in modes} with {imgs} images")
    if "textual" not in modes:
        bad("accessMode textual missing")
    if ("structuralNavigation" in features) != (headings > 0):
        bad(f"structuralNavigation claimed={'structuralNavigation' in features} with {headings} headings")
    if ("tableOfContents" in features) != (tocs > 0):
        bad("tableOfContents claimed without a toc nav")
    if "textual" in book.meta("schema:accessModeSufficient") and imgs != alts:
        bad("accessModeSufficient textual, but not every image has alt text")
    if bool(book.meta("dcterms:conformsTo")) != (imgs == alts):
        bad(f"WCAG conformance claimed={bool(book.meta('dcterms:conformsTo'))}, but {alts} of {imgs} images have alt text")
    if book.meta("schema:accessibilityHazard") != ["none"]:
        bad("accessibilityHazard is not none")
    print(f"# features: {', '.join(sorted(features))}; modes: {', '.join(sorted(modes))}; {alts}/{imgs} images with alt")


def cmd_headings(epub):
    book = Book(epub)
    for href in book.spine:
        prev = 0
        for m in re.finditer(r"<h([1-6])[ >]", book.read(href).decode("utf-8")):
            level = int(m.group(1))
            if prev and level > prev + 1:
                bad(f"{href}: h{prev} then h{level}")
            prev = level


def cmd_all(epub):
    for name, fn in (("package", cmd_package), ("links", cmd_links), ("notes", cmd_notes),
                     ("images", cmd_images), ("cover", cmd_cover), ("a11y", cmd_a11y), ("headings", cmd_headings)):
        before = len(problems)
        try:
            fn(epub)
        except (zipfile.BadZipFile, ET.ParseError, KeyError, OSError) as e:
            bad(f"{type(e).__name__}: {e}")
        problems[before:] = [f"{name}: {p}" for p in problems[before:]]


def cmd_xhtml(epub, href):
    sys.stdout.write(Book(epub).read(href).decode("utf-8"))


def main(argv):
    cmds = {"words": cmd_words, "package": cmd_package, "links": cmd_links, "notes": cmd_notes,
            "images": cmd_images, "cover": cmd_cover, "a11y": cmd_a11y, "headings": cmd_headings, "all": cmd_all, "xhtml": cmd_xhtml}
    if len(argv) < 3 or argv[1] not in cmds:
        sys.stderr.write(__doc__)
        return 2
    try:
        cmds[argv[1]](*argv[2:])
    except (zipfile.BadZipFile, ET.ParseError, KeyError, OSError) as e:
        bad(f"{type(e).__name__}: {e}")
    for p in problems:
        sys.stderr.write(p + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
