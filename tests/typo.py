#!/usr/bin/env python3
"""Checks on `octavo build --report` and `--layout` output for the typography tests.

usage:
  typo.py clean REPORT                  no overfull lines, widows, orphans, lonely headings;
                                        at most the theme's 2 consecutive hyphenated lines;
                                        total fit (code is set first fit by design)
  typo.py hyphenates REPORT             some line of it is hyphenated
  typo.py spread BETTER WORSE PERCENT   BETTER's interword-space spread (sd, em) is at least
                                        PERCENT % smaller than WORSE's
  typo.py nohyphen LAYOUT               no line of the layout ends in an added hyphen
  typo.py spreads LAYOUT LEADING        facing pages end on one baseline, except where the
                                        shorter has no space between blocks to open
  typo.py whole LAYOUT PDF              every word hyphenated at a line's end ends its line
                                        whole in pdftotext's text, in order
"""
import json
import re
import subprocess
import sys

WORD = re.compile(r"\w+", re.UNICODE)


def total(path):
    return json.load(open(path))["total"]


def clean(path):
    t = total(path)
    bad = {k: t[k] for k in ("overfull_lines", "widows", "orphans", "lonely_headings") if t[k]}
    if t["max_consecutive_hyphenated"] > 2:
        bad["max_consecutive_hyphenated"] = t["max_consecutive_hyphenated"]
    if json.load(open(path))["breaking"] != "total-fit":
        bad["breaking"] = "greedy"
    if t["lines"] == 0:
        bad["lines"] = 0
    print(json.dumps(t))
    return not bad or print("not clean:", bad)


def layout_lines(path):
    """(text, hyphenated) of every line item, in order."""
    out = []
    for line in open(path, encoding="utf-8"):
        m = re.match(r'\s+line [-\d.]+ [-\d.]+ "(.*)"(-?)$', line.rstrip("\n"))
        if m:
            out.append((m.group(1), m.group(2) == "-"))
    return out


def main():
    cmd = sys.argv[1]
    if cmd == "clean":
        ok = clean(sys.argv[2])
    elif cmd == "hyphenates":
        t = total(sys.argv[2])
        print("hyphenated lines:", t["hyphenated_lines"])
        ok = t["hyphenated_lines"] > 0
    elif cmd == "spread":
        better, worse, pct = total(sys.argv[2]), total(sys.argv[3]), float(sys.argv[4])
        gain = 100 * (1 - better["space_sd_em"] / worse["space_sd_em"])
        print(f"spread {better['space_sd_em']:.4f} em against {worse['space_sd_em']:.4f} em: {gain:.1f} % smaller "
              f"(ratio sd {better['ratio_sd']:.3f} against {worse['ratio_sd']:.3f})")
        ok = gain >= pct
    elif cmd == "nohyphen":
        hy = [t for t, h in layout_lines(sys.argv[2]) if h]
        for t in hy:
            print("hyphenated:", t)
        ok = not hy
    elif cmd == "spreads":
        pages, leading = [], float(sys.argv[3])
        for line in open(sys.argv[2], encoding="utf-8"):
            m = re.match(r"page \d+ (\w+) label=(\S+)(.*)", line)
            if m:
                pages.append({"body": m.group(1) == "body", "num": m.group(2), "flags": m.group(3), "ys": []})
                continue
            m = re.match(r"  line [-\d.]+ ([-\d.]+) ", line)
            if m and pages:
                pages[-1]["ys"].append(float(m.group(1)))
        ok, n, even = True, 0, 0
        for i in range(len(pages) - 2):
            v, r, nxt = pages[i], pages[i + 1], pages[i + 2]
            if not (v["body"] and r["body"] and v["num"].isdigit() and int(v["num"]) % 2 == 0):
                continue
            if "opening" in v["flags"] + r["flags"] + nxt["flags"] or not v["ys"] or not r["ys"]:
                continue
            n += 1
            short = v if max(v["ys"]) < max(r["ys"]) else r
            gap = abs(max(v["ys"]) - max(r["ys"]))
            if gap < 0.5:
                even += 1
                continue
            ys = sorted(set(short["ys"]))
            gaps = [b - a for a, b in zip(ys, ys[1:]) if b - a > leading * 1.25]
            print(f"pages {v['num']}-{r['num']}: {gap:.1f} pt apart; the shorter has {len(gaps)} spaces between blocks")
            if gaps and gap / len(gaps) <= leading:
                ok = False
        print(f"{even} of {n} full spreads end on one baseline")
        ok = ok and n > 0
    elif cmd == "whole":
        lines = layout_lines(sys.argv[2])
        text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", sys.argv[3], "-"], capture_output=True,
                              text=True, check=True).stdout
        # the last word of each extracted line: a hyphenated word's first part stands there whole
        ends = [WORD.findall(x)[-1] for x in text.splitlines() if WORD.findall(x)]
        ok, n, at = True, 0, 0
        for i, (t, h) in enumerate(lines):
            if not h or i + 1 >= len(lines):
                continue
            first = WORD.findall(t)[-1]
            second = WORD.findall(lines[i + 1][0])[0]
            n += 1
            while at < len(ends) and ends[at] != first + second:
                at += 1
            if at == len(ends):
                print(f"{first}- {second}: no line of the text ends in \"{first + second}\"")
                ok, at = False, 0
        print(f"{n} hyphenated words checked")
        ok = ok and n > 0
    else:
        sys.exit(__doc__)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
