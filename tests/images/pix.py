#!/usr/bin/env python3
"""usage: pix.py FILE.ppm box            -> "x0 y0 x1 y1" of the pixels that are not near white
       pix.py FILE.ppm at X Y           -> "R G B" of one pixel
       pix.py FILE.ppm count R G B      -> how many pixels are within 40 of that colour
       pix.py FILE.ppm cbox R G B       -> "x0 y0 x1 y1" of the pixels within 40 of that colour

Reads the binary PPM (P6) that pdftoppm writes without -png: no image library needed."""
import sys


def read(path):
    data = open(path, "rb").read()
    fields, pos = [], 0
    while len(fields) < 4:  # P6, width, height, maxval; comments start with #
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    assert fields[0] == b"P6", f"{path}: not a binary PPM"
    return int(fields[1]), int(fields[2]), data[pos + 1:]


def main():
    path, what = sys.argv[1], sys.argv[2]
    w, h, px = read(path)
    if what == "at":
        x, y = int(sys.argv[3]), int(sys.argv[4])
        print(*px[3 * (y * w + x):3 * (y * w + x) + 3])
    elif what == "count":
        want = [int(v) for v in sys.argv[3:6]]
        print(sum(1 for i in range(0, 3 * w * h, 3)
                  if all(abs(px[i + k] - want[k]) <= 40 for k in range(3))))
    elif what == "cbox":
        want = [int(v) for v in sys.argv[3:6]]
        x0, y0, x1, y1 = w, h, -1, -1
        for i in range(0, 3 * w * h, 3):
            if all(abs(px[i + k] - want[k]) <= 40 for k in range(3)):
                x, y = (i // 3) % w, (i // 3) // w
                x0, x1, y0, y1 = min(x0, x), max(x1, x), min(y0, y), max(y1, y)
        print(x0, y0, x1, y1)
    elif what == "box":
        x0, y0, x1, y1 = w, h, -1, -1
        for y in range(h):
            row = px[3 * y * w:3 * (y + 1) * w]
            xs = [i // 3 for i in range(0, len(row), 3) if min(row[i], row[i + 1], row[i + 2]) < 200]
            if xs:
                x0, x1, y0, y1 = min(x0, xs[0]), max(x1, xs[-1]), min(y0, y), y
        print(x0, y0, x1, y1)


main()
