#!/usr/bin/env python3
"""Text fidelity for books of any size and depth: is every word of the model in the output?

usage: fidelity.py OCTAVO BOOK.xml pdf FILE.pdf THEME
       fidelity.py OCTAVO BOOK.xml epub FILE.epub

The model's words come from `octavo dump` through tests/words.py (the body as one sequence,
footnotes, attributions, table feet, sub/superscripts and figure titles each as their own),
and each sequence must appear in order in the output's words.

Unlike words.py, this reads a PDF page by page cropped to the theme's text area, so running
headers and page numbers never stand between the halves of a word broken across pages (a
200,000-letter word spans a hundred pages), and it walks the EPUB's XHTML with a loop, so
20,000 nested blockquotes are no deeper for it than one.
"""
import os
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "epub"))
import words  # noqa: E402  (the model's words: one reader of the dump)
from epubtool import Book, XHTML  # noqa: E402

BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "caption", "figcaption",
          "pre", "div", "section", "aside", "blockquote", "figure", "table", "tr", "ul", "ol", "dl", "br",
          "nav", "body", "footer", "header"}


def theme_area(theme):
    """Top and bottom margins of the theme, in points."""
    vals = {}
    for line in open(theme, encoding="utf-8"):
        m = re.match(r"\s*([a-z-]+)\s*=\s*(\S+)", line)
        if m:
            vals[m.group(1)] = m.group(2)

    def length(v):
        m = re.match(r"([\d.]+)(mm|pt|in|cm)?$", v)
        return float(m.group(1)) * {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72, "pt": 1, None: 1}[m.group(2)]
    return length(vals["margin-top"]), length(vals["margin-bottom"])


def pdf_text(pdf, theme):
    """The text of every page inside the text area, pages joined by newlines."""
    top, bottom = theme_area(theme)
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    w, h = (float(v) for v in re.search(r"Page size:\s*([\d.]+) x ([\d.]+)", info).groups())
    # one pdftotext run for all pages: the crop applies to each; form feeds separate pages
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-x", "0", "-y", str(int(top - 3)),
                           "-W", str(int(w) + 1), "-H", str(int(h - top - bottom + 6)), pdf, "-"],
                          capture_output=True, text=True, check=True).stdout
    return text.replace("\f", "\n")


def pdf_words(pdf, theme):
    text = pdf_text(pdf, theme)
    # a line (or page) ending in the hyphen added at a break joins the next one
    text = re.sub("[\u00ad\u2010]\n+", "", text).replace("\u00ad", "")
    text = unicodedata.normalize("NFKC", re.sub("[\u200e\u200f\u202a-\u202e]", "", text))
    return words.WORD.findall(text)


def epub_words(path):
    """The words of the XHTML in spine order, walked with a loop; blocks separate words, a
    footnote mark is not a word."""
    book = Book(path)
    parts = []
    for href in book.spine:
        root = book.doc(href)
        stack = [(root, False)]  # (element, closing)
        while stack:
            el, closing = stack.pop()
            tag = el.tag.replace(XHTML, "") if isinstance(el.tag, str) else ""
            if closing:
                if tag in BLOCKS:
                    parts.append(" ")
                if el.tail:
                    parts.append(el.tail)
                continue
            if tag in ("head", "script", "style"):
                if el.tail:
                    parts.append(el.tail)
                continue
            if tag == "sup" and "noteref" in (el.get("class") or "").split():
                parts.append(" ")
                if el.tail:
                    parts.append(el.tail)
                continue
            if tag in BLOCKS:
                parts.append(" ")
            if el.text:
                parts.append(el.text)
            stack.append((el, True))
            for c in reversed(list(el)):
                stack.append((c, False))
    text = unicodedata.normalize("NFKC", "".join(parts))
    return words.WORD.findall(text)


def main():
    octavo, book, kind, out = sys.argv[1:5]
    seqs = words.model_words(octavo, book)
    have = pdf_words(out, sys.argv[5]) if kind == "pdf" else epub_words(out)
    ok = True
    for name, want in seqs.items():
        miss = words.subsequence(want, have)
        if miss is not None:
            ok = False
            w = want[miss]
            print(f"{name}: word {miss + 1} of {len(want)} not found in order: "
                  f"{' '.join(want[max(0, miss - 5):miss])} [{w[:60]}{'...' if len(w) > 60 else ''}] "
                  f"{' '.join(want[miss + 1:miss + 4])}")
    counts = ", ".join(f"{len(w)} {k}" for k, w in seqs.items())
    print(f"{kind}: words checked: {counts}; output words: {len(have)}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
