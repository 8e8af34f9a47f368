#!/usr/bin/env python3
"""Pathological but valid books, written at test time (never committed: some are megabytes).

usage: gen.py DIR [NAME...]    writes DIR/NAME.xml for each case (all when none is named)

Every word of every case is distinct or numbered, so the text-fidelity checks can tell a lost
or reordered word. Output is deterministic.
"""
import os
import sys

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<book xmlns="http://docbook.org/ns/docbook" version="5.0" xml:lang="en">\n'
        '<title>{title}</title>\n')


def book(title, body):
    return HEAD.format(title=title) + body + "</book>\n"


def chapter(title, body, cid="ch"):
    return f'<chapter xml:id="{cid}"><title>{title}</title>\n{body}</chapter>\n'


def words(n, seed):
    """n pseudo-words, deterministic, each 3 to 9 letters; every tenth carries a number."""
    out, x = [], seed
    letters = "abcdefghijklmnopqrstuvwxyz"
    for i in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        w = "".join(letters[(x >> (3 * k)) % 26] for k in range(3 + x % 7))
        out.append(w + str(i) if i % 10 == 0 else w)
    return out


DEPTH = 20_000


def deep_quote():
    # 20,000 nested blockquotes, a numbered paragraph at every level
    body = "".join(f"<blockquote><para>quote{i}</para>\n" for i in range(DEPTH))
    body += "<para>bottom of the quotations</para>" + "</blockquote>" * DEPTH + "\n"
    return book("Deep Quotations", chapter("Quotations", body))


def deep_list():
    # 20,000 nested lists, itemized and ordered by turns, a numbered item at every level
    body = ""
    for i in range(DEPTH):
        kind = "orderedlist" if i % 2 else "itemizedlist"
        body += f"<{kind}><listitem><para>item{i}</para>\n"
    body += "<para>bottom of the lists</para>"
    for i in reversed(range(DEPTH)):
        kind = "orderedlist" if i % 2 else "itemizedlist"
        body += f"</listitem></{kind}>"
    return book("Deep Lists", chapter("Lists", body + "\n"))


def deep_inline():
    # 20,000 nested inline elements in one paragraph, a word in each
    tags = ("emphasis", "phrase", "literal", "quote")
    body = "<para>"
    for i in range(DEPTH):
        body += f"<{tags[i % 4]}>in{i} "
    body += "core"
    for i in reversed(range(DEPTH)):
        body += f"</{tags[i % 4]}>"
    return book("Deep Inlines", chapter("Inlines", body + "</para>\n"))


def long_word():
    # one word of 200,000 letters between two ordinary ones
    w = ("pneumonoultramicroscopicsilicovolcanoconiosis" * 5000)[:200_000]
    return book("A Long Word", chapter("The Word", f"<para>before {w} after</para>\n"))


def big_table():
    rows = "".join(f"<row><entry>r{i}</entry><entry>{' '.join(words(3, i))}</entry><entry>{i * 7}</entry></row>\n"
                   for i in range(5000))
    t = ('<table><title>Five thousand rows</title><tgroup cols="3">'
         "<thead><row><entry>Row</entry><entry>Words</entry><entry>Number</entry></row></thead>\n"
         f"<tbody>{rows}</tbody></tgroup></table>\n")
    return book("A Big Table", chapter("Rows", t))


def big_para():
    # one paragraph of a little over 1 MB
    ws, n = [], 0
    for w in words(200_000, 7):
        ws.append(w)
        n += len(w) + 1
        if n > 1_000_000:
            break
    return book("A Big Paragraph", chapter("Paragraph", "<para>" + " ".join(ws) + "</para>\n"))


def many_footnotes():
    paras = "".join(f"<para>call{i}<footnote><para>note{i}</para></footnote> text{i}.</para>\n"
                    for i in range(10_000))
    return book("Many Footnotes", chapter("Notes", paras))


def many_chapters():
    return book("Many Chapters",
                "".join(chapter(f"Chapter title{i}", f"<para>body{i}</para>", f"c{i}") for i in range(10_000)))


CASES = {
    "deep-quote": deep_quote, "deep-list": deep_list, "deep-inline": deep_inline,
    "long-word": long_word, "big-table": big_table, "big-para": big_para,
    "many-footnotes": many_footnotes, "many-chapters": many_chapters,
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name in sys.argv[2:] or CASES:
        with open(os.path.join(out, name + ".xml"), "w", encoding="utf-8") as f:
            f.write(CASES[name]())


if __name__ == "__main__":
    main()
