#!/usr/bin/env python3
"""A long DocBook book of real prose: the GPL's paragraphs (Debian's base-files has the text).

usage: prose.py OUT.xml [--times N] [--sections]
--times N repeats the text N times; --sections puts it in sections under the GPL's headings.
"""
import html
import re
import sys

out, times, sections = sys.argv[1], 1, "--sections" in sys.argv
if "--times" in sys.argv:
    times = int(sys.argv[sys.argv.index("--times") + 1])
text = open("/usr/share/common-licenses/GPL-3").read()
parts, open_sec = [], False
for p in (re.sub(r"\s+", " ", p).strip() for p in text.split("\n\n")):
    if sections and 40 < len(p) < 80:
        parts.append(("</section>" if open_sec else "") + "<section><title>" + html.escape(p[:60]) + "</title>")
        open_sec = True
    elif len(p) > 200 or (sections and open_sec and len(p) >= 80):
        parts.append("<para>" + html.escape(p) + "</para>")
body = "\n".join(parts) + ("</section>" if open_sec else "")
with open(out, "w") as f:
    f.write('<book xmlns="http://docbook.org/ns/docbook" version="5.0" xml:lang="en"><title>Prose</title>'
            "<chapter><title>Terms</title>\n" + (body + "\n") * times + "</chapter></book>\n")
