#!/usr/bin/env python3
"""Metadata fidelity: does every piece of the book's info that the title and copyright pages
show appear, word for word, in the PDF's pages before its contents (an English book's) and in
the EPUB's title and copyright pages?

usage: metacheck.py OCTAVO BOOK.xml FILE.pdf FILE.epub

The values come from the `meta` line of `octavo dump`. Prints each missing value with the
output that lacks it and exits 1 if any is lost.
"""
import html
import re
import subprocess
import sys
import os
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "epub"))
from epubtool import unquote_dump, QUOTED  # noqa: E402

# what the front pages show: not the keywords, the language, nor the dates (the title page
# shows one of them)
SHOWN = {"title", "subtitle", "author", "affiliation", "email", "address", "orgname", "editor",
         "translator", "illustrator", "credit", "contrib", "publisher", "copyright", "releaseinfo",
         "edition", "isbn", "revision", "by", "remark", "printhistory"}
WORD = re.compile(r"\w+", re.UNICODE)


def words(s):
    return " ".join(WORD.findall(s))


def main():
    octavo, book, pdf, epub = sys.argv[1:5]
    dump = subprocess.run([octavo, "dump", book], capture_output=True, text=True, check=True).stdout
    meta = next(l for l in dump.splitlines() if l.startswith("meta"))
    values = [(k, unquote_dump(v)) for k, v in re.findall(r" ([a-z]+)=" + QUOTED, meta) if k in SHOWN]
    if not values:
        sys.exit("no metadata to look for")
    # the front pages: up to the table of contents (all of them in a book without one)
    pages = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    front = []
    for page in pages:
        lines = [l for l in page.splitlines() if l.strip()]
        if lines and lines[0].strip() == "Contents":
            break
        front.append(page)
    pdf_text = "\n".join(front)
    with zipfile.ZipFile(epub) as z:
        xhtml = "".join(z.read(n).decode() for n in z.namelist()
                        if n.endswith(("titlepage.xhtml", "copyright.xhtml")))
    epub_text = html.unescape(re.sub(r"<[^>]+>", "", xhtml))
    lost = 0
    for name, text in (("PDF", words(pdf_text)), ("EPUB", words(epub_text))):
        for k, v in values:
            if words(v) and " %s " % words(v) not in " %s " % text:
                print("%s lacks %s=%r" % (name, k, v))
                lost += 1
    sys.exit(1 if lost else 0)


main()
