#!/usr/bin/env python3
"""fontcheck.py: the EPUB's font subsets against the bundled fonts (tests/t-fonts.sh).

    tests/fontcheck.py BOOK.epub FONTS_DIR

For every font in the EPUB (OEBPS/fonts/NAME.ttf, made from FONTS_DIR/NAME.ttf), checks that
every character of the package's XHTML text, style sheet and NCX that the original font maps
is mapped by the subset too; that the subset is smaller; that it keeps the copyright and
licence records; and that a font declaring Reserved Font Names (SIL OFL) does not carry them
in its primary names (family, full name, PostScript name, typographic family), while a font
without any keeps its names. Standard library only. Prints one line per font; exit 1 on a
failure.
"""
import re
import struct
import sys
import zipfile


def tables(data):
    n = struct.unpack(">H", data[4:6])[0]
    res = {}
    for i in range(n):
        tag, _, off, ln = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        res[tag.decode("latin-1")] = data[off:off + ln]
    return res


def cmap(data):
    """The characters a font maps (from its Unicode cmap subtables, formats 4 and 12)."""
    t = tables(data)["cmap"]
    n = struct.unpack(">H", t[2:4])[0]
    chars = set()
    for i in range(n):
        plat, enc, off = struct.unpack(">HHI", t[4 + 8 * i:12 + 8 * i])
        if not (plat == 0 or (plat == 3 and enc in (1, 10))):
            continue
        fmt = struct.unpack(">H", t[off:off + 2])[0]
        if fmt == 4:
            segs = struct.unpack(">H", t[off + 6:off + 8])[0] // 2
            ends = struct.unpack(">%dH" % segs, t[off + 14:off + 14 + 2 * segs])
            base = off + 16 + 2 * segs
            starts = struct.unpack(">%dH" % segs, t[base:base + 2 * segs])
            deltas = struct.unpack(">%dh" % segs, t[base + 2 * segs:base + 4 * segs])
            ro_base = base + 4 * segs
            ros = struct.unpack(">%dH" % segs, t[ro_base:ro_base + 2 * segs])
            for k in range(segs):
                for c in range(starts[k], ends[k] + 1):
                    if c == 0xFFFF:
                        continue
                    if ros[k] == 0:
                        g = (c + deltas[k]) & 0xFFFF
                    else:
                        at = ro_base + 2 * k + ros[k] + 2 * (c - starts[k])
                        g = struct.unpack(">H", t[at:at + 2])[0]
                        g = (g + deltas[k]) & 0xFFFF if g else 0
                    if g:
                        chars.add(c)
        elif fmt == 12:
            ngroups = struct.unpack(">I", t[off + 12:off + 16])[0]
            for k in range(ngroups):
                a, b, g = struct.unpack(">III", t[off + 16 + 12 * k:off + 28 + 12 * k])
                chars.update(range(a, b + 1))
    return chars


def names(data):
    t = tables(data)["name"]
    _, count, so = struct.unpack(">HHH", t[:6])
    res = {}
    for i in range(count):
        plat, enc, lang, nid, ln, off = struct.unpack(">HHHHHH", t[6 + 12 * i:18 + 12 * i])
        raw = t[so + off:so + off + ln]
        if plat == 3 or plat == 0:
            res.setdefault(nid, raw.decode("utf-16-be", "replace"))
    return res


def main():
    epub, fonts_dir = sys.argv[1:3]
    z = zipfile.ZipFile(epub)
    text = set()
    for name in z.namelist():
        if name.endswith((".xhtml", ".css", ".ncx")):
            s = z.read(name).decode("utf-8")
            s = re.sub(r"<[^>]*>", " ", s)  # the text, not the markup
            text.update(ord(c) for c in s)
    failed = False
    fonts = [n for n in z.namelist() if n.startswith("OEBPS/fonts/")]
    if not fonts:
        print("no fonts in %s" % epub)
        return 1
    for name in fonts:
        sub = z.read(name)
        orig = open("%s/%s" % (fonts_dir, name.rsplit("/", 1)[1]), "rb").read()
        missing = sorted(c for c in text if c in cmap(orig) and c not in cmap(sub))
        on, sn = names(orig), names(sub)
        decl = on.get(0, "") + "\n" + on.get(13, "")   # copyright and licence records
        rfn = re.findall(r'"([^"]+)"', decl.split("Reserved Font Name")[1].split(".")[0]) \
            if "Reserved Font Name" in decl else []
        problems = []
        if missing:
            problems.append("lacks " + " ".join("U+%04X" % c for c in missing[:20]))
        if len(sub) >= len(orig):
            problems.append("not smaller (%d >= %d bytes)" % (len(sub), len(orig)))
        for nid in (0, 13):
            if on.get(nid) and sn.get(nid) != on.get(nid):
                problems.append("name %d (copyright/licence) changed or dropped" % nid)
        for nid in (1, 4, 6, 16):
            if nid not in sn:
                continue
            if rfn and any(r in sn[nid] for r in rfn):
                problems.append("name %d %r uses a Reserved Font Name %s" % (nid, sn[nid], rfn))
            if not rfn and on.get(nid) != sn[nid]:
                problems.append("name %d renamed without reason: %r -> %r" % (nid, on.get(nid), sn[nid]))
        print("%s: %s (%d of %d bytes, %d characters, reserved names %s)" % (
            name, "; ".join(problems) or "ok", len(sub), len(orig), len(cmap(sub)), rfn or "none"))
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
