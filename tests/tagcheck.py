#!/usr/bin/env python3
"""The tagged structure octavo writes into a PDF, read back through qpdf --json: /MarkInfo,
/ViewerPreferences, /Lang, one Document element under the StructTreeRoot whose every kid
points back to it, and the figures' /Alt in document order. And in the pages' content (through
qpdf --qdf), every text object inside marked content, but for the cover page's and the running
headers' and page numbers' (set above 8 % or below 92 % of the page's height: Cairo 1.16 cannot
mark them as artifacts).

usage: tagcheck.py FILE.pdf LANG ALT... (an empty ALT: the figure has no /Alt)"""
import json
import os
import re
import subprocess
import sys
import tempfile


def untagged_text(pdf, cover):
    """Text objects outside marked content, on the pages after the cover, inside the text area."""
    with tempfile.TemporaryDirectory() as tmp:
        q = os.path.join(tmp, "q.pdf")
        subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf, q], check=True)
        s = open(q, "rb").read().decode("latin1")
    objs = {int(n): o for n, o in re.findall(r"\n(\d+) 0 obj\n(.*?)\nendobj", s, re.S)}
    bad = []
    for n, (label, oid) in enumerate(re.findall(r"%% Page (\d+)\n%%[^\n]*\n(\d+) 0 obj", s)):
        page = objs[int(oid)]
        if n == 0 and cover:
            continue
        height = float(re.search(r"/MediaBox \[\s*\S+\s+\S+\s+\S+\s+(\S+)", page).group(1))
        for c in re.findall(r"(\d+) 0 R", re.search(r"/Contents (\[.*?\]|\d+ 0 R)", page, re.S).group(1)):
            depth = 0
            for t in re.finditer(r"BDC|BMC|EMC|BT.*?ET", re.search(r"stream\n(.*?)endstream", objs[int(c)], re.S).group(0), re.S):
                x = t.group(0)
                if x in ("BDC", "BMC"):
                    depth += 1
                elif x == "EMC":
                    depth -= 1
                elif depth == 0:
                    m = re.search(r"(\S+) Tm", x)
                    y = float(m.group(1)) if m else 0
                    if 0.08 * height <= y <= 0.92 * height:
                        words = "".join(re.findall(r"\(((?:[^()\\]|\\.)*)\)", x))[:40]
                        bad.append("page %s: text outside any structure element at %.0f pt: %r" % (label, y, words))
    return bad


def main():
    pdf, lang, alts = sys.argv[1], sys.argv[2], sys.argv[3:]
    j = json.loads(subprocess.run(["qpdf", "--json", pdf], check=True, capture_output=True).stdout)
    objs = {}
    for k, v in j["qpdf"][1].items():
        if k.startswith("obj:"):
            objs[k[4:]] = v.get("value")
        elif k == "trailer":
            trailer = v["value"]
    bad = []

    def get(v):
        return objs.get(v) if isinstance(v, str) and v.endswith(" R") else v

    root = get(trailer["/Root"])
    if root.get("/MarkInfo", {}).get("/Marked") is not True:
        bad.append("no /MarkInfo << /Marked true >>")
    if root.get("/ViewerPreferences", {}).get("/DisplayDocTitle") is not True:
        bad.append("no /DisplayDocTitle true")
    if root.get("/Lang") != "u:" + lang:
        bad.append("/Lang is %r" % root.get("/Lang"))
    tree_ref = root["/StructTreeRoot"]
    top = get(tree_ref)["/K"]
    if not (isinstance(top, list) and len(top) == 1):
        bad.append("the StructTreeRoot's /K is not one element: %r" % top)
        print("\n".join(bad))
        return 1
    doc = get(top[0])
    if doc.get("/S") != "/Document" or doc.get("/P") != tree_ref:
        bad.append("the top element is not a Document under the tree: %r" % doc)
    for kid in doc["/K"]:
        if get(kid).get("/P") != top[0]:
            bad.append("kid %s of the Document has /P %r" % (kid, get(kid).get("/P")))
    found = []

    def walk(el):
        if el.get("/S") == "/Figure":
            a = el.get("/Alt", "u:")
            found.append(a[2:] if a.startswith("u:") else a)
        kids = el.get("/K")
        for k in kids if isinstance(kids, list) else [kids]:
            k = get(k)
            if isinstance(k, dict) and "/S" in k:
                walk(k)

    walk(doc)
    if found != alts:
        bad.append("figures' alt text %r, expected %r" % (found, alts))
    labels = root.get("/PageLabels", {})
    nums = get(labels).get("/Nums", []) if labels else []
    # the cover's label is a word in the book's language ("Cover", "Umschlag"), not a number
    first = get(nums[1]).get("/P") if len(nums) >= 2 else None
    cover = isinstance(first, str) and not re.fullmatch(r"u:[ivxlcdm]+", first)
    bad += untagged_text(pdf, cover)[:10]
    print("\n".join(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
