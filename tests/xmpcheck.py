#!/usr/bin/env python3
"""The PDF's XMP metadata against its /Info dictionary and the EPUB's package document: both
outputs of one book must say the same title, creators, language, subjects, description,
rights and identifier.

usage: xmpcheck.py FILE.pdf FILE.epub DATE

DATE is the build time as XMP writes it (2014-01-13T00:00:00Z). Prints each disagreement and
exits 1 if there is any.
"""
import subprocess
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "dc": "http://purl.org/dc/elements/1.1/",
      "xmp": "http://ns.adobe.com/xap/1.0/", "pdf": "http://ns.adobe.com/pdf/1.3/",
      "xmpMM": "http://ns.adobe.com/xap/1.0/mm/", "opf": "http://www.idpf.org/2007/opf"}


def xmp_values(desc, name):
    """A property's values: its text, or its array's items."""
    e = desc.find(name, NS)
    if e is None:
        return []
    items = e.findall(".//rdf:li", NS)
    return [i.text or "" for i in items] if items else [e.text or ""]


def main():
    pdf, epub, date = sys.argv[1:4]
    bad = []
    meta = subprocess.run(["pdfinfo", "-meta", pdf], capture_output=True, check=True).stdout
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, check=True, text=True).stdout
    fields = {}
    for line in info.splitlines():
        k, _, v = line.partition(":")
        fields[k.strip()] = v.strip()
    root = ET.fromstring(meta[meta.index(b"<x:xmpmeta"):meta.rindex(b"</x:xmpmeta>") + 12])
    desc = root.find("rdf:RDF/rdf:Description", NS)
    with zipfile.ZipFile(epub) as z:
        opf_name = [n for n in z.namelist() if n.endswith(".opf")][0]
        opf = ET.fromstring(z.read(opf_name))
    md = opf.find("opf:metadata", NS)

    def opf_values(name):
        return [e.text or "" for e in md.findall(name, NS)]

    def same(what, got, want):
        if got != want:
            bad.append(f"{what}: XMP {got!r}, expected {want!r}")

    same("dc:title", xmp_values(desc, "dc:title"), opf_values("dc:title"))
    same("dc:title against /Title", xmp_values(desc, "dc:title")[:1], [fields.get("Title", "")])
    # the EPUB's creators are the authors; its contributors (editors …) are no dc:creator
    same("dc:creator", xmp_values(desc, "dc:creator"), opf_values("dc:creator"))
    same("dc:language", xmp_values(desc, "dc:language"), opf_values("dc:language"))
    same("dc:subject", xmp_values(desc, "dc:subject"), opf_values("dc:subject"))
    same("dc:description", xmp_values(desc, "dc:description"), opf_values("dc:description"))
    same("dc:description against /Subject", xmp_values(desc, "dc:description")[:1] or [""],
         [fields.get("Subject", "")])
    same("dc:rights", xmp_values(desc, "dc:rights"), opf_values("dc:rights"))
    same("dc:identifier", xmp_values(desc, "dc:identifier"), opf_values("dc:identifier"))
    same("xmpMM:DocumentID", xmp_values(desc, "xmpMM:DocumentID"), opf_values("dc:identifier"))
    same("dc:date", xmp_values(desc, "dc:date"), opf_values("dc:date"))
    same("pdf:Producer", xmp_values(desc, "pdf:Producer"), [fields.get("Producer", "")])
    same("xmp:CreatorTool", xmp_values(desc, "xmp:CreatorTool"), [fields.get("Creator", "")])
    same("pdf:Keywords", xmp_values(desc, "pdf:Keywords") or [""], [fields.get("Keywords", "")])
    for d in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
        same(d, xmp_values(desc, d), [date])
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
