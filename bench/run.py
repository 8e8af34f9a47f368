#!/usr/bin/env python3
"""run.py: octavo's benchmark (`make bench`). Regenerates the tables of docs/performance.md.

For each input (the brochure, the pandoc-converted manual in bench/manual/, and generated
books of about 100, 500 and 2,000 pages): wall time, CPU time (user + system) and peak RSS of
`octavo build` for the EPUB only (with the print pages, the default, and without them:
--no-print-pages), the PDF only and both, each the median of RUNS runs after one warm-up run
(timed by wait4: wall to the microsecond, CPU and peak RSS from the child's rusage); beside them, in the same run and on the same content, WeasyPrint rendering
the XHTML octavo put in its EPUB (one HTML file, the EPUB's fonts through its @font-face
rules, the PDF's page size and margins), pandoc writing an EPUB from the same DocBook source,
and bench/floor (shape every paragraph once with Pango, draw it with Cairo). Then the ratios,
the scaling from 500 to 2,000 pages, and a perf profile of the 500-page build.

Environment: BENCH_RUNS (octavo, floor; default 5), BENCH_PEER_RUNS (WeasyPrint, pandoc;
default 3; 1 for inputs over 600 pages), BENCH_INPUTS (comma list of input names to run, e.g.
"brochure,gen-100"), BENCH_NO_PEERS=1, BENCH_NO_PROFILE=1, BENCH_OUT (docs/performance.md;
"-" prints the tables only). Work files go to build/bench/.
"""
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(TOP, "build", "bench")
OCTAVO = os.path.join(TOP, "octavo")
FLOOR = os.path.join(TOP, "bench", "floor")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
PEER_RUNS = int(os.environ.get("BENCH_PEER_RUNS", "3"))
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", LC_ALL="C.UTF-8")
BEGIN, END = "<!-- bench:begin (make bench writes from here to bench:end) -->", "<!-- bench:end -->"


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def measure(cmd, runs, warmup=True, cwd=None):
    """Median wall (s), CPU (s) and peak RSS (MB) of cmd over runs, after a warm-up run: the wall
    time around fork and wait4, the CPU time (user + system) and peak RSS from wait4's rusage."""
    samples = []
    for i in range((1 if warmup else 0) + runs):
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err = p.stderr.read()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        p.stderr.close()
        if p.returncode != 0:
            log("failed (%d): %s\n%s" % (p.returncode, " ".join(cmd), err.decode()[-2000:]))
            return None
        if warmup and i == 0:
            continue
        samples.append((wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0))
    return {
        "wall": statistics.median(x[0] for x in samples),
        "cpu": statistics.median(x[1] for x in samples),
        "rss": statistics.median(x[2] for x in samples),
        "n": len(samples),
    }


def pdf_pages(path):
    r = subprocess.run(["pdfinfo", path], capture_output=True, text=True)
    m = re.search(r"^Pages:\s+(\d+)", r.stdout, re.M)
    return int(m.group(1)) if m else 0


def inputs():
    """(name, DocBook file, flat file for pandoc and the floor) of every input."""
    gen = os.path.join(WORK, "gen")
    os.makedirs(gen, exist_ok=True)
    res = []
    flat = os.path.join(WORK, "brochure-flat.xml")
    subprocess.run(["xmllint", "--xinclude", "--nonet", "--output", flat,
                    os.path.join(TOP, "book", "international-commitment.xml")], check=True)
    res.append(("brochure", os.path.join(TOP, "book", "international-commitment.xml"), flat))
    manual = os.path.join(TOP, "bench", "manual", "fs.xml")
    res.append(("manual", manual, manual))
    for pages in (100, 500, 2000):
        path = subprocess.run([sys.executable, os.path.join(TOP, "bench", "gen.py"), str(pages), gen],
                              check=True, capture_output=True, text=True).stdout.strip()
        res.append(("gen-%d" % pages, path, path))
    want = os.environ.get("BENCH_INPUTS")
    if want:
        res = [x for x in res if x[0] in want.split(",")]
    return res


