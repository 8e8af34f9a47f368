#!/usr/bin/env python3
"""The tagged structure octavo writes into a PDF, read back through qpdf --json: /MarkInfo,
/ViewerPreferences, /Lang, one Document element under the StructTreeRoot whose every kid
points back to it, and the figures' /Alt in document order.

usage: tagcheck.py FILE.pdf LANG ALT... (an empty ALT: the figure has no /Alt)"""
import json
import subprocess
import sys


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
    print("\n".join(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
