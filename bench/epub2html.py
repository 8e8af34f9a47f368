#!/usr/bin/env python3
"""epub2html.py: octavo's EPUB as one HTML file, for WeasyPrint in `make bench`.

    bench/epub2html.py BOOK.epub OUTDIR PAGE_SIZE MARGINS

Unpacks the EPUB into OUTDIR and writes OUTDIR/OEBPS/all.html: the bodies of the spine's
XHTML files in spine order, with the EPUB's own style sheet (its @font-face rules name the
fonts in the package, so WeasyPrint draws with the same faces), links between files turned
into links within the one file, and an @page rule with the PDF's page size and margins
(e.g. "A5" "18mm 17mm 20mm 17mm"). Prints the path of all.html.
"""
import os
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

OPF = "{http://www.idpf.org/2007/opf}"


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: epub2html.py BOOK.epub OUTDIR PAGE_SIZE MARGINS")
    epub, outdir, size, margins = sys.argv[1:]
    with zipfile.ZipFile(epub) as z:
        z.extractall(outdir)
    root = os.path.join(outdir, "OEBPS")
    opf = ET.parse(os.path.join(root, "content.opf")).getroot()
    items = {it.get("id"): it.get("href") for it in opf.iter(OPF + "item")}
    spine = [items[ref.get("idref")] for ref in opf.iter(OPF + "itemref")]
    bodies = []
    lang = opf.get("{http://www.w3.org/XML/1998/namespace}lang") or "en"
    for href in spine:
        with open(os.path.join(root, href), encoding="utf-8") as f:
            text = f.read()
        m = re.search(r"<body([^>]*)>(.*)</body>", text, re.S)
        if not m:
            continue
        body = m.group(2)
        # "chapter-2.xhtml#id" -> "#id"; a bare "chapter-2.xhtml" -> its first element
        body = re.sub(r'href="[^"#/:]+\.xhtml#', 'href="#', body)
        body = re.sub(r'href="([^"#/:]+)\.xhtml"', r'href="#file-\1"', body)
        stem = href.rsplit(".", 1)[0]
        bodies.append('<div class="file" id="file-%s"%s>%s</div>' % (stem, m.group(1), body))
    html = ('<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="%s">\n'
            '<head><meta charset="utf-8"/><title>all</title>\n'
            '<link rel="stylesheet" href="style.css"/>\n'
            '<style>@page { size: %s; margin: %s; } div.file { break-before: page; }</style>\n'
            '</head>\n<body>\n%s\n</body>\n</html>\n') % (lang, size, margins, "\n".join(bodies))
    path = os.path.join(root, "all.html")
    with open(path, "w", encoding="utf-8") as f:
        f.write(html)
    print(path)


if __name__ == "__main__":
    main()
