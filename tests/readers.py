#!/usr/bin/env python3
"""What real reading systems make of octavo's outputs.

usage:
  readers.py mupdf-epub OCTAVO BOOK.xml FILE.epub DIR [RRGGBB...]
      MuPDF lays the EPUB out and renders every page (mutool draw, text and RGB images in DIR):
      no warning but the two MuPDF 1.21 prints for any file (below); every chapter-level title
      of the book, in order; every word of the model, in order (words.py's check); and, for each
      RRGGBB, a page showing that colour (an image's: it is in no theme).
  readers.py text OCTAVO BOOK.xml FILE.txt
      A reader's plain-text output (calibre's ebook-convert): chapter titles and words in order.
  readers.py html-images EPUB DIR
      An HTML rendition of the EPUB unpacked in DIR (calibre's HTMLZ): every image of the
      EPUB's chapters is there, with its alt text, in order; PNG and JPEG files unchanged.
"""
import glob
import os
import re
import subprocess
import sys
import unicodedata
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import words  # noqa: E402  (one definition of "the model's words, in order")

# Debian's MuPDF 1.21 says these of any document: no ICC colour management built in, and an
# EPUB package version other than "2.0" (epub-doc.c: strcmp(version, "2.0")). Not about ours.
KNOWN = ("warning: ICC support is not available", "warning: unknown epub version: 3.0")


def chapter_titles(octavo, book):
    """The chapter-level titles of the book's TOC, in order (`octavo dump`'s toc block)."""
    dump = subprocess.run([octavo, "dump", book], capture_output=True, text=True, check=True).stdout
    toc = dump.split("\ntoc\n", 1)[1] if "\ntoc\n" in dump else ""
    titles = []
    for line in toc.splitlines():
        m = re.match(r'  [a-z]+ "(.*)" #', line)
        if m:
            titles.append(words.unquote(m.group(1)))
        elif not line.startswith(" "):
            break
    return titles


# MuPDF 1.21 sets a table's caption after the table (octavo's XHTML has it first, as <caption>)
READER_APART = words.APART + ("table-title",)


def split_digits(ws):
    """Words cut where digits meet letters, on both sides alike: a reader's text may glue a
    subscript or a footnote mark to its word ("H2O" for "H" "2" "O")."""
    return [p for w in ws for p in re.findall(r"\d+|\D+", w)]


def subsequence(want, have):
    """Index of the first word of want not found in order in have, or None. A reader's text
    may glue words that stood in separate table cells ("25soft" for "25" "soft"), or a
    footnote mark to its word ("strength1"): a have-word may hold a want-word followed by
    the next want-word or by digits."""
    have = [h.casefold() for h in have]
    j, rest = 0, None
    for i, w in enumerate(want):
        w = w.casefold()
        nxt = want[i + 1].casefold() if i + 1 < len(want) else None
        while True:
            cur = rest if rest is not None else (have[j] if j < len(have) else None)
            if cur is None:
                return i
            if cur == w or (cur.startswith(w) and cur[len(w):].isdigit()):
                rest = None
                j += 1
                break
            if nxt and cur.startswith(w) and cur[len(w):].startswith(nxt[:len(cur) - len(w)]):
                rest = cur[len(w):]
                break
            rest = None
            j += 1
    return None


def norm(s):
    return " ".join(unicodedata.normalize("NFKC", s).split()).casefold()


def check_text(octavo, book, text, problems):
    """Chapter titles and the model's words, in order, in text."""
    flat = norm(text)
    pos = 0
    titles = chapter_titles(octavo, book)
    for t in titles:
        k = flat.find(norm(t), pos)
        if k < 0:
            problems.append(f"chapter \"{t}\" is missing or out of order")
        else:
            pos = k + len(norm(t))
    have = split_digits(words.WORD.findall(unicodedata.normalize("NFKC", text.replace("\u00ad", ""))))
    counts = []
    for name, want in words.model_words(octavo, book, READER_APART).items():
        want = split_digits(want)
        miss = subsequence(want, have)
        counts.append(f"{len(want)} {name}")
        if miss is not None:
            problems.append(f"{name}: word {miss + 1} of {len(want)} not found in order: "
                            f"{' '.join(want[max(0, miss - 5):miss])} [{want[miss]}] {' '.join(want[miss + 1:miss + 4])}")
    return f"{len(titles)} chapters, words: {', '.join(counts)}"


def ppm_has(path, rgb, tol=40, need=6):
    data = open(path, "rb").read()
    magic, dims, _maxval, px = data.split(b"\n", 3)
    assert magic == b"P6", f"{path}: not an RGB PPM"
    n = 0
    for i in range(0, len(px) - 2, 3):
        if abs(px[i] - rgb[0]) <= tol and abs(px[i + 1] - rgb[1]) <= tol and abs(px[i + 2] - rgb[2]) <= tol:
            n += 1
            if n >= need:
                return True
    return False


