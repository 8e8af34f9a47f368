#!/usr/bin/env python3
"""Checks on an octavo PDF's links and destinations (tests/t-pdf2.sh).

usage: check.py dest FILE.pdf NAME WORD   the named destination NAME lands on the page where
                                          WORD is, at (or a little above) the top of its line
       check.py link FILE.pdf NAME        a link annotation goes to NAME, which is a named
                                          destination
       check.py uri FILE.pdf URI          a link annotation's /URI is exactly URI
       check.py nodest FILE.pdf           no link goes to a name that is not a destination
       check.py pageref FILE.pdf NAME TEXT  the text reads TEXT and a number, the label of the
                                          page of the named destination NAME
       check.py label FILE.pdf NAME       prints the label of the page of the destination NAME
       check.py linkto FILE.pdf WORD TARGET  a link over WORD lands on the page where TARGET
                                          is, at (or a little above) the top of its line
"""
import json
import re
import subprocess
import sys


def sval(v):
    """A qpdf JSON string's value."""
    if isinstance(v, str) and v.startswith('u:'):
        return v[2:]
    if isinstance(v, str) and v.startswith('b:'):
        return bytes.fromhex(v[2:]).decode('latin1')
    return v


class PDF:
    def __init__(self, path):
        self.path = path
        r = subprocess.run(['qpdf', '--json', '--json-key=pages', '--json-key=qpdf', path],
                           capture_output=True, text=True)
        try:
            j = json.loads(r.stdout)
        except ValueError:
            sys.exit(f'{path}: qpdf cannot read it: {r.stderr.strip()[:300]}')
        self.objs = {}
        for k, v in j['qpdf'][1].items():
            if k.startswith('obj:'):
                self.objs[k[4:]] = v.get('value', v.get('stream', {}).get('dict'))
        self.pages = [p['object'] for p in j['pages']]
        self.labels = []
        for p in j['pages']:  # arabic or none: what octavo writes for the body
            lab = p.get('label') or {}
            self.labels.append(sval(lab.get('/P', '')) + (str(lab.get('/St', 1)) if lab.get('/S') == '/D' else ''))
        self.pidx = {o: i for i, o in enumerate(self.pages)}
        self.heights = []
        for o in self.pages:
            mb = self.get(self.objs[o].get('/MediaBox'))
            self.heights.append(float(self.get(mb[3])))
        self.dests = {}
        root = next(k for k, v in self.objs.items() if isinstance(v, dict) and v.get('/Type') == '/Catalog')
        names = self.get(self.objs[root].get('/Names'))
        if names and '/Dests' in names:
            self.walk(self.get(names['/Dests']))

    def get(self, v):
        if isinstance(v, str) and re.fullmatch(r'\d+ \d+ R', v):
            return self.objs.get(v)
        return v

    def walk(self, node):
        a = self.get(node.get('/Names')) or []
        for i in range(0, len(a), 2):
            self.dests[sval(a[i])] = self.get(a[i + 1])
        for k in self.get(node.get('/Kids')) or []:
            self.walk(self.get(k))

    def where(self, name):
        """(page index, /XYZ top) of a named destination, or None."""
        d = self.dests.get(name)
        if isinstance(d, dict):
            d = self.get(d.get('/D'))
        if not isinstance(d, list):
            return None
        return self.pidx.get(d[0]), (float(d[3]) if len(d) > 3 and d[1] == '/XYZ' else None)

    def annots(self):
        """(page, rect, dest, uri) of every link annotation."""
        out = []
        for i, o in enumerate(self.pages):
            for a in self.get(self.objs[o].get('/Annots')) or []:
                ad = self.get(a)
                if ad.get('/Subtype') != '/Link':
                    continue
                dest = self.get(ad.get('/Dest'))
                rect = [float(self.get(x)) for x in self.get(ad['/Rect'])]
                out.append((i, rect, sval(dest) if isinstance(dest, str) else dest))
        return out

    def links(self):
        out = []
        for o in self.pages:
            for a in self.get(self.objs[o].get('/Annots')) or []:
                ad = self.get(a)
                if ad.get('/Subtype') != '/Link':
                    continue
                dest, uri = ad.get('/Dest'), None
                act = self.get(ad.get('/A'))
                if act:
                    if act.get('/S') == '/URI':
                        uri = sval(self.get(act.get('/URI')))
                    else:
                        dest = act.get('/D')
                dest = self.get(dest)
                out.append((sval(dest) if isinstance(dest, str) else dest, uri))
        return out