def bench_input(name, src, flat):
    d = os.path.join(WORK, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    epub, pdf = os.path.join(d, "o.epub"), os.path.join(d, "o.pdf")
    row = {"name": name}
    log("%s: octavo (%d runs each)" % (name, RUNS))
    row["epub"] = measure([OCTAVO, "build", "-q", src, "--epub", epub], RUNS)
    row["epub_np"] = measure([OCTAVO, "build", "-q", src, "--epub", os.path.join(d, "np.epub"), "--no-print-pages"], RUNS)
    row["pdf"] = measure([OCTAVO, "build", "-q", src, "--pdf", pdf], RUNS)
    row["both"] = measure([OCTAVO, "build", "-q", src, "-o", os.path.join(d, "both")], RUNS)
    row["pages"] = pdf_pages(pdf)
    row["model_rss"] = model_rss(src, os.path.join(d, "v.pdf"))
    log("%s: octavo watch (%d edits each)" % (name, EDITS))
    row["w_epub"] = rebuilds(name, src, ["--epub", "o.epub"])
    row["w_both"] = rebuilds(name, src, ["-o", "out"])
    log("%s: floor" % name)
    row["floor"] = measure([FLOOR, flat, os.path.join(d, "floor.pdf"), os.path.join(TOP, "fonts")], RUNS)
    row["floor_pages"] = pdf_pages(os.path.join(d, "floor.pdf"))
    if os.environ.get("BENCH_NO_PEERS") != "1":
        pr = PEER_RUNS if row["pages"] <= 600 else 1
        if shutil.which("weasyprint"):
            log("%s: WeasyPrint (%d runs)" % (name, pr))
            html = subprocess.run([sys.executable, os.path.join(TOP, "bench", "epub2html.py"), epub,
                                   os.path.join(d, "html"), "A5", "18mm 17mm 20mm 17mm"],
                                  check=True, capture_output=True, text=True).stdout.strip()
            row["weasy"] = measure(["weasyprint", "-q", html, os.path.join(d, "weasy.pdf")], pr, warmup=pr > 1)
            row["weasy_pages"] = pdf_pages(os.path.join(d, "weasy.pdf"))
        if shutil.which("pandoc"):
            log("%s: pandoc (%d runs)" % (name, pr))
            row["pandoc"] = measure(["pandoc", "-f", "docbook", "-t", "epub3", "--resource-path",
                                     os.path.dirname(src), flat, "-o", os.path.join(d, "pandoc.epub")],
                                    pr, warmup=pr > 1)
    return row


def model_rss(src, pdf):
    """The peak RSS (MB) once the model is read: what `octavo build -v` prints at the end of
    resolve, the median of 3 runs (None where -v prints no peak)."""
    peaks = []
    for _ in range(3):
        err = subprocess.run([OCTAVO, "build", "-v", src, "--pdf", pdf], env=ENV, capture_output=True,
                             text=True).stderr
        m = re.search(r"^octavo: resolve .*  peak ([0-9.]+) MB$", err, re.M)
        if m:
            peaks.append(float(m.group(1)))
    return statistics.median(peaks) if peaks else None


EDITS = 5


def rebuilds(name, src, args):
    """`octavo watch` of a copy of src's folder with args, then EDITS edits of one paragraph each:
    the median time of the rebuilds (as watch prints it), their mean CPU time (from /proc, in
    clock ticks) and watch's peak RSS."""
    d = os.path.join(WORK, name + "-watch")
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(os.path.dirname(src), d, ignore=shutil.ignore_patterns("*.epub", "*.pdf", "out"))
    book = os.path.join(d, os.path.basename(src))
    target = book
    if "<para>" not in open(book, encoding="utf-8").read():
        target = sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".xml") and
                        "<para>" in open(os.path.join(d, f), encoding="utf-8").read())[0]
    log_path = os.path.join(d, "watch.log")
    tick = os.sysconf("SC_CLK_TCK")

    def cpu(pid):
        f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / tick

    def built(n):
        lines = [x for x in open(log_path, encoding="utf-8") if " built " in x or "build failed" in x]
        return lines if len(lines) >= n else None

    def wait(n):
        for _ in range(1200):
            got = built(n)
            if got:
                return got
            if p.poll() is not None:
                raise RuntimeError("watch exited")
            time.sleep(0.02)
        raise RuntimeError("watch did not rebuild")
    with open(log_path, "w") as logf:
        p = subprocess.Popen([OCTAVO, "watch"] + args + [book], cwd=d, env=ENV, stdout=subprocess.DEVNULL,
                             stderr=logf)
    try:
        wait(1)
        times, ticks = [], 0.0
        for i in range(EDITS):
            time.sleep(0.3)  # past watch's settling time
            with open(target, encoding="utf-8") as f:
                text = f.read()
            text = text.replace("<para>", "<para>Edit %d. " % (i + 1), 1)
            with open(target + ".tmp", "w", encoding="utf-8") as f:
                f.write(text)
            c0 = cpu(p.pid)
            os.rename(target + ".tmp", target)
            lines = wait(i + 2)
            ticks += cpu(p.pid) - c0
            m = re.search(r"(built|build failed) .* in ([0-9.]+) s", lines[-1])
            if not m or m.group(1) != "built":
                raise RuntimeError(lines[-1])
            times.append(float(m.group(2)))
        hwm = re.search(r"VmHWM:\s+(\d+)", open("/proc/%d/status" % p.pid).read())
        return {"wall": statistics.median(times), "cpu": ticks / EDITS,
                "rss": int(hwm.group(1)) / 1024.0 if hwm else 0, "n": EDITS}
    except (RuntimeError, OSError, IndexError) as e:
        log("%s: watch: %s" % (name, e))
        return None
    finally:
        p.terminate()
        p.wait()


