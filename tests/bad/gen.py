#!/usr/bin/env python3
"""Generate the bad-input files of tests/bad/ that are awkward to write by hand.

Run from anywhere: python3 tests/bad/gen.py
Writes (next to this script): empty.xml, bad-utf8.xml, entity-bomb.xml,
entity-quadratic.xml.
(Deep nesting is valid up to 100,000 levels: tests/t-robust.sh writes its cases at test time.)  Output is deterministic.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
NS = 'xmlns="http://docbook.org/ns/docbook" version="5.0" xml:lang="en"'


def write(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def book(title, chap_id, body, doctype=""):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + doctype
        + "<book " + NS + ">\n"
        + "  <title>" + title + "</title>\n"
        + '  <chapter xml:id="' + chap_id + '">\n'
        + "    <title>" + title + "</title>\n"
        + body
        + "  </chapter>\n"
        + "</book>\n"
    )


# 0 bytes.
write("empty.xml", b"")

# Invalid UTF-8 on line 6: a Latin-1 e-acute (0xE9) and a lone 0xFF byte.
write(
    "bad-utf8.xml",
    book(
        "Bad UTF-8", "ch-bad-utf8",
        "    <para>The caf\x00 on the corner sells \x01 coffee.</para>\n",
    ).encode("utf-8").replace(b"\x00", b"\xe9").replace(b"\x01", b"\xff"),
)

# Billion laughs: lol0 = "lol", lolN = 10 x lol(N-1), N = 1..9; &lol9; is
# 10^9 copies of "lol" (3 GB).
ents = ['<!ENTITY lol0 "lol">']
for n in range(1, 10):
    ents.append('<!ENTITY lol%d "%s">' % (n, ("&lol%d;" % (n - 1)) * 10))
write(
    "entity-bomb.xml",
    book(
        "Entity Bomb", "ch-bomb",
        "    <para>&lol9;</para>\n",
        doctype="<!DOCTYPE book [\n" + "\n".join(ents) + "\n]>\n",
    ),
)

# Quadratic blowup: one ~50 KB internal entity referenced 50,000 times
# (about 2.5 GB once expanded), in a file of about 200 KB.
sentence = "Quadratic blowup repeats one large entity many times over. "
text = (sentence * (50_000 // len(sentence) + 1))[:50_000]
refs = "\n".join("      " + "&a;" * 100 for _ in range(500))  # 500 x 100 = 50,000
write(
    "entity-quadratic.xml",
    book(
        "Quadratic Blowup", "ch-quadratic",
        "    <para>\n" + refs + "\n    </para>\n",
        doctype='<!DOCTYPE book [\n<!ENTITY a "' + text + '">\n]>\n',
    ),
)


# ---- damaged and hostile images (tests/bad/img/), each used by one book ----
import struct  # noqa: E402
import zlib  # noqa: E402

os.makedirs(os.path.join(HERE, "img"), exist_ok=True)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(w, h, idat=None):
    raw = b"".join(b"\x00" + b"\xcc\x22\x22" * w for _ in range(h)) if idat is None else idat
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + png_chunk(b"IDAT", zlib.compress(raw)) + png_chunk(b"IEND", b""))


good = png(16, 16)
write("img/truncated.png", good[:70])                      # cut inside the image data
# every row starts with filter type 9 (there are five): well-formed chunks, undecodable data
write("img/corrupt.png", png(16, 16, b"".join(b"\x09" + b"\xcc\x22\x22" * 16 for _ in range(16))))
write("img/megapixels.png", png(30000, 30000, b"\x00" * 64))  # 900 megapixels claimed
write("img/giant.png", png(1000000, 1000000, b"\x00"))        # a side of a million pixels
write("img/zero.png", png(0, 0, b""))
with open(os.path.join(HERE, "..", "docs", "img", "dot.jpg"), "rb") as f:
    jpeg = f.read()
write("img/truncated.jpg", jpeg[: len(jpeg) // 2])
write("img/corrupt.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 2)
write("img/corrupt.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="5"\n')
write("img/huge.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="1e9" height="1e9"><rect width="5" height="5"/></svg>\n')
write("img/external.svg",
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="20" height="20">\n'
      '  <image xlink:href="../../../../../../../../../../etc/passwd" width="10" height="10"/>\n'
      '  <rect x="10" width="10" height="10" fill="red"/>\n</svg>\n')
write("img/external-css.svg",
      '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">\n'
      '  <style>rect { fill: url(file:///etc/passwd#x); }</style>\n  <rect width="10" height="10"/>\n</svg>\n')

IMAGES = [
    ("image-truncated-png", "img/truncated.png"), ("image-corrupt-png", "img/corrupt.png"),
    ("image-megapixels", "img/megapixels.png"), ("image-giant", "img/giant.png"), ("image-zero", "img/zero.png"),
    ("image-truncated-jpeg", "img/truncated.jpg"), ("image-corrupt-jpeg", "img/corrupt.jpg"),
    ("image-corrupt-svg", "img/corrupt.svg"), ("image-huge-svg", "img/huge.svg"),
    ("image-svg-external", "img/external.svg"), ("image-svg-external-css", "img/external-css.svg"),
    ("image-escape", "../docs/img/dot.png"), ("image-absolute", "/etc/passwd"),
]
for name, ref in IMAGES:
    write(name + ".xml", book(
        "Bad Image", "ch-" + name,
        "    <para>The figure below is broken.</para>\n"
        "    <informalfigure><mediaobject><imageobject>\n"
        '      <imagedata fileref="' + ref + '"/>\n'
        "    </imageobject><textobject><phrase>A broken picture</phrase></textobject></mediaobject></informalfigure>\n",
    ))
