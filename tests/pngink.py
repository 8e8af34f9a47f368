#!/usr/bin/env python3
"""usage: pngink.py FILE.png...  — exit 1 if a PNG is blank (a single colour) or cannot be
decoded whole.

Decodes the image data (all PNG filter types; grey, RGB, indexed, with alpha; 8 bits a
sample), checks that it holds every row, and looks for more than one pixel value."""
import struct
import sys
import zlib


def pixels(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG"
    pos, idat, w, h, bpp = 8, b"", 0, 0, 3
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            bpp = {2: 3, 6: 4, 0: 1, 4: 2, 3: 1}[ctype] * depth // 8
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, prev, out = zlib.decompress(idat), w * bpp, bytearray(w * bpp), set()
    assert len(raw) == (stride + 1) * h, f"{path}: {len(raw)} bytes of image data for {h} rows of {stride}"
    for y in range(h):
        f, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = row[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pred = {0: 0, 1: a, 2: b, 3: (a + b) // 2,
                    4: a if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - c) else b if abs(p - b) <= abs(p - c) else c}[f]
            row[i] = (row[i] + pred) & 0xFF
        out.update(bytes(row[i:i + bpp]) for i in range(0, stride, bpp))
        if len(out) > 1:
            return len(out)
        prev = row
    return len(out)


bad = [p for p in sys.argv[1:] if pixels(p) <= 1]
for p in bad:
    print(f"{p} is blank")
sys.exit(1 if bad else 0)
