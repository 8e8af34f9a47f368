#!/usr/bin/env python3
"""Run a command with a time limit and report its wall time and peak memory.

usage: measure.py SECONDS MEGABYTES COMMAND...

Prints "N.NNs NNN MB" (wall time, peak resident set of the command and its children) and
exits with the command's status, or 124 when it ran past SECONDS (it is killed), or 125 when
its peak memory passed MEGABYTES. The limits are generous bounds, not speed goals.
"""
import resource
import subprocess
import sys
import time


def main():
    secs, mb, cmd = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
    t0 = time.monotonic()
    try:
        rc = subprocess.run(cmd, timeout=secs).returncode
    except subprocess.TimeoutExpired:
        print(f"killed after {secs:.0f}s: {' '.join(cmd)}")
        sys.exit(124)
    wall = time.monotonic() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{wall:.2f}s {peak:.0f} MB")
    if rc == 0 and peak > mb:
        print(f"peak memory {peak:.0f} MB is over the bound of {mb:.0f} MB")
        sys.exit(125)
    sys.exit(rc)


if __name__ == "__main__":
    main()
