#!/usr/bin/env python3
"""gen.py: a deterministic DocBook 5 book of about N pages, for `make bench`.

    bench/gen.py PAGES OUTDIR      writes OUTDIR/book-PAGES.xml and OUTDIR/img/*.svg

The same PAGES always gives the same bytes (a fixed xorshift generator, no `random`, no
dates). The book uses only elements octavo supports (`octavo check` passes): chapters with
sections, prose with emphasis, literals, acronyms, quotes, links, footnotes, cross-references
and index terms, itemized, ordered and variable lists, notes, CALS tables with a header,
program listings and figures (SVG). One chapter is about 15 A5 pages in the brochure theme;
PAGES is rounded to whole chapters.
"""
import os
import sys

PAGES_PER_CHAPTER = 15.1  # measured: 32 chapters made 486 pages, 127 made 1,905

WORDS = """
account action activity address advantage agreement amount analysis answer approach area
argument arrangement article aspect assembly attention authority balance basis behaviour
benefit boundary budget capacity category century chairman channel character choice circle
climate collection column committee community company comparison competition component
concept condition conference connection consequence constitution construction contact
content context contract contribution control convention conversation corner council
country course criterion culture customer decade decision definition degree delivery demand
department description design detail development difference difficulty dimension direction
discussion distance distribution document economy edition education effect efficiency effort
element emphasis employment energy engine environment equipment estimate evaluation evidence
example exception exchange exercise existence experience experiment expression extension
facility factor failure feature figure finance framework function garden generation
government gradient guidance harbour heritage history household hypothesis identity
implication importance improvement incident increase indicator industry influence information
initiative instance institution instrument intention interest interpretation introduction
investment judgement knowledge landscape language leadership legislation library limitation
literature location machine maintenance majority management material measurement mechanism
membership memory message method minister minority moment movement narrative negotiation
network number objective observation occasion operation opinion opportunity organisation
outcome paragraph parameter participation partnership passage pattern percentage performance
period perspective phenomenon philosophy platform pleasure population position possibility
potential practice preference presence pressure principle priority probability procedure
process production profession programme progress project property proportion proposal
protection publication purpose quality quantity question reaction reality recognition
recommendation reference reflection region regulation relation relationship replacement
representative reputation requirement research resolution resource response responsibility
restriction revolution schedule science section security selection sentence sequence service
settlement shoulder signature situation society solution specification statement strategy
structure substance suggestion summary supply surface survey symbol system technique
technology temperature tendency territory theory tradition transfer transition treatment
understanding university variation vegetation version village violence visitor volume
weather welfare window witness workshop
""".split()

ADJECTIVES = """
accurate additional adequate administrative alternative annual apparent appropriate available
central careful certain characteristic commercial common comparable complex comprehensive
considerable consistent constant contemporary conventional corresponding critical cultural
current different distinct domestic dramatic economic effective electronic elementary
essential eventual evident exceptional existing experimental external familiar fundamental
general generous gradual historical identical important independent individual industrial
informal inevitable initial intermediate internal international legitimate literary local
logical magnificent marginal maximum minimal moderate modest multiple mutual national
natural necessary negative normal notable numerous objective obvious occasional official
operational ordinary original particular permanent personal physical political popular
positive potential practical precise preliminary previous primary principal professional
proportional provisional quantitative rational realistic reasonable regional regular
relative relevant reliable remarkable representative respective responsible scientific
secondary selective sensible separate significant similar simultaneous social specific stable
statistical strategic structural subsequent substantial sufficient suitable systematic
technical temporary theoretical traditional typical uncertain universal unusual valuable
various visible voluntary
""".split()