def startup():
    return measure([OCTAVO, "--version"], RUNS)


def profile(src):
    """perf's samples of a build of both outputs, with DWARF call stacks: the inclusive share
    of octavo's functions, the self share of each library and the hottest leaf symbols."""
    if not shutil.which("perf"):
        return None
    data = os.path.join(WORK, "perf.data")
    r = subprocess.run(["perf", "record", "-q", "-F", "499", "--call-graph", "dwarf,32768", "-o", data,
                        OCTAVO, "build", "-q", src, "-o", os.path.join(WORK, "profile")],
                       env=ENV, capture_output=True, text=True)
    if r.returncode != 0:
        log("perf record failed: " + r.stderr[-500:])
        return None
    script = subprocess.run(["perf", "script", "-i", data], capture_output=True, text=True).stdout
    samples = []
    for block in script.split("\n\n"):
        frames = []
        for line in block.splitlines()[1:]:
            m = re.match(r"\s+[0-9a-f]+ (.+?) \((.*)\)$", line)
            if m:
                sym = re.sub(r"\+0x[0-9a-f]+$", "", m.group(1))
                frames.append([sym, os.path.basename(m.group(2))])
        for i in range(len(frames) - 2, -1, -1):   # an inlined frame is in its caller's file
            if frames[i][1] == "inlined":
                frames[i][1] = frames[i + 1][1]
        if frames:
            samples.append(frames)
    n = len(samples) or 1
    incl, self_dso, self_sym = {}, {}, {}
    for frames in samples:
        leaf_sym, leaf_dso = frames[0]
        self_dso[leaf_dso] = self_dso.get(leaf_dso, 0) + 1
        if leaf_sym != "[unknown]":
            key = (leaf_sym, leaf_dso)
            self_sym[key] = self_sym.get(key, 0) + 1
        for sym in set(f[0] for f in frames if f[1] == "octavo"):
            incl[sym] = incl.get(sym, 0) + 1
    skip = {"main", "run", "_start", "__libc_start_main_impl", "__libc_start_call_main", "ov_build"}
    top = sorted(((100.0 * c / n, s) for s, c in incl.items() if s not in skip), reverse=True)[:25]
    by_dso = sorted(((100.0 * c / n, d) for d, c in self_dso.items()), reverse=True)[:12]
    leaves = sorted(((100.0 * c / n, s, d) for (s, d), c in self_sym.items()), reverse=True)[:15]
    return top, by_dso, leaves, len(samples)


def f_s(x):
    return "%.3f" % x if x < 1 else "%.2f" % x


def cell(m, key="wall"):
    return "–" if not m else f_s(m[key])


def ratio(a, b, key="wall"):
    return "–" if not a or not b or b[key] == 0 else "%.2f" % (a[key] / b[key])


