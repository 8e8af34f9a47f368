#!/usr/bin/env python3
"""Text fidelity: does every word of the book's model appear, in order, in an output?

usage: words.py OCTAVO BOOK.xml pdf FILE.pdf

The model's words come from `octavo dump` (text nodes in document order). Footnote text is
checked as its own sequence, since the PDF sets notes at the foot of the page. PDF text
comes from pdftotext; a word whose line ends in U+00AD or U+2010 (a break inside a long word) is
joined to its continuation on the next line, or on the next page past its running header. Prints the first missing word with its context and exits 1 if any is lost.
"""
import re
import subprocess
import sys
import os
import unicodedata

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "epub"))
from epubtool import unquote_dump as unquote  # noqa: E402  (one reader of dump's quoting)

# a word: a run of letters and digits, or one CJK character (those scripts have no spaces)
CJK = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff"
WORD = re.compile(r"[" + CJK + r"]|(?:[^\W" + CJK + r"]|\ufffd)+", re.UNICODE)
INLINE_BLOCKS = ("para", "title", "subtitle", "term", "attribution", "verbatim", "bridgehead")
# subtrees an output may set elsewhere than where the source has them: checked on their own
APART = ("footnote", "tfoot", "attribution", "subscript", "superscript", "figure-title")


def model_words(octavo, book, apart_kinds=APART):
    """The words of the model: the main sequence and the sequence of each apart kind (a reader
    that moves table captions may add "table-title")."""
    dump = subprocess.run([octavo, "dump", book], capture_output=True, text=True, check=True).stdout
    seqs = {"text": []}
    apart = []          # stack of (indent, kind)
    segment = []        # text of the current paragraph-like block, joined without spaces

    def flush():
        if segment:
            kind = apart[-1][1] if apart else "text"
            seqs.setdefault(kind, []).extend(WORD.findall("".join(segment)))
            segment.clear()

    parents = []        # stack of (indent, name) of element lines
    for line in dump.splitlines():
        if not line.startswith(" "):
            continue
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        deep = re.match(r"\[(\d+)\] ", body)  # a deep line gives its level as "[N] "
        if deep:
            indent, body = 2 * int(deep.group(1)), body[deep.end():]
        name = re.match(r"[a-z]+", body).group(0)
        tag = re.match(r"[a-z]+(?:<([a-z0-9]+)>)?", body).group(1) or name
        while parents and parents[-1][0] >= indent:
            parents.pop()
        if name == "title" and parents and parents[-1][1] in ("figure", "mediaobject"):
            tag = "figure-title"
        elif name == "title" and parents and parents[-1][1] in ("table", "informaltable"):
            tag = "table-title"
        parents.append((indent, tag))
        while apart and indent <= apart[-1][0]:
            flush()
            apart.pop()
        m = re.match(r'text "(.*)"$', body)
        if m:
            segment.append(unicodedata.normalize("NFKC", unquote(m.group(1))))
            continue
        if name in INLINE_BLOCKS or name not in ("emphasis", "code", "phrase", "link", "quote", "subscript",
                                                 "superscript", "xref", "anchor", "indexterm", "footnoteref"):
            flush()
        if name in apart_kinds or tag in apart_kinds:
            flush()
            apart.append((indent, tag if tag in apart_kinds else name))
    flush()
    return seqs


def pdf_words(path):
    """Words of the PDF's text; a word broken at a line's end (U+00AD there) keeps U+00AD as
    its last character: subsequence() joins it to its continuation."""
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", path, "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub("[\u200e\u200f\u202a-\u202e]", "", text)  # bidi controls pdftotext adds
    words = []
    for line in unicodedata.normalize("NFKC", text.replace("\u2010\n", "\u00ad\n")).split("\n"):
        found = WORD.findall(line.replace("\u00ad", ""))
        if found and line.rstrip().endswith("\u00ad"):
            found[-1] += "\u00ad"
        words.extend(found)
    return words


def joined(w, low, j):
    """If the word w starts at low[j] and continues in later pieces (each broken at a line's
    end, perhaps with a page's running header between), the index after its last piece."""
    rest = w
    while j < len(low):
        piece = low[j].rstrip("\u00ad")
        if not rest.startswith(piece) or not piece:
            return None
        rest = rest[len(piece):]
        if not rest:
            return j + 1
        if not low[j].endswith("\u00ad"):
            return None
        # the continuation: the next piece that begins the rest, past page furniture
        k = j + 1
        while k < len(low) and k < j + 12 and not (low[k] and rest.startswith(low[k].rstrip("\u00ad"))):
            k += 1
        if k >= len(low) or k >= j + 12:
            return None
        j = k
    return None


RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def mutool_words(path):
    text = subprocess.run(["mutool", "draw", "-F", "txt", path], capture_output=True, text=True).stdout
    return set(w.casefold() for w in WORD.findall(unicodedata.normalize("NFKC", text)))


def subsequence(want, have, present_rtl=frozenset()):
    """Index of the first word of want not found in order in have, or None. Right-to-left
    words need only be present (in present_rtl too): poppler extracts them letter by letter."""
    j = k = 0
    low = [w.casefold() for w in have]
    present = set(low) | present_rtl
    # Cairo 1.16 writes U+FFFD for some mandatory ligatures (Arabic lam-alef): in right-to-left
    # words only, U+FFFD stands for the one or two letters it drew
    fuzzy = [re.compile("^" + re.escape(w).replace("\ufffd", ".{1,2}") + "$") for w in present if "\ufffd" in w]
    for i, w in enumerate(want):
        w = w.casefold()
        if RTL.search(w):
            # right-to-left words come out of the PDF in visual order: checked for presence
            lam_alef = "\u0644\u0627" in w and fuzzy  # its ligature extracts as U+FFFD, segments reordered
            # (mutool may glue a word to a neighbouring number when it reorders a mixed line)
            glued = any(w in h for h in present_rtl)
            if w not in present and w[::-1] not in present and not any(f.match(w) for f in fuzzy) and not lam_alef and not glued:
                return i
            continue
        # a footnote mark, subscript or superscript may stand against its word: "blocks4"
        # holds "blocks", "h2o" holds "h" and then "o" (k: how far into low[j] is matched)
        while j < len(low):
            rest = low[j][k:].lstrip("0123456789") if k else low[j]
            if k == 0 and rest.endswith("\u00ad") and joined(w, low, j) is not None:
                j = joined(w, low, j)
                break
            if rest.rstrip("\u00ad") == w:
                j, k = j + 1, 0
                break
            if rest.startswith(w) and rest[len(w)].isdigit():
                k = len(low[j]) - len(rest) + len(w)
                break
            j, k = j + 1, 0
        else:
            return i
    return None


def main():
    octavo, book, kind, out = sys.argv[1:5]
    seqs = model_words(octavo, book)
    have = pdf_words(out) if kind == "pdf" else []
    rtl = mutool_words(out) if kind == "pdf" else frozenset()
    ok = True
    for name, want in seqs.items():
        miss = subsequence(want, have, rtl)
        if miss is not None:
            ok = False
            print(f"{name}: word {miss + 1} of {len(want)} not found in order: "
                  f"{' '.join(want[max(0, miss - 5):miss])} [{want[miss][:80]}] {' '.join(want[miss + 1:miss + 4])}"[:400])
    counts = ", ".join(f"{len(w)} {k}" for k, w in seqs.items())
    print(f"words checked: {counts}; output words: {len(have)}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