VERBS = """
accepts achieves acquires addresses adjusts affects allows announces anticipates applies
approaches arranges assesses assumes attracts avoids balances becomes challenges changes
clarifies collects combines compares completes concerns confirms considers constitutes
contains continues contributes controls converts covers creates defines delivers demonstrates
describes determines develops distinguishes emphasises enables encourages establishes
estimates examines expands explains expresses extends follows generates guarantees identifies
illustrates implies improves includes increases indicates influences introduces involves
justifies limits maintains measures modifies observes obtains offers organises outlines
performs permits presents preserves prevents produces promotes protects provides recognises
reduces reflects regards reinforces replaces represents requires resolves restricts reveals
selects separates shapes simplifies strengthens summarises supports sustains transforms
""".split()

LINKS = ["then", "while", "although", "because", "so that", "whereas", "since", "and", "but",
         "unless", "once", "until"]

CODE_WORDS = ["buffer", "count", "index", "limit", "node", "offset", "page", "queue", "result",
              "size", "state", "table", "value", "width", "height", "line", "item", "entry"]


class Rng:
    """xorshift64*: the same numbers on every Python and machine."""

    def __init__(self, seed):
        self.s = (seed * 0x9E3779B97F4A7C15 + 1) & 0xFFFFFFFFFFFFFFFF

    def next(self):
        s = self.s
        s ^= (s >> 12)
        s ^= (s << 25) & 0xFFFFFFFFFFFFFFFF
        s ^= (s >> 27)
        self.s = s
        return (s * 0x2545F4914F6CDD1D) & 0xFFFFFFFFFFFFFFFF

    def below(self, n):
        return (self.next() >> 11) % n

    def pick(self, seq):
        return seq[self.below(len(seq))]

    def chance(self, percent):
        return self.below(100) < percent


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Book:
    def __init__(self, pages):
        self.r = Rng(pages)
        self.chapters = max(1, int(round(pages / PAGES_PER_CHAPTER)))
        self.out = []
        self.targets = []      # ids that can be cross-referenced so far
        self.index_terms = []

    def w(self, line):
        self.out.append(line)

    # ---- inline text ----
    def phrase(self):
        r = self.r
        return "%s %s" % (r.pick(ADJECTIVES), r.pick(WORDS))

    def clause(self):
        r = self.r
        words = ["the", self.phrase(), r.pick(VERBS)]
        if r.chance(50):
            words += ["a", self.phrase()]
        else:
            words += ["the", r.pick(WORDS), "of", "the", self.phrase()]
        return " ".join(words)

    def sentence(self, inline=True):
        r = self.r
        s = self.clause()
        if r.chance(60):
            s += " " + r.pick(LINKS) + " " + self.clause()
        if r.chance(25):
            s += ", " + r.pick(LINKS) + " " + self.clause()
        s = s[0].upper() + s[1:]
        if not inline:
            return esc(s) + "."
        words = s.split(" ")
        # inline markup on a word or two
        k = r.below(len(words))
        roll = r.below(100)
        if roll < 12:
            words[k] = "<emphasis>%s</emphasis>" % words[k]
        elif roll < 20:
            words[k] = "<literal>%s_%s</literal>" % (r.pick(CODE_WORDS), r.pick(CODE_WORDS))
        elif roll < 25:
            words[k] = "<emphasis role=\"bold\">%s</emphasis>" % words[k]
        elif roll < 29:
            words[k] = "<quote>%s %s</quote>" % (words[k], r.pick(WORDS))
        elif roll < 32:
            words[k] = "<acronym>%s</acronym>" % r.pick(["UN", "OSCE", "GNI", "NGO", "ISO", "EU"])
        elif roll < 35:
            words[k] = "<link xlink:href=\"https://example.org/%s\">%s</link>" % (r.pick(WORDS), words[k])
        if r.chance(10):
            term = r.pick(WORDS)
            sub = r.pick(ADJECTIVES)
            words[k] += "<indexterm><primary>%s</primary><secondary>%s</secondary></indexterm>" % (term, sub)
        s = " ".join(words) + "."
        if self.targets and r.chance(6):
            s += " (See <xref linkend=\"%s\"/>.)" % r.pick(self.targets)
        return s

    def para(self, n_min=3, n_max=7, notes=True):
        r = self.r
        n = n_min + r.below(n_max - n_min + 1)
        parts = [self.sentence() for _ in range(n)]
        if notes and r.chance(30):
            k = r.below(len(parts))
            note = "<footnote><para>%s %s</para></footnote>" % (self.sentence(), self.sentence(False))
            cut = parts[k].rfind(".")   # the mark after the sentence's last word
            parts[k] = parts[k][:cut] + note + parts[k][cut:]
        self.w("<para>%s</para>" % " ".join(parts))

    # ---- blocks ----
    def itemized(self):
        r = self.r
        self.w("<itemizedlist>")
        for _ in range(3 + r.below(4)):
            self.w("<listitem><para>%s</para></listitem>" % self.sentence())
        self.w("</itemizedlist>")

    def ordered(self):
        r = self.r
        self.w("<orderedlist>")
        for _ in range(3 + r.below(3)):
            self.w("<listitem><para>%s %s</para></listitem>" % (self.sentence(), self.sentence()))
        self.w("</orderedlist>")

    def variable(self):
        r = self.r
        self.w("<variablelist>")
        for _ in range(3 + r.below(3)):
            self.w("<varlistentry><term><literal>%s</literal></term><listitem><para>%s</para></listitem></varlistentry>"
                   % (r.pick(CODE_WORDS) + "_" + r.pick(CODE_WORDS), self.sentence()))
        self.w("</variablelist>")

    def note(self):
        kind = self.r.pick(["note", "tip", "warning", "important"])
        self.w("<%s>" % kind)
        self.para(2, 3, notes=False)
        self.w("</%s>" % kind)

    def table(self, cid, k):
        r = self.r
        tid = "%s-tab-%d" % (cid, k)
        cols = 4
        self.w("<table xml:id=\"%s\"><title>The %s of the %s</title>" % (tid, r.pick(WORDS), self.phrase()))
        self.w("<tgroup cols=\"%d\">" % cols)
        for c in range(cols):
            self.w("<colspec colname=\"c%d\" colwidth=\"%d*\"/>" % (c + 1, 2 if c == 0 else 1))
        self.w("<thead><row>%s</row></thead>" % "".join(
            "<entry>%s</entry>" % r.pick(WORDS).capitalize() for _ in range(cols)))
        self.w("<tbody>")
        for _ in range(5 + r.below(8)):
            cells = ["<entry>%s</entry>" % self.phrase()]
            cells += ["<entry>%d.%d</entry>" % (r.below(1000), r.below(100)) for _ in range(cols - 1)]
            self.w("<row>%s</row>" % "".join(cells))
        self.w("</tbody></tgroup></table>")
        self.targets.append(tid)

    def code(self):
        r = self.r
        lines = []
        fn = r.pick(CODE_WORDS) + "_" + r.pick(VERBS)
        lines.append("static int")
        lines.append("%s(struct %s *%s, size_t %s)" % (fn, r.pick(CODE_WORDS), r.pick(CODE_WORDS),
                                                      r.pick(CODE_WORDS)))
        lines.append("{")
        for _ in range(4 + r.below(10)):
            a, b = r.pick(CODE_WORDS), r.pick(CODE_WORDS)
            roll = r.below(4)
            if roll == 0:
                lines.append("\tif (%s &gt; %s)\n\t\treturn -1;" % (a, b))
            elif roll == 1:
                lines.append("\t%s += %s * %d;   /* %s */" % (a, b, r.below(64), self.phrase()))
            elif roll == 2:
                lines.append("\tfor (size_t i = 0; i &lt; %s; i++)\n\t\t%s[i] = %s_%s(%s, i);"
                             % (a, b, a, r.pick(VERBS), b))
            else:
                lines.append("\t%s = %s_%s(&amp;%s);" % (a, b, r.pick(VERBS), a))
        lines.append("\treturn 0;")
        lines.append("}")
        self.w("<programlisting language=\"c\">%s</programlisting>" % "\n".join(lines))

    def figure(self, cid, k):
        r = self.r
        fid = "%s-fig-%d" % (cid, k)
        img = "img/chart-%d.svg" % (r.below(4) + 1)
        self.w("<figure xml:id=\"%s\"><title>The %s</title>" % (fid, self.phrase()))
        self.w("<mediaobject><imageobject><imagedata fileref=\"%s\" width=\"60%%\"/></imageobject>" % img)
        self.w("<textobject><phrase>A bar chart of the %s</phrase></textobject></mediaobject></figure>"
               % self.phrase())
        self.targets.append(fid)

    def section(self, cid, s):
        r = self.r
        sid = "%s-sec-%d" % (cid, s)
        self.w("<section xml:id=\"%s\"><title>%s</title>" % (sid, self.phrase().capitalize()))
        for k in range(4):
            self.para()
            roll = r.below(10)
            if k == 1:
                (self.itemized if r.chance(60) else self.ordered)()
            elif k == 2 and roll < 5:
                self.code()
            elif k == 2 and roll < 7:
                self.variable()
            elif k == 3 and roll < 3:
                self.note()
        if s % 2 == 0:
            self.table(cid, s)
        else:
            self.figure(cid, s)
        self.para()
        self.para()
        self.w("</section>")
        self.targets.append(sid)

    def chapter(self, c):
        cid = "ch%d" % c
        self.w("<chapter xml:id=\"%s\"><title>%s</title>" % (cid, self.phrase().capitalize()))
        self.para()
        self.para()
        for s in range(1, 5):
            self.section(cid, s)
        self.w("</chapter>")
        self.targets.append(cid)

    def write(self):
        self.w("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        self.w("<book xmlns=\"http://docbook.org/ns/docbook\" xmlns:xlink=\"http://www.w3.org/1999/xlink\""
               " version=\"5.0\" xml:lang=\"en\">")
        self.w("<info><title>A Generated Book of %d Chapters</title>" % self.chapters)
        self.w("<subtitle>Prose, lists, notes, tables, code and figures for the benchmark</subtitle>")
        self.w("<author><personname><firstname>Octavo</firstname><surname>Bench</surname></personname></author>")
        self.w("<date>2024-01-01</date>")
        self.w("<abstract><para>%s %s</para></abstract></info>" % (self.sentence(False), self.sentence(False)))
        self.w("<preface><title>About this book</title>")
        self.para(4, 6, notes=False)
        self.w("</preface>")
        for c in range(1, self.chapters + 1):
            self.chapter(c)
        self.w("</book>")
        return "\n".join(self.out) + "\n"


def chart_svg(k):
    r = Rng(1000 + k)
    bars = []
    for i in range(8):
        h = 20 + r.below(140)
        bars.append('<rect x="%d" y="%d" width="30" height="%d" fill="#%02x%02x%02x"/>'
                    % (20 + i * 45, 180 - h, h, 40 + r.below(120), 80 + r.below(100), 140 + r.below(100)))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 400 200">\n'
            '<rect width="400" height="200" fill="#ffffff"/>\n'
            '<line x1="10" y1="180" x2="390" y2="180" stroke="#333333" stroke-width="2"/>\n'
            + "\n".join(bars) + "\n</svg>\n")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen.py PAGES OUTDIR")
    pages = int(sys.argv[1])
    outdir = sys.argv[2]
    os.makedirs(os.path.join(outdir, "img"), exist_ok=True)
    for k in range(1, 5):
        with open(os.path.join(outdir, "img", "chart-%d.svg" % k), "w", encoding="utf-8") as f:
            f.write(chart_svg(k))
    path = os.path.join(outdir, "book-%d.xml" % pages)
    with open(path, "w", encoding="utf-8") as f:
        f.write(Book(pages).write())
    print(path)


if __name__ == "__main__":
    main()