def boxes(path, page):
    """(word, xMin, yMin, xMax, yMax) of a page, y from the page's top."""
    r = subprocess.run(['pdftotext', '-bbox', '-f', str(page + 1), '-l', str(page + 1), path, '-'],
                       capture_output=True, text=True)
    return [(m.group(5), float(m.group(1)), float(m.group(2)), float(m.group(3)), float(m.group(4)))
            for m in re.finditer(r'<word xMin="([^"]*)" yMin="([^"]*)" xMax="([^"]*)" yMax="([^"]*)">([^<]*)</word>',
                                 r.stdout)]


def words(path, page):
    """(word, yMin) of a page, yMin from the page's top."""
    return [(b[0], b[2]) for b in boxes(path, page)]


def lands(pdf, name, word):
    """None when the destination name is at the top of word's line, else why not."""
    w = pdf.where(name)
    if w is None or w[1] is None:
        return f'{name}: no named destination (names: {sorted(pdf.dests)[:20]})'
    page, top = w
    y = pdf.heights[page] - top  # from the page's top
    ys = [t for (s, t) in words(pdf.path, page) if s.strip(".,;:()") == word]
    if not ys:
        return f'{name}: on page {page + 1}, which has no word "{word}"'
    # at the top of the word's line: not below it, and not more than a line above it
    if not any(y <= t + 0.5 and t - y <= 12 for t in ys):
        return f'{name}: page {page + 1}, {y:.1f} from the top; "{word}" is at {ys}'
    return None


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    pdf = PDF(path)
    if cmd == 'dest':
        why = lands(pdf, sys.argv[3], sys.argv[4])
        if why:
            sys.exit(why)
    elif cmd == 'linkto':
        word, target, found = sys.argv[3], sys.argv[4], []
        for page, (x0, y0, x1, y1), dest in pdf.annots():
            h = pdf.heights[page]
            over = [b[0] for b in boxes(path, page)
                    if x0 <= (b[1] + b[3]) / 2 <= x1 and h - y1 <= (b[2] + b[4]) / 2 <= h - y0]
            if word in [o.strip(".,;:()") for o in over]:
                found.append(dest)
                if isinstance(dest, str) and lands(pdf, dest, target) is None:
                    return
        sys.exit(f'no link over "{word}" lands at "{target}": links over it go to {found}'
                 + ''.join(f'; {lands(pdf, d, target)}' for d in found if isinstance(d, str)))
    elif cmd == 'label':
        w = pdf.where(sys.argv[3])
        if w is None:
            sys.exit(f'{sys.argv[3]}: no named destination')
        print(pdf.labels[w[0]])
    elif cmd == 'pageref':
        name, phrase = sys.argv[3], sys.argv[4]
        w = pdf.where(name)
        if w is None:
            sys.exit(f'{name}: no named destination')
        text = ' '.join(subprocess.run(['pdftotext', path, '-'], capture_output=True, text=True).stdout.split())
        m = re.search(re.escape(phrase) + r' (\w+)', text)
        if m is None or m.group(1) != pdf.labels[w[0]]:
            sys.exit(f'"{phrase} {m.group(1) if m else "?"}", but {name} is on page {pdf.labels[w[0]]}')
    elif cmd == 'link':
        name = sys.argv[3]
        if pdf.where(name) is None:
            sys.exit(f'{name}: no named destination')
        if not any(d == name for d, u in pdf.links()):
            sys.exit(f'no link to {name}: {pdf.links()}')
    elif cmd == 'uri':
        uri = sys.argv[3]
        uris = [u for d, u in pdf.links() if u is not None]
        if uri not in uris:
            sys.exit(f'no link to {uri!r}: {uris}')
    elif cmd == 'nodest':
        bad = [d for d, u in pdf.links() if u is None and (not isinstance(d, str) or pdf.where(d) is None)]
        if bad:
            sys.exit(f'links to no destination: {bad}')
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