def ratios(a, b):
    """Wall and CPU ratio: "0.05 (0.07)"."""
    return "–" if not a or not b else "%s (%s)" % (ratio(a, b), ratio(a, b, "cpu"))


def tables(rows, start, prof, env):
    out = []
    w = out.append
    w("Measured %s on %s (%s, %d cores), octavo %s. %s" % (
        env["date"], env["host"], env["cpu"], env["cores"], env["commit"], env["load"]))
    w("")
    w("Each octavo and floor figure is the median of %d runs after a warm-up run; WeasyPrint and pandoc "
      "%d runs after a warm-up (one run, no warm-up, above 600 pages). Wall and CPU (user + system) in "
      "seconds, peak RSS in MB. Starting octavo at all (`octavo --version`: loading its shared "
      "libraries) takes %s s wall." % (RUNS, PEER_RUNS, cell(start)))
    w("")
    w("### octavo")
    w("")
    w("EPUB: with the print pages (the default: the book is typeset for the page list); EPUB np: "
      "`--no-print-pages` (not typeset).")
    w("")
    w("| input | pages | EPUB wall | EPUB CPU | EPUB RSS | EPUB np wall | EPUB np CPU | EPUB np RSS | "
      "PDF wall | PDF CPU | PDF RSS | both wall | both CPU | both RSS | PDF pages/s |")
    w("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for r in rows:
        cells = [r["name"], str(r["pages"])]
        for k in ("epub", "epub_np", "pdf", "both"):
            m = r[k]
            cells += [cell(m), cell(m, "cpu"), "%.0f" % m["rss"] if m else "–"]
        cells.append("%.0f" % (r["pages"] / r["pdf"]["wall"]) if r["pdf"] else "–")
        w("| " + " | ".join(cells) + " |")
    w("")
    w("### Peers and the floor")
    w("")
    w("Ratios are octavo / peer, by wall time and (in brackets) by CPU time: below 1 means octavo "
      "is faster. Peers' times are wall (CPU).")
    w("")
    w("| input | WeasyPrint PDF | pages | RSS | octavo PDF / WeasyPrint | octavo both / WeasyPrint | "
      "pandoc EPUB | RSS | octavo EPUB / pandoc | octavo EPUB np / pandoc | floor | floor pages | octavo PDF / floor |")
    w("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for r in rows:
        wz, pd, fl = r.get("weasy"), r.get("pandoc"), r.get("floor")

        def t(m):
            return "–" if not m else "%s (%s)" % (cell(m), cell(m, "cpu"))
        w("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["name"], t(wz), r.get("weasy_pages", "–"), "%.0f" % wz["rss"] if wz else "–",
            ratios(r["pdf"], wz), ratios(r["both"], wz), t(pd), "%.0f" % pd["rss"] if pd else "–",
            ratios(r["epub"], pd), ratios(r["epub_np"], pd), t(fl), r.get("floor_pages", "–"), ratios(r["pdf"], fl)))
    w("")
    w("### Rebuilds in `octavo watch`")
    w("")
    w("`octavo watch` of a copy of the input, then %d edits, each adding two words to one paragraph: "
      "the median time of the rebuilds as watch prints it (from the start of the rebuild, after "
      "watch's 100 ms wait for more changes, to the outputs in place), their mean CPU time (clock "
      "ticks of 10 ms, from /proc) and watch's peak RSS. Ratios against `octavo build` above and "
      "pandoc's EPUB." % EDITS)
    w("")
    w("| input | EPUB rebuild | CPU | / EPUB build | pandoc / EPUB rebuild | both rebuild | CPU | / both build "
      "| RSS (both) |")
    w("|---|--:|--:|--:|--:|--:|--:|--:|--:|")
    for r in rows:
        we, wb, pd = r.get("w_epub"), r.get("w_both"), r.get("pandoc")
        w("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["name"], cell(we), cell(we, "cpu"), ratio(we, r["epub"]),
            "%.1f×" % (pd["wall"] / we["wall"]) if we and pd else "–", cell(wb), cell(wb, "cpu"),
            ratio(wb, r["both"]), "%.0f" % wb["rss"] if wb else "–"))
    w("")
    by = {r["name"]: r for r in rows}
    if "gen-500" in by and "gen-2000" in by:
        a, b = by["gen-500"], by["gen-2000"]
        w("### Scaling")
        w("")
        w("| | EPUB | PDF | both | floor |")
        w("|---|--:|--:|--:|--:|")
        for key in ("wall", "cpu"):
            w("| %s, 2,000 / 500 pages (target ≤ 4.4; pages %d / %d = %.2f) | %s | %s | %s | %s |" % (
                key if key == "wall" else "CPU", b["pages"], a["pages"], b["pages"] / max(a["pages"], 1),
                ratio(b["epub"], a["epub"], key), ratio(b["pdf"], a["pdf"], key), ratio(b["both"], a["both"], key),
                ratio(b["floor"], a["floor"], key)))
        w("")
        w("| peak RSS (MB) against pages | " + " | ".join(
            "%s (%d p.)" % (r["name"], r["pages"]) for r in rows if r["name"].startswith("gen-")) + " |")
        w("|---|" + "--:|" * len([r for r in rows if r["name"].startswith("gen-")]))
        gens = [r for r in rows if r["name"].startswith("gen-")]
        for k, label in (("epub", "EPUB"), ("pdf", "PDF"), ("both", "both")):
            w("| %s | " % label + " | ".join("%.0f" % r[k]["rss"] if r[k] else "–" for r in gens) + " |")
        w("| the model read (`-v`: the peak at the end of resolve) | " + " | ".join(
            "%.0f" % r["model_rss"] if r.get("model_rss") else "–" for r in gens) + " |")
        for k, label in (("pdf", "PDF"), ("both", "both")):
            w("| %s beyond the model | " % label + " | ".join(
                "%.0f" % (r[k]["rss"] - r["model_rss"]) if r[k] and r.get("model_rss") else "–" for r in gens) + " |")
        w("")
    w("### The issue's targets")
    w("")
    w("| target | measured | met |")
    w("|---|---|---|")

    def target(text, value, ok):
        w("| %s | %s | %s |" % (text, value, "–" if ok is None else ("yes" if ok else "**no**")))

    br = by.get("brochure")
    if br and br["both"]:
        target("brochure, EPUB and PDF: under 0.1 s wall", "%s s (CPU %s s)" % (
            f_s(br["both"]["wall"]), f_s(br["both"]["cpu"])),
               br["both"]["wall"] < 0.1)
        if br.get("weasy"):
            x = br["weasy"]["wall"] / br["both"]["wall"]
            target("brochure, both outputs ≥ 10× faster than WeasyPrint's PDF alone", "%.1f× (CPU %.1f×)" % (
                x, br["weasy"]["cpu"] / br["both"]["cpu"]), x >= 10)
    for r in rows:
        if r["name"] == "brochure":
            continue
        if r.get("weasy") and r["pdf"]:
            x = r["weasy"]["wall"] / r["pdf"]["wall"]
            target("%s: PDF ≥ 20× faster than WeasyPrint" % r["name"], "%.1f× (CPU %.1f×)" % (
                x, r["weasy"]["cpu"] / r["pdf"]["cpu"]), x >= 20)
        for k, how in (("epub", "with the print pages"), ("epub_np", "without the print pages")):
            if r.get("pandoc") and r[k]:
                x = r["pandoc"]["wall"] / r[k]["wall"]
                target("%s: EPUB (%s) ≥ 10× faster than pandoc" % (r["name"], how), "%.1f× (CPU %.1f×)" % (
                    x, r["pandoc"]["cpu"] / r[k]["cpu"]), x >= 10)
        if r.get("pandoc") and r.get("w_epub"):
            x = r["pandoc"]["wall"] / r["w_epub"]["wall"]
            target("%s: EPUB (with the print pages) rebuilt by `octavo watch` after an edit, against pandoc "
                   "(not the target, which is for a build from nothing: two lines up)" % r["name"],
                   "%.1f×" % x, None)
        if r.get("floor") and r["pdf"]:
            x = r["pdf"]["wall"] / r["floor"]["wall"]
            target("%s: PDF ≤ 1.5× the floor" % r["name"], "%.2f× (CPU %.2f×)" % (
                x, r["pdf"]["cpu"] / r["floor"]["cpu"]), x <= 1.5)
    if "gen-500" in by and "gen-2000" in by and by["gen-500"]["both"] and by["gen-2000"]["both"]:
        x = by["gen-2000"]["both"]["wall"] / by["gen-500"]["both"]["wall"]
        target("2,000 pages ≤ 4.4× the 500-page time (both outputs)", "%.2f× (CPU %.2f×)" % (
            x, by["gen-2000"]["both"]["cpu"] / by["gen-500"]["both"]["cpu"]), x <= 4.4)
        m = by["gen-2000"]["both"]["rss"]
        target("2,000 pages: peak RSS under 200 MB", "%.0f MB" % m, m < 200)
        a, b = by["gen-500"]["both"]["rss"], by["gen-2000"]["both"]["rss"]
        ma, mb = by["gen-500"].get("model_rss"), by["gen-2000"].get("model_rss")
        if ma and mb:
            target("peak RSS not growing with the page count once the model is read (both outputs: the peak "
                   "less the model's)", "%.0f MB at 500 pages, %.0f MB at 2,000 (peaks %.0f and %.0f; the model "
                   "%.0f and %.0f)" % (a - ma, b - mb, a, b, ma, mb), b - mb < (a - ma) * 1.2)
        else:
            target("peak RSS not growing with the page count", "%.0f MB at 500 pages, %.0f MB at 2,000" % (a, b),
                   b < a * 1.2)
    w("")
    if prof:
        top, by_dso, leaves, n = prof
        w("### Profile: `octavo build` of gen-500, both outputs")
        w("")
        w("perf, %d samples with DWARF call stacks. Inclusive share of octavo's own functions "
          "(a function and everything it calls; inlined functions count as their own):" % n)
        w("")
        w("| % | function |")
        w("|--:|---|")
        for pct, sym in top:
            w("| %.1f | `%s` |" % (pct, sym))
        w("")
        w("Self time by library: " + ", ".join("%s %.1f %%" % (d, p) for p, d in by_dso) + ".")
        w("")
        w("Hottest leaf functions (Debian's libraries carry only their exported symbols, so a name "
          "in a library may be the nearest exported one, not the function itself): " + ", ".join(
            "`%s` (%s) %.1f %%" % (sym, d, p) for p, sym, d in leaves) + ".")
        w("")
    return "\n".join(out)


