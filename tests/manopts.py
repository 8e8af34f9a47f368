#!/usr/bin/env python3
"""Does the man page say what --help says?

usage: manopts.py OCTAVO docs/octavo.1

Both sides are derived, nothing is listed here:
- the commands of `octavo --help` ("Commands:" block) and the commands of the man page's
  SYNOPSIS (`.Nm` lines followed by `.Cm NAME`) are the same set;
- for each command, the options of `octavo CMD --help` (short and long forms) and the options
  of its SYNOPSIS (`Fl x`, `Fl qv`, `Fl Fl long`, short ones mapped to long through the
  OPTIONS list) are the same set;
- every option of the OPTIONS list (`.It Fl ...`) is offered by some command, and its short
  and long forms pair up as in --help.
Prints each difference; exit 1 if there is any.
"""
import re
import subprocess
import sys


def help_text(octavo, *args):
    return subprocess.run([octavo, *args, "--help"], capture_output=True, text=True, check=True).stdout


def help_commands(octavo):
    text = help_text(octavo)
    block = text.split("Commands:", 1)[1].split("\n\n", 1)[0]
    return {m.group(1) for m in re.finditer(r"^  ([a-z]+) ", block, re.M)}


def help_options(octavo, cmd):
    """{long: short or None} of one command, without GLib's own --help."""
    opts = {}
    for m in re.finditer(r"^\s+(?:-([A-Za-z]), )?--([a-z][a-z-]*)", help_text(octavo, cmd), re.M):
        if m.group(2) not in ("help", "help-all"):
            opts[m.group(2)] = m.group(1)
    return opts


def section(man, name):
    m = re.search(r"^\.Sh " + name + r"\n(.*?)(?=^\.Sh |\Z)", man, re.M | re.S)
    return m.group(1) if m else ""


def flags(line):
    """Short flags and long options named on one mdoc line: ('short', 'q'), ('long', 'pdf')."""
    out = []
    for m in re.finditer(r"\bFl (Fl ([a-z][a-z-]*)|([A-Za-z]+))\b", line):
        if m.group(2):
            out.append(("long", m.group(2)))
        else:
            out.extend(("short", c) for c in m.group(3))
    return out


def man_options(man):
    """{long: short or None} from the OPTIONS list's .It lines."""
    opts = {}
    for line in section(man, "OPTIONS").splitlines():
        if line.startswith(".It Fl"):
            fl = flags(line)
            longs = [v for k, v in fl if k == "long"]
            shorts = [v for k, v in fl if k == "short"]
            if len(longs) != 1 or len(shorts) > 1:
                raise SystemExit(f"OPTIONS: cannot read {line!r}")
            opts[longs[0]] = shorts[0] if shorts else None
    return opts


def man_synopsis(man, short_to_long):
    """{command: set of long options} from the SYNOPSIS."""
    cmds, cur = {}, None
    lines = section(man, "SYNOPSIS").splitlines()
    for i, line in enumerate(lines):
        if line == ".Nm":
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            m = re.match(r"\.Cm ([a-z]+)$", nxt)
            cur = m.group(1) if m else None
            if cur:
                cmds[cur] = set()
            continue
        if cur:
            for kind, v in flags(line):
                if kind == "long":
                    cmds[cur].add(v)
                elif v in short_to_long:
                    cmds[cur].add(short_to_long[v])
                else:
                    cmds[cur].add("-" + v + " (not in OPTIONS)")
    return cmds


def main():
    octavo, page = sys.argv[1:3]
    man = open(page, encoding="utf-8").read()
    problems = []

    described = man_options(man)
    short_to_long = {s: l for l, s in described.items() if s}
    synopsis = man_synopsis(man, short_to_long)
    commands = help_commands(octavo)
    if commands != set(synopsis):
        problems.append(f"commands: --help has {sorted(commands)}, the man page's SYNOPSIS {sorted(synopsis)}")

    offered = {}
    for cmd in sorted(commands):
        opts = help_options(octavo, cmd)
        offered.update(opts)
        want, have = set(opts), synopsis.get(cmd, set())
        if want != have:
            problems.append(f"{cmd}: only in --help: {sorted(want - have)}; only in the man page: {sorted(have - want)}")
        for long, short in opts.items():
            if long in described and described[long] != short:
                problems.append(f"{cmd} --{long}: short form -{short} in --help, -{described[long]} in the man page")

    if set(offered) != set(described):
        problems.append(f"OPTIONS list: missing {sorted(set(offered) - set(described))}, "
                        f"offered by no command {sorted(set(described) - set(offered))}")
    for p in problems:
        print(p)
    print(f"{len(commands)} commands, {len(described)} options compared")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
