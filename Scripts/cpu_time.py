#!/usr/bin/env python3
"""Runs a command and prints its wall time and the CPU time of its whole process tree, for the
measurements in docs/scaling.md.

    python3 Scripts/cpu_time.py COMMAND [ARG...]

`time` counts only children that were waited for; Spark's JVM and its Python workers are not
(the JVM is killed at shutdown), so their CPU would be lost. This samples /proc every 50 ms and adds
up the last user+system time seen of every process in the command's tree (a process's final <50 ms
are missed, a slight undercount), and reports the larger of that and what the kernel counted for the
command and the children it waited for. Also prints the largest resident set seen of any one
process. Linux only.
"""
import os
import subprocess
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def snapshot():
    """pid -> (ppid, cpu seconds, rss bytes, start time) for every process."""
    result = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        # fields[0] is state (field 3); ppid is field 4, utime 14, stime 15, starttime 22, rss 24.
        result[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS,
                              int(fields[21]) * PAGE, fields[19])
    return result


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    started = time.monotonic()
    child = subprocess.Popen(sys.argv[1:])
    seen = {}  # (pid, start time) -> cpu seconds
    peak_rss = 0
    tree = {child.pid}
    while child.poll() is None:
        processes = snapshot()
        # Walk down from the command: any process whose parent is in the tree joins it.
        changed = True
        while changed:
            changed = False
            for pid, (ppid, _, _, _) in processes.items():
                if ppid in tree and pid not in tree:
                    tree.add(pid)
                    changed = True
        for pid in tree:
            if pid in processes:
                _, cpu, rss, start = processes[pid]
                seen[(pid, start)] = cpu
                peak_rss = max(peak_rss, rss)
        time.sleep(0.05)
    wall = time.monotonic() - started
    children = os.times()
    # What the kernel counted for the command and every descendant it (recursively) waited for.
    waited = children.children_user + children.children_system
    # Own time of every process seen in the tree (the command included), waited for or not.
    sampled = sum(seen.values())
    print(f"cpu_time.py: wall {wall:.2f} s, CPU {max(waited, sampled):.2f} s "
          f"(sampled tree {sampled:.2f} s, waited-for {waited:.2f} s), "
          f"peak RSS of one process {peak_rss / 1e6:.0f} MB, exit {child.returncode}", file=sys.stderr)
    sys.exit(child.returncode)


if __name__ == "__main__":
    main()
