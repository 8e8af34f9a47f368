#!/usr/bin/env python3
"""Writes a DocBook 5 book with one very long chapter (about 700 KB of XHTML) for the checks
of an EPUB's pages of bounded size: 30 sections, one of them long enough to be cut before its
own sections, a paragraph after a section, footnotes, cross-references both ways across the
pieces, index terms, lists, tables and code; a short chapter that refers into the long one.

usage: longbook.py FILE.xml
"""
import random
import sys

WORDS = ("harbour lantern meridian quorum ledger tidal cobalt orchard vellum signal basalt "
         "compass ferry granite hollow ink juniper kestrel lattice marrow nectar oxbow pilgrim "
         "quill rampart saffron thistle umber vessel willow yarrow zenith").split()


def prose(rng, n):
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def para(rng, n=90):
    return f"<para>{prose(rng, n)}</para>\n"


def section(rng, i, tag="section", paras=9, inner=0):
    out = [f'<{tag} xml:id="s{i}"><title>Section {i} {rng.choice(WORDS)}</title>\n']
    out.append(f"<para>Opening of section {i}<indexterm><primary>{WORDS[i % len(WORDS)]}</primary></indexterm> "
               f"with a note<footnote><para>Note of section {i}.</para></footnote>")
    if i > 1:
        out.append(f' and a reference back to <xref linkend="s{i - 1}"/>')
    if i < 30:
        out.append(f' and forward to <xref linkend="s{i + 1}"/>')
    out.append(".</para>\n")
    for _ in range(paras):
        out.append(para(rng))
    out.append("<itemizedlist>" + "".join(f"<listitem><para>{prose(rng, 8)}</para></listitem>" for _ in range(4)) + "</itemizedlist>\n")
    out.append("<informaltable><tgroup cols='2'><tbody>" + "".join(
        f"<row><entry>{rng.choice(WORDS)}</entry><entry>{rng.randint(1, 999)}</entry></row>" for _ in range(4)) + "</tbody></tgroup></informaltable>\n")
    out.append(f"<programlisting>print({i})\nreturn {i}</programlisting>\n")
    for j in range(inner):
        out.append(f'<section xml:id="s{i}-{j}"><title>Part {j} of section {i}</title>\n')
        out.append(f'<para>Inner {i}.{j}, see <xref linkend="s{(i + 7) % 30 + 1}"/>.<footnote><para>Inner note {i}.{j}.</para></footnote></para>\n')
        for _ in range(40):
            out.append(para(rng))
        out.append("</section>\n")
    out.append(f"</{tag}>\n")
    return "".join(out)


def main():
    rng = random.Random(7)
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<book xmlns="http://docbook.org/ns/docbook" version="5.0" xml:lang="en">\n'
           '<info><title>A Long Chapter</title><author><personname>Test Writer</personname></author></info>\n'
           '<preface xml:id="pre"><title>Preface</title>' + para(rng, 40) + '</preface>\n'
           '<chapter xml:id="long"><title>The Long Chapter</title>\n'
           '<para>Before the sections, a reference to <xref linkend="s20"/> and a note<footnote><para>The intro note.</para></footnote>.</para>\n']
    out.append(para(rng))
    for i in range(1, 31):
        out.append(section(rng, i, inner=10 if i == 5 else 0))
        if i == 7:
            out.append("<para>A paragraph after section 7, before section 8.</para>\n")
    out.append("</chapter>\n<chapter xml:id='short'><title>The Short Chapter</title>\n"
               "<para>See <xref linkend='s3'/>, <xref linkend='s5-4'/> and <xref linkend='long'/>.</para></chapter>\n"
               "<index/>\n</book>\n")
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        f.write("".join(out))


if __name__ == "__main__":
    main()