def mupdf_epub(octavo, book, epub, out, *colors):
    problems = []
    os.makedirs(out, exist_ok=True)
    for f in glob.glob(os.path.join(out, "p*.*")):
        os.remove(f)
    r1 = subprocess.run(["mutool", "draw", "-q", "-F", "txt", "-o", os.path.join(out, "p%d.txt"), epub],
                        capture_output=True, text=True)
    r2 = subprocess.run(["mutool", "draw", "-q", "-r", "36", "-c", "rgb", "-o", os.path.join(out, "p%d.ppm"), epub],
                        capture_output=True, text=True)
    for r in (r1, r2):
        if r.returncode != 0:
            problems.append(f"mutool draw failed ({r.returncode})")
        for line in r.stderr.splitlines():
            if line.strip() and line.strip() not in KNOWN:
                problems.append(f"mutool: {line}")
    pages = sorted(glob.glob(os.path.join(out, "p*.txt")), key=lambda p: int(re.findall(r"\d+", os.path.basename(p))[0]))
    text = "\n".join(open(p, encoding="utf-8").read() for p in pages)
    summary = check_text(octavo, book, text, problems)
    images = sorted(glob.glob(os.path.join(out, "p*.ppm")))
    if len(images) != len(pages) or not pages:
        problems.append(f"{len(pages)} pages of text, {len(images)} page images")
    for c in colors:
        rgb = tuple(int(c[i:i + 2], 16) for i in (0, 2, 4))
        shown = [p for p in images if ppm_has(p, rgb)]
        if not shown:
            problems.append(f"no page shows the colour #{c}: an image is not drawn")
    for p in problems:
        print(p)
    print(f"# MuPDF: {len(pages)} pages; {summary}; colours {' '.join(colors) or '-'}")
    return 1 if problems else 0


def text(octavo, book, path):
    problems = []
    summary = check_text(octavo, book, open(path, encoding="utf-8").read(), problems)
    for p in problems:
        print(p)
    print(f"# {summary}")
    return 1 if problems else 0


def html_images(epub, out):
    """calibre's HTML keeps every image of the EPUB's chapters: as many <img>, the same alt
    texts in the same order, and the PNG and JPEG files byte for byte (SVG it rewrites)."""
    z = zipfile.ZipFile(epub)
    opf = next(n for n in z.namelist() if n.endswith(".opf"))
    base = os.path.dirname(opf)
    spine_ids = re.findall(rb'<itemref[^>]*idref="([^"]+)"', z.read(opf))
    items = dict(re.findall(rb'<item\b[^>]*\bid="([^"]+)"[^>]*\bhref="([^"]+)"', z.read(opf)))
    want_alts, want_data = [], set()
    for idref in spine_ids:
        href = items[idref].decode()
        if href.endswith(("cover.xhtml", "nav.xhtml")):
            continue
        name = os.path.normpath(os.path.join(base, href))
        for m in re.finditer(rb"<img\b[^>]*>", z.read(name)):
            tag = m.group(0).decode()
            want_alts.append((re.search(r'\balt="([^"]*)"', tag) or [None, ""])[1])
            src = os.path.normpath(os.path.join(os.path.dirname(name), re.search(r'\bsrc="([^"]+)"', tag).group(1)))
            if src.lower().endswith((".png", ".jpg", ".jpeg")):
                want_data.add(z.read(src))
    have_alts, have_data, problems = [], set(), []
    for html in sorted(glob.glob(os.path.join(out, "**", "*.html"), recursive=True)):
        for m in re.finditer(r"<img\b[^>]*>", open(html, encoding="utf-8", errors="replace").read()):
            tag = m.group(0)
            if 'role="doc-cover"' in tag:
                continue
            have_alts.append((re.search(r'\balt="([^"]*)"', tag) or [None, ""])[1])
            f = os.path.join(os.path.dirname(html), re.search(r'\bsrc="([^"]+)"', tag).group(1).split("#")[0])
            if not os.path.isfile(f):
                problems.append(f"{os.path.basename(html)}: <img src> {f} has no file")
            else:
                have_data.add(open(f, "rb").read())
    if [norm(a) for a in have_alts] != [norm(a) for a in want_alts]:
        problems.append(f"alt texts differ: EPUB {want_alts}, HTML {have_alts}")
    if want_data - have_data:
        problems.append(f"{len(want_data - have_data)} PNG/JPEG images of the EPUB are not in the HTML as they were")
    for p in problems:
        print(p)
    print(f"# {len(have_alts)} images in the HTML for {len(want_alts)} in the EPUB's chapters")
    return 1 if problems else 0


def main(argv):
    cmds = {"mupdf-epub": mupdf_epub, "text": text, "html-images": html_images}
    if len(argv) < 2 or argv[1] not in cmds:
        sys.stderr.write(__doc__)
        return 2
    return cmds[argv[1]](*argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
