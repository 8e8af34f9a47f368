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