def environment():
    def sh(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, shell=True).stdout.strip()
        except OSError:
            return ""
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip() or platform.processor()
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "host": "Debian %s" % (sh("cat /etc/debian_version") or "?"),
        "cpu": cpu,
        "cores": os.cpu_count() or 0,
        "commit": sh("git -C %s describe --always --dirty" % TOP),
        "load1": os.getloadavg()[0],
    }


def main():
    os.makedirs(WORK, exist_ok=True)
    for tool in (OCTAVO, FLOOR):
        if not os.access(tool, os.X_OK):
            sys.exit("run.py: %s is missing (make bench builds it)" % tool)
    env = environment()
    load_before = os.getloadavg()
    ins = inputs()
    rows = [bench_input(*x) for x in ins]
    start = startup()
    prof = None
    by = {x[0]: x for x in ins}
    if os.environ.get("BENCH_NO_PROFILE") != "1" and "gen-500" in by:
        log("profile of gen-500")
        prof = profile(by["gen-500"][1])
    load_after = os.getloadavg()
    env["load"] = ("Load average (1, 5, 15 min) %.2f %.2f %.2f before, %.2f %.2f %.2f after." %
                   (load_before + load_after))
    text = tables(rows, start, prof, env)
    dest = os.environ.get("BENCH_OUT", os.path.join(TOP, "docs", "performance.md"))
    print(text)
    if dest == "-":
        return
    with open(dest, encoding="utf-8") as f:
        doc = f.read()
    if BEGIN not in doc or END not in doc:
        sys.exit("run.py: %s lacks the %s ... %s markers" % (dest, BEGIN, END))
    doc = doc[:doc.index(BEGIN) + len(BEGIN)] + "\n" + text + "\n" + doc[doc.index(END):]
    with open(dest, "w", encoding="utf-8") as f:
        f.write(doc)
    log("wrote the tables into %s" % dest)


if __name__ == "__main__":
    main()
